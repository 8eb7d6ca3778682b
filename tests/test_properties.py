"""Properties of the whole checker on random vaults of random Obsidian Markdown.

Notes are built from the syntax vaultlint reads (wiki-links with headings, blocks and aliases,
embeds, Markdown and YouTube links, headings, block ids, tags, callouts, `%%` and HTML comments,
suppressions, code, math, frontmatter, yt-timestamp anchors, lists and quotes, every kind of line
break) mixed with arbitrary text, and link to each other by name. For any such vault:

- checking never raises, whatever the settings;
- every diagnostic lies inside its file: the line exists, the column is at most the line's
  length plus one, the end is not before the start, and a fix's edits are inside the text;
- results are the same in one process and in worker processes, and with the cache cold and warm.

CI runs a short budget (150 and 20 examples, 4 s). For a long local run set the number of
examples per test, e.g. `VAULTLINT_FUZZ_EXAMPLES=5000 python -m pytest tests/test_properties.py`
(about 10 minutes on 2 cores); hypothesis keeps any failure it finds in `.hypothesis/` and
tries it first next time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import write_vault
from vaultlint import engine as engine_module
from vaultlint.config import Settings
from vaultlint.diagnostics import Diagnostic
from vaultlint.engine import Engine
from vaultlint.note import normalise_newlines

FUZZ = int(os.environ.get("VAULTLINT_FUZZ_EXAMPLES", "0"))


def examples(ci: int) -> settings:
    return settings(
        max_examples=FUZZ or ci,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- random vaults ----------------------------------------------------------------------------

NAMES = ["a", "b", "Note C", "x/y", "z/a", "日本", "café"]  # a vault's notes are chosen from these
names = st.sampled_from(NAMES)
words = st.sampled_from(["Intro", "Part 2", "café", "x#y", "", " ", "日本", "😀"])
ids = st.sampled_from(["id1", "x-2", "", "^"])
clock = st.builds(
    "{:02d}:{:02d}:{:02d}".format, st.integers(0, 99), st.integers(0, 61), st.integers(0, 61)
)
seconds = st.integers(0, 90_000).map(str)

inline = st.one_of(
    st.builds("[[{}]]".format, names),
    st.builds("[[{}#{}]]".format, names, words),
    st.builds("[[{}#^{}]]".format, names, ids),
    st.builds("[[{}|{}]]".format, names, words),
    st.builds("![[{}]]".format, st.sampled_from(["a", "pic.png", "gone.png", "clip.mp4#t=83"])),
    st.builds("[[#{}]]".format, words),
    st.sampled_from(["[[]]", "[[#]]", "[[|x]]", "[]()", "[[", "]]", "![[", "[[a", "\\[[a]]"]),
    st.builds("[[../{}]]".format, names),
    st.builds("[t]({}.md)".format, names),
    st.builds("[t](<{} x.md#{}>)".format, names, words),
    st.builds("[{}](https://youtu.be/Tk3aB9xYz01?t={})".format, clock, seconds),
    st.builds("[{}](https://www.youtube.com/watch?v=Qq8Lm2NvR55&t={}s)".format, clock, seconds),
    st.builds('<a class="yt-timestamp" data-t="{}">[{}]</a>'.format, clock, clock),
    st.builds('<a class="yt-timestamp" data-t="{}">'.format, clock),
    st.sampled_from(["</a>", "<a href='x'>", "<b>", "<https://x.y>", "<a@b.c>"]),
    st.builds(" #{}".format, st.sampled_from(["tag", "123", "a/b", "é", "-", "x_y"])),
    st.builds(" ^{}".format, ids),
    st.sampled_from(["`[[code]]`", "``x`", "$[[m]]$", "$$", "==hi==", "==", "**b**", "\\"]),
    st.sampled_from(["%%", "%% [[hid]] %%", "<!--", "-->", "<!-- [[hid]] -->"]),
    st.sampled_from(["<!-- vaultlint-disable VL101 -->", "<!-- vaultlint-enable -->"]),
    st.sampled_from(["%% vaultlint-disable-next-line %%", "<!-- vaultlint-disable-file VL3 -->"]),
    st.text(max_size=8),
)
block_start = st.one_of(
    st.builds("# {}".format, words),
    st.builds("###### {}".format, words),
    st.builds("{}\n===".format, words),
    st.sampled_from(["> ", "> > ", "> [!note]- Title ", "- ", "  - ", "1. ", "    ", "\t"]),
    st.sampled_from(["```", "~~~", "```js", "$$", "%%", "<div>", "---", "***", "| a | b |"]),
    st.just(""),
)
line_break = st.sampled_from(["\n", "\n", "\n\n", "\r\n", "\r"])
line = st.builds(
    lambda start, parts: start + "".join(parts), block_start, st.lists(inline, max_size=5)
)
body = st.lists(st.tuples(line, line_break).map("".join), max_size=12).map("".join)

yaml_value = st.one_of(
    st.sampled_from(['"[[a]]"', "[[a]]", "[a, b]", "{x: 1}", "yes", "12:34", "2024-02-30", ""]),
    st.sampled_from(["Tk3aB9xYz01", "1:00:00", "PT1H2M", "[[[a]], '[[z/a]]']", "A title"]),
    st.sampled_from(["[unclosed", "&x 1", "*x", "!!python/name:os.system", "'q", "- a"]),
    st.builds('"{}"'.format, clock),
    st.text(alphabet="ab1:#[]{},- ", max_size=8),
)
yaml_key = st.sampled_from(
    ["title", "tags", "tag", "aliases", "videoId", "duration", "related", "1", "true", "a b"]
)
frontmatter = st.lists(st.builds("{}: {}\n".format, yaml_key, yaml_value), max_size=5).map(
    lambda lines: "---\n" + "".join(lines) + "---\n"
)
note_text = st.builds("{}{}".format, st.one_of(st.just(""), frontmatter), body)
binary = st.integers(0, 9).map(lambda n: "\x00" if n == 0 else "")  # one note in ten
notes = st.builds("{}{}".format, note_text, binary)


def vaults(min_notes: int = 1) -> st.SearchStrategy[dict[str, str | bytes]]:
    return st.dictionaries(names.map(lambda n: n + ".md"), notes, min_size=min_notes).map(
        lambda found: {**found, "pic.png": b"\x89PNG"}
    )


SETTINGS = [
    Settings(),
    Settings.model_validate({"select": ["ALL"], "timestamps": {"order": "note", "max": "1:00:00"}}),
    Settings.model_validate(
        {
            "schema": [
                {
                    "paths": ["**"],
                    "fields": {
                        "title": {"type": "text", "required": True, "pattern": "^[A-Z]"},
                        "tags": {"type": "tags", "min": 1},
                        "related": {"type": "list[link]"},
                        "duration": {"type": "text", "pattern": r"^\d+:\d{2}$"},
                    },
                }
            ],
            "per-file-ignores": {"x/**": ["VL1"]},
        }
    ),
]


def lint(root: Path, settings: Settings, **options: object) -> list[Diagnostic]:
    return Engine(root, settings, **options).run().diagnostics  # type: ignore[arg-type]


# -- properties -------------------------------------------------------------------------------


def assert_inside(root: Path, found: list[Diagnostic]) -> None:
    for d in found:
        raw = (root / d.path).read_bytes().decode("utf-8-sig", "replace")
        text = normalise_newlines(raw)
        lines = text.split("\n")
        assert 1 <= d.line <= d.end_line <= len(lines), d
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, d
        assert 1 <= d.end_column <= len(lines[d.end_line - 1]) + 1, d
        assert d.line < d.end_line or d.column <= d.end_column, d
        for edit in d.fix.edits if d.fix else ():
            assert 0 <= edit.start <= edit.end <= len(text), (d, edit)


@examples(ci=150)
@given(vaults(), st.sampled_from(range(len(SETTINGS))))
def test_any_vault_is_checked_and_every_position_lies_in_its_file(
    files: dict[str, str | bytes], which: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_vault(Path(folder), files)
        assert_inside(root, lint(root, SETTINGS[which]))


@examples(ci=20)
@given(vaults(min_notes=2), st.sampled_from(range(len(SETTINGS))))
def test_the_same_results_in_parallel_and_from_the_cache(
    files: dict[str, str | bytes], which: int
) -> None:
    """Workers start when each has `MIN_PER_JOB` notes (50); here from 1 note each, so that
    a small vault is split between them (tests/test_cache.py runs 260 notes at the real one)."""
    settings = SETTINGS[which]
    with tempfile.TemporaryDirectory() as folder:
        root = write_vault(Path(folder), files)
        alone = lint(root, settings)
        with mock.patch.object(engine_module, "MIN_PER_JOB", 1):
            assert lint(root, settings, jobs=2) == alone
            assert lint(root, settings, jobs=2, cache=True) == alone  # cold: workers fill it
        assert lint(root, settings, cache=True) == alone  # warm
