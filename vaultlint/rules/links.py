"""VL101-VL106: links whose target, heading or block does not exist, is ambiguous, or is empty."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from vaultlint.diagnostics import Severity
from vaultlint.markdown.model import Heading, Link
from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule, VaultContext
from vaultlint.vault import NOTE_SUFFIX, Resolution, fold

BROKEN_LINK = Rule("VL101", "broken-link", "A link to a note that does not exist in the vault.")
BROKEN_HEADING = Rule(
    "VL102", "broken-heading-link", "A link to a heading that the target note does not have."
)
BROKEN_BLOCK = Rule("VL103", "broken-block-link", "A link to a block id the note does not have.")
MISSING_ATTACHMENT = Rule(
    "VL104", "missing-attachment", "An embed or link to a non-note file that does not exist."
)
AMBIGUOUS = Rule(
    "VL105",
    "ambiguous-link",
    "A bare name that matches files in several folders.",
    severity=Severity.WARNING,
)
EMPTY = Rule("VL106", "empty-link", "A link with nothing to link to: `[[]]`, `[[#]]`, `[]()`.")
RESOLVING = (BROKEN_LINK, BROKEN_HEADING, BROKEN_BLOCK, MISSING_ATTACHMENT, AMBIGUOUS)

if TYPE_CHECKING:
    from vaultlint.facts import NoteFacts

T = TypeVar("T")
_NON_ALNUM = re.compile(r"[\W_]+")


def loose_key(name: str) -> str:
    """A name with case, spaces, underscores, hyphens and punctuation ignored."""
    return _NON_ALNUM.sub("", fold(name))


def heading_key(text: str) -> str:
    """Headings and link subpaths compare with punctuation and spacing folded (both the old
    and the new Obsidian spellings of a heading link match) and without case."""
    return " ".join(_NON_ALNUM.sub(" ", fold(text)).split())


def check_empty(note: Note, ctx: Context) -> Iterator[Report]:
    """VL106: needs only the note itself."""
    for link in note.links:
        if link.empty:
            yield Report(EMPTY, link.start, link.end, f"empty link {_shown(note, link)}")


def check(note: NoteFacts, ctx: VaultContext) -> Iterator[Report]:
    """VL101-VL105: resolve every link against the index and the facts of its target."""
    attachments = set(ctx.settings.links.attachments)
    for link in note.links:
        if link.empty:
            continue
        if link.target:
            res = _resolve(link.target, note.path, ctx)
            if res.path is None:
                yield _missing(note, link, attachments, ctx)
                continue
            if res.candidates and "/" not in link.target:
                yield _ambiguous(link, res)
            target = res.path
        else:
            target = note.path
        if link.subpath is None or not target.lower().endswith(NOTE_SUFFIX):
            continue  # `#page=3` on a PDF or `#outline` on an image is not an anchor
        sub = link.subpath.strip()
        if not sub or sub == "^":
            continue
        target_note = ctx.facts(target)
        if target_note is None:
            continue  # unreadable: VL001 is reported on it
        name = posixpath.basename(target)[: -len(NOTE_SUFFIX)]
        if sub.startswith("^"):
            block = sub[1:].strip()
            if block.casefold() not in target_note.block_ids:
                yield Report(BROKEN_BLOCK, link.start, link.end, f'no block "^{block}" in "{name}"')
        else:
            problem = _heading_problem(target_note.headings, target_note.heading_keys, sub)
            if problem:
                yield Report(BROKEN_HEADING, link.start, link.end, f'{problem} in "{name}"')


def _resolve(target: str, source: str, ctx: VaultContext) -> Resolution:
    """The index's resolution, memoised: a name resolves alike from every note of a folder."""
    memo: dict[tuple[str, str], Resolution] = ctx.cache.setdefault("resolutions", {})  # type: ignore[assignment]
    key = (target, posixpath.dirname(source))
    found = memo.get(key)
    if found is None:
        found = memo[key] = ctx.index.resolve(target, source)
    return found


def _shown(note: Note, link: Link) -> str:
    text = note.text[link.start : link.end]
    return f'"{text}"' if len(text) <= 60 else f'"{text[:57]}..."'


def _is_attachment(target: str, attachments: set[str]) -> bool:
    base = posixpath.basename(target)
    return "." in base and base.rsplit(".", 1)[1].lower() in attachments


def _missing(note: NoteFacts, link: Link, attachments: set[str], ctx: VaultContext) -> Report:
    target = link.target
    if _is_attachment(target, attachments):
        hint = _other_extension(target, ctx)
        return Report(MISSING_ATTACHMENT, link.start, link.end, f'no file "{target}"{hint}')
    if target.startswith(("./", "../")):
        message = f'no note "{target}" relative to "{posixpath.dirname(note.path) or "/"}"'
    else:
        message = f'no note "{target}"{_suggest_note(target, ctx)}'
    return Report(BROKEN_LINK, link.start, link.end, message)


def _other_extension(target: str, ctx: VaultContext) -> str:
    base = posixpath.basename(target)
    stem = base.rsplit(".", 1)[0]
    others = [
        n for n in _memo(ctx, "files-by-stem", _files_by_stem).get(fold(stem), []) if n != base
    ]
    return f' (found "{others[0]}")' if others else ""


