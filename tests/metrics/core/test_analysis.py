"""One file's analysis against hand-computed radon metrics, flake8 results and the recorded errors."""
import math
import sys
from textwrap import dedent

import pytest

from metrics.core.analysis import (
    DEFAULT_EXCLUDE,
    AnalysisConfig,
    FileAnalysis,
    analyze_source,
    decode_source,
    is_package_init,
)
from metrics.core.errors import InvalidAnalysisConfig

CONFIG = AnalysisConfig()


def analyse(source: str | bytes, config: AnalysisConfig = CONFIG, path: str = "pkg/module.py") -> FileAnalysis:
    data = source.encode() if isinstance(source, str) else source
    return analyze_source(path, data, config)


def blocks(source: str) -> list[tuple[str, str, int, int, int, str]]:
    result = analyse(dedent(source))
    assert result.ok, result.error
    return [(f.kind, f.qualname, f.lineno, f.endline, f.complexity, f.rank) for f in result.functions]


# Cyclomatic complexity by hand: 1 per block, +1 per decision (radon's rules, docs/analysis.md).
@pytest.mark.parametrize(("source", "expected"), [
    ("def f():\n    return 1\n", [("function", "f", 1, 2, 1, "A")]),
    ("""\
     def f(x):
         if x:
             return 1
         elif x > 2:
             return 2
         else:
             return 3
     """, [("function", "f", 1, 7, 3, "A")]),
    ("""\
     def f(xs):
         for x in xs:
             pass
         else:
             pass
         while xs:
             xs.pop()
     """, [("function", "f", 1, 7, 4, "A")]),
    ("""\
     def f():
         try:
             pass
         except ValueError:
             pass
         except TypeError:
             pass
         else:
             pass
         finally:
             pass
     """, [("function", "f", 1, 11, 4, "A")]),
    ("def f(a, b, c):\n    return a and b or c\n", [("function", "f", 1, 2, 3, "A")]),
    ("def f(xs):\n    return [x for x in xs if x if x > 1]\n", [("function", "f", 1, 2, 4, "A")]),
    ("def f(x):\n    assert x\n    return 1 if x else 2\n", [("function", "f", 1, 3, 3, "A")]),
    # `with` and the lambda are no decisions; the lambda's `or` is one.
    ("def f(x):\n    with x:\n        return lambda y: y or x\n", [("function", "f", 1, 3, 2, "A")]),
    ("""\
     def f(x):
         match x:
             case 1:
                 return 1
             case 2 if x:
                 return 2
             case _:
                 return 3
     """, [("function", "f", 1, 8, 3, "A")]),  # the guard adds nothing (radon gap)
    ("""\
     def f():
         try:
             pass
         except* ValueError:
             pass
     """, [("function", "f", 1, 5, 1, "A")]),  # except* is not counted (radon gap)
    ("""\
     async def f(xs):
         async for x in xs:
             await x
     """, [("function", "f", 1, 3, 2, "A")]),
    ("""\
     class C:
         def m1(self, x):
             if x:
                 return 1

         def m2(self):
             return 2
     """, [("class", "C", 1, 7, 3, "A"), ("method", "C.m1", 2, 4, 2, "A"), ("method", "C.m2", 6, 7, 1, "A")]),
    ("""\
     def outer():
         def inner(x):
             if x:
                 return x
         return inner
     """, [("function", "outer", 1, 5, 1, "A"), ("function", "outer.inner", 2, 4, 2, "A")]),
    ("""\
     class A:
         class B:
             def m(self):
                 pass
     """, [("class", "A", 1, 4, 1, "A"), ("class", "A.B", 2, 4, 2, "A"), ("method", "A.B.m", 3, 4, 1, "A")]),
    # The end line is the definition's last line, not the last line radon visited (3).
    ("def f():\n    return (\n        1\n    )\n", [("function", "f", 1, 4, 1, "A")]),
    ("@decorator\ndef f():\n    pass\n", [("function", "f", 2, 3, 1, "A")]),
])
def test_cyclomatic_complexity_by_hand(source, expected):
    assert blocks(source) == expected


