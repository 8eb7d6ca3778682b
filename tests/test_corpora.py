"""The engine on the two real vaults in `shared/corpora` (skipped when they are absent).

Only counts, paths and line numbers are asserted; no corpus text is kept in the project.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import SHARED
from vaultlint.config import Settings
from vaultlint.diagnostics import Diagnostic
from vaultlint.engine import Engine
from vaultlint.fixes import fix_notes
from vaultlint.vault import fold

HELP = SHARED / "corpora" / "obsidian-help-en"
TUBEGRAPH = SHARED / "corpora" / "tubegraph-allin"

# The help vault links to a note `Example` that it does not contain (in the page that explains
# link display text); these are the only links Obsidian itself would show as unresolved.
HELP_EXAMPLE_LINKS = {
    ("Linking notes and files/Internal links.md", line) for line in (154, 155, 162, 163, 168, 169)
}


def run(root: Path) -> tuple[Engine, list[Diagnostic]]:
    if not root.is_dir():
        pytest.skip(f"corpus {root.name} is not present")
    engine = Engine(root, Settings())
    result = engine.run()
    assert result.checked == len(engine.index.notes)
    return engine, result.diagnostics


@pytest.fixture(scope="module")
def help_vault() -> tuple[Engine, list[Diagnostic]]:
    return run(HELP)


@pytest.fixture(scope="module")
def tubegraph() -> tuple[Engine, list[Diagnostic]]:
    return run(TUBEGRAPH)


def link_target(engine: Engine, diagnostic: Diagnostic) -> str:
    """The target of the link a diagnostic points at, read from the parsed note."""
    note = engine.note(diagnostic.path)
    assert note is not None
    for link in note.links:
        if note.lines.position(link.start) == (diagnostic.line, diagnostic.column):
            return link.target
    raise AssertionError(f"no link at {diagnostic.path}:{diagnostic.line}:{diagnostic.column}")


# -- obsidian-help-en ----------------------------------------------------------------------------


def test_help_vault_checks_every_note(help_vault: tuple[Engine, list[Diagnostic]]) -> None:
    engine, diagnostics = help_vault
    assert len(engine.index.notes) > 150
    assert not [d for d in diagnostics if d.code == "VL001"]


def test_help_vault_has_no_heading_block_or_attachment_errors(
    help_vault: tuple[Engine, list[Diagnostic]],
) -> None:
    _, diagnostics = help_vault
    wrong = [
        f"{d.path}:{d.line}:{d.column} {d.code} {d.message}"
        for d in diagnostics
        if d.code in ("VL102", "VL103", "VL104", "VL106")
    ]
    assert wrong == []


def test_help_vault_broken_links_are_only_to_example(
    help_vault: tuple[Engine, list[Diagnostic]],
) -> None:
    engine, diagnostics = help_vault
    broken = [d for d in diagnostics if d.code == "VL101"]
    assert {(d.path, d.line) for d in broken} == HELP_EXAMPLE_LINKS
    for d in broken:
        assert re.sub(r"\.md$", "", link_target(engine, d)) == "Example"
        assert '"Example' in d.message


# -- tubegraph-allin -----------------------------------------------------------------------------


def squeeze(name: str) -> str:
    """A note name with case, spaces and underscores ignored."""
    return re.sub(r"[\s_]+", "", fold(name))


def test_tubegraph_finishes_with_many_broken_links(
    tubegraph: tuple[Engine, list[Diagnostic]],
) -> None:
    engine, diagnostics = tubegraph
    counts = Counter(d.code for d in diagnostics)
    assert counts["VL101"] > 1000
    assert counts["VL001"] == 0
    assert len(engine.index.notes) > 400


def test_tubegraph_suggests_near_names(tubegraph: tuple[Engine, list[Diagnostic]]) -> None:
    """Most VL101 whose target differs from an existing note only by spaces, underscores or case
    say what was meant."""
    engine, diagnostics = tubegraph
    existing = {squeeze(name): name for name in engine.index.note_names()}
    near = [
        d
        for d in diagnostics
        if d.code == "VL101"
        and squeeze(link_target(engine, d).rsplit("/", 1)[-1].removesuffix(".md")) in existing
    ]
    assert len(near) > 100
    suggested = [d for d in near if "did you mean" in d.message]
    assert len(suggested) >= 0.9 * len(near), [d.message for d in near if d not in suggested][:5]
    for d in suggested:
        target = link_target(engine, d).rsplit("/", 1)[-1].removesuffix(".md")
        meant = re.search(r'did you mean "([^"]+)"', d.message)
        assert meant, d.message
        assert squeeze(meant.group(1)) == squeeze(target), d.message


def test_tubegraph_safe_fixes_remove_their_diagnostics_and_add_none() -> None:
    """Most broken links of the generated vault differ from a note's name only in case, spaces
    or underscores, which a safe fix repairs. Safe fixes (in memory) remove exactly the
    diagnostics that have one, add none, and leave no safe fix behind."""
    engine, diagnostics = run(TUBEGRAPH)
    broken = [d for d in diagnostics if d.code == "VL101"]
    safe = [d for d in diagnostics if d.fix is not None and d.fix.safe]
    assert len([d for d in safe if d.code == "VL101"]) >= 0.9 * len(broken)
    outcome = fix_notes(engine, diagnostics, unsafe=False)
    assert outcome.total_fixed == len(safe)
    fixed = {id(d) for d in safe}
    before = Counter((d.path, d.code, d.message) for d in diagnostics if id(d) not in fixed)
    assert Counter((d.path, d.code, d.message) for d in outcome.diagnostics) == before
    assert not [d for d in outcome.diagnostics if d.fix is not None and d.fix.safe]


_ANCHOR = re.compile(r'<a class="yt-timestamp" data-t="([^"]*)">\[?([^<\]]*)\]?</a>')
_CLOCK = re.compile(r"\d+(?::[0-5]\d){0,2}")
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)  # ```ad-note blocks are code to vaultlint


def _seconds(clock: str) -> int:
    total = 0
    for field in clock.split(":"):
        total = total * 60 + int(field)
    return total


def test_tubegraph_timestamps(tubegraph: tuple[Engine, list[Diagnostic]]) -> None:
    """Every yt-timestamp anchor of the corpus, read with a plain regex, against VL301-VL305
    (the corpus has no durations, so VL304 means past 12:00:00)."""
    engine, diagnostics = tubegraph
    anchors: dict[tuple[str, int, int], tuple[str, str]] = {}
    for path in engine.index.notes:
        note = engine.note(path)
        assert note is not None
        fences = [f.span() for f in _FENCE.finditer(note.text)]
        for m in _ANCHOR.finditer(note.text):
            if any(start <= m.start() < end for start, end in fences):
                continue
            anchors[(path, *note.lines.position(m.start()))] = (m.group(1), m.group(2).strip())
    assert len(anchors) > 17000
    found: dict[str, set[tuple[str, int, int]]] = {}
    for d in diagnostics:
        if d.code.startswith("VL3"):
            found.setdefault(d.code, set()).add((d.path, d.line, d.column))
    malformed = {
        k
        for k, (t, shown) in anchors.items()
        if not _CLOCK.fullmatch(t) or not _CLOCK.fullmatch(shown or "0")
    }
    valid = {k: (_seconds(t), shown) for k, (t, shown) in anchors.items() if k not in malformed}
    assert found["VL301"] == malformed
    assert found["VL302"] == {
        k for k, (t, shown) in valid.items() if not shown or _seconds(shown) != t
    }
    assert found["VL304"] == {k for k, (t, _) in valid.items() if t > 12 * 3600}
    assert len(found["VL302"]) > 100
    assert len(found["VL304"]) > 1500
    assert found["VL303"] <= set(valid)
    assert len(found["VL303"]) > 500
    assert "VL305" not in found
