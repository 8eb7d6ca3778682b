"""The positioned parser: what `parse_note` finds in a note, and exactly where."""

from __future__ import annotations

import re
from pathlib import Path

import mistune
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mistune.plugins.math import math as math_plugin

from vaultlint.note import Note, parse_note, read_text

Found = list[tuple[str, int, int]]  # (target or name, line, column)


def parse(text: str) -> Note:
    return parse_note("note.md", text)


def links_at(note: Note) -> Found:
    """Every link's target and the (line, column) of its first character."""
    return [(link.target, *note.lines.position(link.start)) for link in note.links]


# -- Where links are hidden ----------------------------------------------------------------------

HIDDEN = [
    ("inline code", "a `[[x]]` b [[ok]]", [("ok", 1, 13)]),
    ("double backticks", "``[[x]] ` [[y]]`` [[ok]]", [("ok", 1, 19)]),
    ("code span over two lines", "`code\nspan [[x]]` [[ok]]", [("ok", 2, 13)]),
    ("unclosed backtick hides nothing", "a ` b [[ok]]", [("ok", 1, 7)]),
    ("backtick fence", "```\n[[x]]\n```\n[[ok]]", [("ok", 4, 1)]),
    ("tilde fence", "~~~md\n[[x]]\n~~~\n[[ok]]", [("ok", 4, 1)]),
    ("4-backtick fence around ```", "````\n```\n[[x]]\n```\n````\n[[ok]]", [("ok", 6, 1)]),
    ("unclosed fence runs to the end", "[[ok]]\n```\n[[x]]\n", [("ok", 1, 1)]),
    ("bash test in a fence", '```bash\nif [[ -z "$V" ]]; then\n```\n[[ok]]', [("ok", 4, 1)]),
    ("indented code", "para\n\n    [[x]]\n\n[[ok]]", [("ok", 5, 1)]),
    ("tab-indented code", "para\n\n\t[[x]]\n\n[[ok]]", [("ok", 5, 1)]),
    ("code inside a list item", "- a\n\n      [[x]]\n\n[[ok]]", [("ok", 5, 1)]),
    ("fence inside a quote", "> ```\n> [[x]]\n> ```\n> [[ok]]", [("ok", 4, 3)]),
    ("fence inside a list item", "- ```\n  [[x]]\n  ```\n- [[ok]]", [("ok", 4, 3)]),
    ("inline math", "x $[[x]]$ y [[ok]]", [("ok", 1, 13)]),
    ("inline $$ math", "x $$[[x]]$$ y [[ok]]", [("ok", 1, 15)]),
    ("dollar amounts are not math", "costs $5 and $10 see [[ok]]", [("ok", 1, 22)]),
    ("block math", "$$\n[[x]]\n$$\n[[ok]]", [("ok", 4, 1)]),
    ("block math with text on the fence", "$$ a\n[[x]]\n$$ [[ok]]", [("ok", 3, 4)]),
    ("inline HTML comment", "x <!-- [[x]] --> [[ok]]", [("ok", 1, 18)]),
    ("HTML comment over lines", "text <!--\nmore [[x]]\n--> [[ok]]", [("ok", 3, 5)]),
    ("HTML comment block", "<!--\n[[x]]\n-->\n\n[[ok]]", [("ok", 5, 1)]),
    ("HTML comment block with blank lines", "<!-- a\n\n[[x]]\n\n-->\n\n[[ok]]", [("ok", 7, 1)]),
    ("HTML block element", "<div>\n[[x]]\n</div>\n\n[[ok]]", [("ok", 5, 1)]),
    ("inline %% comment", "x %%[[x]]%% [[ok]]", [("ok", 1, 13)]),
    ("two inline %% comments", "%% a %% b %% [[x]] %% [[ok]]", [("ok", 1, 23)]),
    ("%% block on its own lines", "%%\n[[x]]\n%%\n[[ok]]", [("ok", 4, 1)]),
    ("%% block with blank lines", "%%\n[[x]]\n\n[[y]]\n%%\n[[ok]]", [("ok", 6, 1)]),
    ("%% block after a paragraph", "text\n%%\n[[x]]\n%%\n[[ok]]", [("ok", 5, 1)]),
    ("%% spanning paragraphs", "x %% start\n\n[[x]]\n\nend %% [[ok]]", [("ok", 5, 8)]),
    ("%% inside code is code", "`%%` [[ok]] `%%`", [("ok", 1, 6)]),
    ("%% fence-like line in code", "```\n%%\n```\n[[ok]]", [("ok", 4, 1)]),
    ("%% in a quote", "> %%\n> [[x]]\n> %%\n> [[ok]]", [("ok", 4, 3)]),
    ("autolink is not a link", "<https://x.org/[[x]]> [[ok]]", [("ok", 1, 23)]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in HIDDEN], ids=[c[0] for c in HIDDEN])
