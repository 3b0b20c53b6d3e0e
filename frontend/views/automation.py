"""The "Rescans and webhooks" section of a repository's settings page: the rescan schedule and the webhook secret.

Maintainers and staff only (capability "manage"). A rotated secret is shown once, on the page the rotation
answers with (never stored in a message or the session).
"""
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from debtboard.errors import DebtboardError
from frontend.pages import latest_live_scan, repository_for
from metrics.choices import RescanKind, Weekday
from metrics.selectors.rescans import rescan_schedule_get
from metrics.selectors.webhooks import webhook_delivery_list, webhook_secret_is_set
from metrics.services.scans.schedule import rescan_schedule_set
from metrics.services.webhooks import webhook_secret_rotate

TIMED = (RescanKind.NIGHTLY, RescanKind.WEEKLY)


class RescanScheduleForm(forms.Form):
    """metrics.core.schedule.RescanSchedule as a form; the service validates (a time for nightly, …)."""

    kind = forms.ChoiceField(label="Rescan", choices=RescanKind.choices)
    time = forms.TimeField(label="At (HH:MM)", required=False, input_formats=["%H:%M"],
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    weekday = forms.TypedChoiceField(label="On (weekly)", required=False, coerce=int, empty_value=None,
                                     choices=[("", "—"), *Weekday.choices])

    def schedule_data(self) -> dict[str, Any]:
        """The schedule: the time only for nightly and weekly, the weekday only for weekly (the page sends all)."""
        kind = self.cleaned_data["kind"]
        return {"kind": kind, "at": self.cleaned_data["time"] if kind in TIMED else None,
                "weekday": self.cleaned_data["weekday"] if kind == RescanKind.WEEKLY else None}


def hook_urls(request: HttpRequest, name: str) -> dict[str, str]:
    return {provider: request.build_absolute_uri(reverse(f"hooks-{provider}", args=[name]))
            for provider in ("github", "gitlab")}


def automation_context(request: HttpRequest, repository: Any) -> dict[str, Any]:
    """What the settings page's "Rescans and webhooks" section shows."""
    state = rescan_schedule_get(repository=repository)
    form = RescanScheduleForm(initial={"kind": state.kind, "time": state.time, "weekday": state.weekday},
                              prefix="rescan")
    return {"rescan": state, "rescan_form": form, "hook_urls": hook_urls(request, repository.name),
            "webhook_secret_set": webhook_secret_is_set(repository=repository),
            "webhook_deliveries": list(webhook_delivery_list(repository=repository))}


def _section(name: str) -> str:
    return reverse("frontend:repo-settings", args=[name]) + "#rescans"


@require_POST
@login_required
def rescan_schedule_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Save the repository's rescan schedule."""
    repository, _ = repository_for(request, name, "manage")
    form = RescanScheduleForm(request.POST, prefix="rescan")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else "Schedule"
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(_section(repository.name))
    try:
        state = rescan_schedule_set(repository=repository, **form.schedule_data())
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Rescans of {repository.name}: {state.description}.")
    return redirect(_section(repository.name))


@never_cache
@require_POST
@login_required
def webhook_secret_rotate_view(request: HttpRequest, name: str) -> HttpResponse:
    """Create a new webhook secret and show it this once."""
    repository, access = repository_for(request, name, "manage")
    secret = webhook_secret_rotate(repository=repository)
    return render(request, "frontend/webhook_secret.html", {
        "repository": repository, "access": access, "section": "settings",
        "latest_scan": latest_live_scan(repository), "secret": secret, "hook_urls": hook_urls(request, repository.name),
    })
