"""VL202 schema-violation: `[[schema]]` blocks, `.obsidian/types.json`, `vaultlint schema`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MakeVault, assert_config_refused, lint, write_vault
from vaultlint.config import load_settings

SEED_SCHEMA = """
[[schema]]
name = "topic"
paths = ["topics/**/*.md"]
[schema.fields]
title = { type = "text", required = true }
videoId = { type = "text", required = true, pattern = "^[A-Za-z0-9_-]{11}$" }
"""


def violations(root: Path) -> list[tuple[str, int, int, str]]:
    settings = (
        load_settings(root / "vaultlint.toml") if (root / "vaultlint.toml").exists() else None
    )
    return [
        (d.path, d.line, d.column, d.message) for d in lint(root, settings) if d.code == "VL202"
    ]


def test_seed_vault_reports_each_planted_defect_once_at_its_key(vault: MakeVault) -> None:
    root = vault(
        {
            "vaultlint.toml": SEED_SCHEMA,
            "topics/good.md": "---\ntitle: Rare earths\nvideoId: 4tcd1EgQrhU\n---\nBody\n",
            "topics/good2.md": "---\nvideoId: abc-def_123\ntitle: 'A: b'\nextra: fine\n---\n",
            "topics/no_id.md": "---\ntitle: Tariffs\n---\nBody\n",
            "topics/short_id.md": "---\ntitle: Chips\nvideoId: abc\n---\n",
            "topics/list_title.md": "---\ntitle:\n  - One\n  - Two\nvideoId: 4tcd1EgQrhU\n---\n",
            "topics/nothing.md": "Just a body, no frontmatter\n",
            "topics/empty_title.md": "---\ntitle:\nvideoId: 4tcd1EgQrhU\n---\n",
            "other/free.md": "---\ntitle: [not, checked]\n---\n",
        }
    )
    assert violations(root) == [
        (
            "topics/empty_title.md",
            2,
            1,
            '"title": required field is empty: expected text (schema "topic")',
        ),
        ("topics/list_title.md", 2, 1, '"title": expected text, found a list (schema "topic")'),
        ("topics/no_id.md", 1, 1, 'missing required field "videoId" (schema "topic")'),
        ("topics/nothing.md", 1, 1, 'missing required field "title" (schema "topic")'),
        ("topics/nothing.md", 1, 1, 'missing required field "videoId" (schema "topic")'),
        (
            "topics/short_id.md",
            3,
            1,
            '"videoId": text "abc" does not match /^[A-Za-z0-9_-]{11}$/ (schema "topic")',
        ),
    ]


def test_violation_spans_key_and_value_on_one_line(vault: MakeVault) -> None:
    root = vault(
        {"vaultlint.toml": SEED_SCHEMA, "topics/a.md": "---\ntitle: T\nvideoId: 😀x\n---\n"}
    )
    [d] = [d for d in lint(root, load_settings(root / "vaultlint.toml")) if d.code == "VL202"]
    assert (d.line, d.column, d.end_line, d.end_column) == (3, 1, 3, 12)


# -- every field type, valid and invalid -------------------------------------------------------

TYPES: dict[str, tuple[str, list[str], list[tuple[str, str]]]] = {
    # type spec: (valid YAML values, [(invalid YAML value, words in the message)])
    'type = "text"': (
        ["hello", '"12:34"', "12:34", "yes", "'quoted'"],
        [("42", "found number 42"), ("[a]", "found a list"), ("true", "found true")],
    ),
    'type = "number"': (
        ["3", "3.5", "-1", "1e3"],
        [('"3"', 'found text "3"'), ("true", "found true")],
    ),
    'type = "int"': (["3", "-7", "0755"], [("3.5", "found number 3.5"), ("three", 'text "three"')]),
    'type = "bool"': (["true", "false", "True"], [("yes", 'found text "yes"'), ("1", "number 1")]),
    'type = "date"': (
        ["2024-02-29", '"2024-02-29"'],
        [
            ("2024-02-30", 'text "2024-02-30"'),
            ("yesterday", 'text "yesterday"'),
            ("2024-02-29T10:00:00", "found date and time"),
            ("20240229", "number 20240229"),
        ],
    ),
    'type = "datetime"': (
        ["2024-02-29T10:30:00", '"2024-02-29T10:30"', "2024-02-29 10:30:00"],
        [("2024-02-29", "found date 2024-02-29"), ("10:30", 'text "10:30"')],
    ),
    'type = "list"': (["[a, b]", "[]", "[1, 2]"], [("a", 'text "a"'), ("[[a]]", "item 1")]),
    # a single value is a list of one only in `tags`, `aliases` and `cssclasses` (see below)
    'type = "tags"': (
        ["[a, b/c]"],
        [("[[a]]", "item 1"), ("{a: 1}", "a mapping"), ("a", 'text "a"')],
    ),
    'type = "link"': (
        ['"[[target]]"', '"[[target|shown]]"', '"[[target#Heading]]"'],
        [
            ("[[target]]", 'write "[[target]]"'),
            ("target", 'text "target"'),
            ('"see [[target]]"', 'text "see [[target]]"'),
        ],
    ),
    'type = "list[link]"': (
        ['["[[target]]", "[[target|x]]"]', "[]"],
        [
            ("[[[target]]]", "item 1"),
            ('["[[target]]", target]', "item 2"),
            ('"[[target]]"', "a list"),
        ],
    ),
    'type = "enum", values = ["todo", "done"]': (
        ["todo", "done"],
        [("dnoe", 'expected one of "todo", "done", found text "dnoe"'), ("[todo]", "a list")],
    ),
    'type = "text", pattern = "^[a-z]+$"': (
        ["abc"],
        [("abc1", 'text "abc1" does not match /^[a-z]+$/')],
    ),
    'type = "number", min = 0, max = 10': (
        ["0", "10", "5.5"],
        [
            ("-1", "number -1 is less than the minimum 0"),
            ("11", "number 11 is more than the maximum 10"),
        ],
    ),
    'type = "text", min = 2, max = 3': (
        ["ab", "abc"],
        [("a", "has 1 character, fewer than the minimum 2")],
    ),
    'type = "list", min = 1, max = 2': (
        ["[a]", "[a, b]"],
        [("[a, b, c]", "has 3 items, more than the maximum 2")],
    ),
    'type = "list", pattern = "^#?[a-z]+$"': (["[ab, '#cd']"], [("[ab, Cd]", "item 2")]),
}


def type_vault(vault: MakeVault, spec: str, values: list[str]) -> Path:
    config = f'[[schema]]\npaths = ["**"]\n[schema.fields]\nfield = {{ {spec} }}\n'
    notes = {f"n{i}.md": f"---\nfield: {v}\n---\n" for i, v in enumerate(values)}
    return vault({"vaultlint.toml": config, "target.md": "# Heading\n", **notes})


@pytest.mark.parametrize("spec", list(TYPES))
def test_valid_values_pass(vault: MakeVault, spec: str) -> None:
    valid = TYPES[spec][0]
    assert violations(type_vault(vault, spec, valid)) == []


@pytest.mark.parametrize("spec", list(TYPES))
def test_invalid_values_fail_with_a_message_that_says_why(vault: MakeVault, spec: str) -> None:
    invalid = TYPES[spec][1]
    found = violations(type_vault(vault, spec, [v for v, _ in invalid]))
    assert len(found) == len(invalid), found
    for (path, line, _col, message), (i, (_value, words)) in zip(
        found, enumerate(invalid), strict=True
    ):
        assert path == f"n{i}.md"
        assert line == 2
        assert words in message, (message, words)
        assert message.startswith('"field"')


def test_enum_compares_types_too(vault: MakeVault) -> None:
    found = violations(type_vault(vault, 'type = "enum", values = [true, 2]', ["1", "2.0", "true"]))
    assert [(p, m.split(",")[0]) for p, _, _, m in found] == [
        ("n0.md", '"field": expected one of true'),
        ("n1.md", '"field": expected one of true'),
    ]


def test_single_value_in_a_list_property_is_left_to_vl204(vault: MakeVault) -> None:
    root = vault(
        {
            ".obsidian/types.json": json.dumps({"types": {"aliases": "aliases", "tags": "tags"}}),
            "a.md": "---\naliases: Solo\ntags: one\ncssclasses: wide\n---\n",
        }
    )
    assert violations(root) == []
    assert [d.code for d in lint(root)] == ["VL204"] * 3


def test_empty_optional_field_passes(vault: MakeVault) -> None:
    specs = [s for s in TYPES if "enum" not in s]
    for spec in specs:
        assert violations(type_vault(vault, spec, [""])) == [], spec


def test_pattern_dollar_is_the_end_of_the_value(vault: MakeVault) -> None:
    """Patterns are matched by Rust's regex engine (linear time): `$` does not match before
    a final line break, as Python's would; `\\n?$` allows one (docs/configuration.md)."""
    fields = "strict = { type = 'text', pattern = '^[a-z]+$' }\n"
    fields += "loose = { type = 'text', pattern = '^[a-z]+\\n?$' }\n"
    root = vault(
        {
            "vaultlint.toml": f'[[schema]]\npaths = ["**"]\n[schema.fields]\n{fields}',
            "n.md": "---\nstrict: |\n  abc\nloose: |\n  abc\n---\n",
        }
    )
    assert [(line, message) for _, line, _, message in violations(root)] == [
        (2, '"strict": text "abc\\n" does not match /^[a-z]+$/ (schema[0])')
    ]