def test_links_hidden_by_code_math_and_comments(text: str, expected: Found) -> None:
    assert links_at(parse(text)) == expected


# Text after a closing `%%` on the comment's last line is visible again.
COMMENT_TAILS = [
    ("block %% closed mid-line", "%%\n[[x]]\nend%% [[ok]]", [("ok", 3, 7)]),
    ("block %% closed at line start", "%%\n[[x]]\n%% [[ok]]", [("ok", 3, 4)]),
    ("%% paragraph closed on line 2", "%% start\n[[x]] end %% [[ok]]", [("ok", 2, 14)]),
    ("%% in a quote closed mid-line", "> %% c\n> [[x]]\n> %% [[ok]]", [("ok", 3, 6)]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in COMMENT_TAILS], ids=[c[0] for c in COMMENT_TAILS]
)
def test_text_after_a_multiline_comment_closes_is_scanned(text: str, expected: Found) -> None:
    assert links_at(parse(text)) == expected


VISIBLE_IN_LISTS = [
    ("continuation line", "- item\n    [[x]]\n", [("x", 2, 5)]),
    ("paragraph after a blank line", "- item\n\n    [[x]] more\n", [("x", 3, 5)]),
    ("tab under a list item", "- item\n\n\t[[x]]\n", [("x", 3, 2)]),
    ("ordered item", "1. one\n   [[x]]\n", [("x", 2, 4)]),
    ("ordered item, 4 spaces", "1. one\n\n    [[x]]\n", [("x", 3, 5)]),
    ("nested item", "- a\n    - b\n\n        [[x]]\n", [("x", 4, 9)]),
    ("quote in a list", "* a\n\n  > quoted [[x]]\n", [("x", 3, 12)]),
    ("list in a quote", "> - a\n>   [[x]]\n", [("x", 2, 5)]),
    ("lazy paragraph line", "para\n    [[x]]\n", [("x", 2, 5)]),
    ("task list", "- [ ] task [[x]]\n- [x] done [[y]]\n", [("x", 1, 12), ("y", 2, 12)]),
    ("footnote text", "[^1]: note [[x]]\n\nref[^1]\n", [("x", 1, 12)]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in VISIBLE_IN_LISTS], ids=[c[0] for c in VISIBLE_IN_LISTS]
)
def test_indented_list_content_is_not_code(text: str, expected: Found) -> None:
    assert links_at(parse(text)) == expected


# -- The parts of a link -------------------------------------------------------------------------

WIKI_PARTS = [
    # text, (kind, embed, target, subpath, display)
    ("[[Three laws]]", ("wiki", False, "Three laws", None, None)),
    ("[[Three laws.md]]", ("wiki", False, "Three laws.md", None, None)),
    ("[[Ex|Custom name]]", ("wiki", False, "Ex", None, "Custom name")),
    ("[[Ex#Details|Section]]", ("wiki", False, "Ex", "Details", "Section")),
    ("[[Help#Questions#Report bugs]]", ("wiki", False, "Help", "Questions#Report bugs", None)),
    ("[[2023-01-01#^37066d]]", ("wiki", False, "2023-01-01", "^37066d", None)),
    ("[[#Local heading]]", ("wiki", False, "", "Local heading", None)),
    ("[[target | alias]]", ("wiki", False, "target", None, " alias")),
    ("[[Sq]uare]]", ("wiki", False, "Sq]uare", None, None)),
    ("[[Sp ace]]", ("wiki", False, "Sp ace", None, None)),
    ("[[My%20Note]]", ("wiki", False, "My%20Note", None, None)),
    ("[[https://example.com]]", ("wiki", False, "https://example.com", None, None)),
    ("![[img.png|100x200]]", ("wiki", True, "img.png", None, "100x200")),
    ("![[img.png|100]]", ("wiki", True, "img.png", None, "100")),
    ("![[doc.pdf#page=3]]", ("wiki", True, "doc.pdf", "page=3", None)),
    ("![[img.png#outline|100]]", ("wiki", True, "img.png", "outline", "100")),
    ("![[Demo (1968).ogg]]", ("wiki", True, "Demo (1968).ogg", None, None)),
    ("[[a [[b]]", ("wiki", False, "b", None, None)),
    ("[[]]", ("wiki", False, "", None, None)),
    ("[[|alias]]", ("wiki", False, "", None, "alias")),
    ("[[#]]", ("wiki", False, "", "", None)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "parts"), WIKI_PARTS)
