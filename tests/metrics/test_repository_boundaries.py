"""DEBTBOARD_REPO_ROOTS cannot be escaped, and remotes carry no credentials and stay outside the server's network."""
import os
import socket
import subprocess

import pytest

from metrics.core.errors import UnsafeSource
from metrics.core.gitcmd import git_env
from metrics.core.remotes import RemotePolicy, check_remote_address, literal_address
from metrics.core.sources import validate_remote_url
from metrics.errors import GitFailed, RepositoryInvalid, UnsafeRepositorySource
from metrics.models import Repository
from metrics.services.repositories import REMOTE_UNREACHABLE, repository_create, repository_path, repository_sync
from tests.gitrepo import init_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def roots(tmp_path, settings):
    """An allowed root holding nothing yet, and an outside repository with history of its own."""
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    outside = init_repo(tmp_path / "outside")
    outside.commit("secret history", files={"secret.py": "TOKEN = 1\n"})
    settings.DEBTBOARD_REPO_ROOTS = [allowed.resolve()]
    return allowed, outside


def test_a_git_file_pointing_outside_the_roots_is_refused(roots):
    allowed, outside = roots
    inside = allowed / "innocent"
    inside.mkdir()
    (inside / ".git").write_text(f"gitdir: {outside.path / '.git'}\n")
    with pytest.raises(UnsafeRepositorySource, match="outside the allowed repository folders"):
        repository_create(source=str(inside))


def test_alternates_are_refused_under_roots(roots):
    allowed, outside = roots
    bare = allowed / "borrower.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True, env=git_env())
    (bare / "objects" / "info" / "alternates").write_text(f"{outside.path / '.git' / 'objects'}\n")
    with pytest.raises(UnsafeRepositorySource, match="borrows objects"):
        repository_create(source=str(bare))


def test_a_symlinked_objects_folder_pointing_outside_is_refused(roots):
    allowed, outside = roots
    inside = init_repo(allowed / "linked")
    inside.commit("one", files={"a.py": "A = 1\n"})
    objects = inside.path / ".git" / "objects"
    os.rename(objects, inside.path / "objects-away")
    os.symlink(outside.path / ".git" / "objects", objects)
    with pytest.raises(UnsafeRepositorySource, match="outside the allowed repository folders"):
        repository_create(source=str(inside.path))


def test_an_escape_added_after_registration_stops_scans_and_backfills(roots):
    allowed, outside = roots
    inside = init_repo(allowed / "later")
    inside.commit("one", files={"a.py": "A = 1\n"})
    repository = repository_create(source=str(inside.path))
    assert repository_sync(repository=repository) == str(inside.path)
    (inside.path / ".git" / "objects" / "info").mkdir(exist_ok=True)
    (inside.path / ".git" / "objects" / "info" / "alternates").write_text(f"{outside.path / '.git' / 'objects'}\n")
    for check in (repository_sync, repository_path):
        with pytest.raises(RepositoryInvalid, match="borrows objects"):
            check(repository=repository)


def test_alternate_object_directories_never_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_DIR", str(tmp_path))
    assert not [name for name in git_env() if name in ("GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_DIR")]


@pytest.mark.parametrize("url", [
    "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git",
    "https://user:pass@example.com/o/r.git",
    "https://user@example.com/o/r.git",
    "https://:token@example.com/o/r.git",
    "git://user@example.com/o/r.git",
    "ssh://git:secret@example.com/o/r.git",
    "ssh://ghp_abcdefghijklmnopqrstuvwxyz0123456789@example.com/o/r.git",
    "ghp_ABCdefghijklmnopqrstuvwxyz0123456789@github.com:o/r.git",
])
def test_credentials_in_any_position_are_refused(url):
    with pytest.raises(UnsafeSource, match="Credentials"):
        validate_remote_url(url)


