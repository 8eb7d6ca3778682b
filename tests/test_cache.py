"""The cache and parallel checking: same results as a cold run in one process, always."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeVault, run_cli, write_vault
from vaultlint.cache import CACHE_DIR
from vaultlint.checker import NoteChecker
from vaultlint.config import Settings, config_file_in, load_settings
from vaultlint.diagnostics import Diagnostic
from vaultlint.engine import Engine, InternalError
from vaultlint.parallel import Diagnosed, Task, Workers


def run(root: Path, *, cache: bool = True, jobs: int = 1, paths: list[Path] | None = None):
    settings = load_settings(config_file_in(root))
    engine = Engine(root, settings, cache=cache, jobs=jobs)
    return engine.run(paths).diagnostics


def shown(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int, str, str]]:
    return [(d.path, d.line, d.column, d.code, d.message) for d in diagnostics]


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(REPO / "examples", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self, path):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(NoteChecker, "check_file", refuse)


# -- warm runs -------------------------------------------------------------------------------


def test_warm_run_gives_the_cold_results_without_reading_a_note(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = run(examples, cache=False)
    assert cold
    assert run(examples) == cold  # fills the cache
    assert (examples / CACHE_DIR / ".gitignore").read_text().endswith("*\n")
    no_reading(monkeypatch)
    assert run(examples) == cold


def test_a_touched_note_is_read_but_its_cached_result_kept(vault: MakeVault, monkeypatch) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    first = run(root)
    os.utime(root / "a.md", ns=(1, 1))
    parsed = []
    original = NoteChecker.check_note
    monkeypatch.setattr(
        NoteChecker, "check_note", lambda self, note: parsed.append(note) or original(self, note)
    )
    assert run(root) == first
    assert parsed == []


def test_a_changed_note_is_checked_again(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n", "b.md": ""})
    assert [d.code for d in run(root)] == ["VL101"]
    (root / "a.md").write_text("[[b]] and #1984\n", encoding="utf-8")
    assert [d.code for d in run(root)] == ["VL205"]


# -- links are always checked against the vault as it is now ---------------------------------

LINKING = {
    "a.md": "[[b]] [[b#Part]] [[b#^block]]\n",
    "b.md": "# Part\n\nText ^block\n",
}


def test_renamed_target_is_seen_though_the_linking_note_is_cached(vault: MakeVault) -> None:
    root = vault(LINKING)
    assert run(root) == []
    (root / "b.md").rename(root / "c.md")
    assert [(d.path, d.code) for d in run(root)] == [("a.md", "VL101")] * 3


def test_deleted_target_is_seen(vault: MakeVault, monkeypatch) -> None:
    root = vault(LINKING)
    assert run(root) == []
    (root / "b.md").unlink()
    no_reading(monkeypatch)  # a.md is unchanged: its facts come from the cache
    assert [d.code for d in run(root, paths=[root / "a.md"])] == ["VL101"] * 3


def test_moved_target_is_seen_as_ambiguous_or_found(vault: MakeVault) -> None:
    root = vault({**LINKING, "x/b.md": "# Part\n\nText ^block\n"})
    assert [d.code for d in run(root)] == ["VL105"] * 3  # "b" matches b.md and x/b.md
    (root / "x" / "b.md").rename(root / "x" / "z.md")
    assert run(root) == []


def test_changed_target_headings_are_seen(vault: MakeVault) -> None:
    root = vault(LINKING)
    assert run(root) == []
    (root / "b.md").write_text("# Other\n", encoding="utf-8")
    assert [d.code for d in run(root)] == ["VL102", "VL103"]


def test_new_note_makes_a_cached_broken_link_resolve(vault: MakeVault) -> None:
    root = vault({"a.md": "[[new]]\n"})
    assert [d.code for d in run(root)] == ["VL101"]
    (root / "new.md").write_text("", encoding="utf-8")
    assert run(root) == []


def test_settings_change_is_not_served_from_the_cache(vault: MakeVault) -> None:
    root = vault({"a.md": "#1984 [[gone]]\n"})
    assert [d.code for d in run(root)] == ["VL205", "VL101"]
    (root / "vaultlint.toml").write_text('ignore = ["VL205"]\n', encoding="utf-8")
    assert [d.code for d in run(root)] == ["VL101"]


def test_types_json_change_is_not_served_from_the_cache(vault: MakeVault) -> None:
    root = vault({"a.md": "---\ndue: soon\n---\n"})
    assert run(root) == []
    (root / ".obsidian" / "types.json").write_text('{"types": {"due": "date"}}', encoding="utf-8")
    assert [d.code for d in run(root)] == ["VL202"]


# -- a cache that can't be used ------------------------------------------------------------------


def test_unusable_cache_folder_is_a_warning_and_the_run_goes_on(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    (root / CACHE_DIR).write_text("a file where the folder should be", encoding="utf-8")
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 1
    assert "a.md:1:1: VL101" in result.stdout
    assert "cannot use the cache" in result.stderr and "running without it" in result.stderr


def test_no_cache_writes_nothing(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    assert run_cli("check", "--no-cache", cwd=root).code == 1
    assert not (root / CACHE_DIR).exists()


def test_a_planted_cache_is_never_unpickled(vault: MakeVault, tmp_path: Path) -> None:
    """A cache committed to a cloned vault must not run code: results not signed with this
    user's key are ignored."""
    root = vault({"a.md": "[[gone]]\n"})
    run(root)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (Path.write_text, (marker, "ran"))

    [db] = (root / CACHE_DIR).glob("*.sqlite3")
    with sqlite3.connect(db) as conn:
        payload = b"\0" * 16 + pickle.dumps(Exploit())
        conn.execute("UPDATE notes SET result = ?, size = size, mtime_ns = mtime_ns", (payload,))
    assert [d.code for d in run(root)] == ["VL101"]
    assert not marker.exists()


