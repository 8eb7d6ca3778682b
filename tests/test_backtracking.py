"""Adversarial input for every regular expression and scan a note's text goes through.

Each case is a note built so that a backtracking regex or a scan that starts again from every
opening character would take minutes or never finish; each must be checked within its bound
(`within` kills the run when it does not), and still give the right diagnostics. Measured
times are on a 2-core machine; bounds are 10x or more, for a loaded CI runner.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import lint, write_vault
from tests.timebound import within
from vaultlint.checker import NoteChecker
from vaultlint.config import Settings, load_settings
from vaultlint.globs import matches, translate
from vaultlint.markdown import _without_comments
from vaultlint.markdown.inline import _HIGHLIGHT, _highlights
from vaultlint.note import _WIKI, _wiki_links, parse_note


def checked(text: str, seconds: float, settings: Settings | None = None) -> list[tuple]:
    """(line, column, code) of the note rules' diagnostics on `text`, within `seconds`."""

    def work() -> list[tuple]:
        checker = NoteChecker(Path("."), settings or Settings())
        result = checker.check_note(parse_note("n.md", text))
        return [(d.line, d.column, d.code) for d in result.diagnostics]

    found, _ = within(seconds, work)
    return found


# -- timestamps -------------------------------------------------------------------------------

SPACES = " " * 3000  # a Markdown link label is read up to 4,096 characters


def test_timestamp_text_with_a_long_run_of_spaces() -> None:
    """The shown time of an anchor or a YouTube link, read with spaces allowed around it and
    its brackets. Before the fix, 2,000 spaces then `x` took over 20 s (it grows with the
    fourth power). Measured: 2 ms."""
    text = (
        f'<a class="yt-timestamp" data-t="00:01:00">[{SPACES}00:02:00]</a>\n'
        f'<a class="yt-timestamp" data-t="00:01:00">{SPACES}x</a>\n'
        f"[{SPACES}x](https://youtu.be/Tk3aB9xYz01?t=60)\n"
        f"[{SPACES}00:03:00 ](https://youtu.be/Tk3aB9xYz01?t=60)\n"
    )
    assert checked(text, 2) == [(1, 1, "VL302"), (4, 1, "VL302")]


# -- the inline scanner -----------------------------------------------------------------------


def test_a_paragraph_of_thousands_of_links_and_tags() -> None:
    """Tags are kept only outside links and code; that test was a scan of every link and code
    span of the paragraph for every tag: 20,000 of each took 12 s. Measured: 0.3 s."""
    text = "[[ok]] #123 `#456` " * 20_000 + "\n"
    found = checked(text, 5)
    assert len(found) == 20_000
    assert {code for *_, code in found} == {"VL205"}  # `#123` is only digits; `#456` is code
    assert found[0] == (1, 8, "VL205")
    assert found[-1] == (1, 19 * 19_999 + 8, "VL205")


def test_a_line_of_unclosed_highlights() -> None:
    """Each `==` of a line of `==a ` opened a search to the end of the line: 80 KB took 10 s,
    a 1 MB line would take half an hour. Measured: 0.1 s for 1 MB."""
    text = "==a " * 250_000 + "\n==b== and ==c==\n"

    def highlights() -> list[str]:
        note = parse_note("n.md", text)
        return [note.text[h.start : h.end] for h in note.body.highlights]

    found, _ = within(3, highlights)
    assert found == ["==b==", "==c=="]


@given(st.text(alphabet="= a\n", max_size=30), st.integers(0, 5), st.integers(0, 5))
def test_highlights_are_what_the_regex_finds(text: str, skip: int, cut: int) -> None:
    start, end = min(skip, len(text)), max(min(skip, len(text)), len(text) - cut)
    expected = [m.span() for m in _HIGHLIGHT.finditer(text, start, end)]
    assert [m.span() for m in _highlights(text, start, end)] == expected


def test_a_block_and_a_heading_of_unclosed_comments() -> None:
    """Comments in an HTML block (for suppressions) and in a heading (left out of its text)
    were looked for again from each `<!--` to the end: 80 KB took 7 s. Measured: 0.1 s for
    400 KB of each, and for a heading of 100,000 `%%`."""
    opened = "<!--" * 100_000
    text = f"# Title <!-- x --> {opened}\n\n## {'%%a ' * 100_000}\n\n<!-- y -->\n{opened}\n"

    def parsed() -> tuple[list[str], list[str]]:
        note = parse_note("n.md", text)
        return sorted(c.text for c in note.body.comments), [h.text[:16] for h in note.body.headings]

    (comments, headings), _ = within(3, parsed)
    assert comments == [" x ", " y "] + ["a "] * 50_000
    assert headings == ["Title <!--<!--<!", "a a a a a a a a "]


@given(st.text(alphabet="<!-%a", max_size=16))
def test_comments_are_left_out_as_the_regex_does(text: str) -> None:
    assert _without_comments(text) == re.sub(r"<!--.*?-->|%%.*?%%", " ", text, flags=re.S)


# -- frontmatter ------------------------------------------------------------------------------


def test_a_frontmatter_value_of_unclosed_wiki_links() -> None:
    """Wiki-links in frontmatter strings were found by a regex that searched to the end of the
    line again from each `[[`: 40 KB took 7 s. Measured: 0.1 s for 400 KB."""
    text = '---\ntitle: "' + "[[" * 200_000 + '"\nrelated: "[[x]]"\n---\n'

    def links() -> list[tuple[str, int]]:
        note = parse_note("n.md", text)
        return [(k.target, note.lines.position(k.start)[0]) for k in note.links]

    found, _ = within(3, links)
    assert found == [("x", 3)]


