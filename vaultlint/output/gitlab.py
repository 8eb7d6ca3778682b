"""GitLab Code Quality report: a JSON array, one issue per diagnostic.

GitLab reads `description`, `check_name`, `fingerprint`, `severity` and `location` (path
relative to the repository, begin line) and ignores the rest of the Code Climate fields. Errors
are `major`, warnings `minor`. Fingerprints survive edits elsewhere in the note
(`output/fingerprint.py`), so GitLab tells new findings from old ones.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from vaultlint.diagnostics import Severity
from vaultlint.output import Report
from vaultlint.output.fingerprint import fingerprints

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def document(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "description": f"{d.code} {d.name}: {d.message}",
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": _SEVERITY[d.severity],
            "location": {
                "path": report.shown_path(d.path),
                "lines": {"begin": d.line, "end": d.end_line},
            },
        }
        for d, fingerprint in zip(report.diagnostics, fingerprints(report), strict=True)
    ]


def write(report: Report, out: TextIO, colour: bool) -> None:
    json.dump(document(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
