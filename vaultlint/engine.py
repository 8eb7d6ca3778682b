"""Runs the rules over the notes to report, against an index of the whole vault."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.config import DEFAULT_EXCLUDE, Settings, validate_rule_codes
from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.globs import matches_any
from vaultlint.note import Note, Unreadable, normalise_newlines, parse_note, read_text
from vaultlint.positions import LineIndex
from vaultlint.rules import (
    CHECKS,
    RULES,
    Context,
    Report,
    Rule,
    exact_selector,
    find_rule,
    selector_matches,
)
from vaultlint.rules.unreadable_note import RULE as UNREADABLE
from vaultlint.schema import Schemas
from vaultlint.suppressions import Suppressions
from vaultlint.vault import NOTE_SUFFIX, VaultIndex, WalkProblem, tracked_files, walk


class UsageError(Exception):
    """A problem with what the user asked for (paths, selectors): exit 2."""


class InternalError(Exception):
    """A bug met while checking one note: exit 2, naming the note."""


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    checked: int  # notes reported on
    notes: list[str] = field(default_factory=list)  # their vault paths


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


class Engine:
    def __init__(self, root: Path, settings: Settings, index_source: str = "fs") -> None:
        """`index_source`: "fs" indexes every file in the vault folder, "git" only the files
        git tracks (`git ls-files`), for a check that sees exactly what will be committed."""
        validate_rule_codes(settings)
        self.root = root.resolve()
        self.settings = settings
        self.enabled = enabled_rules(settings)
        self.index_source = index_source
        self._notes: dict[str, Note | Unreadable] = {}
        problems = self.rewalk()
        self.warnings = [f"{p.path}: {p.reason}" for p in problems if p.path not in self._notes]
        self.schemas = Schemas(settings.schemas, self.root)
        if self.schemas.warning:
            self.warnings.append(self.schemas.warning)
        self._severity = {code: rule.severity for code, rule in RULES.items()}
        for key, value in settings.severity.items():
            rule = find_rule(key)
            if rule is not None:
                self._severity[rule.code] = Severity(value)

    def rewalk(self) -> list[WalkProblem]:
        """Walk the vault, again after files were created, deleted or renamed; what was read of
        notes still in the vault is kept (`forget` drops a note whose file changed)."""
        problems: list[WalkProblem] = []
        if self.index_source == "git":
            try:
                files = tracked_files(self.root, list(DEFAULT_EXCLUDE))
            except ValueError as exc:
                raise UsageError(f"--index-source git: {exc}") from None
        else:
            files, problems = walk(self.root, list(DEFAULT_EXCLUDE))
        self.index = VaultIndex(self.root, files)
        present = set(self.index.notes)
        self._notes = {p: n for p, n in self._notes.items() if p in present}
        # Notes the walk could not take (a broken symlink, a name that is not UTF-8) are
        # reported as unreadable; other problems (a folder that can't be listed, a symlink out
        # of the vault) go to stderr.
        for problem in problems:
            if problem.unreadable_note:
                self._notes[problem.path] = Unreadable(problem.reason)
        self._all_notes = sorted({*self.index.notes, *self._notes})
        return problems

    # -- notes -------------------------------------------------------------------------------

    def load(self, path: str) -> Note | Unreadable:
        cached = self._notes.get(path)
        if cached is None:
            try:
                text = read_text(self.root / path)
                cached = parse_note(path, text)
            except Unreadable as exc:
                cached = exc
            self._notes[path] = cached
        return cached

    def note(self, path: str) -> Note | None:
        loaded = self.load(path)
        return loaded if isinstance(loaded, Note) else None

    def line_text(self, path: str, line: int) -> str:
        """The text of 1-based `line` of note `path` ("" if unreadable or out of range)."""
        note = self.note(path)
        if note is not None:
            text, lines = note.text, note.lines
        else:  # unreadable: its diagnostic points into the part that decodes
            try:
                raw = (self.root / path).read_bytes().decode("utf-8-sig", "replace")
            except OSError:
                return ""
            text = normalise_newlines(raw)
            lines = LineIndex(text)
        if not 1 <= line <= len(lines.starts):
            return ""
        return text[lines.line_start(line - 1) : lines.line_end(line - 1)]

    def set_text(self, path: str, text: str) -> None:
        """Take `text` as the content of note `path` (an editor's unsaved buffer) from now on,
        for checking that note and for every link into it."""
        cached = self._notes.get(path)
        if not (isinstance(cached, Note) and cached.text == normalise_newlines(text)):
            self._notes[path] = parse_note(path, text)

    def forget(self, path: str) -> None:
        """Drop what was read or set for note `path`: the next look at it reads the file."""
        self._notes.pop(path, None)

    # -- choosing what to report on ----------------------------------------------------------

    def targets(self, paths: list[Path], force_exclude: bool = False) -> list[str]:
        """Vault-relative notes to report on. Whole vault by default; excludes apply to
        folders walked, and to files named explicitly only with `force_exclude`."""
        excludes = self.settings.exclude
        if not paths:
            return [p for p in self._all_notes if not matches_any(excludes, p)]
        chosen: list[str] = []
        for given in paths:
            absolute = Path(os.path.abspath(given))
            if not os.path.lexists(absolute):
                raise UsageError(f"{given}: no such file or folder")
            absolute = absolute.parent.resolve() / absolute.name if absolute.name else absolute
            try:
                rel = absolute.relative_to(self.root).as_posix()
            except ValueError:
                raise UsageError(f"{given}: not inside the vault {self.root}") from None
            rel = "" if rel == "." else rel
            if absolute.is_dir():
                prefix = rel + "/" if rel else ""
                chosen += [
                    p
                    for p in self._all_notes
                    if p.startswith(prefix) and not matches_any(excludes, p)
                ]
            elif rel.lower().endswith(NOTE_SUFFIX):
                if force_exclude and matches_any(excludes, rel):
                    continue
                chosen.append(rel)
        return sorted(set(chosen))

    def rules_for(self, path: str) -> set[str]:
        codes = set(self.enabled)
        for pattern, selectors in self.settings.per_file_ignores.items():
            if matches_any([pattern], path):
                codes = {
                    c for c in codes if not any(selector_matches(s, RULES[c]) for s in selectors)
                }
        return codes

    # -- running -----------------------------------------------------------------------------

    def run(
        self,
        paths: list[Path] | None = None,
        force_exclude: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> RunResult:
        """Check the notes `paths` choose; `progress(done, total)` is called after each note."""
        targets = self.targets(paths or [], force_exclude)
        ctx = self._context()
        found: list[Diagnostic] = []
        for done, path in enumerate(targets, 1):
            try:
                found.extend(self.check_note(path, ctx))
            except Exception as exc:
                raise InternalError(f"while checking {path}: {exc!r}") from exc
            if progress:
                progress(done, len(targets))
        found.sort(key=lambda d: d.sort_key)
        return RunResult(found, len(targets), targets)

    def check(self, path: str) -> list[Diagnostic]:
        """Diagnostics of one note, sorted; the note need not exist on disk (see `set_text`)."""
        return sorted(self.check_note(path, self._context()), key=lambda d: d.sort_key)

    def _context(self) -> Context:
        return Context(self.index, self.settings, self.note, self.schemas)

    def check_note(self, path: str, ctx: Context) -> list[Diagnostic]:
        codes = self.rules_for(path)
        loaded = self.load(path)
        if isinstance(loaded, Unreadable):
            if UNREADABLE.code not in codes:
                return []
            return [self._unreadable(path, loaded)]
        note = loaded
        suppressions = Suppressions(note.body.comments, note.lines)
        out = []
        for spec in CHECKS:
            if not any(r.code in codes for r in spec.rules):
                continue
            for report in spec.run(note, ctx):
                if report.rule.code not in codes:
                    continue
                diag = self._diagnostic(note, report)
                if suppressions and suppressions.suppressed(report.rule, diag.line):
                    continue
                out.append(diag)
        return out

    def _diagnostic(self, note: Note, report: Report) -> Diagnostic:
        line, col = note.lines.position(report.start)
        end_line, end_col = note.lines.position(report.end)
        rule: Rule = report.rule
        return Diagnostic(
            note.path, line, col, end_line, end_col, rule.code, rule.name,
            self._severity[rule.code], report.message, report.fix,
        )  # fmt: skip

    def _unreadable(self, path: str, problem: Unreadable) -> Diagnostic:
        line, col = problem.position
        return Diagnostic(
            path, line, col, line, col + 1, UNREADABLE.code, UNREADABLE.name,
            self._severity[UNREADABLE.code], problem.reason,
        )  # fmt: skip
