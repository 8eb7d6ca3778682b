"""VL101-VL106 end to end: small vaults in, diagnostics (code, position, message) out."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import MakeVault, lint
from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.note import parse_note

# path, code, line, column, end column, parts the message must contain
Expected = tuple[str, str, int, int, int, tuple[str, ...]]


def link_diagnostics(root: Path) -> list[Diagnostic]:
    """The VL1xx diagnostics of a vault (other rule families may fire on the same notes)."""
    return [d for d in lint(root) if d.code.startswith("VL1")]


def check(found: list[Diagnostic], expected: list[Expected]) -> None:
    got = [(d.path, d.code, d.line, d.column, d.end_column) for d in found]
    assert got == [e[:5] for e in expected], [d.message for d in found]
    for diag, exp in zip(found, expected, strict=True):
        assert diag.end_line == diag.line
        for part in exp[5]:
            assert part in diag.message, (part, diag.message)


# -- Links that must fail ------------------------------------------------------------------------

FAILING: dict[str, tuple[dict[str, str | bytes], list[Expected]]] = {
    "VL101 plain": (
        {"a.md": "see [[Missing note]]\n"},
        [("a.md", "VL101", 1, 5, 21, ('no note "Missing note"',))],
    ),
    "VL101 with heading and alias": (
        {"a.md": "# A\n\nx [[Gone#Part|shown]] y\n"},
        [("a.md", "VL101", 3, 3, 22, ('no note "Gone"',))],
    ),
    "VL101 spaces vs underscores": (
        {"a.md": "[[china taiwan relations]]\n", "china_taiwan_relations.md": ""},
        [
            (
                "a.md", "VL101", 1, 1, 27,
                ('no note "china taiwan relations"', 'did you mean "china_taiwan_relations"',
                 "spaces vs underscores"),
            )
        ],
    ),
    "VL101 missing underscore": (
        {"a.md": "[[chinataiwan_relations]]\n", "china_taiwan_relations.md": ""},
        [("a.md", "VL101", 1, 1, 26, ('did you mean "china_taiwan_relations"',))],
    ),
    "VL101 case and underscores": (
        {"a.md": "[[Weekly_Review]]\n", "notes/weekly review.md": ""},
        [("a.md", "VL101", 1, 1, 18, ('did you mean "weekly review"', "case"))],
    ),
    "VL101 typo": (
        {"a.md": "[[Projcet plan]]\n", "Project plan.md": ""},
        [("a.md", "VL101", 1, 1, 17, ('no note "Projcet plan"', 'did you mean "Project plan"'))],
    ),
    "VL101 alias": (
        {
            "a.md": "see [[Doggo]]\n",
            "pets/Real name.md": "---\naliases:\n  - Doggo\n  - Pupper\n---\n# Real name\n",
        },
        [("a.md", "VL101", 1, 5, 14, ('no note "Doggo"', "[[Real name|Doggo]]"))],
    ),
    "VL101 alias in flow list": (
        {"a.md": "[[AL]]\n", "t.md": "---\naliases: [AL]\n---\n"},
        [("a.md", "VL101", 1, 1, 7, ('"AL" is an alias of "t"', "[[t|AL]]"))],
    ),
    "VL101 scalar alias": (
        {"a.md": "[[SC]]\n", "Scalar.md": "---\naliases: SC\n---\n"},
        [("a.md", "VL101", 1, 1, 7, ("[[Scalar|SC]]",))],
    ),
    "VL101 wiki-links are not percent-decoded": (
        {"a.md": "[[My%20Note]]\n", "My Note.md": ""},
        [("a.md", "VL101", 1, 1, 14, ('no note "My%20Note"',))],
    ),
    "VL101 URL in a wiki-link": (
        {"a.md": "[[https://example.com]]\n"},
        [("a.md", "VL101", 1, 1, 24, ('"https://example.com"',))],
    ),
    "VL101 Markdown link": (
        {"a.md": "[q](missing%20one.md#x)\n"},
        [("a.md", "VL101", 1, 1, 24, ('no note "missing one.md"',))],
    ),
    "VL101 ./ has no fallback": (
        {"a.md": "[[./Missing]]\n", "x/Missing.md": ""},
        [("a.md", "VL101", 1, 1, 14, ('no note "./Missing"',))],
    ),
    "VL101 ../ out of the vault": (
        {"d/a.md": "x [[../../out]]\n", "out.md": ""},
        [("d/a.md", "VL101", 1, 3, 16, ('"../../out"', '"d"'))],
    ),
    "VL101 folder path from the root": (
        {"a.md": "[[archive/Plan]]\n", "work/Plan.md": ""},
        [("a.md", "VL101", 1, 1, 17, ('no note "archive/Plan"',))],
    ),
    "VL101 attachment without its extension": (
        {"a.md": "![[image]]\n", "assets/image.png": ""},
        [("a.md", "VL101", 1, 1, 11, ('no note "image"', 'did you mean "image.png"'))],
    ),
    "VL101 after a multi-line comment closes": (
        {"a.md": "%%\nhidden [[x]]\n%% [[gone]]\n"},
        [("a.md", "VL101", 3, 4, 12, ('no note "gone"',))],
    ),
    "VL101 quoted frontmatter value": (
        {"a.md": '---\ntitle: A\nrelated: "[[missing]]"\n---\nbody\n'},
        [("a.md", "VL101", 3, 11, 22, ('no note "missing"',))],
    ),
    "VL101 frontmatter list": (
        {"a.md": '---\nlinks:\n  - "[[gone]]"\n  - "[[b]]"\n---\n', "b.md": ""},
        [("a.md", "VL101", 3, 6, 14, ('no note "gone"',))],
    ),
    "VL101 in a callout, table and heading": (
        {"a.md": "# [[g1]]\n\n> [!note] T\n> x [[g2]]\n\n| a |\n|---|\n| [[g3\\|x]] |\n"},
        [
            ("a.md", "VL101", 1, 3, 9, ('"g1"',)),
            ("a.md", "VL101", 4, 5, 11, ('"g2"',)),
            ("a.md", "VL101", 8, 3, 12, ('"g3"',)),
        ],
    ),
    "VL102 heading": (
        {"a.md": "x [[n#Nope]]\n", "n.md": "# Heading\n"},
        [("a.md", "VL102", 1, 3, 13, ('no heading "Nope"', 'in "n"'))],
    ),
    "VL102 did you mean": (
        {"a.md": "[[Setup guide#Instalation]]\n", "Setup guide.md": "## Installation\n"},
        [("a.md", "VL102", 1, 1, 28, ('"Instalation"', 'did you mean "Installation"'))],
    ),
    "VL102 self link": (
        {"a.md": "# Top\n\n[[#Missing part]]\n"},
        [("a.md", "VL102", 3, 1, 18, ('no heading "Missing part"', 'in "a"'))],
    ),
    "VL102 note without headings": (
        {"a.md": "[[empty#x]]\n", "empty.md": "just text\n"},
        [("a.md", "VL102", 1, 1, 12, ('no heading "x"', 'in "empty"'))],
    ),
    "VL102 chain not nested": (
        {"a.md": "[[n#B#A]]\n", "n.md": "# A\n## B\n"},
        [("a.md", "VL102", 1, 1, 10, ("B > A", "not nested"))],
    ),
    "VL102 chain under the wrong parent": (
        {"a.md": "[[n#A#D]]\n", "n.md": "# A\n## B\n# C\n## D\n"},
        [("a.md", "VL102", 1, 1, 10, ("A > D",))],
    ),
    "VL102 chain missing last": (
        {"a.md": "[[n#A#Zed]]\n", "n.md": "# A\n## B\n"},
        [("a.md", "VL102", 1, 1, 12, ('no heading "Zed"',))],
    ),
    "VL102 heading only in code": (
        {"a.md": "[[n#Hidden]]\n", "n.md": "# Shown\n```\n# Hidden\n```\n%%\n# Hidden\n%%\n"},
        [("a.md", "VL102", 1, 1, 13, ('no heading "Hidden"',))],
    ),
    "VL102 Markdown link": (
        {"a.md": "[x](n.md#Nope%20here)\n", "n.md": "# Heading\n"},
        [("a.md", "VL102", 1, 1, 22, ('no heading "Nope here"', 'in "n"'))],
    ),
    "VL102 frontmatter": (
        {"a.md": '---\nup: "[[n#Nope]]"\n---\n', "n.md": "# Heading\n"},
        [("a.md", "VL102", 2, 6, 16, ('no heading "Nope"',))],
    ),
    "VL103 block": (
        {"a.md": "x [[n#^nob]]\n", "n.md": "para ^blk\n"},
        [("a.md", "VL103", 1, 3, 13, ('no block "^nob"', 'in "n"'))],
    ),
    "VL103 self block": (
        {"a.md": "text ^here\n\n[[#^there]]\n"},
        [("a.md", "VL103", 3, 1, 12, ('no block "^there"', 'in "a"'))],
    ),
    "VL103 block only in code": (
        {"a.md": "![[n#^cid]]\n", "n.md": "```\ntext ^cid\n```\n`x ^ic`\n"},
        [("a.md", "VL103", 1, 1, 12, ('"^cid"',))],
    ),
    "VL104 embed": (
        {"a.md": "![[missing.png]]\n"},
        [("a.md", "VL104", 1, 1, 17, ('no file "missing.png"',))],
    ),
    "VL104 other extension": (
        {"a.md": "x ![[pic.jpg|300]]\n", "assets/pic.png": ""},
        [("a.md", "VL104", 1, 3, 19, ('no file "pic.jpg"', 'found "pic.png"'))],
    ),
    "VL104 PDF link and Markdown image": (
        {"a.md": "[[doc.pdf#page=3]] ![i](gone.png)\n"},
        [
            ("a.md", "VL104", 1, 1, 19, ('no file "doc.pdf"',)),
            ("a.md", "VL104", 1, 20, 34, ('no file "gone.png"',)),
        ],
    ),
    "VL104 attachment needs its folder": (
        {"a.md": "![[img/pic.png]]\n", "assets/pic.png": ""},
        [("a.md", "VL104", 1, 1, 17, ('"img/pic.png"',))],
    ),
    "VL106 empty links": (
        {"a.md": "[[]] [[|alias]] [[#]]\n[]() ![[]] [[#^]]\n"},
        [
            ("a.md", "VL106", 1, 1, 5, ('"[[]]"',)),
            ("a.md", "VL106", 1, 6, 16, ('"[[|alias]]"',)),
            ("a.md", "VL106", 1, 17, 22, ('"[[#]]"',)),
            ("a.md", "VL106", 2, 1, 5, ('"[]()"',)),
            ("a.md", "VL106", 2, 6, 11, ('"![[]]"',)),
            ("a.md", "VL106", 2, 12, 18, ('"[[#^]]"',)),
        ],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("files", "expected"), FAILING.values(), ids=FAILING.keys())
def test_failing_links(vault: MakeVault, files: dict, expected: list[Expected]) -> None:
    check(link_diagnostics(vault(files)), expected)


def test_severities_and_names(vault: MakeVault) -> None:
    root = vault(
        {
            "a.md": "[[gone]] [[n#x]] [[n#^x]] ![[x.png]] [[Dup]] [[]]\n",
            "n.md": "",
            "p/Dup.md": "",
            "q/Dup.md": "",
        }
    )
    got = {(d.code, d.name, d.severity) for d in link_diagnostics(root)}
    assert got == {
        ("VL101", "broken-link", Severity.ERROR),
        ("VL102", "broken-heading-link", Severity.ERROR),
        ("VL103", "broken-block-link", Severity.ERROR),
        ("VL104", "missing-attachment", Severity.ERROR),
        ("VL105", "ambiguous-link", Severity.WARNING),
        ("VL106", "empty-link", Severity.ERROR),
    }


# -- Positions -----------------------------------------------------------------------------------

POSITIONS = [
    ("tab", "x\t[[gone]]\n", (1, 3, 11)),
    ("two tabs", "\t\tx [[gone]]\n", None),  # indented code: not a link
    ("tab in list continuation", "- item\n\t[[gone]]\n", (2, 2, 10)),
    ("emoji", "😀 [[gone]]\n", (1, 3, 11)),
    ("emoji with modifiers", "👍🏽 ok [[gone]]\n", (1, 7, 15)),
    ("CJK", "日本語のテキスト [[gone]]\n", (1, 10, 18)),
    ("CJK in the display", "[[gone|日本語]]\n", (1, 1, 13)),
    ("CRLF", "first\r\nsecond [[gone]]\r\n", (2, 8, 16)),
    ("lone CR", "first\rsecond [[gone]]\r", (2, 8, 16)),
    ("after frontmatter", "---\ntitle: x\n---\n\n😀\t[[gone]]\n", (5, 3, 11)),
    ("in a quote", "> 日本 [[gone]]\n", (1, 6, 14)),
]


@pytest.mark.parametrize(
    ("text", "position"), [p[1:] for p in POSITIONS], ids=[p[0] for p in POSITIONS]
)
def test_positions(vault: MakeVault, text: str, position: tuple[int, int, int] | None) -> None:
    found = link_diagnostics(vault({"a.md": text}))
    if position is None:
        assert found == []
    else:
        line, col, end = position
        check(found, [("a.md", "VL101", line, col, end, ('"gone"',))])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbf[[gone]]\r\n", (1, 1, 9)),
        (b"\xef\xbb\xbf\xf0\x9f\x98\x80 [[gone]]", (1, 3, 11)),
        (b'\xef\xbb\xbf---\r\nup: "[[gone]]"\r\n---\r\n', (2, 6, 14)),
    ],
)
def test_bom_is_not_a_column(vault: MakeVault, data: bytes, expected: tuple[int, int, int]) -> None:
    check(link_diagnostics(vault({"a.md": data})), [("a.md", "VL101", *expected, ())])


# -- Links that must pass ------------------------------------------------------------------------

TARGETS: dict[str, str | bytes] = {
    "n.md": (
        "# Heading\n\n## wifi 2.4 vs 5.0\n\n## C# tips\n\n## Part 1: Intro\n\n"
        "## About [[X]]\n\n## Café ☕\n\n## Closed ##\n\nSetext\n---\n\n"
        "# A\n## B\n### C\n# D\n\nPara one. ^p1\n\n- item ^li\n\n> quote\n\n^q1\n"
    ),
    "X.md": "",
    "Other note.md": "## Some heading\n",
    "Sub/My Note.md": "",
    "assets/pic.png": "",
    "docs/doc.pdf": "",
    "board.canvas": "",
    "C#-guide.md": "",
    "100%.md": "",
    "folder/Deep.md": "# Deep\n",
    "v1.2 notes.md": "",
    "lower.md": "# heading\n",
}

PASSING = {
    "code and comments": (
        "`[[g1]]` ``[[g2]] ` `` $[[g3]]$ <!-- [[g4]] --> %%[[g5]]%%\n\n"
        "```\n[[g6]]\n````\n\n~~~\n[[g7]]\n~~~\n\n````\n```\n[[g8]]\n```\n````\n\n"
        '```bash\nif [[ -z "$VAR" ]]; then echo; fi\n```\n\n'
        "    [[g9]]\n\n$$\n[[g10]]\n$$\n\n%%\n[[g11]]\n\n[[g12]]\n%%\n\n"
        "<!--\n[[g13]]\n-->\n\nx %% start\n\n[[g14]]\n\nend %%\n"
    ),
    "escaped pipe in tables": (
        "| link | image |\n|---|---|\n| [[n#Heading\\|the heading]] | ![[pic.png\\|200]] |\n"
        "| [[X\\|x]] | ![[pic.png\\|100x200]] |\n"
    ),
    "case and .md": "[[N]] [[n.md]] [[N.MD]] [[x]] [[OTHER NOTE]] ![[PIC.PNG]] [[folder/deep]]",
    "headings": (
        "[[n#Heading]] [[n#heading]] [[n#HEADING]] [[n#  heading  ]] [[n#Heading ]]\n"
        "[[n#wifi 2 4 vs 5 0]] [[n#wifi 2.4 vs 5.0]] [[n#C tips]] [[n#Part 1 Intro]]\n"
        "[[n#Part 1: Intro]] [[n#About X]] [[n#café]] [[n#Closed]] [[n#Setext]]\n"
        "[[n#Heading|alias]] [[n.md#Heading]] [[folder/Deep#deep]] [[lower#Heading]]\n"
    ),
    "heading chains": "[[n#A#B]] [[n#A#B#C]] [[n#A#C]] [[n#D]]",
    "self links": "# Local heading\n\n[[#Local heading]] [[#local HEADING]] [y](#Local%20heading)",
    "blocks": "[[n#^p1]] ![[n#^li]] [[n#^q1|quoted]] [[n#^LI]]\n\nMine ^self\n\n[[#^self]]\n",
    "embeds": (
        "![[pic.png|300]] ![[pic.png|100x200]] ![[pic.png#outline|100]]\n"
        "![[doc.pdf#page=3]] ![[doc.pdf#height=400]] [[board.canvas]] ![[n]]\n"
    ),
    "Markdown links": (
        "[a](Other%20note.md#Some%20heading) [b](<Other note.md#Some heading>)\n"
        "[c](Other%20note#some%20HEADING) [d](Sub/My%20Note.md) [e](My%20Note)\n"
        "![f](pic.png) [g](C%23-guide.md) [h](100%.md) [i](docs/doc.pdf#page=3)\n"
        '[j](n.md "title") [k](<v1.2 notes.md>)\n'
    ),
    "external URLs": (
        "[a](https://example.com/x.md) [b](obsidian://open?vault=V&file=Gone)\n"
        "[c](mailto:me@example.org) <https://example.com/[[gone]]> ![d](https://e.com/p.png)\n"
        "https://example.com/page#frag\n"
    ),
    "spaces around the pipe": "[[X | alias]] [[ n#Heading | h ]] [[v1.2 notes]]",
    "links in callouts": "> [!note] See [[X]]\n> [[n#Heading]]\n\n> > [!tip]- nested\n> > [[X]]\n",
    "frontmatter": '---\nup: "[[n#Heading]]"\nlist:\n  - "[[X]]"\n  - "[[Other note|O]]"\n---\n',
    "unquoted frontmatter": "---\nup: [[gone]]\n---\nbody [[X]]\n",
}  # fmt: skip


# How many links each passing note holds: they pass because they resolve, not because the
# parser missed them.
LINKS_IN_PASSING = {
    "code and comments": 0,
    "escaped pipe in tables": 4,
    "case and .md": 7,
    "headings": 18,
    "heading chains": 4,
    "self links": 3,
    "blocks": 5,
    "embeds": 7,
    "Markdown links": 11,
    "external URLs": 0,
    "spaces around the pipe": 3,
    "links in callouts": 3,
    "frontmatter": 3,
    "unquoted frontmatter": 1,
}


@pytest.mark.parametrize(("name", "text"), PASSING.items(), ids=PASSING.keys())
def test_passing_links(vault: MakeVault, name: str, text: str) -> None:
    assert len(parse_note("src/a.md", text).links) == LINKS_IN_PASSING[name]
    root = vault({**TARGETS, "src/a.md": text})
    assert [(d.path, d.code, d.line, d.message) for d in link_diagnostics(root)] == []


@pytest.mark.parametrize(
    ("files", "text"),
    [
        ({"d/b.md": "", "top.md": "", "d/sub/x.md": ""}, "[[./b]] [[../top]] [[./sub/x]]"),
        ({"d/b.md": ""}, "[x](./b.md) [y](../d/b.md)"),
        ({"top.md": "# T\n"}, "[[../top#T]] ![[../top]]"),
    ],
)
def test_relative_links_pass(vault: MakeVault, files: dict, text: str) -> None:
    assert link_diagnostics(vault({**files, "d/a.md": text})) == []


def test_same_name_in_several_folders_is_a_warning_not_broken(vault: MakeVault) -> None:
    root = vault({"a.md": "x [[Note]]\n", "p/Note.md": "", "q/Note.md": ""})
    check(
        link_diagnostics(root),
        [("a.md", "VL105", 1, 3, 11, ('"Note"', "2 files", 'opens "p/Note.md"', '"q/Note.md"'))],
    )


def test_ambiguous_message_names_three_others_and_counts_the_rest(vault: MakeVault) -> None:
    copies = {f"c{i}/Note.md": "" for i in range(1, 7)}
    (diag,) = link_diagnostics(vault({"a.md": "x [[Note]]\n", **copies}))
    assert diag.message == (
        '"Note" matches 6 files; Obsidian opens "c1/Note.md" (also "c2/Note.md", '
        '"c3/Note.md", "c4/Note.md" and 2 more); write the folder path to make it explicit'
    )


@pytest.mark.parametrize(
    "text", ["[[p/Note]] [[q/Note]] [[Unique]]", "[[p/Note#H]]", "[x](q/Note.md)"]
)
def test_folder_path_or_unique_name_is_not_ambiguous(vault: MakeVault, text: str) -> None:
    root = vault({"a.md": text, "p/Note.md": "# H\n", "q/Note.md": "", "Unique.md": ""})
    assert link_diagnostics(root) == []


def test_ambiguous_link_names_the_note_obsidian_opens(vault: MakeVault) -> None:
    root = vault({"b/src.md": "[[Note]]\n", "Note.md": "", "b/Note.md": "", "zzzz/Note.md": ""})
    (diag,) = link_diagnostics(root)
    assert (diag.code, diag.path) == ("VL105", "b/src.md")
    assert 'Obsidian opens "Note.md"' in diag.message


def test_a_link_repeated_in_several_folders_is_answered_for_each(vault: MakeVault) -> None:
    """What a link reports is kept for the run by folder and link as written: the same text in
    another folder opens another note, and a repeat elsewhere gets its own offsets; on a
    table row the fix escapes its `|`."""
    text = "[[Note]] [[Note#H]]\n"
    root = vault(
        {
            "p/a.md": text,
            "p/b.md": "x " + text,
            "p/t.md": "| [[Note]] |\n|---|\n",
            "q/a.md": text,
            "p/Note.md": "# H\n",
            "q/Note.md": "",
        }
    )
    found = [
        (d.path, d.code, d.column, d.end_column, d.fix and d.fix.edits[0].text)
        for d in link_diagnostics(root)
    ]
    assert found == [
        ("p/a.md", "VL105", 1, 9, "[[p/Note|Note]]"),
        ("p/a.md", "VL105", 10, 20, "[[p/Note#H|Note > H]]"),
        ("p/b.md", "VL105", 3, 11, "[[p/Note|Note]]"),
        ("p/b.md", "VL105", 12, 22, "[[p/Note#H|Note > H]]"),
        ("p/t.md", "VL105", 3, 11, "[[p/Note\\|Note]]"),
        ("q/a.md", "VL105", 1, 9, "[[q/Note|Note]]"),
        ("q/a.md", "VL102", 10, 20, None),
        ("q/a.md", "VL105", 10, 20, "[[q/Note#H|Note > H]]"),
    ]
    assert all(
        'opens "q/Note.md"' in d.message for d in link_diagnostics(root)[5:] if d.code == "VL105"
    )


def test_link_findings_forgotten_when_many_give_the_same_answers(
    vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"{f}/n{i}.md": f"[[Note]] [[gone{i % 3}]] [[Note#H]]\n" for f in "pq" for i in range(4)
    }
    root = vault({**files, "p/Note.md": "# H\n", "q/Note.md": ""})
    before = link_diagnostics(root)
    monkeypatch.setattr("vaultlint.rules.links._MAX_KNOWN", 2)
    assert link_diagnostics(root) == before
    assert len(before) == 8 * 3 + 4


def test_ambiguous_link_still_checks_the_heading(vault: MakeVault) -> None:
    root = vault({"a.md": "[[Note#Nope]]\n", "p/Note.md": "# H\n", "q/Note.md": "# Nope\n"})
    assert sorted(d.code for d in link_diagnostics(root)) == ["VL102", "VL105"]


def test_unquoted_frontmatter_link_does_not_crash(vault: MakeVault) -> None:
    root = vault({"a.md": '---\nrelated: "[[missing]]"\nup: [[gone]]\n---\nbody [[also gone]]\n'})
    found = [(d.code, d.line, d.column) for d in link_diagnostics(root)]
    assert ("VL101", 2, 11) in found
    assert ("VL101", 5, 6) in found


def test_broken_folder_path_does_not_claim_a_case_difference(vault: MakeVault) -> None:
    """`[[archive/Note]]` where only `work/Note.md` exists: the names are equal, so the hint
    must not say they differ in case."""
    root = vault({"a.md": "[[archive/Note]]\n", "work/Note.md": ""})
    (diag,) = link_diagnostics(root)
    assert diag.code == "VL101"
    assert "differ only in case" not in diag.message


def test_each_spelling_of_a_broken_name_is_told_its_own_difference(vault: MakeVault) -> None:
    """Two notes miss `my_note` by different spellings: each message says what differs in its
    own (the first spelling's answer is not given to the second)."""
    root = vault({"a.md": "[[My note]]\n", "b.md": "[[my note]]\n", "my_note.md": ""})
    messages = {d.path: d.message for d in link_diagnostics(root)}
    assert "differ only in case and in spaces vs underscores" in messages["a.md"]
    assert "differ only in spaces vs underscores" in messages["b.md"]


def test_a_note_links_report_once_per_link(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]] and [[gone]]\n\n[[gone]]\n"})
    check(
        link_diagnostics(root),
        [
            ("a.md", "VL101", 1, 1, 9, ()),
            ("a.md", "VL101", 1, 14, 22, ()),
            ("a.md", "VL101", 3, 1, 9, ()),
        ],
    )


