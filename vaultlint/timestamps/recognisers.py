"""Recognisers: one small class per written form of a timestamp.

A recogniser reads the facts the parser already collected (HTML `<a>` elements, links, URLs,
prose spans), so timestamps inside code, math and comments are never seen, and a note without
timestamps costs a few empty loops. To support a new form, add a class with a `find` method
and list it in `RECOGNISERS`.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

from vaultlint.markdown.model import HtmlAnchor, Link, Span
from vaultlint.timestamps.times import (
    MAX_DIGITS,
    TimeError,
    clock_seconds,
    parse_clock,
    parse_youtube,
)
from vaultlint.timestamps.youtube import youtube_time

if TYPE_CHECKING:
    from vaultlint.note import Note

# Files Obsidian plays as audio or video (its "Accepted file formats").
MEDIA_EXTENSIONS = frozenset(
    ("mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm", "mp4", "mkv", "mov", "ogv")
)
_ATTRIBUTE = re.compile(
    r"([A-Za-z_:][\w.:-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)
# The text of a timestamp: a time (or nothing), perhaps in brackets, perhaps with spaces.
# Possessive: with plain `\s*` a long run of spaces before other text backtracks for ever.
_BRACKETED = re.compile(r"\s*+([\[(]?)\s*+(\d[\d:.]*+|)\s*+([\])]?)\s*+")
_CLOCK_SHAPE = re.compile(r"\d+(?::\d+)+")
# The whole element as generators write it, both times valid clock times: read in one match.
_CLOCK = r"\d+(?::[0-5]\d){0,2}"
_PLAIN_ELEMENT = re.compile(rf'<a class="yt-timestamp" data-t="({_CLOCK})">\[({_CLOCK})\]</a>')
# What every bare YouTube URL holds (`//` and a host of `_BARE_YOUTUBE`): a quick test of the
# whole note, faster than `in` (a search for `//` finds few false starts).
_MAYBE_BARE_YOUTUBE = re.compile(r"//[A-Za-z0-9.-]*youtu", re.I)
_BARE_YOUTUBE = re.compile(
    r"https?://(?:[A-Za-z0-9-]+\.)*(?:youtube\.com|youtube-nocookie\.com|youtu\.be)"
    r"(?:[/?#][^\s<>\[\]\"'`]*)?",
    re.I,
)


@dataclass(slots=True)
class Timestamp:
    """One timestamp: where it is, the time it links to, and the time its text shows."""

    start: int  # the whole timestamp: the `<a>` element, the link, the URL
    end: int
    target: str  # the time it links to, as written: `14:01:00`, `t=1h2m3s`
    seconds: float | None = None  # the target in seconds; None when malformed
    error: str | None = None  # why it is malformed (VL301); the other rules skip it
    shown: Span | None = None  # the text showing a time, when there is one
    shown_seconds: float | None = None
    video: str | None = None  # the YouTube video id a link names
    file: str | None = None  # the media file a fragment plays


_START = attrgetter("start")


class Recogniser(Protocol):
    def find(self, note: Note) -> Iterator[Timestamp]: ...


def html_attributes(tag: str) -> dict[str, str]:
    """The attributes of an opening tag `<a ...>`, names lower-cased, entities decoded; the
    first of a repeated name wins, as in browsers."""
    attrs: dict[str, str] = {}
    for m in _ATTRIBUTE.finditer(tag, 2, len(tag) - 1):
        value = m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or ""
        attrs.setdefault(m.group(1).lower(), html.unescape(value) if "&" in value else value)
    return attrs


def _target(ts: Timestamp, what: str, value: str, parse: Callable[[str], float]) -> None:
    try:
        ts.seconds = parse(value)
    except TimeError as exc:
        ts.error = f'{what} "{value}": {exc}'


def _time_in(text: str, start: int, end: int) -> Span | None:
    """The time in text[start:end] when that text is only a time, perhaps in brackets; an
    empty span when the text is empty or `[]`."""
    m = _BRACKETED.fullmatch(text, start, end)
    if m is None or bool(m.group(1)) != bool(m.group(3)):
        return None
    return Span(m.start(2), m.end(2))


def _shown_time(ts: Timestamp, text: str, start: int, end: int, fraction: bool = False) -> None:
    """Set the shown time of a link whose text is a clock time (`1:23`, `[01:02:03]`). Text
    that only resembles one (`2:1`, a ratio) is not a shown time."""
    span = _time_in(text, start, end)
    if span is None or not _CLOCK_SHAPE.match(text, span.start, span.end):
        return
    try:
        ts.shown_seconds = parse_clock(text[span.start : span.end], fraction)
    except TimeError:
        return
    ts.shown = span


PlainAnchor = tuple[HtmlAnchor, float]  # a plain yt-timestamp anchor and its time in seconds


def plain_timestamp(a: HtmlAnchor, seconds: float) -> Timestamp:
    """The timestamp of a plain anchor."""
    shown = Span(a.open_end + 1, a.close_start - 1)
    return Timestamp(a.start, a.end, a.data_t or "", seconds, None, shown, seconds)


# What follows the opening tag of a plain anchor with `data-t` T, `[T]</a>`, and T in seconds,
# by T; None when T is not a valid clock time. A dictionary: read at half the cost of a call to
# an lru_cache function, once for each of the dozens of anchors of a note.
_PLAIN_ENDS: dict[str | None, tuple[str, float] | None] = {}


def _plain_end(data_t: str | None) -> tuple[str, float] | None:
    """Learn what `_PLAIN_ENDS` holds for `data_t`."""
    if len(_PLAIN_ENDS) > 1 << 15:  # as `clock_seconds`
        _PLAIN_ENDS.clear()
    seconds = None if data_t is None else plain_clock_seconds(data_t)
    end = _PLAIN_ENDS[data_t] = None if seconds is None else (f"[{data_t}]</a>", seconds)
    return end


def plain_clock_seconds(text: str) -> float | None:
    """`clock_seconds(text)`, read without its regex and cache when `text` is `MM:SS` or
    `H:MM:SS` in ASCII digits: most anchors of a note show times no other note has, and a
    miss of that cache costs several times this (tests/test_timestamp_forms.py compares)."""
    fields = text.split(":")
    if text.isascii() and 2 <= len(fields) <= 3:
        *first, minutes, seconds = fields
        if (
            len(minutes) == len(seconds) == 2
            and minutes < "60"
            and seconds < "60"
            and minutes.isdigit()
            and seconds.isdigit()
        ):
            if not first:
                return float(int(minutes) * 60 + int(seconds))
            hours = first[0]
            if hours.isdigit() and len(hours) <= MAX_DIGITS:
                return float((int(hours) * 60 + int(minutes)) * 60 + int(seconds))
    return clock_seconds(text)


class YtTimestampAnchor:
    """`<a class="yt-timestamp" data-t="01:02:03">[01:02:03]</a>`: `data-t` is the target
    (H:MM:SS, as the sites rendering these notes read it), the element's text the shown time."""

    def find(self, note: Note) -> Iterator[Timestamp]:
        plain: list[PlainAnchor] = []
        found = [*self.split(note, plain), *(plain_timestamp(*p) for p in plain)]
        found.sort(key=_START)
        return iter(found)

    def split(self, note: Note, plain: list[PlainAnchor]) -> Iterator[Timestamp]:
        """Like `find`, but the plain anchors go to `plain`, as (anchor, seconds), in the
        order of the text (the parser reads them in that order): those in the form generators
        write, `<a class="yt-timestamp" data-t="T">[T]</a>`, T a valid clock time. Nothing in
        a plain anchor can be wrong but its time."""
        text = note.text
        add = plain.append
        known = _PLAIN_ENDS
        for a in note.body.html_anchors:
            data_t = a.data_t  # the opening tag is in that form, already read
            end = known[data_t] if data_t in known else _plain_end(data_t)
            if end is not None and text[a.open_end : a.end] == end[0]:
                add((a, end[1]))
                continue
            ts = self.timestamp(text, a)
            if ts is not None:
                yield ts

    @staticmethod
    def timestamp(text: str, a: HtmlAnchor) -> Timestamp | None:
        """The timestamp of any `<a>` element; None when it is not a yt-timestamp."""
        data_t = a.data_t
        if data_t is not None and (plain := _PLAIN_ELEMENT.fullmatch(text, a.start, a.end)):
            seconds, shown_seconds = clock_seconds(data_t), clock_seconds(plain.group(2))
            if seconds is not None and shown_seconds is not None:  # else too long: see below
                shown_at = Span(plain.start(2), plain.end(2))
                return Timestamp(a.start, a.end, data_t, seconds, None, shown_at, shown_seconds)
        if data_t is None:
            tag = text[a.start : a.open_end]
            if "yt-timestamp" not in tag:
                return None
            attrs = html_attributes(tag)
            if "yt-timestamp" not in attrs.get("class", "").split():
                return None
            data_t = attrs.get("data-t")
        ts = Timestamp(a.start, a.end, (data_t or "").strip())
        if data_t is None:
            ts.error = "no data-t attribute"
        else:
            _target(ts, "data-t", ts.target, parse_clock)
        span = _time_in(text, a.open_end, a.close_start)
        if span is not None:
            ts.shown = span  # an empty span: the anchor shows no time
            shown = text[span.start : span.end]
            try:
                ts.shown_seconds = parse_clock(shown) if shown else None
            except TimeError as exc:
                ts.error = ts.error or f'shown time "{shown}": {exc}'
        return ts