def test_list_item_violation_points_at_the_item(vault: MakeVault) -> None:
    config = '[[schema]]\npaths = ["**"]\n[schema.fields]\nrelated = { type = "list[link]" }\n'
    root = vault({"vaultlint.toml": config, "a.md": '---\nrelated:\n  - "[[a]]"\n  - [[b]]\n---\n'})
    assert violations(root) == [
        (
            "a.md",
            4,
            5,
            '"related" item 2: expected a quoted link such as "[[note]]", found a list '
            '(YAML reads an unquoted [[b]] as a list: write "[[b]]") (schema[0])',
        )
    ]


def test_a_value_repeated_by_alias_is_reported_at_its_key(vault: MakeVault) -> None:
    """`*x` repeats a value written on an earlier line: the report spans the key only (it
    once ended on that earlier line, before it began)."""
    config = '[[schema]]\npaths = ["**"]\n[schema.fields]\ntitle = { type = "text" }\n'
    root = vault({"vaultlint.toml": config, "a.md": "---\ntitle: &x 1\ntitle: *x\n---\n"})
    diags = [d for d in lint(root, load_settings(root / "vaultlint.toml")) if d.code == "VL202"]
    assert [(d.line, d.column, d.end_line, d.end_column) for d in diags] == [(3, 1, 3, 6)]


