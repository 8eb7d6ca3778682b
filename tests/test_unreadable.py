"""Bad input never crashes a run: odd encodings, odd files, odd file-system entries. Every vault
also holds `ok.md` with a broken link, which must still be reported (the rest of the vault is
checked), and the run must exit 1, never 2, with no traceback."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult, MakeVault, deny_reading, lint, run_cli

OK = {"ok.md": "# Fine\n\nsee [[nowhere]]\n"}
OK_DIAG = ("ok.md", 3, 5, "VL101")


Checker = Callable[..., tuple[CliResult, list[dict[str, Any]]]]


@pytest.fixture
def check(cli) -> Checker:
    """`check(root, *args)` runs `vaultlint check --format json ARGS` in-process from `root`
    and asserts that it neither crashed nor lost `ok.md`."""

    def run(root: Path, *args: str) -> tuple[CliResult, list[dict[str, Any]]]:
        result = cli(root, "check", "--format", "json", *args)
        code, err = result.code, result.stderr
        assert "Traceback" not in err, err
        assert "internal error" not in err, err
        assert code == 1, err
        diagnostics = result.json()["diagnostics"]
        assert OK_DIAG in keys(diagnostics)
        return result, diagnostics

    return run


def keys(diagnostics: list[dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    return [(d["path"], d["line"], d["column"], d["code"]) for d in diagnostics]


def of(diagnostics: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["path"] == path]


def link_codes(diagnostics: list[dict[str, Any]], path: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of the link and unreadable diagnostics of one note."""
    return [
        (d["line"], d["column"], d["code"])
        for d in of(diagnostics, path)
        if d["code"].startswith(("VL1", "VL001"))
    ]


# -- encodings -----------------------------------------------------------------------------------

NON_UTF8 = {
    "bad byte on line 2": (b"[[gone]]\nab\xffcd\n", (2, 3)),
    "after multi-byte characters": ("éé ".encode() + b"\xff\n", (1, 4)),
    "latin-1 text after CRLF": (b"a\r\nb\r\nxyz\xe9t\xe9\n", (3, 4)),
    "after a BOM": (b"\xef\xbb\xbfok\n\xfe", (2, 1)),
    "truncated sequence": (b"ok \xe2\x82\n", (1, 4)),
    "after lone CR": (b"a\rb\xff", (2, 2)),
    "surrogate encoded": (b"x\xed\xa0\x80", (1, 2)),
}


@pytest.mark.parametrize("case", list(NON_UTF8))
def test_non_utf8_note(check: Checker, vault: MakeVault, case: str) -> None:
    data, (line, column) = NON_UTF8[case]
    root = vault({**OK, "latin.md": data, "linker.md": "[[latin]] [[latin#Part]]\n"})
    _, diagnostics = check(root)
    found = of(diagnostics, "latin.md")
    assert [(d["line"], d["column"], d["code"]) for d in found] == [(line, column, "VL001")]
    assert "UTF-8" in found[0]["message"]
    assert found[0]["end_line"] == line
    assert found[0]["end_column"] == column + 1
    assert of(diagnostics, "linker.md") == []  # the file exists, so links to it resolve


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "# Notes in UTF-16\n[[gone]]\n".encode("utf-16"),
        b"\x00",
    ],
    ids=["png bytes", "utf-16", "one NUL"],
)
def test_binary_file_named_md(check: Checker, vault: MakeVault, data: bytes) -> None:
    root = vault({**OK, "image.md": data})
    _, diagnostics = check(root)
    found = of(diagnostics, "image.md")
    assert [d["code"] for d in found] == ["VL001"]
    assert "binary" in found[0]["message"] or "UTF-8" in found[0]["message"]


def test_utf8_bom_is_fine(check: Checker, vault: MakeVault) -> None:
    root = vault(
        {
            **OK,
            "bom.md": b"\xef\xbb\xbf# Top\n[[gone]] [[ok#Fine]]\n",
            "bomlink.md": b"\xef\xbb\xbf[[bom#Top]] [[also gone]]",
        }
    )
    _, diagnostics = check(root)
    assert link_codes(diagnostics, "bom.md") == [(2, 1, "VL101")]
    assert link_codes(diagnostics, "bomlink.md") == [(1, 13, "VL101")]


