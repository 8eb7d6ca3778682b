"""The package imports and the CLI answers."""

from tests.conftest import codes, lint, run_cli


def test_broken_link_found_and_exit_code_1(vault):
    root = vault({"a.md": "see [[missing]]\n", "b.md": "see [[a]]\n"})
    assert codes(lint(root)) == ["VL101"]
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 1
    assert result.stdout == 'a.md:1:5: VL101 [error] no note "missing"\n'


def test_clean_vault_exits_0(vault):
    root = vault({"a.md": "# A\n\nsee [[b]]\n", "b.md": "see [[a#A]]\n"})
    result = run_cli("check", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    assert "All checks passed!" in result.stderr
