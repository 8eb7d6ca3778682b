"""Applying fixes: the edits diagnostics carry, applied to notes and written back byte-exactly.

A fix is data (`Fix`: edits on offsets into the note's text as vaultlint lints it). Offsets are
the same in the file's decoded text, since CRLF was replaced character for character, so edits
apply to the text as it is on disk: its line endings, BOM and every untouched byte stay.
`fix_notes` applies the chosen fixes, re-lints the notes it changed and repeats, up to
`MAX_PASSES` times; `FixOutcome.write` writes each changed note once, atomically.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import os
import re
import stat
import tempfile
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.diagnostics import SORT_KEY, Diagnostic, Edit, Fix

if TYPE_CHECKING:
    from vaultlint.engine import Engine

MAX_PASSES = 4  # a fix may make another possible (`tag: x` -> `tags: x` -> a list)
Filter = Callable[[list[Diagnostic]], list[Diagnostic]]  # which diagnostics are reported
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


@dataclass(frozen=True, slots=True)
class Source:
    """A note file as read: its bytes, and its text decoded without the BOM, line endings kept."""

    raw: bytes
    text: str
    bom: bool

    @classmethod
    def read(cls, file: Path) -> Source:
        raw = file.read_bytes()
        bom = raw.startswith(codecs.BOM_UTF8)
        return cls(raw, raw.decode("utf-8-sig"), bom)

    def encode(self, text: str) -> bytes:
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def line_ending(text: str) -> str:
    """The text's most frequent line ending ('\\n' when it has none, or on a tie)."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf and cr > crlf:
        return "\r"
    return "\n"


