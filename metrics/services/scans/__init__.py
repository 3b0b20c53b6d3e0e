"""The scan services, one module per concern: requests, runs, retention, backfill, dispatch (docs/scanning.md)."""
