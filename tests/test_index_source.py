"""`--index-source git`: the index holds only the files git tracks, so a link to a note that
exists on disk but will not be in the commit is broken."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import MakeVault, run_cli, write_vault


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_untracked_note_is_not_a_link_target(vault: MakeVault) -> None:
    root = vault({"a.md": "See [[c]].\n", "c.md": "# C\n"})
    git(root, "init", "-q")
    git(root, "add", "a.md")

    assert run_cli("check", cwd=root).code == 0  # fs: c.md is on disk
    result = run_cli("check", "--index-source", "git", "--format", "concise", cwd=root)
    assert result.code == 1
    assert result.stdout == 'a.md:1:5: VL101 [error] no note "c"\n'

    git(root, "add", "c.md")  # staged is enough: it will be in the commit
    assert run_cli("check", "--index-source", "git", cwd=root).code == 0


def test_untracked_notes_are_not_reported_on_either(vault: MakeVault) -> None:
    root = vault({"a.md": "fine\n", "scratch.md": "[[nowhere]]\n"})
    git(root, "init", "-q")
    git(root, "add", "a.md")
    result = run_cli("check", "--index-source", "git", cwd=root)
    assert result.code == 0
    assert "1 note checked" in result.stderr
    # Named explicitly, an untracked note is still checked (against the tracked index).
    named = run_cli("check", "--index-source", "git", "scratch.md", cwd=root)
    assert named.code == 1
    assert "nowhere" in named.stdout


def test_tracked_vault_gives_the_same_result_as_the_file_system(vault: MakeVault) -> None:
    root = vault(
        {
            "a.md": "# T\n\nsee [[gone]] and ![[pic.png]] and [[sub/b#X]]\n",
            "sub/b.md": "# X\n# X\n",
            "日本 notes/c d.md": "fine [[a]] [[b]]\n",
            ".hidden/x.md": "[[gone]]\n",
            "node_modules/pkg/readme.md": "[[gone]]\n",
            "d.md": "[[x]] is hidden, [[readme]] is excluded\n",
        }
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    fs = run_cli("check", "--format", "json", cwd=root)
    tracked = run_cli("check", "--format", "json", "--index-source", "git", cwd=root)
    assert fs.code == tracked.code == 1
    assert tracked.json()["diagnostics"] == fs.json()["diagnostics"]
    assert tracked.json()["checked"] == fs.json()["checked"] == 4


def test_vault_in_a_folder_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_vault(repo / "vault", {"a.md": "[[b]] [[outside]]\n", "b.md": ""})
    (repo / "outside.md").write_text("not in the vault\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    result = run_cli("check", "--index-source", "git", "--format", "concise", "vault", cwd=repo)
    assert result.code == 1
    assert result.stdout == 'a.md:1:7: VL101 [error] no note "outside"\n'


def test_not_a_git_repository_is_a_usage_error(vault: MakeVault) -> None:
    root = vault({"a.md": ""})
    result = run_cli(
        "check",
        "--index-source",
        "git",
        cwd=root,
        env={"GIT_CEILING_DIRECTORIES": str(root.parent)},
    )
    assert result.code == 2
    assert "--index-source git" in result.stderr
    assert "not a git repository" in result.stderr
    assert "Traceback" not in result.stderr
