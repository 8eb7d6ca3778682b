"""Report formats: one module each, all taking the same `Report`."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO

from vaultlint.diagnostics import Diagnostic


def _no_text(path: str, line: int) -> str:
    return ""


@dataclass
class Report:
    vault: str
    checked: int
    diagnostics: list[Diagnostic]
    notes: list[str] = field(default_factory=list)  # the notes checked (vault paths)
    # The text of a note's 1-based line, for formats that count columns in UTF-16 units.
    line_text: Callable[[str, int], str] = _no_text

    @cached_property
    def base(self) -> Path:
        """The folder CI formats give paths from: the current folder (the repository root in
        CI) when the vault lies inside it, else the vault."""
        cwd, vault = Path.cwd().resolve(), Path(self.vault)
        return cwd if vault.is_relative_to(cwd) else vault

    @cached_property
    def _prefix(self) -> str:
        folder = Path(self.vault).relative_to(self.base).as_posix()
        return "" if folder == "." else folder + "/"

    def shown_path(self, path: str) -> str:
        """Vault path `path` relative to `base`."""
        return self._prefix + path


Writer = Callable[[Report, TextIO, bool], None]  # (report, stream, colour)


FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
SHOWS_FIXES = frozenset({"json"})  # the formats that write a fix's edits, not only its count


def writer(name: str) -> Writer:
    """The `write` function of format `name` (each format is a module of this package,
    imported only when used)."""
    if name not in FORMATS:
        raise KeyError(name)
    module: Any = importlib.import_module(f"vaultlint.output.{name}")
    return module.write


def default_format() -> str:
    """The format when `--format` is not given: `VAULTLINT_OUTPUT_FORMAT`, else `github` inside
    GitHub Actions, else `text`. Raise ValueError for an unknown name in the variable."""
    chosen = os.environ.get("VAULTLINT_OUTPUT_FORMAT")
    if chosen:
        if chosen not in FORMATS:
            raise ValueError(
                f"VAULTLINT_OUTPUT_FORMAT={chosen}: unknown format (one of {', '.join(FORMATS)})"
            )
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
