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


def section(text: str, heading: str) -> str:
    """The body of the `## heading` section of a rule page ("" if there is none); a `## ` line
    inside a fenced block does not end it."""
    body: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            if body is not None:
                break
            if line == f"## {heading}":
                body = []
                continue
        if body is not None:
            body.append(line)
    return "\n".join(body or []).strip()
