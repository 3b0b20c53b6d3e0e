"""Page-number pagination that answers 400 for a page that is not a whole number from 1 (the schema says so)."""
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, with `page` validated: blank, text, 0 or a negative number is a 400, not page 1 or 404."""

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise ValidationError({self.page_query_param: f"A page number from 1 to {MAX_PAGE:,}."})
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [{
            "name": self.page_query_param, "required": False, "in": "query",
            "description": "A page number within the paginated result set.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        }]
