"""OpenAPI extensions: the bearer-token authentication and the error responses every operation can give."""
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import is_list_serializer
from rest_framework import serializers

from api.serializers.errors import ErrorOutputSerializer


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token from `debtboard apitoken create`."}


# Every operation may answer these with the one error body (api/exceptions.py); the schema says so.
ERROR_RESPONSES = {
    "400": "Invalid input: field errors in extra.fields, or an unreadable body.",
    "401": "No credentials, or an unknown or revoked API token.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object (or page).",
    "405": "The method is not allowed here.",
    "406": "The requested representation is not available.",
    "409": "The request clashes with the current state.",
    "413": "The body or upload is over its limit (named in extra).",
    "415": "The body's media type is not accepted.",
    "429": "Too many requests: wait for Retry-After seconds (also in extra.retry_after_seconds).",
}


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with the error responses every operation can give, all in the error body."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorOutputSerializer, code)
                responses[code]["description"] = description
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema and is_list_serializer(field) and "items" in schema:
            _add_list_bounds(field, schema)
        if schema and direction == "request" and _is_plain_text(field, schema):
            # DRF refuses NUL in text, and text that is blank once trimmed unless allow_blank: the schema says so.
            # An empty string is never this pattern's: drf-spectacular gives a blank-allowed field a second
            # branch, oneOf [pattern, maxLength 0], and "" matching both would break the oneOf.
            blank_ok = field.allow_blank or not field.trim_whitespace
            schema["pattern"] = FILLED_TEXT_PATTERN if blank_ok else NON_BLANK_PATTERN
        return schema


TEXT_PATTERN = r"^[^\x00]*$"  # any text, empty or not (query filters)
FILLED_TEXT_PATTERN = r"^[^\x00]+$"  # text of at least one character, blank or not once trimmed
NON_BLANK_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


def _add_list_bounds(field, schema: dict) -> None:
    """State a nested list's bounds, which drf-spectacular leaves out (`many=True` with min/max_length, allow_empty)."""
    minimum = field.min_length if field.min_length is not None else (0 if field.allow_empty else 1)
    if minimum:
        schema["minItems"] = minimum
    if field.max_length is not None:
        schema["maxItems"] = field.max_length


def _is_plain_text(field, schema: dict) -> bool:
    """A text field whose schema has no pattern, format or enum of its own."""
    if not isinstance(field, serializers.CharField) or schema.get("type") != "string":
        return False
    if any(isinstance(validator, RegexValidator) for validator in field.validators):
        return False  # drf-spectacular states the field's own pattern after this mapping
    return not {"pattern", "format", "enum"} & schema.keys()
