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
(a star import, no free name) gets no fix; a literal inside an f-string is left where it is, and a
finding the fix does not wholly move gets no fix (`covers`). In a notebook the constants go where
the first statement after the imports is, and a fix's edits are made in its finding's cell: only
the literals of that cell are hoisted (findings in later cells get no fix).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.codemods.extract_config import _Constants, _header_end, _insert
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
    source = ctx.source
    if source.masked_lines:
        return None  # placement offers no fix on a masked notebook either
    try:
        gathered = gather_reported(ctx, calls, loops, enclosing=False)
        offset = _insertion_offset(gathered.module)
        if not gathered.items or offset is None or (offset and source.text[offset - 1] != "\n"):
            return None
        row = source.text.count("\n", 0, offset) + 1
        if source.is_notebook:  # a fix's edits are all made in one cell: the constants' cell
            cell = source.to_cell(row)[0]
            gathered.items = [item for item in gathered.items if source.to_cell(item.row)[0] == cell]
            if not gathered.items:
                return None
        builder = _Constants(gathered)
    except Refusal:
        return None
    text = _inserted(gathered.module, builder.block(), offset, source.text)
    if text is None:
        return None
    replacements = tuple((item.node, setting.name) for setting in builder.settings for item in setting.items)
    names = [f"`{s.name} = {s.text}`" if "\n" not in s.text else f"`{s.name}`" for s in builder.settings]
    shown = ", ".join(names[:_SHOWN_NAMES]) + (f" and {len(names) - _SHOWN_NAMES} more" if len(names) > _SHOWN_NAMES else "")
    plural = "s" if len(names) > 1 else ""
    message = f"Hoist the file's hardcoded value{plural} to module-level constant{plural}: {shown}"
    return FixSpec(message, replacements, APPLICABILITY, insertions=((row, text),))


def covers(fix: FixSpec | None, nodes: list[cst.CSTNode]) -> bool:
    """Whether `fix` moves every one of a finding's literals (else the finding gets no fix)."""
    if fix is None:
        return False
    moved = {id(node) for node, _ in fix.replacements}
    return all(id(node) in moved for node in nodes)


def _insertion_offset(module: cst.Module) -> int | None:
    """The offset in the module's code where the codemod's `_insert` puts its statements: the
    start of the leading lines of the first statement after the docstring and the imports."""
    at = _header_end(module)
    if at == len(module.body):
        return None  # nothing after the imports: no literal to hoist either
    return len(module.with_changes(body=module.body[:at], footer=[], has_trailing_newline=True).code)


def _inserted(module: cst.Module, block: str, offset: int, text: str) -> str | None:
    """The text the codemod's `_insert` adds at `offset` for `block`.

    `_insert` is run on the header alone (the statements before the insertion point and, for the
    first one after it, only its leading lines), so this costs the header's code generation, not
    the whole file's; the result is checked to be one pure insertion at `offset`. The header must
    write back as the file's `text` has it: the insertion's row is counted in the tree's code
    (placement checks the round trip of the statements a fix replaces in, not of the header)."""
    at = _header_end(module)
    stub = cst.SimpleStatementLine([cst.Pass()], leading_lines=module.body[at].leading_lines)
    head = module.with_changes(body=[*module.body[:at], stub], footer=[], has_trailing_newline=True)
    before = head.code
    if not text.startswith(before[:offset]):
        return None
    after = _insert(head, [], block).code
    size = len(after) - len(before)
    if size <= 0 or after[:offset] != before[:offset] or after[offset + size :] != before[offset:]:
        return None
    return after[offset : offset + size]
