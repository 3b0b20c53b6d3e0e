"""debtboard: the Django project (settings, urls, Celery app, base error kinds)."""
from debtboard.celery import app as celery_app

__all__ = ["celery_app"]
