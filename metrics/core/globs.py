"""Include/exclude globs on repository-relative paths, with gitignore-like `**` semantics.

- `*` and `?` never cross a `/`; `[abc]`, `[!abc]` are character classes.
- `**` as a whole segment spans any number of directories: `**/tests/**`, `src/**/*.py`.
- A pattern without `/` matches the file name at any depth (`*_pb2.py`, `conftest.py`).
- A pattern ending in `/` matches everything below that directory (`vendor/` is `vendor/**`).
"""
import re
from collections.abc import Iterable
from functools import lru_cache


def _segment_regex(segment: str) -> str:
    out: list[str] = []
    i, n = 0, len(segment)
    while i < n:
        char = segment[i]
        i += 1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            start = i + 1 if segment[i:i + 1] == "!" else i
            start += 1 if segment[start:start + 1] == "]" else 0  # a leading "]" is literal
            end = segment.find("]", start)
            if end == -1:
                out.append(re.escape(char))
                continue
            body = segment[i:end]
            i = end + 1
            negate = body.startswith("!")
            body = body[1:] if negate else body
            body = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append(f"[{'^/' if negate else ''}{body}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


@lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile one glob into a regular expression matching whole paths."""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern:
        return re.compile(f"(?:.*/)?{_segment_regex(pattern)}", re.DOTALL)
    parts = pattern.split("/")
    out: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]*/)*")
        else:
            out.append(_segment_regex(part) + ("" if last else "/"))
    return re.compile("".join(out), re.DOTALL)


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """True when `path` matches at least one of the globs."""
    return any(glob_regex(pattern).fullmatch(path) for pattern in patterns if pattern.strip())


def is_selected(path: str, *, include: Iterable[str], exclude: Iterable[str]) -> bool:
    """True when `path` matches an include glob and no exclude glob."""
    return matches_any(path, include) and not matches_any(path, exclude)
