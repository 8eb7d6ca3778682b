"""VL301-VL305: timestamps that are malformed, show another time than they link to, run
backwards, run past the end of the video, or link to another video."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter

from vaultlint.diagnostics import Edit, Fix
from vaultlint.markdown.model import HtmlAnchor, Span
from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule
from vaultlint.timestamps import (
    PlainAnchor,
    Timestamp,
    split_timestamps,
)
from vaultlint.timestamps.times import format_clock, format_like, parse_clock, parse_duration

MALFORMED = Rule(
    "VL301",
    "malformed-timestamp",
    "A timestamp that does not parse, is empty, or has minutes or seconds of 60 or more.",
)
MISMATCH = Rule(
    "VL302",
    "timestamp-mismatch",
    "A timestamp whose text shows another time than the one it links to.",
    fixable=True,
)
ORDER = Rule(
    "VL303",
    "timestamp-order",
    "A timestamp earlier than the one before it in the same paragraph, section or note.",
)
OUT_OF_RANGE = Rule(
    "VL304",
    "timestamp-out-of-range",
    "A timestamp past the video's duration, or past `timestamps.max`.",
    fixable=True,
)
VIDEO_MISMATCH = Rule(
    "VL305",
    "timestamp-video-mismatch",
    "A timestamp link to a video other than the note's own.",
)
RULES = (MALFORMED, MISMATCH, ORDER, OUT_OF_RANGE, VIDEO_MISMATCH)

_START = attrgetter("start")
_FIRST = itemgetter(0)

# A GFM table's delimiter row (`|---|:--:|`); the line above it is the header row.
_CELL = r"[ \t]*:?-+:?[ \t]*"
_DELIMITER_ROW = re.compile(rf"^[ \t>]*\|?{_CELL}(?:\|{_CELL})*\|?[ \t]*$", re.M)
# `26:27:00` where 26 minutes 27 seconds was meant (also `t=26:27:00` in a fragment).
_HOURS_AS_MINUTES = re.compile(r"(?:t=)?(\d+):([0-5]\d):00")


@dataclass(frozen=True, slots=True)
class _Limits:
    """How late a timestamp may be: of the note's own video, of any other."""

    own: float
    own_what: str  # what the limit is, for the message
    other: float
    other_what: str


@lru_cache(maxsize=1 << 12)  # a vault holds videos of some thousands of durations
def _limits(max_clock: str, duration: float | None) -> _Limits:
    """The limits for a note of a video of `duration` (when known), and `timestamps.max`."""
    limit, what = parse_clock(max_clock), f"timestamps.max {max_clock}"
    if duration is None:
        return _Limits(limit, what, limit, what)
    return _Limits(duration, f"the video's duration {format_clock(duration)}", limit, what)


def check(note: Note, ctx: Context) -> Iterator[Report]:
    plain, others = split_timestamps(note)
    if not plain and not others:
        return
    settings = ctx.settings.timestamps
    meta = note.frontmatter.mapping() if note.frontmatter else {}
    video = _video_id(meta.get(settings.video_field))
    duration = parse_duration(meta.get(settings.duration_field))
    limits = _limits(settings.max, duration)
    found = [*_check_plain(note, plain, limits)]
    if others:
        others.sort(key=_START)
        found += _check_others(note, others, video, limits, settings.video_field)
        found.sort(key=_START)  # each timestamp's reports, in the order of the text
    yield from found
    if settings.order != "off":
        scopes = _Lazy(_SCOPES[settings.order], note)
        if others:
            yield from _order(note, _moments(plain, others, video), scopes)
        else:
            yield from _order_plain(note, plain, scopes)


def _check_plain(note: Note, plain: list[PlainAnchor], limits: _Limits) -> Iterator[Report]:
    """Plain anchors (most timestamps) are well-formed, show the time they link to and are
    of the note's own video: only their times can be wrong."""
    limit = limits.own
    for a, seconds in plain:
        if seconds > limit:
            yield _plain_out_of_range(a, limit, limits.own_what)


def _check_others(
    note: Note, stamps: list[Timestamp], video: str | None, limits: _Limits, video_field: str
) -> Iterator[Report]:
    """Timestamps of any form, in the order of the text."""
    for ts in stamps:
        if ts.error is not None:
            yield Report(MALFORMED, ts.start, ts.end, f"malformed timestamp: {ts.error}")
            continue
        seconds = ts.seconds
        if seconds is not None:
            shown_at, shown = ts.shown, ts.shown_seconds
            if shown_at is not None and (shown is None or int(shown) != int(seconds)):
                yield _mismatch(note.text, ts, shown_at, seconds)
            if ts.file is None and ts.video in (None, video):
                limit, what = limits.own, limits.own_what
            else:
                limit, what = limits.other, limits.other_what
            if seconds > limit:
                yield _out_of_range(note.text, ts, limit, what)
        if video and ts.video and ts.video != video:
            yield Report(
                VIDEO_MISMATCH,
                ts.start,
                ts.end,
                f'timestamp links to video "{ts.video}", not to this note\'s video "{video}" '
                f"({video_field})",
            )


