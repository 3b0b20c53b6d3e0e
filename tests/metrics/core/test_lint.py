"""flake8 in memory: debtboard's own argument list, no configuration file, no file read, crashes isolated."""
import ast
from pathlib import Path

import pytest

from metrics.core.analysis import AnalysisConfig, analyze_source
from metrics.core.lint import LintCrashed, Linter, flake8_argv

ARGV = AnalysisConfig().flake8_argv()


def codes(linter: Linter, source: str) -> list[str]:
    violations = linter.check(source.splitlines(keepends=True))
    return [v.code for v in violations]


@pytest.mark.parametrize(("kwargs", "argv"), [
    ({"select": ("E", "W", "F", "C90"), "ignore": (), "max_complexity": 10, "max_line_length": 79},
     ["--isolated", "--jobs=1", "--select=E,W,F,C90", "--max-complexity=10", "--max-line-length=79"]),
    ({"select": ("E",), "ignore": ("E501", "W"), "max_complexity": 5, "max_line_length": 120},
     ["--isolated", "--jobs=1", "--select=E", "--max-complexity=5", "--max-line-length=120", "--ignore=E501,W"]),
])
def test_flake8_argv(kwargs, argv):
    assert flake8_argv(**kwargs) == argv


CONFIG_FILES = {
    "setup.cfg": "[flake8]\nignore = E,W,F,C\nselect = X\nmax-line-length = 200\n",
    "tox.ini": "[flake8]\nignore = E,W,F,C\nselect = X\n",
    ".flake8": "[flake8]\nignore = E,W,F,C\nselect = X\nper-file-ignores = module.py:F401\n",
}


def test_configuration_files_in_the_working_directory_are_never_read(tmp_path, monkeypatch):
    for name, text in CONFIG_FILES.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    linter = Linter(ARGV)  # built here, after the chdir: nothing of the directory may reach it
    assert codes(linter, "import os\nx=1\ny = '" + "a" * 80 + "'\n") == ["F401", "E225", "E501"]


def test_flake8_reads_the_given_lines_not_the_disk(tmp_path, monkeypatch):
    # A file of the display name exists in the working directory with other content: it is never opened.
    (tmp_path / "module.py").write_text("import sys\n")
    (tmp_path / "__init__.py").symlink_to("/etc/passwd")
    monkeypatch.chdir(tmp_path)
    linter = Linter(ARGV)
    violations = linter.check(["import os\n"])
    assert [(v.code, v.message) for v in violations] == [("F401", "'os' imported but unused")]
    violations = linter.check(["x = 1\n"], package_init=True)
    assert violations == []


def test_a_plugin_crash_fails_one_file_only():
    linter = Linter(ARGV)
    deep = "x = " + " + ".join(["1"] * 3000) + "\n"
    with pytest.raises(LintCrashed) as caught:
        linter.check([deep])
    assert isinstance(caught.value.original, RecursionError)
    assert "pyflakes" in caught.value.plugin
    assert codes(linter, "import os\n") == ["F401"]


def test_the_given_tree_is_used(tmp_path):
    linter = Linter(ARGV)
    source = ["import os\n"]
    other_tree = ast.parse("import sys\n")  # the AST plugins see the tree they are given
    violations = linter.check(source, tree=other_tree)
    assert [v.message for v in violations] == ["'sys' imported but unused"]


def test_noqa_and_file_level_noqa_follow_flake8():
    linter = Linter(ARGV)
    assert codes(linter, "import os  # noqa: F401\nimport sys  # noqa:E501\n") == ["F401"]
    assert codes(linter, "# flake8: noqa\nimport os\n") == []


def test_violations_match_the_flake8_command_line(tmp_path):
    import subprocess
    import sys

    source = (
        "import os, sys\n"
        "def f(a,b):\n"
        "    l = lambda: 0\n"
        "    if a == None :\n"
        "        return  b\n"
        "    x = 1 # comment\n"
        "\n\n\n"
        "class C: pass\n"
    )
    path = Path(tmp_path) / "sample.py"
    path.write_text(source)
    cli = subprocess.run(
        [sys.executable, "-m", "flake8", *ARGV, "--format=%(row)d:%(col)d:%(code)s:%(text)s", str(path)],
        capture_output=True, text=True, cwd=tmp_path,
    ).stdout.splitlines()
    ours = analyze_source("sample.py", source.encode(), AnalysisConfig()).violations
    assert [f"{v.line}:{v.column}:{v.code}:{v.message}" for v in ours] == cli
    assert len(cli) >= 8
