"""Gitignore-style globs on vault-relative paths: `**` crosses folders, `*` does not.

A pattern without '/' matches a file or folder name at any depth (`*.canvas`, `templates`); a
pattern with '/' is anchored at the vault root (`daily/**`, `/inbox/*.md`). A pattern that
matches a folder matches everything in it.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    pat = pattern.strip()
    anchored = "/" in pat.rstrip("/")
    pat = pat.strip("/")
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            close = pat.find("]", i + 1)
            if close < 0:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close
        else:
            out.append(re.escape(c))
        i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + "(?:/.*)?", re.S)


def matches(pattern: str, path: str) -> bool:
    """Whether vault-relative `path` (or a folder above it) matches `pattern`."""
    return compile_glob(pattern).fullmatch(path) is not None


def matches_any(patterns: list[str] | tuple[str, ...], path: str) -> bool:
    return any(matches(p, path) for p in patterns)