def test_link_field_that_does_not_resolve_is_a_broken_link(vault: MakeVault) -> None:
    config = '[[schema]]\npaths = ["**"]\n[schema.fields]\nup = { type = "link" }\n'
    root = vault({"vaultlint.toml": config, "a.md": '---\nup: "[[Missing note]]"\n---\n'})
    diags = lint(root, load_settings(root / "vaultlint.toml"))
    assert [(d.code, d.line, d.column) for d in diags] == [("VL101", 2, 6)]


def test_wiki_links_in_any_frontmatter_string_are_links(vault: MakeVault) -> None:
    root = vault(
        {"a.md": '---\nsource: "From [[gone]] and [[b]]"\nlist: ["[[gone2#x]]"]\n---\n', "b.md": ""}
    )
    assert [(d.code, d.line, d.column) for d in lint(root)] == [("VL101", 2, 15), ("VL101", 3, 9)]


def test_no_violation_when_frontmatter_is_invalid(vault: MakeVault) -> None:
    root = vault({"vaultlint.toml": SEED_SCHEMA, "topics/a.md": "---\ntitle: [x\n---\n"})
    diags = lint(root, load_settings(root / "vaultlint.toml"))
    assert [d.code for d in diags] == ["VL201"]


# -- several blocks ------------------------------------------------------------------------------

