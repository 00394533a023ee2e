"""Code actions and hover: a rule's fix, "suppress HPLxxx on this line", fix all, the rule's summary.

The noqa comment goes where `--add-noqa` puts it (the diagnostic's `noqa_row`, merged with a
`# noqa: X` already there, never on a line that continues inside a string or after a backslash,
never on a masked IPython magic). Fixes are consumed generically from `Diagnostic.fix`: a safe or
unsafe fix is offered as a quick fix (unsafe ones say so), display-only fixes are not applied;
`source.fixAll.hplint` applies the safe fixes (and the unsafe ones when the configuration says
`unsafe-fixes = true`) that do not overlap, relints, and repeats (as ruff does), then sends each changed document's edit, keeping the result only while it still parses.
"""

from __future__ import annotations

from typing import Callable

from lsprotocol import types

from hplint.add_noqa import _rows_that_cannot_take_a_comment, _with_directive
from hplint.diagnostics import Diagnostic, Span
from hplint.server import positions
from hplint.server.convert import Entry, Placer
from hplint.server.documents import Part, Snapshot
from hplint.server.linting import ALWAYS_REPORTED, UNUSED_NOQA, LintResult

FIX_ALL_KIND = "source.fixAll.hplint"
MAX_FIX_PASSES = 10
_SYNTAX_ERROR = "HPL901"


def overlaps(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line,
        b.start.character,
    ) <= (a.end.line, a.end.character)


def quick_fixes(result: LintResult, found: list[Entry], uri: str, wanted: types.Range, encoding: str) -> list[types.CodeAction]:
    placer = Placer(result.snapshot, encoding)
    actions: list[types.CodeAction] = []
    for entry in found:
        if entry.uri != uri or not overlaps(entry.lsp.range, wanted):
            continue
        fix_action = _fix_action(entry, placer)
        if fix_action is not None:
            actions.append(fix_action)
        noqa = noqa_action(result, entry, placer)
        if noqa is not None:
            actions.append(noqa)
    return actions


def _fix_action(entry: Entry, placer: Placer) -> types.CodeAction | None:
    fix = entry.diagnostic.fix
    if fix is None or fix.applicability == "display-only":
        return None
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in fix.edits:
        uri = placer.uri_of(getattr(edit, "cell", None) or entry.diagnostic.cell)
        changes.setdefault(uri, []).append(
            types.TextEdit(range=placer.range(uri, Span(edit.start, edit.end)), new_text=edit.content)
        )
    unsafe = fix.applicability == "unsafe"
    return types.CodeAction(
        title=f"hplint ({entry.diagnostic.code}): {fix.message}" + (" (unsafe fix)" if unsafe else ""),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[entry.lsp],
        edit=types.WorkspaceEdit(changes=changes),
        is_preferred=not unsafe,
    )


def noqa_action(result: LintResult, entry: Entry, placer: Placer) -> types.CodeAction | None:
    diagnostic = entry.diagnostic
    if diagnostic.code in ALWAYS_REPORTED or diagnostic.code == UNUSED_NOQA:
        return None  # syntax and internal errors cannot be suppressed
    row = diagnostic.noqa_row or diagnostic.span.start.row
    if (diagnostic.cell, row) in result.masked:
        return None
    part = result.snapshot.part(diagnostic.cell)
    if part is None:
        return None
    index = placer.index(part.uri)
    if row - 1 >= len(index.starts) or row in _unsafe_rows(result, part):
        return None
    line = index.line(row - 1)
    updated = _with_directive(line, {diagnostic.code})
    if updated is None:
        return None
    edit = minimal_edit(part.uri, line, updated, row - 1, placer.encoding)
    return types.CodeAction(
        title=f"hplint ({diagnostic.code}): Suppress {diagnostic.code} on this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[entry.lsp],
        edit=types.WorkspaceEdit(changes={part.uri: [edit]}),
    )


def _unsafe_rows(result: LintResult, part: Part) -> dict[int, str]:
    cache = result.extra.setdefault("unsafe_rows", {})
    found = cache.get(part.uri)
    if found is None:
        count = len(positions.split_lines(part.text))
        found = cache[part.uri] = _rows_that_cannot_take_a_comment(part.text, 1, count)
    return found


