"""The rule registry. Each rule module declares its `Rule`s next to the check that emits them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultlint.diagnostics import Fix, Severity

if TYPE_CHECKING:
    from vaultlint.config import Settings
    from vaultlint.note import Note
    from vaultlint.schema import Schemas
    from vaultlint.vault import VaultIndex


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: Severity = Severity.ERROR
    default_on: bool = True
    fixable: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """What a check found: offsets into the note's text; the engine adds lines and columns."""

    rule: Rule
    start: int
    end: int
    message: str
    fix: Fix | None = None


@dataclass
class Context:
    """What a check may consult besides the note: the index, the settings, other notes."""

    index: VaultIndex
    settings: Settings
    note: Callable[[str], Note | None]  # a parsed note by vault path; None if unreadable
    schemas: Schemas  # frontmatter schemas from the config and .obsidian/types.json
    cache: dict[str, object] = field(default_factory=dict)  # per-run memo for checks


Check = Callable[["Note", Context], Iterator[Report]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    rules: tuple[Rule, ...]
    run: Check


def _registry() -> tuple[list[CheckSpec], dict[str, Rule]]:
    from vaultlint.rules import (
        frontmatter,
        headings,
        links,
        schema_violation,
        tags,
        timestamps,
        unreadable_note,
    )

    modules = (links, frontmatter, schema_violation, tags, timestamps, headings)
    checks = [CheckSpec(m.RULES, m.check) for m in modules]
    rules = [unreadable_note.RULE, *(r for m in modules for r in m.RULES)]
    return checks, {r.code: r for r in sorted(rules, key=lambda r: r.code)}


CHECKS, RULES = _registry()


def selector_matches(selector: str, rule: Rule) -> bool:
    """`VL1`, `VL101`, `broken-link` and `ALL` select rules; prefixes match codes."""
    sel = selector.strip()
    return sel.upper() == "ALL" or rule.code.startswith(sel.upper()) or sel.lower() == rule.name


def exact_selector(selector: str, rule: Rule) -> bool:
    sel = selector.strip()
    return sel.upper() == rule.code or sel.lower() == rule.name


def find_rule(code_or_name: str) -> Rule | None:
    for rule in RULES.values():
        if exact_selector(code_or_name, rule):
            return rule
    return None
