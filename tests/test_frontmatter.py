"""Reading frontmatter: what YAML loads to (as Obsidian reads it), key positions, and bounds."""

from __future__ import annotations

import datetime as dt
import time
from unittest.mock import patch

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vaultlint import frontmatter
from vaultlint.frontmatter import MAX_FRONTMATTER, split_frontmatter
from vaultlint.note import parse_note
from vaultlint.positions import LineIndex


def load(yaml_text: str) -> dict:
    fm = split_frontmatter(f"---\n{yaml_text}---\nbody\n")
    assert fm is not None and fm.error is None, fm and fm.error
    return fm.data


# -- scalars as Obsidian reads them (YAML 1.2 core schema plus dates) ---------------------------

SCALARS = {
    "yes": "yes",
    "no": "no",
    "on": "on",
    "off": "off",
    "y": "y",
    "true": True,
    "False": False,
    "12:34": "12:34",  # YAML 1.1 would read 754 (base 60)
    "1:02:03": "1:02:03",
    "0755": 755,  # YAML 1.1 would read octal 493
    "0o17": 15,
    "0x1F": 31,
    "1_000": "1_000",
    "1.5": 1.5,
    "-3": -3,
    "2020-08-21": dt.date(2020, 8, 21),
    "2020-08-21T10:30:00": dt.datetime(2020, 8, 21, 10, 30),
    "null": None,
    "~": None,
    "": None,
    '"12"': "12",
    "'true'": "true",
    "4tcd1EgQrhU": "4tcd1EgQrhU",
}


@pytest.mark.parametrize("written", list(SCALARS))
def test_scalars_load_as_obsidian_reads_them(written: str) -> None:
    assert load(f"value: {written}\n") == {"value": SCALARS[written]}


def test_keys_are_text_as_obsidian_reads_them() -> None:
    """JavaScript object keys are text; in Python `1` and `true` would be one key."""
    text = "1: one\ntrue: yes\nnull: n\n2024-01-01: d\n1.5: f\nsub: {0: zero, false: no}\n"
    assert load(text) == {
        "1": "one",
        "true": "yes",
        "null": "n",
        "2024-01-01": "d",
        "1.5": "f",
        "sub": {"0": "zero", "false": "no"},
    }


def test_lists_and_json_frontmatter() -> None:
    assert load("tags:\n  - a\n  - b/c\n") == {"tags": ["a", "b/c"]}
    assert load('{"tags": ["journal"], "publish": false}\n') == {
        "tags": ["journal"],
        "publish": False,
    }


def test_empty_and_comment_only_frontmatter_have_no_properties() -> None:
    for text in ("---\n---\n", "---\n\n---\n", "---\n# only a comment\n---\n"):
        fm = split_frontmatter(text)
        assert fm is not None and fm.error is None and fm.data == {}


# -- where keys, values and items are --------------------------------------------------------


def positions(text: str, name: str) -> tuple[tuple[int, int], tuple[int, int], list]:
    fm = split_frontmatter(text)
    assert fm is not None
    prop = fm.property(name)
    assert prop is not None
    lines = LineIndex(text)
    return (
        lines.position(prop.key.start),
        lines.position(prop.value.start),
        [lines.position(i.start) for i in prop.items],
    )


def test_key_value_and_item_positions_count_code_points() -> None:
    text = "---\ntïtle: 日本語 😀\nvideoId:\tabc\nlist:\n  - é\n  -   x\n---\n"
    assert positions(text, "tïtle")[:2] == ((2, 1), (2, 8))
    assert positions(text, "videoId")[:2] == ((3, 1), (3, 10))  # after a tab
    assert positions(text, "list")[2] == [(5, 5), (6, 7)]


def test_flow_list_item_positions() -> None:
    text = "---\ntags: [a, 😀b, c]\n---\n"
    assert positions(text, "tags")[2] == [(2, 8), (2, 11), (2, 15)]


def test_positions_with_crlf_and_bom() -> None:
    note = parse_note("a.md", "\ufeff---\r\ntitle: x\r\nother: y\r\n---\r\n".lstrip("\ufeff"))
    assert note.frontmatter is not None
    prop = note.frontmatter.property("other")
    assert prop is not None
    assert note.lines.position(prop.key.start) == (3, 1)


def test_duplicate_keys_are_found_at_any_depth() -> None:
    text = "---\ntitle: a\nmeta:\n  x: 1\n  x: 2\ntitle: b\n---\n"
    fm = split_frontmatter(text)
    assert fm is not None and fm.data["title"] == "b"
    lines = LineIndex(text)
    found = [
        (d.name, lines.position(d.first.start), lines.position(d.again.start))
        for d in fm.duplicates
    ]
    assert found == [("x", (4, 3), (5, 3)), ("title", (2, 1), (6, 1))]


def test_property_returns_the_key_yaml_keeps() -> None:
    fm = split_frontmatter("---\na: 1\na: 2\n---\n")
    assert fm is not None
    prop = fm.property("a")
    assert prop is not None and prop.key.start == fm.raw_start + 5


# -- what is not (valid) frontmatter ---------------------------------------------------------


def test_no_frontmatter() -> None:
    for text in ("", "# Title\n", " ---\na: 1\n---\n", "text\n---\na: 1\n---\n"):
        assert split_frontmatter(text) is None


