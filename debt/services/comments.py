"""Commenting on debt items (Markdown, rendered sanitised)."""
from django.db import transaction
from django.utils import timezone

from debt.errors import CommentInvalid
from debt.models import DebtComment, DebtItem
from debt.services import validation
from debtboard.text import clean_text


@transaction.atomic
def debt_item_comment(*, item: DebtItem, body: str, actor=None) -> DebtComment:
    """Add a Markdown comment to an item."""
    if not isinstance(body, str) or not clean_text(body).strip():
        raise CommentInvalid("A comment needs some text.", extra={"field": "body"})
    if len(body) > validation.MAX_COMMENT:
        raise CommentInvalid(
            f"A comment is at most {validation.MAX_COMMENT} characters; this one has {len(body)}.",
            extra={"field": "body"},
        )
    now = timezone.now()
    comment = DebtComment.objects.create(item=item, author=actor, body=clean_text(body).strip(), created_at=now)
    DebtItem.objects.filter(pk=item.pk).update(updated_at=now)
    return comment
