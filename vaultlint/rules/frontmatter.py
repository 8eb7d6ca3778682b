"""VL201 invalid-frontmatter, VL203 duplicate-frontmatter-key, VL204 deprecated-property."""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostics import Edit, Fix, Severity
from vaultlint.frontmatter import LIST_PROPERTIES, Property
from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule

INVALID = Rule(
    "VL201",
    "invalid-frontmatter",
    "Frontmatter that is not valid YAML, not a set of properties, or not closed.",
)
DUPLICATE_KEY = Rule(
    "VL203", "duplicate-frontmatter-key", "The same key twice in one frontmatter block."
)
DEPRECATED = Rule(
    "VL204",
    "deprecated-property",
    "`tag`, `alias` or `cssclass` (Obsidian reads `tags`, `aliases`, `cssclasses`), or one of "
    "those given as text where Obsidian expects a list.",
    severity=Severity.WARNING,
    fixable=True,
)
RULES = (INVALID, DUPLICATE_KEY, DEPRECATED)

RENAMED = {"tag": "tags", "alias": "aliases", "cssclass": "cssclasses"}


def check(note: Note, ctx: Context) -> Iterator[Report]:
    fm = note.frontmatter
    if fm is None:
        return
    if fm.error is not None:
        line_end = note.lines.line_end(note.lines.position(fm.error_at)[0] - 1)
        yield Report(INVALID, fm.error_at, max(line_end, fm.error_at), fm.error)
        return
    for dup in fm.duplicates:
        first_line = note.lines.position(dup.first.start)[0]
        yield Report(
            DUPLICATE_KEY,
            dup.again.start,
            dup.again.end,
            f'duplicate key "{dup.name}" (first at line {first_line}): '
            "YAML keeps only the last value, and Obsidian cannot show the properties",
        )
    data = fm.mapping()
    names = {p.name for p in fm.properties}
    for prop in fm.properties:
        plural = RENAMED.get(prop.name)
        if plural is not None:
            fix = None
            if plural not in names:
                fix = Fix(
                    (Edit(prop.key.start, prop.key.end, plural),), True, f'rename to "{plural}"'
                )
            yield Report(
                DEPRECATED,
                prop.key.start,
                prop.key.end,
                f'deprecated property "{prop.name}": use "{plural}" '
                f'(Obsidian 1.9 no longer reads "{prop.name}")',
                fix,
            )
        elif prop.name in LIST_PROPERTIES and _single(data.get(prop.name)):
            yield Report(
                DEPRECATED,
                prop.key.start,
                prop.value.end,
                f'"{prop.name}" is a single value, not a list: Obsidian expects a list '
                f"(`{prop.name}:` then one `- item` per line)",
                _as_list(note, prop, data[prop.name]),
            )


def _as_list(note: Note, prop: Property, value: object) -> Fix | None:
    """`tags: x` -> `tags:` and `  - x`, the value kept as written. Only for a block mapping
    key at the start of its line with the value on that line, and a value that is one item
    for sure: no comma, and no space in a tag or CSS class (old Obsidian versions split text
    on those)."""
    written = note.text[prop.value.start : prop.value.end]
    between = note.text[prop.key.end : prop.value.start]
    at_line_start = note.text[prop.key.start - 1] == "\n"
    if not at_line_start or "\n" in written or between.strip(" \t") != ":":
        return None
    loaded = str(value)
    if "," in loaded or (prop.name != "aliases" and any(c.isspace() for c in loaded)):
        return None
    edit = Edit(prop.key.end, prop.value.end, f":\n  - {written}")
    return Fix((edit,), True, f'make "{prop.name}" a list')


def _single(value: object) -> bool:
    """A value given where a list belongs (empty is fine: Obsidian writes `tags:`)."""
    return value is not None and not isinstance(value, list | dict)
