"""flake8 driven in-process with debtboard's own argument list, on source held in memory.

`flake8.main.application.Application.initialize(argv)` parses the same argument list as the command
line (`--isolated`: no configuration file is ever read, from the scanned repository or anywhere else;
`--jobs=1`: flake8 never forks), loads the plugins and builds the style guide that applies select,
ignore and `# noqa`. Each file is then checked by a `flake8.checker.FileChecker` whose
`FileProcessor` gets the lines we decoded from the git blob (the `lines=` argument flake8 itself uses
for standard input), so flake8 opens no file at all: no temporary copy, no symlink to follow.
It also gets the AST already parsed for radon instead of parsing the file a second time.

One checker per file isolates crashes: a plugin that raises (a RecursionError on deeply nested code)
fails that file only. The display file name is fixed ("module.py", or "__init__.py" for package
initialisers, the one thing about the path pyflakes reads), so a result depends on the content and
this flag alone, and the style guide's per-file caches stay bounded in long-lived workers.
"""
import ast
import tokenize
from argparse import Namespace
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from flake8 import processor as flake8_processor
from flake8.checker import FileChecker
from flake8.exceptions import PluginExecutionFailed
from flake8.formatting.base import BaseFormatter
from flake8.main.application import Application
from flake8.violation import Violation as Flake8Violation

MODULE_NAME = "module.py"
PACKAGE_INIT_NAME = "__init__.py"


@dataclass(frozen=True, slots=True)
class LintViolation:
    """One flake8 violation: code, 1-based line and column, message."""

    code: str
    line: int
    column: int
    message: str


class LintCrashed(Exception):
    """A flake8 plugin raised while checking one file; `original` is its exception."""

    def __init__(self, message: str, *, plugin: str, original: BaseException | None) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.original = original


class _Collector(BaseFormatter):
    """A formatter that keeps reported violations instead of printing them."""

    def after_init(self) -> None:
        self.collected: list[Flake8Violation] = []

    def start(self) -> None:  # no output file
        pass

    def stop(self) -> None:
        pass

    def handle(self, error: Flake8Violation) -> None:
        self.collected.append(error)

    def format(self, error: Flake8Violation) -> str | None:
        return None


class _ParsedFileProcessor(flake8_processor.FileProcessor):
    """A FileProcessor that hands the plugins an AST parsed beforehand."""

    def __init__(
        self, filename: str, options: Namespace, *, lines: list[str], tree: ast.AST,
        tokens: list[tokenize.TokenInfo] | None,
    ) -> None:
        super().__init__(filename, options, lines=lines)
        self._tree = tree
        if tokens is not None:  # the file's tokens made by the caller: flake8's noqa map need not make them again
            self.__dict__["file_tokens"] = tokens

    def build_ast(self) -> ast.AST:
        return self._tree


class _MemoryFileChecker(FileChecker):
    """A FileChecker reading given lines and reusing a given AST instead of opening a file."""

    def __init__(
        self, *, lines: list[str], tree: ast.AST | None, tokens: list[tokenize.TokenInfo] | None, **kwargs: object
    ) -> None:
        self._given_lines = lines
        self._given_tree = tree
        self._given_tokens = tokens
        super().__init__(**kwargs)

    def _make_processor(self) -> flake8_processor.FileProcessor | None:
        if self._given_tree is None:
            return flake8_processor.FileProcessor(self.filename, self.options, lines=self._given_lines)
        return _ParsedFileProcessor(self.filename, self.options, lines=self._given_lines, tree=self._given_tree,
                                    tokens=self._given_tokens)


def flake8_argv(
    *,
    select: Sequence[str],
    ignore: Sequence[str],
    max_complexity: int,
    max_line_length: int,
    extend_select: Sequence[str] = (),
    extend_ignore: Sequence[str] = (),
    max_doc_length: int = 0,
) -> list[str]:
    """The flake8 command-line arguments of an analyser configuration (also used by the benchmark).

    Only these options are ever passed: a scanned repository's settings reach flake8 as values of them,
    never as a configuration file, so no plugin or formatter a repository names is loaded.
    """
    argv = [
        "--isolated",
        "--jobs=1",
        f"--select={','.join(select)}",
        f"--max-complexity={max_complexity}",
        f"--max-line-length={max_line_length}",
    ]
    if ignore:
        # Like the command line: an explicit --ignore replaces flake8's default ignore list.
        argv.append(f"--ignore={','.join(ignore)}")
    if extend_select:
        argv.append(f"--extend-select={','.join(extend_select)}")
    if extend_ignore:
        argv.append(f"--extend-ignore={','.join(extend_ignore)}")
    if max_doc_length:
        argv.append(f"--max-doc-length={max_doc_length}")
    return argv


class Linter:
    """flake8 configured once from an argument list, checking files held in memory."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)
        app = Application()
        app.initialize(self.argv)
        self._collector = _Collector(app.options)
        app.formatter = self._collector
        app.make_guide()
        assert app.guide is not None and app.plugins is not None and app.options is not None
        self._app = app
        self._guide = app.guide
        self._checkers = app.plugins.checkers
        self._options: Namespace = app.options

    def check(
        self, lines: list[str], *, tree: ast.AST | None = None, package_init: bool = False,
        tokens: list[tokenize.TokenInfo] | None = None,
    ) -> list[LintViolation]:
        """Lint one file's lines (`tree` and `tokens`: the file's, made beforehand); return its violations."""
        filename = PACKAGE_INIT_NAME if package_init else MODULE_NAME
        checker = _MemoryFileChecker(
            lines=lines, tree=tree, tokens=tokens, filename=filename, plugins=self._checkers, options=self._options
        )
        try:
            _, results, _ = checker.run_checks()
        except PluginExecutionFailed as exc:
            raise LintCrashed(
                f"flake8 plugin {exc.plugin_name} failed: {type(exc.original_exception).__name__}",
                plugin=exc.plugin_name, original=exc.original_exception,
            ) from exc
        results.sort(key=lambda result: (result[1], result[2]))
        collected = self._collector.collected
        collected.clear()
        with self._guide.processing_file(filename):
            for code, line, column, text, physical_line in results:
                self._guide.handle_error(code, filename, line, column, text, physical_line)
        violations = [LintViolation(v.code, v.line_number, v.column_number, v.text) for v in collected]
        collected.clear()
        return violations


@lru_cache(maxsize=8)
def linter_for(argv: tuple[str, ...]) -> Linter:
    """The process's Linter for an argument list, built once."""
    return Linter(argv)
