"""A positioned scanner for the inline syntax the rules need.

mistune's full inline pass builds a tree for every emphasis and entity, which no rule reads and
which costs most of the parse. This scanner jumps between the characters that can start
something we care about (code spans, math, comments, links, embeds, raw HTML) and records
each with its offsets in the original text. Tags, block ids and highlights are matched on the
prose that is left.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain
from operator import attrgetter
from urllib.parse import unquote

from vaultlint.markdown.model import BlockId, Comment, HtmlAnchor, Link, ParsedBody, Span, Tag

_YT_PREFIX = '<a class="yt-timestamp" data-t="'
# A timestamp anchor as generators write it, with nothing between its tags the scan would stop
# at: taken in one match, with the same spans the tag-by-tag path gives it. Its data-t is the
# pattern's only group, so `lastindex` tells an anchor from the other tokens.
_YT_ANCHOR = (
    re.escape(_YT_PREFIX) + r'([^"&<>\n]*)">(?:\[[^\[\]\n\\`$<%!]*\]|[^\[\]\n\\`$<%!]*)</a>'
)
# A wiki-link with no bracket inside, in one match: `_scan_wiki` would find the same link.
_PLAIN_WIKI = r"\[\[[^\[\]\n]*\]\]"


def special_pattern(fast: bool = True) -> re.Pattern[str]:
    """What the inline scan stops at; `fast` adds whole timestamp anchors and plain wiki-links
    (tried first at their position), which the general path takes apart step by step.

    Each alternative starts with a literal character, not a group, so the regex engine skips
    ahead to the next candidate character in C (`!?\\[` or a group there would make it try
    every position)."""
    fast_yt = _YT_ANCHOR + "|" if fast else ""
    fast_wiki = f"!{_PLAIN_WIKI}|{_PLAIN_WIKI}|" if fast else ""
    return re.compile(
        rf"\\.|``*|\$\$?|{fast_yt}<!--|%%|{fast_wiki}!\[\[|\[\[|!\[|\[|<(?=[A-Za-z/])", re.S
    )


_SPECIAL = special_pattern()
_INLINE_MATH = re.compile(r"\$(?!\s)((?:[^$\\\n]|\\.)+?)(?<!\s)\$(?!\d)")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[^\s<>@]+@[^\s<>@]+>")
_HTML_TAG = re.compile(
    r"</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")
# Both start with their literal character, the condition on the one before it looked at after:
# the regex engine then jumps between `#`s (a leading lookbehind is tried at every position).
_TAG = re.compile(r"#(?<!\S#)([^\s!-,.:-@\[-\^`{-~]+)")
# `^id` ends a line, after a space or straight after a link or embed (`![[x.png]]^id`).
_BLOCK_ID = re.compile(r"\^(?<![^\s\])]\^)([A-Za-z0-9_-]+)[ \t]*$", re.M)
# A run of destination characters that the loop in `_markdown_link` only steps over.
_PLAIN_DEST = re.compile(r"[^\s\x00-\x1f()\\]*")
_MAX_LABEL = 4096  # longer Markdown link labels are not looked for (bounds the work per '[')
_EQUALS = re.compile("==")
_HIGHLIGHT = re.compile(r"==(?=\S)([^\n]*?\S)==")
_PLAIN_TAG = re.compile(r'<a class="yt-timestamp" data-t="([^"&]*)">')


class _Covered:
    """Whether an offset lies in any of many spans, in logarithmic time (a paragraph of
    thousands of links and tags must not cost their product)."""

    def __init__(self, *groups: Sequence[Span | Link]) -> None:
        ordered = sorted(chain(*groups), key=attrgetter("start"))
        self.starts = [s.start for s in ordered]
        self.reach = list(accumulate([s.end for s in ordered], max))  # spans may nest

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.reach[i]


def wiki_link(text: str, start: int, end: int, embed: bool) -> Link:
    """Build a link from `[[...]]` at text[start:end] (`start` at '!' for an embed)."""
    inner = text[start + (3 if embed else 2) : end - 2]
    head, bar, display = inner.partition("|")
    if bar and head.endswith("\\"):  # `\|` inside a table cell
        head = head[:-1]
    target, hash_, subpath = head.partition("#")
    return Link(
        "wiki",
        embed,
        target.strip(),
        subpath if hash_ else None,
        display if bar else None,
        start,
        end,
    )


def markdown_destination(dest: str) -> tuple[str, str | None] | None:
    """Split and percent-decode an internal Markdown link destination; None if external."""
    if _SCHEME.match(dest):
        return None
    raw_path, hash_, raw_sub = dest.partition("#")
    return unquote(raw_path).strip(), (unquote(raw_sub) if hash_ else None)


def _skip_code_span(text: str, pos: int, end: int) -> int:
    """End of the code span opened by the backtick run at `pos`, or -1 if it never closes."""
    n = 0
    while pos + n < end and text[pos + n] == "`":
        n += 1
    i = pos + n
    while True:
        i = text.find("`" * n, i, end)
        if i < 0:
            return -1
        j = i + n
        if j < end and text[j] == "`":
            while j < end and text[j] == "`":
                j += 1
            i = j
            continue
        if text[i - 1] == "`":
            i += 1
            continue
        return j


def _plain_between(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds no character a link label treats specially."""
    find = text.find
    return find("[", start, end) < 0 and find("\\", start, end) < 0 and find("`", start, end) < 0


