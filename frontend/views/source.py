"""The annotated source of a file at the scanned revision (an htmx partial of the file page)."""
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pygments
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from debtboard.errors import DebtboardError
from frontend.forms import RankingFilterForm
from frontend.pages import repository_for
from frontend.source_view import FunctionMark, LineNote, SourcePage, page_of, rows_html, source_page
from metrics.selectors.files import function_list, marker_list, violation_list
from metrics.selectors.hotspots import function_score_list
from metrics.selectors.repositories import repository_window_days
from metrics.services.source import FileSource, file_source_get

# Highlighted pages are cached by blob id (a blob never changes) for this long.
CACHE_SECONDS = 24 * 3600


def _page_number(request: HttpRequest) -> int:
    """The page asked for: the one holding `?line=` when given, else `?page=` (1 when neither is a number)."""
    try:
        if "line" in request.GET:
            return page_of(max(1, int(request.GET["line"])))
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _notes(scan: Any, path: str) -> list[LineNote]:
    notes = [LineNote(line=v.line, kind="violation", label=v.code, text=v.message)
             for v in violation_list(scan=scan, path=path)]
    notes += [LineNote(line=m.line, kind="marker", label=m.tag, text=m.text) for m in marker_list(scan=scan, path=path)]
    return notes


def _functions(scan: Any, path: str, window_days: int) -> list[FunctionMark]:
    scores = function_score_list(scan=scan, window_days=window_days, path=path)
    changes = dict(scores.values_list("qualname", "changes"))
    return [FunctionMark(lineno=f.lineno, endline=f.endline, qualname=f.qualname, complexity=f.complexity,
                         changes=changes.get(f.qualname)) for f in function_list(scan=scan, path=path)]


def _page(source: FileSource, repository: Any, scan: Any, path: str, window_days: int,
          page: int) -> tuple[SourcePage, str]:
    """A page of annotated rows and their HTML, cached by blob, scan, window and page (a blob never changes)."""
    key = f"source:{pygments.__version__}:{source.blob_sha}:{scan.pk}:{window_days}:{page}"
    cached = cache.get(key)
    if cached is None:
        rows = source_page(source.text, notes=_notes(scan, path), functions=_functions(scan, path, window_days),
                           page=page)
        base = reverse("frontend:function", kwargs={"name": repository.name, "spec": f"{path}::x"})[:-1]
        html = rows_html(rows.rows, function_url=lambda qualname: base + quote(qualname))
        cached = (replace(rows, rows=()), mark_safe(html))  # noqa: S308 -- rows_html escapes every text
        cache.set(key, cached, CACHE_SECONDS)
    return cached


@login_required
def file_source(request: HttpRequest, name: str, path: str) -> HttpResponse:
    """Show one page of a file's code at the current scan, with lint, markers and function figures on their lines."""
    repository, _ = repository_for(request, name)
    scan = repository.current_scan
    if scan is None:
        raise Http404(f"{repository.name} has no finished scan yet.")
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    window_days = form.filters()["window_days"]
    context: dict[str, Any] = {"repository": repository, "scan": scan, "path": path}
    try:
        source = file_source_get(repository=repository, scan=scan, path=path)
    except DebtboardError as error:
        context["error"] = error.message
        return render(request, "frontend/partials/source.html", context)
    if source is None:
        raise Http404(f"{path} is not a file of {repository.name}'s current scan.")
    context["source"] = source
    if source.shown:
        context["page"], context["rows_html"] = _page(source, repository, scan, path, window_days,
                                                      _page_number(request))
    return render(request, "frontend/partials/source.html", context)
