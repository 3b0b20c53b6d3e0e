"""Tables of accepted and refused repository sources, names and revisions (no database)."""
from pathlib import Path

import pytest

from metrics.core.errors import UnsafeSource
from metrics.core.sources import (
    name_from_location,
    parse_source,
    resolve_revision,
    validate_name,
    validate_remote_url,
    validate_revision,
)
from tests.gitrepo import BASE_DATE, init_repo


@pytest.mark.parametrize(
    "url, default_name",
    [
        ("https://github.com/sympy/sympy.git", "sympy"),
        ("https://github.com/sympy/sympy", "sympy"),
        ("https://gitlab.example.com:8443/group/sub/My Project.git".replace(" ", "-"), "my-project"),
        ("ssh://git@github.com/psf/requests.git", "requests"),
        ("ssh://git@[::1]:2222/srv/repo.git", "repo"),
        ("git@github.com:django/django.git", "django"),
        ("deploy_user@git.example.org:team/tool", "tool"),
        ("git://127.0.0.1:9418/project.git", "project"),
        ("HTTPS://example.com/Caps/Über_Repo.git", "uber_repo"),
    ],
)
def test_remote_urls_accepted(url, default_name):
    source = parse_source(url)
    assert source.is_remote
    assert source.location == url
    assert source.default_name == default_name


@pytest.mark.parametrize(
    "source, reason",
    [
        ("file:///etc", "file:// scheme"),
        ("file://localhost/srv/repo.git", "file:// scheme"),
        ("ext::sh -c touch% /tmp/pwned", "transport helper"),
        ("fd::17", "transport helper"),
        ("-oProxyCommand=touch /tmp/pwned", "leading dash"),
        ("--upload-pack=touch /tmp/pwned", "leading dash"),
        ("  --upload-pack=x", "leading dash after spaces"),
        ("http://github.com/sympy/sympy.git", "plain http"),
        ("ftp://example.com/repo.git", "ftp"),
        ("javascript:alert(1)", "javascript: scheme"),
        ("mailto:someone@example.com", "mailto: scheme"),
        ("ssh://-oProxyCommand=touch/x/repo.git", "host is an option"),
        ("ssh://-oProxyCommand@host/repo.git", "user is an option"),
        ("git@-oProxyCommand=x:repo.git", "scp host is an option"),
        ("git@github.com:-repo.git", "scp path is an option"),
        ("git://host/-u", "URL path is an option"),
        ("https://user:token@github.com/private/repo.git", "credentials in the URL"),
        ("https://github.com", "no repository path"),
        ("https://host:notaport/repo.git", "bad port"),
        ("https://exa mple.com/repo.git", "space in host"),
        ("https://example.com/repo.git\n--upload-pack=x", "new line"),
        ("https://example.com/re\x00po.git", "NUL byte"),
        ("", "empty"),
        ("   ", "blank"),
        ("https://example.com/" + "a" * 1000, "too long"),
    ],
)
def test_unsafe_sources_refused(source, reason):
    with pytest.raises(UnsafeSource):
        parse_source(source)


def test_validate_remote_url_refuses_http_with_clear_message():
    with pytest.raises(UnsafeSource, match=r"http:// scheme is not allowed"):
        validate_remote_url("http://example.com/repo.git")


def test_local_repository_accepted_and_resolved(tmp_path):
    repo = init_repo(tmp_path / "My Repo")
    repo.commit("first", files={"a.py": "x = 1\n"})
    source = parse_source(str(tmp_path / "My Repo" / "." / ""))
    assert source.kind == "local"
    assert source.location == str((tmp_path / "My Repo").resolve())
    assert source.default_name == "my-repo"


def test_bare_local_repository_accepted(tmp_path):
    repo = init_repo(tmp_path / "src")
    repo.commit("first")
    repo.git("clone", "-q", "--bare", str(repo.path), str(tmp_path / "bare.git"))
    assert parse_source(str(tmp_path / "bare.git")).default_name == "bare"


