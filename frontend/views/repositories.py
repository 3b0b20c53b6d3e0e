"""The repository list (debtboard's home page) and a repository's dashboard."""
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from debt.selectors import debt_totals_by_repository
from frontend.forms import RankingFilterForm, window_key
from frontend.overview import repository_rows
from frontend.pages import latest_live_scan, repository_or_404
from frontend.summaries import summary_of
from frontend.treemap import hotspot_map
from frontend.trends import trend_chart_data
from metrics.selectors.hotspots import file_figures_list, file_score_list
from metrics.selectors.repositories import repository_window_days, trend_point_list

TOP_HOTSPOTS = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the repositories with their last scan, health bands, top hotspots and trend."""
    return render(request, "frontend/home.html", {"rows": repository_rows()})


def _window(request: HttpRequest, repository: Any) -> int:
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    return form.filters()["window_days"]


@login_required
def dashboard(request: HttpRequest, name: str) -> HttpResponse:
    """Show a repository's summary cards, trend charts and hotspot map."""
    repository = repository_or_404(name)
    scan = repository.current_scan
    window_days = _window(request, repository)
    context = {
        "repository": repository,
        "section": "dashboard",
        "scan": scan,
        "latest_scan": latest_live_scan(repository),
        "window": window_key(window_days),
        "window_days": window_days,
    }
    if scan is not None:
        context["summary"] = summary_of(scan.summary)
        context["top_files"] = list(file_score_list(scan=scan, window_days=window_days)[:TOP_HOTSPOTS])
        context["trend"] = trend_chart_data(trend_point_list(repository=repository))
    totals = debt_totals_by_repository(repository_ids=[repository.pk]).get(repository.pk)
    context["open_debt"] = {"count": totals.open_count if totals else 0,
                            "effort": totals.open_effort if totals else 0,
                            "proposals": totals.proposed_count if totals else 0}
    return render(request, "frontend/dashboard.html", context)


@login_required
def hotspot_map_data(request: HttpRequest, name: str) -> JsonResponse:
    """Return the hotspot map of the current scan: folders and files, area = lines, colour = score or health."""
    repository = repository_or_404(name)
    scan = repository.current_scan
    if scan is None:
        return JsonResponse({"root": repository.name, "files": 0, "ids": [], "parents": [], "loc": [],
                             "score": [], "health": []})
    figures = file_figures_list(scan=scan, window_days=_window(request, repository))
    rows = ((f.path, f.loc, f.hotspot_score, f.health) for f in figures)
    return JsonResponse(hotspot_map(rows, root_label=repository.name), json_dumps_params={"separators": (",", ":")})
