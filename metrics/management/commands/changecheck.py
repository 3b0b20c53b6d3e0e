"""`debtboard check`: judge the changed Python files of a git checkout, on a debtboard server or locally.

The console script maps `debtboard check` to this command (`manage.py check` stays Django's system check).
It needs no database and no migrations: git, the analyser and, unless --local, one server.
Exit status: 0 pass or cleaner, 1 fail, 2 a usage, git or connection error (one line on stderr).
"""
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from debtboard.commands import DebtboardCommand
from debtboard.errors import DebtboardError
from metrics.check_client import CheckClientError, Server, analysis_settings_fetch, change_check_post
from metrics.core.change_analysis import analyze_sides, change_sides
from metrics.core.changed_files import (
    ChangedFile,
    changed_between,
    changed_in_index,
    commit_info,
    commit_of,
    current_branch,
    default_base,
    head_or_empty_tree,
    merge_base,
    select_changes,
)
from metrics.core.ci_environment import ci_branch, ci_reference
from metrics.core.errors import CoreError
from metrics.core.gate import FileDelta, GateConfig, evaluate_change, path_problem
from metrics.data import AnalysisSettings, ChangedFileFigures, ChangeSubmission
from metrics.management.check_output import RENDERERS, CheckReport, findings_from_json
from metrics.services.analysis import lint_settings_at

EXIT_FAIL = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class _Range:
    base: str  # commit id the change is compared from
    head: str  # commit id, or "index" for staged changes
    changes: list[ChangedFile]


