"""`sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Decisions:
- `tool.driver.rules` lists the rules that appear in the results (sorted by code), not every
  registered rule: the reporter does not know which rules were enabled, so listing all of them
  would claim checks that did not run; it also keeps the file small and every entry referenced.
  `ruleIndex` points into that list.
- Columns count Unicode code points (`run.columnKind` says so; SARIF's default is UTF-16 units)
  and `endColumn` is exclusive, exactly hplint's convention.
- Relative paths are URIs relative to `%SRCROOT%` (the repository root for code scanning);
  absolute paths become `file://` URIs.
- Notebooks: SARIF has no cells, so regions use rows within the cell, the message ends with
  ` (cell 3)` and `properties.cell` carries the number. Fixes are included for scripts only
  (cell rows would edit the wrong lines of the .ipynb file).
- Brackets that would read as SARIF embedded links (`[text](target)`) are escaped in messages.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from hplint import __version__
from hplint.diagnostics import DOCS_URL
from hplint.reporters._common import posix_path

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic, Edit, Position, Span
    from hplint.reporters import ReportContext
    from hplint.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/hplint/hplint"
LEVELS = {"error": "error", "warning": "warning"}  # any other severity is a "note"

_EMBEDDED_LINK = re.compile(r"\[([^\[\]]*)\](?=\()")


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    stream.write(json.dumps(document(diagnostics), indent=2) + "\n")


def document(diagnostics: list[Diagnostic]) -> dict[str, Any]:
    codes = sorted({d.code for d in diagnostics})
    index = {code: position for position, code in enumerate(codes)}
    example = {d.code: d for d in diagnostics}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hplint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(code, example[code]) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }


def rule_descriptor(code: str, diagnostic: Diagnostic) -> dict[str, Any]:
    """The rule's metadata from the registry (falls back on the diagnostic for unknown codes)."""
    from hplint.rules import get

    rule = get(code)
    name = rule.name if rule is not None else diagnostic.name
    summary = rule.summary if rule is not None else diagnostic.name
    documentation = rule.documentation() if rule is not None else summary
    severity = rule.severity if rule is not None else diagnostic.severity
    descriptor: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _what_it_does(rule) or summary},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": DOCS_URL.format(code=code),
        "defaultConfiguration": {"level": LEVELS.get(severity, "note")},
    }
    if rule is not None:
        descriptor["properties"] = {"tags": [rule.family()]}
    return descriptor


def result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVELS.get(d.severity, "note"),
        "message": {"text": _message(d.message, d.cell)},
        "locations": [{"physicalLocation": _physical_location(d.path, d.span)}],
    }
    if d.related:
        entry["relatedLocations"] = [
            {
                "id": number,
                "message": {"text": _message(r.message, r.cell)},
                "physicalLocation": _physical_location(d.path, r.span),
            }
            for number, r in enumerate(d.related)
        ]
    if d.fix is not None and d.cell is None:
        entry["fixes"] = [
            {
                "description": {"text": d.fix.message},
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact_location(d.path),
                        "replacements": [_replacement(edit) for edit in d.fix.edits],
                    }
                ],
            }
        ]
    if d.cell is not None:
        entry["properties"] = {"cell": d.cell}
    return entry


def _message(text: str, cell: int | None) -> str:
    text = _EMBEDDED_LINK.sub(r"\\[\1\\]", text)
    return f"{text} (cell {cell})" if cell is not None else text


def _physical_location(path: str, span: Span) -> dict[str, Any]:
    return {"artifactLocation": _artifact_location(path), "region": _region(span.start, span.end)}


def _artifact_location(path: str) -> dict[str, str]:
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(posix_path(path), safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(start: Position, end: Position) -> dict[str, int]:
    return {
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    replacement: dict[str, Any] = {"deletedRegion": _region(edit.start, edit.end)}
    if edit.content:
        replacement["insertedContent"] = {"text": edit.content}
    return replacement


def _what_it_does(rule: type[Rule] | None) -> str:
    """The `## What it does` section of the rule's docs, as one paragraph of text."""
    if rule is None:
        return ""
    match = re.search(r"^## What it does\s*$(.*?)(?=^## |\Z)", textwrap.dedent(rule.doc), re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""
