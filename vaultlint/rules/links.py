"""VL101-VL106: links whose target, heading or block does not exist, is ambiguous, or is empty."""

from __future__ import annotations

import difflib
import functools
import heapq
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from vaultlint.diagnostics import Edit, Fix, Severity, edit_of, fix_of, maker
from vaultlint.markdown.model import Heading, Link
from vaultlint.markdown.rewrite import (
    LinkSource,
    plain_name,
    reads_back,
    reparse,
    retarget,
    unlinked,
    wiki_around,
)
from vaultlint.note import Note
from vaultlint.rules import Context, Report, Rule, VaultContext
from vaultlint.vault import NOTE_SUFFIX, Resolution, fold

BROKEN_LINK = Rule(
    "VL101", "broken-link", "A link to a note that does not exist in the vault.", fixable=True
)
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
    fixable=True,
)
EMPTY = Rule(
    "VL106",
    "empty-link",
    "A link with nothing to link to: `[[]]`, `[[#]]`, `[]()`.",
    fixable=True,
)
RESOLVING = (BROKEN_LINK, BROKEN_HEADING, BROKEN_BLOCK, MISSING_ATTACHMENT, AMBIGUOUS)

if TYPE_CHECKING:
    from vaultlint.facts import NoteAnchors, NoteFacts
    from vaultlint.vault import VaultIndex

T = TypeVar("T")
_NON_ALNUM = re.compile(r"[\W_]+")
MIN_FIX_LENGTH = 5  # names shorter than this (loose key) get no did-you-mean fix
_CLOSE = 0.75  # difflib's similarity for a did-you-mean by spelling


@dataclass(frozen=True, slots=True)
class Meant:
    """What a broken link probably meant: a hint for the message and, when there is exactly
    one candidate, the file to link to (`safe` when the link can only have meant it)."""

    hint: str = ""
    path: str | None = None
    safe: bool = False


def loose_key(name: str) -> str:
    """A name with case, spaces, underscores, hyphens and punctuation ignored."""
    return _NON_ALNUM.sub("", fold(name))


@functools.lru_cache(maxsize=1 << 16)  # a note's headings are keyed twice: VL402, and facts
def heading_key(text: str) -> str:
    """Headings and link subpaths compare with punctuation and spacing folded (both the old
    and the new Obsidian spellings of a heading link match) and without case."""
    return " ".join(_NON_ALNUM.sub(" ", fold(text)).split())


def check_empty(note: Note, ctx: Context) -> Iterator[Report]:
    """VL106: needs only the note itself."""
    for link in note.links:
        if link.empty:
            yield _empty(note, link)


def check(note: NoteFacts, ctx: VaultContext) -> Iterator[Report]:
    """VL101-VL105: resolve every link against the index and the facts of its target.

    What a link reports depends only on the link as written and the folder of its note (but
    for a link into the note itself, `[[#heading]]`), often not even on the folder: it is
    worked out once per run for each (a note's links recur in its folder, and names recur in
    the vault) and then only placed at each link's offsets."""
    folders = _folders(ctx)
    here = folders.at(posixpath.dirname(note.path))
    known, anywhere, resolutions = here.findings, folders.anywhere, here.resolutions
    texts, rows, asked = note.link_texts, note.table_rows, ctx.aliases_asked
    for i, link in enumerate(note.links):
        target = link.target
        if not target:
            if link.empty:
                continue
            found = _anchor_findings(link, note.path, ctx)
            if not found:
                continue
        else:
            res = resolutions.get(target) or here.resolve(target)
            if res.path and (not res.candidates or "/" in target):  # one file
                if link.subpath is None:
                    continue  # most links
                found = _anchor_findings(link, res.path, ctx)
                if not found:
                    continue
            else:  # a missing or an ambiguous target: the same answers recur
                if res.path is None and asked is not None:
                    asked.add(target)  # a first pass: its hint assumes the name is no alias
                key: str | tuple[str, bool, bool] = texts[i]
                if link.in_frontmatter or i in rows:
                    key = (texts[i], link.in_frontmatter, i in rows)
                kept = known.get(key)
                if kept is None:
                    kept = anywhere.get(key)
                    if kept is None:
                        kept = _findings(note, link, i, res, here, ctx)
                        folders.remember(here, key, kept, _anywhere(target, kept))
                found = kept
        start, end = link.start, link.end
        for rule, message, fix in found:
            if fix is None:
                yield _report_of((rule, start, end, message, None))
            else:
                new, safe, title = fix
                edits = (edit_of((start, end, new)),)
                yield _report_of((rule, start, end, message, fix_of((edits, safe, title))))


