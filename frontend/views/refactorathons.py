"""Refactorathon pages: the list (and create form), the planning page, the event page, the report, the exports.

Every read goes through a sprints selector and every write through one sprints service; the services decide
who may do what (sprints/event_scope.py). An event the user may not see is a 404, a change they may not make a
403, any other refusal (a stale plan version, a bad date, an event in the wrong status) re-renders the page
with the service's message and its status code.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from debt.selectors.history import debt_item_facts
from debtboard.errors import DebtboardError, Forbidden, NotFound
from frontend import forms as f
from frontend.forms import apply_service_error
from metrics.selectors.repositories import repository_list
from sprints.choices import RefactorathonStatus
from sprints.data import CandidateLine, RefactorathonInfo, RefactorathonPlan, RefactorathonReport
from sprints.selectors.refactorathon_exports import refactorathon_ical, refactorathon_plan_csv
from sprints.selectors.refactorathon_report import refactorathon_report
from sprints.selectors.refactorathons import (
    refactorathon_can_change,
    refactorathon_candidates,
    refactorathon_get,
    refactorathon_info,
    refactorathon_list,
    refactorathon_plan_get,
)
from sprints.selectors.teams import team_get, team_list
from sprints.services.refactorathon_plans import refactorathon_item_assign, refactorathon_plan
from sprints.services.refactorathon_moves import refactorathon_move
from sprints.services.refactorathons import (
    refactorathon_create,
    refactorathon_delete,
    refactorathon_goal_add,
    refactorathon_goal_remove,
    refactorathon_hotspot_adopt,
    refactorathon_item_choose,
    refactorathon_participant_add,
    refactorathon_participant_remove,
    refactorathon_participant_update,
)

CANDIDATES_SHOWN = 100  # the planning page lists the best 100 matching candidates; filters narrow the rest
CHART_FILES = 20  # the report's before/after chart: the files with the largest complexity change


def _raise_http(error: DebtboardError) -> None:
    """A hidden or missing event is a 404, a refused change a 403; other errors are the caller's."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message)


def _repositories() -> list[tuple[int, str]]:
    return [(r.pk, r.name) for r in repository_list()]


# The list -------------------------------------------------------------------------------------------------------


def _create_form(request: HttpRequest) -> f.RefactorathonCreateForm:
    teams = [(team.slug, team.name) for team in team_list(user=request.user)]
    return f.RefactorathonCreateForm(request.POST or None, repositories=_repositories(), teams=teams)


def _create(request: HttpRequest, form: f.RefactorathonCreateForm) -> Any:
    slug = form.cleaned_data["team"]
    team = team_get(slug=slug, user=request.user) if slug else None
    return refactorathon_create(actor=request.user, team=team, **form.service_fields())


