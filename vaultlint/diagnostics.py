"""The diagnostic model shared by rules and output formats."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two offsets of the note."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    safe: bool
    title: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based; columns count code points; the end is
    exclusive (the column just past the offending text)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None


# The order of a report: by note, line, column and code (a C function: a report can hold
# 100,000 diagnostics).
SORT_KEY = operator.attrgetter("path", "line", "column", "code")
