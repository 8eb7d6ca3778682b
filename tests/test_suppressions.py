"""Inline suppressions (DESIGN section 4): disable/enable, disable-next-line, disable-file, in
HTML and `%%` comments, by code, prefix or name; never from inside code."""

from __future__ import annotations

import pytest

from tests.conftest import MakeVault, lint


def found(vault: MakeVault, text: str) -> list[tuple[int, str]]:
    """(line, code) of every diagnostic in a one-note vault whose note is `text`."""
    root = vault({"n.md": text})
    return [(d.line, d.code) for d in lint(root)]


# -- disable ... enable --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disable", "enable"),
    [
        ("<!-- vaultlint-disable VL101 -->", "<!-- vaultlint-enable VL101 -->"),
        ("%% vaultlint-disable VL101 %%", "%% vaultlint-enable VL101 %%"),
        ("<!--vaultlint-disable VL101-->", "<!--vaultlint-enable VL101-->"),
        ("<!-- vaultlint-disable broken-link -->", "<!-- vaultlint-enable broken-link -->"),
        ("<!-- vaultlint-disable VL1 -->", "<!-- vaultlint-enable VL1 -->"),
        ("<!-- vaultlint-disable vl101 -->", "<!-- vaultlint-enable vl101 -->"),
        ("<!-- vaultlint-disable -->", "<!-- vaultlint-enable -->"),
        ("<!-- vaultlint-disable VL101 -->", "<!-- vaultlint-enable -->"),
    ],
)
def test_disable_enable_range(vault: MakeVault, disable: str, enable: str) -> None:
    text = f"[[before]]\n\n{disable}\n\n[[inside]]\n\n[[inside too]]\n\n{enable}\n\n[[after]]\n"
    assert found(vault, text) == [(1, "VL101"), (11, "VL101")]


def test_disable_without_enable_runs_to_the_end(vault: MakeVault) -> None:
    text = "[[a]]\n\n<!-- vaultlint-disable VL101 -->\n\n[[b]]\n\n[[c]]\n"
    assert found(vault, text) == [(1, "VL101")]


def test_enable_one_code_keeps_others_disabled(vault: MakeVault) -> None:
    text = (
        "<!-- vaultlint-disable -->\n\n[[a]] ![[a.png]]\n\n"
        "<!-- vaultlint-enable VL101 -->\n\n[[b]] ![[b.png]]\n"
    )
    assert found(vault, text) == [(7, "VL101")]


def test_several_codes_separated_by_commas_or_spaces(vault: MakeVault) -> None:
    text = (
        "<!-- vaultlint-disable VL101, VL104 -->\n\n[[a]] ![[a.png]] [[#]]\n\n"
        "<!-- vaultlint-enable VL101 VL104 -->\n\n[[b]] ![[b.png]]\n"
    )
    assert found(vault, text) == [(3, "VL106"), (7, "VL101"), (7, "VL104")]


# -- disable-next-line ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "directive",
    [
        "<!-- vaultlint-disable-next-line -->",
        "<!-- vaultlint-disable-next-line VL101 -->",
        "<!-- vaultlint-disable-next-line broken-link -->",
        "<!-- vaultlint-disable-next-line VL1 -->",
        "%% vaultlint-disable-next-line %%",
        "%% vaultlint-disable-next-line VL101 %%",
    ],
)
def test_disable_next_line(vault: MakeVault, directive: str) -> None:
    text = f"[[one]]\n{directive}\n[[two]] and [[three]]\n[[four]]\n"
    assert found(vault, text) == [(1, "VL101"), (4, "VL101")]


def test_disable_next_line_after_a_multiline_comment(vault: MakeVault) -> None:
    text = "<!--\nvaultlint-disable-next-line VL101\n-->\n[[hidden]]\n[[shown]]\n"
    assert found(vault, text) == [(5, "VL101")]


def test_disable_next_line_in_a_multiline_percent_comment(vault: MakeVault) -> None:
    text = "%%\nvaultlint-disable-next-line\n%%\n[[hidden]]\n[[shown]]\n"
    assert found(vault, text) == [(5, "VL101")]


def test_directive_inside_a_callout(vault: MakeVault) -> None:
    text = "> [!note]\n> <!-- vaultlint-disable-next-line -->\n> [[hidden]]\n\n[[shown]]\n"
    assert found(vault, text) == [(5, "VL101")]


def test_disable_next_line_does_not_cover_its_own_line(vault: MakeVault) -> None:
    text = "[[same line]] <!-- vaultlint-disable-next-line -->\n[[next]]\n[[later]]\n"
    assert found(vault, text) == [(1, "VL101"), (3, "VL101")]


