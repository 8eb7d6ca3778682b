"""VL201 invalid-frontmatter, VL203 duplicate key, VL204 deprecated property, VL205 invalid tag."""

from __future__ import annotations

import pytest

from tests.conftest import MakeVault, lint
from vaultlint.diagnostics import Edit

# line, column, end line, end column
Where = tuple[int, int, int, int]


def found(vault: MakeVault, text: str, code: str) -> list[tuple[Where, str]]:
    diags = [d for d in lint(vault({"a.md": text, "b.md": ""})) if d.code == code]
    return [((d.line, d.column, d.end_line, d.end_column), d.message) for d in diags]


def where(vault: MakeVault, text: str, code: str) -> list[Where]:
    return [w for w, _ in found(vault, text, code)]


# -- VL201 -----------------------------------------------------------------------------------


def test_invalid_yaml_is_reported_at_its_line_and_the_body_is_still_checked(
    vault: MakeVault,
) -> None:
    text = "---\ntitle: ok\nbad: [x\n---\n# H\n[[gone]]\n"
    diags = lint(vault({"a.md": text}))
    assert [(d.code, d.line, d.column) for d in diags] == [("VL201", 3, 6), ("VL101", 6, 1)]
    assert "invalid YAML" in diags[0].message


def test_unclosed_frontmatter(vault: MakeVault) -> None:
    assert found(vault, "---\ntitle: x\n\n[[b]]\n", "VL201") == [
        ((1, 1, 1, 4), "frontmatter is not closed: no '---' line ends it")
    ]


def test_not_a_mapping(vault: MakeVault) -> None:
    [(at, message)] = found(vault, "---\n- a\n- b\n---\n", "VL201")
    assert at[:2] == (2, 1)
    assert "a list" in message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# Just a note\n",
        "---\n---\nbody\n",
        "---\ntitle: Fine\ntags: [a]\n---\n",
        "---\n# A rule, then a heading\n",
        "---\n\nA note that opens with a rule.\n",
        "Text\n\n---\n\nmore text after a rule\n",
        '---\n{"tags": ["x"]}\n---\n',
    ],
)
def test_valid_or_absent_frontmatter_is_not_reported(vault: MakeVault, text: str) -> None:
    assert found(vault, text, "VL201") == []


# -- VL203 -----------------------------------------------------------------------------------


def test_duplicate_key_reported_at_the_repeat(vault: MakeVault) -> None:
    text = "---\ntitle: a\nvideoId: x\ntitle: b\n---\n"
    [(at, message)] = found(vault, text, "VL203")
    assert at == (4, 1, 4, 6)
    assert message.startswith('duplicate key "title" (first at line 2)')


def test_nested_duplicate_and_each_repeat_once(vault: MakeVault) -> None:
    text = "---\nmeta:\n  a: 1\n  a: 2\nx: 1\nx: 2\nx: 3\n---\n"
    assert [w[:2] for w in where(vault, text, "VL203")] == [(4, 3), (6, 1), (7, 1)]


def test_merge_keys_are_not_duplicates(vault: MakeVault) -> None:
    text = "---\ndefaults: &d\n  status: draft\n<<: *d\nstatus: final\n"
    text += "meta:\n  <<: *d\n  status: x\n---\n"
    assert where(vault, text, "VL203") == []
    text = "---\ndefaults: &d\n  a: 1\n<<: *d\nb: 1\nb: 2\n---\n"
    assert [w[:2] for w in where(vault, text, "VL203")] == [(6, 1)]


def test_similar_keys_are_not_duplicates(vault: MakeVault) -> None:
    text = "---\ntitle: a\nTitle: b\nsub:\n  title: c\nlist:\n  - title: d\n  - title: e\n---\n"
    assert where(vault, text, "VL203") == []


# -- VL204 -----------------------------------------------------------------------------------


def test_deprecated_singular_properties(vault: MakeVault) -> None:
    text = "---\ntag: a\nalias: b\ncssclass: wide\n---\n"
    diags = [d for d in lint(vault({"a.md": text})) if d.code == "VL204"]
    assert [(d.line, d.column, d.end_column) for d in diags] == [(2, 1, 4), (3, 1, 6), (4, 1, 9)]
    assert [d.severity.value for d in diags] == ["warning"] * 3
    assert (
        diags[0].message
        == 'deprecated property "tag": use "tags" (Obsidian 1.9 no longer reads "tag")'
    )
    starts = [len("---\n"), len("---\ntag: a\n"), len("---\ntag: a\nalias: b\n")]
    assert [d.fix.edits for d in diags if d.fix] == [
        (Edit(starts[0], starts[0] + 3, "tags"),),
        (Edit(starts[1], starts[1] + 5, "aliases"),),
        (Edit(starts[2], starts[2] + 8, "cssclasses"),),
    ]
    assert all(d.fix and d.fix.safe for d in diags)


