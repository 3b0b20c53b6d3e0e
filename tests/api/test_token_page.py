"""The "API tokens" page: list own tokens, create one (the secret shown once), revoke; others' stay hidden."""
import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import api_token_create
from metrics.models import Repository
from tests.frontend.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    return user


def test_create_shows_the_secret_once_and_the_token_works_within_its_scopes(client, ada, tmp_path):
    Repository.objects.create(name="shop", path=str(tmp_path))
    Repository.objects.create(name="other", path=str(tmp_path))
    response = client.post("/account/tokens/", {"name": "ci", "scopes": ["read"], "repositories": ["shop"],
                                                "expires": "2999-01-31"})
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("dbt_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=ada)
    assert (token.scopes, token.all_repositories, token.expires_at.year) == (["read"], False, 2999)
    assert secret not in client.get("/account/tokens/").content.decode()  # shown once
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [r["name"] for r in api.get("/api/v1/repositories/").json()["results"]] == ["shop"]


def test_the_page_lists_only_own_tokens_and_revokes_them(client, ada, django_assert_max_num_queries):
    mine = api_token_create(user=ada, name="mine").token
    theirs = api_token_create(user=UserFactory(username="bob"), name="theirs").token
    with django_assert_max_num_queries(8):
        page = client.get("/account/tokens/").content.decode()
    assert mine.prefix in page and theirs.prefix not in page
    client.post(f"/account/tokens/{theirs.pk}/revoke/")
    client.post(f"/account/tokens/{mine.pk}/revoke/")
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.revoked_at is None and mine.revoked_at is not None


def test_a_bad_form_is_shown_again(client, ada):
    response = client.post("/account/tokens/", {"name": "", "scopes": ["write"]})
    assert response.status_code == 400 and not ApiToken.objects.exists()
