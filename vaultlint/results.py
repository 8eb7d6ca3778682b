"""Every note's `NoteResult` for a run, kept pickled: about 5 KB a note instead of the 30 KB its
objects take, so a 100,000-note vault fits in memory. The most recently used are kept unpickled."""

from __future__ import annotations

import pickle
from collections import OrderedDict

from vaultlint.checker import NoteResult

UNPACKED = 1024  # results kept as objects: the notes being checked and the notes they link to


def pack(result: NoteResult) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


class Results:
    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}
        self._recent: OrderedDict[str, NoteResult] = OrderedDict()

    def __contains__(self, path: str) -> bool:
        return path in self._packed

    def get(self, path: str) -> NoteResult | None:
        result = self._recent.get(path)
        if result is not None:
            self._recent.move_to_end(path)
            return result
        blob = self._packed.get(path)
        if blob is None:
            return None
        result = pickle.loads(blob)
        self._recent[path] = result
        if len(self._recent) > UNPACKED:
            self._recent.popitem(last=False)
        return result

    def put(self, path: str, result: NoteResult, packed: bytes | None = None) -> None:
        self._packed[path] = packed if packed is not None else pack(result)
        self._recent[path] = result
        self._recent.move_to_end(path)
        if len(self._recent) > UNPACKED:
            self._recent.popitem(last=False)

    def put_packed(self, path: str, packed: bytes) -> None:
        self._packed[path] = packed
        self._recent.pop(path, None)

    def pop(self, path: str) -> None:
        self._packed.pop(path, None)
        self._recent.pop(path, None)

    def keep_only(self, paths: set[str]) -> None:
        for path in [p for p in self._packed if p not in paths]:
            self.pop(path)
