"""Finding the vault root and its config, validating the config, and what each key does.

Most tests call `vaultlint.cli.main` in-process (fast); `run_cli` is used where the whole
command, run from a folder as a user would, is what matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MakeVault, assert_config_refused, codes, lint, run_cli, write_vault
from vaultlint.config import config_file_in, find_vault_root, load_settings
from vaultlint.diagnostics import Diagnostic, Severity

# A note that fires VL101, VL104, VL401 and VL402 (all on by default).
MIXED = "# Top\n\n### Deep\n\n# Top\n\nsee [[missing]] and ![[pic.png]]\n"
MIXED_CODES = {"VL101", "VL104", "VL401", "VL402"}


def write(root: Path, files: dict[str, str]) -> Path:
    """Write files under `root` without adding `.obsidian/` (for discovery tests)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lint_with_config(root: Path) -> list[Diagnostic]:
    """Lint `root` with the config that discovery finds there."""
    return lint(root, load_settings(config_file_in(root)))


def code_set(diagnostics: list[Diagnostic]) -> set[str]:
    return set(codes(diagnostics))


def has_marker_above(path: Path) -> bool:
    return any(
        (p / ".obsidian").is_dir() or config_file_in(p) is not None
        for p in (path.resolve(), *path.resolve().parents)
    )


# -- discovery ---------------------------------------------------------------------------------

MARKERS = {
    ".obsidian": {".obsidian/app.json": "{}\n"},
    "vaultlint.toml": {"vaultlint.toml": 'ignore = ["VL402"]\n'},
    ".vaultlint.toml": {".vaultlint.toml": 'ignore = ["VL402"]\n'},
    "pyproject.toml": {
        "pyproject.toml": '[project]\nname = "x"\n[tool.vaultlint]\nignore = ["VL402"]\n'
    },
}


@pytest.mark.parametrize("marker", list(MARKERS))
def test_root_is_nearest_folder_with_a_marker(tmp_path: Path, cli, marker: str) -> None:
    root = write(tmp_path / "v", {**MARKERS[marker], "top.md": "[[sub/deep/a]]\n"})
    write(root, {"sub/deep/a.md": "# A\n# A\n[[top]]\n"})
    assert find_vault_root(root / "sub" / "deep" / "a.md") == root.resolve()
    assert find_vault_root(root / "sub") == root.resolve()

    run = cli(root / "sub", "check", "--format", "json", "deep/a.md")
    assert run.code == 0, run.stderr
    doc = run.json()
    assert doc["vault"] == str(root.resolve())
    assert doc["checked"] == 1
    # `[[top]]` resolves against the root; the config (where there is one) ignores VL402
    expected = [] if marker != ".obsidian" else ["VL402"]
    assert [d["code"] for d in doc["diagnostics"]] == expected


def test_pyproject_without_tool_table_is_not_a_marker(tmp_path: Path) -> None:
    outer = write(tmp_path / "v", {".obsidian/app.json": "{}\n"})
    write(outer, {"sub/pyproject.toml": '[project]\nname = "x"\n', "sub/a.md": ""})
    assert find_vault_root(outer / "sub" / "a.md") == outer.resolve()
    assert config_file_in(outer / "sub") is None


def test_pyproject_without_tool_table_gives_defaults(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"pyproject.toml": "[tool.black]\nline-length = 3\n"})
    write(root, {"a.md": MIXED})
    run = cli(root, "check", "--format", "json")
    assert {d["code"] for d in run.json()["diagnostics"]} == MIXED_CODES


def test_nearest_ancestor_wins(tmp_path: Path, cli) -> None:
    outer = write_vault(tmp_path / "outer", {"o.md": "# X\n# X\n"})
    inner = write(outer / "inner", {"vaultlint.toml": 'select = ["VL101"]\n', "i.md": MIXED})
    assert find_vault_root(inner / "i.md") == inner.resolve()
    assert find_vault_root(outer / "o.md") == outer.resolve()

    run = cli(outer, "check", "--format", "json", "inner/i.md")
    doc = run.json()
    assert doc["vault"] == str(inner.resolve())
    assert [(d["path"], d["code"]) for d in doc["diagnostics"]] == [("i.md", "VL101")]


def test_first_path_chooses_the_vault_not_the_current_folder(tmp_path: Path, cli) -> None:
    here = write_vault(tmp_path / "here", {"h.md": "[[nothing here]]\n"})
    there = write_vault(tmp_path / "there", {"t.md": "[[other]]\n", "other.md": ""})
    run = cli(here, "check", "--format", "json", str(there / "t.md"))
    assert run.code == 0, run.stderr
    assert run.json()["vault"] == str(there.resolve())


