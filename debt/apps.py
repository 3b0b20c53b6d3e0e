"""App configuration for debt: registers the register's post-scan step with the scan pipeline."""
from django.apps import AppConfig


class DebtConfig(AppConfig):
    name = "debt"
    verbose_name = "debt"

    def ready(self) -> None:
        from debt.services.scan_hooks import debt_scan_listener
        from metrics.services.scans import on_scan_finished

        on_scan_finished(debt_scan_listener)
