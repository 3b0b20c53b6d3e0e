"""The scan services import one way: requests | backfill -> dispatch -> metrics.tasks -> runs, never back."""
import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("metrics")


def test_the_scan_runner_never_imports_the_tasks_or_their_dispatch(graph):
    for imported in ("metrics.tasks", "metrics.services.scans.dispatch", "metrics.services.scans.requests"):
        assert not graph.chain_exists(importer="metrics.services.scans.runs", imported=imported)
    assert graph.chain_exists(importer="metrics.services.scans.dispatch", imported="metrics.tasks")


def test_the_scans_package_root_is_only_a_docstring(graph):
    assert graph.find_modules_directly_imported_by("metrics.services.scans") == set()
