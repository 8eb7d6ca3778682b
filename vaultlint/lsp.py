"""The language server, `vaultlint lsp` (extra `obsidian-vaultlint[lsp]`: pygls 2, lsprotocol).

Every open note is checked against the index of its whole vault, with the editor's text of
every open note standing in for the file (unsaved edits count, in the note and in the notes it
links to). Diagnostics are published on open, on save and, debounced, on change. Files created,
deleted or renamed are seen through `workspace/didChangeWatchedFiles` and by a walk of the vault
on every save; a changed config file is read again and a bad one is shown as a message.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from vaultlint import __version__
from vaultlint.config import (
    CONFIG_NAMES,
    DEFAULT_EXCLUDE,
    ConfigError,
    Settings,
    config_file_in,
    load_settings,
)
from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.engine import Engine
from vaultlint.globs import matches_any
from vaultlint.note import Note
from vaultlint.positions import utf16_column
from vaultlint.vault import NOTE_SUFFIX

log = logging.getLogger(__name__)

CONFIG_FILES = (*CONFIG_NAMES, "pyproject.toml")
DEFAULT_DEBOUNCE = 0.3  # seconds between the last keystroke and the check
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
ConfigStamp = tuple[tuple[str, int, int], ...]


def client_character(line_text: str, col: int, encoding: str | None) -> int:
    """The 0-based LSP character of 1-based code-point column `col`, in the negotiated
    position encoding (UTF-16 unless the client chose UTF-8 or UTF-32)."""
    if encoding == types.PositionEncodingKind.Utf32:
        return col - 1
    if encoding == types.PositionEncodingKind.Utf8:
        return len(line_text[: col - 1].encode("utf-8", "surrogatepass"))
    return utf16_column(line_text, col) - 1


def _config_stamp(root: Path) -> ConfigStamp:
    """What the config files at `root` look like on disk (to notice a change)."""
    stamp = []
    for name in CONFIG_FILES:
        try:
            st = (root / name).stat()
        except OSError:
            continue
        stamp.append((name, st.st_mtime_ns, st.st_size))
    return tuple(stamp)


@dataclass
class Vault:
    root: Path
    engine: Engine
    config: ConfigStamp  # the config files as last read
    stale: bool = False  # files were created or deleted since the last walk


@dataclass(frozen=True)
class Located:
    """Where an open document sits: its vault, and its path in it (None: not reported)."""

    root: Path
    path: str | None


class VaultServer(LanguageServer):
    def __init__(self, debounce: float = DEFAULT_DEBOUNCE) -> None:
        super().__init__(
            "vaultlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.debounce = debounce
        self.vaults: dict[Path, Vault] = {}
        self.located: dict[str, Located] = {}  # open document uri -> where it sits
        self._timers: dict[Path, asyncio.TimerHandle] = {}

    # -- vaults and documents ----------------------------------------------------------------

    def locate(self, uri: str) -> Located | None:
        """Find (or set up) the vault of the note at `uri`; None for what is not a note file."""
        if uri in self.located:
            return self.located[uri]
        fs_path = to_fs_path(uri)
        if fs_path is None or not fs_path.lower().endswith(NOTE_SUFFIX):
            return None
        file = Path(fs_path)
        file = file.parent.resolve() / file.name
        try:
            root = self._vault_root(file)
        except ConfigError as exc:
            self.show_error(str(exc))
            return None
        vault = self.vaults.get(root) or self._load_vault(root)
        rel = file.relative_to(root).as_posix()
        hidden = any(part.startswith(".") for part in rel.split("/"))
        excluded = matches_any([*DEFAULT_EXCLUDE, *vault.engine.settings.exclude], rel)
        self.located[uri] = Located(root, None if hidden or excluded else rel)
        return self.located[uri]

    def _vault_root(self, file: Path) -> Path:
        """As the command line finds it: the nearest folder with `.obsidian/` or a config;
        else the workspace folder that holds the note; else the note's folder."""
        for folder in file.parents:
            if (folder / ".obsidian").is_dir() or config_file_in(folder):
                return folder
        holding = [
            Path(fs)
            for folder in self.workspace.folders.values()
            if (fs := to_fs_path(folder.uri)) and file.is_relative_to(Path(fs).resolve())
        ]
        return max(holding, key=lambda p: len(p.parts)).resolve() if holding else file.parent

    def _load_vault(self, root: Path, previous: Settings | None = None) -> Vault:
        """Read the vault's config and walk it. A bad config is shown to the user; the vault
        then keeps its previous settings (the defaults the first time)."""
        stamp = _config_stamp(root)
        try:
            engine = Engine(root, load_settings(config_file_in(root)))
        except ConfigError as exc:
            self.show_error(str(exc))
            engine = Engine(root, previous or Settings())
        self.vaults[root] = vault = Vault(root, engine, stamp)
        return vault

    def reload_changed_configs(self) -> None:
        """Read again the configs that changed on disk, and locate every open note again (a
        new config file can make a new vault)."""
        changed = {r for r, v in self.vaults.items() if _config_stamp(r) != v.config}
        old = self.vaults
        self.vaults = {r: v for r, v in old.items() if r not in changed}
        for root in changed:
            self._load_vault(root, old[root].engine.settings)
        uris = list(self.located)
        self.located.clear()
        for uri in uris:
            self.locate(uri)

    def on_file_event(self, file: Path, kind: types.FileChangeType) -> None:
        """Follow a file created, changed or deleted on disk (checks run debounced)."""
        if file.name in CONFIG_FILES:
            self.reload_changed_configs()
            for root in {w.root for w in self.located.values()}:
                self.refresh_later(root)
            return
        file = file.parent.resolve() / file.name
        open_notes = {(w.root, w.path) for w in self.located.values()}
        for root, vault in self.vaults.items():
            if not file.is_relative_to(root):
                continue
            rel = file.relative_to(root).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):
                continue  # not part of the vault (.git/, .obsidian/ ...)
            if kind != types.FileChangeType.Changed:
                vault.stale = True
            elif (root, rel) not in open_notes:  # an open note is the editor's text
                vault.engine.forget(rel)
            self.refresh_later(root)

    # -- checking and publishing -------------------------------------------------------------

    def refresh(self, root: Path) -> None:
        """Check and publish every open note of the vault at `root`, each with the editor's
        text of all of them (an excluded note gets an empty list)."""
        self.cancel_timer(root)
        vault = self.vaults.get(root)
        if vault is None:
            return
        if vault.stale:
            vault.engine.rewalk()
            vault.stale = False
        notes = [(uri, w.path) for uri, w in self.located.items() if w.root == root]
        for uri, path in notes:
            if path is not None:
                vault.engine.set_text(path, self.workspace.get_text_document(uri).source)
        for uri, path in notes:
            self.publish(uri, self.diagnostics(vault.engine, path) if path else [])

    def refresh_later(self, root: Path) -> None:
        """Refresh the vault once nothing has changed in it for `debounce` seconds."""
        self.cancel_timer(root)
        loop = asyncio.get_running_loop()
        self._timers[root] = loop.call_later(self.debounce, self.refresh, root)

    def cancel_timer(self, root: Path) -> None:
        timer = self._timers.pop(root, None)
        if timer is not None:
            timer.cancel()

    def diagnostics(self, engine: Engine, path: str) -> list[tuple[Diagnostic, types.Diagnostic]]:
        """The note's diagnostics, each with its LSP form; none (and a log entry) if checking
        the note failed."""
        try:
            found = engine.check(path)
        except Exception:
            log.error("vaultlint: internal error while checking %s", path)
            self.window_log_message(
                types.LogMessageParams(
                    types.MessageType.Error,
                    f"vaultlint: internal error while checking {path}; please report it:\n"
                    + traceback.format_exc(),
                )
            )
            return []
        note = engine.note(path)
        if note is None:
            return []
        encoding = self.workspace.position_encoding
        return [(d, to_lsp(d, note, encoding)) for d in found]

    def publish(self, uri: str, found: list[tuple[Diagnostic, types.Diagnostic]]) -> None:
        doc = self.workspace.text_documents.get(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=doc.version if doc else None, diagnostics=[d for _, d in found]
            )
        )

    def show_error(self, message: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(types.MessageType.Error, f"vaultlint: {message}")
        )


