"""`manage.py serve [addrport]`: the web server and the embedded scan worker in one command (`make run`)."""
import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command

from debtboard.commands import DebtboardCommand


class Command(DebtboardCommand):
    help = ("Serve the UI (runserver) with the embedded scan worker beside it; Ctrl-C stops both. "
            "With CELERY_BROKER_URL set no worker is started: run `make worker`.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true", help="Do not restart the server on code changes.")

    def run(self, **options: Any) -> None:
        # runserver's autoreloader runs this command again in a child (RUN_MAIN=true): one worker only.
        worker = None
        if not settings.CELERY_BROKER_URL and os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen([sys.executable, "-m", "django", "scan_worker"], env=os.environ.copy())
            self.stdout.write(f"Scan worker started (pid {worker.pid}); its log lines appear below.")
        signal.signal(signal.SIGTERM, _raise_interrupt)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
        try:
            call_command("runserver", options["addrport"], use_reloader=not options["noreload"])
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                _stop(worker)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop(worker: subprocess.Popen) -> None:
    """Stop the worker (it records a running scan interrupted) and wait for it; kill it if it hangs."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
