"""Walking the vault and the vault index: every file, and how a link target resolves.

Resolution follows Obsidian (reference/obsidian-semantics.md, section 2): names match
case-insensitively after NFC normalisation; `.md` may be left off, other files need their
extension; a path with '/' is taken from the vault root; `./` and `../` are exact relative
lookups; several files with one name resolve to the exact vault path, then the one in the
linking note's folder, then the shortest path. Aliases never resolve a link.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.globs import matches_any

NOTE_SUFFIX = ".md"
_RESOLVED = 1 << 16  # targets whose resolution the index keeps, at most


def fold(name: str) -> str:
    """The form names are compared in: NFC, case-folded."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True, slots=True)
class WalkProblem:
    path: str
    reason: str
    unreadable_note: bool  # True: the path is a note to report VL001 on; else a warning


@dataclass(slots=True)
class Resolution:
    """Where a link target points. `path` is None when nothing matches."""

    path: str | None
    candidates: tuple[str, ...] = ()  # every file the bare name could mean, when several
    by_suffix: bool = False  # matched a partial folder path (`[[b/Note]]` -> `a/b/Note.md`)


def walk(root: Path, excludes: list[str]) -> tuple[list[str], list[WalkProblem]]:
    """Every file under `root` (vault-relative, '/' separators), skipping excluded and hidden
    entries.

    Symlinks, as Obsidian treats them: one to a folder inside the vault (or above it) is
    ignored, so nothing is seen twice and loops cannot happen; a symlinked file inside the vault
    is a file. Unlike Obsidian, a symlink that leaves the vault is not followed: vaultlint reads
    nothing outside the vault root.
    """
    files: list[str] = []
    problems: list[WalkProblem] = []
    root = root.resolve()
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.append(WalkProblem(rel or ".", f"cannot list folder: {exc.strerror}", False))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue  # Obsidian hides dot-files and dot-folders
            path = f"{rel}{name}"
            is_note = name.lower().endswith(NOTE_SUFFIX)
            if not _is_utf8(name):
                shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                problems.append(WalkProblem(shown, "file name is not valid UTF-8", is_note))
                continue
            if matches_any(excludes, path):
                continue
            try:
                if entry.is_symlink():
                    real = Path(entry.path).resolve()
                    if not real.exists():
                        problems.append(WalkProblem(path, "broken symlink", is_note))
                        continue
                    if not real.is_relative_to(root):
                        problems.append(
                            WalkProblem(path, "not followed: symlink out of the vault", False)
                        )
                        continue
                    if real.is_dir():
                        continue  # a folder of this vault seen through another name
                if entry.is_dir():
                    stack.append((entry.path, path + "/"))
                elif entry.is_file():
                    files.append(path)
            except RuntimeError:  # resolve() meets a symlink loop (Python < 3.13)
                problems.append(WalkProblem(path, "cannot read: symlink loop", is_note))
            except OSError as exc:
                reason = f"cannot read: {exc.strerror or exc}"
                problems.append(WalkProblem(path, reason, is_note))
    files.sort()
    return files, problems