def test_no_marker_anywhere_uses_the_current_folder(tmp_path: Path, cli) -> None:
    """DESIGN 2.1: "... else the current folder" (not the folder of the first path)."""
    if has_marker_above(tmp_path):
        pytest.skip("a folder above the temp dir holds a vault marker")
    root = write(tmp_path / "plain", {"notes/a.md": "[[b]]\n", "b.md": ""})
    run = cli(root, "check", "--format", "json", "notes/a.md")
    assert run.json()["vault"] == str(root.resolve())
    assert run.json()["diagnostics"] == []
    assert run.code == 0


def test_no_marker_and_no_paths_uses_the_current_folder(tmp_path: Path, cli) -> None:
    if has_marker_above(tmp_path):
        pytest.skip("a folder above the temp dir holds a vault marker")
    root = write(tmp_path / "plain", {"notes/a.md": "[[b]]\n", "b.md": ""})
    run = cli(root, "check", "--format", "json")
    assert run.json()["vault"] == str(root.resolve())
    assert run.json()["checked"] == 2
    assert run.code == 0


def test_vault_option_overrides_discovery(tmp_path: Path, cli) -> None:
    here = write_vault(tmp_path / "here", {"vaultlint.toml": 'select = ["VL4"]\n', "h.md": MIXED})
    other = write_vault(
        tmp_path / "other", {"vaultlint.toml": 'select = ["VL101"]\n', "o.md": MIXED}
    )
    run = cli(here, "check", "--format", "json", "--vault", str(other))
    doc = run.json()
    assert doc["vault"] == str(other.resolve())
    # the config of the --vault folder applies
    assert [(d["path"], d["code"]) for d in doc["diagnostics"]] == [("o.md", "VL101")]


def test_vault_option_must_be_a_folder(tmp_path: Path, cli) -> None:
    run = cli(tmp_path, "check", "--vault", str(tmp_path / "nope"))
    assert run.code == 2
    assert "nope" in run.stderr
    assert "Traceback" not in run.stderr


def test_config_option_replaces_discovery(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"vaultlint.toml": 'ignore = ["VL101"]\n', "a.md": MIXED})
    other = write(tmp_path / "elsewhere", {"strict.toml": 'ignore = ["VL402"]\n'})
    run = cli(root, "check", "--format", "json", "--config", str(other / "strict.toml"))
    assert {d["code"] for d in run.json()["diagnostics"]} == MIXED_CODES - {"VL402"}
    assert run.json()["vault"] == str(root.resolve())


def test_config_option_reads_pyproject_tool_table(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"a.md": MIXED})
    cfg = write(tmp_path, {"cfg/pyproject.toml": '[tool.vaultlint]\nselect = ["VL104"]\n'})
    run = cli(root, "check", "--format", "json", "--config", str(cfg / "cfg" / "pyproject.toml"))
    assert [d["code"] for d in run.json()["diagnostics"]] == ["VL104"]


def test_config_option_missing_file_exits_2(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"a.md": ""})
    run = cli(root, "check", "--config", "absent.toml")
    assert run.code == 2
    assert "absent.toml" in run.stderr
    assert "Traceback" not in run.stderr


def test_discovery_end_to_end_from_a_subfolder(tmp_path: Path) -> None:
    """As a user would: `cd vault/sub && vaultlint check` lints the whole vault with its config."""
    root = write_vault(tmp_path / "v", {"vaultlint.toml": 'ignore = ["VL4"]\n', "a.md": MIXED})
    write(root, {"sub/b.md": "[[a]] [[gone]]\n"})
    result = run_cli("check", "--format", "concise", cwd=root / "sub")
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["VL101", "VL104", "VL101"]
    assert [line.split(":")[0] for line in lines] == ["a.md", "a.md", "sub/b.md"]


# -- bad config --------------------------------------------------------------------------------

