"""The "leave code cleaner than you found it" gate: compare a change's file figures with the baseline."""
import math
from dataclasses import dataclass, field
from typing import Any

# Bounds of posted figures (docs/security.md, "Input validation"): far above any real file, low enough that
# one request cannot make the gate work for seconds or store numbers no column or chart can hold.
MAX_FILES = 5_000  # files in one change check
MAX_FUNCTIONS_PER_FILE = 5_000  # functions and methods of one file
MAX_COUNT = 10**7  # lines, violations, markers of one file; a function's or a file's complexity
MAX_COMPLEXITY = 10**5  # one function's cyclomatic complexity
MAX_MI = 1_000.0  # |maintainability index| (radon's scale is 0-100; imported tools may differ)
MAX_PATH = 1_000  # characters of a posted path (the longest path a scan stores)


@dataclass(frozen=True, slots=True)
class FileFigures:
    """What the gate compares for one file at one side of a change."""

    loc: int = 0
    complexity: int = 0
    violations: int = 0
    markers: int = 0
    mi: float | None = None
    functions: tuple[tuple[str, int], ...] = ()  # (qualname, cyclomatic complexity)

    @property
    def max_function_complexity(self) -> int:
        return max((c for _, c in self.functions), default=0)


@dataclass(frozen=True, slots=True)
class FileDelta:
    """One changed file: `before` is None for a new file, `after` None for a deleted one.

    `after_error` says why the changed file could not be analysed (a syntax error, say).
    """

    path: str
    before: FileFigures | None
    after: FileFigures | None
    after_error: str = ""


@dataclass(frozen=True, slots=True)
class GateConfig:
    """Thresholds of the gate: the repository's change-check policy (metrics.data.CheckPolicy), resolved.

    Tolerances say how much a figure of a touched file may rise (the maintainability index: drop) before it
    counts as worse; None for `complexity_tolerance` leaves a file's total complexity unjudged (functions
    over `max_complexity` are judged one by one). `hotspot_paths` are the top-N hotspots a change touching
    them must leave measurably cleaner (empty: the rule is off).
    """

    max_complexity: int = 10
    mi_tolerance: float = 1.0  # maintainability index may drop this much before it counts as worse
    new_markers_fail: bool = True
    complexity_tolerance: int | None = None
    violations_tolerance: int = 0
    markers_tolerance: int = 0
    hotspot_paths: frozenset[str] = frozenset()
    new_file_max_violations: int = 0
    new_file_max_markers: int = 0
    new_file_max_complexity: int | None = None  # a new file's function limit; None: max_complexity


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about one file: severity 'fail' blocks, 'improved' and 'info' do not."""

    path: str
    rule: str
    severity: str
    message: str
    before: float | None = None
    after: float | None = None


@dataclass(frozen=True)
class Verdict:
    """The gate's answer for a whole change."""

    passed: bool
    cleaner: bool
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        if not self.passed:
            return "fail"
        return "cleaner" if self.cleaner else "pass"

    @property
    def decided_by(self) -> str:
        """The rule that decided the verdict: the first failing finding's, else the first improvement's."""
        wanted = "fail" if not self.passed else "improved" if self.cleaner else ""
        return next((f.rule for f in self.findings if f.severity == wanted), "gate.no_worse")


def evaluate_change(deltas: list[FileDelta], config: GateConfig) -> Verdict:
    """Judge a change: it passes when no touched file got worse and no new file starts out in debt."""
    findings: list[Finding] = []
    for delta in deltas:
        if delta.after_error:
            findings.append(Finding(delta.path, "analysis.failed", "fail",
                                    f"The changed file could not be analysed: {delta.after_error}"))
            continue
        if delta.after is None:
            if delta.before is not None:
                findings.append(Finding(delta.path, "file.deleted", "improved", "File removed.",
                                        delta.before.complexity, 0))
            continue
        if delta.before is None:
            findings.extend(_judge_new_file(delta.path, delta.after, config))
        else:
            judged = _judge_changed_file(delta.path, delta.before, delta.after, config)
            findings.extend(judged + _judge_hotspot(delta.path, judged, config))
    passed = not any(f.severity == "fail" for f in findings)
    cleaner = any(f.severity == "improved" for f in findings)
    return Verdict(passed=passed, cleaner=cleaner, findings=tuple(findings))


def _judge_hotspot(path: str, judged: list[Finding], config: GateConfig) -> list[Finding]:
    """"Always leave code cleaner", strictly: a touched top-N hotspot must come out measurably improved."""
    if path not in config.hotspot_paths or any(f.severity == "improved" for f in judged):
        return []
    return [Finding(path, "hotspot.not_improved", "fail",
                    "This file is a top hotspot: a change touching it must leave it cleaner "
                    "(less complexity, fewer violations or markers, or a higher maintainability index).")]


def _judge_new_file(path: str, after: FileFigures, config: GateConfig) -> list[Finding]:
    findings = []
    if after.violations > config.new_file_max_violations:
        findings.append(Finding(path, "lint.new_file", "fail",
                                f"New file has {after.violations} lint violation(s) "
                                f"(allowed {config.new_file_max_violations}).", None, after.violations))
    limit = config.max_complexity if config.new_file_max_complexity is None else config.new_file_max_complexity
    for qualname, complexity in after.functions:
        if complexity > limit:
            findings.append(Finding(path, "complexity.new_function", "fail",
                                    f"{qualname} has complexity {complexity} (limit {limit}).", None, complexity))
    if after.markers > config.new_file_max_markers and config.new_markers_fail:
        findings.append(Finding(path, "markers.new_file", "fail",
                                f"New file adds {after.markers} debt marker(s).", None, after.markers))
    return findings


