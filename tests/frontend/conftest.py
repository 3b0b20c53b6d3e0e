"""Fixtures of the frontend tests: users, logged-in clients and a scanned repository."""
import pytest
from django.test import Client

from tests.frontend.factories import ScannedRepository, UserFactory, scanned_repository


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