# -- odd notes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "\n", "   \n\n", "---\ntitle: x\n---", "---\ntitle: x\n---\n", "---\n---\n", "---"],
    ids=["empty", "newline", "blank", "fm no newline", "fm", "empty fm", "dashes only"],
)
def test_empty_and_frontmatter_only_notes(check: Checker, vault: MakeVault, text: str) -> None:
    root = vault({**OK, "odd.md": text, "linker.md": "[[odd]]\n"})
    _, diagnostics = check(root)
    assert link_codes(diagnostics, "odd.md") == []
    assert of(diagnostics, "linker.md") == []


@pytest.mark.parametrize(
    "frontmatter",
    [
        "title: [unclosed\n",
        "title: x\n  bad: indent\n",
        "\ttitle: tab\n",
        "x: !!python/name:os.system\n",
        "- a list\n- not a mapping\n",
        "just a scalar\n",
        "a: &a [1]\nb: *a\nc: *nope\n",
        "key: value\nkey: again\n",
    ],
    ids=[
        "unclosed flow",
        "bad indent",
        "tab",
        "python tag",
        "list",
        "scalar",
        "unknown anchor",
        "duplicate key",
    ],
)
def test_invalid_frontmatter_still_checks_the_body(
    check: Checker, vault: MakeVault, frontmatter: str
) -> None:
    text = f"---\n{frontmatter}---\n\nsee [[body gone]]\n"
    line = text.count("\n")
    root = vault({**OK, "fm.md": text})
    _, diagnostics = check(root)
    assert link_codes(diagnostics, "fm.md") == [(line, 5, "VL101")]


def test_unclosed_frontmatter_is_body_text(check: Checker, vault: MakeVault) -> None:
    root = vault({**OK, "open.md": "---\ntitle: x\n\nsee [[gone]]\n"})
    _, diagnostics = check(root)
    assert link_codes(diagnostics, "open.md") == [(4, 5, "VL101")]


# -- line endings --------------------------------------------------------------------------------


def test_crlf_positions(check: Checker, vault: MakeVault) -> None:
    root = vault(
        {
            **OK,
            "crlf.md": b"# T\r\n\r\nsee [[gone4]] and [[gone5]]\r\n",
            "linker.md": b"[[crlf#T]] [[crlf#Nope]]\r\n",
        }
    )
    _, diagnostics = check(root)
    spans = [
        (d["line"], d["column"], d["end_line"], d["end_column"]) for d in of(diagnostics, "crlf.md")
    ]
    assert spans == [(3, 5, 3, 14), (3, 19, 3, 28)]
    assert link_codes(diagnostics, "linker.md") == [(1, 12, "VL102")]


def test_crlf_frontmatter_is_recognised(check: Checker, vault: MakeVault) -> None:
    root = vault(
        {
            **OK,
            "person.md": b"---\r\naliases: [Nick]\r\n---\r\n[[gone]]\r\n",
            "linker.md": "[[Nick]]\n",
        }
    )
    _, diagnostics = check(root)
    assert link_codes(diagnostics, "person.md") == [(4, 1, "VL101")]
    [alias] = of(diagnostics, "linker.md")
    assert 'alias of "person"' in alias["message"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"# T\r\rsee [[gone]]\r", [(3, 5, "VL101")]),
        (b"a\r\nb\rc\n[[gone]]\r\n\r[[gone]]", [(4, 1, "VL101"), (6, 1, "VL101")]),
        (b"\r\r\r\r[[gone]]", [(5, 1, "VL101")]),
    ],
    ids=["lone CR", "mixed", "only CRs"],
)
def test_lone_cr_positions(check: Checker, vault: MakeVault, data: bytes, expected: list) -> None:
    root = vault({**OK, "cr.md": data})
    _, diagnostics = check(root)
    assert link_codes(diagnostics, "cr.md") == expected


