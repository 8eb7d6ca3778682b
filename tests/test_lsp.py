"""`vaultlint lsp`, driven over stdio the way an editor drives it (pytest-lsp client, real
server process). Notes carry emoji so that UTF-16 columns differ from code points."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.conftest import REPO, MakeVault

pytestmark = pytest.mark.asyncio(loop_scope="module")

FAST = ["--debounce", "20"]
SERVER = [sys.executable, "-m", "vaultlint", "lsp"]
SERVER_WITH_FIX = [sys.executable, str(REPO / "tests" / "lsp_server_with_fix.py")]
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


class Editor(LanguageClient):
    """The test client, recording every publishDiagnostics and capability registration."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.versions: dict[str, int] = {}
        self.server_capabilities: types.ServerCapabilities | None = None
        self.workspace_folder = Path()

    def latest(self, uri: str) -> types.PublishDiagnosticsParams | None:
        return next((p for p in reversed(self.published) if p.uri == uri), None)

    def diags(self, uri: str) -> list[types.Diagnostic] | None:
        latest = self.latest(uri)
        return None if latest is None else list(latest.diagnostics)

    async def until(self, condition: Callable[[], object], timeout: float = 10) -> None:
        """Wait for published diagnostics that make `condition` true."""
        async with asyncio.timeout(timeout):
            while not condition():
                await self.wait_for_notification(PUBLISH)

    def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text))
        )

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(self.versions[uri], uri),
                [types.TextDocumentContentChangeWholeDocument(text)],
            )
        )

    def save(self, uri: str) -> None:
        self.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )

    def close(self, uri: str) -> None:
        self.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )

    def files_changed(self, *changes: tuple[Path, types.FileChangeType]) -> None:
        events = [types.FileEvent(path.as_uri(), kind) for path, kind in changes]
        self.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(events))


def _record_publish(client: Editor, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)


def _record_registration(client: Editor, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _make_editor() -> Editor:
    editor = Editor()
    features = {
        **DEFAULT_CLIENT_FEATURES,
        PUBLISH: _record_publish,
        types.CLIENT_REGISTER_CAPABILITY: _record_registration,
    }
    register_lsp_features(editor, features)
    return editor


@asynccontextmanager
async def editor_on(
    root: Path,
    server: list[str] = SERVER,
    args: list[str] = FAST,
    capabilities: types.ClientCapabilities | None = None,
) -> AsyncIterator[Editor]:
    """A server process and a client with `root` as the workspace folder."""
    config = ClientServerConfig(
        server_command=[*server, *args],
        client_factory=_make_editor,
        server_env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    client = await config.start()
    assert isinstance(client, Editor)
    client.workspace_folder = root
    try:
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities or client_capabilities("visual-studio-code"),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(root.as_uri(), "vault")],
            )
        )
        client.server_capabilities = result.capabilities
        yield client
    finally:
        try:
            async with asyncio.timeout(5):
                await client.shutdown_session()
        finally:
            server = client._server  # a server that did not exit when asked is killed
            if server is not None and server.returncode is None:
                server.kill()
            await client.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def editor(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Editor]:
    """One server (a server starts in about a second) for the tests that need nothing special
    of it; each test has a vault of its own, found from its `.obsidian/` folder."""
    async with editor_on(tmp_path_factory.mktemp("workspace")) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def nvim(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Editor]:
    """A client like Neovim 0.10 (it watches no files for servers) that prefers UTF-8."""
    capabilities = client_capabilities("neovim@v0.10.0")
    capabilities.general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
    )
    async with editor_on(tmp_path_factory.mktemp("workspace"), capabilities=capabilities) as client:
        yield client


def span(d: types.Diagnostic) -> tuple[int, int, int, int]:
    r = d.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


NOTE = "---\ntitle: 🎉 note\n---\n🎉🎉 see [[Missing 🎉]] and [[Existing#Tide pools]]\n"
# "🎉🎉 see " is 7 code points and 9 UTF-16 units; "[[Missing 🎉]]" is 13 and 14.
MISSING_SPAN = (3, 9, 3, 23)


