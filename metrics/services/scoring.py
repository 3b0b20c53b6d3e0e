"""Scoring a scan: change measures, coupling, ownership, CODEOWNERS, hotspots, code health, function hotspots.

Only history that the scanned commit can see is read: commits that are ancestors of scan.commit_sha
(from one `git rev-list`, which also gives their topological order for following renames) and dated
no later than scan.committed_at. That is what makes backfill scans of past revisions correct.
"""
import gc
import json
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from debtboard.db_locks import write_retrying
from debtboard.errors import InvalidInput
from metrics.conf import scoring_fork
from metrics.core.codeowners import CodeOwnersRule, assign_owners, parse_codeowners, read_codeowners
from metrics.core.coupling import CouplingPair, couple_files, coupling_sums, top_coupled
from metrics.core.errors import CoreError
from metrics.core.forked import Forked
from metrics.core.function_changes import count_function_changes
from metrics.core.measures import measure_files
from metrics.choices import WINDOWS, window_or_default
from metrics.core.file_classes import PRODUCTION
from metrics.core.ownership import island_label, knowledge_island
from metrics.core.records import FileMeasures, FunctionSpan, Hunk
from metrics.core.pool_background import background_busy
from metrics.core.scoring import (
    HOTSPOT_THRESHOLD,
    FileFacts,
    HealthInput,
    HotspotInput,
    HotspotScore,
    Minimums,
    RANKED,
    SIMPLE,
    UNCHANGED,
    code_health,
    function_hotspot_score,
    lint_density,
    rank_status,
    score_hotspots,
    summarise,
)
from metrics.data import CodeOwnersProblem, RepositoryConfig, ScanCounts, ScanSummary
from metrics.errors import GitFailed
from metrics.models import (
    BlobAnalysis,
    CodeOwner,
    Coupling,
    FileAuthor,
    FileScore,
    FunctionScore,
    Scan,
    SnapshotFile,
)
from metrics.services.analysis import analysis_config_for, lint_settings_at
from metrics.services.bulk import EncodedJson, instances_insert, rows_insert, values_insert
from metrics.services.scoring_history import HistoryCommit, function_hunks, history_cache_save, history_load

Progress = Callable[[int, int], None]
STEPS = 6  # the phases _scan_score runs in this process (the forked file side reports its own times)
TOP_COUPLED_IN_BREAKDOWN = 5
_TEXT_LENGTH = 255


@dataclass(frozen=True)
class ScoringResult:
    """What scoring stored for a scan (numbers for the scan's counts) and the CODEOWNERS lines it skipped."""

    files: int
    commits: int  # commits the scanned revision can see (ancestors, dated no later than it)
    file_scores: int
    function_scores: int
    couplings: int
    file_authors: int
    code_owners: int
    codeowners_file: str
    codeowners_errors: int
    hotspots: int
    knowledge_islands: int
    duration: float
    history_from_cache: bool = False  # the visible history came from the previous scan's cache
    history_commits_read: int = 0  # commits read from the database for it (only the new ones, from the cache)
    parallel: bool = False  # the file side ran in a forked child, beside the function side
    seconds: dict[str, float] = field(default_factory=dict)  # per phase
    codeowners_problems: tuple[CodeOwnersProblem, ...] = ()


@dataclass(slots=True)
class _File:
    """A snapshot file with its analysis facts."""

    path: str
    analysis_id: int | None
    analysed: bool
    file_class: str = PRODUCTION
    sloc: int = 0
    loc: int = 0
    mi: float | None = None
    complexity: int = 0
    max_complexity: int = 0
    violations: int = 0
    markers: int = 0
    functions: list[tuple] = field(default_factory=list)


