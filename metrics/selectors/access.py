"""Who may do what on a repository: the one table of roles and capabilities, and the reads built on it."""
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet

from debtboard.errors import Forbidden, InvalidInput, NotFound
from metrics.choices import NO_ROLE, STAFF_ROLE, Role
from metrics.data import RepositoryAccess, RepositoryMember
from metrics.errors import RepositoryNotFound
from metrics.models import Repository, RepositoryMembership, Scan
from metrics.selectors.repositories import repository_get, repository_list, scan_list_all

# The capabilities a RepositoryAccess carries (each is a `can_<name>` field).
CAPABILITIES: tuple[str, ...] = (
    "read", "write_items", "post_checks", "triage", "import", "scan", "manage",
)
# THE authorisation rule, used by the API and the pages alike (docs/security.md shows it as a matrix):
# viewer reads; member also writes debt items (create, edit, transition, link, comment, resolve) and posts
# change checks; maintainer also triages proposals, imports, deletes items, scans and manages the repository
# (settings, members, deletion). Staff may do everything, and alone register repositories.
_VIEWER = frozenset({"read"})
_MEMBER = _VIEWER | {"write_items", "post_checks"}
_MAINTAINER = _MEMBER | {"triage", "import", "scan", "manage"}
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    NO_ROLE: frozenset(),
    Role.VIEWER: _VIEWER,
    Role.MEMBER: _MEMBER,
    Role.MAINTAINER: _MAINTAINER,
    STAFF_ROLE: frozenset(CAPABILITIES),
}
CAPABILITY_MESSAGES: dict[str, str] = {
    "read": "You may not see this repository.",
    "write_items": "Only members and maintainers of {name} may change its debt items.",
    "post_checks": "Only members and maintainers of {name} may post change checks.",
    "triage": "Only maintainers of {name} may accept or dismiss proposals.",
    "import": "Only maintainers of {name} may import debt items.",
    "scan": "Only maintainers of {name} may start scans.",
    "manage": "Only maintainers of {name} may change its settings, members or items' existence.",
}


def default_role() -> str:
    """The role of a signed-in user without a membership (DEBTBOARD_DEFAULT_ROLE, read at call time)."""
    role = str(getattr(settings, "DEBTBOARD_DEFAULT_ROLE", Role.VIEWER)).strip().lower()
    if role != NO_ROLE and role not in Role.values:
        raise InvalidInput(
            f"DEBTBOARD_DEFAULT_ROLE must be none, {', '.join(Role.values)}; it is {role!r}.",
            code="access.invalid_default_role",
        )
    return role


def access_for_role(role: str) -> RepositoryAccess:
    """The access object of a role name (one of ROLE_CAPABILITIES)."""
    granted = ROLE_CAPABILITIES[role]
    return RepositoryAccess(role=role, **{f"can_{name}": name in granted for name in CAPABILITIES})


def _is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def repository_role(*, user, repository: Repository) -> str:
    """The user's role on the repository: staff, the membership's role, else the default role ("none": none)."""
    if not _is_signed_in(user):
        return NO_ROLE
    if user.is_staff:
        return STAFF_ROLE
    membership = RepositoryMembership.objects.filter(repository=repository, user=user).values_list("role", flat=True)
    return next(iter(membership), None) or default_role()


def repository_access(*, user, repository: Repository) -> RepositoryAccess:
    """What `user` may do on `repository` (one query for non-staff users)."""
    return access_for_role(repository_role(user=user, repository=repository))


def repository_access_get(*, user, name: str, capability: str = "read") -> tuple[Repository, RepositoryAccess]:
    """The repository called `name` and the user's access, requiring `capability`.

    A repository the user may not read is RepositoryNotFound (its existence stays hidden); a readable one
    without the capability is Forbidden (code `repository.forbidden`).
    """
    repository = repository_get(name=name)
    access = repository_access(user=user, repository=repository)
    access_require(access=access, repository=repository, capability=capability)
    return repository, access


def access_require(*, access: RepositoryAccess, repository: Repository, capability: str) -> None:
    """Raise RepositoryNotFound when the repository is unreadable, Forbidden when `capability` is missing."""
    if not access.can_read:
        raise RepositoryNotFound(
            f"No repository {repository.name!r}. List them with `debtboard addrepo --list` or in the UI.",
            extra={"repository": repository.name},
        )
    if not access.allows(capability):
        raise Forbidden(CAPABILITY_MESSAGES[capability].format(name=repository.name), code="repository.forbidden",
                        extra={"repository": repository.name, "capability": capability, "role": access.role})


def repository_visible_list(*, user) -> QuerySet[Repository]:
    """The repositories `user` may read, by name (every one for staff, or when the default role is not none)."""
    queryset = repository_list()
    if not _is_signed_in(user):
        return queryset.none()
    if user.is_staff or default_role() != NO_ROLE:
        return queryset
    return queryset.filter(memberships__user=user)


def scan_visible_list(*, user) -> QuerySet[Scan]:
    """Scans of the repositories `user` may read, newest first."""
    return scan_list_all().filter(repository__in=repository_visible_list(user=user).values("pk"))


def scan_visible_get(*, user, scan_id: int) -> Scan:
    """One scan of a repository `user` may read, or NotFound (`scan.not_found`)."""
    try:
        return scan_visible_list(user=user).get(pk=scan_id)
    except (Scan.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"No scan #{scan_id}.", code="scan.not_found", extra={"scan": scan_id}) from None


def repository_member_list(*, repository: Repository) -> list[RepositoryMember]:
    """The repository's members with their roles, by username."""
    rows = RepositoryMembership.objects.filter(repository=repository).select_related("user").order_by(
        "user__username")
    return [RepositoryMember(username=row.user.get_username(), role=row.role) for row in rows]


def role_choices(roles: Iterable[str] = Role.values) -> list[tuple[str, str]]:
    """(value, label) pairs of the assignable roles, for forms."""
    return [(role, Role(role).label) for role in roles]
