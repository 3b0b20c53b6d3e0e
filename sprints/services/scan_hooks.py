"""The sprints app's reaction to a finished scan: refresh the current sprints' snapshots (receiver only).

A module of its own, light to import: SprintsConfig.ready() imports it in every process, and the
snapshot services (with what they import) load only when a scan has finished.
"""
from typing import Any

from django.db import transaction


def sprint_scan_receiver(sender: Any, scan: Any, **kwargs: Any) -> None:
    """`scan_finished` receiver: refresh the current sprints' snapshots of the teams owning code in the repository."""
    from sprints.services.snapshots import sprint_snapshots_refresh

    with transaction.atomic():  # receivers own their transactions: all snapshots or none
        sprint_snapshots_refresh(repository_id=scan.repository_id)
