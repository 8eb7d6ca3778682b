"""One line per diagnostic, for editors and grep: `path:line:col: CODE [severity] message`."""

from __future__ import annotations

from typing import TextIO

from vaultlint.output import Report


def write(report: Report, out: TextIO, colour: bool) -> None:
    for d in report.diagnostics:
        out.write(f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity.value}] {d.message}\n")
