"""Evaluating the hotspot score against later fixes: the git and analysis side of metrics.core.evaluation.

The ranking sees what a scan of the cut commit sees and nothing else: the cut commit is the default
branch's last first-parent commit committed at or before DATE (as a dated scan picks it); its tree is
analysed by the scan's analysis (the blob cache included); its history is `git log CUT` (only its
ancestors), minus commits authored after the cut commit's date. The fixes are read afterwards, from
`git log TIP ^CUT`: commits the cut cannot see, by the date they landed (committer date).
docs/scoring.md "Does the score predict fixes?".
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from debtboard.errors import InvalidInput
from metrics.choices import WINDOWS, window_or_default
from metrics.conf import git_timeout
from metrics.core.backfill import backfill_pick, parse_first_parent_chain
from metrics.core.errors import CoreError
from metrics.core.evaluation import (
    DEFAULT_FIX_PATTERN,
    CutHistory,
    Evaluation,
    LaterCommit,
    RankedFile,
    TreeFile,
    compile_fix_pattern,
    count_fix_touches,
    evaluation_result,
    rank_at_cut,
)
from metrics.core.exclusions import is_excluded
from metrics.core.file_classes import PRODUCTION, classify
from metrics.core.git_history import iter_commits, require_object_name, shallow_boundary
from metrics.core.gitcmd import run_git
from metrics.core.records import ChangeEvent, CommitRecord
from metrics.core.renames import follow_renames
from metrics.core.scoring import Minimums
from metrics.core.sources import resolve_revision
from metrics.data import RepositoryConfig, repository_config_from_json
from metrics.errors import RepositoryNotFound, RevisionNotFound
from metrics.models import BlobAnalysis, Repository
from metrics.selectors.repositories import repository_get
from metrics.services.analysis import analysis_config_for, analysis_config_from, revision_analyze
from metrics.services.repositories import core_error_translate, repository_path, revision_validate

MAX_HORIZON_DAYS = 3650


@dataclass(frozen=True)
class _Target:
    """What is evaluated: a git directory, its settings and the revision whose history is followed."""

    path: str
    config: RepositoryConfig
    repository: Repository | None
    revision: str


def repository_evaluate(
    *, repo: str, at: datetime, horizon_days: int, window_days: int | None = None,
    fix_pattern: str = DEFAULT_FIX_PATTERN, all_classes: bool = False, workers: int | None = None,
) -> Evaluation:
    """Rank a repository's files as of `at`, then score that ranking and its baselines by the fixes that followed.

    `repo` is a registered repository's name, else the path of a git repository (default settings,
    HEAD). The population is the production files at the cut (every file with `all_classes`).
    """
    if at.tzinfo is None:
        raise InvalidInput("The evaluation date needs a time zone.", code="evaluation.invalid")
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"The horizon is 1 to {MAX_HORIZON_DAYS} days.", code="evaluation.invalid")
    try:
        pattern = compile_fix_pattern(fix_pattern)
    except CoreError as exc:
        raise InvalidInput(str(exc), code="evaluation.invalid") from None
    target = _target(repo)
    window = window_or_default(target.config.window_days) if window_days is None else window_days
    if window not in WINDOWS:
        raise InvalidInput(f"The window is one of {', '.join(map(str, WINDOWS))} days.", code="evaluation.invalid")
    try:
        return _evaluate(target, at, horizon_days, window, pattern, all_classes, workers)
    except CoreError as exc:
        raise core_error_translate(exc) from exc


def _evaluate(target: _Target, at: datetime, horizon_days: int, window: int, pattern, all_classes: bool,
              workers: int | None) -> Evaluation:
    tip_sha, tip_at = _tip(target)
    cut_sha, cut_at = _cut(target.path, tip_sha, at)
    ranked = _rank(target, cut_sha, cut_at, window, workers)  # nothing after the cut exists yet here
    population = [item for item in ranked if all_classes or item.file_class == PRODUCTION]
    until = at + timedelta(days=horizon_days)
    fixes = count_fix_touches(_later_commits(target, tip_sha, cut_sha), pattern=pattern, after=at, until=until,
                              paths=[item.path for item in population])
    return evaluation_result(
        files=population, fixes=fixes, at=at, horizon_days=horizon_days, window_days=window, cut_sha=cut_sha,
        cut_at=cut_at, until=until, complete=tip_at >= until, fix_pattern=pattern.pattern,
        classes=() if all_classes else (PRODUCTION,),
    )


def _target(repo: str) -> _Target:
    """A registered repository by name, else a git repository at a path; RepositoryNotFound when neither."""
    try:
        repository = repository_get(name=repo)
    except RepositoryNotFound:
        repository = None
    if repository is not None:
        return _Target(path=repository_path(repository=repository), repository=repository,
                       config=repository_config_from_json(repository.config),
                       revision=revision_validate(repository.default_revision))
    if Path(repo).is_dir():
        return _Target(path=repo, config=RepositoryConfig(), repository=None, revision="HEAD")
    raise RepositoryNotFound(f"No repository {repo!r}: give a registered repository's name or a git repository's "
                             "path.", extra={"repository": repo[:200]})


def _tip(target: _Target) -> tuple[str, datetime]:
    """The commit whose history is followed (the default revision) and its committer date."""
    resolved = resolve_revision(target.path, target.revision, timeout=git_timeout())
    if resolved is None:
        raise RevisionNotFound(f"{target.revision!r} names no commit in {target.path} (an empty repository, or not "
                               "a git repository?).", extra={"revision": target.revision})
    return resolved.sha, resolved.committed_at


def _cut(path: str, tip_sha: str, at: datetime) -> tuple[str, datetime]:
    """The default branch's last first-parent commit committed at or before `at`, and its committer date."""
    chain = parse_first_parent_chain(run_git(
        path, ["rev-list", "--first-parent", "--timestamp", require_object_name(tip_sha), "--"],
        timeout=git_timeout()))
    picks = backfill_pick(chain, [at])
    if not picks:
        raise InvalidInput(f"No commit is as old as {at.isoformat()}: the evaluation needs history before it.",
                           code="evaluation.too_early")
    return picks[0]


