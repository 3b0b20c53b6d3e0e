"""Paid-off detection: flag items whose marker vanished or whose function got simple, for a person to confirm."""
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from debt import lifecycle
from debt.errors import DebtItemNotFound, NoResolutionFlag
from debt.fingerprints import marker_fingerprint
from debt.models import DebtChange, DebtItem
from debt.services import validation
from debt.services.activity import record_change
from debt.services.discovery import current_marker_map
from debt.services.lifecycle import apply_transition
from metrics.choices import ScanStatus
from metrics.data import repository_config_from_json
from metrics.errors import RepositoryInvalid
from metrics.selectors.files import function_list
from metrics.selectors.history import file_commit_list, rename_list
from metrics.selectors.repositories import scan_list


def previous_scan(scan):
    """The repository's last succeeded live scan before `scan`, or None."""
    return scan_list(repository=scan.repository, status=ScanStatus.SUCCEEDED, is_backfill=False, before=scan).first()


def _max_complexity(repository) -> int:
    try:
        return repository_config_from_json(repository.config).max_complexity
    except RepositoryInvalid:
        return 10


def _rename_map(repository, previous, scan) -> dict[str, str]:
    """Old path -> newest path for renames committed between two scans (chains collapsed)."""
    mapping: dict[str, str] = {}
    for rename in rename_list(repository=repository, since=previous.committed_at, until=scan.committed_at):
        for old, new in list(mapping.items()):
            if new == rename.old_path:
                mapping[old] = rename.path
        mapping[rename.old_path] = rename.path
    return mapping


def _commit_evidence(repository, path: str, previous, scan) -> dict | None:
    commits = file_commit_list(repository=repository, path=path, after=previous.committed_at, until=scan.committed_at)
    if not commits:
        return None
    commit = commits[0]
    return {
        "sha": commit.sha, "author": commit.author, "email": commit.author_email,
        "authored_at": commit.authored_at.isoformat(), "subject": commit.subject,
    }


def _first_location(item: DebtItem):
    locations = list(item.locations.all())
    return min(locations, key=lambda location: location.pk) if locations else None


def _marker_findings(repository, items, previous, scan, renames) -> dict[int, dict]:
    current = set(current_marker_map(scan))
    before = {
        marker_fingerprint(tag=marker["tag"], text=marker["text"],
                           path=renames.get(marker["path"], marker["path"]))
        for marker in current_marker_map(previous).values()
    }
    findings = {}
    for item in items:
        if item.signal != "marker" or not item.fingerprint or item.fingerprint in current:
            continue
        if item.fingerprint not in before:
            continue  # absent at the previous scan too: nothing new to show
        location = _first_location(item)
        path = location.path if location is not None else ""
        commit = _commit_evidence(repository, path, previous, scan) if path else None
        findings[item.pk] = {
            "kind": "marker_removed",
            "key": f"marker_removed:{commit['sha'] if commit else scan.commit_sha}:{item.fingerprint[:16]}",
            "path": path, "tag": item.marker_tag, "text": item.marker_text,
            "before": {"markers": 1, "commit": previous.commit_sha, "scan_id": previous.pk},
            "after": {"markers": 0, "commit": scan.commit_sha, "scan_id": scan.pk},
            "commit": commit,
        }
    return findings


def _complexities(scan, path: str) -> dict[str, int]:
    result: dict[str, int] = {}
    for function in function_list(scan=scan, path=path):
        result[function.qualname] = max(result.get(function.qualname, 0), function.complexity)
    return result


def _linked_functions(items) -> dict[str, list[tuple[DebtItem, str]]]:
    """Path -> (item, qualname) for every item location that names a function of a file."""
    wanted: dict[str, list[tuple[DebtItem, str]]] = defaultdict(list)
    for item in items:
        for location in item.locations.all():
            if location.qualname and not location.is_folder:
                wanted[location.path].append((item, location.qualname))
    return wanted


def _dropped(before: int | None, after: int | None, threshold: int) -> bool:
    """Whether a function went from above the complexity threshold to at or below it."""
    return before is not None and after is not None and before > threshold >= after