def test_wiki_link_parts(text: str, parts: tuple) -> None:
    note = parse(text)
    assert len(note.links) == 1
    link = note.links[0]
    assert (link.kind, link.embed, link.target, link.subpath, link.display) == parts
    assert note.text[link.start : link.end].endswith("]]")


def test_wiki_links_in_a_table_split_at_escaped_pipe() -> None:
    text = "| link | image |\n|---|---|\n| [[T#H\\|shown]] | ![[i.png\\|200]] |\n"
    note = parse(text)
    got = [(k.target, k.subpath, k.display, k.embed) for k in note.links]
    assert got == [("T", "H", "shown", False), ("i.png", None, "200", True)]
    assert links_at(note) == [("T", 3, 3), ("i.png", 3, 20)]
    assert [note.lines.position(k.end) for k in note.links] == [(3, 17), (3, 35)]


def test_a_wiki_link_does_not_cross_lines() -> None:
    assert parse("[[a\nb]]").links == []


MARKDOWN_PARTS = [
    # text, (embed, target, subpath, display)
    ("[x](Other%20note.md#Some%20heading)", (False, "Other note.md", "Some heading", "x")),
    ("[x](Other%20note#some%20heading)", (False, "Other note", "some heading", "x")),
    ("[y](<angle brackets with spaces.md>)", (False, "angle brackets with spaces.md", None, "y")),
    ("[u](<a b.md#c d>)", (False, "a b.md", "c d", "u")),
    ("[z](C%23-guide.md#H%23x)", (False, "C#-guide.md", "H#x", "z")),
    ('[t](note.md "title")', (False, "note.md", None, "t")),
    ("[p](100%.md)", (False, "100%.md", None, "p")),
    ("[s](Sub/My%20Note.md)", (False, "Sub/My Note.md", None, "s")),
    ("[e](#local%20h)", (False, "", "local h", "e")),
    ("![img](pic.png)", (True, "pic.png", None, "img")),
    ("[]()", (False, "", None, "")),
]


@pytest.mark.parametrize(("text", "parts"), MARKDOWN_PARTS)
def test_markdown_link_parts(text: str, parts: tuple) -> None:
    note = parse(text)
    assert [(k.kind, k.embed, k.target, k.subpath, k.display) for k in note.links] == [
        ("markdown", *parts)
    ]
    assert (note.links[0].start, note.links[0].end) == (0, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "[a](https://example.com/x.md)",
        "[b](http://example.com)",
        "[c](obsidian://open?vault=V&file=My%20Note)",
        "[d](<obsidian://open?vault=V&file=My Note.md>)",
        "[e](mailto:me@example.org)",
        "[f](//cdn.example.com/x.png)",
        "![g](https://example.com/pic.png)",
        "<https://example.com>",
        "see https://example.com/page#frag",
    ],
)
def test_external_urls_are_not_links(text: str) -> None:
    assert parse(text).links == []


def test_markdown_link_position_after_text() -> None:
    note = parse("intro\n\nsee [x](Other%20note.md) and ![i](pic.png)")
    assert links_at(note) == [("Other note.md", 3, 5), ("pic.png", 3, 30)]


# -- Headings, block ids, tags, callouts ---------------------------------------------------------

