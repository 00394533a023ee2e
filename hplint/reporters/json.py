"""`json` and `json-lines`: ruff's JSON objects, plus hplint's `name`, `severity` and `related`.

    {"code", "name", "message", "filename", "location": {"row", "column"},
     "end_location": {"row", "column"}, "severity", "url",
     "fix": null | {"message", "applicability", "edits": [{"content", "location", "end_location"}]},
     "noqa_row", "cell": null | int,
     "related": [{"message", "location", "end_location", "cell"}]}

Rows and columns are 1-based, columns count code points, ends are exclusive; in notebooks rows
are relative to `cell`. The output is ASCII (non-ASCII text as \\u escapes), so it survives any
console or pipe encoding.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic, Position
    from hplint.reporters import ReportContext


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    stream.write(json.dumps([to_json(d) for d in diagnostics], indent=2) + "\n")


def write_lines(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    stream.writelines(json.dumps(to_json(d), separators=(",", ":")) + "\n" for d in diagnostics)


def to_json(d: Diagnostic) -> dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {
            "message": d.fix.message,
            "applicability": d.fix.applicability,
            "edits": [
                {"content": e.content, "location": _position(e.start), "end_location": _position(e.end)}
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": d.path,
        "location": _position(d.span.start),
        "end_location": _position(d.span.end),
        "severity": d.severity,
        "url": d.url,
        "fix": fix,
        "noqa_row": d.noqa_row,
        "cell": d.cell,
        "related": [
            {
                "message": r.message,
                "location": _position(r.span.start),
                "end_location": _position(r.span.end),
                "cell": r.cell,
            }
            for r in d.related
        ],
    }


def _position(position: Position) -> dict[str, int]:
    return {"row": position.row, "column": position.column}
