"""Nothing a scanned repository supplies runs: one hostile repository per vector, through debtboard's real paths.

Each repository's .git/config (and .gitattributes, hooks) names a program that writes a marker file;
every test runs real debtboard code against it and asserts that the marker was never written.
"""
import stat
import subprocess
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from metrics.core.errors import GitError
from metrics.core.gitcmd import git_argv, git_env, run_git
from metrics.core.sources import resolve_revision
from metrics.models import Scan
from metrics.services.blame import file_blame_lines
from metrics.services.repositories import repository_create, repository_revision_resolve
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.gitrepo import BASE_DATE, GitRepo, init_repo

pytestmark = pytest.mark.django_db

APP = 'import os\n\n\ndef route(request):  # TODO: split this\n    return os.sep\n'
HOOKS = (
    "pre-commit", "post-commit", "post-checkout", "post-merge", "pre-push", "reference-transaction",
    "post-rewrite", "pre-auto-gc", "post-index-change", "fsmonitor-watchman", "push-to-checkout",
)


def evil_program(folder: Path, marker: Path) -> Path:
    """A program that records that it ran (and fails, so nothing it was asked for succeeds)."""
    program = folder / "evil.sh"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return program


def signed_head(repo: GitRepo) -> str:
    """Replace HEAD with a copy carrying a (fake) gpgsig header, so `log.showSignature` calls gpg.program."""
    body = repo.git("cat-file", "commit", "HEAD")
    header, _, message = body.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    raw = f"{header}\n{signature}\n\n{message}\n"
    sha = repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=raw.encode())
    repo.git("update-ref", "HEAD", sha)
    return sha


def _fsmonitor(repo: GitRepo, program: Path) -> None:
    repo.git("config", "core.fsmonitor", str(program))


def _hooks(repo: GitRepo, program: Path) -> None:
    hooks = repo.path.parent / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in HOOKS:
        for folder in (hooks, repo.path / ".git" / "hooks"):
            (folder / name).write_bytes(program.read_bytes())
            (folder / name).chmod(0o755)
    repo.git("config", "core.hooksPath", str(hooks))


def _gpg(repo: GitRepo, program: Path) -> None:
    signed_head(repo)
    for key in ("gpg.program", "gpg.openpgp.program", "gpg.ssh.program", "gpg.x509.program"):
        repo.git("config", key, str(program))
    repo.git("config", "log.showSignature", "true")


def _textconv(repo: GitRepo, program: Path) -> None:
    repo.git("config", "diff.evil.textconv", str(program))
    repo.git("config", "diff.evil.command", str(program))


def _filter(repo: GitRepo, program: Path) -> None:
    for key in ("smudge", "clean", "process"):
        repo.git("config", f"filter.evil.{key}", str(program))


def _external_diff(repo: GitRepo, program: Path) -> None:
    repo.git("config", "diff.external", str(program))


def _ssh(repo: GitRepo, program: Path) -> None:
    repo.git("config", "core.sshCommand", str(program))
    repo.git("config", "remote.origin.url", "ssh://git@127.0.0.1:1/nowhere.git")


def _pager(repo: GitRepo, program: Path) -> None:
    repo.git("config", "core.pager", str(program))
    for command in ("log", "show", "blame", "diff"):
        repo.git("config", f"pager.{command}", str(program))


# vector -> (what .gitattributes says, how .git/config is made hostile)
VECTORS: dict[str, tuple[str, Callable[[GitRepo, Path], None]]] = {
    "fsmonitor": ("", _fsmonitor),
    "hooks": ("", _hooks),
    "gpg": ("", _gpg),
    "textconv": ("*.py diff=evil\n", _textconv),
    "filter": ("*.py filter=evil\n", _filter),
    "diff.external": ("", _external_diff),
    "ssh": ("", _ssh),
    "pager": ("", _pager),
}


def hostile_repository(tmp_path: Path, vector: str) -> tuple[GitRepo, Path]:
    """A repository with two commits and a debt marker, made hostile for `vector`; return it and its marker."""
    attributes, make_hostile = VECTORS[vector]
    repo = init_repo(tmp_path / "hostile")
    repo.commit("one", files={"app.py": APP, ".gitattributes": attributes}, date=BASE_DATE)
    repo.commit("two", files={"app.py": APP + "\n\ndef other():\n    return 1\n", "lib.py": "X = 1\n"},
                date=BASE_DATE.replace(month=2))
    marker = tmp_path / "ran.txt"
    make_hostile(repo, evil_program(tmp_path, marker))
    return repo, marker


