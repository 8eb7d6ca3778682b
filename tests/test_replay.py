"""A run of `check` on a vault in exactly the state of an earlier run, with the same arguments,
prints what that run printed (`replay.py`); anything the report depends on makes a new run."""

from __future__ import annotations

import io
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from vaultlint.cache import CACHE_DIR
from vaultlint.cli import _Copying, main
from vaultlint.engine import Engine

NOTES = {
    "Café notes.md": "# Café\n\nSee [[Missing page]] and [[Elsewhere#Nope]].\n\n## Café\n",
    "Elsewhere.md": "---\ntags: [ok]\n---\n# Elsewhere\n\n[00:01:02](https://youtu.be/x?t=61)\n",
    "sub/Deep.md": "# Deep\n\nBack to [[Café notes]] and [[Café notes#Nowhere]].\n",
}

Run = Callable[..., CliResult]


@pytest.fixture
def root(vault) -> Path:
    return vault(NOTES)


def no_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the run was checked again, not replayed")

    monkeypatch.setattr(Engine, "run", refuse)


def test_the_same_run_again_prints_the_same_report_without_checking(
    root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cli(root, "check")
    assert first.code == 1 and "VL101" in first.stdout and "Café" in first.stdout
    assert first.stderr.startswith("Found ")
    no_checking(monkeypatch)
    assert cli(root, "check") == first


def test_a_run_with_the_exit_code_of_a_clean_vault_replays_it(
    vault, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = vault({"a.md": "# A\n\nSee [[b]].\n", "b.md": "# B\n"})
    first = cli(root, "check")
    assert first.code == 0 and first.stdout == "" and "All checks passed" in first.stderr
    no_checking(monkeypatch)
    assert cli(root, "check") == first


def write(rel: str, text: str | None) -> Callable[[Path], list[str]]:
    """A change to the vault: note `rel` written with `text`, or deleted (None)."""

    def change(root: Path) -> list[str]:
        if text is None:
            (root / rel).unlink()
        else:
            (root / rel).write_text(text, encoding="utf-8")
        return []

    return change


# Each changes what the report says, or where: the run after it must be checked afresh and
# print what a run without the cache prints.
CHANGES: dict[str, Callable[[Path], list[str]]] = {
    "format": lambda root: ["--format", "json"],
    "quiet": lambda root: ["--quiet"],
    "exit-zero": lambda root: ["--exit-zero"],
    "select": lambda root: ["--select", "VL102"],
    "statistics": lambda root: ["--statistics"],
    "colour": lambda root: ["--color", "always"],
    "one note named": lambda root: [str(root / "sub" / "Deep.md")],
    "a note edited": write("Elsewhere.md", "# Elsewhere\n\n## Nope\n"),
    "a note added": write("Missing page.md", "# Here now\n"),
    "a note deleted": write("sub/Deep.md", None),
    "the config changed": write(".vaultlint.toml", 'ignore = ["VL102"]\n'),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_to_what_the_report_depends_on_is_checked_afresh(
    root: Path, cli: Run, change: Callable[[Path], list[str]]
) -> None:
    before = cli(root, "check")
    args = change(root)
    after = cli(root, "check", *args)
    fresh = cli(root, "check", "--no-cache", *args)
    assert after == fresh
    assert after != before


def test_paths_shown_from_another_folder_are_not_replayed(root: Path, cli: Run) -> None:
    """CI formats give paths from the current folder: the same command run from the vault's
    parent must not print the paths of a run from inside the vault."""
    args = ("check", "--vault", str(root), "--format", "github")
    inside = cli(root, *args)
    outside = cli(root.parent, *args)
    assert "file=Café notes.md," in inside.stdout
    assert f"file={root.name}/Café notes.md," in outside.stdout


@pytest.mark.parametrize(
    ("name", "value", "shows"),
    [("FORCE_COLOR", "1", "\x1b["), ("VAULTLINT_OUTPUT_FORMAT", "json", '"diagnostics"')],
)
def test_the_environment_the_format_and_colour_come_from_is_heeded(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    shows: str,
) -> None:
    monkeypatch.chdir(root)
    for unset in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "VAULTLINT_OUTPUT_FORMAT"):
        monkeypatch.delenv(unset, raising=False)
    main(["check"])
    assert shows not in capsys.readouterr().out
    monkeypatch.setenv(name, value)
    main(["check"])
    assert shows in capsys.readouterr().out


def test_a_new_baseline_file_is_read(root: Path, cli: Run) -> None:
    baseline = root.parent / "baseline.json"
    assert cli(root, "check", "--write-baseline", str(baseline)).code == 0
    assert cli(root, "check", "--baseline", str(baseline)).code == 0
    (root.parent / "empty.json").write_text('{"version": 1, "entries": []}\n')
    (root.parent / "empty.json").replace(baseline)
    again = cli(root, "check", "--baseline", str(baseline))
    assert again == cli(root, "check", "--no-cache", "--baseline", str(baseline))
    assert again.code == 1


def test_fix_is_never_replayed(root: Path, cli: Run) -> None:
    """Not even on a vault put back exactly as it was, modification times included."""
    note = root / "Elsewhere.md"
    original, stat = note.read_bytes(), note.stat()
    for _ in range(2):
        assert cli(root, "check", "--fix").code == 1
        assert note.read_bytes() != original  # the timestamp link was fixed
        note.write_bytes(original)
        os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_the_output_file_is_written_again(
    root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = root.parent / "report.json"
    first = cli(root, "check", "--format", "json", "--output", str(report))
    written = report.read_bytes()
    report.unlink()
    no_checking(monkeypatch)
    assert cli(root, "check", "--format", "json", "--output", str(report)) == first
    assert report.read_bytes() == written


@pytest.mark.parametrize(
    ("encoding", "errors"),
    [("utf-8", "strict"), ("utf-16", "strict"), ("ascii", "backslashreplace")],
)
def test_a_replay_writes_the_bytes_the_run_wrote(
    root: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, errors: str
) -> None:
    """Through the stream's encoding, as the run did (UTF-8 is written as stored); the
    stored report is read a few bytes at a time, so that a character is split between two."""
    monkeypatch.chdir(root)
    monkeypatch.setattr("vaultlint.cache._CHUNK", 3)

    def run() -> tuple[int, bytes]:
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding=encoding, errors=errors, write_through=True)
        monkeypatch.setattr(sys, "stdout", stream)
        code = main(["check", "--color", "never"])
        stream.flush()
        return code, raw.getvalue()

    first = run()
    assert "Café".encode(encoding, errors) in first[1]
    no_checking(monkeypatch)
    assert run() == first


def test_a_report_that_utf8_cannot_hold_is_written_but_not_kept() -> None:
    """A lone surrogate (Python's stand-in for a byte that is not UTF-8) goes to the stream
    as its error handler writes it; the copy is then not whole, and not kept."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape")
    copying = _Copying(out)
    copying.write("bad\udcff.md\n")
    copying.write("next\n")
    out.flush()
    assert raw.getvalue() == b"bad\xff.md\nnext\n"
    assert not copying.whole


@pytest.mark.parametrize(
    "record", [b"", b"\x00" * 5, b"\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00"]
)
def test_a_damaged_record_is_checked_afresh(root: Path, cli: Run, record: bytes) -> None:
    """Too short, or saying it holds more than it does: the run checks the vault instead."""
    first = cli(root, "check")
    (database,) = (root / CACHE_DIR).glob("*.sqlite3")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE reports SET report = ?", (record,))
    assert cli(root, "check") == first
