"""Runs the rules over the notes to report, against an index of the whole vault.

A run has two parts. Each note to report on is checked on its own (`checker.py`): parsed, its
note rules run, its facts kept; that part comes from the cache when the note is unchanged. Then
the vault rules (links) run on the facts of every note involved, so they always see the vault
as it is now. Both parts run in worker processes when there are many notes (`parallel.py`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from vaultlint.cache import Cache, CacheError
from vaultlint.checker import FileKey, NoteChecker, NoteResult
from vaultlint.config import DEFAULT_EXCLUDE, Settings, validate_rule_codes
from vaultlint.diagnostics import SORT_KEY, Diagnostic
from vaultlint.facts import NoteAnchors
from vaultlint.globs import matches_any
from vaultlint.note import Note, Unreadable, normalise_newlines, parse_note, read_text
from vaultlint.parallel import MIN_PER_JOB, Task, Workers
from vaultlint.positions import LineIndex
from vaultlint.results import Results, from_rows, pack, without_collector
from vaultlint.rules import VaultContext
from vaultlint.rules.links import alias_key
from vaultlint.vault import NOTE_SUFFIX, VaultIndex, WalkProblem, fold, tracked_files, walk


class UsageError(Exception):
    """A problem with what the user asked for (paths, selectors): exit 2."""


class InternalError(Exception):
    """A bug met while checking one note: exit 2, naming the note."""


class Plan(NamedTuple):
    targets: list[str]  # the notes reported on (vault paths)
    # The state the run's result depends on (`Engine._fingerprint`); None without a cache.
    fingerprint: str | None


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    checked: int  # notes reported on
    notes: list[str] = field(default_factory=list)  # their vault paths


class Engine:
    def __init__(
        self,
        root: Path,
        settings: Settings,
        index_source: str = "fs",
        *,
        cache: bool = False,
        jobs: int = 1,
        edits: bool = True,
    ) -> None:
        """`index_source`: "fs" indexes every file in the vault folder, "git" only the files
        git tracks (`git ls-files`). `cache`: use `.vaultlint_cache/`. `jobs`: processes that
        check notes (1: all in this one). `edits=False`: the run reads of each diagnostic's
        fix only whether it is safe (it neither applies fixes nor shows them), so the workers
        may send a stand-in for it (`results.STAND_INS`); the cache always gets whole fixes."""
        validate_rule_codes(settings)
        self.root = root.resolve()
        self.settings = settings
        self.index_source = index_source
        self.jobs = max(1, jobs)
        self.checker = NoteChecker(self.root, settings)
        self.enabled = self.checker.enabled
        self.schemas = self.checker.schemas
        self._notes: dict[str, Note | Unreadable] = {}  # parsed in full (editors, `set_text`)
        self._set_texts: set[str] = set()  # notes whose text came from `set_text`, not the file
        self._results = Results()  # each note's own result, pickled
        self._root_text = str(self.root)
        self._stats: dict[str, tuple[int, int] | None] = {}
        self._reads: dict[str, list[str]] = {}  # what the workers said each note reads
        # The diagnostics the workers finished in the first pass, and the link targets whose
        # hints assumed they are no alias.
        self._final: dict[str, tuple[list[Diagnostic], list[str]]] = {}
        problems = self.rewalk()
        self.warnings = [f"{p.path}: {p.reason}" for p in problems if p.path not in self._notes]
        if self.schemas.warning:
            self.warnings.append(self.schemas.warning)
        self.cache: Cache | None = None
        if cache:
            try:
                self.cache = Cache(self.root, settings)
            except CacheError as exc:
                self.warnings.append(f"{exc}; running without it")
        self.checker.keyed = self.cache is not None  # without a cache, files are not hashed
        self._edits = edits or self.cache is not None

    def rewalk(self) -> list[WalkProblem]:
        """Walk the vault, again after files were created, deleted or renamed; what was read of
        notes still in the vault is kept (`forget` drops a note whose file changed)."""
        problems: list[WalkProblem] = []
        if self.index_source == "git":
            try:
                files = tracked_files(self.root, list(DEFAULT_EXCLUDE))
            except ValueError as exc:
                raise UsageError(f"--index-source git: {exc}") from None
        else:
            files, problems = walk(self.root, list(DEFAULT_EXCLUDE))
        self.index = VaultIndex(self.root, files)
        present = set(self.index.notes)
        self._notes = {p: n for p, n in self._notes.items() if p in present}
        self._results.keep_only(present)
        # Notes the walk could not take (a broken symlink, a name that is not UTF-8) are
        # reported as unreadable; other problems (a folder that can't be listed, a symlink out
        # of the vault) go to stderr.
        for problem in problems:
            if problem.unreadable_note:
                self._notes[problem.path] = Unreadable(problem.reason)
        self._all_notes = sorted({*self.index.notes, *self._notes})
        return problems

    # -- notes -------------------------------------------------------------------------------

    def load(self, path: str) -> Note | Unreadable:
        """The note parsed in full, kept for later calls (for editors and tools)."""
        cached = self._notes.get(path)
        if cached is None:
            try:
                cached = parse_note(path, read_text(self.root / path))
            except Unreadable as exc:
                cached = exc
            self._notes[path] = cached
        return cached

    def note(self, path: str) -> Note | None:
        loaded = self.load(path)
        return loaded if isinstance(loaded, Note) else None

    def line_text(self, path: str, line: int) -> str:
        """The text of 1-based `line` of note `path` ("" if unreadable or out of range)."""
        note = self._notes.get(path)
        if isinstance(note, Note):
            text, lines = note.text, note.lines
        else:  # read the file again (unreadable notes: the part that decodes)
            text, lines = self._text(path)
        if not 1 <= line <= len(lines.starts):
            return ""
        return text[lines.line_start(line - 1) : lines.line_end(line - 1)]

    @functools.lru_cache(maxsize=4)  # noqa: B019 - formats ask line after line of one note
    def _text(self, path: str) -> tuple[str, LineIndex]:
        try:
            raw = (self.root / path).read_bytes().decode("utf-8-sig", "replace")
        except OSError:
            raw = ""
        text = normalise_newlines(raw)
        return text, LineIndex(text)

    def set_text(self, path: str, text: str) -> None:
        """Take `text` as the content of note `path` (an editor's unsaved buffer) from now on,
        for checking that note and for every link into it."""
        cached = self._notes.get(path)
        if not (isinstance(cached, Note) and cached.text == normalise_newlines(text)):
            try:
                self._notes[path] = parse_note(path, text)
            except Unreadable as problem:
                self._notes[path] = problem
            self._results.pop(path)
        self._set_texts.add(path)

    def forget(self, path: str) -> None:
        """Drop what was read or set for note `path`: the next look at it reads the file."""
        self._notes.pop(path, None)
        self._results.pop(path)
        self._set_texts.discard(path)

    # -- choosing what to report on ----------------------------------------------------------
    def targets(self, paths: list[Path], force_exclude: bool = False) -> list[str]:
        """Vault-relative notes to report on. Whole vault by default; excludes apply to
        folders walked, and to files named explicitly only with `force_exclude`."""
        excludes = self.settings.exclude
        if not paths:
            return [p for p in self._all_notes if not matches_any(excludes, p)]
        chosen: list[str] = []
        for given in paths:
            absolute = Path(os.path.abspath(given))
            if not os.path.lexists(absolute):
                raise UsageError(f"{given}: no such file or folder")
            absolute = absolute.parent.resolve() / absolute.name if absolute.name else absolute
            try:
                rel = absolute.relative_to(self.root).as_posix()
            except ValueError:
                raise UsageError(f"{given}: not inside the vault {self.root}") from None
            rel = "" if rel == "." else rel
            if absolute.is_dir():
                prefix = rel + "/" if rel else ""
                chosen += [
                    p
                    for p in self._all_notes
                    if p.startswith(prefix) and not matches_any(excludes, p)
                ]
            elif rel.lower().endswith(NOTE_SUFFIX):
                if force_exclude and matches_any(excludes, rel):
                    continue
                chosen.append(rel)
        return sorted(set(chosen))

    def rules_for(self, path: str) -> set[str]:
        return set(self.checker.rules_for(path))

    # -- running -----------------------------------------------------------------------------

    def plan(self, paths: list[Path] | None = None, force_exclude: bool = False) -> Plan:
        """The notes `paths` choose, and the state of the vault a run on them depends on."""
        targets = self.targets(paths or [], force_exclude)
        self._stats.clear()
        return Plan(targets, self._fingerprint(targets))

    def run(
        self,
        paths: list[Path] | None = None,
        force_exclude: bool = False,
        progress: Callable[[int, int], None] | None = None,
        plan: Plan | None = None,
    ) -> RunResult:
        """Check the notes `paths` choose (or `plan`, just made for them); `progress(done,
        total)` is called as notes are done."""
        targets, fingerprint = plan or self.plan(paths, force_exclude)
        self._reads.clear()  # they depend on the index, which may have changed
        self._final.clear()
        by_note = self.cache.run_result(fingerprint) if self.cache and fingerprint else None
        if by_note is None:
            jobs = min(self.jobs, len(targets) // MIN_PER_JOB)
            workers = None if jobs < 2 else self._workers(jobs)
            # With workers, this process mostly makes diagnostics, which hold no cycles.
            quiet = without_collector() if workers else contextlib.nullcontext()
            with workers or contextlib.nullcontext(), quiet:
                self._prepare(targets, progress, workers)
                by_note = dict(self._diagnose(targets, workers))
            self._save(fingerprint, by_note)
        # Each note's diagnostics are sorted and the targets are in path order: so is this.
        found = [d for path in targets for d in by_note.get(path, ())]
        return RunResult(found, len(targets), targets)

    def _workers(self, jobs: int) -> Workers:
        """`jobs` worker processes for this run's settings, cache and report."""
        keyed = self.cache is not None
        return Workers(self.root, self.settings, self.index, jobs, keyed, self._edits)

    def _diagnose(
        self, targets: list[str], workers: Workers | None
    ) -> Iterator[tuple[str, list[Diagnostic]]]:
        """Each target's diagnostics, its own and the vault-wide ones, sorted, every result
        being known: by the workers when there are some."""
        if workers is None or self._set_texts:
            ctx = self._context()
            for path in targets:
                found = [*self._result(path).diagnostics, *self._vault_diagnostics(path, ctx)]
                yield path, sorted(found, key=SORT_KEY)
            return
        aliases = self.all_aliases(workers)
        final = self._finished(aliases)
        later = [path for path in targets if path not in final]
        diagnosed = workers.diagnose(self._tasks(later, workers, aliases))
        for path in targets:
            if path in final:
                yield path, final[path]
                continue
            done, rows, error = next(diagnosed)
            assert done == path, (done, path)
            if rows is None:
                raise InternalError(f"while checking {path}: {error}")
            yield path, from_rows(rows)  # sorted by the worker

    def _finished(self, aliases: dict[str, list[str]]) -> dict[str, list[Diagnostic]]:
        """The diagnostics the workers finished in the first pass; those whose broken-link
        hints assumed a name is no alias are dropped when it is one."""
        final, self._final = self._final, {}
        keys = {fold(alias) for found in aliases.values() for alias in found}
        return {
            path: found
            for path, (found, asked) in final.items()
            if not (keys and any(alias_key(target) in keys for target in asked))
        }

    def _tasks(
        self, targets: list[str], workers: Workers, aliases: dict[str, list[str]]
    ) -> Iterator[Task]:
        """Runs of neighbouring targets, each with the pickled results of its notes, the
        anchors part of those of the other notes they read, and every note's aliases."""
        size = workers.task_size(len(targets))
        for i in range(0, len(targets), size):
            chunk = targets[i : i + size]
            packed = {p: blob for p in chunk if (blob := self._packed(p)) is not None}
            read = {p for path in chunk for p in self._reads_of(path) if p not in packed}
            heads = {p: head for p in read if (head := self._head(p)) is not None}
            yield chunk, packed, heads, aliases

    def _reads_of(self, path: str) -> list[str]:
        """The notes the vault-wide checks read for `path`: as the worker that checked it
        said, else from its facts."""
        found = self._reads.get(path)
        if found is None:
            facts = self._result(path).facts
            found = sorted(self.checker.reads(facts, self.index)) if facts else []
        return found

    def _packed(self, path: str) -> bytes | None:
        """A note's result pickled; None for a note that is not in the vault, or whose
        diagnostics the first pass finished (the workers check it again if need be)."""
        return self._results.packed(path) if self._known(path) else None

    def _head(self, path: str) -> bytes | None:
        """The anchors part of a note's pickled result; None for a note not in the vault."""
        return self._results.head(path) if self._known(path) else None

    def _known(self, path: str) -> bool:
        """Whether the note is in the vault; its result is then known (checked if need be)."""
        if path not in self._results:
            if path not in self.index.notes and path not in self._notes:
                return False
            self._result(path)
        return True

    def _fingerprint(self, targets: list[str]) -> str | None:
        """The state a run's result depends on: settings, what is reported, every file of the
        vault and the size and modification time of every note. None without a cache, when
        a note's text was set in memory (`set_text`: the files don't tell its state), or when a
        note can't be looked at (the run then checks as usual)."""
        if self.cache is None or self._set_texts:
            return None
        digest = hashlib.blake2b(self.cache.key_text.encode(), digest_size=16)
        digest.update("\0".join(targets).encode("utf-8", "surrogateescape"))
        digest.update(
            b"\1" + "\0".join(sorted(self.index.files)).encode("utf-8", "surrogateescape")
        )
        for path in self._all_notes:
            stat = self._stat(path)
            if stat is None:
                return None
            digest.update(f"\0{stat[0]}:{stat[1]}".encode())
        return digest.hexdigest()

    def _stat(self, path: str) -> tuple[int, int] | None:
        """Size and modification time of a note, looked at once per run."""
        if path not in self._stats:
            try:
                stat = os.stat(os.path.join(self._root_text, path))
                self._stats[path] = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                self._stats[path] = None
        return self._stats[path]

    def _save(self, fingerprint: str | None, by_note: dict[str, list[Diagnostic]]) -> None:
        if self.cache is None or self._set_texts:
            return
        try:
            self.cache.save()
            if fingerprint is not None:
                self.cache.store_run(fingerprint, by_note)
        except CacheError as exc:
            self.warnings.append(str(exc))

    def check(self, path: str) -> list[Diagnostic]:
        """Diagnostics of one note, sorted; the note need not exist on disk (see `set_text`)."""
        found = [*self._result(path).diagnostics, *self._vault_diagnostics(path, self._context())]
        return sorted(found, key=SORT_KEY)

    def _anchors(self, path: str) -> NoteAnchors | None:
        if path not in self._results:
            self._result(path)
        return self._results.anchors(path)

    def _context(self) -> VaultContext:
        return VaultContext(self.index, self.settings, self._anchors, self.all_aliases)

    def all_aliases(self, workers: Workers | None = None) -> dict[str, list[str]]:
        """Every note's aliases: from its result when known, from the cache when the note is
        unchanged since (without loading its result), else by checking it now: by `workers`,
        or by workers started for it when there are many such notes (a first run on a few
        notes of a large vault, with no cache yet)."""
        cached = self.cache.aliases() if self.cache is not None else {}
        known: dict[str, list[str] | None] = {}
        for path in self.index.notes:
            aliases = self._results.aliases(path)
            if aliases is None:
                row = cached.get(path) if path not in self._results else None
                if row is not None and self._stat(path) == row[:2]:
                    aliases = row[2]
            known[path] = aliases
        unknown = [p for p, aliases in known.items() if aliases is None and p not in self._notes]
        jobs = min(self.jobs, len(unknown) // MIN_PER_JOB)
        if workers is None and jobs >= 2 and not self._set_texts:
            with self._workers(jobs) as w:
                self._prepare(unknown, None, w)
        elif unknown:
            self._prepare(unknown, None, workers)
        found: dict[str, list[str]] = {}
        for path, aliases in known.items():
            if aliases is None:
                facts = self._result(path).facts
                aliases = facts.aliases if facts is not None else []
            if aliases:
                found[path] = aliases
        return found

    def _result(self, path: str) -> NoteResult:
        """The note's own result: known, cached, or checked now in this process."""
        result = self._results.get(path)
        if result is None:
            result = self._check_here(path)
        return result

    def _check_here(self, path: str) -> NoteResult:
        loaded = self._notes.get(path)
        try:
            if isinstance(loaded, Note):
                result = self.checker.check_note(loaded)
            elif isinstance(loaded, Unreadable):
                result = self.checker.unreadable(path, loaded)
            elif (packed := self._from_cache(path)) is not None:
                self._results.put_packed(path, packed)
                return self._results.get(path)  # type: ignore[return-value]
            else:
                result, key = self.checker.check_file(path)
                self._keep(path, result, pack(result), key)
                return result
        except Exception as exc:
            raise InternalError(f"while checking {path}: {exc!r}") from exc
        self._results.put(path, result)
        return result

    def _keep(self, path: str, result: NoteResult, packed: bytes, key: FileKey | None) -> None:
        """Hold a freshly checked note's result for the run, and cache it."""
        self._results.put(path, result, packed)
        if self.cache is not None and key is not None:
            self.cache.store(path, key, packed, result.facts.aliases if result.facts else [])

    def _from_cache(self, path: str) -> bytes | None:
        """The cached result (pickled) of an unchanged note: same size and modification
        time, or else the same content (a note touched but not changed is read, not parsed)."""
        if self.cache is None or self._set_texts:
            return None
        file = os.path.join(self._root_text, path)
        try:
            stat = os.stat(file)
            found = self.cache.lookup(path, stat.st_size, stat.st_mtime_ns)
            if found is None and self.cache.known(path):
                with open(file, "rb") as fh:
                    found = self.cache.lookup_content(path, FileKey.of(fh.read(), stat))
        except OSError:
            return None
        return found

    def _prepare(
        self,
        targets: list[str],
        progress: Callable[[int, int], None] | None,
        workers: Workers | None,
    ) -> None:
        """Get the result of every target: from the cache, else check the rest, by the
        workers when there are enough of them."""
        todo = []
        for path in targets:
            if path in self._results or path in self._notes:
                continue
            packed = self._from_cache(path)
            if packed is not None:
                self._results.put_packed(path, packed)
            else:
                todo.append(path)
        done = len(targets) - len(todo)
        if workers is not None and len(todo) >= 2 * MIN_PER_JOB:
            for path, packed, aliases, reads, key, final, error in workers.check(todo):
                if packed is None:
                    raise InternalError(f"while checking {path}: {error}")
                self._results.put_packed(path, packed, aliases)
                self._reads[path] = [sys.intern(p) for p in reads]  # one copy of each path
                if final is not None:  # made here while the workers go on
                    rows, asked = final
                    self._final[path] = from_rows(rows), asked
                if self.cache is not None and key is not None:
                    self.cache.store(path, key, packed, aliases)
                done += 1
                if progress:
                    progress(done, len(targets))
            return
        for path in todo:
            self._result(path)
            done += 1
            if progress:
                progress(done, len(targets))

    def _vault_diagnostics(self, path: str, ctx: VaultContext) -> list[Diagnostic]:
        facts = self._result(path).facts
        try:
            return self.checker.vault_diagnostics(path, facts, ctx)
        except Exception as exc:
            raise InternalError(f"while checking {path}: {exc!r}") from exc
