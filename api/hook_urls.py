"""Routes of the push webhooks under /hooks/ (outside /api/: no session, no token, the signature is the proof)."""
from django.urls import path

from api.views.hooks import github_hook, gitlab_hook

urlpatterns = [
    path("github/<str:name>", github_hook, name="hooks-github"),
    path("gitlab/<str:name>", gitlab_hook, name="hooks-gitlab"),
]
