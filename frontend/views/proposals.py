"""The proposals inbox: debt discovered by scans, accepted or dismissed one by one or in bulk."""
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from debt.choices import Status
from debt.selectors.proposals import debt_proposal_list
from debt.selectors.totals import debt_totals_by_repository
from debt.services.lifecycle import debt_item_transition
from debt.services.proposals import (
    debt_proposal_accept,
    debt_proposal_bulk_accept,
    debt_proposal_bulk_dismiss,
    debt_proposal_dismiss,
)
from debtboard.errors import DebtboardError
from debtboard.text import clean_text
from frontend.forms import ProposalBulkForm
from frontend.pages import PAGE_SIZE, item_for, latest_live_scan, repository_for


@login_required
def inbox(request: HttpRequest, name: str) -> HttpResponse:
    """List a repository's proposals, best priority first, with accept and dismiss actions."""
    repository, access = repository_for(request, name)
    page = Paginator(debt_proposal_list(repository=repository), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontend/proposals.html", {
        "repository": repository, "access": access, "section": "proposals", "page": page,
        "latest_scan": latest_live_scan(repository),
    })


@require_POST
@login_required
def bulk(request: HttpRequest, name: str) -> HttpResponse:
    """Accept or dismiss every ticked proposal; those no longer waiting are skipped and reported."""
    repository, _ = repository_for(request, name, "triage")
    form = ProposalBulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("frontend:proposals", name=repository.name)
    ids, action = form.cleaned_data["ids"], form.cleaned_data["action"]
    try:
        if action == "accept":
            result = debt_proposal_bulk_accept(item_ids=ids, actor=request.user, repository=repository)
        else:
            result = debt_proposal_bulk_dismiss(item_ids=ids, actor=request.user, repository=repository,
                                                reason=form.cleaned_data["reason"])
    except DebtboardError as error:
        messages.error(request, error.message)
        return redirect("frontend:proposals", name=repository.name)
    verb = "Accepted" if action == "accept" else "Dismissed"
    messages.success(request, f"{verb} {len(result.changed)} proposal{'s' if len(result.changed) != 1 else ''}.")
    if result.skipped:
        skipped = ", ".join(f"#{pk}" for pk in result.skipped)
        messages.warning(request, f"Skipped {skipped}: no longer waiting (someone decided meanwhile).")
    return redirect("frontend:proposals", name=repository.name)


DECISIONS = ("accept", "dismiss", "reconsider")
DONE_MESSAGES = {"accept": "accepted", "dismiss": "dismissed", "reconsider": "is a proposal again"}


def _waiting(repository: Any) -> int:
    """How many proposals of `repository` wait for a decision."""
    totals = debt_totals_by_repository(repository_ids=[repository.pk]).get(repository.pk)
    return totals.proposed_count if totals else 0


def _apply(request: HttpRequest, item: Any, decision: str) -> str:
    """Carry out one decision on a proposal; return the error message, or "" when it worked."""
    try:
        if decision == "accept":
            debt_proposal_accept(item=item, actor=request.user)
        elif decision == "dismiss":
            debt_proposal_dismiss(item=item, actor=request.user,
                                  reason=clean_text(request.POST.get("reason"), max_length=1000))
        else:  # undo a dismissal: the lifecycle allows won't fix -> proposed
            debt_item_transition(item=item, to_status=Status.PROPOSED, expected_status=Status.WONT_FIX,
                                 actor=request.user, note="Reconsidered from the proposals inbox.")
    except DebtboardError as exc:
        return exc.message
    return ""


@require_POST
@login_required
def decide(request: HttpRequest, name: str, item_id: int, decision: str) -> HttpResponse:
    """Accept, dismiss or reconsider (undo a dismissal of) one proposal; with htmx the row is replaced.

    The htmx answer also carries the new count of waiting proposals (an out-of-band swap).
    """
    repository, access = repository_for(request, name)
    item, _ = item_for(request, item_id, "triage")
    if item.repository_id != repository.pk or decision not in DECISIONS:
        raise Http404(f"No proposal #{item_id} to {decision} in {repository.name}.")
    error = _apply(request, item, decision)
    if request.htmx:
        template = "proposal_reconsidered" if decision == "reconsider" else "proposal_outcome"
        return render(request, f"frontend/partials/{template}.html", {
            "repository": repository, "access": access, "item": item, "decision": decision, "error": error,
            "waiting": _waiting(repository),
        })
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"#{item.pk} {DONE_MESSAGES[decision]}.")
    return redirect("frontend:proposals", name=repository.name)
