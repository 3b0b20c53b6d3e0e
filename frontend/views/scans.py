"""Scan status with live progress (polled by htmx while a scan runs), "Scan now" and "Cancel" (maintainers)."""
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from debtboard.errors import DebtboardError
from frontend.pages import latest_live_scan, repository_for
from metrics.selectors.repositories import scan_list
from metrics.services.scans.cancel import scan_cancel
from metrics.services.scans.progress import scan_progress_report
from metrics.services.scans.requests import scan_request


def _status_response(request: HttpRequest, repository: Any, access: Any, *, error: str = "",
                     notice: str = "") -> HttpResponse:
    scan = latest_live_scan(repository)
    live = scan is not None and scan.is_live
    response = render(request, "frontend/partials/scan_status.html", {
        "repository": repository, "access": access, "latest_scan": scan, "scan_live": live, "scan_error": error,
        "scan_notice": notice, "scan_progress": scan_progress_report(scan=scan) if live else None,
    })
    if request.htmx and request.GET.get("was_live") and not live:
        # The scan the page was watching has finished: reload so every figure shows the new scan.
        response["HX-Refresh"] = "true"
    return response


@login_required
def scan_status(request: HttpRequest, name: str) -> HttpResponse:
    """Render the scan status fragment (stage, progress); htmx polls it every 2 s while a scan runs."""
    return _status_response(request, *repository_for(request, name))


@require_POST
@login_required
def scan_now(request: HttpRequest, name: str) -> HttpResponse:
    """Queue a scan of the repository's default revision and show its status (maintainers and staff)."""
    repository, access = repository_for(request, name, "scan")
    try:
        scan_request(repository=repository, requested_by=request.user)
    except DebtboardError as error:
        return _status_response(request, repository, access, error=error.message)
    return _status_response(request, repository, access, notice="Scan requested.")


@require_POST
@login_required
def scan_cancel_view(request: HttpRequest, name: str, scan_id: int) -> HttpResponse:
    """Cancel the repository's queued or running scan and show its status (maintainers and staff)."""
    repository, access = repository_for(request, name, "scan")
    scan = scan_list(repository=repository).filter(pk=scan_id).first()
    if scan is None:
        raise Http404(f"No scan {scan_id} of {repository.name}.")
    try:
        scan_cancel(scan=scan, requested_by=request.user)
    except DebtboardError as error:
        return _status_response(request, repository, access, error=error.message)
    return _status_response(request, repository, access, notice="Scan cancelled; the previous results stay current.")