def ran(marker: Path) -> str:
    return marker.read_text() if marker.exists() else ""


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_scan_through_the_database_runs_nothing_from_the_repository(tmp_path, vector):
    repo, marker = hostile_repository(tmp_path, vector)
    repository = repository_create(source=str(repo.path))
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == Scan.Status.SUCCEEDED, scan.error
    assert scan.commit_sha == repo.head()
    assert ran(marker) == ""


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_analyze_command_runs_nothing_from_the_repository(tmp_path, vector):
    repo, marker = hostile_repository(tmp_path, vector)
    out = StringIO()
    call_command("analyze", str(repo.path), "--workers", "1", "--format", "json", stdout=out, stderr=StringIO())
    assert repo.head() in out.getvalue()
    assert ran(marker) == ""


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_blame_and_revision_resolution_run_nothing_from_the_repository(tmp_path, vector):
    repo, marker = hostile_repository(tmp_path, vector)
    repository = repository_create(source=str(repo.path))
    resolved = repository_revision_resolve(repository=repository, revision="HEAD")
    assert resolved.sha == repo.head()
    lines = file_blame_lines(repository=repository, revision=resolved.sha, path="app.py", lines=[4, 7])
    assert lines[4].sha == repo.commits[0] and lines[7].sha == repo.head()
    assert ran(marker) == ""


# The commands that would run each program if git were left to the repository's configuration. Through
# git_argv/git_env (what run_git and stream_git use), none of them does.
TRIGGERS: dict[str, list[str]] = {
    "fsmonitor": ["status", "--porcelain"],
    "hooks": ["update-ref", "refs/heads/probe", "HEAD"],
    "gpg": ["show", "-s", "--format=%H", "HEAD"],
    "textconv": ["diff", "HEAD~1", "HEAD"],
    "filter": ["cat-file", "blob", "HEAD:app.py"],
    "diff.external": ["diff", "HEAD~1", "HEAD"],
    "ssh": ["fetch", "origin"],
    "pager": ["log", "-1"],
}


def safe_git(repo: GitRepo, args: list[str]) -> None:
    """Run `git args` with debtboard's safety configuration and environment (bypassing the command allow-list)."""
    argv = git_argv(repo.path, ["log", "-1"])
    command_at = argv.index("log")
    subprocess.run([*argv[:command_at], *args], env=git_env(), capture_output=True, timeout=60,
                   stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("vector", sorted(TRIGGERS))
def test_safety_configuration_disarms_the_commands_that_would_run_the_program(tmp_path, vector):
    repo, marker = hostile_repository(tmp_path, vector)
    if vector in ("textconv", "diff.external"):  # switched off by the options run_git adds to `diff`
        run_git(repo.path, TRIGGERS[vector], check=False)
    else:
        safe_git(repo, TRIGGERS[vector])
    assert ran(marker) == ""


def test_the_triggers_do_run_the_program_without_the_safety_configuration(tmp_path):
    """The control experiment: the hostile repositories are really hostile."""
    for vector, args in TRIGGERS.items():
        if vector in ("pager", "filter"):  # a pager needs a terminal; cat-file runs no filter anyway
            continue
        repo, marker = hostile_repository(tmp_path / vector, vector)
        subprocess.run(["git", *args], cwd=repo.path, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        assert ran(marker), vector


@pytest.mark.parametrize("args", [
    ["checkout", "HEAD"], ["add", "-A"], ["status"], ["cat-file", "--filters", "HEAD:app.py"],
    ["cat-file", "--textconv", "HEAD:app.py"], ["log", "--show-signature"], ["diff", "--ext-diff"], [],
])
def test_commands_that_could_run_filters_are_refused(git_repo, args):
    git_repo.commit("one", files={"app.py": APP})
    with pytest.raises(GitError):
        run_git(git_repo.path, args)


def test_core_resolve_revision_of_a_signed_commit_runs_no_gpg(tmp_path):
    repo, marker = hostile_repository(tmp_path, "gpg")
    assert resolve_revision(repo.path, "HEAD").sha == repo.head()
    assert ran(marker) == ""
