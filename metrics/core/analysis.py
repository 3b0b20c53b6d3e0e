"""Static analysis of one Python file: radon metrics, flake8 violations and debt markers, from bytes.

The file is decoded and parsed once; radon's visitors, flake8's AST plugins and the marker scan share
that work (see docs/analysis.md for the formulas and the known gaps of the metrics).
"""
import ast
import fnmatch
import hashlib
import io
import json
import math
import posixpath
import re
import sys
import time
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache
from importlib import metadata

from radon.complexity import cc_rank
from radon.metrics import halstead_visitor_report, mi_compute, mi_rank
from radon.visitors import Class, ComplexityVisitor, Function, HalsteadVisitor

from metrics.core.errors import InvalidAnalysisConfig
from metrics.core.file_classes import (
    DEFAULT_GENERATED_GLOBS,
    DEFAULT_MIGRATION_GLOBS,
    DEFAULT_TEST_GLOBS,
    DEFAULT_VENDORED_GLOBS,
    has_generated_header,
)
from metrics.core.function_figures import FileFigures, RawWalk, finite, raw_walk, raw_walk_tokens
from metrics.core.lint import LintCrashed, LintViolation, flake8_argv, linter_for
from metrics.core.markers import DebtMarker, markers_from_source, markers_from_tokens, might_have_markers
from metrics.core.ruff_lint import RUFF, ruff_check

# Bump when a change of this package changes any stored result: every blob is analysed again.
ANALYZER_VERSION = "2"

OK = "ok"
ERROR = "error"
# Error kinds that depend on the machine's luck, not on the content: never served from the cache.
# A timeout is cached: it is only recorded after the file ran alone past the limit, and a retry costs
# the whole limit on every scan; raising file_timeout_seconds changes the fingerprint (docs/analysis.md).
TRANSIENT_ERROR_KINDS = frozenset({"worker_died", "memory", "pool_failed"})

DEFAULT_INCLUDE = ("**/*.py", "*.py")
# Vendored and generated code left out by default; metrics.data.RepositoryConfig uses these too.
DEFAULT_EXCLUDE = (
    "**/migrations/**", "migrations/**",
    "**/vendor/**", "vendor/**", "**/_vendor/**",
    "**/node_modules/**", "node_modules/**",
    "build/**", "dist/**", "**/build/**", "**/dist/**",
    ".tox/**", "**/.tox/**", ".nox/**", ".venv/**", "venv/**",
    "**/site-packages/**", "**/*_pb2.py", "**/*_pb2_grpc.py",
)
_CODE_PREFIX = re.compile(r"[A-Z]{1,3}[0-9]{0,3}")  # flake8's own rule for --select/--ignore values
_TAG = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")
MAX_WARNINGS = 50  # warnings kept per file
_TOOLS = ("radon", "flake8", "pycodestyle", "pyflakes", "mccabe")
FLAKE8 = "flake8"
LINT_ENGINES = (FLAKE8, RUFF)
_TUPLE_FIELDS = (
    "include", "exclude", "flake8_select", "flake8_ignore", "marker_tags", "flake8_extend_select",
    "flake8_extend_ignore", "lint_exclude", "pinned", "test_globs", "generated_globs", "vendored_globs",
    "migration_globs",
)
# Fields that choose files, classes or where settings come from, not a file's result: outside the fingerprint
# (per_file_ignores and lint_exclude enter it resolved for each file).
_NOT_RESULTS = frozenset({
    "include", "exclude", "per_file_ignores", "lint_exclude", "repository_lint_settings", "pinned",
    "test_globs", "generated_globs", "vendored_globs", "migration_globs",
})


