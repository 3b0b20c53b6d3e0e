"""Registering, configuring, syncing and deleting repositories (local folders or mirrored remotes)."""
import logging
import shutil
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from debtboard.errors import DebtboardError
from metrics.choices import EffortUnit
from metrics.conf import data_dir, git_timeout, remote_allow_hosts, repo_roots
from metrics.core.errors import CoreError, GitError, GitTimeout, UnsafeSource
from metrics.core.gitcmd import run_git
from metrics.core.remotes import RemotePolicy, check_remote_address
from metrics.core.sources import (
    ResolvedRevision,
    Source,
    parse_source,
    resolve_revision,
    validate_local_path,
    validate_name,
    validate_remote_url,
    validate_revision,
)
from metrics.data import repository_config_from_json
from metrics.errors import (
    GitFailed,
    RepositoryInvalid,
    RepositoryNameTaken,
    RevisionNotFound,
    ScanAlreadyRunning,
    UnsafeRepositorySource,
)
from metrics.models import Repository, Scan
from metrics.services.scoring_history import history_cache_discard

logger = logging.getLogger(__name__)

MIRRORS_FOLDER = "mirrors"
# One message for every way a remote can fail to answer (refused, timed out, unknown host, TLS, not found,
# authentication), so an error never tells whether a port is open or a host exists.
REMOTE_UNREACHABLE = "Could not fetch the remote repository: it did not answer, or refused the connection."


def core_error_translate(exc: CoreError) -> DebtboardError:
    """Translate an error of metrics.core into the metrics error kind a user sees."""
    if isinstance(exc, UnsafeSource):
        return UnsafeRepositorySource(str(exc))
    if isinstance(exc, GitTimeout):
        return GitFailed(f"{exc} Raise DEBTBOARD_GIT_TIMEOUT if the repository is very large.", code="git.timeout")
    if isinstance(exc, GitError):
        return GitFailed(str(exc), extra={"stderr": exc.stderr[-2000:]} if exc.stderr else None)
    return DebtboardError(str(exc) or type(exc).__name__, code="metrics.core_error")


def mirror_path(name: str) -> Path:
    """Where the mirror of a remote repository named `name` lives."""
    return data_dir() / MIRRORS_FOLDER / f"{validate_name(name)}.git"


def repository_create(*, source: str, name: str | None = None, config: dict[str, Any] | None = None) -> Repository:
    """Register a local repository folder or a remote URL (cloned as a mirror into the data directory)."""
    parsed, name = _source_parse(source, name)
    stored_config = _validated_config(config)
    if name is None:
        name = _unique_name(parsed.default_name)
    elif Repository.objects.filter(name=name).exists():
        raise _name_taken(name)
    if parsed.is_remote:
        path = mirror_path(name)
        _mirror_clone(url=parsed.location, dest=path)
    else:
        path = Path(parsed.location)
    try:
        with transaction.atomic():
            repository = Repository.objects.create(
                name=name, url=parsed.location if parsed.is_remote else "", path=str(path), config=stored_config
            )
    except IntegrityError:
        if parsed.is_remote:
            shutil.rmtree(path, ignore_errors=True)
        raise _name_taken(name) from None
    logger.info("Registered repository %s (%s)", repository.name, parsed.location)
    return repository


def _source_parse(source: str, name: str | None) -> tuple[Source, str | None]:
    """Validate a source (a remote's addresses included) and an optional name, or raise UnsafeRepositorySource."""
    try:
        parsed = parse_source(source, repo_roots=repo_roots(), timeout=git_timeout())
        if name is not None:
            name = validate_name(name)
    except UnsafeSource as exc:
        raise UnsafeRepositorySource(str(exc), extra={"source": source[:200]}) from None
    if parsed.is_remote:
        remote_address_check(url=parsed.location)
    return parsed, name


def repository_update(
    *,
    repository: Repository,
    config: dict[str, Any] | None = None,
    default_revision: str | None = None,
    effort_unit: str | None = None,
) -> Repository:
    """Replace a repository's configuration, default revision (checked to resolve) and/or effort unit."""
    update_fields = []
    if effort_unit is not None:
        if effort_unit not in EffortUnit.values:
            raise RepositoryInvalid(
                f"Effort is counted in {' or '.join(EffortUnit.values)}, not {effort_unit[:20]!r}.",
                extra={"key": "effort_unit"},
            )
        repository.effort_unit = effort_unit
        update_fields.append("effort_unit")
    if config is not None:
        repository.config = _validated_config(config)
        update_fields.append("config")
    if default_revision is not None:
        repository_revision_resolve(repository=repository, revision=default_revision)
        repository.default_revision = default_revision
        update_fields.append("default_revision")
    if update_fields:
        repository.save(update_fields=update_fields)
    return repository


def repository_delete(*, repository: Repository) -> None:
    """Delete a repository with its history, scans and scores, and its mirror folder when it is remote."""
    live = Scan.objects.filter(repository=repository, status__in=[Scan.Status.QUEUED, Scan.Status.RUNNING]).first()
    if live is not None:
        raise ScanAlreadyRunning(
            f"Scan {live.pk} of {repository.name} is {live.status}; delete the repository when it has finished.",
            extra={"scan": live.pk},
        )
    mirror = mirror_path(repository.name) if repository.is_remote else None
    repository_id = repository.pk
    with transaction.atomic():
        Repository.objects.filter(pk=repository.pk).update(current_scan=None)
        repository.delete()
    transaction.on_commit(lambda: history_cache_discard(repository_id=repository_id))
    if mirror is not None:
        transaction.on_commit(lambda: shutil.rmtree(mirror, ignore_errors=True))
    logger.info("Deleted repository %s", repository.name)


