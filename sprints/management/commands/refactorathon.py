"""`debtboard refactorathon plan|report NAME`: plan an event (table or JSON), print its report (table, JSON, CSV);
`debtboard refactorathon regress [NAME]`: run the regression scans that are due (cron-friendly, idempotent)."""
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.command_options import command_moment
from debtboard.commands import DebtboardCommand
from sprints.data import RefactorathonPlan, RefactorathonReport, RegressionScanned
from sprints.selectors.refactorathon_exports import refactorathon_report_csv
from sprints.selectors.refactorathon_report import refactorathon_report
from sprints.selectors.refactorathons import refactorathon_get
from sprints.services.refactorathon_plans import refactorathon_plan
from sprints.services.refactorathon_scans import ENDED, refactorathon_regression_scan, refactorathon_regressions_due


def plan_lines(plan: RefactorathonPlan) -> list[str]:
    """The plan as a table: status, value against greedy, chosen items with assignees, then loads."""
    lines = [f"plan v{plan.version}: {plan.status} — {plan.reason}",
             f"value {plan.total_value:g} (greedy {plan.greedy_value:g}), effort {plan.total_effort_hours:g} h "
             f"of {plan.capacity_hours:g} h", "", "  item   hours  value  assignee  title"]
    lines += [f"  #{c.item_id:<5} {c.effort_hours:>5g} {c.value:>6g}  {c.assignee:<8}  {c.title}" for c in plan.chosen]
    lines += ["", "  left out:"] + [f"  #{o.item_id:<5} {o.reason}: {o.explanation}" for o in plan.left_out[:20]]
    lines += ["", "  loads:"] + [f"  {load.username:<10} {load.hours:g} / {load.capacity_hours:g} h"
                                 for load in plan.loads]
    return lines


def report_lines(report: RefactorathonReport) -> list[str]:
    """The report as a table: totals, items, goals, contributions, per-file deltas, regressions."""
    t = report.totals
    frozen = " [frozen]" if report.frozen else ""
    lines = [f"{report.name} ({report.status}) {report.start} to {report.end}{frozen}",
             f"complexity removed {t.complexity_removed}, violations fixed {t.violations_fixed}, markers removed "
             f"{t.markers_removed} (FIXME/HACK {t.cleanup_markers_removed}), health gained {t.health_gained:g}, "
             f"hotspots cooled {t.hotspots_cooled}",
             f"items done {report.items_done} of {report.items_planned} planned"]
    lines += [f"goal {g.label} {g.path} target {g.target:g}: start {g.at_start}, now {g.now} -> "
              f"{'met' if g.met else 'not met'}" for g in report.goals]
    lines += [f"{c.username}: {c.items_done}/{c.items_planned} items, {c.commits_in_scope} commits"
              for c in report.contributions]
    lines += ["", "  path  complexity  violations  markers  health  hotspot"]
    lines += [f"  {d.path}  {d.complexity_change:+d}  {d.violations_change:+d}  {d.markers_change:+d}  "
              f"{d.health_change if d.health_change is not None else '-'}  "
              f"{d.hotspot_score_change if d.hotspot_score_change is not None else '-'}" for d in report.files]
    lines += [f"REGRESSION after {r.weeks} weeks: {r.path} complexity {r.complexity_at_end} -> {r.complexity_later}"
              for r in report.regression.worse]
    return lines


def regression_lines(done: list[RegressionScanned]) -> list[str]:
    """One line per regression point handled: event, weeks after its end, repository, what happened."""
    if not done:
        return ["no regression scan due"]
    return [f"{d.event} +{d.weeks} weeks {d.repository}: {d.outcome}" + (f" (scan {d.scan_id})" if d.scan_id else "")
            for d in done]


class Command(DebtboardCommand):
    help = ("Refactorathons: plan one (runs the planner and saves the plan), print its before/after report, or "
            "run the regression scans due 4 and 8 weeks after the end.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        plan = actions.add_parser("plan", help="Run the planner over the event's candidates and save the plan.")
        plan.add_argument("name", help="The event's slug.")
        plan.add_argument("--format", choices=("table", "json"), default="table")
        report = actions.add_parser("report", help="Print the event's before/after report.")
        report.add_argument("name", help="The event's slug.")
        report.add_argument("--format", choices=("table", "json", "csv"), default="table")
        regress = actions.add_parser("regress", help="Scan the repositories of finished events 4 and 8 weeks after "
                                                     "their end, for the points past and not yet scanned.")
        regress.add_argument("name", nargs="?", help="Only this event (default: every finished or reviewed event).")
        regress.add_argument("--now", help="Run as of this ISO 8601 moment (default: now).")

    def run(self, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _plan(self, **options: Any) -> None:
        event = refactorathon_get(slug=options["name"], user=None)
        plan = refactorathon_plan(event=event, actor=None)
        if options["format"] == "json":
            self.stdout.write(json.dumps(plan.as_json(), indent=2))
        else:
            self.stdout.write("\n".join(plan_lines(plan)))

    def _report(self, **options: Any) -> None:
        report = refactorathon_report(slug=options["name"], user=None)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), indent=2))
        elif options["format"] == "csv":
            self.stdout.write(refactorathon_report_csv(report), ending="")
        else:
            self.stdout.write("\n".join(report_lines(report)))

    def _regress(self, **options: Any) -> None:
        now = command_moment(options.get("now"))
        if not options.get("name"):
            self.stdout.write("\n".join(regression_lines(refactorathon_regressions_due(now=now))))
            return
        event = refactorathon_get(slug=options["name"], user=None)
        if event.status not in ENDED:
            raise CommandError(f"{event.name} is {event.status}: only a finished event has regression scans.")
        done = refactorathon_regression_scan(event=event, actor=None, now=now)
        self.stdout.write("\n".join(regression_lines(done)))
