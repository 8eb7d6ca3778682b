"""What a person at a terminal sees: the progress bar (a real pseudo-terminal as stderr) and the
statistics table."""

from __future__ import annotations

import os
import pty
import select
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MakeVault, run_cli
from vaultlint import terminal
from vaultlint.cli import main

ANSI = "\x1b["
NOTES: dict[str, str | bytes] = {f"n{i:03}.md": f"[[n{i + 1:03}]]\n" for i in range(200)}


class Terminal:
    """A pseudo-terminal standing in for the user's terminal on stderr."""

    def __init__(self) -> None:
        self.master, slave = pty.openpty()
        self.stream = open(slave, "w", encoding="utf-8")  # noqa: SIM115

    def read(self) -> str:
        self.stream.flush()
        chunks = []
        while select.select([self.master], [], [], 0.2)[0]:
            chunks.append(os.read(self.master, 65536))
        return b"".join(chunks).decode("utf-8", "replace")

    def close(self) -> None:
        self.stream.close()
        os.close(self.master)


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Terminal]:
    for name in ("CI", "NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "VAULTLINT_OUTPUT_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    term = Terminal()
    yield term
    term.close()


def run_in(root: Path, tty: Terminal, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """`vaultlint check ARGS` in folder `root`, with the pseudo-terminal as stderr."""
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "stderr", tty.stream)  # here: pytest swaps streams before a test
    return main(["check", *args])


def test_progress_bar_on_a_terminal_for_a_long_run(
    vault: MakeVault, tty: Terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terminal, "PROGRESS_DELAY", 0.0)  # every run counts as a long one
    assert run_in(vault(NOTES), tty, monkeypatch) == 1
    shown = tty.read()
    assert "Checking notes" in shown
    assert "200/200" in shown
    assert shown.index("Found 1 error") > shown.rindex("200/200")  # after the bar
    assert "Found 1 error in 1 note (200 notes checked)." in shown


def test_no_progress_bar_for_a_run_shorter_than_a_second(
    vault: MakeVault, tty: Terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert terminal.PROGRESS_DELAY == 1.0
    assert run_in(vault(NOTES), tty, monkeypatch) == 1
    shown = tty.read()
    assert "Checking notes" not in shown
    assert "Found 1 error" in shown


@pytest.mark.parametrize(
    ("env", "args"),
    [({"CI": "true"}, ()), ({}, ("--quiet",)), ({"TERM": "dumb"}, ())],
    ids=["CI", "--quiet", "dumb terminal"],
)
def test_no_progress_bar_in_ci_or_when_quiet(
    vault: MakeVault,
    tty: Terminal,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: tuple[str, ...],
) -> None:
    monkeypatch.setattr(terminal, "PROGRESS_DELAY", 0.0)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    run_in(vault(NOTES), tty, monkeypatch, *args)
    assert "Checking notes" not in tty.read()


def test_no_progress_bar_when_stderr_is_a_pipe_even_with_force_color(vault: MakeVault) -> None:
    # rich alone would take FORCE_COLOR for an interactive terminal and animate the bar.
    root = vault(NOTES)
    result = run_cli("check", cwd=root, env={"FORCE_COLOR": "1"})
    assert "Checking notes" not in result.stderr
    assert result.stderr == "Found 1 error in 1 note (200 notes checked).\n"


# -- statistics ----------------------------------------------------------------------------------

STATS_VAULT: dict[str, str | bytes] = {"a.md": "[[x]] [[y]]\n", "b.md": "# X\n# X\n[[z]]\n"}


def test_statistics_table_as_plain_text(vault: MakeVault) -> None:
    result = run_cli("check", "--statistics", cwd=vault(STATS_VAULT))
    assert result.code == 1
    assert result.stdout == (
        "count  code   name               severity\n"
        "    3  VL101  broken-link        error\n"
        "    1  VL402  duplicate-heading  warning\n"
    )
    assert "Found 3 errors and 1 warning" in result.stderr


def test_statistics_table_on_a_colour_terminal(vault: MakeVault) -> None:
    result = run_cli("check", "--statistics", cwd=vault(STATS_VAULT), env={"FORCE_COLOR": "1"})
    assert ANSI in result.stdout
    plain = [line.split() for line in _strip_ansi(result.stdout).splitlines() if line.strip()]
    assert plain[0] == ["count", "code", "name", "severity"]
    assert plain[2:] == [
        ["3", "VL101", "broken-link", "error"],
        ["1", "VL402", "duplicate-heading", "warning"],
    ]


def test_statistics_follow_no_color(vault: MakeVault) -> None:
    plain = run_cli("check", "--statistics", cwd=vault(STATS_VAULT), env={"NO_COLOR": "1"})
    assert ANSI not in plain.stdout
    assert plain.stdout.startswith("count  code")


def test_no_statistics_table_when_all_is_well(vault: MakeVault) -> None:
    result = run_cli("check", "--statistics", cwd=vault({"a.md": ""}))
    assert (result.code, result.stdout) == (0, "")


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)
