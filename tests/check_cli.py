"""Run the `debtboard` console script as a subprocess with a clean environment (no settings, no database)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def debtboard(*args: str, cwd: Path, data_dir: Path, env: dict[str, str] | None = None,
              input: str | None = None) -> subprocess.CompletedProcess:
    """`debtboard ARGS` in `cwd`: no DJANGO_DEBUG, no secret key, no DATABASE_URL, an empty data directory."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(data_dir), "PYTHONPATH": str(ROOT),
             "DEBTBOARD_DATA_DIR": str(data_dir), "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "debtboard.cli", *args], cwd=cwd, env=clean, capture_output=True,
                          text=True, timeout=300, input=input)
