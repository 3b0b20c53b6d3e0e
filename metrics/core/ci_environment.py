"""What a CI job's environment says about the change: the pull or merge request number and the branch."""
import json
from collections.abc import Mapping
from pathlib import Path

_REFERENCE_VARIABLES = ("CI_MERGE_REQUEST_IID", "CHANGE_ID")  # GitLab CI, Jenkins (multibranch pipelines)
_BRANCH_VARIABLES = ("GITHUB_HEAD_REF", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CHANGE_BRANCH", "GITHUB_REF_NAME",
                     "CI_COMMIT_BRANCH", "BRANCH_NAME", "GIT_BRANCH")


def _github_pull_number(env: Mapping[str, str]) -> str:
    """The pull request number of a GitHub Actions run: the event file, else `refs/pull/<n>/merge`."""
    event_path = env.get("GITHUB_EVENT_PATH", "")
    if event_path:
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            event = {}
        number = (event.get("pull_request") or {}).get("number") if isinstance(event, dict) else None
        if isinstance(number, int) and not isinstance(number, bool):
            return str(number)
    parts = env.get("GITHUB_REF", "").split("/")
    if len(parts) == 4 and parts[:2] == ["refs", "pull"] and parts[2].isdigit():
        return parts[2]
    return ""


def ci_reference(env: Mapping[str, str]) -> str:
    """The pull or merge request number the CI job runs for ("" for a plain branch build)."""
    github = _github_pull_number(env)
    if github:
        return github
    for name in _REFERENCE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    return ""


def ci_branch(env: Mapping[str, str]) -> str:
    """The branch the CI job builds, from the first variable of the usual CI systems that names one."""
    for name in _BRANCH_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value.removeprefix("origin/")
    return ""
