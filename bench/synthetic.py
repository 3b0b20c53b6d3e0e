"""A deterministic synthetic git repository for the benchmarks: realistic Python, two years of history.

    make_synthetic_repo(path, files=2000, commits=600, seed=1) -> Path

About 2,000 Python files and 300,000 lines at HEAD (modules of functions and classes with varied
cyclomatic complexity, docstrings, comments, TODO markers and the usual flake8 findings), written by
six authors (one a bot) in several hundred commits over two years: files are added as the project
grows, hot files change often, some are renamed or moved between packages, a few are deleted, and one
mechanical commit touches hundreds of files. The same arguments always give the same commit ids.

The repository is built once with `git fast-import` under var/bench/ and cloned (hard links, fast)
to `path` when another path is asked for.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
GENERATOR_VERSION = 3
STAMP = "debtboard-synthetic.json"
START = datetime(2023, 1, 2, 9, 0, tzinfo=timezone.utc)
SPAN_DAYS = 730
AUTHORS = (  # name, email, weight
    ("Ada Lovelace", "ada@example.com", 30),
    ("Grace Hopper", "grace@example.com", 24),
    ("Margaret Hamilton", "margaret@example.com", 16),
    ("Ken Thompson", "ken@example.com", 14),
    ("Barbara Liskov", "barbara@example.com", 12),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 4),
)
PACKAGES = (
    "accounts", "analytics", "api", "audit", "auth", "billing", "cache", "catalog", "core", "exporter",
    "geo", "importer", "ingest", "inventory", "media", "notifications", "payments", "pricing", "reports",
    "scheduler", "search", "shipping", "storage", "users", "workflow",
)
SUBPACKAGES = ("", "models", "services", "handlers", "adapters", "utils_legacy", "views", "tasks")
NOUNS = (
    "order", "item", "user", "account", "invoice", "payment", "record", "report", "event", "batch",
    "price", "line", "customer", "session", "token", "message", "entry", "schedule", "job", "rule",
    "profile", "address", "product", "stock", "shipment", "query", "result", "page", "file", "config",
)
VERBS = (
    "load", "save", "build", "compute", "validate", "parse", "render", "sync", "merge", "apply",
    "collect", "resolve", "fetch", "update", "check", "normalise", "export", "ingest", "split", "rank",
)
ADJECTIVES = ("pending", "active", "total", "last", "raw", "clean", "next", "default", "local", "remote")
IMPORTS = (
    "import os", "import re", "import json", "import logging", "import datetime", "import itertools",
    "import collections", "import functools", "from decimal import Decimal", "from pathlib import Path",
    "from typing import Any, Optional", "from dataclasses import dataclass",
)
TODO_TEXTS = (
    "TODO: handle the empty case", "FIXME: this breaks with unicode names", "TODO(ada): move to the service",
    "HACK: remove after the migration", "XXX: slow for big batches", "TODO: add tests",
)


@dataclass
class Module:
    """One Python file as a list of top-level units (import block, functions, classes)."""

    path: str
    header: str
    units: list[str] = field(default_factory=list)

    def text(self) -> str:
        return self.header + "\n\n\n" + "\n\n\n".join(self.units) + "\n"


class CodeWriter:
    """Writes plausible Python with a chosen cyclomatic complexity."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self) -> str:
        return f"{self.rng.choice(NOUNS)}"

    def function_name(self) -> str:
        return f"{self.rng.choice(VERBS)}_{self.rng.choice(ADJECTIVES)}_{self.rng.choice(NOUNS)}"

    def complexity(self) -> int:
        roll = self.rng.random()
        if roll < 0.62:
            return self.rng.randint(1, 4)
        if roll < 0.88:
            return self.rng.randint(5, 10)
        if roll < 0.97:
            return self.rng.randint(11, 22)
        return self.rng.randint(23, 45)

    def simple(self, indent: str, names: list[str]) -> str:
        rng = self.rng
        source = rng.choice(names)
        choices = (
            f"{indent}result.append({source}.{rng.choice(VERBS)}())",
            f"{indent}result.append(len(result) + {rng.randint(1, 9)})",
            f'{indent}logger.debug("{rng.choice(VERBS)} %s", {source})',
            f'{indent}result.append({{"{rng.choice(NOUNS)}": {source}, "{rng.choice(NOUNS)}": {rng.randint(0, 99)}}})',
            f"{indent}result.append({source})",
            f"{indent}result.append({source} * {rng.randint(2, 9)} - {rng.randint(1, 5)})",
        )
        return rng.choice(choices)

    def block(self, indent: str, names: list[str], budget: int, depth: int) -> tuple[list[str], int]:
        """Statements adding at most `budget` decision points; return them and the points used."""
        rng = self.rng
        kind = rng.choice(("if", "if_elif", "for", "for_if", "while", "try", "bool", "comp", "simple"))
        if budget < 2 and kind in ("if_elif", "for_if", "try", "while", "bool", "comp"):
            kind = "if"
        if kind == "simple" or budget <= 0:
            return [self.simple(indent, names)], 0
        inner = indent + "    "
        body: list[str] = []
        used = 0
        if depth < 3 and budget > 3 and rng.random() < 0.35:
            body, used = self.block(inner, names + ["item"], rng.randint(1, budget - 2), depth + 1)
        lines, points = getattr(self, f"_{kind}")(indent, inner, rng.choice(names), rng.choice(names),
                                                  body or [self.simple(inner, names)], names)
        return lines, points + (used if kind != "comp" else 0)

    def _if(self, indent: str, inner: str, a: str, b: str, body: list[str], names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}if {a}.{self.rng.choice(ADJECTIVES)}:", *body], 1

    def _if_elif(self, indent: str, inner: str, a: str, b: str, body: list[str],
                 names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}if {a} is None:", f"{inner}return None", f"{indent}elif {a} > {b}:", *body,
                f"{indent}else:", self.simple(inner, names)], 2

    def _for(self, indent: str, inner: str, a: str, b: str, body: list[str], names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}for item in {b}:", *body], 1

    def _for_if(self, indent: str, inner: str, a: str, b: str, body: list[str],
                names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}for item in {b}:", f"{inner}if not item:", f"{inner}    continue", *body], 2

    def _while(self, indent: str, inner: str, a: str, b: str, body: list[str],
               names: list[str]) -> tuple[list[str], int]:
        link = self.rng.choice(("next", "parent", "pending"))
        return [f"{indent}while {a} and {a}.{link}:", f"{inner}{a} = {a}.next", *body], 2

    def _try(self, indent: str, inner: str, a: str, b: str, body: list[str], names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}try:", *body, f"{indent}except (KeyError, ValueError) as exc:",
                f'{inner}logger.warning("{self.rng.choice(VERBS)} failed: %s", exc)',
                f"{indent}except {self.rng.choice(('OSError', 'TypeError', 'LookupError'))}:",
                f"{inner}raise"], 2

    def _bool(self, indent: str, inner: str, a: str, b: str, body: list[str],
              names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}if {a} is not None and {b} or {a}.{self.rng.choice(ADJECTIVES)}:", *body], 3

    def _comp(self, indent: str, inner: str, a: str, b: str, body: list[str],
              names: list[str]) -> tuple[list[str], int]:
        return [f"{indent}result.extend(x for x in {b} if x.{self.rng.choice(ADJECTIVES)})"], 2

    def function(self, indent: str = "", method: bool = False) -> str:
        rng = self.rng
        name = self.function_name()
        params = rng.sample(NOUNS, rng.randint(1, 3))
        names = params + ["result"]
        signature = ", ".join((["self"] if method else []) + params)
        lines = [f"{indent}def {name}({signature}):"]
        inner = indent + "    "
        if rng.random() < 0.8:
            lines.append(f'{inner}"""{name.replace("_", " ").capitalize()}."""')
        lines.append(f"{inner}result = []")
        budget = self.complexity() - 1
        if rng.random() < 0.04:
            lines.append(f"{inner}unused_{rng.choice(NOUNS)} = {rng.randint(0, 9)}")  # a little lint, as in life
        while budget > 0:
            block, used = self.block(inner, names, budget, 0)
            lines += block
            budget -= max(used, 1)
            if rng.random() < 0.3:
                lines.append(self.simple(inner, names))
        if rng.random() < 0.12:
            lines.append(f"{inner}# {rng.choice(TODO_TEXTS)}")
        if rng.random() < 0.05:
            lines.append(f'{inner}logger.info("{" ".join(rng.choices(NOUNS, k=14))}")')
        lines.append(f"{inner}return result")
        return "\n".join(lines)

    def klass(self) -> str:
        rng = self.rng
        name = f"{rng.choice(NOUNS).capitalize()}{rng.choice(('Service', 'Manager', 'Handler', 'Repository'))}"
        lines = [f"class {name}:", f'    """{name} of the domain."""', ""]
        lines.append("    def __init__(self, config=None):")
        lines.append("        self.config = config or {}")
        for _ in range(rng.randint(1, 5)):
            lines += ["", self.function("    ", method=True)]
        return "\n".join(lines)

    def header(self, path: str) -> str:
        rng = self.rng
        imports = sorted(rng.sample(IMPORTS, rng.randint(1, 4)))
        module = Path(path).stem.replace("_", " ")
        return "\n".join([f'"""The {module} module."""', *imports, "", "logger = logging.getLogger(__name__)"]) \
            if "import logging" in imports else \
            "\n".join([f'"""The {module} module."""', *imports, "import logging", "",
                       "logger = logging.getLogger(__name__)"])

    def unit(self) -> str:
        return self.klass() if self.rng.random() < 0.3 else self.function()

    def module(self, path: str, lines: int) -> Module:
        module = Module(path, self.header(path))
        while sum(unit.count("\n") + 3 for unit in module.units) < lines:
            module.units.append(self.unit())
        return module


