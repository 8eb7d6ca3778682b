"""docs/editors.md: the VS Code problem matcher it shows reads real `--format concise` output."""

from __future__ import annotations

import json
import re

from tests.conftest import REPO, CliResult

EXAMPLES = REPO / "examples"


def _tasks_json() -> dict:
    page = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", page, re.S)
    (tasks,) = [json.loads(b) for b in blocks if "problemMatcher" in b]
    return tasks


def test_problem_matcher_reads_every_concise_line(cli) -> None:
    (task,) = _tasks_json()["tasks"]
    assert task["command"].startswith("vaultlint check --format concise")
    matcher = task["problemMatcher"]
    pattern = matcher["pattern"]
    regexp = re.compile(pattern["regexp"])  # VS Code reads it as a JavaScript regex

    concise: CliResult = cli(EXAMPLES, "check", "--format", "concise", "--quiet")
    expected = cli(EXAMPLES, "check", "--format", "json").json()["diagnostics"]
    lines = concise.stdout.splitlines()
    assert len(lines) == len(expected) > 0
    for line, d in zip(lines, expected, strict=True):
        m = regexp.match(line)
        assert m, line
        assert m.group(pattern["file"]) == d["path"]
        assert int(m.group(pattern["line"])) == d["line"]
        assert int(m.group(pattern["column"])) == d["column"]
        assert m.group(pattern["code"]) == d["code"]
        assert m.group(pattern["severity"]) == d["severity"]
        assert m.group(pattern["message"]) == d["message"]
    assert {d["severity"] for d in expected} == {"error", "warning"}