@dataclass(frozen=True)
class AnalysisConfig:
    """What is analysed and how: file globs, flake8 settings, marker tags and per-file limits."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    flake8_select: tuple[str, ...] = ("E", "W", "F", "C90")
    flake8_ignore: tuple[str, ...] = ()
    max_complexity: int = 10
    max_line_length: int = 79
    marker_tags: tuple[str, ...] = ("TODO", "FIXME", "HACK", "XXX")
    max_file_bytes: int = 1024 * 1024
    file_timeout_seconds: float = 10.0
    # More of flake8's own options (a repository's setup.cfg may set them; docs/analysis.md).
    flake8_extend_select: tuple[str, ...] = ()
    flake8_extend_ignore: tuple[str, ...] = ()
    max_doc_length: int = 0  # 0: W505 off
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (flake8 pattern, codes)
    lint_exclude: tuple[str, ...] = ()  # flake8 `exclude` patterns: such files are measured but not linted
    lint_engine: str = FLAKE8
    # Whether the scanned repository's own flake8 settings apply, and which lint fields the repository's
    # debtboard configuration pins (those win over the repository's files).
    repository_lint_settings: bool = True
    pinned: tuple[str, ...] = ()
    # File classes (metrics.core.file_classes): they choose how files are shown, not their results.
    test_globs: tuple[str, ...] = DEFAULT_TEST_GLOBS
    generated_globs: tuple[str, ...] = DEFAULT_GENERATED_GLOBS
    vendored_globs: tuple[str, ...] = DEFAULT_VENDORED_GLOBS
    migration_globs: tuple[str, ...] = DEFAULT_MIGRATION_GLOBS

    def __post_init__(self) -> None:
        for name in _TUPLE_FIELDS:
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "per_file_ignores", tuple(
            (str(pattern), tuple(codes)) for pattern, codes in self.per_file_ignores
        ))
        if self.lint_engine not in LINT_ENGINES:
            raise InvalidAnalysisConfig(f"lint_engine must be one of {', '.join(LINT_ENGINES)}", field="lint_engine")
        self._check_flake8_codes()
        self._check_marker_tags()
        self._check_integer_limits()
        self._check_file_timeout()

    def _check_flake8_codes(self) -> None:
        lists = [(name, getattr(self, name)) for name in ("flake8_select", "flake8_ignore", "flake8_extend_select",
                                                          "flake8_extend_ignore")]
        lists += [("per_file_ignores", codes) for _pattern, codes in self.per_file_ignores]
        for name, codes in lists:
            for code in codes:
                if not _CODE_PREFIX.fullmatch(code):
                    raise InvalidAnalysisConfig(f"{name}: {code!r} is not a flake8 code or prefix", field=name)

    def _check_marker_tags(self) -> None:
        for tag in self.marker_tags:
            if not _TAG.fullmatch(tag):
                raise InvalidAnalysisConfig(f"marker_tags: {tag!r} is not a word", field="marker_tags")

    def _check_integer_limits(self) -> None:
        for name, low, high in (("max_complexity", 1, 10_000), ("max_line_length", 1, 10_000),
                                ("max_doc_length", 0, 10_000), ("max_file_bytes", 1, 1 << 30)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidAnalysisConfig(f"{name} must be an integer from {low} to {high}", field=name)

    def _check_file_timeout(self) -> None:
        timeout = self.file_timeout_seconds
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (
            math.isfinite(timeout) and 0 < timeout <= 3600
        ):
            raise InvalidAnalysisConfig("file_timeout_seconds must be in (0, 3600]", field="file_timeout_seconds")

    def flake8_argv(self, *, extra_ignore: Sequence[str] = ()) -> list[str]:
        """The flake8 command line this configuration stands for (plus a file's per-file ignores)."""
        return flake8_argv(
            select=self.flake8_select, ignore=self.flake8_ignore,
            max_complexity=self.max_complexity, max_line_length=self.max_line_length,
            extend_select=self.flake8_extend_select, extend_ignore=(*self.flake8_extend_ignore, *extra_ignore),
            max_doc_length=self.max_doc_length,
        )

    def path_ignores(self, path: str) -> tuple[str, ...]:
        """The codes `per_file_ignores` adds for the file at `path`, sorted."""
        codes = {code for pattern, pattern_codes in self.per_file_ignores if flake8_pattern_matches(path, pattern)
                 for code in pattern_codes}
        return tuple(sorted(codes))

    def is_lint_excluded(self, path: str) -> bool:
        """True when flake8's `exclude` (from `lint_exclude`) leaves the file at `path` unlinted."""
        return bool(self.lint_exclude) and flake8_excludes(path, self.lint_exclude)

    def fingerprint(self, *, package_init: bool = False, path_ignores: tuple[str, ...] = (),
                    lint_excluded: bool = False) -> str:
        """SHA-256 of everything besides the content that decides a file's result.

        That is the analyser settings (not the globs: they choose files or classes, not results), this
        package's ANALYZER_VERSION, the versions of radon, flake8 and its plugins (or ruff), the Python
        grammar version, whether the file is a package's __init__.py (pyflakes treats those differently),
        and what the per-file settings resolve to for the file (its per-file ignores, whether it is linted).
        """
        return _fingerprint(self, package_init, path_ignores, lint_excluded)

    def fingerprint_for(self, path: str) -> str:
        """The fingerprint of the file at `path` (package initialiser or not, its per-file lint settings)."""
        return self.fingerprint(package_init=is_package_init(path), path_ignores=self.path_ignores(path),
                                lint_excluded=self.is_lint_excluded(path))


@lru_cache(maxsize=256)
def _fingerprint(config: AnalysisConfig, package_init: bool, path_ignores: tuple[str, ...], lint_excluded: bool) -> str:
    payload: dict[str, object] = {
        f.name: getattr(config, f.name) for f in fields(config) if f.name not in _NOT_RESULTS
    }
    payload.update(
        analyzer=ANALYZER_VERSION, tools=tool_versions(config.lint_engine), python=list(sys.version_info[:2]),
        package_init=package_init,
    )
    if path_ignores:  # only when set: a file without per-file settings keeps its fingerprint
        payload["path_ignores"] = list(path_ignores)
    if lint_excluded:
        payload["lint_excluded"] = True
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@cache
def tool_versions(engine: str = FLAKE8) -> dict[str, str]:
    """Installed versions of radon and of the lint engine (flake8 and its default plugins, or ruff)."""
    tools = _TOOLS if engine == FLAKE8 else ("radon", "ruff")
    return {tool: metadata.version(tool) for tool in tools}


def flake8_pattern_matches(path: str, pattern: str) -> bool:
    """flake8's file-pattern rule, for a configuration file at the repository root.

    A pattern without `/` matches the file name or the whole path; one with `/` is relative to the root.
    fnmatch's `*` crosses `/` (as in flake8: `tests/*` covers `tests/a/b.py`).
    """
    pattern = pattern.strip()
    if not pattern:
        return False
    if "/" in pattern:
        while pattern.startswith("./"):
            pattern = pattern[2:]
        return fnmatch.fnmatchcase(path, posixpath.normpath(pattern.lstrip("/")))
    return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern) or fnmatch.fnmatchcase(path, pattern)


