"""Obsidian Markdown: mistune's block parser plus our positioned inline scanner."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from operator import le, lt
from typing import Any

from vaultlint.markdown.blocks import PositionedBlockParser
from vaultlint.markdown.inline import scan_inline
from vaultlint.markdown.model import Callout, Comment, Heading, ParsedBody
from vaultlint.positions import LineIndex

__all__ = ["parse_body"]

_PARSER = PositionedBlockParser()
_CONTENT_START = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_CALLOUT = re.compile(r"[ \t]*(?:>[ \t]?)+\[!([^\]\n]+)\]([+-]?)[ \t]*(.*)")
_COMMENTS = {"<!--": "-->", "%%": "%%"}  # opening -> closing


def parse_body(src: str, lines: LineIndex, start: int = 0) -> ParsedBody:
    """Parse `src` (newlines normalised) from `start` (a line start: the end of the
    frontmatter) into positioned facts."""
    builder = _BodyBuilder(src, lines)
    builder.walk(_PARSER.parse_text(src, lines.starts, start))
    scan_inline(src, _disjoint(builder.segments), builder.body)
    return builder.body


def _disjoint(segments: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Segments in order, none scanned twice. (mistune can hand a paragraph a line that comes
    after a block quote it does not contain: `a\n> b\n- ` makes `a` and `- ` one paragraph.)"""
    if not segments:
        return segments
    starts, ends, _ = zip(*segments, strict=True)
    if all(map(lt, starts, ends)) and all(map(le, ends, islice(starts, 1, None))):
        return segments  # in order, none empty or overlapping: what the loop would give
    out: list[tuple[int, int, bool]] = []
    reached = 0
    for start, end, is_heading in sorted(segments):
        start = max(start, reached)
        if start < end:
            out.append((start, end, is_heading))
            reached = end
    return out


def _html_comments(src: str, start: int, end: int) -> Iterator[Comment]:
    """The `<!-- -->` comments in src[start:end]. One that is never closed ends the search:
    no later one can close either (a regex would look again from each `<!--`)."""
    pos = src.find("<!--", start, end)
    while pos >= 0:
        close = src.find("-->", pos + 4, end)
        if close < 0:
            return
        yield Comment(src[pos + 4 : close], pos, close + 3)
        pos = src.find("<!--", close + 3, end)


def _without_comments(text: str) -> str:
    """`text` with each `<!-- -->` and `%% %%` comment replaced by a space, in linear time: a
    kind of comment that is once left open is not looked for again."""
    parts: list[str] = []
    kept = 0  # text[:kept] is in parts
    found: dict[str, int] = {}  # opening -> where the next one is
    for opening in _COMMENTS:
        _next(text, opening, 0, found)
    while found:
        pos, opening = min((pos, opening) for opening, pos in found.items())
        close = text.find(_COMMENTS[opening], pos + len(opening))
        if close < 0:
            del found[opening]
            continue
        parts += [text[kept:pos], " "]
        kept = close + len(_COMMENTS[opening])
        for other, at in list(found.items()):
            if at < kept:
                _next(text, other, kept, found)
    return "".join(parts) + text[kept:]


def _next(text: str, opening: str, start: int, found: dict[str, int]) -> None:
    """Where the next `opening` is from `start`; a kind with no more is dropped."""
    at = text.find(opening, start)
    if at < 0:
        found.pop(opening, None)
    else:
        found[opening] = at


class _BodyBuilder:
    """Turns block tokens into headings, callouts and comments, and collects the segments
    (start, end, is_heading) of prose for the inline scanner."""

    def __init__(self, src: str, lines: LineIndex) -> None:
        self.src = src
        self.lines = lines
        self.segments: list[tuple[int, int, bool]] = []
        self.body = ParsedBody()

    def walk(self, tokens: list[dict[str, Any]]) -> None:
        lines = self.lines
        starts, length = lines.starts, lines.length
        for tok in tokens:
            kind = tok["type"]
            if kind == "blank_line" or kind == "block_code" or kind == "thematic_break":
                continue
            first, last = tok.get("_lines", (0, 0))
            if kind == "paragraph" or kind == "block_text":  # (LineIndex.line_start, line_end)
                start = starts[first] if first < len(starts) else starts[-1]
                end = starts[last + 1] - 1 if last + 1 < len(starts) else length
                self.segments.append((start, end, False))
            elif kind == "heading":
                self.heading(tok, first, last)
            elif kind == "block_quote":
                children = tok["children"]
                if children and children[0]["type"] in ("paragraph", "block_text"):
                    self.callout(first)
                self.walk(children)
            elif kind == "list":
                for item in tok["children"]:
                    children = item["children"]
                    if len(children) == 1 and children[0]["type"] == "block_text":
                        first, last = children[0].get("_lines", (0, 0))  # as above
                        start = starts[first] if first < len(starts) else starts[-1]
                        end = starts[last + 1] - 1 if last + 1 < len(starts) else length
                        self.segments.append((start, end, False))
                    else:
                        self.walk(children)
            elif kind == "block_html":
                start, end = lines.line_start(first), lines.line_end(last)
                self.body.comments.extend(_html_comments(self.src, start, end))
            elif kind == "comment":
                self.comment_block(first, last)

    def comment_block(self, first: int, last: int) -> None:
        """A `%%` comment that starts a line; text after its closing `%%` is prose again."""
        src = self.src
        start, end = self.lines.line_start(first), self.lines.line_end(last)
        opening = src.find("%%", start, end)
        closing = src.find("%%", opening + 2, end)
        stop = end if closing < 0 else closing + 2
        inner = src[opening + 2 : closing if closing >= 0 else end]
        self.body.comments.append(Comment(inner, opening, stop))
        if closing >= 0 and src[stop:end].strip():
            self.segments.append((stop, end, False))

    def heading(self, tok: dict[str, Any], first: int, last: int) -> None:
        src = self.src
        starts = self.lines.starts
        line_start = starts[first] if first < len(starts) else starts[-1]  # LineIndex.line_start
        if tok.get("style") == "setext":
            last = max(first, last - 1)  # the underline is not content
            start = _CONTENT_START.match(src, line_start).end()  # type: ignore[union-attr]
        else:
            start = src.find("#", line_start)
        end = starts[last + 1] - 1 if last + 1 < len(starts) else self.lines.length  # line_end
        while end > start and src[end - 1] in " \t":
            end -= 1
        raw = " ".join(tok["text"].split())
        text = raw
        if "%%" in raw or "<!--" in raw:
            text = " ".join(_without_comments(raw).split())
        level = tok["attrs"]["level"]
        self.body.headings.append(Heading(level, text, start, end, raw if raw != text else ""))
        self.segments.append((start, end, True))

    def callout(self, line0: int) -> None:
        m = _CALLOUT.match(self.src, self.lines.line_start(line0), self.lines.line_end(line0))
        if m:
            kind, fold, title = m.group(1).strip(), m.group(2), m.group(3).strip()
            self.body.callouts.append(Callout(kind, fold, title, m.start(1) - 2, m.end()))
