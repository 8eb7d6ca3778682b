"""The hostile-input suite: every kind of bad input a vault can hold, one case at a time.

Each case is a vault of one healthy note, `ok.md` with a broken link, beside the hostile
input. `vaultlint check` runs on it as a user runs it (the CLI, the cache on, default jobs) in
a forked process that is killed when the case's bound passes (`tests/timebound.py`), and must:
finish within the bound, exit 1 (never 2), print no traceback, report exactly the case's own
diagnostics (the ones that apply, at their positions), and still report `ok.md`.

Bounds are 5x or more what the case took on a 2-core machine (`measured`), and never under
2 s, for a loaded CI runner. Details tested elsewhere: positions after CRLF and lone CR,
more encodings, symlinks and permissions in `tests/test_unreadable.py`; YAML bombs, nesting
and size limits at the unit level in `tests/test_frontmatter.py`; regexes and scans against
adversarial text in `tests/test_backtracking.py`.
"""

from __future__ import annotations

import io
import json
import os
import unicodedata
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import deny_reading, write_vault
from tests.timebound import within
from vaultlint.cli import main
from vaultlint.config import Settings
from vaultlint.engine import Engine

OK = {"ok.md": "# Fine\n\nsee [[nowhere]]\n"}
HUGE = "9" * 400  # more digits than a float holds
ANCHOR = '<a class="yt-timestamp" data-t="1:00">[1:00]</a>'
OK_DIAG = ("ok.md", 3, 5, "VL101")
Diag = tuple[str, int, int, str]  # path, line, column, code


@dataclass
class Case:
    files: dict[str, str | bytes]
    expected: list[Diag]  # every diagnostic not on ok.md, sorted
    measured: float  # seconds the whole run took on a 2-core machine
    setup: Callable[[Path], None] | None = None  # symlinks and the like, given the vault root
    messages: dict[tuple[str, str], str] = field(default_factory=dict)  # (path, code): words

    @property
    def bound(self) -> float:
        return max(2.0, 5 * self.measured)


def run_check(root: Path, *args: str) -> tuple[int, str, str]:
    """`vaultlint check --format json ARGS` from `root`, in this process: (exit, out, err)."""
    os.chdir(root)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", "--format", "json", *args])
    return code, out.getvalue(), err.getvalue()


def check_case(root: Path, case: Case, *args: str) -> list[dict]:
    """Run the case within its bound and check what every case must; its diagnostics."""
    (code, out, err), _ = within(case.bound, lambda: run_check(root, *args))
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert code == 1, err
    diagnostics = json.loads(out)["diagnostics"]
    found = [(d["path"], d["line"], d["column"], d["code"]) for d in diagnostics]
    assert OK_DIAG in found
    assert [d for d in found if d != OK_DIAG] == case.expected
    for d in diagnostics:
        words = case.messages.get((d["path"], d["code"]))
        assert words is None or words in d["message"], d
    return diagnostics


# -- building the cases -----------------------------------------------------------------------


