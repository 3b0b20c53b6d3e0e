"""The alert run (cron-friendly, idempotent): close ended sprints, then e-mail each due alert once and record it.

Alerts, each at most once per sprint (a unique constraint on sprint and kind):
- over-committed: spent + committed exceed the budget by more than the team's tolerance (current sprint);
- nothing done halfway: half the current sprint is gone and none of its budget is spent;
- under-spent: the latest ended sprint spent less than the team's share of its budget ("eaten by feature work");
- under-spent streak: that sprint and the two non-skipped sprints before it were all under-spent.
Skipped sprints and sprints without budget raise no alert. Ended sprints closed late (the run did not run for
a while) are closed silently except the latest one.
"""
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from sprints.choices import UNDERSPENT_STREAK_LENGTH, AlertKind
from sprints.data import AlertRunResult, SentAlert
from sprints.ledger import LedgerRow, TeamScope, build_ledger, hours2, local_today, scheduled_items, sprint_window
from sprints.models import Sprint, SprintAlert, SprintItem, Team, TeamMember
from sprints.selectors.sprint_figures import sprint_state
from sprints.services.snapshots import sprint_snapshot_record


@dataclass(frozen=True)
class DueAlert:
    """An alert the rules say is due: its sprint, kind and message."""

    sprint: Sprint
    kind: str
    message: str


def _recipients(team: Team) -> tuple[str, ...]:
    emails = TeamMember.objects.filter(team=team).exclude(user__email="").values_list("user__email", flat=True)
    return tuple(sorted(set(emails)))


def _send(team: Team, due: DueAlert, now: datetime) -> SentAlert | None:
    """Record and e-mail one alert; None when it was sent before. A mail failure records nothing (retried)."""
    if SprintAlert.objects.filter(sprint=due.sprint, kind=due.kind).exists():
        return None
    recipients = _recipients(team)
    subject = f"[debtboard] {team.name} {due.sprint.label}: {AlertKind(due.kind).label}"
    try:
        with transaction.atomic():
            SprintAlert.objects.create(team=team, sprint=due.sprint, kind=due.kind, sent_at=now,
                                       recipients=list(recipients), message=due.message)
            if recipients:
                send_mail(subject, due.message, None, list(recipients))
    except IntegrityError:
        return None  # another run sent it meanwhile
    except OSError as error:  # smtplib.SMTPException is an OSError
        return SentAlert(team_slug=team.slug, sprint_number=due.sprint.number, kind=due.kind,
                         recipients=recipients, error=str(error)[:200])
    return SentAlert(team_slug=team.slug, sprint_number=due.sprint.number, kind=due.kind, recipients=recipients)


def _underspent(team: Team, row: LedgerRow) -> bool:
    if row.sprint.skipped or hours2(row.total) <= 0:
        return False
    return hours2(row.spent) < hours2(row.total * team.underspend_share_percent / 100)


def _current_alerts(team: Team, sprint: Sprint, now: datetime) -> list[DueAlert]:
    state = sprint_state(team=team, sprint=sprint)
    total, spent, committed = state.row.total, state.row.spent, state.committed_hours
    due = []
    if hours2(spent + committed) > hours2(total * (1 + team.overcommit_tolerance_percent / 100)):
        due.append(DueAlert(sprint, AlertKind.OVERCOMMITTED, (
            f"{team.name} {sprint.label} is over-committed: {hours2(spent + committed):g} h committed or spent "
            f"against a debt budget of {hours2(total):g} h (tolerance {team.overcommit_tolerance_percent:g} %).")))
    start, end = sprint_window(sprint)
    if hours2(total) > 0 and hours2(spent) == 0 and now >= start + (end - start) / 2:
        due.append(DueAlert(sprint, AlertKind.NOTHING_DONE_HALFWAY, (
            f"Half of {team.name} {sprint.label} is gone and none of its {hours2(total):g} h debt budget is spent "
            f"({hours2(committed):g} h committed).")))
    return due


def _ended_alerts(team: Team, rows: list[LedgerRow]) -> list[DueAlert]:
    budgeted = [row for row in rows if not row.sprint.skipped]
    if not budgeted or not _underspent(team, budgeted[-1]):
        return []
    row = budgeted[-1]
    share = 100 * row.spent / row.total
    due = [DueAlert(row.sprint, AlertKind.UNDERSPENT, (
        f"{team.name} {row.sprint.label} closed with {hours2(row.spent):g} h of its {hours2(row.total):g} h debt "
        f"budget spent ({share:.0f} %, below {team.underspend_share_percent:g} %): the budget was eaten by "
        "feature work."))]
    streak = budgeted[-UNDERSPENT_STREAK_LENGTH:]
    if len(streak) == UNDERSPENT_STREAK_LENGTH and all(_underspent(team, r) for r in streak):
        labels = ", ".join(r.sprint.label for r in streak)
        due.append(DueAlert(row.sprint, AlertKind.UNDERSPENT_STREAK, (
            f"{team.name}: {UNDERSPENT_STREAK_LENGTH} sprints in a row ({labels}) spent less than "
            f"{team.underspend_share_percent:g} % of their debt budget.")))
    return due


def sprint_close(*, sprint: Sprint, now: datetime | None = None, scope: TeamScope | None = None) -> Sprint:
    """Close an ended sprint: record its final snapshot and free its items for later sprints (idempotent)."""
    now = now or timezone.now()
    if sprint.closed_at is None:
        with transaction.atomic():
            sprint_snapshot_record(sprint=sprint, final=True, now=now, scope=scope)
            SprintItem.objects.filter(sprint=sprint, open=True).update(open=False)
            sprint.closed_at = now
            sprint.save(update_fields=["closed_at"])
    return sprint


def _team_run(team: Team, now: datetime) -> tuple[list[tuple[str, int]], list[DueAlert]]:
    today = local_today(now)
    scope = TeamScope(team)
    closed = []
    for sprint in Sprint.objects.filter(team=team, end__lt=today, closed_at=None).order_by("start"):
        sprint_close(sprint=sprint, now=now, scope=scope)
        closed.append((team.slug, sprint.number))
    ended = list(Sprint.objects.filter(team=team, end__lt=today).order_by("start", "number"))
    due = _ended_alerts(team, build_ledger(scope, ended, scheduled_items(ended))) if ended else []
    current = Sprint.objects.filter(team=team, start__lte=today, end__gte=today, skipped=False).first()
    if current is not None:
        due += _current_alerts(team, current, now)
    return closed, due


def sprint_alerts_run(*, now: datetime | None = None, team_slug: str | None = None) -> AlertRunResult:
    """Close the sprints that ended and send the alerts that are due, for every team (or one); idempotent.

    `now` is injectable (tests, catching up); run it from cron, e.g. hourly: `debtboard sprint alerts`.
    """
    now = now or timezone.now()
    teams = Team.objects.order_by("slug")
    if team_slug is not None:
        teams = teams.filter(slug=team_slug)
    closed: list[tuple[str, int]] = []
    sent: list[SentAlert] = []
    for team in teams:
        team_closed, due = _team_run(team, now)
        closed += team_closed
        sent += [result for result in (_send(team, alert, now) for alert in due) if result is not None]
    return AlertRunResult(closed=tuple(closed), sent=tuple(sent))