def _function_findings(repository, items, previous, scan, renames) -> dict[int, dict]:
    threshold = _max_complexity(repository)
    reverse = {new: old for old, new in renames.items()}
    findings: dict[int, dict] = {}
    for path, pairs in sorted(_linked_functions(items).items()):
        after_map = _complexities(scan, path)
        before_map = _complexities(previous, reverse.get(path, path))
        for item, qualname in pairs:
            before, after = before_map.get(qualname), after_map.get(qualname)
            if item.pk in findings or not _dropped(before, after, threshold):
                continue
            commit = _commit_evidence(repository, path, previous, scan)
            findings[item.pk] = {
                "kind": "complexity_dropped",
                "key": f"complexity_dropped:{path}:{qualname}:{commit['sha'] if commit else scan.commit_sha}",
                "path": path, "qualname": qualname, "threshold": threshold,
                "before": {"complexity": before, "commit": previous.commit_sha, "scan_id": previous.pk},
                "after": {"complexity": after, "commit": scan.commit_sha, "scan_id": scan.pk},
                "commit": commit,
            }
    return findings


@transaction.atomic
def debt_item_detect_paid_off(*, scan) -> int:
    """Flag open items that look paid off at `scan` compared with the previous scan; return how many.

    A marker item looks resolved when its marker was in the previous scan and is gone now; an item
    linked to a function looks resolved when the function's complexity went from above the
    repository's max_complexity to at or below it. Evidence a person rejected is never raised again.
    """
    repository = scan.repository
    previous = previous_scan(scan)
    if previous is None:
        return 0
    items = list(
        DebtItem.objects.filter(repository=repository, status__in=lifecycle.OPEN_STATUSES, looks_resolved=False)
        .prefetch_related("locations")
    )
    if not items:
        return 0
    renames = _rename_map(repository, previous, scan)
    findings = _marker_findings(repository, items, previous, scan, renames)
    for pk, finding in _function_findings(repository, items, previous, scan, renames).items():
        findings.setdefault(pk, finding)
    now = timezone.now()
    flagged = []
    for item in items:
        finding = findings.get(item.pk)
        if finding is None or finding["key"] in (item.resolution_rejected_keys or []):
            continue
        finding["scan_id"], finding["previous_scan_id"] = scan.pk, previous.pk
        item.looks_resolved, item.resolution_evidence, item.resolution_flagged_at = True, finding, now
        flagged.append(item)
    DebtItem.objects.bulk_update(
        flagged, ["looks_resolved", "resolution_evidence", "resolution_flagged_at"], batch_size=500
    )
    DebtChange.objects.bulk_create([
        DebtChange(item=item, field="resolution", new_value=f"looks resolved ({item.resolution_evidence['kind']})",
                   at=now)
        for item in flagged
    ])
    return len(flagged)


def _locked_flagged(item: DebtItem) -> DebtItem:
    locked = DebtItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise DebtItemNotFound(f"No debt item #{item.pk}.", extra={"item": item.pk})
    if not locked.looks_resolved:
        raise NoResolutionFlag(
            f"Item #{item.pk} is not flagged as looking resolved (someone may have handled it already).",
            extra={"item": item.pk},
        )
    return locked


@transaction.atomic
def debt_item_resolution_confirm(*, item: DebtItem, actor=None, note: str = "") -> DebtItem:
    """Confirm a "looks resolved" flag: the item moves to done, with the evidence kept."""
    locked = _locked_flagged(item)
    evidence = locked.resolution_evidence or {}
    note = validation.clean_text(note, field="note", max_length=1000) or f"paid off ({evidence.get('kind', '')})"
    apply_transition(
        item=locked, to_status=lifecycle.DONE, actor=actor, expected_status=locked.status, note=note,
        extra_updates={"looks_resolved": False},
    )
    record_change(item=locked, field="resolution", old="looks resolved", new="confirmed", actor=actor,
                  at=locked.updated_at)
    return locked


@transaction.atomic
def debt_item_resolution_reject(*, item: DebtItem, actor=None, note: str = "") -> DebtItem:
    """Reject a "looks resolved" flag: the flag is cleared and the same evidence never raises it again."""
    locked = _locked_flagged(item)
    key = (locked.resolution_evidence or {}).get("key", "")
    now = timezone.now()
    locked.resolution_rejected_keys = [*(locked.resolution_rejected_keys or []), key] if key else \
        list(locked.resolution_rejected_keys or [])
    locked.looks_resolved = False
    locked.updated_at = now
    locked.save(update_fields=["looks_resolved", "resolution_rejected_keys", "updated_at"])
    note = validation.clean_text(note, field="note", max_length=1000)
    record_change(item=locked, field="resolution", old="looks resolved", new=f"rejected{': ' + note if note else ''}",
                  actor=actor, at=now)
    return locked