# -- conversions -------------------------------------------------------------------------------


def lsp_position(note: Note, line: int, col: int, encoding: str | None) -> types.Position:
    """The LSP position of 1-based `line` and code-point `col` in `note`."""
    line_text = note.text[note.lines.line_start(line - 1) : note.lines.line_end(line - 1)]
    return types.Position(line - 1, client_character(line_text, col, encoding))


def lsp_range(note: Note, start: int, end: int, encoding: str | None) -> types.Range:
    """The LSP range of the text between two offsets of `note`."""
    return types.Range(
        lsp_position(note, *note.lines.position(start), encoding),
        lsp_position(note, *note.lines.position(end), encoding),
    )


def to_lsp(d: Diagnostic, note: Note, encoding: str | None) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(
            lsp_position(note, d.line, d.column, encoding),
            lsp_position(note, d.end_line, d.end_column, encoding),
        ),
        severity=_SEVERITY[d.severity],
        code=d.code,
        source="vaultlint",
        message=f"{d.name}: {d.message}",
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


# -- the protocol ------------------------------------------------------------------------------


def build_server(debounce: float = DEFAULT_DEBOUNCE) -> VaultServer:
    server = VaultServer(debounce)
    feature = server.feature

    @feature(types.INITIALIZED)
    def initialized(ls: VaultServer, params: types.InitializedParams) -> None:
        watch = ls.client_capabilities.workspace and (
            ls.client_capabilities.workspace.did_change_watched_files
        )
        if watch and watch.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
            )
            registration = types.Registration(
                id="vaultlint-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            ls.client_register_capability(types.RegistrationParams([registration]))

    @feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: VaultServer, params: types.DidOpenTextDocumentParams) -> None:
        where = ls.locate(params.text_document.uri)
        if where is not None:
            ls.refresh(where.root)

    @feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: VaultServer, params: types.DidChangeTextDocumentParams) -> None:
        where = ls.located.get(params.text_document.uri)
        if where is not None:
            ls.refresh_later(where.root)

    @feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: VaultServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri not in ls.located:
            return
        # Walk again on every save (it is cheap), so that clients that do not watch files
        # still see notes created or deleted; and read a config that changed.
        ls.reload_changed_configs()
        for vault in ls.vaults.values():
            vault.stale = True
        for root in {w.root for w in ls.located.values()}:
            ls.refresh(root)

    @feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: VaultServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        where = ls.located.pop(uri, None)
        if where is None:
            return
        ls.publish(uri, [])
        vault = ls.vaults.get(where.root)
        if vault is not None and where.path is not None:
            vault.engine.forget(where.path)  # the file on disk counts again
            ls.refresh(where.root)

    @feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: VaultServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            fs_path = to_fs_path(change.uri)
            if fs_path is not None:
                ls.on_file_event(Path(fs_path), change.type)

    @feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: VaultServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        where = ls.located.get(uri)
        vault = ls.vaults.get(where.root) if where else None
        if where is None or where.path is None or vault is None:
            return []
        engine = vault.engine
        engine.set_text(where.path, ls.workspace.get_text_document(uri).source)
        note = engine.note(where.path)
        if note is None:
            return []
        encoding = ls.workspace.position_encoding
        actions = []
        for d, lsp in ls.diagnostics(engine, where.path):
            if d.fix is None or not _overlaps(lsp.range, params.range):
                continue
            edits = [
                types.TextEdit(lsp_range(note, e.start, e.end, encoding), e.text)
                for e in d.fix.edits
            ]
            actions.append(
                types.CodeAction(
                    title=d.fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    is_preferred=d.fix.safe,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
        return actions

    @feature(types.SHUTDOWN)
    def shutdown(ls: VaultServer, params: None) -> None:
        for root in list(ls.vaults):
            ls.cancel_timer(root)

    return server


def serve(debounce: float = DEFAULT_DEBOUNCE) -> None:
    """Run the server on stdin and stdout until the client says exit."""
    build_server(debounce).start_io()