def _video_id(value: object) -> str | None:
    """The note's video id; YAML reads an all-digit id as a number."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _mismatch(text: str, ts: Timestamp, shown_at: Span, seconds: float) -> Report:
    """The timestamp shows (at `shown_at`) another time than `seconds`, the one it links to."""
    shown = text[shown_at.start : shown_at.end]
    wanted = format_like(seconds, shown or ts.target)
    fix = Fix((Edit(shown_at.start, shown_at.end, wanted),), safe=True, title=f"Show {wanted}")
    message = f"timestamp shows {shown or 'no time'} but links to {ts.target}"
    return Report(MISMATCH, ts.start, ts.end, message, fix)


def _out_of_range(text: str, ts: Timestamp, limit: float, what: str) -> Report:
    """The timestamp links to a time past `limit`."""
    message, meant = _past(ts.target, limit, what)
    fix = None if meant is None else _minutes_seconds(text, ts, meant)
    return Report(OUT_OF_RANGE, ts.start, ts.end, message, fix)


def _plain_out_of_range(a: HtmlAnchor, limit: float, what: str) -> Report:
    """`_out_of_range` for a plain anchor, `<a class="yt-timestamp" data-t="T">[T]</a>`: T is
    written once in `data-t`, at the end of the opening tag, and once as the shown time."""
    target = a.data_t or ""
    message, fix_texts = _plain_past(target, limit, what)
    fix = None
    if fix_texts is not None:
        wanted, shown, title = fix_texts
        at = a.open_end - 2 - len(target)  # before `">`
        edits = (Edit(at, at + len(target), wanted), Edit(a.open_end + 1, a.close_start - 1, shown))
        fix = Fix(edits, safe=False, title=title)
    return Report(OUT_OF_RANGE, a.start, a.end, message, fix)


@lru_cache(maxsize=1 << 12)
def _plain_past(target: str, limit: float, what: str) -> tuple[str, tuple[str, str, str] | None]:
    """`_past`, and the texts of the fix of a plain anchor: its target, its shown time, the
    fix's title."""
    message, meant = _past(target, limit, what)
    if meant is None:
        return message, None
    wanted = format_like(meant, "00:00:00")
    return message, (wanted, format_like(meant, target), f"Read {target} as {wanted}")


@lru_cache(maxsize=1 << 12)
def _past(target: str, limit: float, what: str) -> tuple[str, int | None]:
    """The message for `target`, past `limit` (`what` that is), and the seconds it may have
    meant: `MM:SS:00` read as `MM:SS`, when that is within the limit."""
    message = f"timestamp {target} is past {what}"
    m = _HOURS_AS_MINUTES.fullmatch(target)
    if m is None or (meant := int(m.group(1)) * 60 + int(m.group(2))) > limit:
        return message, None
    return f"{message}; did you mean {m.group(1)}:{m.group(2)} (minutes:seconds)?", meant


def _minutes_seconds(text: str, ts: Timestamp, seconds: int) -> Fix | None:
    """Unsafe: read `MM:SS:00` as `00:MM:SS` in the target and in the shown time. Only when
    the target is written once in the timestamp and the shown time (if any) agrees with it."""
    if ts.shown is not None and ts.shown_seconds != ts.seconds:
        return None
    written = ts.target.removeprefix("t=")
    shown = (ts.shown.start, ts.shown.end) if ts.shown else (ts.end, ts.end)
    found = [
        i
        for i in _occurrences(text, written, ts.start, ts.end)
        if i + len(written) <= shown[0] or i >= shown[1]
    ]
    if len(found) != 1:
        return None
    wanted = format_like(seconds, "00:00:00")
    edits = [Edit(found[0], found[0] + len(written), wanted)]
    if ts.shown is not None:
        edits.append(Edit(*shown, format_like(seconds, text[shown[0] : shown[1]])))
    return Fix(tuple(edits), safe=False, title=f"Read {written} as {wanted}")


def _occurrences(text: str, word: str, start: int, end: int) -> Iterator[int]:
    i = text.find(word, start, end)
    while i >= 0:
        yield i
        i = text.find(word, i + 1, end)


# A well-formed timestamp for the order check: (start, seconds, what it plays, the timestamp).
_Moment = tuple[int, float | None, object, "Timestamp | PlainAnchor"]


def _moments(plain: list[PlainAnchor], others: list[Timestamp], video: str | None) -> list[_Moment]:
    """The well-formed timestamps, in the order of the text (`others` sorted)."""
    own = ("video", video)
    moments: list[_Moment] = [(p[0].start, p[1], own, p) for p in plain]
    if others:
        moments += [
            (ts.start, ts.seconds, _source(ts, video), ts) for ts in others if ts.error is None
        ]
        moments.sort(key=_FIRST)
    return moments


