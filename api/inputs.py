"""Validating request input with an input serializer (400 with field errors when it is invalid)."""
from typing import Any


def valid(serializer_class, data, **kwargs: Any) -> dict:
    """Validate input with a serializer and return its data; DRF answers 400 with field errors otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
