"""Fixtures for API tests: users, tokens and an authenticated client."""
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.tokens import api_token_create


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="ci", password="not-used-here-123")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="lead", password="not-used-here-123", is_staff=True)


@pytest.fixture
def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='ci').secret}")
    return client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Request counts (the throttle's cache) start empty in every test: user and token ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def maintainers_by_default(settings) -> None:
    """Every signed-in user maintains every repository here: these tests are about behaviour, not roles.

    The roles themselves are tested operation by operation in test_permissions_matrix.py.
    """
    settings.DEBTBOARD_DEFAULT_ROLE = "maintainer"