async def test_open_change_close_with_utf16_columns(editor: Editor, vault: MakeVault) -> None:
    root = vault({"Existing.md": "# Existing\n\n## Tide pools\n"})
    uri = (root / "Note.md").as_uri()
    editor.open(uri, NOTE)
    await editor.until(lambda: editor.diags(uri) is not None)
    (d,) = editor.diags(uri) or []
    assert (d.code, d.source, d.severity) == ("VL101", "vaultlint", 1)
    assert d.message == 'broken-link: no note "Missing 🎉"'
    assert span(d) == MISSING_SPAN
    assert editor.latest(uri).version == 1  # type: ignore[union-attr]

    # The unsaved text is what is checked: a heading link that the change breaks.
    editor.change(uri, NOTE.replace("[[Missing 🎉]]", "[[Existing#Rock pools]]"))
    await editor.until(lambda: editor.latest(uri).version == 2)  # type: ignore[union-attr]
    (d,) = editor.diags(uri) or []
    assert d.code == "VL102"
    assert span(d) == (3, 9, 3, 32)

    editor.change(uri, "🎉 [[Existing#Tide pools]]\n")
    await editor.until(lambda: editor.latest(uri).version == 3)  # type: ignore[union-attr]
    assert editor.diags(uri) == []

    editor.change(uri, NOTE)
    await editor.until(lambda: editor.latest(uri).version == 4)  # type: ignore[union-attr]
    editor.close(uri)
    await editor.until(lambda: editor.diags(uri) == [])


async def test_without_a_vault_marker_the_workspace_folder_is_the_vault(editor: Editor) -> None:
    folder = editor.workspace_folder  # no .obsidian/, no config
    (folder / "People").mkdir()
    (folder / "People" / "Ada.md").write_text("", encoding="utf-8")
    uri = (folder / "Journal" / "Day.md").as_uri()
    editor.open(uri, "🎉 [[Ada]] [[Nobody]]\n")
    await editor.until(lambda: editor.diags(uri))
    assert [(d.code, span(d)) for d in editor.diags(uri) or []] == [("VL101", (0, 11, 0, 21))]


async def test_changes_are_debounced(vault: MakeVault) -> None:
    root = vault({"Existing.md": "# Existing\n"})
    uri = (root / "Note.md").as_uri()
    async with editor_on(root, args=["--debounce", "300"]) as editor:
        editor.open(uri, "🎉 [[Existing]]\n")
        await editor.until(lambda: editor.diags(uri) is not None)
        for target in ("E", "Ex", "Exi", "Exis"):  # typing, faster than the debounce
            editor.change(uri, f"🎉 [[{target}]]\n")
        await editor.until(lambda: editor.latest(uri).version == 5)  # type: ignore[union-attr]
        assert [p.version for p in editor.published] == [1, 5]
        (d,) = editor.diags(uri) or []
        assert span(d) == (0, 3, 0, 11)
        assert "Exis" in d.message


async def test_unsaved_text_of_other_open_notes_counts(editor: Editor, vault: MakeVault) -> None:
    root = vault({"Target.md": "# Old heading\n"})
    source = (root / "Source.md").as_uri()
    target = (root / "Target.md").as_uri()
    editor.open(source, "🎉 [[Target#New heading]]\n")
    await editor.until(lambda: editor.diags(source))
    assert [(d.code, span(d)) for d in editor.diags(source) or []] == [("VL102", (0, 3, 0, 25))]
    editor.open(target, "# Old heading\n")
    editor.change(target, "# New heading\n")  # not saved: the file keeps "Old heading"
    await editor.until(lambda: editor.diags(source) == [])
    editor.close(target)  # closed without saving: the file on disk counts again
    await editor.until(lambda: editor.diags(source))
    assert [d.code for d in editor.diags(source) or []] == ["VL102"]


async def test_created_and_deleted_notes_are_followed(editor: Editor, vault: MakeVault) -> None:
    root = vault({"Existing.md": ""})
    uri = (root / "Note.md").as_uri()
    later = root / "folder" / "Later 🎉.md"
    editor.open(uri, "🎉 [[Later 🎉]] [[Existing]]\n")
    await editor.until(lambda: editor.diags(uri))
    # The server asked the editor to watch the vault's files (before it answered didOpen).
    methods = [r.method for r in editor.registrations]
    assert methods == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert [(d.code, span(d)) for d in editor.diags(uri) or []] == [("VL101", (0, 3, 0, 15))]

    later.parent.mkdir()
    later.write_text("# Later\n", encoding="utf-8")
    editor.files_changed((later, types.FileChangeType.Created))
    await editor.until(lambda: editor.diags(uri) == [])

    later.unlink()
    editor.files_changed((later, types.FileChangeType.Deleted))
    await editor.until(lambda: editor.diags(uri))
    assert [d.code for d in editor.diags(uri) or []] == ["VL101"]


async def test_without_file_watching_a_save_walks_the_vault(nvim: Editor, vault: MakeVault) -> None:
    root = vault({"Existing.md": ""})
    uri = (root / "Note.md").as_uri()
    nvim.open(uri, "[[Later]]\n")
    await nvim.until(lambda: nvim.diags(uri))
    assert nvim.registrations == []
    (root / "Later.md").write_text("", encoding="utf-8")
    nvim.save(uri)
    await nvim.until(lambda: nvim.diags(uri) == [])


