"""Deterministic benchmark vaults: generated seed-shaped notes, or copies of a real corpus.

A generated note looks like the notes a video-summary generator writes: frontmatter with a title
and an 11-character `videoId`, a `From:` line, `##`/`###` sections of long one-line paragraphs and
bulleted lists, many `<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>` anchors and
wiki-links to other notes (`[[name | alias]]`, `[[name]]`, `[[name#Heading]]`). A small share of
them is wrong on purpose; `generate` returns each planted defect with its position.

Everything follows from `(seed, note number)`: the same arguments write the same bytes, and any
note can be planned (name, headings) without writing the others.

    python benchmarks/generate.py OUT --notes 10000 [--seed 0] [--source generated|tubegraph]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import sys
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TUBEGRAPH = REPO.parent / "shared" / "corpora" / "tubegraph-allin"
NOTES_PER_FOLDER = 500

# The share of chances that turn into a planted defect.
RATES = {
    "broken-link": 0.04,  # a link to a note that does not exist (VL101)
    "heading-link": 0.10,  # a link is [[name#Heading]] ...
    "broken-heading": 0.20,  # ... and of those, the heading does not exist (VL102)
    "heading-increment": 0.03,  # per note: a `####` right after a `##` (VL401)
    "duplicate-heading": 0.03,  # per note: a section heading used twice (VL402)
    "timestamp": 0.06,  # per paragraph: its last timestamp is wrong in one of four ways
}
# Which rule finds each defect kind (timestamp rules: issue 4).
CODES = {
    "broken-link": "VL101",
    "broken-heading": "VL102",
    "heading-increment": "VL401",
    "duplicate-heading": "VL402",
    "timestamp-malformed": "VL301",
    "timestamp-mismatch": "VL302",
    "timestamp-order": "VL303",
    "timestamp-out-of-range": "VL304",
}


def _phrases(text: str) -> list[str]:
    """`a|b|c` written over several lines -> ["a", "b", "c"] (line breaks are spaces)."""
    return [" ".join(p.split()) for p in text.split("|")]


# Lowercase letters only, so a name's words can be read back by splitting on "_", and two words
# run together make a name no note has unless they make a word of this list.
WORDS = """
ai chip export policy market rally trade tariff deficit surplus rare earth magnet supply chain
venture capital startup founder valuation layoffs inflation interest rate bond yield treasury
energy nuclear reactor fusion solar grid battery lithium mining refinery oil gas pipeline
election campaign poll voter senate congress court ruling immigration border housing rent
zoning mortgage bank deposit liquidity crisis regulation antitrust merger acquisition ipo
cloud compute model training inference datacenter power cooling robot autonomy vehicle
drone defense alliance taiwan china india europe japan mexico canada ukraine russia israel
media podcast journalism censorship speech platform moderation advertising subscription
healthcare drug pricing biotech vaccine longevity obesity insurance pension budget spending
debt ceiling stimulus recession jobs wage productivity manufacturing reshoring factory
semiconductor foundry lithography memory software security privacy encryption crypto
stablecoin exchange fraud lawsuit settlement governance board activist shareholder dividend
buyback earnings guidance forecast outlook strategy leverage negotiation sanctions embargo
shipping port freight logistics retail consumer demand inventory margin profit revenue growth
talent education university research patent innovation competition monopoly
""".split()  # noqa: SIM905
HEADS = _phrases("""
The recent debate about|Investors remain cautious about|A central argument concerns|
Several panelists pointed to|The discussion returned to|Critics have questioned|
Supporters of the plan emphasise|One overlooked aspect is|Market participants reacted to|
The administration's approach to|A key risk lies in|Analysts compared the situation to|
The conversation shifted toward|Much of the uncertainty stems from|A recurring theme was|
The long-term outlook for|Early data on|The strongest case for|The weakest point of|
Policy makers are weighing""")
NOUNS = _phrases("""
rising tariffs|the semiconductor supply chain|rare earth processing|venture funding|
interest rate policy|the housing shortage|energy independence|AI model training costs|
cloud infrastructure|the trade deficit|regulatory parity|drug pricing reform|
nuclear power permitting|the labour market|consumer demand|the bond market|
defense procurement|immigration enforcement|content moderation|antitrust enforcement|
the café economy|Europe's industrial policy|startup valuations|the dollar's reserve status|
battery manufacturing|long-duration storage|export controls|national champions""")
TAILS = _phrases("""
which could reshape the industry over the next decade|a point that drew sharp
disagreement|with consequences that markets have only begun to price in|even though the
evidence so far is mixed|especially for smaller companies without scale|at a cost estimated
in the hundreds of billions of dollars|which many see as a strategic weakness|as the
"stress test" of the past year showed|while competitors move faster abroad|despite repeated
promises of reform|in ways that surprised even close observers|because incentives are
misaligned (e.g., short-term earnings versus long-term investment)|and the numbers —
roughly 90% of global capacity — speak for themselves|which remains **the most contested
question** in the debate|according to figures cited during the episode""")
LABELS = _phrases("""
Processing Dominance|Policy Response|Market Impact|Supply Risk|Cost Structure|
Historical Context|Key Players|Open Questions|Second-Order Effects|Timeline""")
HEADING_WORDS = _phrases("""
Market Dynamics|Trade Negotiations|Economic Dependencies|Strategic Weaknesses|
Regulatory Parity|Critical Materials|Manufacturing Relocation|Long-Term Strategy|Containment|
Communication Challenges|Investor Sentiment|Policy Options|Capital Flows|Energy Security|
Labour Markets|Technology Race|Public Opinion|Legal Questions|Industry Structure|
Global Competition|Funding Environment|Risk Assessment|Future Outlook|Historical Parallels""")


@dataclass(frozen=True)
class Defect:
    """A planted problem: where it is (1-based line and code-point column of its first
    character) and which rule should report it."""

    path: str
    line: int
    column: int
    kind: str
    code: str


@dataclass(frozen=True)
class Plan:
    """What other notes need to know about note `i` before it is written."""

    path: str
    name: str
    title: str
    video_id: str
    size: int  # the note's length to aim for, in characters
    headings: tuple[tuple[int, str], ...]  # (level, text) of the `##`/`###` headings


def _name(i: int) -> tuple[str, ...]:
    """Three words that differ for every note number (a bijection of i), so names are unique."""
    v = len(WORDS)
    k = (i * 7_919_993 + 123_457) % v**3  # the prime multiplier is coprime to v**3
    return WORDS[k // (v * v)], WORDS[k // v % v], WORDS[k % v]


@lru_cache(maxsize=4096)
def plan(seed: int, i: int, note_bytes: int) -> Plan:
    """Note `i`'s name, frontmatter values, length and headings (cached: links look them up)."""
    rng = random.Random(f"{seed}:{i}:plan")
    words = (*_name(i), *rng.sample(WORDS, rng.randint(0, 3)))
    name = "_".join(words)
    title = " ".join(words).capitalize()
    video_id = "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=11))
    size = int(note_bytes * rng.uniform(0.55, 1.45))
    headings: list[tuple[int, str]] = []
    seen: set[str] = set()
    for _ in range(max(2, size // 3500)):
        for level in (2, *[3] * rng.randint(1, 3)):
            text = " and ".join(rng.sample(HEADING_WORDS, 2))
            while text in seen:
                text = " and ".join(rng.sample(HEADING_WORDS, 2))
            seen.add(text)
            headings.append((level, text))
    folder = f"channel_{i // NOTES_PER_FOLDER:03d}"
    return Plan(f"{folder}/{name}.md", name, title, video_id, size, tuple(headings))


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _anchor(target: str, shown: str) -> str:
    return f'<a class="yt-timestamp" data-t="{target}">[{shown}]</a>'


class _Writer:
    """Renders one note line by line, recording where each planted defect lands."""

    def __init__(self, seed: int, i: int, notes: int, note_bytes: int) -> None:
        self.seed, self.i, self.notes, self.note_bytes = seed, i, notes, note_bytes
        self.me = plan(seed, i, note_bytes)
        self.rng = random.Random(f"{seed}:{i}:body")
        self.lines: list[str] = []
        self.defects: list[Defect] = []
        self.t = self.rng.randint(0, 90)  # the video time of the last timestamp, in seconds

    def defect(self, kind: str, column: int, line: int | None = None) -> None:
        line = len(self.lines) + 1 if line is None else line
        self.defects.append(Defect(self.me.path, line, column, kind, CODES[kind]))

    def other(self) -> Plan:
        """Another note, usually from the same folder."""
        rng = self.rng
        if rng.random() < 0.8:
            first = self.i - self.i % NOTES_PER_FOLDER
            j = rng.randrange(first, min(first + NOTES_PER_FOLDER, self.notes))
        else:
            j = rng.randrange(self.notes)
        return plan(self.seed, j, self.note_bytes)

    def link(self, column: int) -> str:
        rng, target = self.rng, self.other()
        alias = rng.choice(NOUNS)
        if rng.random() < RATES["broken-link"]:
            self.defect("broken-link", column)
            merged = target.name.replace("_", "", 1)
            if merged.split("_")[0] not in WORDS and rng.random() < 0.5:
                return f"[[{merged} | {alias}]]"
            return f"[[{target.title} | {alias}]]"  # spaces for underscores: a common slip
        if rng.random() < RATES["heading-link"] and self.me.path != target.path:
            if rng.random() < RATES["broken-heading"]:
                self.defect("broken-heading", column)
                return f"[[{target.name}#Background and Context | {alias}]]"
            return f"[[{target.name}#{rng.choice(target.headings)[1]} | {alias}]]"
        return f"[[{target.name} | {alias}]]" if rng.random() < 0.8 else f"[[{target.name}]]"

    def sentences(self, column: int, count: int, defect: str | None = None) -> str:
        """`count` sentences starting at `column`, each but a few ending in a timestamp; a
        timestamp `defect` goes on the last one."""
        rng, parts = self.rng, []
        for n in range(count):
            parts.append(rng.choice(HEADS) + " ")
            if rng.random() < 0.35:
                parts.append(self.link(column + sum(map(len, parts))))
            else:
                parts.append(rng.choice(NOUNS))
            parts.append(" " + rng.choice(TAILS))
            last = n == count - 1
            if (last and defect) or defect == "timestamp-order" or rng.random() < 0.85:
                parts.append(" ")
                parts.append(
                    self.timestamp(column + sum(map(len, parts)), defect if last else None)
                )
            parts.append(". ")
        return "".join(parts).rstrip()

    def timestamp(self, column: int, defect: str | None) -> str:
        rng, before = self.rng, self.t
        self.t += rng.randint(5, 75)
        target = shown = _clock(self.t)
        if defect:
            self.defect(defect, column)
        if defect == "timestamp-malformed":
            target = shown = f"{self.t // 3600:02d}:{self.t // 60 % 60:02d}:{rng.randint(60, 99)}"
        elif defect == "timestamp-mismatch":
            shown = _clock(self.t + rng.choice((1, 60)))
        elif defect == "timestamp-order":
            target = shown = _clock(max(0, before - rng.randint(20, 200)))
            self.t = before
        elif defect == "timestamp-out-of-range":
            target = shown = _clock(12 * 3600 + rng.randint(60, 7200))
            self.t = before
        return _anchor(target, shown)

    def paragraph(self) -> None:
        rng = self.rng
        defect = None
        if rng.random() < RATES["timestamp"]:
            defect = rng.choice([k for k in CODES if k.startswith("timestamp-")])
        self.lines.append(self.sentences(1, rng.randint(2, 5), defect))

    def bullets(self) -> None:
        rng = self.rng
        for label in rng.sample(LABELS, rng.randint(2, 4)):
            prefix = f"*   **{label}:** "
            self.lines.append(prefix + self.sentences(len(prefix) + 1, rng.randint(1, 2)))

    def heading(self, level: int, text: str) -> None:
        if self.lines and self.lines[-1] and self.rng.random() < 0.7:
            self.lines.append("")
        self.lines.append(f"{'#' * level} {text}")

    def section(self, end: int) -> None:
        """Paragraphs and lists until the note is about `end` characters long (at least one)."""
        size = sum(map(len, self.lines))
        while True:
            before = len(self.lines)
            if self.rng.random() < 0.75:
                self.paragraph()
            else:
                self.bullets()
            self.lines.append("")
            size += sum(map(len, self.lines[before:])) + len(self.lines) - before
            if size + 400 >= end:  # stop near the mark rather than always past it
                return

    def render(self) -> str:
        me, rng = self.me, self.rng
        self.lines += ["---", f"title: {me.title}", f"videoId: {me.video_id}", "---", ""]
        hub = plan(self.seed, self.i - self.i % NOTES_PER_FOLDER, self.note_bytes)
        self.lines += [f"From: [[{hub.name}]] <br/> ", ""]
        self.paragraph()
        self.lines.append("")
        headings = list(me.headings)
        duplicate = rng.random() < RATES["duplicate-heading"]
        if duplicate:
            headings.append((2, headings[0][1]))  # the second copy is the one reported
        increment = rng.random() < RATES["heading-increment"]
        for n, (level, text) in enumerate(headings):
            self.heading(level, text)
            if duplicate and n == len(headings) - 1:
                self.defect("duplicate-heading", 1, len(self.lines))
            if increment and level == 2:
                self.lines.append("")
                self.heading(4, f"Details on {text}")
                self.defect("heading-increment", 1, len(self.lines))
                increment = False
            self.section(me.size * (n + 1) // len(headings))
        return "\n".join(self.lines).rstrip("\n") + "\n"


def generate(root: Path, notes: int, seed: int = 0, note_bytes: int = 14_000) -> list[Defect]:
    """Write `notes` generated notes under `root` (an Obsidian vault, 500 notes a folder) and
    return the defects planted in them."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    defects: list[Defect] = []
    for i in range(notes):
        writer = _Writer(seed, i, notes, note_bytes)
        path = root / writer.me.path
        if i % NOTES_PER_FOLDER == 0:
            path.parent.mkdir(exist_ok=True)
        path.write_text(writer.render(), encoding="utf-8", newline="\n")
        defects += writer.defects
    return defects


def copy_corpus(root: Path, notes: int, corpus: Path = TUBEGRAPH) -> None:
    """Fill `root` with `notes` notes by copying `corpus` whole into `copy_001/`, `copy_002/`,
    ... (the last copy partly), so links resolve within each copy as they do in the original."""
    sources = sorted(p.relative_to(corpus) for p in corpus.rglob("*.md"))
    if not sources:
        raise FileNotFoundError(f"no notes in {corpus}")
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for n in range(notes):
        rel = Path(f"copy_{n // len(sources) + 1:03d}") / sources[n % len(sources)]
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / sources[n % len(sources)], root / rel)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the vault folder to create (must not exist)")
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--note-bytes", type=int, default=14_000, help="mean note size")
    parser.add_argument("--source", choices=("generated", "tubegraph"), default="generated")
    parser.add_argument("--defects", type=Path, help="write the planted defects here (JSON)")
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists")
    start = time.perf_counter()
    if args.source == "tubegraph":
        copy_corpus(args.out, args.notes)
        defects = []
    else:
        defects = generate(args.out, args.notes, args.seed, args.note_bytes)
    if args.defects:
        args.defects.write_text(json.dumps([asdict(d) for d in defects], indent=1) + "\n")
    print(
        f"{args.notes} notes, {len(defects)} planted defects in {args.out} "
        f"({time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
