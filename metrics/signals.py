"""The metrics app's signals: `scan_finished`, sent after a live scan succeeded and became current.

Receivers take `sender` (the Scan model) and `scan`, and are connected in their app's `ready()`. The scan
pipeline runs each receiver in its own transaction, times it, and records a failing one in the scan's
counts (`listener_errors`) without failing the scan; see metrics.services.scans.runs.
"""
from django.dispatch import Signal

scan_finished = Signal()
