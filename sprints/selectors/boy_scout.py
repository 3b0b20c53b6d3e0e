"""A team's Boy Scout record: the change checks of its areas' repositories that the viewer may read."""
from datetime import datetime
from typing import Any

from metrics.data import BoyScoutRecord
from metrics.selectors.access import repository_visible_list
from metrics.selectors.boy_scout import DEFAULT_BOY_SCOUT_DAYS, boy_scout_record
from sprints.selectors.teams import team_detail


def team_boy_scout_record(*, slug: str, user: Any, days: int = DEFAULT_BOY_SCOUT_DAYS,
                          now: datetime | None = None) -> tuple[Any, BoyScoutRecord]:
    """(the team's detail, the record of its areas' repositories the user may read); TeamNotFound if hidden.

    The web page and the API both answer from here, so they show the same figures.
    """
    team = team_detail(slug=slug, user=user, now=now)
    wanted = {area.repository_id for area in team.areas}
    repositories = [r for r in repository_visible_list(user=user) if r.pk in wanted]
    return team, boy_scout_record(repositories=repositories, days=days, now=now)
