"""CI change checks: each verdict ("leave it cleaner than you found it") with its findings."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frontend.pages import PAGE_SIZE, latest_live_scan, repository_for
from metrics.selectors.gate import change_check_list

STATUSES = ("fail", "cleaner", "pass")


@login_required
def check_list(request: HttpRequest, name: str) -> HttpResponse:
    """List the change checks CI posted for a repository, newest first, filterable by verdict."""
    repository, access = repository_for(request, name)
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    page = Paginator(change_check_list(repository=repository, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "frontend/checks.html", {
        "repository": repository, "access": access, "section": "checks", "page": page, "status": status,
        "statuses": STATUSES,
        "latest_scan": latest_live_scan(repository),
    })
