"""VL401 heading-increment and VL402 duplicate-heading."""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostics import Severity
from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule
from vaultlint.rules.links import heading_key

HEADING_INCREMENT = Rule(
    "VL401",
    "heading-increment",
    "A heading more than one level deeper than the heading before it.",
    severity=Severity.WARNING,
)
DUPLICATE_HEADING = Rule(
    "VL402",
    "duplicate-heading",
    "Two headings with the same text in one note, so links to it are ambiguous.",
    severity=Severity.WARNING,
)
RULES = (HEADING_INCREMENT, DUPLICATE_HEADING)


def check(note: Note, ctx: Context) -> Iterator[Report]:
    previous = None
    first_seen: dict[str, int] = {}
    for heading in note.body.headings:
        if previous is not None and heading.level > previous.level + 1:
            yield Report(
                HEADING_INCREMENT,
                heading.start,
                heading.end,
                f"heading level {heading.level} follows level {previous.level} "
                f"(expected at most {previous.level + 1})",
            )
        previous = heading
        key = heading_key(heading.text)
        if not key:
            continue
        if key in first_seen:
            line = note.lines.position(first_seen[key])[0]
            yield Report(
                DUPLICATE_HEADING,
                heading.start,
                heading.end,
                f'duplicate heading "{heading.text}" (first at line {line})',
            )
        else:
            first_seen[key] = heading.start
