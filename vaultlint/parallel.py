"""Checking many notes across processes, in two passes.

1. `check_files`: workers parse and check notes and send back each note's `NoteResult` (facts
   and diagnostics), never its text or AST.
2. `diagnose`: once every result is known, copies of the engine forked from the main process
   run the vault-wide rules, each on a share of the notes, and send back diagnostics.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from vaultlint.checker import FileKey, NoteChecker
from vaultlint.config import Settings
from vaultlint.diagnostics import Diagnostic
from vaultlint.results import pack

MIN_PER_JOB = 50  # fewer notes than this per worker are checked in the main process
_BATCH = 32  # notes a worker takes at a time
_checker: NoteChecker | None = None
_diagnose_one: Callable[[str], list[Diagnostic]] | None = None  # set before the fork

# path, pickled result, its aliases, the file's key, an error
Outcome = tuple[str, bytes | None, list[str], FileKey | None, str | None]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start(root: Path, settings: Settings) -> None:
    global _checker
    _checker = NoteChecker(root, settings)


def _check(paths: list[str]) -> list[Outcome]:
    assert _checker is not None
    out: list[Outcome] = []
    for path in paths:
        try:
            result, key = _checker.check_file(path)
            aliases = result.facts.aliases if result.facts else []
            out.append((path, pack(result), aliases, key, None))
        except Exception as exc:  # a bug: report it with the note's name, in the main process
            out.append((path, None, [], None, f"{exc!r}\n{traceback.format_exc()}"))
    return out


def check_files(root: Path, settings: Settings, paths: list[str], jobs: int) -> Iterator[Outcome]:
    """Check `paths` in `jobs` worker processes, yielding each note's outcome as it is done."""
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    batches = [paths[i : i + _BATCH] for i in range(0, len(paths), _BATCH)]
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start, initargs=(root, settings)
    ) as pool:
        for outcomes in pool.map(_check, batches):
            yield from outcomes


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def diagnose(
    diagnose_one: Callable[[str], list[Diagnostic]], paths: list[str], jobs: int
) -> Iterator[tuple[str, list[Diagnostic]]]:
    """`(path, diagnose_one(path))` for each of `paths`, computed in `jobs` processes forked
    from this one, so each starts with everything this one knows (the index, every note's
    result). Needs `fork` (see `can_fork`)."""
    global _diagnose_one
    _diagnose_one = diagnose_one
    # Long runs of neighbouring notes: notes link mostly near them, and a worker reads each
    # note it links to once, so the fewer workers share a folder the less is read twice.
    size = max(_BATCH, -(-len(paths) // (4 * jobs)))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    gc.freeze()  # the collector in a worker then leaves the inherited objects' pages shared
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for found in pool.map(_diagnose, batches):
                yield from found
    finally:
        gc.unfreeze()
        _diagnose_one = None


def _diagnose(paths: list[str]) -> list[tuple[str, Any]]:
    assert _diagnose_one is not None
    return [(path, _diagnose_one(path)) for path in paths]