_report_of = maker(Report)  # a run can report 100,000 links


# What a link reports, wherever it is: its rule, message and fix (the new text of the link,
# whether the fix is safe, its title).
Finding = tuple[Rule, str, tuple[str, bool, str] | None]
_MAX_KNOWN = 1 << 15  # links as written whose findings are kept, in all folders


class _Here:
    """What is known of the links written in one folder: how each target resolves from it,
    and what each link as written reports."""

    __slots__ = ("ambiguous", "arounds", "findings", "folder", "index", "names", "resolutions")

    def __init__(self, folder: str, folders: _Folders) -> None:
        self.folder = folder
        self.index = folders.index
        self.arounds = folders.arounds
        self.resolutions: dict[str, Resolution] = {}
        self.findings: dict[object, tuple[Finding, ...]] = {}
        self.ambiguous: dict[str, str] = {}  # VL105's message, by target
        self.names: dict[str, _Name] = {}  # how a fix names each file, by path: `_link_to`

    def resolve(self, target: str) -> Resolution:
        """The index's resolution of `target` written here (a name resolves alike from every
        note of a folder)."""
        found = self.resolutions.get(target)
        if found is None:
            found = self.resolutions[target] = self.index.resolve_from(target, self.folder)
        return found


class _Folders:
    """A `_Here` for each folder, kept for the run: until `_MAX_KNOWN` links as written are
    known, then started again."""

    __slots__ = ("anywhere", "arounds", "by_folder", "index", "size")

    def __init__(self, index: VaultIndex) -> None:
        self.index = index
        self.by_folder: dict[str, _Here] = {}
        self.anywhere: dict[object, tuple[Finding, ...]] = {}  # what holds in every folder
        self.arounds: dict[tuple[str, bool], tuple[str, str, bool] | None] = {}  # `_retarget`
        self.size = 0

    def at(self, folder: str) -> _Here:
        found = self.by_folder.get(folder)
        if found is None:
            found = self.by_folder[folder] = _Here(folder, self)
        return found

    def remember(
        self, here: _Here, key: object, found: tuple[Finding, ...], anywhere: bool
    ) -> None:
        """Keep what link `key` written `here` reports: for every folder if `anywhere`."""
        if self.size >= _MAX_KNOWN:
            self.by_folder = {here.folder: here}
            self.anywhere.clear()
            self.arounds.clear()
            here.findings.clear()
            here.resolutions.clear()
            here.ambiguous.clear()
            here.names.clear()
            self.size = 0
        (self.anywhere if anywhere else here.findings)[key] = found
        self.size += 1


def _anywhere(target: str, found: tuple[Finding, ...]) -> bool:
    """Whether the findings of a link to missing `target` hold in every folder: it is not
    relative, and there is no fix (it is rewritten as the folder resolves the new target)."""
    if not found or found[0][0] is AMBIGUOUS or target.startswith(("./", "../")):
        return False
    return all(fix is None for _, _, fix in found)


def _folders(ctx: VaultContext) -> _Folders:
    return _memo(ctx, "link-folders", lambda c: _Folders(c.index))


def _findings(
    note: NoteFacts,
    link: Link,
    i: int,
    res: Resolution,
    here: _Here,
    ctx: VaultContext,
) -> tuple[Finding, ...]:
    """What link `i` of `note` reports, its target `res` being missing or ambiguous."""
    if res.path is None:
        return (_missing(link, note.source(i), here, ctx),)
    ambiguous = _ambiguous(link, note.source(i), res.path, res.candidates, here)
    if link.subpath is None:
        return (ambiguous,)
    return (ambiguous, *_anchor_findings(link, res.path, ctx))


