"""`gitlab`: a GitLab Code Quality report (a subset of Code Climate's issue format).

    [{"description": "HPL101: message", "check_name": "HPL101", "fingerprint": "<sha256>",
      "severity": "major", "location": {"path": "src/train.py",
      "positions": {"begin": {"line", "column"}, "end": {"line", "column"}}}}]

GitLab does not show `check_name`, so the description starts with the code (as ruff does).
Fingerprints identify a finding across commits, so they hash the path, code and message plus the
finding's ordinal among identical (path, code, message) triples, never its line: editing code above
a finding does not make GitLab report it as fixed and new. Paths are relative to
`$CI_PROJECT_DIR` when it is set and contains the file (GitLab matches them against the
repository), else as given. Notebooks: positions are rows in the cell, and the description names
the cell (`HPL101: cell 3: message`).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any, TextIO

from hplint.reporters._common import posix_path

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic
    from hplint.reporters import ReportContext

# GitLab's levels are info, minor, major, critical, blocker. A finding is a problem in the code
# ("major", like every ruff finding); an error means the file could not be checked at all.
SEVERITIES = {"error": "critical", "warning": "major"}


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    stream.write(json.dumps(issues(diagnostics), indent=2) + "\n")


def issues(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    project_dir = os.environ.get("CI_PROJECT_DIR")
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for d in diagnostics:
        path = project_path(d.path, project_dir)
        key = (path, d.code, d.message)
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        start, end = d.span.start, d.span.end
        where = f"cell {d.cell}: " if d.cell is not None else ""
        result.append(
            {
                "description": f"{d.code}: {where}{d.message}",
                "check_name": d.code,
                "fingerprint": fingerprint(path, d.code, d.message, ordinal),
                "severity": SEVERITIES.get(d.severity, "minor"),
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": start.row, "column": start.column},
                        "end": {"line": end.row, "column": end.column},
                    },
                },
            }
        )
    return result


def fingerprint(path: str, code: str, message: str, ordinal: int) -> str:
    data = "\0".join((path, code, message, str(ordinal)))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def project_path(path: str, project_dir: str | None) -> str:
    if project_dir:
        try:
            relative = os.path.relpath(os.path.abspath(path), os.path.abspath(project_dir))
        except ValueError:  # another drive on Windows
            relative = os.pardir
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return posix_path(relative)
    return posix_path(path)
