"""The Boy Scout record pages: who left the code cleaner, per repository and per team."""
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from debtboard.errors import DebtboardError, NotFound
from frontend.pages import repository_for
from metrics.data import BoyScoutRecord
from metrics.selectors.boy_scout import BOY_SCOUT_DAYS, DEFAULT_BOY_SCOUT_DAYS, boy_scout_days, boy_scout_record
from sprints.selectors.boy_scout import team_boy_scout_record


def _days(request: HttpRequest) -> int:
    try:
        return boy_scout_days(request.GET.get("days"))
    except DebtboardError:
        return DEFAULT_BOY_SCOUT_DAYS


def _trend(record: BoyScoutRecord) -> dict[str, list[Any]]:
    """The weekly share of changes left cleaner, in the shape charts.js draws as a trend."""
    weeks = [w for w in record.weeks if w.tally.checks]
    return {
        "x": [w.week.isoformat() for w in weeks],
        "cleaner_share": [round(100 * (w.tally.cleaner_share or 0), 1) for w in weeks],
        "sha": [f"week of {w.week.isoformat()}, {w.tally.checks} checks" for w in weeks],
        "backfill": [False for _ in weeks],
    }


def _page(request: HttpRequest, context: dict[str, Any], record: BoyScoutRecord) -> HttpResponse:
    return render(request, "frontend/boy_scout.html", {
        **context, "record": record, "trend": _trend(record), "periods": BOY_SCOUT_DAYS, "section": "boy-scout",
    })


@login_required
def repository_record(request: HttpRequest, name: str) -> HttpResponse:
    """One repository's Boy Scout record over 30, 90 or 365 days."""
    repository, access = repository_for(request, name)
    record = boy_scout_record(repositories=[repository], days=_days(request))
    return _page(request, {"repository": repository, "access": access, "title": repository.name}, record)


@login_required
def team_record(request: HttpRequest, slug: str) -> HttpResponse:
    """A team's Boy Scout record: the repositories of its areas that the user may read."""
    try:
        team, record = team_boy_scout_record(slug=slug, user=request.user, days=_days(request))
    except NotFound as error:
        raise Http404(error.message) from None
    return _page(request, {"team": team, "title": team.name}, record)
