"""Parsing `git diff --raw -z`, path checks and CI environment variables: tables, no git, no database."""
import json

import pytest

from metrics.core.changed_files import ChangedFile, parse_raw_diff, select_changes
from metrics.core.ci_environment import ci_branch, ci_reference
from metrics.core.gate import path_problem

A, B = "a" * 40, "b" * 40
NULL = "0" * 40


def raw(*records: str) -> bytes:
    return "\0".join(records).encode() + b"\0"


@pytest.mark.parametrize(("output", "expected"), [
    (raw(f":100644 100644 {A} {B} M", "x.py"), [ChangedFile("M", "x.py", "", A, B)]),
    (raw(f":000000 100644 {NULL} {B} A", "new.py"), [ChangedFile("A", "new.py", "", "", B)]),
    (raw(f":100644 000000 {A} {NULL} D", "gone.py"), [ChangedFile("D", "gone.py", "", A, "")]),
    (raw(f":100644 100644 {A} {A} R100", "old.py", "new.py"), [ChangedFile("R", "new.py", "old.py", A, A)]),
    (raw(f":120000 120000 {A} {B} M", "link.py"), []),  # a symlink is never read
    (raw(f":100644 120000 {A} {B} T", "now-link.py"), [ChangedFile("T", "now-link.py", "", A, "")]),
    (raw(f":160000 160000 {A} {B} M", "sub"), []),
    (raw(f":100644 100644 {A} {B} M", "a\nb.py", f":100644 100644 {A} {B} M", "c.py"),
     [ChangedFile("M", "a\nb.py", "", A, B), ChangedFile("M", "c.py", "", A, B)]),
    (b"", []),
])
def test_parse_raw_diff(output, expected):
    assert parse_raw_diff(output) == expected


def test_select_changes_keeps_a_python_file_renamed_away():
    changes = [ChangedFile("R", "notes.txt", "tool.py", A, A), ChangedFile("M", "README", "", A, B),
               ChangedFile("M", "pkg/migrations/0001.py", "", A, B), ChangedFile("A", "b.py", "", "", B)]
    selected = select_changes(changes, include=("**/*.py", "*.py"), exclude=("**/migrations/**",))
    assert [change.path for change in selected] == ["b.py", "notes.txt"]


@pytest.mark.parametrize(("path", "problem"), [
    ("pkg/mod.py", ""),
    ("", "non-empty"),
    ("a\nb.py", "control characters"),
    ("a\x00b.py", "control characters"),
    ("../etc/passwd", "'..' segments"),
    ("pkg/../x.py", "'..' segments"),
    ("/abs.py", "relative"),
    ("pkg//x.py", "empty"),
    ("x" * 1001, "at most 1000"),
])
def test_path_problem(path, problem):
    found = path_problem(path)
    assert (problem in found) if problem else found == ""


def test_a_github_event_file_names_the_pull_request(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 17}}))
    assert ci_reference({"GITHUB_EVENT_PATH": str(event), "GITHUB_REF": "refs/pull/99/merge"}) == "17"
    assert ci_reference({"GITHUB_EVENT_PATH": str(tmp_path / "missing.json")}) == ""


@pytest.mark.parametrize(("env", "reference"), [
    ({"GITHUB_REF": "refs/pull/99/merge"}, "99"),
    ({"GITHUB_REF": "refs/heads/main"}, ""),
    ({"CI_MERGE_REQUEST_IID": "5"}, "5"),
    ({"CHANGE_ID": "12"}, "12"),
    ({}, ""),
])
def test_ci_reference(env, reference):
    assert ci_reference(env) == reference


@pytest.mark.parametrize(("env", "branch"), [
    ({"GITHUB_HEAD_REF": "feature/x", "GITHUB_REF_NAME": "17/merge"}, "feature/x"),
    ({"CI_COMMIT_BRANCH": "main"}, "main"),
    ({"GIT_BRANCH": "origin/dev"}, "dev"),
    ({}, ""),
])
def test_ci_branch(env, branch):
    assert ci_branch(env) == branch
