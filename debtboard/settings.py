"""Settings for debtboard, read from the environment (12-factor); see .env.example."""
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from debtboard.secret_key import local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

DATA_DIR = Path(env.str("DEBTBOARD_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
    elif env.bool("DEBTBOARD_LOCAL_SECRET_KEY", default=False):
        # Set by the `debtboard` console script: local use needs no configured key (README, Configuration).
        SECRET_KEY = local_secret_key(DATA_DIR)
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Set it in the environment or in .env (see .env.example)."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "metrics",
    "debt",
    "sprints",
    "api",
    "frontend",
]

MIDDLEWARE = [
    # First: times everything below it, by view (/metrics).
    "debtboard.monitoring.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # ETag on every GET answer and 304 for a matching If-None-Match (before anything that changes the body).
    "django.middleware.http.ConditionalGetMiddleware",
    "debtboard.middleware.ApiErrorBodyMiddleware",
    "debtboard.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "debtboard.urls"
WSGI_APPLICATION = "debtboard.wsgi.application"
ASGI_APPLICATION = "debtboard.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'debtboard.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. WAL lets readers work while it writes; BEGIN IMMEDIATE takes the
    # write lock when a transaction starts, so a second writer waits out the busy timeout instead of
    # failing at once when its read lock cannot be upgraded. Writers keep their transactions short
    # (docs/security.md, "Database under load").
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,  # seconds a writer waits for the lock
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    pooled = env.bool("DEBTBOARD_DB_POOL", default=True)
    if pooled and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A bounded pool per process (psycopg_pool): a thread per request no longer keeps a connection
        # each; idle connections above the minimum close after max_idle seconds, one per period.
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # required with a pool
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DEBTBOARD_DB_POOL_MIN", default=2),
            "max_size": env.int("DEBTBOARD_DB_POOL_MAX", default=10),
            "max_idle": env.float("DEBTBOARD_DB_POOL_MAX_IDLE", default=60.0),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

# The cache: Redis when DEBTBOARD_CACHE_URL is set (redis://host:6379/1), else each process's local memory.
# Answers are cached under a key made of the repository's current scan (debtboard/scan_cache.py), so a finished
# scan never needs a purge and a per-process cache serves nothing stale; Redis shares the entries (and the API's
# throttling counts) between processes and machines. docs/operations.md, "Caching".
DEBTBOARD_CACHE_URL = env.str("DEBTBOARD_CACHE_URL", default="")
if DEBTBOARD_CACHE_URL:
    CACHES = {"default": env.cache_url_config(DEBTBOARD_CACHE_URL)}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 2, "socket_timeout": 2})
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "debtboard",
                          "OPTIONS": {"MAX_ENTRIES": env.int("DEBTBOARD_CACHE_MAX_ENTRIES", default=2000)}}}
CACHES["default"]["KEY_PREFIX"] = env.str("DEBTBOARD_CACHE_PREFIX", default="debtboard")
# Scan-keyed answers: on or off, and how long an entry lives (seconds) before it is dropped unread.
DEBTBOARD_ANSWER_CACHE = env.bool("DEBTBOARD_ANSWER_CACHE", default=True)
DEBTBOARD_CACHE_TIMEOUT = env.int("DEBTBOARD_CACHE_TIMEOUT", default=24 * 3600)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(DATA_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js served from the installed plotly package as static "vendor/plotly.min.js" (no copy, no CDN).
    "frontend.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "login"

# Email from the environment (check --deploy reports the console backend in production).
_email = env.email_url("DJANGO_EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v} if "smtp" in _email["EMAIL_BACKEND"] else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="debtboard@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening; every value can be relaxed from the environment behind a TLS proxy.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # JSON bodies only (the import names its own multipart parser): form encoding cannot tell a blank from null,
    # and the schema says JSON. Bounded in size (DATA_UPLOAD_MAX_MEMORY_SIZE) and nesting depth (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    # Requests per API token (or user): "api" for every request, tighter scopes for writes that work hard.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env.str("DEBTBOARD_API_RATE", default="1200/minute"),
        "change_checks": env.str("DEBTBOARD_CHANGE_CHECK_RATE", default="120/minute"),
        "imports": env.str("DEBTBOARD_IMPORT_RATE", default="20/minute"),
        "scans": env.str("DEBTBOARD_SCAN_RATE", default="30/minute"),
    },
    # ?format= is the export's own parameter (csv or json), not DRF's renderer override.
    "URL_FORMAT_OVERRIDE": None,
}
# Request bodies other than file uploads (a change check's JSON, form posts): over this, 413 (API) or 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)  # 2.5 MiB

