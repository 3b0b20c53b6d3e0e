"""Choices the debt forms offer, read from the debt register's public modules (never its models)."""
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from debt.selectors import debt_item_choices

OPEN_BOARD = ("accepted", "planned", "in_progress")


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of debt an item can be (code, design, architecture, ...)."""
    return debt_item_choices()["kind"]


def source_choices() -> list[tuple[str, str]]:
    """Where items come from (manual, hotspot, marker, ci)."""
    return debt_item_choices()["source"]


def status_choices() -> list[tuple[str, str]]:
    """Every lifecycle status in order, with its label."""
    return debt_item_choices()["status"]


def owner_queryset() -> QuerySet:
    """People an item can be assigned to: active users by username."""
    return get_user_model().objects.filter(is_active=True).order_by("username")
