"""Change coupling as a picture: the strongest pairs of a scan as a file-by-file matrix (JSON for coupling.js)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse

from frontend.forms import RankingFilterForm
from frontend.pages import repository_for
from metrics.selectors.hotspots import coupling_list
from metrics.selectors.repositories import repository_window_days

MAX_PAIRS = 30  # the strongest pairs drawn on the dashboard
MAX_PARTNERS = 12  # a file's partners drawn on the file page


def coupling_matrix(pairs: list[tuple[str, str, float, int]]) -> dict[str, list]:
    """The files of `pairs` (in first-seen order) and a symmetric matrix of degrees (None where not coupled)."""
    files: list[str] = []
    index: dict[str, int] = {}
    for path_a, path_b, _degree, _shared in pairs:
        for path in (path_a, path_b):
            if path not in index:
                index[path] = len(files)
                files.append(path)
    degree: list[list[float | None]] = [[None] * len(files) for _ in files]
    shared: list[list[int | None]] = [[None] * len(files) for _ in files]
    for path_a, path_b, value, count in pairs:
        a, b = index[path_a], index[path_b]
        degree[a][b] = degree[b][a] = round(value, 4)
        shared[a][b] = shared[b][a] = count
    return {"files": files, "degree": degree, "shared": shared}


def _pairs(scan, window_days: int, path: str) -> list[tuple[str, str, float, int]]:
    """The strongest pairs of the scan, or of one file (its partners, strongest first)."""
    columns = ("path_a", "path_b", "degree", "shared_revisions")
    pairs = coupling_list(scan=scan, window_days=window_days, path=path).values_list(*columns)
    return list(pairs[:MAX_PARTNERS if path else MAX_PAIRS])


@login_required
def coupling_data(request: HttpRequest, name: str) -> JsonResponse:
    """Return the strongest coupled pairs of the current scan (of one file with `?path=`) as a matrix."""
    repository, _ = repository_for(request, name)
    scan = repository.current_scan
    if scan is None:
        return JsonResponse({"files": [], "degree": [], "shared": []})
    form = RankingFilterForm(request.GET, default_window=repository_window_days(repository=repository))
    form.is_valid()
    window_days = form.filters()["window_days"]
    path = request.GET.get("path", "")
    return JsonResponse(coupling_matrix(_pairs(scan, window_days, path)))