def _markdown_link(text: str, pos: int, end: int) -> tuple[int, str, str] | None:
    """Parse `[label](dest "title")` with '[' at `pos`: (end, label, dest) or None."""
    depth = 0
    i = pos + 1
    label_end = min(end, pos + _MAX_LABEL)
    close = text.find("]", i, label_end)
    if close >= 0 and _plain_between(text, i, close):
        i = close  # (the loop below would only step over plain characters to it)
    while i < label_end:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            close = _skip_code_span(text, i, end)
            if close > 0:
                i = close
                continue
        elif c == "[":
            depth += 1
        elif c == "]":
            if depth == 0:
                break
            depth -= 1
        i += 1
    else:
        return None
    if i >= end:
        return None
    label = text[pos + 1 : i]
    i += 1
    if i >= end or text[i] != "(":
        return None
    i += 1
    while i < end and text[i] in " \t\n":
        i += 1
    if i < end and text[i] == "<":
        close = i + 1
        while close < end and text[close] not in ">\n<":
            close += 2 if text[close] == "\\" else 1
        if close >= end or text[close] != ">":
            return None
        dest = text[i + 1 : close]
        i = close + 1
    else:
        start, parens = i, 0
        i = _PLAIN_DEST.match(text, i, end).end()  # type: ignore[union-attr]  # (as above)
        while i < end:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c.isspace() or ord(c) < 0x20:
                break
            if c == "(":
                parens += 1
            elif c == ")":
                if parens == 0:
                    break
                parens -= 1
            i += 1
        dest = text[start:i]
    while i < end and text[i] in " \t\n":
        i += 1
    if i < end and text[i] in "\"'(":
        closer = ")" if text[i] == "(" else text[i]
        close = text.find(closer, i + 1, end)
        if close < 0:
            return None
        i = close + 1
        while i < end and text[i] in " \t\n":
            i += 1
    if i >= end or text[i] != ")":
        return None
    return i + 1, label, dest.replace("\\", "")


