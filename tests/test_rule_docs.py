"""The rule pages in `rules/`: their layout, and that their examples behave as written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO, lint, run_cli, write_vault
from vaultlint.config import config_file_in, load_settings
from vaultlint.diagnostics import Diagnostic
from vaultlint.engine import Engine
from vaultlint.fixes import fix_notes
from vaultlint.rules import RULES

PAGES = sorted((REPO / "rules").glob("*.md"))
SECTIONS = ["What it checks", "Why", "Example", "Options"]
EXAMPLE_NOTE = "example.md"

# A fenced block: an opening fence of 3+ backticks or tildes with its info string, the body, and
# a closing fence of the same length (so a ``` block can sit inside a ```` block).
_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_HEADING = re.compile(r"^(#{1,6}) (.*?)[ \t]*$", re.M)
_MARKER = re.compile(r"<!--\s*(VL\d{3})\s*-->")
# A marker and the space (or the YAML comment sign) before it, as a fixed example drops it.
_MARKER_WITH_SPACE = re.compile(r"[ \t]*(?:#[ \t]*)?<!--\s*VL\d{3}\s*-->")


@dataclass
class Block:
    lang: str
    attrs: dict[str, str]
    body: str

    def encoded(self) -> bytes:
        return self.body.encode(self.attrs.get("encoding", "utf-8"))


@dataclass
class Page:
    path: Path
    text: str
    headings: list[str] = field(default_factory=list)  # heading lines outside fenced blocks
    blocks: dict[str, list[Block]] = field(default_factory=dict)  # `##` section -> its blocks

    @property
    def code(self) -> str:
        return self.path.stem

    @property
    def context(self) -> list[Block]:
        """The other files the examples need (blocks with a `file` attribute)."""
        return [b for b in self.blocks.get("Example", []) if "file" in b.attrs]

    @property
    def fixed_examples(self) -> list[Block]:
        """Blocks of the Fix section showing the firing example fixed (`fixes="safe"` or
        `fixes="unsafe"`)."""
        return [b for b in self.blocks.get("Fix", []) if "fixes" in b.attrs]

    @property
    def examples(self) -> list[Block]:
        """The Markdown examples: the one that fires, then the one that passes."""
        return [
            b
            for b in self.blocks.get("Example", [])
            if "file" not in b.attrs and b.lang == "markdown"
        ]


def parse_page(path: Path) -> Page:
    """Split a page into its headings and the fenced blocks of each `##` section."""
    text = path.read_text(encoding="utf-8")
    page = Page(path, text)
    fences = list(_FENCE.finditer(text))
    headings = [
        m
        for m in _HEADING.finditer(text)
        if not any(f.start() <= m.start() < f.end() for f in fences)
    ]
    page.headings = [m.group() for m in headings]
    for fence in fences:
        above = [h for h in headings if h.start() < fence.start() and h.group(1) == "##"]
        section = above[-1].group(2) if above else ""
        info = fence.group("info").strip()
        lang = info.split(" ", 1)[0] if info else ""
        attrs = dict(_ATTR.findall(info))
        page.blocks.setdefault(section, []).append(Block(lang, attrs, fence.group("body")))
    return page


def marked_lines(body: str) -> dict[int, str]:
    """Line number (1-based) -> the code in its `<!-- VLxxx -->` marker."""
    found = {}
    for number, line in enumerate(body.splitlines(), start=1):
        m = _MARKER.search(line)
        if m:
            found[number] = m.group(1)
    return found


def build_vault(root: Path, page: Page, example: Block) -> Path:
    files: dict[str, str | bytes] = {b.attrs["file"]: b.encoded() for b in page.context}
    files[EXAMPLE_NOTE] = example.encoded()
    return write_vault(root, files)


def lint_example(root: Path) -> list[Diagnostic]:
    """Lint as `vaultlint check` would: with the config a context file may provide."""
    return lint(root, load_settings(config_file_in(root)))


@pytest.fixture(params=PAGES, ids=[p.stem for p in PAGES])
def page(request: pytest.FixtureRequest) -> Page:
    return parse_page(request.param)


def test_pages_exist() -> None:
    assert PAGES, "no rule pages found in rules/"


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    assert {p.stem for p in PAGES} == set(RULES)


def test_title_names_the_rule(page: Page) -> None:
    rule = RULES.get(page.code)
    assert rule is not None, f"{page.path.name}: no registered rule {page.code}"
    assert page.text.startswith(f"# {rule.code} {rule.name}\n")


def test_sections_are_exactly_the_fixed_ones(page: Page) -> None:
    rule = RULES[page.code]
    sections = [*SECTIONS, "Fix"] if rule.fixable else SECTIONS
    assert page.headings == [f"# {rule.code} {rule.name}", *(f"## {s}" for s in sections)]


def test_example_section_has_one_firing_and_one_passing_example(page: Page) -> None:
    examples = page.examples
    assert len(examples) == 2, "expected a firing and a passing ```markdown block"
    firing, passing = examples
    markers = marked_lines(firing.body)
    assert markers, "the first example must mark its offending lines with <!-- CODE -->"
    assert set(markers.values()) == {page.code}, "markers must carry the page's own code"
    assert not _MARKER.search(passing.body), "the passing example must carry no marker"
    for block in page.context:
        assert not _MARKER.search(block.body), f"marker in context file {block.attrs['file']}"


def test_firing_example_fires_on_the_marked_lines(page: Page, tmp_path: Path) -> None:
    firing = page.examples[0]
    root = build_vault(tmp_path / "vault", page, firing)
    fired = {d.line for d in lint_example(root) if d.code == page.code and d.path == EXAMPLE_NOTE}
    assert fired == set(marked_lines(firing.body))


def test_passing_example_does_not_fire(page: Page, tmp_path: Path) -> None:
    passing = page.examples[1]
    root = build_vault(tmp_path / "vault", page, passing)
    fired = [d for d in lint_example(root) if d.code == page.code]
    assert fired == []


def test_fixable_rules_show_their_fix_on_the_example(page: Page) -> None:
    fixed = page.fixed_examples
    assert bool(fixed) == RULES[page.code].fixable, "a fixable rule shows its fixed example"
    assert all(b.attrs["fixes"] in ("safe", "unsafe") for b in fixed)


def test_fixed_examples_are_what_fix_makes_of_the_firing_example(
    page: Page, tmp_path: Path
) -> None:
    """`vaultlint check --fix` (with `--unsafe-fixes` for `fixes="unsafe"`) turns the firing
    example into the block, markers aside."""
    for n, block in enumerate(page.fixed_examples):
        root = build_vault(tmp_path / f"vault{n}", page, page.examples[0])
        engine = Engine(root, load_settings(config_file_in(root)))
        outcome = fix_notes(engine, engine.run().diagnostics, block.attrs["fixes"] == "unsafe")
        assert EXAMPLE_NOTE in outcome.texts, "the fix changes nothing"
        assert _MARKER_WITH_SPACE.sub("", outcome.texts[EXAMPLE_NOTE]) == block.body


def test_context_files_are_not_examples(page: Page) -> None:
    """Every fenced block in Example is a context file or one of the two examples."""
    for block in page.blocks.get("Example", []):
        assert "file" in block.attrs or block.lang == "markdown", block


# -- the command line -------------------------------------------------------------------------


def test_rule_command_prints_the_page() -> None:
    result = run_cli("rule", "VL101")
    assert result.code == 0, result.stderr
    assert result.stdout == (REPO / "rules" / "VL101.md").read_text(encoding="utf-8")


def test_rule_command_accepts_a_rule_name() -> None:
    result = run_cli("rule", "broken-link")
    assert result.code == 0, result.stderr
    assert result.stdout == (REPO / "rules" / "VL101.md").read_text(encoding="utf-8")


def test_rule_command_rejects_an_unknown_code() -> None:
    result = run_cli("rule", "VL999")
    assert result.code == 2
    assert result.stdout == ""
    assert "VL999" in result.stderr


def test_rules_command_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip()}
    assert listed == set(RULES)
    for rule in RULES.values():
        assert rule.name in result.stdout
