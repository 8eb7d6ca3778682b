"""Checking many notes across processes, in two passes through one pool of workers.

1. `Workers.check`: workers parse and check notes and send back each note's `NoteResult`
   (facts and diagnostics) pickled, never its text or AST, with the notes its vault-wide
   checks will read (the notes its links point into). A note whose links point at no heading
   or block of another note gets its vault-wide checks here too: they need only the index.
2. `Workers.diagnose`: once every result is known, each worker gets a run of neighbouring notes
   not done in the first pass, with the results of those notes and of the notes they read, and
   sends back every diagnostic of each: its own and the vault-wide ones (links).

A worker holds only what it was sent, so memory does not grow with the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from vaultlint.checker import FileKey, NoteChecker, NoteResult
from vaultlint.config import Settings
from vaultlint.facts import NoteAnchors
from vaultlint.results import (
    ROW_ORDER,
    Results,
    as_rows,
    pack,
    pack_anchors,
    unpack_anchors,
    unpack_rows,
    without_edits,
)
from vaultlint.rules import NotYet, VaultContext
from vaultlint.vault import VaultIndex

MIN_PER_JOB = 50  # fewer notes than this per worker are checked in the main process
_BATCH = 32  # notes a worker takes at a time in the first pass
_MAX_TASK = 1000  # notes a worker takes at a time in the second pass, at most

# A note's diagnostics, vault-wide ones included, known in the first pass, as `results.as_rows`
# gives them, and the link targets whose broken-link hint assumed they are no alias.
Final = tuple[list[tuple[Any, ...]], list[str]]
# path, pickled result (only its anchors part when final and there is no cache), its aliases,
# the notes it reads, the file's key, its diagnostics when final, an error
Outcome = tuple[str, bytes | None, list[str], list[str], FileKey | None, Final | None, str | None]
# notes to diagnose, their pickled results, the anchors part of those of the other notes they
# read, every note's aliases
Task = tuple[list[str], dict[str, bytes], dict[str, bytes], dict[str, list[str]]]
# path, its diagnostics as `results.as_rows` (None after an error), the error
Diagnosed = tuple[str, list[tuple[Any, ...]] | None, str | None]

_checker: NoteChecker | None = None
_index: VaultIndex | None = None
_edits = True  # see `Workers`
_memo: dict[str, object] = {}  # the vault checks' lookup tables, kept from task to task
_first_memo: dict[str, object] = {}  # those of the first pass (they assume no aliases)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Workers:
    """`jobs` worker processes for one run, started when first needed."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        index: VaultIndex,
        jobs: int,
        keyed: bool = True,
        edits: bool = True,
    ) -> None:
        """`keyed`: workers return each file's key for the cache. `edits`: the diagnostics
        they send keep their fixes whole; else each fix is sent as its stand-in
        (`results.STAND_INS`), for a run that reads only whether a diagnostic is fixable."""
        self.jobs = jobs
        self._args = (root, settings, index, keyed, edits)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    @property
    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                self.jobs,
                mp_context=multiprocessing.get_context(method),
                initializer=_start,
                initargs=self._args,
            )
        return self._pool

    def check(self, paths: list[str]) -> Iterator[Outcome]:
        """Check `paths`, yielding each note's outcome as it is done."""
        batches = [paths[i : i + _BATCH] for i in range(0, len(paths), _BATCH)]
        for outcomes in self.pool.map(_check, batches):
            yield from outcomes

    def diagnose(self, tasks: Iterable[Task]) -> Iterator[Diagnosed]:
        """The diagnostics of the notes of each task, in order, as rows (`results.from_rows`
        makes them diagnostics again). Tasks are taken from `tasks` as workers need them, so
        few are held at once."""
        pending: deque[Future[list[Diagnosed]]] = deque()
        for task in tasks:
            pending.append(self.pool.submit(_diagnose, task))
            if len(pending) > 2 * self.jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def task_size(self, notes: int) -> int:
        """Notes per `diagnose` task: long runs of neighbouring notes (notes link mostly near
        them, and each task is sent the results of the notes its notes read), a few per
        worker so that one slow task does not leave the others idle, and not so many that
        a task's results take much memory."""
        return min(_MAX_TASK, max(_BATCH, -(-notes // (4 * self.jobs))))


def _start(root: Path, settings: Settings, index: VaultIndex, keyed: bool, edits: bool) -> None:
    global _checker, _index, _edits
    _checker, _index, _edits = NoteChecker(root, settings, keyed), index, edits


def _check(paths: list[str]) -> list[Outcome]:
    assert _checker is not None and _index is not None
    out: list[Outcome] = []
    for path in paths:
        try:
            result, key = _checker.check_file(path)
            facts = result.facts
            aliases = facts.aliases if facts else []
            reads = sorted(_checker.reads(facts, _index)) if facts else []
            final = None if reads else _final(path, result)
            # Without a cache, nothing but the anchors of a note done here is read again.
            whole = final is None or _checker.keyed
            packed = pack(result) if whole else pack_anchors(result)
            out.append((path, packed, aliases, reads, key, final, None))
        except Exception as exc:  # a bug: report it with the note's name, in the main process
            out.append((path, None, [], [], None, None, _error(exc)))
    return out


def _final(path: str, result: NoteResult) -> Final | None:
    """The note's diagnostics with the vault-wide ones, when these need no other note's facts
    (its links point at no heading or block of another note): the note then needs no second
    pass. None when they do."""
    assert _checker is not None and _index is not None
    facts = result.facts

    def anchors(target: str) -> NoteAnchors | None:
        if facts is not None and target == path:
            return facts.anchors
        raise NotYet(target)

    asked: set[str] = set()
    no_aliases = dict  # not known yet: see `VaultContext`
    ctx = VaultContext(_index, _checker.settings, anchors, no_aliases, _first_memo, asked)
    try:
        found = _checker.vault_diagnostics(path, facts, ctx)
    except NotYet:
        return None
    rows = as_rows([*result.diagnostics, *found])
    rows.sort(key=ROW_ORDER)
    return (rows if _edits else without_edits(rows)), sorted(asked)


def _diagnose(task: Task) -> list[Diagnosed]:
    assert _checker is not None and _index is not None
    _first_memo.clear()  # the first pass is over: its tables would only hold memory
    checker, (paths, packed, heads, aliases) = _checker, task
    results = Results()
    for path, blob in packed.items():
        results.put_packed(path, blob)

    def result_of(path: str) -> NoteResult:
        found = results.get(path)
        if found is None:  # a note outside the run (never sent): read it here
            found = checker.check_file(path)[0]
            results.put(path, found)
        return found

    def anchors_of(path: str) -> NoteAnchors | None:
        if path not in results:
            head = heads.get(path)
            if head is not None:
                return unpack_anchors(head)
            result_of(path)
        return results.anchors(path)

    ctx = VaultContext(_index, checker.settings, anchors_of, lambda: aliases, _memo)
    out: list[Diagnosed] = []
    for path in paths:
        try:
            # The note's own diagnostics stay rows: they are only sent back.
            own = packed.get(path)
            if own is None:
                result = result_of(path)
                facts, rows = result.facts, as_rows(result.diagnostics)
            else:
                facts, rows = unpack_rows(own)
            rows += as_rows(checker.vault_diagnostics(path, facts, ctx))
            rows.sort(key=ROW_ORDER)
            out.append((path, rows if _edits else without_edits(rows), None))
        except Exception as exc:
            out.append((path, None, _error(exc)))
            break
    return out


def _error(exc: Exception) -> str:
    return f"{exc!r}\n{traceback.format_exc()}"
