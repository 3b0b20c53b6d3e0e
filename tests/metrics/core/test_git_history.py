"""The streaming git log parsers: byte-level tables, then a real repository with every awkward case."""
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from metrics.core.errors import GitOutputMalformed, InvalidObjectName
from metrics.core.git_history import (
    CommitDiff,
    FileDiff,
    commit_exists,
    count_commits,
    is_ancestor,
    iter_commits,
    iter_hunks,
    log_args,
    parse_log,
    parse_patch,
    rev_list,
    unquote_c,
)
from metrics.core.records import CommitRecord, FileChangeRecord, Hunk
from tests.gitrepo import init_repo
from tests.metrics.history_scenario import NAIVE, build_scenario, day

SHA_A = "a" * 40
SHA_B = "b" * 40


def header(sha: str, parents: str = "", name: str = "Ada", email: str = "ada@example.com", at: int = 1704110400,
           subject: str = "subject") -> bytes:
    fields = [sha, parents, name, email, str(at), subject]
    return b"\x00\x00" + b"\x00".join(field.encode() for field in fields) + b"\x00"


AT = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)
LOG_CASES = [
    pytest.param(
        header(SHA_A) + b"\n:000000 100644 0000000 1111111 A\x00a.py\x00" + b"3\t0\ta.py\x00",
        [CommitRecord(SHA_A, "Ada", "ada@example.com", AT, "subject", (), (FileChangeRecord("a.py", "", "A", 3, 0),))],
        id="added file",
    ),
    pytest.param(
        b"".join([
            header(SHA_B, parents=SHA_A, subject="mv"),
            b"\n:100644 100644 1111111 2222222 R087\x00old name.py\x00new name.py\x00",
            b":100644 100644 3333333 4444444 M\x00logo.png\x00",
            b"1\t2\t\x00old name.py\x00new name.py\x00-\t-\tlogo.png\x00",
        ]),
        [CommitRecord(SHA_B, "Ada", "ada@example.com", AT, "mv", (SHA_A,), (
            FileChangeRecord("new name.py", "old name.py", "R", 1, 2),
            FileChangeRecord("logo.png", "", "M", None, None),
        ))],
        id="rename with spaces and a binary file",
    ),
    pytest.param(
        b"".join([
            header(SHA_A, subject=""), header(SHA_B, parents=SHA_A),
            b"\n:100644 000000 1111111 0000000 D\x00gone.py\x00", b"0\t7\tgone.py\x00",
        ]),
        [
            CommitRecord(SHA_A, "Ada", "ada@example.com", AT, "", (), ()),
            CommitRecord(SHA_B, "Ada", "ada@example.com", AT, "subject", (SHA_A,),
                         (FileChangeRecord("gone.py", "", "D", 0, 7),)),
        ],
        id="empty commit without a subject, then a deletion",
    ),
    pytest.param(
        b"".join([
            header(SHA_A, parents=f"{SHA_B} {'c' * 40}", name="Zoë", subject="Merge"),
            b"\n:120000 100644 1111111 2222222 T\x00link\x00", b"1\t1\tlink\x00",
        ]),
        [CommitRecord(SHA_A, "Zoë", "ada@example.com", AT, "Merge", (SHA_B, "c" * 40),
                      (FileChangeRecord("link", "", "M", 1, 1),))],
        id="merge parents, a type change counts as a modification",
    ),
    pytest.param(
        header(SHA_A) + b"\n:000000 100644 0000000 1111111 A\x00caf\xe9.py\x00" + b"1\t0\tcaf\xe9.py\x00",
        [CommitRecord(SHA_A, "Ada", "ada@example.com", AT, "subject", (),
                      (FileChangeRecord("caf\ufffd.py", "", "A", 1, 0),))],
        id="a latin-1 path decodes with a replacement character",
    ),
]


@pytest.mark.parametrize(("output", "expected"), LOG_CASES)
def test_parse_log_reads_records(output, expected):
    assert list(parse_log([output])) == expected


