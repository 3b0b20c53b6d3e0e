"""The "API tokens" page (/account/tokens/): a user's own tokens; create (the secret shown once) and revoke.

It lives in the api app because tokens are the API's concern, and the layers keep `frontend` from importing
`api`; it renders with the frontend's base template.
"""
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from api.scopes import Scope
from api.tokens import api_token_create, api_token_list, api_token_revoke
from debtboard.errors import DebtboardError
from metrics.selectors.access import repository_visible_list


class ApiTokenForm(forms.Form):
    """A new token: what it is for, its scopes, its repositories (none chosen: all) and its last day."""

    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'ci'.")
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[Scope.READ, Scope.WRITE_METRICS])
    repositories = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                             help_text="None chosen: every repository you may reach.")
    expires = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="Last day of validity; blank: never expires.")

    def __init__(self, *args: Any, repositories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.repository_objects = {r.name: r for r in repositories}
        self.fields["repositories"].choices = [(name, name) for name in self.repository_objects]

    def expires_at(self) -> Any:
        day = self.cleaned_data.get("expires")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max))


def _form(request: HttpRequest, data: Any = None) -> ApiTokenForm:
    return ApiTokenForm(data, repositories=repository_visible_list(user=request.user))


def _page(request: HttpRequest, form: ApiTokenForm, *, secret: str = "", status: int = 200) -> HttpResponse:
    return render(request, "api/tokens.html", {
        "form": form, "tokens": api_token_list(user=request.user), "secret": secret, "now": timezone.now(),
    }, status=status)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; POST creates one and shows its secret once."""
    if request.method != "POST":
        return _page(request, _form(request))
    form = _form(request, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    chosen = [form.repository_objects[name] for name in form.cleaned_data["repositories"]]
    try:
        issued = api_token_create(user=request.user, name=form.cleaned_data["name"],
                                  scopes=form.cleaned_data["scopes"], repositories=chosen or None,
                                  expires_at=form.expires_at())
    except DebtboardError as error:
        form.add_error(None, error.message)
        return _page(request, form, status=400)
    return _page(request, _form(request), secret=issued.secret, status=201)


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    try:
        api_token_revoke(token_id=token_id, user=request.user)
    except DebtboardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Token revoked: it no longer authenticates.")
    return redirect("account-tokens")
