"""Parsers of option values that several debtboard commands take, failing with a one-line CommandError."""
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def command_moment(value: str | None, option: str = "--now") -> datetime | None:
    """An option's ISO 8601 date and time (naive: in the server's time zone), None when not given."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} is an ISO 8601 date and time, not {value!r}.") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
