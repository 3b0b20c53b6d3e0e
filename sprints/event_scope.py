"""A refactorathon loaded for planning and reports: its scope, people, access rules and register items in scope."""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from debt.choices import ACTIVE_STATUSES, OPEN_STATUSES
from debt.data import PlanningItem
from debt.selectors.planning import debt_item_planning_list
from metrics.data import EffortConversion
from metrics.selectors.areas import effort_conversions, path_in_prefixes
from sprints import access
from sprints.data import ScopeEntry
from sprints.errors import RefactorathonForbidden, RefactorathonNotFound
from sprints.models import Refactorathon, RefactorathonParticipant, RefactorathonScope


def event_get(slug: Any) -> Refactorathon:
    """The event with `slug`, or RefactorathonNotFound.

    The saved plan and the frozen snapshot (large JSON, thousands of lines) are loaded on first use only: most
    readers need neither, and a page asks for the event several times.
    """
    event = (Refactorathon.objects.select_related("team").defer("plan", "snapshot").filter(slug=slug).first()
             if isinstance(slug, str) else None)
    if event is None:
        raise RefactorathonNotFound(f"No refactorathon {slug!r}.", extra={"refactorathon": slug})
    return event


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


def can_view(event: Refactorathon, user: Any) -> bool:
    """An event of a private team is visible to its members and staff; every other event to everyone."""
    return event.team is None or access.can_view(event.team, user)


def can_change(event: Refactorathon, user: Any) -> bool:
    """The system, staff, the creator, the team's members (scheduling right) and the participants."""
    if user is None or _is_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if event.created_by_id == user.pk or (event.team is not None and access.can_schedule(event.team, user)):
        return True
    return RefactorathonParticipant.objects.filter(event=event, user_id=user.pk).exists()


def visible(slug: Any, user: Any) -> Refactorathon:
    """The event if the user may see it; RefactorathonNotFound otherwise (a private event is not revealed)."""
    event = event_get(slug)
    if not can_view(event, user):
        raise RefactorathonNotFound(f"No refactorathon {slug!r}.", extra={"refactorathon": slug})
    return event


def require_change(event: Refactorathon, user: Any) -> None:
    """Raise RefactorathonNotFound or RefactorathonForbidden unless the user may change the event."""
    if not can_view(event, user):
        raise RefactorathonNotFound(f"No refactorathon {event.slug!r}.", extra={"refactorathon": event.slug})
    if not can_change(event, user):
        raise RefactorathonForbidden(f"Only the organisers and participants of {event.name} and staff can "
                                     "change it.", extra={"refactorathon": event.slug})


@dataclass(frozen=True)
class EventScope:
    """The event's repositories with their prefixes and effort conversions."""

    entries: tuple[ScopeEntry, ...]
    conversions: dict[int, EffortConversion]

    def prefixes(self, repository_id: int) -> tuple[str, ...]:
        for entry in self.entries:
            if entry.repository_id == repository_id:
                return entry.prefixes or ("",)
        return ()

    def holds(self, repository_id: int, paths: Sequence[str]) -> bool:
        """Whether an item of the repository linked to `paths` lies in scope (no link: only a whole repository)."""
        prefixes = self.prefixes(repository_id)
        if not prefixes:
            return False
        if not paths:
            return "" in prefixes
        return any(path_in_prefixes(path, prefixes) for path in paths)

    def hours_per_unit(self, repository_id: int) -> float:
        conversion = self.conversions.get(repository_id)
        return conversion.hours_per_unit if conversion else 1.0

    def effort_unit(self, repository_id: int) -> str:
        conversion = self.conversions.get(repository_id)
        return conversion.effort_unit if conversion else "hours"


def event_scope(event: Refactorathon) -> EventScope:
    """The event's scope, loaded (two queries)."""
    rows = list(RefactorathonScope.objects.filter(event=event).order_by("repository__name")
                .values_list("repository_id", "repository__name", "prefixes"))
    conversions = effort_conversions(repository_ids=[row[0] for row in rows])
    entries = tuple(ScopeEntry(repository_id=pk, repository_name=name, prefixes=tuple(prefixes or ()))
                    for pk, name, prefixes in rows)
    return EventScope(entries=entries, conversions=conversions)


def scope_items(scope: EventScope, *, statuses: Sequence[str] = ACTIVE_STATUSES) -> list[PlanningItem]:
    """Register items of the given statuses in scope, best priority first (two queries, whatever the scope)."""
    found = debt_item_planning_list(repository_ids=[entry.repository_id for entry in scope.entries],
                                    statuses=statuses)
    return sorted((item for item in found if scope.holds(item.repository_id, item.paths)),
                  key=lambda item: (-item.priority, item.item_id))


def open_item_paths(scope: EventScope) -> set[tuple[int, str]]:
    """(repository id, path) of every open register item in scope: hotspots there already have an item."""
    return {(item.repository_id, path) for item in scope_items(scope, statuses=sorted(OPEN_STATUSES))
            for path in item.paths}


def identities(user: Any) -> tuple[str, ...]:
    """The git author names and e-mails that stand for a user: e-mail (lower case), full name, username."""
    found = [str(user.email).strip().lower() if user.email else "", user.get_full_name().strip(),
             user.get_username()]
    return tuple(dict.fromkeys(value for value in found if value))


def scopes_actor(actor: Any) -> Any:
    """The actor as stored on register and scan rows (None for the system and anonymous users)."""
    return actor if getattr(actor, "is_authenticated", False) else None
