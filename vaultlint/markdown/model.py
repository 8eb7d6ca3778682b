"""What the parser extracts from a note. Every offset is into the original file text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(slots=True)
class Link:
    """A wiki-link, embed or Markdown link. `start`/`end` span the whole link as written."""

    kind: Literal["wiki", "markdown"]
    embed: bool
    target: str  # the path part, trimmed; Markdown links percent-decoded
    subpath: str | None  # everything after the first '#', without it; None if no '#'
    display: str | None  # text after '|' (wiki) or the link text (Markdown)
    start: int
    end: int
    in_frontmatter: bool = False

    @property
    def empty(self) -> bool:
        """`[[]]`, `[[|x]]`, `[[#]]`, `[[#^]]`, `[]()`: nothing to link to."""
        return not self.target and (self.subpath or "").strip() in ("", "^")


@dataclass(slots=True)
class Heading:
    level: int
    text: str  # as shown: without `%%` and HTML comments
    start: int  # first character of the heading line's content (the '#' of an ATX heading)
    end: int  # end of that line's content
    raw: str = ""  # as written, when it differs from `text` (it holds a comment)


@dataclass(slots=True)
class BlockId:
    id: str
    start: int  # offset of the '^'
    end: int


@dataclass(slots=True)
class Tag:
    name: str  # without '#'
    start: int  # offset of the '#'
    end: int


@dataclass(slots=True)
class Callout:
    type: str
    fold: str  # '', '+' or '-'
    title: str
    start: int  # offset of '[!'
    end: int


@dataclass(slots=True)
class Comment:
    """An HTML or %% comment: its inner text, for suppression directives."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class HtmlAnchor:
    """An `<a ...>text</a>` element in prose: the opening tag is text[start:open_end], the
    text between the tags text[open_end:close_start]."""

    start: int
    open_end: int
    close_start: int
    end: int
    # When the opening tag is exactly `<a class="yt-timestamp" data-t="...">`, as timestamp
    # generators write it (no entities): its data-t, so no attribute parsing is needed.
    data_t: str | None = None


@dataclass(slots=True)
class ParsedBody:
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    block_ids: list[BlockId] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    highlights: list[Span] = field(default_factory=list)
    # Text regions that rules may read as prose: (start, end) of each leaf block's lines,
    # and the inline spans inside them that hide their content (code, math, comments, HTML
    # tags; the two tags of an `<a>` element are not listed: `html_anchors` holds them).
    prose: list[Span] = field(default_factory=list)
    hidden: list[Span] = field(default_factory=list)
    # External Markdown links and autolinks (`target`: the URL as written), and `<a>` elements.
    urls: list[Link] = field(default_factory=list)
    html_anchors: list[HtmlAnchor] = field(default_factory=list)
