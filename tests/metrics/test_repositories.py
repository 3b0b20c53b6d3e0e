"""Registering, mirroring, syncing, updating and deleting repositories, with real git and a real database."""
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from debtboard.errors import Conflict
from metrics.errors import GitFailed, RepositoryInvalid, RevisionNotFound, UnsafeRepositorySource
from metrics.models import Repository
from metrics.services.repositories import (
    mirror_path,
    repository_create,
    repository_delete,
    repository_revision_resolve,
    repository_sync,
    repository_update,
)
from tests.gitrepo import BASE_DATE, init_repo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_git_daemon_allowed(settings):
    """The git daemon these tests serve from listens on loopback, which remotes may only use when allowed."""
    settings.DEBTBOARD_REMOTE_ALLOW_HOSTS = ["127.0.0.1"]


def git_daemon_available() -> bool:
    """Whether `git daemon` can run here (Debian's git package ships it)."""
    exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True).stdout.strip()
    return bool(shutil.which("git")) and (Path(exec_path) / "git-daemon").exists()


@contextmanager
def git_daemon(base_path: Path) -> Iterator[str]:
    """Serve every repository under `base_path` read-only at git://127.0.0.1:PORT/; yield that URL prefix."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    process = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", "--informative-errors", f"--base-path={base_path}",
         "--listen=127.0.0.1", f"--port={port}", str(base_path)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("git daemon did not start") from None
                time.sleep(0.05)
        yield f"git://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def served(tmp_path):
    """A bare repository `project.git` served by a real git daemon; yields (source repo, bare path, URL)."""
    if not git_daemon_available():
        pytest.skip("git daemon is not installed")
    source = init_repo(tmp_path / "work")
    source.commit("first", files={"app.py": "x = 1\n"})
    served_dir = tmp_path / "served"
    served_dir.mkdir()
    bare = served_dir / "project.git"
    source.git("clone", "-q", "--bare", str(source.path), str(bare))
    source.git("remote", "add", "origin", str(bare))
    with git_daemon(served_dir) as base_url:
        yield source, bare, f"{base_url}/project.git"


def test_create_local_repository_defaults_name_from_folder(tmp_path):
    repo = init_repo(tmp_path / "Billing Service")
    repo.commit("first", files={"a.py": "x = 1\n"})
    repository = repository_create(source=str(repo.path))
    assert repository.name == "billing-service"
    assert repository.path == str(repo.path.resolve())
    assert repository.url == ""
    assert not repository.is_remote
    assert repository.config == {}


def test_create_picks_a_free_default_name_and_refuses_a_taken_explicit_one(tmp_path):
    first = init_repo(tmp_path / "a" / "tool")
    second = init_repo(tmp_path / "b" / "tool")
    third = init_repo(tmp_path / "c" / "tool")
    for repo in (first, second, third):
        repo.commit("first")
    assert repository_create(source=str(first.path)).name == "tool"
    assert repository_create(source=str(second.path)).name == "tool-2"
    with pytest.raises(Conflict) as caught:
        repository_create(source=str(third.path), name="tool")
    assert caught.value.code == "repository.name_taken"
    assert repository_create(source=str(third.path), name="tool-three").name == "tool-three"


@pytest.mark.parametrize(
    "source",
    [
        "file:///etc",
        "ext::sh -c touch% /tmp/pwned",
        "-oProxyCommand=touch /tmp/pwned",
        "--upload-pack=touch /tmp/pwned",
        "http://example.com/repo.git",
        "javascript:alert(1)",
        "https://user:secret@example.com/repo.git",
    ],
)
def test_create_refuses_unsafe_sources(source):
    with pytest.raises(UnsafeRepositorySource) as caught:
        repository_create(source=source)
    assert caught.value.code == "repository.unsafe_source"
    assert not Repository.objects.exists()


def test_create_refuses_paths_outside_allowed_roots_and_symlinks_out(settings, tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    init_repo(tmp_path / "outside").commit("first")
    init_repo(allowed / "inside").commit("first")
    (allowed / "sneaky").symlink_to(tmp_path / "outside")
    settings.DEBTBOARD_REPO_ROOTS = [allowed.resolve()]
    for path in (tmp_path / "outside", allowed / "sneaky"):
        with pytest.raises(UnsafeRepositorySource, match="outside the allowed repository folders"):
            repository_create(source=str(path))
    assert repository_create(source=str(allowed / "inside")).name == "inside"


def test_create_refuses_a_folder_that_is_not_a_repository(tmp_path):
    (tmp_path / "plain").mkdir()
    with pytest.raises(UnsafeRepositorySource, match="not a git repository"):
        repository_create(source=str(tmp_path / "plain"))


@pytest.mark.parametrize("name", ["-rf", "../escape", "Upper", "a b", ""])
def test_create_refuses_names_that_are_not_slugs(git_repo, name):
    git_repo.commit("first")
    with pytest.raises(UnsafeRepositorySource):
        repository_create(source=str(git_repo.path), name=name)


def test_create_validates_configuration_and_keeps_only_given_keys(git_repo):
    git_repo.commit("first")
    with pytest.raises(RepositoryInvalid):
        repository_create(source=str(git_repo.path), config={"max_complexity": float("nan")})
    with pytest.raises(RepositoryInvalid):
        repository_create(source=str(git_repo.path), config={"no_such_key": 1})
    repository = repository_create(source=str(git_repo.path), config={"exclude": "tests/**, docs/**"})
    assert repository.config == {"exclude": ["tests/**", "docs/**"]}


def test_remote_is_cloned_as_a_mirror_and_fetched_with_prune(served):
    source, bare, url = served
    repository = repository_create(source=url)
    assert repository.name == "project"
    assert repository.url == url
    mirror = Path(repository.path)
    assert mirror == mirror_path("project")
    assert (mirror / "HEAD").is_file() and not (mirror / ".git").exists()  # bare
    assert repository_revision_resolve(repository=repository, revision="HEAD").sha == source.head()

    source.git("checkout", "-q", "-b", "feature")
    feature = source.commit("on a branch", files={"b.py": "y = 2\n"}, date=BASE_DATE + timedelta(days=1))
    source.git("push", "-q", "origin", "feature")
    assert repository_sync(repository=repository) == str(mirror)
    assert repository_revision_resolve(repository=repository, revision="feature").sha == feature

    source.git("push", "-q", "origin", "--delete", "feature")
    repository_sync(repository=repository)
    with pytest.raises(RevisionNotFound):
        repository_revision_resolve(repository=repository, revision="feature")


def test_sync_clones_again_when_the_mirror_is_gone(served):
    _, _, url = served
    repository = repository_create(source=url, name="again")
    shutil.rmtree(repository.path)
    repository_sync(repository=repository)
    assert (Path(repository.path) / "HEAD").is_file()


def test_remote_git_path_is_always_its_mirror_folder(served, tmp_path):
    _, _, url = served
    repository = repository_create(source=url)
    elsewhere = init_repo(tmp_path / "elsewhere")
    elsewhere.commit("unrelated")
    Repository.objects.filter(pk=repository.pk).update(path=str(elsewhere.path))  # e.g. edited in the admin
    repository.refresh_from_db()
    assert repository_sync(repository=repository) == str(mirror_path(repository.name))
    repository.refresh_from_db()
    assert repository.path == str(mirror_path(repository.name))


def test_failed_clone_leaves_nothing_behind(settings):
    settings.DEBTBOARD_GIT_TIMEOUT = 20
    with socket.socket() as probe:  # a port with nothing listening: the connection is refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(GitFailed) as caught:
        repository_create(source=f"git://127.0.0.1:{port}/nothing.git")
    assert caught.value.code == "git.failed"
    assert not Repository.objects.exists()
    assert not mirror_path("nothing").exists()


def test_delete_removes_rows_and_the_mirror(served, django_capture_on_commit_callbacks):
    _, _, url = served
    repository = repository_create(source=url)
    mirror = Path(repository.path)
    with django_capture_on_commit_callbacks(execute=True):
        repository_delete(repository=repository)
    assert not Repository.objects.exists()
    assert not mirror.exists()


def test_delete_keeps_a_local_repository_on_disk(git_repo):
    git_repo.commit("first")
    repository = repository_create(source=str(git_repo.path))
    repository_delete(repository=repository)
    assert (git_repo.path / ".git").is_dir()


def test_update_checks_the_default_revision_and_replaces_configuration(git_repo):
    git_repo.commit("first")
    git_repo.git("tag", "v1")
    repository = repository_create(source=str(git_repo.path), config={"max_complexity": 12})
    repository_update(repository=repository, default_revision="v1", config={"max_line_length": 100})
    repository.refresh_from_db()
    assert repository.default_revision == "v1"
    assert repository.config == {"max_line_length": 100}
    with pytest.raises(RevisionNotFound):
        repository_update(repository=repository, default_revision="no-such-branch")
    with pytest.raises(UnsafeRepositorySource):
        repository_update(repository=repository, default_revision="--output=/tmp/x")
    repository.refresh_from_db()
    assert repository.default_revision == "v1"


def test_sync_of_a_local_repository_rechecks_path_and_roots(settings, tmp_path):
    repo = init_repo(tmp_path / "here")
    repo.commit("first")
    repository = repository_create(source=str(repo.path))
    assert repository_sync(repository=repository) == str(repo.path.resolve())
    settings.DEBTBOARD_REPO_ROOTS = [(tmp_path / "elsewhere").resolve()]
    with pytest.raises(RepositoryInvalid, match="outside the allowed"):
        repository_sync(repository=repository)
    settings.DEBTBOARD_REPO_ROOTS = []
    shutil.rmtree(repo.path)
    with pytest.raises(RepositoryInvalid, match="does not exist"):
        repository_sync(repository=repository)


@pytest.mark.django_db
def test_repository_update_sets_the_effort_unit_and_refuses_an_unknown_one(git_repo):
    repository = repository_create(source=str(git_repo.path), name="units")
    repository_update(repository=repository, effort_unit="points")
    repository.refresh_from_db()
    assert repository.effort_unit == "points"
    with pytest.raises(RepositoryInvalid) as refused:
        repository_update(repository=repository, effort_unit="days")
    assert refused.value.extra == {"key": "effort_unit"}
    repository.refresh_from_db()
    assert repository.effort_unit == "points"