def _judge_changed_file(path: str, before: FileFigures, after: FileFigures, config: GateConfig) -> list[Finding]:
    findings = [
        *_compare_count(path, "lint", "lint violation(s)", before.violations, after.violations, fail=True,
                        tolerance=config.violations_tolerance),
        *_compare_count(path, "markers", "debt marker(s)", before.markers, after.markers,
                        fail=config.new_markers_fail, tolerance=config.markers_tolerance),
        *_judge_functions(path, before, after, config),
        *_judge_total_complexity(path, before, after, config),
    ]
    if before.mi is not None and after.mi is not None and math.isfinite(before.mi) and math.isfinite(after.mi):
        if after.mi < before.mi - config.mi_tolerance:
            findings.append(Finding(path, "mi.dropped", "fail",
                                    f"Maintainability index fell from {before.mi:.1f} to {after.mi:.1f}.",
                                    before.mi, after.mi))
        elif after.mi > before.mi + config.mi_tolerance:
            findings.append(Finding(path, "mi.rose", "improved",
                                    f"Maintainability index rose from {before.mi:.1f} to {after.mi:.1f}.",
                                    before.mi, after.mi))
    return findings


def _judge_total_complexity(path: str, before: FileFigures, after: FileFigures,
                            config: GateConfig) -> list[Finding]:
    """The file's total complexity may rise by the policy's tolerance (None: not judged)."""
    if config.complexity_tolerance is None or after.complexity <= before.complexity + config.complexity_tolerance:
        return []
    return [Finding(path, "complexity.file_increased", "fail",
                    f"Total complexity rose from {before.complexity} to {after.complexity} "
                    f"(tolerance {config.complexity_tolerance}).", before.complexity, after.complexity)]


def _compare_count(path: str, rule: str, noun: str, before: int, after: int, *, fail: bool,
                   tolerance: int = 0) -> list[Finding]:
    if after > before:
        severity = "fail" if fail and after > before + tolerance else "info"
        return [Finding(path, f"{rule}.increased", severity, f"{noun.capitalize()} rose from {before} to {after}.",
                        before, after)]
    if after < before:
        return [Finding(path, f"{rule}.decreased", "improved", f"{noun.capitalize()} fell from {before} to {after}.",
                        before, after)]
    return []


def _judge_functions(path: str, before: FileFigures, after: FileFigures, config: GateConfig) -> list[Finding]:
    """A function over the limit must not get more complex; a new one must not start over the limit."""
    old = dict(before.functions)
    findings = []
    for qualname, complexity in after.functions:
        previous = old.get(qualname)
        if previous is None:
            if complexity > config.max_complexity:
                findings.append(Finding(path, "complexity.new_function", "fail",
                                        f"New {qualname} has complexity {complexity} (limit {config.max_complexity}).",
                                        None, complexity))
        elif complexity > previous and complexity > config.max_complexity:
            findings.append(Finding(path, "complexity.increased", "fail",
                                    f"{qualname} grew from complexity {previous} to {complexity} "
                                    f"(limit {config.max_complexity}).", previous, complexity))
        elif complexity < previous and previous > config.max_complexity:
            findings.append(Finding(path, "complexity.decreased", "improved",
                                    f"{qualname} fell from complexity {previous} to {complexity}.",
                                    previous, complexity))
    return findings


def file_change(delta: FileDelta) -> dict[str, Any]:
    """One file's deltas for the Boy Scout record: negative complexity, violations, markers mean cleaner."""
    before, after = delta.before or FileFigures(), delta.after or FileFigures()
    mi = None
    if delta.before is not None and delta.after is not None and before.mi is not None and after.mi is not None:
        mi = round(after.mi - before.mi, 2)
    return {"path": delta.path, "complexity": after.complexity - before.complexity,
            "violations": after.violations - before.violations, "markers": after.markers - before.markers,
            "mi": mi, "new": delta.before is None, "deleted": delta.after is None}


def _is_count(value: object, limit: int) -> bool:
    return type(value) is int and 0 <= value <= limit  # type() rather than isinstance: True is not a count


def figures_problem(figures: FileFigures) -> str:
    """Why a file's posted figures are out of bounds, or "" when every one is within them."""
    for name in ("loc", "complexity", "violations", "markers"):
        if not _is_count(getattr(figures, name), MAX_COUNT):
            return f"{name} must be a whole number from 0 to {MAX_COUNT}."
    mi = figures.mi
    if mi is not None and (type(mi) not in (int, float) or not math.isfinite(mi) or abs(mi) > MAX_MI):
        return f"mi must be a finite number from {-MAX_MI:g} to {MAX_MI:g}."
    if len(figures.functions) > MAX_FUNCTIONS_PER_FILE:
        return f"{len(figures.functions)} functions; the limit is {MAX_FUNCTIONS_PER_FILE} per file."
    for qualname, complexity in figures.functions:
        if not _is_count(complexity, MAX_COMPLEXITY):
            return f"{qualname}: complexity must be a whole number from 0 to {MAX_COMPLEXITY}."
    return ""


def path_problem(path: str) -> str:
    """Why a changed file's repository-relative path cannot be checked, or "" when it can.

    A path in a change check names a file of the repository: relative, no `.` or `..` segment, no control
    character (a newline would forge lines of a report), at most MAX_PATH characters.
    """
    if not isinstance(path, str) or not path:
        return "a path must be a non-empty string."
    if len(path) > MAX_PATH:
        return f"a path is at most {MAX_PATH} characters."
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "a path must not contain control characters (newline, tab, NUL…)."
    if path.startswith("/") or any(part in ("", ".", "..") for part in path.split("/")):
        return "a path must be relative to the repository, without empty, '.' or '..' segments."
    return ""
