"""`owners REPO [--file PATH]` prints who wrote each file, the knowledge islands and the CODEOWNERS owners."""
from typing import Any

from django.core.management.base import CommandParser

from debtboard.commands import DebtboardCommand
from metrics.management.output import FORMATS, Column, percent, render_csv, render_json, render_table
from metrics.selectors.hotspots import code_owner_list, file_author_list, knowledge_island_list
from metrics.selectors.repositories import repository_get, scan_current

AUTHOR_COLUMNS = [
    Column("path"),
    Column("author"),
    Column("email"),
    Column("commits", right=True),
    Column("added_lines", "added lines", right=True),
    Column("share", right=True, show=percent),
]
# Both lists cover all history: FileAuthor rows are kept for all history, and the islands listed are the
# all-history ones ("single author ever"; docs/scoring.md).
ISLAND_COLUMNS = [
    Column("path"),
    Column("main_author", "main author all"),
    Column("ownership_share", "share all", right=True, show=percent),
    Column("hotspot_rank", "hotspot rank all", right=True),
    Column("island_label", "period"),
]
OWNER_COLUMNS = [Column("path"), Column("owners"), Column("pattern"), Column("line", right=True)]
CSV_COLUMNS = [*AUTHOR_COLUMNS, Column("knowledge_island"), Column("code_owners")]


def _csv_rows(authors: list[dict[str, Any]], islands: list[dict[str, Any]],
              owners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The author rows with two more columns: is the file a knowledge island, and its CODEOWNERS owners."""
    island_paths = {row["path"] for row in islands}
    owners_by_path = {row["path"]: " ".join(row["owners"]) for row in owners}
    for row in authors:
        row["knowledge_island"] = row["path"] in island_paths
        row["code_owners"] = owners_by_path.get(row["path"], "")
    return authors


class Command(DebtboardCommand):
    help = "Print authorship per file (shares of added lines), knowledge islands and CODEOWNERS owners."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("repo", metavar="REPO", help="repository name")
        parser.add_argument("--file", default="", metavar="PATH", help="only this file")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def run(self, **options: Any) -> None:
        scan = scan_current(repository=repository_get(name=options["repo"]))
        path = options["file"]
        authors = list(file_author_list(scan=scan, path=path).values(*[c.key for c in AUTHOR_COLUMNS]))
        islands_qs = knowledge_island_list(scan=scan)
        if path:
            islands_qs = islands_qs.filter(path=path)
        islands = list(islands_qs.values(*[c.key for c in ISLAND_COLUMNS]))
        owners = list(code_owner_list(scan=scan, path=path).values(*[c.key for c in OWNER_COLUMNS]))
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(render_json({"authors": authors, "knowledge_islands": islands, "code_owners": owners}))
        elif fmt == "csv":
            self.stdout.write(render_csv(_csv_rows(authors, islands, owners), CSV_COLUMNS))
        else:
            sections = [("Authors over all history (share of added lines)", authors, AUTHOR_COLUMNS),
                        ("Knowledge islands over all history (single author ever)", islands, ISLAND_COLUMNS),
                        ("CODEOWNERS", owners, OWNER_COLUMNS)]
            for title, rows, columns in sections:
                self.stdout.write(f"{title}:")
                self.stdout.write(render_table(rows, columns))
                self.stdout.write("")
