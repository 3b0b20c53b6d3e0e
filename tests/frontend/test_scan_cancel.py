"""The scan status fragment: progress with elapsed time and an estimate, and the staff-only "Cancel scan"."""
from django.utils import timezone

from metrics.models import Scan
from tests.frontend.factories import ScanFactory


def _running(shop) -> Scan:
    shop.scan.counts = {"seconds": {"fetching": 1.0, "mining": 4.0, "analysis": 20.0, "scoring": 5.0}}
    shop.scan.save(update_fields=["counts"])
    return ScanFactory(repository=shop.repository, status=Scan.Status.RUNNING, stage=Scan.Stage.ANALYSIS,
                       progress_done=5, progress_total=10, started_at=timezone.now(), finished_at=None,
                       heartbeat_at=timezone.now())


def test_the_status_shows_elapsed_time_and_an_estimate_from_the_previous_scan(client_user, shop):
    _running(shop)
    html = client_user.get("/repos/shop/scan/status/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "s elapsed" in html
    assert "about 15 s left" in html  # half of analysis (10 s) and scoring (5 s)
    assert "Cancel scan" not in html  # not staff


def test_staff_cancel_a_running_scan_and_the_current_scan_stays(client_staff, shop):
    running = _running(shop)
    html = client_staff.get("/repos/shop/scan/status/").content.decode()
    assert f"/repos/shop/scans/{running.pk}/cancel/" in html and "csrfmiddlewaretoken" in html
    response = client_staff.post(f"/repos/shop/scans/{running.pk}/cancel/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    running.refresh_from_db()
    assert running.status == Scan.Status.CANCELLED
    assert "previous results stay current" in response.content.decode()
    shop.repository.refresh_from_db()
    assert shop.repository.current_scan_id == shop.scan.pk
    again = client_staff.post(f"/repos/shop/scans/{running.pk}/cancel/", HTTP_HX_REQUEST="true")
    assert 'role="alert"' in again.content.decode() and "only a queued or running scan" in again.content.decode()


def test_cancel_is_for_staff_only_and_checks_the_repository(client_user, client_staff, shop):
    running = _running(shop)
    assert client_user.post(f"/repos/shop/scans/{running.pk}/cancel/").status_code == 403
    assert client_staff.post(f"/repos/shop/scans/{shop.scan.pk + 1000}/cancel/").status_code == 404
    running.refresh_from_db()
    assert running.status == Scan.Status.RUNNING
