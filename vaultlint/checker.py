"""Checking one note: parse it, run the rules that need only the note, and keep its facts.

This is the part of a run that can happen anywhere: in the main process, in a worker process,
or not at all when the cache holds its result. The rules that need the whole vault (links) run
later on the facts (`NoteChecker.vault_diagnostics`, called by `engine.py` and the workers).
"""

from __future__ import annotations

import hashlib
import os
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.config import Settings
from vaultlint.diagnostics import Diagnostic, Severity, diagnostic_of
from vaultlint.facts import NoteFacts, facts_of
from vaultlint.globs import matches_any
from vaultlint.note import Note, Unreadable, decode, parse_note
from vaultlint.positions import LineIndex
from vaultlint.rules import (
    CHECKS,
    RULES,
    CheckSpec,
    Context,
    Report,
    VaultContext,
    exact_selector,
    find_rule,
    selector_matches,
)
from vaultlint.rules.unreadable_note import RULE as UNREADABLE
from vaultlint.schema import Schemas
from vaultlint.vault import VaultIndex


@dataclass(slots=True)
class NoteResult:
    """What checking one note gives: its facts (None when it can't be read) and the
    diagnostics of the rules that need only the note. Cached, keyed by the file's content."""

    facts: NoteFacts | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileKey:
    """How the cache recognises a file: size and modification time first, then its content."""

    size: int
    mtime_ns: int
    digest: bytes

    @staticmethod
    def of(data: bytes, stat: os.stat_result) -> FileKey:
        return FileKey(
            stat.st_size, stat.st_mtime_ns, hashlib.blake2b(data, digest_size=16).digest()
        )


def enabled_rules(settings: Settings) -> set[str]:
    """Codes on for the run. `select` replaces the default set; a rule that is off by default
    is only turned on by its own code or name, not by a prefix."""
    if settings.select is None:
        chosen = {r.code for r in RULES.values() if r.default_on}
    else:
        chosen = {
            r.code
            for r in RULES.values()
            for s in settings.select
            if selector_matches(s, r) and (r.default_on or exact_selector(s, r))
        }
    return {c for c in chosen if not any(selector_matches(s, RULES[c]) for s in settings.ignore)}


