"""`VaultIndex.resolve` against Obsidian's rules (obsidian-semantics.md section 2 and the
conformance fixtures of section 8)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from vaultlint.vault import Resolution, VaultIndex


def index(*files: str) -> VaultIndex:
    return VaultIndex(Path("/vault"), sorted(files))


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# files, target, source, expected path
SIMPLE = [
    # R3, R4: case-insensitive names and extensions
    (["Log.md"], "log", "src.md", "Log.md"),
    (["Log.md"], "LOG", "src.md", "Log.md"),
    (["Log.md"], "Log.MD", "src.md", "Log.md"),
    (["Log.md"], "lOg.Md", "dir/src.md", "Log.md"),
    (["Ext.md"], "Ext.MD", "src.md", "Ext.md"),
    # R2: `.md` optional, other files need their extension
    (["Three laws of motion.md"], "Three laws of motion", "src.md", "Three laws of motion.md"),
    (["Three laws of motion.md"], "Three laws of motion.md", "src.md", "Three laws of motion.md"),
    (["image.png"], "image", "src.md", None),
    (["image.png"], "image.png", "src.md", "image.png"),
    (["image.png"], "IMAGE.PNG", "src.md", "image.png"),
    (["media/Figure 1.png"], "Figure 1.png", "src.md", "media/Figure 1.png"),
    (["board.canvas"], "board", "src.md", None),
    (["board.canvas"], "board.canvas", "src.md", "board.canvas"),
    (["d.md", "d.canvas"], "d", "src.md", "d.md"),
    (["v1.2 notes.md"], "v1.2 notes", "src.md", "v1.2 notes.md"),
    (["Note.md"], "  Note  ", "src.md", "Note.md"),
    # R1: folder paths start at the vault root
    (["Projects/Plan.md"], "Projects/Plan", "src.md", "Projects/Plan.md"),
    (["Projects/Plan.md"], "projects/PLAN.md", "Other/src.md", "Projects/Plan.md"),
    (["Projects/Plan.md"], "/Projects/Plan", "src.md", "Projects/Plan.md"),
    (["Projects/Plan.md", "O/Projects/Plan.md"], "Projects/Plan", "O/s.md", "Projects/Plan.md"),
    # a bare name finds a unique note in any folder
    (["deep/down/Only.md"], "Only", "src.md", "deep/down/Only.md"),
    (["x/Missing.md"], "Missing", "y/src.md", "x/Missing.md"),
    # Markdown destinations are decoded, then looked up like wiki-links (vault paths)
    (["Sub/My Note.md"], "My Note.md", "src.md", "Sub/My Note.md"),
    (["Sub/My Note.md"], "Sub/My Note.md", "Sub/md2.md", "Sub/My Note.md"),
    (["C#-guide.md"], "C#-guide.md", "src.md", "C#-guide.md"),
    # nothing to find
    (["Note.md"], "Absent", "src.md", None),
    (["Note.md"], "https://example.com", "src.md", None),
    (["Note.md"], "My%20Note", "src.md", None),
]  # fmt: skip


@pytest.mark.parametrize(("files", "target", "source", "expected"), SIMPLE)
def test_resolve(files: list[str], target: str, source: str, expected: str | None) -> None:
    assert index(*files).resolve(target, source).path == expected


# R5: several notes named `Note`. Exact vault path, then the source's own folder (ancestors
# count for nothing), then the shortest path string.
ALL = ["Note.md", "b/Note.md", "a/b/Note.md", "zzzz/Note.md"]
NO_ROOT = ["b/Note.md", "a/b/Note.md", "zzzz/Note.md"]
NO_ROOT_NO_B = ["a/b/Note.md", "zzzz/Note.md"]
TIE_BREAK = [
    (ALL, "src.md", "Note.md"),
    (ALL, "b/src.md", "Note.md"),  # the exact vault path beats a sibling of the source
    (ALL, "zzzz/deep/src.md", "Note.md"),
    (ALL, "a/b/src.md", "Note.md"),
    (NO_ROOT, "src.md", "b/Note.md"),
    (NO_ROOT, "b/src.md", "b/Note.md"),
    (NO_ROOT, "a/b/src.md", "a/b/Note.md"),  # same folder beats a shorter path
    (NO_ROOT, "zzzz/src.md", "zzzz/Note.md"),
    (NO_ROOT, "zzzz/deep/src.md", "b/Note.md"),  # the parent folder is not special
    (NO_ROOT_NO_B, "src.md", "a/b/Note.md"),  # shorter path string wins
    (NO_ROOT_NO_B, "b/src.md", "a/b/Note.md"),
    (NO_ROOT_NO_B, "zzzz/deep/src.md", "a/b/Note.md"),
    (NO_ROOT_NO_B, "zzzz/src.md", "zzzz/Note.md"),
]


@pytest.mark.parametrize(("files", "source", "expected"), TIE_BREAK)
def test_tie_break_order(files: list[str], source: str, expected: str) -> None:
    res = index(*files).resolve("Note", source)
    assert res.path == expected
    assert sorted(res.candidates) == sorted(files)
    assert not res.by_suffix


@pytest.mark.parametrize("target", ["note", "NOTE.md", "Note.MD"])
def test_tie_break_is_case_insensitive(target: str) -> None:
    res = index(*NO_ROOT).resolve(target, "zzzz/src.md")
    assert (res.path, len(res.candidates)) == ("zzzz/Note.md", 3)


def test_a_unique_name_has_no_candidates() -> None:
    assert index("x/Only.md").resolve("Only", "src.md") == Resolution("x/Only.md")


def test_a_folder_path_is_not_ambiguous() -> None:
    res = index(*ALL).resolve("zzzz/Note", "b/src.md")
    assert res == Resolution("zzzz/Note.md")


# R6: `./` and `../` are exact lookups from the source's folder, with no fallback.
RELATIVE = [
    (["x/Missing.md"], "./Missing", "src.md", None),
    (["x/Missing.md"], "./Missing", "y/src.md", None),
    (["x/Missing.md"], "../Missing", "y/src.md", None),
    (["x/Missing.md"], "./Missing", "x/src.md", "x/Missing.md"),
    (["x/Missing.md"], "./missing.MD", "x/src.md", "x/Missing.md"),
    (["x/Missing.md"], "../x/Missing", "y/src.md", "x/Missing.md"),
    (["top.md"], "../top", "dir/src.md", "top.md"),
    (["top.md"], "../../top", "a/b/src.md", "top.md"),
    (["dir/sib.md"], "./sib", "dir/src.md", "dir/sib.md"),
    (["dir/sub/deep.md"], "./sub/deep", "dir/src.md", "dir/sub/deep.md"),
    (["Note.md"], "./../Note", "b/src.md", "Note.md"),
    (["pics/a.png"], "../pics/a.png", "notes/src.md", "pics/a.png"),
    # escaping the vault
    (["Note.md"], "../Note", "src.md", None),
    (["Note.md"], "../../Note", "b/src.md", None),
    (["Note.md"], "../", "src.md", None),
    (["etc/passwd.md"], "../../../etc/passwd", "a/src.md", None),
]


@pytest.mark.parametrize(("files", "target", "source", "expected"), RELATIVE)
def test_relative_paths(files: list[str], target: str, source: str, expected: str | None) -> None:
    assert index(*files).resolve(target, source).path == expected


# R14: NFC and NFD spellings of one name are the same name.
UNICODE = [
    (nfd("Café.md"), nfc("Café"), nfd("Café.md")),
    (nfc("Café.md"), nfd("Café"), nfc("Café.md")),
    (nfd("Café.md"), nfc("CAFÉ"), nfd("Café.md")),
    (nfd("Résumés/Été.md"), nfc("Résumés/Été"), nfd("Résumés/Été.md")),
    (nfd("Été.md"), nfc("./Été"), nfd("Été.md")),
    ("日本語のノート.md", "日本語のノート", "日本語のノート.md"),
    ("😀 happy.md", "😀 HAPPY", "😀 happy.md"),
]


@pytest.mark.parametrize(("file", "target", "expected"), UNICODE)
def test_unicode_normal_forms(file: str, target: str, expected: str) -> None:
    assert index(file).resolve(target, "src.md").path == expected


# R7: a partial folder path is a suffix match, flagged as such.
SUFFIX = [
    (["a/b/Note.md"], "b/Note", "a/b/Note.md", ()),
    (["a/b/Note.md"], "B/note.md", "a/b/Note.md", ()),
    (["x/a/b/Note.md"], "a/b/Note", "x/a/b/Note.md", ()),
    (["dir/sub/deep.md"], "sub/deep", "dir/sub/deep.md", ()),
    (["a/b/Note.md", "cc/b/Note.md"], "b/Note", "a/b/Note.md", ("a/b/Note.md", "cc/b/Note.md")),
]


@pytest.mark.parametrize(("files", "target", "expected", "candidates"), SUFFIX)
def test_partial_path_resolves_by_suffix(
    files: list[str], target: str, expected: str, candidates: tuple[str, ...]
) -> None:
    res = index(*files).resolve(target, "src.md")
    assert res == Resolution(expected, candidates, by_suffix=True)


@pytest.mark.parametrize(
    ("files", "target"),
    [
        (["a/b/Note.md"], "z/b/Note"),
        (["a/b/Note.md"], "a/Note"),
        (["ab/Note.md"], "b/Note"),  # a suffix must start at a folder boundary
        (["a/b/Note.md"], "b/Not"),
    ],
)
def test_partial_path_that_is_not_a_suffix(files: list[str], target: str) -> None:
    assert index(*files).resolve(target, "src.md") == Resolution(None)


def test_exact_folder_path_is_not_a_suffix_match() -> None:
    res = index("b/Note.md", "a/b/Note.md").resolve("b/Note", "src.md")
    assert res == Resolution("b/Note.md")


def test_aliases_do_not_resolve() -> None:
    """R8: the index knows files, not aliases; `[[AL]]` for a note with `aliases: [AL]` is
    unresolved (the rule suggests the fix, see test_link_rules)."""
    assert index("Alias Probe Target.md").resolve("ProbeAliasZeta", "src.md") == Resolution(None)
