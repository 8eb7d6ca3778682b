"""The command line as a user runs it (`python -m vaultlint` in a subprocess): exit codes,
formats, streams, paths, colour, and the `rules` command (DESIGN sections 3 and 6)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeVault, run_cli
from vaultlint import __version__
from vaultlint.rules import RULES

ANSI = "\x1b["
CONCISE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>VL\d{3}) \[(?P<sev>\w+)\] "
)

# a.md: two errors; sub/b.md: a warning; c.md: clean.
MIXED: dict[str, str | bytes] = {
    "a.md": "# T\n\nsee [[gone]] and ![[pic.png]]\n",
    "sub/b.md": "# X\n# X\n",
    "c.md": "fine [[a]]\n",
}


def no_traceback(stderr: str) -> bool:
    return "Traceback" not in stderr and "internal error" not in stderr


def concise_keys(stdout: str) -> list[tuple[str, int, int, str]]:
    keys = []
    for line in stdout.splitlines():
        m = CONCISE.match(line)
        assert m, line
        keys.append((m["path"], int(m["line"]), int(m["col"]), m["code"]))
    return keys


# -- exit codes ----------------------------------------------------------------------------------


def test_clean_vault_exits_0(vault: MakeVault) -> None:
    root = vault({"a.md": "[[b]]\n", "b.md": "# B\n"})
    result = run_cli("check", cwd=root)
    assert result.code == 0
    assert result.stdout == ""
    assert "All checks passed!" in result.stderr


def test_warnings_alone_exit_0(vault: MakeVault) -> None:
    root = vault({"a.md": "# X\n# X\n\n#### Deep\n"})
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 0, result.stderr
    assert concise_keys(result.stdout) == [("a.md", 2, 1, "VL402"), ("a.md", 4, 1, "VL401")]
    assert "2 warnings" in result.stderr


def test_an_error_exits_1(vault: MakeVault) -> None:
    root = vault({"a.md": "# X\n# X\n[[gone]]\n"})
    result = run_cli("check", cwd=root)
    assert result.code == 1
    assert "VL101" in result.stdout


USAGE_ERRORS: dict[str, tuple[tuple[str, ...], str]] = {
    "unknown option": (("check", "--bogus"), "--bogus"),
    "unknown format": (("check", "--format", "xml"), "xml"),
    "no command": ((), "COMMAND"),
    "unknown command": (("lint",), "lint"),
    "path does not exist": (("check", "nothere.md"), "nothere.md"),
    "folder does not exist": (("check", "no/such/dir"), "no/such/dir"),
    "path outside the vault": (("check", "a.md", "../elsewhere/x.md"), "elsewhere"),
    "unknown rule selector": (("check", "--select", "VL999"), "VL999"),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_errors_exit_2(tmp_path: Path, vault: MakeVault, case: str) -> None:
    args, named = USAGE_ERRORS[case]
    root = vault({"a.md": "[[gone]]\n"})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.md").write_text("hello\n", encoding="utf-8")
    result = run_cli(*args, cwd=root)
    assert result.code == 2
    assert result.stdout == ""
    assert named in result.stderr
    assert no_traceback(result.stderr), result.stderr


def test_path_outside_the_vault_given_with_vault_option(tmp_path: Path, vault: MakeVault) -> None:
    root = vault({"a.md": ""})
    stray = tmp_path / "stray.md"
    stray.write_text("[[gone]]\n", encoding="utf-8")
    result = run_cli("check", "--vault", str(root), str(stray), cwd=tmp_path)
    assert result.code == 2
    assert "stray.md" in result.stderr
    assert no_traceback(result.stderr)


def test_exit_zero(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", "--exit-zero", "--format", "concise", cwd=root)
    assert result.code == 0
    assert result.stdout == 'a.md:1:1: VL101 [error] no note "gone"\n'
    assert "Found 1 error" in result.stderr


def test_exit_zero_keeps_exit_2_for_usage_errors(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    assert run_cli("check", "--exit-zero", "missing.md", cwd=root).code == 2


# -- formats -------------------------------------------------------------------------------------


def test_concise_exact_lines(vault: MakeVault) -> None:
    root = vault(MIXED)
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 1
    assert result.stdout == (
        'a.md:3:5: VL101 [error] no note "gone"\n'
        'a.md:3:18: VL104 [error] no file "pic.png"\n'
        'sub/b.md:2:1: VL402 [warning] duplicate heading "X" (first at line 1)\n'
    )


def test_json_document(vault: MakeVault) -> None:
    root = vault(MIXED)
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.code == 1
    doc = result.json()
    assert set(doc) == {"vaultlint", "vault", "checked", "diagnostics", "counts"}
    assert doc["vaultlint"] == __version__
    assert doc["vault"] == str(root.resolve())
    assert doc["checked"] == 3
    assert doc["counts"] == {"VL101": 1, "VL104": 1, "VL402": 1}
    assert doc["diagnostics"] == [
        {
            "path": "a.md",
            "line": 3,
            "column": 5,
            "end_line": 3,
            "end_column": 13,
            "code": "VL101",
            "name": "broken-link",
            "severity": "error",
            "message": 'no note "gone"',
            "fix": None,
        },
        {
            "path": "a.md",
            "line": 3,
            "column": 18,
            "end_line": 3,
            "end_column": 30,
            "code": "VL104",
            "name": "missing-attachment",
            "severity": "error",
            "message": 'no file "pic.png"',
            "fix": None,
        },
        {
            "path": "sub/b.md",
            "line": 2,
            "column": 1,
            "end_line": 2,
            "end_column": 4,
            "code": "VL402",
            "name": "duplicate-heading",
            "severity": "warning",
            "message": 'duplicate heading "X" (first at line 1)',
            "fix": None,
        },
    ]


def test_json_clean_vault(vault: MakeVault) -> None:
    root = vault({"a.md": "fine\n"})
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.code == 0
    doc = result.json()
    assert (doc["checked"], doc["diagnostics"], doc["counts"]) == (1, [], {})


def test_text_groups_by_note(vault: MakeVault) -> None:
    root = vault(MIXED)
    result = run_cli("check", cwd=root)
    assert result.code == 1
    groups: dict[str, list[str]] = {}
    current = None
    for line in result.stdout.splitlines():
        if not line.strip():
            continue
        if line[0].isspace():
            assert current is not None, result.stdout
            groups[current].append(line.strip())
        else:
            current = line.strip()
            assert current not in groups, f"{current} shown twice"
            groups[current] = []
    assert list(groups) == ["a.md", "sub/b.md"]
    assert [re.findall(r"VL\d{3}", g[0]) for g in groups.values()] == [["VL101"], ["VL402"]]
    assert groups["a.md"][0].startswith("3:5")
    assert "VL104" in groups["a.md"][1] and groups["a.md"][1].startswith("3:18")
    assert 'no note "gone"' in groups["a.md"][0]


def test_output_is_sorted_by_path_line_column_code(vault: MakeVault) -> None:
    b_text = "".join(f"line {i}\n" for i in range(1, 9)) + "xxxxxxxxxx [[g1]]\nx [[g2]]\n"
    root = vault(
        {
            "z/c.md": "# A\n### A\n",
            "b.md": b_text,
            "a.md": "\n[[g3]]   [[g4]] [[g5]]\n",
        }
    )
    result = run_cli("check", "--format", "concise", cwd=root)
    keys = concise_keys(result.stdout)
    assert keys == [
        ("a.md", 2, 1, "VL101"),
        ("a.md", 2, 10, "VL101"),
        ("a.md", 2, 17, "VL101"),
        ("b.md", 9, 12, "VL101"),
        ("b.md", 10, 3, "VL101"),
        ("z/c.md", 2, 1, "VL401"),
        ("z/c.md", 2, 1, "VL402"),
    ]


# -- streams -------------------------------------------------------------------------------------


def test_diagnostics_on_stdout_summary_on_stderr(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]] [[gone too]]\n", "b.md": "# X\n# X\n"})
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 1
    assert len(result.stdout.splitlines()) == 3
    assert "Found" not in result.stdout
    assert result.stderr.startswith("Found 2 errors")
    assert "1 warning" in result.stderr
    assert "VL101" not in result.stderr


def test_json_stdout_is_only_the_document(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", "--format", "json", cwd=root)
    assert result.json()["counts"] == {"VL101": 1}  # parses: nothing else on stdout
    assert result.stderr.startswith("Found 1 error")


def test_quiet_prints_no_summary(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n", "b.md": ""})
    result = run_cli("check", "--quiet", "--format", "concise", cwd=root)
    assert result.code == 1
    assert result.stdout == 'a.md:1:1: VL101 [error] no note "gone"\n'
    assert result.stderr == ""
    clean = run_cli("check", "-q", "b.md", cwd=root)
    assert (clean.code, clean.stdout, clean.stderr) == (0, "", "")


def test_output_file(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", "--format", "json", "--output", "report.json", cwd=root)
    assert result.code == 1
    assert result.stdout == ""
    assert "Found 1 error" in result.stderr
    text = (root / "report.json").read_text(encoding="utf-8")
    assert ANSI not in text
    assert '"VL101"' in text


def test_output_file_in_missing_folder_is_a_clean_error(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", "--output", "no/such/dir/report.txt", cwd=root)
    assert result.code == 2
    assert "report.txt" in result.stderr
    assert no_traceback(result.stderr), result.stderr


def test_output_format_from_environment(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", cwd=root, env={"VAULTLINT_OUTPUT_FORMAT": "concise"})
    assert result.stdout == 'a.md:1:1: VL101 [error] no note "gone"\n'


# -- which notes are reported --------------------------------------------------------------------


def test_single_note_links_resolve_against_the_whole_vault(vault: MakeVault) -> None:
    root = vault(
        {
            "a.md": "[[b]] [[sub/c#Part]] ![[img.png]]\n",
            "b.md": "[[broken from b]]\n",
            "sub/c.md": "# Part\n[[broken from c]]\n",
            "img.png": b"",
        }
    )
    result = run_cli("check", "--format", "json", "a.md", cwd=root)
    assert result.code == 0, result.stdout
    assert result.json()["checked"] == 1
    assert result.json()["diagnostics"] == []
    assert "All checks passed!" in result.stderr


def test_folder_path_reports_only_its_notes(vault: MakeVault) -> None:
    root = vault(
        {
            "a.md": "[[gone a]]\n",
            "sub/b.md": "[[gone b]] [[a]]\n",
            "sub/deep/c.md": "[[gone c]]\n",
            "subway.md": "[[gone d]]\n",
        }
    )
    result = run_cli("check", "--format", "json", "sub", cwd=root)
    doc = result.json()
    assert doc["checked"] == 2
    assert [d["path"] for d in doc["diagnostics"]] == ["sub/b.md", "sub/deep/c.md"]


def test_several_paths_and_spellings_give_vault_paths_with_slashes(vault: MakeVault) -> None:
    root = vault({"a.md": "[[x]]\n", "sub/deep/b.md": "[[y]]\n", "c.md": "[[z]]\n"})
    args = ("check", "--format", "concise", "./sub/../sub/deep/b.md", str(root / "a.md"))
    result = run_cli(*args, cwd=root)
    assert [k[0] for k in concise_keys(result.stdout)] == ["a.md", "sub/deep/b.md"]


def test_paths_relative_to_a_subfolder(vault: MakeVault) -> None:
    root = vault({"a.md": "[[x]]\n", "sub/b.md": "[[y]]\n"})
    result = run_cli("check", "--format", "concise", "b.md", cwd=root / "sub")
    assert result.stdout == 'sub/b.md:1:1: VL101 [error] no note "y"\n'


def test_no_paths_from_a_subfolder_checks_the_whole_vault(vault: MakeVault) -> None:
    root = vault({"a.md": "[[x]]\n", "sub/b.md": "[[y]]\n"})
    result = run_cli("check", "--format", "json", cwd=root / "sub")
    doc = result.json()
    assert doc["vault"] == str(root.resolve())
    assert [d["path"] for d in doc["diagnostics"]] == ["a.md", "sub/b.md"]


def test_spaces_and_non_ascii_names(vault: MakeVault) -> None:
    root = vault(
        {
            "my notes/Café ü.md": "é [[nöpe]] [[日本語]]\n",
            "日本語.md": "[[名前 なし]]\n",
            "x.md": "[[Café ü]] [[my notes/Café ü]]\n",
        }
    )
    result = run_cli("check", "--format", "concise", "my notes/Café ü.md", "日本語.md", cwd=root)
    assert result.code == 1
    assert result.stdout == (
        'my notes/Café ü.md:1:3: VL101 [error] no note "nöpe"\n'
        '日本語.md:1:1: VL101 [error] no note "名前 なし"\n'
    )
    whole = run_cli("check", "--format", "json", cwd=root)
    assert [d["path"] for d in whole.json()["diagnostics"]] == ["my notes/Café ü.md", "日本語.md"]


# -- colour --------------------------------------------------------------------------------------

COLOUR_CASES: dict[str, tuple[dict[str, str], tuple[str, ...], bool]] = {
    "pipe, no env": ({}, (), False),
    "NO_COLOR": ({"NO_COLOR": "1"}, (), False),
    "FORCE_COLOR": ({"FORCE_COLOR": "1"}, (), True),
    "NO_COLOR beats FORCE_COLOR": ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, (), False),
    "empty NO_COLOR is unset": ({"NO_COLOR": "", "FORCE_COLOR": "1"}, (), True),
    "--color always": ({}, ("--color", "always"), True),
    "--color always beats NO_COLOR": ({"NO_COLOR": "1"}, ("--color", "always"), True),
    "--color never beats FORCE_COLOR": ({"FORCE_COLOR": "1"}, ("--color", "never"), False),
}


@pytest.mark.parametrize("case", list(COLOUR_CASES))
def test_colour(vault: MakeVault, case: str) -> None:
    env, args, coloured = COLOUR_CASES[case]
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", *args, cwd=root, env=env)
    assert result.code == 1
    assert 'no note "gone"' in result.stdout
    assert (ANSI in result.stdout) is coloured, repr(result.stdout)


def test_json_is_never_coloured(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", "--format", "json", "--color", "always", cwd=root)
    assert ANSI not in result.stdout
    assert result.json()["counts"] == {"VL101": 1}


# -- other commands ------------------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:] if line}
    assert set(rows) == set(RULES)
    for code, rule in RULES.items():
        assert rows[code][1] == rule.name
        assert rows[code][2] == ("on" if rule.default_on else "off")
        assert rows[code][3] == rule.severity.value


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.stdout.strip() == f"vaultlint {__version__}"


def test_lsp_without_the_extra_says_what_to_install(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)  # as if pygls were not installed
    monkeypatch.delitem(sys.modules, "vaultlint.lsp", raising=False)
    result = cli(tmp_path, "lsp")
    assert result.code == 2
    assert "pip install 'obsidian-vaultlint[lsp]'" in result.stderr


def test_a_run_as_a_program_ends_with_its_whole_report_out(vault: MakeVault) -> None:
    """Run as the program, `check` ends the process as soon as the report is written (not
    freeing its objects one by one): the report is whole, in every format, through a pipe,
    and the cache it wrote serves the next run."""
    root = vault({f"n{i}.md": f"[[gone {i}]] [[gone {i + 1}]]\n" for i in range(300)})
    first = run_cli("check", "--format", "concise", cwd=root)
    assert first.code == 1
    assert len(first.stdout.splitlines()) == 600
    assert first.stderr.startswith("Found 600 errors in 300 notes")
    report = json.loads(run_cli("check", "--format", "json", cwd=root).stdout)
    assert len(report["diagnostics"]) == 600
    again = run_cli("check", "--format", "concise", cwd=root)  # from the cache
    assert (again.code, again.stdout, again.stderr) == (first.code, first.stdout, first.stderr)
    buffered = {"PYTHONUNBUFFERED": ""}  # as it is for most users
    one = run_cli("check", "--format", "concise", str(root / "n1.md"), cwd=root, env=buffered)
    assert one.stdout.splitlines() == [
        'n1.md:1:1: VL101 [error] no note "gone 1"',
        'n1.md:1:12: VL101 [error] no note "gone 2"',
    ]  # a report too short to fill a buffer is written too
