"""VL301-VL305, end to end: malformed, mismatched, backwards, out-of-range and foreign-video
timestamps."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED, MakeVault, lint, write_vault
from vaultlint.config import Settings, TimestampSettings
from vaultlint.diagnostics import Diagnostic
from vaultlint.note import parse_note
from vaultlint.rules import Context, timestamps

VIDEO = "Tk3aB9xYz01"
ORDERS = ["paragraph", "section", "note", "off"]
OTHER = "Qq8Lm2NvR55"


def a(t: str, shown: str | None = None) -> str:
    """A yt-timestamp anchor linking to `t` and showing `shown` (default: the same)."""
    return f'<a class="yt-timestamp" data-t="{t}">[{t if shown is None else shown}]</a>'


def note(body: str, **fields: str) -> str:
    fields = {"videoId": VIDEO, **fields}
    front = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\n{front}---\n{body}"


def run(vault: MakeVault, text: str, code: str, **timestamps: str) -> list[Diagnostic]:
    settings = Settings(timestamps=TimestampSettings(**timestamps))
    return [d for d in lint(vault({"n.md": text}), settings) if d.code == code]


def line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, column) of the nth occurrence of `needle` in `text`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return line_col(text, offset)


def positions(found: list[Diagnostic]) -> list[tuple[int, int]]:
    return [(d.line, d.column) for d in found]


# -- the issue's own case: a generated note in the shape of the sample -----------------------

SHAPED = note(
    "From: [[hub]] <br/>\n\n"
    f"Tide pools shelter more species than the open shore {a('00:41:00')}.\n\n"
    "## Low tide\n\n"
    f"Anemones close when the water leaves {a('03:12:00')}. They reopen within minutes "
    f"{a('02:58:00')}, and crabs follow {a('04:05:00')}.\n\n"
    "### Predators\n"
    f"Gulls arrive first {a('13:20:00')}, then herons {a('13:02:00')}.\n"
    f"*   **Crabs:** hide under ledges {a('14:10:00')} and molt {a('14:11:00', '14:11:01')}.\n"
    f"*   **Starfish:** pry mussels open {a('15:03:00')}.\n\n"
    f"Later the tide returns {a('26:40:00')}.\n\n"
    f"In the second hour the guide explains zonation {a('01:05:10')} and algae "
    f"{a('01:07:45')}.\n",
    title="Tide pool life",
)


def test_the_shaped_note_with_default_config(vault: MakeVault) -> None:
    found = lint(vault({"tide.md": SHAPED}))
    by_code = {c: [d for d in found if d.code == c] for c in ("VL302", "VL303", "VL304")}
    assert {d.code for d in found} <= {"VL101", "VL302", "VL303", "VL304"}

    [mismatch] = by_code["VL302"]
    assert (mismatch.line, mismatch.column) == where(SHAPED, a("14:11:00", "14:11:01"))
    assert mismatch.end_column == mismatch.column + len(a("14:11:00", "14:11:01"))
    assert mismatch.message == "timestamp shows 14:11:01 but links to 14:11:00"

    # backwards inside a paragraph: 02:58 after 03:12, 13:02 after 13:20; 26:40:00 -> 01:05:10
    # crosses paragraphs and is not reported
    assert positions(by_code["VL303"]) == [
        where(SHAPED, a("02:58:00")),
        where(SHAPED, a("13:02:00")),
    ]
    assert by_code["VL303"][0].message == (
        "timestamp 02:58:00 comes before 03:12:00, the timestamp before it in this paragraph "
        f"(line {where(SHAPED, a('03:12:00'))[0]})"
    )

    # every anchor past 12 hours, and only those
    late = [a("13:20:00"), a("13:02:00"), a("14:10:00"), a("14:11:00", "14:11:01")]
    late += [a("15:03:00"), a("26:40:00")]
    assert positions(by_code["VL304"]) == [where(SHAPED, anchor) for anchor in late]
    assert by_code["VL304"][-1].message == (
        "timestamp 26:40:00 is past timestamps.max 12:00:00; did you mean 26:40 (minutes:seconds)?"
    )


@pytest.mark.parametrize("order", ORDERS)
def test_other_forms_leave_the_reports_of_plain_anchors_alone(vault: MakeVault, order: str) -> None:
    # plain anchors alone are checked on a shorter path than notes with other forms as well
    plain = SHAPED.replace(a("14:11:00", "14:11:01"), a("14:11:00"))
    link = f"[0:05](https://youtu.be/{VIDEO}?t=5)"
    mixed = plain + f"\nSee also {link}.\n"
    settings = Settings(timestamps=TimestampSettings(order=order))  # type: ignore[arg-type]
    found = lint(vault({"alone.md": plain, "mixed.md": mixed}), settings)
    alone, with_link = (
        [(d.line, d.column, d.end_column, d.code, d.message, d.fix) for d in found if d.path == p]
        for p in ("alone.md", "mixed.md")
    )
    assert [d for d in with_link if d[0] != where(mixed, link)[0] and d[3] != "VL101"] == [
        d for d in alone if d[3] != "VL101"
    ]
    assert {"VL303", "VL304"} <= {d[3] for d in alone} or order == "off"


SAMPLE = SHARED / "sample-vault-note.md"


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared sample note is not here")
def test_the_issue_sample_note(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    root = write_vault(tmp_path / "v", {"sample.md": text})
    found = lint(root)
    anchors = list(re.finditer(r'<a class="yt-timestamp" data-t="([\d:]+)">\[([\d:]+)\]</a>', text))

    mismatch = [d for d in found if d.code == "VL302"]
    wrong = [m for m in anchors if m.group(1) != m.group(2)]
    assert [m.group(1) for m in wrong] == ["14:01:00"]
    assert positions(mismatch) == [line_col(text, wrong[0].start())]

    # VL303: a timestamp earlier than the one before it in its paragraph or list item (in this
    # note each of those is one line)
    expected = []
    offset = 0
    for line in text.split("\n"):
        inside = [m for m in anchors if offset <= m.start() < offset + len(line)]
        for before, after in itertools.pairwise(inside):
            if after.group(1) < before.group(1):
                expected.append(line_col(text, after.start()))
        offset += len(line) + 1
    assert len(expected) == 3
    assert positions([d for d in found if d.code == "VL303"]) == expected

    # VL304: every anchor whose hour field puts it past 12:00:00
    late = [line_col(text, m.start()) for m in anchors if m.group(1) > "12:00:00"]
    assert len(late) > 20
    assert positions([d for d in found if d.code == "VL304"]) == late
    assert not [d for d in found if d.code in ("VL301", "VL305")]


# -- VL301 malformed-timestamp -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (a("14:61:00"), 'data-t "14:61:00": minutes must be below 60'),
        (a("01:02:75"), 'data-t "01:02:75": seconds must be below 60'),
        (a("1:2:03"), 'data-t "1:2:03": minutes must be two digits'),
        (a("01:51:24:00"), 'data-t "01:51:24:00": 4 fields (a time is S, M:SS or H:MM:SS)'),
        (a("", "00:10"), 'data-t "": empty'),
        (a("00:10:00", "03:61:30"), 'shown time "03:61:30": minutes must be below 60'),
        (
            f"[x](https://youtu.be/{VIDEO}?t=1:23)",
            't "1:23": not a YouTube time (3723, 3723s or 1h2m3s)',
        ),
        (f"[x](https://youtu.be/{VIDEO}?t=)", 't "": empty'),
        ("[[clip.mp4#t=1:75]]", 't "1:75": seconds must be below 60'),
    ],
)
def test_malformed(vault: MakeVault, body: str, message: str) -> None:
    text = note(f"Intro.\n\nSee {body} here.\n")
    [d] = run(vault, text, "VL301")
    assert (d.line, d.column, d.end_column) == (6, 5, 5 + len(body))
    assert d.message == f"malformed timestamp: {message}"


@pytest.mark.parametrize(
    "body",
    [
        a("00:00:00"),
        a("83", "83"),
        a("1:23"),
        a("99:59:59"),  # far too late (VL304) but well formed
        a("01:02", "the moment"),
        f"[2:1](https://youtu.be/{VIDEO}?t=30)",  # a ratio is not a shown time
        f"`{a('14:61:00')}`",
        f"<!-- {a('14:61:00')} -->",
        "[[clip.mp4#t=1:23.5]]",
    ],
)
def test_well_formed(vault: MakeVault, body: str) -> None:
    assert run(vault, note(f"See {body} here.\n"), "VL301") == []


def test_malformed_timestamps_are_skipped_by_the_other_rules(vault: MakeVault) -> None:
    text = note(f"{a('00:10:00')} {a('00:61:00', '00:05:00')} {a('99:99:99:99')}\n")
    found = lint(vault({"n.md": text}))
    assert [d.code for d in found] == ["VL301", "VL301"]


# -- VL302 timestamp-mismatch --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "shown", "fixed", "message"),
    [
        (a("14:01:00", "14:01:01"), "14:01:01", "14:01:00", "shows 14:01:01 but links to 14:01:00"),
        (a("00:12:58", "01:13:00"), "01:13:00", "00:12:58", "shows 01:13:00 but links to 00:12:58"),
        (a("00:00:54", ""), "", "00:00:54", "shows no time but links to 00:00:54"),
        (a("01:02", "1:03"), "1:03", "1:02", "shows 1:03 but links to 01:02"),
        (f"[1:24](https://youtu.be/{VIDEO}?t=83)", "1:24", "1:23", "shows 1:24 but links to t=83"),
        (
            f"[0:59:00](https://www.youtube.com/watch?v={VIDEO}&t=1h2m3s)",
            "0:59:00",
            "1:02:03",
            "shows 0:59:00 but links to t=1h2m3s",
        ),
        ("[[talk.mp3#t=1:23|1:32]]", "1:32", "1:23", "shows 1:32 but links to t=1:23"),
        ("[02:00](talk.mp3#t=125)", "02:00", "02:05", "shows 02:00 but links to t=125"),
    ],
)
def test_mismatch_and_its_fix(
    vault: MakeVault, body: str, shown: str, fixed: str, message: str
) -> None:
    text = note(f"Sea 🌊\tlevels rise {body}.\n")
    [d] = run(vault, text, "VL302")
    assert (d.line, d.column, d.end_column) == (4, 19, 19 + len(body))
    assert d.message == f"timestamp {message}"
    assert d.fix is not None and d.fix.safe
    [edit] = d.fix.edits
    assert text[edit.start : edit.end] == shown
    repaired = text[: edit.start] + edit.text + text[edit.end :]
    assert edit.text == fixed
    assert run(vault, repaired, "VL302") == []


@pytest.mark.parametrize(
    "body",
    [
        a("01:02:03"),
        a("01:02:03", "1:02:03"),  # another spelling of the same time
        a("00:04:35", "04:35"),
        a("62", "1:02"),
        a("01:02", "here"),
        f"[1:23](https://youtu.be/{VIDEO}?t=83)",
        f"[1:23](https://youtu.be/{VIDEO}?t=1m23s)",
        f"[intro](https://youtu.be/{VIDEO}?t=600)",
        f"https://youtu.be/{VIDEO}?t=600",
        "[[talk.mp3#t=83.9|1:23]]",
        "![[talk.mp3#t=83]]",
    ],
)
def test_no_mismatch(vault: MakeVault, body: str) -> None:
    assert run(vault, note(f"Text {body}.\n"), "VL302") == []


# -- VL303 timestamp-order -----------------------------------------------------------------------

ORDERED = note(
    f"# One\n\nFirst {a('00:10')} then {a('00:20')}.\n\n"
    f"Second paragraph goes back {a('00:05')} and on {a('00:06')}.\n\n"
    f"# Two\n\n- item {a('00:30')}\n- item {a('00:25')}\n  - nested {a('00:24')}\n\n"
    f"| when | what |\n|---|---|\n| {a('00:50')} {a('00:40')} | x |\n| {a('00:45')} | y |\n\n"
    f"# Three\n\nLast {a('00:01')}.\n"
)


@pytest.mark.parametrize(
    ("order", "backwards"),
    [
        # paragraphs, list items and table rows are separate: only 00:40 after 00:50 in a row
        ("paragraph", [("00:40", "00:50", "table row")]),
        (
            "section",
            [
                ("00:05", "00:20", "section"),
                ("00:25", "00:30", "section"),
                ("00:24", "00:25", "section"),
                ("00:40", "00:50", "section"),
            ],
        ),
        (
            "note",
            [
                ("00:05", "00:20", "note"),
                ("00:25", "00:30", "note"),
                ("00:24", "00:25", "note"),
                ("00:40", "00:50", "note"),
                ("00:01", "00:45", "note"),
            ],
        ),
        ("off", []),
    ],
)
def test_order_scopes(vault: MakeVault, order: str, backwards: list[tuple[str, str, str]]) -> None:
    found = run(vault, ORDERED, "VL303", order=order)
    assert positions(found) == [where(ORDERED, a(t)) for t, _, _ in backwards]
    for d, (t, before, scope) in zip(found, backwards, strict=True):
        line = where(ORDERED, a(before))[0]
        assert d.message == (
            f"timestamp {t} comes before {before}, the timestamp before it in this {scope} "
            f"(line {line})"
        )


def test_paragraph_is_the_default_scope(vault: MakeVault) -> None:
    assert positions(run(vault, ORDERED, "VL303")) == [where(ORDERED, a("00:40"))]


def test_each_backward_step_is_reported_once(vault: MakeVault) -> None:
    text = note(f"{a('00:10')} {a('00:50')} {a('00:20')} {a('00:30')} {a('00:05')} {a('00:05')}\n")
    found = run(vault, text, "VL303")
    assert positions(found) == [where(text, a("00:20")), where(text, a("00:05"))]


def test_order_compares_timestamps_of_the_same_video(vault: MakeVault) -> None:
    other = f"[0:10](https://youtu.be/{OTHER}?t=10)"
    same = f"[0:15](https://youtu.be/{VIDEO}?t=15)"
    text = note(
        f"{a('01:00')} {other} {a('01:30')} {same}. "
        f"[[clip.mp4#t=5]] [[clip.mp4#t=9]] [[talk.mp3#t=1]] [[clip.mp4#t=3]]\n"
    )
    found = run(vault, text, "VL303")
    assert positions(found) == [where(text, same), where(text, "[[clip.mp4#t=3]]")]


def test_order_in_a_multi_line_paragraph_and_quote(vault: MakeVault) -> None:
    text = note(f"> Quoted {a('00:40')}\n> continues {a('00:30')}\n\nPlain {a('00:35')}\n")
    assert positions(run(vault, text, "VL303")) == [where(text, a("00:30"))]


def test_section_scope_splits_at_every_heading(vault: MakeVault) -> None:
    text = note(f"## A\n{a('00:50')}\n### B\n{a('00:40')}\n## C {a('00:30')}\n{a('00:20')}\n")
    found = run(vault, text, "VL303", order="section")
    assert positions(found) == [where(text, a("00:20"))]


# -- VL304 timestamp-out-of-range ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "fires"),
    [
        ("1:00:00", ["01:00:01", "26:27:00"]),  # YAML reads unquoted 1:00:00 as 3600
        ('"01:00:00"', ["01:00:01", "26:27:00"]),
        ("3600", ["01:00:01", "26:27:00"]),
        ("PT1H", ["01:00:01", "26:27:00"]),
        ('"60:00"', ["01:00:01", "26:27:00"]),
        ("PT30M", ["00:45:00", "01:00:00", "01:00:01", "26:27:00"]),
        ("PT2H", ["26:27:00"]),
    ],
)
def test_past_the_duration(vault: MakeVault, duration: str, fires: list[str]) -> None:
    body = " ".join(a(t) for t in ("00:45:00", "01:00:00", "01:00:01", "26:27:00"))
    text = note(body + "\n", duration=duration)
    found = run(vault, text, "VL304")
    assert positions(found) == [where(text, a(t)) for t in fires]


def test_duration_message_and_minutes_hint(vault: MakeVault) -> None:
    text = note(f"{a('26:27:00')} {a('45:10:00')} {a('02:00:30')}\n", duration="PT1H2M")
    messages = [d.message for d in run(vault, text, "VL304")]
    assert messages == [
        "timestamp 26:27:00 is past the video's duration 1:02:00; did you mean 26:27 "
        "(minutes:seconds)?",
        "timestamp 45:10:00 is past the video's duration 1:02:00; did you mean 45:10 "
        "(minutes:seconds)?",
        "timestamp 02:00:30 is past the video's duration 1:02:00",  # 02:00 would fit, but :30
    ]


def test_minutes_hint_for_fragments_too(vault: MakeVault) -> None:
    text = note(f"[[clip.mp4#t=26:27:00]] [x](https://youtu.be/{VIDEO}#t=13:05:00)\n")
    assert [d.message for d in run(vault, text, "VL304")] == [
        "timestamp t=26:27:00 is past timestamps.max 12:00:00; did you mean 26:27 "
        "(minutes:seconds)?",
        "timestamp t=13:05:00 is past timestamps.max 12:00:00; did you mean 13:05 "
        "(minutes:seconds)?",
    ]


def test_hint_only_when_the_minutes_reading_fits(vault: MakeVault) -> None:
    text = note(f"{a('26:27:00')}\n", duration="PT20M")
    [d] = run(vault, text, "VL304")
    assert d.message == "timestamp 26:27:00 is past the video's duration 20:00"


def test_max_applies_without_a_duration(vault: MakeVault) -> None:
    text = note(f"{a('02:00:00')} {a('02:00:01')} [x](https://youtu.be/{VIDEO}?t=2h1m)\n")
    found = run(vault, text, "VL304", max="2:00:00")
    assert positions(found) == [where(text, a("02:00:01")), where(text, "[x]")]
    assert found[0].message == "timestamp 02:00:01 is past timestamps.max 2:00:00"


def test_an_unreadable_duration_falls_back_to_max(vault: MakeVault) -> None:
    text = note(f"{a('02:00:00')} {a('13:00:00')}\n", duration="about an hour")
    assert positions(run(vault, text, "VL304")) == [where(text, a("13:00:00"))]


def test_duration_field_is_configurable(vault: MakeVault) -> None:
    text = note(f"{a('00:20:00')}\n", length="PT10M", duration="PT1H")
    assert len(run(vault, text, "VL304", duration_field="length")) == 1
    assert run(vault, text, "VL304") == []


def test_the_duration_is_the_note_video_s_only(vault: MakeVault) -> None:
    text = note(
        f"[a](https://youtu.be/{OTHER}?t=1h) [b](https://youtu.be/{VIDEO}?t=1h) "
        "[[clip.mp4#t=3600]]\n",
        duration="PT30M",
    )
    found = run(vault, text, "VL304")
    assert positions(found) == [where(text, "[b]")]


# -- VL305 timestamp-video-mismatch --------------------------------------------------------------


def test_link_to_another_video(vault: MakeVault) -> None:
    body = (
        f"[1:00](https://youtu.be/{VIDEO}?t=60) [2:00](https://youtu.be/{OTHER}?t=120) "
        f"https://www.youtube.com/watch?v={OTHER}&t=5 [watch](https://youtu.be/{OTHER})\n"
    )
    text = note(body)
    found = run(vault, text, "VL305")
    assert positions(found) == [where(text, "[2:00]"), where(text, "https://www.youtube")]
    assert found[0].message == (
        f'timestamp links to video "{OTHER}", not to this note\'s video "{VIDEO}" (videoId)'
    )


@pytest.mark.parametrize(
    "text",
    [
        f"---\ntitle: x\n---\n[a](https://youtu.be/{OTHER}?t=60)\n",  # the note names no video
        f"[a](https://youtu.be/{OTHER}?t=60)\n",
        note(f"[a](https://youtu.be/{VIDEO}?t=60) {a('00:10')} [[clip.mp4#t=3]]\n"),
        note("[a](https://youtu.be/12345678901?t=60)\n", videoId="12345678901"),
        note(f"[a](https://youtu.be/{OTHER}?t=6:00)\n"),  # malformed: VL301 only
    ],
)
def test_no_video_mismatch(vault: MakeVault, text: str) -> None:
    assert run(vault, text, "VL305") == []


def test_video_field_is_configurable(vault: MakeVault) -> None:
    text = note(f"[a](https://youtu.be/{OTHER}?t=60)\n", youtube=OTHER)
    assert run(vault, text, "VL305", video_field="youtube") == []
    assert len(run(vault, text, "VL305")) == 1


# -- with the rest of vaultlint -----------------------------------------------------------------


def test_suppressions_apply(vault: MakeVault) -> None:
    text = note(
        f"<!-- vaultlint-disable-next-line VL303 -->\n{a('00:20')} {a('00:10')}\n"
        f"{a('00:20')} {a('00:10')}\n"
    )
    assert positions(run(vault, text, "VL303")) == [where(text, a("00:10"), 1)]


def test_invalid_frontmatter_does_not_crash(vault: MakeVault) -> None:
    """Without frontmatter data there is no video id (no VL305) and no duration (max applies)."""
    text = "---\nvideoId: [unclosed\nduration: 10\n---\n"
    text += f"{a('00:30')} {a('13:00:00')} [x](https://youtu.be/{OTHER}?t=1)\n"
    found = [d for d in lint(vault({"n.md": text})) if d.code.startswith("VL3")]
    assert positions(found) == [where(text, a("13:00:00"))]
    assert found[0].code == "VL304"


def test_fix_in_the_json_report(vault: MakeVault, cli) -> None:
    root = vault({"n.md": note(f"{a('00:01:00', '00:01:01')}\n")})
    result = cli(root, "check", "--format", "json")
    assert result.code == 1
    [diag] = result.json()["diagnostics"]
    assert diag["code"] == "VL302"
    assert diag["fix"]["safe"] is True
    assert diag["fix"]["edits"][0]["text"] == "00:01:00"


# -- bad input ------------------------------------------------------------------------------------

FRAGMENTS = [
    '<a class="yt-timestamp" data-t="',
    "<a href='https://youtu.be/",
    '">',
    "[",
    "]",
    "</a>",
    "<a>",
    "01:02:03",
    "26:27:00",
    "1:2",
    ":",
    "",
    "99",
    "https://www.youtube.com/watch?v=",
    VIDEO,
    "&t=",
    "?t=",
    "#t=",
    "1h2m",
    "(",
    ")",
    "[[clip.mp4#t=",
    "]]",
    "|",
    ",",
    "npt:",
    "`",
    "%%",
    "<!--",
    "-->",
    "\n",
    "\n\n",
    "\n- ",
    "\n# ",
    "\n|---|\n",
    " ",
    "é😀\t",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join), st.sampled_from(ORDERS))
def test_any_text_is_checked_without_error(body: str, order: str) -> None:
    text = note(body, duration="PT1H")
    parsed = parse_note("n.md", text)
    settings = Settings(timestamps=TimestampSettings(order=order))  # type: ignore[arg-type]
    ctx = cast(Context, SimpleNamespace(settings=settings))  # the check reads only settings
    for report in timestamps.check(parsed, ctx):
        assert 0 <= report.start < report.end <= len(text)
        if report.fix is not None:
            for edit in report.fix.edits:
                assert 0 <= edit.start <= edit.end <= len(text)