def _anchor_findings(link: Link, target: str, ctx: VaultContext) -> tuple[Finding, ...]:
    """VL102, VL103: what `link` to note `target` reports of the heading or block it names."""
    if link.subpath is None or not target.lower().endswith(NOTE_SUFFIX):
        return ()  # `#page=3` on a PDF or `#outline` on an image is not an anchor
    sub = link.subpath.strip()
    if not sub or sub == "^":
        return ()
    if sub.startswith("^"):
        anchors = _anchors(ctx, target)
        block = sub[1:].strip()
        if anchors is not None and block.casefold() not in anchors.block_ids:
            return ((BROKEN_BLOCK, f'no block "^{block}" in "{_stem(target)}"', None),)
        return ()
    problems = _heading_problems(ctx)
    problem = problems.get((target, sub), "")
    if problem == "":  # not known yet (None: the heading is there)
        anchors = _anchors(ctx, target)
        if anchors is None:
            return ()  # unreadable: VL001 is reported on it
        problem = problems[target, sub] = _heading_problem(anchors, sub)
    if problem:
        return ((BROKEN_HEADING, f'{problem} in "{_stem(target)}"', None),)
    return ()


def anchored_notes(note: NoteFacts, index: VaultIndex) -> set[str]:
    """The other notes whose headings or block ids `check` looks up for `note`'s links."""
    found = set()
    for link in note.links:
        sub = (link.subpath or "").strip()
        if link.target and sub and sub != "^" and not link.empty:
            path = index.resolve(link.target, note.path).path
            if path is not None and path != note.path and path.lower().endswith(NOTE_SUFFIX):
                found.add(path)
    return found


def _shown(note: Note, link: Link) -> str:
    text = note.text[link.start : link.end]
    return f'"{text}"' if len(text) <= 60 else f'"{text[:57]}..."'


def _empty(note: Note, link: Link) -> Report:
    shown = unlinked(link)
    title = f'replace the link by "{shown}"' if shown else "remove the link"
    fix = Fix((Edit(link.start, link.end, shown),), False, title)
    return Report(EMPTY, link.start, link.end, f"empty link {_shown(note, link)}", fix)


class _Name(NamedTuple):
    """How a fix written in one folder names a file: by bare name when that is unambiguous
    there, else by its path."""

    name: str
    resolves: bool  # whether a link to `name` written there opens the file
    plain: bool  # see `plain_name`
    title: str  # the fix's


def _link_to(
    link: Link, source: LinkSource, path: str, safe: bool, here: _Here
) -> tuple[str, bool, str] | None:
    """A fix (as in `Finding`) pointing `link` written `here` at file `path` (see `_Name`),
    showing the reader the same text; None unless the rewritten link resolves to exactly
    that file."""
    named = here.names.get(path)
    if named is None:
        named = here.names[path] = _name(path, here)
    name = named.name
    if link.in_frontmatter and any(c in name for c in "\"'\\"):
        return None  # would need YAML quoting
    new, fits = _retarget(source, link, name, here)
    if new is None or "\n" in new:
        return None
    if fits and named.plain:  # the new link's target is `name`
        return (new, safe, named.title) if named.resolves else None
    again = reparse(link, new)
    if again is None or again.subpath != link.subpath:
        return None
    res = here.resolve(again.target)
    if res.path != path or (res.candidates and "/" not in again.target):
        return None
    return new, safe, named.title


def _name(path: str, here: _Here) -> _Name:
    full = path[: -len(NOTE_SUFFIX)] if path.lower().endswith(NOTE_SUFFIX) else path
    name = full.rpartition("/")[2]
    res = here.resolve(name)
    if res.path != path or res.candidates:
        name = full
        res = here.resolve(name)
    resolves = res.path == path and (not res.candidates or "/" in name)
    return _Name(name, resolves, plain_name(name), f'link to "{name}"')


def _retarget(source: LinkSource, link: Link, name: str, here: _Here) -> tuple[str | None, bool]:
    """`retarget(source, link, name)`, and whether the new link reads back as `name` and
    the link's subpath if the name is plain (`reads_back`). A wiki-link's text around its
    target is kept for the run (a link recurs in many folders, each pointing it at its own
    file)."""
    if link.kind != "wiki":
        return retarget(source, link, name), False
    key = (source.text, source.table_row)
    if key in here.arounds:
        around = here.arounds[key]
    else:
        found = wiki_around(source, link)
        around = here.arounds[key] = None if found is None else (*found, reads_back(found, link))
    if around is None:
        return None, False
    return around[0] + name + around[1], around[2]