@login_required
def refactorathons(request: HttpRequest) -> HttpResponse:
    """List the events the user may see; any signed-in user may create one (and may then change it)."""
    form = _create_form(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            event = _create(request, form)
        except DebtboardError as error:
            apply_service_error(form, error)
            status = error.http_status
        else:
            messages.success(request, f"Created {event.name}. Add participants and goals, then plan it.")
            return redirect("frontend:refactorathon", slug=event.slug)
    elif request.method == "POST":
        status = 400
    return render(request, "frontend/refactorathons.html",
                  {"events": refactorathon_list(user=request.user), "form": form}, status=status)


# The planning page ----------------------------------------------------------------------------------------------


def _matches(line: CandidateLine, repository: int | None, path: str, least: float | None) -> bool:
    if repository is not None and line.repository_id != repository:
        return False
    if path and not any(p.startswith(path) for p in line.paths):
        return False
    return least is None or line.value >= least


def filter_candidates(lines: Sequence[CandidateLine], form: forms.Form) -> list[CandidateLine]:
    """The candidates matching the filter form (an invalid form filters nothing)."""
    data = form.cleaned_data if form.is_valid() else {}
    repository, path, least = data.get("repository"), (data.get("path") or "").strip(), data.get("min_value")
    return [line for line in lines if _matches(line, repository, path, least)]


def capacity_bars(info: RefactorathonInfo, plan: RefactorathonPlan | None) -> list[dict[str, Any]]:
    """One bar per participant: their hours, the planned hours, and the planned share (percent, at most 100)."""
    loads = {load.username: load.hours for load in plan.loads} if plan else {}
    bars = []
    for person in info.participants:
        planned = round(loads.get(person.username, 0.0), 2)
        share = round(min(100.0, 100 * planned / person.hours), 1) if person.hours else 0.0
        bars.append({"participant": person, "planned": planned, "percent": share,
                     "over": planned > person.hours + 1e-9})
    return bars


def _planning_forms(info: RefactorathonInfo) -> dict[str, forms.Form]:
    return {
        "participant_add": f.ParticipantAddForm(), "goal_add": f.GoalAddForm(),
        "plan": f.PlanRunForm(initial={"expected_version": info.plan_version}),
    }


def _planning_page(request: HttpRequest, slug: str, *, bound: dict[str, forms.Form] | None = None,
                   problem: str = "", status: int = 200) -> HttpResponse:
    try:
        info = refactorathon_info(slug=slug, user=request.user)
        candidates = refactorathon_candidates(slug=slug, user=request.user)
        plan = refactorathon_plan_get(slug=slug, user=request.user)
        editable = refactorathon_can_change(slug=slug, user=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    repositories = [(entry.repository_id, entry.repository_name) for entry in info.scope]
    filters = f.CandidateFilterForm(request.GET or None, repositories=repositories)
    shown = filter_candidates(candidates.items, filters)
    context = {
        "info": info, "plan": plan, "filters": filters, "candidates": shown[:CANDIDATES_SHOWN],
        "candidates_total": len(candidates.items), "candidates_matching": len(shown),
        "hotspots": candidates.hotspots, "bars": capacity_bars(info, plan), "problem": problem,
        "editable": editable and info.status in (RefactorathonStatus.DRAFT, RefactorathonStatus.PLANNED),
        "can_change": editable, "names": dict(repositories),
        "forms": {**_planning_forms(info), **(bound or {})},
    }
    return render(request, "frontend/refactorathon_plan.html", context, status=status)


@login_required
def refactorathon(request: HttpRequest, slug: str) -> HttpResponse:
    """The planning page: candidates with filters, the plan with its explanations, people, goals, exports."""
    return _planning_page(request, slug)


@dataclass(frozen=True)
class EventWrite:
    """One change of an event from the planning or event page: the form, the service call, the message."""

    form: Callable[..., forms.Form]
    call: Callable[[Any, Any, dict[str, Any]], Any]
    done: str
    anchor: str


def _move(event: Any, user: Any, data: dict[str, Any]) -> Any:
    return refactorathon_move(event=event, actor=user, to_status=data["to_status"])


def _fields(form: forms.Form) -> dict[str, Any]:
    return form.service_fields() if hasattr(form, "service_fields") else dict(form.cleaned_data)


EVENT_WRITES: dict[str, EventWrite] = {
    "participant-add": EventWrite(
        f.ParticipantAddForm, lambda e, u, d: refactorathon_participant_add(event=e, actor=u, **d),
        "Participant added.", "people"),
    "participant-hours": EventWrite(
        f.ParticipantHoursForm, lambda e, u, d: refactorathon_participant_update(event=e, actor=u, **d),
        "Hours saved.", "people"),
    "participant-remove": EventWrite(
        f.ParticipantRemoveForm, lambda e, u, d: refactorathon_participant_remove(event=e, actor=u, **d),
        "Participant removed.", "people"),
    "goal-add": EventWrite(f.GoalAddForm, lambda e, u, d: refactorathon_goal_add(event=e, actor=u, **d),
                           "Goal added.", "goals"),
    "goal-remove": EventWrite(f.GoalRemoveForm, lambda e, u, d: refactorathon_goal_remove(event=e, actor=u, **d),
                              "Goal removed.", "goals"),
    "choose": EventWrite(f.ItemChoiceForm, lambda e, u, d: refactorathon_item_choose(event=e, actor=u, **d),
                         "Saved: plan again to apply it.", "candidates"),
    "plan": EventWrite(f.PlanRunForm, lambda e, u, d: refactorathon_plan(event=e, actor=u, **d),
                       "Planned.", "plan"),
    "assign": EventWrite(f.AssignForm, lambda e, u, d: refactorathon_item_assign(event=e, actor=u, **d),
                         "Assignee changed.", "plan"),
    "adopt": EventWrite(f.HotspotAdoptForm, lambda e, u, d: refactorathon_hotspot_adopt(event=e, actor=u, **d),
                        "The hotspot is now a register item and a candidate.", "candidates"),
    "move": EventWrite(f.EventMoveForm, _move, "Status changed.", "status"),
}


def _write_target(what: str, event: Any) -> str:
    page = "frontend:refactorathon-event" if what == "move" and event.status not in (
        RefactorathonStatus.DRAFT, RefactorathonStatus.PLANNED) else "frontend:refactorathon"
    return reverse(page, args=[event.slug]) + f"#{EVENT_WRITES[what].anchor}"


@require_POST
@login_required
def refactorathon_edit(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    """Change an event (people, goals, pins, plan, assignees, hotspots, status) through one sprints service."""
    write = EVENT_WRITES.get(what)
    if write is None:
        raise Http404(f"No refactorathon change {what!r}.")
    try:
        event = refactorathon_get(slug=slug, user=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    form = write.form(request.POST)
    if not form.is_valid():
        return _planning_page(request, slug, bound={what.replace("-", "_"): form}, status=400,
                              problem=" ".join(e for errors in form.errors.values() for e in errors))
    try:
        write.call(event, request.user, _fields(form))
    except DebtboardError as error:
        _raise_http(error)
        apply_service_error(form, error)
        return _planning_page(request, slug, bound={what.replace("-", "_"): form}, problem=error.message,
                              status=error.http_status)
    messages.success(request, write.done)
    return redirect(_write_target(what, event))


@require_POST
@login_required
def refactorathon_remove(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete an event (its organisers, participants and staff); the register's items stay."""
    try:
        refactorathon_delete(event=refactorathon_get(slug=slug, user=request.user), actor=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    messages.success(request, "Refactorathon deleted.")
    return redirect("frontend:refactorathons")


# The event page -------------------------------------------------------------------------------------------------


def progress_lines(plan: RefactorathonPlan | None) -> list[dict[str, Any]]:
    """The plan's items with their register status now (one query pair for all)."""
    if plan is None:
        return []
    facts = debt_item_facts(item_ids=[line.item_id for line in plan.chosen])
    return [{"line": line, "status": facts[line.item_id].status if line.item_id in facts else "gone"}
            for line in plan.chosen]


@login_required
def refactorathon_event(request: HttpRequest, slug: str) -> HttpResponse:
    """The event while it runs: items done by whom, the code's figures since the start, goals now vs start."""
    try:
        info = refactorathon_info(slug=slug, user=request.user)
        plan = refactorathon_plan_get(slug=slug, user=request.user)
        report = refactorathon_report(slug=slug, user=request.user)
        editable = refactorathon_can_change(slug=slug, user=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    return render(request, "frontend/refactorathon_event.html", {
        "info": info, "plan": plan, "report": report, "lines": progress_lines(plan), "can_change": editable,
        "move_form": f.EventMoveForm(),
    })


# The report -----------------------------------------------------------------------------------------------------


def report_chart(report: RefactorathonReport) -> dict[str, Any]:
    """Before/after series for the files whose complexity changed most, and the totals as bars."""
    changed = sorted(report.files, key=lambda d: (-abs(d.complexity_change), d.path))[:CHART_FILES]
    totals = report.totals
    return {
        "files": [d.path for d in changed],
        "before": [d.before.complexity if d.before else 0 for d in changed],
        "after": [d.after.complexity if d.after else 0 for d in changed],
        "totals": {"labels": ["complexity removed", "violations fixed", "markers removed", "hotspots cooled"],
                   "values": [totals.complexity_removed, totals.violations_fixed, totals.markers_removed,
                              totals.hotspots_cooled]},
    }


def _moved(delta: Any) -> bool:
    if delta.before is None or delta.after is None:
        return True
    counts = (delta.complexity_change, delta.violations_change, delta.markers_change)
    return any(counts) or bool(delta.health_change) or bool(delta.hotspot_score_change)


def changed_files(report: RefactorathonReport) -> list[Any]:
    """The files whose figures moved (the others are only counted; the CSV export holds every file)."""
    return [delta for delta in report.files if _moved(delta)]


@login_required
def refactorathon_report_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The before/after report: per-file deltas, totals, items, goals, contributions, regression check, charts."""
    try:
        report = refactorathon_report(slug=slug, user=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    files = changed_files(report)
    return render(request, "frontend/refactorathon_report.html", {
        "report": report, "files": files, "unchanged": len(report.files) - len(files),
        "chart": report_chart(report),
        "worse": sorted({(line.repository_id, line.path) for line in report.regression.lines if line.worse}),
    })


# Exports --------------------------------------------------------------------------------------------------------


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def refactorathon_plan_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The saved plan as CSV."""
    try:
        content = refactorathon_plan_csv(slug=slug, user=request.user)
    except DebtboardError as error:
        _raise_http(error)
        messages.error(request, error.message)
        return redirect("frontend:refactorathon", slug=slug)
    return _download(content, "text/csv; charset=utf-8", f"{slug}-plan.csv")


@login_required
def refactorathon_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The event as an iCalendar file."""
    try:
        content = refactorathon_ical(slug=slug, user=request.user, domain=request.get_host().split(":")[0])
    except DebtboardError as error:
        _raise_http(error)
        raise
    return _download(content, "text/calendar; charset=utf-8", f"{slug}.ics")
