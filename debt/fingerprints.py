"""Stable fingerprints of discovered and imported debt, so nothing is proposed or imported twice."""
import hashlib
import re

_SPACE = re.compile(r"\s+")
# Leading punctuation and an optional "(owner)" between the tag and the text: "TODO(ada): x" is "x".
_LEAD = re.compile(r"^(\([^)]{0,64}\))?[\s:;,.\-]*")


def normalise_marker_text(text: str) -> str:
    """Case-fold, trim and collapse whitespace so cosmetic edits keep a marker's identity."""
    text = _LEAD.sub("", (text or "").replace("\x00", "").strip())
    return _SPACE.sub(" ", text).strip().rstrip(".").casefold()


def _digest(*parts: object) -> str:
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def marker_fingerprint(*, repository_id: int, tag: str, text: str, path: str) -> str:
    """Identify a marker by repository, tag, normalised text and (rename-followed) path; never by line."""
    return _digest(repository_id, "marker", tag.upper(), normalise_marker_text(text), path)


def hotspot_fingerprint(*, repository_id: int, kind: str, path: str) -> str:
    """Identify a hotspot or knowledge-island proposal by repository, kind of signal and path."""
    return _digest(repository_id, "hotspot", kind, path)


def import_fingerprint(*, repository_id: int, title: str, kind: str, paths: list[str]) -> str:
    """Identify an imported row that has no external id: title, kind and linked paths."""
    return _digest(repository_id, "import", _SPACE.sub(" ", title.strip()).casefold(), kind, *sorted(paths))