def _rank(target: _Target, cut_sha: str, cut_at: datetime, window: int, workers: int | None) -> list[RankedFile]:
    """Rank the files of the cut commit's tree with the cut history only (metrics.core.evaluation.rank_at_cut)."""
    config = target.config
    minimums = Minimums(complexity=config.hotspot_min_complexity, sloc=config.hotspot_min_sloc,
                        revisions=config.hotspot_min_revisions)
    return rank_at_cut(_cut_history(target, cut_sha, cut_at), _cut_tree(target, cut_sha, workers),
                       window_days=window, half_life_days=config.half_life_days, minimums=minimums)


def _cut_history(target: _Target, cut_sha: str, cut_at: datetime) -> CutHistory:
    """The cut commit's ancestors authored no later than it, newest first in topological order, names at the cut.

    As a scan of that commit reads them (metrics.services.scoring_history): bot and mechanical commits
    left out of the measures, a shallow clone's graft commits not mined.
    """
    config = target.config
    grafts = shallow_boundary(target.path, timeout=git_timeout()).commits
    order = {sha: index for index, sha in enumerate(_topological(target.path, cut_sha))}
    records = [record for record in iter_commits(target.path, cut_sha, include_merges=config.include_merges,
                                                 timeout=git_timeout())
               if record.sha not in grafts and record.authored_at <= cut_at]
    records.sort(key=lambda record: order[record.sha])
    events = []
    for record, names in follow_renames(records):  # renames are followed through excluded commits too
        if _excluded(record, config):
            continue
        events += [ChangeEvent(record.sha, name, record.author_name, record.authored_at,
                               change.added or 0, change.deleted or 0)
                   for name, change in zip(names, record.changes)]
    return CutHistory(cut_at=cut_at, events=tuple(events))


def _topological(path: str, revision: str) -> list[str]:
    """`git rev-list --topo-order REVISION`: the revision and its ancestors, newest first."""
    args = ["rev-list", "--topo-order", require_object_name(revision), "--"]
    return run_git(path, args, timeout=git_timeout()).decode("ascii").split()


def _excluded(record: CommitRecord, config: RepositoryConfig) -> bool:
    return is_excluded(record, bot_authors=config.bot_authors, max_files_per_commit=config.max_files_per_commit)


def _cut_tree(target: _Target, cut_sha: str, workers: int | None) -> list[TreeFile]:
    """The cut commit's files with the scan's analysis (blob cache reused and filled) and their classes."""
    if target.repository is not None:
        config = analysis_config_for(repository=target.repository)
    else:
        config = analysis_config_from(config=target.config)
    analysed = revision_analyze(repo_path=target.path, revision=cut_sha, config=config, workers=workers)
    tree = []
    for item in analysed.files:
        analysis = item.analysis
        ok = analysis.status == BlobAnalysis.Status.OK
        file_class = classify(item.path, generated_header=analysis.is_generated, test_globs=config.test_globs,
                              generated_globs=config.generated_globs, vendored_globs=config.vendored_globs,
                              migration_globs=config.migration_globs)
        tree.append(TreeFile(path=item.path, complexity=(analysis.total_complexity or 0) if ok else 0,
                             sloc=(analysis.sloc or 0) if ok else 0, file_class=file_class))
    return tree


def _later_commits(target: _Target, tip_sha: str, cut_sha: str) -> list[LaterCommit]:
    """The commits the cut cannot see (`TIP ^CUT`), oldest first in topological order, with their committer dates."""
    stamps = dict(parse_first_parent_chain(run_git(
        target.path, ["rev-list", "--topo-order", "--timestamp", require_object_name(tip_sha),
                      f"^{require_object_name(cut_sha)}", "--"], timeout=git_timeout())))
    order = {sha: index for index, sha in enumerate(stamps)}
    commits = [
        LaterCommit(sha=record.sha, committed_at=datetime.fromtimestamp(stamps[record.sha], tz=timezone.utc),
                    subject=record.subject, is_merge=record.is_merge, excluded=_excluded(record, target.config),
                    changes=tuple((change.path, change.old_path) for change in record.changes))
        for record in iter_commits(target.path, tip_sha, exclude=(cut_sha,), include_merges=True,
                                   timeout=git_timeout())
    ]
    commits.sort(key=lambda commit: -order[commit.sha])
    return commits