HEADINGS = [
    ("# H1", [(1, "H1", 1, 1)]),
    ("###### Six", [(6, "Six", 1, 1)]),
    ("## Closed ##", [(2, "Closed", 1, 1)]),
    ("  ## Indented", [(2, "Indented", 1, 3)]),
    ("#NoSpace is a tag", []),
    ("Setext one\n===", [(1, "Setext one", 1, 1)]),
    ("para\n\nSetext two\n---", [(2, "Setext two", 3, 1)]),
    ("> ## Quoted", [(2, "Quoted", 1, 3)]),
    ("> Quoted setext\n> ===", [(1, "Quoted setext", 1, 3)]),
    ("> > ### Deep quote", [(3, "Deep quote", 1, 5)]),
    ("> [!note] Title\n> ### In callout", [(3, "In callout", 2, 3)]),
    ("- ## In a list", [(2, "In a list", 1, 3)]),
    ("x\t😀\n\n## 日本語 heading", [(2, "日本語 heading", 3, 1)]),
    ("```\n# not\n```\n~~~\n# not\n~~~\n    # not\n# yes", [(1, "yes", 8, 1)]),
    ("%%\n# not\n%%\n<!--\n# not\n-->\n$$\n# not\n$$\n# yes", [(1, "yes", 10, 1)]),
    ("---\ntitle: x\n---\n# After frontmatter", [(1, "After frontmatter", 4, 1)]),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS)
def test_headings(text: str, expected: list[tuple[int, str, int, int]]) -> None:
    note = parse(text)
    got = [(h.level, h.text, *note.lines.position(h.start)) for h in note.body.headings]
    assert got == expected


def test_heading_end_is_end_of_its_content() -> None:
    note = parse("## Title  \n\nSetext\n---\n")
    ends = [note.lines.position(h.end) for h in note.body.headings]
    assert ends == [(1, 9), (3, 7)]


def test_heading_in_a_comment_spanning_paragraphs_does_not_count() -> None:
    note = parse("x %% start\n\n# Hidden\n\nend %%\n# Shown\n")
    assert [h.text for h in note.body.headings] == ["Shown"]


BLOCK_IDS = [
    ("A paragraph line. ^abc-123", [("abc-123", 1, 19)]),
    ("two lines\nend of para ^p2", [("p2", 2, 13)]),
    ("> quote\n\n^quote-id\n", [("quote-id", 3, 1)]),
    ("- item ^li1\n- item two", [("li1", 1, 8)]),
    ("![[x.png]] ^emb", [("emb", 1, 12)]),
    ("trailing space ^sp  ", [("sp", 1, 16)]),
    ("not^id here", []),
    ("not at end ^id here", []),
    ("`code ^ic`", []),
    ("```\nfenced ^fc\n```", []),
    ("%% hidden ^co %%", []),
    ("# Heading ^h", []),
]


@pytest.mark.parametrize(("text", "expected"), BLOCK_IDS)
def test_block_ids(text: str, expected: Found) -> None:
    note = parse(text)
    assert [(b.id, *note.lines.position(b.start)) for b in note.body.block_ids] == expected


TAGS = [
    ("#tag and #a/b", [("tag", 1, 1), ("a/b", 1, 10)]),
    ("x #ta-g_1 #a/b/c", [("ta-g_1", 1, 3), ("a/b/c", 1, 11)]),
    ("end #tag.", [("tag", 1, 5)]),
    ("😀 #😀tag", [("😀tag", 1, 3)]),
    ("x\t#tab", [("tab", 1, 3)]),
    ("x#no (#paren) https://x.org/page#frag", []),
    ("[u](https://x.org/#frag) [[n#head]] [[#head]] `#code`", []),
    ("[[n|shown #t]] [x #t](n.md)", []),
    ("$#m$ %% #c %% <!-- #h -->", []),
    ("```\n#fenced\n```", []),
    ("# Heading #htag", [("htag", 1, 11)]),
    # inside an `<a>` element's tags nothing is a tag; in its text, as anywhere
    ('<a href="u #in"> #text </a> #after', [("text", 1, 18), ("after", 1, 29)]),
    ('<a class="yt-timestamp" data-t=" #in">[1]</a> #after', [("after", 1, 47)]),
    ('<a class="yt-timestamp" data-t="1"> #t</a> <a title=" #o">', [("t", 1, 37)]),
    ('<a href="u"> #t <a title=" #i">x</a> #u </a>', [("t", 1, 14), ("u", 1, 38)]),
]


@pytest.mark.parametrize(("text", "expected"), TAGS)
def test_tags(text: str, expected: Found) -> None:
    note = parse(text)
    assert [(t.name, *note.lines.position(t.start)) for t in note.body.tags] == expected


def test_tags_and_block_ids_in_a_comment_spanning_paragraphs_are_ignored() -> None:
    note = parse("x %% start\n\nmore #hidden ^hid\n\nend %% #shown\n")
    assert [t.name for t in note.body.tags] == ["shown"]
    assert note.body.block_ids == []


