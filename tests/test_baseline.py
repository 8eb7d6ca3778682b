"""--write-baseline and --baseline: adopt vaultlint on a vault full of problems."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import MakeVault

NOTE = "# Trade\n\nSee [[gone one]] and [[gone two]].\n\n## Part\n\nAgain [[gone one]].\n"


@pytest.fixture
def adopted(cli, vault: MakeVault, tmp_path: Path) -> tuple[Path, Path]:
    """A vault with three broken links and a baseline recording them."""
    root = vault({"topics/trade.md": NOTE, "other.md": "[[gone two]]\n"})
    baseline = tmp_path / "baseline.json"
    result = cli(root, "check", "--write-baseline", str(baseline))
    assert (result.code, result.stdout) == (0, "")
    assert f"Wrote 4 diagnostics to {baseline}" in result.stderr
    return root, baseline


def test_baseline_file_records_path_code_fingerprint_and_count(adopted) -> None:
    _, baseline = adopted
    data = json.loads(baseline.read_text())
    assert data["version"] == 1
    entries = data["entries"]
    assert [(e["path"], e["code"], e["count"]) for e in entries] == sorted(
        [("other.md", "VL101", 1), ("topics/trade.md", "VL101", 2), ("topics/trade.md", "VL101", 1)]
    )
    assert all(re.fullmatch(r"[0-9a-f]{16}", e["fingerprint"]) for e in entries)
    assert "line" not in baseline.read_text()


def test_nothing_recorded_is_reported(cli, adopted) -> None:
    root, baseline = adopted
    result = cli(root, "check", "--baseline", str(baseline))
    assert (result.code, result.stdout) == (0, "")
    assert "All checks passed!" in result.stderr


def test_edits_elsewhere_in_the_note_keep_entries_valid(cli, adopted) -> None:
    root, baseline = adopted
    note = root / "topics/trade.md"
    note.write_text("---\ntitle: Trade\n---\nA new first paragraph.\n\n" + NOTE + "\nMore.\n")
    result = cli(root, "check", "--baseline", str(baseline))
    assert (result.code, result.stdout) == (0, "")


def test_new_problems_are_reported(cli, adopted) -> None:
    root, baseline = adopted
    note = root / "topics/trade.md"
    note.write_text(NOTE + "New [[gone three]] and a third [[gone one]].\n")
    (root / "new.md").write_text("[[gone two]]\n")
    result = cli(root, "check", "--baseline", str(baseline), "--format", "concise")
    assert result.code == 1
    assert result.stdout.splitlines() == [
        'new.md:1:1: VL101 [error] no note "gone two"',
        'topics/trade.md:8:5: VL101 [error] no note "gone three"',
        'topics/trade.md:8:32: VL101 [error] no note "gone one"',
    ]


def test_stale_entries_are_counted_by_statistics(cli, adopted) -> None:
    root, baseline = adopted
    (root / "topics/trade.md").write_text(NOTE.replace("Again [[gone one]].", "Again."))
    (root / "other.md").write_text("fixed\n")
    result = cli(root, "check", "--baseline", str(baseline), "--statistics")
    assert result.stdout == "2 stale baseline entries (fixed or gone)\n"
    # Checking one note, the other notes' entries are not stale...
    result = cli(root, "check", "topics/trade.md", "--baseline", str(baseline), "--statistics")
    assert result.stdout == "1 stale baseline entry (fixed or gone)\n"
    # ... unless the note is gone.
    (root / "other.md").unlink()
    result = cli(root, "check", "topics/trade.md", "--baseline", str(baseline), "--statistics")
    assert result.stdout == "2 stale baseline entries (fixed or gone)\n"
    # Nor are those of a rule that is off.
    result = cli(root, "check", "--ignore", "VL101", "--baseline", str(baseline), "--statistics")
    assert result.stdout == ""


def test_statistics_without_stale_entries_say_nothing_of_the_baseline(cli, adopted) -> None:
    root, baseline = adopted
    (root / "x.md").write_text("[[gone four]]\n")
    result = cli(root, "check", "--baseline", str(baseline), "--statistics")
    assert result.stdout.splitlines()[1:] == ["    1  VL101  broken-link  error"]


def test_fix_leaves_recorded_problems_alone(cli, vault: MakeVault, tmp_path: Path) -> None:
    root = vault({"a.md": "[[reading-list]]\n", "Reading list.md": ""})
    baseline = tmp_path / "b.json"
    cli(root, "check", "--write-baseline", str(baseline))
    (root / "b.md").write_text("[[reading_list]]\n")
    result = cli(root, "check", "--fix", "--baseline", str(baseline))
    assert result.code == 0
    assert (root / "a.md").read_text() == "[[reading-list]]\n"
    assert (root / "b.md").read_text() == "[[Reading list|reading_list]]\n"


def test_write_baseline_after_fixing_records_what_remains(
    cli, vault: MakeVault, tmp_path: Path
) -> None:
    root = vault({"a.md": "[[reading-list]] [[gone]]\n", "Reading list.md": ""})
    baseline = tmp_path / "b.json"
    result = cli(root, "check", "--fix", "--write-baseline", str(baseline))
    assert result.code == 0
    assert (root / "a.md").read_text() == "[[Reading list|reading-list]] [[gone]]\n"
    assert len(json.loads(baseline.read_text())["entries"]) == 1


def test_unreadable_notes_can_be_recorded(cli, vault: MakeVault, tmp_path: Path) -> None:
    root = vault({"bad.md": b"caf\xe9\n"})
    baseline = tmp_path / "b.json"
    cli(root, "check", "--write-baseline", str(baseline))
    assert cli(root, "check", "--baseline", str(baseline)).code == 0


def test_empty_vault_writes_an_empty_baseline(cli, vault: MakeVault, tmp_path: Path) -> None:
    root = vault({"a.md": "fine\n"})
    baseline = tmp_path / "b.json"
    cli(root, "check", "--write-baseline", str(baseline))
    assert json.loads(baseline.read_text()) == {"version": 1, "entries": []}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read"),
        ("{", "not JSON"),
        ('{"version": 2, "entries": []}', "not a vaultlint baseline"),
        ('{"version": 1, "entries": [{"path": "a.md", "code": "VL101"}]}', "entry 0 needs"),
        ('{"version": 1, "entries": 3}', "entry 0 needs"),
        (
            '{"version": 1, "entries": [{"path": "a.md", "code": "VL101", "fingerprint": "x", '
            '"count": 0}]}',
            "entry 0 has a bad value",
        ),
    ],
)
def test_bad_baseline_exits_2(
    cli, vault: MakeVault, tmp_path: Path, content: str | None, problem: str
) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content)
    result = cli(root, "check", "--baseline", str(baseline))
    assert result.code == 2
    assert problem in result.stderr
    assert result.stdout == ""
