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


def test_internal_error_exits_2_naming_the_note(vault, monkeypatch, capsys):
    """A bug in a rule is never a silent pass: exit 2, with the note and a traceback."""
    from vaultlint import cli, rules
    from vaultlint.rules import CheckSpec

    def broken(note, ctx):
        raise ValueError("boom")

    spec = rules.CHECKS[0]
    monkeypatch.setattr(rules, "CHECKS", [CheckSpec(spec.rules, broken)])
    monkeypatch.setattr("vaultlint.checker.CHECKS", [CheckSpec(spec.rules, broken)])
    root = vault({"a.md": "text\n"})
    assert cli.main(["check", "--vault", str(root)]) == 2
    err = capsys.readouterr().err
    assert "internal error while checking a.md: ValueError('boom')" in err
    assert "Traceback" in err