# config text, parts the error must name (the key, the bad value)
BAD_CONFIGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "unknown top-level key": ('selct = ["VL1"]\n', ("selct",)),
    "unknown nested key": ('[links]\nattachmets = ["png"]\n', ("links.attachmets",)),
    "unknown nested table": ("[linkz]\nattachments = []\n", ("linkz",)),
    "select not a list": ('select = "VL1"\n', ("select",)),
    "exclude not a list": ("exclude = 3\n", ("exclude",)),
    "attachments wrong item type": ("[links]\nattachments = [1]\n", ("links.attachments",)),
    "bad enum value": ('[timestamps]\norder = "sideways"\n', ("timestamps.order",)),
    "bad time value": ('[timestamps]\nmax = "soon"\n', ("timestamps.max",)),
    "unknown selector in select": ('select = ["VL999"]\n', ("select", "VL999")),
    "unknown selector in ignore": ('ignore = ["no-such-rule"]\n', ("ignore", "no-such-rule")),
    "unknown selector in per-file-ignores": (
        '[per-file-ignores]\n"daily/**" = ["VL9"]\n',
        ("per-file-ignores", "VL9"),
    ),
    "unknown rule in severity": ('[severity]\nVL999 = "warning"\n', ("severity", "VL999")),
    "bad severity value": ('[severity]\nVL101 = "fatal"\n', ("severity", "VL101")),
    "glob that does not compile": ('exclude = ["[z-a]"]\n', ("exclude[0]", "invalid glob")),
    "bad glob in per-file-ignores": (
        '[per-file-ignores]\n"[]" = ["VL1"]\n',
        ("per-file-ignores", "unterminated character set"),
    ),
    "bad glob in schema paths": ('[[schema]]\npaths = ["[b-a]"]\n', ("schema[0].paths[0]", "b-a")),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_exits_2_naming_key_and_file(tmp_path: Path, cli, case: str) -> None:
    text, parts = BAD_CONFIGS[case]
    root = write_vault(tmp_path / "v", {"vaultlint.toml": text, "a.md": "[[gone]]\n"})
    assert_config_refused(cli(root, "check"), *parts)


def test_bad_key_in_pyproject_names_key_and_file(tmp_path: Path, cli) -> None:
    text = '[project]\nname = "x"\n[tool.vaultlint]\nselct = ["VL1"]\n'
    root = write_vault(tmp_path / "v", {"pyproject.toml": text, "a.md": ""})
    run = cli(root, "check")
    assert run.code == 2
    assert "pyproject.toml" in run.stderr
    assert "selct" in run.stderr


def test_invalid_toml_exits_2_naming_file_and_line(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"vaultlint.toml": 'select = ["VL1"\nignore = []\n'})
    run = cli(root, "check")
    assert run.code == 2
    assert "vaultlint.toml" in run.stderr
    assert "line 2" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_config_exits_2_even_with_exit_zero(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"vaultlint.toml": "selct = []\n", "a.md": ""})
    assert cli(root, "check", "--exit-zero").code == 2


def test_unknown_selector_on_command_line_exits_2(tmp_path: Path, cli) -> None:
    root = write_vault(tmp_path / "v", {"a.md": ""})
    run = cli(root, "check", "--select", "VL1,VL998")
    assert run.code == 2
    assert "VL998" in run.stderr
    run = cli(root, "check", "--ignore", "nonsense")
    assert run.code == 2
    assert "nonsense" in run.stderr


def test_bad_config_end_to_end(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {".vaultlint.toml": '[links]\nattachmets = ["png"]\n'})
    result = run_cli("check", cwd=root)
    assert result.code == 2
    assert "links.attachmets" in result.stderr
    assert ".vaultlint.toml" in result.stderr
    assert "Traceback" not in result.stderr


# -- select / ignore / per-file-ignores / severity -----------------------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('select = ["VL1"]\n', {"VL101", "VL104"}),
        ('select = ["VL101"]\n', {"VL101"}),
        ('select = ["broken-link"]\n', {"VL101"}),
        ('select = ["VL4", "missing-attachment"]\n', {"VL104", "VL401", "VL402"}),
        ('select = ["VL"]\n', MIXED_CODES),
        ('ignore = ["VL101"]\n', MIXED_CODES - {"VL101"}),
        ('ignore = ["VL4"]\n', {"VL101", "VL104"}),
        ('ignore = ["duplicate-heading"]\n', MIXED_CODES - {"VL402"}),
        ('select = ["VL1"]\nignore = ["VL104"]\n', {"VL101"}),
    ],
)
def test_select_and_ignore(vault: MakeVault, config: str, expected: set[str]) -> None:
    root = vault({"vaultlint.toml": config, "a.md": MIXED})
    assert code_set(lint_with_config(root)) == expected


def test_per_file_ignores_with_globs(vault: MakeVault) -> None:
    config = '[per-file-ignores]\n"daily/**" = ["VL101"]\n"*.draft.md" = ["VL1"]\n'
    root = vault(
        {
            "vaultlint.toml": config,
            "a.md": "[[gone]] ![[pic.png]]\n",
            "daily/2024-05-01.md": "[[gone]] ![[pic.png]]\n",
            "daily/old/2023-01-01.md": "[[gone]]\n",
            "ideas/x.draft.md": "[[gone]] ![[pic.png]]\n",
        }
    )
    found = sorted((d.path, d.code) for d in lint_with_config(root))
    assert found == [
        ("a.md", "VL101"),
        ("a.md", "VL104"),
        ("daily/2024-05-01.md", "VL104"),
    ]


def test_severity_override(vault: MakeVault) -> None:
    root = vault(
        {"vaultlint.toml": '[severity]\nVL101 = "warning"\nVL402 = "error"\n', "a.md": MIXED}
    )
    severities = {d.code: d.severity for d in lint_with_config(root)}
    assert severities == {
        "VL101": Severity.WARNING,
        "VL104": Severity.ERROR,
        "VL401": Severity.WARNING,
        "VL402": Severity.ERROR,
    }


