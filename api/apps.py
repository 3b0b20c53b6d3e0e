"""App configuration for api."""
from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "api"
    # No ready(): api.urls imports api.schema (which registers the OpenAPI authentication extension), so
    # only what serves or generates the schema pays for drf-spectacular, never a command's start-up.
