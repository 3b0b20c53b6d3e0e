"""No app filters another app's querysets by that app's field names (a coupling import-linter cannot see).

An ORM lookup (`filter(current_scan__file_scores__hotspot_rank__lte=…)`, `values("analysis__markers__tag")`,
`Q(hotspot_score__gte=…)`) written outside the app that owns the model names that app's fields. This test
reads the source of every module outside an app and flags each lookup whose first step is a field of the
app's models but of none of the calling app's own models: the caller should pass that filter to a
selector of the owning app instead. A lookup through the caller's own foreign key
(`DebtItem.objects.filter(repository__name=…)`) starts at its own field and is allowed.
"""
import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("metrics", "debt", "sprints")
CALLER_APPS = ("metrics", "debt", "sprints", "api", "frontend")
QUERY_METHODS = {
    "filter", "exclude", "get", "values", "values_list", "order_by", "annotate", "aggregate", "select_related",
    "prefetch_related", "only", "defer", "distinct", "Q", "F", "get_or_create", "update_or_create",
}


def field_names(app_label: str) -> set[str]:
    """Every field and relation name (forward and reverse) of an app's models."""
    names: set[str] = set()
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.get_fields():
            names.add(field.name)
            related_query = getattr(field, "related_query_name", None)
            if callable(related_query):
                names.add(related_query())
    return names


def lookups(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, lookup) for every keyword and string argument of a query-method call."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in QUERY_METHODS:
            continue
        found += [(node.lineno, keyword.arg) for keyword in node.keywords if keyword.arg]
        found += [(node.lineno, arg.value.lstrip("-")) for arg in node.args
                  if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return found


def foreign_lookups(caller: str) -> list[str]:
    """Lookups in `caller`'s modules that start at another domain app's field and none of the caller's."""
    own = field_names(caller)  # an interface app may have models of its own (api: ApiToken)
    foreign = {app: field_names(app) - own for app in DOMAIN_APPS if app != caller}
    problems = []
    for path in sorted((ROOT / caller).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        problems += module_foreign_lookups(path, foreign)
    return problems


def module_foreign_lookups(path: Path, foreign: dict[str, set[str]]) -> list[str]:
    """One module's lookups that go through a relation starting at a field of a `foreign` app (app -> names)."""
    problems = []
    for line, lookup in lookups(ast.parse(path.read_text(), filename=str(path))):
        first = lookup.split("__", 1)[0]
        owners = [app for app, names in foreign.items() if first in names and "__" in lookup]
        if owners:
            problems.append(f"{path.relative_to(ROOT)}:{line}: {lookup!r} names {owners[0]}'s fields")
    return problems


@pytest.mark.parametrize("caller", CALLER_APPS)
def test_no_app_filters_another_apps_querysets_by_its_field_names(caller):
    assert foreign_lookups(caller) == []


def test_the_check_sees_a_leak_like_the_ones_issue_10_removed():
    tree = ast.parse("repositories.filter(current_scan__file_scores__hotspot_rank__lte=5)\n"
                     "rows.values('path', 'analysis__markers__tag')\n")
    found = {lookup for _, lookup in lookups(tree)}
    metrics_fields = field_names("metrics")
    leaks = {lookup for lookup in found if "__" in lookup and lookup.split("__", 1)[0] in metrics_fields}
    assert leaks == {"current_scan__file_scores__hotspot_rank__lte", "analysis__markers__tag"}
