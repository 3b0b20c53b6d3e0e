"""Output of the metrics management commands: aligned tables, JSON, CSV, and a live scan progress display."""
import csv
import io
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

from debtboard.spreadsheets import defuse_formula
from metrics.data import ScanCounts

FORMATS = ("table", "json", "csv")
STAGE_UNITS = {"mining": " commits", "analysis": " files", "scoring": " steps"}


@dataclass(frozen=True)
class Column:
    """One output column: the row key, its table heading and how a table cell shows the value."""

    key: str
    title: str = ""
    show: Callable[[Any], str] | None = None
    right: bool = False  # right-align (numbers)

    def heading(self) -> str:
        return self.title or self.key.replace("_", " ")

    def cell(self, row: dict[str, Any]) -> str:
        value = row.get(self.key)
        if self.show is not None:
            return self.show(value)
        return plain(value)


def plain(value: Any) -> str:
    """A value as table text: blank for None, ISO dates, compact floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return " ".join(plain(item) for item in value)
    return str(value)


def percent(value: Any) -> str:
    """A share in [0, 1] as a percentage."""
    return "" if value is None else f"{float(value) * 100:.0f}%"


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """Rows as an aligned text table with a heading line."""
    cells = [[column.cell(row) for column in columns] for row in rows]
    headings = [column.heading() for column in columns]
    widths = [max([len(h), *(len(line[i]) for line in cells)]) for i, h in enumerate(headings)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if c.right else v.ljust(w) for v, w, c in zip(values, widths, columns)]
        return "  ".join(parts).rstrip()

    if not cells:
        return "\n".join([line(headings), line(["-" * w for w in widths]), "(none)"])
    return "\n".join([line(headings), line(["-" * w for w in widths]), *(line(values) for values in cells)])


def render_json(data: Any) -> str:
    """Data as indented JSON (dates in ISO 8601)."""
    return json.dumps(data, indent=2, default=_json_default, ensure_ascii=False)


def render_csv(rows: Iterable[dict[str, Any]], columns: Sequence[Column]) -> str:
    """Rows as CSV with a header of column keys; raw values, not table formatting (formulas defused)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.key for column in columns])
    for row in rows:
        writer.writerow([_csv_value(row.get(column.key)) for column in columns])
    return buffer.getvalue().rstrip("\n")


def render(rows: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str) -> str:
    """Rows in one of FORMATS."""
    if fmt == "json":
        return render_json([{column.key: row.get(column.key) for column in columns} for row in rows])
    if fmt == "csv":
        return render_csv(rows, columns)
    return render_table(rows, columns)


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _csv_value(value: Any) -> Any:
    """A cell: dates in ISO 8601, lists space-separated, text that starts like a formula defused."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return defuse_formula(" ".join(str(item) for item in value))
    return defuse_formula(value)


class ScanProgressDisplay:
    """Shows a scan's stage and progress: a tqdm bar on a terminal, plain log lines otherwise."""

    def __init__(self, stream: TextIO | None = None, *, label: str = "", log_every: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.log_every = log_every
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.bar: Any = None
        self.stage = ""
        self.last_log = 0.0
        self.stage_started = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self._start_stage(stage)
        if self.bar is not None:
            if total and self.bar.total != total:
                self.bar.total = total
            if done > self.bar.n:
                self.bar.update(done - self.bar.n)  # tqdm throttles redraws and computes rate and ETA
        elif time.monotonic() - self.last_log >= self.log_every:
            self._log(f"{stage}: {done}" + (f"/{total}" if total else ""))

    def close(self) -> None:
        """Finish the last bar (or log line)."""
        self._close_bar()

    def _start_stage(self, stage: str) -> None:
        self._close_bar()
        self.stage = stage
        self.stage_started = time.monotonic()
        prefix = f"{self.label} " if self.label else ""
        if self.interactive:
            from tqdm import tqdm

            self.bar = tqdm(total=None, desc=f"{prefix}{stage:<9}", unit=STAGE_UNITS.get(stage, " items"),
                            file=self.stream,
                            dynamic_ncols=True, leave=True, mininterval=0.1)
        else:
            self._log(f"{stage} ...")

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.refresh()
            self.bar.close()
            self.bar = None
        elif self.stage:
            self._log(f"{self.stage} done in {time.monotonic() - self.stage_started:.1f} s")

    def _log(self, text: str) -> None:
        self.last_log = time.monotonic()
        prefix = f"{self.label} " if self.label else ""
        self.stream.write(f"{time.strftime('%H:%M:%S')} {prefix}{text}\n")
        self.stream.flush()


def scan_outcome(scan: Any) -> str:
    """One line saying how a scan ended, with its main counts."""
    counts = ScanCounts.from_json(scan.counts)
    seconds = counts.seconds.get("total")
    where = f"{scan.repository.name} at {scan.commit_sha[:10] or scan.revision}"
    if scan.committed_at:
        where += f" ({scan.committed_at:%Y-%m-%d})"
    if not scan.succeeded:
        return f"Scan {scan.pk} of {where} {scan.status}: {scan.error}"
    details = []
    if counts.analysis is not None:
        details.append(f"{counts.analysis.files} Python files ({counts.analysis.cached} from the cache)")
    if counts.mining is not None:
        details.append(f"{counts.mining.new_commits} new commits mined")
    if seconds is not None:
        details.append(f"{seconds:.1f} s")
    return f"Scan {scan.pk} of {where} succeeded" + (": " + ", ".join(details) if details else ".")


AFTER_SCAN_LINES = {
    "queued": "Its post-scan step (debt register, sprint snapshots) is queued: the worker runs it "
              "(`debtboard scan_worker`); `debtboard scan --wait` waits for it.",
    "running": "Its post-scan step (debt register, sprint snapshots) is running in the worker.",
    "succeeded": "Its post-scan step (debt register, sprint snapshots) succeeded{seconds}.",
    "skipped": "Its post-scan step was skipped: a newer scan became current first.",
    "failed": "Its post-scan step (debt register, sprint snapshots) failed{seconds}: {error}",
}


def after_scan_outcome(scan: Any) -> str:
    """One line saying where a scan's post-scan step is ("" for a scan without one)."""
    template = AFTER_SCAN_LINES.get(scan.after_status, "")
    seconds = ""
    if scan.after_started_at and scan.after_finished_at:
        seconds = f" in {(scan.after_finished_at - scan.after_started_at).total_seconds():.1f} s"
    return template.format(seconds=seconds, error=scan.after_error)


def scan_run_displayed(*, scan_id: int, stream: TextIO, label: str) -> Any:
    """Run a scan in this process with its progress shown on `stream`; return the finished Scan."""
    from metrics.services.scans.runs import scan_run  # the scan pipeline loads only for the commands that scan

    display = ScanProgressDisplay(stream, label=label)
    try:
        return scan_run(scan_id=scan_id, progress=display)
    finally:
        display.close()
