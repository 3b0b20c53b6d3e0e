"""Discovery after a scan: proposals from TODO/FIXME/HACK/XXX markers, top hotspots and knowledge islands."""
import logging
import re
import time
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from debt import lifecycle
from debt.conf import discovery_config
from debt.data import DiscoveryConfig, DiscoveryResult
from debt.fingerprints import hotspot_fingerprint, marker_fingerprint
from debt.models import DebtChange, DebtItem, DebtLocation
from debt.services.interest import debt_item_recompute_priorities
from debt.services.items import labels_for
from debtboard.text import clean_text
from metrics.choices import Window, window_label
from metrics.data import BlameReport, BlameRequest, RepositoryConfig, repository_config_from_json
from metrics.errors import RepositoryInvalid
from metrics.selectors.files import marker_rows
from metrics.selectors.hotspots import file_score_list, knowledge_island_list
from metrics.selectors.repositories import repository_window_days
from metrics.services.blame import files_blame

logger = logging.getLogger(__name__)

SIGNAL_MARKER = "marker"
SIGNAL_HOTSPOT = "hotspot"
SIGNAL_ISLAND = "knowledge_island"
KIND_BY_SIGNAL = {SIGNAL_HOTSPOT: DebtItem.Kind.CODE, SIGNAL_ISLAND: DebtItem.Kind.DOCUMENTATION}
LABEL_BY_SIGNAL = {SIGNAL_HOTSPOT: "hotspot", SIGNAL_ISLAND: "knowledge-island"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _repository_config(repository) -> RepositoryConfig:
    """The repository's configuration (the defaults if the stored one no longer validates)."""
    try:
        return repository_config_from_json(repository.config)
    except RepositoryInvalid:
        return RepositoryConfig()


def current_marker_map(scan, classes: tuple[str, ...] | None = None) -> dict[str, dict]:
    """Debt markers of a scan by fingerprint (first occurrence wins: identical markers in a file are one).

    `classes` keeps the markers of files of those classes (None: every file).
    """
    markers: dict[str, dict] = {}
    for row in marker_rows(scan=scan, classes=classes):
        marker = {
            "path": row.path,
            "tag": (row.tag or "").upper(),
            "line": row.line,
            "text": clean_text(row.text),
            "blob": row.blob_sha,
        }
        fingerprint = marker_fingerprint(tag=marker["tag"], text=marker["text"], path=marker["path"])
        markers.setdefault(fingerprint, marker)
    return markers


def marker_title(tag: str, text: str, path: str) -> str:
    """A marker proposal's title: the tag once, then what the comment says after it ("TODO: drop this")."""
    said = re.sub(rf"^{re.escape(tag)}\b\s*(?:\([^)]*\))?\s*[:\-]?\s*", "", text.strip(), flags=re.IGNORECASE)
    return f"{tag}: {_clip(said, 180)}" if said else f"{tag} in {_clip(path, 180)}"


def _marker_item(scan, fingerprint: str, marker: dict, config: DiscoveryConfig, now: datetime) -> DebtItem:
    tag, text, path, line = marker["tag"], marker["text"], marker["path"], marker["line"]
    title = marker_title(tag, text, path)
    description = (
        f"A `{tag}` comment in `{path}` line {line} at commit `{scan.commit_sha[:12]}`:\n\n> {_clip(text, 900)}\n"
    )
    return DebtItem(
        repository_id=scan.repository_id, title=_clip(title, 200), description=description,
        kind=DebtItem.Kind.CODE, status=lifecycle.PROPOSED, impact=config.marker_impact,
        effort=config.marker_effort, source=DebtItem.Source.MARKER, signal=SIGNAL_MARKER, fingerprint=fingerprint,
        marker_tag=tag[:32], marker_text=text[:1000], marker_line=line,
        created_at=now, updated_at=now, status_changed_at=now,
    )


def _pending_items(repository, markers: dict[str, dict]) -> list[DebtItem]:
    """Open marker proposals an earlier run left unattributed whose marker is still in the scan."""
    items = (
        DebtItem.objects.filter(repository=repository, source=DebtItem.Source.MARKER, marker_commit="",
                                dismissed=False, fingerprint__in=list(markers))
        .exclude(status__in=[lifecycle.DONE, lifecycle.WONT_FIX])
    )
    pending = list(items)
    for item in pending:
        item.marker_line = markers[item.fingerprint]["line"]  # where it stands at this scan
    return pending


def _marker_blame(scan, wanted: list[dict], config: DiscoveryConfig) -> BlameReport:
    """Attribute markers: one `git blame` per file for all its marker lines, cached by blob (no transaction)."""
    by_path: dict[str, set[int]] = defaultdict(set)
    blobs: dict[str, str] = {}
    for marker in wanted:
        by_path[marker["path"]].add(marker["line"])
        blobs[marker["path"]] = marker["blob"]
    if not by_path:
        return BlameReport(lines={})
    if not scan.commit_sha:
        return BlameReport(lines={}, failed=tuple(by_path))
    requests = [BlameRequest(path=path, blob_sha=blobs[path], lines=tuple(sorted(lines)))
                for path, lines in by_path.items()]
    return files_blame(repository=scan.repository, revision=scan.commit_sha, requests=requests,
                       max_files=config.max_blame_files, deadline=time.monotonic() + config.blame_seconds)


def _blamed_line(report: BlameReport, path: str, line: int | None):
    return report.lines.get(path, {}).get(line) if line is not None else None


def _attribute_pending(pending: list[DebtItem], markers: dict[str, dict], report: BlameReport) -> int:
    """Write the attribution of earlier proposals this run blamed; return how many were attributed."""
    done = []
    for item in pending:
        if _attribute(item, _blamed_line(report, markers[item.fingerprint]["path"], item.marker_line)):
            done.append(item)
    DebtItem.objects.bulk_update(
        done, ["marker_author", "marker_email", "marker_commit", "marker_added_at", "description"], batch_size=500
    )
    return len(done)


def _attribute(item: DebtItem, line) -> bool:
    """Set a marker item's author, commit and date from its blamed line (None: not attributed)."""
    if line is None:
        return False
    item.marker_author = line.author_name[:255]
    item.marker_email = line.author_email[:255]
    item.marker_commit = line.sha
    item.marker_added_at = line.authored_at
    if line.authored_at is not None:
        item.description += (
            f"\nWritten by {line.author_name} on {line.authored_at.date().isoformat()} "
            f"(commit `{line.sha[:12]}`).\n"
        )
    return True


def _covered_paths(repository) -> set[tuple[str, str]]:
    """(kind, path) pairs already covered by an item a person logged or kept (not markers, not done)."""
    rows = (
        DebtLocation.objects.filter(item__repository=repository)
        .exclude(item__status=lifecycle.DONE)
        .exclude(item__source=DebtItem.Source.MARKER)
        .values_list("item__kind", "path")
    )
    return set(rows)


def _is_covered(covered: set[tuple[str, str]], kind: str, path: str) -> bool:
    if (kind, path) in covered:
        return True
    parts = path.split("/")
    return any((kind, "/".join(parts[:depth]) + "/") in covered for depth in range(1, len(parts)))


def _hotspot_rows(scan, config: DiscoveryConfig, classes: tuple[str, ...]) -> list[tuple[str, object]]:
    """Hotspots meeting the minimums and knowledge islands, of the files of `classes`."""
    window = repository_window_days(repository=scan.repository)
    hotspots = file_score_list(scan=scan, window_days=window, min_score=config.hotspot_min_score, classes=classes,
                               ranked_only=True)
    islands = knowledge_island_list(scan=scan, window_days=Window.ALL, min_score=config.island_min_score,
                                    classes=classes)
    rows = [(SIGNAL_HOTSPOT, score) for score in hotspots[: config.hotspot_top]]
    rows += [(SIGNAL_ISLAND, score) for score in islands[: config.island_top]]
    return rows


def _hotspot_item(scan, signal: str, score, fingerprint: str, config: DiscoveryConfig, now) -> DebtItem:
    path = score.path
    if signal == SIGNAL_HOTSPOT:
        window = window_label(score.window_days)
        title = f"Hotspot: {path}"
        description = (
            f"`{path}` ranks #{score.hotspot_rank} among the hotspots over {window} "
            f"(score {score.hotspot_score:.0f}/100): {score.revisions} revisions, {score.authors} authors, "
            f"code health {score.health:.1f}/10. Code that is both complex and often changed costs interest "
            "on every change."
        )
    else:
        title = f"Knowledge island: {path}"
        description = (
            f"`{path}`: {score.main_author or 'one author'} wrote {score.ownership_share:.0%} of its lines "
            f"({score.island_label or 'single author ever'}; hotspot score {score.hotspot_score:.0f}/100). "
            "Knowledge held by one person is a "
            "risk: pair on it, review it, document it."
        )
    return DebtItem(
        repository_id=scan.repository_id, title=_clip(title, 200), description=description,
        kind=KIND_BY_SIGNAL[signal], status=lifecycle.PROPOSED, impact=config.hotspot_impact,
        effort=config.hotspot_effort, source=DebtItem.Source.HOTSPOT, signal=signal, fingerprint=fingerprint,
        created_at=now, updated_at=now, status_changed_at=now,
    )


def _refresh_marker_lines(repository, markers: dict[str, dict], known: set[str]) -> None:
    items = list(
        DebtItem.objects.filter(repository=repository, source=DebtItem.Source.MARKER, fingerprint__in=known)
        .only("id", "fingerprint", "marker_line")
    )
    changed = []
    for item in items:
        line = markers[item.fingerprint]["line"]
        if item.marker_line != line:
            item.marker_line = line
            changed.append(item)
    DebtItem.objects.bulk_update(changed, ["marker_line"], batch_size=500)


def _known_fingerprints(repository) -> set[str]:
    return set(DebtItem.objects.filter(repository=repository).exclude(fingerprint="")
               .values_list("fingerprint", flat=True))


def debt_item_discover(*, scan, recompute: bool = True) -> DiscoveryResult:
    """Propose debt from a finished scan's markers, top hotspots and knowledge islands, never twice.

    An item's fingerprint is its identity: a marker is repository + tag + normalised text + path
    (no line number), a hotspot is repository + signal + path. Any item with that fingerprint, in any
    status (a dismissed proposal too), keeps the same debt from being proposed again. A hotspot or
    knowledge-island proposal is also suppressed when an item of the same kind that is not done, and
    did not come from a marker, already links to the file or to a folder holding it.

    Markers are attributed (git blame) first, outside any transaction; then one short transaction writes
    (SQLite has one writer, and a blame of many files takes seconds).
    """
    repository = scan.repository
    repository_config = _repository_config(repository)
    config = discovery_config(repository_config)
    classes = repository_config.proposal_classes
    markers = current_marker_map(scan, classes)
    pending = _pending_items(repository, markers)
    known = _known_fingerprints(repository)
    wanted = [marker for fingerprint, marker in markers.items() if fingerprint not in known]
    wanted += [markers[item.fingerprint] for item in pending]
    report = _marker_blame(scan, wanted, config)
    deferred = set(report.deferred)
    return _discover_write(scan, markers, pending, report, config, classes=classes, recompute=recompute,
                           blame_deferred=sum(1 for marker in wanted if marker["path"] in deferred))


@transaction.atomic
def _discover_write(scan, markers: dict[str, dict], pending: list[DebtItem], report: BlameReport,
                    config: DiscoveryConfig, *, classes: tuple[str, ...], recompute: bool,
                    blame_deferred: int) -> DiscoveryResult:
    repository = scan.repository
    now = timezone.now()
    known = _known_fingerprints(repository)  # again: another run may have proposed some since
    _refresh_marker_lines(repository, markers, known & set(markers))
    caught_up = _attribute_pending(pending, markers, report)

    new_items: list[DebtItem] = []
    paths: dict[int, str] = {}
    for fingerprint, marker in markers.items():
        if fingerprint not in known:
            paths[len(new_items)] = marker["path"]
            item = _marker_item(scan, fingerprint, marker, config, now)
            _attribute(item, _blamed_line(report, marker["path"], marker["line"]))
            new_items.append(item)
    marker_count = len(new_items)

    covered = _covered_paths(repository)
    suppressed = 0
    counts = {SIGNAL_HOTSPOT: 0, SIGNAL_ISLAND: 0}
    for signal, score in _hotspot_rows(scan, config, classes):
        fingerprint = hotspot_fingerprint(kind=signal, path=score.path)
        if fingerprint in known:
            continue
        if _is_covered(covered, KIND_BY_SIGNAL[signal], score.path):
            suppressed += 1
            continue
        known.add(fingerprint)
        paths[len(new_items)] = score.path
        new_items.append(_hotspot_item(scan, signal, score, fingerprint, config, now))
        counts[signal] += 1

    _save_proposals(scan, new_items, paths, now)
    if recompute and new_items:
        debt_item_recompute_priorities(repository=repository, scan=scan)
    return DiscoveryResult(
        created=len(new_items), already_known=len(markers) - marker_count, suppressed=suppressed,
        markers=marker_count, hotspots=counts[SIGNAL_HOTSPOT], islands=counts[SIGNAL_ISLAND],
        blame_failures=len(report.failed), blame_deferred=blame_deferred, blame_caught_up=caught_up,
        blame_runs=report.git_runs, blame_cached=report.cached,
    )


def _label_name(item: DebtItem) -> str:
    if item.signal != SIGNAL_MARKER:
        return LABEL_BY_SIGNAL[item.signal]
    return re.sub(r"[^a-z0-9_-]", "", item.marker_tag.lower())[:50] or "marker"


def _save_proposals(scan, items: list[DebtItem], paths: dict[int, str], now: datetime) -> None:
    if not items:
        return
    DebtItem.objects.bulk_create(items, batch_size=500)
    locations = []
    for index, item in enumerate(items):
        line = item.marker_line if item.signal == SIGNAL_MARKER else None
        locations.append(DebtLocation(
            item=item, path=paths[index], original_path=paths[index], line_start=line, line_end=line,
            revision=scan.commit_sha if line else "", anchored_at=scan.committed_at, created_at=now,
        ))
    DebtLocation.objects.bulk_create(locations, batch_size=500)
    DebtChange.objects.bulk_create(
        [DebtChange(item=item, field="created", new_value=item.title, at=now) for item in items], batch_size=500
    )
    label_names = {item.pk: _label_name(item) for item in items}
    labels = {label.name: label for label in labels_for(set(label_names.values()))}
    through = DebtItem.labels.through
    through.objects.bulk_create(
        [through(debtitem_id=pk, label_id=labels[name].pk) for pk, name in label_names.items()], batch_size=500
    )
