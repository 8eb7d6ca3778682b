"""VL205 invalid-tag: a tag Obsidian won't accept, inline (`#1984`) or in the `tags` property."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from vaultlint.frontmatter import Property, Span
from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule
from vaultlint.schema import describe_value

RULE = Rule(
    "VL205",
    "invalid-tag",
    "A tag Obsidian won't accept: empty, only digits, or with characters tags can't hold.",
)
RULES = (RULE,)
TAG_PROPERTIES = ("tags", "tag")
_SEPARATORS = re.compile(r"[,\s]+")


def problem(tag: str) -> str | None:
    """Why Obsidian rejects `tag` (without its '#'), or None if it is a valid tag."""
    if not tag:
        return "empty tag"
    if tag.isdigit():
        return f'tag "{tag}" is only digits: a tag needs a character that is not a digit'
    for c in tag:
        if c.isspace() or (c.isascii() and not c.isalnum() and c not in "_-/"):
            shown = {" ": "a space", "\t": "a tab"}.get(c, f'"{c}"')
            return f'tag "{tag}" contains {shown}, which a tag can\'t hold'
    return None


def check(note: Note, ctx: Context) -> Iterator[Report]:
    for tag in note.body.tags:
        if (why := problem(tag.name)) is not None:
            yield Report(RULE, tag.start, tag.end, why)
    fm = note.frontmatter
    if fm is None or fm.error is not None:
        return
    data = fm.mapping()
    for name in TAG_PROPERTIES:
        prop = fm.property(name)
        if prop is not None:
            yield from _property_tags(note, prop, data.get(name))


def _property_tags(note: Note, prop: Property, value: Any) -> Iterator[Report]:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        yield from _text_tags(note, prop.value, str(value))  # `tags: a, b` (VL204 asks for a list)
        return
    if not isinstance(value, list):
        return
    for item, span in zip(value, prop.items, strict=False):
        why: str | None
        if isinstance(item, list | dict | bool):
            why = f"a tag must be text, not {describe_value(item)}"
        else:
            why = problem("" if item is None else str(item).strip().removeprefix("#"))
        if why is not None:
            yield Report(RULE, span.start, span.end, why)


def _text_tags(note: Note, span: Span, value: str) -> Iterator[Report]:
    """Tags written as one text value, separated by commas or spaces."""
    source = note.text[span.start : span.end]
    at = 0
    for tag in _SEPARATORS.split(value):
        if not tag:
            continue
        found = source.find(tag, at)
        start, end = span.start, span.end
        if found >= 0:
            start, end, at = span.start + found, span.start + found + len(tag), found + len(tag)
        if (why := problem(tag.removeprefix("#"))) is not None:
            yield Report(RULE, start, end, why)
