"""Refusals that explain themselves: the API documentation for a visitor who has not logged in."""
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularSwaggerSplitView

_swagger = SpectacularSwaggerSplitView.as_view(url_name="api-schema")


def api_docs(request: HttpRequest) -> HttpResponse:
    """Serve the Swagger UI to signed-in users; send anyone else to the login, which says why and returns here.

    (The API's own view answered an anonymous browser with a bare JSON 403.)
    """
    if request.user.is_authenticated:
        return _swagger(request)
    return redirect_to_login(request.get_full_path())