def test_severity_override_by_rule_name(vault: MakeVault) -> None:
    root = vault({"vaultlint.toml": '[severity]\nbroken-link = "warning"\n', "a.md": "[[gone]]\n"})
    assert [d.severity for d in lint_with_config(root)] == [Severity.WARNING]


def test_severity_warning_makes_exit_code_0(vault: MakeVault, cli) -> None:
    root = vault({"vaultlint.toml": '[severity]\nVL101 = "warning"\n', "a.md": "[[gone]]\n"})
    run = cli(root, "check", "--format", "concise")
    assert run.code == 0
    assert run.stdout == 'a.md:1:1: VL101 [warning] no note "gone"\n'


def test_severity_error_makes_warning_rule_fail(vault: MakeVault, cli) -> None:
    root = vault({"vaultlint.toml": '[severity]\nVL402 = "error"\n', "a.md": "# A\n# A\n"})
    assert cli(root, "check").code == 1


def test_severity_key_in_lower_case_applies_or_is_rejected(vault: MakeVault, cli) -> None:
    """Selectors are case-insensitive elsewhere (`vl101` is accepted as a code), so a lower-case
    key in [severity] must either take effect or be refused; it must not be silently ignored."""
    root = vault({"vaultlint.toml": '[severity]\nvl101 = "warning"\n', "a.md": "[[gone]]\n"})
    run = cli(root, "check", "--format", "concise")
    assert run.code in (0, 2), run.stdout + run.stderr
    if run.code == 0:
        assert "[warning]" in run.stdout


def test_cli_select_replaces_config_select(vault: MakeVault, cli) -> None:
    root = vault({"vaultlint.toml": 'select = ["VL4"]\n', "a.md": MIXED})
    run = cli(root, "check", "--format", "json", "--select", "VL101")
    assert [d["code"] for d in run.json()["diagnostics"]] == ["VL101"]
    run = cli(root, "check", "--format", "json", "--select", "broken-link,VL104")
    assert [d["code"] for d in run.json()["diagnostics"]] == ["VL101", "VL104"]


def test_cli_ignore_adds_to_config_ignore(vault: MakeVault, cli) -> None:
    root = vault({"vaultlint.toml": 'ignore = ["VL101"]\n', "a.md": MIXED})
    run = cli(root, "check", "--format", "json", "--ignore", "VL104,heading-increment")
    assert [d["code"] for d in run.json()["diagnostics"]] == ["VL402"]


# -- exclude -------------------------------------------------------------------------------------

EXCLUDE_VAULT: dict[str, str | bytes] = {
    "vaultlint.toml": 'exclude = ["templates/**", "drafts"]\n',
    "a.md": "[[t]] [[templates/t]] [[t#Part]] [[d]] [[gone]]\n",
    "templates/t.md": "# Part\n\n[[template gone]]\n",
    "x/drafts/d.md": "[[draft gone]]\n",
}


def test_excluded_notes_are_not_reported_but_links_to_them_resolve(vault: MakeVault) -> None:
    root = vault(EXCLUDE_VAULT)
    found = [(d.path, d.code, d.message) for d in lint_with_config(root)]
    assert found == [("a.md", "VL101", 'no note "gone"')]


def test_excluded_notes_are_not_counted(vault: MakeVault, cli) -> None:
    root = vault(EXCLUDE_VAULT)
    run = cli(root, "check", "--format", "json")
    assert run.json()["checked"] == 1
    assert run.code == 1


def test_explicit_path_is_checked_even_if_excluded(vault: MakeVault, cli) -> None:
    root = vault(EXCLUDE_VAULT)
    run = cli(root, "check", "--format", "concise", "templates/t.md")
    assert run.code == 1
    assert run.stdout == 'templates/t.md:3:1: VL101 [error] no note "template gone"\n'


def test_force_exclude_skips_explicit_excluded_path(vault: MakeVault, cli) -> None:
    root = vault(EXCLUDE_VAULT)
    run = cli(root, "check", "--format", "json", "--force-exclude", "templates/t.md", "a.md")
    assert run.code == 1
    assert [d["path"] for d in run.json()["diagnostics"]] == ["a.md"]
    assert run.json()["checked"] == 1


def test_default_excludes_stay_when_config_adds_some(vault: MakeVault) -> None:
    root = vault(
        {
            "vaultlint.toml": 'exclude = ["archive/**"]\n',
            "node_modules/pkg/readme.md": "[[gone]]\n",
            "archive/old.md": "[[gone]]\n",
            "a.md": "fine\n",
        }
    )
    assert lint_with_config(root) == []
