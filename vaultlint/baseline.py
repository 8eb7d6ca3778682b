"""Baselines: adopt vaultlint on a vault that already has thousands of problems.

`--write-baseline FILE` records every current diagnostic by note, rule code and a fingerprint
of the offending text (on its first line), with a count for repeats; no line numbers, so edits
elsewhere in the note don't invalidate an entry. `--baseline FILE` reports only diagnostics
beyond what FILE records. The file (docs/fixes.md):

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
from vaultlint.output.fingerprint import offending_text

VERSION = 1
Key = tuple[str, str, str]  # (path, code, fingerprint)
LineText = Callable[[str, int], str]  # a note's 1-based line by vault path (`Engine.line_text`)


class BaselineError(Exception):
    """The baseline file can't be read or is not a vaultlint baseline."""


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _keys(diagnostics: list[Diagnostic], line_text: LineText) -> list[Key]:
    """Each diagnostic's key: its path, code and a fingerprint of the text it points at (on
    its first line, as in the CI formats' fingerprints)."""
    return [(d.path, d.code, fingerprint(offending_text(line_text, d))) for d in diagnostics]


@dataclass
class Baseline:
    counts: Counter[Key]

    @classmethod
    def of(cls, diagnostics: list[Diagnostic], line_text: LineText) -> Baseline:
        return cls(Counter(_keys(diagnostics, line_text)))

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

    def new(self, diagnostics: list[Diagnostic], line_text: LineText) -> list[Diagnostic]:
        """The diagnostics the baseline does not record: for each (path, code, fingerprint),
        those beyond the recorded count, in order."""
        seen: Counter[Key] = Counter()
        out = []
        for d, key in zip(diagnostics, _keys(diagnostics, line_text), strict=True):
            seen[key] += 1
            if seen[key] > self.counts[key]:
                out.append(d)
        return out

    def stale(
        self,
        diagnostics: list[Diagnostic],
        line_text: LineText,
        checked: Callable[[str, str], bool],
    ) -> int:
        """Recorded diagnostics that are gone (fixed, or their note deleted), counting only
        entries whose (path, code) the run `checked`."""
        found = Counter(_keys(diagnostics, line_text))
        return sum(
            n - found[key]
            for key, n in self.counts.items()
            if n > found[key] and checked(key[0], key[1])
        )
