"""Teams and sprints pages: the teams list, a team's page and settings, a sprint's page, and scheduling items.

Every read goes through a sprints selector and every write through one sprints service; the services decide
who may do what. A team the user may not see is a 404, a change they may not make a 403, any other refusal
re-renders the page with the service's message on its form.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from debtboard.errors import DebtboardError, Forbidden, NotFound
from frontend import forms as f
from frontend.forms import apply_service_error
from metrics.selectors.repositories import repository_list
from sprints.data import SprintFigures, TeamDetail, TeamHistory
from sprints.selectors.alerts import alert_banners
from sprints.selectors.history import team_history
from sprints.selectors.scheduling import sprint_holding_item, sprint_schedule_options
from sprints.selectors.sprint_figures import sprint_figures
from sprints.selectors.teams import sprint_get, sprint_list, team_detail, team_get, team_list
from sprints.services.budgets import team_budget_set
from sprints.services.cadence import sprint_generate, sprint_update, team_cadence_set
from sprints.services.scheduling import sprint_item_schedule_bulk, sprint_item_unschedule
from sprints.services.sprint_fill import sprint_fill_confirm, sprint_fill_propose
from sprints.services.teams import (
    team_area_add,
    team_area_remove,
    team_create,
    team_delete,
    team_member_add,
    team_member_remove,
    team_member_update,
    team_update,
)

HISTORY_SPRINTS = 26  # the team page's chart: the last half year of two-week sprints
WARNINGS = {
    "item.outside_areas": "#{item} is outside {team}'s areas.",
    "sprint.over_committed": "{sprint} is now over-committed: {committed:g} h committed against a {budget:g} h budget.",
}
SCHEDULABLE_STATUSES = ("accepted", "planned", "in_progress")


def _raise_http(error: DebtboardError) -> None:
    """A hidden or missing team or sprint is a 404, a refused change a 403; other errors are the caller's."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


# Teams list ---------------------------------------------------------------------------------------------------


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    """List the teams the user may see; any signed-in user may create a team (and becomes its lead)."""
    form = f.TeamCreateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(actor=request.user, **form.cleaned_data)
        except DebtboardError as error:
            apply_service_error(form, error)
            status = error.http_status
        else:
            messages.success(request, f"Created {team.name}. Add members and areas, then generate its sprints.")
            return redirect("frontend:team", slug=team.slug)
    elif request.method == "POST":
        status = 400
    return render(request, "frontend/teams.html", {"teams": team_list(user=request.user), "form": form},
                  status=status)


# Team page ----------------------------------------------------------------------------------------------------


def _team_forms(detail: TeamDetail, repositories: list[tuple[int, str]]) -> dict[str, forms.Form]:
    return {
        "settings": f.TeamSettingsForm(initial={
            "name": detail.name, "is_private": detail.is_private,
            "overcommit_tolerance_percent": detail.overcommit_tolerance_percent,
            "underspend_share_percent": detail.underspend_share_percent}),
        "budget": f.BudgetForm(initial={
            "mode": detail.budget_mode, "share_percent": detail.share_percent, "fixed_hours": detail.fixed_hours,
            "carry_over": detail.carry_over, "carry_cap_hours": detail.carry_cap_hours}),
        "cadence": f.CadenceForm(initial={"length_weeks": detail.length_weeks, "sprints_ahead": detail.sprints_ahead}),
        "member-add": f.MemberAddForm(),
        "area-add": f.AreaAddForm(repositories=repositories),
    }


def _snapshot_series(history: TeamHistory, field: str) -> list[float | None]:
    return [getattr(row.snapshot, field) if row.snapshot else None for row in history.rows]


def history_chart(history: TeamHistory) -> dict[str, list]:
    """The team history as chart series: one entry per sprint, oldest first."""
    rows = history.rows
    return {
        "x": [row.sprint.label for row in rows],
        "allocated": [row.allocated_hours for row in rows],
        "spent": [row.spent_hours for row in rows],
        "committed": [row.committed_hours for row in rows],
        "share": [row.capacity_share_spent for row in rows],
        "principal": _snapshot_series(history, "open_principal_hours"),
        "health": _snapshot_series(history, "mean_health"),
        "hotspots": _snapshot_series(history, "hotspot_score_sum"),
    }


