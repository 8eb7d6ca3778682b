"""Block structure from mistune 3, with each block mapped back to lines of the original file.

mistune parses block quotes and list items from a rewritten copy of their lines (markers and
indentation removed), so offsets inside those blocks are not file offsets. Lines survive the
rewrite one to one, so every state keeps `line_map`: its line number -> the file's line number.
Each token gets `_lines = (first, last)`, file line numbers of the lines it was parsed from.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from typing import Any

from mistune.block_parser import _ATX_HEADING_TRIM, BlockParser
from mistune.core import BlockState
from mistune.plugins.math import BLOCK_MATH_PATTERN, parse_block_math

from vaultlint.markdown.lists import simple_list

Token = dict[str, Any]

# The characters each block rule can match at when the line does not start with white space
# (tests/test_fast_paths.py checks that a line starting with any other character never matches).
RULE_STARTS = {
    "obsidian_comment": "%", "fenced_code": "`~", "indent_code": "", "atx_heading": "#",
    "setex_heading": "=-", "thematic_break": "-_*", "block_quote": ">", "block_math": "$",
    "list": "*+-0123456789", "ref_link": "[", "raw_html": "<", "blank_line": "\n",
}  # fmt: skip
_ANY_RULE = " \t\v\f"  # a line starting with these may match any rule
FirstCharRules = dict[str, "re.Pattern[str] | None"]
_CONTAINERS = frozenset(("block_quote", "list"))
# Blocks whose parse method only appends one token and returns where it ends.
_ONE_TOKEN = frozenset(("blank_line", "atx_heading", "thematic_break"))
_WHITESPACE = re.compile(r"\s*")
_BLANKS = frozenset(" \t\v\f\n")  # what a line `BLANK_LINE` matches may start with
# A line with no content of its own: blank, or only quote and list markers (`> - `, `1.`).
_BLANKISH = re.compile(r"[\s>]*(?:(?:[-*+]|\d{1,9}[.)])(?:[\s>]+|$))*")
_QUOTE_LINE = re.compile(r"> ?(\S[^\n]*\n)")  # group 1: the text of a plain quote line
# What a quote line's text may start with when a block rule matching there can take the lines
# after it too (fences, math, HTML, comments, quotes): one line is not enough to tell.
_MULTI_LINE = frozenset("`~$<%>")
# `[label]` then anything but `:`: no link definition starts here, whatever lines follow (a
# label holds no unescaped bracket, so it ends at the first `]`).
_NOT_A_DEFINITION = re.compile(r"\[[^\\\[\]\n]*\][^:]")


class _State(BlockState):
    """A BlockState that knows which file line each of its own lines came from."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.line_map: list[int] = []
        self._starts: list[int] | None = None
        self._lines: list[str] | None = None
        self.next_child_line = 0  # first own line a child state created now can start at
        self.not_simple: re.Match[str] | None = None  # a list `simple_list` cannot read

    def process(self, src: str) -> None:
        super().process(src)
        self._starts = None
        self._lines = None

    @property
    def own_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.src.split("\n")
        return self._lines

    def _line_starts(self) -> list[int]:
        starts = [0]
        find = self.src.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts
        return starts

    def line_of(self, pos: int) -> int:
        return bisect_right(self._starts or self._line_starts(), pos) - 1

    def file_lines(self, start: int, end: int) -> tuple[int, int]:
        """File line numbers (first, last) of the own-src range [start, end)."""
        starts = self._starts or self._line_starts()
        lm = self.line_map
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end - 1, first) - 1 if end - 1 > start else first
        top = len(lm) - 1
        if last > top:  # past the last mapped line (first <= last)
            return lm[min(first, top)], lm[top]
        return lm[first], lm[last]

    def child_state(self, src: str, lazy_line_starts: set[int] | None = None) -> _State:
        child = super().child_state(src, lazy_line_starts)
        assert isinstance(child, _State)
        child.line_map = self._align(src)
        return child

    def _align(self, src: str) -> list[int]:
        """Map the child's lines onto ours: each child line is one of our lines with its
        container prefix (`>`, list marker, indentation) removed. Lines we drop (blank lines
        between list items, an empty `-` line) are skipped."""
        mine = self.own_lines
        top = len(mine) - 1
        j = self.next_child_line
        out: list[int] = []
        child_lines = src.split("\n")
        if child_lines[-1] == "" and len(child_lines) > 1:
            child_lines.pop()  # "a\n" is one line
        for line in child_lines:
            key = line.strip()
            if key:
                while (
                    j < top and _BLANKISH.fullmatch(mine[j]) and not mine[j].rstrip().endswith(key)
                ):
                    j += 1
                if (
                    j < top
                    and not mine[j].rstrip().endswith(key)
                    and mine[j + 1].rstrip().endswith(key)
                ):
                    j += 1
            k = min(j, top)
            out.append(self.line_map[k])
            j += 1
        self.next_child_line = j
        return out

    # Paragraph text is always taken from src[cursor:...]: stamp it where it is made.
    def add_paragraph(self, text: str) -> None:
        tokens = self.tokens
        lines = self.file_lines(self.cursor, self.cursor + len(text))
        if tokens and tokens[-1]["type"] == "paragraph":
            last = tokens[-1]
            last["text"] += text
            last["_lines"] = (last["_lines"][0], lines[1]) if "_lines" in last else lines
        else:
            tokens.append({"type": "paragraph", "text": text, "_lines": lines})

    def append_paragraph(self) -> int | None:
        start = self.cursor
        end = super().append_paragraph()
        if end:
            tok = self.tokens[-1]
            tok["_lines"] = (tok["_lines"][0], self.file_lines(start, end)[1])
        return end


