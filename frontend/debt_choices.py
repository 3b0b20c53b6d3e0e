"""Choices the debt forms offer, read from the debt register's vocabulary (debt.choices, never its models)."""
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from debt.choices import Kind, Status


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of debt an item can be (code, design, architecture, ...)."""
    return list(Kind.choices)


def status_choices() -> list[tuple[str, str]]:
    """Every lifecycle status in order, with its label."""
    return list(Status.choices)


def owner_queryset() -> QuerySet:
    """People an item can be assigned to: active users by username."""
    return get_user_model().objects.filter(is_active=True).order_by("username")