def tracked_files(root: Path, excludes: list[str]) -> list[str]:
    """The files under `root` that git tracks (`git ls-files`: committed or staged), with the
    same hidden and excluded entries left out as `walk`. Raise ValueError when git can't list
    them (git missing, or `root` not in a work tree)."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached"],
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise ValueError(f"cannot run git: {exc.strerror or exc}") from None
    if listed.returncode != 0:
        message = listed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(message[-1] if message else f"git ls-files failed in {root}")
    files = set()
    for raw in listed.stdout.split(b"\0"):
        path = os.fsdecode(raw)
        hidden = any(part.startswith(".") for part in path.split("/"))
        if path and not hidden and _is_utf8(path) and not matches_any(excludes, path):
            files.add(path)
    return sorted(files)


def _is_utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (decoded by Python as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class VaultIndex:
    """Every file of the vault (notes and attachments), by path and by name."""

    root: Path
    files: list[str]
    notes: list[str] = field(init=False)
    _by_path: dict[str, str] = field(init=False)  # fold(path) -> path
    _by_name: dict[str, list[str]] = field(init=False)  # fold(name) -> paths
    _note_names: list[str] | None = field(init=False, default=None)
    _ties: dict[str, _Tie] = field(init=False, default_factory=dict)  # by first candidate
    # What a target as written resolves to from any folder, or the tie that picks it there
    # (a name is linked to from many folders); not relative targets.
    _resolved: dict[str, Resolution | _Tie] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.notes = [p for p in self.files if p.lower().endswith(NOTE_SUFFIX)]
        self._by_path = {}
        self._by_name = {}
        for path in self.files:
            self._by_path[fold(path)] = path
            self._by_name.setdefault(fold(posixpath.basename(path)), []).append(path)

    def note_names(self) -> list[str]:
        """Every note's name without `.md` (for suggestions)."""
        if self._note_names is None:
            names = {posixpath.basename(p)[: -len(NOTE_SUFFIX)] for p in self.notes}
            self._note_names = sorted(names)
        return self._note_names

    def notes_named(self, name: str) -> list[str]:
        """Notes called `name` (without `.md`), in any folder."""
        return list(self._by_name.get(fold(name + NOTE_SUFFIX), []))

    def resolve(self, target: str, source: str) -> Resolution:
        """Resolve a link target (the path part, no '#') written in note `source`."""
        return self.resolve_from(target, posixpath.dirname(source))

    def resolve_from(self, target: str, folder: str) -> Resolution:
        """Resolve a link target written in a note of `folder` (`""`: the vault root). The
        answer is shared: not to be changed."""
        known = self._resolved.get(target)
        if known is None:
            written = target
            target = unicodedata.normalize("NFC", target.strip())
            if target.startswith(("./", "../")):
                joined = posixpath.normpath(posixpath.join(folder, target))
                if joined.startswith("../") or joined == "..":
                    return Resolution(None)
                return Resolution(self._exact(joined))
            target = target.lstrip("/")
            if "/" in target:
                exact = self._exact(target)
                known = Resolution(exact) if exact else self._suffix(target)
            else:
                known = self._by_bare_name(target)
            if len(self._resolved) >= _RESOLVED:
                self._resolved.clear()
            self._resolved[written] = known
        if isinstance(known, _Tie):
            return Resolution(known.pick(folder), known.candidates)
        return known

    def _exact(self, path: str) -> str | None:
        return self._by_path.get(fold(path)) or self._by_path.get(fold(path + NOTE_SUFFIX))

    def _name_candidates(self, name: str) -> list[str]:
        return self._by_name.get(fold(name)) or self._by_name.get(fold(name + NOTE_SUFFIX)) or []

    def _by_bare_name(self, name: str) -> Resolution | _Tie:
        """The file `name` resolves to, or the tie of the files it names (see `_Tie.pick`)."""
        candidates = self._name_candidates(name)
        if not candidates:
            return Resolution(None)
        if len(candidates) == 1:
            return Resolution(candidates[0])
        tie = self._ties.get(candidates[0])
        if tie is None:
            tie = self._ties[candidates[0]] = _Tie(candidates)
        return tie

    def _suffix(self, target: str) -> Resolution:
        candidates = self._name_candidates(posixpath.basename(target))
        want = fold(target)
        tails = [
            c
            for c in candidates
            if fold(c).endswith("/" + want) or fold(c).endswith("/" + want + NOTE_SUFFIX)
        ]
        if not tails:
            return Resolution(None)
        chosen = min(tails, key=lambda p: (len(p), p))
        return Resolution(chosen, tuple(tails) if len(tails) > 1 else (), by_suffix=True)


class _Tie:
    """Files of one name, and which of them a bare link to the name opens from each folder:
    Obsidian's tie-break is the exact vault path (the file at the root: every candidate has
    the name), then the first in the linking note's folder, then the shortest path."""

    __slots__ = ("at_root", "candidates", "in_folder", "shortest")

    def __init__(self, candidates: list[str]) -> None:
        self.candidates = tuple(candidates)
        self.at_root = next((c for c in candidates if "/" not in c), None)
        self.in_folder: dict[str, str] = {}
        for c in candidates:
            self.in_folder.setdefault(c.rpartition("/")[0], c)
        self.shortest = min(candidates, key=lambda p: (len(p), p))

    def pick(self, folder: str) -> str:
        if self.at_root is not None:
            return self.at_root
        return self.in_folder.get(folder, self.shortest)
