"""Change measures over windows, rename following and the commits left out of measures."""
from datetime import datetime, timedelta, timezone

import pytest

from metrics.core.exclusions import is_bot_author, is_excluded
from metrics.core.measures import age_in_days, decay_weight, in_window, measure_files
from metrics.core.records import ChangeEvent, CommitRecord, FileChangeRecord, FileMeasures
from metrics.core.renames import RenameTracker, follow_renames
from metrics.data import RepositoryConfig

START = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)
REFERENCE = START + timedelta(days=100)


def at(days: float) -> datetime:
    return START + timedelta(days=days)


@pytest.mark.parametrize(("age", "half_life", "weight"), [
    (0, 90, 1.0), (90, 90, 0.5), (180, 90, 0.25), (45, 90, 2 ** -0.5), (10, 0, 1.0), (365, 30, 0.5 ** (365 / 30)),
])
def test_decay_weight(age, half_life, weight):
    assert decay_weight(age, half_life) == pytest.approx(weight)


@pytest.mark.parametrize(("moment", "age"), [(at(100), 0.0), (at(90), 10.0), (at(99.5), 0.5), (at(101), 0.0)])
def test_age_is_measured_from_the_reference_and_never_negative(moment, age):
    assert age_in_days(REFERENCE, moment) == pytest.approx(age)


@pytest.mark.parametrize(("age", "window", "inside"), [
    (90.0, 90, True), (90.01, 90, False), (0.0, 90, True), (5000.0, 0, True), (365.0, 365, True),
])
def test_in_window(age, window, inside):
    assert in_window(age, window) is inside


EVENTS = [
    ChangeEvent("s1", "a.py", "Ada", at(0), 10, 0),
    ChangeEvent("s2", "a.py", "Grace", at(10), 5, 1),
    ChangeEvent("s3", "a.py", "Ada", at(20), 1, 0),
    ChangeEvent("s4", "a.py", "Ada", at(40), 2, 2),
    ChangeEvent("s5", "a.py", "Grace", at(100), 1, 1),
]


def test_measures_over_all_history():
    measured = measure_files(EVENTS, reference=REFERENCE, half_life_days=90, windows=(0,), paths=["b.py"])[0]
    assert measured["a.py"] == FileMeasures(
        path="a.py", revisions=5, added=19, deleted=4,
        change_frequency=pytest.approx(2 ** (-100 / 90) + 0.5 + 2 ** (-80 / 90) + 2 ** (-60 / 90) + 1.0),
        authors=2, main_author="Ada", ownership_share=pytest.approx(13 / 19), fragmentation=pytest.approx(0.48),
        first_seen=at(0), last_changed=at(100), age_days=0,
        author_commits={"Ada": 3, "Grace": 2}, author_added={"Ada": 13, "Grace": 6},
    )
    assert measured["a.py"].churn == 23
    assert measured["b.py"] == FileMeasures(path="b.py")


def test_measures_over_ninety_days_keep_all_time_dates():
    measured = measure_files(EVENTS, reference=REFERENCE, half_life_days=90, windows=(90,))[90]["a.py"]
    assert (measured.revisions, measured.added, measured.deleted) == (4, 9, 4)  # s2 is exactly 90 days old
    assert (measured.main_author, measured.ownership_share) == ("Grace", pytest.approx(6 / 9))
    assert measured.fragmentation == pytest.approx(0.5)
    assert measured.change_frequency == pytest.approx(0.5 + 2 ** (-80 / 90) + 2 ** (-60 / 90) + 1.0)
    assert (measured.first_seen, measured.last_changed) == (at(0), at(100))


def test_age_and_windows_without_recent_changes():
    events = [ChangeEvent("s1", "old.py", "Ada", at(0), 3, 0)]
    measured = measure_files(events, reference=REFERENCE, half_life_days=90, windows=(90, 0))
    assert measured[90]["old.py"].revisions == 0
    assert measured[90]["old.py"].age_days == 100
    assert measured[0]["old.py"].revisions == 1


def test_one_commit_touching_a_file_under_two_old_names_is_one_revision():
    events = [ChangeEvent("s1", "m.py", "Ada", at(50), 3, 1), ChangeEvent("s1", "m.py", "Ada", at(50), 2, 0)]
    measured = measure_files(events, reference=REFERENCE, half_life_days=90, windows=(0,))[0]["m.py"]
    assert (measured.revisions, measured.added, measured.deleted, measured.author_commits) == (1, 5, 1, {"Ada": 1})
    assert measured.change_frequency == pytest.approx(2 ** (-50 / 90))


@pytest.mark.parametrize(("commits", "names"), [
    pytest.param([[("b", "a")], [("a", "")]], [["b"], ["b"]], id="a rename"),
    pytest.param([[("F", "E")], [("E", "D")], [("D", "")]], [["F"], ["F"], ["F"]], id="a chain of renames"),
    pytest.param([[("a", "b"), ("b", "a")], [("a", ""), ("b", "")]], [["a", "b"], ["b", "a"]], id="a swap"),
    pytest.param([[("P", "")], [("Q", "P")], [("P", "")]], [["P"], ["Q"], ["Q"]],
                 id="a new file takes the name a renamed one left"),
    pytest.param([[("P", "")], [("P", "")], [("P", "")]], [["P"], ["P"], ["P"]], id="deleted and re-added"),
])
def test_rename_tracker(commits, names):
    tracker = RenameTracker()
    assert [tracker.follow(changes) for changes in commits] == names


def test_follow_renames_pairs_commits_with_current_names():
    newest = CommitRecord("s2", "Ada", "a@x", at(1), "mv", changes=(FileChangeRecord("new.py", "old.py", "R", 1, 0),))
    oldest = CommitRecord("s1", "Ada", "a@x", at(0), "add", changes=(FileChangeRecord("old.py", "", "A", 5, 0),))
    assert [(commit.sha, names) for commit, names in follow_renames([newest, oldest])] == [
        ("s2", ["new.py"]), ("s1", ["new.py"]),
    ]


DEFAULT_BOTS = RepositoryConfig().bot_authors


@pytest.mark.parametrize(("name", "email", "bot"), [
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", True),
    ("Ada Lovelace", "ada@example.com", False),  # `*[bot]*` is not a character class matching any 'o'
    ("Renovate Bot", "bot@renovateapp.com", True),
    ("pre-commit-ci", "66853113+pre-commit-ci[bot]@users.noreply.github.com", True),
    ("Robert", "bob@example.com", False),
])
def test_bot_authors_with_the_default_globs(name, email, bot):
    assert is_bot_author(name, email, DEFAULT_BOTS) is bot


def test_no_bot_globs_excludes_nobody():
    assert not is_bot_author("dependabot[bot]", "x@y", ())


@pytest.mark.parametrize(("files", "author", "excluded"), [
    (3, "Ada", False), (4, "Ada", True), (1, "renovate[bot]", True),
])
def test_is_excluded(files, author, excluded):
    commit = CommitRecord("s", author, "a@x", at(0), "s",
                          changes=tuple(FileChangeRecord(f"f{i}.py") for i in range(files)))
    assert is_excluded(commit, bot_authors=DEFAULT_BOTS, max_files_per_commit=3) is excluded
