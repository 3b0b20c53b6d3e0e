"""Exports of a refactorathon: its saved plan as CSV, the event as an iCalendar file, the report as CSV."""
import csv
import io
from datetime import timedelta
from typing import Any

from icalendar import Calendar, Event

from sprints.data import RefactorathonReport
from sprints.errors import RefactorathonStatusConflict
from sprints.selectors.refactorathons import refactorathon_info, refactorathon_plan_get

PLAN_COLUMNS = ("item_id", "title", "value", "effort_hours", "assignee", "partner", "why", "explanation")
REPORT_COLUMNS = ("repository_id", "path", "complexity_before", "complexity_after", "complexity_change",
                  "violations_change", "markers_change", "cleanup_markers_change", "health_change",
                  "hotspot_score_change")


def _rows_csv(columns: tuple[str, ...], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def refactorathon_plan_csv(*, slug: str, user: Any) -> str:
    """The saved plan's chosen items as CSV (one row per item, columns PLAN_COLUMNS)."""
    plan = refactorathon_plan_get(slug=slug, user=user)
    if plan is None:
        raise RefactorathonStatusConflict(f"{slug} has no plan yet; plan it first.", extra={"refactorathon": slug})
    return _rows_csv(PLAN_COLUMNS, [[line.item_id, line.title, line.value, line.effort_hours, line.assignee,
                                     line.partner or "", line.why, line.explanation] for line in plan.chosen])


def refactorathon_report_csv(report: RefactorathonReport) -> str:
    """A report's per-file deltas as CSV (columns REPORT_COLUMNS)."""
    return _rows_csv(REPORT_COLUMNS, [
        [d.repository_id, d.path, d.before.complexity if d.before else "", d.after.complexity if d.after else "",
         d.complexity_change, d.violations_change, d.markers_change, d.cleanup_markers_change,
         "" if d.health_change is None else d.health_change,
         "" if d.hotspot_score_change is None else d.hotspot_score_change]
        for d in report.files])


def refactorathon_ical(*, slug: str, user: Any, domain: str = "debtboard") -> bytes:
    """The event as an RFC 5545 calendar: one all-day VEVENT from the first to the last day, plan in the notes."""
    info = refactorathon_info(slug=slug, user=user)
    plan = refactorathon_plan_get(slug=slug, user=user)
    calendar = Calendar()
    calendar.add("prodid", "-//debtboard//refactorathons//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"refactorathon-{info.slug}@{domain}")
    event.add("summary", f"Refactorathon: {info.name}")
    event.add("dtstart", info.start)
    event.add("dtend", info.end + timedelta(days=1))  # all-day events end on the day after (exclusive)
    lines = [f"{p.username}: {p.hours:g} h" for p in info.participants]
    if plan is not None:
        lines += [f"#{line.item_id} {line.title} -> {line.assignee}" for line in plan.chosen]
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical()
