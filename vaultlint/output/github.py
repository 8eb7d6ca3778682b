"""GitHub Actions workflow commands: one `::error` or `::warning` annotation per diagnostic.

Escaping is the Actions toolkit's (`@actions/core` command.ts): `%`, CR and LF in the message;
those and `:` and `,` in property values. Columns are code points, and are only sent when the
diagnostic starts and ends on one line, as the toolkit requires. The message repeats
`path:line:col: CODE`, so the log stays complete when GitHub drops annotations past its limit.
"""

from __future__ import annotations

from typing import TextIO

from vaultlint.diagnostics import Diagnostic
from vaultlint.output import Report


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, path: str) -> str:
    props: dict[str, object] = {
        "file": path,
        "line": d.line,
        "endLine": d.end_line,
        "title": f"{d.code} {d.name}",
    }
    if d.line == d.end_line:
        props |= {"col": d.column, "endColumn": d.end_column}
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    message = f"{path}:{d.line}:{d.column}: {d.code} {d.message}"
    return f"::{d.severity.value} {joined}::{escape_data(message)}"


def write(report: Report, out: TextIO, colour: bool) -> None:
    for d in report.diagnostics:
        out.write(annotation(d, report.shown_path(d.path)) + "\n")
