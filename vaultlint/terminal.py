"""What the command line shows a person at a terminal: the progress bar and the statistics table.

The progress bar goes to stderr, and only when stderr is an interactive terminal, not in CI (the
`CI` variable, which CI services set), not with `--quiet`, and only once the run has lasted
`PROGRESS_DELAY` seconds: a quick run never flickers. The check is ours, not rich's, because rich
takes any stream for a terminal under `FORCE_COLOR` and would animate bars into CI logs.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from vaultlint.diagnostics import Diagnostic

PROGRESS_DELAY = 1.0  # seconds a run lasts before the progress bar appears
ProgressCallback = Callable[[int, int], None]  # (notes done, notes in all)


def wants_progress(stream: TextIO, quiet: bool) -> bool:
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False


@contextmanager
def progress_bar(stream: TextIO, quiet: bool) -> Iterator[ProgressCallback | None]:
    """A callback that draws a transient progress bar on `stream` once the run has lasted
    `PROGRESS_DELAY` seconds; None when no bar should be shown at all."""
    if not wants_progress(stream, quiet):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    started = time.monotonic()
    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.monotonic() - started < PROGRESS_DELAY:
                return
            console = Console(file=stream)
            columns = (TextColumn("Checking notes"), BarColumn(), MofNCompleteColumn())
            bar = Progress(*columns, console=console, transient=True)
            bar.start()
            task = bar.add_task("check", total=total)
        assert task is not None
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def statistics(diagnostics: list[Diagnostic], out: TextIO, styled: bool) -> None:
    """Counts per rule, most frequent first: a rich table when `styled`, else aligned text."""
    counts = Counter((d.code, d.name, d.severity.value) for d in diagnostics)
    rows = [
        (str(n), code, name, severity)
        for (code, name, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    header = ("count", "code", "name", "severity")
    if not rows:
        return
    if styled:
        from rich.box import SIMPLE
        from rich.console import Console
        from rich.table import Table

        table = Table(*header, box=SIMPLE, header_style="bold")
        table.columns[0].justify = "right"
        for count, code, name, severity in rows:
            style = "red" if severity == "error" else "yellow"
            table.add_row(count, f"[bold]{code}[/]", name, f"[{style}]{severity}[/]")
        Console(file=out, force_terminal=True, no_color=False, highlight=False).print(table)
        return
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [row[0].rjust(widths[0])] + [
            c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")
