"""The analysis pool's server process, started by a command before it sets Django up.

Importable before Django is configured (it touches no model or setting): `debtboard scan` calls
`analysis_server_start` first thing, so the server's import of radon and flake8 (metrics.core.pool_server)
overlaps the command's own start-up instead of delaying the scan's first analysis. docs/scanning.md,
"Where the time goes (issue 16)".
"""
from metrics.core.pool import start_server


def analysis_server_start() -> None:
    """Start the analysis pool's server process now, without waiting for it to be ready."""
    start_server()
