"""JSON text decoded with a nesting limit and without lone surrogates, for every JSON that comes from outside."""
import json
import re
from itertools import accumulate
from typing import Any

MAX_JSON_DEPTH = 32
# Strings first (a bracket inside a string does not nest), then every bracket as +1 or -1.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonTooDeep(ValueError):
    """The JSON nests arrays and objects deeper than the limit."""

    def __init__(self, depth: int, limit: int) -> None:
        super().__init__(f"The JSON nests {depth} levels deep; the limit is {limit}.")
        self.depth = depth
        self.limit = limit


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (0 for a scalar), without parsing it."""
    brackets = _BRACKETS.sub("", _STRING.sub("", text))
    return max(accumulate(_STEP[char] for char in brackets), default=0)


def without_surrogates(value: Any) -> Any:
    """A decoded JSON value with lone surrogates (from `\\ud800` escapes) removed from every key and string."""
    if isinstance(value, str):
        return _SURROGATE.sub("", value) if not value.isascii() else value
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(key): without_surrogates(item) for key, item in value.items()}
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON.")


def json_loads_bounded(text: str, *, max_depth: int = MAX_JSON_DEPTH, strict_constants: bool = True) -> Any:
    """Decode JSON text nesting at most `max_depth` levels, lone surrogates dropped; JsonTooDeep or ValueError.

    With `strict_constants`, NaN and Infinity (which Python's json accepts) are refused.
    """
    depth = json_depth(text)
    if depth > max_depth:
        raise JsonTooDeep(depth, max_depth)
    return without_surrogates(json.loads(text, parse_constant=_refuse_constant if strict_constants else None))
