"""Debt markers and suppressions come from real comments only."""
import pytest

from metrics.core.markers import markers_from_source, might_have_markers

TAGS = ("TODO", "FIXME", "HACK", "XXX")


def found(source: str, tags: tuple[str, ...] = TAGS) -> list[tuple[str, str, int, str]]:
    return [(m.kind, m.tag, m.line, m.text) for m in markers_from_source(source, tags)]


@pytest.mark.parametrize(("source", "expected"), [
    ("# TODO: write docs\n", [("debt", "TODO", 1, "TODO: write docs")]),
    ("x = 1  # FIXME(ada) off by one\n", [("debt", "FIXME", 1, "FIXME(ada) off by one")]),
    ("# HACK\n", [("debt", "HACK", 1, "HACK")]),
    ("#XXX remove\n", [("debt", "XXX", 1, "XXX remove")]),
    ("# todo: lower case counts\n", [("debt", "TODO", 1, "todo: lower case counts")]),
    ("# TODO: see issue #12\n", [("debt", "TODO", 1, "TODO: see issue #12")]),
    ("x = 1  # noqa: E501  # TODO drop\n", [("noqa", "noqa", 1, "E501"), ("debt", "TODO", 1, "TODO drop")]),
    ("# TODOS are not markers\n", []),
    ("# the TODO list lives elsewhere\n", []),  # a tag must open the comment
    ("# AUTODOC\n", []),
    ("s = '# TODO inside a string'\n", []),
    ('"""\nTODO: inside a docstring\n"""\n', []),
    ("s = f'{x}  # FIXME'\n", []),
    ("import os  # noqa\n", [("noqa", "noqa", 1, "")]),
    ("import os, sys  # NOQA:F401,E401\n", [("noqa", "noqa", 1, "F401,E401")]),
    ("import os  # noqa: F401, E501\n", [("noqa", "noqa", 1, "F401,E501")]),
    ("# flake8: noqa\n", [("noqa", "flake8: noqa", 1, "flake8: noqa")]),
    ("x = f()  # type: ignore\n", [("type_ignore", "type: ignore", 1, "")]),
    ("x = f()  # type: ignore[attr-defined]\n", [("type_ignore", "type: ignore", 1, "attr-defined")]),
    ("x: int = 1  # type: int\n", []),
    ("x = [\n    1,  # TODO\n]\n", [("debt", "TODO", 2, "TODO")]),
])
def test_markers(source, expected):
    assert found(source) == expected


def test_tags_are_configurable():
    source = "# TODO a\n# REVIEW b\n# FIXME c\n"
    assert [m[1] for m in found(source, ("REVIEW", "TODO"))] == ["TODO", "REVIEW"]
    assert found(source, ()) == []


@pytest.mark.parametrize(("source", "possible"), [
    ("x = 1\n", False),
    ("x = '#'\n", False),  # a '#' but no tag word anywhere
    ("# a plain comment\n", False),
    ("# TODO later\n", True),
    ("x = 1  # NOQA\n", True),
    ("x = f()  # type:  ignore\n", True),
    ("s = 'todo'  # comment\n", True),  # a cheap over-approximation: tokenizing then finds nothing
])
def test_might_have_markers_never_misses_one(source, possible):
    assert might_have_markers(source, TAGS) is possible
    if not possible:
        assert found(source) == []
