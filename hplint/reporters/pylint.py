"""`pylint`: ruff's pylint-style lines, `path:row: [CODE] message` (`path:cell 3:row: ...`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from hplint.reporters._common import cell_segment, one_line, visible

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    # No summary line: tools that read pylint's format expect only the message lines.
    for d in diagnostics:
        location = f"{visible(d.path)}:{cell_segment(d)}{d.span.start.row}"
        stream.write(f"{location}: [{d.code}] {one_line(d.message)}\n")