class ObsidianBlockParser(BlockParser):
    """mistune's CommonMark block parser plus Obsidian's `%%` comments and `$$` math blocks."""

    def __init__(self) -> None:
        super().__init__()
        for rules in (self.rules, self.block_quote_rules, self.list_rules):
            self.insert_rule(rules, "obsidian_comment", before="fenced_code")
            self.insert_rule(rules, "block_math", before="list")
        self.specification["obsidian_comment"] = r"^ {0,3}%%"
        self.specification["block_math"] = BLOCK_MATH_PATTERN
        self._methods["obsidian_comment"] = lambda m, state: _parse_comment_block(m, state)
        self._methods["block_math"] = lambda m, state: parse_block_math(self, m, state)
        self._first_char_rules: dict[str, FirstCharRules] = {}

    def rules_by_first_char(self, rules: list[str] | None) -> FirstCharRules:
        """For each character a line can start with, the alternation of just the rules that
        can match such a line (None: no rule can), in the order of `rules`; key "" is for
        every character not listed. It matches where `compile_sc(rules)` does, and the same."""
        key = "$" if rules is None else "|".join(rules)
        table = self._first_char_rules.get(key)
        if table is None:
            names = self.rules if rules is None else rules
            unknown = [r for r in names if r not in RULE_STARTS]
            table = {"": self.compile_sc(unknown) if unknown else None}
            for c in set("".join(RULE_STARTS.values())):
                can_match = [r for r in names if c in RULE_STARTS.get(r, c)]
                table[c] = self.compile_sc(can_match) if can_match else None
            for c in _ANY_RULE:
                table[c] = self.compile_sc(rules)
            self._first_char_rules[key] = table
        return table

    def parse_ref_link(self, m: re.Match[str], state: BlockState) -> int | None:
        if m.group("reflink_1").startswith("^"):
            return None  # `[^1]: ...` is a footnote, whose text may hold links, not a definition
        return super().parse_ref_link(m, state)

    def parse_text(
        self, text: str, line_starts: list[int] | None = None, start: int = 0
    ) -> list[Token]:
        """Parse `text` (newlines normalised to '\\n') into block tokens; `line_starts`, the
        offsets its lines start at when the caller has them (`LineIndex.starts`). Parsing
        from `start`, a line start, gives the tokens that parsing the text with every line
        before it blank would give, less the first blank lines' token."""
        state = self.state_cls()
        state.process(text if text.endswith("\n") else text + "\n")
        state.cursor = start
        if isinstance(state, _State):
            lines = len(line_starts) if line_starts else text.count("\n") + 1
            state.line_map = list(range(lines))
            state._starts = line_starts
        self.parse(state)
        return state.tokens


