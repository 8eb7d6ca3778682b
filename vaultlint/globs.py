"""Gitignore-style globs on vault-relative paths: `**` crosses folders, `*` does not.

A pattern without '/' matches a file or folder name at any depth (`*.canvas`, `templates`); a
pattern with '/' is anchored at the vault root (`daily/**`, `/inbox/*.md`). A pattern that
matches a folder matches everything in it. `?` and sets (`[abc]`, `[!abc]`) match one character
other than '/'.

Globs compile to regular expressions. Translated naively, a glob with several stars backtracks
for ever on a long name it does not match (`*a*a*a*a*a*a*a*a*b` against sixty `a`s): every way
of sharing the name out among the stars is tried. So redundant wildcards are merged (`**/**/`
is `**/`), and a star followed by fixed characters and another star takes the first place
those characters occur, for good, in an atomic group (as `fnmatch` does): a later place could
only leave the next star less to match.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator

# Token kinds: one character (a literal, `?`, a set), `*`, `**`, and `**/`.
_ONE, _STAR, _ANY, _DIRS = "one", "star", "any", "dirs"
_REGEX = {_STAR: "[^/]*", _ANY: ".*", _DIRS: "(?:.*/)?"}
_LAZY = {_STAR: "[^/]*?", _ANY: ".*?", _DIRS: "(?:.*?/)??"}  # shortest first
_MERGED = {  # two wildcards in a row that match what one of them matches
    (_STAR, _STAR): _STAR, (_ANY, _ANY): _ANY, (_DIRS, _DIRS): _DIRS,
    (_STAR, _ANY): _ANY, (_ANY, _STAR): _ANY, (_ANY, _DIRS): _ANY, (_DIRS, _ANY): _ANY,
}  # fmt: skip


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern), re.S)


def translate(pattern: str, safe: bool = True) -> str:
    """The regex of a glob; `safe=False`: the naive translation (the tests compare them)."""
    pat = pattern.strip()
    anchored = "/" in pat.rstrip("/")
    tokens = _tokens(pat.strip("/"))
    if not anchored:
        tokens.insert(0, (_DIRS, _REGEX[_DIRS]))
    if safe:
        tokens = _merge(tokens)
    return _emit(tokens, safe) + "(?:/.*)?"


def _tokens(pat: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append((_DIRS, _REGEX[_DIRS]))
            i += 3
            continue
        if pat.startswith("**", i):
            out.append((_ANY, _REGEX[_ANY]))
            i += 2
            continue
        if c == "*":
            out.append((_STAR, _REGEX[_STAR]))
        elif c == "?":
            out.append((_ONE, "[^/]"))
        elif c == "[":
            close = pat.find("]", i + 1)
            if close < 0:
                out.append((_ONE, re.escape(c)))
            else:
                body = pat[i + 1 : close].replace("\\", "\\\\")
                if body.startswith("!"):  # a set never matches '/', as in gitignore
                    out.append((_ONE, f"[^/{body[1:]}]"))
                else:
                    out.append((_ONE, f"(?!/)[{body}]"))
                i = close
        else:
            out.append((_ONE, re.escape(c)))
        i += 1
    return out


def _merge(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for token in tokens:
        merged = _MERGED.get((out[-1][0], token[0])) if out else None
        if merged:
            out[-1] = (merged, _REGEX[merged])
        else:
            out.append(token)
    return out


def _emit(tokens: list[tuple[str, str]], safe: bool) -> str:
    out = []
    i = 0
    while i < len(tokens):
        kind, regex = tokens[i]
        end = i + 1
        while end < len(tokens) and tokens[end][0] == _ONE:
            end += 1
        fixed = [r for _, r in tokens[i + 1 : end]]
        if safe and kind != _ONE and fixed and end < len(tokens):
            atomic = _first_is_best(kind, fixed, tokens[end][0])
        else:
            atomic = False
        if atomic:
            out.append(f"(?>{_LAZY[kind]}{''.join(fixed)})")
            i = end
        else:
            out.append(regex)
            i += 1
    return "".join(out)


def _first_is_best(star: str, fixed: list[str], after: str) -> bool:
    """Whether `star` may take the first place `fixed` matches, given the wildcard `after`
    the characters: that wildcard must match whatever a later place would have left it too.
    `**` always can; `**/` can when the characters end with '/'; `*` can after `*` when the
    characters hold no '/' (no other can match one)."""
    if after == _ANY:
        return True
    if after == _DIRS:
        return fixed[-1] == "/"
    return star == after == _STAR and not any(re.fullmatch(r, "/") for r in fixed)


def check_glob(pattern: str) -> str:
    """`pattern`, if it compiles; else a ValueError that says why (for the config)."""
    try:
        compile_glob(pattern)
    except re.error as exc:
        raise ValueError(f"invalid glob {pattern!r}: {exc.msg}") from None
    return pattern


Glob = Annotated[str, AfterValidator(check_glob)]  # a config value that must be a glob


def matches(pattern: str, path: str) -> bool:
    """Whether vault-relative `path` (or a folder above it) matches `pattern`."""
    return compile_glob(pattern).fullmatch(path) is not None


def matches_any(patterns: list[str] | tuple[str, ...], path: str) -> bool:
    return _any_of(tuple(patterns)).fullmatch(path) is not None


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for several globs (the walk tests every file of the vault against them)."""
    if not patterns:
        return re.compile("(?!)")
    return re.compile("|".join(f"(?:{translate(p)})" for p in patterns), re.S)
