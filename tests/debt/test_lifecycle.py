"""The status lifecycle: the table of legal moves, refusals with the allowed next states, no lost moves."""
import itertools

import pytest

from debt.errors import DebtItemChanged, InvalidTransition
from debt.models import DebtItem, DebtTransition
from debt.selectors.items import debt_item_get
from debt.services.items import debt_item_create
from debt.services.lifecycle import debt_item_transition
from tests.debt.factories import make_repository, make_user

STATUSES = ["proposed", "accepted", "planned", "in_progress", "done", "wont_fix"]
# Written out by hand (not read from debt.lifecycle) so a change of the rules has to change this table too.
ALLOWED = {
    ("proposed", "accepted"), ("proposed", "done"), ("proposed", "wont_fix"),
    ("accepted", "planned"), ("accepted", "in_progress"), ("accepted", "done"), ("accepted", "wont_fix"),
    ("planned", "accepted"), ("planned", "in_progress"), ("planned", "done"), ("planned", "wont_fix"),
    ("in_progress", "planned"), ("in_progress", "done"), ("in_progress", "wont_fix"),
    ("done", "in_progress"),
    ("wont_fix", "proposed"), ("wont_fix", "accepted"),
}


@pytest.fixture
def item(db):
    repository = make_repository()
    return debt_item_create(repository=repository, title="Tangled parser", actor=make_user("reporter"))


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_transition_table(item, current, target):
    DebtItem.objects.filter(pk=item.pk).update(status=current)
    item.refresh_from_db()
    actor = make_user("mover")
    if (current, target) in ALLOWED:
        debt_item_transition(item=item, to_status=target, actor=actor, note="moving on")
        item.refresh_from_db()
        assert item.status == target
        transition = DebtTransition.objects.get(item=item)
        assert (transition.from_status, transition.to_status, transition.actor, transition.note) == (
            current, target, actor, "moving on")
        assert transition.at is not None and item.status_changed_at == transition.at
    else:
        with pytest.raises(InvalidTransition) as caught:
            debt_item_transition(item=item, to_status=target, actor=actor)
        assert caught.value.code == "debt_item.invalid_transition"
        assert caught.value.extra["allowed"] == [s for s in STATUSES if (current, s) in ALLOWED]
        item.refresh_from_db()
        assert item.status == current
        assert not DebtTransition.objects.filter(item=item).exists()


def test_refusal_message_lists_the_allowed_next_states(item):
    debt_item_transition(item=item, to_status="done")
    with pytest.raises(InvalidTransition) as caught:
        debt_item_transition(item=item, to_status="planned")
    assert caught.value.message == (
        f"Item #{item.pk} is done; it cannot move to planned. Allowed next: in progress."
    )


def test_unknown_status_is_refused_as_invalid_input(item):
    with pytest.raises(Exception) as caught:
        debt_item_transition(item=item, to_status="shipped")
    assert caught.value.code == "debt_item.invalid"
    assert "shipped" in caught.value.message


def test_stale_copy_cannot_overwrite_a_concurrent_transition(item):
    first_view = debt_item_get(item_id=item.pk)
    second_view = debt_item_get(item_id=item.pk)
    debt_item_transition(item=first_view, to_status="planned", actor=make_user("alice"))
    with pytest.raises(DebtItemChanged) as caught:
        debt_item_transition(item=second_view, to_status="in_progress", actor=make_user("bob"))
    assert caught.value.code == "debt_item.changed"
    assert caught.value.extra["status"] == "planned"
    assert "reload" in caught.value.message
    assert list(DebtTransition.objects.filter(item=item).values_list("from_status", "to_status")) == [
        ("accepted", "planned")]
    # With the fresh state the second person's move goes through and both moves are on record.
    debt_item_transition(item=debt_item_get(item_id=item.pk), to_status="in_progress")
    assert DebtTransition.objects.filter(item=item).count() == 2


def test_explicit_expected_status_guards_the_move(item):
    with pytest.raises(DebtItemChanged):
        debt_item_transition(item=item, to_status="planned", expected_status="proposed")
    debt_item_transition(item=item, to_status="planned", expected_status="accepted")
    assert DebtItem.objects.get(pk=item.pk).status == "planned"


def test_reconsidering_a_dismissed_proposal_clears_the_dismissal(item):
    DebtItem.objects.filter(pk=item.pk).update(status="wont_fix", dismissed=True)
    item.refresh_from_db()
    debt_item_transition(item=item, to_status="proposed")
    item.refresh_from_db()
    assert (item.status, item.dismissed) == ("proposed", False)


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_the_same_item_at_once_lose_no_transition():
    """Real concurrent transactions (PostgreSQL row locks): one move wins, the other is told, none is lost."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the stale-copy test covers the conditional update there")
    import threading

    item = debt_item_create(repository=make_repository(), title="Contended")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def move(name: str, target: str) -> None:
        try:
            copy = DebtItem.objects.get(pk=item.pk)
            barrier.wait(timeout=10)
            debt_item_transition(item=copy, to_status=target, actor=None, note=name)
            outcomes[name] = "moved"
        except DebtItemChanged:
            outcomes[name] = "changed"
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=move, args=("alice", "planned")),
               threading.Thread(target=move, args=("bob", "in_progress"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["changed", "moved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "moved")
    transitions = list(DebtTransition.objects.filter(item=item).values_list("from_status", "note"))
    assert transitions == [("accepted", winner)]
    assert DebtItem.objects.get(pk=item.pk).status == {"alice": "planned", "bob": "in_progress"}[winner]
