"""Choices the debt forms offer, read from the debt register's public modules (never its models)."""
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from debt import lifecycle
from debt.selectors import debt_item_list

OPEN_BOARD = (lifecycle.ACCEPTED, lifecycle.PLANNED, lifecycle.IN_PROGRESS)


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of debt an item can be (code, design, architecture, ...)."""
    return list(debt_item_list().model._meta.get_field("kind").choices)


def source_choices() -> list[tuple[str, str]]:
    """Where items come from (manual, hotspot, marker, ci)."""
    return list(debt_item_list().model._meta.get_field("source").choices)


def status_choices() -> list[tuple[str, str]]:
    """Every lifecycle status in order, with its label."""
    return [(status, lifecycle.LABELS[status]) for status in lifecycle.STATUS_ORDER]


def owner_queryset() -> QuerySet:
    """People an item can be assigned to: active users by username."""
    return get_user_model().objects.filter(is_active=True).order_by("username")
