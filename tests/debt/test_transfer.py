"""Import and export: refused rows reported with reasons, idempotent re-import, lossless round trips."""
import json
from datetime import date, datetime, timezone

import pytest

from debt.data import LocationSpec
from debt.errors import ImportInvalid
from debt.models import DebtItem, DebtTransition
from debt.services.items import debt_item_create
from debt.services.lifecycle import debt_item_transition
from debt.services.proposals import debt_proposal_dismiss
from debt.services.transfer import debt_item_export, debt_item_import
from tests.debt.factories import make_repository, make_user

GOOD_AND_BAD_CSV = "".join([
    'title,kind,status,impact,effort,owner,labels,external_url,external_id,locations,due_date\n',
    'Split the parser,design,planned,4,6.5,ada,"parser, Big Refactor",'
    'https://tracker.example.com/DEBT-1,DEBT-1,"app/parse.py::Parser.parse#L10-40",2025-03-31\n',
    'Too important,code,accepted,9,1,,,,DEBT-2,,\n',
    'Sneaky link,code,accepted,2,1,,,javascript:alert(1),DEBT-3,,\n',
    'Unknown owner,code,accepted,2,1,nobody,,,DEBT-4,,\n',
    ',code,accepted,2,1,,,,DEBT-5,,\n',
    'Negative work,code,accepted,2,-3,,,,DEBT-6,../etc/passwd,\n',
    'Folder debt,test,proposed,2,3,,,,,"pkg/\n',
    'docs/guide.md",\n',
    'Twice,code,accepted,2,1,,,,DEBT-1,,\n',
])


@pytest.fixture
def imported(db):
    """GOOD_AND_BAD_CSV imported by Ada into a fresh repository: (repository, ada, report)."""
    repository = make_repository()
    ada = make_user("ada")
    report = debt_item_import(repository=repository, content=GOOD_AND_BAD_CSV.encode(), format="csv", actor=ada)
    return repository, ada, report


def test_import_saves_valid_rows_and_reports_refused_rows_with_reasons(imported):
    _repository, _ada, report = imported
    assert (report.created, report.updated) == (2, 0)
    refused = [(error.row, error.field) for error in report.refused]
    assert refused == [
        (3, "impact"), (4, "external_url"), (5, "owner"), (6, "title"), (7, "effort"), (7, "locations"),
        (9, "external_id"),  # spreadsheet rows: the two-line cell above is one row
    ]
    assert report.refused_rows == (3, 4, 5, 6, 7, 9)
    messages = {(error.row, error.field): error.message for error in report.refused}
    assert messages[(3, "impact")] == "impact must be a whole number from 1 to 5; got 9."
    assert messages[(5, "owner")] == "No user 'nobody'; create the account first."
    assert messages[(9, "external_id")] == "Same external_id as row 2."


def test_an_imported_row_keeps_every_field_and_its_location(imported):
    _repository, ada, _report = imported
    parser = DebtItem.objects.get(external_id="DEBT-1")
    assert (parser.title, parser.kind, parser.status, parser.impact, str(parser.effort)) == (
        "Split the parser", "design", "planned", 4, "6.50")
    assert parser.owner == ada and parser.reporter == ada and parser.due_date == date(2025, 3, 31)
    assert sorted(label.name for label in parser.labels.all()) == ["big-refactor", "parser"]
    location = parser.locations.get()
    assert (location.path, location.qualname, location.line_start, location.line_end) == (
        "app/parse.py", "Parser.parse", 10, 40)


def test_a_multi_line_locations_cell_links_every_path(imported):
    folder = DebtItem.objects.get(title="Folder debt")
    assert sorted(folder.locations.values_list("path", flat=True)) == ["docs/guide.md", "pkg/"]
    assert folder.fingerprint == ""  # no external id: recognised by title, kind and paths on re-import


def test_importing_the_same_file_again_changes_nothing(imported):
    repository, ada, _report = imported
    again = debt_item_import(repository=repository, content=GOOD_AND_BAD_CSV, format="csv", actor=ada)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert DebtItem.objects.count() == 2


@pytest.mark.django_db
def test_import_refuses_unreadable_files_as_a_whole():
    repository = make_repository()
    with pytest.raises(ImportInvalid, match="header row with a 'title' column"):
        debt_item_import(repository=repository, content="name,kind\nx,code\n", format="csv")
    with pytest.raises(ImportInvalid, match="cannot be read"):
        debt_item_import(repository=repository, content="{not json", format="json")
    with pytest.raises(ImportInvalid, match="not UTF-8"):
        debt_item_import(repository=repository, content="title\nCaf\xe9\n".encode("latin-1"), format="csv")
    report = debt_item_import(repository=repository, content=json.dumps(
        [{"title": "ok"}, "oops", {"kind": "x"}, {"external_id": "NEW-1"}]), format="json")
    assert report.created == 1
    assert [(e.row, e.field) for e in report.refused] == [(2, ""), (3, "kind"), (4, "title")]


