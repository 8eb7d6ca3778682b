"""The diagnostic model shared by rules and output formats."""

from __future__ import annotations

import operator
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Edit(NamedTuple):
    """Replace the text between two offsets of the note."""

    start: int
    end: int
    text: str


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    safe: bool
    title: str


class Diagnostic(NamedTuple):
    """One finding. Lines and columns are 1-based; columns count code points; the end is
    exclusive (the column just past the offending text).

    Diagnostics, fixes and edits are named tuples: a report can hold 100,000 diagnostics, and
    a tuple is made (and loaded from the cache) at about half the cost of a frozen dataclass."""

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
