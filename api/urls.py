"""REST routes at /api/v1/, the OpenAPI schema and its offline docs."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import schema  # noqa: F401  registers the OpenAPI authentication extension (was api's ready())
from api.views.automation import RescanScheduleView, WebhookSecretView, WebhookView
from api.views.checks import BoyScoutView, CheckPolicyView
from api.views.debt import DebtItemViewSet
from api.views.metrics import FunctionHotspotViewSet, HotspotViewSet, RepositoryViewSet, ScanViewSet
from api.views.refactorathons import (
    EventItemViewSet,
    GoalViewSet,
    ParticipantViewSet,
    RefactorathonViewSet,
    SprintFillViewSet,
)
from api.views.sprints import SprintViewSet, TeamAreaViewSet, TeamMemberViewSet, TeamViewSet

router = DefaultRouter()
router.register("repositories", RepositoryViewSet, basename="repository")
router.register("scans", ScanViewSet, basename="scan")
router.register("debt-items", DebtItemViewSet, basename="debt-item")
router.register(r"repositories/(?P<repository_name>[-a-zA-Z0-9_]+)/hotspots", HotspotViewSet, basename="hotspot")
router.register(r"repositories/(?P<repository_name>[-a-zA-Z0-9_]+)/functions", FunctionHotspotViewSet,
                basename="function-hotspot")
router.register("teams", TeamViewSet, basename="team")
router.register(r"teams/(?P<team_slug>[-a-zA-Z0-9_]+)/members", TeamMemberViewSet, basename="team-member")
router.register(r"teams/(?P<team_slug>[-a-zA-Z0-9_]+)/areas", TeamAreaViewSet, basename="team-area")
router.register(r"teams/(?P<team_slug>[-a-zA-Z0-9_]+)/sprints", SprintViewSet, basename="sprint")
router.register(r"teams/(?P<team_slug>[-a-zA-Z0-9_]+)/sprints/(?P<number>[0-9]+|current)/fill", SprintFillViewSet,
                basename="sprint-fill")
router.register("refactorathons", RefactorathonViewSet, basename="refactorathon")
router.register(r"refactorathons/(?P<refactorathon_slug>[-a-zA-Z0-9_]+)/participants", ParticipantViewSet,
                basename="refactorathon-participant")
router.register(r"refactorathons/(?P<refactorathon_slug>[-a-zA-Z0-9_]+)/goals", GoalViewSet,
                basename="refactorathon-goal")
router.register(r"refactorathons/(?P<refactorathon_slug>[-a-zA-Z0-9_]+)/items", EventItemViewSet,
                basename="refactorathon-item")

urlpatterns = [
    path("v1/repositories/<slug:name>/check-policy/", CheckPolicyView.as_view(), name="check-policy"),
    path("v1/repositories/<slug:name>/boy-scout/", BoyScoutView.as_view(), name="boy-scout"),
    path("v1/repositories/<slug:name>/rescan-schedule/", RescanScheduleView.as_view(), name="rescan-schedule"),
    path("v1/repositories/<slug:name>/webhook/", WebhookView.as_view(), name="webhook"),
    path("v1/repositories/<slug:name>/webhook/secret/", WebhookSecretView.as_view(), name="webhook-secret"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script, so the site's CSP holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
