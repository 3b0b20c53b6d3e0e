"""Login throttling (django-axes): wrong passwords lock a username out from one address, until the cool-off ends."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

PASSWORD = "correct horse battery staple"


@pytest.fixture
def ada(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 10
    return django_user_model.objects.create_user(username="ada", password=PASSWORD)


def log_in(client: Client, password: str, *, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": "ada", "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_out_even_with_the_right_one(ada):
    client = Client()
    for _ in range(9):
        assert log_in(client, "wrong").status_code == 200  # the form again, with its error
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content and b'href="/static/frontend/app.css' in locked.content
    refused = log_in(client, PASSWORD)
    assert refused.status_code == 429 and SESSION_KEY not in client.session


def test_the_lockout_is_per_username_and_address(ada):
    client = Client()
    for _ in range(10):
        log_in(client, "wrong")
    other_address = log_in(Client(), PASSWORD, address="10.0.0.2")
    assert other_address.status_code == 302


def test_the_right_password_works_again_after_the_cool_off(ada, settings):
    client = Client()
    for _ in range(10):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    # The cool-off has passed: age the recorded attempts instead of sleeping.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert log_in(client, PASSWORD).status_code == 302 and client.session[SESSION_KEY] == str(ada.pk)


def test_an_administrator_reset_unlocks_at_once(ada):
    client = Client()
    for _ in range(10):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    reset(username="ada")
    assert log_in(client, PASSWORD).status_code == 302