def test_an_opening_rule_without_properties_is_not_frontmatter() -> None:
    """A note that opens with a `---` rule and never closes it has no frontmatter."""
    for text in ("---\n# Heading\n", "---\n\nSome text\n", "---\n- a list\n", "---\n"):
        assert split_frontmatter(text) is None, text


def test_unclosed_frontmatter_that_reads_as_properties_is_an_error() -> None:
    fm = split_frontmatter("---\ntitle: x\nvideoId: y\n\nBody [[link]]\n")
    assert fm is not None and not fm.closed
    assert fm.error is not None and "not closed" in fm.error
    assert fm.error_at == 0


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("---\ntitle: [unclosed\n---\n", 2, 8, "flow sequence"),
        ('---\ntitle: "abc\nx: 1\n---\n', 2, 8, "quoted scalar"),
        ("---\ntitle: a\n  b: c\n---\n", 3, 4, "mapping values"),
        ("---\nt: @x\n---\n", 2, 4, "cannot start any token"),
        ("---\n? [a]\n: b\n---\n", 2, 3, "unhashable key"),
        ("---\n- a\n- b\n---\n", 2, 1, "a list, not a set of properties"),
        ("---\njust text\n---\n", 2, 1, "a single value"),
        ("---\na: &a [*a]\n---\n", 2, 1, "aliases"),
    ],
)
def test_invalid_yaml_points_at_the_problem(text: str, line: int, column: int, words: str) -> None:
    fm = split_frontmatter(text)
    assert fm is not None and fm.error is not None
    assert words in fm.error
    assert LineIndex(text).position(fm.error_at) == (line, column)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        prev, name = chr(97 + i), chr(98 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    fm = split_frontmatter("---\n" + "\n".join(lines) + "\n---\n")
    assert time.perf_counter() - started < 2
    assert fm is not None and fm.error is not None and "aliases expand" in fm.error


def test_huge_frontmatter_is_not_parsed() -> None:
    text = "---\n" + "k: " + "x" * (MAX_FRONTMATTER + 10) + "\n---\n"
    started = time.perf_counter()
    fm = split_frontmatter(text)
    assert time.perf_counter() - started < 2
    assert fm is not None and fm.error is not None and "at most" in fm.error


def test_deeply_nested_yaml_is_an_error_not_a_crash() -> None:
    fm = split_frontmatter("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert fm is not None and fm.error is not None


def test_links_in_invalid_frontmatter_are_not_links() -> None:
    note = parse_note("a.md", '---\nrelated: "[[x]]\nbad: [\n---\n[[y]]\n')
    assert [link.target for link in note.links] == ["y"]


def test_unclosed_frontmatter_body_is_still_read() -> None:
    note = parse_note("a.md", "---\ntitle: x\n[[y]]\n# Heading\n")
    assert [link.target for link in note.links] == ["y"]
    assert [h.text for h in note.body.headings] == ["Heading"]


# -- `key: text` lines are read without YAML; they must load exactly as YAML loads them ----------

SIMPLE_KEYS = ["title", "videoId", "a", "_k", "k-2", "true", "null", "n", "<<", "1", "k k", ""]
SIMPLE_SEPARATORS = [": ", ": ", ": ", ":", ":  ", ":\t", " : "]
SIMPLE_VALUES = [
    "word", "Word 2", "2024", "2024 text", "2024-01-01", "1.5", "0x1F", "~", "-", "- x", "x",
    "#", " #c", "a#b", "[x]", "{y}", "a, b", "'q'", '"q"', "it's", "&a", "*a", "!t", "|", ">",
    "%", "@", "`", "é", "語", "😀", "\u00a0", "\u2028", "\x85", "\ufeff", "<<", "x:y", "x: y",
    "?", ":", " ", "\t", "\n", "\n  more", "[[link]]", "",
]  # fmt: skip
simple_lines = st.tuples(
    st.sampled_from(SIMPLE_KEYS),
    st.sampled_from(SIMPLE_SEPARATORS),
    st.lists(st.sampled_from(SIMPLE_VALUES), min_size=1, max_size=4).map("".join),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(simple_lines, max_size=4).map("\n".join))
@example("title: word #c")
@example("k: v\nk: w")
@example("title: x: y")
@example("k:  v")
def test_simple_properties_load_as_yaml_loads_them(raw: str) -> None:
    text = f"---\n{raw}\n---\nbody\n"
    fast = split_frontmatter(text)
    with patch.object(frontmatter, "_simple_properties", lambda fm: False):
        slow = split_frontmatter(text)
    assert fast == slow


def test_simple_properties_take_the_shortcut() -> None:
    """The generated notes' frontmatter does not go through YAML (the test above would pass
    if the shortcut never applied)."""
    text = "---\ntitle: Acquisition café 2024 [x]\nvideoId: 4tcd1EgQrhU\n---\nbody\n"
    with patch.object(frontmatter, "_HANDLER", None):  # YAML would fail
        fm = split_frontmatter(text)
    assert fm is not None and fm.error is None
    assert fm.data == {"title": "Acquisition café 2024 [x]", "videoId": "4tcd1EgQrhU"}
    assert [(p.name, text[p.key.start : p.key.end], text[p.value.start : p.value.end])
            for p in fm.properties] == [
        ("title", "title", "Acquisition café 2024 [x]"), ("videoId", "videoId", "4tcd1EgQrhU")
    ]  # fmt: skip
