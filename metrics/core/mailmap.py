"""A repository's .mailmap, parsed and applied the way git applies it to `%aN`/`%aE` (gitmailmap(5))."""
import re
from dataclasses import dataclass

from metrics.core.errors import GitError
from metrics.core.gitcmd import run_git

_ENTRY = re.compile(r"^\s*(?P<name>[^<#]*?)\s*<(?P<email>[^>]*)>\s*(?:(?P<old_name>[^<#]*?)\s*<(?P<old_email>[^>]*)>)?")


@dataclass(frozen=True)
class Mailmap:
    """Entries keyed on (commit email, commit name or "") -> (proper name or "", proper email or "")."""

    entries: dict[tuple[str, str], tuple[str, str]]

    def apply(self, name: str, email: str) -> tuple[str, str]:
        """The canonical (name, email) of an author; an entry naming the commit name wins over one that does not."""
        key = email.strip().lower()
        proper = self.entries.get((key, name.strip().lower())) or self.entries.get((key, ""))
        if proper is None:
            return name, email
        return proper[0] or name, proper[1] or email


def parse_mailmap(text: str) -> Mailmap:
    """Parse .mailmap text; lines that are no entry (comments, garbage) are skipped, as git skips them."""
    entries: dict[tuple[str, str], tuple[str, str]] = {}
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match is None:
            continue
        name, email = match["name"], match["email"]
        if match["old_email"] is None:  # "Proper Name <commit@email>"
            entries[(email.lower(), "")] = (name, "")
        else:
            entries[(match["old_email"].lower(), (match["old_name"] or "").lower())] = (name, email)
    return Mailmap(entries)


def read_mailmap(repo_path: str, revision: str = "HEAD") -> Mailmap:
    """The .mailmap committed at `revision` (git reads it from HEAD in a bare mirror too); empty if none."""
    try:
        text = run_git(repo_path, ["show", f"{revision}:.mailmap"], timeout=30).decode("utf-8", "replace")
    except GitError:
        return Mailmap({})
    return parse_mailmap(text)
