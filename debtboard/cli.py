"""The `debtboard` console script: `debtboard scan …` is `python manage.py scan …`."""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a debtboard management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debtboard.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["debtboard", *args])
