"""The repository list, debtboard's home page."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from metrics.selectors.repositories import repository_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the repositories with their last scan."""
    return render(request, "frontend/home.html", {"repositories": repository_list()})