def _file_lines(rng: random.Random) -> int:
    # Most modules are short, a few are long: a log-normal around 110 lines, mean about 150.
    return max(12, min(1500, int(rng.lognormvariate(4.7, 0.75))))


class History:
    """The evolving project: modules by path, and the commits that change them."""

    def __init__(self, files: int, commits: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.writer = CodeWriter(random.Random(seed * 7919 + 1))
        self.files = files
        self.commits = commits
        self.modules: dict[str, Module] = {}
        self.hot: list[str] = []
        self.counter = 0

    def new_path(self) -> str:
        rng = self.rng
        while True:
            self.counter += 1
            package = rng.choice(PACKAGES)
            sub = rng.choice(SUBPACKAGES)
            stem = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}" if rng.random() < 0.7 else f"{rng.choice(NOUNS)}s"
            folder = f"src/{package}/{sub}" if sub else f"src/{package}"
            if rng.random() < 0.15:
                folder, stem = f"tests/{package}", f"test_{stem}"
            path = f"{folder}/{stem}.py"
            if path not in self.modules:
                return path

    def add_files(self, count: int) -> dict[str, str]:
        changed: dict[str, str] = {}
        for _ in range(count):
            path = self.new_path()
            self.modules[path] = self.writer.module(path, _file_lines(self.rng))
            changed[path] = self.modules[path].text()
            init = str(Path(path).parent / "__init__.py")
            if init not in self.modules and not path.startswith("tests/"):
                self.modules[init] = Module(init, f'"""The {Path(init).parent.name} package."""')
                changed[init] = self.modules[init].text()
            if self.rng.random() < 0.08:
                self.hot.append(path)
        return changed

    def modify(self, path: str) -> str:
        module = self.modules[path]
        rng = self.rng
        roll = rng.random()
        if not module.units or roll < 0.35:
            module.units.append(self.writer.unit())
        elif roll < 0.85:
            module.units[rng.randrange(len(module.units))] = self.writer.unit()
        elif len(module.units) > 1:
            del module.units[rng.randrange(len(module.units))]
        return module.text()

    def pick_for_change(self) -> str:
        candidates = [p for p in self.modules if not p.endswith("__init__.py")]
        if self.hot and self.rng.random() < 0.5:
            hot = [p for p in self.hot if p in self.modules]
            if hot:
                return self.rng.choice(hot)
        return self.rng.choice(candidates)


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _quote(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _modify_op(path: str, text: str) -> bytes:
    return f"M 100644 inline {_quote(path)}\n".encode() + _data(text)


class Commits:
    """Decides what each commit of the history does, and writes its fast-import operations."""

    def __init__(self, files: int, commits: int, seed: int) -> None:
        self.history = History(files, commits, seed)
        self.rng = self.history.rng
        self.files = files
        self.commits = commits
        self.growth_end = max(1, int(commits * 0.6))
        self.mechanical = int(commits * 0.8)

    def python_files(self) -> int:
        return sum(1 for path in self.history.modules if not path.endswith("__init__.py"))

    def operations(self, index: int) -> tuple[str, list[bytes], tuple[str, str] | None]:
        """The commit message, its operations and an author who must make it (None: anyone)."""
        rng = self.rng
        target = int(self.files * 0.85 * min(1.0, 0.1 + 0.9 * (index + 1) / self.growth_end))
        if self.python_files() < target:
            added = self.history.add_files(min(target - self.python_files(), 80))
            return f"Add {rng.choice(NOUNS)} features", [_modify_op(p, t) for p, t in added.items()], None
        if index == self.mechanical:
            return "Apply automatic formatting", self.reformat(), ("pre-commit-ci[bot]", "bot@example.com")
        if rng.random() < 0.08:
            return self.rename()
        if rng.random() < 0.015 and self.python_files() > 50:
            gone = self.history.pick_for_change()
            del self.history.modules[gone]
            return f"Remove {Path(gone).stem}", [f"D {_quote(gone)}\n".encode()], None
        paths = sorted({self.history.pick_for_change() for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6)))})
        message = f"{rng.choice(('Fix', 'Refactor', 'Improve', 'Update', 'Tidy'))} {rng.choice(NOUNS)} handling"
        return message, [_modify_op(path, self.history.modify(path)) for path in paths], None

    def reformat(self) -> list[bytes]:
        ops = []
        for path in sorted(self.history.modules)[::3]:
            self.history.modules[path].header += "\n# formatted"
            ops.append(_modify_op(path, self.history.modules[path].text()))
        return ops

    def rename(self) -> tuple[str, list[bytes], None]:
        history = self.history
        old = history.pick_for_change()
        new = history.new_path()
        history.modules[new] = history.modules.pop(old)
        history.modules[new].path = new
        history.hot = [new if path == old else path for path in history.hot]
        ops = [f"R {_quote(old)} {_quote(new)}\n".encode()]
        init = str(Path(new).parent / "__init__.py")
        if init not in history.modules and not new.startswith("tests/"):
            history.modules[init] = Module(init, f'"""The {Path(init).parent.name} package."""')
            ops.append(_modify_op(init, history.modules[init].text()))
        return f"Move {Path(old).stem} to {Path(new).parent.name}", ops, None

    def top_up(self) -> list[bytes]:
        """The last commit brings the file count to the target."""
        missing = self.files - sum(1 for path in self.history.modules if path.endswith(".py"))
        return [_modify_op(path, text) for path, text in self.history.add_files(max(0, missing)).items()]


