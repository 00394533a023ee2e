"""`full` (the default): ruff's full text output with the source line and a caret underline.

    src/train.py:4:11: HPL101 [*] `C=10.0` is hardcoded
      |
    4 | clf = SVC(C=10.0)
      |           ^^^^^^ HPL101
      |
      = note: `X` is split into train and test at line 14
      = help: Read `C` from the configuration

One blank line follows every diagnostic, then the summary. Without a source line (no
`context.source_line`, or it returns None) only the header and the notes are printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from hplint.reporters._common import (
    TAB_WIDTH,
    header_segments,
    one_line,
    paint,
    related_note,
    visible,
    write_summary,
)

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext

# A span longer than this many rows shows its first rows, a `...` row and its last row.
MAX_SNIPPET_ROWS = 6

GUTTER = ("bold", "blue")
MARK = ("bold", "red")
NEWLINE: tuple[str, tuple[str, ...]] = ("\n", ())

Segments = list[tuple[str, tuple[str, ...]]]


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    # Printing through rich's Console took 0.7 s for 300 diagnostics (it re-wraps every line even
    # with soft wrapping on); writing the few fixed styles as ANSI codes takes 0.05 s. rich is
    # used for what it is needed for: display widths of wide and combining characters.
    for diagnostic in diagnostics:
        segments = _render(diagnostic, context)
        stream.write("".join(paint(text, *styles, enabled=context.color) for text, styles in segments))
        stream.write("\n\n")
    write_summary(diagnostics, stream, context)


def _render(diagnostic: Diagnostic, context: ReportContext) -> Segments:
    out: Segments = header_segments(diagnostic, context)
    snippet = _snippet_rows(diagnostic, context)
    width = len(str(max((row for row, _ in snippet), default=diagnostic.span.start.row)))
    blank_gutter = " " * width
    if snippet:
        out += [NEWLINE, (f"{blank_gutter} |", GUTTER)]
        last_row = snippet[-1][0]
        for row, line in snippet:
            if line is None:
                out += [NEWLINE, (f"{blank_gutter} | ", GUTTER), ("...", ())]
                continue
            out += [NEWLINE, (f"{row:>{width}} | ", GUTTER), (_shown(line), ())]
            start, end = _marked_columns(diagnostic, row, line)
            if end <= start:
                continue
            carets = "^" * max(1, _display_width(line[start - 1 : end - 1]))
            out += [NEWLINE, (f"{blank_gutter} | ", GUTTER)]
            out.append((" " * _display_width(line[: start - 1]), ()))
            out.append((carets if row != last_row else f"{carets} {diagnostic.code}", MARK))
        out += [NEWLINE, (f"{blank_gutter} |", GUTTER)]
    notes = [("note", related_note(r)) for r in diagnostic.related]
    if diagnostic.fix is not None:
        notes.append(("help", diagnostic.fix.message))
    for label, note in notes:
        out += [NEWLINE, (f"{blank_gutter} = ", GUTTER), (label, ("bold",)), (f": {one_line(note)}", ())]
    return out


def _snippet_rows(diagnostic: Diagnostic, context: ReportContext) -> list[tuple[int, str | None]]:
    """(row, source line) for the rows the span covers; None as the line stands for `...`."""
    if context.source_line is None:
        return []
    start, end = diagnostic.span.start, diagnostic.span.end
    last = max(start.row, end.row)
    if last > start.row and end.column == 1:
        last -= 1  # the span ends where the next line starts: nothing of that line is marked
    rows = list(range(start.row, last + 1))
    if len(rows) > MAX_SNIPPET_ROWS:
        rows = rows[: MAX_SNIPPET_ROWS - 2] + [0] + rows[-1:]
    snippet: list[tuple[int, str | None]] = []
    for row in rows:
        if row == 0:
            snippet.append((row, None))
            continue
        line = context.source_line(diagnostic.path, diagnostic.cell, row)
        if line is None:
            break
        snippet.append((row, line.rstrip("\r\n")))
    return snippet


def _marked_columns(diagnostic: Diagnostic, row: int, line: str) -> tuple[int, int]:
    """The 1-based code-point columns [start, end) of `line` to underline."""
    start, end = diagnostic.span.start, diagnostic.span.end
    if row == start.row:
        first = start.column
    else:
        first = len(line) - len(line.lstrip()) + 1
        if first > len(line):
            return 1, 1  # a blank line inside the span: nothing to mark
    last = end.column if row == end.row else len(line) + 1
    # An empty span (or one starting past the end of the line) still gets one caret.
    return first, max(last, first + 1)


def _shown(text: str) -> str:
    return visible(text.replace("\t", " " * TAB_WIDTH))


def _display_width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(_shown(text))
