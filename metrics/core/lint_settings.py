"""A scanned repository's own flake8 settings, read as data from its configuration files at one revision.

The files are read from git objects (never the working tree) and parsed with configparser or tomllib;
only an allow-list of options is kept. Nothing in them is ever run or loaded: plugin options
(`require-plugins`, `enable-extensions`, `[flake8:local-plugins]`), `format`, `output-file` and every
other key are ignored and listed as such, and flake8 itself still runs `--isolated` with debtboard's
argument list.

Which file counts follows flake8's own search at the repository root: the first of `setup.cfg`,
`tox.ini` and `.flake8` that has a `[flake8]` section (flake8 checks them in that order). flake8 itself
never reads `pyproject.toml`; the Flake8-pyproject plugin does (`[tool.flake8]`), so that table is used
when none of the three has a `[flake8]` section. Configuration in sub-folders is not looked at: flake8
run from the root does not read it either.
"""
import configparser
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from metrics.core.analysis import AnalysisConfig
from metrics.core.gitcmd import run_git
from metrics.core.git_history import require_object_name
from metrics.core.text import decode_text

CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8", "pyproject.toml")
MAX_CONFIG_BYTES = 256 * 1024
INTEGER_OPTIONS = ("max-line-length", "max-doc-length", "max-complexity")
LIST_OPTIONS = ("select", "extend-select", "ignore", "extend-ignore", "exclude", "extend-exclude")
ALLOWED_OPTIONS = (*INTEGER_OPTIONS, *LIST_OPTIONS, "per-file-ignores")
_CODE = re.compile(r"[A-Z]{1,3}[0-9]{0,3}")  # flake8's rule for a code or prefix
_SPLIT = re.compile(r"[,\s]+")
_PER_FILE_TOKEN = re.compile(r"\s*([^\s,:]+|:)\s*,?")
_MAX_VALUE = 10_000


@dataclass(frozen=True)
class LintSettings:
    """The allow-listed flake8 options of one configuration file (None / () where the file says nothing)."""

    source: str = ""  # the file they came from ("" when the repository has none)
    max_line_length: int | None = None
    max_doc_length: int | None = None
    max_complexity: int | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] | None = None
    extend_ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    ignored_keys: tuple[str, ...] = ()  # keys present but not on the allow-list (plugins, format, ...)
    problems: tuple[str, ...] = field(default=())  # values that could not be used, and why

    def given(self) -> dict[str, Any]:
        """The options the file sets, by flake8's option name."""
        values = {
            "max-line-length": self.max_line_length, "max-doc-length": self.max_doc_length,
            "max-complexity": self.max_complexity, "select": self.select, "extend-select": self.extend_select,
            "ignore": self.ignore, "extend-ignore": self.extend_ignore, "per-file-ignores": self.per_file_ignores,
            "exclude": self.exclude, "extend-exclude": self.extend_exclude,
        }
        return {name: value for name, value in values.items() if value not in (None, ())}


def _option_name(key: str) -> str:
    return key.strip().lower().replace("_", "-")


def _codes(name: str, values: list[str], problems: list[str]) -> tuple[str, ...]:
    kept = []
    for value in values:
        if _CODE.fullmatch(value):
            kept.append(value)
        else:
            problems.append(f"{name}: {value[:40]!r} is not a flake8 code")
    return tuple(kept)


def _words(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part for part in _SPLIT.split(str(value)) if part]


def _integer(name: str, value: Any, problems: list[str]) -> int | None:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not 1 <= number <= _MAX_VALUE:
        problems.append(f"{name}: {str(value)[:40]!r} is not a whole number from 1 to {_MAX_VALUE}")
        return None
    return number


