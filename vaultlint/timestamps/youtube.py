"""YouTube URLs: which video, and which moment."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_SITES = ("youtube.com", "youtube-nocookie.com")
_SHORT = ("youtu.be", "www.youtu.be")
_ID_PATHS = ("embed", "shorts", "live", "v", "e")
_TIME_KEYS = ("t", "start")
# Where a URL may hold one of them: a key in the query or fragment, perhaps with no value, or
# anything `urlsplit` and `parse_qs` decode. Most YouTube links in notes hold no time: they
# are not parsed.
_MAYBE_TIME = re.compile(r"[?&#](?:t|start)(?:[=&#]|$)|[%\t\r\n]")


def youtube_time(url: str) -> tuple[str | None, str, str, bool] | None:
    """(video id or None, the time's key, its value, whether it is in the `#` fragment) of a
    YouTube URL that carries `t=`, `start=` or `#t=`; None for any other URL."""
    if not _MAYBE_TIME.search(url):
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    path = [p for p in parts.path.split("/") if p]
    query = parse_qs(parts.query, keep_blank_values=True)
    if host in _SHORT:
        video = path[0] if path else None
    elif any(host == site or host.endswith("." + site) for site in _SITES):
        if path[:1] == ["watch"]:
            video = query.get("v", [None])[0]
        else:
            video = path[1] if len(path) >= 2 and path[0] in _ID_PATHS else None
    else:
        return None
    video = video or None
    for key in _TIME_KEYS:
        if key in query:
            return video, key, query[key][0], False
    fragment = parse_qs(parts.fragment, keep_blank_values=True)
    if "t" in fragment:
        return video, "t", fragment["t"][0], True
    return None
