"""WSGI entry point (gunicorn debtboard.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debtboard.settings")
application = get_wsgi_application()
