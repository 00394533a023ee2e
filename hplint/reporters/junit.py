"""`junit`: JUnit XML like ruff's: a testsuite per file, a failing testcase per diagnostic.

    <testsuites name="hplint" tests="1" failures="1" errors="0">
        <testsuite name="src/train.py" tests="1" disabled="0" errors="0" failures="1" package="org.hplint">
            <testcase name="org.hplint.HPL101" classname="src/train" line="4" column="9">
                <failure message="...">line 4, col 9, ...</failure>

Without diagnostics there is one passing testcase ("No errors found"), so CI shows a green run
rather than an empty report. Notebook locations read `cell 3, line 2, col 5`. The document is
ASCII (other characters as character references) and characters XML 1.0 cannot carry at all
(most control characters) are written as `\\xNN` escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, TextIO

from hplint.reporters._common import place, posix_path, related_note

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext

PACKAGE = "org.hplint"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(render(diagnostics) + "\n")


def render(diagnostics: list[Diagnostic]) -> str:
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = len(diagnostics)
    root = ET.Element(
        "testsuites",
        {"name": "hplint", "tests": str(max(1, failures)), "failures": str(failures), "errors": "0"},
    )
    if not by_file:
        suite = _suite(root, "hplint", tests=1, failures=0)
        ET.SubElement(suite, "testcase", {"name": "No errors found", "classname": "hplint"})
    for path, file_diagnostics in by_file.items():
        suite = _suite(root, _xml(path), tests=len(file_diagnostics), failures=len(file_diagnostics))
        posix = PurePosixPath(posix_path(path))
        classname = _xml(str(posix.parent / posix.stem))
        for d in file_diagnostics:
            start = d.span.start
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "name": f"{PACKAGE}.{d.code}",
                    "classname": classname,
                    "line": str(start.row),
                    "column": str(start.column),
                },
            )
            failure = ET.SubElement(case, "failure", {"message": _xml(d.message)})
            failure.text = _xml(_description(d))
    ET.indent(root, space="    ")
    return ET.tostring(root, encoding="us-ascii", xml_declaration=False).decode("ascii")


def _suite(root: ET.Element, name: str, tests: int, failures: int) -> ET.Element:
    return ET.SubElement(
        root,
        "testsuite",
        {
            "name": name,
            "tests": str(tests),
            "disabled": "0",
            "errors": "0",
            "failures": str(failures),
            "package": PACKAGE,
        },
    )


def _description(d: Diagnostic) -> str:
    text = f"{place(d.cell, d.span.start.row)}, col {d.span.start.column}, {d.message}"
    notes = [f"note: {related_note(r)}" for r in d.related]
    if d.fix is not None:
        notes.append(f"help: {d.fix.message}")
    return "\n\n".join([text, "\n".join(notes)]) if notes else text


def _xml(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (shown as escapes instead)."""
    return _NOT_XML.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