def repository_sync(*, repository: Repository) -> str:
    """Fetch a remote's mirror (cloning it again if it is gone) or re-check a local folder; return the git path."""
    if not repository.is_remote:
        return _local_path_checked(repository)
    try:
        url = validate_remote_url(repository.url)
    except UnsafeSource as exc:
        raise UnsafeRepositorySource(str(exc)) from None
    remote_address_check(url=url)
    path = _remote_mirror(repository)
    if not (path / "HEAD").is_file():
        _mirror_clone(url=url, dest=path)
    else:
        _mirror_fetch(path=path)
    return str(path)


def remote_address_check(*, url: str) -> None:
    """Refuse a remote whose host resolves to a non-public address not named by DEBTBOARD_REMOTE_ALLOW_HOSTS."""
    policy = RemotePolicy.from_entries(remote_allow_hosts())
    try:
        check_remote_address(url, policy=policy)
    except UnsafeSource as exc:
        raise UnsafeRepositorySource(str(exc), extra={"source": url[:200]}) from None


def repository_path(*, repository: Repository) -> str:
    """The path to run git against, without fetching (backfills and reads of an existing mirror).

    A local folder is checked against DEBTBOARD_REPO_ROOTS again, real git directory and all: a `.git`
    file or an alternates file added after registration must not open a way out of the roots.
    """
    if not repository.is_remote:
        return _local_path_checked(repository)
    path = _remote_mirror(repository)
    if not path.is_dir():
        raise RepositoryInvalid(f"{repository.name}: {path} no longer exists.", extra={"repository": repository.name})
    return str(path)


def revision_validate(revision: str) -> str:
    """Return a revision git cannot read as an option, or raise UnsafeRepositorySource."""
    try:
        return validate_revision(revision)
    except UnsafeSource as exc:
        raise UnsafeRepositorySource(str(exc), extra={"revision": str(revision)[:255]}) from None


def repository_revision_resolve(*, repository: Repository, revision: str, repo_path: str | None = None
                                ) -> ResolvedRevision:
    """Resolve a revision of a repository to a commit id and date, or raise RevisionNotFound."""
    revision_validate(revision)
    try:
        resolved = resolve_revision(repo_path or repository_path(repository=repository), revision,
                                    timeout=git_timeout())
    except CoreError as exc:
        raise core_error_translate(exc) from exc
    if resolved is None:
        raise RevisionNotFound(
            f"{revision!r} names no commit in {repository.name} (an empty repository, or a typo?).",
            extra={"repository": repository.name, "revision": revision},
        )
    return resolved


def _local_path_checked(repository: Repository) -> str:
    """A local repository's folder, checked again as at registration (roots, real git directory, alternates)."""
    try:
        path = validate_local_path(repository.path, repo_roots=repo_roots(), timeout=git_timeout())
    except UnsafeSource as exc:
        raise RepositoryInvalid(f"{repository.name} cannot be scanned: {exc}",
                                extra={"repository": repository.name}) from None
    return str(path)


def _remote_mirror(repository: Repository) -> Path:
    """A remote's mirror folder, always derived from its name and DATA_DIR (never a stored, editable path)."""
    path = mirror_path(repository.name)
    if repository.path != str(path):  # the data directory moved, or the row was edited: follow the rule
        Repository.objects.filter(pk=repository.pk).update(path=str(path))
        repository.path = str(path)
    return path


def _mirror_clone(*, url: str, dest: Path) -> None:
    """Clone `url` as a bare mirror into `dest`; the URL was validated and goes after `--`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        shutil.rmtree(dest)  # a leftover of a failed clone or of a deleted repository with this name
    try:
        run_git(None, ["clone", "--mirror", "--quiet", "--", url, str(dest)], timeout=git_timeout())
    except CoreError as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise _unreachable(exc) from None


def _mirror_fetch(*, path: Path) -> None:
    """Bring a mirror up to date with its remote, pruning deleted branches and tags."""
    try:
        run_git(path, ["fetch", "--prune", "--quiet", "origin"], timeout=git_timeout())
    except CoreError as exc:
        raise _unreachable(exc) from None


def _unreachable(exc: CoreError) -> GitFailed:
    """The one error a failed clone or fetch shows; git's own words go to the server log only."""
    logger.warning("git clone/fetch failed: %s", getattr(exc, "stderr", "") or exc)
    return GitFailed(REMOTE_UNREACHABLE)


def _validated_config(config: dict[str, Any] | None) -> dict[str, Any]:
    """Validate a configuration and keep only the keys given (defaults stay defaults)."""
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise RepositoryInvalid("The configuration must be a JSON object.")
    full = repository_config_from_json(config).as_json()
    return {key: full[key] for key in config}


def _unique_name(base: str) -> str:
    taken = set(Repository.objects.filter(name__startswith=base).values_list("name", flat=True))
    if base not in taken:
        return base
    for number in range(2, len(taken) + 3):
        candidate = f"{base[:90]}-{number}"
        if candidate not in taken:
            return candidate
    raise _name_taken(base)  # unreachable: one of len(taken) + 1 candidates is free


def _name_taken(name: str) -> RepositoryNameTaken:
    return RepositoryNameTaken(f"A repository named {name!r} already exists; choose another --name.",
                               extra={"name": name})