def flake8_excludes(path: str, patterns: Sequence[str]) -> bool:
    """True when flake8's `exclude` leaves the file out: the file or one of its folders matches a pattern."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
    return any(flake8_pattern_matches(prefix, pattern) for prefix in prefixes for pattern in patterns)


def is_package_init(path: str) -> bool:
    """True for a package initialiser (`pkg/__init__.py`), the one path fact pyflakes reads."""
    return path.rsplit("/", 1)[-1] == "__init__.py"


@dataclass(frozen=True, slots=True)
class FunctionComplexity:
    """Cyclomatic complexity of a function, method or class, with its line range."""

    kind: str  # function, method, class
    name: str
    qualname: str  # Outer.method.inner
    lineno: int
    endline: int  # the definition's last line (from the AST, not radon's last visited node)
    complexity: int
    rank: str  # A-F
    # radon's figures of the definition itself (lines from its `def` to its last line); 0 / None for classes.
    sloc: int = 0
    h_volume: float = 0.0
    h_difficulty: float = 0.0
    h_effort: float = 0.0
    h_bugs: float = 0.0
    mi: float | None = None


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    """Everything debtboard measures in one file, or the reason it could not."""

    path: str
    size_bytes: int
    status: str = OK
    error_kind: str = ""  # syntax, encoding, null_byte, binary, recursion, too_large, timeout, ...
    error: str = ""
    loc: int = 0
    lloc: int = 0
    sloc: int = 0
    comments: int = 0
    multi: int = 0
    blank: int = 0
    single_comments: int = 0
    mi: float | None = None
    mi_rank: str = ""
    h_volume: float = 0.0
    h_difficulty: float = 0.0
    h_effort: float = 0.0
    h_bugs: float = 0.0
    total_complexity: int = 0
    max_complexity: int = 0
    functions: tuple[FunctionComplexity, ...] = field(default=())
    violations: tuple[LintViolation, ...] = field(default=())
    markers: tuple[DebtMarker, ...] = field(default=())
    duration_ms: int = 0
    # What Python's parser (or a tool) warned about the file, e.g. "SyntaxWarning: invalid escape sequence".
    warnings: tuple[str, ...] = field(default=())
    generated: bool = False  # its first lines say it is generated ("DO NOT EDIT")

    @property
    def ok(self) -> bool:
        return self.status == OK

    @classmethod
    def failed(cls, path: str, size_bytes: int, kind: str, error: str, *, duration_ms: int = 0) -> "FileAnalysis":
        """A file's recorded error: no metrics, a stable kind and a human reason."""
        return cls(path, size_bytes, status=ERROR, error_kind=kind, error=error, duration_ms=duration_ms)


