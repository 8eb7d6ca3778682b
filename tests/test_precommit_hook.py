"""The pre-commit hooks as a user meets them: a vault in its own git repository installs the hooks
from this repository (`.pre-commit-hooks.yaml`, `language: python`, so pre-commit builds its own
environment with pip), and `git commit` is refused or let through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_vault

if not (REPO / ".git").exists():
    pytest.skip("needs a git checkout of vaultlint", allow_module_level=True)

GIT_IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.invalid")


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *GIT_IDENTITY, "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def snapshot_of_this_repo(dest: Path) -> str:
    """Clone this repository to `dest` and commit there its uncommitted changes to tracked files
    (as `pre-commit try-repo` does), so the hooks tested are the working tree's. Return the
    commit to use as `rev`."""
    git(dest.parent, "clone", "-q", str(REPO), str(dest))
    diff = subprocess.run(
        ["git", "diff", "HEAD", "--binary"], cwd=REPO, capture_output=True, check=True
    ).stdout
    if diff:
        subprocess.run(["git", "apply", "--whitespace=nowarn"], input=diff, cwd=dest, check=True)
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "-m", "uncommitted changes")
    return git(dest, "rev-parse", "HEAD").strip()


def test_manifest_is_valid() -> None:
    manifest = REPO / ".pre-commit-hooks.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


class VaultRepo:
    """A vault in a git repository with vaultlint's hooks installed."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text, encoding="utf-8")
        git(self.root, "add", rel)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *GIT_IDENTITY, "commit", "-q", "-m", message],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def commits(self) -> int:
        return int(git(self.root, "rev-list", "--count", "HEAD"))


def hook_line(output: str, name: str) -> str:
    """pre-commit's status for hook `name`: Passed, Failed or (no files to check)Skipped."""
    m = re.search(rf"^{re.escape(name)}\.+(.*)$", output, re.M)
    assert m, output
    return m.group(1).strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> VaultRepo:
    base = tmp_path_factory.mktemp("precommit")
    rev = snapshot_of_this_repo(base / "vaultlint")
    root = write_vault(
        base / "vault",
        {
            ".obsidian/app.json": "{}\n",
            "vaultlint.toml": 'exclude = ["templates/**"]\n',
            "A.md": "# A\n",
            ".pre-commit-config.yaml": (
                "repos:\n"
                f"  - repo: {base / 'vaultlint'}\n"
                f"    rev: {rev}\n"
                "    hooks:\n"
                "      - id: vaultlint\n"
                "      - id: vaultlint-vault\n"
            ),
        },
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(base / "pre-commit-home")
    env.pop("VAULTLINT_OUTPUT_FORMAT", None)
    env.pop("GITHUB_ACTIONS", None)
    git(root, "init", "-q")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=root, env=env, check=True)
    vault = VaultRepo(root, env)
    git(root, "add", "-A")
    first = vault.commit("A vault")  # builds the hook environment (pip install of vaultlint)
    assert first.returncode == 0, first.stdout + first.stderr
    return vault


def test_commit_with_a_broken_link_is_refused_then_passes_once_fixed(repo: VaultRepo) -> None:
    before = repo.commits()
    repo.write("B.md", "See [[A]] and [[Ghost]].\n")
    refused = repo.commit("B links to a ghost")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert repo.commits() == before
    assert hook_line(output, "vaultlint") == "Failed"
    assert "B.md" in output
    assert "1:15" in output
    assert 'VL101  broken-link: no note "Ghost"' in output

    repo.write("B.md", "See [[A]].\n")
    passed = repo.commit("B links to A")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert hook_line(output, "vaultlint") == "Passed"
    assert hook_line(output, "vaultlint (whole vault)") == "Passed"
    assert repo.commits() == before + 1


def test_configured_excludes_apply_to_staged_files(repo: VaultRepo) -> None:
    repo.write("templates/Episode.md", "Guest: [[{{guest}}]]\n")
    result = repo.commit("a template with a placeholder link")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deleting_a_linked_note_is_caught_in_the_untouched_notes(repo: VaultRepo) -> None:
    repo.write("Topic.md", "# Topic\n")
    repo.write("Uses topic.md", "Read [[Topic]].\n")
    repo.write("Also uses topic.md", "Then [[Topic#Topic]].\n")
    assert repo.commit("a topic and two notes that link to it").returncode == 0
    git(repo.root, "rm", "-q", "Topic.md")
    try:
        refused = repo.commit("delete the topic")
    finally:
        git(repo.root, "reset", "-q", "--hard")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    # No note is staged, so the per-note hook has nothing to do; the whole-vault hook finds
    # the links that the deletion broke in notes the commit did not touch.
    assert hook_line(output, "vaultlint") == "(no files to check)Skipped"
    assert hook_line(output, "vaultlint (whole vault)") == "Failed"
    assert "Uses topic.md\n  1:6 " in output
    assert "Also uses topic.md\n  1:6 " in output
    assert output.count('VL101  broken-link: no note "Topic"') == 2
