"""VL001 unreadable-note: the file can't be read or decoded as UTF-8; nothing else is checked."""

from __future__ import annotations

from vaultlint.rules import Rule

RULE = Rule(
    "VL001",
    "unreadable-note",
    "The file can't be read or decoded as UTF-8 (a BOM is allowed).",
)
