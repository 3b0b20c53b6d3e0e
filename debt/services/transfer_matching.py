"""Which item and which people an import row means: external id, else fingerprint, else title, kind and paths."""
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from debt.fingerprints import import_fingerprint
from debt.models import DebtItem, DebtLocation
from debt.services.transfer_rows import ImportRow

Existing = dict[tuple[str, str], DebtItem]
_PEOPLE = ("owner", "reporter")


def _resolve_person(row: ImportRow, attr: str, users: dict) -> None:
    name = getattr(row, attr)
    if name and name not in users and attr == "reporter":
        row.reporter_unmatched = name  # who reported it is history: kept, the importer stands in
    elif name and name not in users:
        row.refuse(attr, f"No user {name!r}; create the account first.")
    row.values[attr] = users.get(name) if name else None


def resolve_users(rows: Sequence[ImportRow]) -> None:
    """Put each row's owner and reporter accounts in its values.

    An owner without an account refuses the row (work cannot be assigned to nobody); a reporter without one
    is kept as `reporter_unmatched` (the item is created with the importer as reporter and that name noted).
    """
    names = {getattr(row, attr) for row in rows for attr in _PEOPLE if getattr(row, attr)}
    User = get_user_model()
    users = {user.get_username(): user for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": names})}
    for row in rows:
        for attr in _PEOPLE:
            _resolve_person(row, attr, users)


def _row_key(row: ImportRow) -> tuple[str, str]:
    values = row.values
    if values.get("external_id"):
        return ("external_id", values["external_id"])
    if values.get("fingerprint"):
        return ("fingerprint", values["fingerprint"])
    paths = [location["path"] for location in row.locations or []]
    return ("computed", import_fingerprint(title=values.get("title", ""), kind=values.get("kind", ""), paths=paths))


def assign_keys(rows: Sequence[ImportRow]) -> None:
    """Give each row its identity; a second row with the same identity is refused."""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        row.key = _row_key(row)
        if row.key not in seen:
            seen[row.key] = row.number
            continue
        computed = row.key[0] == "computed"
        what = "title, kind and locations" if computed else row.key[0]
        row.refuse("title" if computed else row.key[0], f"Same {what} as row {seen[row.key]}.")


def _computed_keys(queryset: QuerySet[DebtItem]) -> Existing:
    # Items without an external id or fingerprint are recognised by title, kind and linked paths.
    found: Existing = {}
    for item in queryset.filter(external_id="", fingerprint=""):
        key = import_fingerprint(title=item.title, kind=item.kind,
                                 paths=[location.path for location in item.locations.all()])
        found.setdefault(("computed", key), item)
    return found


def existing_items(repository, rows: Sequence[ImportRow]) -> Existing:
    """The repository's items the rows name, by each kind of identity the rows use."""
    external_ids = [row.key[1] for row in rows if row.key[0] == "external_id"]
    fingerprints = [row.values.get("fingerprint") for row in rows if row.values.get("fingerprint")]
    queryset = DebtItem.objects.filter(repository=repository).select_related("owner", "reporter").prefetch_related(
        "labels", Prefetch("locations", queryset=DebtLocation.objects.order_by("id"))
    )
    found: Existing = {
        ("external_id", item.external_id): item for item in queryset.filter(external_id__in=external_ids)
    }
    found.update({("fingerprint", item.fingerprint): item for item in queryset.filter(fingerprint__in=fingerprints)})
    if any(row.key[0] == "computed" for row in rows):
        found.update(_computed_keys(queryset))
    return found


def check_fingerprint_clash(rows: Sequence[ImportRow], existing: Existing) -> None:
    """Refuse a row whose fingerprint belongs to an item with another external id."""
    for row in rows:
        if row.errors or row.key[0] != "external_id" or not row.values.get("fingerprint"):
            continue
        other = existing.get(("fingerprint", row.values["fingerprint"]))
        if other is not None and other != existing.get(row.key):
            row.refuse("fingerprint", f"This fingerprint belongs to item #{other.pk} with another external id.")


def check_new_rows_have_titles(rows: Sequence[ImportRow], existing: Existing) -> None:
    """Refuse a row that would create an item but has no title."""
    for row in rows:
        if row.key not in existing and not row.values.get("title"):
            row.refuse("title", "title is required to create an item.")


def match_rows(repository, rows: Sequence[ImportRow]) -> Existing:
    """Resolve people and identities of the valid rows, refuse clashes; return the items the rows update."""
    resolve_users([row for row in rows if not row.errors])
    assign_keys([row for row in rows if not row.errors])
    valid = [row for row in rows if not row.errors]
    existing = existing_items(repository, valid)
    check_fingerprint_clash(valid, existing)
    check_new_rows_have_titles(valid, existing)
    return existing
