"""Links that follow renames: after a scan, a linked file or folder moved in history is re-pointed."""
from collections import Counter
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from debt.fingerprints import hotspot_fingerprint, marker_fingerprint
from debt.models import DebtChange, DebtItem, DebtLocation
from metrics.selectors.files import snapshot_path_set
from metrics.selectors.history import RenameRow, rename_list

MAX_FOLDER_HOPS = 10


def follow_file(path: str, anchor, renames: list[RenameRow]) -> tuple[str, RenameRow | None]:
    """Walk a file's renames committed after `anchor`, oldest first; return its latest name and last rename."""
    last = None
    for rename in renames:
        if anchor is not None and rename.authored_at <= anchor:
            continue
        if rename.old_path == path:
            path, last = rename.path, rename
    return path, last


def follow_folder(prefix: str, anchor, renames: list[RenameRow], present: set[str]) -> tuple[str, RenameRow | None]:
    """Move a folder prefix whose files all left it to where most of them went (hop by hop)."""
    last = None
    for _ in range(MAX_FOLDER_HOPS):
        if any(path.startswith(prefix) for path in present):
            break
        targets, latest = _folder_targets(prefix, anchor, renames)
        if not targets:
            break
        target = sorted(targets.items(), key=lambda pair: (-pair[1], pair[0]))[0][0]
        if target == prefix:
            break
        prefix, last = target, latest[target]
        anchor = last.authored_at
    return prefix, last


def _folder_targets(prefix: str, anchor, renames: list[RenameRow]) -> tuple[Counter[str], dict[str, RenameRow]]:
    """Count where files renamed out of `prefix` after `anchor` went, by new folder, with each one's latest rename.

    A rename counts when it keeps the file's path below the folder (`a/x/f.py` -> `b/x/f.py` points at `b/`);
    one that changes that part too says nothing about where the folder went.
    """
    targets: Counter[str] = Counter()
    latest: dict[str, RenameRow] = {}
    for rename in renames:
        if anchor is not None and rename.authored_at <= anchor:
            continue
        if not rename.old_path.startswith(prefix):
            continue
        suffix = rename.old_path[len(prefix):]
        if rename.path.endswith("/" + suffix) and len(rename.path) > len(suffix) + 1:
            target = rename.path[: len(rename.path) - len(suffix)]
            targets[target] += 1
            latest[target] = rename
    return targets, latest


def _new_fingerprint(item: DebtItem, path: str) -> str:
    if item.signal == "marker":
        return marker_fingerprint(tag=item.marker_tag, text=item.marker_text,
                                  path=path)
    return hotspot_fingerprint(kind=item.signal, path=path)


@transaction.atomic
def debt_item_follow_renames(*, scan) -> int:
    """Re-point every link whose file (or folder) was renamed after it was made, up to the scan's commit.

    The original path stays on the link; discovered items get their fingerprint re-computed on the new
    path so the same marker or hotspot is recognised, not proposed again. Returns the links moved.
    """
    repository = scan.repository
    locations = list(
        DebtLocation.objects.filter(item__repository=repository).select_related("item").order_by("item_id", "id")
    )
    if not locations:
        return 0
    renames = rename_list(repository=repository, since=_earliest_anchor(locations), until=scan.committed_at)
    if not renames:
        return 0
    present: set[str] | None = None
    now = timezone.now()
    moved: list[DebtLocation] = []
    history: list[DebtChange] = []
    for location in locations:
        if location.is_folder and present is None:
            present = snapshot_path_set(scan=scan)
        new_path, last = _follow(location, renames, present)
        if last is None or new_path == location.path:
            continue
        history.append(_move(location, new_path, last, at=now))
        moved.append(location)
    DebtLocation.objects.bulk_update(moved, ["path", "renamed_in", "anchored_at"], batch_size=500)
    DebtChange.objects.bulk_create(history, batch_size=500)
    _refingerprint(repository, _first_links(locations, moved))
    return len(moved)


def _earliest_anchor(locations: list[DebtLocation]) -> datetime | None:
    """The oldest moment a link was anchored at; None (all history) when any link has no anchor."""
    anchors = [location.anchored_at for location in locations]
    return None if any(anchor is None for anchor in anchors) else min(anchors)


def _follow(
    location: DebtLocation, renames: list[RenameRow], present: set[str] | None
) -> tuple[str, RenameRow | None]:
    """Where a link's file or folder went after the link was anchored (`present`: the scan's paths, for folders)."""
    if location.is_folder:
        return follow_folder(location.path, location.anchored_at, renames, present)
    return follow_file(location.path, location.anchored_at, renames)


def _move(location: DebtLocation, new_path: str, last: RenameRow, *, at: datetime) -> DebtChange:
    """Re-point a link (unsaved) to `new_path`, anchored at its last rename; return the change to record."""
    change = DebtChange(
        item_id=location.item_id, field="location", old_value=location.path,
        new_value=f"{new_path} (renamed in {last.sha[:12]} by {last.author})", at=at,
    )
    location.path, location.renamed_in, location.anchored_at = new_path, last.sha, last.authored_at
    return change


def _first_links(locations: list[DebtLocation], moved: list[DebtLocation]) -> list[DebtLocation]:
    """The moved links that are their item's first link (by id), the ones a fingerprint is made from."""
    first_links = {}
    for location in locations:
        first_links.setdefault(location.item_id, location.pk)
    return [loc for loc in moved if first_links[loc.item_id] == loc.pk]


def _refingerprint(repository, moved: list[DebtLocation]) -> None:
    """Discovered items identify themselves by their first link's path: keep the fingerprint on it."""
    items: dict[int, tuple[DebtItem, str]] = {}
    for location in moved:
        item = location.item
        if item.signal and item.fingerprint and item.pk not in items:
            items[item.pk] = (item, location.path)
    if not items:
        return
    taken = set(DebtItem.objects.filter(repository=repository).exclude(fingerprint="")
                .values_list("fingerprint", flat=True))
    changed = []
    for item, path in items.values():
        fingerprint = _new_fingerprint(item, path)
        if fingerprint != item.fingerprint and fingerprint not in taken:
            taken.discard(item.fingerprint)
            taken.add(fingerprint)
            item.fingerprint = fingerprint
            changed.append(item)
    DebtItem.objects.bulk_update(changed, ["fingerprint"], batch_size=500)
