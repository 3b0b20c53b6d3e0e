"""CODEOWNERS: GitHub's pattern rules, the last match winning, bad lines reported, the file read from git."""
import pytest

from metrics.core.codeowners import (
    CodeOwnersError,
    assign_owners,
    match_rule,
    parse_codeowners,
    pattern_regex,
    read_codeowners,
)

PATTERN_CASES = {
    "*": {"a.py": True, "src/a.py": True, "deep/er/a.py": True},
    "*.js": {"app.js": True, "web/app.js": True, "app.jsx": False, "js/app.py": False},
    "foo": {"foo": True, "foo/bar.py": True, "x/foo": True, "x/foo/y.py": True, "foo.txt": False, "x/foo.txt": False},
    "/foo": {"foo": True, "foo/bar": True, "x/foo": False, "fool": False},
    "foo/": {"foo": False, "foo/bar": True, "x/foo/bar/baz": True},
    "/foo/": {"foo/bar": True, "foo/bar/baz": True, "x/foo/bar": False},
    "foo/bar": {"foo/bar": True, "foo/bar/baz": True, "x/foo/bar": False, "foo/bart": False},
    "docs/*": {"docs/a.md": True, "docs/build/a.md": False, "docs": False, "x/docs/a.md": False},
    "/*": {"a.py": True, "src/a.py": False},
    "f*": {"foo": True, "foo/bar": True, "x/foo": True, "xfoo": False},
    "foo/*.txt": {"foo/a.txt": True, "foo/b/a.txt": False},
    "foo/*/baz": {"foo/bar/baz": True, "foo/bar/baz/q": True, "foo/baz": False},
    "**/logs": {"logs": True, "logs/a": True, "build/logs/a": True, "deeply/nested/logs/x": True, "blogs/a": False},
    "foo/**/bar": {"foo/bar": True, "foo/x/y/bar/z": True, "x/foo/bar": False},
    "foo/bar/**": {"foo/bar": False, "foo/bar/baz": True, "foo/bar/a/b": True},
    "foo/**/": {"foo": False, "foo/bar": True, "foo/a/b": True},
    "f?o": {"foo": True, "fo": False, "fooo": False, "f/o": False},
    "f\\*o": {"f*o": True, "foo": False},
    "my\\ file.py": {"my file.py": True, "a/my file.py": True, "my": False},
    "\\#notes.txt": {"#notes.txt": True},
}


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    pytest.param(pattern, path, matches, id=f"{pattern} {path}")
    for pattern, paths in PATTERN_CASES.items() for path, matches in paths.items()
])
def test_pattern_matching_follows_github(pattern, path, matches):
    rules, errors = parse_codeowners(f"{pattern} @owner\n")
    assert errors == []
    assert rules[0].matches(path) is matches
    assert (pattern_regex(rules[0].pattern).fullmatch(path) is not None) is matches


TEXT = """# comment
*            @org/everyone
app/         @ada @org/backend
/docs/*.py   grace@example.com   # inline comment
app/util.py
[abc].py     @x
!negated.py  @y
README.md    not-an-owner
  # indented comment

app/api/     @api-team
"""


def test_parse_reports_bad_lines_and_keeps_the_rest():
    rules, errors = parse_codeowners(TEXT)
    assert [(rule.pattern, rule.owners, rule.line) for rule in rules] == [
        ("*", ("@org/everyone",), 2),
        ("app/", ("@ada", "@org/backend"), 3),
        ("/docs/*.py", ("grace@example.com",), 4),
        ("app/util.py", (), 5),
        ("app/api/", ("@api-team",), 11),
    ]
    assert errors == [
        CodeOwnersError(6, "[abc].py     @x", "character ranges ([ ]) are not supported in CODEOWNERS"),
        CodeOwnersError(7, "!negated.py  @y", "negated patterns (!) are not supported in CODEOWNERS"),
        CodeOwnersError(8, "README.md    not-an-owner",
                        "'not-an-owner' is not a @user, an @org/team or an e-mail address"),
    ]


@pytest.mark.parametrize(("path", "pattern", "owners"), [
    ("setup.py", "*", ("@org/everyone",)),
    ("app/models.py", "app/", ("@ada", "@org/backend")),
    ("app/util.py", "app/util.py", ()),  # a pattern without owners leaves the file explicitly unowned
    ("app/api/views.py", "app/api/", ("@api-team",)),
    ("docs/conf.py", "/docs/*.py", ("grace@example.com",)),
    ("docs/deep/conf.py", "*", ("@org/everyone",)),
])
def test_last_matching_pattern_wins(path, pattern, owners):
    rules, _errors = parse_codeowners(TEXT)
    rule = match_rule(rules, path)
    assert (rule.pattern, rule.owners) == (pattern, owners)


def test_assign_owners_skips_unmatched_paths():
    rules, _errors = parse_codeowners("/src/ @core\n")
    assert {path: rule.owners for path, rule in assign_owners(rules, ["src/a.py", "tests/b.py"]).items()} == {
        "src/a.py": ("@core",),
    }


@pytest.mark.parametrize(("line", "message"), [
    ("*** @x", "a pattern cannot contain three consecutive asterisks"),
    ("/ @x", "the pattern matches no file"),
    ("a.py @", "'@' is not a @user, an @org/team or an e-mail address"),
])
def test_more_unreadable_lines(line, message):
    rules, errors = parse_codeowners(line)
    assert rules == [] and [error.message for error in errors] == [message]


def test_read_codeowners_prefers_github_then_root_then_docs(git_repo):
    assert read_codeowners(str(git_repo.path), git_repo.commit("empty")) is None
    docs_only = git_repo.commit("docs", files={"docs/CODEOWNERS": "* @docs\n"})
    assert read_codeowners(str(git_repo.path), docs_only) == ("docs/CODEOWNERS", "* @docs\n")
    root = git_repo.commit("root", files={"CODEOWNERS": "* @root\n"})
    assert read_codeowners(str(git_repo.path), root) == ("CODEOWNERS", "* @root\n")
    github = git_repo.commit("github", files={".github/CODEOWNERS": "* @gh\n"})
    assert read_codeowners(str(git_repo.path), github) == (".github/CODEOWNERS", "* @gh\n")
    assert read_codeowners(str(git_repo.path), root) == ("CODEOWNERS", "* @root\n")  # read at the revision asked
