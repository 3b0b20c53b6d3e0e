"""The item field cleaners the forms' services and the import share: values in, clean values or the field out."""
from datetime import date
from decimal import Decimal

import pytest

from debt.services.validation import ITEM_FIELD_CLEANERS
from debtboard.errors import InvalidInput


@pytest.mark.parametrize(("field", "value", "clean"), [
    ("title", "  Split   the parser ", "Split the parser"),
    ("dismissed", "Yes", True),
    ("dismissed", "", False),
    ("dismissed", False, False),
    ("impact", " 4 ", 4),
    ("effort", "2.5", Decimal("2.50")),
    ("due_date", "2025-03-31", date(2025, 3, 31)),
    ("signal", None, ""),
    ("signal", "knowledge_island", "knowledge_island"),
    ("marker_line", "12", 12),
    ("marker_line", "", None),
    ("marker_commit", "ABC1234", "abc1234"),
    ("marker_tag", " TODO\x00 ", "TODO"),
    ("external_id", "x" * 200, "x" * 200),
    ("fingerprint", "f" * 64, "f" * 64),
])
def test_cleaners(field, value, clean):
    assert ITEM_FIELD_CLEANERS[field](value) == clean


@pytest.mark.parametrize(("field", "value", "reported"), [
    ("dismissed", "maybe", "dismissed"),
    ("signal", "rumour", "signal"),
    ("marker_line", "0", "line_start"),
    ("external_id", "x" * 201, "external_id"),
    ("fingerprint", "f" * 65, "fingerprint"),
    ("marker_tag", "t" * 33, "marker_tag"),
    ("status", "finished", "status"),
    ("created_at", "2025-03-31T12:00:00", "created_at"),
])
def test_cleaners_name_the_field_they_refuse(field, value, reported):
    with pytest.raises(InvalidInput) as caught:
        ITEM_FIELD_CLEANERS[field](value)
    assert caught.value.extra["field"] == reported