def _team_page(request: HttpRequest, slug: str, *, bound: dict[str, forms.Form] | None = None,
               status: int = 200) -> HttpResponse:
    try:
        detail = team_detail(slug=slug, user=request.user)
        history = team_history(slug=slug, user=request.user, last=HISTORY_SPRINTS)
        context: dict[str, Any] = {
            "team": detail, "sprints": sprint_list(slug=slug, user=request.user),
            "history": history, "chart": history_chart(history),
            "banners": alert_banners(slug=slug, user=request.user),
        }
    except DebtboardError as error:
        _raise_http(error)
        raise
    if detail.can_change:
        repositories = [(r.pk, r.name) for r in repository_list()]
        all_forms = {**_team_forms(detail, repositories), **(bound or {})}
        context["forms"] = {key.replace("-", "_"): form for key, form in all_forms.items()}
        context["member_forms"] = [
            (member, bound.get(f"member-{member.user_id}") if bound else None) or f.MemberUpdateForm(
                initial={"user_id": member.user_id, "capacity_hours": member.capacity_hours,
                         "is_lead": member.is_lead}, prefix=f"m{member.user_id}")
            for member in detail.members]
    return render(request, "frontend/team.html", context, status=status)


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a team: members and capacity, areas, cadence, budget, sprints, history chart and alerts."""
    return _team_page(request, slug)


@dataclass(frozen=True)
class TeamWrite:
    """One change of a team: the form that parses it, the service call, and what the message says."""

    form: Callable[..., forms.Form]
    call: Callable[[Any, Any, dict[str, Any]], Any]
    done: str


def _area_form(data: Any) -> forms.Form:
    return f.AreaAddForm(data, repositories=[(r.pk, r.name) for r in repository_list()])


TEAM_WRITES: dict[str, TeamWrite] = {
    "settings": TeamWrite(f.TeamSettingsForm, lambda t, u, d: team_update(team=t, actor=u, **d), "Settings saved."),
    "budget": TeamWrite(f.BudgetForm, lambda t, u, d: team_budget_set(team=t, actor=u, **d), "Budget saved."),
    "cadence": TeamWrite(f.CadenceForm, lambda t, u, d: team_cadence_set(team=t, actor=u, **d), "Cadence saved."),
    "member-add": TeamWrite(f.MemberAddForm, lambda t, u, d: team_member_add(team=t, actor=u, **d),
                            "Member added."),
    "member-remove": TeamWrite(f.MemberRemoveForm, lambda t, u, d: team_member_remove(team=t, actor=u, **d),
                               "Member removed."),
    "area-add": TeamWrite(_area_form, lambda t, u, d: team_area_add(team=t, actor=u, **d), "Area added."),
    "area-remove": TeamWrite(f.AreaRemoveForm, lambda t, u, d: team_area_remove(team=t, actor=u, **d),
                             "Area removed."),
    "generate": TeamWrite(f.EmptyForm, lambda t, u, d: sprint_generate(team=t, actor=u), "Sprints generated."),
}


def _fields(form: forms.Form) -> dict[str, Any]:
    return form.service_fields() if hasattr(form, "service_fields") else dict(form.cleaned_data)


@require_POST
@login_required
def team_edit(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    """Change a team (settings, budget, cadence, members, areas, generate sprints) through one sprints service."""
    write = TEAM_WRITES.get(what)
    if write is None:
        raise Http404(f"No team change {what!r}.")
    try:
        team_obj = team_get(slug=slug, user=request.user, need="change")
    except DebtboardError as error:
        _raise_http(error)
        raise
    form = write.form(request.POST)
    if form.is_valid():
        try:
            write.call(team_obj, request.user, _fields(form))
        except DebtboardError as error:
            _raise_http(error)
            apply_service_error(form, error)
            return _team_page(request, slug, bound={what: form}, status=error.http_status)
        messages.success(request, write.done)
        return redirect(reverse("frontend:team", args=[slug]) + f"#{what.split('-')[0]}")
    return _team_page(request, slug, bound={what: form}, status=400)


@require_POST
@login_required
def team_member_edit(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Change a member's capacity or lead role."""
    try:
        team_obj = team_get(slug=slug, user=request.user, need="change")
    except DebtboardError as error:
        _raise_http(error)
        raise
    form = f.MemberUpdateForm(request.POST, prefix=f"m{user_id}")
    if form.is_valid():
        try:
            team_member_update(team=team_obj, actor=request.user, user_id=user_id,
                               capacity_hours=form.cleaned_data["capacity_hours"],
                               is_lead=form.cleaned_data["is_lead"])
        except DebtboardError as error:
            _raise_http(error)
            apply_service_error(form, error)
            return _team_page(request, slug, bound={f"member-{user_id}": form}, status=error.http_status)
        messages.success(request, "Member saved.")
        return redirect(reverse("frontend:team", args=[slug]) + "#members")
    return _team_page(request, slug, bound={f"member-{user_id}": form}, status=400)


