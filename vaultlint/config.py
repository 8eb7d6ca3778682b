"""Finding and reading the configuration; the typed settings object.

Config lives at the vault root in `vaultlint.toml`, `.vaultlint.toml`, or `[tool.vaultlint]` of
`pyproject.toml`. It is data only: nothing in it is ever imported or executed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vaultlint.globs import Glob
from vaultlint.schema import SchemaBlock

CONFIG_NAMES = ("vaultlint.toml", ".vaultlint.toml")
DEFAULT_EXCLUDE = (".obsidian/", ".trash/", ".git/", "node_modules/")
# Obsidian's accepted file formats (help: "Accepted file formats"), plus canvas and base files.
DEFAULT_ATTACHMENTS = (
    "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif",
    "mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm",
    "mp4", "mkv", "mov", "ogv",
    "pdf", "canvas", "base",
)  # fmt: skip
_TIME = re.compile(r"^\d+(:[0-5]\d){0,2}$")


class ConfigError(Exception):
    """A bad configuration: the CLI prints it and exits 2."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)


class LinkSettings(_Section):
    attachments: list[str] = Field(default_factory=lambda: list(DEFAULT_ATTACHMENTS))

    @field_validator("attachments")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.lower().lstrip(".") for v in value]


class TimestampSettings(_Section):
    order: Literal["paragraph", "section", "note", "off"] = "paragraph"
    max: str = "12:00:00"
    duration_field: str = "duration"
    video_field: str = "videoId"

    @field_validator("max")
    @classmethod
    def _is_time(cls, value: str) -> str:
        if not _TIME.match(value):
            raise ValueError("must be a time such as 12:00:00")
        return value


class Settings(_Section):
    exclude: list[Glob] = Field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[Glob, list[str]] = Field(default_factory=dict)
    severity: dict[str, Literal["error", "warning"]] = Field(default_factory=dict)
    links: LinkSettings = Field(default_factory=LinkSettings)
    timestamps: TimestampSettings = Field(default_factory=TimestampSettings)
    schemas: list[SchemaBlock] = Field(default_factory=list, alias="schema")


def _has_tool_table(pyproject: Path) -> bool:
    return "vaultlint" in _load_toml(pyproject).get("tool", {})


def config_file_in(folder: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _has_tool_table(pyproject):
        return pyproject
    return None


def find_vault_root(start: Path) -> Path:
    """The nearest folder at or above `start` with `.obsidian/` or a vaultlint config; else the
    current folder (or, when `start` is not inside it, `start`'s own folder)."""
    start = start.resolve()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / ".obsidian").is_dir() or config_file_in(folder):
            return folder
    cwd = Path.cwd().resolve()
    return cwd if start.is_relative_to(cwd) else start


def _load_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror or exc}") from None


def _describe(error: dict[str, Any]) -> str:
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
    if error["type"] == "extra_forbidden":
        return f"unknown key '{key}'"
    return f"'{key}': {error['msg'].removeprefix('Value error, ')}"


def _unknown_selectors(selectors: list[str]) -> list[str]:
    from vaultlint.rules import RULES, selector_matches

    return [s for s in selectors if not any(selector_matches(s, r) for r in RULES.values())]


def validate_rule_codes(settings: Settings, source: str = "") -> None:
    """Every rule code, prefix or name in the settings must name a rule; raise ConfigError
    naming `source` (a file, or a command-line option) and the key otherwise."""
    from vaultlint.rules import find_rule

    prefix = f"{source}: " if source else ""
    keyed = [("select", settings.select or []), ("ignore", settings.ignore)]
    keyed += [(f"per-file-ignores.{p}", codes) for p, codes in settings.per_file_ignores.items()]
    for key, selectors in keyed:
        for bad in _unknown_selectors(selectors):
            raise ConfigError(f"{prefix}unknown rule selector '{bad}' in '{key}'")
    for code in settings.severity:
        if find_rule(code) is None:
            raise ConfigError(f"{prefix}unknown rule '{code}' in 'severity'")


def check_selectors(selectors: list[str], option: str) -> None:
    """Command-line selectors (`--select`, `--ignore`) must name rules."""
    for bad in _unknown_selectors(selectors):
        raise ConfigError(f"{option}: unknown rule selector '{bad}'")


def load_settings(file: Path | None) -> Settings:
    """Read and validate `file` (None: defaults). Raise ConfigError naming the bad key."""
    if file is None:
        return Settings()
    data = _load_toml(file)
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get("vaultlint", {})
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())  # type: ignore[arg-type]
        raise ConfigError(f"{file}: {problems}") from None
    validate_rule_codes(settings, str(file))
    return settings
