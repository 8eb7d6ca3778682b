"""Fast paths give exactly what the general paths give: each is switched off and the results
(parsed facts, timestamps) compared, on generated notes and on a real vault."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from vaultlint.markdown import inline
from vaultlint.note import parse_note
from vaultlint.timestamps import find_timestamps

NEVER = re.compile(r"(?!)()")  # a pattern that matches nothing, with the one group used

ANCHOR_PIECES = [
    '<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>',
    '<a class="yt-timestamp" data-t="1:02">1:02</a>',
    '<a class="yt-timestamp" data-t="">[]</a>',
    '<a class="yt-timestamp" data-t="1:60">[1:02]</a>',
    '<a class="yt-timestamp" data-t=" 61 ">(1:01)</a>',
    '<a class="yt-timestamp" data-t="', '">', "[", "]", "[[", "]]", "</a>", "<a href='x'>",
    "00:01:02", "x", " ", "\n", "\n\n", "`", "$", "$$", "%%", "<!--", "-->", "!", "\\", "(y)",
    "#tag", "==", "^id", "- ", "> ", "<br/>", "&amp;", '"',
]  # fmt: skip


@contextmanager
def general_paths() -> Iterator[None]:
    with patch.object(inline, "_YT_ANCHOR", NEVER):
        yield


def assert_same_parse(text: str) -> None:
    fast = parse_note("note.md", text)
    with general_paths():
        general = parse_note("note.md", text)
    assert fast.body == general.body
    assert fast.links == general.links
    stamps = find_timestamps(fast)
    for anchor in fast.body.html_anchors:
        anchor.data_t = None  # the recogniser reads the opening tag's attributes itself
    assert stamps == find_timestamps(fast)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ANCHOR_PIECES), max_size=30).map("".join))
def test_anchor_fast_path_parses_like_the_general_path(text: str) -> None:
    assert_same_parse(text)


@pytest.mark.parametrize(
    "text",
    [
        'a <a class="yt-timestamp" data-t="00:00:01">[00:00:01]</a> b',
        '<a class="yt-timestamp" data-t="00:00:01">`[[x]]`</a> [[y]]',
        '<a class="yt-timestamp" data-t="00:00:01">[00:00:01](z.md)</a>',
        '<a href="u"><a class="yt-timestamp" data-t="1">[1]</a></a>',
        '<a class="yt-timestamp" data-t="00:00:02" href="https://youtu.be/x?t=3">[2]</a>',
        '<a class="yt-timestamp" data-t="00:01&#58;02">[00:01:02]</a> <A CLASS="yt-timestamp">',
        '- item <a class="yt-timestamp" data-t="00:00:01">[00:00:01]</a> #tag ^id',
    ],
)
def test_anchor_shapes_parse_like_the_general_path(text: str) -> None:
    assert_same_parse(text)


def test_real_notes_parse_like_the_general_path() -> None:
    vault = SHARED / "corpora" / "tubegraph-allin"
    if not vault.is_dir():
        pytest.skip("../shared/corpora is absent")
    for note in sorted(Path(vault).rglob("*.md")):
        assert_same_parse(note.read_text(encoding="utf-8"))
