"""DebtboardCommand: every management command turns service errors into a one-line CommandError."""
import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from debtboard.commands import DebtboardCommand
from debtboard.errors import Conflict, NotFound

DEBTBOARD_APPS = ("metrics", "debt", "sprints", "api", "frontend")


def test_every_debtboard_command_derives_from_debtboard_command() -> None:
    ours = {name: app for name, app in get_commands().items() if app in DEBTBOARD_APPS}
    assert {"scan", "addrepo", "hotspots", "debt_export", "apitoken", "ensure_admin"} <= set(ours)
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), DebtboardCommand), name


@pytest.mark.parametrize("error", [NotFound("No repository 'x'."), Conflict("A scan of x is running.")])
def test_debtboard_command_turns_a_service_error_into_its_one_line_message(error: Exception) -> None:
    class Failing(DebtboardCommand):
        def run(self, **options: object) -> None:
            raise error

    with pytest.raises(CommandError) as caught:
        Failing().handle()
    assert str(caught.value) == error.message
    assert caught.value.__cause__ is error


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["hotspots", "coupling", "owners", "scan", "debt_refresh"])
def test_commands_report_an_unknown_repository_as_a_command_error(command: str) -> None:
    with pytest.raises(CommandError, match="nope"):
        call_command(command, "nope")
