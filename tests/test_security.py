"""What a vault can make vaultlint do (SECURITY.md): it reads nothing outside the vault root,
imports no code from the vault or its config, constructs no Python object from YAML, and keeps
its cache's signing key private. Elsewhere: a planted cache is never unpickled
(tests/test_cache.py::test_a_planted_cache_is_never_unpickled); no regex can be made to
backtrack for long (tests/test_backtracking.py)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_vault
from tests.test_hostile import run_check, symlinks_out
from tests.timebound import within

ESCAPES = (
    "[[../outside]] [[../outside#Secret]] [[../../etc/passwd]] [[/etc/passwd]]\n"
    "[a](../outside.md) [b](/etc/passwd) [c](..%2Foutside.md) [d](file:///etc/passwd)\n"
    "![[../pic.png]] [[ext/secret]] [[out]] [[abs]]\n"
)


def test_links_never_reach_or_read_outside_the_vault(tmp_path: Path) -> None:
    """Relative paths up and out, absolute paths, percent-encoded `../`, and symlinks to
    files and folders outside: each link is broken, and no file or folder outside the vault
    is opened or listed during the run (Python's audit hooks see every `open` and listing),
    but for Python's own modules and the cache's signing key."""
    (tmp_path / "outside.md").write_text("# Secret\n", encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")
    root = write_vault(tmp_path / "vault", {"note.md": ESCAPES})
    symlinks_out(root)
    allowed = [os.path.abspath(p) for p in sys.path if p] + [os.environ["XDG_CACHE_HOME"]]

    def run() -> tuple[tuple[int, str, str], list[str]]:
        touched: list[str] = []

        def audit(event: str, args: tuple) -> None:
            if event in ("open", "os.scandir", "os.listdir") and isinstance(args[0], str | bytes):
                touched.append(os.path.abspath(os.fsdecode(args[0])))

        sys.addaudithook(audit)  # in the forked child only
        return run_check(root), touched

    ((code, out, err), touched), _ = within(10, run)
    assert code == 1, err
    outside = {p for p in touched if p != str(root) and not p.startswith(str(root) + os.sep)}
    assert not {p for p in outside if not any(p.startswith(a) for a in allowed)}
    diagnostics = json.loads(out)["diagnostics"]
    assert [(d["line"], d["column"], d["code"]) for d in diagnostics] == [
        (1, 1, "VL101"), (1, 16, "VL101"), (1, 38, "VL101"), (1, 59, "VL101"),
        (2, 1, "VL101"), (2, 20, "VL101"), (2, 37, "VL101"),
        (3, 1, "VL104"), (3, 17, "VL101"), (3, 32, "VL101"), (3, 40, "VL101"),
    ]  # fmt: skip
    assert not any("Secret" in d["message"] or "did you mean" in d["message"] for d in diagnostics)


IMPORTABLE = [
    "yaml",
    "mistune",
    "pydantic",
    "difflib",
    "sitecustomize",
    "usercustomize",
    "vaultlint",
]


def test_no_python_file_in_the_vault_or_its_config_is_run(tmp_path: Path) -> None:
    """A cloned vault may hold Python files named like the modules vaultlint imports, and a
    config that names code. The `vaultlint` command, run from inside the vault, imports none
    (`python -m vaultlint` would: Python puts the current folder first on `sys.path`, see
    SECURITY.md), and no config key takes a module."""
    script = Path(sys.executable).with_name("vaultlint")
    if not script.exists():
        pytest.skip("the vaultlint command is not installed next to this Python")
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'a').write(__name__)\n"
    files: dict[str, str | bytes] = {f"{name}.py": payload for name in IMPORTABLE}
    files |= {"vaultlint/__init__.py": payload, "note.md": "[[gone]]\n"}
    root = write_vault(tmp_path / "vault", files)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    run = subprocess.run([script, "check"], cwd=root, env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert not marker.exists(), marker.read_text()
    for config in (
        'plugins = ["yaml"]\n',
        '[[schema]]\npaths = ["**"]\nvalidator = "yaml:load"\n',
        '[[schema]]\npaths = ["**"]\n[schema.fields]\nx = { type = "yaml:load" }\n',
    ):
        (root / "vaultlint.toml").write_text(config, encoding="utf-8")
        run = subprocess.run([script, "check"], cwd=root, env=env, capture_output=True, text=True)
        assert run.returncode == 2 and "vaultlint.toml" in run.stderr, run.stderr
        assert not marker.exists(), marker.read_text()


def test_yaml_tags_never_build_python_objects(tmp_path: Path) -> None:
    """Frontmatter is loaded with a safe loader: a tag naming Python is invalid YAML (VL201),
    and nothing runs. Measured: 0.03 s."""
    marker = tmp_path / "ran"
    tags = [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f"!!python/object/new:subprocess.Popen [[touch, {marker}]]",
        "!!python/name:os.system",
        "!!python/module:os",
    ]
    root = write_vault(
        tmp_path / "vault", {f"n{i}.md": f"---\nx: {tag}\n---\n" for i, tag in enumerate(tags)}
    )
    (code, out, err), _ = within(2, lambda: run_check(root))
    assert code == 1, err
    found = [(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]]
    assert found == [(f"n{i}.md", "VL201") for i in range(len(tags))]
    assert not marker.exists()


def test_the_cache_signing_key_is_private_and_outside_the_vault(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", {"note.md": "[[gone]]\n"})
    (code, _, err), _ = within(2, lambda: run_check(root))
    assert code == 1, err
    key = Path(os.environ["XDG_CACHE_HOME"]) / "vaultlint" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not key.resolve().is_relative_to(root.resolve())
    assert (root / ".vaultlint_cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
