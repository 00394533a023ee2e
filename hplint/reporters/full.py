"""`full` (the default): ruff's full text output, rendered with rich.

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
    related_note,
    visible,
    write_summary,
)

if TYPE_CHECKING:
    from rich.text import Text

    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext

# A span longer than this many rows shows its first rows, a `...` row and its last row.
MAX_SNIPPET_ROWS = 6

GUTTER = "bold blue"
MARK = "bold red"


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    from rich.console import Console

    console = Console(
        file=stream,
        # The CLI has decided about color; rich must neither guess nor read NO_COLOR itself.
        color_system="standard" if context.color else None,
        force_terminal=context.color,
        no_color=not context.color,
        force_jupyter=False,
        force_interactive=False,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,  # never wrap or crop: long lines stay whole, like ruff's
        legacy_windows=False,
    )
    for diagnostic in diagnostics:
        console.print(_render(diagnostic, context))
        console.print()
    write_summary(diagnostics, stream, context)


def _render(diagnostic: Diagnostic, context: ReportContext) -> Text:
    from rich.text import Text

    text = Text()
    for piece, styles in header_segments(diagnostic, context):
        text.append(piece, " ".join(styles) or None)
    snippet = _snippet_rows(diagnostic, context)
    width = len(str(max((row for row, _ in snippet), default=diagnostic.span.start.row)))
    blank_gutter = " " * width
    if snippet:
        text.append("\n")
        text.append(f"{blank_gutter} |", GUTTER)
        last_row = snippet[-1][0]
        for row, line in snippet:
            text.append("\n")
            if line is None:
                text.append(f"{blank_gutter} | ", GUTTER)
                text.append("...")
                continue
            text.append(f"{row:>{width}} | ", GUTTER)
            text.append(_shown(line))
            start, end = _marked_columns(diagnostic, row, line)
            if end <= start:
                continue
            text.append("\n")
            text.append(f"{blank_gutter} | ", GUTTER)
            text.append(" " * _display_width(line[: start - 1]))
            carets = "^" * max(1, _display_width(line[start - 1 : end - 1]))
            text.append(carets if row != last_row else f"{carets} {diagnostic.code}", MARK)
        text.append("\n")
        text.append(f"{blank_gutter} |", GUTTER)
    notes = [("note", related_note(r)) for r in diagnostic.related]
    if diagnostic.fix is not None:
        notes.append(("help", diagnostic.fix.message))
    for label, note in notes:
        text.append("\n")
        text.append(f"{blank_gutter} = ", GUTTER)
        text.append(label, "bold")
        text.append(f": {one_line(note)}")
    return text


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
