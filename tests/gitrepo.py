"""Build real git repositories inside tests, with fixed authors and dates."""
import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BASE_DATE = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)


@dataclass
class GitRepo:
    """A git repository in a temporary folder; every commit has a fixed author and date."""

    path: Path
    commits: list[str] = field(default_factory=list)

    def git(self, *args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> str:
        full_env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_SYSTEM": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            **(env or {}),
        }
        result = subprocess.run(
            ["git", *args], cwd=self.path, env=full_env, check=True, capture_output=True, input=input
        )
        return result.stdout.decode("utf-8", "surrogateescape").strip()

    def write(self, relpath: str, content: str | bytes) -> Path:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def remove(self, relpath: str) -> None:
        self.git("rm", "-q", "--", relpath)

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", "--", old, new)

    def commit(
        self,
        message: str,
        *,
        files: dict[str, str | bytes] | None = None,
        author: str = "Ada Lovelace <ada@example.com>",
        date: datetime | None = None,
        add_all: bool = True,
    ) -> str:
        """Write `files`, stage everything and commit as `author` at `date`; return the commit id."""
        for relpath, content in (files or {}).items():
            self.write(relpath, content)
        if add_all:
            self.git("add", "-A")
        when = (date or BASE_DATE).isoformat()
        name, email = author.rsplit(" <", 1)
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email.rstrip(">"),
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email.rstrip(">"),
            "GIT_COMMITTER_DATE": when,
        }
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        sha = self.git("rev-parse", "HEAD")
        self.commits.append(sha)
        return sha

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")


def init_repo(path: Path, *, branch: str = "main") -> GitRepo:
    """Create an empty repository at `path`."""
    path.mkdir(parents=True, exist_ok=True)
    repo = GitRepo(path=path)
    repo.git("init", "-q", "-b", branch)
    repo.git("config", "user.name", "Test")
    repo.git("config", "user.email", "test@example.com")
    repo.git("config", "commit.gpgsign", "false")
    return repo
