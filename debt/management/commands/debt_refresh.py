"""Run the register's post-scan step (renames, discovery, paid-off detection, priorities) on the current scan."""
from django.core.management.base import BaseCommand, CommandError

from debt.services.scan_hooks import debt_after_scan
from debtboard.errors import DebtboardError
from metrics.selectors.repositories import repository_get, scan_current


class Command(BaseCommand):
    help = "Bring a repository's debt register up to date with its current scan (normally done after each scan)."

    def add_arguments(self, parser):
        parser.add_argument("repository", help="Repository name.")

    def handle(self, *args, **options):
        try:
            repository = repository_get(name=options["repository"])
            result = debt_after_scan(scan=scan_current(repository=repository))
        except DebtboardError as exc:
            raise CommandError(exc.message) from exc
        discovery = result.discovery
        self.stdout.write(
            f"scan {result.scan_id}: {result.locations_renamed} links renamed, {discovery.created} proposals "
            f"({discovery.markers} markers, {discovery.hotspots} hotspots, {discovery.islands} knowledge islands, "
            f"{discovery.suppressed} suppressed), {result.flagged_resolved} flagged as looking resolved, "
            f"{result.priorities_recomputed} priorities recomputed"
        )
