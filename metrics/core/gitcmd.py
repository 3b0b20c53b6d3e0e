"""Running git safely: nothing a scanned repository supplies runs, no prompts, a wall-clock timeout.

Every git process debtboard starts goes through here (docs/security.md). Arguments that come from
users (revisions, paths, URLs) are validated by callers and always placed after `--` or as verified
object names, never where git would read them as options. Three layers keep a repository's own
configuration (`.git/config`, `.gitattributes`, hooks) from making git run a program:

- the environment: no system or global configuration (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL` set to
  an empty file), no inherited `GIT_*` variable (`GIT_ALTERNATE_OBJECT_DIRECTORIES`, `GIT_DIR`, ...);
- `-c` overrides of every repository-level key that names a program (SAFE_CONFIG; command-line
  configuration beats every file);
- per-command options for what no key can switch off (a `.gitattributes` textconv or diff driver),
  added here to every `log`, `show`, `diff` and `blame` (SAFE_OPTIONS), and an allow-list of git
  commands, none of which converts between the work tree and the object store (so no clean or smudge
  filter can run).
"""
import os
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from metrics.core.errors import GitError, GitTimeout

# Configuration that neutralises commands a scanned repository's own .git/config could run.
SAFE_CONFIG: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.sshCommand=ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
    "-c", "core.askPass=/bin/false",
    "-c", "core.pager=cat",
    "-c", "core.quotePath=false",
    "-c", "protocol.allow=never",
    "-c", "protocol.https.allow=always",
    "-c", "protocol.ssh.allow=always",
    "-c", "protocol.git.allow=always",
    "-c", "diff.external=",
    "-c", "gpg.program=false",
    "-c", "gpg.openpgp.program=false",
    "-c", "gpg.ssh.program=false",
    "-c", "gpg.x509.program=false",
    "-c", "log.showSignature=false",
    "-c", "blame.ignoreRevsFile=",
    "-c", "mailmap.file=",
    "-c", "mailmap.blob=",
    "-c", "credential.helper=",
    "-c", "uploadpack.packObjectsHook=",
)

# Options that switch off what a repository's .gitattributes selects (textconv and external diff drivers)
# and signature checks, inserted right after the command name.
SAFE_OPTIONS: dict[str, tuple[str, ...]] = {
    "log": ("--no-show-signature", "--no-textconv", "--no-ext-diff"),
    "show": ("--no-show-signature", "--no-textconv", "--no-ext-diff"),
    "diff": ("--no-textconv", "--no-ext-diff"),
    "blame": ("--no-textconv",),
}

# The git commands debtboard runs. None of them reads the work tree through .gitattributes filters
# (checkout, add, status, a work-tree diff): a repository's clean/smudge drivers have nothing to run on.
ALLOWED_COMMANDS = frozenset({
    "blame", "cat-file", "clone", "diff", "fetch", "log", "ls-tree", "merge-base", "rev-list", "rev-parse", "show",
})
# Options of the allowed commands that would run a filter or textconv driver.
FORBIDDEN_OPTIONS = frozenset({"--filters", "--textconv", "--ext-diff", "--show-signature"})

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


def safe_args(args: Sequence[str]) -> list[str]:
    """`args` with the command's safety options added; raise GitError for a command or option not allowed."""
    if not args or args[0] not in ALLOWED_COMMANDS:
        raise GitError(f"git {args[0] if args else ''} is not a command debtboard runs")
    command, rest = args[0], list(args[1:])
    options = rest[:rest.index("--")] if "--" in rest else rest
    forbidden = FORBIDDEN_OPTIONS.intersection(options)
    if forbidden:
        raise GitError(f"git {command} {sorted(forbidden)[0]} could run a program of the repository")
    return [command, *SAFE_OPTIONS.get(command, ()), *rest]


def git_argv(repo_path: str | os.PathLike[str] | None, args: Sequence[str]) -> list[str]:
    """The full argument vector for `git <args>` run against `repo_path`."""
    argv = ["git", *SAFE_CONFIG]
    if repo_path is not None:
        argv += ["-C", os.fspath(repo_path)]
    return [*argv, *safe_args(args)]


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
