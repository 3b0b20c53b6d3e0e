"""The debt management commands: export, import with a report, refresh from the current scan."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from debt.models import DebtItem
from debt.services.items import debt_item_create
from tests.debt.factories import T0, make_file, make_repository, make_scan


@pytest.mark.django_db
def test_export_import_and_refresh_commands(tmp_path):
    repository = make_repository("demo")
    debt_item_create(repository=repository, title="Split the parser", external_id="D-1", labels=["parser"])
    target = tmp_path / "debt.json"
    call_command("debt_export", "demo", "--format", "json", "-o", str(target))
    assert '"Split the parser"' in target.read_text()

    bad = tmp_path / "bad.csv"
    bad.write_text("title,impact\nGood,2\nBad,7\n")
    out, err = StringIO(), StringIO()
    call_command("debt_import", "demo", str(bad), stdout=out, stderr=err)
    assert "1 created, 0 updated, 0 unchanged, 1 rows refused" in out.getvalue()
    assert "row 3: impact: impact must be a whole number from 1 to 5; got 7." in err.getvalue()

    scan = make_scan(repository, committed_at=T0)
    make_file(scan, "app.py", markers=[("FIXME", 4, "leaks a file handle")])
    out = StringIO()
    call_command("debt_refresh", "demo", stdout=out)
    assert f"scan {scan.pk}: 0 links renamed, 1 proposals (1 markers" in out.getvalue()
    assert DebtItem.objects.filter(marker_tag="FIXME").exists()
    with pytest.raises(CommandError, match="No repository"):
        call_command("debt_refresh", "nope")
