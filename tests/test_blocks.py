"""The positioned block parser: same blocks as mistune's, each mapped to the right file lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from vaultlint.markdown.blocks import ObsidianBlockParser, PositionedBlockParser

POSITIONED = PositionedBlockParser()
PLAIN = ObsidianBlockParser()

LINE_STARTS = ["", "", "", "> ", "> > ", "- ", "1. ", "  ", "    ", "\t", "* ", "# ", "## "]
LINE_BODIES = [
    "text [[link]]",
    "*emphasis* and **strong**",
    "[label](x.md) more",
    "<a href='x'>y</a>",
    "<div>",
    "</div>",
    "<!-- c -->",
    "%% c %%",
    "%%",
    "```",
    "~~~",
    "$$",
    "---",
    "===",
    "| a | b |",
    "|---|---|",
    "[!note] Title",
    "^block-1",
    "1984. a year",
    '"quoted" text',
    "",
    "  ",
    "`code` here",
    "😀 emoji 中文",
]

markdown_texts = st.lists(
    st.tuples(st.sampled_from(LINE_STARTS), st.sampled_from(LINE_BODIES)).map("".join),
    max_size=25,
).map("\n".join)


def _without_lines(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for tok in tokens:
        tok = {k: v for k, v in tok.items() if k != "_lines"}
        if "children" in tok and isinstance(tok["children"], list):
            tok["children"] = _without_lines(tok["children"])
        out.append(tok)
    return out


def _leaves(tokens: list[dict[str, Any]]):
    for tok in tokens:
        if tok["type"] in ("block_quote", "list", "list_item"):
            yield from _leaves(tok["children"])
        else:
            yield tok


def assert_mapped(text: str) -> None:
    """Same tokens as mistune; a paragraph's or heading's lines are the tails of its file
    lines, first line first (in order: mistune may skip a line it gave to another block)."""
    tokens = POSITIONED.parse_text(text)
    assert _without_lines(tokens) == _without_lines(PLAIN.parse_text(text))
    file_lines = text.split("\n")
    for tok in _leaves(tokens):
        first, last = tok["_lines"]
        assert 0 <= first <= last < len(file_lines) + 1, tok
        if tok["type"] in ("paragraph", "block_text") or tok.get("style") == "atx":
            own = tok["text"].rstrip("\n").split("\n")
            assert file_lines[first].rstrip().endswith(own[0].strip()), tok
            candidates = iter(range(first + 1, last + 1))
            for line in own[1:]:
                key = line.strip()
                assert any(file_lines[j].rstrip().endswith(key) for j in candidates), tok


@settings(max_examples=300, deadline=None)
@given(markdown_texts)
def test_blocks_match_mistune_and_map_to_their_lines(text: str) -> None:
    assert_mapped(text)


@pytest.mark.parametrize(
    "text",
    [
        "para\n\n> [!note]- Title\n> quote [[q]]\n> - item\n\nafter\n",
        "- a\n\n  b\n\n      code\n\n- c\n-\n  d\n",
        "1. one\n   ```\n   x\n   ```\n2. two\n",
        "> a\nlazy\n> > nested\n",
        '*not a list* start\nnext line\n\n"quoted" start\n# heading\n',
    ],
)
def test_known_shapes(text: str) -> None:
    assert_mapped(text)


def test_real_notes_parse_the_same_as_mistune() -> None:
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        pytest.skip("../shared/corpora is absent")
    notes = sorted(Path(corpora).rglob("*.md"))
    for note in notes:
        assert_mapped(note.read_text(encoding="utf-8"))
