"""The fix engine and the command line's --fix, --unsafe-fixes and --diff: bytes in, bytes out."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeVault, write_vault
from vaultlint.config import Settings
from vaultlint.diagnostics import Edit, Fix
from vaultlint.engine import Engine
from vaultlint.fixes import apply_fixes, fix_notes, line_ending, unified_diff, write_atomic

BOM = b"\xef\xbb\xbf"


def fix(*edits: tuple[int, int, str], safe: bool = True) -> Fix:
    return Fix(tuple(Edit(*e) for e in edits), safe, "test")


# -- applying edits ---------------------------------------------------------------------------


def test_edits_apply_by_offset_and_keep_everything_else() -> None:
    new, applied = apply_fixes("ab cd ef", [fix((3, 5, "XY")), fix((0, 0, ">"))])
    assert new == ">ab XY ef"
    assert len(applied) == 2


def test_overlapping_fix_is_dropped_first_wins() -> None:
    first, second = fix((2, 6, "A")), fix((4, 8, "B"))
    new, applied = apply_fixes("0123456789", [second, first])
    assert new == "01A6789"
    assert applied == [first]


def test_a_fix_applies_whole_or_not_at_all() -> None:
    taken = fix((0, 1, "x"))
    both = fix((5, 6, "y"), (0, 2, "z"))  # its second edit overlaps the fix taken before
    new, applied = apply_fixes("abcdefgh", [taken, both])
    assert new == "xbcdefgh"
    assert applied == [taken]


def test_two_insertions_at_one_offset_overlap() -> None:
    new, applied = apply_fixes("ab", [fix((1, 1, "X")), fix((1, 1, "Y"))])
    assert new == "aXb"
    assert len(applied) == 1


def test_insertion_next_to_a_replacement_does_not_overlap() -> None:
    new, _ = apply_fixes("abcd", [fix((1, 3, "X")), fix((3, 3, "!")), fix((1, 1, "<"))])
    assert new == "a<X!d"


def test_a_fix_that_changes_nothing_is_not_applied() -> None:
    new, applied = apply_fixes("abc", [fix((0, 1, "a"))])
    assert (new, applied) == ("abc", [])


def test_edits_outside_the_text_or_splitting_crlf_are_refused() -> None:
    text = "a\r\nb"
    assert apply_fixes(text, [fix((2, 3, "")), fix((0, 9, "x"))]) == (text, [])


def test_inserted_line_breaks_take_the_notes_line_ending() -> None:
    assert apply_fixes("a\r\nb\r\n", [fix((1, 1, "\nx"))])[0] == "a\r\nx\r\nb\r\n"
    assert apply_fixes("a\rb\r", [fix((1, 1, "\nx"))])[0] == "a\rx\rb\r"
    assert apply_fixes("a\nb", [fix((1, 1, "\r\nx"))])[0] == "a\nx\nb"


def test_line_ending_is_the_most_frequent() -> None:
    assert line_ending("no breaks") == "\n"
    assert line_ending("a\r\nb\r\nc\n") == "\r\n"
    assert line_ending("a\rb\rc\n") == "\r"
    assert line_ending("a\r\nb\n") == "\n"


# -- each fix, on notes written every which way ----------------------------------------------

# Each case: the vault's other files, the note to fix (LF, `{pad}` where a variant puts tabs
# and non-ASCII text), the note after `--fix`, and after `--fix --unsafe-fixes`.
TARGETS = {
    "openai_and_ai_advancements.md": "# OpenAI\n",
    "Reading list.md": "---\naliases: [RL]\n---\n# Reading list\n\n## Ratings\n",
    "projects/Roadmap.md": "",
    "archive/2023/Roadmap.md": "",
    "work/Plan.md": "",
    "img/chart.png": b"\x89PNG",
    "talk.mp4": b"",
}
YT = '<a class="yt-timestamp" data-t="{}">[{}]</a>'

CASES = {
    "VL101 loose name, shown text kept": (
        "{pad}see [[openai and ai advancements | x]] and [[OpenAI-and-AI advancements]].\n",
        "{pad}see [[openai_and_ai_advancements | x]] and "
        "[[openai_and_ai_advancements|OpenAI-and-AI advancements]].\n",
        None,
    ),
    "VL101 loose name with a heading": (
        "{pad}[[openai and ai advancements#Part]]\n",
        "{pad}[[openai_and_ai_advancements#Part|openai and ai advancements > Part]]\n",
        None,
    ),
    "VL101 alias": (
        "{pad}Next from [[RL]] and [[rl#Ratings|stars]].\n",
        "{pad}Next from [[Reading list|RL]] and [[Reading list#Ratings|stars]].\n",
        None,
    ),
    "VL101 table row": (
        "| a | b |\n|---|---|\n| {pad}[[reading-list]] | c |\n",
        "| a | b |\n|---|---|\n| {pad}[[Reading list\\|reading-list]] | c |\n",
        None,
    ),
    "VL101 Markdown link": (
        "{pad}[the list](reading_list.md#Ratings) and [x](<reading-list.md>)\n",
        "{pad}[the list](Reading%20list.md#Ratings) and [x](<Reading list.md>)\n",
        None,
    ),
    "VL101 frontmatter link": (
        '---\nrelated: "[[reading_list]]"\n---\n{pad}\n',
        '---\nrelated: "[[Reading list|reading_list]]"\n---\n{pad}\n',
        None,
    ),
    "VL101 near name is unsafe": (
        "{pad}[[Reading lists]] and [[Readinglis]]\n",
        None,
        "{pad}[[Reading list|Reading lists]] and [[Reading list|Readinglis]]\n",
    ),
    "VL101 wrong folder is unsafe": (
        "{pad}[[old/Plan]]\n",
        None,
        "{pad}[[Plan|old/Plan]]\n",
    ),
    "VL101 missing extension is unsafe": (
        "{pad}![[chart]] and [[chart]]\n",
        None,
        "{pad}![[chart.png]] and [[chart.png|chart]]\n",
    ),
    "VL105 explicit path": (
        "{pad}[[Roadmap]], ![[Roadmap]] and [plan](Roadmap.md)\n",
        "{pad}[[projects/Roadmap|Roadmap]], ![[projects/Roadmap]] and "
        "[plan](projects/Roadmap.md)\n",
        None,
    ),
    "VL106 empty link is unsafe": (
        "{pad}Guest: [[]] Host: [[|to be confirmed]] [notes]() ![[]]\n",
        None,
        "{pad}Guest:  Host: to be confirmed notes \n",
    ),
    "VL302 shown time": (
        "{pad}At " + YT.format("00:14:01", "00:14:11") + " and [1:24](https://youtu.be/x?t=83)\n",
        "{pad}At " + YT.format("00:14:01", "00:14:01") + " and [1:23](https://youtu.be/x?t=83)\n",
        None,
    ),
    "VL304 minutes written as hours is unsafe": (
        "{pad}Peak " + YT.format("26:27:00", "") + " [[talk.mp4#t=13:05:00|13:05:00]]\n",
        "{pad}Peak " + YT.format("26:27:00", "26:27:00") + " [[talk.mp4#t=13:05:00|13:05:00]]\n",
        "{pad}Peak " + YT.format("00:26:27", "00:26:27") + " [[talk.mp4#t=00:13:05|00:13:05]]\n",
    ),
    "VL204 rename then list, in one run": (
        "---\ntag: episode  # kept\nalias: Night market\ncssclasses: wide\n---\n{pad}\n",
        "---\ntags:\n  - episode  # kept\naliases:\n  - Night market\ncssclasses:\n  - wide\n"
        "---\n{pad}\n",
        None,
    ),
}
VARIANTS = {
    "LF": lambda text: text.replace("{pad}", "").encode(),
    "CRLF and BOM": lambda text: BOM + text.replace("{pad}", "").replace("\n", "\r\n").encode(),
    "CR": lambda text: text.replace("{pad}", "").replace("\n", "\r").encode(),
    "tabs and non-ASCII": lambda text: text.replace("{pad}", "Zoë\t文字 🙂\t").encode(),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", CASES)
def test_fix_rewrites_only_the_offending_text(cli, vault: MakeVault, case: str, variant: str):
    before, safe, unsafe = CASES[case]
    encode = VARIANTS[variant]
    root = vault({**TARGETS, "note.md": encode(before)})
    result = cli(root, "check", "--fix", "note.md")
    assert (root / "note.md").read_bytes() == encode(safe or before), result.stderr
    cli(root, "check", "--fix", "--unsafe-fixes", "note.md")
    assert (root / "note.md").read_bytes() == encode(unsafe or safe or before)
    again = cli(root, "check", "--diff", "--unsafe-fixes", "note.md")
    assert (again.code, again.stdout) == (0, ""), "fixing twice changes more"


def test_no_fix_when_several_notes_fit(cli, vault: MakeVault) -> None:
    note = "[[ab cd]] [[Shared]] [[abcdefghij]]\n"
    root = vault(
        {
            "note.md": note,
            "x/ab_cd.md": "",
            "y/Ab-Cd.md": "",
            "p.md": "---\naliases: [Shared]\n---\n",
            "q.md": "---\naliases: [shared]\n---\n",
            "abcdefghik.md": "",
            "abcdefghil.md": "",
        }
    )
    result = cli(root, "check", "--fix", "--unsafe-fixes", "--format", "concise")
    assert (root / "note.md").read_text() == note
    assert 'did you mean "Ab-Cd" or "ab_cd"? several notes have that name' in result.stdout
    assert '"Shared" is an alias of "p" or "q")' in result.stdout
    assert '"abcdefghik"' in result.stdout
    assert '"abcdefghil"' in result.stdout


def test_short_names_get_no_did_you_mean_fix(vault: MakeVault) -> None:
    root = vault(
        {"note.md": "[[Pla]] [[Planning notez]]\n", "Plan.md": "", "Planning notes.md": ""}
    )
    engine = Engine(root, Settings())
    found = {d.message: d.fix for d in engine.run().diagnostics}
    assert found == {
        'no note "Pla" (did you mean "Plan"?)': None,
        'no note "Planning notez" (did you mean "Planning notes"?)': Fix(
            (Edit(8, 26, "[[Planning notes|Planning notez]]"),), False, 'link to "Planning notes"'
        ),
    }


def test_fix_writes_the_folder_path_when_the_name_alone_is_ambiguous(cli, vault: MakeVault) -> None:
    root = vault({"note.md": "[[P]]\n", "x/Plan.md": "---\naliases: [P]\n---\n", "y/z/Plan.md": ""})
    cli(root, "check", "--fix")
    assert (root / "note.md").read_text() == "[[x/Plan|P]]\n"


def test_the_same_link_in_two_folders_is_fixed_for_each_folder(cli, vault: MakeVault) -> None:
    """Obsidian opens the note of the linking note's folder; the fix keeps that, note by note
    (a rewritten link is worked out once and reused for the run)."""
    notes = {f"{f}/{n}.md": "See [[Plan]] and [[Plan]].\n" for f in "ab" for n in ("one", "two")}
    root = vault({**notes, "a/Plan.md": "", "b/Plan.md": ""})
    cli(root, "check", "--fix")
    for path in notes:
        folder = path[0]
        want = f"See [[{folder}/Plan|Plan]] and [[{folder}/Plan|Plan]].\n"
        assert (root / path).read_text() == want


def test_suppressed_diagnostics_are_not_fixed(cli, vault: MakeVault) -> None:
    note = "<!-- vaultlint-disable-next-line VL101 -->\n[[reading-list]]\n[[reading-list]]\n"
    root = vault({"note.md": note, "Reading list.md": ""})
    cli(root, "check", "--fix")
    assert (root / "note.md").read_text() == (
        "<!-- vaultlint-disable-next-line VL101 -->\n[[reading-list]]\n"
        "[[Reading list|reading-list]]\n"
    )


def test_only_the_notes_named_are_fixed(cli, vault: MakeVault) -> None:
    root = vault(
        {"a.md": "[[reading-list]]\n", "b.md": "[[reading-list]]\n", "Reading list.md": ""}
    )
    cli(root, "check", "--fix", "a.md")
    assert (root / "a.md").read_text() == "[[Reading list|reading-list]]\n"
    assert (root / "b.md").read_text() == "[[reading-list]]\n"


# -- the command line -------------------------------------------------------------------------


def test_fix_reports_what_remains_and_exits_on_it(cli, vault: MakeVault) -> None:
    root = vault({"a.md": "[[reading-list]] [[nothing like it]]\n", "Reading list.md": ""})
    result = cli(root, "check", "--fix", "--format", "concise")
    assert result.code == 1
    assert result.stdout == 'a.md:1:31: VL101 [error] no note "nothing like it"\n'
    assert "Found 2 problems (1 fixed, 1 remaining: 1 error); 2 notes checked." in result.stderr


def test_fix_exits_0_when_only_warnings_remain(cli, vault: MakeVault) -> None:
    note = "---\naliases: a, b\n---\n[[reading-list]]\n"
    root = vault({"a.md": note, "Reading list.md": ""})
    result = cli(root, "check", "--fix")
    assert result.code == 0, result.stdout
    assert "VL204" in result.stdout
    assert "(1 fixed, 1 remaining: 1 warning)" in result.stderr


def test_without_fix_the_summary_counts_what_could_be_fixed(cli, vault: MakeVault) -> None:
    root = vault({"a.md": "[[reading-list]] [[Readinglist2]] [[]]\n", "Reading list.md": ""})
    result = cli(root, "check")
    assert result.code == 1
    assert (
        result.stderr.splitlines()[-1] == "1 fixable with --fix; 2 more with --fix --unsafe-fixes."
    )
    assert (root / "a.md").read_text() == "[[reading-list]] [[Readinglist2]] [[]]\n"
    result = cli(root, "check", "--fix")
    assert result.stderr.splitlines()[-1] == "2 more fixable with --fix --unsafe-fixes."


def test_diff_prints_a_unified_diff_and_changes_nothing(cli, vault: MakeVault) -> None:
    note = "# A\n\nsee [[reading-list]]\nend"
    root = vault({"notes/a.md": note, "Reading list.md": ""})
    result = cli(root, "check", "--diff")
    assert result.code == 1
    assert result.stdout == (
        "--- a/notes/a.md\n"
        "+++ b/notes/a.md\n"
        "@@ -1,4 +1,4 @@\n"
        " # A\n"
        " \n"
        "-see [[reading-list]]\n"
        "+see [[Reading list|reading-list]]\n"
        " end\n"
        "\\ No newline at end of file\n"
    )
    assert "Would fix 1 problem in 1 note (0 would remain)" in result.stderr
    assert (root / "notes/a.md").read_text() == note


def test_diff_keeps_crlf_lines() -> None:
    old = "---\r\ntag: x\r\n---\r\nx\r\n"
    new = "---\r\ntags:\r\n  - x\r\n---\r\nx\r\n"
    diff = unified_diff("a.md", old, new)
    assert "-tag: x\r\n+tags:\r\n+  - x\r\n" in diff
    assert diff.count("\n") == diff.count("\r\n") + 3  # only the three header lines are LF


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_applies_with_git_apply(cli, vault: MakeVault) -> None:
    note = BOM + b"---\r\ntag: x\r\n---\r\n[[reading-list]]\r\n\r\nmore [[]]"
    root = vault({"d/a.md": note, "Reading list.md": ""})
    diff = cli(root, "check", "--diff", "--unsafe-fixes").stdout
    (root / "fix.patch").write_bytes(diff.encode())
    subprocess.run(["git", "apply", "fix.patch"], cwd=root, check=True, capture_output=True)
    patched = (root / "d/a.md").read_bytes()
    (root / "d/a.md").write_bytes(note)
    cli(root, "check", "--fix", "--unsafe-fixes")
    assert patched == (root / "d/a.md").read_bytes() != note


def test_diff_with_nothing_to_fix_exits_0(cli, vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    result = cli(root, "check", "--diff")
    assert (result.code, result.stdout) == (0, "")
    assert "No fixes to apply (1 problem found)" in result.stderr


def test_diff_with_exit_zero_exits_0(cli, vault: MakeVault) -> None:
    root = vault({"a.md": "[[reading-list]]\n", "Reading list.md": ""})
    assert cli(root, "check", "--diff", "--exit-zero").code == 0


def test_diff_cannot_write_a_baseline(cli, vault: MakeVault, tmp_path: Path) -> None:
    root = vault({"a.md": ""})
    result = cli(root, "check", "--diff", "--write-baseline", str(tmp_path / "b.json"))
    assert result.code == 2
    assert "--write-baseline" in result.stderr


def test_unsafe_fixes_alone_changes_nothing(cli, vault: MakeVault) -> None:
    root = vault({"a.md": "[[]]\n"})
    result = cli(root, "check", "--unsafe-fixes")
    assert result.code == 1
    assert (root / "a.md").read_text() == "[[]]\n"


def test_json_report_carries_the_fix(cli, vault: MakeVault) -> None:
    root = vault({"a.md": "x [[reading-list]]\n", "Reading list.md": ""})
    fixes = [d["fix"] for d in cli(root, "check", "--format", "json").json()["diagnostics"]]
    assert fixes == [
        {
            "title": 'link to "Reading list"',
            "safe": True,
            "edits": [{"start": 2, "end": 18, "text": "[[Reading list|reading-list]]"}],
        }
    ]


# -- writing files ----------------------------------------------------------------------------


def test_fix_keeps_permissions_and_symlinks(cli, vault: MakeVault) -> None:
    root = vault({"real/a.md": "[[reading-list]]\n", "Reading list.md": ""})
    (root / "real/a.md").chmod(0o640)
    (root / "link.md").symlink_to(root / "real/a.md")
    cli(root, "check", "--fix", "link.md")
    assert (root / "link.md").is_symlink()
    assert (root / "real/a.md").read_text() == "[[Reading list|reading-list]]\n"
    assert stat.S_IMODE((root / "real/a.md").stat().st_mode) == 0o640


def test_failed_write_leaves_the_note_and_no_temporary_file(
    cli, vault: MakeVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = "[[reading-list]]\n"
    root = vault({"a.md": note, "Reading list.md": ""})

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = cli(root, "check", "--fix", "--no-cache", "--format", "concise")
    assert result.code == 2
    assert "a.md: cannot write: No space left on device" in result.stderr
    assert (root / "a.md").read_text() == note
    assert sorted(p.name for p in root.iterdir()) == [".obsidian", "Reading list.md", "a.md"]
    assert result.stdout.startswith("a.md:1:1: VL101")  # reported as it still is


def test_write_atomic_creates_a_file_with_default_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").read_bytes() == b"{}"
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


def test_note_changed_on_disk_before_writing_is_left_alone(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {"a.md": "[[reading-list]]\n", "Reading list.md": ""})
    engine = Engine(root, Settings())
    outcome = fix_notes(engine, engine.run().diagnostics, unsafe=False)
    (root / "a.md").write_text("[[reading-list]] edited meanwhile\n")
    outcome.write()
    assert (root / "a.md").read_text() == "[[reading-list]] edited meanwhile\n"
    assert outcome.warnings == ["a.md: changed on disk while fixing; not written"]
    assert outcome.total_fixed == 0
    assert [d.code for d in outcome.diagnostics] == ["VL101"]


def test_fixing_the_examples_vault_touches_only_problem_notes(cli, tmp_path: Path) -> None:
    root = tmp_path / "examples"
    shutil.copytree(REPO / "examples", root, ignore=shutil.ignore_patterns(".vaultlint_cache"))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = cli(root, "check", "--fix", "--unsafe-fixes", "--no-cache")
    assert result.code == 1, result.stderr  # problems no fix can solve remain
    changed = sorted(p.relative_to(root).as_posix() for p in before if p.read_bytes() != before[p])
    assert changed and all(p.startswith("problems/") for p in changed)
    again = cli(root, "check", "--diff", "--unsafe-fixes")
    assert (again.code, again.stdout) == (0, "")


def test_a_note_edited_after_the_check_is_fixed_as_it_now_is(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {"a.md": "[[reading-list]]\n", "Reading list.md": ""})
    engine = Engine(root, Settings())
    found = engine.run().diagnostics
    (root / "a.md").write_text("A new first line.\n[[reading-list]]\n")
    outcome = fix_notes(engine, found, unsafe=False)
    outcome.write()
    assert (root / "a.md").read_text() == "A new first line.\n[[Reading list|reading-list]]\n"
    assert outcome.diagnostics == []


def test_fixing_with_the_cache_on_sees_the_fixed_text(cli, vault: MakeVault) -> None:
    """The whole-run cache is keyed by the files: after a fix the engine checks text that is
    not on disk, and must not be served the result of the files as they are."""
    root = vault({"a.md": "[[reading-list]]\n", "Reading list.md": ""})
    for _ in range(2):  # the second time with the cache warm
        result = cli(root, "check", "--diff", "a.md")
        assert "+[[Reading list|reading-list]]\n" in result.stdout
        assert "Would fix 1 problem in 1 note (0 would remain)" in result.stderr
        result = cli(root, "check", "a.md", "--format", "concise")
        assert result.stdout.startswith("a.md:1:1: VL101"), result.stdout
    cli(root, "check", "--fix", "a.md")
    assert (root / "a.md").read_text() == "[[Reading list|reading-list]]\n"
