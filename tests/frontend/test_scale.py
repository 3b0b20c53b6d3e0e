"""Every main page at 10,000 files: a constant, small number of queries (no N+1)."""
from datetime import datetime, timezone

import pytest

from debt.models import DebtItem, DebtLocation
from metrics.models import BlobAnalysis
from tests.frontend.factories import bulk_scanned_repository

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
STATUSES = ("proposed", "accepted", "planned", "in_progress", "done")


@pytest.fixture(scope="module")
def huge(django_db_setup, django_db_blocker):
    """Built once for the module (bulk-creating 20,000 rows takes seconds), committed, removed at the end."""
    with django_db_blocker.unblock():
        built = bulk_scanned_repository(files=10_000)
        items = DebtItem.objects.bulk_create([
            DebtItem(repository=built.repository, title=f"Debt {i}", status=STATUSES[i % 5], impact=1 + i % 5,
                     effort=1 + i % 8, priority=i / 10, created_at=NOW, updated_at=NOW)
            for i in range(300)
        ])
        DebtLocation.objects.bulk_create([
            DebtLocation(item=item, path=built.paths[i], original_path=built.paths[i], created_at=NOW)
            for i, item in enumerate(items)
        ])
    yield built
    with django_db_blocker.unblock():
        blobs = [blob.pk for blob in built.blobs.values()]
        built.repository.delete()
        BlobAnalysis.objects.filter(pk__in=blobs).delete()


@pytest.mark.parametrize(("url", "most"), [
    ("/", 8),
    ("/repos/huge/", 10),
    ("/repos/huge/hotspot-map.json", 5),  # 5: the user's role on the repository
    ("/repos/huge/hotspots/", 9),
    ("/repos/huge/hotspots/?sort=-churn&path=pkg03/&page=3", 9),
    ("/repos/huge/functions/?sort=-complexity", 9),
    ("/repos/huge/files/pkg00/mod00/file00000.py", 20),
    ("/repos/huge/debt/", 14),
    ("/debt/?status=all", 14),
    ("/repos/huge/board/", 21),
    ("/repos/huge/proposals/", 10),
])
def test_main_pages_need_few_queries_with_ten_thousand_files(client_user, huge, url, most,
                                                             django_assert_max_num_queries):
    with django_assert_max_num_queries(most):
        response = client_user.get(url)
    assert response.status_code == 200


def test_hotspot_map_holds_every_file_and_folder(client_user, huge):
    data = client_user.get("/repos/huge/hotspot-map.json").json()
    assert data["files"] == 10_000
    assert len(data["ids"]) == 1 + 20 + 20 * 25 + 10_000


def test_csv_export_streams_all_rows_in_few_queries(client_user, huge, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = b"".join(client_user.get("/repos/huge/hotspots.csv").streaming_content)
    assert body.count(b"\n") == 10_001
