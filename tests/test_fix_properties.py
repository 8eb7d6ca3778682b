"""Property tests (hypothesis): fixing twice is fixing once, and no byte outside an edit moves."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import write_vault
from vaultlint.config import Settings
from vaultlint.diagnostics import Edit, Fix
from vaultlint.engine import Engine
from vaultlint.fixes import apply_fixes, fix_notes, line_ending

# -- apply_fixes on any text and any edits ----------------------------------------------------

TEXT = st.text(st.sampled_from(list("ab \tZé文🙂\n\r")), max_size=40)


@st.composite
def text_and_fixes(draw: st.DrawFn) -> tuple[str, list[Fix]]:
    text = draw(TEXT)
    offset = st.integers(0, len(text))
    fixes = []
    for _ in range(draw(st.integers(0, 6))):
        edits = []
        for _ in range(draw(st.integers(1, 2))):
            a, b = sorted((draw(offset), draw(offset)))
            edits.append(Edit(a, b, draw(st.text(st.sampled_from(list("xy\n\r")), max_size=3))))
        fixes.append(Fix(tuple(edits), True, "t"))
    return text, fixes


@settings(max_examples=300, deadline=None)
@given(text_and_fixes())
def test_apply_fixes_changes_only_the_edited_text(case: tuple[str, list[Fix]]) -> None:
    text, fixes = case
    new, applied = apply_fixes(text, fixes)
    edits = sorted((e for f in applied for e in f.edits), key=lambda e: (e.start, e.end))
    for a, b in itertools.pairwise(edits):
        assert a.end <= b.start and (a.start, a.end) != (b.start, b.end)
    # Rebuild the result from the original's untouched slices and the edits' text.
    newline = line_ending(text)
    rebuilt, pos = [], 0
    for e in edits:
        assert not _splits_crlf(text, e.start) and not _splits_crlf(text, e.end)
        inserted = e.text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", newline)
        rebuilt += [text[pos : e.start], inserted]
        pos = e.end
    assert new == "".join(rebuilt) + text[pos:]
    # A fix is left out only when it can't apply or another fix came first.
    for f in fixes:
        if f not in applied:
            assert (
                any(_splits_crlf(text, e.start) or _splits_crlf(text, e.end) for e in f.edits)
                or any(_overlap(a, b) for a in f.edits for b in f.edits if a is not b)
                or all(text[e.start : e.end] == e.text for e in f.edits)
                or any(_overlap(a, b) for a in f.edits for b in edits)
            )


def _splits_crlf(text: str, offset: int) -> bool:
    return text[offset - 1 : offset + 1] == "\r\n" and offset > 0


def _overlap(a: Edit, b: Edit) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == a.end == b.start == b.end


# -- whole notes: the fixes of the rules, through the engine, on notes of any shape -----------

TARGETS: dict[str, str | bytes] = {
    "alpha_beta.md": "# Alpha\n",
    "Gamma Delta.md": "---\naliases: [GD]\n---\n# Gamma\n",
    "projects/Roadmap.md": "",
    "archive/2023/Roadmap.md": "",
}
YT = '<a class="yt-timestamp" data-t="{}">[{}]</a>'
# (as written, after --fix, after --fix --unsafe-fixes)
LINKS = [
    ("[[alpha beta]]", "[[alpha_beta|alpha beta]]", None),
    ("[[ALPHA-BETA | shown]]", "[[alpha_beta | shown]]", None),
    ("![[Alpha Beta]]", "![[alpha_beta]]", None),
    ("[text](alpha%20beta.md)", "[text](alpha_beta.md)", None),
    ("[[GD]]", "[[Gamma Delta|GD]]", None),
    ("[[Roadmap]]", "[[projects/Roadmap|Roadmap]]", None),
    ("[[alpha_beta]]", None, None),
    ("[[nothing here]]", None, None),
    ("[[alpha betaa]]", None, "[[alpha_beta|alpha betaa]]"),
    ("[[|spoken]]", None, "spoken"),
    (YT.format("00:14:01", "00:14:11"), YT.format("00:14:01", "00:14:01"), None),
    (YT.format("26:27:00", "26:27:00"), None, YT.format("00:26:27", "00:26:27")),
]
FRONTMATTER = [
    ("", "", None),
    ("---\ntag: topic\n---\n", "---\ntags:\n  - topic\n---\n", None),
    ("---\naliases: Night\ntitle: x\n---\n", "---\naliases:\n  - Night\ntitle: x\n---\n", None),
]
WORD = st.text(st.sampled_from(list("abcXYZéß文🙂 \t.,;:")), min_size=1, max_size=6)


@st.composite
def notes(draw: st.DrawFn) -> tuple[list[tuple[str, str | None, str | None]], str, bool]:
    """Chunks of a note (text as written, fixed, fixed with unsafe fixes), its line ending
    and whether it has a BOM."""
    chunks = [draw(st.sampled_from(FRONTMATTER))]
    for _ in range(draw(st.integers(1, 5))):
        line = [("a", None, None)]  # a letter first: never indented code
        for _ in range(draw(st.integers(0, 4))):
            piece = draw(st.one_of(st.sampled_from(LINKS), WORD.map(lambda w: (w, None, None))))
            line += [(" ", None, None), piece]
        chunks += [*line, ("\n", None, None)]
    return chunks, draw(st.sampled_from(["\n", "\r\n", "\r"])), draw(st.booleans())


def _bytes(text: str, newline: str, bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode()


def _fix(root: Path, unsafe: bool) -> None:
    engine = Engine(root, Settings())
    outcome = fix_notes(engine, engine.run().diagnostics, unsafe)
    outcome.write()
    assert not outcome.errors


@settings(max_examples=60, deadline=None)
@given(notes(), st.booleans())
def test_fixing_gives_the_expected_bytes_and_fixing_again_changes_nothing(
    note: tuple[list[tuple[str, str | None, str | None]], str, bool], unsafe: bool
) -> None:
    chunks, newline, bom = note
    written = "".join(c[0] for c in chunks)
    fixed = "".join(((c[2] or c[1]) if unsafe else c[1]) or c[0] for c in chunks)
    with tempfile.TemporaryDirectory() as tmp:
        root = write_vault(Path(tmp), {**TARGETS, "note.md": _bytes(written, newline, bom)})
        _fix(root, unsafe)
        once = (root / "note.md").read_bytes()
        assert once == _bytes(fixed, newline, bom)
        _fix(root, unsafe)
        assert (root / "note.md").read_bytes() == once