LAYERED = """
[[schema]]
name = "people"
paths = ["people/**/*.md"]
extra = "forbid"
[schema.fields]
birthday = { type = "date", required = true }
title = { type = "text", required = true }

[[schema]]
name = "every note"
paths = ["**/*.md"]
[schema.fields]
title = { type = "text" }
created = { type = "date" }
"""


def test_several_blocks_apply_and_the_more_specific_glob_wins(vault: MakeVault) -> None:
    root = vault(
        {
            "vaultlint.toml": LAYERED,
            "people/ada.md": "---\ntitle: Ada\nbirthday: 1815-12-10\ncreated: 2024-01-01\n---\n",
            "people/bob.md": "---\ncreated: soon\nbirthday: 1990-01-01\nnickname: b\n---\n",
            "notes/x.md": "---\nnickname: fine here\n---\n",
        }
    )
    assert violations(root) == [
        ("people/bob.md", 1, 1, 'missing required field "title" (schema "people")'),
        (
            "people/bob.md",
            2,
            1,
            '"created": expected a date (YYYY-MM-DD), found text "soon" (schema "every note")',
        ),
        (
            "people/bob.md",
            4,
            1,
            'unknown field "nickname" (schema "people" allows no other fields)',
        ),
    ]


def test_a_later_block_wins_a_tie(vault: MakeVault) -> None:
    config = (
        '[[schema]]\npaths = ["a/*.md"]\n[schema.fields]\nx = { type = "int" }\n'
        '[[schema]]\nname = "later"\npaths = ["a/*.md"]\n[schema.fields]\nx = { type = "text" }\n'
    )
    root = vault({"vaultlint.toml": config, "a/n.md": "---\nx: 5\n---\n"})
    assert [m for *_, m in violations(root)] == [
        '"x": expected text, found number 5 (schema "later")'
    ]


# -- .obsidian/types.json ----------------------------------------------------------------------

TYPES_JSON = {"types": {"due": "date", "done": "checkbox", "rating": "number", "cast": "multitext",
                        "when": "datetime", "blurb": "text", "custom": "plugin-type"}}  # fmt: skip


def test_types_json_applies_vault_wide_without_config(vault: MakeVault) -> None:
    root = vault(
        {
            ".obsidian/types.json": json.dumps(TYPES_JSON),
            "good.md": "---\ndue: 2024-01-01\ndone: false\nrating: 4.5\ncast: [a]\n"
            "when: 2024-01-01T10:00:00\nblurb: x\ncustom: anything\n---\n",
            "bad.md": "---\ndue: tomorrow\ndone: yes\nrating: high\ncast: a\nblurb: [x]\n---\n",
        }
    )
    found = violations(root)
    assert [(p, line) for p, line, _, _ in found] == [("bad.md", n) for n in (2, 3, 4, 5, 6)]
    assert all(m.endswith("(.obsidian/types.json)") for *_, m in found)


def test_schema_fields_override_types_json(vault: MakeVault) -> None:
    root = vault(
        {
            ".obsidian/types.json": json.dumps({"types": {"due": "date"}}),
            "vaultlint.toml": '[[schema]]\npaths = ["**"]\nfields.due = { type = "text" }\n',
            "a.md": "---\ndue: next week\n---\n",
        }
    )
    assert violations(root) == []


def test_unreadable_types_json_is_a_warning_not_a_failure(tmp_path: Path, cli) -> None:
    root = write_vault(
        tmp_path / "v", {".obsidian/types.json": "{nope", "a.md": "---\ndue: x\n---\n"}
    )
    run = cli(root, "check")
    assert run.code == 0
    assert "types.json" in run.stderr


# -- bad schema config ---------------------------------------------------------------------------