@pytest.mark.parametrize("url", [
    "git@github.com:o/r.git", "ssh://git@github.com/o/r.git", "ssh://deploy@example.com/o/r.git",
    "https://github.com/o/r.git",
])
def test_plain_ssh_account_names_are_accepted(url):
    assert validate_remote_url(url) == url


def public_resolver(host: str) -> list[str]:
    return {"example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
            "mixed.example": ["93.184.215.14", "10.1.2.3"], "internal.example": ["192.168.1.20"]}.get(host, [])


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/o/r.git", "git://localhost/o/r.git", "https://[::1]/o/r.git", "https://10.0.0.5/o/r.git",
    "https://172.16.3.4/o/r.git", "git@192.168.0.1:o/r.git", "https://169.254.169.254/o/r.git",
    "https://[fe80::1]/o/r.git", "https://[fd00::5]/o/r.git", "https://224.0.0.1/o/r.git",
    "https://0.0.0.0/o/r.git", "https://[::]/o/r.git", "https://240.0.0.1/o/r.git",
    "https://[::ffff:127.0.0.1]/o/r.git", "https://[::ffff:10.0.0.1]/o/r.git",
    "https://2130706433/o/r.git", "https://0177.0.0.1/o/r.git", "https://0x7f.1/o/r.git", "https://0x7f000001/o/r.git",
    "https://100.64.0.1/o/r.git", "https://mixed.example/o/r.git", "https://internal.example/o/r.git",
    "https://nowhere.example/o/r.git",
])
def test_non_public_addresses_are_refused_for_every_resolved_address(url):
    with pytest.raises(UnsafeSource):
        check_remote_address(url, resolver=public_resolver)


def test_public_addresses_and_the_allow_list_pass():
    check_remote_address("https://example.com/o/r.git", resolver=public_resolver)
    check_remote_address("git@93.184.215.14:o/r.git", resolver=public_resolver)
    policy = RemotePolicy.from_entries(["internal.example", "10.0.0.0/8", " ", "::1"])
    check_remote_address("https://INTERNAL.example/o/r.git", policy=policy, resolver=public_resolver)
    check_remote_address("https://10.9.8.7/o/r.git", policy=policy, resolver=public_resolver)
    check_remote_address("https://[::1]/o/r.git", policy=policy, resolver=public_resolver)
    with pytest.raises(UnsafeSource):
        check_remote_address("https://172.16.0.1/o/r.git", policy=policy, resolver=public_resolver)


def test_numeric_host_spellings_are_read_as_the_address_they_are():
    assert str(literal_address("2130706433")) == "127.0.0.1"
    assert str(literal_address("0x7f.1")) == "127.0.0.1"
    assert literal_address("github.com") is None


def test_loopback_remote_is_refused_at_registration_and_nothing_is_stored(settings):
    settings.DEBTBOARD_REMOTE_ALLOW_HOSTS = []
    with pytest.raises(UnsafeRepositorySource, match="not a public address"):
        repository_create(source="git://127.0.0.1:9/o/r.git")
    assert not Repository.objects.exists()


def test_every_connection_failure_gives_the_same_message(settings, tmp_path):
    settings.DEBTBOARD_REMOTE_ALLOW_HOSTS = ["127.0.0.1", "nowhere.invalid"]
    settings.DEBTBOARD_GIT_TIMEOUT = 2
    with socket.socket() as listener:  # a port that accepts and never answers: a timeout
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        silent = listener.getsockname()[1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]  # bound, not listening: connection refused
        messages = set()
        for url in (f"git://127.0.0.1:{closed}/o/r.git", f"git://127.0.0.1:{silent}/o/r.git",
                    "git://nowhere.invalid/o/r.git", f"https://127.0.0.1:{silent}/o/r.git"):
            with pytest.raises(GitFailed) as caught:
                repository_create(source=url)
            messages.add((caught.value.message, caught.value.code, str(caught.value.extra)))
    assert messages == {(REMOTE_UNREACHABLE, "git.failed", "{}")}
