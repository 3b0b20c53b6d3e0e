"""Recording the code in a team's areas per sprint: at the sprint's end, and refreshed while it runs by scans."""
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.utils import timezone

from debt.selectors.history import debt_item_active_facts
from metrics.selectors.areas import area_figures
from sprints.ledger import TeamScope, local_today
from sprints.models import Sprint, SprintSnapshot, Team, TeamArea


def _figures(scope: TeamScope) -> dict[str, Any]:
    """Open principal (hours) of the active items in the areas; files, mean health, hotspot sum of the code."""
    principal = sum(scope.hours(f.repository_id, f.effort)
                    for f in debt_item_active_facts(repository_ids=scope.repository_ids)
                    if scope.area_labels(f.repository_id, f.paths))
    by_repository: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for area in scope.areas:
        prefixes, handles = by_repository[area.repository_id]
        if area.path_prefix or not area.codeowners_handle:
            prefixes.append(area.path_prefix)
        if area.codeowners_handle:
            handles.append(area.codeowners_handle)
    files, health_sum, hotspots = 0, 0.0, 0.0
    for repository_id, (prefixes, handles) in by_repository.items():
        figures = area_figures(repository_id=repository_id, path_prefixes=prefixes, handles=handles)
        files += figures.files
        health_sum += (figures.mean_health or 0.0) * figures.files
        hotspots += figures.hotspot_score_sum
    return {"open_principal_hours": round(principal, 2), "files": files,
            "mean_health": round(health_sum / files, 2) if files else None,
            "hotspot_score_sum": round(hotspots, 4)}


def sprint_snapshot_record(*, sprint: Sprint, final: bool, now: datetime | None = None,
                           scope: TeamScope | None = None) -> SprintSnapshot | None:
    """Record (or refresh) the code figures of the team's areas for a sprint; a final snapshot is never replaced.

    Returns None when the sprint already has a final snapshot and this one is not final.
    """
    existing = SprintSnapshot.objects.filter(sprint=sprint).first()
    if existing is not None and existing.final and not final:
        return None
    values = {"recorded_at": now or timezone.now(), "final": final, **_figures(scope or TeamScope(sprint.team))}
    snapshot, _ = SprintSnapshot.objects.update_or_create(sprint=sprint, defaults=values)
    return snapshot


def sprint_snapshots_refresh(*, repository_id: int, now: datetime | None = None) -> int:
    """Refresh the current sprint's snapshot of every team with an area in the repository; how many changed."""
    today = local_today(now)
    team_ids = set(TeamArea.objects.filter(repository_id=repository_id).values_list("team_id", flat=True))
    refreshed = 0
    for team in Team.objects.filter(pk__in=team_ids):
        sprint = Sprint.objects.filter(team=team, start__lte=today, end__gte=today).first()
        if sprint is not None and sprint_snapshot_record(sprint=sprint, final=False, now=now) is not None:
            refreshed += 1
    return refreshed
