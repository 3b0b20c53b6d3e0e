"""A folder page: the figures of the files below a folder, its sub-folders and hottest files, trend and owners."""
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from debt.choices import OPEN_STATUSES
from debt.selectors.items import debt_item_list
from frontend.forms import RankingFilterForm, window_key
from frontend.pages import latest_live_scan, repository_for
from metrics.selectors.folders import FolderTrendPoint, folder_detail_get, folder_prefix, folder_trend_list
from metrics.selectors.repositories import repository_window_days

MAX_DEBT = 10
TREND_SERIES = ("files", "loc", "markers", "mean_health", "hotspot_score_sum")


def folder_crumbs(path: str) -> list[dict[str, str]]:
    """Each folder above and including `path` ("src/shop/") as {"name", "path"}, outermost first."""
    parts = [part for part in path.strip("/").split("/") if part]
    return [{"name": part, "path": "/".join(parts[:depth + 1]) + "/"} for depth, part in enumerate(parts)]


def _trend_series(points: list[FolderTrendPoint]) -> dict[str, list[Any]]:
    series: dict[str, list[Any]] = {
        "x": [point.committed_at.isoformat() for point in points],
        "sha": [point.commit_sha[:10] for point in points],
        "backfill": [point.is_backfill for point in points],
    }
    for name in TREND_SERIES:
        series[name] = [getattr(point, name) for point in points]
    return series


@login_required
def folder_detail(request: HttpRequest, name: str, path: str = "") -> HttpResponse:
    """Show one folder of the current scan: figures, entries, hottest files, trend, open debt and owners."""
    repository, access = repository_for(request, name)
    scan = repository.current_scan
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    window_days = form.filters()["window_days"]
    prefix = folder_prefix(path)
    context: dict[str, Any] = {
        "repository": repository, "access": access, "section": "hotspots", "scan": scan, "prefix": prefix,
        "crumbs": folder_crumbs(prefix), "window": window_key(window_days), "window_days": window_days,
        "latest_scan": latest_live_scan(repository),
    }
    if scan is None:
        return render(request, "frontend/folder_detail.html", context)
    folder = folder_detail_get(scan=scan, path=prefix, window_days=window_days)
    if folder is None:
        raise Http404(f"No scored file lies under {prefix or 'the root'} at {repository.name}'s current scan.")
    open_debt = debt_item_list(repository=repository, status=list(OPEN_STATUSES), path=prefix or None)
    points = folder_trend_list(repository=repository, path=prefix, window_days=window_days)
    context.update({
        "folder": folder,
        "open_debt_count": open_debt.count(),
        "open_debt": list(open_debt[:MAX_DEBT]),
        "trend": _trend_series(points),
        "trend_scans": len(points),
    })
    return render(request, "frontend/folder_detail.html", context)
