"""Self-admitted technical debt (TODO, FIXME, HACK, XXX) and suppressions (noqa, type: ignore) from comments.

Only real comment tokens count: the same words inside a string or a docstring are not markers.
A comment can hold several `#` sections (`x = 1  # noqa: E501  # TODO drop`): a marker may open any of them.
"""
import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEBT = "debt"
NOQA = "noqa"
TYPE_IGNORE = "type_ignore"

# flake8's own inline form: `# noqa`, `# noqa: E501,W291`, `# NOQA:E501`.
_NOQA = re.compile(r"noqa(?::[\s]?(?P<codes>[A-Z][0-9]+(?:[,\s]+[A-Z][0-9]+)*))?\b", re.IGNORECASE)
_FILE_NOQA = re.compile(r"flake8[:=]\s*noqa\b", re.IGNORECASE)
_TYPE_IGNORE = re.compile(r"type:\s*ignore(?P<codes>\[[^\]]*\])?")


@dataclass(frozen=True, slots=True)
class DebtMarker:
    """One marker: kind (debt, noqa, type_ignore), tag (TODO, noqa, ...), 1-based line, the comment text."""

    kind: str
    tag: str
    line: int
    text: str


def _tag_pattern(tags: Sequence[str]) -> re.Pattern[str] | None:
    words = [re.escape(tag) for tag in tags if tag.strip()]
    if not words:
        return None
    # The tag opens a comment section, followed by ':', '(', whitespace or the end: "TODO:", "FIXME(ada)".
    return re.compile(rf"(?P<tag>{'|'.join(words)})(?=[:(\s]|$)", re.IGNORECASE)


def _sections(comment: str) -> list[str]:
    # Each `#` opens a section running to the end of the comment ("TODO: see #12" keeps its "#12").
    return [comment[index + 1:].strip() for index, char in enumerate(comment) if char == "#"]


def might_have_markers(text: str, tags: Sequence[str]) -> bool:
    """False when no comment of `text` can hold a marker: then the file need not be tokenized for them."""
    if "#" not in text:
        return False
    words = [re.escape(tag) for tag in tags if tag.strip()] + ["noqa", r"type:\s*ignore"]
    return re.search("|".join(words), text, re.IGNORECASE) is not None


def markers_from_tokens(tokens: Iterable[tokenize.TokenInfo], tags: Sequence[str]) -> list[DebtMarker]:
    """Collect the markers of every COMMENT token."""
    pattern = _tag_pattern(tags)
    canonical = {tag.upper(): tag for tag in tags}
    found: list[DebtMarker] = []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        text = token.string.lstrip("#").strip()
        for section in _sections(token.string):
            marker = _section_marker(section, line=line, comment=text, pattern=pattern, canonical=canonical)
            if marker is not None:
                found.append(marker)
    return found


def _section_marker(
    section: str, *, line: int, comment: str, pattern: re.Pattern[str] | None, canonical: dict[str, str]
) -> DebtMarker | None:
    """The marker opening one comment section, if any; a file-wide noqa keeps the whole `comment`."""
    if pattern is not None and (match := pattern.match(section)):
        tag = canonical.get(match["tag"].upper(), match["tag"].upper())
        return DebtMarker(DEBT, tag, line, section)
    if _FILE_NOQA.match(section):
        return DebtMarker(NOQA, "flake8: noqa", line, comment)
    if match := _NOQA.match(section):
        return DebtMarker(NOQA, "noqa", line, (match["codes"] or "").replace(" ", ""))
    if match := _TYPE_IGNORE.match(section):
        return DebtMarker(TYPE_IGNORE, "type: ignore", line, (match["codes"] or "").strip("[]"))
    return None


def markers_from_source(text: str, tags: Sequence[str]) -> list[DebtMarker]:
    """Tokenize decoded Python source and collect its markers."""
    return markers_from_tokens(tokenize.generate_tokens(io.StringIO(text).readline), tags)
