"""Fast paths give exactly what the general paths give: each is switched off and the results
(parsed facts, timestamps) compared, on generated notes and on a real vault."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tests.test_blocks import POSITIONED, assert_mapped, markdown_texts
from vaultlint.markdown import blocks, inline, parse_body
from vaultlint.note import parse_note
from vaultlint.positions import LineIndex
from vaultlint.timestamps import find_timestamps

ANCHOR_PIECES = [
    '<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>',
    '<a class="yt-timestamp" data-t="1:02">1:02</a>',
    '<a class="yt-timestamp" data-t="">[]</a>',
    '<a class="yt-timestamp" data-t="1:60">[1:02]</a>',
    '<a class="yt-timestamp" data-t=" 61 ">(1:01)</a>',
    '<a class="yt-timestamp" data-t="', '">', "[", "]", "[[", "]]", "</a>", "<a href='x'>",
    "00:01:02", "x", " ", "\n", "\n\n", "`", "$", "$$", "%%", "<!--", "-->", "!", "\\", "(y)",
    "#tag", "==", "^id", "- ", "> ", "<br/>", "&amp;", '"', "|", "#h", "[[a|b]]", "![[c#d]]",
]  # fmt: skip


def math_end_by_regex(text: str, pos: int, end: int) -> int:
    m = inline._INLINE_MATH.match(text, pos, end)
    return m.end() if m else -1


@contextmanager
def general_paths() -> Iterator[None]:
    """Every inline shortcut switched off: whole anchors and wiki-links in one match, Markdown
    link labels and destinations stepped over to their first special character, inline math
    not tried without a closing `$` on its line."""
    with (
        patch.object(inline, "_SPECIAL", inline.special_pattern(fast=False)),
        patch.object(inline, "_plain_between", lambda *args: False),
        patch.object(inline, "_PLAIN_DEST", re.compile("")),
        patch.object(inline, "_inline_math_end", math_end_by_regex),
    ):
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


LINK_PIECES = [
    "[", "]", "(", ")", "[a](b)", "[[w]]", "![i](j.png)", "<", ">", " ", "\t", "\n", "\x01",
    "\u00a0", "\\", "`", "``", '"t"', "'t'", "x", "/", "%20", "#", "$", "$x$", "$ ", "5$", "$5",
    "https://u.io/p?q=1", "é", "\u2003",
]  # fmt: skip


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINK_PIECES), max_size=30).map("".join))
@example("[E1: a, b](https://www.youtube.com/watch?v=x) and [00:01:02]. [[w|x]]")
@example("[a `]` b](c) [d \\] e](f) [g [h] i](j) [k](l\x01m) [n](o\\)p) [q](r(s)t)")
@example("[a](<b c>) [d](e\u00a0f) [g](h\t'i') [j](k\n) [l]\n(m)")
@example("costs $20 billion to nearly $100 billion, or $x$ and $y$5 and $z\\$ $")
def test_links_and_math_parse_like_the_general_path(text: str) -> None:
    assert_same_parse(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="$\\\n a1", max_size=16), st.integers(0, 16), st.integers(0, 16))
def test_inline_math_found_as_the_regex_finds_it(text: str, pos: int, end: int) -> None:
    if pos < len(text) and text[pos] == "$":
        assert inline._inline_math_end(text, pos, end) == math_end_by_regex(text, pos, end)


def test_real_notes_parse_like_the_general_path() -> None:
    vault = SHARED / "corpora" / "tubegraph-allin"
    if not vault.is_dir():
        pytest.skip("../shared/corpora is absent")
    for note in sorted(Path(vault).rglob("*.md")):
        assert_same_parse(note.read_text(encoding="utf-8"))


# Lists of one-line items take a shortcut past mistune's list parser (markdown/lists.py); any
# other list, and every way a list can end, must give mistune's tokens.
LIST_LINES = [
    "* a", "*   **Key:** text [[x]]", "- b", "+ c", "1. one", "2. two", "3) three", "10. ten",
    "  * indented", "   - three", "    * four", "*\ttab", "* ", "*", "* * *", "* **", "***", "---",
    "- - -", "===", "", "  ", "\t", "# heading", "## h2", "####### seven", "#tag", "text",
    "  continued", "     code", "> quote", "```", "~~~", "<div>", "<!-- c -->", "%%", "$$",
    "[ref]: /url", "| a | b |", "* > quote", "* # heading", "* 1. nested", "*     code",
]  # fmt: skip


def assert_same_without(text: str, owner: object, shortcut: str) -> None:
    """The same tokens as mistune's, each on its own lines, and the same tokens and lines as
    without the shortcut `owner.shortcut`."""
    assert_mapped(text)
    tokens = POSITIONED.parse_text(text)
    with patch.object(owner, shortcut, lambda *args: None):
        assert tokens == POSITIONED.parse_text(text)


def assert_same_blocks(text: str) -> None:
    assert_same_without(text, blocks, "simple_list")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LIST_LINES), max_size=12).map("\n".join))
def test_lists_parse_like_mistune(text: str) -> None:
    assert_same_blocks(text)
    assert_same_blocks("para\n" + text)
    assert_same_blocks("> " + text.replace("\n", "\n> "))
    assert_same_blocks("- outer\n" + "".join(f"  {line}\n" for line in text.split("\n")))


@pytest.mark.parametrize(
    "text",
    [
        "> q\n* a\n# h\n",  # mistune puts the quote before the heading the list ended at
        "> q\n* a\n\n# h\n",
        "> q\n* a\n\n```\ncode\n```\n",
        "para\n* a\n\n<span class='x'>\n",  # HTML that may not interrupt joins the paragraph
        "* a\n\n* b\ntext\n",
        "1. a\n2. b\n\n\ntext\n",
        "3. a\n4. b\n",
        "para\n3. a\n",
        "*   **Key:** text\n*   **Other:** more\n\n### Heading\nprose\n",
        # items after the first are taken a line at a time where they are plain text
        "* a\n*   **Key:** b\n* c\n* * *\n",
        "* a\n* b\n* **\n* ***\n",
        "  * a\n* b\n  * c\n",
        "- a\n-    four\n-     five\n",
        "- a\n- b\n-\tc\n",
        "- a\n- b\n- - -\n",
        "+ a\n+ b\n+ 1. c\n",
        "+ a\n+ b\n+ # c\n",
        "* a\n* b\n- c\n* d\n",
        "* a\n* b",
        # an item's text going on in lines indented to its content, then a list of its own
        "*   **A**\n    more text\n    and more\n*   **B**\n",
        "*   **A** x\n    *   **Sub:** y\n    *   z\n*   **B**\n    *   w\n\n## H\n",
        "* a\n  * b\n  * c\n\n* d\n  * e\n",
        "* a\n  text\n  * b\n  * c\n* d\n",
        "1. a\n   - b\n   - c\n2. d\n   continued\n3. e\n",
        "* a\n  * b\n  - c\n",
        "* a\n  * b\n    * c\n",
        "* a\n  * b\n  more\n",
        "* a\n  * b\nlazy\n",
        "* a\n  * b\n\n  * c\n",
        "* a\n  * b\n   * c\n",
        "* a\n  text\n  ---\n",
        "* a\n  text\n  ===\n",
        "* a\n  $$\n  x\n  $$\n",
        "* $$\n  x\n  $$\n",
        "* a\n  ```\n  x\n  ```\n",
        "* a\n  > q\n",
        "* a\n  <div>\n",
        "* a\n  [r]: /u\n",
        "* a\n  # h\n",
        "* a\n  2. b\n",
        "* a\n  1. b\n",
        "* a\n  * * *\n",
        "* a\n  *\n",
        "*   a\n    * b\n* c\n    * d\n",
        "> * a\n>   * b\n>   * c\n> * d\n",
        "* [r]:\n  /u\n* b\n",  # a link definition over two lines
        *("- " * depth + "a\n" + "  " * depth + "* b\n" for depth in (1, 2, 17, 18, 19, 20, 21)),
    ],
)
def test_list_endings_parse_like_mistune(text: str) -> None:
    assert_same_blocks(text)


# Quotes of plain `> text` lines take a shortcut past mistune's block quote parser
# (PositionedBlockParser.simple_quote): mistune's tokens, on the same lines, as without it.
QUOTE_LINES = [
    "> a", "> [!note] Title", "> [!tip]- x", "> [link](u) text", "> [a]: /u", "> [a]:", "> [a",
    "> [a]b", "> b]: /c", "> # h", "> - item", "> 1. one", "> 2) two", "> ---", "> ===", "> ***",
    "> ```", "> ~~~", "> $$", "> %%", "> <div>", "> <!-- c -->", "> > nested", "> **bold**",
    ">", "> ", ">  two spaces", ">\ttab", ">no space", "  > indented", "text", "", "  ", "- x",
    "# h", "> a <a class='x'>[1]</a> $5", "> é ü", "    code",
]  # fmt: skip


def assert_same_quote_blocks(text: str) -> None:
    assert_same_without(text, blocks.PositionedBlockParser, "simple_quote")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(QUOTE_LINES), max_size=10).map("\n".join))
def test_quotes_parse_like_mistune(text: str) -> None:
    assert_same_quote_blocks(text)
    assert_same_quote_blocks("para\n" + text)
    assert_same_quote_blocks("- item\n" + "".join(f"  {line}\n" for line in text.split("\n")))


@pytest.mark.parametrize(
    "text",
    [
        "> [!note] T\n> text $5\n\nnext\n",
        "> a\n> b\n",
        ">[!x] **a**\n>b\n> c\n>  d\n",
        "> a\n> b",
        "> a\n\n\nb\n",
        "> a\n\n",
        "> a\n\n  b\n",
        "> a\nlazy\n",
        "> a\n\n> b\n",
        "> a\n---\n",
        "> a\n> ---\n",
        "> [x\n> y]: /u\n",
        "> [!x] y\n> [z]: /u\n",
        "> $$\n> x\n> $$\n",
        "> ```\n> x\n> ```\n",
        "> %%\n> x\n> %%\n",
        "> <!--\n> x\n> -->\n",
        "> <div>\n> x\n",
        "> ~~~\n> x\n",
        "# h\n> q\n# h2\n",
        "> " * 19 + "deep\n",
        "> " * 21 + "deep\n",
    ],
)
def test_quote_endings_parse_like_mistune(text: str) -> None:
    assert_same_quote_blocks(text)


# The block loop tries on each line only the block rules that can match at its first character.
# (At mistune's nesting limit, quotes and lists are parsed without the container rules.)
@pytest.mark.parametrize("rules", ["rules", "block_quote_rules", "list_rules", "at_nesting_limit"])
def test_rules_by_first_char_match_as_all_rules_do(rules: str) -> None:
    if rules == "at_nesting_limit":
        names = [r for r in POSITIONED.list_rules if r not in ("list", "block_quote")]
    else:
        names = getattr(POSITIONED, rules)
    every_rule = POSITIONED.compile_sc(names)
    by_first_char = POSITIONED.rules_by_first_char(names)
    firsts = [chr(c) for c in range(1, 0x250)] + ["\u00a0", "\u2003", "\u3000", "語"]
    rests = [
        "", "\n", "x\n", " x", "## h\n", "- a\n", "$$\n", "x$$\n", "%%\n", "``\n", "~~\n",
        "   \n", "\n\n", "!-- c -->", "div>", "a]: /u", "=", "==\n", "-\n", "--", "__", "**",
        ". a", ") a", "0. a", "\t", "  x\n", "   x", ">",
    ]  # fmt: skip
    for first in firsts:
        rule = by_first_char.get(first, by_first_char[""])
        for rest in rests:
            line = first + rest
            expected = every_rule.match(line)
            found = rule.match(line) if rule else None
            assert (found and (found.span(), found.lastgroup)) == (
                expected and (expected.span(), expected.lastgroup)
            ), repr(line)


OLD_TAG = re.compile(r"(?<!\S)#([^\s!-,.:-@\[-\^`{-~]+)")
OLD_BLOCK_ID = re.compile(r"(?<![^\s\])])\^([A-Za-z0-9_-]+)[ \t]*$", re.M)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="#^ a\n\t])x-_1!é", max_size=16), st.integers(0, 16), st.integers(0, 16))
def test_tag_and_block_id_patterns_find_what_lookbehind_first_forms_find(
    text: str, start: int, end: int
) -> None:
    for old, new in ((OLD_TAG, inline._TAG), (OLD_BLOCK_ID, inline._BLOCK_ID)):
        found = [(m.span(), m.groups()) for m in new.finditer(text, start, end)]
        assert found == [(m.span(), m.groups()) for m in old.finditer(text, start, end)]


# A note's body is parsed from the end of its frontmatter: the same facts as parsing the note
# with the frontmatter's lines blanked out (how it was done), for any body after it.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["title: x\n", "a: [[l]]\n#b: c\n", "", "  \n", "k: |\n  ## not a heading\n"]),
    markdown_texts,
    st.sampled_from(["", "\n", "\n\n", "  \n"]),
)
def test_body_parsed_from_the_frontmatter_end_as_with_it_blanked(
    yaml_text: str, body: str, gap: str
) -> None:
    text = f"---\n{yaml_text}---\n{gap}{body}"
    lines = LineIndex(text)
    end = text.index("---\n", 4) + 4
    blanked = "\n".join(" " * len(line) for line in text[:end].split("\n")) + text[end:]
    assert parse_body(text, lines, end) == parse_body(blanked, lines)
    note = parse_note("note.md", text)
    assert note.frontmatter is not None and note.frontmatter.end == end
    assert note.body == parse_body(blanked, lines)


# A line break before a line that is not blank is one blank_line token, made without the rules.
@settings(max_examples=300, deadline=None)
@given(markdown_texts)
@example("para\n\nnext\n\n\n# h\n  \n\n- a\n")
def test_blank_line_tokens_cover_their_blank_lines(text: str) -> None:
    file_lines = text.split("\n")
    for tok in POSITIONED.parse_text(text):
        if tok["type"] == "blank_line":
            first, last = tok["_lines"]
            assert all(not file_lines[j].strip(" \t\v\f") for j in range(first, last + 1)), tok
