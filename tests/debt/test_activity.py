"""Field-level history and comments: who changed what from what to what, in one timeline."""
from datetime import date

import pytest

from debt.data import LocationSpec
from debt.errors import CommentInvalid, DebtItemInvalid, LocationNotFound
from debt.models import DebtChange
from debt.selectors.items import debt_item_timeline
from debt.services.comments import debt_item_comment
from debt.services.items import debt_item_create, debt_item_update
from debt.services.lifecycle import debt_item_transition
from debt.services.locations import debt_item_link, debt_item_unlink
from tests.debt.factories import make_repository, make_user


@pytest.fixture
def updated(db):
    """Ada creates an item, Grace edits six of its fields (and re-states one unchanged)."""
    ada, grace = make_user("ada"), make_user("grace")
    item = debt_item_create(repository=make_repository(), title="Slow import", actor=ada, impact=2, effort=3,
                            labels=["perf"])
    debt_item_update(item=item, actor=grace, title="Slow CSV import", impact=4, effort="3", owner=grace,
                     due_date="2025-01-31", labels=["perf", "Data Layer"], description="Same")
    return ada, grace, item


@pytest.fixture
def timeline(updated):
    """The updated item linked, planned, commented on and unlinked; its timeline and the comment."""
    ada, grace, item = updated
    location = debt_item_link(item=item, actor=ada, path="app/io.py", qualname="read_csv")
    debt_item_transition(item=item, to_status="planned", actor=ada)
    comment = debt_item_comment(item=item, actor=grace, body="See <script>x()</script> **profile**")
    debt_item_unlink(item=item, actor=grace, location_id=location.pk)
    return debt_item_timeline(item=item), comment


def test_an_update_records_each_changed_field_with_who_what_and_when(updated):
    _ada, grace, item = updated
    rows = list(DebtChange.objects.filter(item=item, actor=grace).values_list("field", "old_value", "new_value"))
    assert sorted(rows) == sorted([
        ("title", "Slow import", "Slow CSV import"),
        ("impact", "2", "4"),
        ("owner", "", "grace"),
        ("due_date", "", "2025-01-31"),
        ("description", "", "Same"),
        ("labels", "perf", "data-layer, perf"),
    ])  # effort 3 -> "3" is no change
    item.refresh_from_db()
    assert (item.title, item.impact, item.due_date) == ("Slow CSV import", 4, date(2025, 1, 31))
    assert item.priority == pytest.approx(8 / 3, abs=1e-3)  # re-ranked after the impact change


def test_the_timeline_opens_with_the_creation_and_runs_in_time_order(updated, timeline):
    ada, _grace, _item = updated
    entries, _comment = timeline
    kinds = [entry.kind for entry in entries]
    assert kinds[0] == "created" and entries[0].actor == ada
    assert kinds.count("change") == 8 and kinds.count("transition") == 1 and kinds.count("comment") == 1
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)


def test_the_timeline_shows_a_transition_with_its_actor(updated, timeline):
    ada, _grace, _item = updated
    entries, _comment = timeline
    transition = next(entry for entry in entries if entry.kind == "transition")
    assert (transition.old_value, transition.new_value, transition.actor) == ("accepted", "planned", ada)


def test_the_timeline_renders_a_comment_as_safe_html(timeline):
    entries, comment = timeline
    rendered = next(entry for entry in entries if entry.kind == "comment")
    assert rendered.object_id == comment.pk and "<strong>profile</strong>" in rendered.body_html
    assert "script" not in rendered.body_html


def test_the_timeline_shows_linking_and_unlinking_as_location_changes(timeline):
    entries, _comment = timeline
    links = [(e.old_value, e.new_value) for e in entries if e.field == "location"]
    assert links == [("", "app/io.py::read_csv"), ("app/io.py::read_csv", "")]


@pytest.mark.django_db
def test_bad_input_is_refused_with_the_field_named():
    repository = make_repository()
    item = debt_item_create(repository=repository, title="x")
    cases = [
        (dict(external_url="javascript:alert(1)"), "external_url"),
        (dict(external_url="ftp://files.example.com/x"), "external_url"),
        (dict(impact=0), "impact"),
        (dict(impact=True), "impact"),
        (dict(effort="NaN"), "effort"),
        (dict(effort=float("inf")), "effort"),
        (dict(effort=0), "effort"),
        (dict(title="   "), "title"),
        (dict(title="x" * 201), "title"),
        (dict(kind="bug"), "kind"),
        (dict(due_date="next week"), "due_date"),
        (dict(labels=["ok", "no/slash"]), "labels"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DebtItemInvalid) as caught:
            debt_item_update(item=item, **kwargs)
        assert caught.value.code == "debt_item.invalid" and caught.value.extra["field"] == field, kwargs
    for path in ["../etc/passwd", "/abs.py", "a//b.py", ""]:
        with pytest.raises(Exception) as caught:
            debt_item_link(item=item, path=path)
        assert caught.value.code == "debt_location.invalid", path
    with pytest.raises(Exception) as caught:
        debt_item_link(item=item, path="pkg/", qualname="f")
    assert "folder" in caught.value.message
    with pytest.raises(LocationNotFound):
        debt_item_unlink(item=item, location_id=999)
    with pytest.raises(CommentInvalid):
        debt_item_comment(item=item, body="  \x00 ")
    with pytest.raises(DebtItemInvalid, match="starts as proposed or accepted"):
        debt_item_create(repository=repository, title="y", status="done")
    debt_item_create(repository=repository, title="z", external_id="T-1")
    with pytest.raises(DebtItemInvalid, match="already has external id"):
        debt_item_create(repository=repository, title="w", external_id="T-1")
    created = debt_item_create(repository=repository, title="Nul\x00 title", description="a\x00b",
                               locations=[LocationSpec("./app/x.py")])
    assert (created.title, created.description) == ("Nul title", "ab")
    assert created.locations.get().path == "app/x.py"