CALLOUTS = [
    ("> [!note] Title here\n> body", [("note", "", "Title here", 1, 3)]),
    ("> [!warning]- Folded\n> body", [("warning", "-", "Folded", 1, 3)]),
    ("> [!tip]+\n> body", [("tip", "+", "", 1, 3)]),
    ("> [!FAQ]\n> q", [("FAQ", "", "", 1, 3)]),
    ("> > [!todo] nested", [("todo", "", "nested", 1, 5)]),
    ("text\n\n> [!custom-type] Mine [[x]]", [("custom-type", "", "Mine [[x]]", 3, 3)]),
    ("> plain quote [!note]", []),
    ("```\n> [!note] in code\n```", []),
]


@pytest.mark.parametrize(("text", "expected"), CALLOUTS)
def test_callouts(text: str, expected: list[tuple[str, str, str, int, int]]) -> None:
    note = parse(text)
    got = [(c.type, c.fold, c.title, *note.lines.position(c.start)) for c in note.body.callouts]
    assert got == expected


def test_links_inside_callouts_are_found() -> None:
    assert links_at(parse("> [!note] See [[a]]\n> and [[b]]")) == [("a", 1, 15), ("b", 2, 7)]


# -- Positions -----------------------------------------------------------------------------------

POSITIONS = [
    ("tab before", "x\t[[a]]", (1, 3)),
    ("tab in second line", "l1\n\t\tx [[a]]", (2, 5)),
    ("emoji counts as one column", "😀😀 [[a]]", (1, 4)),
    ("emoji with variation selector", "❤️ [[a]]", (1, 4)),
    ("CJK", "日本語のテキスト [[a]]", (1, 10)),
    ("CRLF", "line1\r\nline2 [[a]]\r\n", (2, 7)),
    ("lone CR", "l1\rl2 [[a]]\r", (2, 4)),
    ("mixed line endings", "a\r\nb\rc\nd [[a]]", (4, 3)),
    ("frontmatter lines count", "---\ntitle: x\ntags: [a]\n---\n\n[[a]]", (6, 1)),
    ("CRLF frontmatter", "---\r\ntitle: x\r\n---\r\n😀 [[a]]", (4, 3)),
    ("after empty list items", "* x\n\n* \n* \n  * [[a]]", (5, 5)),
]


@pytest.mark.parametrize(
    ("text", "position"), [c[1:] for c in POSITIONS], ids=[c[0] for c in POSITIONS]
)
def test_link_positions(text: str, position: tuple[int, int]) -> None:
    note = parse(text)
    assert links_at(note) == [("a", *position)]
    link = note.links[0]
    assert note.lines.position(link.end) == (position[0], position[1] + 5)


def test_crlf_keeps_offsets_and_heading_ends() -> None:
    text = "# Title\r\n\r\nSee [[a]]\r\n"
    note = parse(text)
    assert len(note.text) == len(text)
    heading = note.body.headings[0]
    assert (heading.text, note.lines.position(heading.end)) == ("Title", (1, 8))
    assert links_at(note) == [("a", 3, 5)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbf[[a]] x\r\n[[b]]", [("a", 1, 1), ("b", 2, 1)]),
        (b"\xef\xbb\xbfx [[a]]", [("a", 1, 3)]),
        (b"\xef\xbb\xbf---\ntitle: t\n---\n[[a]]", [("a", 4, 1)]),
    ],
)
def test_bom_is_not_a_column(tmp_path: Path, data: bytes, expected: Found) -> None:
    file = tmp_path / "bom.md"
    file.write_bytes(data)
    note = parse_note("bom.md", read_text(file))
    assert links_at(note) == expected
    assert note.body.headings == []  # the frontmatter is not read as a setext heading


def test_frontmatter_links() -> None:
    text = '---\nrelated: "[[m]]"\nup: [[n]]\nlist:\n  - "[[o|O]]"\n---\nbody [[p]]\n'
    note = parse(text)
    got = [
        (k.target, k.display, k.in_frontmatter, *note.lines.position(k.start)) for k in note.links
    ]
    assert got == [
        ("m", None, True, 2, 11),
        ("o", "O", True, 5, 6),
        ("p", None, False, 7, 6),
    ]


# -- Properties ----------------------------------------------------------------------------------

