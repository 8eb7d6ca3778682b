"""A note's result as workers send it and the cache keeps it: pickled in two parts, its anchors
(read for every link into the note) apart from the rest."""

from __future__ import annotations

from pathlib import Path

from vaultlint.checker import NoteChecker
from vaultlint.config import Settings
from vaultlint.results import pack, unpack, unpack_anchors
from vaultlint.rules.links import heading_key

from .conftest import write_vault

NOTE = """---
aliases: [Plan]
tag: old
---
# Plan é

Intro [[Other#Goal]] and [[gone]]. ^intro

## Steps\t%% draft %%

| a | [[x]] |
|---|---|
"""


def test_a_result_unpacks_whole_and_its_anchors_alone(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"plan.md": NOTE})
    result, _ = NoteChecker(root, Settings()).check_file("plan.md")
    facts = result.facts
    assert facts is not None and result.diagnostics  # VL204 for `tag`, with a fix
    assert [h.text for h in facts.anchors.headings] == ["Plan é", "Steps"]
    assert facts.anchors.block_ids == {"intro"}

    again = unpack(pack(result))
    assert again.diagnostics == result.diagnostics
    assert again.facts is not None
    assert again.facts.anchors == facts.anchors
    assert again.facts.links == facts.links
    assert again.facts.link_texts == facts.link_texts
    assert again.facts.table_rows == facts.table_rows == {2}  # [[x]], on a table row
    assert again.facts.aliases == facts.aliases == ["Plan"]
    assert again.facts.lines.starts == facts.lines.starts
    assert unpack_anchors(pack(result)) == facts.anchors
    assert facts.anchors.heading_keys == [heading_key("Plan é"), heading_key("Steps")]


def test_an_unreadable_note_has_no_anchors(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"bin.md": b"a\x00b"})
    result, _ = NoteChecker(root, Settings()).check_file("bin.md")
    assert result.facts is None and [d.code for d in result.diagnostics] == ["VL001"]
    assert unpack(pack(result)) == result
    assert unpack_anchors(pack(result)) is None
