"""Stable fingerprints of discovered and imported debt, so nothing is proposed or imported twice."""
import hashlib
import re

from debtboard.text import clean_text

_SPACE = re.compile(r"\s+")
# Leading punctuation and an optional "(owner)" between the tag and the text: "TODO(ada): x" is "x".
_LEAD = re.compile(r"^(\([^)]{0,64}\))?[\s:;,.\-]*")


def normalise_marker_text(text: str) -> str:
    """Case-fold, trim and collapse whitespace so cosmetic edits keep a marker's identity."""
    text = _LEAD.sub("", clean_text(text).strip())
    return _SPACE.sub(" ", text).strip().rstrip(".").casefold()


def _digest(*parts: object) -> str:
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


# Fingerprints are unique per repository (a database constraint), so the repository is their scope rather
# than part of the hash: an exported register imported into another instance still matches its scans.


def marker_fingerprint(*, tag: str, text: str, path: str) -> str:
    """Identify a marker by tag, normalised text and (rename-followed) path; never by line number."""
    return _digest("marker", tag.upper(), normalise_marker_text(text), path)


def hotspot_fingerprint(*, kind: str, path: str) -> str:
    """Identify a hotspot or knowledge-island proposal by its kind of signal and path."""
    return _digest("hotspot", kind, path)


def import_fingerprint(*, title: str, kind: str, paths: list[str]) -> str:
    """Identify an imported row that has no external id or fingerprint: title, kind and linked paths."""
    return _digest("import", _SPACE.sub(" ", title.strip()).casefold(), kind, *sorted(paths))
