"""The Boy Scout record: who left the code cleaner, from the change checks CI posted."""
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils import timezone

from metrics.core.mailmap import Mailmap, read_mailmap
from metrics.data import BoyScoutAuthor, BoyScoutRecord, BoyScoutTally, BoyScoutWeek
from metrics.errors import RepositoryInvalid
from metrics.models import ChangeCheck, Repository

BOY_SCOUT_DAYS: tuple[int, ...] = (30, 90, 365)
DEFAULT_BOY_SCOUT_DAYS = 90
_OUTCOME = {ChangeCheck.Status.CLEANER: "cleaner", ChangeCheck.Status.PASS: "same", ChangeCheck.Status.FAIL: "worse"}


def boy_scout_days(value: Any) -> int:
    """A period of the record: 30, 90 or 365 days (missing: 90); anything else is RepositoryInvalid."""
    if value in (None, ""):
        return DEFAULT_BOY_SCOUT_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days not in BOY_SCOUT_DAYS:
        raise RepositoryInvalid(f"days must be one of {', '.join(map(str, BOY_SCOUT_DAYS))}.",
                                code="boy_scout.invalid_days", extra={"days": str(value)[:20]})
    return days


class _Tally:
    """A mutable tally while checks are counted; frozen into BoyScoutTally at the end."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, status: str, file_changes: list[dict[str, Any]]) -> None:
        self.counts["checks"] += 1
        self.counts[_OUTCOME.get(status, "same")] += 1
        for change in file_changes:
            self.counts["complexity_removed"] -= int(change.get("complexity") or 0)
            self.counts["violations_fixed"] -= int(change.get("violations") or 0)
            self.counts["markers_removed"] -= int(change.get("markers") or 0)

    def frozen(self) -> BoyScoutTally:
        return BoyScoutTally(**self.counts)


def _mailmaps(repositories: Iterable[Repository]) -> dict[int, Mailmap]:
    """Each repository's .mailmap at its default revision (read from git, once per repository)."""
    return {r.pk: read_mailmap(r.path, r.default_revision or "HEAD") for r in repositories}


def _usernames(emails: set[str]) -> dict[str, str]:
    """Usernames of the active users with these e-mails (one query, case-insensitive)."""
    if not emails:
        return {}
    users = (get_user_model().objects.annotate(email_lower=Lower("email"))
             .filter(is_active=True, email_lower__in=emails).order_by("pk"))
    found: dict[str, str] = {}
    for user in users:
        found.setdefault(user.email.lower(), user.get_username())
    return found


def _week_of(moment: datetime) -> Any:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def _leaderboard(authors: dict[str, _Tally], names: dict[str, str]) -> tuple[BoyScoutAuthor, ...]:
    """Authors, most changes left cleaner first (then most complexity removed, fewest made worse)."""
    usernames = _usernames({key for key in authors if "@" in key})
    board = [BoyScoutAuthor(name=names[key], email=key if "@" in key else "", username=usernames.get(key, ""),
                            tally=tally.frozen()) for key, tally in authors.items()]
    board.sort(key=lambda a: (-a.tally.cleaner, -a.tally.complexity_removed, a.tally.worse, a.name.lower()))
    return tuple(board)


def boy_scout_record(*, repositories: Iterable[Repository], days: int = DEFAULT_BOY_SCOUT_DAYS,
                     now: datetime | None = None) -> BoyScoutRecord:
    """The record of the given repositories' change checks over the last `days` days (three queries)."""
    repositories = list(repositories)
    since = (now or timezone.now()) - timedelta(days=days)
    rows = (ChangeCheck.objects.filter(repository__in=[r.pk for r in repositories], created_at__gte=since)
            .order_by("created_at", "id")
            .values_list("repository_id", "status", "author_name", "author_email", "file_changes", "created_at"))
    mailmaps = _mailmaps(repositories)
    total, authors, weeks = _Tally(), defaultdict(_Tally), defaultdict(_Tally)
    names: dict[str, str] = {}
    for repository_id, status, name, email, file_changes, created_at in rows:
        name, email = mailmaps[repository_id].apply(name, email)
        key = email.strip().lower() or name
        names.setdefault(key, name)
        for tally in (total, authors[key], weeks[_week_of(created_at)]):
            tally.add(status, file_changes or [])
    return BoyScoutRecord(
        days=days, repositories=tuple(sorted(r.name for r in repositories)), total=total.frozen(),
        authors=_leaderboard(authors, names),
        weeks=tuple(BoyScoutWeek(week=week, tally=tally.frozen()) for week, tally in sorted(weeks.items())),
    )
