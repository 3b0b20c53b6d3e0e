"""Text from git output made safe to store: the pure-Python twin of debtboard.text.

Why two helpers: `metrics.core` imports nothing from Django or the project (an import-linter contract), so it
cannot use `debtboard.text.clean_text`, and the project must not depend on an app's core either. The core one
takes bytes: decoding with "replace" never produces lone surrogates, so only NUL (which PostgreSQL refuses in
text) has to go; `debtboard.text.clean_text` cleans strings of any origin (forms, JSON, CSV) and caps length.
"""


def decode_text(raw: bytes) -> str:
    """Decode git output as UTF-8 (undecodable bytes become U+FFFD) without NUL characters."""
    return raw.decode("utf-8", "replace").replace("\x00", "")