@pytest.mark.parametrize(("output", "expected"), LOG_CASES)
def test_parse_log_is_independent_of_chunk_boundaries(output, expected):
    assert list(parse_log(output[i:i + 1] for i in range(len(output)))) == expected
    assert list(parse_log(output[i:i + 7] for i in range(0, len(output), 7))) == expected


@pytest.mark.parametrize("output", [
    pytest.param(b"\x00\x00not-a-sha\x00\x00a\x00b\x001\x00s\x00", id="header without a commit id"),
    pytest.param(header(SHA_A)[:-1].rsplit(b"\x00", 3)[0], id="truncated header"),
    pytest.param(header(SHA_A, at=0).replace(b"\x000\x00", b"\x00soon\x00"), id="unreadable date"),
    pytest.param(header(SHA_A) + b"\n:000000 100644 0 1 A\x00a.py\x00" + b"x\ty\ta.py\x00", id="bad numstat"),
])
def test_parse_log_rejects_malformed_output(output):
    with pytest.raises(GitOutputMalformed):
        list(parse_log([output]))


PATCH_CASES = [
    pytest.param(
        b"\x00commit " + SHA_A.encode() + b"\n\ndiff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n"
        b"@@ -3 +3 @@ def f():\n--- removed line that looks like a header\n+++ added line that looks like one\n"
        b"@@ -10,0 +11,2 @@\n+a\n+b\n\\ No newline at end of file\n",
        [CommitDiff(SHA_A, (FileDiff("x.py", "", "M", (Hunk(3, 1, 3, 1), Hunk(10, 0, 11, 2))),))],
        id="counts omitted, body lines that look like headers, no-newline marker",
    ),
    pytest.param(
        b"\x00commit " + SHA_A.encode() + b"\n\ndiff --git a/my file.py b/my file.py\nnew file mode 100644\n"
        b"--- /dev/null\n+++ b/my file.py\t\n@@ -0,0 +1,2 @@\n+x\n+y\n"
        b"\x00commit " + SHA_B.encode() + b"\n\ndiff --git a/old.py b/new dir/n\xc3\xa9w.py\nsimilarity index 100%\n"
        b"rename from old.py\nrename to new dir/n\xc3\xa9w.py\n"
        b'diff --git "a/t\\tab.py" "b/t\\tab.py"\ndeleted file mode 100644\n@@ -1,2 +0,0 @@\n-x\n-y\n',
        [
            CommitDiff(SHA_A, (FileDiff("my file.py", "", "A", (Hunk(0, 0, 1, 2),)),)),
            CommitDiff(SHA_B, (
                FileDiff("new dir/néw.py", "old.py", "R", ()),
                FileDiff("t\tab.py", "", "D", (Hunk(1, 2, 0, 0),)),
            )),
        ],
        id="spaces, a pure rename, a quoted name",
    ),
    pytest.param(
        b"\x00commit " + SHA_A.encode() + b"\n\x00commit " + SHA_B.encode() + b"\n",
        [CommitDiff(SHA_A, ()), CommitDiff(SHA_B, ())],
        id="commits without file sections",
    ),
]


@pytest.mark.parametrize(("output", "expected"), PATCH_CASES)
def test_parse_patch_reads_hunks(output, expected):
    assert list(parse_patch(output.splitlines(keepends=True))) == expected


@pytest.mark.parametrize("output", [
    pytest.param(b"\x00commit " + SHA_A.encode() + b"\n\ndiff --git a/x b/x\n@@ -1,2 +1 @@\n-a\n", id="truncated"),
    pytest.param(b"\x00commit " + SHA_A.encode() + b"\n@@ -1 +1 @@\n-a\n+b\n", id="hunk outside a file"),
    pytest.param(b"\x00commit " + SHA_A.encode() + b"\n\ndiff --git a/x b/x\n@@ -1 +1 @@\n a\n", id="context line"),
    pytest.param(b"\x00commit " + SHA_A.encode() + b"\n\ndiff --git a/x b/x\n@@ -a +1 @@\n", id="bad header"),
])
def test_parse_patch_rejects_malformed_output(output):
    with pytest.raises(GitOutputMalformed):
        list(parse_patch(output.splitlines(keepends=True)))


