"""The rule pages (`rules/VLxxx.md`), shipped in the wheel as `vaultlint/rule_docs/`."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folders() -> list[Path]:
    packaged = Path(str(files("vaultlint") / "rule_docs"))
    source_tree = Path(__file__).resolve().parent.parent / "rules"
    return [packaged, source_tree]


def page(code: str) -> str | None:
    """The Markdown page of rule `code`, or None if there is none."""
    for folder in _folders():
        file = folder / f"{code}.md"
        if file.is_file():
            return file.read_text(encoding="utf-8")
    return None