def _is_attachment(target: str, attachments: set[str]) -> bool:
    base = posixpath.basename(target)
    return "." in base and base.rsplit(".", 1)[1].lower() in attachments


def _missing(link: Link, source: LinkSource, here: _Here, ctx: VaultContext) -> Finding:
    target = link.target
    if _is_attachment(target, _memo(ctx, "attachments", _attachments)):
        hint = _other_extension(target, ctx)
        return MISSING_ATTACHMENT, f'no file "{target}"{hint}', None
    if target.startswith(("./", "../")):
        return BROKEN_LINK, f'no note "{target}" relative to "{here.folder or "/"}"', None
    meant = _suggest_note(target, ctx)
    fix = _link_to(link, source, meant.path, meant.safe, here) if meant.path else None
    return BROKEN_LINK, f'no note "{target}"{meant.hint}', fix


def _attachments(ctx: VaultContext) -> set[str]:
    return set(ctx.settings.links.attachments)


def _other_extension(target: str, ctx: VaultContext) -> str:
    base = posixpath.basename(target)
    stem = base.rsplit(".", 1)[0]
    paths = _memo(ctx, "files-by-stem", _files_by_stem).get(fold(stem), [])
    others = [n for n in map(posixpath.basename, paths) if n != base]
    return f' (found "{others[0]}")' if others else ""


def _suggest_note(target: str, ctx: VaultContext) -> Meant:
    """Why the name does not resolve, and what was probably meant. Kept for the run by the
    name as written: the answer can name what differs in it (its case, its spaces)."""
    memo: dict[str, Meant] = _memo(ctx, "link-suggestions", lambda _: {})
    if target not in memo:
        memo[target] = _suggestion(target, ctx)
    return memo[target]


def alias_key(target: str) -> str:
    """What a broken link to `target` is looked up by among the aliases (`_alias_owners`)."""
    return fold(_bare_name(target))


def _bare_name(target: str) -> str:
    name = posixpath.basename(target)
    return name[: -len(NOTE_SUFFIX)] if name.lower().endswith(NOTE_SUFFIX) else name


def _suggestion(target: str, ctx: VaultContext) -> Meant:
    name = _bare_name(target)
    owners = _memo(ctx, "alias-owners", _alias_owners).get(fold(name))
    if owners:
        if len(owners) > 1:
            return Meant(f' ("{name}" is an alias of {_either(map(_stem, owners))})')
        owner = _stem(owners[0])
        return Meant(
            f' ("{name}" is an alias of "{owner}": write [[{owner}|{name}]])', owners[0], True
        )
    if "/" in target:
        elsewhere = ctx.index.notes_named(name)
        if elsewhere:
            only = elsewhere[0] if len(elsewhere) == 1 else None
            return Meant(f" (found {_either(elsewhere)}: the folder differs)", only)
    same_stem = _memo(ctx, "files-by-stem", _files_by_stem).get(fold(name), [])
    attachments = [p for p in same_stem if not p.lower().endswith(NOTE_SUFFIX)]
    if attachments:
        shown = _either(posixpath.basename(p) for p in attachments)
        only = attachments[0] if len(attachments) == 1 else None
        return Meant(f" (did you mean {shown}? files other than notes need their extension)", only)
    near = _memo(ctx, "loose-names", _loose_names).get(loose_key(name))
    if near:
        names = sorted({_stem(p) for p in near})
        if len(near) > 1:
            return Meant(f" (did you mean {_either(names)}? several notes have that name)")
        differ = _differences(name, names[0])
        return Meant(
            f' (did you mean "{names[0]}"? the names differ only in {differ})', near[0], True
        )
    return _close_name(name, ctx)