async def test_config_is_reloaded_and_a_bad_one_is_shown(editor: Editor, vault: MakeVault) -> None:
    root = vault({})
    note = (root / "Note.md").as_uri()
    draft = (root / "drafts" / "Draft.md").as_uri()
    config = root / "vaultlint.toml"
    editor.open(note, "🎉 [[Missing]]\n")
    editor.open(draft, "[[]]\n")
    await editor.until(lambda: editor.diags(note) and editor.diags(draft))
    assert [d.code for d in editor.diags(draft) or []] == ["VL106"]

    config.write_text('ignore = ["VL101"]\nexclude = ["drafts/**"]\n', encoding="utf-8")
    editor.files_changed((config, types.FileChangeType.Created))
    await editor.until(lambda: editor.diags(note) == [] and editor.diags(draft) == [])

    config.write_text('ignore = ["VL101"]\nexclude = ["drafts/**"]\nbogus = 1\n')
    editor.files_changed((config, types.FileChangeType.Changed))
    async with asyncio.timeout(10):
        while not (shown := [m for m in editor.messages if str(config) in m.message]):
            await editor.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    (message,) = shown
    assert message.type == types.MessageType.Error
    assert "vaultlint.toml" in message.message and "unknown key 'bogus'" in message.message

    # The server lives on, with the last good settings.
    editor.change(note, "🎉 [[Missing]] [[]]\n")
    await editor.until(lambda: editor.latest(note).version == 2)  # type: ignore[union-attr]
    assert [d.code for d in editor.diags(note) or []] == ["VL106"]

    config.unlink()
    editor.files_changed((config, types.FileChangeType.Deleted))
    await editor.until(lambda: len(editor.diags(note) or []) == 2)


async def test_quick_fix_edits_in_utf16(vault: MakeVault) -> None:
    root = vault({"Existing.md": ""})
    uri = (root / "Note.md").as_uri()
    text = "# 🎉 Title\n\n🎉🎉 teh [[Existing]] [[Missing]]\n"
    async with editor_on(root, server=SERVER_WITH_FIX) as editor:
        editor.open(uri, text)
        await editor.until(lambda: editor.diags(uri))
        diags = {d.code: d for d in editor.diags(uri) or []}
        assert span(diags["VL999"]) == (2, 5, 2, 8)

        def actions_at(d: types.Diagnostic) -> types.CodeActionParams:
            return types.CodeActionParams(
                types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])
            )

        actions = await editor.text_document_code_action_async(actions_at(diags["VL999"]))
        assert actions is not None
        (action,) = actions
        assert isinstance(action, types.CodeAction)
        assert (action.title, action.kind, action.is_preferred) == (
            "Replace with 'the'",
            types.CodeActionKind.QuickFix,
            True,
        )
        assert action.edit is not None and action.edit.changes is not None
        (edit,) = action.edit.changes[uri]
        assert (span_of(edit.range), edit.new_text) == ((2, 5, 2, 8), "the")
        assert apply_utf16(text, edit) == "# 🎉 Title\n\n🎉🎉 the [[Existing]] [[Missing]]\n"

        # A diagnostic without a fix offers no action.
        assert not await editor.text_document_code_action_async(actions_at(diags["VL101"]))


def span_of(r: types.Range) -> tuple[int, int, int, int]:
    return (r.start.line, r.start.character, r.end.line, r.end.character)


def apply_utf16(text: str, edit: types.TextEdit) -> str:
    """Apply an edit the way an editor does: positions count UTF-16 code units."""
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        before = "\n".join(lines[: p.line]) + ("\n" if p.line else "")
        units = lines[p.line].encode("utf-16-le")[: 2 * p.character].decode("utf-16-le")
        return len(before) + len(units)

    start, end = offset(edit.range.start), offset(edit.range.end)
    return text[:start] + edit.new_text + text[end:]


async def test_utf8_positions_when_the_client_prefers_them(nvim: Editor, vault: MakeVault) -> None:
    assert nvim.server_capabilities is not None
    assert nvim.server_capabilities.position_encoding == types.PositionEncodingKind.Utf8
    root = vault({"Existing.md": "# Existing\n\n## Tide pools\n"})
    uri = (root / "Note.md").as_uri()
    nvim.open(uri, NOTE)
    await nvim.until(lambda: nvim.diags(uri))
    (d,) = nvim.diags(uri) or []
    # "🎉🎉 see " is 13 UTF-8 bytes; "[[Missing 🎉]]" is 16.
    assert span(d) == (3, 13, 3, 29)