class PositionedBlockParser(ObsidianBlockParser):
    """The block parser, stamping each token with the file lines it came from.

    It gives the same tokens as `ObsidianBlockParser` (the tests compare them), only faster:
    a paragraph line that starts with punctuation is read line by line like any other,
    where mistune would regex-search the rest of the note for the next block.
    """

    state_cls = _State

    def parse_method(self, m: re.Match[str], state: _State) -> int | None:  # type: ignore[override]
        start = state.cursor
        kind = m.lastgroup
        tokens = state.tokens
        n = len(tokens)
        last = tokens[-1] if n else None
        last_type = last["type"] if last else None
        if kind in _CONTAINERS:  # the blocks that parse their lines in a child state
            resume_children_at = state.next_child_line  # an inner call (a block that ends
            state.next_child_line = state.line_of(start)  # a quote or list) must not move it
            end = self._methods[kind](m, state)
            state.next_child_line = resume_children_at
        else:
            end = self._methods[kind](m, state)  # type: ignore[index]
        if end:
            lines = None
            for tok in tokens[n - 1 if n else 0 :]:
                if "_lines" not in tok:
                    tok["_lines"] = lines = lines or state.file_lines(start, end)
            if last is not None and last["type"] != last_type:  # setext heading underline
                last["_lines"] = (last["_lines"][0], state.file_lines(start, end)[1])
        return end

    def parse_list(self, m: re.Match[str], state: _State) -> int:  # type: ignore[override]
        end = None if m is state.not_simple else simple_list(self, m, state)
        return end if end is not None else super().parse_list(m, state)

    def parse_atx_heading(self, m: re.Match[str], state: BlockState) -> int:
        state.append_token(_atx_heading(m))
        return m.end() + 1

    def parse(self, state: _State, rules: list[str] | None = None) -> None:  # type: ignore[override]
        """mistune's loop, with shortcuts: a line is matched only against the block rules that
        can start with its first character; blocks of one token (blank lines, ATX headings,
        thematic breaks) and the lists `simple_list` reads are made or stamped here, not in
        `parse_method`; and what most list items and quote lines are, one line of text where
        no block starts, is one paragraph."""
        src = state.src
        sc = self.compile_sc(rules)
        if (
            state.cursor == 0
            and src.endswith("\n")
            and src.find("\n") == len(src) - 1
            and not src[0].isspace()
            and not sc.match(src)
        ):
            state.add_paragraph(src)
            state.cursor = state.cursor_max
            return
        indent_code = "indent_code" in (self.rules if rules is None else rules)
        size = state.cursor_max
        by_first_char = self.rules_by_first_char(rules)
        other = by_first_char[""]
        one_blank = other is None and by_first_char["\n"] is not None  # see below
        while state.cursor < size:
            cursor = state.cursor
            c = src[cursor]
            if c == "\n" and one_blank and cursor and src[cursor + 1 : cursor + 2] not in _BLANKS:
                # An empty line before a line that is not blank: the blank_line token the
                # rules would give it (only `blank_line` can match at a line break).
                state.tokens.append(
                    {"type": "blank_line", "_lines": state.file_lines(cursor, cursor + 1)}
                )
                state.cursor = cursor + 1
                continue
            if indent_code and c in " \t":
                end_pos = self._parse_indent_code_fast(state)
                if end_pos is not None:
                    state.cursor = end_pos
                    continue
            rule = by_first_char.get(c, other)
            m = rule.match(src, cursor) if rule else None
            if m is None:
                if self._parse_plain_paragraph(state, sc, by_first_char):
                    continue
                m = sc.search(src, cursor)
                if m is None:
                    break
            end_pos = m.start()
            if end_pos > cursor:
                state.add_paragraph(src[cursor:end_pos])
                state.cursor = end_pos
            kind = m.lastgroup
            end_pos2: int | None
            if kind == "blank_line" and state.cursor:  # what mistune's parse_blank_line does
                end_pos2 = m.end()
                lines = state.file_lines(state.cursor, end_pos2)
                state.tokens.append({"type": "blank_line", "_lines": lines})
            elif kind == "atx_heading":  # parse_atx_heading's work, stamped
                end_pos2 = m.end() + 1
                lines = state.file_lines(state.cursor, end_pos2)
                tokens = state.tokens
                if tokens and "_lines" not in tokens[-1]:
                    tokens[-1]["_lines"] = lines
                heading = _atx_heading(m)
                heading["_lines"] = lines
                tokens.append(heading)
            elif kind in _ONE_TOKEN:  # parse_method's work, less what these never need
                tokens = state.tokens
                n = len(tokens)
                end_pos2 = self._methods[kind](m, state)
                if end_pos2:
                    lines = state.file_lines(state.cursor, end_pos2)
                    for tok in tokens[n - 1 if n else 0 :]:
                        if "_lines" not in tok:
                            tok["_lines"] = lines
            elif kind == "block_quote" and (end_pos2 := self.simple_quote(state)) is not None:
                pass  # a quote of one paragraph, made and stamped there
            elif kind == "list":  # parse_method's work for the lists `simple_list` reads
                tokens = state.tokens
                n = len(tokens)
                start = state.cursor
                end_pos2 = simple_list(self, m, state)
                if end_pos2 is None:
                    state.not_simple = m  # (parse_list need not try it again)
                    end_pos2 = self.parse_method(m, state)
                else:
                    lines = state.file_lines(start, end_pos2)
                    for tok in tokens[n - 1 if n else 0 :]:
                        if "_lines" not in tok:
                            tok["_lines"] = lines
            else:
                end_pos2 = self.parse_method(m, state)
            if end_pos2:
                state.cursor = end_pos2
            else:
                end_pos3 = state.find_line_end()
                state.add_paragraph(state.get_text(end_pos3))
                state.cursor = end_pos3
        if state.cursor < size:
            state.add_paragraph(src[state.cursor :])
            state.cursor = size

    def simple_quote(self, state: _State) -> int | None:
        """The block quote at the cursor when its lines are `> text` (or `>text`) where no block
        starts, up to the end or an empty line before one that is not blank: the tokens mistune
        gives it (one paragraph in the quote, then the blank line), stamped, without a child
        state. Else None, the state untouched."""
        src, start, size = state.src, state.cursor, state.cursor_max
        rules = self.rules_by_first_char(self.block_quote_rules)
        if rules[""] is not None:
            return None  # (a rule of unknown first characters)
        parts: list[str] = []
        pos = start
        found = _QUOTE_LINE.match(src, pos)
        while found is not None:
            line = found.group(1)
            c = line[0]
            if c in _MULTI_LINE or (c == "[" and not _NOT_A_DEFINITION.match(line)):
                return None
            rule = rules.get(c)
            if rule and rule.match(line):
                return None  # a block starts the line
            parts.append(line)
            pos = found.end()
            found = _QUOTE_LINE.match(src, pos)
        if not parts:
            return None
        end = pos
        if pos < size:  # mistune ends the quote at a blank line, which it parses then
            if src[pos] != "\n" or src[pos + 1 : pos + 2] in _BLANKS:
                return None  # not an empty line, then one that is not blank (or the end)
            end = pos + 1
        lines = state.file_lines(start, pos)
        paragraph: Token = {"type": "paragraph", "text": "".join(parts), "_lines": lines}
        tokens = state.tokens
        tokens.append(
            {"type": "block_quote", "children": [paragraph], "_lines": state.file_lines(start, end)}
        )
        if end > pos:
            tokens.append({"type": "blank_line", "_lines": state.file_lines(pos, end)})
        return end

    def _parse_indent_code_fast(self, state: _State) -> int | None:  # type: ignore[override]
        start = state.cursor
        if state.src[start : start + 1] not in (" ", "\t"):
            return None  # indented code starts with a space or a tab
        end = super()._parse_indent_code_fast(state)
        if end is not None:
            tok = state.tokens[-1]
            if "_lines" not in tok:
                tok["_lines"] = state.file_lines(start, end)
        return end

    def _parse_plain_paragraph(  # type: ignore[override]
        self, state: BlockState, sc: re.Pattern[str], by_first_char: FirstCharRules
    ) -> bool:
        """Called when no block starts at the cursor: the paragraph runs until a line where
        one does, or a blank line (mistune only takes this path for lines starting with a
        letter, and regex-searches the rest of the note otherwise, to the same effect)."""
        src, size, start = state.src, state.cursor_max, state.cursor
        c = src[start]
        pos = src.find("\n", start)
        pos = size if pos < 0 else pos + 1
        if c == "\n" or (c.isspace() and _WHITESPACE.fullmatch(src, start, pos)):
            return False  # an empty or blank line: no paragraph starts here
        other = by_first_char[""]
        while pos < size:  # the lines after the first
            c = src[pos]
            if c == "\n":
                break  # an empty line ends the paragraph, whether or not a rule matches it
            rule = by_first_char.get(c, other)
            if rule and rule.match(src, pos):
                break
            end = src.find("\n", pos)
            end = size if end < 0 else end + 1
            if c.isspace() and _WHITESPACE.fullmatch(src, pos, end):
                break  # a blank line (`str.strip` and `\s` agree on what is white space)
            pos = end
        state.add_paragraph(src[start:pos])
        state.cursor = pos
        return True


def _atx_heading(m: re.Match[str]) -> Token:
    """mistune's ATX heading token, without its trailing-`#` regex when the text holds no `#`."""
    text = m.group("atx_2").strip(string.whitespace)
    if "#" in text:
        text = _ATX_HEADING_TRIM.sub("", text)
    return {
        "type": "heading",
        "text": text,
        "attrs": {"level": len(m.group("atx_1"))},
        "style": "atx",
    }


def _parse_comment_block(m: re.Match[str], state: BlockState) -> int | None:
    """`%%` at the start of a line opens a comment that ends at the next `%%` (or the end of
    the note). An inline `%%...%%` followed by more text on its line stays in the paragraph."""
    src = state.src
    close = src.find("%%", m.end())
    line_end = state.find_line_end()
    if close < 0:
        end = state.cursor_max
    else:
        end = state.find_line_end_at(close)
        if end == line_end and src[close + 2 : line_end].strip():
            return None
    state.append_token({"type": "comment", "raw": src[m.end() : close if close >= 0 else end]})
    return end
