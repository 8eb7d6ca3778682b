"""A parsed note: its text, frontmatter, Markdown facts and line index."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint.frontmatter import Frontmatter, split_frontmatter
from vaultlint.markdown import parse_body
from vaultlint.markdown.inline import wiki_link
from vaultlint.markdown.model import Link, ParsedBody
from vaultlint.positions import LineIndex

_WIKI = re.compile(r"!?\[\[([^\n]*?)\]\]")
_OTHER_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)  # fmt: skip


class Unreadable(Exception):
    """The file can't be read or decoded as UTF-8."""

    def __init__(self, reason: str, position: tuple[int, int] = (1, 1)) -> None:
        super().__init__(reason)
        self.reason = reason
        self.position = position  # (line, column) of the first bad character


@dataclass(slots=True)
class Note:
    path: str  # relative to the vault root, '/' separators
    text: str  # newlines normalised to '\n', same length and offsets as the decoded file
    lines: LineIndex
    frontmatter: Frontmatter | None
    body: ParsedBody
    links: list[Link] = field(default_factory=list)  # body and frontmatter links, in order

    @property
    def aliases(self) -> list[str]:
        return frontmatter_aliases(self.frontmatter)


def read_text(file: Path) -> str:
    """Read a note as text; raise `Unreadable` for binary, non-UTF-8 or unreadable files."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    return decode(data)


def decode(data: bytes) -> str:
    """A note's bytes as text; raise `Unreadable` for binary or non-UTF-8 content."""
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise Unreadable(
                f"not UTF-8: {encoding} text (it starts with a {encoding} byte order mark)"
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Unreadable("binary file (contains NUL bytes)", _position(data, nul))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        raise Unreadable(
            f"not valid UTF-8 (byte 0x{data[bad]:02x} at byte offset {bad})",
            _position(data, bad),
        ) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of byte `offset`, counting the valid text before it."""
    before = normalise_newlines(data[:offset].decode("utf-8-sig", "replace"))
    return LineIndex(before).position(len(before))


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become line breaks without changing any offset."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def frontmatter_aliases(fm: Frontmatter | None) -> list[str]:
    if fm is None:
        return []
    data = fm.mapping()
    found: list[str] = []
    for key in ("aliases", "alias"):
        value = data.get(key)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found.extend(str(v) for v in value if isinstance(v, str | int | float))
    return [a.strip() for a in found if a.strip()]


def _string_values(value: Any, out: set[str], seen: set[int], depth: int = 0) -> None:
    if depth > 50 or id(value) in seen:
        return
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        seen.add(id(value))
        for v in value.values():
            _string_values(v, out, seen, depth + 1)
    elif isinstance(value, list):
        seen.add(id(value))
        for v in value:
            _string_values(v, out, seen, depth + 1)


def frontmatter_links(text: str, fm: Frontmatter) -> list[Link]:
    """Wiki-links inside frontmatter string values (`related: "[[note]]"`), as Obsidian tracks."""
    if fm.error is not None or "[[" not in fm.raw:
        return []
    strings: set[str] = set()
    _string_values(fm.data, strings, set())
    links = []
    for m in _wiki_links(text, fm.raw_start, fm.raw_start + len(fm.raw)):
        if any(m.group() in s for s in strings):
            link = wiki_link(text, m.start(), m.end(), m.group().startswith("!"))
            link.in_frontmatter = True
            links.append(link)
    return links


def _wiki_links(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """`_WIKI.finditer(text, start, end)` in linear time: when a `[[` has no `]]` after it on
    its line, no later `[[` on that line has one either, so the search goes on at the next
    line (finditer would search to the end of the line again from each `[[`)."""
    pos = text.find("[[", start, end)
    while pos >= 0:
        m = _WIKI.match(text, pos - 1 if pos > start and text[pos - 1] == "!" else pos, end)
        if m:
            yield m
            pos = m.end()
        else:
            pos = text.find("\n", pos, end)
            if pos < 0:
                return
        pos = text.find("[[", pos, end)


def parse_note(path: str, text: str) -> Note:
    """Parse decoded note text; raise `Unreadable` for a note too deep or too large to parse
    (no input known to vaultlint's tests does that, but a note must never stop a run)."""
    text = normalise_newlines(text)
    lines = LineIndex(text)
    fm = split_frontmatter(text)
    try:
        body = parse_body(text, lines, fm.end if fm is not None and fm.closed else 0)
    except RecursionError:
        raise Unreadable("cannot be parsed: too deeply nested") from None
    except MemoryError:
        raise Unreadable("cannot be parsed: not enough memory") from None
    links = body.links
    if fm is not None:
        links = frontmatter_links(text, fm) + links
    return Note(path, text, lines, fm, body, links)
