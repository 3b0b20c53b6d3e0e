"""App configuration for debt: connects the register's post-scan step to metrics' scan_finished signal."""
from django.apps import AppConfig


class DebtConfig(AppConfig):
    name = "debt"
    verbose_name = "debt"

    def ready(self) -> None:
        from debt.services.scan_hooks import debt_scan_receiver
        from metrics.signals import scan_finished

        scan_finished.connect(debt_scan_receiver, dispatch_uid="debt.after_scan")