def _suggest_note(target: str, ctx: VaultContext) -> str:
    """Why the name does not resolve, and what was probably meant."""
    memo: dict[str, str] = ctx.cache.setdefault("link-suggestions", {})  # type: ignore[assignment]
    key = fold(target)
    if key not in memo:
        memo[key] = _suggestion(target, ctx)
    return memo[key]


def _suggestion(target: str, ctx: VaultContext) -> str:
    name = posixpath.basename(target)
    if name.lower().endswith(NOTE_SUFFIX):
        name = name[: -len(NOTE_SUFFIX)]
    owner = _memo(ctx, "alias-owners", _alias_owners).get(fold(name))
    if owner:
        return f' ("{name}" is an alias of "{owner}": write [[{owner}|{name}]])'
    if "/" in target:
        elsewhere = ctx.index.notes_named(name)
        if elsewhere:
            return f' (found "{elsewhere[0]}": the folder differs)'
    same_stem = _memo(ctx, "files-by-stem", _files_by_stem).get(fold(name), [])
    attachment = next((n for n in same_stem if not n.lower().endswith(NOTE_SUFFIX)), None)
    if attachment:
        return f' (did you mean "{attachment}"? files other than notes need their extension)'
    near = _memo(ctx, "loose-names", _loose_names).get(loose_key(name))
    if near:
        return f' (did you mean "{near}"? the names differ only in {_differences(name, near)})'
    folded = _memo(ctx, "folded-names", lambda c: {fold(n): n for n in c.index.note_names()})
    close = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.8)
    if close:
        return f' (did you mean "{folded[close[0]]}"?)'
    return ""


def _differences(written: str, existing: str) -> str:
    """What separates two names that are equal once case and punctuation are ignored."""
    kinds = []
    if _NON_ALNUM.sub("", written) != _NON_ALNUM.sub("", existing):
        kinds.append("case")
    seps_a = "".join(_NON_ALNUM.findall(written))
    seps_b = "".join(_NON_ALNUM.findall(existing))
    if seps_a != seps_b:
        pair = {frozenset(seps_a), frozenset(seps_b)}
        spaces_underscores = pair == {frozenset(" "), frozenset("_")}
        kinds.append("spaces vs underscores" if spaces_underscores else "spacing and punctuation")
    return " and in ".join(kinds) or "case"


def _memo(ctx: VaultContext, key: str, build: Callable[[VaultContext], T]) -> T:
    """A lookup table built on first need and kept for the run."""
    table = ctx.cache.get(key)
    if table is None:
        table = ctx.cache[key] = build(ctx)
    return table  # type: ignore[return-value]


def _alias_owners(ctx: VaultContext) -> dict[str, str]:
    """fold(alias) -> the name of the note that declares it."""
    owners: dict[str, str] = {}
    for path, aliases in sorted(ctx.aliases().items()):
        for alias in aliases:
            owners.setdefault(fold(alias), posixpath.basename(path)[: -len(NOTE_SUFFIX)])
    return owners


def _loose_names(ctx: VaultContext) -> dict[str, str]:
    """loose_key(name) -> a note name."""
    names: dict[str, str] = {}
    for name in ctx.index.note_names():
        names.setdefault(loose_key(name), name)
    return names


def _files_by_stem(ctx: VaultContext) -> dict[str, list[str]]:
    """fold(name without extension) -> file names (`chart` -> [`chart.png`, `chart.md`])."""
    stems: dict[str, list[str]] = {}
    for path in ctx.index.files:
        base = posixpath.basename(path)
        stems.setdefault(fold(base.rsplit(".", 1)[0]), []).append(base)
    return stems


def _ambiguous(link: Link, res: Resolution) -> Report:
    others = ", ".join(f'"{c}"' for c in res.candidates if c != res.path)
    message = (
        f'"{link.target}" matches {len(res.candidates)} files; Obsidian opens "{res.path}" '
        f"(also {others}); write the folder path to make it explicit"
    )
    return Report(AMBIGUOUS, link.start, link.end, message)


def _heading_problem(headings: list[Heading], keys: list[str], subpath: str) -> str | None:
    """None if the heading (or chain `A#B`, B under A) exists; else what is wrong."""
    parts = [p for p in subpath.split("#") if p.strip()]
    want = [heading_key(p) for p in parts]
    if _chain(headings, keys, want, 0, len(headings), 0):
        return None
    if any(h.raw for h in headings):  # a comment in a heading: accept its text as written too
        written = [heading_key(h.raw or h.text) for h in headings]
        if _chain(headings, written, want, 0, len(headings), 0):
            return None
    missing = [p for p, w in zip(parts, want, strict=True) if w not in keys]
    if missing:
        shown = missing[-1].strip()
        close = difflib.get_close_matches(heading_key(shown), keys, n=1, cutoff=0.75)
        hint = ""
        if close:
            hint = f' (did you mean "{headings[keys.index(close[0])].text}"?)'
        return f'no heading "{shown}"{hint}'
    return 'no heading chain "' + " > ".join(p.strip() for p in parts) + '" (not nested that way)'


def _chain(
    headings: list[Heading], keys: list[str], want: list[str], lo: int, hi: int, k: int
) -> bool:
    """Whether want[k:] is found as a chain of nested headings within headings[lo:hi]."""
    if k == len(want):
        return True
    for i in range(lo, hi):
        if keys[i] != want[k]:
            continue
        end = i + 1
        while end < hi and headings[end].level > headings[i].level:
            end += 1
        if _chain(headings, keys, want, i + 1, end, k + 1):
            return True
    return False
