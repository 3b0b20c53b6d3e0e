"""The debt register: the filtered list, logging and editing items, and the item page with its activity."""
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from debt.data import LocationSpec
from debt.selectors.items import (
    debt_item_description_html,
    debt_item_list,
    debt_item_next_statuses,
    debt_item_timeline,
    debt_status_label,
    label_list,
)
from debt.services.comments import debt_item_comment
from debt.services.items import debt_item_create, debt_item_update
from debt.services.lifecycle import debt_item_transition
from debt.services.locations import debt_item_link, debt_item_unlink
from debt.services.payoff import debt_item_resolution_confirm, debt_item_resolution_reject
from debtboard.errors import DebtboardError
from debtboard.text import clean_text
from frontend.debt_choices import owner_queryset
from frontend.forms import (
    LOCATION_FIELD_MAP,
    CommentForm,
    DebtFilterForm,
    DebtItemCreateForm,
    DebtItemForm,
    LinkForm,
    TransitionForm,
    apply_service_error,
)
from frontend.pages import PAGE_SIZE, item_for, latest_live_scan, repository_for
from metrics.selectors.access import repository_access, repository_visible_list
from frontend.views.sprints import schedule_context


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _item_url(item: Any) -> str:
    return reverse("frontend:debt-item", args=[item.pk])


@login_required
def register(request: HttpRequest, name: str | None = None) -> HttpResponse:
    """List debt items, filtered by status, kind, label, owner, repository and path; best priority first."""
    scoped, access = repository_for(request, name) if name else (None, None)
    repositories = {repository.name: repository for repository in repository_visible_list(user=request.user)}
    owners = list(owner_queryset())
    form = DebtFilterForm(request.GET, repository_names=list(repositories),
                          labels=[label.name for label in label_list()], owners=owners)
    form.is_valid()
    filters = form.filters()
    repository = scoped or repositories.get(filters["repository"])
    queryset = debt_item_list(
        repository=repository, repositories=None if repository else list(repositories.values()),
        status=filters["status"], kind=filters["kind"], label=filters["label"],
        owner=filters["owner"], path=filters["path"], search=filters["search"], ordering=filters["ordering"],
    )
    context = {
        "form": form, "filters": filters, "repository": scoped, "access": access, "section": "debt",
        "page": Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")),
        "new_url": reverse("frontend:debt-new") + (f"?repository={scoped.name}" if scoped else ""),
        "schedule": schedule_context(request.user),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "frontend/partials/debt_results.html", context)
    if scoped is not None:
        context["latest_scan"] = latest_live_scan(scoped)
    return render(request, "frontend/debt_list.html", context)


def _create_initial(request: HttpRequest) -> dict[str, Any]:
    initial = {key: request.GET.get(key, "") for key in ("repository", "path", "function", "line_start", "line_end")}
    path, function = clean_text(initial["path"]), clean_text(initial["function"])
    if function:
        initial["title"] = f"Simplify {function} in {path.rsplit('/', 1)[-1]}"
    elif path:
        initial["title"] = f"Pay down debt in {path}"
    return {key: value for key, value in initial.items() if value}


def _create_from(request: HttpRequest, form: DebtItemCreateForm) -> Any:
    """Log the item the valid form describes (403 without write access there); None with the form's errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    repository, _ = repository_for(request, data["repository"], "write_items")
    locations = [LocationSpec(path=data["path"], qualname=data["function"], line_start=data["line_start"],
                              line_end=data["line_end"])] if data["path"] else []
    try:
        return debt_item_create(repository=repository, actor=request.user, status=data["status"],
                                locations=locations, **form.item_fields())
    except DebtboardError as error:
        apply_service_error(form, error, field_map=LOCATION_FIELD_MAP)
    return None


def _create_form(request: HttpRequest, names: list[str], chosen: Any) -> DebtItemCreateForm:
    """The new-item form: bound to the POST, or pre-filled from the query string; effort in the repository's unit."""
    unit = chosen.effort_unit if chosen else "hours"
    if request.method == "POST":
        return DebtItemCreateForm(request.POST, repository_names=names, effort_unit=unit)
    return DebtItemCreateForm(initial=_create_initial(request), repository_names=names, effort_unit=unit)


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    """Log a debt item; the form is pre-filled from ?repository=&path=&function=&line_start=&line_end=."""
    repositories = {repository.name: repository for repository in repository_visible_list(user=request.user)}
    if not repositories:
        messages.error(request, "Register a repository first: debt items belong to one.")
        return redirect("frontend:home")
    chosen = repositories.get(request.POST.get("repository") or request.GET.get("repository", ""))
    form = _create_form(request, list(repositories), chosen)
    if request.method == "POST":
        item = _create_from(request, form)
        if item is not None:
            messages.success(request, f"Logged debt item #{item.pk}.")
            return redirect(_item_url(item))
    return render(request, "frontend/debt_form.html", {
        "form": form, "repository": chosen, "section": "debt", "creating": True,
        "latest_scan": latest_live_scan(chosen) if chosen else None,
    })


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """Edit an item's fields (status moves are transitions, on the item page and the board)."""
    item, access = item_for(request, item_id, "write_items")
    unit = item.repository.effort_unit
    if request.method == "POST":
        form = DebtItemForm(request.POST, effort_unit=unit)
        if form.is_valid():
            try:
                debt_item_update(item=item, actor=request.user, **form.item_fields())
            except DebtboardError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, f"Saved #{item.pk}.")
                return redirect(_item_url(item))
    else:
        form = DebtItemForm(effort_unit=unit, initial={
            "title": item.title, "description": item.description, "kind": item.kind, "impact": item.impact,
            "effort": item.effort, "due_date": item.due_date, "owner": item.owner_id,
            "labels": ", ".join(label.name for label in item.labels.all()), "external_url": item.external_url,
            "external_id": item.external_id,
        })
    return render(request, "frontend/debt_form.html", {
        "form": form, "item": item, "repository": item.repository, "access": access, "section": "debt",
        "creating": False,
        "latest_scan": latest_live_scan(item.repository),
    })