def scan_inline(text: str, segments: list[tuple[int, int, bool]], body: ParsedBody) -> None:
    """Scan each (start, end, is_heading) segment of `text`, adding what it finds to `body`."""
    hidden = body.hidden
    links = body.links
    html_anchors = body.html_anchors
    finditer = _SPECIAL.finditer
    prose = body.prose
    find = text.find
    span, anchor, link = Span, HtmlAnchor, wiki_link  # (local names are faster)
    comment_until = 0  # a %% comment may run across blocks
    spanning: list[Span] = []  # such comments: they also hide headings and callouts
    # Searches that failed stay failed for the rest of the segment (or line): remember
    # them, so a line of a thousand unclosed `[[` or backticks costs linear time.
    open_code_runs: set[int] = set()
    unclosed_lines: set[int] = set()
    # Most notes have neither: not looked for then. (A regex finds `==` faster than `in` does.)
    carets, equals = "^" in text, _EQUALS.search(text) is not None
    for seg_start, seg_end, is_heading in segments:
        seg_from = len(hidden), len(links), len(html_anchors)  # what the segment adds
        pos = seg_start
        if comment_until > seg_start:
            hidden.append(Span(seg_start, min(comment_until, seg_end)))
            pos = comment_until
        if open_code_runs:
            open_code_runs.clear()
        if unclosed_lines:
            unclosed_lines.clear()
        html_comment_open = False
        open_anchor: Span | None = None  # an `<a ...>` tag waiting for its `</a>`
        open_at = 0  # where its span is in `hidden`
        while pos < seg_end:  # (the search starts again where a token took more text)
            for m in finditer(text, pos, seg_end):
                start, tok_end = m.span()
                if m.lastindex:  # a whole timestamp anchor
                    open_end = m.end(1) + 2
                    html_anchors.append(anchor(start, open_end, tok_end - 4, tok_end, m.group(1)))
                    open_anchor = None
                    continue
                if tok_end - start >= 4 and text[tok_end - 1] == "]":  # a whole wiki-link
                    links.append(link(text, start, tok_end, text[start] == "!"))
                    continue
                pos = start
                tok = m.group()
                c = tok[0]
                if c == "\\":
                    pos = m.end()
                elif c == "`":
                    close = (
                        -1 if len(tok) in open_code_runs else _skip_code_span(text, pos, seg_end)
                    )
                    if close < 0:
                        open_code_runs.add(len(tok))
                        pos = m.end()
                    else:
                        hidden.append(Span(pos, close))
                        pos = close
                elif tok == "$$":
                    close = text.find("$$", pos + 2, seg_end)
                    if close < 0:
                        pos += 2
                    else:
                        hidden.append(Span(pos, close + 2))
                        pos = close + 2
                elif c == "$":
                    close = _inline_math_end(text, pos, seg_end)
                    if close >= 0:
                        hidden.append(Span(pos, close))
                        pos = close
                    else:
                        pos += 1
                elif tok == "<!--":
                    close = -1 if html_comment_open else text.find("-->", pos + 4, seg_end)
                    if close < 0:
                        html_comment_open = True
                        pos += 4
                    else:
                        hidden.append(Span(pos, close + 3))
                        body.comments.append(Comment(text[pos + 4 : close], pos, close + 3))
                        pos = close + 3
                elif tok == "%%":
                    close = text.find("%%", pos + 2)
                    stop = len(text) if close < 0 else close + 2
                    hidden.append(Span(pos, stop))
                    body.comments.append(Comment(text[pos + 2 : max(close, pos + 2)], pos, stop))
                    pos = comment_until = stop
                    if stop > seg_end:
                        spanning.append(Span(m.start(), stop))
                elif c == "<":
                    mm = _AUTOLINK.match(text, pos, seg_end) or _HTML_TAG.match(text, pos, seg_end)
                    if mm:
                        end = mm.end()
                        hidden.append(Span(pos, end))
                        if mm.re is _AUTOLINK:
                            url = text[pos + 1 : end - 1]
                            body.urls.append(Link("markdown", False, url, None, None, pos, end))
                        elif text[pos + 1] in "aA/":
                            opened = open_anchor
                            open_anchor = _anchor_tag(mm, open_anchor, body.html_anchors)
                            if open_anchor is None and opened is not None:
                                hidden.pop()  # an element's tags are in `html_anchors`, not here
                                del hidden[open_at]
                            elif open_anchor is not opened:
                                open_at = len(hidden) - 1
                        pos = end
                    else:
                        pos += 1
                elif tok.endswith("[["):
                    pos = _scan_wiki(text, pos, seg_end, tok[0] == "!", links, unclosed_lines)
                else:  # '[' or '!['
                    embed = c == "!"
                    found = _markdown_link(text, pos + embed, seg_end)
                    if found is None:
                        pos = tok_end
                        continue
                    end, label, dest = found
                    parts = markdown_destination(dest.strip())
                    if parts is not None:
                        links.append(Link("markdown", embed, parts[0], parts[1], label, pos, end))
                    else:
                        body.urls.append(
                            Link("markdown", embed, dest.strip(), None, label, pos, end)
                        )
                    pos = end
                if pos != tok_end:
                    break
            else:
                break  # nothing more in the segment
        prose.append(span(seg_start, seg_end))
        if is_heading:  # short, and always holding a `#`: worth a regex (no block ids here)
            marks: object = _TAG.search(text, seg_start, seg_end) or (
                equals and _EQUALS.search(text, seg_start, seg_end)
            )
        else:  # finding a character in a long text is faster than a regex search
            marks = (
                find("#", seg_start, seg_end) >= 0
                or (carets and find("^", seg_start, seg_end) >= 0)
                or (equals and _EQUALS.search(text, seg_start, seg_end))
            )
        if marks:
            _scan_prose(text, seg_start, seg_end, is_heading, body, seg_from)
    if spanning:
        covered = _Covered(spanning)
        body.headings = [h for h in body.headings if h.start not in covered]
        body.callouts = [c for c in body.callouts if c.start not in covered]


