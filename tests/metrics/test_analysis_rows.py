"""The analysis cache's child rows, written as tuples (metrics.services.analysis_rows): what is stored
is what the analysis said, cleaned as the database needs, on SQLite and through PostgreSQL's COPY."""
import math

import pytest

from metrics.core.analysis import FileAnalysis, FunctionComplexity
from metrics.core.lint import LintViolation
from metrics.core.markers import DebtMarker
from metrics.models import BlobAnalysis, FunctionAnalysis, Marker, Violation
from metrics.services.analysis_rows import children_insert

pytestmark = pytest.mark.django_db

ODD = 'tab\there, new\nline, back\\slash, quote " and \\N'  # what COPY's text format must escape


def _blob(sha: str) -> BlobAnalysis:
    return BlobAnalysis.objects.create(blob_sha=sha, fingerprint="f", status="ok", size_bytes=10)


def test_each_child_row_holds_what_the_analysis_said():
    first, second = _blob("a" * 40), _blob("b" * 40)
    analysis = FileAnalysis(
        "pkg/mod.py", 10,
        functions=(FunctionComplexity("method", "run", "Job.run", 3, 9, 4, "A", sloc=6, h_volume=12.5,
                                      h_difficulty=2.0, h_effort=25.0, h_bugs=0.004, mi=71.25),
                   FunctionComplexity("class", "Job", "Job", 1, 9, 5, "A")),
        violations=(LintViolation("E501", 4, 80, ODD),),
        markers=(DebtMarker("debt", "TODO", 5, "TODO: " + ODD), DebtMarker("noqa", "noqa", 4, "# noqa: E501")),
    )
    children_insert([(first.pk, analysis), (second.pk, FileAnalysis("other.py", 1, violations=(
        LintViolation("F401", 1, 1, "'os' imported but unused"),)))])

    functions = list(FunctionAnalysis.objects.filter(blob=first).order_by("lineno").values_list(
        "kind", "name", "qualname", "lineno", "endline", "complexity", "rank", "sloc", "h_volume", "h_difficulty",
        "h_effort", "h_bugs", "mi"))
    assert functions == [("class", "Job", "Job", 1, 9, 5, "A", 0, 0.0, 0.0, 0.0, 0.0, None),
                         ("method", "run", "Job.run", 3, 9, 4, "A", 6, 12.5, 2.0, 25.0, 0.004, 71.25)]
    assert list(Violation.objects.filter(blob=first).values_list("code", "line", "column", "message")) == [
        ("E501", 4, 80, ODD)]
    assert list(Marker.objects.filter(blob=first).order_by("line").values_list("kind", "tag", "line", "text")) == [
        ("noqa", "noqa", 4, "# noqa: E501"), ("debt", "TODO", 5, "TODO: " + ODD)]
    assert list(Violation.objects.filter(blob=second).values_list("code", "message")) == [
        ("F401", "'os' imported but unused")]
    assert not FunctionAnalysis.objects.filter(blob=second).exists()


def test_text_the_database_refuses_is_cleaned_and_odd_figures_are_stored_as_missing():
    blob = _blob("c" * 40)
    long_name = "f" * 300
    analysis = FileAnalysis(
        "odd.py", 10,
        functions=(FunctionComplexity("function", long_name, "a\x00b", 1, 2, 1, "A", h_volume=math.nan,
                                      h_effort=math.inf, mi=math.nan),),
        violations=(LintViolation("E\x00999", -1, -3, "bad \x00 byte, lone \ud800 surrogate"),),
    )
    children_insert([(blob.pk, analysis)])
    function = FunctionAnalysis.objects.get(blob=blob)
    assert (function.name, function.qualname) == ("f" * 255, "ab")
    assert (function.h_volume, function.h_effort, function.mi) == (0.0, 0.0, None)
    violation = Violation.objects.get(blob=blob)
    assert (violation.code, violation.line, violation.column) == ("E999", 0, 0)
    assert violation.message == "bad  byte, lone  surrogate"