def _stream(files: int, commits: int, seed: int) -> Iterator[bytes]:
    """Yield the git fast-import stream of the whole history."""
    plan = Commits(files, commits, seed)
    weights = [weight for _, _, weight in AUTHORS]
    seconds = SPAN_DAYS * 86400
    for index in range(commits):
        name, email, _ = plan.rng.choices(AUTHORS, weights=weights)[0]
        when = START + timedelta(seconds=int(seconds * index / commits) + plan.rng.randint(0, 3600))
        message, ops, author = plan.operations(index)
        if author is not None:
            name, email = author
        if index == commits - 1:
            ops += plan.top_up()
        if index == 0:
            ops.append(_modify_op("README.md", "# Synthetic project\n\nGenerated by debtboard's bench/synthetic.py.\n"))
        stamp = f"{int(when.timestamp())} +0000"
        head = (f"commit refs/heads/main\nmark :{index + 1}\n"
                f"author {name} <{email}> {stamp}\ncommitter {name} <{email}> {stamp}\n").encode()
        yield head + _data(message) + (f"from :{index}\n".encode() if index else b"") + b"".join(ops) + b"\n"


def _git(path: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", "-C", str(path), *args], input=stdin, env=env, check=True,
                          capture_output=True).stdout


def _params(files: int, commits: int, seed: int) -> dict:
    return {"files": files, "commits": commits, "seed": seed, "generator": GENERATOR_VERSION}


