"""Settings come from the environment and production settings pass check --deploy."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_refuses_to_start_without_secret_key_in_production(tmp_path):
    result = run_manage("check", env={"DJANGO_DEBUG": "false", "DEBTBOARD_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_check_deploy_is_silent_with_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "DJANGO_ALLOWED_HOSTS": "debtboard.example.com",
            "DJANGO_EMAIL_URL": "smtp://mail.example.com:587",
            "DEBTBOARD_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_the_database(tmp_path):
    db = tmp_path / "custom.sqlite3"
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        env={"DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{db}", "DEBTBOARD_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(db)
