"""LSP positions and hplint's, converted per line.

LSP counts lines from 0 and columns in code units of the negotiated encoding (UTF-16 unless the
client offers another: an emoji is 2 UTF-16 units, 4 UTF-8 bytes, 1 code point). hplint counts
rows from 1 and columns in code points from 1. Both split lines at `\\n`, `\\r\\n` and a lone
`\\r` only (a form feed or U+2028 ends no line), so line numbers agree and only columns need
converting. Nothing here imports pygls: the conversions are tested on their own.
"""

from __future__ import annotations

import re
from bisect import bisect_right

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)

_LINE_END = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """The length of `text` in the encoding's code units."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_client(line: str, column: int, encoding: str) -> int:
    """Code-point offset `column` (0-based) in `line` -> code units. Past the end: the line's end."""
    column = max(0, min(column, len(line)))
    if encoding == UTF32 or line.isascii():
        return column
    return units(line[:column], encoding)


def from_client(line: str, character: int, encoding: str) -> int:
    """Code units `character` in `line` -> code-point offset (0-based). A position inside a
    character (half of a surrogate pair) falls back to that character's start; past the end, the
    line's end (as the LSP specification says)."""
    if character <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(character, len(line))
    if encoding == UTF8:
        data = line.encode("utf-8", "surrogatepass")
        return len(data[:character].decode("utf-8", "ignore"))
    data = line.encode("utf-16-le", "surrogatepass")
    return len(data[: 2 * character].decode("utf-16-le", "ignore"))


def split_lines(text: str) -> list[str]:
    """Lines without their ends, as LSP numbers them: a text ending with a line end has an empty
    last line (where the cursor sits), unlike `str.splitlines()`."""
    return _LINE_END.split(text)


class LineIndex:
    """Offsets of line starts in a text, to turn (line, character) into string offsets."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in _LINE_END.finditer(text)]

    def line(self, number: int) -> str:
        """The text of 0-based line `number`, without its end ("" past the last line)."""
        if not 0 <= number < len(self.starts):
            return ""
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, character: int, encoding: str) -> int:
        """The string offset of an LSP position; clamped into the text."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + from_client(self.line(line), character, encoding)

    def position(self, offset: int, encoding: str) -> tuple[int, int]:
        """The LSP (line, character) of a string offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, units(self.text[start:offset], encoding)


def apply_change(text: str, start: tuple[int, int], end: tuple[int, int], new: str, encoding: str) -> str:
    """`text` with the LSP range [start, end) replaced by `new` (an incremental didChange)."""
    index = LineIndex(text)
    first = index.offset(*start, encoding)
    last = max(first, index.offset(*end, encoding))
    return text[:first] + new + text[last:]
