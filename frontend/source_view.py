"""Annotated source rows: a file's text highlighted by Pygments, one escaped row per line with its notes."""
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from pygments.lexers.python import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType

LINES_PER_PAGE = 1000


@dataclass(frozen=True)
class LineNote:
    """Something said about one line: a lint violation or a debt marker."""

    line: int
    kind: str  # "violation" or "marker"
    label: str  # E501, TODO
    text: str


@dataclass(frozen=True)
class FunctionMark:
    """A function's span with the figures shown in the gutter of its first line."""

    lineno: int
    endline: int
    qualname: str
    complexity: int
    changes: int | None


@dataclass(frozen=True)
class SourceRow:
    """One line of code: its number, highlighted HTML (escaped), notes and the functions starting on it."""

    number: int
    html: str
    notes: tuple[LineNote, ...] = ()
    functions: tuple[FunctionMark, ...] = ()
    in_function: bool = False


@dataclass(frozen=True)
class SourcePage:
    """One page of annotated rows and where it sits in the file."""

    rows: tuple[SourceRow, ...]
    page: int
    pages: int
    total_lines: int
    first_line: int = 1
    last_line: int = 0
    notes_elsewhere: int = 0  # notes on lines of other pages


def _css_class(token: _TokenType) -> str:
    while token not in STANDARD_TYPES:
        token = token.parent
    return STANDARD_TYPES[token]


def highlighted_lines(text: str, *, stop_after: int | None = None) -> list[str]:
    """Each line of Python `text` as escaped HTML with Pygments token classes (`<span class="k">def</span>`).

    Lexing runs from the start of the file (a string opened on an earlier page colours this one), and
    stops once `stop_after` lines are complete.
    """
    lexer = PythonLexer(stripnl=False, ensurenl=True, tabsize=0)
    lines: list[str] = []
    current: list[str] = []
    for token, value in lexer.get_tokens(text):
        css = _css_class(token)
        for position, piece in enumerate(value.split("\n")):
            if position:
                lines.append("".join(current))
                current = []
                if stop_after is not None and len(lines) >= stop_after:
                    return lines
            if piece:
                current.append(f'<span class="{css}">{escape(piece)}</span>' if css else escape(piece))
    if current:
        lines.append("".join(current))
    return lines


def page_count(total_lines: int, per_page: int = LINES_PER_PAGE) -> int:
    """How many pages `total_lines` lines fill (at least one)."""
    return max(1, math.ceil(total_lines / per_page))


def page_of(line: int, per_page: int = LINES_PER_PAGE) -> int:
    """The page (from 1) that shows `line`."""
    return max(1, (line - 1) // per_page + 1)


def source_page(
    text: str,
    *,
    notes: Iterable[LineNote] = (),
    functions: Sequence[FunctionMark] = (),
    page: int = 1,
    per_page: int = LINES_PER_PAGE,
) -> SourcePage:
    """Rows of page `page` of `text` (clamped to the file), each with its notes and the functions starting there."""
    total = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    pages = page_count(total, per_page)
    page = min(max(1, page), pages)
    first, last = (page - 1) * per_page + 1, min(total, page * per_page)
    html = highlighted_lines(text, stop_after=last)
    by_line: dict[int, list[LineNote]] = defaultdict(list)
    elsewhere = 0
    for note in notes:
        if first <= note.line <= last:
            by_line[note.line].append(note)
        else:
            elsewhere += 1
    starts: dict[int, list[FunctionMark]] = defaultdict(list)
    covered = set()
    for function in functions:
        starts[function.lineno].append(function)
        covered.update(range(max(first, function.lineno), min(last, function.endline) + 1))
    rows = tuple(
        SourceRow(number=number, html=html[number - 1] if number <= len(html) else "",
                  notes=tuple(by_line.get(number, ())), functions=tuple(starts.get(number, ())),
                  in_function=number in covered)
        for number in range(first, last + 1)
    )
    return SourcePage(rows=rows, page=page, pages=pages, total_lines=total, first_line=first, last_line=last,
                      notes_elsewhere=elsewhere)