def _close_name(name: str, ctx: VaultContext) -> Meant:
    """A did-you-mean by similar spelling; a fix when one note alone is within a small edit
    distance (see `_max_distance`)."""
    folded = _memo(ctx, "folded-names", lambda c: {fold(n): n for n in c.index.note_names()})
    word = fold(name)
    candidates = _of_similar_length(ctx, len(word))
    close = [folded[c] for c in _close_matches(word, candidates, 5)]
    key = loose_key(name)
    within = [c for c in close if edit_distance(key, loose_key(c), _max_distance(key)) is not None]
    if len(within) == 1 and len(paths := ctx.index.notes_named(within[0])) == 1:
        return Meant(f' (did you mean "{within[0]}"?)', paths[0])
    shown = [c for c in close if difflib.SequenceMatcher(None, fold(name), fold(c)).ratio() >= 0.8]
    return Meant(f" (did you mean {_either(shown[:3])}?)") if shown else Meant()


def _close_matches(word: str, candidates: list[str], n: int) -> list[str]:
    """`difflib.get_close_matches(word, candidates, n, _CLOSE)`, the same answer in half the
    time: difflib's ratio counts characters matched in order, so no more than the longest
    common subsequence of the two strings, which is worked out first (on bits, one step a
    character: Hyyro's algorithm); a candidate that this leaves under `_CLOSE` is not given
    to difflib. Difflib's own quick bounds are no tighter, so they are not needed."""
    masks: dict[str, int] = {}
    for i, char in enumerate(word):
        masks[char] = masks.get(char, 0) | 1 << i
    length, every, mask = len(word), (1 << len(word)) - 1, masks.get
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    scored = []
    for candidate in candidates:
        row = every  # its 0 bits: the characters of `word` in a longest common subsequence
        for char in candidate:
            matched = row & mask(char, 0)
            row = (row + matched) | (row - matched)
        common = length - (row & every).bit_count()
        if 2.0 * common / (length + len(candidate)) < _CLOSE:
            continue
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= _CLOSE:
            scored.append((score, candidate))
    return [c for _, c in heapq.nlargest(n, scored)]


def _of_similar_length(ctx: VaultContext, length: int) -> list[str]:
    """The folded note names that can be `_CLOSE` to a word of `length` characters: difflib
    gives a pair at most 2 * shorter / (both lengths), so the others are not compared at all
    (the answers are the same; a vault of 100,000 notes has that many names to compare)."""
    by_length: dict[int, list[str]] = _memo(ctx, "names-by-length", _names_by_length)
    shortest = int(length * _CLOSE / (2 - _CLOSE)) - 1  # a margin for rounding
    longest = int(length * (2 - _CLOSE) / _CLOSE) + 1
    return [n for size in range(shortest, longest + 1) for n in by_length.get(size, ())]


def _names_by_length(ctx: VaultContext) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for folded in {fold(name) for name in ctx.index.note_names()}:
        found.setdefault(len(folded), []).append(folded)
    return found


def _max_distance(key: str) -> int:
    """Edits allowed for a did-you-mean fix: none below MIN_FIX_LENGTH, one up to 19
    characters, two beyond (names compared as `loose_key`s)."""
    if len(key) < MIN_FIX_LENGTH:
        return -1
    return 1 if len(key) < 20 else 2


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """Levenshtein distance of `a` and `b` if it is at most `limit`, else None."""
    if limit < 0 or abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


def _stem(path: str) -> str:
    """A note's name: the file name without `.md`."""
    return path.rpartition("/")[2][: -len(NOTE_SUFFIX)]