def _read(file: str) -> tuple[os.stat_result, bytes]:
    """The file's status, taken before reading it (a file changed meanwhile is read again on
    the next run), and its bytes: by file descriptor, at a third of pathlib's cost."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        stat = os.fstat(fd)
        data = os.read(fd, stat.st_size + 1)
        if len(data) > stat.st_size:  # it grew: read to its end
            parts = [data]
            while part := os.read(fd, 1 << 16):
                parts.append(part)
            data = b"".join(parts)
        return stat, data
    finally:
        os.close(fd)


class NoteChecker:
    """The settings of a run turned into what checking a note needs."""

    def __init__(self, root: Path, settings: Settings, keyed: bool = True) -> None:
        """`keyed`: `check_file` also returns the file's key for the cache (a hash of it)."""
        self.root = root
        self.settings = settings
        self.keyed = keyed
        self.enabled = enabled_rules(settings)
        self.schemas = Schemas(settings.schemas, root)
        self.context = Context(settings, self.schemas)
        self.severity = {code: rule.severity for code, rule in RULES.items()}
        for key, value in settings.severity.items():
            rule = find_rule(key)
            if rule is not None:
                self.severity[rule.code] = Severity(value)
        self._codes: dict[str, frozenset[str]] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        self._checks: dict[tuple[frozenset[str], str], list[CheckSpec]] = {}

    def rules_for(self, path: str) -> frozenset[str]:
        """The codes on for `path`: the enabled ones less its per-file-ignores."""
        codes = self._codes.get(path)
        if codes is None:
            chosen = set(self.enabled)
            for pattern, selectors in self.settings.per_file_ignores.items():
                if matches_any([pattern], path):
                    chosen = {
                        c
                        for c in chosen
                        if not any(selector_matches(s, RULES[c]) for s in selectors)
                    }
            codes = frozenset(chosen)
            codes = self._codes[path] = self._sets.setdefault(codes, codes)  # one of each
        return codes

    def checks(self, codes: frozenset[str], scope: str) -> list[CheckSpec]:
        """The checks of `scope` ("note" or "vault") that report a rule of `codes`."""
        found = self._checks.get((codes, scope))
        if found is None:
            found = self._checks[codes, scope] = [
                spec
                for spec in CHECKS
                if spec.scope == scope and any(r.code in codes for r in spec.rules)
            ]
        return found

    def check_file(self, path: str) -> tuple[NoteResult, FileKey | None]:
        """Read and check the note at vault path `path`; the key is None if it can't be read
        (or is not wanted: `keyed`)."""
        try:
            stat, data = _read(os.path.join(self.root, path))
        except OSError as exc:
            return self.unreadable(
                path, Unreadable(f"cannot read file: {exc.strerror or exc}")
            ), None
        key = FileKey.of(data, stat) if self.keyed else None
        try:
            note = parse_note(path, decode(data))
        except Unreadable as problem:
            return self.unreadable(path, problem), key
        return self.check_note(note), key

    def check_note(self, note: Note) -> NoteResult:
        """Run the note's own rules; keep its facts for the vault-wide ones."""
        facts = facts_of(note)
        codes = self.rules_for(note.path)
        found: list[Diagnostic] = []
        for spec in self.checks(codes, "note"):
            reports = spec.run(note, self.context)  # type: ignore[arg-type]
            self.place(note.path, note.lines, reports, codes, facts, found)
        return NoteResult(facts, found)

    def vault_diagnostics(
        self, path: str, facts: NoteFacts | None, ctx: VaultContext
    ) -> list[Diagnostic]:
        """The diagnostics of the vault-wide checks on the note at `path`."""
        if facts is None:
            return []
        codes = self.rules_for(path)
        out: list[Diagnostic] = []
        for spec in self.checks(codes, "vault"):
            reports = spec.run(facts, ctx)  # type: ignore[arg-type]
            self.place(path, facts.lines, reports, codes, facts, out)
        return out

    def reads(self, facts: NoteFacts, index: VaultIndex) -> set[str]:
        """The other notes whose facts the vault-wide checks read for this note."""
        codes = self.rules_for(facts.path)
        found: set[str] = set()
        for spec in self.checks(codes, "vault"):
            if spec.reads is not None:
                found.update(spec.reads(facts, index))
        return found

    def place(
        self,
        path: str,
        lines: LineIndex,
        reports: Iterable[Report],
        codes: frozenset[str],
        facts: NoteFacts,
        out: list[Diagnostic],
    ) -> None:
        """Add to `out` the reports placed in the file, but those whose rule is off or
        suppressed there (a large vault can have 100,000 link reports: this is a loop)."""
        suppressions = facts.suppressions if facts.suppressions else None
        starts, length, position = lines.starts, lines.length, lines.position
        last = len(starts)
        severity = self.severity
        for rule, start, end, message, fix in reports:
            code = rule.code
            if code not in codes:
                continue
            if 0 <= start <= length:  # `position(start)`, inline: it is most of the loop
                line = bisect_right(starts, start)
                col = start - starts[line - 1] + 1
                if start <= end < (starts[line] if line < last else length + 1):
                    end_line, end_col = line, col + end - start  # most end on their line
                else:
                    end_line, end_col = position(end)
            else:
                line, col = position(start)
                end_line, end_col = position(end)
            if suppressions is not None and suppressions.suppressed(rule, line):
                continue
            out.append(diagnostic_of((
                path, line, col, end_line, end_col, code, rule.name, severity[code], message, fix
            )))  # fmt: skip

    def unreadable(self, path: str, problem: Unreadable) -> NoteResult:
        if UNREADABLE.code not in self.rules_for(path):
            return NoteResult(None)
        line, col = problem.position
        diagnostic = Diagnostic(
            path, line, col, line, col + 1, UNREADABLE.code, UNREADABLE.name,
            self.severity[UNREADABLE.code], problem.reason,
        )  # fmt: skip
        return NoteResult(None, [diagnostic])
