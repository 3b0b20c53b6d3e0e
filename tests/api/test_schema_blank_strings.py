"""Blank text in the OpenAPI schema: an empty string matches exactly one branch of a blank-allowed field's oneOf.

drf-spectacular states a blank-allowed text field as oneOf [its own constraints, maxLength 0]; when the first
branch also took "", an empty value would match both, which JSON Schema's oneOf forbids (schemathesis sent
`"external_id": ""`, the API rightly took it, and the schema called that invalid).
"""
import re

from drf_spectacular.generators import SchemaGenerator

from api.schema import FILLED_TEXT_PATTERN, NON_BLANK_PATTERN, TEXT_PATTERN


def takes_empty(branch: dict) -> bool:
    """Whether a string schema (type, format, pattern, minLength, maxLength) accepts ""."""
    if branch.get("type") != "string" or branch.get("minLength", 0) > 0 or branch.get("format") == "email":
        return False
    return "pattern" not in branch or re.search(branch["pattern"], "") is not None


def blank_allowed_fields(schema: dict):
    """(component, property, oneOf) of every property stated as text or blank."""
    for name, component in schema["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            branches = spec.get("oneOf", [])
            if {"type": "string", "maxLength": 0} in branches:
                yield name, prop, branches


def test_an_empty_string_matches_exactly_one_branch_of_every_blank_allowed_field():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields = list(blank_allowed_fields(schema))
    named = {(name, prop) for name, prop, _ in fields}
    assert ("PatchedDebtItemUpdateInputRequest", "external_id") in named
    assert ("DebtItemCreateInputRequest", "external_url") in named
    both = [(name, prop) for name, prop, branches in fields if sum(takes_empty(b) for b in branches) != 1]
    assert both == []


def test_the_text_patterns_say_what_they_take():
    assert re.search(TEXT_PATTERN, "") and re.search(FILLED_TEXT_PATTERN, "  ") and re.search(NON_BLANK_PATTERN, " a ")
    assert not re.search(FILLED_TEXT_PATTERN, "") and not re.search(NON_BLANK_PATTERN, "   ")
    assert not any(re.search(pattern, "a\x00b") for pattern in (TEXT_PATTERN, FILLED_TEXT_PATTERN, NON_BLANK_PATTERN))