@pytest.mark.parametrize(("decisions", "complexity", "rank"), [
    (4, 5, "A"), (5, 6, "B"), (9, 10, "B"), (10, 11, "C"), (19, 20, "C"), (20, 21, "D"), (30, 31, "E"),
    (40, 41, "F"),
])
def test_complexity_ranks(decisions, complexity, rank):
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(decisions))
    result = analyse(f"def f(x):\n{body}    return -1\n")
    assert [(f.complexity, f.rank) for f in result.functions] == [(complexity, rank)]
    assert result.max_complexity == complexity
    assert result.total_complexity == complexity  # radon's file total: 1 + every decision of the file


RAW_SOURCE = '''\
"""Module doc."""
import os  # comment


def f():
    """
    Multi-line doc.
    """
    # a comment
    return os.sep
'''


def test_raw_metrics_by_hand():
    result = analyse(RAW_SOURCE)
    # loc 10 = sloc 3 (lines 2, 5, 10) + blank 2 + multi 3 (lines 6-8) + single comments 2 (lines 1, 9)
    assert (result.loc, result.sloc, result.blank, result.multi, result.single_comments) == (10, 3, 2, 3, 2)
    assert result.comments == 2  # lines 2 and 9 hold comment tokens
    assert result.lloc == 5  # docstring, import, def, docstring, return
    assert result.mi == 100.0  # no Halstead operator: radon caps MI at 100
    assert result.mi_rank == "A"


def test_halstead_and_maintainability_by_hand():
    result = analyse("x = a + b\n")
    # One operator (Add) used once; two operands (a, b) used once each: h1=1, h2=2, N1=1, N2=2.
    volume = 3 * math.log2(3)
    assert result.h_volume == pytest.approx(volume)
    assert result.h_difficulty == pytest.approx(1 / 2 * 2 / 2)
    assert result.h_effort == pytest.approx(0.5 * volume)
    assert result.h_bugs == pytest.approx(volume / 3000)
    # MI = max(0, 171 - 5.2 ln V - 0.23 CC - 16.2 ln LLOC + 50 sin(sqrt(2.4 * comment%rad))) * 100 / 171
    expected = (171 - 5.2 * math.log(volume) - 0.23 * 1 - 16.2 * math.log(1)) * 100 / 171
    assert result.mi == pytest.approx(expected)
    assert result.mi == pytest.approx(95.1241521686)


def test_maintainability_counts_comments_and_docstrings():
    result = analyse('"""Doc\n\nstring."""\nx = a + b  # why\n')
    volume = 3 * math.log2(3)
    # (comments + multi) / sloc: 1 comment, 2 docstring lines (its blank line counts as blank), 1 sloc = 300 %.
    comment_percent = (1 + 2) / 1 * 100
    comment_term = 50 * math.sin(math.sqrt(2.46 * math.radians(comment_percent)))
    expected = (171 - 5.2 * math.log(volume) - 0.23 * 1 - 16.2 * math.log(2) + comment_term) * 100 / 171
    assert (result.comments, result.multi, result.blank, result.sloc, result.lloc) == (1, 2, 1, 1, 2)
    assert result.mi == pytest.approx(expected)
    assert result.mi == pytest.approx(75.9089449)  # over 100 % the sine turns down: radon's formula, kept


def test_maintainability_rank_c_for_a_tangled_file():
    body = "".join(f"    if x == {i} or y < {i}:\n        z = x * {i} + y / {i} - z\n" for i in range(300))
    result = analyse(f"def f(x, y, z):\n{body}    return z\n")
    assert result.mi is not None and result.mi <= 9
    assert result.mi_rank == "C"
    assert result.functions[0].rank == "F"


