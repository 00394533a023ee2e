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
        header = _Header.of(gathered.module, source.text) if gathered.items else None
        if header is None:
            return None
        offset = header.offset
        row = source.text.count("\n", 0, offset) + 1
        if source.is_notebook:  # a fix's edits are all made in one cell: the constants' cell
            cell = source.to_cell(row)[0]
            gathered.items = [item for item in gathered.items if source.to_cell(item.row)[0] == cell]
            if not gathered.items:
                return None
        builder = _Constants(gathered)
    except Refusal:
        return None
    text = header.inserted(builder.block())
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


class _Header:
    """The statements before the insertion point of the codemod's `_insert` (the first statement
    after the docstring and the imports) and, for the first one after it, only its leading lines:
    the part of the file a hoist rewrites, generated once (not the whole file)."""

    def __init__(self, head: cst.Module, code: str, offset: int) -> None:
        self.head, self.code = head, code
        self.offset = offset  # where the inserted text goes: the start of those leading lines

    @classmethod
    def of(cls, module: cst.Module, text: str) -> "_Header | None":
        """None when there is nothing after the imports (no literal to hoist either) or when the
        header does not write back as the file's `text` has it: the insertion's row is counted
        in the tree's code (placement checks the round trip of the statements a fix replaces in,
        not of the header)."""
        at = _header_end(module)
        if at == len(module.body):
            return None
        stub = cst.SimpleStatementLine([cst.Pass()], leading_lines=module.body[at].leading_lines)
        head = module.with_changes(body=[*module.body[:at], stub], footer=[], has_trailing_newline=True)
        code = head.code
        offset = len(code) - len(head.code_for_node(stub))
        if not text.startswith(code[:offset]) or (offset and text[offset - 1] != "\n"):
            return None
        return cls(head, code, offset)

    def inserted(self, block: str) -> str | None:
        """The text `_insert` adds at the offset for `block`, checked to be one pure insertion."""
        after = _insert(self.head, [], block).code
        before, offset = self.code, self.offset
        size = len(after) - len(before)
        if size <= 0 or after[:offset] != before[:offset] or after[offset + size :] != before[offset:]:
            return None
        return after[offset : offset + size]
