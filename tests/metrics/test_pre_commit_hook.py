"""The `debtboard-check` pre-commit hook, run by the real pre-commit against a temporary repository (offline)."""
import os
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from tests.check_cli import ROOT

TANGLED = "def pay(a, b):\n" + "".join(f"    if a == {n}:\n        return b + {n}\n" for n in range(11)) + \
    "    return b\n"


def _hook() -> dict:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return hook


def _config(hook: dict) -> str:
    """The published hook as a `repo: local` one: same entry and filters, run by this interpreter (offline)."""
    program, *args = shlex.split(hook["entry"])
    assert program == "debtboard"
    local = {**hook, "language": "system",
             "entry": shlex.join([sys.executable, "-m", "debtboard.cli", *args])}
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]})


def pre_commit(repo, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "DEBTBOARD_DATA_DIR": str(tmp_path / "data"),
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    (tmp_path / "data").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never"], cwd=repo.path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_hook_checks_the_staged_change_against_head(git_repo, tmp_path):
    hook = _hook()
    assert hook["id"] == "debtboard-check" and "--staged" in hook["entry"] and "--local" in hook["entry"]
    git_repo.commit("start", files={"pay.py": TANGLED, ".pre-commit-config.yaml": _config(hook)})

    git_repo.write("pay.py", TANGLED.replace("    return b\n", "    if b:\n        return a\n    return b\n"))
    git_repo.git("add", "pay.py")
    worse = pre_commit(git_repo, tmp_path)
    assert worse.returncode == 1, worse.stdout + worse.stderr
    assert "Failed" in worse.stdout and "complexity.increased" in worse.stdout

    git_repo.write("pay.py", TANGLED.replace("    if a == 10:\n        return b + 10\n", ""))
    git_repo.git("add", "pay.py")
    better = pre_commit(git_repo, tmp_path)
    assert better.returncode == 0, better.stdout + better.stderr
    assert "Passed" in better.stdout


def test_the_first_commit_of_a_repository_is_checked_as_new_files(git_repo, tmp_path):
    git_repo.write(".pre-commit-config.yaml", _config(_hook()))
    git_repo.write("new.py", "import os\n")
    git_repo.git("add", "-A")
    result = pre_commit(git_repo, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "lint.new_file" in result.stdout
