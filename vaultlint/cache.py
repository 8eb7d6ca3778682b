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
import os
import pickle
import secrets
import sqlite3
from dataclasses import fields
from pathlib import Path

from vaultlint import __version__
from vaultlint.checker import FileKey, NoteResult
from vaultlint.config import Settings
from vaultlint.facts import NoteFacts
from vaultlint.schema import TYPES_JSON

CACHE_DIR = ".vaultlint_cache"
_SIG = 16  # bytes of signature before each pickled result
_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, digest BLOB, result BLOB
)
"""


class CacheError(Exception):
    """The cache can't be opened or written; the run goes on without it."""


def settings_key(root: Path, settings: Settings) -> str:
    """What a note's cached result depends on besides the note: version, settings, types.json,
    and the fields of the cached facts (a build that adds one must not read older results)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(" ".join(f.name for f in fields(NoteFacts)).encode())
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
            self.db = sqlite3.connect(
                folder / f"{settings_key(root, settings)}.sqlite3", timeout=30
            )
            self.db.execute(_SCHEMA)
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"cannot use the cache in {folder}: {_reason(exc)}") from None
        self._rows: dict[str, tuple[int, int, bytes, bytes]] | None = None
        self._pending: list[tuple[str, int, int, bytes, bytes]] = []

    def _all(self) -> dict[str, tuple[int, int, bytes, bytes]]:
        if self._rows is None:
            try:
                rows = self.db.execute("SELECT path, size, mtime_ns, digest, result FROM notes")
                self._rows = {r[0]: r[1:] for r in rows}
            except sqlite3.Error:
                self._rows = {}  # unreadable: everything is checked again and rewritten
        return self._rows

    def known(self, path: str) -> bool:
        return path in self._all()

    def lookup(self, path: str, size: int, mtime_ns: int) -> NoteResult | None:
        """The cached result if the file's size and modification time are unchanged."""
        row = self._all().get(path)
        if row is None or row[0] != size or row[1] != mtime_ns:
            return None
        return self._load(row[3])

    def lookup_content(self, path: str, key: FileKey) -> NoteResult | None:
        """The cached result if the file's content is unchanged (its stat changed)."""
        row = self._all().get(path)
        if row is None or row[2] != key.digest:
            return None
        result = self._load(row[3])
        if result is not None:
            self._pending.append((path, key.size, key.mtime_ns, key.digest, row[3]))
        return result

    def store(self, path: str, key: FileKey, result: NoteResult) -> None:
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending.append((path, key.size, key.mtime_ns, key.digest, self._sign(blob) + blob))

    def save(self) -> None:
        """Write what this run learnt, in one transaction."""
        if not self._pending:
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?)", self._pending
                )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache: {_reason(exc)}") from None
        finally:
            self._pending.clear()

    def close(self) -> None:
        self.db.close()

    def _sign(self, blob: bytes) -> bytes:
        return hashlib.blake2b(blob, key=self.key, digest_size=_SIG).digest()

    def _load(self, stored: bytes) -> NoteResult | None:
        signature, blob = stored[:_SIG], stored[_SIG:]
        if not hmac.compare_digest(signature, self._sign(blob)):
            return None  # not written by this user's vaultlint: check the note again
        try:
            result = pickle.loads(blob)
        except Exception:  # written by an incompatible build: check the note again
            return None
        return result if isinstance(result, NoteResult) else None


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
