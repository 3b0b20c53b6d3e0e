"""The pages over a real scan: git history in tmp_path, the real pipeline (mining, radon, flake8, scoring)."""
import json
from datetime import timedelta

import pytest

from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.gitrepo import BASE_DATE

ADA = "Ada Lovelace <ada@example.com>"
GRACE = "Grace Hopper <grace@example.com>"

BILLING_V1 = '''\
"""Billing."""


def total(items):
    return sum(item.price for item in items)
'''
BILLING_V2 = '''\
"""Billing."""
import os


def total(items, discount=None, tax=None):
    # TODO: move tax rules out of here
    result = 0
    for item in items:
        if item.free:
            continue
        if discount and item.code in discount:
            result += item.price * (1 - discount[item.code])
        elif tax:
            result += item.price * (1 + tax)
        else:
            result += item.price
    return result
'''


def run_scan(repository):
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == "succeeded", scan.error
    return scan


@pytest.mark.django_db
def test_pages_show_a_real_scanned_repository(git_repo, client_user, settings):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"shop/__init__.py": "", "shop/billing.py": BILLING_V1,
                                    "shop/cart.py": '"""Cart."""\n\n\nclass Cart:\n    pass\n',
                                    "CODEOWNERS": "shop/ @shop-team\n"}, author=ADA, date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="real")
    run_scan(repository)
    git_repo.commit("discounts and tax", files={"shop/billing.py": BILLING_V2}, author=GRACE,
                    date=BASE_DATE + timedelta(days=5))
    run_scan(repository)

    dashboard = client_user.get("/repos/real/").content.decode()
    trend = json.loads(dashboard.split('<script id="trend-data" type="application/json">')[1].split("</script>")[0])
    assert len(trend["x"]) == 2 and trend["complexity"][1] > trend["complexity"][0]

    tree = client_user.get("/repos/real/hotspot-map.json").json()
    assert {"shop/", "shop/billing.py", "shop/cart.py"} <= set(tree["ids"])

    ranking = client_user.get("/repos/real/hotspots/").content.decode()
    assert ranking.index("shop/billing.py") < ranking.index("shop/cart.py")  # changed twice and complex

    page = client_user.get("/repos/real/files/shop/billing.py").content.decode()
    assert "total" in page and "F401" in page and "move tax rules out of here" in page
    assert "@shop-team" in page and "Grace Hopper" in page
    history = json.loads(page.split('<script id="history-data" type="application/json">')[1].split("</script>")[0])
    assert len(history["x"]) == 2 and history["complexity"][0] < history["complexity"][1]

    functions = client_user.get("/repos/real/functions/").content.decode()
    assert "total" in functions

    inbox = client_user.get("/repos/real/proposals/").content.decode()
    assert "move tax rules out of here" in inbox
