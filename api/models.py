"""API tokens for CI and scripts; only a hash of each token is stored."""
from django.conf import settings
from django.db import models

from api.scopes import all_scopes


class ApiToken(models.Model):
    """A bearer token for the REST API, stored as a SHA-256 hash with a short visible prefix.

    It acts with its user's roles, narrowed by its scopes (api.scopes) and its repositories: every repository
    when `all_repositories`, else only those in `repositories`. Past `expires_at` it no longer authenticates.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=all_scopes, help_text="read, write_metrics, manage_register (api.scopes).")
    all_repositories = models.BooleanField(default=True)
    repositories = models.ManyToManyField("metrics.Repository", blank=True, related_name="+")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
