"""The `debtboard` console script: `debtboard scan …` is `python manage.py scan …`, usable as an installed tool.

Three things make it work outside a configured server:
- No secret key is needed for local use: without DJANGO_SECRET_KEY (and with DJANGO_DEBUG off) the script asks
  the settings for a key generated once into the data directory (`secret_key`, mode 0600). The web server
  (gunicorn, `manage.py`) is not started through this script and still requires DJANGO_SECRET_KEY.
- `debtboard`, `debtboard --help` and `debtboard help` list debtboard's own commands first, one line each.
- Nothing here loads the Celery app (see debtboard.celery), so the working directory never shadows a package.
"""
import os
import sys
import textwrap

HELP_ARGS = ([], ["help"], ["--help"], ["-h"])
DEBTBOARD_APPS = ("metrics", "debt", "sprints", "api", "frontend")
# `debtboard check` is the CI change check; Django's system check stays `manage.py check`.
ALIASES = {"check": "changecheck"}
SHOWN_AS = {command: alias for alias, command in ALIASES.items()}


def _summary(help_text: str, width: int) -> str:
    """The first sentence of a command's help, cut to `width` characters."""
    first = " ".join(help_text.split()).split(". ")[0].rstrip(".")
    return textwrap.shorten(first, width=width, placeholder="…")


def usage() -> str:
    """debtboard's own commands with one line each, then where Django's commands are listed."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    ours = sorted(name for name, app in get_commands().items() if app in DEBTBOARD_APPS)
    width = max(map(len, ours)) + 2
    lines = ["Usage: debtboard COMMAND [options]   (debtboard COMMAND --help: the command's options)", "",
             "debtboard commands:"]
    for name in ours:
        help_text = str(load_command_class(get_commands()[name], name).help)
        lines.append(f"  {SHOWN_AS.get(name, name):<{width}}{_summary(help_text, 100 - width)}")
    lines += ["", "Django's own commands (migrate, runserver, createsuperuser, …) work too: "
              "`debtboard help --commands` lists every command."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run a debtboard management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debtboard.settings")
    os.environ.setdefault("DEBTBOARD_LOCAL_SECRET_KEY", "true")
    args = list(sys.argv[1:] if argv is None else argv)
    if args in HELP_ARGS:
        print(usage())
        return
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["debtboard", *args])


if __name__ == "__main__":
    main()