def _either(names: Iterable[str]) -> str:
    """`"a"`, `"a" or "b"`, `"a", "b" or "c"`."""
    quoted = [f'"{n}"' for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


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


def _answers(ctx: VaultContext, key: str, limit: int) -> dict[Any, Any]:
    """A memo of answers kept for the run, emptied when it holds `limit` of them: answers
    that keep another note's facts alive must not add up to the whole vault's."""
    memo: dict[Any, Any] = _memo(ctx, key, lambda _: {})
    if len(memo) >= limit:
        memo.clear()
    return memo


def _memo(ctx: VaultContext, key: str, build: Callable[[VaultContext], T]) -> T:
    """A lookup table built on first need and kept for the run."""
    table = ctx.cache.get(key)
    if table is None:
        table = ctx.cache[key] = build(ctx)
    return table  # type: ignore[return-value]


def _alias_owners(ctx: VaultContext) -> dict[str, list[str]]:
    """fold(alias) -> the notes that declare it."""
    owners: dict[str, list[str]] = {}
    for path, aliases in sorted(ctx.aliases().items()):
        for alias in {fold(a) for a in aliases}:
            owners.setdefault(alias, []).append(path)
    return owners


def _loose_names(ctx: VaultContext) -> dict[str, list[str]]:
    """loose_key(note name) -> the notes whose name has that key."""
    names: dict[str, list[str]] = {}
    keys: dict[str, str] = {}  # by name: names recur in folders
    for path in ctx.index.notes:
        stem = _stem(path)
        key = keys.get(stem)
        if key is None:
            key = keys[stem] = loose_key(stem)
        names.setdefault(key, []).append(path)
    return names


def _files_by_stem(ctx: VaultContext) -> dict[str, list[str]]:
    """fold(name without extension) -> file paths (`chart` -> [`img/chart.png`, `chart.md`])."""
    stems: dict[str, list[str]] = {}
    folded: dict[str, str] = {}  # by name: names recur in folders
    for path in ctx.index.files:
        stem = path.rpartition("/")[2].rsplit(".", 1)[0]
        key = folded.get(stem)
        if key is None:
            key = folded[stem] = fold(stem)
        stems.setdefault(key, []).append(path)
    return stems


_NAMED = 3  # other files an ambiguous-link message names: it stays one readable line


def _ambiguous(
    link: Link, source: LinkSource, opens: str, candidates: tuple[str, ...], here: _Here
) -> Finding:
    message = here.ambiguous.get(link.target)
    if message is None:
        message = here.ambiguous[link.target] = _ambiguity(link.target, opens, candidates)
    return AMBIGUOUS, message, _link_to(link, source, opens, True, here)


def _ambiguity(target: str, opens: str, candidates: tuple[str, ...]) -> str:
    others = []
    for c in candidates:
        if c != opens:
            others.append(f'"{c}"')
            if len(others) == _NAMED:
                break
    also = ", ".join(others)
    more = len(candidates) - candidates.count(opens) - _NAMED
    if more > 0:
        also += f" and {more} more"
    return (
        f'"{target}" matches {len(candidates)} files; Obsidian opens "{opens}" '
        f"(also {also}); write the folder path to make it explicit"
    )


def _heading_problems(ctx: VaultContext) -> dict[tuple[str, str], str | None]:
    """(note, heading subpath) -> what is wrong with a link to it, None if nothing; kept for
    the run (a table of contents links to each heading again), up to a bound."""
    return _answers(ctx, "heading-problems", 1 << 16)


def _heading_problem(anchors: _Anchors, subpath: str) -> str | None:
    """None if the heading (or chain `A#B`, B under A) exists in the note; else what is
    wrong."""
    parts = [p for p in subpath.split("#") if p.strip()]
    return _find_heading(anchors, parts, [heading_key(p) for p in parts])


def _find_heading(anchors: _Anchors, parts: list[str], want: list[str]) -> str | None:
    shown, written = anchors.shown, anchors.written
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


def _anchors(ctx: VaultContext, target: str) -> _Anchors | None:
    """What links can point to in note `target`, None if it can't be read; kept for the
    notes linked to most recently (links point mostly near them), so a note's facts are
    looked up once however many links point into it."""
    memo: dict[str, _Anchors | None] = _answers(ctx, "anchors", 1 << 11)
    if target not in memo:
        found = ctx.anchors(target)
        memo[target] = None if found is None else _Anchors(found)
    return memo[target]


class _Anchors:
    """A note's block ids, and its headings by key as shown and, when a heading holds a
    comment, as written (its text is accepted either way)."""

    def __init__(self, anchors: NoteAnchors) -> None:
        self.block_ids = anchors.block_ids
        headings = anchors.headings
        self.shown = _HeadingKeys(headings, anchors.heading_keys)
        self.written = None
        if any(h.raw for h in headings):
            self.written = _HeadingKeys(headings, [heading_key(h.raw or h.text) for h in headings])


class _HeadingKeys:
    """A note's headings with their keys, and where each key occurs."""

    def __init__(self, headings: list[Heading], keys: list[str]) -> None:
        self.headings = headings
        self.at: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            self.at.setdefault(key, []).append(i)

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
