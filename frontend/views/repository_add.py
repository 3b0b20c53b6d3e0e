"""Adding a repository from the UI (staff): the CLI's `addrepo`, with the same validation and messages."""
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from debtboard.errors import Conflict, DebtboardError
from metrics.services.repositories import repository_create


class RepositoryAddForm(forms.Form):
    """Where the repository is (a folder under DEBTBOARD_REPO_ROOTS or a remote URL) and an optional name."""

    source = forms.CharField(
        label="Path or URL", max_length=1000, strip=True,
        help_text="A local folder under DEBTBOARD_REPO_ROOTS, or an https, ssh or git URL (mirrored).",
    )
    # Validated by the service (metrics.core.sources.validate_name), as for the CLI, with its messages.
    name = forms.CharField(
        label="Name", max_length=100, required=False, strip=True,
        help_text="Letters, digits, - and _; default: the last part of the path.",
    )


def _field_of(error: DebtboardError) -> str | None:
    """The form field a service error is about: the name when it is taken, else the source."""
    return "name" if error.code == "repository.name_taken" else "source"


@login_required
def repository_add(request: HttpRequest) -> HttpResponse:
    """Register a local folder or a remote URL (staff), then go to its dashboard to scan it."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff may add repositories.")
    form = RepositoryAddForm(request.POST or None)
    if request.method != "POST":
        return render(request, "frontend/repository_add.html", {"form": form})
    status = 400
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            repository = repository_create(source=data["source"], name=data["name"] or None)
        except DebtboardError as error:
            form.add_error(_field_of(error), error.message)
            status = 409 if isinstance(error, Conflict) else 400
        else:
            where = repository.url or repository.path
            messages.success(request, f"Registered {repository.name} ({where}). Scan it now to see its hotspots.")
            return redirect("frontend:dashboard", name=repository.name)
    return render(request, "frontend/repository_add.html", {"form": form}, status=status)
