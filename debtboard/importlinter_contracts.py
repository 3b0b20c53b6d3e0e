"""PublicModulesContract: an import-linter contract type allowing other packages only an app's public modules.

import-linter's own types are deny-lists (`forbidden`) or shapes (`layers`); this one is an allow-list, so a
new private module (`debt.rendering`, `metrics.management.output`, `metrics.tasks`) is private from the day
it is written. It is loaded by `lint-imports` only (import-linter is a dev dependency), never by Django.

Options:
- `apps`: the app packages whose insides are private (`metrics`, `debt`, ...).
- `public`: module names, relative to each app, that other packages may import, with their submodules
  (`services` allows `metrics.services.scans`).
- `allow`: further `importer -> imported` pairs, each a module and its submodules
  (`bench -> metrics.core`: the pure core is a library of its own).
"""
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class PublicModulesContract(Contract):
    """Only an app's public modules may be imported from outside the app."""

    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    allow = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def _allowed(self, importer: str, imported: str, app: str) -> bool:
        if imported == app or any(_within(imported, f"{app}.{name}") for name in self.public):
            return True
        for pair in self.allow:
            allowed_importer, _, allowed_imported = (part.strip() for part in pair.partition("->"))
            if _within(importer, allowed_importer) and _within(imported, allowed_imported):
                return True
        return False

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        violations: list[dict[str, Any]] = []
        for app in self.apps:
            for imported in sorted(m for m in graph.modules if _within(m, app)):
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if _within(importer, app) or self._allowed(importer, imported, app):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = sorted({detail["line_number"] for detail in details})
                    violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{number}" for number in violation["lines"])
            output.print_error(f"{violation['importer']} -> {violation['imported']} ({lines}): not a public module",
                               bold=False)
            output.new_line()
        output.print(f"Other packages may import only {', '.join(self.public)} of an app.")
