"""clean_text (Django side) and decode_text (pure core): the one way each to make text safe to store."""
import pytest

from debtboard.text import clean_text
from metrics.core.text import decode_text


@pytest.mark.parametrize(("value", "max_length", "expected"), [
    (None, None, ""),
    ("", 5, ""),
    ("plain text", None, "plain text"),
    ("a\x00b\x00", None, "ab"),
    ("caf\u00e9 \U0001F600", None, "caf\u00e9 \U0001F600"),
    ("lone \ud800 high, lone \udfff low", None, "lone  high, lone  low"),
    ("\x00x\ud83dy", None, "xy"),
    ("abcdef", 3, "abc"),
    ("a\x00bcdef", 3, "abc"),  # cleaned first, then cut
    ("\u00e9\x00\u00e9\u00e9", 2, "\u00e9\u00e9"),
])
def test_clean_text_strips_nul_and_lone_surrogates_then_caps_length(
        value: str | None, max_length: int | None, expected: str) -> None:
    assert clean_text(value, max_length=max_length) == expected


def test_clean_text_output_always_encodes_as_utf8() -> None:
    assert clean_text("x\udc80y\x00").encode("utf-8") == b"xy"


@pytest.mark.parametrize(("raw", "expected"), [
    (b"Ada Lovelace", "Ada Lovelace"),
    (b"nul\x00inside", "nulinside"),
    (b"caf\xc3\xa9", "caf\u00e9"),
    (b"latin-1 caf\xe9", "latin-1 caf\ufffd"),
    (b"\xed\xa0\x80", "\ufffd\ufffd\ufffd"),  # an encoded surrogate is invalid UTF-8: replaced, never kept
])
def test_decode_text_gives_storable_text_from_git_bytes(raw: bytes, expected: str) -> None:
    assert decode_text(raw) == expected
