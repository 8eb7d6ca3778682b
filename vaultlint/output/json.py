"""The JSON document of DESIGN section 6."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from vaultlint import __version__
from vaultlint.diagnostics import Diagnostic
from vaultlint.output import Report


def _fix(d: Diagnostic) -> dict[str, Any] | None:
    if d.fix is None:
        return None
    return {
        "title": d.fix.title,
        "safe": d.fix.safe,
        "edits": [{"start": e.start, "end": e.end, "text": e.text} for e in d.fix.edits],
    }


def document(report: Report) -> dict[str, Any]:
    return {
        "vaultlint": __version__,
        "vault": report.vault,
        "checked": report.checked,
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "end_line": d.end_line,
                "end_column": d.end_column,
                "code": d.code,
                "name": d.name,
                "severity": d.severity.value,
                "message": d.message,
                "fix": _fix(d),
            }
            for d in report.diagnostics
        ],
        "counts": dict(sorted(Counter(d.code for d in report.diagnostics).items())),
    }


def write(report: Report, out: TextIO, colour: bool) -> None:
    """The document with one diagnostic per line: readable in a diff, and written by json's
    C encoder (an indented dump goes through its pure-Python one, 5x slower)."""
    doc = document(report)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    diagnostics = doc.pop("diagnostics")
    counts = doc.pop("counts")
    out.write("{" + "".join(f"{encode(k)}: {encode(v)}, " for k, v in doc.items()))
    out.write('"diagnostics": [')
    out.write(",".join(f"\n  {encode(d)}" for d in diagnostics))
    out.write(f'\n], "counts": {encode(counts)}}}\n')