def test_targets_with_crlf_cr_and_bom(vault: MakeVault) -> None:
    root = vault(
        {
            "a.md": "[[n#Heading]] [[n#^blk]] [[n#Second]] [[m#First]] [[m#^b2]]\n",
            "n.md": b"# Heading\r\n\r\npara ^blk\r\n\r\nSecond\r\n---\r\n",
            "m.md": b"\xef\xbb\xbf# First\rtext ^b2\r",
        }
    )
    assert link_diagnostics(root) == []


def test_partial_folder_path_is_not_an_error(vault: MakeVault) -> None:
    """R7 is unverified: a suffix match (`[[b/Note]]` -> `a/b/Note.md`) must not be VL101."""
    root = vault({"x.md": "[[b/Note]] [[b/Note#H]]\n", "a/b/Note.md": "# H\n"})
    assert [d.code for d in link_diagnostics(root) if d.severity == Severity.ERROR] == []


_NAME = st.text(alphabet="abcxyzÉé _-.0", min_size=1, max_size=24)
_EDITS = st.tuples(st.integers(0, 24), st.integers(0, 24), st.text(alphabet="abxÉ _", max_size=12))


@settings(max_examples=300, deadline=None)
@given(_NAME, st.lists(_EDITS, min_size=1, max_size=30))
@example("abcdefghijklmnopqrst", [(13, 20, "")])  # 13 of 20 characters: 0.79, close
@example("abcdefghijklm", [(13, 13, "nopqrstu")])  # 21 for 13: 0.76, close
def test_did_you_mean_compares_only_names_that_can_be_close(word: str, edits: list) -> None:
    """Names too short or too long to be similar are left out of the comparison: the
    answers are those of comparing every note name. The names are the word with a part
    cut out and other text put in, so some are close to it and some are not."""
    from vaultlint.config import Settings
    from vaultlint.rules import VaultContext
    from vaultlint.rules.links import _CLOSE, _of_similar_length
    from vaultlint.vault import VaultIndex, fold

    names = {word[:i] + extra + word[j:] for i, j, extra in edits}
    names |= {word[:i] + word[j:] for i, j, _ in edits}  # shorter, and all of it in the word
    names -= {""}
    index = VaultIndex(Path("/v"), [f"{n}.md" for n in sorted(names)])
    ctx = VaultContext(index, Settings(), lambda _: None, dict)
    every = sorted({fold(n) for n in index.note_names()})
    target = fold(word)
    assert difflib.get_close_matches(
        target, _of_similar_length(ctx, len(target)), 5, _CLOSE
    ) == difflib.get_close_matches(target, every, 5, _CLOSE)