FRAGMENTS = [
    "[[", "]]", "|", "\\|", "#", "# ", "^", "`", "```", "~~~", "$", "$$", "%%", "<!--", "-->",
    ">", "> ", "- ", "1. ", "    ", "\n", "\n\n", "\r\n", "\r", "\t", "---\n", "[!note]", "!",
    "[", "]", "(", ")", "a", "b", "Z", "x/y", ".md", " ", "😀", "日本",
]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_parse_never_raises_and_offsets_are_in_the_text(text: str) -> None:
    note = parse(text)
    size = len(note.text)
    assert size == len(text)
    for link in note.links:
        assert 0 <= link.start < link.end <= size
        assert note.text[link.start : link.end].endswith(("]]", ")"))
    for heading in note.body.headings:
        assert 0 <= heading.start <= heading.end <= size
    for block in note.body.block_ids:
        assert 0 <= block.start < block.end <= size
        assert note.text[block.start] == "^"
    for tag in note.body.tags:
        assert 0 <= tag.start < tag.end <= size
        assert note.text[tag.start + 1 : tag.end] == tag.name


# Documents nested out of quotes, lists, fences, math and paragraphs. mistune's own HTML
# rendering tells which `[[Ln]]` are in code or math; every other one must be found where it is.
_LEAF = st.sampled_from(["para", "para2", "fence", "tilde", "fence4", "indent", "setext", "math"])


def _blocks(children: st.SearchStrategy) -> st.SearchStrategy:
    quote = st.tuples(st.just("quote"), st.lists(children, min_size=1, max_size=3))
    marker = st.sampled_from(["- ", "* ", "1. ", "2)  ", "-\t"])
    item = st.tuples(marker, st.lists(children, min_size=1, max_size=3))
    return quote | item


_TREE = st.lists(st.recursive(_LEAF, _blocks, max_leaves=8), min_size=1, max_size=4)


def _render(tree: list, counter: list[int]) -> list[str]:
    def link() -> str:
        counter[0] += 1
        return f"[[L{counter[0]}]]"

    out: list[str] = []
    for i, node in enumerate(tree):
        if i:
            out.append("")
        if node == "para":
            out += [f"text {link()} more"]
        elif node == "para2":
            out += [f"one {link()}", f"two {link()} end"]
        elif node in ("fence", "tilde", "fence4"):
            fence = {"fence": "```", "tilde": "~~~", "fence4": "````"}[node]
            out += [fence, link(), fence]
        elif node == "indent":
            out += ["", "    " + link(), ""]
        elif node == "setext":
            out += [f"Setext {link()}", "---"]
        elif node == "math":
            out += ["$$", link(), "$$"]
        elif node[0] == "quote":
            out += [f"> {line}" if line else ">" for line in _render(node[1], counter)]
        else:
            marker, children = node
            inner = _render(children, counter)
            pad = " " * (4 if marker == "-\t" else len(marker))
            out += [marker + inner[0]] + [pad + line if line else "" for line in inner[1:]]
    return out


_HTML = mistune.create_markdown(renderer="html", plugins=[math_plugin])
_HIDDEN_HTML = re.compile(r'<pre>.*?</pre>|<div class="math">.*?</div>', re.S)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TREE)
def test_link_positions_agree_with_mistune_in_nested_blocks(tree: list) -> None:
    text = "\n".join(_render(tree, [0])) + "\n"
    hidden = set(re.findall(r"L\d+", " ".join(_HIDDEN_HTML.findall(_HTML(text)))))
    expected = {
        m.group(1): m.start()
        for m in re.finditer(r"\[\[(L\d+)\]\]", text)
        if m.group(1) not in hidden
    }
    note = parse(text)
    assert {k.target: k.start for k in note.links} == expected


def test_a_line_mistune_gives_to_an_earlier_paragraph_is_scanned_once() -> None:
    """`a\n> b\n- `: mistune appends `- ` to the paragraph before the quote; the quote's link
    must still be found exactly once."""
    note = parse_note("n.md", "[[a]]\n> [[b]]\n- ")
    assert [(link.target, note.lines.position(link.start)) for link in note.links] == [
        ("a", (1, 1)),
        ("b", (2, 3)),
    ]


def test_tag_at_the_start_of_a_setext_heading_is_a_tag() -> None:
    note = parse_note("n.md", "#tag heading\n===\n\n## H #t2\n")
    assert [(t.name, note.lines.position(t.start)) for t in note.body.tags] == [
        ("tag", (1, 1)),
        ("t2", (4, 6)),
    ]
