"""Every note's `NoteResult` for a run, kept pickled: about 5 KB a note instead of the 30 KB its
objects take, so a 100,000-note vault fits in memory. The most recently used are kept unpickled."""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import operator
import pickle
import struct
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from vaultlint.checker import FileKey, NoteResult
from vaultlint.diagnostics import Diagnostic, Edit, Fix, diagnostic_of
from vaultlint.facts import NoteAnchors, NoteFacts
from vaultlint.markdown.model import Heading, Link

UNPACKED = 1024  # results kept as objects: the notes being checked and the notes they link to


def _by_fields(cls: type) -> None:
    """Pickle a slotted dataclass as `cls(*fields)`. Its default pickling (a `__setstate__`
    that calls `dataclasses.fields` for every object) made unpickling a note's result twice as
    slow; every note's result is unpickled at least once in a run."""
    fields = dataclasses.fields(cls)
    assert all(f.init for f in fields), cls
    get = operator.attrgetter(*(f.name for f in fields))
    if len(fields) == 1:
        copyreg.pickle(cls, lambda obj: (cls, (get(obj),)))
    else:
        copyreg.pickle(cls, lambda obj: (cls, get(obj)))


for _cls in (NoteResult, NoteFacts, Link, Heading, FileKey):
    _by_fields(_cls)

_HEADING_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Heading)))


def _anchors(headings: list[tuple[Any, ...]], keys: list[str], ids: frozenset[str]) -> NoteAnchors:
    return NoteAnchors([Heading(*fields) for fields in headings], keys, ids)


# A note's anchors with its headings as tuples of their fields, taken by `map` in C: every
# note's anchors are pickled in a run (a Python call per heading made that 7x slower).
copyreg.pickle(
    NoteAnchors,
    lambda a: (_anchors, (list(map(_HEADING_FIELDS, a.headings)), a.heading_keys, a.block_ids)),
)


def _by_tuple_new(cls: type) -> None:
    """Pickle named tuple `cls` as `tuple.__new__(cls, fields)`: unpickled in C, with no Python
    call (a named tuple's default pickling calls its `__new__`, a Python function)."""
    copyreg.pickle(cls, lambda obj: (tuple.__new__, (cls, tuple(obj))))


_by_tuple_new(Fix)
_by_tuple_new(Edit)


def as_rows(diagnostics: list[Diagnostic]) -> list[tuple[Any, ...]]:
    """Diagnostics as plain tuples (their fixes stay `Fix` objects): pickled and unpickled at
    about half the cost of the named tuples, and made again in C by `from_rows` (a run can send
    175,000 diagnostics from the workers)."""
    return list(map(tuple, diagnostics))


# What a worker sends in place of a fix when the run reads no more of it than whether it is
# safe (a run that neither applies nor caches its fixes, nor writes them as JSON): one object
# for each, pickled once in a batch, where a fix and its edit each took a Python call to pickle
# (and were a quarter of the bytes the first pass sends on the tubegraph vault).
STAND_INS = {True: Fix((), True, ""), False: Fix((), False, "")}
_FIX_AT = len(Diagnostic._fields) - 1
assert Diagnostic._fields[_FIX_AT] == "fix"  # the last field: `without_edits` cuts before it


