"""The /healthz endpoint, login and the home page."""
from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_answers_503_when_database_is_unreachable(client):
    with mock.patch("debtboard.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert "database" in body["failing"]


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_then_home_shows_empty_state(client, django_user_model):
    django_user_model.objects.create_user(username="eve", password="correct horse battery")
    response = client.post("/accounts/login/", {"username": "eve", "password": "correct horse battery"})
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert b"No repositories yet" in page.content


@pytest.mark.django_db
def test_login_page_renders_without_external_assets(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
