"""`debtboard sprint status|alerts|generate`: a team's sprint figures, the alert run, sprint generation."""
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.command_options import command_moment
from debtboard.commands import DebtboardCommand
from sprints.data import SprintFigures
from sprints.selectors.sprint_figures import sprint_figures
from sprints.selectors.teams import team_get
from sprints.services.alerts import sprint_alerts_run
from sprints.services.cadence import sprint_generate


def _sprint_choice(value: str) -> int | None:
    if value == "current":
        return None
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"--sprint is 'current' or a sprint number, not {value!r}.") from None


def status_lines(figures: SprintFigures) -> list[str]:
    """The status table of a sprint: budget, committed, done, unplanned, left, then the burn-down."""
    sprint, budget = figures.sprint, figures.budget
    carry = f" (incl. {budget.carry_in_hours:g} h carried over)" if budget.carry_in_hours else ""
    lines = [
        f"{figures.team_name} — {sprint.label}: {sprint.start:%Y-%m-%d} to {sprint.end:%Y-%m-%d}"
        f"{' (skipped)' if sprint.skipped else ''}",
        f"  budget      {budget.total_hours:>8.2f} h{carry}",
        f"  committed   {figures.committed_hours:>8.2f} h" + ("  OVER-COMMITTED" if figures.over_committed else ""),
        f"  done        {figures.done_hours:>8.2f} h",
        f"  unplanned   {figures.unplanned_hours:>8.2f} h",
        f"  left        {figures.left_hours:>8.2f} h",
    ]
    lines += [f"  ({c.repository_name}: 1 {c.effort_unit[:-1]} = {c.hours_per_unit:g} h)"
              for c in figures.conversions if c.is_converted]
    lines += ["", "  day          ideal   remaining"]
    for index, point in enumerate(figures.burndown):
        day = "start" if index == 0 else f"{point.day:%Y-%m-%d}"
        remaining = "" if point.remaining_hours is None else f"{point.remaining_hours:.2f}"
        lines.append(f"  {day:<10} {point.ideal_hours:>8.2f} {remaining:>11}")
    lines += [f"  ALERT {alert.label}: {alert.message}" for alert in figures.alerts]
    return lines


class Command(DebtboardCommand):
    help = "Teams' sprints: status of a sprint, the alert run (for cron), generating sprints ahead."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        status = actions.add_parser("status", help="Print a sprint's budget, committed, done and burn-down.")
        status.add_argument("team", help="Team slug.")
        status.add_argument("--sprint", default="current", help="'current' (default) or a sprint number.")
        status.add_argument("--format", choices=("table", "json"), default="table")
        alerts = actions.add_parser("alerts", help="Close ended sprints and e-mail due alerts (idempotent).")
        alerts.add_argument("--now", help="Run as of this ISO 8601 moment (default: now).")
        alerts.add_argument("--team", help="Only this team (slug).")
        generate = actions.add_parser("generate", help="Generate a team's sprints up to the configured number ahead.")
        generate.add_argument("team", help="Team slug.")

    def run(self, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _status(self, **options: Any) -> None:
        figures = sprint_figures(slug=options["team"], user=None, number=_sprint_choice(options["sprint"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures.as_json(), indent=2))
        else:
            self.stdout.write("\n".join(status_lines(figures)))

    def _alerts(self, **options: Any) -> None:
        result = sprint_alerts_run(now=command_moment(options.get("now")), team_slug=options.get("team"))
        for slug, number in result.closed:
            self.stdout.write(f"closed {slug} sprint {number}")
        for alert in result.sent:
            outcome = f"FAILED ({alert.error})" if alert.error else f"sent to {len(alert.recipients)}"
            self.stdout.write(f"{alert.team_slug} sprint {alert.sprint_number}: {alert.kind} {outcome}")
        failed = sum(1 for alert in result.sent if alert.error)
        self.stdout.write(f"{len(result.closed)} sprints closed, {len(result.sent) - failed} alerts sent, "
                          f"{failed} failed")

    def _generate(self, **options: Any) -> None:
        result = sprint_generate(team=team_get(slug=options["team"], user=None), actor=None)
        created = ", ".join(map(str, result.created)) or "none"
        self.stdout.write(f"created sprints: {created}; current sprint: {result.current or 'none'}")
