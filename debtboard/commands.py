"""DebtboardCommand: the base of every debtboard management command; service errors become CommandError."""
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from debtboard.errors import DebtboardError


class DebtboardCommand(BaseCommand):
    """A management command whose `run` may raise any DebtboardError.

    Subclasses implement `run(**options)` instead of `handle`; a DebtboardError escaping `run` becomes a
    CommandError with the error's one-line message (so the user sees "No repository 'x'." and exit code 1,
    not a traceback). A command that reacts to one kind itself (e.g. `demo` reports a running scan and goes
    on) catches it inside `run`, as before.
    """

    # Django's system checks import every URL pattern, view and API serializer (seconds of start-up for a
    # command printing a table); they run in `manage.py check`, `migrate`, `runserver`/`serve` and CI.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(**options)
        except DebtboardError as exc:
            raise CommandError(exc.message) from exc

    def run(self, **options: Any) -> None:
        """Carry out the command; raise DebtboardError (or CommandError) to fail with a message."""
        raise NotImplementedError(f"{type(self).__name__} must implement run(**options).")
