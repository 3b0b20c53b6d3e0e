"""Validation of repository sources (URLs, local paths), repository names and revisions; no Django.

Only what can be scanned safely gets through: remote URLs over https, ssh (ssh:// or scp-like
user@host:path) and git://, and local folders that are the top of a git repository, optionally
under a set of allowed roots. Everything a user types is refused when git could read it as an
option (a leading '-') or as a transport helper (`ext::`, `fd::`), and `file://` is refused: a
local repository is registered by its path, which is then checked against the allowed roots.
"""
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from metrics.core.errors import GitError, UnsafeSource
from metrics.core.gitcmd import DEFAULT_TIMEOUT, run_git

REMOTE_SCHEMES = ("https", "ssh", "git")
MAX_SOURCE_LENGTH = 1000
MAX_NAME_LENGTH = 100
MAX_REVISION_LENGTH = 255

# A repository name is a slug: it names a folder (the mirror) and appears in URLs and commands.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
# Host names (letters, digits, dots, dashes, never leading '-' or '.') or a bracketed IPv6 address.
_HOST = r"(?:[A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\])"
_USER = r"[A-Za-z0-9_][A-Za-z0-9._-]*"
# scp-like ssh syntax, user@host:path; the user part is required so that `javascript:…`, `c:\…`
# or `host:path` typos are not silently taken for ssh.
SCP_PATTERN = re.compile(rf"^(?P<user>{_USER})@(?P<host>{_HOST}):(?P<path>[^\s]+)$")
# git reads `<transport>::<address>` as "run the remote helper git-remote-<transport>".
TRANSPORT_HELPER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+.-]*::")
SCHEME_PATTERN = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
HOST_PATTERN = re.compile(rf"^{_HOST}$")
USER_PATTERN = re.compile(rf"^{_USER}$")
# The only user name an ssh URL may carry: a short account name (`git`, `deploy`), never a secret. A token
# pasted as the user (`ghp_…@host:…`, 36+ characters, mixed case) does not fit.
SSH_USER_PATTERN = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}$")


@dataclass(frozen=True)
class Source:
    """A validated repository source: a remote URL to mirror, or a local repository folder."""

    kind: str  # "remote" or "local"
    location: str  # the URL as given, or the resolved absolute path of the repository
    default_name: str  # a slug derived from the last path component

    @property
    def is_remote(self) -> bool:
        return self.kind == "remote"


@dataclass(frozen=True)
class ResolvedRevision:
    """A revision resolved to a commit id, with its committer date."""

    sha: str
    committed_at: datetime


def parse_source(source: str, *, repo_roots: Sequence[Path] = (), timeout: float = DEFAULT_TIMEOUT) -> Source:
    """Classify and validate a user-supplied repository source; raise UnsafeSource when it is refused."""
    text = _checked_text(source, what="repository source", max_length=MAX_SOURCE_LENGTH)
    if TRANSPORT_HELPER_PATTERN.match(text):
        raise UnsafeSource(f"Transport helpers such as {text.split('::', 1)[0]}:: are not allowed; "
                           "use an https, ssh or git URL.")
    scheme = SCHEME_PATTERN.match(text)
    if scheme and "://" in text:
        url = validate_remote_url(text)
        return Source(kind="remote", location=url, default_name=name_from_location(urlsplit(url).path))
    if SCP_PATTERN.match(text):
        url = validate_remote_url(text)
        return Source(kind="remote", location=url, default_name=name_from_location(SCP_PATTERN.match(url)["path"]))
    if scheme and not text.startswith(("/", ".", "~")) and not _is_plain_relative(text):
        raise UnsafeSource(
            f"The {scheme['scheme']}: scheme is not allowed; use https://, ssh://, user@host:path or git://, "
            "or a local folder path."
        )
    path = validate_local_path(text, repo_roots=repo_roots, timeout=timeout)
    return Source(kind="local", location=str(path), default_name=name_from_location(path.name))


