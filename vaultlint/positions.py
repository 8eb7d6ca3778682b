"""Offsets to 1-based lines and columns (columns count Unicode code points)."""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    """Line starts of a text whose line breaks are '\\n' (see `note.normalise_newlines`)."""

    __slots__ = ("length", "starts")

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of the character at `offset`."""
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_start(self, line0: int) -> int:
        """Offset of the first character of 0-based line `line0`."""
        return self.starts[min(line0, len(self.starts) - 1)]

    def line_end(self, line0: int) -> int:
        """Offset just past the last character of 0-based line `line0` (before its '\\n')."""
        if line0 + 1 < len(self.starts):
            return self.starts[line0 + 1] - 1
        return self.length


def utf16_column(line_text: str, column: int) -> int:
    """The 1-based column in UTF-16 code units (LSP, SARIF) of the 1-based code-point
    `column` in `line_text`. A character outside the Basic Multilingual Plane (most emoji) is
    two UTF-16 units; a column past the end of the line counts one unit per missing character."""
    before = line_text[: column - 1]
    astral = sum(1 for ch in before if ord(ch) > 0xFFFF)
    return column + astral
