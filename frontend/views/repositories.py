"""The repository list (debtboard's home page), a repository's dashboard, and its settings (maintainers)."""
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from debt.selectors.totals import debt_totals_by_repository
from debtboard.errors import Conflict, DebtboardError
from debtboard.scan_cache import scan_cached
from frontend.forms import RankingFilterForm, RepositoryDeleteForm, RepositorySettingsForm, window_key
from frontend.overview import repository_rows
from frontend.pages import latest_live_scan, repository_for
from frontend.summaries import summary_of
from frontend.treemap import hotspot_map
from frontend.trends import trend_chart_data
from frontend.views.automation import automation_context
from frontend.views.check_policy import check_policy_form
from frontend.views.members import MemberForm
from metrics.selectors.hotspots import file_figures_list, file_score_list
from metrics.data import RepositoryConfig, repository_config_from_json
from metrics.errors import RepositoryInvalid
from metrics.selectors.access import (
    default_role,
    repository_access,
    repository_member_list,
    repository_visible_list,
    role_choices,
)
from metrics.selectors.repositories import repository_window_days, scan_lint_settings, trend_point_list
from metrics.services.repositories import repository_delete, repository_update

TOP_HOTSPOTS = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the repositories with their last scan, health bands, top hotspots and trend."""
    rows = repository_rows(repositories=repository_visible_list(user=request.user))
    return render(request, "frontend/home.html", {"rows": rows})


def _window(request: HttpRequest, repository: Any) -> int:
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    return form.filters()["window_days"]


@login_required
def dashboard(request: HttpRequest, name: str) -> HttpResponse:
    """Show a repository's summary cards, trend charts and hotspot map."""
    repository, access = repository_for(request, name)
    scan = repository.current_scan
    window_days = _window(request, repository)
    context = {
        "repository": repository,
        "access": access,
        "section": "dashboard",
        "scan": scan,
        "latest_scan": latest_live_scan(repository),
        "window": window_key(window_days),
        "window_days": window_days,
    }
    if scan is not None:
        context["summary"] = summary_of(scan.summary)
        context["lint_settings"] = scan_lint_settings(scan=scan)
        context["top_files"] = scan_cached(
            scan=scan, part="dashboard.top_files", params=[window_days, TOP_HOTSPOTS],
            compute=lambda: list(file_score_list(scan=scan, window_days=window_days)[:TOP_HOTSPOTS]))
        context["trend"] = trend_chart_data(trend_point_list(repository=repository))
    totals = debt_totals_by_repository(repository_ids=[repository.pk]).get(repository.pk)
    context["open_debt"] = {"count": totals.open_count if totals else 0,
                            "effort": totals.open_effort if totals else 0,
                            "proposals": totals.proposed_count if totals else 0}
    return render(request, "frontend/dashboard.html", context)


@login_required
def hotspot_map_data(request: HttpRequest, name: str) -> HttpResponse:
    """Return the hotspot map of the current scan: folders and files, area = lines, colour = score or health.

    Folder colours are lines-weighted means of their files (frontend.treemap); single-folder chains collapse.
    """
    repository, _ = repository_for(request, name)
    scan = repository.current_scan
    if scan is None:
        return JsonResponse({"root": repository.name, "start": "", "files": 0, "ids": [], "parents": [], "loc": [],
                             "score": [], "health": [], "hottest": []})
    window_days = _window(request, repository)

    def compute() -> str:
        figures = file_figures_list(scan=scan, window_days=window_days)
        tree = hotspot_map(((f.path, f.loc, f.hotspot_score, f.health) for f in figures), root_label=repository.name)
        return json.dumps(tree, cls=DjangoJSONEncoder, separators=(",", ":"))

    # Cached as JSON text (10,000 files take longer to serialise than to read from the cache). Keyed by the
    # repository's name too: the map's root is labelled with it, and a repository may be renamed.
    body = scan_cached(scan=scan, part="treemap", params=[window_days, repository.name], compute=compute)
    return HttpResponse(body, content_type="application/json")


def _stored_config(repository: Any) -> tuple[RepositoryConfig, str]:
    """The repository's configuration, or the defaults and why when the stored one is invalid."""
    try:
        return repository_config_from_json(repository.config), ""
    except RepositoryInvalid as error:
        return RepositoryConfig(), f"The stored configuration is invalid ({error.message}); saving replaces it."


def _settings_page(request: HttpRequest, repository: Any, settings_form: RepositorySettingsForm,
                   delete_form: RepositoryDeleteForm, *, status: int = 200, notice: str = "",
                   member_form: Any = None) -> HttpResponse:
    return render(request, "frontend/repository_settings.html", {
        "repository": repository, "section": "settings", "latest_scan": latest_live_scan(repository),
        "form": settings_form, "delete_form": delete_form, "config_notice": notice,
        "access": repository_access(user=request.user, repository=repository),
        "members": repository_member_list(repository=repository), "member_form": member_form or MemberForm(),
        "role_choices": role_choices(), "default_role": default_role(),
        "policy_form": check_policy_form(repository), **automation_context(request, repository),
    }, status=status)


def _error_status(error: DebtboardError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _field_of(error: DebtboardError, form: RepositorySettingsForm) -> str | None:
    """The form field a service error names (RepositoryInvalid says extra["key"]), else None (the form)."""
    extra = error.extra or {}
    name = extra.get("key") or extra.get("field") or ("default_revision" if "revision" in extra else "")
    return name if name in form.fields else None


@login_required
def settings_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Edit a repository's default revision and configuration (maintainers and staff)."""
    repository, _ = repository_for(request, name, "manage")
    config, notice = _stored_config(repository)
    form_args = {"default_revision": repository.default_revision, "effort_unit": repository.effort_unit,
                 "config": config}
    delete_form = RepositoryDeleteForm(repository_name=repository.name)
    if request.method != "POST":
        return _settings_page(request, repository, RepositorySettingsForm(**form_args), delete_form, notice=notice)
    form = RepositorySettingsForm(request.POST, **form_args)
    if not form.is_valid():
        return _settings_page(request, repository, form, delete_form, status=400, notice=notice)
    revision = form.cleaned_data["default_revision"]
    try:
        repository_update(
            repository=repository, config=form.config(), effort_unit=form.cleaned_data["effort_unit"],
            default_revision=revision if revision != repository.default_revision else None,
        )
    except DebtboardError as error:
        repository.refresh_from_db()
        form.add_error(_field_of(error, form), error.message)
        return _settings_page(request, repository, form, delete_form, status=_error_status(error))
    messages.success(request, f"Saved the settings of {repository.name}.")
    return redirect("frontend:repo-settings", name=repository.name)


@require_POST
@login_required
def settings_delete(request: HttpRequest, name: str) -> HttpResponse:
    """Delete a repository with its history, scans and scores once its name is typed (maintainers and staff)."""
    repository, _ = repository_for(request, name, "manage")
    form = RepositoryDeleteForm(request.POST, repository_name=repository.name)
    status = 400
    if form.is_valid():
        try:
            repository_delete(repository=repository)
        except DebtboardError as error:
            form.add_error(None, error.message)
            status = _error_status(error)
        else:
            messages.success(request, f"Deleted repository {name}.")
            return redirect("frontend:home")
    config, notice = _stored_config(repository)
    settings_form = RepositorySettingsForm(default_revision=repository.default_revision,
                                           effort_unit=repository.effort_unit, config=config)
    return _settings_page(request, repository, settings_form, form, status=status, notice=notice)
