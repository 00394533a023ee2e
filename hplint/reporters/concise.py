"""`concise`: one line per diagnostic, `path:row:col: CODE [*] message`, then ruff's summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from hplint.reporters._common import header_segments, paint, write_summary

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    for diagnostic in diagnostics:
        segments = header_segments(diagnostic, context)
        stream.write("".join(paint(text, *styles, enabled=context.color) for text, styles in segments))
        stream.write("\n")
    write_summary(diagnostics, stream, context)