@pytest.mark.parametrize(("quoted", "plain"), [
    (b"plain.py", b"plain.py"),
    (b'"t\\tab.py"', b"t\tab.py"),
    (b'"caf\\303\\251 \\"q\\".py"', 'café "q".py'.encode()),
    (b'"back\\\\slash\\n"', b"back\\slash\n"),
])
def test_unquote_c_undoes_git_quoting(quoted, plain):
    assert unquote_c(quoted) == plain


@pytest.mark.parametrize("value", ["HEAD", "--output=/tmp/x", "a" * 39, "g" * 40, "A" * 40, ""])
def test_revisions_must_be_full_commit_ids(value):
    with pytest.raises(InvalidObjectName):
        log_args(value)


@pytest.fixture
def mined(git_repo):
    """The scenario's history as iter_commits yields it: (scenario, commits, commits by scenario name)."""
    scenario = build_scenario(git_repo)
    commits = list(iter_commits(str(git_repo.path), scenario.tip))
    by_name = {name: commit for commit in commits for name, sha in scenario.shas.items() if sha == commit.sha}
    return scenario, commits, by_name


def test_iter_commits_mines_the_scenario_newest_first_without_the_merge(mined):
    scenario, commits, _by_name = mined
    assert [commit.sha for commit in commits] == [scenario.shas[name] for name in
                                                  ("c10", "c9", "c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1")]
    assert all(commit.authored_at.tzinfo is not None for commit in commits)


def test_iter_commits_reads_a_commit_exactly(mined):
    scenario, _commits, by_name = mined
    shas = scenario.shas
    assert by_name["c10"] == CommitRecord(
        shas["c10"], "Grace Hopper", "grace@example.com", day(100), "Gamma returns four", (shas["c9"],),
        (FileChangeRecord("app/engine.py", "", "M", 1, 1), FileChangeRecord("app/util.py", "", "M", 1, 0)),
    )


def test_iter_commits_reads_authors_through_the_mailmap(mined):
    _scenario, _commits, by_name = mined
    # .mailmap maps the old identity onto the canonical one.
    assert (by_name["c2"].author_name, by_name["c2"].author_email) == ("Grace Hopper", "grace@example.com")
    assert by_name["c9"].author_name == "dependabot[bot]"


@pytest.mark.parametrize(("name", "changes"), [
    ("c2", (FileChangeRecord("app/core.py", "", "M", 5, 1),)),
    ("c3", (FileChangeRecord("app/engine.py", "app/core.py", "R", 1, 0),)),
    ("c4", (FileChangeRecord(NAIVE, "", "A", 4, 0), FileChangeRecord("logo.png", "", "M", None, None))),
    ("c7", (FileChangeRecord("app/util.py", "", "D", 0, 5),)),
    ("c8", (FileChangeRecord("app/util.py", "", "A", 3, 0),)),
])
def test_iter_commits_reads_each_kind_of_change(mined, name, changes):
    _scenario, _commits, by_name = mined
    assert by_name[name].changes == changes


def test_iter_commits_reads_the_root_commit_as_adding_every_file(mined):
    _scenario, _commits, by_name = mined
    assert by_name["c1"].parents == ()
    assert {change.path for change in by_name["c1"].changes} == {
        ".mailmap", "CODEOWNERS", "README.md", "app/core.py", "logo.png"
    }


def test_iter_commits_includes_merges_as_first_parent_diffs_when_asked(git_repo):
    scenario = build_scenario(git_repo)
    commits = {commit.sha: commit for commit in iter_commits(str(git_repo.path), scenario.tip, include_merges=True)}
    merge = commits[scenario.shas["merge"]]
    assert len(commits) == 11
    assert merge.is_merge and merge.parents == (scenario.shas["c6"], scenario.shas["c5"])
    assert merge.changes == (FileChangeRecord("app/engine.py", "", "M", 2, 2),)


