"""The analysis cache's child rows (functions, flake8 violations, markers) written as plain tuples.

A file analysis has a row per function, per violation and per marker: hundreds for a large file, some
40,000 function rows for a full scan of sympy. Built as model instances and written with bulk_create
they cost more than the analysis' own bookkeeping: 120 µs a function row on flask's backfill (1,639 rows,
0.2 s of a 5 s command), mostly Django preparing each value. Here each row is a tuple in the columns'
order, cleaned as the database needs (no NUL, column widths), and inserted in one executemany (COPY on
PostgreSQL) by metrics.services.bulk.rows_insert.
"""
import math
from collections.abc import Iterable

from debtboard.text import clean_text
from metrics.core.analysis import FileAnalysis
from metrics.models import FunctionAnalysis, Marker, Violation
from metrics.services.bulk import rows_insert

FUNCTION_FIELDS = ("blob", "kind", "name", "qualname", "lineno", "endline", "complexity", "rank", "sloc",
                   "h_volume", "h_difficulty", "h_effort", "h_bugs", "mi")
VIOLATION_FIELDS = ("blob", "code", "line", "column", "message")
MARKER_FIELDS = ("blob", "kind", "tag", "line", "text")


def number(value: float | None) -> float | None:
    """A float the database takes: None for a missing, infinite or NaN figure."""
    if value is None:
        return None
    return float(value) if math.isfinite(value) else None


def children_insert(analyses: Iterable[tuple[int, FileAnalysis]]) -> None:
    """Insert the function, violation and marker rows of each (blob analysis id, analysis)."""
    functions: list[tuple] = []
    violations: list[tuple] = []
    markers: list[tuple] = []
    for blob_id, analysis in analyses:
        functions += (
            (blob_id, f.kind, clean_text(f.name, max_length=255), clean_text(f.qualname, max_length=1000),
             f.lineno, f.endline, f.complexity, f.rank, f.sloc, number(f.h_volume) or 0.0,
             number(f.h_difficulty) or 0.0, number(f.h_effort) or 0.0, number(f.h_bugs) or 0.0, number(f.mi))
            for f in analysis.functions
        )
        violations += (
            (blob_id, clean_text(v.code, max_length=16), max(v.line, 0), max(v.column, 0),
             clean_text(v.message, max_length=1000))
            for v in analysis.violations
        )
        markers += (
            (blob_id, m.kind, clean_text(m.tag, max_length=32), m.line, clean_text(m.text, max_length=1000))
            for m in analysis.markers
        )
    rows_insert(model=FunctionAnalysis, fields=FUNCTION_FIELDS, rows=functions)
    rows_insert(model=Violation, fields=VIOLATION_FIELDS, rows=violations)
    rows_insert(model=Marker, fields=MARKER_FIELDS, rows=markers)