@settings(max_examples=300, deadline=None)
@given(_NAME, st.lists(_EDITS, min_size=1, max_size=30), st.integers(1, 6))
@example("abcdefghijklmnopqrst", [(13, 20, "")], 5)  # 0.79: close
@example("aab", [(0, 0, "ba"), (3, 3, "ba")], 5)  # all of one string's letters, not in order
@example("é" * 12, [(0, 0, "É")], 1)  # every character the same
def test_did_you_mean_gives_difflib_answers(word: str, edits: list, n: int) -> None:
    """The did-you-mean by spelling leaves out of difflib's comparison the names that can't
    be close (see `_close_matches`): it names what difflib names, in its order."""
    from vaultlint.rules.links import _CLOSE, _close_matches

    names = sorted({word[:i] + extra + word[j:] for i, j, extra in edits} | {word[::-1]})
    assert _close_matches(word, names, n) == difflib.get_close_matches(word, names, n, _CLOSE)


_WIKI_PIECES = st.sampled_from(
    ["a", "b c", " ", "  ", "\t", "#", "#h", "^x", "|", "\\|", "\\", "]", "[", "!", ".md"]
)
_NAMES = st.text(alphabet="ab |#\\\n\t]É.", min_size=0, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.lists(_WIKI_PIECES, min_size=1, max_size=6), _NAMES, st.booleans())
@example(False, ["a", " ", "#h"], "b c", False)
@example(False, [" ", "a", " "], "x y", True)
def test_a_plain_name_in_a_rewritten_wiki_link_reads_back_as_itself(
    embed: bool, pieces: list[str], name: str, table_row: bool
) -> None:
    """The link fixes skip reading a rewritten wiki-link again (`reparse`) when the name put
    in it is plain and the link's text around it reads back: reading it again must give the
    name and the link's subpath."""
    from vaultlint.markdown.rewrite import (
        LinkSource,
        plain_name,
        reads_back,
        reparse,
        wiki_around,
    )

    text = ("![[" if embed else "[[") + "".join(pieces) + "]]"
    links = parse_note("n.md", text + "\n").links
    if (
        len(links) != 1
        or links[0].kind != "wiki"
        or (links[0].start, links[0].end) != (0, len(text))
    ):
        return
    link = links[0]
    around = wiki_around(LinkSource(text, table_row), link)
    if around is None or not reads_back(around, link) or not plain_name(name):
        return
    again = reparse(link, around[0] + name + around[1])
    assert again is not None
    assert (again.target, again.subpath) == (name, link.subpath)