@pytest.mark.django_db
def test_an_import_updates_the_item_with_the_same_external_id_and_records_it():
    repository = make_repository()
    item = debt_item_create(repository=repository, title="Old title", external_id="JIRA-7", impact=2)
    content = json.dumps({"items": [{"external_id": "JIRA-7", "title": "New title", "impact": 5,
                                     "status": "in_progress"}]})
    report = debt_item_import(repository=repository, content=content, format="json")
    assert (report.created, report.updated) == (0, 1)
    item.refresh_from_db()
    assert (item.title, item.impact, item.status) == ("New title", 5, "in_progress")
    assert DebtTransition.objects.get(item=item).note == "imported"
    assert set(item.changes.values_list("field", flat=True)) >= {"title", "impact"}


def rich_register(repository):
    ada, grace = make_user("ada"), make_user("grace")
    first = debt_item_create(
        repository=repository, title="=HYPERLINK(\"evil\")", description="# Why\n\nBecause *reasons*,\nand more.",
        kind="architecture", impact=5, effort="12.25", due_date=date(2025, 6, 30), owner=grace, actor=ada,
        labels=["core", "q3"], external_url="https://tracker.example.com/A-1", external_id="A-1",
        locations=[LocationSpec("app/core.py", qualname="Rules.apply", line_start=3, line_end=30,
                                revision="a" * 40), LocationSpec("docs/")],
    )
    first.locations.filter(path="app/core.py").update(path="src/core.py", renamed_in="b" * 40)
    debt_item_transition(item=first, to_status="in_progress")
    second = debt_item_create(repository=repository, title="TODO: cover, \"quoted\" cases", status="proposed",
                              kind="code", impact=2, effort=1)
    DebtItem.objects.filter(pk=second.pk).update(
        source="marker", signal="marker", fingerprint="f" * 64, marker_tag="TODO", marker_text="cover cases",
        marker_line=12, marker_author="Grace", marker_email="grace@example.com", marker_commit="c" * 40,
        marker_added_at=datetime(2024, 2, 3, 4, 5, 6, tzinfo=timezone.utc),
    )
    second.refresh_from_db()
    debt_proposal_dismiss(item=second)
    debt_item_create(repository=repository, title="Plain", kind="lint", impact=1, effort="0.5")


def COMPARED(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in {"id", "updated_at", "interest", "priority"}}


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "json"])
def test_export_then_import_round_trip_preserves_everything(format):
    repository = make_repository()
    rich_register(repository)
    exported = debt_item_export(repository=repository, format=format)
    before = json.loads(debt_item_export(repository=repository, format="json"))["items"]
    DebtItem.objects.all().delete()

    report = debt_item_import(repository=repository, content=exported, format=format)
    assert (report.created, report.refused) == (3, ())
    after = json.loads(debt_item_export(repository=repository, format="json"))["items"]
    assert [COMPARED(r) for r in after] == [COMPARED(r) for r in before]
    assert after[0]["locations"][0]["original_path"] == "app/core.py"
    assert after[0]["locations"][0]["path"] == "src/core.py"
    assert after[1]["dismissed"] is True and after[1]["marker_line"] == 12

    # Importing the same export again changes nothing.
    again = debt_item_import(repository=repository, content=exported, format=format)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.django_db
def test_csv_export_quotes_formula_like_cells():
    repository = make_repository()
    rich_register(repository)
    exported = debt_item_export(repository=repository, format="csv")
    assert "'=HYPERLINK" in exported
    assert exported.splitlines()[0].startswith("id,external_id,fingerprint,title,description,kind,status")


@pytest.mark.django_db
def test_a_register_moved_to_another_instance_still_recognises_its_markers():
    from debt.services.discovery import debt_item_discover
    from tests.debt.factories import T0, make_file, make_scan

    source = make_repository("source")
    scan = make_scan(source, committed_at=T0)
    make_file(scan, "app/core.py", markers=[("TODO", 12, "cover more cases")])
    debt_item_discover(scan=scan)
    exported = debt_item_export(repository=source, format="json")

    target = make_repository("target")
    assert debt_item_import(repository=target, content=exported, format="json").created == 1
    target_scan = make_scan(target, committed_at=T0)
    make_file(target_scan, "app/core.py", markers=[("TODO", 13, "cover more cases")])
    assert debt_item_discover(scan=target_scan).created == 0
    assert DebtItem.objects.filter(repository=target).count() == 1


@pytest.mark.django_db
def test_a_partial_sheet_changes_only_its_columns():
    repository = make_repository()
    ada = make_user("ada")
    item = debt_item_create(repository=repository, title="Parser", external_id="P-1", kind="design", impact=2,
                            owner=ada, labels=["parser"], description="Keep me",
                            locations=[LocationSpec("app/parse.py")])
    DebtItem.objects.filter(pk=item.pk).update(fingerprint="e" * 64)
    report = debt_item_import(repository=repository, content="external_id,impact,status\nP-1,5,\n", format="csv")
    assert (report.updated, report.refused) == (1, ())
    item.refresh_from_db()
    assert (item.impact, item.kind, item.status, item.owner, item.description, item.fingerprint) == (
        5, "design", "accepted", ada, "Keep me", "e" * 64)
    assert [label.name for label in item.labels.all()] == ["parser"]
    assert list(item.locations.values_list("path", flat=True)) == ["app/parse.py"]
    assert list(item.changes.exclude(field="created").values_list("field", "old_value", "new_value")) == [
        ("impact", "2", "5")]
