"""Push webhooks from GitHub and GitLab: check their signature or token, and read the push out of the payload.

Pure: the caller reads the request and passes the body, the headers' values and the decoded JSON in.
"""
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from metrics.core.errors import CoreError

GITHUB, GITLAB = "github", "gitlab"
PROVIDERS: tuple[str, ...] = (GITHUB, GITLAB)
BRANCH_PREFIX = "refs/heads/"
MAX_REF_LENGTH = 255
ZERO_SHA = re.compile(r"0{40}|0{64}")
# What git's check-ref-format refuses in a branch name, besides the sequences checked below.
_REFUSED_CHARACTERS = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")


class WebhookPayloadInvalid(CoreError):
    """A payload that is not a push as GitHub or GitLab send it; `field` names the part that is wrong."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PushEvent:
    """What debtboard needs of a push: the branch pushed (None for a tag), whether it was deleted."""

    ref: str
    branch: str | None
    deleted: bool
    after: str
    default_branch: str


def github_signature_valid(*, secret: str, body: bytes, header: str | None) -> bool:
    """Whether X-Hub-Signature-256 is `sha256=` + HMAC-SHA256(secret, body), compared in constant time."""
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode("utf-8", "surrogateescape"))


def gitlab_token_valid(*, secret: str, header: str | None) -> bool:
    """Whether X-Gitlab-Token is the secret, compared in constant time."""
    if not secret or not header:
        return False
    return hmac.compare_digest(secret.encode(), header.encode("utf-8", "surrogateescape"))


def branch_name_check(name: str, *, field: str = "ref") -> str:
    """A branch name as git allows it; control characters, spaces, `..`, `@{` and friends are refused."""
    refusals = (
        not name, len(name) > MAX_REF_LENGTH, _REFUSED_CHARACTERS.search(name) is not None,
        any(part in name for part in ("..", "@{", "//")), name.startswith(("/", "-", ".")),
        name.endswith(("/", ".lock", ".")),
    )
    if any(refusals):
        raise WebhookPayloadInvalid(f"{field} is not a valid git branch name: {name[:100]!r}.", field=field)
    return name


def _text(payload: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = payload.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise WebhookPayloadInvalid(f"The push payload's {key!r} must be a string.", field=key)
    return value


def _project(payload: dict[str, Any], provider: str) -> dict[str, Any]:
    project = payload.get("repository" if provider == GITHUB else "project")
    return project if isinstance(project, dict) else {}


def push_parse(*, provider: str, payload: Any) -> PushEvent:
    """Read a GitHub `push` or GitLab `Push Hook` payload; refuse one that is not shaped like a push."""
    if not isinstance(payload, dict):
        raise WebhookPayloadInvalid("The payload must be a JSON object.", field="payload")
    ref = _text(payload, "ref")
    if len(ref) > MAX_REF_LENGTH + len(BRANCH_PREFIX) or _REFUSED_CHARACTERS.search(ref):
        raise WebhookPayloadInvalid(f"ref is not a valid git reference: {ref[:100]!r}.", field="ref")
    branch = branch_name_check(ref.removeprefix(BRANCH_PREFIX)) if ref.startswith(BRANCH_PREFIX) else None
    after = _text(payload, "after", required=False)
    deleted = payload.get("deleted") is True or bool(ZERO_SHA.fullmatch(after))
    default_branch = _text(_project(payload, provider), "default_branch", required=False)
    if default_branch:
        branch_name_check(default_branch, field="default_branch")
    return PushEvent(ref=ref, branch=branch, deleted=deleted, after=after, default_branch=default_branch)


def tracked_branch(*, default_revision: str, default_branch: str) -> str:
    """The branch a repository follows: its default revision as a branch name, or the remote's default for HEAD."""
    revision = default_revision.strip()
    for prefix in (BRANCH_PREFIX, "refs/remotes/origin/", "origin/"):
        revision = revision.removeprefix(prefix)
    return default_branch if revision in ("", "HEAD") else revision
