"""Importing debt items from CSV or JSON (maintainers) and exporting a repository's register."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from debt.services.transfer import debt_item_export, debt_item_import
from debt.services.transfer_codec import read_upload
from debtboard.errors import DebtboardError
from frontend.forms import ImportForm, apply_service_error
from frontend.pages import latest_live_scan, repository_for

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@login_required
def debt_import(request: HttpRequest, name: str) -> HttpResponse:
    """Upload a CSV or JSON file of items and show the import report (maintainers and staff)."""
    repository, access = repository_for(request, name, "import")
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                report = debt_item_import(repository=repository, content=read_upload(upload.chunks(), size=upload.size),
                                          format=form.cleaned_data["format"], actor=request.user)
            except DebtboardError as error:
                apply_service_error(form, error)
    else:
        form = ImportForm()
    return render(request, "frontend/debt_import.html", {
        "repository": repository, "access": access, "section": "debt", "form": form, "report": report,
        "latest_scan": latest_live_scan(repository),
    }, status=400 if form.errors else 200)


@login_required
def debt_export(request: HttpRequest, name: str, format: str) -> HttpResponse:
    """Download every item of a repository as CSV or JSON (the import format)."""
    repository, _ = repository_for(request, name)
    if format not in CONTENT_TYPES:
        raise Http404("Export as .csv or .json.")
    response = HttpResponse(debt_item_export(repository=repository, format=format),
                            content_type=CONTENT_TYPES[format])
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{repository.name}-debt-{stamp}.{format}"'
    return response
