"""The server's only door into hplint's engine: a snapshot in, hplint diagnostics out.

Linting is the engine's `check_source`, exactly what `hplint check` and `--stdin-filename` run;
nothing here re-implements a rule. A script is checked as its text; a notebook is rebuilt as an
nbformat 4 document from its cells and read by `hplint.source` like an `.ipynb` file, so magics are
masked and rows map to cells the same way. Every engine import is in this module.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import traceback
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from hplint.diagnostics import ALWAYS_REPORTED, UNUSED_NOQA, Diagnostic, internal_error
from hplint.engine import check_source
from hplint.incremental import StatementCache
from hplint.parsing import source_error_diagnostic
from hplint.server.documents import CODE, MARKDOWN, Snapshot
from hplint.settings import Settings
from hplint.source import SourceError, SourceFile, notebook_from_bytes

__all__ = ["ALWAYS_REPORTED", "UNUSED_NOQA", "LintResult", "lint"]

logger = logging.getLogger(__name__)

# What a .py file cannot hold (as hplint.source refuses it in notebook cells): NUL and unpaired
# UTF-16 surrogates, which an editor can send but no UTF-8 file can contain.
_NOT_SOURCE_TEXT = re.compile("[\x00\ud800-\udfff]")


@dataclass
class LintResult:
    snapshot: Snapshot
    diagnostics: list[Diagnostic]
    source: SourceFile | None = None  # None when the text could not be read as Python
    settings: Settings | None = None
    extra: dict = field(default_factory=dict)  # per-result caches of the code actions

    @cached_property
    def masked(self) -> frozenset[tuple[int | None, int]]:
        """(cell, row) of the lines hplint replaced by `pass` (IPython magics)."""
        if self.source is None:
            return frozenset()
        return frozenset(self.source.to_cell(row) for row in self.source.masked_lines)


def lint(
    snapshot: Snapshot,
    settings: Settings,
    relative: str,
    display: str,
    statements: StatementCache | None = None,
    fix_policy: Callable[[Diagnostic], Diagnostic] | None = None,
    fixes: bool = True,
) -> LintResult:
    """All diagnostics of a snapshot. Never raises: a failure is an HPL903 diagnostic.
    `statements`, the document's own cache, re-parses only the top-level statements that changed
    since its last lint (see hplint/incremental.py); the diagnostics are the same. `fix_policy`
    (the configuration's fix keys) is applied to each diagnostic, so a fix reclassified unsafe is
    neither a preferred quick fix nor part of "fix all". Without `fixes`, no fix is computed (the
    diagnostics are otherwise the same)."""
    try:
        source = build_source(snapshot, display)
    except SourceError as error:
        return LintResult(snapshot, [source_error_diagnostic(display, error)], None, settings)
    except Exception as error:  # noqa: BLE001 - a bug while reading: this document only
        return LintResult(snapshot, [_internal_error(display, error)], None, settings)
    # Syntax trees are large and acyclic: the cyclic collector would walk them again and again
    # while they are built (see engine._check_chunk); it runs once afterwards instead.
    enabled = gc.isenabled()
    gc.disable()
    try:
        diagnostics = check_source(source, settings, relative, statements=statements, fixes=fixes)
    except Exception as error:  # noqa: BLE001 - check_source reports its own failures; belt and braces
        diagnostics = [_internal_error(display, error)]
        if statements is not None:
            statements.clear()
    finally:
        if enabled:
            gc.enable()
    if fix_policy is not None:
        diagnostics = [fix_policy(d) for d in diagnostics]
    diagnostics.sort(key=Diagnostic.sort_key)
    return LintResult(snapshot, diagnostics, source, settings)


def build_source(snapshot: Snapshot, display: str) -> SourceFile:
    if not snapshot.notebook:
        text = snapshot.parts[0].text
        bad = _NOT_SOURCE_TEXT.search(text)
        if bad is not None:
            before = text[: bad.start()].replace("\r\n", "\n").replace("\r", "\n").split("\n")
            what = "a NUL character" if bad.group() == "\x00" else f"an unpaired surrogate (U+{ord(bad.group()):04X})"
            raise SourceError(f"source contains {what}; the file was not checked", row=len(before), column=len(before[-1]) + 1)
        return SourceFile(path=display, text=text)
    cells = []
    for part in snapshot.parts:
        cell_type = "code" if part.kind == CODE else "markdown" if part.kind == MARKDOWN else "raw"
        cells.append({"cell_type": cell_type, "source": part.text, "metadata": {}})
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return notebook_from_bytes(json.dumps(document).encode("ascii"), display)


def _internal_error(display: str, error: BaseException) -> Diagnostic:
    logger.error("hplint failed on %s:\n%s", display, traceback.format_exc())
    detail = " ".join(str(error).split())[:200]
    return internal_error(display, "while checking this document", f"{type(error).__name__}: {detail}",
                          "It was not checked", "the server's log has the traceback")
