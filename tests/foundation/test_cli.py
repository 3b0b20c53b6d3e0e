"""The `debtboard` console script as an installed tool: no secret key needed, own help, no shadowing by the cwd."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Like the installed console script: the project from its install location (here: this checkout, through
# PYTHONPATH), never the working directory (-P: Python prepends neither the cwd nor '').
SCRIPT = [sys.executable, "-P", "-c", "from debtboard.cli import entry; entry()"]
PRINT_KEY = ("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")


def run_debtboard(*args: str, cwd: Path, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """Run `debtboard ARGS` in `cwd` with a clean environment: no DJANGO_DEBUG, no secret key."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "PYTHONPATH": str(ROOT),
             "DEBTBOARD_DATA_DIR": str(data_dir), **env}
    return subprocess.run([*SCRIPT, *args], cwd=cwd, env=clean, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [(), ("--help",), ("help",)])
def test_help_lists_debtboard_commands_first_without_debug_or_secret_key(tmp_path: Path, args: tuple) -> None:
    result = run_debtboard(*args, cwd=tmp_path, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == "debtboard commands:"
    hotspots = next(line for line in lines if line.split()[:1] == ["hotspots"])
    assert "Print the hotspot ranking" in hotspots
    assert all(name in result.stdout for name in ("scan", "addrepo", "debt_import", "apitoken", "rescan_due"))
    assert "migrate" not in "\n".join(lines[:-1])  # Django's commands only in the closing hint
    assert "debtboard help --commands" in lines[-1]


def test_local_use_generates_one_private_secret_key_and_reuses_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = run_debtboard(*PRINT_KEY, cwd=tmp_path, data_dir=data_dir)
    second = run_debtboard(*PRINT_KEY, cwd=tmp_path, data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(key_file.read_text().strip()) >= 50


def test_an_explicit_secret_key_wins_and_nothing_is_written(tmp_path: Path) -> None:
    result = run_debtboard(*PRINT_KEY, cwd=tmp_path, data_dir=tmp_path / "data", DJANGO_SECRET_KEY="k" * 60)
    assert result.stdout.strip() == "k" * 60
    assert not (tmp_path / "data" / "secret_key").exists()


def test_the_working_directory_never_shadows_an_installed_package(tmp_path: Path) -> None:
    marker = tmp_path / "shadowed"
    for package in ("requests", "metrics", "celery"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(f"open({str(marker)!r}, 'a').write('{package}\\n')\n")
    (tmp_path / "api.py").write_text(f"open({str(marker)!r}, 'a').write('api\\n')\n")
    data_dir = tmp_path / "data"
    migrate = run_debtboard("migrate", "--noinput", cwd=tmp_path, data_dir=data_dir)
    assert migrate.returncode == 0, migrate.stderr
    # Queue-side code loads the Celery app (and its Django fix-up), then imports what the cwd would shadow.
    probe = ("import importlib.util, sys, metrics.tasks, api, celery, metrics; from debtboard.celery import app; "
             "print(app.main, celery.__file__, api.__file__, metrics.__file__, importlib.util.find_spec('requests'), "
             "sys.path.count(''), sys.path.count(sys.argv[0]))")
    shell = run_debtboard("shell", "--no-imports", "-c", probe, cwd=tmp_path, data_dir=data_dir)
    listing = run_debtboard("addrepo", "--list", cwd=tmp_path, data_dir=data_dir)
    assert shell.returncode == 0, shell.stderr
    assert listing.returncode == 0, listing.stderr
    assert str(tmp_path) not in shell.stdout
    assert "site-packages/celery" in shell.stdout and str(ROOT / "api") in shell.stdout
    assert not marker.exists(), marker.read_text()


def test_help_reads_the_commands_without_setting_django_up(tmp_path: Path) -> None:
    # Start-up: `debtboard --help` is read from the command modules' source, not by importing them.
    probe = ("import sys; from debtboard.cli import main; main(['--help']); "
             "print(sorted(name for name in ('django', 'metrics.models', 'rest_framework') if name in sys.modules))")
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
             "DEBTBOARD_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-P", "-c", probe], cwd=tmp_path, env=clean, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert "Print the hotspot ranking" in result.stdout
