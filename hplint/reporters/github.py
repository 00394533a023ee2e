"""`github`: GitHub Actions workflow commands, one annotation per diagnostic.

    ::warning title=hplint (HPL101),file=src/train.py,line=4,col=9,endLine=4,endColumn=21::message

Data and properties are escaped as the Actions toolkit does (`%`, CR and LF in the message; also
`:` and `,` in properties), so a message can neither end the command early nor start another.
The message repeats the concise line (`src/train.py:4:9: HPL101 message`, like ruff) because
GitHub shows at most 10 error and 10 warning annotations per step: the rest appear only in the
step's log, which prints the message without the file and line properties. Notebooks: `line` is
the row in the cell and the cell is in the message (`nb.ipynb:cell 3:2:5: HPL101 ...`), since
GitHub has no notion of cells. Related locations follow on their own lines. A closing plain line
says how many findings there were in total, and how many GitHub did not annotate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from hplint.reporters._common import cell_segment, plural, posix_path, related_note

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext

# Annotations of one kind GitHub displays per step (the rest only appear in the log).
ANNOTATION_LIMIT = 10

_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def escape_data(text: str) -> str:
    return text.translate(_DATA_ESCAPES)


def escape_property(text: str) -> str:
    return text.translate(_PROPERTY_ESCAPES)


def command(d: Diagnostic) -> str:
    kind = "error" if d.severity == "error" else "warning"
    start, end = d.span.start, d.span.end
    properties = {
        "title": f"hplint ({d.code})",
        "file": posix_path(d.path),
        "line": str(start.row),
        "col": str(start.column),
        "endLine": str(end.row),
        "endColumn": str(end.column),
    }
    location = f"{d.path}:{cell_segment(d)}{start.row}:{start.column}"
    lines = [f"{location}: {d.code} {d.message}", *(f"note: {related_note(r)}" for r in d.related)]
    message = "\n".join(lines)
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{kind} {joined}::{escape_data(message)}"


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    stream.writelines(command(d) + "\n" for d in diagnostics)
    if not context.quiet:
        stream.write(summary(diagnostics) + "\n")


def summary(diagnostics: list[Diagnostic]) -> str:
    if not diagnostics:
        return "hplint: no findings."
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    text = f"hplint: {plural(len(diagnostics), 'finding')} ({plural(errors, 'error')}, {plural(warnings, 'warning')})."
    unshown = max(0, errors - ANNOTATION_LIMIT) + max(0, warnings - ANNOTATION_LIMIT)
    if unshown:
        text += (
            f" GitHub annotates at most {ANNOTATION_LIMIT} errors and {ANNOTATION_LIMIT} warnings"
            f" per step: {unshown} more are only in this log."
        )
    return text
