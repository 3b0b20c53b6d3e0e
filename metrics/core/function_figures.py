"""radon's per-function figures (Halstead, source lines, maintainability index) from one pass over the file.

radon computes a function's figures by visiting its syntax tree and tokenizing its source again (`radon
raw` of the function's text). A file's analysis already does both for the whole file, so the figures of
each function are taken from those passes:

- **Halstead**: radon's HalsteadVisitor of the file keeps one visitor per function it meets outside any
  other function (`function_visitors`: module-level functions, methods, functions under `if`), in the
  order of the tree, with the very counts `h_visit_ast(function_node)` gives. Functions nested inside
  another function are visited on their own, as before.
- **Raw counts**: `radon raw` walks the file's stripped lines in *chunks*, each the shortest run of lines
  that tokenizes completely, and adds up each chunk's counts. `raw_walk` keeps each chunk's span, so a
  function's counts are the sum over the chunks that exactly cover its lines. Chunking is greedy and
  context-free (stripped lines carry no indentation), so when a chunk starts at the function's first line
  and one ends at its last, the chunks between are the ones `radon raw` of the function's own text makes.
  Otherwise (or when the file has line separators Python's parser does not count as new lines, such as
  form feeds) the function's text is counted on its own, as radon does.

`tests/metrics/test_function_figures.py` checks the results equal radon's own calls on real code.
"""
import ast
import math
import textwrap
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from radon.metrics import HalsteadReport, h_visit_ast, halstead_visitor_report, mi_compute
from radon.raw import TOKEN_NUMBER, Module, _get_all_tokens, _logical, is_single_token
from radon.raw import analyze as raw_analyze
from radon.visitors import HalsteadVisitor

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Counts in a chunk, in this order: lloc, sloc, comments, multi, blank, single_comments.
_FIELDS = 6
_INDENTATION = (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
_DEPTH = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_ENDMARKER = tokenize.TokenInfo(tokenize.ENDMARKER, "", (0, 0), (0, 0), "")


@dataclass(frozen=True, slots=True)
class RawWalk:
    """`radon raw` of a file, with the running totals of its chunks to count any run of whole chunks."""

    total: Module
    starts: dict[int, int]  # first line of a chunk -> the chunk's index
    ends: dict[int, int]  # last line of a chunk -> the chunk's index
    running: tuple[tuple[int, ...], ...]  # running[i]: the counts of chunks 0 .. i-1
    aligned: bool  # the chunks' line numbers are the parser's (no form feed or other extra line separator)

    def span(self, first: int, last: int) -> Module | None:
        """The counts of lines first..last when whole chunks cover them exactly, else None."""
        if not self.aligned or first not in self.starts or last not in self.ends:
            return None
        start, end = self.starts[first], self.ends[last]
        if end < start:
            return None
        counts = [b - a for a, b in zip(self.running[start], self.running[end + 1])]
        return _module(counts)


def _module(counts: list[int] | tuple[int, ...]) -> Module:
    lloc, sloc, comments, multi, blank, single_comments = counts
    return Module(sloc + blank + multi + single_comments, lloc, sloc, comments, multi, blank, single_comments)


def _chunk_counts(tokens: list, lines: list[str]) -> tuple[int, ...]:
    """One chunk's counts, classified as `radon raw` does: a lone comment, a lone string (docstring), or code."""
    comments = sum(1 for token in tokens if TOKEN_NUMBER(token) == tokenize.COMMENT)
    filled = sum(1 for line in lines if line)
    empty = len(lines) - filled
    lloc = _logical(tokens)
    if is_single_token(tokenize.COMMENT, tokens):
        return lloc, 0, comments, 0, 0, 1
    if is_single_token(tokenize.STRING, tokens):
        if tokens[0][2][0] == tokens[0][3][0]:  # a one-line string counts as a single comment
            return lloc, 0, comments, 0, 0, 1
        return lloc, 0, comments, filled, empty, 0
    return lloc, filled, comments, 0, empty, 0


def _chunks(text: str) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    lines = (line.strip() for line in text.splitlines())
    number = 1
    for line in lines:
        try:
            tokens, used = _get_all_tokens(line, lines)
        except StopIteration:
            raise SyntaxError(f"SyntaxError at line: {number}") from None
        yield number, number + len(used) - 1, _chunk_counts(tokens, used)
        number += len(used)


def _token_chunks(tokens: list[tokenize.TokenInfo]) -> Iterator[tuple[int, int, list[tokenize.TokenInfo]]]:
    """The file's tokens cut where `radon raw`'s chunks end: at the end of a statement (NEWLINE) or of a blank
    or comment line outside brackets (NL at depth 0); indentation tokens left out, as in stripped lines."""
    chunk: list[tokenize.TokenInfo] = []
    depth, first = 0, 1
    for token in tokens:
        kind = token.type
        if kind in _INDENTATION:
            continue
        if kind == tokenize.OP:
            depth += _DEPTH.get(token.string, 0)
        chunk.append(token)
        if kind == tokenize.NEWLINE or (kind == tokenize.NL and depth <= 0):
            last = token.start[0]
            yield first, last, chunk
            chunk, first = [], last + 1


def raw_walk_tokens(tokens: list[tokenize.TokenInfo], text: str, physical_lines: int) -> RawWalk | None:
    """`raw_walk` from the file's own tokens (made once, shared with flake8 and the markers), without
    tokenizing each chunk again; None when the tokens cannot stand for radon's (then use `raw_walk`)."""
    lines = text.splitlines()
    if len(lines) != physical_lines or any(token.type == tokenize.ERRORTOKEN for token in tokens):
        return None
    chunks = [(first, last, _chunk_counts([*chunk, _ENDMARKER], [line.strip() for line in lines[first - 1:last]]))
              for first, last, chunk in _token_chunks(tokens)]  # each starts on the line after the one before
    if (chunks[-1][1] if chunks else 0) != len(lines):  # the tokens stop short of the last line
        return None
    return _walk(chunks, aligned=True)


def raw_walk(text: str, physical_lines: int) -> RawWalk:
    """`radon raw` of `text` (raises SyntaxError or tokenize.TokenError as it does), keeping its chunks.

    `physical_lines` is the file's number of lines as the parser counts them, to tell whether
    str.splitlines (which radon uses) numbers them the same way.
    """
    return _walk(_chunks(text), aligned=len(text.splitlines()) == physical_lines)


def _walk(chunks: Iterable[tuple[int, int, tuple[int, ...]]], *, aligned: bool) -> RawWalk:
    """The walk of (first line, last line, counts) chunks in file order, with their running totals."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    running = [(0,) * _FIELDS]
    for index, (first, last, counts) in enumerate(chunks):
        starts[first], ends[last] = index, index
        running.append(tuple(a + b for a, b in zip(running[-1], counts)))
    return RawWalk(total=_module(running[-1]), starts=starts, ends=ends, running=tuple(running), aligned=aligned)


class FileFigures:
    """The per-function figures of one file, from its Halstead visitor and its raw walk."""

    def __init__(self, tree: ast.AST, halstead: HalsteadVisitor, walk: RawWalk, lines: list[str]) -> None:
        self.walk = walk
        self.lines = lines
        outer = list(_outer_functions(tree))
        visitors = halstead.function_visitors
        self.halstead: dict[int, HalsteadReport] = {}
        if len(outer) == len(visitors) and all(v.context == n.name for n, v in zip(outer, visitors)):
            self.halstead = {id(node): halstead_visitor_report(v) for node, v in zip(outer, visitors)}

    def of(self, node: ast.AST, complexity: int) -> dict[str, Any]:
        """radon's Halstead figures, source lines and maintainability index of one function definition."""
        halstead = self.halstead.get(id(node)) or h_visit_ast(node).total
        start = getattr(node, "lineno", 1)
        end = getattr(node, "end_lineno", None) or start
        raw = self.walk.span(start, end)
        if raw is None:
            try:
                raw = raw_analyze(textwrap.dedent("".join(self.lines[start - 1:end])))
            except (SyntaxError, tokenize.TokenError):  # a string literal at column 0 defeats dedent
                raw = None
        return function_figures(halstead, raw, complexity)


def finite(value: float) -> float:
    return float(value) if math.isfinite(value) else 0.0


def function_figures(halstead: HalsteadReport, raw: Module | None, complexity: int) -> dict[str, Any]:
    """The figures of a function from its Halstead report and raw counts (None: Halstead only)."""
    figures: dict[str, Any] = {
        "h_volume": finite(halstead.volume), "h_difficulty": finite(halstead.difficulty),
        "h_effort": finite(halstead.effort), "h_bugs": finite(halstead.bugs),
    }
    if raw is not None:
        comments = (raw.comments + raw.multi) / raw.sloc * 100 if raw.sloc else 0.0
        figures["sloc"] = raw.sloc
        figures["mi"] = round(finite(mi_compute(halstead.volume, complexity, raw.lloc, comments)), 2)
    return figures


def _outer_functions(tree: ast.AST) -> Iterator[ast.AST]:
    """Function definitions not inside another function, in the order radon's visitors meet them."""
    stack: list[Iterator[ast.AST]] = [ast.iter_child_nodes(tree)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, _FUNCTIONS):
            yield node
        else:
            stack.append(ast.iter_child_nodes(node))
