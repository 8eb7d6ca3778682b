"""Stable fingerprints for CI formats (GitLab Code Quality, SARIF `partialFingerprints`).

A fingerprint must survive edits elsewhere in the note, so it leaves out line and column: it
hashes the note's vault path, the rule code and the offending text, plus a counter that tells
apart repeats of the same text with the same code in one note.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable

from vaultlint.diagnostics import Diagnostic
from vaultlint.output import Report


def offending_text(line_text: Callable[[str, int], str], d: Diagnostic) -> str:
    """The text the diagnostic points at (on its first line only, when it spans several);
    `line_text(path, line)` gives a line of a note (`Engine.line_text`)."""
    line = line_text(d.path, d.line)
    end = d.end_column if d.end_line == d.line else len(line) + 1
    return line[d.column - 1 : end - 1]


def fingerprints(report: Report) -> list[str]:
    """One fingerprint per diagnostic of `report`, in order; all distinct."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for d in report.diagnostics:
        key = (d.path, d.code, offending_text(report.line_text, d))
        repeat = seen[key]
        seen[key] += 1
        data = "\0".join([*key, str(repeat)]).encode("utf-8", "surrogatepass")
        out.append(hashlib.sha256(data).hexdigest()[:32])
    return out
