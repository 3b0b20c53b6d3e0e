"""Answers cached under the repository's current scan: a new scan invalidates them, ETag/304, no leak across users."""
from datetime import timedelta

import pytest
from django.test import Client
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from metrics.models import FileScore
from metrics.services.access import repository_member_set
from metrics.services.repositories import repository_create
from metrics.services.scans.requests import scan_request
from metrics.services.scans.runs import scan_run
from tests.gitrepo import BASE_DATE

HOTSPOTS = "/api/v1/repositories/real/hotspots/"
MODULE = '"""A module."""\n\n\ndef f(x):\n    if x:\n        return 1\n    return 2\n'


def run_scan(repository):
    scan = scan_run(scan_id=scan_request(repository=repository, enqueue=False).pk)
    assert scan.status == "succeeded", scan.error
    return scan


def hits(part: str) -> float:
    return REGISTRY.get_sample_value("debtboard_answer_cache_lookups_total", {"part": part, "result": "hit"}) or 0


@pytest.fixture
def scanned(git_repo, settings):
    settings.DEBTBOARD_ANALYSIS_WORKERS = 1
    git_repo.commit("start", files={"a.py": MODULE, "b.py": MODULE}, date=BASE_DATE)
    repository = repository_create(source=str(git_repo.path), name="real")
    run_scan(repository)
    return repository


def logged_in(user) -> tuple[APIClient, Client]:
    api, pages = APIClient(), Client()
    api.force_authenticate(user)
    pages.force_login(user)
    return api, pages


def paths(response) -> set[str]:
    return {row["path"] for row in response.json()["results"]}


def answers(api, pages) -> tuple[set[str], set[str], set[str]]:
    """The files named by the API list, the ranking page and the treemap JSON."""
    ranking = pages.get("/repos/real/hotspots/").content.decode()
    tree = set(pages.get("/repos/real/hotspot-map.json").json()["ids"])
    return paths(api.get(HOTSPOTS)), {name for name in ("a.py", "b.py", "c.py") if name in ranking}, tree & ALL


ALL = {"a.py", "b.py", "c.py"}


@pytest.mark.django_db
def test_a_new_scan_replaces_the_cached_answers_without_a_purge(scanned, git_repo, user):
    api, pages = logged_in(user)
    assert answers(api, pages) == ({"a.py", "b.py"},) * 3
    before = hits("api.hotspot"), hits("ranking.files"), hits("treemap")

    # The rows change behind the cache's back: the same scan answers from the cache, the rows are not read.
    FileScore.objects.filter(path="b.py").delete()
    assert answers(api, pages) == ({"a.py", "b.py"},) * 3
    assert (hits("api.hotspot"), hits("ranking.files"), hits("treemap")) == tuple(n + 1 for n in before)

    git_repo.commit("more", files={"c.py": MODULE}, date=BASE_DATE + timedelta(days=1))
    run_scan(scanned)  # a real scan: the repository's current scan changes, so does every key
    assert answers(api, pages) == (ALL,) * 3


@pytest.mark.django_db
def test_api_answers_carry_an_etag_and_a_matching_if_none_match_gets_304(scanned, git_repo, user):
    api, _ = logged_in(user)
    first = api.get(HOTSPOTS)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = api.get(HOTSPOTS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert api.get(HOTSPOTS + "?ordering=-path", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another body

    git_repo.commit("more", files={"c.py": MODULE}, date=BASE_DATE + timedelta(days=1))
    run_scan(scanned)
    changed = api.get(HOTSPOTS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.django_db
def test_a_cached_answer_never_reaches_a_user_who_may_not_read_the_repository(
        scanned, settings, django_user_model):
    settings.DEBTBOARD_DEFAULT_ROLE = "none"  # private repositories: only members read them
    alice = django_user_model.objects.create_user(username="alice", password="x-not-used-123")
    bob = django_user_model.objects.create_user(username="bob", password="x-not-used-123")
    repository_member_set(repository=scanned, username="alice", role="viewer")
    alice_api, alice_pages = logged_in(alice)
    bob_api, bob_pages = logged_in(bob)
    warm = alice_api.get(HOTSPOTS)
    assert warm.status_code == 200
    for url in ("/repos/real/hotspots/", "/repos/real/functions/", "/repos/real/hotspot-map.json", "/repos/real/"):
        assert alice_pages.get(url).status_code == 200

    assert bob_api.get(HOTSPOTS).status_code == 404
    assert bob_api.get(HOTSPOTS, HTTP_IF_NONE_MATCH=warm["ETag"]).status_code == 404  # not a 304 either
    assert bob_api.get("/api/v1/repositories/real/functions/").status_code == 404
    for url in ("/repos/real/hotspots/", "/repos/real/functions/", "/repos/real/hotspot-map.json", "/repos/real/"):
        assert bob_pages.get(url).status_code == 404