def test_iter_commits_reads_only_the_new_range(git_repo):
    scenario = build_scenario(git_repo)
    shas = scenario.shas
    new = [commit.sha for commit in iter_commits(str(git_repo.path), scenario.tip, exclude=[shas["c4"]])]
    assert new == [shas[name] for name in ("c10", "c9", "c8", "c7", "c6", "c5")]
    assert count_commits(str(git_repo.path), scenario.tip, exclude=[shas["c4"]]) == 6
    assert count_commits(str(git_repo.path), scenario.tip, include_merges=True) == 11


def test_non_utf8_and_control_characters_in_paths_survive(tmp_path: Path):
    repo = init_repo(tmp_path / "odd")
    raw_dir = os.fsencode(repo.path)
    with open(os.path.join(raw_dir, b"caf\xe9 menu.py"), "wb") as handle:
        handle.write(b"x = 1\n")
    repo.write("tab\there.py", "y = 1\n")
    first = repo.commit("odd names")
    with open(os.path.join(raw_dir, b"caf\xe9 menu.py"), "wb") as handle:
        handle.write(b"x = 2\n")
    second = repo.commit("change")
    commits = list(iter_commits(str(repo.path), second))
    assert commits[1].sha == first
    assert sorted(commits[1].changes, key=lambda change: change.path) == [
        FileChangeRecord("caf\ufffd menu.py", "", "A", 1, 0), FileChangeRecord("tab\there.py", "", "A", 1, 0),
    ]
    assert commits[0].changes == (FileChangeRecord("caf\ufffd menu.py", "", "M", 1, 1),)
    diffs = list(iter_hunks(str(repo.path), second))
    assert [file.path for file in diffs[0].files] == ["caf\ufffd menu.py"]
    assert sorted(file.path for file in diffs[1].files) == ["caf\ufffd menu.py", "tab\there.py"]


def test_iter_hunks_follows_the_scenario(git_repo):
    scenario = build_scenario(git_repo)
    shas = scenario.shas
    diffs = {diff.sha: diff.files for diff in iter_hunks(str(git_repo.path), scenario.tip)}
    assert shas["merge"] not in diffs and shas["c9"] not in diffs  # merges and non-Python commits are left out
    assert diffs[shas["c2"]] == (FileDiff("app/core.py", "", "M", (Hunk(3, 1, 3, 1), Hunk(10, 0, 11, 4))),)
    assert diffs[shas["c3"]] == (FileDiff("app/engine.py", "app/core.py", "R", (Hunk(0, 0, 1, 1),)),)
    assert diffs[shas["c4"]] == (FileDiff(NAIVE, "", "A", (Hunk(0, 0, 1, 4),)),)
    assert diffs[shas["c7"]] == (FileDiff("app/util.py", "", "D", (Hunk(1, 5, 0, 0),)),)
    since = list(iter_hunks(str(git_repo.path), scenario.tip, since=day(65)))
    assert [diff.sha for diff in since] == [shas["c10"], shas["c8"]]


def test_ancestry_helpers(git_repo):
    scenario = build_scenario(git_repo)
    shas = scenario.shas
    path = str(git_repo.path)
    order = rev_list(path, scenario.tip)
    assert len(order) == 11 and order[0] == shas["c10"] and order[-1] == shas["c1"]
    assert order.index(shas["c5"]) < order.index(shas["c4"])
    assert is_ancestor(path, shas["c4"], scenario.tip)
    assert not is_ancestor(path, scenario.tip, shas["c4"])
    assert not is_ancestor(path, "f" * 40, scenario.tip)
    assert commit_exists(path, shas["c1"])
    assert not commit_exists(path, "f" * 40)


def test_a_consumer_may_stop_early(git_repo):
    scenario = build_scenario(git_repo)
    commits = iter_commits(str(git_repo.path), scenario.tip)
    assert next(commits).sha == scenario.tip
    commits.close()  # git is killed and the read-ahead thread ends; nothing hangs or raises
    assert len(list(iter_commits(str(git_repo.path), scenario.tip))) == 10