@pytest.mark.parametrize(("source", "expected"), [
    ("import os\n", [("F401", 1, 1, "'os' imported but unused")]),
    ("x=1\n", [("E225", 1, 2, "missing whitespace around operator")]),
    ("x = 1 \n", [("W291", 1, 6, "trailing whitespace")]),
    ("x = 1", [("W292", 1, 6, "no newline at end of file")]),
    ("x = '" + "a" * 74 + "'\n", [("E501", 1, 80, "line too long (80 > 79 characters)")]),
    ("import os  # noqa\n", []),
    ("import os  # noqa: E501\n", [("F401", 1, 1, "'os' imported but unused")]),
    ("def f():\n    return undefined_name\n", [("F821", 2, 12, "undefined name 'undefined_name'")]),
])
def test_flake8_violations(source, expected):
    result = analyse(source)
    assert [(v.code, v.line, v.column, v.message) for v in result.violations] == expected


def _ifs(count: int) -> str:
    return "def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(count)) + "    return 0\n"


@pytest.mark.parametrize(("config", "source", "codes"), [
    (AnalysisConfig(), _ifs(10), ["C901"]),
    (AnalysisConfig(max_complexity=11), _ifs(10), []),
    (AnalysisConfig(flake8_select=("E",)), "import os\nx=1\n", ["E225"]),
    (AnalysisConfig(flake8_ignore=("F401",)), "import os\nx=1\n", ["E225"]),
    (AnalysisConfig(flake8_ignore=("E2",)), "import os\nx=1\n", ["F401"]),
    (AnalysisConfig(max_line_length=120), "x = '" + "a" * 74 + "'\n", []),
])
def test_flake8_configuration_is_debtboards(config, source, codes):
    assert [v.code for v in analyse(source, config).violations] == codes


def test_complexity_violation_message():
    (violation,) = analyse(_ifs(10)).violations
    assert (violation.code, violation.line, violation.message) == ("C901", 1, "'f' is too complex (11)")


def test_package_init_is_linted_as_flake8_does():
    source = "__all__ = ['missing']\n"
    assert [v.code for v in analyse(source, path="pkg/mod.py").violations] == ["F822"]
    assert analyse(source, path="pkg/__init__.py").violations == ()
    assert CONFIG.fingerprint_for("pkg/__init__.py") != CONFIG.fingerprint_for("pkg/mod.py")
    assert CONFIG.fingerprint_for("a/mod.py") == CONFIG.fingerprint_for("b/other.py")


def test_markers_come_with_the_analysis():
    result = analyse("x = 1  # TODO: drop\ns = '# FIXME not a comment'\nimport os  # noqa: F401\n")
    assert [(m.kind, m.tag, m.line) for m in result.markers] == [("debt", "TODO", 1), ("noqa", "noqa", 3)]


# Hostile files: each is that file's recorded error with a stable kind, never an exception.
@pytest.mark.parametrize(("source", "kind", "reason"), [
    (b"def f(:\n    pass\n", "syntax", "line 1"),
    (b'print "hello"\n', "syntax", "Missing parentheses"),
    (b"# -*- coding: no-such-codec -*-\nx = 1\n", "encoding", "no-such-codec"),
    (b"x = '\xff\xfe'\n", "encoding", "encoding declaration"),  # detect_encoding checks the first two lines
    (b"x = 1\ny = 2\nz = '\xe9'\n", "encoding", "not valid utf-8 at line 3"),
    (b"# coding: latin-1\nx = 1\n\x00\n", "null_byte", "line 3"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary", "binary"),
    (b"\xff\xfei\x00m\x00p\x00o\x00r\x00t\x00", "binary", "binary"),
    (b"x = " + b" + ".join([b"1"] * 3000) + b"\n", "recursion", "RecursionError"),
    (b"x = " + b"-" * 100_000 + b"1\n", "recursion", "parser"),
    (b"x = (" + b"(" * 300 + b")" * 301 + b"\n", "syntax", "too many nested parentheses"),
])
def test_hostile_files_are_recorded_errors(source, kind, reason):
    result = analyse(source)
    assert (result.status, result.error_kind) == ("error", kind)
    assert reason in result.error
    assert (result.loc, result.functions, result.violations) == (0, (), ())
    # The next file in the same process is analysed normally.
    neighbour = analyse("import os\n\n\ndef f(x):\n    return x or os.sep\n")
    assert neighbour.ok and [f.complexity for f in neighbour.functions] == [2]
    assert [v.code for v in neighbour.violations] == []


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="template strings parse from Python 3.14 on")
def test_syntax_newer_than_the_interpreter_is_a_syntax_error():
    result = analyse("name = 'x'\ngreeting = t'hello {name}'\n")
    assert result.error_kind == "syntax"