class Command(DebtboardCommand):
    help = ("Check the changed Python files of a git checkout against the 'leave it cleaner' gate: on a debtboard "
            "server (--server, token in DEBTBOARD_TOKEN) or locally (--local). Exit 0 pass or cleaner, 1 fail, "
            "2 error.")
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=".", help="the git checkout (default: the current directory)")
        parser.add_argument("--base", help="the revision to compare from (default: the merge base with the "
                                           "server's default branch, or origin/HEAD); any revision")
        parser.add_argument("--head", default="HEAD", help="the change's revision (default HEAD)")
        parser.add_argument("--staged", action="store_true",
                            help="check the staged changes (the index) against HEAD, as a pre-commit hook")
        parser.add_argument("--local", action="store_true",
                            help="no server: compare with the base revision's figures, computed here")
        parser.add_argument("--analysis-settings", metavar="FILE",
                            help="--local: analyse with these settings (JSON in the shape of the server's "
                                 "analysis-settings answer) instead of the defaults")
        parser.add_argument("--server", default=os.environ.get("DEBTBOARD_SERVER", ""),
                            help="the debtboard server's URL (default DEBTBOARD_SERVER); the token is read "
                                 "from DEBTBOARD_TOKEN only")
        parser.add_argument("--repository", default=os.environ.get("DEBTBOARD_REPOSITORY", ""),
                            help="the repository's name on the server (default DEBTBOARD_REPOSITORY)")
        parser.add_argument("--reference", default=None,
                            help="pull/merge request number (default: from GitHub Actions, GitLab CI or Jenkins)")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="table")
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP request (default 60)")
        parser.add_argument("--workers", type=int, default=0, help="analysis processes for big changes (0: per CPU)")

    def run(self, **options: Any) -> None:
        try:
            report = self._check(options)
        except (CheckClientError, CoreError, DebtboardError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            raise CommandError(" ".join(message.split()), returncode=EXIT_ERROR) from None
        self.stdout.write(RENDERERS[options["format"]](report))
        if report.status == "fail":
            raise SystemExit(EXIT_FAIL)

    def _check(self, options: dict[str, Any]) -> CheckReport:
        server = None if options["local"] else self._server(options)
        settings = self._settings(options, server)
        span = self._range(options, settings)
        # The repository's own flake8 files at the change's revision apply as on the server (HEAD's when staged).
        config = lint_settings_at(config=settings.analysis_config(), repo_path=options["path"],
                                  commit_sha=span.base if span.head == "index" else span.head).config
        changes = select_changes(span.changes, include=config.include, exclude=config.exclude)
        _refuse_odd_paths(changes)
        analyses = analyze_sides(options["path"], change_sides(changes, before=server is None), config,
                                 workers=options["workers"])
        paths = tuple(change.path for change in changes)
        if server is None:
            verdict = evaluate_change([_delta(change, analyses) for change in changes],
                                      GateConfig(max_complexity=config.max_complexity))
            return CheckReport(verdict.status, "local", span.base, span.head, paths, verdict.findings)
        if not changes:
            return CheckReport("pass", "server", span.base, span.head, paths, ())
        submission = self._submission(options, span, [_figures(change, analyses) for change in changes])
        answer = change_check_post(server=server, repository=options["repository"], submission=submission)
        return CheckReport(answer["status"], "server", span.base, span.head, paths,
                           findings_from_json(answer.get("findings")))

    def _settings(self, options: dict[str, Any], server: Server | None) -> AnalysisSettings:
        """The server's settings for the repository; with --local, a settings file or the defaults."""
        if server is not None:
            return analysis_settings_fetch(server=server, repository=options["repository"])
        path = options["analysis_settings"]
        return _settings_file(path) if path else AnalysisSettings()

    def _server(self, options: dict[str, Any]) -> Server:
        if not options["server"]:
            raise CheckClientError("Give the server with --server URL (or DEBTBOARD_SERVER), or check with --local.")
        if not options["repository"]:
            raise CheckClientError("Give the repository's name on the server with --repository NAME.")
        return Server(options["server"], os.environ.get("DEBTBOARD_TOKEN", ""), timeout=options["timeout"])

    def _range(self, options: dict[str, Any], settings: AnalysisSettings) -> _Range:
        repo = options["path"]
        if not os.path.isdir(repo):
            raise CheckClientError(f"{repo} is not a directory.")
        if options["staged"]:
            base = head_or_empty_tree(repo)
            return _Range(base, "index", changed_in_index(repo, base))
        head = commit_of(repo, options["head"])
        base = merge_base(repo, options["base"] or default_base(repo, settings.default_branch), head)
        return _Range(base, head, changed_between(repo, base, head))

    def _submission(self, options: dict[str, Any], span: _Range, files: list[ChangedFileFigures]) -> ChangeSubmission:
        if span.head == "index":
            raise CheckClientError("--staged checks locally only: add --local.")
        info = commit_info(options["path"], span.head)
        reference = options["reference"] if options["reference"] is not None else ci_reference(os.environ)
        return ChangeSubmission(
            files=tuple(files), revision=info.sha, base_revision=span.base, parent_revision=info.parent,
            reference=reference, branch=current_branch(options["path"]) or ci_branch(os.environ),
            author_name=info.author_name, author_email=info.author_email,
        )


def _refuse_odd_paths(changes: list[ChangedFile]) -> None:
    """A path no report can show faithfully (a newline in it, say) stops the check with its name."""
    for change in changes:
        for path in filter(None, (change.path, change.old_path)):
            problem = path_problem(path)
            if problem:
                raise CheckClientError(f"Cannot check {path!r}: {problem}")


def _settings_file(path: str) -> AnalysisSettings:
    """Analysis settings saved to a file (e.g. from GET /api/v1/repositories/{name}/analysis-settings/)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckClientError(f"--analysis-settings {path}: {exc}") from None
    return AnalysisSettings.from_json(data)


def _figures(change: ChangedFile, analyses: dict) -> ChangedFileFigures:
    """The contract entry of one changed file (the server compares it with its own scan)."""
    if change.deleted:
        return ChangedFileFigures(path=change.old_path or change.path, deleted=True)
    return ChangedFileFigures.from_analysis(analyses[(change.path, change.new_blob)], old_path=change.old_path)


def _delta(change: ChangedFile, analyses: dict) -> FileDelta:
    """One file's two sides, both analysed here (--local); a side that failed to analyse before counts as new."""
    before = after = None
    if change.old_blob:
        old = ChangedFileFigures.from_analysis(analyses[(change.old_path or change.path, change.old_blob)])
        before = None if old.analysis_error else old.gate_figures()
    error = ""
    if change.new_blob:
        new = ChangedFileFigures.from_analysis(analyses[(change.path, change.new_blob)])
        after, error = new.gate_figures(), new.analysis_error
    return FileDelta(change.path, before, after, error)