# -- file-system oddities ------------------------------------------------------------------------


def test_broken_symlink(check: Checker, vault: MakeVault) -> None:
    root = vault(OK)
    (root / "x.md").symlink_to(root / "does-not-exist.md")
    _, diagnostics = check(root)
    assert [d["code"] for d in of(diagnostics, "x.md")] == ["VL001"]


def test_symlink_loop_between_folders(check: Checker, vault: MakeVault) -> None:
    root = vault({**OK, "a/n.md": "[[gone a]]\n", "b/m.md": "[[gone b]] [[n]]\n"})
    (root / "a" / "to_b").symlink_to(Path("..") / "b", target_is_directory=True)
    (root / "b" / "to_a").symlink_to(Path("..") / "a", target_is_directory=True)
    (root / "a" / "up").symlink_to(Path(".."), target_is_directory=True)
    (root / "l1.md").symlink_to("l2.md")
    (root / "l2.md").symlink_to("l1.md")
    _, diagnostics = check(root)
    messages = [d["message"] for d in diagnostics if d["code"] == "VL101"]
    assert messages.count('no note "gone a"') == 1
    assert messages.count('no note "gone b"') == 1
    assert sum(d["path"].endswith("ok.md") for d in diagnostics) == 1
    for loop in ("l1.md", "l2.md"):
        assert [d["code"] for d in of(diagnostics, loop)] in ([], ["VL001"])