def test_latin1_file_with_a_coding_line_decodes():
    result = analyse("# -*- coding: latin-1 -*-\n# café\nx = 1\n".encode("latin-1"))
    assert result.ok and result.comments == 2


def test_file_over_the_size_limit_is_not_parsed():
    result = analyse("x = 1\n" * 200, AnalysisConfig(max_file_bytes=1000))
    assert (result.error_kind, result.size_bytes) == ("too_large", 1200)
    assert "1,200 bytes" in result.error


@pytest.mark.parametrize(("source", "text"), [
    (b"x = 1\r\ny = 2\r\n", "x = 1\ny = 2\n"),
    (b"x = 1\ry = 2\r", "x = 1\ny = 2\n"),
    (b"\xef\xbb\xbfx = 1\n", "x = 1\n"),
    ("# coding: cp1252\ns = '€'\n".encode("cp1252"), "# coding: cp1252\ns = '€'\n"),
])
def test_decoding_follows_the_interpreter(source, text):
    assert decode_source(source) == text


def test_windows_line_endings_give_the_same_metrics():
    unix = analyse(RAW_SOURCE)
    windows = analyse(RAW_SOURCE.replace("\n", "\r\n"))
    assert (windows.loc, windows.lloc, windows.sloc, windows.violations) == (unix.loc, unix.lloc, unix.sloc, ())


@pytest.mark.parametrize(("changes", "same"), [
    ({}, True),
    ({"include": ("src/**",), "exclude": ()}, True),  # globs choose files, not results
    ({"max_line_length": 100}, False),
    ({"flake8_ignore": ("W",)}, False),
    ({"marker_tags": ("TODO",)}, False),
    ({"max_file_bytes": 10}, False),
    ({"file_timeout_seconds": 3.0}, False),
])
def test_fingerprint_changes_with_what_changes_results(changes, same):
    assert (AnalysisConfig(**changes).fingerprint() == CONFIG.fingerprint()) is same


@pytest.mark.parametrize(("changes", "field"), [
    ({"flake8_select": ("E,--jobs=8",)}, "flake8_select"),
    ({"flake8_ignore": ("e501",)}, "flake8_ignore"),
    ({"max_complexity": 0}, "max_complexity"),
    ({"max_line_length": True}, "max_line_length"),
    ({"file_timeout_seconds": math.nan}, "file_timeout_seconds"),
    ({"marker_tags": ("TO DO",)}, "marker_tags"),
])
def test_invalid_configuration_is_refused(changes, field):
    with pytest.raises(InvalidAnalysisConfig) as caught:
        AnalysisConfig(**changes)
    assert caught.value.field == field


def test_default_configuration_matches_the_repository_defaults():
    from metrics.data import RepositoryConfig

    defaults = RepositoryConfig()
    assert defaults.exclude == DEFAULT_EXCLUDE
    for name in ("include", "exclude", "flake8_select", "flake8_ignore", "max_complexity", "max_line_length",
                 "marker_tags", "max_file_bytes", "file_timeout_seconds"):
        assert getattr(CONFIG, name) == getattr(defaults, name), name


@pytest.mark.parametrize(("path", "expected"), [
    ("__init__.py", True), ("pkg/__init__.py", True), ("pkg/__init__.pyi", False), ("pkg/not__init__.py", False),
])
def test_package_init(path, expected):
    assert is_package_init(path) is expected
