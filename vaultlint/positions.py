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
