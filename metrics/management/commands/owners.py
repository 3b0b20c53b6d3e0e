"""`owners REPO [--file PATH]` prints who wrote each file, the knowledge islands and the CODEOWNERS owners."""
from django.core.management.base import BaseCommand, CommandError

from debtboard.errors import DebtboardError
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
ISLAND_COLUMNS = [
    Column("path"),
    Column("main_author", "main author"),
    Column("ownership_share", "share", right=True, show=percent),
    Column("hotspot_rank", "hotspot rank", right=True),
]
OWNER_COLUMNS = [Column("path"), Column("owners"), Column("pattern"), Column("line", right=True)]
CSV_COLUMNS = [*AUTHOR_COLUMNS, Column("knowledge_island"), Column("code_owners")]


class Command(BaseCommand):
    help = "Print authorship per file (shares of added lines), knowledge islands and CODEOWNERS owners."

    def add_arguments(self, parser) -> None:
        parser.add_argument("repo", metavar="REPO", help="repository name")
        parser.add_argument("--file", default="", metavar="PATH", help="only this file")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args, **options) -> None:
        try:
            scan = scan_current(repository=repository_get(name=options["repo"]))
        except DebtboardError as exc:
            raise CommandError(exc.message) from exc
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
            island_paths = {row["path"] for row in islands}
            owners_by_path = {row["path"]: " ".join(row["owners"]) for row in owners}
            for row in authors:
                row["knowledge_island"] = row["path"] in island_paths
                row["code_owners"] = owners_by_path.get(row["path"], "")
            self.stdout.write(render_csv(authors, CSV_COLUMNS))
        else:
            sections = [("Authors (share of added lines)", authors, AUTHOR_COLUMNS),
                        ("Knowledge islands (one author wrote most of the file)", islands, ISLAND_COLUMNS),
                        ("CODEOWNERS", owners, OWNER_COLUMNS)]
            for title, rows, columns in sections:
                self.stdout.write(f"{title}:")
                self.stdout.write(render_table(rows, columns))
                self.stdout.write("")