def validate_remote_url(url: str) -> str:
    """Return `url` when it is an https, ssh, scp-like or git URL that git cannot read as an option."""
    text = _checked_text(url, what="URL", max_length=MAX_SOURCE_LENGTH)
    if any(ch.isspace() for ch in text):
        raise UnsafeSource("A repository URL cannot contain spaces.")
    scp = SCP_PATTERN.match(text)
    if scp and "://" not in text:
        return _checked_scp(scp)
    parts = urlsplit(text)
    if parts.scheme.lower() not in REMOTE_SCHEMES:
        raise UnsafeSource(
            f"The {parts.scheme or 'empty'}:// scheme is not allowed; use https://, ssh://, user@host:path or git://."
        )
    _check_credentials(parts)
    _check_authority(parts)
    if not parts.path.strip("/"):
        raise UnsafeSource("The URL has no repository path.")
    if parts.path.lstrip("/").startswith("-"):
        raise UnsafeSource("The path of the URL cannot start with '-'.")
    return text


def _checked_scp(scp: re.Match[str]) -> str:
    """An scp-like `user@host:path` with a plain account name and a path git cannot read as an option."""
    if not SSH_USER_PATTERN.match(scp["user"]):
        raise UnsafeSource(_CREDENTIALS_REFUSED)
    if scp["path"].startswith("-"):
        raise UnsafeSource("The path of an ssh URL cannot start with '-'.")
    return scp.string


def _check_authority(parts: SplitResult) -> None:
    try:
        _ = parts.port  # urlsplit validates the port only when it is read
    except ValueError:
        raise UnsafeSource("The port of the URL is not a number.") from None
    host = parts.hostname or ""
    if not host or not HOST_PATTERN.match(host if ":" not in host else f"[{host}]"):
        raise UnsafeSource("The URL has no valid host name.")
    if parts.username is not None and not USER_PATTERN.match(parts.username):
        raise UnsafeSource("The user name in the URL is not valid.")


_CREDENTIALS_REFUSED = ("Credentials in URLs (a password, a token, or a user name outside ssh) are not accepted; "
                        "use an ssh URL with a deploy key.")


def _check_credentials(parts: SplitResult) -> None:
    """Refuse any user information except a plain ssh account name (a token would be stored and shown)."""
    if parts.password is not None or "@" in parts.netloc and parts.username is None:
        raise UnsafeSource(_CREDENTIALS_REFUSED)
    if parts.username is None:
        return
    if parts.scheme.lower() != "ssh" or not SSH_USER_PATTERN.match(parts.username):
        raise UnsafeSource(_CREDENTIALS_REFUSED)


