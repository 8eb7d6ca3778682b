"""Checking many notes across processes. Workers parse and check notes and send back each
note's `NoteResult` (facts and diagnostics), never its text or AST."""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from vaultlint.checker import FileKey, NoteChecker
from vaultlint.config import Settings
from vaultlint.results import pack

MIN_PER_JOB = 50  # fewer notes than this per worker are checked in the main process
_BATCH = 32  # notes a worker takes at a time
_checker: NoteChecker | None = None

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
