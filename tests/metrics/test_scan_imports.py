"""The scan services import one way: requests | backfill -> dispatch -> metrics.tasks -> runs, never back.

The one way back is the post-scan step (metrics.services.scans.after), which queues its own task
(`scan_after_task`) once a scan's results are visible, importing metrics.tasks inside that function."""
import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("metrics")


AFTER = "metrics.services.scans.after"


def reachable_without(graph: grimp.ImportGraph, start: str, skip: str) -> set[str]:
    """The modules `start` imports, directly or not, leaving out what only `skip` leads to."""
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module in seen or module == skip:
            continue
        seen.add(module)
        todo.extend(graph.find_modules_directly_imported_by(module))
    return seen


def test_the_scan_runner_never_imports_the_tasks_or_their_dispatch(graph):
    reachable = reachable_without(graph, "metrics.services.scans.runs", skip=AFTER)
    assert not reachable & {"metrics.tasks", "metrics.services.scans.dispatch", "metrics.services.scans.requests"}
    assert "metrics.tasks" in graph.find_modules_directly_imported_by(AFTER)  # the one way back, inside a function
    assert graph.chain_exists(importer="metrics.services.scans.dispatch", imported="metrics.tasks")


def test_the_scans_package_root_is_only_a_docstring(graph):
    assert graph.find_modules_directly_imported_by("metrics.services.scans") == set()
