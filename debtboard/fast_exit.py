"""Ending the `debtboard` command without the interpreter's teardown, once the command is done.

After a command returns, Python's own shutdown still frees every module and object one at a time: for a
process that set Django up (and scanned) that is 0.15-0.27 s on this project's 2-core machine, time the
user waits for nothing (`debtboard hotspots`: 0.70-0.77 s with it, 0.57-0.67 s without). So once the
command has returned and the usual shutdown has run every exit handler (threads joined, multiprocessing's
children stopped, logging flushed), the process closes its database connections (SQLite checkpoints its
write-ahead log then), flushes its output and ends with os._exit. A command that raised, or called
sys.exit, ends the usual way. docs/scanning.md, "Where the time goes (issue 16)".
"""
import atexit
import os
import sys
from collections.abc import Callable


def run_then_exit_quickly(command: Callable[[], object]) -> None:
    """Run `command`; when it returns, the process ends after its exit handlers, without the teardown."""
    done: list[bool] = []
    # Registered before anything else is (the console script imports nothing that registers one): the
    # handlers run last-registered first, so this one runs after all the others.
    atexit.register(_exit_if_done, done)
    command()
    done.append(True)


def _exit_if_done(done: list[bool]) -> None:
    if not done:
        return
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`debtboard hotspots | head -1`)
            pass
    os._exit(0)
