"""HTML routes."""
from django.urls import path

from frontend.views import repositories

app_name = "frontend"

urlpatterns = [
    path("", repositories.home, name="home"),
]