class YouTubeLink:
    """A YouTube URL with `t=`, `start=` or `#t=`: a Markdown link or embed (the link text is
    the shown time), an `<a href>` element, an autolink `<https://...>` or a bare URL."""

    def find(self, note: Note) -> Iterator[Timestamp]:
        text = note.text
        body = note.body
        for link in body.urls:
            if "youtu" not in link.target.lower():
                continue
            ts = self.timestamp(html.unescape(link.target), link.start, link.end)
            if ts is None:
                continue
            if link.display is not None:
                label = _display_start(link)
                _shown_time(ts, text, label, label + len(link.display))
            yield ts
        for a in body.html_anchors:
            if a.data_t is not None:
                continue  # a yt-timestamp anchor, read by YtTimestampAnchor
            tag = text[a.start : a.open_end]
            if "youtu" not in tag.lower():
                continue
            attrs = html_attributes(tag)
            if "yt-timestamp" in attrs.get("class", "").split():
                continue  # its time is `data-t`, read by YtTimestampAnchor
            ts = self.timestamp(attrs.get("href", ""), a.start, a.end)
            if ts is not None:
                _shown_time(ts, text, a.open_end, a.close_start)
                yield ts
        if _MAYBE_BARE_YOUTUBE.search(text):
            yield from self.bare_urls(note)

    def bare_urls(self, note: Note) -> Iterator[Timestamp]:
        """URLs typed into prose, outside code, comments, links and `<a>` elements."""
        body = note.body
        taken = sorted(
            [(s.start, s.end) for s in body.hidden]
            + [(k.start, k.end) for k in body.links]
            + [(u.start, u.end) for u in body.urls]
            + [(a.start, a.end) for a in body.html_anchors]
        )
        starts = [start for start, _ in taken]
        reach = list(accumulate((end for _, end in taken), max))  # spans nest: `<a>` holds tags
        for m in _bare_youtube_urls(note.text, body.prose):
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < reach[i]:
                continue
            url = _trim_url(m.group())
            ts = self.timestamp(url, m.start(), m.start() + len(url))
            if ts is not None:
                yield ts

    @staticmethod
    def timestamp(url: str, start: int, end: int) -> Timestamp | None:
        found = youtube_time(url)
        if found is None:
            return None
        video, key, value, in_fragment = found
        ts = Timestamp(start, end, f"{key}={value}", video=video)
        _target(ts, key, value, _fragment_time if in_fragment else parse_youtube)
        return ts


