"""debtboard: the Django project (settings, urls, base error kinds); the Celery app is debtboard.celery.

The Celery app is not imported here: loading it lets Celery's Django fix-up put the working directory first on
sys.path, so only worker processes (`celery -A debtboard.celery`) and the code that queues tasks load it.
"""
