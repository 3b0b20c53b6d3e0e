"""Moving an event through its lifecycle, as the planning page, the event page and the API all do it."""
from typing import Any

from sprints.choices import RefactorathonStatus
from sprints.services.refactorathon_scans import refactorathon_begin, refactorathon_finish
from sprints.services.refactorathons import refactorathon_transition


def refactorathon_move(*, event: Any, actor: Any, to_status: str) -> Any:
    """Move `event` to `to_status`: beginning scans the start, finishing scans the end and freezes the figures
    (sprints.services.refactorathon_scans); every other move is a plain transition."""
    if to_status == RefactorathonStatus.RUNNING and event.status == RefactorathonStatus.PLANNED:
        return refactorathon_begin(event=event, actor=actor)
    if to_status == RefactorathonStatus.FINISHED and event.status == RefactorathonStatus.RUNNING:
        return refactorathon_finish(event=event, actor=actor)
    return refactorathon_transition(event=event, actor=actor, to_status=to_status)
