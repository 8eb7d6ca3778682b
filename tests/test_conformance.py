"""The conformance vault (tests/fixtures/conformance): what Obsidian resolves, and what not.

`expected.json` records Obsidian's documented or observed behaviour on these notes, so it can
be re-recorded from the app itself (`obsidian unresolved format=json verbose`) and compared.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from tests.conftest import REPO
from vaultlint.config import Settings
from vaultlint.engine import Engine

VAULT = REPO / "tests" / "fixtures" / "conformance"
EXPECTED = json.loads((VAULT / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(VAULT, Settings())


@pytest.fixture(scope="module")
def found(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """path -> [(code, the link as written)] for every diagnostic."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in engine.run().diagnostics:
        note = engine.note(d.path)
        assert note is not None
        offset = note.lines.starts[d.line - 1] + d.column - 1
        (link,) = [k for k in note.links if k.start == offset]
        out[d.path].append((d.code, note.text[link.start : link.end]))
    return out


def unresolved_targets(engine: Engine, path: str) -> list[str]:
    note = engine.note(path)
    assert note is not None
    return [k.target for k in note.links if engine.index.resolve(k.target, path).path is None]


@pytest.mark.parametrize("path", sorted(EXPECTED["unresolved"]))
def test_unresolved_links(engine: Engine, path: str) -> None:
    assert unresolved_targets(engine, path) == EXPECTED["unresolved"][path]


@pytest.mark.parametrize("path", sorted(EXPECTED["resolved"]))
def test_resolved_links(engine: Engine, path: str) -> None:
    note = engine.note(path)
    assert note is not None
    resolved = [engine.index.resolve(k.target, path).path for k in note.links]
    assert resolved == EXPECTED["resolved"][path]


def test_unresolved_links_are_reported_and_nothing_else_is(found) -> None:
    broken = {
        path: [written for code, written in items if code in ("VL101", "VL104")]
        for path, items in found.items()
    }
    broken = {path: links for path, links in broken.items() if links}
    assert broken == {
        "aliases.md": ["[[AL]]"],
        "brackets and urls.md": ["[[Sq]uare]]", "[[https://example.com]]"],
        "relative.md": ["[[./Missing]]"],
    }


def test_anchors(found) -> None:
    anchors = {
        path: [written for code, written in items if code in ("VL102", "VL103")]
        for path, items in found.items()
    }
    assert {p: v for p, v in anchors.items() if v} == {
        path: [f"[[{link}]]" for link in links]
        for path, links in EXPECTED["broken_anchors"].items()
    }


def test_same_name_notes_warn_and_hidden_links_are_not_links(found) -> None:
    assert found["b/source.md"] == [("VL105", "[[Note]]")]
    assert found["zzzz/deep/source.md"] == [("VL105", "[[Note]]")]
    assert "hidden.md" not in found