def _bare_youtube_urls(text: str, prose: list[Span]) -> Iterator[re.Match[str]]:
    """The matches of `_BARE_YOUTUBE` in each span of `prose`, found from the `//` each holds:
    a search for `//` is fast, one for `https?://` in any case is not (a note can be long)."""
    prose_starts = [span.start for span in prose]
    end_of_last = 0  # the matches do not overlap
    for slashes in _MAYBE_BARE_YOUTUBE.finditer(text):
        at = slashes.start()
        k = bisect_right(prose_starts, at) - 1
        if k < 0 or at >= prose[k].end:
            continue  # not in prose
        for start in (at - 6, at - 5):  # `https://` or `http://`
            if start < max(end_of_last, prose[k].start):
                continue
            m = _BARE_YOUTUBE.match(text, start, prose[k].end)
            if m is not None:
                end_of_last = m.end()
                yield m
                break


def _fragment_time(value: str) -> float:
    """`#t=` on a YouTube URL: YouTube reads `1m23s`; Media Extended also `1:23`."""
    try:
        return parse_youtube(value)
    except TimeError:
        return parse_clock(value)


def _trim_url(url: str) -> str:
    """A bare URL without the punctuation that ends the sentence around it (as GFM does)."""
    url = url.rstrip(".,:;!?*_~")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,:;!?*_~")
    return url