class _Rejected(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def oversized_analysis(path: str, size_bytes: int, config: AnalysisConfig) -> FileAnalysis:
    """The result for a file over the size limit, decided from its size alone (the blob is never read)."""
    return FileAnalysis.failed(
        path, size_bytes, "too_large",
        f"{size_bytes:,} bytes is over the {config.max_file_bytes:,}-byte limit for one file",
    )


def _decodes(source: bytes) -> bool:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        source.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return False
    return True


def decode_source(source: bytes) -> str:
    """Decode Python source like the interpreter does (coding cookie, BOM, universal newlines)."""
    if b"\0" in source:
        # Binary: not text in its encoding, or NUL-riddled (UTF-16, images). Else a text file with stray NULs.
        head = source[:8192]
        nuls = head.count(0)
        if not _decodes(source) or (nuls > 8 and nuls * 10 > len(head)):
            raise _Rejected("binary", "binary content (NUL bytes, not text): not a Python source file")
        line = source.count(b"\n", 0, source.index(b"\0")) + 1
        raise _Rejected("null_byte", f"source contains a NUL byte (line {line}), which Python refuses")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    except SyntaxError as exc:
        raise _Rejected("encoding", f"bad encoding declaration: {exc}") from None
    try:
        return io.TextIOWrapper(io.BytesIO(source), encoding=encoding).read()
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        raise _Rejected("encoding", f"not valid {encoding} at line {line}: {exc.reason}") from None


def _definitions(tree: ast.AST) -> dict[tuple[int, int], ast.AST]:
    """Every function and class definition by (line, column) of its `def`/`class` keyword."""
    # Definitions only sit in statement lists: walk those, not every expression node.
    found: dict[tuple[int, int], ast.AST] = {}
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for name in _STATEMENT_LISTS:
            children = getattr(node, name, None)
            if type(children) is not list:
                continue
            for child in children:
                if isinstance(child, _DEFINITIONS):
                    found[(child.lineno, child.col_offset)] = child
                stack.append(child)
    return found


def is_overload_stub(node: ast.AST | None) -> bool:
    """True for a `@overload` / `@typing.overload` signature: a type-checker's stub, not code that runs."""
    for decorator in getattr(node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "overload":
            return True
    return False


def _blocks(visitor: ComplexityVisitor, tree: ast.AST, figures_of: FileFigures) -> list[FunctionComplexity]:
    nodes = _definitions(tree)
    out: list[FunctionComplexity] = []

    def add(block: Function | Class, prefix: str, kind: str) -> None:
        qualname = prefix + block.name
        node = nodes.get((block.lineno, block.col_offset))
        if is_overload_stub(node):  # listed once, as its implementation (stubs add no code that runs)
            return
        end = getattr(node, "end_lineno", None) or block.endline
        endline = max(end, block.lineno)
        figures = {} if node is None or isinstance(block, Class) else figures_of.of(node, block.complexity)
        out.append(FunctionComplexity(
            kind, block.name, qualname, block.lineno, endline, block.complexity, cc_rank(block.complexity),
            **figures,
        ))
        if isinstance(block, Class):
            for method in block.methods:
                add(method, qualname + ".", "method")
            for inner in block.inner_classes:
                add(inner, qualname + ".", "class")
        else:
            for closure in block.closures:
                add(closure, qualname + ".", "function")

    for function in visitor.functions:
        add(function, "", "function")
    for klass in visitor.classes:
        add(klass, "", "class")
    out.sort(key=lambda f: (f.lineno, f.qualname))
    return out


def _syntax_message(exc: SyntaxError) -> str:
    where = f" (line {exc.lineno})" if exc.lineno else ""
    return f"{exc.msg}{where}"


def _parse(path: str, text: str) -> ast.Module:
    """The file's syntax tree; _Rejected when Python cannot parse it."""
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as exc:
        raise _Rejected("syntax", _syntax_message(exc)) from None
    except MemoryError as exc:  # CPython's "Parser stack overflowed - Python source too complex to parse"
        raise _Rejected("recursion", f"code nested too deeply for Python's parser ({exc or 'MemoryError'})") from None


def _tokens(lines: list[str]) -> list[tokenize.TokenInfo] | None:
    """The file's tokens, made once for radon's line counts, flake8 and the debt markers (None: untokenizable)."""
    try:
        return list(tokenize.generate_tokens(iter(lines).__next__))
    except (SyntaxError, tokenize.TokenError):
        return None


def _raw_counts(text: str, lines: list[str], tokens: list[tokenize.TokenInfo] | None) -> RawWalk:
    """radon's line counts of the file, with its chunks; _Rejected when radon's tokenizer gives up."""
    walk = raw_walk_tokens(tokens, text, len(lines)) if tokens is not None else None
    if walk is not None:
        return walk
    try:
        return raw_walk(text, len(lines))
    except (SyntaxError, tokenize.TokenError) as exc:
        raise _Rejected("radon", f"radon could not count the lines: {exc}") from None


def _analyze(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    size = len(source)
    if size > config.max_file_bytes:
        return oversized_analysis(path, size, config)
    text = decode_source(source)
    tree = _parse(path, text)
    visitor = ComplexityVisitor.from_ast(tree)
    halstead_visitor = HalsteadVisitor.from_ast(tree)
    halstead = halstead_visitor_report(halstead_visitor)
    lines = io.StringIO(text).readlines()
    tokens = _tokens(lines)
    walk = _raw_counts(text, lines, tokens)
    raw = walk.total
    comment_lines = raw.comments + raw.multi  # `radon mi` counts multi-line strings as comments
    comments_percent = comment_lines / raw.sloc * 100 if raw.sloc else 0.0
    mi = finite(mi_compute(halstead.volume, visitor.total_complexity, raw.lloc, comments_percent))
    functions = _blocks(visitor, tree, FileFigures(tree, halstead_visitor, walk, lines))
    violations = _lint(path, text, lines, tree, tokens, config)
    markers: list[DebtMarker] = []
    if might_have_markers(text, config.marker_tags):
        markers = (markers_from_tokens(tokens, config.marker_tags) if tokens is not None
                   else markers_from_source(text, config.marker_tags))
    return FileAnalysis(
        path, size,
        loc=raw.loc, lloc=raw.lloc, sloc=raw.sloc, comments=raw.comments, multi=raw.multi, blank=raw.blank,
        single_comments=raw.single_comments,
        mi=mi, mi_rank=mi_rank(mi),
        h_volume=finite(halstead.volume), h_difficulty=finite(halstead.difficulty),
        h_effort=finite(halstead.effort), h_bugs=finite(halstead.bugs),
        total_complexity=visitor.total_complexity,
        max_complexity=max((f.complexity for f in functions if f.kind != "class"), default=0),
        functions=tuple(functions), violations=tuple(violations), markers=tuple(markers),
        generated=has_generated_header(text),
    )


def _lint(
    path: str, text: str, lines: list[str], tree: ast.Module, tokens: list[tokenize.TokenInfo] | None,
    config: AnalysisConfig,
) -> list[LintViolation]:
    """The file's violations under its settings (none when `exclude` leaves it unlinted)."""
    if config.is_lint_excluded(path):
        return []
    extra = config.path_ignores(path)
    if config.lint_engine == RUFF:
        return ruff_check(
            text, package_init=is_package_init(path), select=config.flake8_select, ignore=config.flake8_ignore,
            extend_select=config.flake8_extend_select, extend_ignore=(*config.flake8_extend_ignore, *extra),
            max_line_length=config.max_line_length, max_complexity=config.max_complexity,
            max_doc_length=config.max_doc_length,
        )
    linter = linter_for(tuple(config.flake8_argv(extra_ignore=extra)))
    return linter.check(lines, tree=tree, package_init=is_package_init(path), tokens=tokens)


def analyze_source(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    """Analyse one file's bytes; every failure becomes the file's recorded error, never an exception.

    Warnings the scanned code provokes (`SyntaxWarning: invalid escape sequence`, ...) are the file's
    business: they are recorded with its result instead of reaching the user's terminal.
    """
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _analyze_safely(path, source, config)
    return replace(result, duration_ms=int((time.perf_counter() - started) * 1000),
                   warnings=warning_texts(caught))


def warning_texts(caught: list[warnings.WarningMessage], *, limit: int = MAX_WARNINGS) -> tuple[str, ...]:
    """The distinct warnings caught, as `Category: message (line N)`, at most `limit` of them."""
    texts = dict.fromkeys(
        f"{item.category.__name__}: {item.message}" + (f" (line {item.lineno})" if item.lineno else "")
        for item in caught
    )
    return tuple(texts)[:limit]


def _analyze_safely(path: str, source: bytes, config: AnalysisConfig) -> FileAnalysis:
    try:
        result = _analyze(path, source, config)
    except _Rejected as exc:
        result = FileAnalysis.failed(path, len(source), exc.kind, str(exc))
    except RecursionError:
        result = FileAnalysis.failed(
            path, len(source), "recursion", "code nested too deeply for the parser or radon (RecursionError)"
        )
    except LintCrashed as exc:
        if isinstance(exc.original, RecursionError):
            result = FileAnalysis.failed(
                path, len(source), "recursion", f"code nested too deeply for flake8 ({exc.plugin}: RecursionError)"
            )
        else:
            result = FileAnalysis.failed(path, len(source), "lint_failed", str(exc))
    except MemoryError:
        result = FileAnalysis.failed(path, len(source), "memory", "ran out of memory analysing this file")
    except Exception as exc:  # a bug of radon or flake8 on odd input must not stop the run
        result = FileAnalysis.failed(path, len(source), "internal", f"{type(exc).__name__}: {exc}")
    return result