def _source(ts: Timestamp, video: str | None) -> tuple[str, str | None]:
    """What a timestamp plays: a media file, or a video (the note's own when it names none)."""
    return ("file", ts.file.casefold()) if ts.file else ("video", ts.video or video)


def _order(note: Note, moments: list[_Moment], scopes: _Scopes) -> Iterator[Report]:
    """Each timestamp against the one before it of the same video, when that one is in the
    same scope. They come in the order of the text, and a scope is a stretch of it: the last
    timestamp of a video before this one is the last of its scope, if that holds both."""
    last: dict[object, _Moment] = {}
    for moment in moments:
        start, seconds, source, _ = moment
        before = last.get(source)
        last[source] = moment
        if before is None or before[1] is None or seconds is None or seconds >= before[1]:
            continue
        noun = scopes.shared(before[0], start)
        if noun is not None:
            yield _backwards(note, _where(moment[3]), _where(before[3]), noun)


def _order_plain(note: Note, plain: list[PlainAnchor], scopes: _Scopes) -> Iterator[Report]:
    """`_order` when every timestamp is a plain anchor: all are of the note's own video."""
    before, earlier = None, -1.0
    for a, seconds in plain:
        if seconds < earlier and before is not None:
            noun = scopes.shared(before.start, a.start)
            if noun is not None:
                yield _backwards(note, _where_plain(a), _where_plain(before), noun)
        before, earlier = a, seconds


# A timestamp for the order message: where it is, and its target as written.
_Where = tuple[int, int, str]


def _where(stamp: Timestamp | PlainAnchor) -> _Where:
    if isinstance(stamp, Timestamp):
        return stamp.start, stamp.end, stamp.target
    return _where_plain(stamp[0])


def _where_plain(a: HtmlAnchor) -> _Where:
    return a.start, a.end, a.data_t or ""


def _backwards(note: Note, ts: _Where, before: _Where, noun: str) -> Report:
    """`ts` comes before `before`, the timestamp before it in its scope (a `noun`)."""
    line = note.lines.position(before[0])[0]
    return Report(
        ORDER,
        ts[0],
        ts[1],
        f"timestamp {ts[2]} comes before {before[2]}, the timestamp before it "
        f"in this {noun} (line {line})",
    )


class _Scopes:
    """The scopes of a note, each a stretch of its text: `shared(before, pos)` says what to
    call the scope holding both offsets (`before <= pos`), or None when they are in different
    scopes. This one is the whole note."""

    def __init__(self, note: Note) -> None:
        self.note = note

    def shared(self, before: int, pos: int) -> str | None:
        return "note"


class _Lazy(_Scopes):
    """Scopes of a kind, made when first asked about: most timestamps never go back."""

    def __init__(self, kind: type[_Scopes], note: Note) -> None:
        super().__init__(note)
        self.kind = kind
        self.scopes: _Scopes | None = None

    def shared(self, before: int, pos: int) -> str | None:
        if self.scopes is None:
            self.scopes = self.kind(self.note)
        return self.scopes.shared(before, pos)


class _Sections(_Scopes):
    """The parts of the note between headings."""

    def __init__(self, note: Note) -> None:
        super().__init__(note)
        self.starts = [h.start for h in note.body.headings]

    def shared(self, before: int, pos: int) -> str | None:
        starts = self.starts
        return "section" if bisect_right(starts, before) == bisect_right(starts, pos) else None


class _Paragraphs(_Scopes):
    """Leaf blocks (a paragraph, a list item's text, a heading); each row of a table is a
    paragraph of its own."""

    def __init__(self, note: Note) -> None:
        super().__init__(note)
        self.starts = [span.start for span in note.body.prose]
        self.headers: dict[int, int | None] = {}  # the line of each block's table header

    def shared(self, before: int, pos: int) -> str | None:
        k = bisect_right(self.starts, pos)
        if k and self.starts[k - 1] > before:
            return None  # a block starts between them
        block = k - 1  # (-1, before the first block: as bisect says)
        if block in self.headers:
            header = self.headers[block]
        else:
            header = self.headers[block] = self._table_header(block)
        if header is None:
            return "paragraph"
        line = self.note.lines.position(pos)[0]
        if line < header:
            return "paragraph"  # lines above the table's header row
        return "table row" if self.note.lines.position(before)[0] == line else None

    def _table_header(self, block: int) -> int | None:
        """The line of the header row when the block holds a table: a delimiter row with a
        `|`, on a line after the first."""
        span = self.note.body.prose[block]
        text = self.note.text
        second_line = text.find("\n", span.start, span.end)
        if second_line < 0 or text.find("|", second_line, span.end) < 0:
            return None
        for m in _DELIMITER_ROW.finditer(text, span.start, span.end):
            if "|" in m.group() and m.start() > span.start:
                return self.note.lines.position(m.start())[0] - 1
        return None


_SCOPES = {"note": _Scopes, "section": _Sections, "paragraph": _Paragraphs}
