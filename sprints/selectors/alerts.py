"""Reads of sent alerts: the banners of the team and sprint pages."""
from typing import Any

from sprints import access
from sprints.choices import AlertKind
from sprints.data import AlertBanner
from sprints.models import Sprint, SprintAlert, Team


def banners_of(*, team: Team, sprint_ids: list[int] | None = None, limit: int = 20) -> tuple[AlertBanner, ...]:
    """The alerts of a team (of some sprints only), newest first (no permission check: callers check)."""
    queryset = SprintAlert.objects.filter(team=team).select_related("sprint")
    if sprint_ids is not None:
        queryset = queryset.filter(sprint_id__in=sprint_ids)
    return tuple(
        AlertBanner(kind=alert.kind, label=AlertKind(alert.kind).label, sprint_number=alert.sprint.number,
                    message=alert.message, sent_at=alert.sent_at)
        for alert in queryset.order_by("-sent_at", "-id")[:limit]
    )


def alert_banners(*, slug: str, user: Any, sprint_number: int | None = None) -> tuple[AlertBanner, ...]:
    """A visible team's banners: a sprint's alerts, or (no number) those of its two latest sprints that had any."""
    team = access.team_visible(slug=slug, user=user)
    if sprint_number is not None:
        numbered = list(Sprint.objects.filter(team=team, number=sprint_number).values_list("pk", flat=True))
        return banners_of(team=team, sprint_ids=numbered)
    ids: list[int] = []
    newest_first = SprintAlert.objects.filter(team=team).order_by("-sprint__start")
    for sprint_id in newest_first.values_list("sprint_id", flat=True):
        if sprint_id not in ids:
            ids.append(sprint_id)
    return banners_of(team=team, sprint_ids=ids[:2])
