"""The Celery app: optional; without a broker, scans run in the calling process."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debtboard.settings")

app = Celery("debtboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