def _splits_crlf(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


def _overlap(a: Edit, b: Edit) -> bool:
    """Edits that touch the same text; two insertions at one offset overlap too (their order
    would be a guess). An insertion at either end of a replacement does not."""
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def _span(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def _first_edit(fix: Fix) -> tuple[int, int]:
    return min(map(_span, fix.edits), default=(0, 0))


def _overlaps_any(edit: Edit, taken: list[Edit]) -> bool:
    """Whether `edit` overlaps one of `taken` (sorted, none overlapping another): only the
    one before its place and those starting up to its end can."""
    i = bisect_left(taken, _span(edit), key=_span)
    if i > 0 and _overlap(taken[i - 1], edit):
        return True
    while i < len(taken) and taken[i].start <= edit.end:
        if _overlap(taken[i], edit):
            return True
        i += 1
    return False


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """Apply to `text` every fix none of whose edits overlaps an edit taken before it (fixes
    in the order of their first edit; a fix is applied whole or not at all). Line breaks in
    the inserted text become the text's own line ending; an edit outside the text or one that
    would split a CRLF pair is refused, and so is a fix that would change nothing.

    Returns the new text and the fixes applied."""
    newline = line_ending(text)
    taken: list[Edit] = []
    applied: list[Fix] = []
    for fix in sorted(fixes, key=_first_edit):
        edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        if not edits or any(
            not 0 <= e.start <= e.end <= len(text)
            or _splits_crlf(text, e.start)
            or _splits_crlf(text, e.end)
            for e in edits
        ):
            continue
        if any(_overlap(a, b) for i, a in enumerate(edits) for b in edits[i + 1 :]):
            continue
        if any(_overlaps_any(e, taken) for e in edits):
            continue
        if all(text[e.start : e.end] == e.text for e in edits):
            continue
        for edit in edits:
            insort(taken, edit, key=_span)
        applied.append(fix)
    pieces: list[str] = []
    pos = 0
    for edit in taken:
        pieces.append(text[pos : edit.start])
        inserted = edit.text.replace("\r\n", "\n").replace("\r", "\n")
        pieces.append(inserted.replace("\n", newline))
        pos = edit.end
    pieces.append(text[pos:])
    return "".join(pieces), applied


def write_atomic(file: Path, data: bytes) -> None:
    """Replace the file's content with `data` (or create it): write a temporary file in the
    same folder, sync it, give it the file's permissions (and owner, when allowed), rename it
    over the file. A symlink is followed, so the link stays a link. On failure the file is
    untouched and the temporary file is removed."""
    target = Path(os.path.realpath(file))
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if info is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        else:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
            if hasattr(os, "chown"):
                with contextlib.suppress(OSError):
                    os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of one note (`a/` and `b/` paths from the vault root, as git writes)."""
    lines = difflib.unified_diff(_LINES.findall(old), _LINES.findall(new), f"a/{path}", f"b/{path}")
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


@dataclass
class FixOutcome:
    """What fixing did: the diagnostics that remain, and the changed notes' new text."""

    engine: Engine
    keep: Filter
    found: list[Diagnostic] = field(default_factory=list)  # every one that remains
    diagnostics: list[Diagnostic] = field(default_factory=list)  # those `keep` reports
    fixed: dict[str, int] = field(default_factory=dict)  # changed note -> fixes applied
    sources: dict[str, Source] = field(default_factory=dict)  # changed note -> file as read
    texts: dict[str, str] = field(default_factory=dict)  # changed note -> its fixed text
    warnings: list[str] = field(default_factory=list)  # notes left alone
    errors: list[str] = field(default_factory=list)  # notes that could not be written

    @property
    def total_fixed(self) -> int:
        return sum(self.fixed.values())

    def diff(self) -> str:
        """The changes as a unified diff of the files (a BOM is part of the first line)."""
        out = []
        for path in sorted(self.texts):
            bom = "\ufeff" if self.sources[path].bom else ""
            out.append(unified_diff(path, bom + self.sources[path].text, bom + self.texts[path]))
        return "".join(out)

    def write(self) -> None:
        """Write every changed note. A note that changed on disk since it was read, or that
        can't be written, is left alone, and its diagnostics are those of the file as it is."""
        failed = []
        for path in sorted(self.texts):
            file = self.engine.root / path
            source = self.sources[path]
            try:
                if file.read_bytes() != source.raw:
                    self.warnings.append(f"{path}: changed on disk while fixing; not written")
                    failed.append(path)
                    continue
                write_atomic(file, source.encode(self.texts[path]))
            except OSError as exc:
                self.errors.append(f"{path}: cannot write: {exc.strerror or exc}")
                failed.append(path)
        if failed:
            for path in failed:
                self.engine.forget(path)
                del self.fixed[path], self.texts[path]
            again = self.engine.run([self.engine.root / p for p in failed]).diagnostics
            self._remain([*(d for d in self.found if d.path not in failed), *again])

    def _remain(self, found: list[Diagnostic]) -> None:
        self.found = sorted(found, key=SORT_KEY)
        self.diagnostics = self.keep(self.found)


def fix_notes(
    engine: Engine, found: list[Diagnostic], unsafe: bool, keep: Filter | None = None
) -> FixOutcome:
    """Apply the fixes of the diagnostics `found` that `keep` reports (safe ones, and unsafe
    ones too when `unsafe`), re-lint the changed notes and repeat, up to MAX_PASSES times.

    A note is read for fixing when it first has a fix to apply, and checked again from that
    text, so the edits always fit the text they change. Nothing is written: the engine sees
    the fixed text (`Engine.set_text`)."""
    outcome = FixOutcome(engine, keep or (lambda ds: ds))
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in found:
        by_path[d.path].append(d)

    def relint(paths: list[str]) -> None:
        for path in paths:
            by_path[path] = []
        for d in engine.run([engine.root / p for p in paths]).diagnostics:
            by_path[d.path].append(d)

    fixed: dict[str, int] = defaultdict(int)
    for _ in range(MAX_PASSES):
        wanted = _wanted(outcome.keep([d for ds in by_path.values() for d in ds]), unsafe)
        unread = [p for p in wanted if p not in outcome.sources]
        if unread:
            relint([p for p in unread if _read(engine, p, outcome)])
            wanted = _wanted(outcome.keep([d for ds in by_path.values() for d in ds]), unsafe)
        changed = []
        for path, fixes in wanted.items():
            if path not in outcome.sources:
                continue
            new, applied = apply_fixes(outcome.texts.get(path, outcome.sources[path].text), fixes)
            if applied:
                outcome.texts[path] = new
                fixed[path] += len(applied)
                engine.set_text(path, new)
                changed.append(path)
        if not changed:
            break
        relint(changed)
    # A note whose fixes cancelled out is unchanged: nothing to write or show.
    for path in [p for p, t in outcome.texts.items() if t == outcome.sources[p].text]:
        del outcome.texts[path]
    outcome.fixed = {p: n for p, n in fixed.items() if p in outcome.texts}
    outcome._remain([d for ds in by_path.values() for d in ds])
    return outcome


def _wanted(diagnostics: list[Diagnostic], unsafe: bool) -> dict[str, list[Fix]]:
    """The fixes to apply, by note."""
    wanted: dict[str, list[Fix]] = defaultdict(list)
    for d in diagnostics:
        if d.fix is not None and (unsafe or d.fix.safe):
            wanted[d.path].append(d.fix)
    return wanted


def _read(engine: Engine, path: str, outcome: FixOutcome) -> bool:
    """Read the note for fixing and give the engine its text; False if it can't be read."""
    try:
        source = Source.read(engine.root / path)
    except (OSError, UnicodeDecodeError):
        outcome.warnings.append(f"{path}: can no longer be read; not fixed")
        return False
    outcome.sources[path] = source
    engine.set_text(path, source.text)
    return True
