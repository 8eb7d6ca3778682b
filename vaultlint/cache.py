"""The on-disk cache: each note's `NoteResult`, keyed by its path and content.

One SQLite file per vaultlint version and settings under `.vaultlint_cache/` at the vault root
(which holds a `.gitignore` so git never sees it). A file whose size and modification time are
unchanged is not read at all; one whose content is unchanged is not parsed. SQLite's
transactions keep the file whole when several runs write at once. What depends on other notes
(links) is never cached: it is recomputed from the cached facts on every run.

Results are pickled, and a pickle from a stranger could run code when loaded: a vault cloned
with a planted cache must not. Every stored result is signed with a key kept outside the vault
(`$XDG_CACHE_HOME/vaultlint/cache-key`, made on first use), and a result whose signature does
not match is never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import secrets
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from vaultlint import __version__
from vaultlint.checker import FileKey
from vaultlint.config import Settings
from vaultlint.diagnostics import Diagnostic, edit_of, fix_of
from vaultlint.results import as_rows, from_rows, without_collector
from vaultlint.schema import TYPES_JSON

T = TypeVar("T")
CACHE_DIR = ".vaultlint_cache"
_FORMAT = 12  # bump when the tables or the pickled classes change
_SIG = 16  # bytes of signature before each pickled result
# Every note's aliases are read on each run: the index holds them, so that read does not walk
# the pages of the results (70 ms against 12 ms for 10,000 notes).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, digest BLOB, aliases TEXT, result BLOB
);
CREATE TABLE IF NOT EXISTS runs (fingerprint TEXT PRIMARY KEY, result BLOB);
CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, report BLOB);
CREATE INDEX IF NOT EXISTS note_aliases ON notes (path, size, mtime_ns, aliases);
"""
_RUNS_KEPT = 8  # whole-run results kept (the last runs on different paths or vault states)
_REPORTS_KEPT = 4  # printed reports kept (a large vault's can take tens of MB)
_CHUNK = 1 << 20  # bytes of a stored report read at a time
_REPLAY_HEAD = struct.Struct("<iQ")  # a stored report: exit code, bytes of its stdout


class Replay(NamedTuple):
    """What a run of `check` printed (its report in UTF-8, in parts), and its exit code."""

    stdout: Iterator[bytes]
    stderr: str
    code: int


def _chunks(blob: sqlite3.Blob, length: int) -> Iterator[bytes]:
    """`length` bytes of `blob` from where it is, a part at a time; then it is closed."""
    with blob:
        while length > 0 and (chunk := blob.read(min(_CHUNK, length))):
            length -= len(chunk)
            yield chunk


class CacheError(Exception):
    """The cache can't be opened or written; the run goes on without it."""


def settings_key(root: Path, settings: Settings) -> str:
    """What a note's cached result depends on besides the note: version, settings, types.json."""
    digest = hashlib.sha256(f"{__version__} format {_FORMAT}".encode())
    digest.update(settings.model_dump_json().encode())
    with contextlib.suppress(OSError):
        digest.update((root / TYPES_JSON).read_bytes())
    return digest.hexdigest()[:16]


