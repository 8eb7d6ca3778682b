"""Baselines: adopt vaultlint on a vault that already has thousands of problems.

`--write-baseline FILE` records every current diagnostic by note, rule code and a fingerprint
of the offending text, with a count for repeats; no line numbers, so edits elsewhere in the
note don't invalidate an entry. `--baseline FILE` reports only diagnostics beyond what FILE
records. The file (docs/fixes.md):

    {"version": 1, "entries": [
      {"path": "topics/x.md", "code": "VL101", "fingerprint": "4bd4e3c0e6e8a7a1", "count": 2}
    ]}
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vaultlint.diagnostics import Diagnostic
from vaultlint.fixes import write_atomic
from vaultlint.note import Note

VERSION = 1
Key = tuple[str, str, str]  # (path, code, fingerprint)
NoteLookup = Callable[[str], Note | None]  # a parsed note by vault path (`Engine.note`)


class BaselineError(Exception):
    """The baseline file can't be read or is not a vaultlint baseline."""


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def offending_text(d: Diagnostic, note: Note | None) -> str:
    """The text the diagnostic spans ("" for an unreadable note)."""
    if note is None:
        return ""
    start = note.lines.line_start(d.line - 1) + d.column - 1
    end = note.lines.line_start(d.end_line - 1) + d.end_column - 1
    return note.text[start:end]


def _keys(diagnostics: list[Diagnostic], note: NoteLookup) -> list[Key]:
    return [(d.path, d.code, fingerprint(offending_text(d, note(d.path)))) for d in diagnostics]


@dataclass
class Baseline:
    counts: Counter[Key]

    @classmethod
    def of(cls, diagnostics: list[Diagnostic], note: NoteLookup) -> Baseline:
        return cls(Counter(_keys(diagnostics, note)))

    @classmethod
    def load(cls, file: Path) -> Baseline:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"--baseline {file}: cannot read: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"--baseline {file}: not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise BaselineError(f"--baseline {file}: not a vaultlint baseline (version {VERSION})")
        counts: Counter[Key] = Counter()
        entries = data.get("entries")
        for i, entry in enumerate(entries if isinstance(entries, list) else [None]):
            try:
                key = (entry["path"], entry["code"], entry["fingerprint"])
                count = entry.get("count", 1)
            except (TypeError, KeyError, AttributeError):
                raise BaselineError(
                    f"--baseline {file}: entry {i} needs path, code and fingerprint"
                ) from None
            if not all(isinstance(k, str) for k in key) or type(count) is not int or count < 1:
                raise BaselineError(f"--baseline {file}: entry {i} has a bad value")
            counts[key] += count
        return cls(counts)

    def write(self, file: Path) -> None:
        entries = [
            json.dumps({"path": p, "code": c, "fingerprint": f, "count": n}, ensure_ascii=False)
            for (p, c, f), n in sorted(self.counts.items())
        ]
        body = "\n" + ",\n".join(entries) + "\n" if entries else ""
        text = f'{{"version": {VERSION}, "entries": [{body}]}}\n'
        write_atomic(file, text.encode("utf-8"))

    def new(self, diagnostics: list[Diagnostic], note: NoteLookup) -> list[Diagnostic]:
        """The diagnostics the baseline does not record: for each (path, code, fingerprint),
        those beyond the recorded count, in order."""
        seen: Counter[Key] = Counter()
        out = []
        for d, key in zip(diagnostics, _keys(diagnostics, note), strict=True):
            seen[key] += 1
            if seen[key] > self.counts[key]:
                out.append(d)
        return out

    def stale(
        self,
        diagnostics: list[Diagnostic],
        note: NoteLookup,
        checked: Callable[[str, str], bool],
    ) -> int:
        """Recorded diagnostics that are gone (fixed, or their note deleted), counting only
        entries whose (path, code) the run `checked`."""
        found = Counter(_keys(diagnostics, note))
        return sum(
            n - found[key]
            for key, n in self.counts.items()
            if n > found[key] and checked(key[0], key[1])
        )
