"""`vaultlint lsp` with one extra, test-only rule that has a fix, for the code-action tests
(tests/test_lsp.py runs this file as the server)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from vaultlint.cli import main
from vaultlint.diagnostics import Edit, Fix
from vaultlint.note import Note
from vaultlint.rules import CHECKS, RULES, CheckSpec, Context, Report, Rule

TYPO = Rule("VL999", "test-typo", "The word 'teh' (a test-only rule).", fixable=True)


def check(note: Note, ctx: Context) -> Iterator[Report]:
    for m in re.finditer(r"\bteh\b", note.text):
        fix = Fix((Edit(m.start(), m.end(), "the"),), safe=True, title="Replace with 'the'")
        yield Report(TYPO, m.start(), m.end(), "'teh' is a typo", fix)


CHECKS.append(CheckSpec((TYPO,), check))
RULES[TYPO.code] = TYPO

if __name__ == "__main__":
    sys.exit(main(["lsp", *sys.argv[1:]]))
