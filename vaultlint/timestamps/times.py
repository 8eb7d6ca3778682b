"""Times as timestamps write them: parsing to seconds, and writing seconds back."""

from __future__ import annotations

import functools
import math
import re

_VALID_CLOCK = re.compile(r"(\d+)(?::([0-5]\d))?(?::([0-5]\d))?(\.\d+)?")
_DIGITS = re.compile(r"\d+")
_FRACTION = re.compile(r"\d+(?:\.\d+)?")
_YOUTUBE = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", re.I)
_ISO = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.I)


class TimeError(ValueError):
    """A time that does not parse; the message says why."""


MAX_DIGITS = 9  # in a number of a time: 999,999,999 seconds is over 31 years


# A note holds dozens of timestamps, a vault some thousands of distinct ones (one per second
# of its longest video, in each way of writing it): the caches hold that many.
@functools.lru_cache(maxsize=1 << 15)
def parse_clock(text: str, fraction: bool = False) -> float:
    """Seconds in `S`, `M:SS`, `MM:SS`, `H:MM:SS` or `HH:MM:SS`: fields after the first are two
    digits below 60. `fraction` allows a decimal part on the seconds (media fragments)."""
    m = _VALID_CLOCK.fullmatch(text)
    if m is None or (m.group(4) and not fraction):
        raise TimeError(_clock_problem(text, fraction))
    if len(m.group(1)) > MAX_DIGITS:
        raise TimeError(_TOO_LONG)
    return _seconds(m)


@functools.lru_cache(maxsize=1 << 15)
def clock_seconds(text: str) -> float | None:
    """`parse_clock` without a fraction, None instead of an error: for the common case, where
    an error message is not needed."""
    m = _VALID_CLOCK.fullmatch(text)
    if m is None or m.group(4) or len(m.group(1)) > MAX_DIGITS:
        return None
    return _seconds(m)


_TOO_LONG = f"a number of more than {MAX_DIGITS} digits"


def _seconds(m: re.Match[str]) -> float:
    first, minutes, seconds, fraction = m.groups()
    total = float(int(first))
    if minutes is not None:
        total = total * 60 + int(minutes)
    if seconds is not None:
        total = total * 60 + int(seconds)
    return total + float(fraction) if fraction else total


def _clock_problem(text: str, fraction: bool) -> str:
    """Why `text` is not a clock time."""
    if not text:
        return "empty"
    fields = text.split(":")
    if len(fields) > 3:
        return f"{len(fields)} fields (a time is S, M:SS or H:MM:SS)"
    names = ("minutes", "seconds")[3 - len(fields) :]
    last_ok = (_FRACTION if fraction else _DIGITS).fullmatch(fields[-1])
    if last_ok and all(_DIGITS.fullmatch(f) for f in fields[:-1]):
        for name, field in zip(names, fields[1:], strict=True):
            whole = field.split(".")[0]
            if len(whole) != 2:
                return f"{name} must be two digits"
            if int(whole) >= 60:
                return f"{name} must be below 60"
    return "not a time (S, M:SS or H:MM:SS)"


def parse_youtube(text: str) -> float:
    """Seconds in a YouTube `t=`: `3723`, `3723s`, `1h2m3s`, `62m`; units after the first are
    below 60."""
    if not text:
        raise TimeError("empty")
    m = _YOUTUBE.fullmatch(text)
    if m is None:
        raise TimeError("not a YouTube time (3723, 3723s or 1h2m3s)")
    if any(g and len(g) > MAX_DIGITS for g in m.groups()):
        raise TimeError(_TOO_LONG)
    parts = [int(g) if g else None for g in m.groups()]
    given = [p for p in parts if p is not None]
    if any(p >= 60 for p in given[1:]):
        raise TimeError("minutes and seconds after a larger unit must be below 60")
    h, mi, s = (p or 0 for p in parts)
    return float(h * 3600 + mi * 60 + s)


def parse_duration(value: object) -> float | None:
    """A video length from frontmatter: seconds (YAML reads an unquoted `1:02:03` as 3723),
    `H:MM:SS`, `MM:SS` or ISO 8601 (`PT1H2M3S`). None if it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if 0 <= value < 10**MAX_DIGITS else None
    if isinstance(value, float):
        return value if value >= 0 and math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return parse_clock(text, fraction=True)
    except TimeError:
        pass
    m = _ISO.fullmatch(text)
    if m is None or not any(m.groups()):
        return None
    d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    seconds = ((d * 24 + h) * 60 + mi) * 60 + s
    return seconds if seconds < 10**MAX_DIGITS else None


def format_clock(seconds: float) -> str:
    """`H:MM:SS`, or `M:SS` under an hour."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@functools.lru_cache(maxsize=1 << 12)  # fixes of a vault's defects: a few models, many times
def format_like(seconds: float, model: str) -> str:
    """`seconds` written in the shape of the clock time `model` (`01:02:03`, `2:03`, `02:03`),
    with hours added when the time needs them."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    fields = model.split(":")
    width = len(fields[0])
    if len(fields) >= 3:
        return f"{h:0{width}d}:{m:02d}:{s:02d}"
    if h:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m:0{width}d}:{s:02d}"
