"""The exchange format without a database: records to CSV or JSON text and back, the locations cell, refusals."""
import json

import pytest

from debt.errors import DebtItemInvalid, ImportInvalid
from debt.services.transfer_codec import (
    COLUMNS,
    MAX_IMPORT_ROWS,
    csv_cell,
    decode,
    encode,
    location_entries,
    parse_location_text,
)

LINK = {"path": "app/x.py", "original_path": "app/x.py", "qualname": "", "line_start": 3, "line_end": 4,
        "revision": "", "anchored_at": None, "renamed_in": ""}
RECORD = dict.fromkeys(COLUMNS, "") | {
    "id": 7, "title": "=cmd|' /C calc'!A0", "kind": "code", "status": "planned", "dismissed": False,
    "impact": 4, "effort": "2.50", "labels": ["core", "parser"], "locations": [LINK], "marker_line": None,
    "description": "two\nlines, \"quoted\"", "owner": "ada",
}


@pytest.mark.parametrize(("value", "cell"), [
    (None, ""),
    (True, "true"),
    (False, "false"),
    (3, "3"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("plain", "plain"),
    (["core", "parser"], "core, parser"),
    ([], ""),
    ([{"path": "a.py"}], '[{"path": "a.py"}]'),
])
def test_csv_cells(value, cell):
    assert csv_cell(value) == cell


def test_csv_round_trip_gives_back_every_cell_as_text():
    [(number, row)] = decode(encode([RECORD], format="csv", header={}), format="csv").rows
    assert number == 2
    assert row["title"] == RECORD["title"]  # the formula quote is written, then removed again
    assert row["description"] == RECORD["description"]
    assert (row["id"], row["dismissed"], row["impact"], row["marker_line"]) == ("7", "false", "4", "")
    assert row["labels"] == "core, parser" and json.loads(row["locations"]) == [LINK]


def test_json_round_trip_keeps_types_and_the_header():
    text = encode([RECORD], format="json", header={"repository": "demo"})
    data = json.loads(text)
    assert (data["format"], data["repository"], list(data)) == ("debtboard.debt/1", "demo",
                                                                ["format", "repository", "items"])
    decoded = decode(text, format="json")
    assert decoded.rows == ((1, RECORD),) and decoded.ignored_columns == ()


@pytest.mark.parametrize(("content", "format", "rows", "ignored"), [
    ("title,colour\nA,red\n", "csv", ((2, {"title": "A", "colour": "red"}),), ("colour",)),
    (" title , kind\nA,code\n", "csv", ((2, {"title": "A", "kind": "code"}),), ()),
    ("\ufefftitle\nA\x00B\n".encode(), "csv", ((2, {"title": "AB"}),), ()),
    ("title\nA,extra\n", "csv", ((2, {"title": "A"}),), ()),
    ('[{"title": "A", "x": 1}, "oops"]', "json", ((1, {"title": "A", "x": 1}), (2, "oops")), ("x",)),
    ('{"items": []}', "json", (), ()),
])
def test_decode(content, format, rows, ignored):
    decoded = decode(content, format=format)
    assert (decoded.rows, decoded.ignored_columns) == (rows, ignored)


@pytest.mark.parametrize(("content", "format", "message"), [
    ("name,kind\nx,code\n", "csv", "header row with a 'title' column"),
    ("{not json", "json", "cannot be read"),
    ('{"items": 3}', "json", 'an object with an "items" list'),
    ("title\nCaf\xe9\n".encode("latin-1"), "csv", "not UTF-8"),
    (b"x" * (10 * 1024 * 1024 + 1), "csv", "larger than 10 MB"),
    ("title\n" + "a\n" * (MAX_IMPORT_ROWS + 1), "csv", f"the limit is {MAX_IMPORT_ROWS}"),
])
def test_decode_refuses_unreadable_files(content, format, message):
    with pytest.raises(ImportInvalid, match=message):
        decode(content, format=format)


@pytest.mark.parametrize(("text", "entry"), [
    ("app/x.py", {"path": "app/x.py"}),
    ("app/x.py::Parser.parse", {"path": "app/x.py", "qualname": "Parser.parse"}),
    ("app/x.py#L10-20", {"path": "app/x.py", "line_start": "10", "line_end": "20"}),
    ("app/x.py#L7", {"path": "app/x.py", "line_start": "7", "line_end": "7"}),
    ("app/x.py::f#L1-2@abc1234", {"path": "app/x.py", "qualname": "f", "line_start": "1", "line_end": "2",
                                  "revision": "abc1234"}),
])
def test_location_text(text, entry):
    assert parse_location_text(text) == entry


@pytest.mark.parametrize(("value", "entries"), [
    (None, []),
    ("", []),
    ("a.py\n\nb/\n", [{"path": "a.py"}, {"path": "b/"}]),
    ('[{"path": "a.py", "line_start": 2}]', [{"path": "a.py", "line_start": 2}]),
    (["a.py", {"path": "b.py"}], [{"path": "a.py"}, {"path": "b.py"}]),
])
def test_location_entries(value, entries):
    assert location_entries(value) == entries


@pytest.mark.parametrize(("value", "message"), [
    ("[not json", "not valid JSON"),
    ({"path": "a.py"}, "list of paths"),
    ('["a.py", 3]', "list of paths"),
    ([3], "list of paths"),
])
def test_location_entries_refuse(value, message):
    with pytest.raises(DebtItemInvalid, match=message):
        location_entries(value)
