"""Timestamp recognisers and time parsing: what counts as a timestamp, where, and what it says."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fast_paths import ANCHOR_PIECES
from vaultlint.note import parse_note
from vaultlint.timestamps import (
    Timestamp,
    find_timestamps,
    plain_timestamp,
    recognisers,
    split_timestamps,
)
from vaultlint.timestamps.times import (
    TimeError,
    clock_seconds,
    format_like,
    parse_clock,
    parse_duration,
    parse_youtube,
)

VIDEO = "dQw4w9WgXcQ"


def stamps(text: str) -> list[Timestamp]:
    return find_timestamps(parse_note("n.md", text))


def summary(text: str) -> list[tuple[str, float | None, str | None, float | None, str | None]]:
    """(timestamp as written, target seconds, shown text, shown seconds, video) of each."""
    out = []
    for ts in stamps(text):
        shown = text[ts.shown.start : ts.shown.end] if ts.shown else None
        out.append((text[ts.start : ts.end], ts.seconds, shown, ts.shown_seconds, ts.video))
    return out


def errors(text: str) -> list[str | None]:
    return [ts.error for ts in stamps(text)]


def anchor(data_t: str, shown: str) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">{shown}</a>'


# -- times -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0),
        ("83", 83),
        ("1:23", 83),
        ("01:23", 83),
        ("75:00", 4500),  # minutes may pass 59 when they come first
        ("1:02:03", 3723),
        ("01:02:03", 3723),
        ("26:27:00", 95220),
        ("100:00:00", 360000),
    ],
)
def test_clock_times(text: str, seconds: int) -> None:
    assert parse_clock(text) == seconds


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("1:2", "seconds must be two digits"),
        ("1:2:03", "minutes must be two digits"),
        ("01:02:3", "seconds must be two digits"),
        ("1:60", "seconds must be below 60"),
        ("14:61:00", "minutes must be below 60"),
        ("02:60:90", "minutes must be below 60"),
        ("01:51:24:00", "4 fields (a time is S, M:SS or H:MM:SS)"),
        ("1h2m", "not a time (S, M:SS or H:MM:SS)"),
        ("-5", "not a time (S, M:SS or H:MM:SS)"),
        ("1:23.5", "not a time (S, M:SS or H:MM:SS)"),
        (" 1:23", "not a time (S, M:SS or H:MM:SS)"),
    ],
)
def test_clock_problems(text: str, problem: str) -> None:
    with pytest.raises(TimeError, match=f"^{problem}$".replace("(", r"\(").replace(")", r"\)")):
        parse_clock(text)


def test_fractions_only_where_allowed() -> None:
    assert parse_clock("1:23.5", fraction=True) == 83.5
    assert parse_clock("10.25", fraction=True) == 10.25
    with pytest.raises(TimeError):
        parse_clock("1:60.5", fraction=True)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3723", 3723), ("3723s", 3723), ("1h2m3s", 3723), ("62m", 3720), ("1h", 3600), ("1M30S", 90)],
)
def test_youtube_times(text: str, seconds: int) -> None:
    assert parse_youtube(text) == seconds


@pytest.mark.parametrize("text", ["", "1:23", "abc", "1h60m", "1h2m90s", "1.5", "s"])
def test_youtube_time_problems(text: str) -> None:
    with pytest.raises(TimeError):
        parse_youtube(text)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (3723, 3723),  # YAML 1.1 reads an unquoted 1:02:03 as 3723
        (90.5, 90.5),
        ("1:02:03", 3723),
        ("01:02:03", 3723),
        ("45:10", 2710),
        ("600", 600),
        ("PT1H2M", 3720),
        ("PT1H2M3S", 3723),
        ("pt90s", 90),
        (" 1:00:00 ", 3600),
    ],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", [None, True, -5, "", "P", "PT", "1:75", "an hour", [1], {}])
def test_not_durations(value: object) -> None:
    assert parse_duration(value) is None


@pytest.mark.parametrize(
    ("seconds", "model", "written"),
    [
        (50460, "14:01:01", "14:01:00"),
        (3723, "01:00:00", "01:02:03"),
        (3723, "1:00:00", "1:02:03"),
        (83, "00:00:10", "00:01:23"),
        (83, "0:10", "1:23"),
        (83, "00:10", "01:23"),
        (3723, "10:00", "1:02:03"),  # M:SS can't hold an hour
        (83.9, "1:00", "1:23"),
    ],
)
def test_format_like(seconds: float, model: str, written: str) -> None:
    assert format_like(seconds, model) == written


# -- the yt-timestamp anchor -------------------------------------------------------------------


def test_anchor_in_a_sentence() -> None:
    text = f"Rare earths {anchor('01:02:03', '[01:02:04]')}.\n"
    assert summary(text) == [(anchor("01:02:03", "[01:02:04]"), 3723, "01:02:04", 3724, None)]


@pytest.mark.parametrize(
    "text",
    [
        "<a data-t='01:02' class='note yt-timestamp' title=\"x > y\">[01:02]</a>",
        '<A CLASS="yt-timestamp" DATA-T="01:02">[01:02]</A>',
        '<a class="yt-timestamp"\n   data-t="01:02">[01:02]</a>',
        '<a class="yt-timestamp" data-t=01:02 >( 01:02 )</a>',
        '<a class="yt-timestamp" data-t="01:02">01:02</a >',
        '<a class="yt-timestamp" data-t="01:02" data-t="09:09">[01:02]</a>',
    ],
)
def test_anchor_spellings(text: str) -> None:
    [ts] = stamps(text + "\n")
    assert (ts.start, ts.end, ts.error) == (0, len(text), None)
    assert (ts.seconds, ts.shown_seconds) == (62, 62)


@pytest.mark.parametrize(
    "text",
    [
        '<a class="other" data-t="01:02">[01:02]</a>',  # another class
        '<a class="yt-timestamps" data-t="01:02">[01:02]</a>',
        '<a class="yt-timestamp" data-t="01:02">[01:02]',  # never closed
        '<a class="yt-timestamp" data-t="01:02"/>[01:02]</a>',  # closed at once
        '<abbr class="yt-timestamp" data-t="01:02">[01:02]</abbr>',
        'yt-timestamp data-t="01:02" [01:02]',
    ],
)
def test_not_anchors(text: str) -> None:
    assert stamps(text + "\n") == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (anchor("14:61:00", "[14:61:00]"), 'data-t "14:61:00": minutes must be below 60'),
        (anchor("", "[]"), 'data-t "": empty'),
        (anchor("01:51:24:00", "[01:51:24:00]"), 'data-t "01:51:24:00": 4 fields'),
        (anchor("abc", "[abc]"), 'data-t "abc": not a time'),
        ('<a class="yt-timestamp">[01:02]</a>', "no data-t attribute"),
        (anchor("03:50:00", "[03:61:30]"), 'shown time "03:61:30": minutes must be below 60'),
    ],
)
def test_malformed_anchors(text: str, error: str) -> None:
    [found] = errors(text + "\n")
    assert found is not None and found.startswith(error)


def test_anchor_text_that_is_not_a_time_is_not_compared() -> None:
    [ts] = stamps(anchor("01:02", "the moment") + "\n")
    assert (ts.seconds, ts.shown, ts.error) == (62, None, None)


def test_anchor_showing_nothing_has_an_empty_shown_time() -> None:
    text = anchor("01:02", "[]") + "\n"
    [ts] = stamps(text)
    assert ts.shown is not None
    assert (ts.shown.start, ts.shown.end) == (text.index("[]") + 1,) * 2
    assert ts.shown_seconds is None


# -- where timestamps are not looked for ----------------------------------------------------------

HIDDEN = {
    "code span": "`{t}`",
    "double backtick code": "``x {t} y``",
    "fenced code": "```\n{t}\n```",
    "tilde fence": "~~~html\n{t}\n~~~",
    "indented code": "para\n\n    {t}",
    "HTML comment": "<!-- {t} -->",
    "multi-line HTML comment": "<!--\n{t}\n-->",
    "%% comment": "%% {t} %%",
    "%% block": "%%\n{t}\n%%",
    "inline math": "$x {t}$",
    "math block": "$$\n{t}\n$$",
    "escaped opening": "\\{t}",
}
FORMS = {
    "anchor": anchor("01:02", "[01:02]"),
    "YouTube link": f"[1:02](https://youtu.be/{VIDEO}?t=62)",
    "bare URL": f"https://youtu.be/{VIDEO}?t=62",
    "autolink": f"<https://youtu.be/{VIDEO}?t=62>",
    "media fragment": "[[clip.mp4#t=1:02]]",
}


@pytest.mark.parametrize("where", HIDDEN.values(), ids=HIDDEN.keys())
@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_nothing_in_code_comments_or_math(where: str, form: str) -> None:
    if where.startswith("\\") and "https" in form and not form.startswith("<a"):
        pytest.skip("the URL behind an escaped `[` or `<` is still a bare URL")
    assert stamps(where.format(t=form) + "\n") == []


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_found_in_prose_lists_quotes_callouts_headings_and_tables(form: str) -> None:
    cells = form.replace("|", "\\|")
    text = (
        f"{form}\n\n- item {form}\n  1. nested {form}\n\n> quote {form}\n\n"
        f"> [!note] Callout\n> {form}\n\n## Heading {form}\n\n"
        f"| a | b |\n|---|---|\n| {cells} | x |\n"
    )
    assert len(stamps(text)) == 7


# -- YouTube links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "seconds", "video"),
    [
        (f"https://www.youtube.com/watch?v={VIDEO}&t=83", 83, VIDEO),
        (f"https://www.youtube.com/watch?v={VIDEO}&t=83s", 83, VIDEO),
        (f"https://www.youtube.com/watch?v={VIDEO}&t=1h2m3s", 3723, VIDEO),
        (f"https://youtube.com/watch?t=83&v={VIDEO}", 83, VIDEO),
        (f"http://m.youtube.com/watch?v={VIDEO}&t=83", 83, VIDEO),
        (f"https://music.youtube.com/watch?v={VIDEO}&t=83", 83, VIDEO),
        (f"https://youtu.be/{VIDEO}?t=83", 83, VIDEO),
        (f"https://youtu.be/{VIDEO}?si=Ab_Cd-12&t=83", 83, VIDEO),
        (f"https://www.youtube.com/embed/{VIDEO}?start=83", 83, VIDEO),
        (f"https://www.youtube-nocookie.com/embed/{VIDEO}?start=83&rel=0", 83, VIDEO),
        (f"https://www.youtube.com/shorts/{VIDEO}?t=83", 83, VIDEO),
        (f"https://www.youtube.com/live/{VIDEO}?t=83", 83, VIDEO),
        (f"https://www.youtube.com/watch?v={VIDEO}#t=1m23s", 83, VIDEO),
        (f"https://www.youtube.com/watch?v={VIDEO}#t=1:23", 83, VIDEO),  # Media Extended
        (f"https://www.youtube.com/watch?v={VIDEO}&list=PLx&index=3&t=83s&pp=ygU", 83, VIDEO),
        (f"https://WWW.YouTube.com/watch?v={VIDEO}&t=83", 83, VIDEO),
        ("https://www.youtube.com/playlist?list=PLx&t=83", 83, None),
        (f"https://youtu.be/{VIDEO}?%74=83", 83, VIDEO),  # the key percent-encoded
    ],
)
def test_youtube_urls(url: str, seconds: int, video: str | None) -> None:
    text = f"[1:23]({url})\n"
    assert summary(text) == [(text[:-1], seconds, "1:23", 83, video)]


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={VIDEO}",  # no time: a video link, not a timestamp
        f"https://youtu.be/{VIDEO}",
        f"https://www.youtube.com/watch?v={VIDEO}&feature=share",
        "https://vimeo.com/123?t=83",
        f"https://notyoutube.com/watch?v={VIDEO}&t=83",
        f"https://youtube.com.evil.example/watch?v={VIDEO}&t=83",
        "https://example.com/youtube?t=83",
        "https://[bad/youtube?t=83",
        f"https://youtu.be/{VIDEO}?at=83&st=1&tt=2&t+=3",  # keys that only contain t
    ],
)
def test_urls_that_are_not_youtube_timestamps(url: str) -> None:
    assert stamps(f"[1:23]({url}) and {url} and <{url}>\n") == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (f"https://youtu.be/{VIDEO}?t=", 't "": empty'),
        (f"https://youtu.be/{VIDEO}?t=1:23", 't "1:23": not a YouTube time'),
        (f"https://youtu.be/{VIDEO}?t=1h75m", 't "1h75m": minutes and seconds after a larger'),
        (f"https://www.youtube.com/embed/{VIDEO}?start=abc", 'start "abc": not a YouTube time'),
        (f"https://youtu.be/{VIDEO}#t=1:75", 't "1:75": seconds must be below 60'),
        (f"https://youtu.be/{VIDEO}?si=x&t", 't "": empty'),  # a key with no value
        (f"https://youtu.be/{VIDEO}?start", 'start "": empty'),
        (f"https://youtu.be/{VIDEO}#t", 't "": empty'),
    ],
)
def test_malformed_youtube_times(url: str, error: str) -> None:
    [found] = errors(f"[x]({url})\n")
    assert found is not None and found.startswith(error)


def test_youtube_link_text_and_shown_time() -> None:
    url = f"https://youtu.be/{VIDEO}?t=83"
    text = f"[1:24]({url}) ![0:10]({url}) [ [01:23] ]({url}) [intro]({url}) [2:1]({url})\n"
    shown = [(s[2], s[3]) for s in summary(text)]
    # a link text that is not a clock time (words, a ratio) is not compared
    assert shown == [("1:24", 84), ("0:10", 10), ("01:23", 83), (None, None), (None, None)]


def test_youtube_in_every_link_form() -> None:
    url = f"https://youtu.be/{VIDEO}?t=83"
    forms = [
        f"[1:23]({url})",
        f'[1:23]({url} "title")',
        f"[1:23](<{url}>)",
        f"![]({url})",
        f"<{url}>",
        f'<a href="{url}">1:23</a>',
        url,
    ]
    text = "\n\n".join(forms) + "\n"
    found = stamps(text)
    assert [text[ts.start : ts.end] for ts in found] == forms
    assert all(ts.seconds == 83 and ts.video == VIDEO for ts in found)


def test_html_entities_in_urls() -> None:
    text = (
        f'<a href="https://www.youtube.com/watch?v={VIDEO}&amp;t=30">0:30</a> '
        f"[0:40](https://www.youtube.com/watch?v={VIDEO}&amp;t=40)\n"
    )
    assert [(s[1], s[3]) for s in summary(text)] == [(30, 30), (40, 40)]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("See https://youtu.be/{v}?t=83.", "https://youtu.be/{v}?t=83"),
        ("(see https://youtu.be/{v}?t=83)", "https://youtu.be/{v}?t=83"),
        ("at https://youtu.be/{v}?t=83, then", "https://youtu.be/{v}?t=83"),
        ("**https://youtu.be/{v}?t=83**", "https://youtu.be/{v}?t=83"),
        ("x https://www.youtube.com/watch?v={v}&t=83&list=PL_1 y", "{same}"),
    ],
)
def test_bare_urls_end_where_the_sentence_resumes(text: str, url: str) -> None:
    text = text.format(v=VIDEO)
    url = url.format(v=VIDEO, same=text[2:-2])
    [ts] = stamps(text + "\n")
    assert text[ts.start : ts.end] == url


def test_bare_urls_in_any_case_and_where_they_are_not_urls() -> None:
    text = (
        f"HTTPS://YOUTU.BE/{VIDEO}?t=1 and http://www.youtube.com/watch?v={VIDEO}&t=2\n\n"
        f"https://youtu.be/{VIDEO}?t=3https://youtu.be/{VIDEO}?t=4\n\n"  # one URL, one time
        f"//youtu.be/{VIDEO}?t=5 https:///youtu.be/{VIDEO}?t=6 `https://youtu.be/{VIDEO}?t=7`\n"
    )
    found = [(text[ts.start : ts.start + 8], ts.seconds, ts.error) for ts in stamps(text)]
    assert found == [
        ("HTTPS://", 1, None),
        ("http://w", 2, None),
        (
            "https://",
            None,
            f't "3https://youtu.be/{VIDEO}?t=4": not a YouTube time (3723, 3723s or 1h2m3s)',
        ),
    ]


def test_a_url_in_a_link_is_one_timestamp() -> None:
    url = f"https://youtu.be/{VIDEO}?t=83"
    text = f"[{url}]({url}) <a href='{url}'>`x` {url}</a> [[{url}]]\n"
    assert len(stamps(text)) == 2


def test_a_yt_timestamp_anchor_with_an_href_is_one_timestamp() -> None:
    text = f'<a class="yt-timestamp" data-t="00:01:23" href="https://youtu.be/{VIDEO}?t=83">'
    text += "[00:01:23]</a>\n"
    [ts] = stamps(text)
    assert (ts.target, ts.video) == ("00:01:23", None)


# -- media fragments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds", "shown"),
    [
        ("[[video.mp4#t=1:23]]", 83, None),
        ("![[video.mp4#t=83]]", 83, None),
        ("[[Lectures/week 1.mkv#t=01:02:03|01:02:03]]", 3723, "01:02:03"),
        ("[[talk.MP3#t=83|1:23]]", 83, "1:23"),
        ("[[video.mp4#t=83.5]]", 83.5, None),
        ("[[video.mp4#t=npt:83]]", 83, None),
        ("[[video.mp4#t=83,90]]", 83, None),
        ("[[video.mp4#t=,90]]", 0, None),
        ("[[video.mp4#t=1:23&loop]]", 83, None),
        ("![](video.mp4#t=83)", 83, None),
        ("[1:23](video.webm#t=83)", 83, "1:23"),
        ("[1:23](<my video.mov#t=83>)", 83, "1:23"),
    ],
)
def test_media_fragments(text: str, seconds: float, shown: str | None) -> None:
    assert [(s[0], s[1], s[2]) for s in summary(text + "\n")] == [(text, seconds, shown)]


@pytest.mark.parametrize(
    "text",
    [
        "[[note#t=1:23]]",  # a heading link, not media
        "[[video.mp4]]",
        "[[video.mp4#page=3]]",
        "[[video.mp4#xywh=1,2,3,4]]",
        "[[notes.md#t=83]]",
        "[[image.png#t=83]]",
    ],
)
def test_not_media_fragments(text: str) -> None:
    assert stamps(text + "\n") == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[[video.mp4#t=]]", 't "": empty'),
        ("[[video.mp4#t=1:75]]", 't "1:75": seconds must be below 60'),
        ("[[video.mp4#t=90,83]]", 't "90,83": the end comes before the start'),
        ("[[video.mp4#t=soon]]", 't "soon": not a time'),
    ],
)
def test_malformed_media_fragments(text: str, error: str) -> None:
    [found] = errors(text + "\n")
    assert found is not None and found.startswith(error)


def test_media_fragment_in_a_table_cell() -> None:
    text = "| at | what |\n|---|---|\n| [[clip.mp4#t=1:23\\|1:24]] | x |\n"
    [(written, seconds, shown, shown_seconds, _)] = summary(text)
    assert written == "[[clip.mp4#t=1:23\\|1:24]]"
    assert (seconds, shown, shown_seconds) == (83, "1:24", 84)


# -- positions -----------------------------------------------------------------------------------


def test_offsets_count_code_points_after_frontmatter_tabs_and_emoji() -> None:
    note_text = (
        "---\ntitle: 日本\n---\n😀\t日本語 " + anchor("01:02", "[01:03]") + " ü\n"
        "- 🎥 [0:10](https://youtu.be/" + VIDEO + "?t=10)\n"
    )
    note = parse_note("n.md", note_text)
    found = find_timestamps(note)
    assert [note.lines.position(ts.start) for ts in found] == [(4, 7), (5, 5)]
    first = found[0]
    assert note.lines.position(first.end) == (4, 7 + len(anchor("01:02", "[01:03]")))
    assert first.shown is not None
    assert note_text[first.shown.start : first.shown.end] == "01:03"


def test_timestamps_come_in_text_order() -> None:
    text = (
        f"[[v.mp4#t=3]] https://youtu.be/{VIDEO}?t=2 {anchor('1', '[1]')} "
        f"[0:00](https://youtu.be/{VIDEO}?t=0)\n"
    )
    assert [ts.seconds for ts in stamps(text)] == [3, 2, 1, 0]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ANCHOR_PIECES), max_size=30).map("".join))
def test_plain_anchors_are_those_generators_write_in_text_order(text: str) -> None:
    # the timestamp check reads these on a shorter path: each must be `<a ...="T">[T]</a>`,
    # T a valid time, and they must come in the order of the text
    note = parse_note("n.md", text)
    plain, others = split_timestamps(note)
    for a, seconds in plain:
        data_t = a.data_t or ""
        assert text[a.start : a.end] == anchor(data_t, f"[{data_t}]")
        assert seconds == parse_clock(data_t)
    assert [a.start for a, _ in plain] == sorted(a.start for a, _ in plain)
    rebuilt = [*others, *(plain_timestamp(*p) for p in plain)]
    assert sorted(rebuilt, key=lambda ts: ts.start) == stamps(text)


def test_note_without_timestamps_has_none() -> None:
    assert stamps("# Title\n\nA [link](https://example.com) and <b>bold</b> [[v.mp4]].\n") == []


# -- what the parser keeps for the recognisers ---------------------------------------------------


def test_parser_keeps_anchor_elements_and_external_links() -> None:
    text = (
        '<a href="x">one</a> <b>b</b> <a name=y>two <i>i</i></a> <a/>x</a> </a> <a>open\n\n'
        "[site](https://example.com/a) ![img](http://x/i.png) <https://example.com/b> "
        "[note](Note.md) `<a>code</a>`\n"
    )
    body = parse_note("n.md", text).body
    elements = [
        (text[a.start : a.end], text[a.open_end : a.close_start]) for a in body.html_anchors
    ]
    assert elements == [
        ('<a href="x">one</a>', "one"),
        ("<a name=y>two <i>i</i></a>", "two <i>i</i>"),
    ]
    assert [(u.target, u.display, u.embed, text[u.start : u.end]) for u in body.urls] == [
        ("https://example.com/a", "site", False, "[site](https://example.com/a)"),
        ("http://x/i.png", "img", True, "![img](http://x/i.png)"),
        ("https://example.com/b", None, False, "<https://example.com/b>"),
    ]
    assert [k.target for k in body.links] == ["Note.md"]


CLOCK_TEXTS = [
    "00:00:08", "01:42:52", "1:02:03", "12:34", "1:23", "59:59", "60:00", "00:60:00", "1:2:3",
    "999999999:00:00", "1000000000:00:00", "01:02:03:04", "01:02:3", "", ":", "1:", ":12",
    "12", "01:02:03.5", "\u0660\u0661:23", "01:\u0662\u0663:45", "+1:02:03", " 1:02:03",
    "1:02:03 ", "a1:02", "1_0:00:00",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.sampled_from(CLOCK_TEXTS),
        st.text(alphabet="0123456789:.\u0663 a", max_size=12),
        st.lists(st.integers(0, 130).map(str), min_size=1, max_size=4).map(":".join),
    )
)
def test_plain_clock_seconds_reads_as_clock_seconds(text: str) -> None:
    """The shortcut for `M:SS` and `H:MM:SS` in ASCII digits gives what the regex gives, and
    leaves every other text to it (Unicode digits included, which `\\d` matches)."""
    assert recognisers.plain_clock_seconds(text) == clock_seconds(text)