def test_symlink_pointing_outside_the_vault_is_not_followed(
    check: Checker, tmp_path: Path, vault: MakeVault
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text("[[outside gone]]\n", encoding="utf-8")
    root = vault(OK)
    (root / "out.md").symlink_to(outside / "o.md")
    (root / "ext").symlink_to(outside, target_is_directory=True)
    _, diagnostics = check(root)
    assert not any("outside gone" in d["message"] for d in diagnostics)
    assert not any(d["path"].startswith("ext/") for d in diagnostics)
    assert [d["code"] for d in of(diagnostics, "out.md")] in ([], ["VL001"])


def test_symlink_to_a_folder_inside_the_vault_does_not_hide_it(
    check: Checker, vault: MakeVault
) -> None:
    """Obsidian ignores a symlink from one vault folder to another (help: "Symbolic links and
    junctions"); the real folder's notes keep their real paths, whatever the listing order."""
    root = vault({**OK, "a/deep/x.md": "[[gone]]\n", "r.md": "[[a/deep/x]]\n"})
    (root / "shortcut").symlink_to(Path("a") / "deep", target_is_directory=True)
    _, diagnostics = check(root)
    assert keys(diagnostics) == [("a/deep/x.md", 1, 1, "VL101"), OK_DIAG]


def test_directory_named_like_a_note(check: Checker, vault: MakeVault) -> None:
    root = vault({**OK, "folder.md/inner.md": "[[inner gone]]\n", "linker.md": "[[folder]]\n"})
    result, diagnostics = check(root)
    assert of(diagnostics, "folder.md") == []
    assert link_codes(diagnostics, "folder.md/inner.md") == [(1, 1, "VL101")]
    assert link_codes(diagnostics, "linker.md") == [(1, 1, "VL101")]  # a folder is no note
    assert result.json()["checked"] == 3
    only = run_cli("check", "--format", "json", "folder.md", cwd=root)
    assert only.code == 1
    assert [d["path"] for d in only.json()["diagnostics"]] == ["folder.md/inner.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_file_without_read_permission(check: Checker, vault: MakeVault) -> None:
    root = vault({**OK, "secret.md": "[[gone]]\n"})
    (root / "secret.md").chmod(0)
    try:
        _, diagnostics = check(root)
    finally:
        (root / "secret.md").chmod(0o644)
    found = of(diagnostics, "secret.md")
    assert [d["code"] for d in found] == ["VL001"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_folder_without_permission(check: Checker, vault: MakeVault) -> None:
    root = vault({**OK, "locked/n.md": "[[gone]]\n"})
    (root / "locked").chmod(0)
    try:
        result, _ = check(root)
    finally:
        (root / "locked").chmod(0o755)
    assert "locked" in result.stderr


def test_read_error_is_unreadable_in_process(vault: MakeVault, monkeypatch) -> None:
    """The permission case simulated, so it also runs as root."""
    root = vault({**OK, "secret.md": "[[gone]]\n"})
    deny_reading(monkeypatch, "secret.md")
    found = [(d.path, d.code, d.message) for d in lint(root)]
    assert found[0][:2] == ("ok.md", "VL101")
    assert found[1][:2] == ("secret.md", "VL001")
    assert "Permission denied" in found[1][2]


def test_file_name_that_is_not_utf8(tmp_path: Path, vault: MakeVault) -> None:
    root = vault(OK)
    name = os.fsencode(root) + b"/caf\xe9.md"
    try:
        with open(name, "wb") as fh:
            fh.write(b"[[gone]]\n")
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    report = tmp_path / "report.json"
    result = run_cli("check", "--format", "json", "--output", str(report), cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.code == 1
    doc = json.loads(report.read_bytes().decode("utf-8"))
    paths = [d["path"] for d in doc["diagnostics"]]
    assert "ok.md" in paths
    assert len(paths) == 2


def test_everything_at_once_end_to_end(tmp_path: Path, vault: MakeVault) -> None:
    """All of the above in one vault, through `python -m vaultlint` as a user runs it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text("[[outside gone]]\n", encoding="utf-8")
    root = vault(
        {
            **OK,
            "latin.md": b"caf\xe9\n",
            "bin.md": b"\x00\x01\x02",
            "empty.md": "",
            "fm.md": "---\ntitle: x\n---",
            "yaml.md": "---\ntitle: [x\n---\n[[yaml gone]]\n",
            "open.md": "---\ntitle: x\n[[open gone]]\n",
            "bom.md": b"\xef\xbb\xbf[[bom gone]]\n",
            "crlf.md": b"\r\n[[crlf gone]]\r\n",
            "cr.md": b"\r[[cr gone]]\r",
            "folder.md/inner.md": "[[inner gone]]\n",
            "a/n.md": "",
        }
    )
    (root / "broken.md").symlink_to(root / "nothing.md")
    (root / "a" / "up").symlink_to(Path(".."), target_is_directory=True)
    (root / "out.md").symlink_to(outside / "o.md")
    (root / "ext").symlink_to(outside, target_is_directory=True)
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 1
    assert "Traceback" not in result.stderr, result.stderr
    lines = set(result.stdout.splitlines())
    expected = {
        "latin.md:1:4: VL001",
        "bin.md:1:1: VL001",
        "broken.md:1:1: VL001",
        "ok.md:3:5: VL101",
        "yaml.md:2:8: VL201",
        "yaml.md:4:1: VL101",
        "open.md:1:1: VL201",
        "open.md:3:1: VL101",
        "bom.md:1:1: VL101",
        "crlf.md:2:1: VL101",
        "cr.md:2:1: VL101",
        "folder.md/inner.md:1:1: VL101",
    }
    shown = {line.split(" [")[0] for line in lines}
    assert expected <= shown, sorted(shown)
    assert shown - expected <= {"out.md:1:1: VL001"}, sorted(shown)


def test_a_note_that_grows_while_read_is_read_whole(tmp_path: Path, monkeypatch) -> None:
    """`checker._read` asks for one byte more than the size the file had: a file that has grown
    since is read to its end (as pathlib's read_bytes did), and the size kept is the one seen."""
    from vaultlint import checker

    file = tmp_path / "n.md"
    file.write_bytes(b"x" * 200_000)
    real_fstat = os.fstat

    def fstat(fd: int) -> os.stat_result:  # the size it had before it grew
        st = real_fstat(fd)
        return os.stat_result((*st[:6], 10, *st[7:10]))

    monkeypatch.setattr(os, "fstat", fstat)
    stat, data = checker._read(str(file))
    assert data == b"x" * 200_000
    assert stat.st_size == 10
    monkeypatch.undo()
    assert checker._read(str(file))[1] == file.read_bytes()
