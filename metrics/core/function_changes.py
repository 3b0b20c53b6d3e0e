"""Counting how often each function changed by walking its line span back through -U0 diff hunks."""
from collections.abc import Sequence

from metrics.core.records import FunctionSpan, Hunk


def span_touched(start: int, end: int, hunks: Sequence[Hunk]) -> bool:
    """Tell whether any hunk changes a line of the span [start, end] (new-side line numbers)."""
    for hunk in hunks:
        if hunk.new_count:
            if hunk.new_start <= end and hunk.new_start + hunk.new_count - 1 >= start:
                return True
        elif start <= hunk.new_start < end:  # a pure deletion between two lines of the span
            return True
    return False


def _old_line(line: int, hunks: Sequence[Hunk], *, is_start: bool) -> int:
    """Translate a new-side line number to the parent's numbering (hunks sorted by new_start).

    A line inside a changed region maps to the same position inside the replaced region, clamped to
    it: a start past the replaced lines maps just after them, an end past them to their last line.
    """
    shift = 0
    for hunk in hunks:
        first_old = hunk.old_start if hunk.old_count else hunk.old_start + 1
        if hunk.new_count:
            last_new = hunk.new_start + hunk.new_count - 1
            if last_new < line:
                shift += hunk.old_count - hunk.new_count
                continue
            if hunk.new_start <= line:
                offset = line - hunk.new_start
                if offset < hunk.old_count:
                    return first_old + offset
                return first_old + hunk.old_count if is_start else first_old + hunk.old_count - 1
            break
        if hunk.new_start < line:  # deleted lines that sat before `line`
            shift += hunk.old_count
            continue
        break
    return line + shift


def translate_span(start: int, end: int, hunks: Sequence[Hunk]) -> tuple[int, int] | None:
    """Return the span in the parent commit's line numbers, or None when the commit created all of it."""
    return _translate_sorted(start, end, sorted(hunks, key=_hunk_order))


def _hunk_order(hunk: Hunk) -> tuple[int, int]:
    return hunk.new_start, hunk.old_start


def _translate_sorted(start: int, end: int, ordered: Sequence[Hunk]) -> tuple[int, int] | None:
    old_start = _old_line(start, ordered, is_start=True)
    old_end = _old_line(end, ordered, is_start=False)
    return None if old_end < old_start else (old_start, old_end)


def count_function_changes(
    history: Sequence[Sequence[Hunk]],
    functions: Sequence[FunctionSpan],
    *,
    counted: Sequence[bool] | None = None,
) -> dict[str, int]:
    """Count, per qualname, the commits (newest first, one hunk list each) that changed the function.

    Each function's span is checked against a commit's hunks, then moved to the parent's line numbers,
    so line drift from edits elsewhere in the file is followed. A commit whose `counted` flag is False
    (a bot or mechanical commit) still moves the spans but does not count. Functions sharing a qualname
    count a commit once when it touches any of them.

    Most spans of a file lie wholly before a commit's first hunk (unchanged) or wholly after its last
    one (shifted by the commit's net line change); only the spans in between are worked out hunk by hunk.
    """
    counts = {function.qualname: 0 for function in functions}
    spans = [[function.lineno, max(function.lineno, function.endline), function.qualname] for function in functions]
    for position, hunks in enumerate(history):
        if not spans:
            break
        if not hunks:
            continue
        counts_here = counted is None or counted[position]
        spans, touched = _step_back(spans, sorted(hunks, key=_hunk_order), count=counts_here)
        for qualname in touched:
            counts[qualname] += 1
    return counts


def _step_back(spans: list[list], ordered: Sequence[Hunk], *, count: bool) -> tuple[list[list], set[str]]:
    """Move `[start, end, qualname]` spans to the parent of a commit with these sorted, non-empty hunks.

    Return the spans still alive (a span the commit created wholly is dropped) and, when `count`,
    the qualnames whose span the commit touched. Spans are moved in place.
    """
    first = ordered[0].new_start
    last = max(_last_new_line(hunk) for hunk in ordered)
    shift = sum(hunk.old_count - hunk.new_count for hunk in ordered)
    touched: set[str] = set()
    alive = []
    for span in spans:
        start, end, qualname = span
        if end < first:  # before every hunk: same lines in the parent
            alive.append(span)
            continue
        if start > last:  # after every hunk: moved by the commit's net change
            span[0], span[1] = start + shift, end + shift
            alive.append(span)
            continue
        if count and span_touched(start, end, ordered):
            touched.add(qualname)
        moved = _translate_sorted(start, end, ordered)
        if moved is not None:
            span[0], span[1] = moved
            alive.append(span)
    return alive, touched


def _last_new_line(hunk: Hunk) -> int:
    """The last new-side line a hunk touches (a pure deletion sits at its `new_start`)."""
    return hunk.new_start + hunk.new_count - 1 if hunk.new_count else hunk.new_start
