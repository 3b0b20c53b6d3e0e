"""Per-function figures from the file's one Halstead visit and one raw walk equal radon's own per-function calls."""
import ast
import io
import textwrap
import tokenize
from pathlib import Path

import pytest
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze as raw_analyze

from metrics.core.analysis import AnalysisConfig, analyze_source
from metrics.core.function_figures import raw_walk, raw_walk_tokens

ROOT = Path(__file__).resolve().parents[3]

TRICKY = {
    "decorated_and_nested.py": '''
import functools


def outer(a, b=1):
    """Docstring
    over lines."""
    @functools.wraps(outer)
    def inner(x):  # a closure: visited on its own
        return x * a + b
    class Local:
        def method(self):
            return [i ** 2 for i in range(a) if i % 2]
    return inner, Local


class Shape:
    if True:
        def area(self, w, h): return w * h
    else:
        def area(self, w, h):
            return 0

    @property
    def name(self):
        # only a comment
        return "shape"

    async def load(self, *args, **kwargs):
        async with kwargs["lock"]:
            return await args[0]
''',
    # The last statement of the function goes on past its last line (a backslash, then a comment line).
    "continued_to_a_comment.py": '''
def check():
    assert solve((x + 1) / (x ** 2 + 2), x)
    assert solve((x - 1), y) \\
        #== A_COMMENT


def after():
    return 1
''',
    # Form feeds: str.splitlines (radon's) counts more lines than the parser does.
    "form_feed.py": "def a():\n    return 1\n\x0c\ndef b(x):\n    if x:\n        return 2\n    return 3\n",
    "one_liners.py": "def f(): return 1\ndef g(x): return x if x else -x\nclass C: pass\n",
    "strings.py": '''
def text():
    return """
multi
line at column 0
"""


def fstrings(name):
    return f"hello {name!r:>10}" + f"""
    {name}
    """
''',
}


def radon_figures(node: ast.AST, lines: list[str], complexity: int) -> dict:
    """What radon gives for one function on its own: h_visit_ast of its node, `radon raw` of its text."""
    halstead = h_visit_ast(node).total
    figures = {"h_volume": halstead.volume, "h_difficulty": halstead.difficulty, "h_effort": halstead.effort,
               "h_bugs": halstead.bugs, "sloc": 0, "mi": None}
    try:
        raw = raw_analyze(textwrap.dedent("".join(lines[node.lineno - 1:node.end_lineno])))
    except (SyntaxError, tokenize.TokenError):
        return figures
    comments = (raw.comments + raw.multi) / raw.sloc * 100 if raw.sloc else 0.0
    figures.update(sloc=raw.sloc, mi=round(mi_compute(halstead.volume, complexity, raw.lloc, comments), 2))
    return figures


def definitions(tree: ast.AST) -> dict[tuple[int, str], ast.AST]:
    return {(node.lineno, node.name): node for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def assert_radon_figures(path: str, source: str) -> int:
    analysis = analyze_source(path, source.encode(), AnalysisConfig())
    assert analysis.ok, analysis.error
    assert (analysis.loc, analysis.lloc, analysis.sloc, analysis.comments, analysis.multi, analysis.blank,
            analysis.single_comments) == tuple(raw_analyze(source))
    nodes = definitions(ast.parse(source))
    lines = io.StringIO(source).readlines()
    checked = 0
    for function in analysis.functions:
        if function.kind == "class":
            continue
        expected = radon_figures(nodes[(function.lineno, function.name)], lines, function.complexity)
        got = {key: getattr(function, key) for key in expected}
        assert got == expected, (path, function.qualname)
        checked += 1
    return checked


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_sources_give_radons_own_figures(name):
    assert assert_radon_figures(name, TRICKY[name]) >= 2


def test_every_function_of_this_code_base_gets_radons_own_figures():
    files = sorted(path for folder in ("metrics", "debt", "sprints", "api", "frontend", "debtboard")
                   for path in (ROOT / folder).rglob("*.py"))
    assert len(files) > 150
    checked = sum(assert_radon_figures(str(path.relative_to(ROOT)), path.read_text()) for path in files)
    assert checked > 1500


def test_whole_chunks_are_counted_from_the_walk_and_anything_else_is_left_to_radon():
    source = TRICKY["continued_to_a_comment.py"]
    walk = raw_walk(source, len(io.StringIO(source).readlines()))
    nodes = {node.name: node for node in definitions(ast.parse(source)).values()}
    assert walk.span(nodes["after"].lineno, nodes["after"].end_lineno) == raw_analyze("def after():\n    return 1\n")
    # check()'s last statement runs on into the comment line after it: no chunk ends where the function does.
    assert walk.span(nodes["check"].lineno, nodes["check"].end_lineno) is None
    feed = TRICKY["form_feed.py"]
    assert not raw_walk(feed, len(io.StringIO(feed).readlines())).aligned


def tokens_of(source: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(source).readline))


@pytest.mark.parametrize("name", sorted(set(TRICKY) - {"form_feed.py"}))
def test_the_files_own_tokens_give_the_walk_radon_makes_chunk_by_chunk(name):
    source = TRICKY[name]
    physical = len(io.StringIO(source).readlines())
    walk = raw_walk(source, physical)
    from_tokens = raw_walk_tokens(tokens_of(source), source, physical)
    assert from_tokens == walk and from_tokens.total == raw_analyze(source)


def test_tokens_that_cannot_stand_for_radons_leave_the_walk_to_radon():
    feed = TRICKY["form_feed.py"]  # str.splitlines sees a line more than the parser
    assert raw_walk_tokens(tokens_of(feed), feed, len(io.StringIO(feed).readlines())) is None
    source = "x = 1\n"
    assert raw_walk_tokens(tokens_of(source)[:1], source, 1) is None  # they end before the last line


def test_the_walk_fails_where_radon_does():
    source = 'x = """never closed\n'
    with pytest.raises((SyntaxError, tokenize.TokenError)):
        raw_analyze(source)
    with pytest.raises((SyntaxError, tokenize.TokenError)):
        raw_walk(source, 1)
