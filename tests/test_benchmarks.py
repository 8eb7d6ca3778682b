"""The benchmark vault generator and runner (benchmarks/): deterministic, exact, runnable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import CODES, TUBEGRAPH, WORDS, _name, copy_corpus, generate
from tests.conftest import REPO, lint
from vaultlint.rules import RULES

# Planted defects whose rule exists are checked (timestamp rules, VL3xx, land with issue 4).
CHECKED = set(CODES.values()) & set(RULES)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 30, seed=7)
    assert generate(tmp_path / "b", 30, seed=7) == first
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    generate(tmp_path / "c", 30, seed=8)
    assert _files(tmp_path / "c") != _files(tmp_path / "a")


def test_writes_the_requested_count_of_seed_shaped_notes(tmp_path: Path) -> None:
    generate(tmp_path, 1001)
    files = _files(tmp_path)
    assert len(files) == 1001
    assert {path.split("/")[0] for path in files} == {"channel_000", "channel_001", "channel_002"}
    assert (tmp_path / ".obsidian").is_dir()
    sizes = sorted(len(text) for text in files.values())
    assert 11_000 < sum(sizes) / len(sizes) < 17_000  # about 14 KB a note
    text = next(iter(files.values())).decode()
    assert text.startswith("---\ntitle: ") and "\nvideoId: " in text
    assert text.count('<a class="yt-timestamp" data-t="') > 10 and text.count("[[") > 3


def test_note_names_stay_unique_at_100k_notes() -> None:
    assert len(set(WORDS)) == len(WORDS)
    assert len({_name(i) for i in range(100_000)}) == 100_000


def test_vaultlint_reports_exactly_the_planted_defects(tmp_path: Path) -> None:
    """Every planted defect is found where it was planted, and nothing else of those kinds: the
    generator's good links, headings and timestamps are good."""
    defects = generate(tmp_path, 120, seed=3)
    planted = {(d.path, d.line, d.column, d.code) for d in defects if d.code in CHECKED}
    assert {code for *_, code in planted} == CHECKED >= {"VL101", "VL102", "VL401", "VL402"}
    found = {(d.path, d.line, d.column, d.code) for d in lint(tmp_path) if d.code in CHECKED}
    assert found == planted


@pytest.mark.skipif(not TUBEGRAPH.is_dir(), reason="the tubegraph corpus is not in ../shared")
def test_copying_the_corpus_reaches_the_requested_count(tmp_path: Path) -> None:
    corpus = sorted(p.name for p in TUBEGRAPH.rglob("*.md"))
    copy_corpus(tmp_path, len(corpus) + 10)
    files = _files(tmp_path)
    assert len(files) == len(corpus) + 10
    assert sorted(Path(p).name for p in files if p.startswith("copy_001/")) == corpus
    assert len([p for p in files if p.startswith("copy_002/")]) == 10


def test_run_prints_a_table_of_vaultlint_scenarios(tmp_path: Path) -> None:
    args = ["--notes", "50", "--skip-peers", "--repeat", "1", "--vaults", str(tmp_path)]
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("50 generated notes")
    rows = [line.split("|")[1:-1] for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert [(r[0].strip(), r[1].strip()) for r in rows[1:]] == [
        ("vaultlint", "cold"),
        ("vaultlint", "warm"),
        ("vaultlint", "pre-commit"),
    ]
    for row in rows[1:]:
        assert float(row[2]) > 0 and float(row[4]) > 0 and int(row[5]) > 0
    # The pre-commit edits are undone: the vault is as written.
    generate(tmp_path / "again", 50)
    assert _files(tmp_path / "generated-50-seed0") == _files(tmp_path / "again")


def test_run_reports_a_failing_command_instead_of_timing_it(tmp_path: Path) -> None:
    args = ["--notes", "5", "--skip-peers", "--repeat", "1", "--vaults", str(tmp_path)]
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), *args, "--vaultlint-args=--bogus"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "| vaultlint | cold | exit 2 |" in proc.stdout
    assert "--bogus" in proc.stderr