def without_edits(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`rows` with each fix replaced by its stand-in (`STAND_INS`)."""
    at, stand_in = _FIX_AT, STAND_INS
    return [row if row[at] is None else (*row[:at], stand_in[row[at].safe]) for row in rows]


def from_rows(rows: list[tuple[Any, ...]]) -> list[Diagnostic]:
    """The diagnostics `as_rows` gave these rows for, made by `tuple.__new__` with no Python
    call per object: a warm run makes 175,000 of them from the run's record."""
    return list(map(diagnostic_of, rows))


@contextlib.contextmanager
def without_collector() -> Iterator[None]:
    """Keep Python's cycle collector off the many objects that hold no cycles made here (the
    diagnostics of a run): paused while they are made, then moved out of its sight
    (`gc.freeze`), for its passes over them would only find them alive. Merely pausing it
    would have its next pass walk them all: 0.19 s for a warm run's 175,000 diagnostics.
    They are still freed when no longer used."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


# Rows in the order of `diagnostics.SORT_KEY`: path, line, column, code.
ROW_ORDER = operator.itemgetter(0, 1, 2, 5)
_LENGTH = struct.Struct("<I")
_ANCHORS_AT = [f.name for f in dataclasses.fields(NoteFacts)].index("anchors")
_NOT_ANCHORS = operator.attrgetter(
    *(f.name for f in dataclasses.fields(NoteFacts) if f.name != "anchors")
)


def pack(result: NoteResult) -> bytes:
    """A note's result pickled in two parts: the note's anchors (headings and block ids),
    then the rest. The link check reads only the anchors of the notes a note links to, and
    those are most of the results a run's second pass reads."""
    facts = result.facts
    rest = None if facts is None else _NOT_ANCHORS(facts)
    tail = pickle.dumps((rest, as_rows(result.diagnostics)), protocol=pickle.HIGHEST_PROTOCOL)
    return pack_anchors(result) + tail


def pack_anchors(result: NoteResult) -> bytes:
    """The anchors part of `pack(result)` alone: all that is read of a note that is done
    but for the links into it."""
    anchors = None if result.facts is None else result.facts.anchors
    head = pickle.dumps(anchors, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(head)) + head


def unpack(packed: bytes) -> NoteResult:
    facts, rows = unpack_rows(packed)
    return NoteResult(facts, from_rows(rows))


def unpack_rows(packed: bytes) -> tuple[NoteFacts | None, list[tuple[Any, ...]]]:
    """A packed result's facts, and its diagnostics left as rows."""
    view = memoryview(packed)
    end = _LENGTH.size + _LENGTH.unpack_from(view)[0]
    anchors = pickle.loads(view[_LENGTH.size : end])
    rest, rows = pickle.loads(view[end:])
    if rest is None:
        return None, rows
    fields = list(rest)
    fields.insert(_ANCHORS_AT, anchors)
    return NoteFacts(*fields), rows


def anchors_part(packed: bytes) -> bytes:
    """The start of a packed result, all that `unpack_anchors` reads."""
    return packed[: _LENGTH.size + _LENGTH.unpack_from(packed)[0]]


def is_whole(packed: bytes) -> bool:
    """Whether `packed` is a whole result, not only its anchors part."""
    return len(packed) > _LENGTH.size + _LENGTH.unpack_from(packed)[0]


def unpack_anchors(packed: bytes) -> NoteAnchors | None:
    """The anchors of a packed result (or of its `anchors_part`), without unpickling the
    rest."""
    view = memoryview(packed)
    return pickle.loads(view[_LENGTH.size : _LENGTH.size + _LENGTH.unpack_from(view)[0]])


class Results:
    """Each note's packed result, or only its anchors part (`pack_anchors`) for a note whose
    diagnostics are already known: `get` and `packed` then say None, and the note is checked
    again if its whole result is needed after all."""

    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}
        self._recent: OrderedDict[str, NoteResult] = OrderedDict()
        self._aliases: dict[str, list[str]] = {}  # known without unpickling the result

    def __contains__(self, path: str) -> bool:
        return path in self._packed

    def get(self, path: str) -> NoteResult | None:
        result = self._recent.get(path)
        if result is not None:
            self._recent.move_to_end(path)
            return result
        blob = self._packed.get(path)
        if blob is None or not is_whole(blob):
            return None
        result = unpack(blob)
        self._recent[path] = result
        if len(self._recent) > UNPACKED:
            self._recent.popitem(last=False)
        return result

    def packed(self, path: str) -> bytes | None:
        blob = self._packed.get(path)
        return blob if blob is not None and is_whole(blob) else None

    def head(self, path: str) -> bytes | None:
        """The anchors part of the note's packed result."""
        blob = self._packed.get(path)
        return None if blob is None else anchors_part(blob)

    def anchors(self, path: str) -> NoteAnchors | None:
        """The note's anchors (None if it is unreadable or unknown), unpickling no more than
        them."""
        result = self._recent.get(path)
        if result is not None:
            return None if result.facts is None else result.facts.anchors
        blob = self._packed.get(path)
        return None if blob is None else unpack_anchors(blob)

    def aliases(self, path: str) -> list[str] | None:
        """The note's aliases, when known without unpickling its result."""
        return self._aliases.get(path)

    def put(self, path: str, result: NoteResult, packed: bytes | None = None) -> None:
        self._packed[path] = packed if packed is not None else pack(result)
        self._aliases[path] = result.facts.aliases if result.facts else []
        self._recent[path] = result
        self._recent.move_to_end(path)
        if len(self._recent) > UNPACKED:
            self._recent.popitem(last=False)

    def put_packed(self, path: str, packed: bytes, aliases: list[str] | None = None) -> None:
        """Keep a packed result, or only its anchors part."""
        self._packed[path] = packed
        self._recent.pop(path, None)
        if aliases is None:
            self._aliases.pop(path, None)
        else:
            self._aliases[path] = aliases

    def pop(self, path: str) -> None:
        self._packed.pop(path, None)
        self._recent.pop(path, None)
        self._aliases.pop(path, None)

    def keep_only(self, paths: set[str]) -> None:
        for path in [p for p in self._packed if p not in paths]:
            self.pop(path)
