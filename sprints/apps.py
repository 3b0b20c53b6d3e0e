"""App configuration for sprints: connects the sprint snapshots to metrics' scan_finished signal."""
from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    verbose_name = "sprints"

    def ready(self) -> None:
        from metrics.signals import scan_finished
        from sprints.services.scan_hooks import sprint_scan_receiver

        scan_finished.connect(sprint_scan_receiver, dispatch_uid="sprints.after_scan")
