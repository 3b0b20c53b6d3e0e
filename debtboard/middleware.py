"""Request guards around every view: a NUL in the address is a 400, and /api/ errors always carry the JSON body."""
from collections.abc import Callable

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import bad_request

NUL_CODE = "request.nul_character"
NUL_MESSAGE = "The address contains a NUL character (%00), which no path, name or filter can hold."


def has_nul(request: HttpRequest) -> bool:
    """Whether the decoded path or any decoded query parameter name or value holds a NUL character."""
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RefuseNulMiddleware:
    """Answer 400 for a NUL in the address: PostgreSQL refuses NUL in text, so it would otherwise be a 500.

    /api/ answers with the API's error body, every other path with the HTML error page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"code": NUL_CODE, "message": NUL_MESSAGE, "extra": {}}, status=400)
        return bad_request(request, ValueError(NUL_MESSAGE))


class ApiErrorBodyMiddleware:
    """Give an /api/ error that no API view answered (an unknown route's 404, Django's own 400) the error body.

    DRF's exception handler shapes every error a view raises; this covers the rest, so that an API client
    (and the OpenAPI schema) only ever sees {"code", "message", "extra"}.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith("/api/"):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = HTTPStatus(response.status_code)
        code = status.phrase.lower().replace(" ", "_")
        return JsonResponse({"code": code, "message": f"{status.phrase}.", "extra": {}}, status=status)
