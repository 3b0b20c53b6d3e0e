"""clean_text: the one way to make a string safe to store and render, for every app.

PostgreSQL rejects NUL in text (SQLite stores it, so the bug hides until production) and a lone surrogate
(from a JSON `\\ud800` escape) cannot be encoded as UTF-8, so it breaks the response or the database write
that meets it. `metrics.core` has its own bytes-to-text twin, `metrics.core.text.decode_text`, because the
pure core may not import the project.
"""
import re

_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def clean_text(value: str | None, *, max_length: int | None = None) -> str:
    """Return `value` without NUL characters and lone surrogates, cut to `max_length` characters."""
    if not value:
        return ""
    # ASCII text (the common case) holds no surrogate: a plain replace is enough and several times faster.
    cleaned = value.replace("\x00", "") if value.isascii() else _UNSAFE.sub("", value)
    return cleaned if max_length is None else cleaned[:max_length]