def minimal_edit(uri: str, old: str, new: str, first_line: int, encoding: str) -> types.TextEdit:
    """One TextEdit turning `old` (a text starting at `first_line`) into `new`, trimmed to the
    part that differs."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    index = positions.LineIndex(old)
    start_line, start_character = index.position(prefix, encoding)
    end_line, end_character = index.position(len(old) - suffix, encoding)
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=first_line + start_line, character=start_character),
            end=types.Position(line=first_line + end_line, character=end_character),
        ),
        new_text=new[prefix : len(new) - suffix],
    )


def fixable_by_fix_all(diagnostic: Diagnostic, unsafe: bool = False) -> bool:
    """Whether "fix all" applies the diagnostic's fix: a safe one, or an unsafe one when the
    configuration says `unsafe-fixes = true` (as `hplint check --fix` would)."""
    fix = diagnostic.fix
    return fix is not None and (fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe"))


def fix_all(
    result: LintResult, relint: Callable[[Snapshot], LintResult], encoding: str, unsafe: bool = False
) -> dict[str, list[types.TextEdit]]:
    """The edits applying every safe fix (and unsafe ones with `unsafe`), per document; empty
    when there is nothing to fix."""
    original = result.snapshot
    current = result
    syntax_errors = _syntax_error_count(result.diagnostics)
    for _ in range(MAX_FIX_PASSES):
        texts = _apply_safe_fixes(current, unsafe)
        if texts is None:
            break
        parts = tuple(Part(p.uri, p.kind, texts.get(p.uri, p.text), p.version) for p in current.snapshot.parts)
        candidate = relint(Snapshot(original.uri, original.notebook, parts, original.version))
        if _syntax_error_count(candidate.diagnostics) > syntax_errors:
            break  # a fix broke the program: keep the texts before it
        current = candidate
    changes = {}
    for before, after in zip(original.parts, current.snapshot.parts):
        if before.text != after.text:
            changes[before.uri] = [minimal_edit(before.uri, before.text, after.text, 0, encoding)]
    return changes


def _syntax_error_count(diagnostics: list[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.code == _SYNTAX_ERROR)


def _apply_safe_fixes(result: LintResult, unsafe: bool = False) -> dict[str, str] | None:
    """The texts with the safe (with `unsafe`, also unsafe) fixes that do not overlap applied;
    None when none applies."""
    placer = Placer(result.snapshot, "utf-32")
    edits: dict[str, list[tuple[int, int, str]]] = {}
    claimed: dict[str, list[tuple[int, int]]] = {}
    for diagnostic in result.diagnostics:
        fix = diagnostic.fix
        if not fixable_by_fix_all(diagnostic, unsafe):
            continue
        planned = []
        for edit in fix.edits:
            uri = placer.uri_of(getattr(edit, "cell", None) or diagnostic.cell)
            planned.append((uri, placer.offset(uri, edit.start), placer.offset(uri, edit.end), edit.content))
        if any(start < e and s < end or (start == end == s == e) for uri, start, end, _ in planned for s, e in claimed.get(uri, ())):
            continue  # overlaps a fix already taken: the next pass
        for uri, start, end, content in planned:
            edits.setdefault(uri, []).append((start, end, content))
            claimed.setdefault(uri, []).append((start, end))
    if not edits:
        return None
    texts = {}
    for part in result.snapshot.parts:
        text = part.text
        for start, end, content in sorted(edits.get(part.uri, ()), reverse=True):
            text = text[:start] + content + text[end:]
        texts[part.uri] = text
    return texts


def hover(found: list[Entry], uri: str, position: types.Position) -> types.Hover | None:
    """The summary of each rule whose diagnostic covers `position`."""
    from hplint.rules import get

    point = types.Range(start=position, end=position)
    sections = []
    for entry in found:
        if entry.uri != uri or not overlaps(entry.lsp.range, point):
            continue
        rule = get(entry.diagnostic.code)
        summary = rule.summary if rule is not None else entry.diagnostic.name
        sections.append(
            f"**{entry.diagnostic.code}** `{entry.diagnostic.name}`: {summary}\n\n"
            f"[Rule documentation]({entry.diagnostic.url})"
        )
    if not sections:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)))
