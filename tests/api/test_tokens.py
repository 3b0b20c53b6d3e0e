"""API tokens: expiry, revocation, scope validation and the apitoken command's scopes, repositories and expiry."""
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.errors import ApiTokenInvalid
from api.models import ApiToken
from api.tokens import api_token_create, api_token_revoke
from metrics.models import Repository


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_an_expired_token_no_longer_authenticates(user):
    issued = api_token_create(user=user, name="ci", expires_at=timezone.now() + timedelta(days=1))
    assert bearer(issued.secret).get("/api/v1/repositories/").status_code == 200
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(issued.secret).get("/api/v1/repositories/")
    assert response.status_code == 401
    assert "expired" in response.json()["message"]


def test_a_revoked_token_no_longer_authenticates_and_records_its_last_use(user):
    issued = api_token_create(user=user, name="ci")
    bearer(issued.secret).get("/api/v1/repositories/")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None
    assert api_token_revoke(prefix=issued.token.prefix, user=user) == 1
    assert bearer(issued.secret).get("/api/v1/repositories/").status_code == 401


@pytest.mark.parametrize("kwargs, field", [
    ({"scopes": ["write"]}, "scopes"),
    ({"scopes": []}, "scopes"),
    ({"repositories": []}, "field"),
    ({"expires_at": "past"}, "field"),
    ({"name": " "}, "field"),
])
def test_api_token_create_refuses_bad_input(user, kwargs, field):
    if kwargs.get("expires_at") == "past":
        kwargs["expires_at"] = timezone.now() - timedelta(days=1)
    with pytest.raises(ApiTokenInvalid) as error:
        api_token_create(user=user, **{"name": "ci", **kwargs})
    assert field in error.value.extra


def test_apitoken_command_sets_scopes_repositories_and_expiry(user, capsys, tmp_path):
    Repository.objects.create(name="shop", path=str(tmp_path))
    call_command("apitoken", "create", "ci", "pipeline", "--scope", "read", "--scope", "write_metrics",
                 "--repository", "shop", "--expires", "2999-06-30")
    capsys.readouterr()
    token = ApiToken.objects.get()
    assert token.scopes == ["read", "write_metrics"]
    assert not token.all_repositories and [r.name for r in token.repositories.all()] == ["shop"]
    assert timezone.localtime(token.expires_at).date().isoformat() == "2999-06-30"
    call_command("apitoken", "list", "ci")
    line = capsys.readouterr().out
    assert "scopes=read,write_metrics repositories=shop expires=2999-06-30 last_used=never" in line
    with pytest.raises(CommandError, match="No repository 'nowhere'"):
        call_command("apitoken", "create", "ci", "x", "--repository", "nowhere")
    with pytest.raises(CommandError, match="--expires"):
        call_command("apitoken", "create", "ci", "x", "--expires", "next week")