def _is_built(path: Path, params: dict) -> bool:
    stamp = path / ".git" / STAMP
    try:
        return json.loads(stamp.read_text()) == params
    except (OSError, ValueError):
        return False


def _build(target: Path, files: int, commits: int, seed: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        _git(scratch, "init", "-q", "-b", "main")
        process = subprocess.Popen(["git", "-C", str(scratch), "fast-import", "--quiet", "--done"],
                                   stdin=subprocess.PIPE, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
        assert process.stdin is not None
        for chunk in _stream(files, commits, seed):
            process.stdin.write(chunk)
        process.stdin.write(b"done\n")
        process.stdin.close()
        if process.wait() != 0:
            raise RuntimeError("git fast-import failed")
        _git(scratch, "reset", "-q", "--hard", "main")
        _git(scratch, "gc", "-q", "--aggressive", "--prune=now")
        (scratch / ".git" / STAMP).write_text(json.dumps(_params(files, commits, seed)))
        if target.exists():
            shutil.rmtree(target)
        try:
            scratch.rename(target)
        except OSError:  # another process built it at the same time: keep theirs
            if not _is_built(target, _params(files, commits, seed)):
                raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)


def cached_path(*, files: int = 2000, commits: int = 600, seed: int = 1) -> Path:
    """Where the repository of these parameters is cached."""
    return CACHE / f"synthetic-f{files}-c{commits}-s{seed}-v{GENERATOR_VERSION}"


def make_synthetic_repo(path: str | os.PathLike[str] | None = None, *, files: int = 2000, commits: int = 600,
                        seed: int = 1) -> Path:
    """Build (once, cached under var/bench/) the synthetic repository; clone it to `path` if given."""
    params = _params(files, commits, seed)
    cache = cached_path(files=files, commits=commits, seed=seed)
    if not _is_built(cache, params):
        _build(cache, files, commits, seed)
    if path is None or Path(path).resolve() == cache.resolve():
        return cache
    target = Path(path)
    if _is_built(target, params):
        return target
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not this synthetic repository")
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "-q", "--local", str(cache), str(target)], check=True, capture_output=True,
                   env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
    (target / ".git" / STAMP).write_text(json.dumps(params))
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the repository and print its path and size."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="clone it here (default: only the cache under var/bench/)")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    repo = make_synthetic_repo(options.path, files=options.files, commits=options.commits, seed=options.seed)
    tracked = _git(repo, "ls-files", "-z").split(b"\0")
    python = [p for p in tracked if p.endswith(b".py")]
    lines = sum((repo / p.decode()).read_bytes().count(b"\n") for p in python)
    commits = int(_git(repo, "rev-list", "--count", "HEAD"))
    head = _git(repo, "rev-parse", "HEAD").decode().strip()
    print(f"{repo}: {len(python)} Python files, {lines:,} lines, {commits} commits, HEAD {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
