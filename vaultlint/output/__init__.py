"""Report formats: one module each, all taking the same `Report`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from vaultlint.diagnostics import Diagnostic


@dataclass
class Report:
    vault: str
    checked: int
    diagnostics: list[Diagnostic]


Writer = Callable[[Report, TextIO, bool], None]  # (report, stream, colour)


def writer(name: str) -> Writer:
    from vaultlint.output import concise, json, text

    return {"text": text.write, "concise": concise.write, "json": json.write}[name]


FORMATS = ("text", "concise", "json")
