"""The `debtboard` console script: `debtboard scan …` is `python manage.py scan …`, usable as an installed tool.

Three things make it work outside a configured server:
- No secret key is needed for local use: without DJANGO_SECRET_KEY (and with DJANGO_DEBUG off) the script asks
  the settings for a key generated once into the data directory (`secret_key`, mode 0600). The web server
  (gunicorn, `manage.py`) is not started through this script and still requires DJANGO_SECRET_KEY.
- `debtboard`, `debtboard --help` and `debtboard help` list debtboard's own commands first, one line each,
  without setting Django up: each command's `help` is read from its source file (start-up < 0.5 s,
  docs/scanning.md). Every other command imports only what it needs (see the commands' own imports).
- Nothing here loads the Celery app (see debtboard.celery), so the working directory never shadows a package.
"""
import ast
import os
import sys
import textwrap
from pathlib import Path

HELP_ARGS = ([], ["help"], ["--help"], ["-h"])
DEBTBOARD_APPS = ("metrics", "debt", "sprints", "api", "frontend")
# `debtboard check` is the CI change check; Django's system check stays `manage.py check`.
ALIASES = {"check": "changecheck"}
SHOWN_AS = {command: alias for alias, command in ALIASES.items()}


def _summary(help_text: str, width: int) -> str:
    """The first sentence of a command's help, cut to `width` characters."""
    first = " ".join(help_text.split()).split(". ")[0].rstrip(".")
    return textwrap.shorten(first, width=width, placeholder="…")


def command_help(path: Path) -> str:
    """A command module's `Command.help` text, read from its source without importing it ("" if none)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ""
    texts = [_text(statement.value) for statement in _command_body(tree) if _assigns(statement, "help")]
    return next((text for text in texts if text), "")


def _command_body(tree: ast.Module) -> list[ast.stmt]:
    """The statements of the module's `class Command`."""
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Command"]
    return [statement for node in classes for statement in node.body]


def _text(value: ast.expr | None) -> str:
    """A string literal's value ("" for anything else; implicit concatenation is one literal)."""
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else ""


def _assigns(statement: ast.stmt, name: str) -> bool:
    """Whether the statement is `name = …`."""
    targets = statement.targets if isinstance(statement, ast.Assign) else []  # `help: str = …` is not used
    return any(isinstance(target, ast.Name) and target.id == name for target in targets)


def own_commands() -> dict[str, str]:
    """debtboard's own management commands and their help texts, from the apps' `management/commands`."""
    root = Path(__file__).resolve().parent.parent
    found = {}
    for app in DEBTBOARD_APPS:
        for path in sorted((root / app / "management" / "commands").glob("*.py")):
            if not path.name.startswith("_"):
                found[path.stem] = command_help(path)
    return found


def usage() -> str:
    """debtboard's own commands with one line each, then where Django's commands are listed."""
    ours = own_commands()
    width = max(map(len, ours)) + 2
    lines = ["Usage: debtboard COMMAND [options]   (debtboard COMMAND --help: the command's options)", "",
             "debtboard commands:"]
    for name in sorted(ours):
        lines.append(f"  {SHOWN_AS.get(name, name):<{width}}{_summary(ours[name], 100 - width)}")
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
    if args[:1] == ["scan"]:  # it analyses: its pool's server loads the analysis while Django is set up
        from metrics.services.analysis_server import analysis_server_start

        analysis_server_start()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["debtboard", *args])


def entry() -> None:
    """The console script `debtboard`: `main`, then an exit without the interpreter's teardown
    (debtboard.fast_exit; `main` itself returns, for callers in a process that goes on)."""
    from debtboard.fast_exit import run_then_exit_quickly

    run_then_exit_quickly(main)


if __name__ == "__main__":
    entry()
