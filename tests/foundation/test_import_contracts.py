"""PublicModulesContract: the allow-list contract reports every import of an app's private module from outside."""
from grimp import ImportGraph

from debtboard.importlinter_contracts import PublicModulesContract


def _graph(imports: list[tuple[str, str]]) -> ImportGraph:
    graph = ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import x")
    return graph


def _contract(**options: object) -> PublicModulesContract:
    return PublicModulesContract(name="public", session_options={}, contract_options={
        "apps": ["metrics", "debt"], "public": ["services", "selectors", "data", "errors", "choices"], **options,
    })


def test_public_modules_and_their_submodules_may_be_imported_from_other_apps() -> None:
    graph = _graph([("debt.services.x", "metrics.selectors.repositories"), ("debt.data", "metrics.choices"),
                    ("metrics.services.scans", "metrics.models"), ("frontend.views", "debt.services")])
    assert _contract().check(graph, verbose=False).kept


def test_any_other_module_of_an_app_is_private() -> None:
    graph = _graph([("frontend.views.debt", "debt.rendering"), ("debt.services.x", "metrics.models"),
                    ("bench.bench_scan", "metrics.core.blobs"), ("frontend.views.board", "debt.selectors")])
    check = _contract().check(graph, verbose=False)
    assert not check.kept
    assert {(v["importer"], v["imported"]) for v in check.metadata["violations"]} == {
        ("frontend.views.debt", "debt.rendering"), ("debt.services.x", "metrics.models"),
        ("bench.bench_scan", "metrics.core.blobs"),
    }


def test_allow_names_an_importer_and_a_package_it_may_reach() -> None:
    graph = _graph([("bench.bench_scan", "metrics.core.blobs"), ("frontend.x", "metrics.core.blobs")])
    check = _contract(allow=["bench -> metrics.core"]).check(graph, verbose=False)
    violations = [(v["importer"], v["imported"]) for v in check.metadata["violations"]]
    assert violations == [("frontend.x", "metrics.core.blobs")]
