"""Write-side public API of the debt register, one module per use-case family (re-exported here)."""
from debt.services.comments import debt_item_comment
from debt.services.discovery import debt_item_discover
from debt.services.interest import debt_item_recompute_priorities, debt_item_recompute_priority
from debt.services.items import UNSET, debt_item_create, debt_item_delete, debt_item_update
from debt.services.lifecycle import debt_item_transition
from debt.services.locations import debt_item_link, debt_item_unlink
from debt.services.payoff import debt_item_detect_paid_off, debt_item_resolution_confirm, debt_item_resolution_reject
from debt.services.proposals import (
    debt_proposal_accept,
    debt_proposal_bulk_accept,
    debt_proposal_bulk_dismiss,
    debt_proposal_dismiss,
)
from debt.services.renames import debt_item_follow_renames
from debt.services.scan_hooks import debt_after_scan
from debt.services.transfer import debt_item_export, debt_item_import

__all__ = [
    "UNSET",
    "debt_after_scan",
    "debt_item_comment",
    "debt_item_create",
    "debt_item_delete",
    "debt_item_detect_paid_off",
    "debt_item_discover",
    "debt_item_export",
    "debt_item_follow_renames",
    "debt_item_import",
    "debt_item_link",
    "debt_item_recompute_priorities",
    "debt_item_recompute_priority",
    "debt_item_resolution_confirm",
    "debt_item_resolution_reject",
    "debt_item_transition",
    "debt_item_unlink",
    "debt_item_update",
    "debt_proposal_accept",
    "debt_proposal_bulk_accept",
    "debt_proposal_bulk_dismiss",
    "debt_proposal_dismiss",
]
