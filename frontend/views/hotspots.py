"""Hotspot rankings: files and functions, filterable in the query string, paginated, exportable as CSV."""
import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from debtboard.scan_cache import scan_cached
from debtboard.spreadsheets import defuse_formula
from frontend.explanations import Distribution, file_explanation
from frontend.forms import FunctionFilterForm, RankingFilterForm, window_key
from frontend.pages import PAGE_SIZE, latest_live_scan, repository_for
from frontend.scatter import churn_complexity
from metrics.selectors.hotspots import file_figures_list, file_score_list, function_score_list
from metrics.choices import window_label
from metrics.selectors.repositories import repository_window_days

# CSV columns: the API's field names (docs/scoring.md "Labels of figures"); window_days says the window of the
# window-dependent figures on every row (loc: physical lines, sloc: source lines).
FILE_COLUMNS = (
    ("rank", "hotspot_rank"), ("path", "path"), ("hotspot_score", "hotspot_score"), ("revisions", "revisions"),
    ("churn", "churn"), ("loc", "loc"), ("complexity", "complexity"),
    ("max_function_complexity", "max_function_complexity"), ("health", "health"),
    ("violations", "violations"), ("lint_density", "lint_density"), ("markers", "markers"),
    ("authors", "authors"), ("main_author", "main_author"), ("ownership_share", "ownership_share"),
    ("last_changed", "last_changed"),
    # Added by issue 17, after the earlier columns so that readers by position keep working.
    ("sloc", "sloc"), ("window_days", "window_days"), ("file_class", "file_class"), ("rank_status", "rank_status"),
)
FUNCTION_COLUMNS = (
    ("rank", "hotspot_rank"), ("path", "path"), ("qualname", "qualname"), ("kind", "kind"), ("line", "lineno"),
    ("endline", "endline"), ("complexity", "complexity"), ("cc_rank", "rank"), ("changes", "changes"),
    ("hotspot_score", "hotspot_score"), ("sloc", "sloc"), ("mi", "mi"), ("window_days", "window_days"),
)


def _filter_form(request: HttpRequest, repository: Any, form_class: type[RankingFilterForm]) -> RankingFilterForm:
    form = form_class(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    return form


def _file_queryset(scan: Any, filters: dict[str, Any]) -> QuerySet:
    return file_score_list(
        scan=scan, window_days=filters["window_days"], path_prefix=filters["path"],
        min_score=filters["min_score"], ordering=filters["ordering"],
    )


def _function_queryset(scan: Any, filters: dict[str, Any]) -> QuerySet:
    return function_score_list(
        scan=scan, window_days=filters["window_days"], path_prefix=filters["path"],
        min_score=filters["min_score"], ordering=filters["ordering"],
    )


def _scatter(scan: Any, filters: dict[str, Any]) -> tuple[dict[str, Any], Distribution]:
    """The scatter of the filtered files and the whole window's distribution (explanations rank against it)."""
    figures = file_figures_list(scan=scan, window_days=filters["window_days"])
    distribution = Distribution.of((f.revisions, f.complexity) for f in figures)
    shown = figures
    if filters["path"] or filters["min_score"] is not None:
        shown = file_figures_list(scan=scan, window_days=filters["window_days"], path_prefix=filters["path"],
                                  min_score=filters["min_score"])
    return churn_complexity((f.path, f.churn, f.complexity, f.hotspot_score, f.health) for f in shown), distribution


def _explained(page: Any, distribution: Distribution, window_days: int) -> list[dict[str, Any]]:
    """The page's files, each with its plain-language explanation."""
    window = window_label(window_days)
    return [
        {"file": row, "why": file_explanation(revisions=row.revisions, authors=row.authors, complexity=row.complexity,
                                              window=window, breakdown=row.breakdown, distribution=distribution)}
        for row in page
    ]


def _ranking_figures(scan: Any, filters: dict[str, Any], kind: str, page_number: str | None) -> dict[str, Any]:
    """The ranking's page of rows (and for files the scatter and explanations), ready to cache."""
    queryset = (_function_queryset if kind == "functions" else _file_queryset)(scan, filters)
    page = _detached_page(Paginator(queryset, PAGE_SIZE), page_number)
    if kind == "functions":
        return {"page": page}
    scatter, distribution = _scatter(scan, filters)
    return {"page": page, "scatter": scatter, "rows": _explained(page, distribution, filters["window_days"])}


def _detached_page(paginator: Paginator, number: str | None) -> Page:
    """A page whose rows are read and whose paginator no longer holds the queryset (so it pickles small)."""
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)
    paginator.num_pages  # worked out (with the count) while the queryset is still there
    paginator.object_list = []
    return page


