"""The register behind the real scan pipeline: git, mining, radon and the post-scan listener together."""
from datetime import timedelta

import pytest

from debt.models import DebtItem
from debt.selectors.items import debt_item_list
from debt.selectors.proposals import debt_proposal_list
from debt.services.payoff import debt_item_resolution_confirm
from debt.services.scan_hooks import debt_scan_receiver
from metrics.models import Scan
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from metrics.signals import scan_finished
from tests.gitrepo import BASE_DATE

GRACE = "Grace Hopper <grace@example.com>"
ADA = "Ada Lovelace <ada@example.com>"

WITH_TODO = '''\
"""Parsing."""


def parse(text):
    # TODO: handle empty input
    return text.split()
'''
WITHOUT_TODO = '''\
"""Parsing."""


def parse(text):
    if not text:
        return []
    return text.split()
'''


def run_scan(repository):
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.succeeded, scan.error
    return scan


def assert_proposed_from_the_todo(item, *, written, scan):
    """The proposal names the TODO, who wrote it in which commit, and was measured at `scan`."""
    assert (item.marker_tag, item.marker_line) == ("TODO", 5)
    assert "handle empty input" in item.title
    assert (item.marker_author, item.marker_commit) == ("Grace Hopper", written)
    assert item.marker_added_at == BASE_DATE + timedelta(days=3)
    assert item.interest_evidence["scan_id"] == scan.pk
    assert item.interest_evidence["revisions"] == 2  # both commits touched app/parse.py in 90 days


def assert_looks_resolved_by(item, *, removed, previous, scan):
    """The item looks resolved, with the commit that removed the marker between the two scans as evidence."""
    assert item.looks_resolved
    evidence = item.resolution_evidence
    assert evidence["kind"] == "marker_removed"
    assert (evidence["commit"]["sha"], evidence["commit"]["author"]) == (removed, "Ada Lovelace")
    assert (evidence["previous_scan_id"], evidence["scan_id"]) == (previous.pk, scan.pk)


@pytest.mark.django_db
def test_a_todo_is_proposed_after_a_scan_and_looks_resolved_after_the_commit_removing_it(git_repo):
    assert debt_scan_receiver in scan_finished._live_receivers(Scan)[0]  # connected by debt's AppConfig.ready()
    git_repo.commit("start", files={"app/__init__.py": "", "app/parse.py": '"""Parsing."""\n'}, author=ADA,
                    date=BASE_DATE)
    written = git_repo.commit("parse words", files={"app/parse.py": WITH_TODO}, author=GRACE,
                              date=BASE_DATE + timedelta(days=3))
    repository = repository_create(source=str(git_repo.path), name="sample")

    first = run_scan(repository)
    item = debt_proposal_list(repository=repository).get(source="marker")
    assert_proposed_from_the_todo(item, written=written, scan=first)

    removed = git_repo.commit("handle empty input", files={"app/parse.py": WITHOUT_TODO}, author=ADA,
                              date=BASE_DATE + timedelta(days=10))
    second = run_scan(repository)
    assert second.counts.get("listener_errors") is None
    item.refresh_from_db()
    assert_looks_resolved_by(item, removed=removed, previous=first, scan=second)
    assert list(debt_item_list(repository=repository, looks_resolved=True)) == [item]
    assert DebtItem.objects.filter(repository=repository, source="marker").count() == 1

    done = debt_item_resolution_confirm(item=item)
    assert done.status == "done"
