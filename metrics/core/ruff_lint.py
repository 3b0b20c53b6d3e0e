"""ruff as an optional lint engine for the same rule codes (E, W, F, C90), on source held in memory.

ruff reads the file's text from standard input (`--stdin-filename` names it, nothing is opened) and runs
`--isolated`: it never reads a configuration file, the scanned repository's or any other. Every setting is
passed explicitly. The differences from flake8 are listed in docs/analysis.md.
"""
import json
import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache

from metrics.core.lint import MODULE_NAME, PACKAGE_INIT_NAME, LintCrashed, LintViolation

RUFF = "ruff"
RUFF_TIMEOUT = 60.0


@cache
def ruff_binary() -> str:
    """The ruff executable shipped by the `ruff` wheel."""
    from ruff.__main__ import find_ruff_bin  # imported late: only repositories that chose ruff need it

    return str(find_ruff_bin())


def ruff_argv(
    *,
    select: Sequence[str],
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    extend_ignore: Sequence[str] = (),
    max_line_length: int = 79,
    max_complexity: int = 10,
    max_doc_length: int = 0,
    filename: str = MODULE_NAME,
) -> list[str]:
    """The ruff command line for one file read from standard input."""
    argv = [
        ruff_binary(), "check", "--isolated", "--no-cache", "--no-fix", "--output-format=json", "--exit-zero",
        f"--select={','.join(select)}", f"--line-length={max_line_length}",
        "--config", f"lint.mccabe.max-complexity={max_complexity}",
    ]
    if ignore:
        argv.append(f"--ignore={','.join(ignore)}")
    if extend_select:
        argv.append(f"--extend-select={','.join(extend_select)}")
    ignored = list(extend_ignore)
    if ignored:
        argv.append(f"--extend-ignore={','.join(ignored)}")
    if max_doc_length:
        argv += ["--config", f"lint.pycodestyle.max-doc-length={max_doc_length}"]
    return [*argv, "--stdin-filename", filename, "-"]


def ruff_check(
    text: str,
    *,
    package_init: bool = False,
    select: Sequence[str],
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    extend_ignore: Sequence[str] = (),
    max_line_length: int = 79,
    max_complexity: int = 10,
    max_doc_length: int = 0,
) -> list[LintViolation]:
    """Lint one file's text with ruff; LintCrashed when ruff fails."""
    argv = ruff_argv(
        select=select, ignore=ignore, extend_select=extend_select, extend_ignore=extend_ignore,
        max_line_length=max_line_length, max_complexity=max_complexity, max_doc_length=max_doc_length,
        filename=PACKAGE_INIT_NAME if package_init else MODULE_NAME,
    )
    # An empty working folder: the display path resolves inside it, and there is nothing there to read.
    with tempfile.TemporaryDirectory(prefix="debtboard-ruff-") as folder:
        try:
            result = subprocess.run(argv, input=text.encode("utf-8"), capture_output=True, cwd=folder,
                                    timeout=RUFF_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise LintCrashed(f"ruff could not run: {exc}", plugin=RUFF, original=exc) from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()[:500]
        raise LintCrashed(f"ruff failed: {message or result.returncode}", plugin=RUFF, original=None)
    violations = [
        LintViolation(item["code"] or "E999", item["location"]["row"], item["location"]["column"], item["message"])
        for item in json.loads(result.stdout or b"[]")
    ]
    violations.sort(key=lambda v: (v.line, v.column, v.code))
    return violations