def validate_local_path(path: str, *, repo_roots: Sequence[Path] = (), timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Resolve a local repository folder (following symlinks), check it is allowed and is a git repository."""
    text = _checked_text(path, what="path", max_length=MAX_SOURCE_LENGTH)
    candidate = Path(os.path.expanduser(text))
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        raise UnsafeSource(f"{text} does not exist.") from None
    if not resolved.is_dir():
        raise UnsafeSource(f"{resolved} is not a folder.")
    if repo_roots and not any(_is_within(resolved, Path(root).resolve()) for root in repo_roots):
        allowed = ", ".join(str(root) for root in repo_roots)
        raise UnsafeSource(f"{resolved} is outside the allowed repository folders ({allowed}).")
    top = repository_top(resolved, timeout=timeout)
    if repo_roots:
        check_storage_within_roots(top, repo_roots, timeout=timeout)
    return top


def repository_top(path: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Return `path` when it is the top of a git work tree or a bare repository; raise UnsafeSource otherwise."""
    try:
        out = run_git(path, ["rev-parse", "--is-bare-repository", "--absolute-git-dir"], timeout=timeout)
        is_bare, git_dir = out.decode("utf-8", "surrogateescape").splitlines()[:2]
        if is_bare.strip() == "true":
            top = Path(git_dir)
        else:
            # Empty inside a .git folder: that is not the top of the work tree.
            top = Path(run_git(path, ["rev-parse", "--show-toplevel"], timeout=timeout,
                               check=False).decode("utf-8", "surrogateescape").strip() or Path(git_dir).parent)
    except (GitError, ValueError) as exc:
        if "dubious ownership" in getattr(exc, "stderr", ""):
            raise UnsafeSource(f"{path} belongs to another user; git refuses to read it.") from None
        raise UnsafeSource(f"{path} is not a git repository.") from None
    if top.resolve() != path:
        raise UnsafeSource(f"{path} is not the top folder of a git repository (that is {top.resolve()}).")
    return path


def repository_storage(path: Path, *, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """The real folders a repository's history is read from: its git directory, common directory and objects."""
    try:
        out = run_git(path, ["rev-parse", "--path-format=absolute", "--absolute-git-dir", "--git-common-dir",
                             "--git-path", "objects"], timeout=timeout)
    except GitError:
        raise UnsafeSource(f"{path} is not a git repository.") from None
    folders = [Path(line).resolve() for line in out.decode("utf-8", "surrogateescape").splitlines() if line]
    return folders


def check_storage_within_roots(path: Path, repo_roots: Sequence[Path], *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Refuse a repository whose git directory or objects lie outside the roots, or that borrows objects.

    A `.git` file (`gitdir: /elsewhere`), a linked work tree's common directory, a symlinked `objects`
    folder and `objects/info/alternates` can all make git read history from outside a folder that is
    itself inside the roots. Alternates are refused altogether (they are an optimisation, never needed).
    """
    roots = [Path(root).resolve() for root in repo_roots]
    for folder in repository_storage(path, timeout=timeout):
        if not any(_is_within(folder, root) for root in roots):
            raise UnsafeSource(f"{path} keeps its history in {folder}, outside the allowed repository folders.")
        for name in ("alternates", "http-alternates"):
            borrowed = folder / "info" / name
            if folder.name == "objects" and borrowed.exists() and borrowed.read_bytes().strip():
                raise UnsafeSource(f"{path} borrows objects from other repositories (objects/info/{name}); "
                                   "repositories with alternates are not accepted when repository folders "
                                   "are restricted.")


def validate_revision(revision: str) -> str:
    """Return a revision expression that git cannot read as an option; raise UnsafeSource otherwise."""
    text = _checked_text(revision, what="revision", max_length=MAX_REVISION_LENGTH)
    if text != text.strip():
        raise UnsafeSource("A revision cannot start or end with a space.")
    return text


def resolve_revision(repo_path: str | os.PathLike[str], revision: str, *,
                     timeout: float = DEFAULT_TIMEOUT) -> ResolvedRevision | None:
    """Resolve a validated revision to a commit id and committer date; None when it names no commit."""
    text = validate_revision(revision)
    out = run_git(repo_path, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{text}^{{commit}}"],
                  timeout=timeout, check=False).strip()
    if not re.fullmatch(rb"[0-9a-f]{40}|[0-9a-f]{64}", out):
        return None
    sha = out.decode("ascii")
    stamp = run_git(repo_path, ["show", "-s", "--format=%ct", sha], timeout=timeout).strip()
    return ResolvedRevision(sha=sha, committed_at=datetime.fromtimestamp(int(stamp), tz=timezone.utc))


def validate_name(name: str) -> str:
    """Return `name` when it is a repository slug (lower-case letters, digits, '-' and '_', not leading '-')."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise UnsafeSource(
            "A repository name is 1 to 100 lower-case letters, digits, '-' or '_', starting with a letter or digit."
        )
    return name


def name_from_location(location: str) -> str:
    """A slug from the last component of a path or URL path: `/src/My Project.git` -> `my-project`."""
    last = location.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if last.endswith(".git"):
        last = last[: -len(".git")]
    ascii_text = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text).strip("-_")
    return slug[:MAX_NAME_LENGTH].rstrip("-_") or "repository"


def _checked_text(value: str, *, what: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UnsafeSource(f"The {what} is empty.")
    if len(value) > max_length:
        raise UnsafeSource(f"The {what} is longer than {max_length} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise UnsafeSource(f"The {what} contains control characters.")
    if value.lstrip().startswith("-"):
        raise UnsafeSource(f"The {what} cannot start with '-' (git would read it as an option).")
    return value


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _is_plain_relative(text: str) -> bool:
    # "src:old/repo" is a relative folder name containing a colon only if it exists on disk as such;
    # anything else that looks like `word:` is a scheme we do not accept.
    return os.path.exists(text)