def test_no_rename_fix_when_the_plural_exists(vault: MakeVault) -> None:
    diags = [d for d in lint(vault({"a.md": "---\ntags: [a]\ntag: b\n---\n"})) if d.code == "VL204"]
    assert [(d.line, d.fix) for d in diags] == [(3, None)]


def test_scalar_where_a_list_is_expected(vault: MakeVault) -> None:
    text = "---\ntags: journal\naliases: Doggo\ncssclasses: wide\n---\n"
    assert [(w, m.split(":")[0]) for w, m in found(vault, text, "VL204")] == [
        ((2, 1, 2, 14), '"tags" is a single value, not a list'),
        ((3, 1, 3, 15), '"aliases" is a single value, not a list'),
        ((4, 1, 4, 17), '"cssclasses" is a single value, not a list'),
    ]
    assert where(vault, "---\ntags: 1984\naliases: 2024\n---\n", "VL204") == [
        (2, 1, 2, 11),
        (3, 1, 3, 14),
    ]
    # an alias repeats a value from an earlier line: reported at the key alone
    assert where(vault, "---\ntitle: &x 1\ntags: *x\n---\n", "VL204") == [(3, 1, 3, 5)]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntags: [a]\naliases:\n  - Doggo\ncssclasses: [wide]\n---\n",
        "---\ntags:\naliases:\n---\n",
        "---\ntagline: x\naliasing: y\nmeta:\n  tag: nested is not a property\n---\n",
        "tag: not frontmatter\n",
    ],
)
def test_current_properties_are_not_reported(vault: MakeVault, text: str) -> None:
    assert where(vault, text, "VL204") == []


# -- VL205 -----------------------------------------------------------------------------------


def test_inline_tag_of_only_digits(vault: MakeVault) -> None:
    text = "Year #1984 and #y1984 and #2024-review and #1984/x\n"
    assert found(vault, text, "VL205") == [
        ((1, 6, 1, 11), 'tag "1984" is only digits: a tag needs a character that is not a digit')
    ]


def test_inline_tags_in_code_comments_and_links_are_not_checked(vault: MakeVault) -> None:
    text = "`#1984` %% #1984 %% <!-- #1984 --> [[b#1984]] [x](b.md#1984)\n\n```\n#1984\n```\n"
    assert where(vault, text, "VL205") == []


def test_tags_property_items(vault: MakeVault) -> None:
    items = ["ok", "1984", '"a b"', '"x.y"', '""', '"#fine"', "😀/nested_ok-1"]
    text = "---\ntags:\n" + "".join(f"  - {i}\n" for i in items) + "---\n"
    assert found(vault, text, "VL205") == [
        ((4, 5, 4, 9), 'tag "1984" is only digits: a tag needs a character that is not a digit'),
        ((5, 5, 5, 10), 'tag "a b" contains a space, which a tag can\'t hold'),
        ((6, 5, 6, 10), 'tag "x.y" contains ".", which a tag can\'t hold'),
        ((7, 5, 7, 7), "empty tag"),
    ]


def test_flow_list_and_text_tags(vault: MakeVault) -> None:
    assert where(vault, "---\ntags: [good, 42]\n---\n", "VL205") == [(2, 14, 2, 16)]
    # a text value is VL204's to report as text; its comma-separated tags are still checked
    assert where(vault, "---\ntags: good, 42, bad!\n---\n", "VL205") == [
        (2, 13, 2, 15),
        (2, 17, 2, 21),
    ]


def test_tags_that_are_not_text(vault: MakeVault) -> None:
    messages = [m for _, m in found(vault, "---\ntags:\n  - [[x]]\n  - true\n---\n", "VL205")]
    assert messages == ["a tag must be text, not a list", "a tag must be text, not true"]
    assert where(vault, "---\ntags: 1984\n---\n", "VL205") == [(2, 7, 2, 11)]


def test_valid_tags_pass(vault: MakeVault) -> None:
    text = "---\ntags: [a, b/c, y1984, 日本, ä-ö_ü]\n---\n#inbox/to-read #y1984 #日本語 #a_b-c\n"
    assert where(vault, text, "VL205") == []
