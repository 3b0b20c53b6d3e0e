"""A function's page: its complexity and change count over the scans, and the commits that changed it."""
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from debtboard.errors import DebtboardError
from frontend.forms import RankingFilterForm, window_key
from frontend.pages import latest_live_scan, repository_for
from metrics.selectors.repositories import repository_window_days
from metrics.services.function_history import FunctionScanPoint, function_commit_list, function_history_list

SEPARATOR = "::"


def split_spec(spec: str) -> tuple[str, str]:
    """Split "src/app.py::Cart.total" into the path and the qualified name; Http404 when either is missing."""
    path, separator, qualname = spec.rpartition(SEPARATOR)
    if not separator or not path or not qualname:
        raise Http404("Name a function as PATH::QUALNAME.")
    return path, qualname


def _series(points: list[FunctionScanPoint]) -> dict[str, list[Any]]:
    return {
        "x": [point.committed_at.isoformat() for point in points],
        "sha": [point.commit_sha[:10] for point in points],
        "backfill": [point.is_backfill for point in points],
        "complexity": [point.complexity for point in points],
        "revisions": [point.changes for point in points],
    }


@login_required
def function_detail(request: HttpRequest, name: str, spec: str) -> HttpResponse:
    """Show one function of the current scan: figures per scan, and the commits that changed its lines."""
    repository, access = repository_for(request, name)
    path, qualname = split_spec(spec)
    scan = repository.current_scan
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    window_days = form.filters()["window_days"]
    points = function_history_list(repository=repository, path=path, qualname=qualname, window_days=window_days)
    current = next((point for point in reversed(points) if scan and point.scan_id == scan.pk), None)
    if current is None:
        raise Http404(f"{qualname} is not a function of {path} at {repository.name}'s current scan.")
    context: dict[str, Any] = {
        "repository": repository, "access": access, "section": "functions", "scan": scan, "path": path,
        "qualname": qualname, "current": current,
        "leaf_name": path.rpartition("/")[2],
        "points": points, "series": _series(points), "window": window_key(window_days),
        "window_days": window_days, "latest_scan": latest_live_scan(repository),
    }
    try:
        context["commits"] = function_commit_list(repository=repository, scan=scan, path=path, qualname=qualname)
    except DebtboardError as error:
        context["commits_error"] = error.message
    return render(request, "frontend/function_detail.html", context)
