"""flake8 given the file's tokens made beforehand (one tokenize per file, shared with radon's line counts)."""
import ast
import io
import tokenize

from metrics.core.analysis import AnalysisConfig
from metrics.core.lint import Linter

ARGV = AnalysisConfig().flake8_argv()


def test_tokens_made_beforehand_serve_flake8s_noqa_map_as_its_own_would():
    linter = Linter(ARGV)
    lines = ['"""Doc\n', 'string."""\n', "import os  # noqa: F401\n", "x = (1,\n", "     2)  # noqa\n",
             "import sys\n", "y = '" + "a" * 80 + "'\n"]
    tokens = list(tokenize.generate_tokens(io.StringIO("".join(lines)).readline))
    given = linter.check(list(lines), tree=ast.parse("".join(lines)), tokens=tokens)
    own = linter.check(list(lines), tree=ast.parse("".join(lines)))
    expected = [("F401", 6), ("E402", 6), ("E501", 7)]
    assert [(v.code, v.line) for v in given] == [(v.code, v.line) for v in own] == expected