def _detail(request: HttpRequest, item: Any, *, http_status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "item": item, "repository": item.repository, "section": "debt",
        "access": repository_access(user=request.user, repository=item.repository),
        "description_html": debt_item_description_html(item=item),
        "timeline": debt_item_timeline(item=item),
        "next_statuses": debt_item_next_statuses(item=item),
        "evidence": item.interest_evidence or {},
        "comment_form": forms.get("comment_form") or CommentForm(),
        "link_form": forms.get("link_form") or LinkForm(),
        "move_error": forms.get("move_error", ""),
        "latest_scan": latest_live_scan(item.repository),
        "schedule": schedule_context(request.user, item_id=item.pk, status=item.status),
    }
    return render(request, "frontend/debt_item.html", context, status=http_status)


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    """Show an item: principal and interest, links to code, history, comments and the moves it can make."""
    return _detail(request, item_for(request, item_id)[0])


@require_POST
@login_required
def item_move(request: HttpRequest, item_id: int) -> HttpResponse:
    """Move an item to another status through the lifecycle service."""
    item, _ = item_for(request, item_id, "write_items")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return _detail(request, item, http_status=400, move_error=message)
    try:
        debt_item_transition(item=item, to_status=form.cleaned_data["to_status"], actor=request.user,
                             note=form.cleaned_data["note"],
                             expected_status=form.cleaned_data["expected_status"] or None)
    except DebtboardError as error:
        return _detail(request, item_for(request, item_id)[0], http_status=error.http_status,
                       move_error=error.message)
    messages.success(request, f"#{item.pk} is now {debt_status_label(item.status)}.")
    return _back(request, _item_url(item))


def _item_form_post(request: HttpRequest, item: Any, form: Any, form_key: str, write: Any, *, anchor: str,
                    done: str = "", field_map: dict[str, str] | None = None) -> HttpResponse:
    """Run `write(cleaned_data)` for a valid form and go to the item's `anchor`; else show the item with the form."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DebtboardError as error:
            apply_service_error(form, error, field_map=field_map)
        else:
            if done:
                messages.success(request, done)
            return redirect(_item_url(item) + anchor)
    return _detail(request, item, http_status=400, **{form_key: form})


@require_POST
@login_required
def item_comment(request: HttpRequest, item_id: int) -> HttpResponse:
    """Add a comment to an item."""
    item, _ = item_for(request, item_id, "write_items")
    return _item_form_post(
        request, item, CommentForm(request.POST), "comment_form", anchor="#activity",
        write=lambda data: debt_item_comment(item=item, body=data["body"], actor=request.user))


@require_POST
@login_required
def item_link(request: HttpRequest, item_id: int) -> HttpResponse:
    """Link an item to a file, a folder, a function or a line range."""
    item, _ = item_for(request, item_id, "write_items")
    return _item_form_post(
        request, item, LinkForm(request.POST), "link_form", anchor="#links", done="Link added.",
        field_map=LOCATION_FIELD_MAP,
        write=lambda data: debt_item_link(item=item, path=data["path"], actor=request.user, qualname=data["function"],
                                          line_start=data["line_start"], line_end=data["line_end"]))


@require_POST
@login_required
def item_unlink(request: HttpRequest, item_id: int, location_id: int) -> HttpResponse:
    """Remove one link of an item."""
    item, _ = item_for(request, item_id, "write_items")
    try:
        debt_item_unlink(item=item, location_id=location_id, actor=request.user)
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Link removed.")
    return redirect(_item_url(item) + "#links")


@require_POST
@login_required
def item_resolution(request: HttpRequest, item_id: int) -> HttpResponse:
    """Confirm (-> done) or reject a "looks resolved" flag."""
    item, _ = item_for(request, item_id, "write_items")
    service = debt_item_resolution_confirm if request.POST.get("decision") == "confirm" else debt_item_resolution_reject
    try:
        service(item=item, actor=request.user, note=clean_text(request.POST.get("note"), max_length=1000))
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Marked done." if service is debt_item_resolution_confirm else "Flag cleared.")
    return redirect(_item_url(item))