@given(st.text(alphabet="[]!a\n", max_size=16), st.integers(0, 3))
def test_frontmatter_links_are_what_the_regex_finds(text: str, skip: int) -> None:
    start = min(skip, len(text))
    expected = [m.span() for m in _WIKI.finditer(text, start, len(text))]
    assert [m.span() for m in _wiki_links(text, start, len(text))] == expected


# -- suppressions -----------------------------------------------------------------------------


def test_a_note_of_many_suppressions_and_diagnostics() -> None:
    """Each diagnostic went through every directive of its note: 20,000 of each took 9
    minutes. Measured: 0.4 s for 10,000 diagnostics and 15,000 directives."""
    block = (
        "<!-- vaultlint-disable VL205 -->\n#1\n<!-- vaultlint-enable VL205 -->\n"
        "#2 <!-- vaultlint-disable-next-line VL101 -->\n#3\n"
    )
    found = checked(block * 5000, 5)
    assert found == [(5 * i + line, 1, "VL205") for i in range(5000) for line in (4, 5)]


# -- links ------------------------------------------------------------------------------------


def test_a_table_of_contents_of_thousands_of_headings(tmp_path: Path) -> None:
    """Every heading link computed the keys of all the target's headings again: 3,000 links
    into 3,000 headings took 6 s. Measured: 0.2 s."""
    toc = "".join(f"- [[long#Part {i}]]\n" for i in range(3000)) + "- [[long#Part 3000]]\n"
    long = "".join(f"## Part {i}\n\ntext\n\n" for i in range(3000))
    root = write_vault(tmp_path, {"toc.md": toc, "long.md": long})
    found, _ = within(5, lambda: [(d.path, d.line, d.message) for d in lint(root)])
    assert found == [
        ("toc.md", 3001, 'no heading "Part 3000" (did you mean "Part 300"?) in "long"')
    ]


# -- schema patterns --------------------------------------------------------------------------

PATTERNS = """
[[schema]]
paths = ["**"]
[schema.fields]
code = { type = "text", pattern = '^(a+)+$' }
codes = { type = "list", pattern = '^(a+)+$' }
name = { type = "text", pattern = '^(?!x)(\\w+\\s?)+$' }
"""


def test_a_schema_pattern_that_backtracks_on_a_value(tmp_path: Path) -> None:
    """`^(a+)+$` on 30 `a`s and a `b` takes Python's `re` 30 s, and twice as long for each
    further `a`: patterns are matched by a linear-time engine. Measured: 0.05 s. A pattern
    with a lookahead, which that engine lacks, is still matched (by Python's)."""
    bad = "a" * 5000 + "b"
    root = write_vault(
        tmp_path,
        {
            "vaultlint.toml": PATTERNS,
            "ok.md": "---\ncode: aaaa\ncodes: [aa, a]\nname: alan smith\n---\n",
            "bad.md": f"---\ncode: {bad}\ncodes: [a, {bad}]\nname: xavier\n---\n",
        },
    )
    settings = load_settings(root / "vaultlint.toml")
    found, _ = within(5, lambda: [(d.path, d.line, d.code) for d in lint(root, settings)])
    assert found == [("bad.md", 2, "VL202"), ("bad.md", 3, "VL202"), ("bad.md", 4, "VL202")]


# -- globs ------------------------------------------------------------------------------------

GLOB_PARTS = ["*", "**", "**/", "/", "?", "a", "b", ".md", "[ab]", "[!a]", "[!-0]"]


@given(
    st.lists(st.sampled_from(GLOB_PARTS), min_size=1, max_size=7).map("".join),
    st.text(alphabet="ab/", max_size=9),
)
def test_globs_match_what_the_naive_translation_matches(glob: str, path: str) -> None:
    """The backtracking-safe regex of a glob accepts exactly the paths the plain one does."""
    safe, naive = translate(glob), translate(glob, safe=False)
    assert bool(re.fullmatch(safe, path, re.S)) == bool(re.fullmatch(naive, path, re.S))


def test_globs_with_many_stars_against_long_paths() -> None:
    """A star tried every share of a name: `*a*a*a*a*a*a*a*a*b` against 60 `a`s took 52 s,
    `**/**/**/**/x` against a path 500 folders deep 30 s. Measured: 1 ms in all."""
    cases = [
        ("*a*a*a*a*a*a*a*a*b", "a" * 255),
        ("**/**/**/**/x", "a/" * 2000 + "y"),
        ("**/a/**/a/**/a/**/a/**/b", "a/" * 2000),
        ("**a**a**a**a**b", "a/" * 2000),
        ("/notes/**/*a*a*a*a*a*a*b*/**", "notes/" + ("a" * 250 + "/") * 15),
        ("*[!a]*[!a]*[!a]*[!a]*[!a]*[!a]*[!a]*b", "x" * 255),  # 60 took 8 s
    ]
    found, _ = within(2, lambda: [matches(glob, path) for glob, path in cases])
    assert found == [False] * len(cases)
    assert matches("*a*a*a*a*a*a*a*a*b", "a" * 255 + "b")
