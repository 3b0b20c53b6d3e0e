"""Run the register's post-scan step (renames, discovery, paid-off detection, priorities) on the current scan."""
from typing import Any

from django.core.management.base import CommandParser

from debt.services.scan_hooks import debt_after_scan
from debtboard.commands import DebtboardCommand
from metrics.selectors.repositories import repository_get, scan_current


class Command(DebtboardCommand):
    help = "Bring a repository's debt register up to date with its current scan (normally done after each scan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repository", help="Repository name.")

    def run(self, **options: Any) -> None:
        repository = repository_get(name=options["repository"])
        result = debt_after_scan(scan=scan_current(repository=repository))
        discovery = result.discovery
        self.stdout.write(
            f"scan {result.scan_id}: {result.locations_renamed} links renamed, {discovery.created} proposals "
            f"({discovery.markers} markers, {discovery.hotspots} hotspots, {discovery.islands} knowledge islands, "
            f"{discovery.suppressed} suppressed), {result.flagged_resolved} flagged as looking resolved, "
            f"{result.priorities_recomputed} priorities recomputed"
        )