def parse_per_file_ignores(value: Any, problems: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """flake8's `per-file-ignores` value (`pattern[ pattern]: CODES` groups) as (pattern, codes) pairs."""
    text = "\n".join(_words(value)) if isinstance(value, (list, tuple)) else str(value)
    groups: list[tuple[list[str], list[str], list[bool]]] = [([], [], [])]  # patterns, codes, colon seen
    for token in (match.group(1) for match in _PER_FILE_TOKEN.finditer(text)):
        _add_token(groups, token)
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for patterns, codes, colon in groups:
        if patterns and not colon:
            problems.append("per-file-ignores: a pattern without codes was left out")
        elif patterns:
            pairs.extend((pattern, tuple(codes)) for pattern in patterns)
    return tuple(pairs)


def _add_token(groups: list[tuple[list[str], list[str], list[bool]]], token: str) -> None:
    """Add one per-file-ignores token to the last group, or open a new group with it."""
    patterns, codes, colon = groups[-1]
    if token == ":":
        colon.append(True)
    elif colon and _CODE.fullmatch(token):
        codes.append(token)
    elif colon:  # a new group starts with its first pattern
        groups.append(([token], [], []))
    else:
        patterns.append(token)


def settings_from_options(source: str, options: Mapping[str, Any]) -> LintSettings:
    """Keep the allow-listed options of one [flake8] section; list the other keys as ignored."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    ignored = []
    for key, value in options.items():
        name = _option_name(key)
        if name not in ALLOWED_OPTIONS:
            ignored.append(name)
            continue
        attribute = name.replace("-", "_")
        if name in INTEGER_OPTIONS:
            values[attribute] = _integer(name, value, problems)
        elif name == "per-file-ignores":
            values[attribute] = parse_per_file_ignores(value, problems)
        elif name in ("exclude", "extend-exclude"):
            values[attribute] = tuple(_words(value))
        else:
            values[attribute] = _codes(name, _words(value), problems)
    return LintSettings(source=source, ignored_keys=tuple(sorted(ignored)), problems=tuple(problems), **values)


def _ini_section(text: str) -> dict[str, str] | None:
    parser = configparser.RawConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    if not parser.has_section("flake8"):
        return None
    return dict(parser.items("flake8"))


def _toml_table(text: str) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return None
    table = data.get("tool", {}).get("flake8") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) else None


def lint_settings_from_files(files: Mapping[str, bytes]) -> LintSettings:
    """The settings of the first configuration file flake8 (or Flake8-pyproject) would use; empty if none."""
    for name in CONFIG_FILES:
        content = files.get(name)
        if content is None:
            continue
        text = decode_text(content)
        options = _toml_table(text) if name == "pyproject.toml" else _ini_section(text)
        if options is not None:
            return settings_from_options(name, options)
    return LintSettings()


def read_lint_config_files(repo_path: str, revision: str, *, timeout: float = 60.0) -> dict[str, bytes]:
    """The contents of the configuration files at the repository root at `revision`, from git objects.

    Files over MAX_CONFIG_BYTES are left out; symlinks and sub-modules are not blobs and are never read.
    """
    listing = run_git(
        repo_path, ["ls-tree", "-z", "--full-tree", "-l", require_object_name(revision), "--", *CONFIG_FILES],
        timeout=timeout,
    )
    contents: dict[str, bytes] = {}
    for entry in listing.split(b"\x00"):
        meta, _tab, name = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) < 4 or parts[0] not in (b"100644", b"100755") or parts[1] != b"blob":
            continue
        if not parts[3].isdigit() or int(parts[3]) > MAX_CONFIG_BYTES:
            continue
        contents[name.decode("utf-8", "replace")] = _config_blob(repo_path, parts[2].decode("ascii"), timeout)
    return contents


@lru_cache(maxsize=64)
def _config_blob(repo_path: str, blob_sha: str, timeout: float) -> bytes:
    """One configuration file's content by blob id (content-addressed, so kept: a backfill reads the same
    setup.cfg at every revision)."""
    return run_git(repo_path, ["cat-file", "blob", blob_sha], timeout=timeout)


def config_blob_ids(repo_path: str, revision: str, *, timeout: float = 60.0) -> dict[str, str]:
    """The blob id of each configuration file present at the repository root at `revision`."""
    listing = run_git(
        repo_path, ["ls-tree", "-z", "--full-tree", require_object_name(revision), "--", *CONFIG_FILES],
        timeout=timeout,
    )
    ids: dict[str, str] = {}
    for entry in listing.split(b"\x00"):
        meta, _tab, name = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) >= 3 and parts[1] == b"blob":
            ids[name.decode("utf-8", "replace")] = parts[2].decode("ascii")
    return ids


# flake8 option -> AnalysisConfig field it sets.
OPTION_FIELDS = {
    "max-line-length": "max_line_length", "max-doc-length": "max_doc_length", "max-complexity": "max_complexity",
    "select": "flake8_select", "extend-select": "flake8_extend_select", "ignore": "flake8_ignore",
    "extend-ignore": "flake8_extend_ignore", "per-file-ignores": "per_file_ignores",
    "exclude": "lint_exclude", "extend-exclude": "lint_exclude",
}
# Always reported, even when nobody set them: the figures people compare with their own flake8 run.
REPORTED_OPTIONS = ("max-line-length", "max-complexity", "select")
PINNED = "debtboard configuration"
DEFAULT = "debtboard default"


@dataclass(frozen=True)
class SettingOrigin:
    """One effective lint option, its value as flake8 writes it, and where it came from."""

    option: str
    value: str
    source: str  # a configuration file, PINNED or DEFAULT


def _value_text(value: Any) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return " ".join(f"{pattern}:{','.join(codes)}" for pattern, codes in value)
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def merge_lint_settings(
    config: AnalysisConfig, settings: LintSettings
) -> tuple[AnalysisConfig, tuple[SettingOrigin, ...]]:
    """Apply a repository's settings to an analyser configuration; fields in `config.pinned` keep their value.

    Returns the effective configuration and where each reported or given option came from.
    """
    given = settings.given() if config.repository_lint_settings else {}
    changes: dict[str, Any] = {}
    origins: dict[str, SettingOrigin] = {}
    for option, value in given.items():
        name = OPTION_FIELDS[option]
        if name in config.pinned:
            continue
        changes[name] = (*changes.get(name, ()), *value) if name == "lint_exclude" else value
        origins[option] = SettingOrigin(option, _value_text(value), settings.source)
    merged = replace(config, **changes) if changes else config
    for option in (*REPORTED_OPTIONS, *given):
        if option not in origins:
            origins[option] = _debtboard_origin(option, merged)
    return merged, tuple(origins[option] for option in ALLOWED_OPTIONS if option in origins)


def _debtboard_origin(option: str, config: AnalysisConfig) -> SettingOrigin:
    """An option whose value is debtboard's: pinned by the repository's configuration, or the default."""
    name = OPTION_FIELDS[option]
    return SettingOrigin(option, _value_text(getattr(config, name)), PINNED if name in config.pinned else DEFAULT)
