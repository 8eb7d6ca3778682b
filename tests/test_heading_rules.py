"""VL401 heading-increment and VL402 duplicate-heading, end to end."""

from __future__ import annotations

import pytest

from tests.conftest import MakeVault, lint
from vaultlint.diagnostics import Severity

# line, column, end line, end column, message
Expected = tuple[int, int, int, int, str]


def heading_diagnostics(text: str, vault: MakeVault, code: str) -> list[Expected]:
    found = [d for d in lint(vault({"a.md": text})) if d.code == code]
    assert all(d.severity == Severity.WARNING and d.path == "a.md" for d in found)
    return [(d.line, d.column, d.end_line, d.end_column, d.message) for d in found]


def jump(new: int, old: int) -> str:
    return f"heading level {new} follows level {old} (expected at most {old + 1})"


INCREMENT: dict[str, tuple[str, list[Expected]]] = {
    "h2 to h4": ("## Start\n#### Jump\n", [(2, 1, 2, 10, jump(4, 2))]),
    "h1 to h3": ("# Top\n\ntext\n\n### Skip\n", [(5, 1, 5, 9, jump(3, 1))]),
    "every jump": ("# A\n### B\n##### C\n", [(2, 1, 2, 6, jump(3, 1)), (3, 1, 3, 8, jump(5, 3))]),
    "jump after going back up": ("# A\n## B\n# C\n### D\n", [(4, 1, 4, 6, jump(3, 1))]),
    "setext then ATX": ("Title\n=====\n\n### Three\n", [(4, 1, 4, 10, jump(3, 1))]),
    "in a quote": ("## A\n\n> #### Deep\n", [(3, 3, 3, 12, jump(4, 2))]),
    "in a callout": ("# A\n\n> [!note] T\n> ### In\n", [(4, 3, 4, 9, jump(3, 1))]),
    "indented heading": ("# A\n\n   ### Three\n", [(3, 4, 3, 13, jump(3, 1))]),
    "emoji and CJK": ("# 😀 A\n### 日本語 😀\n", [(2, 1, 2, 10, jump(3, 1))]),
    "after frontmatter": ("---\ntitle: T\n---\n# A\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "CRLF": ("# A\r\n\r\n### C\r\n", [(3, 1, 3, 6, jump(3, 1))]),
    # headings in code and comments are not there, so C follows A
    "code heading ignored": ("# A\n```\n## B\n```\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "tilde code ignored": ("# A\n~~~\n## B\n~~~\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "indented code ignored": ("# A\n\n    ## B\n\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "%% block ignored": ("# A\n%%\n## B\n%%\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "HTML comment ignored": ("# A\n<!--\n## B\n-->\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "math block ignored": ("# A\n$$\n## B\n$$\n### C\n", [(5, 1, 5, 6, jump(3, 1))]),
    "%% spanning paragraphs ignored": (
        "# A\n\nx %% start\n\n## B\n\nend %%\n\n### C\n",
        [(9, 1, 9, 6, jump(3, 1))],
    ),
}

NO_INCREMENT = {
    "first heading h3": "### First\n#### Next\n",
    "first heading h6": "text\n\n###### Deep start\n",
    "h4 to h2": "# A\n## B\n### C\n#### D\n## E\n",
    "h4 to h1": "## A\n### B\n#### C\n# D\n## E\n",
    "same level": "## A\n## B\n## C\n",
    "setext levels": "One\n===\n\nTwo\n---\n\n### Three\n",
    "code heading between": "# A\n```\n### not a heading\n```\n## B\n",
    "not headings": "#tag line\n\n####### seven\n\n\\### escaped\n",
    "no headings": "just text\n",
}


@pytest.mark.parametrize(("text", "expected"), INCREMENT.values(), ids=INCREMENT.keys())
def test_heading_increment_fires(vault: MakeVault, text: str, expected: list[Expected]) -> None:
    assert heading_diagnostics(text, vault, "VL401") == expected


@pytest.mark.parametrize("text", NO_INCREMENT.values(), ids=NO_INCREMENT.keys())
def test_heading_increment_passes(vault: MakeVault, text: str) -> None:
    assert heading_diagnostics(text, vault, "VL401") == []


def dup(text: str, first: int) -> str:
    return f'duplicate heading "{text}" (first at line {first})'


DUPLICATE: dict[str, tuple[str, list[Expected]]] = {
    "same text": ("## Intro\n\ntext\n\n## Intro\n", [(5, 1, 5, 9, dup("Intro", 1))]),
    "case and punctuation": (
        "## Intro\n# Intro!\n## intro\n",
        [(2, 1, 2, 9, dup("Intro!", 1)), (3, 1, 3, 9, dup("intro", 1))],
    ),
    "old and new spelling": ("## Wifi 2.4\n## wifi 2 4\n", [(2, 1, 2, 12, dup("wifi 2 4", 1))]),
    "spacing": ("## Two  words\n## two words\n", [(2, 1, 2, 13, dup("two words", 1))]),
    "different levels": ("# Setup\n## Setup\n", [(2, 1, 2, 9, dup("Setup", 1))]),
    "setext and ATX": ("Notes\n=====\n\n## notes\n", [(4, 1, 4, 9, dup("notes", 1))]),
    "three times": ("# A\n## A\n## a\n", [(2, 1, 2, 5, dup("A", 1)), (3, 1, 3, 5, dup("a", 1))]),
    "closing hashes": ("## Done\n## Done ##\n", [(2, 1, 2, 11, dup("Done", 1))]),
    "emoji and CJK": ("# 日本 😀\n## 日本 😀\n", [(2, 1, 2, 8, dup("日本 😀", 1))]),
    "after frontmatter": ("---\ntags: [x]\n---\n# A\n\n# A\n", [(6, 1, 6, 4, dup("A", 4))]),
    "CRLF": ("# A\r\n\r\n# a\r\n", [(3, 1, 3, 4, dup("a", 1))]),
    "comment in a heading": ("## Intro %% draft %%\n## Intro\n", [(2, 1, 2, 9, dup("Intro", 1))]),
    "first one is not in code": (
        "```\n## Intro\n```\n## Intro\n## Intro\n",
        [(5, 1, 5, 9, dup("Intro", 4))],
    ),
}

NO_DUPLICATE = {
    "different text": "## Intro\n## Introduction\n## Intro 2\n",
    "in code and comments": (
        "## Intro\n```\n## Intro\n```\n~~~\n## Intro\n~~~\n%%\n## Intro\n%%\n"
        "<!--\n## Intro\n-->\n\n    ## Intro\n\n$$\n## Intro\n$$\n"
    ),
    "in a comment spanning paragraphs": "## Intro\n\nx %% start\n\n## Intro\n\nend %%\n",
    "empty headings": "#\n#\n",
    "punctuation only": "## ???\n## !!!\n",
    "in separate notes": "## Intro\n",
}


@pytest.mark.parametrize(("text", "expected"), DUPLICATE.values(), ids=DUPLICATE.keys())
def test_duplicate_heading_fires(vault: MakeVault, text: str, expected: list[Expected]) -> None:
    assert heading_diagnostics(text, vault, "VL402") == expected


@pytest.mark.parametrize("text", NO_DUPLICATE.values(), ids=NO_DUPLICATE.keys())
def test_duplicate_heading_passes(vault: MakeVault, text: str) -> None:
    assert heading_diagnostics(text, vault, "VL402") == []


def test_duplicates_are_per_note(vault: MakeVault) -> None:
    root = vault({"a.md": "## Intro\n", "b.md": "## Intro\n", "c/a.md": "## Intro\n"})
    assert [d for d in lint(root) if d.code == "VL402"] == []


def test_names(vault: MakeVault) -> None:
    root = vault({"a.md": "# A\n### B\n### B\n"})
    assert sorted((d.code, d.name) for d in lint(root)) == [
        ("VL401", "heading-increment"),
        ("VL402", "duplicate-heading"),
    ]
