"""Top-level URL routes."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from debtboard.health import healthz
from debtboard.monitoring import metrics_view
from frontend.urls import api_docs_urlpatterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *api_docs_urlpatterns,  # before the API: an anonymous visitor is told why the docs are closed
    path("api/", include("api.urls")),
    path("account/", include("api.account_urls")),
    path("hooks/", include("api.hook_urls")),
    path("", include("frontend.urls")),
]
