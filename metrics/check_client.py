"""The HTTP side of `debtboard check`: fetch a repository's analysis settings, post a change, read the verdict.

Standard library only (urllib), a timeout on every request, and every failure turned into one CheckClientError
whose message is a single line a CI log can show: unreachable server, HTTP status with the server's own
message, a body over the size the server accepts.
"""
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from metrics.data import AnalysisSettings, ChangeSubmission
from metrics.errors import RepositoryInvalid

# The server's default request limit (DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MiB): a bigger body is refused
# here, before it is sent, with what to do about it.
MAX_BODY_BYTES = 2_621_440
DEFAULT_TIMEOUT = 60.0
USER_AGENT = "debtboard-check/1"


class CheckClientError(Exception):
    """A change check could not be carried out: the message is one line for the CI log."""


@dataclass(frozen=True)
class Server:
    """Where the debtboard server is and how to authenticate (the token comes from DEBTBOARD_TOKEN)."""

    url: str
    token: str = ""
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CheckClientError(f"--server must be an http(s) URL, not {self.url!r}.")
        object.__setattr__(self, "url", self.url.rstrip("/"))

    def endpoint(self, repository: str, action: str) -> str:
        return f"{self.url}/api/v1/repositories/{urllib.parse.quote(repository, safe='')}/{action}/"


def _server_message(error: urllib.error.HTTPError) -> str:
    """The server's `message` (debtboard's error body) or the first line of whatever it answered."""
    try:
        raw = error.read(64 * 1024)
    except OSError:
        raw = b""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message") or body.get("detail"), str):
        text = body.get("message") or body.get("detail")
    else:
        text = raw.decode("utf-8", "replace").strip() or error.reason
    return " ".join(str(text).split())[:500]


def _request(server: Server, request: urllib.request.Request) -> Any:
    request.add_header("Accept", "application/json")
    request.add_header("User-Agent", USER_AGENT)
    if server.token:
        request.add_header("Authorization", f"Bearer {server.token}")
    try:
        with urllib.request.urlopen(request, timeout=server.timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        hint = " (is DEBTBOARD_TOKEN set to a valid token?)" if exc.code == 401 else ""
        raise CheckClientError(f"The server answered {exc.code} to {request.get_method()} {request.full_url}: "
                               f"{_server_message(exc)}{hint}") from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CheckClientError(f"Cannot reach the debtboard server at {server.url}: {reason}") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise CheckClientError(f"The server's answer to {request.full_url} is not JSON.") from None


def analysis_settings_fetch(*, server: Server, repository: str) -> AnalysisSettings:
    """The analyser settings the server uses for `repository`."""
    body = _request(server, urllib.request.Request(server.endpoint(repository, "analysis-settings")))
    try:
        return AnalysisSettings.from_json(body)
    except RepositoryInvalid as exc:
        raise CheckClientError(f"The server sent analysis settings this client cannot use: {exc.message}") from None


def encode_submission(submission: ChangeSubmission, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The JSON body of a change; CheckClientError when it is over `limit` bytes or holds a non-finite number."""
    try:
        body = json.dumps(submission.as_json(), allow_nan=False, separators=(",", ":")).encode()
    except ValueError as exc:
        raise CheckClientError(f"The change's figures hold a number JSON cannot carry: {exc}") from None
    if len(body) > limit:
        raise CheckClientError(
            f"The change's figures are {len(body):,} bytes, over the {limit:,} bytes the server accepts: "
            f"check a smaller change (--base closer to HEAD), or raise the server's "
            f"DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE."
        )
    return body


def change_check_post(*, server: Server, repository: str, submission: ChangeSubmission,
                      limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """Post the change and return the server's verdict (the change check's JSON)."""
    request = urllib.request.Request(server.endpoint(repository, "change-checks"),
                                     data=encode_submission(submission, limit=limit), method="POST")
    request.add_header("Content-Type", "application/json")
    verdict = _request(server, request)
    if not isinstance(verdict, dict) or verdict.get("status") not in ("pass", "cleaner", "fail"):
        raise CheckClientError("The server's answer to the change check holds no verdict.")
    return verdict