@pytest.mark.parametrize(
    "layout, reason",
    [
        ("plain_folder", "not a git repository"),
        ("missing", "does not exist"),
        ("a_file", "not a folder"),
        ("subfolder", "not the top folder"),
        ("dot_git", "not the top folder"),
    ],
)
def test_local_paths_refused(tmp_path, layout, reason):
    repo = init_repo(tmp_path / "repo")
    repo.commit("first", files={"pkg/a.py": "x = 1\n"})
    (tmp_path / "plain_folder").mkdir()
    (tmp_path / "a_file").write_text("x")
    paths = {
        "plain_folder": tmp_path / "plain_folder",
        "missing": tmp_path / "missing",
        "a_file": tmp_path / "a_file",
        "subfolder": repo.path / "pkg",
        "dot_git": repo.path / ".git",
    }
    with pytest.raises(UnsafeSource, match=reason):
        parse_source(str(paths[layout]))


def test_local_path_outside_allowed_roots_refused(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    init_repo(tmp_path / "elsewhere").commit("first")
    init_repo(allowed / "inside").commit("first")
    assert parse_source(str(allowed / "inside"), repo_roots=[allowed]).kind == "local"
    with pytest.raises(UnsafeSource, match="outside the allowed repository folders"):
        parse_source(str(tmp_path / "elsewhere"), repo_roots=[allowed])


def test_symlink_pointing_outside_allowed_roots_refused(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    init_repo(tmp_path / "elsewhere").commit("first")
    (allowed / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeSource, match="outside the allowed repository folders"):
        parse_source(str(allowed / "link"), repo_roots=[allowed])


def test_dotdot_escape_from_allowed_root_refused(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    init_repo(tmp_path / "elsewhere").commit("first")
    with pytest.raises(UnsafeSource, match="outside"):
        parse_source(str(allowed / ".." / "elsewhere"), repo_roots=[allowed])


@pytest.mark.parametrize(
    "name, ok",
    [
        ("sympy", True),
        ("my-repo_2", True),
        ("0day", True),
        ("-rf", False),
        ("_hidden", False),
        ("Sympy", False),
        ("a/b", False),
        ("..", False),
        ("a" * 101, False),
        ("", False),
        ("naïve", False),
    ],
)
def test_validate_name(name, ok):
    if ok:
        assert validate_name(name) == name
    else:
        with pytest.raises(UnsafeSource):
            validate_name(name)


@pytest.mark.parametrize(
    "location, slug",
    [
        ("/srv/git/Project.git", "project"),
        ("/srv/git/project/", "project"),
        ("team/My Tool", "my-tool"),
        ("/srv/--weird--", "weird"),
        ("/srv/!!!", "repository"),
        ("django/django.git", "django"),
    ],
)
def test_name_from_location(location, slug):
    assert name_from_location(location) == slug


@pytest.mark.parametrize(
    "revision, ok",
    [
        ("HEAD", True),
        ("main", True),
        ("v1.2.3", True),
        ("HEAD~3", True),
        ("main@{1 week ago}", True),
        ("-h", False),
        ("--output=/tmp/x", False),
        ("main\n--all", False),
        (" main", False),
        ("", False),
    ],
)
def test_validate_revision(revision, ok):
    if ok:
        assert validate_revision(revision) == revision
    else:
        with pytest.raises(UnsafeSource):
            validate_revision(revision)


def test_resolve_revision_returns_commit_and_date(tmp_path):
    repo = init_repo(tmp_path / "repo")
    first = repo.commit("first", files={"a.py": "x = 1\n"})
    repo.commit("second", files={"a.py": "x = 2\n"})
    resolved = resolve_revision(repo.path, "HEAD~1")
    assert resolved.sha == first
    assert resolved.committed_at == BASE_DATE
    assert resolve_revision(repo.path, "no-such-branch") is None
    assert resolve_revision(repo.path, "HEAD:a.py") is None  # a blob, not a commit


def test_resolve_revision_in_empty_repository_is_none(tmp_path):
    repo = init_repo(tmp_path / "repo")
    assert resolve_revision(repo.path, "HEAD") is None


def test_parse_source_never_runs_git_for_refused_paths(tmp_path):
    # A folder named like an option is refused before git ever sees it.
    (tmp_path / "-c").mkdir()
    with pytest.raises(UnsafeSource, match="cannot start with '-'"):
        parse_source("-c")
    assert Path(tmp_path / "-c").is_dir()
