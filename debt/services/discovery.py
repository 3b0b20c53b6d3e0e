"""Discovery after a scan: proposals from TODO/FIXME/HACK/XXX markers, top hotspots and knowledge islands."""
import logging
import os
import re
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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
from metrics.data import RepositoryConfig, repository_config_from_json
from metrics.errors import GitFailed, RepositoryInvalid
from metrics.selectors.files import marker_rows
from metrics.selectors.hotspots import file_score_list, knowledge_island_list
from metrics.selectors.repositories import repository_window_days
from metrics.services.blame import file_blame_lines

logger = logging.getLogger(__name__)

SIGNAL_MARKER = "marker"
SIGNAL_HOTSPOT = "hotspot"
SIGNAL_ISLAND = "knowledge_island"
KIND_BY_SIGNAL = {SIGNAL_HOTSPOT: DebtItem.Kind.CODE, SIGNAL_ISLAND: DebtItem.Kind.DOCUMENTATION}
LABEL_BY_SIGNAL = {SIGNAL_HOTSPOT: "hotspot", SIGNAL_ISLAND: "knowledge-island"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _proposal_classes(repository) -> tuple[str, ...]:
    """The file classes the repository lets discovery propose from (production only by default)."""
    try:
        return repository_config_from_json(repository.config).proposal_classes
    except RepositoryInvalid:
        return RepositoryConfig().proposal_classes


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


@dataclass
class _BlameOutcome:
    failures: int = 0
    deferred: int = 0
    attributed: list[DebtItem] = field(default_factory=list)


def _blame_markers(scan, by_path: dict[str, list[DebtItem]], config: DiscoveryConfig, deadline: float
                   ) -> _BlameOutcome:
    """Attribute markers (author, commit, date) with one `git blame` per file at the scan's revision.

    Blames run on every core (the work is in the git processes, so threads suffice) until the time
    budget runs out; markers left over stay unattributed and a later scan catches up with them.
    """
    outcome = _BlameOutcome()
    if not scan.commit_sha:
        outcome.failures = len(by_path)
        return outcome
    ordered = sorted(by_path.items())
    # Files past the per-scan cap wait for a later scan, like those past the time budget.
    outcome.deferred = sum(len(items) for _path, items in ordered[config.max_blame_files:])
    ordered = ordered[:config.max_blame_files]
    repository = scan.repository  # loaded here: the threads below touch no database

    def blame(path: str, path_items: list[DebtItem]):
        if time.monotonic() > deadline:
            return None
        return file_blame_lines(repository=repository, revision=scan.commit_sha, path=path,
                                lines=[item.marker_line for item in path_items])

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="blame") as executor:
        futures = [(path_items, executor.submit(blame, path, path_items)) for path, path_items in ordered]
        for path_items, future in futures:
            try:
                blamed = future.result()
            except GitFailed as exc:
                logger.warning("debt discovery: %s", exc.message)
                outcome.failures += 1
                continue
            if blamed is None:
                outcome.deferred += len(path_items)
                continue
            _attribute(path_items, blamed)
            outcome.attributed.extend(path_items)
    return outcome


def _catch_up_blame(scan, config: DiscoveryConfig, deadline: float) -> int:
    """Attribute open marker proposals an earlier scan left unattributed; return how many were."""
    pending = list(
        DebtItem.objects.filter(repository=scan.repository, source=DebtItem.Source.MARKER, marker_commit="",
                                dismissed=False)
        .exclude(marker_line=None).exclude(status__in=[lifecycle.DONE, lifecycle.WONT_FIX])
        .prefetch_related("locations")
    )
    by_path: dict[str, list[DebtItem]] = defaultdict(list)
    for item in pending:
        locations = list(item.locations.all())
        if locations:
            by_path[locations[0].path].append(item)
    if not by_path or time.monotonic() > deadline:
        return 0
    outcome = _blame_markers(scan, by_path, config, deadline)
    done = [item for item in outcome.attributed if item.marker_commit]
    DebtItem.objects.bulk_update(
        done, ["marker_author", "marker_email", "marker_commit", "marker_added_at", "description"], batch_size=500
    )
    return len(done)


def _attribute(path_items: list[DebtItem], blamed: dict) -> None:
    for item in path_items:
        line = blamed.get(item.marker_line)
        if line is None:
            continue
        item.marker_author = line.author_name[:255]
        item.marker_email = line.author_email[:255]
        item.marker_commit = line.sha
        item.marker_added_at = line.authored_at
        if line.authored_at is not None:
            item.description += (
                f"\nWritten by {line.author_name} on {line.authored_at.date().isoformat()} "
                f"(commit `{line.sha[:12]}`).\n"
            )


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


@transaction.atomic
def debt_item_discover(*, scan, recompute: bool = True) -> DiscoveryResult:
    """Propose debt from a finished scan's markers, top hotspots and knowledge islands, never twice.

    An item's fingerprint is its identity: a marker is repository + tag + normalised text + path
    (no line number), a hotspot is repository + signal + path. Any item with that fingerprint, in any
    status (a dismissed proposal too), keeps the same debt from being proposed again. A hotspot or
    knowledge-island proposal is also suppressed when an item of the same kind that is not done, and
    did not come from a marker, already links to the file or to a folder holding it.
    """
    repository = scan.repository
    config = discovery_config()
    now = timezone.now()
    known = set(DebtItem.objects.filter(repository=repository).exclude(fingerprint="")
                .values_list("fingerprint", flat=True))
    classes = _proposal_classes(repository)
    markers = current_marker_map(scan, classes)
    _refresh_marker_lines(repository, markers, known & set(markers))

    new_items: list[DebtItem] = []
    paths: dict[int, str] = {}
    for fingerprint, marker in markers.items():
        if fingerprint not in known:
            paths[len(new_items)] = marker["path"]
            new_items.append(_marker_item(scan, fingerprint, marker, config, now))
    marker_count = len(new_items)
    deadline = time.monotonic() + config.blame_seconds
    caught_up = _catch_up_blame(scan, config, deadline)
    by_path: dict[str, list[DebtItem]] = defaultdict(list)
    for index, item in enumerate(new_items):
        by_path[paths[index]].append(item)
    blamed = _blame_markers(scan, by_path, config, deadline) if new_items else _BlameOutcome()

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
        blame_failures=blamed.failures, blame_deferred=blamed.deferred, blame_caught_up=caught_up,
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
