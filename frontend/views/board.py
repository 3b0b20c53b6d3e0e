"""The debt board: one column per status; cards move with htmx (select and button, or drag and drop)."""
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from debt.selectors.board import debt_board_columns
from debt.selectors.items import debt_item_choices, debt_status_label
from debt.services.lifecycle import debt_item_transition
from debtboard.errors import DebtboardError
from frontend.forms import TransitionForm
from frontend.pages import item_for, latest_live_scan, repository_for


CARDS_PER_COLUMN = 50


def _board_context(repository: Any, access: Any, *, errors: dict[int, str] | None = None) -> dict[str, Any]:
    # The selector loads only the best CARDS_PER_COLUMN cards of each column and counts the rest,
    # which keeps a long "done" column cheap.
    columns = debt_board_columns(repository=repository, limit=CARDS_PER_COLUMN)
    return {
        "repository": repository, "access": access, "section": "board", "columns": columns,
        "column_choices": [(column.status, column.label) for column in columns],
        "card_errors": errors or {},
    }


@login_required
def board(request: HttpRequest, name: str) -> HttpResponse:
    """Show the board of a repository's open and done items, best priority first in each column."""
    repository, access = repository_for(request, name)
    context = _board_context(repository, access)
    context["latest_scan"] = latest_live_scan(repository)
    context["labels"] = dict(debt_item_choices()["status"])
    return render(request, "frontend/board.html", context)


def _move(form: TransitionForm, item: Any, actor: Any) -> str:
    """Move the card as the form asks; return why it did not move (blank when it did)."""
    if not form.is_valid():
        return " ".join(message for errors in form.errors.values() for message in errors)
    try:
        debt_item_transition(item=item, to_status=form.cleaned_data["to_status"], actor=actor,
                             expected_status=form.cleaned_data["expected_status"] or None)
    except DebtboardError as exc:
        return exc.message
    return ""


@require_POST
@login_required
def board_move(request: HttpRequest, name: str, item_id: int) -> HttpResponse:
    """Move a card through the lifecycle service; an illegal or stale move shows the service's message."""
    repository, _ = repository_for(request, name)
    item, access = item_for(request, item_id, "write_items")
    if item.repository_id != repository.pk:
        raise Http404(f"Item #{item_id} is not in {repository.name}.")
    error = _move(TransitionForm(request.POST), item, request.user)
    if request.htmx:
        context = _board_context(repository, access, errors={item.pk: error} if error else None)
        context["moved"] = "" if error else f"#{item.pk} moved to {debt_status_label(item.status)}."
        return render(request, "frontend/partials/board_columns.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"#{item.pk} moved to {debt_status_label(item.status)}.")
    return redirect("frontend:board", name=repository.name)
