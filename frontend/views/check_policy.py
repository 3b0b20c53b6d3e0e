"""The "Change-check policy" section of a repository's settings page (maintainers and staff)."""
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from debtboard.errors import DebtboardError
from frontend.pages import repository_for
from metrics.services.gate_policy import check_policy_get, check_policy_set

_LIMIT = 10**6


def _whole(label: str, help_text: str = "", required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=_LIMIT, required=required, help_text=help_text)


class CheckPolicyForm(forms.Form):
    """metrics.data.CheckPolicy as a form: blank optional limits mean "not set" (None)."""

    max_function_complexity = _whole("Max function complexity", "Blank: the analysis setting max complexity.",
                                     required=False)
    complexity_tolerance = _whole("File complexity may rise by", "Blank: a file's total complexity is not "
                                  "judged (functions over the limit still are).", required=False)
    violations_tolerance = _whole("Lint violations may rise by")
    markers_tolerance = _whole("Debt markers may rise by")
    mi_tolerance = forms.FloatField(label="Maintainability index may drop by", min_value=0, max_value=1000)
    new_markers_fail = forms.BooleanField(label="New debt markers fail the check", required=False)
    hotspot_must_improve = forms.BooleanField(
        label="Always leave code cleaner: touching a top hotspot without improving it fails", required=False)
    hotspot_top_n = _whole("Top hotspots that must improve (N)")
    new_file_max_violations = _whole("New files: lint violations allowed")
    new_file_max_markers = _whole("New files: debt markers allowed")
    new_file_max_function_complexity = _whole("New files: max function complexity",
                                              "Blank: the max function complexity.", required=False)

    def policy_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def check_policy_form(repository: Any, data: Any = None) -> CheckPolicyForm:
    """The form, bound to `data` or showing the repository's policy."""
    return CheckPolicyForm(data, initial=check_policy_get(repository=repository).as_json(), prefix="policy")


def _policy_url(name: str) -> str:
    return redirect("frontend:repo-settings", name=name).url + "#check-policy"


@require_POST
@login_required
def check_policy_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Save the repository's change-check policy."""
    repository, _ = repository_for(request, name, "manage")
    form = check_policy_form(repository, request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else "Policy"
            for message in errors:
                messages.error(request, f"{label}: {message}")
        return redirect(_policy_url(repository.name))
    try:
        check_policy_set(repository=repository, data=form.policy_data())
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Saved the change-check policy of {repository.name}.")
    return redirect(_policy_url(repository.name))