class Cache:
    def __init__(self, root: Path, settings: Settings) -> None:
        folder = root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# vaultlint's cache: safe to delete\n*\n", encoding="utf-8")
            self.key = signing_key()
            self.key_text = settings_key(root, settings)
            self.db = sqlite3.connect(
                folder / f"{settings_key(root, settings)}.sqlite3", timeout=30
            )
            self.db.executescript(_SCHEMA)
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"cannot use the cache in {folder}: {_reason(exc)}") from None
        self._pending: list[tuple[str, int, int, bytes, str, bytes]] = []

    def _row(self, path: str) -> tuple[int, int, bytes, bytes, str] | None:
        try:
            return self.db.execute(
                "SELECT size, mtime_ns, digest, result, aliases FROM notes WHERE path = ?", (path,)
            ).fetchone()
        except sqlite3.Error:
            return None  # unreadable: the note is checked again and rewritten

    def known(self, path: str) -> bool:
        return self._row(path) is not None

    def lookup(self, path: str, size: int, mtime_ns: int) -> bytes | None:
        """The cached result, pickled and checked, if the file's size and modification time
        are unchanged."""
        row = self._row(path)
        if row is None or row[0] != size or row[1] != mtime_ns:
            return None
        return self._verified(row[3])

    def lookup_content(self, path: str, key: FileKey) -> bytes | None:
        """The cached result, pickled and checked, if the file's content is unchanged (its
        stat changed); the new stat is recorded."""
        row = self._row(path)
        if row is None or row[2] != key.digest:
            return None
        blob = self._verified(row[3])
        if blob is not None:
            self._pending.append((path, key.size, key.mtime_ns, key.digest, row[4], row[3]))
        return blob

    def store(self, path: str, key: FileKey, packed: bytes, aliases: list[str]) -> None:
        """Keep a note's pickled result (see `results.pack`) and its aliases."""
        stored = self._sign(packed) + packed
        text = json.dumps(aliases) if aliases else ""
        self._pending.append((path, key.size, key.mtime_ns, key.digest, text, stored))

    def aliases(self) -> dict[str, tuple[int, int, list[str]]]:
        """Every cached note's size, modification time and aliases, without loading results."""
        try:
            rows = self.db.execute("SELECT path, size, mtime_ns, aliases FROM notes")
            return {p: (size, mtime, json.loads(a) if a else []) for p, size, mtime, a in rows}
        except (sqlite3.Error, ValueError):
            return {}

    def run_result(self, fingerprint: str) -> dict[str, list[Diagnostic]] | None:
        """The diagnostics of a run on a vault in exactly this state, by note."""
        try:
            row = self.db.execute(
                "SELECT result FROM runs WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
        except sqlite3.Error:
            return None
        with without_collector():
            notes = None if row is None else self._load(row[0], list)
            if notes is None:
                return None
            try:
                return {path: from_rows(rows) for path, rows in notes}
            except (TypeError, ValueError, IndexError):  # not the shape this build writes
                return None

    def store_run(self, fingerprint: str, diagnostics: dict[str, list[Diagnostic]]) -> None:
        """Keep a run's diagnostics as rows of plain values: loading 100,000 of them as
        pickled objects took most of a warm run. Equal texts are stored once (a vault tends
        to repeat its mistakes)."""
        texts: dict[str, str] = {}
        rows = [
            (path, [_shared(row, texts) for row in as_rows(found)])
            for path, found in diagnostics.items()
            if found
        ]
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO runs VALUES (?, ?)", (fingerprint, self._dump(rows))
                )
                self._keep_last("runs", _RUNS_KEPT)
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache: {_reason(exc)}") from None

    def _keep_last(self, table: str, kept: int) -> None:
        """Drop all but the last `kept` whole-run records of `table`."""
        self.db.execute(
            f"DELETE FROM {table} WHERE rowid NOT IN "
            f"(SELECT rowid FROM {table} ORDER BY rowid DESC LIMIT ?)",
            (kept,),
        )

    def report(self, key: str) -> Replay | None:
        """The report a run of `check` with this key printed (see `replay.py`). Its text is
        read as it is written out: held whole, a large one would cost more to hold than to
        read. The open record holds a read lock, so no other run can change it meanwhile."""
        try:
            row = self.db.execute("SELECT rowid FROM reports WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            blob = self.db.blobopen("reports", "report", row[0], readonly=True)
        except sqlite3.Error:
            return None
        try:
            code, length = _REPLAY_HEAD.unpack(blob.read(_REPLAY_HEAD.size))
            if _REPLAY_HEAD.size + length > len(blob):
                raise ValueError("a report longer than its record")
            blob.seek(_REPLAY_HEAD.size + length)
            stderr = blob.read().decode()
            blob.seek(_REPLAY_HEAD.size)
        except (sqlite3.Error, struct.error, UnicodeDecodeError, ValueError):
            blob.close()
            return None  # not a record this build wrote: check again
        return Replay(_chunks(blob, length), stderr, code)

    def store_report(self, key: str, stdout: memoryview, stderr: str, code: int) -> None:
        """Keep what a run of `check` printed (its report in UTF-8) and its exit code, for
        the same run again: written into the record in place, not copied into one value.
        Not signed, unlike the results: a report is text, never unpickled."""
        try:
            told = stderr.encode()
        except UnicodeEncodeError:
            return
        head = _REPLAY_HEAD.pack(code, len(stdout))
        try:
            with self.db:
                size = len(head) + len(stdout) + len(told)
                row = self.db.execute(
                    "INSERT OR REPLACE INTO reports VALUES (?, zeroblob(?))", (key, size)
                ).lastrowid
                assert row is not None
                with self.db.blobopen("reports", "report", row) as blob:
                    for part in (head, stdout, told):
                        blob.write(part)
                self._keep_last("reports", _REPORTS_KEPT)
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache: {_reason(exc)}") from None

    def save(self) -> None:
        """Write what this run learnt, in one transaction."""
        if not self._pending:
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?)", self._pending
                )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache: {_reason(exc)}") from None
        finally:
            self._pending.clear()

    def close(self) -> None:
        self.db.close()

    def _sign(self, blob: bytes) -> bytes:
        return hashlib.blake2b(blob, key=self.key, digest_size=_SIG).digest()

    def _dump(self, value: object) -> bytes:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return self._sign(blob) + blob

    def _verified(self, stored: bytes) -> bytes | None:
        """The pickle in a stored record if this user's vaultlint signed it, else None: a
        record from anywhere else is never unpickled."""
        signature, blob = stored[:_SIG], stored[_SIG:]
        return blob if hmac.compare_digest(signature, self._sign(blob)) else None

    def _load(self, stored: bytes, kind: type[T]) -> T | None:
        blob = self._verified(stored)
        if blob is None:
            return None  # not written by this user's vaultlint: check again
        try:
            value = pickle.loads(blob)
        except Exception:  # written by an incompatible build: check again
            return None
        return value if isinstance(value, kind) else None


def _shared(row: tuple[Any, ...], texts: dict[str, str]) -> tuple[Any, ...]:
    """A row of `as_rows` with each text equal to one in `texts` replaced by that one: pickle
    writes an object once."""
    message, fix = row[8], row[9]
    if fix is not None:
        edits = tuple(
            edit_of((start, end, texts.setdefault(text, text))) for start, end, text in fix.edits
        )
        fix = fix_of((edits, fix.safe, texts.setdefault(fix.title, fix.title)))
    return (*row[:8], texts.setdefault(message, message), fix)


def signing_key() -> bytes:
    """This user's key for signing cached results, made on first use (mode 0600)."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    file = Path(home) / "vaultlint" / "cache-key"
    try:
        return file.read_bytes()[:64] or _new_key(file)
    except FileNotFoundError:
        return _new_key(file)


def _new_key(file: Path) -> bytes:
    file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)
