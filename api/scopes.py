"""API token scopes: what each scope lets a token do, as capabilities of metrics.selectors.access."""
from django.db import models


class Scope(models.TextChoices):
    READ = "read", "Read"
    WRITE_METRICS = "write_metrics", "Write metrics (change checks, scans)"
    MANAGE_REGISTER = "manage_register", "Manage the debt register and its planning"


ALL_SCOPES: tuple[str, ...] = tuple(Scope.values)

# The one table of what a scope grants. A token's effective right on a repository is its user's role there
# (ROLE_CAPABILITIES) intersected with these; registering a repository also needs write_metrics (api.permissions).
# "plan" is no repository capability: it is what a token needs to change teams, sprints and refactorathons, on
# top of the user's own team and event rights (api.permissions.PlanningTokenRule).
SCOPE_CAPABILITIES: dict[str, frozenset[str]] = {
    Scope.READ.value: frozenset({"read"}),
    Scope.WRITE_METRICS.value: frozenset({"post_checks", "scan"}),
    Scope.MANAGE_REGISTER.value: frozenset({"write_items", "triage", "import", "manage", "plan"}),
}


def scope_for(capability: str) -> str:
    """The scope that grants `capability` (a key of metrics.selectors.access.CAPABILITIES)."""
    return next(str(scope) for scope, granted in SCOPE_CAPABILITIES.items() if capability in granted)


def all_scopes() -> list[str]:
    """Every scope: the default of tokens issued before scopes existed, so they keep doing what they did."""
    return list(ALL_SCOPES)
