"""Listing a revision's files from git objects, the globs that select them, and the cat-file stream."""
import os

import pytest

from metrics.core.analysis import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from metrics.core.blobs import BlobReader, FileEntry, list_files, resolve_commit
from metrics.core.errors import ObjectMissing, UnknownRevision
from metrics.core.globs import is_selected, matches_any

SUBMODULE_COMMIT = "a" * 40


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("*.py", "a.py", True),
    ("*.py", "pkg/sub/a.py", True),  # no slash: the file name at any depth
    ("**/*.py", "a.py", True),
    ("**/*.py", "pkg/a.py", True),
    ("src/*.py", "src/pkg/a.py", False),  # * never crosses a slash
    ("src/**/*.py", "src/a.py", True),
    ("src/**/*.py", "src/pkg/deep/a.py", True),
    ("**/migrations/**", "migrations/0001.py", True),
    ("**/migrations/**", "app/migrations/0001.py", True),
    ("**/migrations/**", "app/migrations.py", False),
    ("build/**", "pkg/build/x.py", False),
    ("vendor/", "vendor/lib/x.py", True),
    ("./tools/*.py", "tools/x.py", True),
    ("test_?.py", "tests/test_a.py", True),
    ("test_?.py", "tests/test_ab.py", False),
    ("[!a]b.py", "cb.py", True),
    ("[!a]b.py", "ab.py", False),
    ("[ab].py", "b.py", True),
    ("**/*_pb2.py", "api_pb2.py", True),
    ("*.py", "a.pyc", False),
    ("a+b(c).py", "a+b(c).py", True),  # regex characters are literal
])
def test_globs(pattern, path, matches):
    assert matches_any(path, [pattern]) is matches


@pytest.mark.parametrize(("path", "selected"), [
    ("app.py", True),
    ("pkg/__init__.py", True),
    ("pkg/migrations/0001_initial.py", False),
    ("vendor/six.py", False),
    ("web/node_modules/x/y.py", False),
    ("build/lib/x.py", False),
    ("dist/x.py", False),
    (".tox/py313/lib/site-packages/x.py", False),
    ("proto/api_pb2.py", False),
    ("README.md", False),
    ("pkg/builder.py", True),
])
def test_default_selection(path, selected):
    assert is_selected(path, include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE) is selected


@pytest.fixture
def tree_repo(git_repo):
    """A repository with Python files, excluded ones, a symlink and a submodule."""
    files = {
        "app.py": "import os\n",
        "pkg/__init__.py": "",
        "pkg/core.py": "x = 1\n",
        "pkg/migrations/0001_initial.py": "x = 2\n",
        "vendor/six.py": "x = 3\n",
        "node_modules/pkg/setup.py": "x = 4\n",
        "build/gen.py": "x = 5\n",
        "README.md": "# readme\n",
        "caf\u00e9/mod.py": "y = 1\n",
    }
    for path, text in files.items():
        git_repo.write(path, text)
    os.symlink("/etc/passwd", git_repo.path / "passwd.py")
    os.symlink("README.md", git_repo.path / "docs.txt")
    git_repo.git("add", "-A")
    git_repo.git("update-index", "--add", "--cacheinfo", f"160000,{SUBMODULE_COMMIT},ext/lib")
    git_repo.commit("tree", add_all=False)
    return git_repo


def test_list_files_selects_and_counts(tree_repo):
    listing = list_files(tree_repo.path, "HEAD", include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE)
    assert listing.commit_sha == tree_repo.head()
    assert [entry.path for entry in listing.files] == ["app.py", "caf\u00e9/mod.py", "pkg/__init__.py", "pkg/core.py"]
    assert listing.files[0] == FileEntry("app.py", tree_repo.git("rev-parse", "HEAD:app.py"), len("import os\n"))
    assert listing.files[2].size == 0
    assert (listing.skipped_symlinks, listing.skipped_submodules, listing.excluded) == (1, 1, 4)


def test_list_files_with_custom_globs(tree_repo):
    listing = list_files(tree_repo.path, "HEAD", include=["pkg/**/*.py", "vendor/*.py"], exclude=["**/__init__.py"])
    assert [entry.path for entry in listing.files] == ["pkg/core.py", "pkg/migrations/0001_initial.py", "vendor/six.py"]
    assert (listing.skipped_symlinks, listing.excluded) == (0, 1)


def test_list_files_of_an_older_revision(git_repo):
    first = git_repo.commit("one", files={"a.py": "x = 1\n"})
    git_repo.commit("two", files={"b.py": "y = 1\n"})
    listing = list_files(git_repo.path, first, include=["*.py"], exclude=[])
    assert [entry.path for entry in listing.files] == ["a.py"]
    assert listing.commit_sha == first


def test_uncommitted_changes_are_not_seen(git_repo):
    git_repo.commit("one", files={"a.py": "x = 1\n"})
    git_repo.write("a.py", "x = 2\n")
    git_repo.write("new.py", "z = 3\n")
    listing = list_files(git_repo.path, "HEAD", include=["*.py"], exclude=[])
    with BlobReader(git_repo.path) as reader:
        assert [(e.path, reader.read(e.blob_sha)) for e in listing.files] == [("a.py", b"x = 1\n")]


@pytest.mark.parametrize("revision", ["", "-all", "--output=/tmp/x", "--all", "HEAD\nmain", "nope", "HEAD~5"])
def test_bad_revisions_are_refused(git_repo, revision):
    git_repo.commit("one", files={"a.py": "x = 1\n"})
    with pytest.raises(UnknownRevision):
        resolve_commit(git_repo.path, revision)


def test_revisions_resolve_to_commits(git_repo):
    first = git_repo.commit("one", files={"a.py": "x = 1\n"})
    second = git_repo.commit("two", files={"a.py": "x = 2\n"})
    git_repo.git("tag", "-a", "-m", "release", "v1", first)
    assert resolve_commit(git_repo.path, "HEAD") == second
    assert resolve_commit(git_repo.path, "HEAD~1") == first
    assert resolve_commit(git_repo.path, "v1") == first  # an annotated tag peels to its commit
    assert resolve_commit(git_repo.path, "main") == second


def test_blob_reader_streams_many_blobs_through_one_process(git_repo):
    contents = {
        "empty.py": b"",
        "binary.py": bytes(range(256)) * 4,
        "big.py": b"x = 1\n" * 200_000,
        "newlines.py": b"\n\n\r\n",
    }
    git_repo.commit("blobs", files=contents)
    listing = list_files(git_repo.path, "HEAD", include=["*.py"], exclude=[])
    with BlobReader(git_repo.path) as reader:
        process = reader._process
        for _ in range(2):
            assert {e.path: reader.read(e.blob_sha) for e in listing.files} == contents
        assert reader._process is process  # one long-lived git cat-file --batch


def test_blob_reader_refuses_missing_and_malformed_ids(git_repo):
    git_repo.commit("one", files={"a.py": "x = 1\n"})
    with BlobReader(git_repo.path) as reader:
        with pytest.raises(ObjectMissing):
            reader.read("0" * 40)
        with pytest.raises(ObjectMissing):
            reader.read("HEAD:a.py")  # only object ids: never a revision expression
        with pytest.raises(ObjectMissing):
            reader.read(git_repo.head() + "\n" + git_repo.head())
        assert reader.read(git_repo.git("rev-parse", "HEAD:a.py")) == b"x = 1\n"