SPECTACULAR_SETTINGS = {
    "TITLE": "debtboard API",
    "DESCRIPTION": "Hotspots, the technical-debt register and CI change verdicts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components: required text says minLength 1, uploads say format binary.
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DebtStatusEnum": "api.serializers.debt.STATUS_CHOICES",
                            "KindEnum": "api.serializers.debt.KIND_CHOICES",
                            "RescanKindEnum": "metrics.choices.RescanKind"},
}

# Background work: scans never run in a web request. django.tasks holds the one task definition
# (metrics/tasks.py); the backend decides where it runs (docs/operations.md, "Background work"):
# - no CELERY_BROKER_URL (the embedded default): django-tasks-db, the database is the queue and
#   `manage.py scan_worker` (started by `make run`) runs the tasks;
# - CELERY_BROKER_URL set: debtboard.celery.CeleryTaskBackend sends each task to Celery workers.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL:
    TASKS = {"default": {"BACKEND": "debtboard.celery.CeleryTaskBackend"}}
else:
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
# The queue debtboard's tasks go to (and its workers read): several debtboards may share one Redis.
CELERY_TASK_DEFAULT_QUEUE = env.str("DEBTBOARD_CELERY_QUEUE", default="debtboard")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=6 * 3600)}
# A scan whose worker died is retried as a new scan this many times at most, after BACKOFF * 2**(n-1) s.
DEBTBOARD_SCAN_RETRIES = env.int("DEBTBOARD_SCAN_RETRIES", default=2)
DEBTBOARD_SCAN_RETRY_BACKOFF = env.float("DEBTBOARD_SCAN_RETRY_BACKOFF", default=60.0)
# How often (seconds) the stale-scan reaper runs in a worker (scan_worker's thread, Celery beat).
DEBTBOARD_SCAN_REAP_INTERVAL = env.float("DEBTBOARD_SCAN_REAP_INTERVAL", default=300.0)
# The post-scan step (the debt register's discovery, blame, paid-off detection, priorities; sprint snapshots):
# "task" runs it as a background task once the scan's results are visible; "inline" in the scan's process.
DEBTBOARD_POST_SCAN = env.str("DEBTBOARD_POST_SCAN", default="task")
# Workers write a heartbeat row this often (seconds); /healthz calls a worker stale after STALE seconds.
DEBTBOARD_WORKER_HEARTBEAT_INTERVAL = env.float("DEBTBOARD_WORKER_HEARTBEAT_INTERVAL", default=30.0)
DEBTBOARD_WORKER_HEARTBEAT_STALE = env.float("DEBTBOARD_WORKER_HEARTBEAT_STALE", default=120.0)
# /healthz answers 503 when no worker has ever reported (not only when one went stale).
DEBTBOARD_HEALTHZ_REQUIRE_WORKER = env.bool("DEBTBOARD_HEALTHZ_REQUIRE_WORKER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "scan-reaper": {
        "task": "debtboard.run_task",
        "schedule": DEBTBOARD_SCAN_REAP_INTERVAL,
        "args": ["metrics.tasks.scan_reap_task", [], {}],
    },
}
# Scheduled rescans: how often (seconds) a worker looks for due repositories (scan_worker's thread, Celery
# beat); a schedule's slot fires at most this late. Webhook bodies above MAX_BYTES are refused (413).
DEBTBOARD_RESCAN_INTERVAL = env.float("DEBTBOARD_RESCAN_INTERVAL", default=60.0)
DEBTBOARD_WEBHOOK_MAX_BYTES = env.int("DEBTBOARD_WEBHOOK_MAX_BYTES", default=10 * 1024 * 1024)
CELERY_BEAT_SCHEDULE["rescan-due"] = {
    "task": "debtboard.run_task",
    "schedule": DEBTBOARD_RESCAN_INTERVAL,
    "args": ["metrics.tasks.rescan_due_task", [], {}],
}
# Refactorathon regression scans (each finished event's repositories 4 and 8 weeks after its end): how often
# (seconds) a runner looks for points that are past and not yet scanned (Celery beat; the embedded worker
# queues the same task on this clock, see DEBTBOARD_WORKER_PERIODIC_TASKS; cron: `debtboard refactorathon regress`).
DEBTBOARD_REGRESSION_INTERVAL = env.float("DEBTBOARD_REGRESSION_INTERVAL", default=3600.0)
CELERY_BEAT_SCHEDULE["refactorathon-regressions"] = {
    "task": "debtboard.run_task",
    "schedule": DEBTBOARD_REGRESSION_INTERVAL,
    "args": ["sprints.tasks.refactorathon_regressions_due_task", [], {}],
}
# Tasks the embedded worker (scan_worker) queues itself, by path, with the seconds between two queueings: its
# stand-in for Celery beat (the reaper and the rescans have threads of their own in metrics).
DEBTBOARD_WORKER_PERIODIC_TASKS = {"sprints.tasks.refactorathon_regressions_due_task": DEBTBOARD_REGRESSION_INTERVAL}

