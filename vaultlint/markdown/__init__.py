"""Obsidian Markdown: mistune's block parser plus our positioned inline scanner."""

from __future__ import annotations

import re
from typing import Any

from vaultlint.markdown.blocks import PositionedBlockParser
from vaultlint.markdown.inline import scan_inline
from vaultlint.markdown.model import Callout, Comment, Heading, ParsedBody
from vaultlint.positions import LineIndex

__all__ = ["parse_body"]

_PARSER = PositionedBlockParser()
_CONTENT_START = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_CALLOUT = re.compile(r"[ \t]*(?:>[ \t]?)+\[!([^\]\n]+)\]([+-]?)[ \t]*(.*)")
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_INLINE_COMMENT = re.compile(r"<!--.*?-->|%%.*?%%", re.S)


def parse_body(src: str, lines: LineIndex) -> ParsedBody:
    """Parse `src` (newlines normalised, frontmatter blanked out) into positioned facts."""
    body = ParsedBody()
    segments: list[tuple[int, int, bool]] = []
    _walk(_PARSER.parse_text(src), src, lines, segments, body)
    segments.sort()
    scan_inline(src, segments, body)
    return body


def _walk(
    tokens: list[dict[str, Any]],
    src: str,
    lines: LineIndex,
    segments: list[tuple[int, int, bool]],
    body: ParsedBody,
) -> None:
    for tok in tokens:
        kind = tok["type"]
        first, last = tok.get("_lines", (0, 0))
        if kind in ("paragraph", "block_text"):
            segments.append((lines.line_start(first), lines.line_end(last), False))
        elif kind == "heading":
            _heading(tok, src, lines, first, last, segments, body)
        elif kind == "block_quote":
            children = tok["children"]
            if children and children[0]["type"] in ("paragraph", "block_text"):
                _callout(src, lines, first, body)
            _walk(children, src, lines, segments, body)
        elif kind == "list":
            for item in tok["children"]:
                _walk(item["children"], src, lines, segments, body)
        elif kind == "block_html":
            start = lines.line_start(first)
            for m in _HTML_COMMENT.finditer(src, start, lines.line_end(last)):
                body.comments.append(Comment(m.group(1), m.start(), m.end()))
        elif kind == "comment":
            _comment_block(src, lines, first, last, segments, body)


def _comment_block(
    src: str,
    lines: LineIndex,
    first: int,
    last: int,
    segments: list[tuple[int, int, bool]],
    body: ParsedBody,
) -> None:
    """A `%%` comment that starts a line; text after its closing `%%` is prose again."""
    start, end = lines.line_start(first), lines.line_end(last)
    opening = src.find("%%", start, end)
    closing = src.find("%%", opening + 2, end)
    stop = end if closing < 0 else closing + 2
    body.comments.append(
        Comment(src[opening + 2 : closing if closing >= 0 else end], opening, stop)
    )
    if closing >= 0 and src[stop:end].strip():
        segments.append((stop, end, False))


def _heading(
    tok: dict[str, Any],
    src: str,
    lines: LineIndex,
    first: int,
    last: int,
    segments: list[tuple[int, int, bool]],
    body: ParsedBody,
) -> None:
    line_start = lines.line_start(first)
    if tok.get("style") == "setext":
        last = max(first, last - 1)  # the underline is not content
        start = _CONTENT_START.match(src, line_start).end()  # type: ignore[union-attr]
    else:
        start = src.find("#", line_start)
    end = lines.line_end(last)
    while end > start and src[end - 1] in " \t":
        end -= 1
    raw = " ".join(tok["text"].split())
    text = (
        " ".join(_INLINE_COMMENT.sub(" ", raw).split()) if ("%%" in raw or "<!--" in raw) else raw
    )
    body.headings.append(
        Heading(tok["attrs"]["level"], text, start, end, raw if raw != text else "")
    )
    segments.append((start, end, True))


def _callout(src: str, lines: LineIndex, line0: int, body: ParsedBody) -> None:
    m = _CALLOUT.match(src, lines.line_start(line0), lines.line_end(line0))
    if m:
        body.callouts.append(
            Callout(m.group(1).strip(), m.group(2), m.group(3).strip(), m.start(1) - 2, m.end())
        )
