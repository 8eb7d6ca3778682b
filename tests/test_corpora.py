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


def test_tubegraph_fixes_resolve_the_links_and_add_no_problem() -> None:
    """Most broken links of the generated vault differ from a note's name only in case, spaces
    or underscores, which a safe fix repairs. Fixing (in memory) removes exactly the fixable
    diagnostics, adds none, and leaves nothing more to fix."""
    engine, diagnostics = run(TUBEGRAPH)
    broken = [d for d in diagnostics if d.code == "VL101"]
    safe = [d for d in broken if d.fix is not None and d.fix.safe]
    assert len(safe) >= 0.9 * len(broken)
    fixable = [d for d in diagnostics if d.fix is not None]
    outcome = fix_notes(engine, diagnostics, unsafe=True)
    assert outcome.total_fixed == len(fixable)
    assert len(outcome.diagnostics) == len(diagnostics) - len(fixable)
    before = Counter((d.path, d.code, d.message) for d in diagnostics if d.fix is None)
    assert Counter((d.path, d.code, d.message) for d in outcome.diagnostics) == before
    assert fix_notes(engine, outcome.diagnostics, unsafe=True).texts == {}
