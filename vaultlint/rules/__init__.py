"""The rule registry. Each rule module declares its `Rule`s next to the check that emits them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from vaultlint.diagnostics import Fix, Severity

if TYPE_CHECKING:
    from vaultlint.config import Settings
    from vaultlint.facts import NoteAnchors, NoteFacts
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


class Report(NamedTuple):
    """What a check found: offsets into the note's text; the engine adds lines and columns.
    (A named tuple, made at half the cost of a frozen dataclass: a run can make 175,000.)"""

    rule: Rule
    start: int
    end: int
    message: str
    fix: Fix | None = None


@dataclass
class Context:
    """What a check of one note may consult besides the note: the settings and schemas."""

    settings: Settings
    schemas: Schemas  # frontmatter schemas from the config and .obsidian/types.json


@dataclass
class VaultContext:
    """What a vault-wide check may consult: the index and what is known of every other note.

    In a run's first pass, where each note is checked as it is parsed, the other notes are
    not known yet: `anchors` raises `NotYet` for them, `aliases` gives none, and the link
    check records in `aliases_asked` the targets of broken links (whose hints looked for an
    alias). The run keeps those diagnostics unless one of the targets is an alias after all."""

    index: VaultIndex
    settings: Settings
    anchors: Callable[[str], NoteAnchors | None]  # a note's, by vault path; None if unreadable
    aliases: Callable[[], dict[str, list[str]]]  # every note's aliases, by path
    cache: dict[str, object] = field(default_factory=dict)  # per-run memo for checks
    aliases_asked: set[str] | None = None  # link targets (first pass only)


class NotYet(Exception):
    """A first-pass vault check asked for what only the second pass knows."""


Check = Callable[["Note", Context], Iterator[Report]]
VaultCheck = Callable[["NoteFacts", VaultContext], Iterator[Report]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """Rules and the check that reports them. A "note" check reads one parsed note (it runs
    where the note is parsed, in parallel, and its results are cached with the note); a
    "vault" check reads a note's facts and the index (it runs on every run, so a renamed or
    deleted target is always seen)."""

    rules: tuple[Rule, ...]
    run: Check | VaultCheck
    scope: Literal["note", "vault"] = "note"
    # a vault check: the other notes whose facts it reads for a note (sent to the worker
    # process that runs it; one it did not name is read from disk there)
    reads: Callable[[NoteFacts, VaultIndex], Iterable[str]] | None = None


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

    checks = [
        CheckSpec((links.EMPTY,), links.check_empty),
        CheckSpec(links.RESOLVING, links.check, "vault", links.anchored_notes),
        *(
            CheckSpec(m.RULES, m.check)
            for m in (frontmatter, schema_violation, tags, timestamps, headings)
        ),
    ]
    rules = [unreadable_note.RULE, *(r for c in checks for r in c.rules)]
    return checks, {r.code: r for r in sorted(rules, key=lambda r: r.code)}


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


CHECKS, RULES = _registry()
