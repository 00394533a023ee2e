"""Applying fixes to one file: the step after check -> place -> suppress.

Fixes are computed on the bytes read here and applied to those same bytes, never to a file that
changed meanwhile (rewrite.py refuses to replace a file whose identity changed since it was
read). A round applies every selected fix whose edits do not overlap an edit already taken (a
conflicting fix is dropped, never merged), then the file is checked again; rounds repeat until
no selected fix is left (bounded by MAX_ROUNDS). The result must parse: if a round's output does
not, the file keeps what the previous round produced and the failure is reported.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from typing import Callable

from hplint.diagnostics import Diagnostic, Edit, Fix
from hplint.rewrite import notebook_bytes, script_bytes, split_keeping_endings
from hplint.settings import Settings
from hplint.source import SourceError, SourceFile, from_bytes

# ruff stops after 100 rounds; hplint's fixes converge in one or two, so a file still changing
# after ten is looping between two fixes.
MAX_ROUNDS = 10


@dataclass
class FixOutcome:
    original: bytes
    fixed: bytes  # equals `original` when nothing was applied
    applied: int = 0  # fixes applied, over all rounds
    fixed_codes: dict[str, int] = field(default_factory=dict)  # code -> fixes applied (--show-fixes)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what the fixed file still has
    problem: str | None = None  # why fixing stopped early (a fix that broke the code, a loop)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_bytes(
    data: bytes,
    display: str,
    relative: str,
    settings: Settings,
    selected: Callable[[Diagnostic], bool],
    notebook: bool,
) -> FixOutcome:
    """Apply the fixes `selected` accepts to `data` until none is left."""
    from hplint.engine import check_source

    outcome = FixOutcome(data, data)
    current = data
    source = from_bytes(current, display, is_notebook=notebook)
    diagnostics = check_source(source, settings, relative)
    for _ in range(MAX_ROUNDS):
        fixes = [d for d in diagnostics if d.fix is not None and selected(d)]
        if not fixes:
            break
        taken = _without_conflicts(fixes)
        try:
            candidate = _apply(current, source, taken)
            new_source = from_bytes(candidate, display, is_notebook=notebook)
        except (SourceError, ValueError) as error:
            outcome.problem = f"fixes not applied: {error}"
            break
        problem = _does_not_parse(new_source)
        if problem is not None:
            codes = ", ".join(sorted({d.code for d in taken}))
            outcome.problem = f"fixes for {codes} were not applied: they would leave code that does not parse ({problem})"
            break
        for diagnostic in taken:
            outcome.fixed_codes[diagnostic.code] = outcome.fixed_codes.get(diagnostic.code, 0) + 1
        outcome.applied += len(taken)
        current, source = candidate, new_source
        diagnostics = check_source(source, settings, relative)
    else:
        if any(d.fix is not None and selected(d) for d in diagnostics):
            outcome.problem = f"fixes still apply after {MAX_ROUNDS} rounds (two fixes undo each other?); stopped"
    outcome.fixed = current
    outcome.diagnostics = diagnostics
    return outcome


def _edit_key(edit: Edit) -> tuple:
    return (edit.start.row, edit.start.column, edit.end.row, edit.end.column)


def _without_conflicts(fixes: list[Diagnostic]) -> list[Diagnostic]:
    """The fixes to apply this round, in source order: one whose edits overlap (or insert at the
    same place as) an edit already taken is left for the next round, where it is recomputed. A fix
    identical to one taken (findings sharing a file-wide fix, HPL101's) is taken with it: it is
    applied once and counts for each of its findings, as ruff counts them."""
    taken: list[Diagnostic] = []
    spans: list[tuple[int | None, tuple, tuple]] = []
    same: set[tuple] = set()
    for diagnostic in sorted(fixes, key=lambda d: (d.cell or 0, min(_edit_key(e) for e in d.fix.edits))):
        identity = _identity(diagnostic)
        if identity in same:
            taken.append(diagnostic)
            continue
        mine = [(diagnostic.cell, _edit_key(e)[:2], _edit_key(e)[2:]) for e in diagnostic.fix.edits]
        if any(_overlap(a, b) for a in mine for b in spans) or _self_overlap(mine):
            continue
        taken.append(diagnostic)
        spans.extend(mine)
        same.add(identity)
    return taken


def _identity(diagnostic: Diagnostic) -> tuple:
    return (diagnostic.cell, diagnostic.fix.edits)


def _overlap(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    if a[1] == b[1]:
        return True  # two edits at the same place: their order would be a guess
    return a[1] < b[2] and b[1] < a[2]


def _self_overlap(spans: list[tuple]) -> bool:
    return any(_overlap(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :])


def _apply(data: bytes, source: SourceFile, fixes: list[Diagnostic]) -> bytes:
    """The bytes with the fixes' edits made: a script's text, or the changed cells' sources."""
    by_cell: dict[int | None, list[Edit]] = {}
    done: set[tuple] = set()
    for diagnostic in fixes:
        if _identity(diagnostic) not in done:  # a shared fix is applied once
            done.add(_identity(diagnostic))
            by_cell.setdefault(diagnostic.cell, []).extend(diagnostic.fix.edits)
    if not source.is_notebook:
        return script_bytes(data, source.text, apply_edits(source.text, by_cell.get(None, [])))

    cells = json.loads(data.decode("utf-8-sig"))["cells"]
    new_sources = {}
    for cell, edits in by_cell.items():
        if cell is None:
            continue
        original = cells[cell - 1].get("source", "")
        text = "".join(original) if isinstance(original, list) else original
        new_sources[cell] = apply_edits(text, edits)
    return notebook_bytes(data, new_sources)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """`text` with non-overlapping edits made (1-based rows and code-point columns, end exclusive)."""
    lines = split_keeping_endings(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(row: int, column: int) -> int:
        if row > len(lines):
            return len(text)
        return min(starts[row - 1] + column - 1, len(text))

    for edit in sorted(edits, key=_edit_key, reverse=True):
        start, end = offset(edit.start.row, edit.start.column), offset(edit.end.row, edit.end.column)
        text = text[:start] + edit.content + text[end:]
    return text


def _does_not_parse(source: SourceFile) -> str | None:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if source.is_notebook else 0
    try:
        compile(source.text, source.path, "exec", flags=ast.PyCF_ONLY_AST | flags, dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe"))
