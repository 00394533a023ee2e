"""HPL101's fix: hoist every hardcoded value of a file to a named module-level constant.

It is `extract-config --to constants` as edits, so the two never disagree: the same literals
(HPL101's own findings, without the justified and the `noqa`-suppressed ones), the same names
(`learning_rate=3e-4` -> `LEARNING_RATE`, a callee prefix or a number when names clash, never a
name the file already uses), the same place (the first statement after the docstring and the
imports) and the literal's text copied as written, so no value changes. Safe: only where a value
is written moves.

The fix is computed once per file (a shared fact: a file with fifty findings would otherwise build
fifty whole-file rewrites) and every HPL101 finding of the file carries the same fix; applying it
for one finding fixes them all (fixing.py applies identical fixes once). A file the codemod refuses
(a star import, a literal in an f-string, no free name) gets no fix. In a notebook the constants
would go where the first non-import statement is; a fix's edits are made in its finding's cell, so
the fix is offered only when that place and every literal are in one cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.codemods.extract_config import _Constants, _insert
from hplint.codemods.gather import Refusal, gather_reported
from hplint.context import FixSpec

if TYPE_CHECKING:
    from hplint.context import FileContext

APPLICABILITY = "safe"
_SHOWN_NAMES = 3


def hoist_fix(ctx: "FileContext", calls: list, loops: list) -> FixSpec | None:
    """The fix shared by all HPL101 findings of the file (`calls` and `loops` as HPL101 reports
    them), or None when the file cannot be rewritten exactly."""
    return ctx.shared("HPL101 hoist fix", lambda: _build(ctx, calls, loops))


def _build(ctx: "FileContext", calls: list, loops: list) -> FixSpec | None:
    if ctx.source.masked_lines:
        return None  # placement offers no fix on a masked notebook either
    try:
        gathered = gather_reported(ctx, calls, loops, enclosing=False)
        if not gathered.items:
            return None
        builder = _Constants(gathered)
    except Refusal:
        return None
    insertion = _insertion(gathered.module, builder.block())
    if insertion is None:
        return None
    offset, text = insertion
    row = ctx.source.text.count("\n", 0, offset) + 1
    if offset and ctx.source.text[offset - 1] != "\n":
        return None  # not at the start of a line (the header does not end with a newline)
    replacements = tuple((item.node, setting.name) for setting in builder.settings for item in setting.items)
    if ctx.source.is_notebook:
        cells = {ctx.source.to_cell(row)[0]} | {ctx.source.to_cell(item.row)[0] for s in builder.settings for item in s.items}
        if len(cells) != 1:
            return None
    names = [f"`{s.name} = {s.text}`" if "\n" not in s.text else f"`{s.name}`" for s in builder.settings]
    shown = ", ".join(names[:_SHOWN_NAMES]) + (f" and {len(names) - _SHOWN_NAMES} more" if len(names) > _SHOWN_NAMES else "")
    count = len(builder.settings)
    message = f"Hoist the file's hardcoded value{'s' if count > 1 else ''} to module-level constant{'s' if count > 1 else ''}: {shown}"
    return FixSpec(message, replacements, APPLICABILITY, insertions=((row, text),))


def _insertion(module: cst.Module, block: str) -> tuple[int, str] | None:
    """Where the codemod's `_insert` puts `block`, as (offset in the module's code, text inserted).

    `_insert` is run on the header alone (the statements before the insertion point and, for the
    first one after it, only its leading lines), so this costs the header's code generation, not
    the whole file's; the result is checked to be one pure insertion."""
    from hplint.codemods.extract_config import _header_end

    at = _header_end(module)
    body = list(module.body)
    if at == len(body):
        return None  # nothing after the imports: no literal to hoist either
    stub = cst.SimpleStatementLine([cst.Pass()], leading_lines=body[at].leading_lines)
    head = module.with_changes(body=[*body[:at], stub], footer=[], has_trailing_newline=True)
    before = head.code
    after = _insert(head, [], block).code
    offset = len(module.with_changes(body=body[:at], footer=[], has_trailing_newline=True).code)
    size = len(after) - len(before)
    if size <= 0 or after[:offset] != before[:offset] or after[offset + size :] != before[offset:]:
        return None
    return offset, after[offset : offset + size]
