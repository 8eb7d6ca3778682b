"""Shared helpers: build a small vault in a temp folder and lint it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from vaultlint.cli import main
from vaultlint.config import Settings
from vaultlint.diagnostics import Diagnostic
from vaultlint.engine import Engine

# The cache's signing key lives in the user's cache folder: keep the tests' out of the real one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="vaultlint-tests-")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
MakeVault = Callable[[dict[str, str | bytes]], Path]


def deny_reading(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Reading a file named `name` fails with a permission error: simulated, as the suite
    may run as root, who reads anything. Both ways a file is read are covered: pathlib, and
    by file descriptor (how a note is read to be checked). A worker process inherits it."""
    real_read, real_open = Path.read_bytes, os.open

    def read_bytes(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def os_open(file: str, *args: int) -> int:
        if os.path.basename(os.fspath(file)) == name:
            raise PermissionError(13, "Permission denied", file)
        return real_open(file, *args)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", os_open)


def write_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (vault-relative path -> text or bytes) under `root`, with `.obsidian/`."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def lint(
    root: Path, settings: Settings | None = None, paths: list[Path] | None = None
) -> list[Diagnostic]:
    """Run the engine in-process on the vault at `root`."""
    return Engine(root, settings or Settings()).run(paths).diagnostics


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run `python -m vaultlint ARGS` as a user would, in a subprocess (this checkout's code)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "VAULTLINT_OUTPUT_FORMAT"):
        if env is None or name not in env:
            full_env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-m", "vaultlint", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """`cli(cwd, *args)` runs `vaultlint ARGS` in-process from folder `cwd` (fast)."""

    def run(cwd: Path, *args: str) -> CliResult:
        monkeypatch.chdir(cwd)
        for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "VAULTLINT_OUTPUT_FORMAT"):
            monkeypatch.delenv(name, raising=False)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse errors
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def vault(tmp_path: Path):
    """`vault({...})` writes the files and returns the vault root."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_vault(tmp_path / "vault", files)

    return make


def assert_config_refused(run: CliResult, *words: str) -> None:
    """A bad config: exit 2, nothing on stdout, no traceback, the file and `words` named."""
    assert run.code == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    for word in ("vaultlint.toml", *words):
        assert word in run.stderr, (word, run.stderr)
