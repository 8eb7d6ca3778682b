"""Human output: diagnostics grouped under their note, coloured on a terminal."""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter
from typing import TextIO

from vaultlint.diagnostics import Severity
from vaultlint.output import Report

_SEVERITY = {s: f"{s.value:<7}" for s in Severity}
_PATH = attrgetter("path")


def write(report: Report, out: TextIO, colour: bool) -> None:
    if not report.diagnostics:
        return
    if colour:
        _write_rich(report, out)
        return
    for path, group in groupby(report.diagnostics, key=_PATH):
        lines = [
            f"  {f'{d.line}:{d.column}':<9} {_SEVERITY[d.severity]} {d.code}  {d.name}: "
            f"{d.message}\n"
            for d in group
        ]
        out.write(f"{path}\n{''.join(lines)}\n")


def _write_rich(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)
    for path, group in groupby(report.diagnostics, key=lambda d: d.path):
        console.print(f"[bold underline]{escape(path)}[/]")
        for d in group:
            where = f"{d.line}:{d.column}"
            style = "red" if d.severity is Severity.ERROR else "yellow"
            console.print(
                f"  [dim]{where:<9}[/] [{style}]{d.severity.value:<7}[/] [bold]{d.code}[/]  "
                f"[dim]{d.name}:[/] {escape(d.message)}"
            )
        console.print()
