"""`demo [--repo PATH]` registers a repository as "demo" (default: debtboard itself), scans and backfills it."""
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from debtboard.errors import DebtboardError
from metrics.errors import ScanAlreadyRunning
from metrics.management.output import scan_outcome, scan_run_displayed
from metrics.models import Repository
from metrics.selectors.repositories import repository_get, repository_list
from metrics.services.repositories import repository_create
from metrics.services.scans.after import scan_after_wait
from metrics.services.scans.backfill import scan_backfill, scan_backfill_running
from metrics.services.scans.requests import scan_request

DEMO_NAME = "demo"


class Command(DebtboardCommand):
    help = (
        "Register a repository under the name 'demo' (default: the debtboard project folder), scan it and "
        "backfill a few weeks of trend points. Safe to run again: later runs are incremental."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repo", default=str(settings.BASE_DIR), metavar="PATH",
                            help="local git repository to use (default: the debtboard project folder)")
        parser.add_argument("--backfill", default="weekly:12", metavar="SPEC",
                            help="trend points to backfill (default weekly:12; 'none' to skip)")

    def run(self, **options: Any) -> None:
        repository = self._repository(options["repo"])
        if repository is None:
            return
        failed = False
        try:
            scan = scan_request(repository=repository, enqueue=False)
            failed = not self._run(scan.pk, label="scan")
            if not failed:  # the demo shows the debt register too: its post-scan step runs here, not later
                scan_after_wait(scan_id=scan.pk)
            if options["backfill"] != "none" and not failed:
                self._backfill(repository, options["backfill"])
        except ScanAlreadyRunning as exc:
            self.stdout.write(f"debtboard demo: {exc.message}")
        except DebtboardError as exc:
            self.stderr.write(f"debtboard demo: {exc.message}")
            failed = True
        self._where_to_look(repository.name)
        if failed:
            raise CommandError("The demo scan failed (see above); the server still starts.")

    def _repository(self, path: str) -> Repository | None:
        """The repository registered for `path`, registered now if needed; None when `path` cannot be used."""
        resolved = Path(path).expanduser().resolve()
        existing = repository_list(path=str(resolved)).first()
        if existing is not None:
            return existing
        try:
            name = DEMO_NAME
            try:
                repository_get(name=DEMO_NAME)
                name = None  # "demo" names another folder: register this one under its own name
            except DebtboardError:
                pass
            repository = repository_create(source=str(resolved), name=name)
        except DebtboardError as exc:
            self.stdout.write(
                f"debtboard demo: {resolved} cannot be used as the demo repository: {exc.message}\n"
                "No demo data is loaded; register a repository with `debtboard addrepo PATH_OR_URL` "
                "or run `make run REPO=/path/to/a/git/repository`."
            )
            return None
        self.stdout.write(f"Registered {resolved} as {repository.name}.")
        return repository

    def _backfill(self, repository: Repository, spec: str) -> None:
        past = scan_backfill(repository=repository, spec=spec, enqueue=False)
        # As `scan --backfill`: one analysis pool, the changed files analysed beside the scans.
        with scan_backfill_running(scans=past):
            succeeded = sum(
                self._run(scan.pk, label=f"backfill {number}/{len(past)} {scan.committed_at:%Y-%m-%d}", quiet=True)
                for number, scan in enumerate(past, 1)
            )
        self.stdout.write(f"Backfilled {succeeded} of {len(past)} new trend points ({spec}); older points are "
                          "scanned already or before the first commit.")

    def _run(self, scan_id: int, *, label: str, quiet: bool = False) -> bool:
        scan = scan_run_displayed(scan_id=scan_id, stream=getattr(self.stderr, "_out", sys.stderr), label=label)
        if not scan.succeeded:
            self.stderr.write(scan_outcome(scan))
            return False
        if not quiet:
            self.stdout.write(scan_outcome(scan))
        return True

    def _where_to_look(self, name: str) -> None:
        self.stdout.write(
            f"Where to look:\n"
            f"  web:  http://127.0.0.1:8000/ (log in, then open the repository {name})\n"
            f"  CLI:  debtboard hotspots {name}   debtboard coupling {name}   debtboard owners {name}\n"
            f"  API:  http://127.0.0.1:8000/api/docs/"
        )
