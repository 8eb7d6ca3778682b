"""Inline suppressions: `<!-- vaultlint-disable VL101 -->` and friends, also in `%% ... %%`.

- `vaultlint-disable [CODES]` ... `vaultlint-enable [CODES]`: lines from the comment on.
- `vaultlint-disable-next-line [CODES]`: the line after the comment.
- `vaultlint-disable-file [CODES]`: the whole note.
CODES are codes, prefixes or names separated by spaces or commas; none means every rule.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
    _plans: dict[str, _Plan] | None = None  # per rule code, made on first use

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

    def __getstate__(self) -> dict[str, object]:
        return {"directives": self.directives}  # the plans are made again on use

    def suppressed(self, rule: Rule, line: int) -> bool:
        if self._plans is None:
            self._plans = {}
        plan = self._plans.get(rule.code)
        if plan is None:
            plan = self._plans[rule.code] = _Plan([d for d in self.directives if d.covers(rule)])
        return plan.suppressed(line)


class _Plan:
    """The directives that cover one rule, arranged to answer for a line in logarithmic time
    (a note of many directives and many diagnostics must not cost their product)."""

    def __init__(self, directives: list[Directive]) -> None:
        self.whole_file = any(d.kind == "disable-file" for d in directives)
        self.next_lines = {d.line for d in directives if d.kind == "disable-next-line"}
        ranges = [d for d in directives if d.kind in ("disable", "enable")]
        self.lines = [d.line for d in ranges]  # in order: comments are sorted by offset
        self.disabled = [d.kind == "disable" for d in ranges]

    def suppressed(self, line: int) -> bool:
        if self.whole_file or line in self.next_lines:
            return True
        last = bisect_right(self.lines, line) - 1  # the last disable or enable at or above
        return last >= 0 and self.disabled[last]
