"""Reads of debt items: filtered lists, one item, items linked to a path, activity, comments, labels, choices."""
from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet

from debt import lifecycle
from debt.choices import Kind, Source, Status
from debt.data import TimelineEntry
from debt.errors import DebtItemInvalid, DebtItemNotFound
from debt.models import DebtChange, DebtComment, DebtItem, DebtLocation, DebtTransition, Label
from debt.rendering import render_markdown

ORDERINGS = {
    "priority": ("-priority", "-impact", "id"),
    "-priority": ("-priority", "-impact", "id"),
    "interest": ("-interest", "id"),
    "-interest": ("-interest", "id"),
    "impact": ("-impact", "-priority", "id"),
    "-impact": ("-impact", "-priority", "id"),
    "effort": ("effort", "-priority", "id"),
    "-effort": ("-effort", "-priority", "id"),
    "created": ("-created_at", "-id"),
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
    "updated": ("-updated_at", "-id"),
    "-updated_at": ("-updated_at", "-id"),
    "due_date": ("due_date", "-priority", "id"),
    "title": ("title", "id"),
    "id": ("id",),
}


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value in (None, ""):
        return []
    return [value] if isinstance(value, str) else list(value)


def ancestor_folders(path: str) -> list[str]:
    """The folder prefixes holding a path: 'a/b/c.py' -> ['a/', 'a/b/']."""
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]


def path_condition(path: str, prefix: str = "locations__") -> Q:
    """Items linked to `path`: the path itself, any folder holding it, or (for a folder) anything below it."""
    condition = Q(**{f"{prefix}path": path}) | Q(**{f"{prefix}path__in": ancestor_folders(path)})
    if path.endswith("/"):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def _choice_conditions(**values: str | Sequence[str] | None) -> Q:
    """One `field__in` condition per field given one or more values (status, kind, source)."""
    condition = Q()
    for name, value in values.items():
        if _as_list(value):
            condition &= Q(**{f"{name}__in": _as_list(value)})
    return condition


def _repository_condition(repository, repositories) -> Q:
    """Items of `repository` (when given) among `repositories` (when given)."""
    condition = Q() if repository is None else Q(repository=repository)
    return condition if repositories is None else condition & Q(repository__in=repositories)


def debt_item_list(
    *,
    repository=None,
    repositories=None,
    status: str | Sequence[str] | None = None,
    kind: str | Sequence[str] | None = None,
    label: str | Sequence[str] | None = None,
    owner=None,
    path: str | None = None,
    source: str | Sequence[str] | None = None,
    search: str | None = None,
    looks_resolved: bool | None = None,
    ordering: str = "-priority",
) -> QuerySet[DebtItem]:
    """Items filtered by repository, status, kind, label, owner, linked path, source; best priority first.

    `repositories` (a queryset or list of repositories) keeps the items of those only: the caller's
    visible repositories. Repository, owner and reporter are joined, labels and locations prefetched: a page of
    items costs three queries whatever its length.
    """
    if ordering not in ORDERINGS:
        raise DebtItemInvalid(
            f"Unknown ordering {ordering!r}; use one of {', '.join(sorted(ORDERINGS))}.", extra={"field": "ordering"}
        )
    queryset = DebtItem.objects.filter(_choice_conditions(status=status, kind=kind, source=source),
                                       _repository_condition(repository, repositories))
    labels = _as_list(label)
    if labels:
        matching = DebtItem.labels.through.objects.filter(label__name__in=[name.lower() for name in labels])
        queryset = queryset.filter(pk__in=matching.values("debtitem_id"))
    if owner is not None:
        queryset = queryset.filter(owner=owner) if not isinstance(owner, int) else queryset.filter(owner_id=owner)
    if path:
        queryset = queryset.filter(pk__in=DebtLocation.objects.filter(path_condition(path, "")).values("item_id"))
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if looks_resolved is not None:
        queryset = queryset.filter(looks_resolved=looks_resolved)
    return (
        queryset.select_related("repository", "owner", "reporter")
        .prefetch_related(
            Prefetch("labels", queryset=Label.objects.order_by("name")),
            Prefetch("locations", queryset=DebtLocation.objects.order_by("path", "id")),
        )
        .order_by(*ORDERINGS[ordering])
    )


def debt_item_get(*, item_id: int, repository=None) -> DebtItem:
    """One item with its repository, people, labels and links, or DebtItemNotFound."""
    queryset = debt_item_list(repository=repository).select_related("interest_scan")
    try:
        return queryset.get(pk=item_id)
    except (DebtItem.DoesNotExist, ValueError, TypeError):
        raise DebtItemNotFound(f"No debt item #{item_id}.", extra={"item": item_id}) from None


def debt_item_list_for_path(*, repository, path: str) -> QuerySet[DebtItem]:
    """Items linked to a file (or a folder holding it), for the file page; open items first by priority."""
    return debt_item_list(repository=repository, path=path)


def debt_item_timeline(*, item: DebtItem) -> list[TimelineEntry]:
    """Everything that happened to an item, oldest first: creation, field changes, transitions, comments."""
    entries: list[TimelineEntry] = []
    for change in DebtChange.objects.filter(item=item).select_related("actor"):
        entries.append(TimelineEntry(
            at=change.at, kind="created" if change.field == "created" else "change", actor=change.actor,
            field=change.field, old_value=change.old_value, new_value=change.new_value, object_id=change.pk,
        ))
    for transition in DebtTransition.objects.filter(item=item).select_related("actor"):
        entries.append(TimelineEntry(
            at=transition.at, kind="transition", actor=transition.actor, field="status",
            old_value=transition.from_status, new_value=transition.to_status, note=transition.note,
            object_id=transition.pk,
        ))
    for comment in DebtComment.objects.filter(item=item).select_related("author"):
        entries.append(TimelineEntry(
            at=comment.created_at, kind="comment", actor=comment.author, body_html=render_markdown(comment.body),
            object_id=comment.pk,
        ))
    order = {"created": 0, "change": 1, "transition": 2, "comment": 3}
    return sorted(entries, key=lambda entry: (entry.at, order[entry.kind], entry.object_id))


def debt_comment_list(*, item: DebtItem) -> QuerySet[DebtComment]:
    """An item's comments, oldest first."""
    return DebtComment.objects.filter(item=item).select_related("author").order_by("created_at", "id")


def label_list() -> QuerySet[Label]:
    """Every label with how many items carry it."""
    return Label.objects.annotate(item_count=Count("items")).order_by("name")


def debt_item_choices() -> dict[str, list[tuple[str, str]]]:
    """The allowed values of kind, status and source with their labels, for forms and filters."""
    return {"kind": list(Kind.choices), "status": list(Status.choices), "source": list(Source.choices)}


def debt_item_next_statuses(*, item: DebtItem) -> list[tuple[str, str]]:
    """The statuses an item may move to next, with their labels, in lifecycle order."""
    return [(status, lifecycle.LABELS[status]) for status in lifecycle.allowed_next(item.status)]


def debt_status_label(status: str) -> str:
    """The label people read for a status ("in progress" for in_progress)."""
    return lifecycle.LABELS.get(status, status)


def debt_item_description_html(*, item: DebtItem) -> str:
    """The safe HTML of an item's Markdown description (raw HTML, scripts and unsafe URLs removed)."""
    return render_markdown(item.description)