def _inline_math_end(text: str, pos: int, end: int) -> int:
    """End of the inline math `$...$` opening at `pos`, or -1. With no `$` after it on its line
    there is none, and the lazy regex is not tried (it would step to the line's end first)."""
    close = text.find("$", pos + 1, end)
    if close < 0 or text.find("\n", pos, close) >= 0:
        return -1
    m = _INLINE_MATH.match(text, pos, end)
    return m.end() if m else -1


def _anchor_tag(m: re.Match[str], open_tag: Span | None, out: list[HtmlAnchor]) -> Span | None:
    """Pair `<a ...>` with the next `</a>` in the segment; return the tag still open."""
    tag = m.group()
    if tag[1] == "/":
        if open_tag is not None and tag[2:-1].strip().lower() == "a":
            plain = _PLAIN_TAG.fullmatch(m.string, open_tag.start, open_tag.end)
            data_t = plain.group(1) if plain else None
            out.append(HtmlAnchor(open_tag.start, open_tag.end, m.start(), m.end(), data_t))
            return None
        return open_tag
    if tag[2] in " \t\n>" and not tag.endswith("/>"):
        return Span(m.start(), m.end())
    return open_tag


def _scan_wiki(
    text: str, pos: int, seg_end: int, embed: bool, links: list[Link], unclosed: set[int]
) -> int:
    """Record the wiki-link opening at `pos`; return where scanning resumes."""
    open_end = pos + (3 if embed else 2)
    line_end = text.find("\n", open_end, seg_end)
    limit = seg_end if line_end < 0 else line_end
    close = -1 if limit in unclosed else text.find("]]", open_end, limit)
    if close < 0:
        unclosed.add(limit)
        return open_end
    inner = text.rfind("[[", open_end, close)
    if inner >= 0:  # `[[a [[b]]`: the inner one is the link
        return inner - 1 if text[inner - 1] == "!" else inner
    links.append(wiki_link(text, pos, close + 2, embed))
    return close + 2


def _scan_prose(
    text: str,
    start: int,
    end: int,
    is_heading: bool,
    body: ParsedBody,
    since: tuple[int, int, int],
) -> None:
    """Tags, block ids and highlights in the segment, outside code, comments, links and HTML
    tags; `since`: where the segment's hidden spans, links and `<a>` elements start."""
    tag = _TAG.search(text, start, end) if text.find("#", start, end) >= 0 else None
    block_id = None
    if not is_heading and text.find("^", start, end) >= 0:
        block_id = _BLOCK_ID.search(text, start, end)
    highlights = list(_highlights(text, start, end)) if _EQUALS.search(text, start, end) else []
    if tag is None and block_id is None and not highlights:
        return
    hidden_from, links_from, anchors_from = since
    anchors = body.html_anchors[anchors_from:]
    blocked = _Covered(
        body.hidden[hidden_from:],
        body.links[links_from:],
        [Span(a.start, a.open_end) for a in anchors],
        [Span(a.close_start, a.end) for a in anchors],
    )
    if tag is not None:
        for m in _TAG.finditer(text, tag.start(), end):
            if m.start() not in blocked:
                body.tags.append(Tag(m.group(1), m.start(), m.end()))
    if block_id is not None:
        for m in _BLOCK_ID.finditer(text, block_id.start(), end):
            if m.start() not in blocked:
                body.block_ids.append(BlockId(m.group(1), m.start(), m.end()))
    for m in highlights:
        if m.start() not in blocked:
            body.highlights.append(Span(m.start(), m.end()))


def _highlights(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """`==text==` in text[start:end], as `_HIGHLIGHT.finditer` finds them, in linear time: when
    an opening `==` has no closing one on its line, no later `==` on that line has one either,
    so the search goes on at the next line (finditer tries each `==` again: a line of `==a `
    would cost its length squared)."""
    pos = text.find("==", start, end)
    while pos >= 0:
        m = _HIGHLIGHT.match(text, pos, end)
        if m:
            yield m
            pos = m.end()
        elif pos + 2 < end and not text[pos + 2].isspace():  # an opening `==` never closed
            pos = text.find("\n", pos, end)
            if pos < 0:
                return
        else:
            pos += 1
        pos = text.find("==", pos, end)