BAD_SCHEMAS = {
    "unknown type": (
        '[[schema]]\npaths = ["**"]\nfields.x = { type = "string" }\n',
        "schema[0].fields.x.type",
    ),
    "bad regex": (
        '[[schema]]\npaths = ["**"]\nfields.x = { type = "text", pattern = "([a-z" }\n',
        "schema[0].fields.x",
    ),
    "no paths": ('[[schema]]\nname = "n"\nfields.x = { type = "text" }\n', "schema[0].paths"),
    "empty paths": ("[[schema]]\npaths = []\n", "schema[0].paths"),
    "unknown field key": (
        '[[schema]]\npaths = ["**"]\nfields.x = { type = "text", requird = true }\n',
        "schema[0].fields.x.requird",
    ),
    "enum without values": (
        '[[schema]]\npaths = ["**"]\nfields.x = { type = "enum" }\n',
        "needs 'values'",
    ),
    "pattern on a number": (
        '[[schema]]\npaths = ["**"]\nfields.x = { type = "number", pattern = "1" }\n',
        "'pattern' applies to types 'text' and 'list'",
    ),
    "bad extra": ('[[schema]]\npaths = ["**"]\nextra = "deny"\n', "schema[0].extra"),
    "python model": ('[[schema]]\npaths = ["**"]\nmodel = "evil:Model"\n', "schema[0].model"),
    "second block": (
        '[[schema]]\npaths = ["**"]\n[[schema]]\npaths = ["x/**"]\nfields.y = { type = "lnk" }\n',
        "schema[1].fields.y.type",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SCHEMAS))
def test_bad_schema_config_exits_2_naming_the_key(tmp_path: Path, cli, case: str) -> None:
    text, words = BAD_SCHEMAS[case]
    root = write_vault(tmp_path / "v", {"vaultlint.toml": text, "a.md": "---\nx: 1\n---\n"})
    assert_config_refused(cli(root, "check"), words)


def test_config_never_imports_python(tmp_path: Path, cli) -> None:
    """A vault's config naming a module must not run it."""
    marker = tmp_path / "imported"
    root = write_vault(
        tmp_path / "v",
        {
            "evil.py": f"open({str(marker)!r}, 'w').write('ran')\nclass Model: ...\n",
            "vaultlint.toml": '[[schema]]\npaths = ["**"]\nmodel = "evil:Model"\n'
            'json_schema = "evil.py"\n',
            "a.md": "",
        },
    )
    assert cli(root, "check").code == 2
    assert not marker.exists()


# -- vaultlint schema NOTE -------------------------------------------------------------------


def test_schema_command_shows_blocks_and_merged_fields(vault: MakeVault, cli) -> None:
    root = vault(
        {"vaultlint.toml": LAYERED, ".obsidian/types.json": json.dumps({"types": {"due": "date"}})}
    )
    run = cli(root, "schema", "people/ada.md")
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "people/ada.md"
    assert lines[2].split() == ["schema", '"every', 'note"', "paths:", "**/*.md"]
    assert lines[3].split() == ["schema", '"people"', "paths:", "people/**/*.md"]
    assert 'other fields: forbidden (schema "people")' in run.stdout
    fields = {line.split()[0]: line for line in lines[lines.index("  fields:") + 1 :]}
    assert set(fields) == {"title", "created", "birthday"}  # forbid: types.json not merged
    assert "required" in fields["title"] and 'schema "people"' in fields["title"]
    assert 'schema "every note"' in fields["created"]

    run = cli(root, "schema", "notes/x.md")
    fields = run.stdout.split("  fields:\n")[1]
    assert [line.split()[0] for line in fields.splitlines()] == ["title", "created", "due"]
    assert ".obsidian/types.json" in fields.splitlines()[2]


def test_schema_command_when_nothing_applies(vault: MakeVault, cli) -> None:
    root = vault({"a.md": ""})
    run = cli(root, "schema", "a.md")
    assert run.code == 0
    assert "no schema applies" in run.stdout


def test_schema_command_rejects_a_note_outside_the_vault(
    tmp_path: Path, vault: MakeVault, cli
) -> None:
    root = vault({"a.md": ""})
    run = cli(root, "schema", str(tmp_path / "elsewhere.md"), "--vault", str(root))
    assert run.code == 2
    assert "not inside the vault" in run.stderr
