"""VL202 schema-violation: a frontmatter field missing, of the wrong type, or failing a check."""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule
from vaultlint.schema import Violation

RULE = Rule(
    "VL202",
    "schema-violation",
    "A frontmatter field missing, of the wrong type, or failing its constraint "
    "(`[[schema]]` config and `.obsidian/types.json`).",
)
RULES = (RULE,)


def check(note: Note, ctx: Context) -> Iterator[Report]:
    fm = note.frontmatter
    if fm is not None and fm.error is not None:
        return  # VL201 reports it; its fields can't be trusted
    compiled = ctx.schemas.for_note(note.path) if ctx.schemas.active else None
    if compiled is None:
        return
    for violation in compiled.validate(fm.mapping() if fm else {}):
        start, end = _where(note, violation)
        yield Report(RULE, start, end, violation.message)


def _where(note: Note, violation: Violation) -> tuple[int, int]:
    """The item, the key (through its value when on the same line), or the opening line."""
    fm = note.frontmatter
    prop = fm.property(violation.field) if fm and violation.field is not None else None
    if prop is None:
        return 0, note.lines.line_end(0)
    if violation.item is not None and violation.item < len(prop.items):
        item = prop.items[violation.item]
        return item.start, item.end
    same_line = "\n" not in note.text[prop.key.start : prop.value.end]
    return prop.key.start, prop.value.end if same_line else prop.key.end
