"""Inline suppressions: `<!-- vaultlint-disable VL101 -->` and friends, also in `%% ... %%`.

- `vaultlint-disable [CODES]` ... `vaultlint-enable [CODES]`: lines from the comment on.
- `vaultlint-disable-next-line [CODES]`: the line after the comment.
- `vaultlint-disable-file [CODES]`: the whole note.
CODES are codes, prefixes or names separated by spaces or commas; none means every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vaultlint.markdown.model import Comment
from vaultlint.positions import LineIndex
from vaultlint.rules import Rule, selector_matches

_DIRECTIVE = re.compile(
    r"\s*vaultlint-(disable-next-line|disable-file|disable|enable)(?![\w-])([^\n]*)", re.S
)


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str
    line: int
    selectors: tuple[str, ...]  # empty: every rule

    def covers(self, rule: Rule) -> bool:
        return not self.selectors or any(selector_matches(s, rule) for s in self.selectors)


class Suppressions:
    def __init__(self, comments: list[Comment], lines: LineIndex) -> None:
        self.directives: list[Directive] = []
        for comment in sorted(comments, key=lambda c: c.start):
            m = _DIRECTIVE.match(comment.text)
            if m:
                selectors = tuple(s for s in re.split(r"[\s,]+", m.group(2).strip()) if s)
                line = lines.position(comment.start)[0]
                if m.group(1) == "disable-next-line":
                    line = lines.position(comment.end)[0] + 1
                self.directives.append(Directive(m.group(1), line, selectors))

    def __bool__(self) -> bool:
        return bool(self.directives)

    def suppressed(self, rule: Rule, line: int) -> bool:
        disabled = False
        for d in self.directives:
            if not d.covers(rule):
                continue
            if d.kind == "disable-file" or (d.kind == "disable-next-line" and d.line == line):
                return True
            if d.line <= line and d.kind in ("disable", "enable"):
                disabled = d.kind == "disable"
        return disabled