def big_note(megabytes: int) -> tuple[str, int]:
    """A note of `megabytes` MB of paragraphs of five lines, one with a link (that resolves)
    and a tag, and one broken link on its last line; and that line's number."""
    line = "A line of a long exported log, with nothing but words to fill it up to 80.\n"
    paragraph = line * 4 + "And a line with a [[ok]] link and a #tag, then a few more words.\n\n"
    text = paragraph * (megabytes * 1_000_000 // len(paragraph)) + "[[gone]]\n"
    return text, text.count("\n")


def nested(depth: int, marker: str) -> str:
    """`depth` levels of lists or quotes on one line, then a broken link."""
    return marker * depth + "[[gone]]\n"


def nested_lines(depth: int, marker: str, indent: str) -> str:
    """`depth` levels, one a line, each indented one step more; the link on the deepest."""
    lines = [indent * i + marker + "x\n" for i in range(depth)]
    return "".join(lines) + indent * depth + marker + "[[gone]]\n"


def symlink_loops(root: Path) -> None:
    (root / "a" / "to_b").symlink_to(Path("..") / "b", target_is_directory=True)
    (root / "b" / "to_a").symlink_to(Path("..") / "a", target_is_directory=True)
    (root / "a" / "up").symlink_to(Path(".."), target_is_directory=True)
    (root / "l1.md").symlink_to("l2.md")
    (root / "l2.md").symlink_to("l1.md")


def symlinks_out(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("[[outside gone]]\n", encoding="utf-8")
    (root / "out.md").symlink_to(outside / "secret.md")
    (root / "ext").symlink_to(outside, target_is_directory=True)
    (root / "abs.md").symlink_to("/etc/hostname")


NFD = unicodedata.normalize("NFD", "Café")
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
LINE = "word [[ok]] #tag " * 60_000  # 1 MB on one line

CASES: dict[str, Case] = {
    "empty file": Case({"x.md": ""}, [], 0.03),
    "only ---": Case({"x.md": "---", "y.md": "---\n", "z.md": "---\n---"}, [], 0.03),
    "unclosed frontmatter": Case(
        {"x.md": "---\ntitle: x\n\n[[gone]]\n"},
        [("x.md", 1, 1, "VL201"), ("x.md", 4, 1, "VL101")],
        0.03,
    ),
    "1 MB single line": Case(
        {"x.md": LINE + "[[gone]]"}, [("x.md", 1, len(LINE) + 1, "VL101")], 1.0
    ),
    "10,000 nested lists": Case(
        {"x.md": nested(10_000, "- "), "y.md": nested(10_000, "1. ")},
        [("x.md", 1, 20_001, "VL101"), ("y.md", 1, 30_001, "VL101")],
        0.06,
    ),
    "10,000 nested quotes": Case(
        {"x.md": nested(10_000, ">"), "y.md": nested(10_000, "> - ")},
        [("x.md", 1, 10_001, "VL101"), ("y.md", 1, 40_001, "VL101")],
        0.03,
    ),
    "1,000 nested list and quote lines": Case(
        {"x.md": nested_lines(1000, "- ", "  "), "y.md": nested_lines(1000, "> ", ">")},
        [("x.md", 1001, 2003, "VL101"), ("y.md", 1001, 1003, "VL101")],
        1.6,
    ),
    "100,000 [[ without ]]": Case(
        {"x.md": "[[" * 100_000 + "\n\n[[gone]]\n", "y.md": "# " + "![[" * 50_000 + "\n[[gone]]"},
        [("x.md", 3, 1, "VL101"), ("y.md", 2, 1, "VL101")],
        0.28,
    ),
    "NUL bytes": Case({"x.md": b"[[gone]]\nab\x00cd\n"}, [("x.md", 2, 3, "VL001")], 0.03),
    "invalid UTF-8": Case({"x.md": b"[[gone]]\ncaf\xe9\n"}, [("x.md", 2, 4, "VL001")], 0.03),
    "UTF-16 with BOM": Case(
        {"x.md": "# Notes\n[[gone]]\n".encode("utf-16"), "y.md": "[[g]]".encode("utf-16-be")},
        [("x.md", 1, 1, "VL001"), ("y.md", 1, 1, "VL001")],
        0.03,
        messages={("x.md", "VL001"): "UTF-16", ("y.md", "VL001"): "binary"},  # y: no BOM
    ),
    "CRLF and lone CR": Case(
        {"x.md": b"# T\r\n\r\nsee [[gone]]\r\n", "y.md": b"# T\r\rsee [[gone]]\r"},
        [("x.md", 3, 5, "VL101"), ("y.md", 3, 5, "VL101")],
        0.03,
    ),
    "YAML alias bomb": Case(
        {"x.md": f"---\n{ALIAS_BOMB}---\n[[gone]]\n"},
        [("x.md", 2, 1, "VL201"), ("x.md", 12, 1, "VL101")],
        0.03,
        messages={("x.md", "VL201"): "aliases expand"},
    ),
    "deeply nested YAML": Case(
        {
            "x.md": "---\na: "
            + "[" * 5000
            + "]" * 5000
            + "\nb: "
            + "{a: " * 3000
            + "\n---\n[[gone]]\n"
        },
        [("x.md", 2, 1003, "VL201"), ("x.md", 5, 1, "VL101")],
        0.03,
    ),
}
CASES |= {
    "non-string YAML keys": Case(
        {
            "x.md": "---\n1: one\ntrue: yes\nnull: x\n2024-01-01: d\n1.5: f\n---\n[[gone]]\n",
            "y.md": "---\ntitle: t\n[a, b]: list key\n? {a: 1}\n: mapping key\n---\n[[gone]]\n",
            "vaultlint.toml": '[[schema]]\npaths = ["?.md"]\n[schema.fields]\n'
            '1 = { type = "text" }\ntrue = { type = "bool", required = true }\n',
            ".obsidian/types.json": '{"types": {"1": "number", "null": "checkbox"}}',
        },
        [
            ("x.md", 3, 1, "VL202"),
            ("x.md", 4, 1, "VL202"),
            ("x.md", 8, 1, "VL101"),
            ("y.md", 3, 1, "VL201"),
            ("y.md", 7, 1, "VL101"),
        ],
        0.03,
        messages={("x.md", "VL202"): "expected true or false", ("y.md", "VL201"): "unhashable"},
    ),
    "symlink loops": Case(
        {"a/n.md": "[[gone a]]\n", "b/m.md": "[[gone b]] [[n]]\n"},
        [
            ("a/n.md", 1, 1, "VL101"),
            ("b/m.md", 1, 1, "VL101"),
            ("l1.md", 1, 1, "VL001"),
            ("l2.md", 1, 1, "VL001"),
        ],
        0.03,
        setup=symlink_loops,
        messages={("l1.md", "VL001"): "symlink loop", ("l2.md", "VL001"): "symlink loop"},
    ),
    "symlinks out of the vault": Case({}, [], 0.02, setup=symlinks_out),
    "times with hundreds of digits": Case(
        {
            "t.md": (
                f'<a class="yt-timestamp" data-t="{HUGE}:00:00">[{HUGE}:00:00]</a>\n'
                f"[x](https://youtu.be/abcdefghijk?t={HUGE}) ![[v.mp4#t={HUGE}]]\n"
                f'<a class="yt-timestamp" data-t="{HUGE}">[1:00]</a>\n'
            ),
            "d.md": f"---\nduration: {HUGE}\n---\n{ANCHOR}\n",
            "e.md": f"---\nduration: PT{HUGE}H\n---\n{ANCHOR}\n",
        },
        [
            ("t.md", 1, 1, "VL301"),
            ("t.md", 2, 1, "VL301"),
            ("t.md", 2, 438, "VL104"),
            ("t.md", 2, 438, "VL301"),
            ("t.md", 3, 1, "VL301"),
        ],
        0.03,
        messages={("t.md", "VL301"): "more than 9 digits"},
    ),
    "a folder named x.md": Case(
        {"x.md/inner.md": "[[gone]]\n", "linker.md": "[[x]] [[x.md]]\n"},
        [
            ("linker.md", 1, 1, "VL101"),
            ("linker.md", 1, 7, "VL101"),
            ("x.md/inner.md", 1, 1, "VL101"),
        ],
        0.02,
    ),
    "file names with # | ^ [ and spaces, and in NFD": Case(
        {
            "a#b.md": "[[gone]]\n",
            "a|b.md": "[[gone]]\n",
            "a^b.md": "[[gone]]\n",
            "a[b].md": "[[gone]]\n",
            "with  two spaces.md": "# Top\n[[gone]]\n",
            f"{NFD}.md": "# Top\n[[gone]]\n",
            "linker.md": "[[with  two spaces#Top]] [[café#Top]] [[CAFÉ#Nope]] [[a#b]]\n",
        },
        [
            (f"{NFD}.md", 2, 1, "VL101"),
            ("a#b.md", 1, 1, "VL101"),
            ("a[b].md", 1, 1, "VL101"),
            ("a^b.md", 1, 1, "VL101"),
            ("a|b.md", 1, 1, "VL101"),
            ("linker.md", 1, 39, "VL102"),
            ("linker.md", 1, 53, "VL101"),
            ("with  two spaces.md", 2, 1, "VL101"),
        ],
        0.03,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    root = write_vault(tmp_path / "vault", {**OK, **case.files})
    if case.setup:
        case.setup(root)
    check_case(root, case)


def test_a_50_mb_note(tmp_path: Path) -> None:
    """50 MB in 820,000 lines of paragraphs, with 137,000 links and as many tags, checked in
    full and its last line reported. Measured: 6.2 s and 360 MB of memory."""
    text, last = big_note(50)
    root = write_vault(tmp_path / "vault", {**OK, "x.md": text})
    del text
    check_case(root, Case({}, [("x.md", last, 1, "VL101")], 6.2))


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading fails (simulated, as the suite may run as root, who reads anything; the real
    permission case is in tests/test_unreadable.py). Measured: 0.05 s."""
    root = write_vault(tmp_path / "vault", {**OK, "secret.md": "[[gone]]\n"})
    deny_reading(monkeypatch, "secret.md")
    case = Case(
        {}, [("secret.md", 1, 1, "VL001")], 0.05, messages={("secret.md", "VL001"): "denied"}
    )
    check_case(root, case)


def test_every_format_with_odd_file_names(tmp_path: Path) -> None:
    """The odd names through every output format: SARIF percent-encodes them, the others
    write them as they are. Measured: 0.03 s a format."""
    from vaultlint.output import FORMATS

    case = CASES["file names with # | ^ [ and spaces, and in NFD"]
    root = write_vault(tmp_path / "vault", {**OK, **case.files})
    outputs = {}
    for name in FORMATS:
        (code, out, err), _ = within(2, lambda name=name: run_check(root, "--format", name))
        assert code == 1 and "Traceback" not in err, (name, err)
        outputs[name] = out
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(outputs["sarif"])["runs"][0]["results"]
    ]
    assert {"a%23b.md", "a%7Cb.md", "a%5Eb.md", "a%5Bb%5D.md", "with%20%20two%20spaces.md"} <= set(
        uris
    )
    assert "file=a|b.md,line=1," in outputs["github"]
    assert 'file="a[b].md"' in outputs["junit"]
    assert json.loads(outputs["gitlab"])[0]["location"]["path"] == NFD + ".md"


def test_a_note_the_parser_cannot_handle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No input is known to exhaust the parser's recursion or memory (mistune stops nesting
    blocks past 6 levels), but if one does, that note is unreadable (VL001) and the others,
    here checked in worker processes, still are. Simulated. Measured: 0.3 s."""
    import vaultlint.note

    real = vaultlint.note.parse_body

    def parse_body(src: str, lines: object, start: int = 0) -> object:
        if "DEEP" in src:
            raise RecursionError("maximum recursion depth exceeded")
        return real(src, lines, start)  # type: ignore[arg-type]

    monkeypatch.setattr(vaultlint.note, "parse_body", parse_body)  # the forks inherit it
    fine = {f"fine/{i}.md": f"[[ok]] {i}\n" for i in range(120)}
    root = write_vault(tmp_path / "vault", {**OK, **fine, "deep.md": "DEEP\n[[gone]]\n"})
    case = Case(
        {}, [("deep.md", 1, 1, "VL001")], 0.3, messages={("deep.md", "VL001"): "too deeply nested"}
    )
    check_case(root, case)
    engine = Engine(root, Settings())
    engine.set_text("fine/1.md", "DEEP in an editor's buffer\n")
    assert [(d.code, d.message) for d in engine.check("fine/1.md")] == [
        ("VL001", "cannot be parsed: too deeply nested")
    ]