def test_a_corrupt_cache_file_is_rebuilt_or_bypassed(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n"})
    run(root)
    [db] = (root / CACHE_DIR).glob("*.sqlite3")
    db.write_bytes(b"this is not a database" * 100)
    result = run_cli("check", "--format", "concise", cwd=root)
    assert result.code == 1
    assert "a.md:1:1: VL101" in result.stdout


def test_concurrent_runs_agree_and_leave_a_working_cache(examples: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "vaultlint", "check", "--format", "concise", "-q"]
    procs = [
        subprocess.Popen(command, cwd=examples, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = {p.communicate(timeout=120)[0] for p in procs}
    cold = run_cli("check", "--format", "concise", "-q", "--no-cache", cwd=examples).stdout
    assert outputs == {cold}
    assert run_cli("check", "--format", "concise", "-q", cwd=examples).stdout == cold


# -- parallel checking ------------------------------------------------------------------------


def many_notes(n: int) -> dict[str, str]:
    notes = {}
    for i in range(n):
        notes["lost_note.md"] = ""
        notes[f"f{i % 7}/n{i}.md"] = (
            f"---\ntitle: N{i}\ntags: [{'2024' if i % 13 == 0 else 'ok'}]\n---\n"
            f"# N{i}\n\n[[n{i + 1}]] [[n{i + 3}#N{i + 3}]] [[n{i + 2}#Nope]] [[gone{i % 5}]]\n"
            f"[[{'Lost' if i % 2 else 'lost'} note]]\n"  # meant lost_note: each told its own
            f'<a class="yt-timestamp" data-t="00:0{i % 10}:00">[00:0{(i + 1) % 10}:00]</a>\n'
        )
    return notes


def test_parallel_run_equals_one_process(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", many_notes(260))
    one = run(root, cache=False, jobs=1)
    assert {d.code for d in one} >= {"VL101", "VL102", "VL205", "VL302"}
    assert run(root, cache=False, jobs=2) == one
    assert run(root, cache=True, jobs=2) == one  # fills the cache from the workers
    assert run(root, cache=True, jobs=2) == one


def fixable_notes(n: int) -> dict[str, str]:
    """Notes with safe fixes (a shown time that is not the linked one, an ambiguous link) and
    unsafe ones (an empty link)."""
    notes = {"a/dup.md": "", "b/dup.md": ""}
    for i in range(n):
        notes[f"f{i % 7}/n{i}.md"] = (
            f"# N{i}\n\n[[dup]] [[]] [[n{i + 1}#Nope]]\n"
            f'<a class="yt-timestamp" data-t="00:0{i % 10}:00">[00:0{(i + 1) % 10}:00]</a>\n'
        )
    return notes


@pytest.mark.parametrize("options", [[], ["--format", "json"], ["--statistics"]])
def test_a_report_from_workers_equals_one_process(cli, tmp_path: Path, options) -> None:
    """Workers may send only how fixable each diagnostic is when the run shows no fix: the
    report and its count of fixes are those of one process."""
    root = write_vault(tmp_path / "v", fixable_notes(150))
    one = cli(root, "check", "--no-cache", "--jobs", "1", *options)
    assert "fixable with --fix; " in one.stderr and "with --fix --unsafe-fixes" in one.stderr
    assert cli(root, "check", "--no-cache", "--jobs", "2", *options) == one
    assert cli(root, "check", "--jobs", "2", *options) == one  # filling the cache


def test_fixing_with_workers_and_no_cache_equals_one_process(cli, tmp_path: Path) -> None:
    texts = []
    for jobs in ("1", "2"):
        root = write_vault(tmp_path / f"v{jobs}", fixable_notes(150))
        assert cli(root, "check", "--no-cache", "--fix", "--unsafe-fixes", "--jobs", jobs).code
        texts.append({p.name: p.read_text() for p in sorted(root.rglob("n*.md"))})
    assert texts[0] == texts[1]
    assert texts[0]["n1.md"] == (  # a safe fix, an unsafe one and a timestamp fixed
        "# N1\n\n[[a/dup|dup]]  [[n2#Nope]]\n"
        '<a class="yt-timestamp" data-t="00:01:00">[00:01:00]</a>\n'
    )


def test_workers_send_stand_ins_for_fixes_only_when_told(tmp_path: Path) -> None:
    """`edits=False`: each fix comes back as the shared stand-in of its safety, unless the
    cache is on: it keeps fixes whole."""
    from vaultlint.results import STAND_INS

    root = write_vault(tmp_path / "v", fixable_notes(150))
    whole = Engine(root, Settings(), jobs=1, edits=False).run().diagnostics
    assert sum(d.fix is not None and d.fix.safe for d in whole) > 0
    assert sum(d.fix is not None and not d.fix.safe for d in whole) > 0
    told = Engine(root, Settings(), jobs=2, edits=False).run().diagnostics
    assert [d[:9] for d in told] == [d[:9] for d in whole]
    assert [d.fix and STAND_INS[d.fix.safe] for d in whole] == [d.fix for d in told]
    assert all(d.fix is None or d.fix in STAND_INS.values() for d in told)
    assert Engine(root, Settings(), jobs=2, edits=True).run().diagnostics == whole
    cached = Engine(root, Settings(), jobs=2, cache=True, edits=False).run().diagnostics
    assert cached == whole


def first_pass_notes() -> dict[str, str]:
    """Notes that link to no heading of another note but one in 40; one in 50 has a broken
    link that names an alias."""
    notes = {"a/dup.md": "", "b/dup.md": "", "n150.md": "---\naliases: [Nick]\n---\n"}
    for i in range(200):
        notes[f"f{i % 7}/n{i}.md"] = (
            f"# N{i}\n\n[[n{i + 1}]] [[dup]] [[#N{i}]] [[#Missing]] [[gone{i % 5}]] [[n {i}]]\n"
            + ("[[Nick]]\n" if i % 50 == 0 else "")
            + (f"[[n{i + 2}#N{i + 2}]]\n" if i % 40 == 1 else "")
        )
    return notes


def test_notes_that_read_no_other_note_are_done_in_the_first_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note whose links point at no heading or block of another note gets its link checks
    where it is parsed; only the others go through the second pass. A broken link's hint
    assumed no alias there: a note whose broken link names an alias goes through it too."""
    root = write_vault(tmp_path / "v", first_pass_notes())
    one = run(root, cache=False, jobs=1)
    assert {d.code for d in one} >= {"VL101", "VL102", "VL105"}
    assert sum('is an alias of "n150"' in d.message for d in one) == 4
    sent: list[str] = []
    diagnose = Workers.diagnose

    def counted(self: Workers, tasks: Iterable[Task]) -> Iterator[Diagnosed]:
        def seen() -> Iterator[Task]:
            for task in tasks:
                sent.extend(task[0])
                yield task

        return diagnose(self, seen())

    monkeypatch.setattr(Workers, "diagnose", counted)
    assert run(root, cache=False, jobs=2) == one
    aliased = [f"f{i % 7}/n{i}.md" for i in range(0, 200, 50)]
    linking_into_others = [f"f{i % 7}/n{i}.md" for i in range(1, 200, 40)]
    assert sorted(sent) == sorted(aliased + linking_into_others)
    assert run(root, cache=True, jobs=2) == one  # the workers fill the cache
    assert run(root, cache=True, jobs=2) == one


@pytest.mark.parametrize("cache", [False, True])
def test_fixing_after_a_parallel_run_equals_one_process(tmp_path: Path, cache: bool) -> None:
    """Fixing re-lints the changed notes against what the first run kept of the others
    (without a cache, only the anchors of the notes done in the first pass)."""
    from vaultlint.fixes import fix_notes

    outcomes = []
    for jobs in (1, 2):
        root = write_vault(tmp_path / f"v{jobs}", first_pass_notes())
        engine = Engine(root, Settings(), cache=cache, jobs=jobs)
        fixing = fix_notes(engine, engine.run().diagnostics, unsafe=False)
        outcomes.append((fixing.texts, [d[1:] for d in fixing.diagnostics]))
    assert outcomes[0][0]  # something was fixed
    assert outcomes[1] == outcomes[0]


def test_a_bug_in_a_worker_names_the_note(tmp_path: Path, monkeypatch) -> None:
    from vaultlint import checker, rules
    from vaultlint.rules import CheckSpec

    def broken(note, ctx):
        if note.path.endswith("n7.md"):
            raise ValueError("boom")
        return iter(())

    checks = [*rules.CHECKS, CheckSpec(rules.CHECKS[0].rules, broken)]
    monkeypatch.setattr(checker, "CHECKS", checks)  # forked workers inherit it
    root = write_vault(tmp_path / "v", many_notes(200))
    with pytest.raises(InternalError, match=r"n7\.md.*boom"):
        Engine(root, Settings(), jobs=2).run()


def test_a_bug_in_a_vault_rule_in_a_worker_names_the_note(tmp_path: Path, monkeypatch) -> None:
    from vaultlint import checker, rules
    from vaultlint.rules import CheckSpec

    def broken(facts, ctx):
        if facts.path.endswith("n7.md"):
            raise ValueError("boom")
        return iter(())

    checks = [*rules.CHECKS, CheckSpec(rules.CHECKS[0].rules, broken, scope="vault")]
    monkeypatch.setattr(checker, "CHECKS", checks)  # forked workers inherit it
    root = write_vault(tmp_path / "v", many_notes(200))
    with pytest.raises(InternalError, match=r"n7\.md.*boom"):
        Engine(root, Settings(), jobs=2).run()


def test_alias_suggestions_use_cached_aliases_and_see_new_ones(vault: MakeVault) -> None:
    root = vault(
        {
            "a.md": "[[Nick]]\n",
            "b.md": "---\naliases: [Nick]\n---\n",
            "c.md": "",
        }
    )
    [first] = run(root)
    assert 'alias of "b"' in first.message
    (root / "a.md").write_text("[[Nick]] [[Other]]\n", encoding="utf-8")
    (root / "c.md").write_text("---\naliases: [Other]\n---\n", encoding="utf-8")
    messages = [d.message for d in run(root, paths=[root / "a.md"])]
    assert len(messages) == 2
    assert 'alias of "b"' in messages[0] and 'alias of "c"' in messages[1]


def test_aliases_of_a_large_vault_without_a_cache_are_read_by_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run on one note of a large vault (no cache yet) needs every note's aliases for
    its broken link: the other notes are checked in worker processes, with the same answer."""
    notes = {f"n{i}.md": f"# N{i}\n" for i in range(150)}
    notes["n77.md"] = "---\naliases: [Nick]\n---\n"
    root = write_vault(tmp_path / "v", {**notes, "a.md": "[[Nick]]\n"})
    one = run(root, cache=False, jobs=1, paths=[root / "a.md"])
    assert [d.message for d in one] == [
        'no note "Nick" ("Nick" is an alias of "n77": write [[n77|Nick]])'
    ]
    checked: list[int] = []
    check = Workers.check
    monkeypatch.setattr(
        Workers, "check", lambda self, paths: checked.append(len(paths)) or check(self, paths)
    )
    assert run(root, cache=True, jobs=2, paths=[root / "a.md"]) == one
    assert checked == [150]  # every other note, once
    assert run(root, cache=True, jobs=2, paths=[root / "a.md"]) == one  # from the cache now
    assert checked == [150]


def test_a_run_on_some_notes_does_not_stand_for_a_run_on_all(vault: MakeVault) -> None:
    root = vault({"a.md": "[[gone]]\n", "b.md": "[[gone too]]\n"})
    assert [d.path for d in run(root, paths=[root / "a.md"])] == ["a.md"]
    assert [d.path for d in run(root)] == ["a.md", "b.md"]
    assert [d.path for d in run(root, paths=[root / "b.md"])] == ["b.md"]
