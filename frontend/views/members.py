"""A repository's members on its settings page: add by username with a role, change a role, remove."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from debtboard.errors import DebtboardError
from frontend.pages import repository_for
from metrics.selectors.access import role_choices
from metrics.services.access import repository_member_remove, repository_member_set


class MemberForm(forms.Form):
    """Give a user (by username) a role on the repository; the same form changes an existing member's role."""

    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=role_choices)


def _members_url(name: str) -> str:
    return redirect("frontend:repo-settings", name=name).url + "#members"


@require_POST
@login_required
def member_set(request: HttpRequest, name: str) -> HttpResponse:
    """Add a member or change their role (maintainers and staff)."""
    repository, _ = repository_for(request, name, "manage")
    form = MemberForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_members_url(repository.name))
    username, role = form.cleaned_data["username"], form.cleaned_data["role"]
    try:
        repository_member_set(repository=repository, username=username, role=role)
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{username} is now {role} of {repository.name}.")
    return redirect(_members_url(repository.name))


@require_POST
@login_required
def member_remove(request: HttpRequest, name: str, username: str) -> HttpResponse:
    """Remove a member: they keep only the default role (maintainers and staff)."""
    repository, _ = repository_for(request, name, "manage")
    try:
        repository_member_remove(repository=repository, username=username)
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Removed {username} from {repository.name}.")
    return redirect(_members_url(repository.name))
