"""The Celery app: optional; without a broker, scans run in the calling process.

Loaded only by workers (`celery -A debtboard.celery worker`) and by `metrics.tasks` when a task is queued,
never by `import debtboard`. Celery's Django fix-up inserts the working directory at sys.path[0] when the
app is created; that insertion is undone here, so a folder named like an installed package (`requests/`,
`metrics/`) in the directory a command runs from never shadows it. The project is installed: workers do not
need the working directory on the path.
"""
import os
import sys

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debtboard.settings")

_path_before = list(sys.path)
app = Celery("debtboard")
if sys.path[1:] == _path_before:
    del sys.path[0]
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
