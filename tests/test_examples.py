"""The bundled `examples/` vault: every rule fires under `problems/`, nothing under `clean/`."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, run_cli
from vaultlint.config import config_file_in, load_settings
from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.engine import Engine
from vaultlint.rules import RULES

EXAMPLES = REPO / "examples"


def run_examples(paths: list[str] | None = None) -> list[Diagnostic]:
    """Lint the examples vault with its own `vaultlint.toml`, as `vaultlint check` would."""
    settings = load_settings(config_file_in(EXAMPLES))
    targets = [EXAMPLES / p for p in paths] if paths else None
    return Engine(EXAMPLES, settings).run(targets).diagnostics


@pytest.fixture(scope="module")
def diagnostics() -> list[Diagnostic]:
    return run_examples()


def test_examples_has_its_own_config() -> None:
    assert config_file_in(EXAMPLES) == EXAMPLES / "vaultlint.toml"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_fires_under_problems(diagnostics: list[Diagnostic], code: str) -> None:
    fired = [d for d in diagnostics if d.code == code]
    assert fired, f"{code} {RULES[code].name} does not fire anywhere in examples/"
    assert all(d.path.startswith("problems/") for d in fired)


def test_nothing_fires_under_clean(diagnostics: list[Diagnostic]) -> None:
    assert [d for d in diagnostics if d.path.startswith("clean/")] == []


def test_excluded_templates_are_not_reported(diagnostics: list[Diagnostic]) -> None:
    assert [d for d in diagnostics if d.path.startswith("templates/")] == []
    # Named explicitly, the template is checked: its placeholders are broken links.
    named = run_examples(["templates/Episode template.md"])
    assert "VL101" in {d.code for d in named}


def test_config_makes_csv_an_attachment_and_ambiguity_an_error(
    diagnostics: list[Diagnostic],
) -> None:
    survey = [d for d in diagnostics if "listener-survey.csv" in d.message]
    assert [d.code for d in survey] == ["VL104"]
    ambiguous = [d for d in diagnostics if d.code == "VL105"]
    assert ambiguous
    assert all(d.severity is Severity.ERROR for d in ambiguous)


def test_cli_check_examples_exits_1_with_diagnostics() -> None:
    result = run_cli("check", "--format", "concise", "examples", cwd=REPO)
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith("problems/") for line in lines)
    assert {re.search(r": (VL\d{3}) \[", line).group(1) for line in lines} == set(RULES)