# -- disable-file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "directive",
    [
        "<!-- vaultlint-disable-file VL1 -->",
        "<!-- vaultlint-disable-file VL101 VL104 -->",
        "<!-- vaultlint-disable-file broken-link,missing-attachment -->",
        "%% vaultlint-disable-file VL1 %%",
    ],
)
def test_disable_file_with_codes(vault: MakeVault, directive: str) -> None:
    text = f"# A\n\n[[gone]] ![[pic.png]]\n\n# A\n\n{directive}\n\n[[also gone]]\n"
    assert found(vault, text) == [(5, "VL402")]


@pytest.mark.parametrize(
    "directive", ["<!-- vaultlint-disable-file -->", "%% vaultlint-disable-file %%"]
)
def test_disable_file_without_codes_covers_every_rule(vault: MakeVault, directive: str) -> None:
    text = f"# A\n\n[[gone]] ![[pic.png]]\n\n# A\n\n#### Deep\n\n{directive}\n"
    assert found(vault, text) == []


def test_disable_file_only_affects_its_own_note(vault: MakeVault) -> None:
    root = vault({"a.md": "<!-- vaultlint-disable-file -->\n[[gone]]\n", "b.md": "[[gone]]\n"})
    assert [(d.path, d.code) for d in lint(root)] == [("b.md", "VL101")]


# -- one code suppressed, others on the same line still reported ----------------------------------


@pytest.mark.parametrize(
    "directive",
    [
        "<!-- vaultlint-disable-next-line VL101 -->\n",
        "<!-- vaultlint-disable broken-link -->\n\n",
        "%% vaultlint-disable-file VL101 %%\n\n",
    ],
)
def test_other_codes_on_the_same_line_are_still_reported(vault: MakeVault, directive: str) -> None:
    text = f"{directive}[[gone]] ![[pic.png]] [[]]\n"
    line = text.count("\n")
    assert found(vault, text) == [(line, "VL104"), (line, "VL106")]


def test_heading_line_with_two_codes(vault: MakeVault) -> None:
    text = "# A [[gone]]\n\n<!-- vaultlint-disable-next-line VL402 -->\n# A [[gone]]\n"
    assert found(vault, text) == [(1, "VL101"), (4, "VL101")]


# -- not a directive -----------------------------------------------------------------------------

NOT_DIRECTIVES = {
    "fenced code": "```\n<!-- vaultlint-disable-file -->\n```\n\n[[gone]]\n",
    "tilde fence": "~~~markdown\n%% vaultlint-disable-file %%\n~~~\n\n[[gone]]\n",
    "indented code": "text\n\n    <!-- vaultlint-disable-file -->\n\n[[gone]]\n",
    "fence in a callout": "> [!note]\n> ```\n> <!-- vaultlint-disable-file -->\n> ```\n\n"
    "[[gone]]\n",
    "fence in a list item": "- item\n\n  ```\n  <!-- vaultlint-disable-file -->\n  ```\n\n"
    "[[gone]]\n",
    "math block": "$$\n<!-- vaultlint-disable-file -->\n$$\n\n[[gone]]\n",
    "code span": "`<!-- vaultlint-disable-file -->` [[gone]]\n",
    "next-line in a fence": "```\n<!-- vaultlint-disable-next-line -->\n```\n[[gone]]\n",
    "disable in a fence": "```\n%% vaultlint-disable %%\n```\n\n[[gone]]\n",
    "plain text": "vaultlint-disable-file\n\n[[gone]]\n",
    "misspelt kind": "<!-- vaultlint-disabled -->\n[[gone]]\n",
    "other tool": "<!-- markdownlint-disable -->\n[[gone]]\n",
}


@pytest.mark.parametrize("case", list(NOT_DIRECTIVES))
def test_directive_that_is_not_a_comment_suppresses_nothing(vault: MakeVault, case: str) -> None:
    text = NOT_DIRECTIVES[case]
    line = text.count("\n")
    assert found(vault, text) == [(line, "VL101")]


def test_directive_for_another_rule_suppresses_nothing(vault: MakeVault) -> None:
    text = "<!-- vaultlint-disable-next-line VL104 -->\n[[gone]]\n"
    assert found(vault, text) == [(2, "VL101")]


def test_suppression_does_not_hide_unreadable_notes_elsewhere(vault: MakeVault) -> None:
    root = vault({"a.md": "%% vaultlint-disable-file %%\n[[b]]\n", "b.md": b"\xff\xfe"})
    assert [(d.path, d.code) for d in lint(root)] == [("b.md", "VL001")]
