"""A shortcut past mistune's list parser for the lists most notes hold.

mistune parses every list item as a document of its own, which costs as much as the rest of a
note's block pass. Most items are one line of text, each item a paragraph: `simple_list` reads
such a list line by line and builds the tokens mistune would. It also reads an item whose text
goes on in lines indented to its content, and then holds a list of such one-line items. For
anything else it returns None before touching the state, and mistune parses the list
(tests/test_fast_paths.py compares the two, and both with mistune's own tokens).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultlint.markdown.blocks import FirstCharRules, ObsidianBlockParser, Token, _State

_ITEM_TEXT = re.compile(r"( {1,4})(\S[^\n]*)")  # after the marker: spaces, then text
# Characters a line may start with when it could open a block that ends a list differently
# from a plain line (thematic break, fence, quote, HTML, list item, indented content).
_BLOCKISH = frozenset("`~><*-_+0123456789 \t")
_BLANK_START = frozenset(" \t\v\f\n")  # what a line `BLANK_LINE` matches starts with
# What a line may start with when a block rule matching there can take the lines after it too
# (fences, math, HTML, comments, quotes, link definitions): matching such a rule on one line of
# an item's text is not enough to know the item's text is a paragraph.
_MULTI_LINE = frozenset("`~$<%>[")


def simple_list(parser: ObsidianBlockParser, m: re.Match[str], state: _State) -> int | None:
    """Parse the list `m` starts when each item is one line of text, the list ending at the end
    of the text, at an ATX heading, or at a plain line after a blank one; else return None."""
    depth = state.depth()  # (at mistune's nesting limit, one line of text is a paragraph too)
    spaces, marker, text = m.group("list_1", "list_2", "list_3")
    first_marker = marker
    last = state.last_token()
    if len(marker) > 1 and int(marker[:-1]) != 1 and last and last["type"] == "paragraph":
        return None  # a list not starting at 1 may continue the paragraph
    src, size = state.src, state.cursor_max
    text_rules, next_item, more_items, heading, thematic, blank_line = _patterns(
        parser, marker if len(marker) == 1 else marker[-1] + "1"
    )
    may_be_rule = marker in ("-", "*")  # a line of these bullets may be a thematic break
    items: list[Item] = []
    tight = True
    row, cursor = state.line_of(m.start()), m.end() + 1
    while True:
        item = _ITEM_TEXT.fullmatch(text)
        if item is None:
            return None
        content = item.group(2) + "\n"
        rule = text_rules.get(content[0], text_rules[""])
        if rule and rule.match(content):
            return None  # a block starts the item's text
        if src.startswith(" ", cursor):  # the item may go on in the lines after it
            width = len(spaces) + len(marker) + len(item.group(1))
            cursor, row, read = _item(parser, state, cursor, row, content, width, depth)
            if read is None:
                return None
        else:
            read = (row, row, content, None)
        items.append(read)
        if more_items is not None:  # the simplest items that follow, a line each
            found = more_items.match(src, cursor)
            while found is not None:
                row, cursor, spaces = row + 1, found.end(), ""
                items.append((row, row, found.group(1), None))
                found = more_items.match(src, cursor)
        lead = len(spaces) + len(marker)
        blank, pos, line, row = False, cursor, "", row + 1
        while pos < size:
            end = src.find("\n", pos)
            end = size if end < 0 else end + 1
            line = src[pos:end]
            if line[0] not in _BLANK_START or not blank_line.match(line):
                break
            blank, pos, row = True, end, row + 1
        if pos >= size:
            cursor = pos
            break
        found = next_item.fullmatch(line)
        if (
            found
            and len(found.group(1)) <= min(lead, 3)
            and not (may_be_rule and thematic.match(src, pos))
        ):
            tight = tight and not blank
            spaces, marker, text = found.group(1), found.group(2), found.group(3) or ""
            cursor = end
            continue
        found = heading.match(src, pos) if line[0] == "#" else None
        if found is None and blank and line[0] not in _BLOCKISH and not line[0].isspace():
            cursor = pos  # a plain line after a blank one: the list ends before it
            break
        if found is None:
            return None
        # As mistune does, the heading is parsed now and the list put before it.
        tok_index = len(state.tokens)
        state.cursor = pos
        heading_end = parser.parse_method(found, state)
        state.tokens.insert(tok_index, _list_token(state, items, tight, first_marker, depth))
        return heading_end
    state.append_token(_list_token(state, items, tight, first_marker, depth))
    state.cursor = cursor
    return cursor


# An item: the state's line numbers of its text's first and last lines, its text, and the list
# it holds after its text (None if none).
Item = tuple[int, int, str, "Token | None"]


def _item(
    parser: ObsidianBlockParser,
    state: _State,
    cursor: int,
    row: int,
    text: str,
    width: int,
    depth: int,
) -> tuple[int, int, Item | None]:
    """The item whose first line of text, on line `row`, ends at `cursor`: the lines after it
    indented by exactly `width` (its content's column) go on with its text, as long as no block
    starts them, and may then hold a list of one-line items. Return where the item ends, the
    line it ends on, and the item, or None when more lines belong to it than that (mistune reads
    it then)."""
    src = state.src
    indented = _indented(width)
    more = indented.match(src, cursor)
    if more is None:
        return cursor, row, (row, row, text, None)  # (most items)
    text_rules = parser.rules_by_first_char(parser.list_rules)
    if depth + 2 >= parser.max_nested_level or text_rules[""] is not None:
        return cursor, row, None  # (near the nesting limit: there a list is not a block)
    if text[0] in _MULTI_LINE:
        return cursor, row, None
    first = row
    while more is not None:
        line = more.group(1)
        if line[0] in _MULTI_LINE:
            return cursor, row, None
        rule = text_rules.get(line[0], text_rules[""])
        if rule and rule.match(line):
            break  # a block starts here
        text += line
        row, cursor = row + 1, more.end()
        more = indented.match(src, cursor)
    if more is None:
        return cursor, row, (first, row, text, None)
    bullet = more.group(1)[0]
    nested = _nested_items(parser, bullet, width) if bullet in "*+-" else None
    if nested is None:
        return cursor, row, None
    items: list[Item] = []
    found = nested.match(src, cursor)
    while found is not None:
        items.append((row + 1 + len(items), row + 1 + len(items), found.group(1), None))
        cursor = found.end()
        found = nested.match(src, cursor)
    if not items:
        return cursor, row, None
    token = _list_token(state, items, True, bullet, depth + 1)
    first_leaf, last_leaf = (
        token["children"][0]["children"][0],
        token["children"][-1]["children"][0],
    )
    token["_lines"] = (first_leaf["_lines"][0], last_leaf["_lines"][1])
    return cursor, row + len(items), (first, row, text, token)


@cache
def _indented(width: int) -> re.Pattern[str]:
    """A line indented by exactly `width` spaces; group 1: the rest of it."""
    return re.compile(rf" {{{width}}}(\S[^\n]*\n)")


@cache
def _nested_items(parser: ObsidianBlockParser, bullet: str, width: int) -> re.Pattern[str] | None:
    """The item lines, indented by `width`, of a list of `bullet` items that `simple_list`
    reads as plain item lines; group 1: the item's text."""
    item = _plain_item(parser.rules_by_first_char(parser.list_rules), bullet)
    return None if item is None else re.compile(f" {{{width}}}{item}")


def _list_token(state: _State, items: list[Item], tight: bool, marker: str, depth: int) -> Token:
    kind = "block_text" if tight else "paragraph"
    rows, top = state.line_map, len(state.line_map) - 1
    if items[-1][1] > top:  # (rows only grow)
        items = [(min(a, top), min(b, top), text, nested) for a, b, text, nested in items]
    children = []
    for a, b, text, nested in items:
        leaf = {"type": kind, "text": text, "_lines": (rows[a], rows[b])}
        children.append({"type": "list_item", "children": [leaf, nested] if nested else [leaf]})
    token: Token = {
        "type": "list",
        "children": children,
        "tight": tight,
        "bullet": marker[-1],
        "attrs": {"depth": depth, "ordered": len(marker) > 1},
    }
    if len(marker) > 1 and int(marker[:-1]) != 1:
        token["attrs"]["start"] = int(marker[:-1])
    return token


Patterns = tuple[
    "FirstCharRules", re.Pattern[str], "re.Pattern[str] | None", re.Pattern[str], re.Pattern[str],
    re.Pattern[str],
]  # fmt: skip


@cache
def _patterns(parser: ObsidianBlockParser, kind: str) -> Patterns:
    """For a list of `kind` items (a bullet, or `.1` and `)1` for ordered ones): the block rules
    by first character for an item's text, its item lines, its plain item lines, an ATX heading
    (for parse_method), a thematic break and a blank line."""
    text_rules = parser.rules_by_first_char(parser.list_rules)
    ordered = len(kind) > 1
    marker = r"\d{1,9}" + re.escape(kind[0]) if ordered else re.escape(kind)
    item_line = re.compile(rf"( {{0,3}})({marker})([ \t][^\n]*)?\n?")
    spec = parser.specification
    heading = re.compile(f"(?P<atx_heading>{spec['atx_heading']})", re.M)
    thematic = re.compile(spec["thematic_break"], re.M)
    plain = None if ordered else _plain_items(text_rules, kind)
    return text_rules, item_line, plain, heading, thematic, parser.BLANK_LINE


def _plain_items(text_rules: FirstCharRules, bullet: str) -> re.Pattern[str] | None:
    """An item line of a list of `bullet` items, unindented, that the loop in `simple_list`
    would take as the next item of the list, with no indented line after it (that may go on
    with the item). Its group 1 is the item's text. None when that set of characters is not
    known."""
    item = _plain_item(text_rules, bullet)
    return None if item is None else re.compile(item + "(?! )")


def _plain_item(text_rules: FirstCharRules, bullet: str) -> str | None:
    """The regex of a `bullet` item line with one to four spaces after the bullet, then text no
    block rule can start (not a thematic break either: it holds more than bullets and spaces);
    group 1: the text. None when that set of characters is not known."""
    if text_rules[""] is not None:
        return None
    unsafe = "".join(sorted(c for c, rule in text_rules.items() if c and rule is not None))
    first = f"[^\\s{re.escape(unsafe)}]"
    rule = text_rules.get("*")
    if rule is None or not rule.match("**x\n"):  # `**bold**`: neither a list nor a rule
        first += r"|\*\*[^\s*]"
    return rf"{re.escape(bullet)} {{1,4}}((?:{first})[^\n]*\n)"