def scan_score(
    *, scan: Scan, repo_path: str, config: RepositoryConfig, progress: Progress | None = None
) -> ScoringResult:
    """Compute and store a scan's file and function scores, couplings, authors, owners and summary.

    Idempotent: the scan's previous score rows are deleted, then the new ones written in a few short
    transactions, the summary last (a scan that has its summary has all its rows).
    """
    if not scan.commit_sha or scan.committed_at is None:
        raise InvalidInput("The scan has no resolved commit to score.", code="scan.unresolved",
                           extra={"scan": scan.pk})
    with _collector_paused():
        return _scan_score(scan, repo_path, config, progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while scoring.

    Scoring builds about a million short-lived, acyclic objects (the history, measures, rows); every
    automatic full collection would walk all of them again (measured on sympy: about 10% of an
    incremental scan's scoring). Nothing it builds needs the cycle collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scan_score(scan: Scan, repo_path: str, config: RepositoryConfig, progress: Progress | None) -> ScoringResult:
    started = time.monotonic()
    phase = _Phases(progress)
    try:
        with phase("snapshot"):
            files = _snapshot_files(scan)
        with phase("history"):
            history = history_load(scan=scan, repo_path=repo_path)
            commits = history.commits
        with phase("owners"):
            codeowners_file, rules, problems = _codeowners(repo_path, scan.commit_sha)
            owners = assign_owners(rules, files)
    except CoreError as exc:
        raise GitFailed(f"Scoring scan {scan.pk} failed: {exc}", extra={"scan": scan.pk}) from exc
    # The file side (measures, coupling, file and author rows) is worked out on the other core, in a
    # forked child, while this process counts function changes and stores the function scores; not while
    # a backfill's background analyses hold the cores.
    with Forked(partial(_file_side, scan.pk, files, commits, scan.committed_at, config),
                enabled=scoring_fork() and not background_busy()) as file_side:
        try:
            with phase("functions"):
                hunks = function_hunks(scan=scan, repo_path=repo_path, history=history,
                                       wanted={path for path, item in files.items() if item.functions},
                                       days=config.function_history_days)
                function_rows = _function_score_rows(
                    scan, files, _function_changes(hunks, files, commits), config)
        except CoreError as exc:
            raise GitFailed(f"Scoring scan {scan.pk} failed: {exc}", extra={"scan": scan.pk}) from exc
        owner_rows = _code_owner_rows(scan, owners)
        with phase("store"):
            # Short transactions, none of them open while the forked child computes: the write lock
            # is never held waiting (SQLite has one writer). The summary goes in last.
            write_retrying(partial(_store_function_side, scan, function_rows, owner_rows))
            author_rows, side_seconds = file_side.next()  # stored while the child builds the file rows
            write_retrying(partial(rows_insert, model=FileAuthor, fields=FILE_AUTHOR_FIELDS, rows=author_rows))
            rows, coupling_rows, more_seconds = file_side.next()
            summary = _summary(rows, files, config, codeowners_file, problems, function_rows)
            summary = replace(summary, **_lint_summary(scan, repo_path))
            write_retrying(partial(_store_file_side, scan, summary, rows, coupling_rows))
    phase.seconds.update({**side_seconds, **more_seconds})
    with phase("cache"):
        history_cache_save(scan=scan, history=history)
    return ScoringResult(
        files=len(files),
        commits=len(commits),
        file_scores=len(rows),
        function_scores=len(function_rows),
        couplings=len(coupling_rows),
        file_authors=len(author_rows),
        code_owners=len(owner_rows),
        codeowners_file=codeowners_file,
        codeowners_errors=len(problems),
        hotspots=summary.hotspots or 0,
        knowledge_islands=summary.knowledge_islands or 0,
        duration=round(time.monotonic() - started, 3),
        history_from_cache=history.from_cache,
        history_commits_read=history.new_commits,
        parallel=file_side.in_child,
        seconds=phase.seconds,
        codeowners_problems=problems,
    )


def _codeowners(repo_path: str, commit_sha: str) -> tuple[str, list[CodeOwnersRule], tuple[CodeOwnersProblem, ...]]:
    """The commit's CODEOWNERS file name, its rules and the lines it skipped (all empty without one)."""
    codeowners = read_codeowners(repo_path, commit_sha)
    if not codeowners:
        return "", [], ()
    rules, problems = parse_codeowners(codeowners[1])
    return codeowners[0], rules, tuple(
        CodeOwnersProblem(line=problem.line, text=problem.text, message=problem.message) for problem in problems
    )


def _lint_summary(scan: Scan, repo_path: str) -> dict[str, Any]:
    """The lint engine and settings the scan's analysis ran with, and where each came from."""
    config = analysis_config_for(repository=scan.repository)
    settings = lint_settings_at(config=config, repo_path=repo_path, commit_sha=scan.commit_sha)
    return {"lint_engine": config.lint_engine, "lint_settings": settings.lines,
            "lint_ignored_keys": settings.ignored_keys}


def _file_side(
    scan_id: int, files: dict[str, _File], commits: list[HistoryCommit], reference: datetime, config: RepositoryConfig
) -> Iterator[tuple]:
    """Measures, coupling and the rows they make: pure computation, in stages (it may run in a forked child).

    Yields (FileAuthor rows, seconds), then (FileScore rows, Coupling rows, seconds).
    """
    mark = time.perf_counter()
    measures = _measures(commits, files, reference, config)
    author_rows = _file_author_rows(scan_id, measures[0], files, _latest_emails(commits))
    yield author_rows, {"measures": round(time.perf_counter() - mark, 3)}
    mark = time.perf_counter()
    couplings = _couplings(commits, files, reference, config)
    coupled = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    rows = _file_score_rows(scan_id, files, measures, couplings, config)
    coupling_rows = [
        {"scan_id": scan_id, "window_days": window, "path_a": pair.path_a, "path_b": pair.path_b,
         "shared_revisions": pair.shared_revisions, "revisions_a": pair.revisions_a,
         "revisions_b": pair.revisions_b, "degree": _finite(pair.degree)}
        for window, pairs in couplings.items() for pair in pairs
    ]
    yield rows, coupling_rows, {"coupling": coupled, "rows": round(time.perf_counter() - mark, 3)}


class _Phases:
    """Times each phase of scoring (ScoringResult.seconds) and reports one progress step per phase."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self.done = 0
        if progress:
            progress(0, STEPS)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        mark = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - mark, 3)
        self.done += 1
        if self.progress:
            self.progress(self.done, STEPS)


def _finite(value: float | None, default: float = 0.0) -> float:
    """A float safe for the database and JSON: NaN and infinities become `default`."""
    if value is None or not math.isfinite(value):
        return default
    return float(value)


def _snapshot_files(scan: Scan) -> dict[str, _File]:
    """The scan's files with their analysis facts and their functions (classes left out)."""
    files: dict[str, _File] = {}
    rows = SnapshotFile.objects.filter(scan=scan).values_list(
        "path", "analysis_id", "analysis__status", "file_class", "analysis__sloc", "analysis__loc", "analysis__mi",
        "analysis__total_complexity", "analysis__max_complexity", "analysis__violation_count",
        "analysis__marker_count",
    )
    for path, analysis_id, status, file_class, *facts in rows:
        analysed = analysis_id is not None and status == BlobAnalysis.Status.OK
        item = _analysed_file(path, analysis_id, *facts) if analysed else _File(path, analysis_id, False)
        item.file_class = file_class or PRODUCTION
        files[path] = item
    functions = SnapshotFile.objects.filter(scan=scan, analysis__functions__isnull=False).values_list(
        "path", "analysis__functions__kind", "analysis__functions__name", "analysis__functions__qualname",
        "analysis__functions__lineno", "analysis__functions__endline", "analysis__functions__complexity",
        "analysis__functions__rank", *(f"analysis__functions__{name}" for name in FUNCTION_FIGURES),
    )
    for path, kind, *function in functions:
        if kind != "class" and files[path].analysed:
            files[path].functions.append((kind, *function))
    return files


def _analysed_file(
    path: str, analysis_id: int, sloc: int | None, loc: int | None, mi: float | None, complexity: int | None,
    max_complexity: int | None, violations: int | None, markers: int | None,
) -> _File:
    """A snapshot file whose analysis succeeded, with its facts (missing numbers read as 0)."""
    return _File(
        path=path, analysis_id=analysis_id, analysed=True, sloc=sloc or 0, loc=loc or 0,
        mi=None if mi is None or not math.isfinite(mi) else mi, complexity=complexity or 0,
        max_complexity=max_complexity or 0, violations=violations or 0, markers=markers or 0,
    )


def _measures(
    commits: list[HistoryCommit], files: dict[str, _File], reference: datetime, config: RepositoryConfig
) -> dict[int, dict[str, FileMeasures]]:
    events = (  # ChangeEvent fields, as plain tuples: one per file change of the whole history
        (commit.sha, path, commit.author, commit.authored_at, added, deleted)
        for commit in commits if not commit.excluded
        for path, (added, deleted) in zip(commit.paths, commit.lines) if path in files
    )
    return measure_files(events, reference=reference, half_life_days=config.half_life_days, windows=WINDOWS,
                         paths=files.keys())


def _couplings(
    commits: list[HistoryCommit], files: dict[str, _File], reference: datetime, config: RepositoryConfig
) -> dict[int, list[CouplingPair]]:
    counted = [commit for commit in commits if not commit.excluded]
    # In a window: no older than `window` days (age_in_days/in_window), i.e. dated on or after the cutoff.
    cutoffs = {window: reference - timedelta(days=window) for window in WINDOWS if window}
    return {
        window: couple_files(
            (commit.paths for commit in counted if not window or commit.authored_at >= cutoffs[window]),
            paths=files.keys(),
            min_revisions=config.coupling_min_revisions,
            min_shared=config.coupling_min_shared,
            min_degree=config.coupling_min_degree,
            max_files_per_commit=config.coupling_max_files_per_commit,
        )
        for window in WINDOWS
    }


def _function_changes(
    history: dict[str, list[tuple[str, list[Hunk]]]], files: dict[str, _File], commits: list[HistoryCommit]
) -> dict[str, dict[str, int]]:
    """Count each function's changes in the collected hunks; excluded (bot, mechanical) commits shift lines only."""
    counted_shas = {commit.sha for commit in commits if not commit.excluded}
    result = {}
    for path, item in files.items():
        if not item.functions:
            continue
        spans = [FunctionSpan(qualname=f[2], lineno=f[3], endline=f[4]) for f in item.functions]
        entries = history.get(path, [])
        result[path] = count_function_changes(
            [hunks for _sha, hunks in entries], spans, counted=[sha in counted_shas for sha, _hunks in entries]
        )
    return result


def _latest_emails(commits: list[HistoryCommit]) -> dict[str, str]:
    emails: dict[str, str] = {}
    for commit in commits:  # newest first: the first e-mail seen is the latest
        emails.setdefault(commit.author, commit.email)
    return emails


def _file_score_rows(
    scan_id: int, files: dict[str, _File], measures: dict[int, dict[str, FileMeasures]],
    couplings: dict[int, list[CouplingPair]], config: RepositoryConfig,
) -> list[dict[str, Any]]:
    """FileScore rows as {attname: value}, every window's (model instances cost more than the scores)."""
    rows = []
    minimums = Minimums(complexity=config.hotspot_min_complexity, sloc=config.hotspot_min_sloc,
                        revisions=config.hotspot_min_revisions)
    for window in WINDOWS:
        by_path = measures[window]
        sums = coupling_sums(couplings[window])
        pairs_of: dict[str, list[CouplingPair]] = defaultdict(list)
        for pair in couplings[window]:
            pairs_of[pair.path_a].append(pair)
            pairs_of[pair.path_b].append(pair)
        statuses = {
            path: rank_status(revisions=by_path[path].revisions, complexity=item.complexity, sloc=item.sloc,
                              minimums=minimums)
            for path, item in files.items()
        }
        hotspots = score_hotspots([
            HotspotInput(path=path, change_frequency=by_path[path].change_frequency, complexity=item.complexity,
                         sloc=item.sloc, ranked=statuses[path] == RANKED)
            for path, item in files.items()
        ])
        for path, item in files.items():
            row = _file_score_row(scan_id, window, item, by_path[path], sums.get(path, 0.0),
                                  hotspots[path], pairs_of.get(path, []))
            row["rank_status"] = statuses[path]
            row["is_knowledge_island"] = knowledge_island(
                by_path[path].shares, sloc=item.sloc, revisions=by_path[path].revisions,
                min_sloc=config.island_min_sloc, min_revisions=config.island_min_revisions,
            )
            row["island_label"] = island_label(window) if row["is_knowledge_island"] else ""
            rows.append(row)
    return rows


def _file_score_row(
    scan_id: int, window: int, item: _File, measured: FileMeasures, coupling_sum: float, hotspot: HotspotScore,
    pairs: list[CouplingPair],
) -> dict[str, Any]:
    """One FileScore: the window's change measures, the static facts, hotspot, health and their breakdown."""
    worst = max((function[5] for function in item.functions), default=item.max_complexity)
    health, health_breakdown = code_health(HealthInput(
        mi=item.mi, worst_function_complexity=worst, violations=item.violations, loc=item.loc,
        coupling_sum=coupling_sum,
    ))
    breakdown = {
        "hotspot": hotspot.breakdown,
        "health": health_breakdown,
        "analysed": item.analysed,
        "coupled_with": [
            {"path": partner, "degree": round(pair.degree, 4), "shared_revisions": pair.shared_revisions}
            for partner, pair in top_coupled(pairs, item.path, limit=TOP_COUPLED_IN_BREAKDOWN)
        ],
    }
    return {
        "scan_id": scan_id, "window_days": window, "path": item.path, "analysis_id": item.analysis_id,
        "revisions": measured.revisions, "added": measured.added, "deleted": measured.deleted,
        "churn": measured.churn, "change_frequency": _finite(round(measured.change_frequency, 6)),
        "authors": measured.authors, "main_author": measured.main_author[:_TEXT_LENGTH],
        "ownership_share": _finite(round(measured.ownership_share, 6)),
        "fragmentation": _finite(round(measured.fragmentation, 6)), "first_seen": measured.first_seen,
        "last_changed": measured.last_changed, "age_days": measured.age_days, "loc": item.loc, "sloc": item.sloc,
        "complexity": item.complexity, "max_function_complexity": worst, "violations": item.violations,
        "lint_density": _finite(round(lint_density(item.violations, item.loc), 4)), "markers": item.markers,
        "coupling_sum": _finite(round(coupling_sum, 6)), "hotspot_score": _finite(hotspot.score),
        "hotspot_rank": hotspot.rank, "health": _finite(health, 10.0),
        "breakdown": EncodedJson(json.dumps(breakdown)),  # encoded here, on the file side's core
        "file_class": item.file_class,
    }


FUNCTION_FIGURES = ("sloc", "h_volume", "h_difficulty", "h_effort", "h_bugs", "mi")  # radon's, per function
FUNCTION_SCORE_FIELDS = (
    "scan", "window_days", "path", "qualname", "name", "kind", "lineno", "endline", "complexity", "rank", "changes",
    "hotspot_score", "hotspot_rank", *FUNCTION_FIGURES,
)
FILE_AUTHOR_FIELDS = ("scan", "path", "author", "email", "commits", "added_lines", "share")


def _function_score_rows(
    scan: Scan, files: dict[str, _File], changes: dict[str, dict[str, int]], config: RepositoryConfig
) -> list[tuple]:
    """FunctionScore rows (FUNCTION_SCORE_FIELDS order), ranked by score, complexity, path and line."""
    scored = []
    for path, item in files.items():
        counts = changes.get(path, {})
        for kind, name, qualname, lineno, endline, complexity, rank, *figures in item.functions:
            changed = counts.get(qualname, 0)
            scored.append((function_hotspot_score(complexity, changed), complexity, path, lineno, qualname, name,
                           kind, endline, rank, changed, _function_figures(figures)))
    scored.sort(key=lambda entry: (-entry[0], -entry[1], entry[2], entry[3]))
    return [
        (scan.pk, config.function_history_days, path, qualname[:1000], name[:_TEXT_LENGTH], kind, lineno, endline,
         complexity, rank, changed, score, position, *figures)
        for position, (score, complexity, path, lineno, qualname, name, kind, endline, rank, changed, figures)
        in enumerate(scored, start=1)
    ]


def _function_figures(figures: list[Any]) -> tuple:
    """A function's radon figures in FUNCTION_FIGURES order, safe to store (finite; 0 or None when missing)."""
    sloc, volume, difficulty, effort, bugs, mi = (figures + [None] * len(FUNCTION_FIGURES))[:len(FUNCTION_FIGURES)]
    return (sloc or 0, _finite(volume), _finite(difficulty), _finite(effort), _finite(bugs),
            None if mi is None else _finite(mi))


def _file_author_rows(
    scan_id: int, measures: dict[str, FileMeasures], files: dict[str, _File], emails: dict[str, str]
) -> list[tuple]:
    """FileAuthor rows (FILE_AUTHOR_FIELDS order) over all history."""
    rows = []
    for path in files:
        for share in measures[path].shares:
            rows.append((
                scan_id, path, share.author[:_TEXT_LENGTH], emails.get(share.author, "")[:_TEXT_LENGTH],
                share.commits, share.added_lines, _finite(round(share.share, 6)),
            ))
    return rows


def _code_owner_rows(scan: Scan, owners: dict[str, CodeOwnersRule]) -> list[CodeOwner]:
    return [
        CodeOwner(scan=scan, path=path, owners=list(rule.owners), pattern=rule.pattern[:1000], line=rule.line)
        for path, rule in sorted(owners.items())
    ]


def _summary(
    rows: list[dict[str, Any]], files: dict[str, _File], config: RepositoryConfig, codeowners_file: str,
    problems: tuple[CodeOwnersProblem, ...], function_rows: list[tuple],
) -> ScanSummary:
    """The scan's summary over the repository's default window (metrics.data.ScanSummary)."""
    window = window_or_default(config.window_days)
    window_rows = [row for row in rows if row["window_days"] == window]
    # The dashboard's figures cover production files (docs/scoring.md "File classes").
    shown = [row for row in window_rows if row["file_class"] == PRODUCTION]
    facts = [
        FileFacts(loc=row["loc"], sloc=row["sloc"], complexity=row["complexity"], violations=row["violations"],
                  markers=row["markers"], health=row["health"], hotspot_score=row["hotspot_score"],
                  analysed=files[row["path"]].analysed, ranked=row["rank_status"] == RANKED)
        for row in shown
    ]
    score_index = FUNCTION_SCORE_FIELDS.index("hotspot_score")
    return ScanSummary(
        **summarise(facts, window_days=window),
        hotspots_by_window=_hotspots_by_window(rows),
        knowledge_islands=sum(1 for row in shown if row["is_knowledge_island"]),
        function_hotspots=sum(1 for row in function_rows if row[score_index] > 0),
        codeowners_file=codeowners_file,
        codeowners_errors=problems,
        **_class_figures(window_rows, shown),
    )


def _class_figures(window_rows: list[dict[str, Any]], shown: list[dict[str, Any]]) -> dict[str, Any]:
    """Files per class in the window, and the production files changing but simple or unchanged."""
    by_class: dict[str, int] = defaultdict(int)
    for row in window_rows:
        by_class[row["file_class"]] += 1
    return {
        "classes": (PRODUCTION,), "files_by_class": dict(by_class),
        "changing_but_simple": sum(1 for row in shown if row["rank_status"] == SIMPLE),
        "unchanged": sum(1 for row in shown if row["rank_status"] == UNCHANGED),
    }


def _hotspots_by_window(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many production files meeting the minimums score as hotspots in each window ("90", "365", "0")."""
    counts = dict.fromkeys(WINDOWS, 0)
    for row in rows:
        if row["hotspot_score"] >= HOTSPOT_THRESHOLD and row["rank_status"] == RANKED \
                and row["file_class"] == PRODUCTION:
            counts[row["window_days"]] += 1
    return {str(days): count for days, count in counts.items()}


def _store_function_side(scan: Scan, function_rows: list[tuple], owner_rows: list[CodeOwner]) -> None:
    """Delete the scan's previous score rows; insert its function scores and code owners (one transaction)."""
    for model in (FileScore, FunctionScore, Coupling, FileAuthor, CodeOwner):
        model.objects.filter(scan=scan).delete()
    rows_insert(model=FunctionScore, fields=FUNCTION_SCORE_FIELDS, rows=function_rows)
    instances_insert(model=CodeOwner, instances=owner_rows)


def _store_file_side(
    scan: Scan, summary: ScanSummary, rows: list[dict[str, Any]], coupling_rows: list[dict[str, Any]]
) -> None:
    """Insert the file and coupling rows and the scan's summary (one transaction).

    Every table goes in through the fast inserts of metrics.services.bulk (bulk_create's per-value
    preparation cost more than computing the scores).
    """
    values_insert(model=FileScore, rows=rows)
    values_insert(model=Coupling, rows=coupling_rows)
    counts = replace(ScanCounts.from_json(scan.counts), codeowners_errors=summary.codeowners_errors).as_json()
    stored = summary.as_json()
    Scan.objects.filter(pk=scan.pk).update(summary=stored, counts=counts)
    scan.summary, scan.counts = stored, counts