class MediaFragment:
    """`[[video.mp4#t=1:23]]`, `![[talk.mp3#t=83]]`, `[1:23](video.mp4#t=1:23)`: a W3C media
    fragment (`t=[npt:]start[,end]`, as Obsidian and Media Extended play it) on a link to an
    audio or video file; the link's text is the shown time."""

    def find(self, note: Note) -> Iterator[Timestamp]:
        for link in note.body.links:
            sub = link.subpath
            if not sub or "t=" not in sub or _extension(link.target) not in MEDIA_EXTENSIONS:
                continue
            value = next((p[2:] for p in sub.split("&") if p.startswith("t=")), None)
            if value is None:
                continue
            ts = Timestamp(link.start, link.end, f"t={value}", file=link.target)
            _target(ts, "t", value, _media_time)
            if link.display is not None:
                label = _display_start(link)
                _shown_time(ts, note.text, label, label + len(link.display), fraction=True)
            yield ts


def _extension(target: str) -> str:
    dot = target.rfind(".")
    return target[dot + 1 :].lower() if dot >= 0 else ""


def _display_start(link: Link) -> int:
    """Offset of a link's text: after `|` in a wiki-link, after `[` in a Markdown link."""
    if link.kind == "wiki":
        return link.end - 2 - len(link.display or "")
    return link.start + link.embed + 1


def _media_time(value: str) -> float:
    """The start of `[npt:]start[,end]`; both times are checked, and the end must not come
    before the start."""
    value = value.removeprefix("npt:")
    first, comma, last = value.partition(",")
    start = parse_clock(first, fraction=True) if first or not comma else 0.0
    if comma and parse_clock(last, fraction=True) < start:
        raise TimeError("the end comes before the start")
    return start


_ANCHORS = YtTimestampAnchor()
RECOGNISERS: tuple[Recogniser, ...] = (_ANCHORS, YouTubeLink(), MediaFragment())


def find_timestamps(note: Note) -> list[Timestamp]:
    """Every timestamp in the note's body, in the order of the text."""
    found = [ts for recogniser in RECOGNISERS for ts in recogniser.find(note)]
    found.sort(key=_START)
    return found


def split_timestamps(note: Note) -> tuple[list[PlainAnchor], list[Timestamp]]:
    """The note's plain anchors (most timestamps, as generators write them) in the order of
    the text, and its other timestamps in no particular order: a check can read the plain
    ones without making a `Timestamp` of each."""
    plain: list[PlainAnchor] = []
    others = list(_ANCHORS.split(note, plain))
    others += [ts for r in RECOGNISERS if r is not _ANCHORS for ts in r.find(note)]
    return plain, others
