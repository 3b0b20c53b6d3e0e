"""Running git safely: no hooks, no repository-supplied commands, no prompts, a wall-clock timeout.

Every git process debtboard starts goes through here. Arguments that come from users (revisions,
paths, URLs) are validated by callers and always placed after `--` or as verified object names,
never where git would read them as options.
"""
import os
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from metrics.core.errors import GitError, GitTimeout

# Configuration that neutralises commands a scanned repository's own .git/config could run.
SAFE_CONFIG: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.sshCommand=ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
    "-c", "protocol.file.allow=never",
    "-c", "protocol.ext.allow=never",
    "-c", "core.quotePath=false",
    "-c", "diff.external=",
    "-c", "core.pager=cat",
    "-c", "credential.helper=",
)

DEFAULT_TIMEOUT = 600.0


def git_env() -> dict[str, str]:
    """The environment of every git process: no prompts, no global or system config, stalls time out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "/bin/false",
            "SSH_ASKPASS": "/bin/false",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_HTTP_LOW_SPEED_LIMIT": "1000",
            "GIT_HTTP_LOW_SPEED_TIME": "60",
            "GIT_OPTIONAL_LOCKS": "0",
            "LC_ALL": "C",
        }
    )
    return env


def git_argv(repo_path: str | os.PathLike[str] | None, args: Sequence[str]) -> list[str]:
    """The full argument vector for `git <args>` run against `repo_path`."""
    argv = ["git", *SAFE_CONFIG]
    if repo_path is not None:
        argv += ["-C", os.fspath(repo_path)]
    return [*argv, *args]


def run_git(
    repo_path: str | os.PathLike[str] | None,
    args: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    input: bytes | None = None,
    check: bool = True,
) -> bytes:
    """Run git to completion and return its standard output as bytes."""
    try:
        result = subprocess.run(
            git_argv(repo_path, args), env=git_env(), input=input, capture_output=True, timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitTimeout(f"git {args[0]} ran longer than {timeout:.0f} s and was stopped") from exc
    except OSError as exc:
        raise GitError(f"git could not be started: {exc}") from exc
    if check and result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {args[0]} failed: {stderr or 'exit ' + str(result.returncode)}",
                       stderr=stderr, returncode=result.returncode)
    return result.stdout


@contextmanager
def stream_git(
    repo_path: str | os.PathLike[str] | None,
    args: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: int | None = subprocess.DEVNULL,
) -> Iterator[subprocess.Popen]:
    """Start git with piped output for streaming reads; kill it on exit or after `timeout` seconds."""
    import threading

    process = subprocess.Popen(
        git_argv(repo_path, args), env=git_env(), stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    timed_out = threading.Event()

    def kill_on_timeout() -> None:
        timed_out.set()
        process.kill()

    timer = threading.Timer(timeout, kill_on_timeout)
    timer.daemon = True
    timer.start()
    try:
        yield process
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()
        stderr = process.stderr.read().decode("utf-8", "replace").strip() if process.stderr else ""
        for pipe in (process.stdout, process.stderr, process.stdin):
            if pipe is not None:
                pipe.close()
    if timed_out.is_set():
        raise GitTimeout(f"git {args[0]} ran longer than {timeout:.0f} s and was stopped")
    if process.returncode not in (0, -9):
        raise GitError(f"git {args[0]} failed: {stderr or 'exit ' + str(process.returncode)}",
                       stderr=stderr, returncode=process.returncode)
