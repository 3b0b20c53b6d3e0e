"""Numeric ids taken from URL paths, bounded by their columns' range."""
from django.http import Http404

BIGINT_MAX = 2**63 - 1  # register items, goals and other rows (BigAutoField)
INT_MAX = 2**31 - 1  # integer columns: Django's users (auth's own AutoField), sprint numbers


def path_id(value: str | int, *, limit: int = BIGINT_MAX) -> int:
    """A numeric id from the URL path; one no row can have (beyond the column's range) is a 404, not a database
    error."""
    number = int(value)
    if not 0 < number <= limit:
        raise Http404(f"No object with id {value}.")
    return number