@require_POST
@login_required
def team_remove(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a team (leads and staff); its sprints and schedule go with it, the register's items stay."""
    try:
        team_delete(team=team_get(slug=slug, user=request.user, need="change"), actor=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    messages.success(request, "Team deleted.")
    return redirect("frontend:teams")


# Sprint page --------------------------------------------------------------------------------------------------


def _percent(part: float, whole: float) -> float:
    return round(max(0.0, min(100.0, 100 * part / whole)), 1) if whole > 0 else 0.0


def budget_bar(figures: SprintFigures) -> dict[str, float]:
    """Widths (percent of the larger of budget and load) of the bar's spent and committed parts and the budget mark."""
    budget = figures.budget.total_hours
    scale = max(budget, figures.spent_hours + figures.committed_hours)
    return {"spent": _percent(figures.spent_hours, scale), "committed": _percent(figures.committed_hours, scale),
            "budget": _percent(budget, scale) if scale else 100.0,
            "carry": _percent(figures.budget.carry_in_hours, scale)}


def burndown_chart(figures: SprintFigures) -> dict[str, list]:
    points = figures.burndown
    return {"x": ["start"] + [f"{p.day:%Y-%m-%d}" for p in points[1:]],
            "ideal": [p.ideal_hours for p in points], "remaining": [p.remaining_hours for p in points]}


def _sprint_page(request: HttpRequest, slug: str, number: int, *, edit_form: forms.Form | None = None,
                 status: int = 200, proposal: Any = None) -> HttpResponse:
    try:
        figures = sprint_figures(slug=slug, user=request.user, number=number)
        detail = team_detail(slug=slug, user=request.user)
    except DebtboardError as error:
        _raise_http(error)
        raise
    sprint = figures.sprint
    context = {
        "figures": figures, "team": detail, "sprint": sprint, "bar": budget_bar(figures),
        "burndown": burndown_chart(figures),
        "edit_form": edit_form or (f.SprintEditForm(initial={"name": sprint.name, "end": sprint.end,
                                                             "skipped": sprint.skipped})
                                   if detail.can_change and not sprint.closed else None),
        "can_unschedule": detail.can_schedule and not sprint.closed,
        "can_fill": detail.can_schedule and not sprint.closed and not sprint.skipped, "proposal": proposal,
    }
    return render(request, "frontend/sprint.html", context, status=status)


@login_required
def sprint(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Show a sprint: the budget bar, committed and done items, by member and area, burn-down, alerts."""
    return _sprint_page(request, slug, number)


@login_required
def sprint_current(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the team's current sprint (or its page with a message when none holds today)."""
    try:
        current = sprint_get(team=team_get(slug=slug, user=request.user))
    except DebtboardError as error:
        if isinstance(error, NotFound) and error.code == "sprint.not_found":
            messages.warning(request, error.message)
            return redirect("frontend:team", slug=slug)
        _raise_http(error)
        raise
    return redirect("frontend:sprint", slug=slug, number=current.number)


@require_POST
@login_required
def sprint_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Rename, shorten or skip a sprint (leads and staff)."""
    form = f.SprintEditForm(request.POST)
    try:
        sprint_obj = sprint_get(team=team_get(slug=slug, user=request.user, need="change"), number=number)
        if form.is_valid():
            sprint_update(sprint=sprint_obj, actor=request.user, **form.cleaned_data)
            messages.success(request, "Sprint saved.")
            return redirect("frontend:sprint", slug=slug, number=number)
    except DebtboardError as error:
        _raise_http(error)
        apply_service_error(form, error)
        return _sprint_page(request, slug, number, edit_form=form, status=error.http_status)
    return _sprint_page(request, slug, number, edit_form=form, status=400)


@require_POST
@login_required
def sprint_unschedule(request: HttpRequest, slug: str, number: int, item_id: int) -> HttpResponse:
    """Take an item out of a sprint (members and staff); a planned item goes back to accepted."""
    try:
        sprint_obj = sprint_get(team=team_get(slug=slug, user=request.user, need="schedule"), number=number)
        sprint_item_unschedule(sprint=sprint_obj, item_id=item_id, actor=request.user)
    except DebtboardError as error:
        _raise_http(error)
        messages.error(request, error.message)
    else:
        messages.success(request, f"#{item_id} taken out of {sprint_obj.label}.")
    return redirect("frontend:sprint", slug=slug, number=number)


@require_POST
@login_required
def sprint_fill(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Fill the sprint's debt budget: without `confirm`, show the planner's proposal; with it, schedule the items."""
    try:
        sprint_obj = sprint_get(team=team_get(slug=slug, user=request.user), number=number)
        if "confirm" not in request.POST:
            proposal = sprint_fill_propose(sprint=sprint_obj, actor=request.user)
            return _sprint_page(request, slug, number, proposal=proposal)
        form = f.SprintFillConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose at least one proposed item to schedule.")
            return redirect("frontend:sprint", slug=slug, number=number)
        result = sprint_fill_confirm(sprint=sprint_obj, actor=request.user, item_ids=form.cleaned_data["item"])
    except DebtboardError as error:
        _raise_http(error)
        messages.error(request, error.message)
        return redirect("frontend:sprint", slug=slug, number=number)
    done, warnings, refused = _outcome_lines(result, sprint_obj.team.name, sprint_obj.label)
    for level, lines in ((messages.success, done), (messages.warning, warnings), (messages.error, refused)):
        for line in lines:
            level(request, line)
    return redirect("frontend:sprint", slug=slug, number=number)


# Scheduling from the item page, the register and the board ----------------------------------------------------


def schedule_context(user: Any, *, item_id: int | None = None, status: str = "") -> dict[str, Any]:
    """What a "schedule into sprint" form needs: the sprints the user may pick, and the one holding the item."""
    context: dict[str, Any] = {"options": sprint_schedule_options(user=user)}
    if item_id is not None:
        context["holder"] = sprint_holding_item(item_id=item_id, user=user)
        context["schedulable"] = status in SCHEDULABLE_STATUSES
    return context


def _outcome_lines(result: Any, slug: str, label: str) -> tuple[list[str], list[str], list[str]]:
    done = [f"#{r.item_id} scheduled into {label}." for r in result.scheduled]
    warnings = []
    for r in result.scheduled:
        warnings += [WARNINGS[code].format(item=r.item_id, team=slug, sprint=label, committed=r.committed_hours,
                                           budget=r.budget_hours) for code in r.warnings if code in WARNINGS]
    refused = [f"#{item_id}: {message}" for item_id, _, message in result.refused]
    return done, list(dict.fromkeys(warnings)), refused


@require_http_methods(["GET", "POST"])
@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """Schedule one or more items into a sprint; warnings (outside the areas, over-committed) are shown.

    GET ?item=N answers the form alone (the board loads it when a card's "Schedule" opens).
    """
    if request.method == "GET":
        item = f.ItemIdsField(required=False)
        try:
            item_ids = item.clean(request.GET.getlist("item"))
        except forms.ValidationError:
            item_ids = []
        return render(request, "frontend/partials/schedule_form.html", {
            "schedule": schedule_context(request.user), "item_id": item_ids[0] if item_ids else None,
            "htmx": True, "label": "Sprint", "lazy": True})
    form = f.ScheduleForm(request.POST, options=sprint_schedule_options(user=request.user))
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        return _schedule_answer(request, [], [], errors)
    slug, number = form.sprint_key()
    try:
        sprint_obj = sprint_get(team=team_get(slug=slug, user=request.user), number=number)
        result = sprint_item_schedule_bulk(sprint=sprint_obj, item_ids=form.cleaned_data["item"],
                                           actor=request.user)
    except DebtboardError as error:
        _raise_http(error)
        return _schedule_answer(request, [], [], [error.message])
    return _schedule_answer(request, *_outcome_lines(result, sprint_obj.team.name, sprint_obj.label))


def _schedule_answer(request: HttpRequest, done: list[str], warnings: list[str], refused: list[str]) -> HttpResponse:
    if request.htmx:
        return render(request, "frontend/partials/schedule_outcome.html",
                      {"done": done, "warnings": warnings, "refused": refused})
    for line in done:
        messages.success(request, line)
    for line in warnings:
        messages.warning(request, line)
    for line in refused:
        messages.error(request, line)
    return _back(request, reverse("frontend:debt"))
