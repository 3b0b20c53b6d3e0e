"""Fixtures of the frontend tests: users, logged-in clients and a scanned repository."""
import pytest
from django.test import Client

from tests.frontend.factories import ScannedRepository, UserFactory, scanned_repository


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with MD5: PBKDF2's deliberate slowness would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory(username="reader")


@pytest.fixture
def staff(db):
    return UserFactory(username="operator", is_staff=True)


@pytest.fixture
def client_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_staff(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def shop(db) -> ScannedRepository:
    return scanned_repository()
