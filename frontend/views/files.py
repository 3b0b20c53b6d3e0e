"""The file page: a file's metrics over time, functions, lint, markers, coupling, authors and owners."""
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from debt.selectors.items import debt_item_list_for_path
from frontend.explanations import Distribution, Explanation, file_explanation
from frontend.forms import RankingFilterForm, window_key
from frontend.pages import latest_live_scan, repository_for
from metrics.choices import window_label
from metrics.data import FileHistoryPoint
from metrics.selectors.files import (
    file_history_list,
    function_list,
    marker_list,
    snapshot_file_get,
    violation_list,
)
from metrics.selectors.hotspots import (
    code_owner_list,
    coupled_file_list,
    file_author_list,
    file_figures_list,
    file_score_get,
    function_score_list,
)
from metrics.selectors.repositories import repository_function_days, repository_window_days

MAX_COUPLED = 25
MAX_LINKED_DEBT = 50
# The file's figures drawn on the chart, in the order of FileHistoryPoint.
HISTORY_SERIES = (
    "sloc", "complexity", "max_complexity", "violations", "markers", "mi",
    "hotspot_score", "health", "revisions", "churn",
)


def _violation_groups(violations: list[Any]) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for violation in violations:
        groups[violation.code].append(violation)
    return [
        {"code": code, "count": len(items), "message": items[0].message, "items": items}
        for code, items in sorted(groups.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    ]


def _function_rows(scan: Any, path: str, window_days: int) -> list[dict[str, Any]]:
    scores = {score.qualname: score for score in function_score_list(scan=scan, window_days=window_days, path=path)}
    return [
        {"function": function, "score": scores.get(function.qualname)}
        for function in function_list(scan=scan, path=path)
    ]


def _history_series(points: list[FileHistoryPoint]) -> dict[str, list[Any]]:
    """Columnar series of the file page chart, one entry per trend scan."""
    series: dict[str, list[Any]] = {
        "x": [point.committed_at.isoformat() for point in points],
        "sha": [point.commit_sha[:10] for point in points],
        "backfill": [point.is_backfill for point in points],
    }
    for name in HISTORY_SERIES:
        series[name] = [getattr(point, name) for point in points]
    return series


def _explanation(scan: Any, score: Any, window_days: int) -> Explanation | None:
    """The file's scores in words, ranked against every scored file of the window."""
    if score is None:
        return None
    figures = file_figures_list(scan=scan, window_days=window_days)
    return file_explanation(
        revisions=score.revisions, authors=score.authors, complexity=score.complexity,
        window=window_label(window_days), breakdown=score.breakdown,
        distribution=Distribution.of((f.revisions, f.complexity) for f in figures),
    )


@login_required
def file_detail(request: HttpRequest, name: str, path: str) -> HttpResponse:
    """Show one file of the current scan with everything debtboard knows about it."""
    repository, access = repository_for(request, name)
    scan = repository.current_scan
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    window_days = form.filters()["window_days"]
    context: dict[str, Any] = {
        "repository": repository, "access": access, "section": "hotspots", "scan": scan, "path": path,
        "window": window_key(window_days), "window_days": window_days, "latest_scan": latest_live_scan(repository),
    }
    if scan is None:
        return render(request, "frontend/file_detail.html", context)
    snapshot = snapshot_file_get(scan=scan, path=path)
    score = file_score_get(scan=scan, path=path, window_days=window_days)
    if snapshot is None and score is None:
        raise Http404(f"{path} is not an analysed file at {repository.name}'s current scan.")
    owners = code_owner_list(scan=scan, path=path).first()
    function_days = repository_function_days(repository=repository)
    context.update({
        "function_window": function_days,
        "snapshot": snapshot,
        "analysis": snapshot.analysis if snapshot else None,
        "score": score,
        "why": _explanation(scan, score, window_days),
        "functions": _function_rows(scan, path, function_days),
        "violation_groups": _violation_groups(list(violation_list(scan=scan, path=path))),
        "markers": list(marker_list(scan=scan, path=path)),
        "coupled": coupled_file_list(scan=scan, path=path, window_days=window_days, limit=MAX_COUPLED),
        "authors": list(file_author_list(scan=scan, path=path)),
        "owners": owners.owners if owners else [],
        "owners_rule": owners,
        "history": _history_series(file_history_list(repository=repository, path=path, window_days=window_days)),
        "linked_debt": list(debt_item_list_for_path(repository=repository, path=path)[:MAX_LINKED_DEBT]),
    })
    return render(request, "frontend/file_detail.html", context)
