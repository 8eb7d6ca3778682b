"""Rewriting a link as written, for the link fixes: point it at another target while the reader
sees the same text, or replace it by the text it shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vaultlint.markdown.inline import _markdown_link, markdown_destination, wiki_link
from vaultlint.markdown.model import Link
from vaultlint.positions import LineIndex

_WIKI = re.compile(r"!?\[\[[^\n]*?\]\]")
# Characters a Markdown link destination can't hold as they are (written percent-encoded).
_ENCODE = re.compile(r"[\s%#()<>\[\]\\]")
_NOT_PLAIN = re.compile(r"[|#\\\n]")  # in a wiki-link target: see `plain_name`


@dataclass(frozen=True, slots=True)
class LinkSource:
    """A link as written, and whether its line is a table row (where a wiki-link's display
    separator is written `\\|`): what rewriting it needs, kept without the note's text."""

    text: str
    table_row: bool


def table_row_links(text: str, lines: LineIndex, links: list[Link]) -> frozenset[int]:
    """The indexes of the `links` of note `text` that a fix may give a `|` (`needs_separator`)
    and that are on a table row: a line with a `|` outside wiki-links."""
    rows: dict[int, bool] = {}  # line -> whether it is a table row
    found = []
    for i, link in enumerate(links):
        if not needs_separator(link):
            continue
        line = lines.position(link.start)[0] - 1
        if line not in rows:
            written = text[lines.line_start(line) : lines.line_end(line)]
            rows[line] = "|" in written and "|" in _WIKI.sub("", written)
        if rows[line]:
            found.append(i)
    return frozenset(found)


def needs_separator(link: Link) -> bool:
    """Whether rewriting `link` may add a `|` display separator (see `retarget`): a wiki-link
    without display text that is not an embed."""
    return link.kind == "wiki" and link.display is None and not link.embed


def shown_text(link: Link) -> str:
    """What Obsidian shows for a wiki-link without display text: `note`, `note > heading`."""
    parts = [link.target, *(p.strip() for p in (link.subpath or "").split("#") if p.strip())]
    return " > ".join(parts)


def retarget(source: LinkSource, link: Link, target: str) -> str | None:
    """The source of `link` with its target replaced by `target`, showing the reader the same
    text: a wiki-link without display text gets what it showed as display text (not an embed:
    there `|` gives a size or caption). A Markdown link keeps its `.md` style. None when the
    link's source is not as the parser read it."""
    if link.kind == "wiki":
        around = wiki_around(source, link)
        return None if around is None else around[0] + target + around[1]
    return _retarget_markdown(source.text, link, target)


def reparse(link: Link, source: str) -> Link | None:
    """Read `source`, a rewritten `link`, as the parser would."""
    if link.kind == "wiki":
        if not _WIKI.fullmatch(source):
            return None
        return wiki_link(source, 0, len(source), link.embed)
    found = _markdown_link(source, int(link.embed), len(source))
    if found is None or found[0] != len(source):
        return None
    parts = markdown_destination(found[2].strip())
    if parts is None:
        return None
    return Link("markdown", link.embed, parts[0], parts[1], found[1], 0, len(source))


def unlinked(link: Link) -> str:
    """What replaces an empty link: the text it shows (nothing for an embed)."""
    return "" if link.embed else (link.display or "").strip()


def wiki_around(source: LinkSource, link: Link) -> tuple[str, str] | None:
    """What wiki-link `link` retargeted (see `retarget`) has before and after its new target:
    the same for every target. None when the link's source is not as the parser read it."""
    raw = source.text
    opening = 3 if link.embed else 2
    inner = raw[opening:-2]
    bar = inner.find("|")
    head = inner if bar < 0 else inner[:bar]
    written = head.split("#", 1)[0]
    start = opening + len(written) - len(written.lstrip())
    end = start + len(link.target)
    if raw[start:end] != link.target:
        return None
    after = raw[end:]
    if needs_separator(link):
        separator = "\\|" if source.table_row else "|"
        after = f"{after[:-2]}{separator}{shown_text(link)}]]"
    return raw[:start], after


def reads_back(around: tuple[str, str], link: Link) -> bool:
    """Whether wiki-link `link` retargeted by `around` (see `wiki_around`) reads back, for
    every `plain_name` target, as that target and the link's subpath: `reparse` need not be
    asked. It is so unless the link as written has text the parser drops around its target."""
    again = reparse(link, f"{around[0]}x{around[1]}")
    return again is not None and again.target == "x" and again.subpath == link.subpath


def plain_name(name: str) -> bool:
    """A target that a wiki-link reads as it is: no `|`, `#`, `\\` or line break in it, and
    no space at either end."""
    return bool(name) and _NOT_PLAIN.search(name) is None and name.strip() == name


def _retarget_markdown(raw: str, link: Link, target: str) -> str | None:
    label_end = int(link.embed) + 1 + len(link.display or "")
    if raw[label_end : label_end + 2] != "](":
        return None
    i = label_end + 2
    while i < len(raw) and raw[i] in " \t\n":
        i += 1
    angled = raw.startswith("<", i)
    start = end = i + int(angled)
    depth = 0
    while end < len(raw):  # the path part of the destination ends at '#' or where it ends
        c = raw[end]
        if c == "#" or (c == ">" if angled else c.isspace() or (c == ")" and depth == 0)):
            break
        depth += (c == "(") - (c == ")")
        end += 2 if c == "\\" else 1
    if link.target.lower().endswith(".md") and not target.lower().endswith(".md"):
        target += ".md"
    if angled:
        if any(c in target for c in "<>\n"):
            return None
        written = target
    else:
        written = _ENCODE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), target)
    return raw[:start] + written + raw[end:]
