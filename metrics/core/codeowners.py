"""CODEOWNERS in GitHub's syntax: parse the file at a revision, report bad lines, map owners to files.

GitHub reads the first of .github/CODEOWNERS, CODEOWNERS and docs/CODEOWNERS; patterns follow
gitignore rules without negation (`!`) or character ranges (`[ ]`), `\\#` escapes a leading hash,
the last matching pattern wins, and a line GitHub cannot read is skipped (here: reported).
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass

from metrics.core.git_history import require_object_name
from metrics.core.gitcmd import DEFAULT_TIMEOUT, run_git
from metrics.core.text import decode_text

CODEOWNERS_LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024  # GitHub ignores larger files
_USER_OR_TEAM = re.compile(r"@[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?", re.ASCII)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class CodeOwnersRule:
    """One readable CODEOWNERS line: a pattern and its owners (none: explicitly unowned)."""

    pattern: str
    owners: tuple[str, ...]
    line: int
    regex: re.Pattern[str]

    def matches(self, path: str) -> bool:
        return self.regex.fullmatch(path) is not None


@dataclass(frozen=True, slots=True)
class CodeOwnersError:
    """A CODEOWNERS line that was skipped, and why."""

    line: int
    text: str
    message: str


def parse_codeowners(text: str) -> tuple[list[CodeOwnersRule], list[CodeOwnersError]]:
    """Parse CODEOWNERS text into rules in file order and the errors of the lines it skipped."""
    rules: list[CodeOwnersRule] = []
    errors: list[CodeOwnersError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = _split_tokens(line)
        pattern, owners = tokens[0], tokens[1:]
        for index, owner in enumerate(owners):
            if owner.startswith("#"):  # the rest of the line is a comment
                owners = owners[:index]
                break
        problem = _pattern_problem(pattern) or _owners_problem(owners)
        if problem:
            errors.append(CodeOwnersError(line=number, text=raw[:1000], message=problem))
            continue
        rules.append(CodeOwnersRule(pattern=pattern, owners=tuple(owners), line=number, regex=pattern_regex(pattern)))
    return rules, errors


def _split_tokens(line: str) -> list[str]:
    """Split on whitespace that is not escaped with a backslash (escapes are kept for the pattern)."""
    tokens: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line):
            current.append(line[index:index + 2])
            index += 2
            continue
        if char.isspace():
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
        index += 1
    if current:
        tokens.append("".join(current))
    return tokens


def _pattern_problem(pattern: str) -> str:
    if pattern.startswith("!"):
        return "negated patterns (!) are not supported in CODEOWNERS"
    unescaped = re.sub(r"\\.", "", pattern)
    if "[" in unescaped or "]" in unescaped:
        return "character ranges ([ ]) are not supported in CODEOWNERS"
    if "***" in unescaped:
        return "a pattern cannot contain three consecutive asterisks"
    if pattern.strip("/") == "":
        return "the pattern matches no file"
    return ""


def _owners_problem(owners: list[str]) -> str:
    for owner in owners:
        if not (_USER_OR_TEAM.fullmatch(owner) or _EMAIL.fullmatch(owner)):
            return f"{owner!r} is not a @user, an @org/team or an e-mail address"
    return ""


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """Compile a CODEOWNERS pattern to a regex matched against whole repository-relative paths.

    gitignore rules: a pattern without a slash (except a trailing one) matches at any depth; a
    leading or inner slash anchors it at the root; a trailing slash matches only inside a directory;
    a pattern that names a directory owns everything below it. As GitHub documents, a last segment
    that is a lone `*` (`docs/*`) matches only the directory's direct files.
    """
    directory_only = pattern.endswith("/")
    body = pattern.strip("/") if pattern.startswith("/") else pattern.rstrip("/")
    anchored = pattern.startswith("/") or "/" in body
    segments = body.split("/")
    parts = [] if anchored else ["(?:.*/)?"]
    parts.extend(_segment_part(segments, index) for index in range(len(segments)))
    parts.append(_tail_regex(segments, directory_only=directory_only, anchored=anchored))
    return re.compile("".join(parts), re.DOTALL)


def _segment_part(segments: list[str], index: int) -> str:
    """The regex of `segments[index]`, with the slash joining it to the one before (a `**` brings its own)."""
    segment = segments[index]
    if segment == "**":
        return _double_star_regex(first=index == 0, last=index == len(segments) - 1)
    separator = "/" if index > 0 and segments[index - 1] != "**" else ""
    return separator + ("[^/]+" if segment == "*" else _segment_regex(segment))


def _double_star_regex(*, first: bool, last: bool) -> str:
    """A `**` segment: any number of directories (none included), or anything at all when it ends the pattern."""
    if first:
        return ".*" if last else "(?:.*/)?"
    return "/.*" if last else "/(?:.*/)?"


def _tail_regex(segments: list[str], *, directory_only: bool, anchored: bool) -> str:
    """What may follow the last segment: everything below it, except after `**` and a lone anchored `*`."""
    last_segment = segments[-1]
    if last_segment == "**":
        return ""
    if directory_only:
        return "/.*"
    if last_segment == "*" and (len(segments) > 1 or anchored):
        return ""  # `docs/*` owns the directory's direct files only
    return "(?:/.*)?"


def _segment_regex(segment: str) -> str:
    out = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "\\" and index + 1 < len(segment):
            out.append(re.escape(segment[index + 1]))
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def match_rule(rules: list[CodeOwnersRule], path: str) -> CodeOwnersRule | None:
    """Return the rule that decides `path`'s owners: the last one that matches."""
    for rule in reversed(rules):
        if rule.matches(path):
            return rule
    return None


def assign_owners(rules: list[CodeOwnersRule], paths: Iterable[str]) -> dict[str, CodeOwnersRule]:
    """Return the deciding rule of each path that any rule matches."""
    assigned = {}
    for path in paths:
        rule = match_rule(rules, path)
        if rule is not None:
            assigned[path] = rule
    return assigned


def read_codeowners(repo_path: str, revision: str, *, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, str] | None:
    """Return (location, text) of the CODEOWNERS file GitHub would use at `revision`, or None."""
    listing = run_git(
        repo_path, ["ls-tree", "-z", "--full-tree", require_object_name(revision), "--", *CODEOWNERS_LOCATIONS],
        timeout=timeout,
    )
    blobs: dict[str, str] = {}
    for entry in listing.split(b"\x00"):
        if not entry:
            continue
        meta, _tab, name = entry.partition(b"\t")
        _mode, kind, blob = meta.split(b" ")[:3]
        if kind == b"blob":
            blobs[name.decode("utf-8", "replace")] = blob.decode("ascii")
    for location in CODEOWNERS_LOCATIONS:
        if location in blobs:
            size = int(run_git(repo_path, ["cat-file", "-s", blobs[location]], timeout=timeout).strip() or 0)
            if size > MAX_CODEOWNERS_BYTES:
                return location, ""
            content = run_git(repo_path, ["cat-file", "blob", blobs[location]], timeout=timeout)
            return location, decode_text(content)
    return None