# debtboard's own settings (read at call time through django.conf.settings).
DEBTBOARD_REPO_ROOTS = [Path(p).resolve() for p in env.list("DEBTBOARD_REPO_ROOTS", default=[])]
# Remote hosts (names, addresses or CIDRs) allowed although they are not public (loopback, private, ...).
DEBTBOARD_REMOTE_ALLOW_HOSTS = env.list("DEBTBOARD_REMOTE_ALLOW_HOSTS", default=[])
DEBTBOARD_ANALYSIS_WORKERS = env.int("DEBTBOARD_ANALYSIS_WORKERS", default=0)  # 0: one per CPU
# Scoring works out file scores in a forked child beside the function scores (Linux; off: one process).
DEBTBOARD_SCORING_FORK = env.bool("DEBTBOARD_SCORING_FORK", default=True)
DEBTBOARD_GIT_TIMEOUT = env.int("DEBTBOARD_GIT_TIMEOUT", default=600)
# Debt discovery after each scan: how much git blame it may run (how many proposals is each repository's setting).
DEBTBOARD_DEBT_MAX_BLAME_FILES = env.int("DEBTBOARD_DEBT_MAX_BLAME_FILES", default=500)
DEBTBOARD_DEBT_BLAME_SECONDS = env.float("DEBTBOARD_DEBT_BLAME_SECONDS", default=20.0)

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
# DJANGO_LOG_FORMAT: "json" (one JSON object per line, with scan_id and repository during a scan), or "text".
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scan_context": {"()": "debtboard.logs.ScanContextFilter"}},
    "formatters": {
        "dev": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s", "datefmt": "%H:%M:%S"},
        "prod": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
        "json": {"()": "debtboard.logs.JsonLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scan_context"],
                    "formatter": "json" if LOG_FORMAT == "json" else "dev" if DEBUG else "prod"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# /metrics (Prometheus): open to a bearer token equal to DEBTBOARD_METRICS_TOKEN, or to client addresses in
# DEBTBOARD_METRICS_ALLOWED_IPS (addresses or CIDRs, matched against REMOTE_ADDR); closed (403) otherwise.
DEBTBOARD_METRICS_TOKEN = env.str("DEBTBOARD_METRICS_TOKEN", default="")
DEBTBOARD_METRICS_ALLOWED_IPS = env.list("DEBTBOARD_METRICS_ALLOWED_IPS", default=[])

# The role on every repository of a signed-in user without a membership: viewer (default), member, maintainer,
# or none (repositories are private to their members and staff). See docs/security.md, "Authorisation".
DEBTBOARD_DEFAULT_ROLE = env.str("DEBTBOARD_DEFAULT_ROLE", default="viewer")

# Login throttling (django-axes): after DEBTBOARD_LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused (even with the right password) for DEBTBOARD_LOGIN_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DEBTBOARD_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DEBTBOARD_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# Content-Security-Policy (Django's own middleware). Scripts come only from our static files (htmx, plotly,
# app.js, charts.js; no inline scripts or handlers). Styles allow 'unsafe-inline' because plotly writes
# <style> elements and style attributes at run time (docs/security.md). The Swagger UI page has its own policy
# (api/urls.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
