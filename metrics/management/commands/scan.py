"""`scan REPO [--rev REV] [--backfill SPEC]` scans a repository in this process with a live progress display."""
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from metrics.choices import AfterScanStatus
from metrics.management.output import after_scan_outcome, scan_outcome, scan_run_displayed
from metrics.models import Repository, Scan
from metrics.selectors.repositories import repository_get
from metrics.services.scans.after import scan_after_wait
from metrics.services.scans.backfill import scan_backfill, scan_backfill_running
from metrics.services.scans.requests import scan_request


class Command(DebtboardCommand):
    help = (
        "Scan a registered repository: fetch (remotes), mine history, analyse Python files, score. "
        "--backfill weekly:N|monthly:N|daily:N scans past revisions for trends instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repo", metavar="REPO", help="repository name (see addrepo --list)")
        parser.add_argument("--rev", default="", help="revision to scan (default: the repository's default)")
        parser.add_argument("--backfill", metavar="SPEC", help="e.g. weekly:52: scan the past for trend charts")
        parser.add_argument("--wait", action="store_true",
                            help="after the scan, wait for its post-scan step (debt register, sprint snapshots), "
                                 "running it here if no worker has taken it")

    def run(self, **options: Any) -> None:
        try:
            repository = repository_get(name=options["repo"])
            if options["backfill"]:
                self._backfill(repository, options["backfill"])
            else:
                scan = scan_request(repository=repository, revision=options["rev"], enqueue=False)
                scan = self._run(scan.pk, label="")
                self._after(scan, wait=options["wait"])
        except KeyboardInterrupt:
            raise CommandError("Interrupted: the scan was marked interrupted; the previous results are unchanged.",
                               returncode=130) from None

    def _run(self, scan_id: int, *, label: str) -> Scan:
        scan = scan_run_displayed(scan_id=scan_id, stream=getattr(self.stderr, "_out", sys.stderr), label=label)
        if not scan.succeeded:
            raise CommandError(scan_outcome(scan))
        self.stdout.write(scan_outcome(scan))
        return scan

    def _after(self, scan: Scan, *, wait: bool) -> None:
        """Say where the post-scan step is; with --wait, wait for it (or run it here) and say how it ended."""
        if wait and scan.after_status in (AfterScanStatus.QUEUED, AfterScanStatus.RUNNING):
            self.stdout.write("Waiting for the post-scan step (debt register, sprint snapshots)…")
            scan = scan_after_wait(scan_id=scan.pk)
        line = after_scan_outcome(scan)
        if scan.after_status == AfterScanStatus.FAILED:
            raise CommandError(line)
        if line:
            self.stdout.write(line)

    def _backfill(self, repository: Repository, spec: str) -> None:
        scans = scan_backfill(repository=repository, spec=spec, enqueue=False)
        if not scans:
            self.stdout.write(f"Nothing to backfill for {repository.name} with {spec}: every point is scanned "
                              "already or older than the first commit.")
            return
        failures = []
        # One analysis pool for every past revision, not one started and stopped for each; the files that
        # changed in the backfilled period are analysed on it beside the scans.
        with scan_backfill_running(scans=scans) as changed:
            self.stdout.write(f"{changed} file versions of the {len(scans)} past revisions are not in the cache: "
                              "they are analysed beside the scans.")
            for number, scan in enumerate(scans, 1):
                label = f"[{number}/{len(scans)} {scan.committed_at:%Y-%m-%d}]"
                try:
                    self._run(scan.pk, label=label)
                except CommandError as exc:
                    self.stderr.write(str(exc))
                    failures.append(scan.pk)
        if failures:
            raise CommandError(f"{len(failures)} of {len(scans)} backfill scans failed: {failures}.")
        self.stdout.write(f"Backfilled {len(scans)} past revisions of {repository.name}.")
