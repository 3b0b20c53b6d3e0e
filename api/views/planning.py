"""The base of the planning viewsets (teams, sprints, refactorathons, sprint fill)."""
from rest_framework import viewsets

from api.permissions import PlanningTokenRule


class PlanningViewSet(viewsets.GenericViewSet):
    """Reads through the sprints selectors (the queryset hooks are never used); tokens need the planning scopes."""

    filter_backends: list = []
    permission_classes = [PlanningTokenRule]

    def get_queryset(self):  # pragma: no cover - drf-spectacular and routers only inspect it
        return []
