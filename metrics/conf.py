"""The metrics app's settings, read at call time through typed accessors (defaults: debtboard/settings.py).

Every read of a `DEBTBOARD_*` setting (and the data directory) by metrics goes through this module, so a
test's `settings` override is seen at once and a setting's type is declared in one place. `metrics.core`
never reads settings: services call these accessors and pass the values in.
"""
from pathlib import Path

from django.conf import settings


def git_timeout() -> float:
    """Seconds a git command may run (DEBTBOARD_GIT_TIMEOUT)."""
    return float(settings.DEBTBOARD_GIT_TIMEOUT)


def repo_roots() -> list[Path]:
    """The folders local repositories must live in (DEBTBOARD_REPO_ROOTS; empty: anywhere)."""
    return [Path(root) for root in settings.DEBTBOARD_REPO_ROOTS]


def data_dir() -> Path:
    """The folder of debtboard's own files: mirrors of remotes, caches (DEBTBOARD_DATA_DIR)."""
    return Path(settings.DATA_DIR)


def analysis_workers() -> int:
    """Analysis processes (DEBTBOARD_ANALYSIS_WORKERS; 0: one per CPU)."""
    return int(settings.DEBTBOARD_ANALYSIS_WORKERS)


def scoring_fork() -> bool:
    """Whether scoring works out file scores in a forked child (DEBTBOARD_SCORING_FORK)."""
    return bool(settings.DEBTBOARD_SCORING_FORK)


def remote_allow_hosts() -> list[str]:
    """Host names and networks remotes may resolve to though not public (DEBTBOARD_REMOTE_ALLOW_HOSTS)."""
    return [str(entry) for entry in settings.DEBTBOARD_REMOTE_ALLOW_HOSTS]


def post_scan_inline() -> bool:
    """Whether the post-scan step runs in the scan's own process (DEBTBOARD_POST_SCAN=inline) or as a task."""
    return str(settings.DEBTBOARD_POST_SCAN).strip().lower() == "inline"


def worker_heartbeat_interval() -> float:
    """Seconds between a worker's heartbeats (DEBTBOARD_WORKER_HEARTBEAT_INTERVAL)."""
    return float(settings.DEBTBOARD_WORKER_HEARTBEAT_INTERVAL)


def worker_heartbeat_stale() -> float:
    """Seconds after which a worker's heartbeat is stale (DEBTBOARD_WORKER_HEARTBEAT_STALE)."""
    return float(settings.DEBTBOARD_WORKER_HEARTBEAT_STALE)
