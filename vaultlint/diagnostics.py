"""The diagnostic model shared by rules and output formats."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple, TypeVar, cast

T = TypeVar("T")


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


def maker(cls: type[T]) -> Callable[[Iterable[Any]], T]:
    """Named tuple `cls` made from a tuple of its fields by `tuple.__new__` alone, with no
    Python call: a run makes up to 175,000 diagnostics from rows, and the link check as many
    reports and fixes."""
    return cast("Callable[[Iterable[Any]], T]", partial(tuple.__new__, cls))


diagnostic_of, fix_of, edit_of = maker(Diagnostic), maker(Fix), maker(Edit)
