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
            res = ctx.index.resolve(link.target, note.path)
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
            problem = _heading_problem(ctx, target, target_note, sub)
            if problem:
                yield Report(BROKEN_HEADING, link.start, link.end, f'{problem} in "{name}"')


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
    for path in ctx.index.notes:
        target = ctx.facts(path)
        if target is not None:
            for alias in target.aliases:
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


def _heading_problem(ctx: VaultContext, target: str, facts: NoteFacts, subpath: str) -> str | None:
    """None if the heading (or chain `A#B`, B under A) exists in note `target`; else what is
    wrong. Answers are kept for the run: a table of contents links to each heading again."""
    memo: dict[tuple[str, str], str | None] = _memo(ctx, "heading-problems", lambda _: {})
    parts = [p for p in subpath.split("#") if p.strip()]
    want = [heading_key(p) for p in parts]
    key = (target, "#".join(want))
    if key not in memo:
        memo[key] = _find_heading(_heading_keys(ctx, target, facts), parts, want)
    return memo[key]


def _find_heading(
    found: tuple[_HeadingKeys, _HeadingKeys | None], parts: list[str], want: list[str]
) -> str | None:
    shown, written = found
    if shown.chain(want) or (written is not None and written.chain(want)):
        return None
    missing = [p for p, w in zip(parts, want, strict=True) if w not in shown.at]
    if missing:
        name = missing[-1].strip()
        close = difflib.get_close_matches(heading_key(name), list(shown.at), n=1, cutoff=0.75)
        hint = ""
        if close:
            hint = f' (did you mean "{shown.headings[shown.at[close[0]][0]].text}"?)'
        return f'no heading "{name}"{hint}'
    return 'no heading chain "' + " > ".join(p.strip() for p in parts) + '" (not nested that way)'


def _heading_keys(
    ctx: VaultContext, target: str, facts: NoteFacts
) -> tuple[_HeadingKeys, _HeadingKeys | None]:
    """The note's headings by key as shown and, when a heading holds a comment, as written
    (its text is accepted either way); made once per note and run."""
    memo: dict[str, tuple[_HeadingKeys, _HeadingKeys | None]]
    memo = _memo(ctx, "heading-keys", lambda _: {})
    if target not in memo:
        headings = facts.headings
        shown = _HeadingKeys(headings, [h.text for h in headings])
        written = None
        if any(h.raw for h in headings):
            written = _HeadingKeys(headings, [h.raw or h.text for h in headings])
        memo[target] = (shown, written)
    return memo[target]


class _HeadingKeys:
    """A note's headings with their keys, and where each key occurs."""

    def __init__(self, headings: list[Heading], texts: list[str]) -> None:
        self.headings = headings
        self.at: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            self.at.setdefault(heading_key(text), []).append(i)

    def chain(self, want: list[str], lo: int = 0, hi: int | None = None, k: int = 0) -> bool:
        """Whether want[k:] is found as a chain of nested headings within headings[lo:hi]."""
        if k == len(want):
            return True
        headings = self.headings
        hi = len(headings) if hi is None else hi
        for i in self.at.get(want[k], ()):
            if i < lo:
                continue
            if i >= hi:
                break
            if k + 1 == len(want):
                return True
            end = i + 1
            while end < hi and headings[end].level > headings[i].level:
                end += 1
            if self.chain(want, i + 1, end, k + 1):
                return True
        return False