@login_required
def ranking(request: HttpRequest, name: str, *, kind: str) -> HttpResponse:
    """Rank a repository's files (kind "files": hotspot score, with filters, sorting, breakdowns and a scatter
    chart) or functions ("functions": complexity times changes)."""
    repository, access = repository_for(request, name)
    scan = repository.current_scan
    form = _filter_form(request, repository, FunctionFilterForm if kind == "functions" else RankingFilterForm)
    filters = form.filters()
    context: dict[str, Any] = {
        "repository": repository, "access": access, "scan": scan,
        "section": "hotspots" if kind == "files" else "functions",
        "form": form, "filters": filters, "sort": filters["sort"], "window": window_key(filters["window_days"]),
        "query": request.GET.urlencode(),
    }
    if scan is not None:
        context["results"] = _results_html(request, scan, kind, context)
    if request.htmx and request.htmx.target == "results":
        return HttpResponse(context.get("results", ""))
    context["latest_scan"] = latest_live_scan(repository)
    return render(request, f"frontend/hotspots_{kind}.html", context)


def _results_html(request: HttpRequest, scan: Any, kind: str, context: dict[str, Any]) -> SafeString:
    """The ranking's results (table, chart, pagination), rendered once per scan, filters and URL, then cached.

    The fragment holds nothing about the user (no forms, no names, no role-dependent links): it is the same
    for every reader of the repository, whose access repository_for checked before this runs. Its links are
    built from the request's path and query, so the full path is part of the key.
    """
    filters = context["filters"]

    def render_results() -> str:
        figures = _ranking_figures(scan, filters, kind, request.GET.get("page"))
        return render_to_string(f"frontend/partials/hotspots_{kind}_results.html", {**context, **figures},
                                request=request)

    params = [kind, request.get_full_path(), sorted(filters.items())]
    return mark_safe(scan_cached(scan=scan, part=f"ranking.{kind}", params=params, compute=render_results))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(queryset: QuerySet, columns: tuple[tuple[str, str], ...]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([header for header, _ in columns])
    fields = [field for _, field in columns]
    for row in queryset.iterator(chunk_size=2000):
        yield writer.writerow([defuse_formula(getattr(row, field)) for field in fields])


@login_required
def ranking_csv(request: HttpRequest, name: str, *, kind: str) -> HttpResponse:
    """Export the file or function ranking with the current filters and sort as CSV (every page)."""
    repository, _ = repository_for(request, name)
    scan = repository.current_scan
    form = _filter_form(request, repository, FunctionFilterForm if kind == "functions" else RankingFilterForm)
    filters = form.filters()
    if scan is None:
        return HttpResponse(f"{repository.name} has no finished scan yet.", status=404, content_type="text/plain")
    if kind == "functions":
        queryset, columns = _function_queryset(scan, filters), FUNCTION_COLUMNS
    else:
        queryset, columns = _file_queryset(scan, filters), FILE_COLUMNS
    filename = f"{slugify(repository.name)}-{kind}-{window_key(filters['window_days'])}.csv"
    response = StreamingHttpResponse(_csv_rows(queryset, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
