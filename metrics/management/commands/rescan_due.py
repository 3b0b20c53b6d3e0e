"""`manage.py rescan_due` (`debtboard rescan_due`): queue the scheduled rescans that are due, for cron users."""
from typing import Any

from debtboard.commands import DebtboardCommand
from metrics.services.scans.schedule import rescan_due


class Command(DebtboardCommand):
    help = ("Queue a scan of every repository whose rescan schedule is due (for cron; the embedded worker and "
            "Celery beat do the same on their own). Prints one line per repository it fired for.")

    def run(self, **options: Any) -> None:
        fired = rescan_due()
        for item in fired:
            scan = f" (scan {item.scan_id})" if item.scan_id else ""
            message = f": {item.message}" if item.outcome == "failed" else ""
            line = f"{item.repository}: {item.outcome}{scan}{message}"
            self.stdout.write(self.style.ERROR(line) if item.outcome == "failed" else line)
        if not fired:
            self.stdout.write("No scheduled rescan is due.")
