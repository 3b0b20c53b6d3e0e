"""API authentication: hashed bearer tokens, revocation, permissions and the error body."""
import hashlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_create

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_hash(user):
    issued = api_token_create(user=user, name="ci")
    stored = ApiToken.objects.get()
    assert issued.secret.startswith("dbt_")
    assert stored.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in (stored.token_hash, stored.prefix, stored.name)


def test_bearer_token_authenticates_and_records_use(api_client, user):
    issued = api_token_create(user=user, name="ci")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    response = api_client.get("/api/v1/repositories/")
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer dbt_wrong", "Bearer a b"])
def test_bad_tokens_are_refused_with_a_stable_body(api_client, user, header):
    api_token_create(user=user, name="ci")
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get("/api/v1/repositories/")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "extra"}
    assert response.json()["code"] == "authentication_failed"


def test_revoked_token_is_refused(api_client, user):
    issued = api_token_create(user=user, name="ci")
    ApiToken.objects.update(revoked_at=timezone.now())
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert api_client.get("/api/v1/repositories/").status_code == 401


def test_anonymous_requests_are_refused(api_client):
    response = api_client.get("/api/v1/repositories/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_non_staff_cannot_register_repositories(token_client, tmp_path):
    response = token_client.post("/api/v1/repositories/", {"source": str(tmp_path)}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_apitoken_command_prints_the_secret_once_and_revokes(user, capsys):
    call_command("apitoken", "create", "ci", "pipeline")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    call_command("apitoken", "revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_openapi_schema_is_valid_and_documents_bearer_auth(client, django_user_model):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    django_user_model.objects.create_user(username="u", password="pw-123456789")
    client.force_login(django_user_model.objects.get(username="u"))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert "/api/v1/repositories/{name}/change-checks/" in schema["paths"]
