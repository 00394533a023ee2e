"""Applying `# noqa` suppressions to a file's diagnostics, and reporting the unused ones (HPL902)."""

from __future__ import annotations

from hplint.diagnostics import ALWAYS_REPORTED, UNUSED_NOQA, Diagnostic, Edit, Fix, Position, Span
from hplint.source import _CODE_SPLIT, NOQA_RE, SourceFile, Suppressions


def _rule_meta(code: str) -> tuple[str, str]:
    from hplint.rules import get

    rule = get(code)
    return (rule.name, rule.severity) if rule else (code, "error")


def apply_suppressions(
    source: SourceFile, diagnostics: list[Diagnostic], enabled: frozenset[str]
) -> list[Diagnostic]:
    suppressions: Suppressions = source.suppressions()
    if not suppressions.lines and suppressions.file_codes is None:
        return diagnostics
    used: dict[int, set[str]] = {}
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.code in ALWAYS_REPORTED:
            kept.append(diagnostic)
            continue
        if suppressions.file_suppresses(diagnostic.code):
            continue
        rows = _program_rows(source, diagnostic)
        line = suppressions.suppresses(diagnostic.code, rows)
        if line is None:
            kept.append(diagnostic)
        else:
            used.setdefault(line, set()).add(diagnostic.code)
    if UNUSED_NOQA in enabled:
        kept.extend(_unused_suppressions(source, suppressions, used))
    return kept


def _program_rows(source: SourceFile, diagnostic: Diagnostic) -> tuple[int, ...]:
    rows = {diagnostic.span.start.row}
    if diagnostic.noqa_row is not None:
        rows.add(diagnostic.noqa_row)
    if diagnostic.cell is None:
        return tuple(sorted(rows))
    first = next(c.first_line for c in source.cells if c.index == diagnostic.cell)
    return tuple(sorted(first + row - 1 for row in rows))


def _unused_suppressions(
    source: SourceFile, suppressions: Suppressions, used: dict[int, set[str]]
) -> list[Diagnostic]:
    from hplint.rules import all_rules

    known = all_rules()
    name, severity = _rule_meta(UNUSED_NOQA)
    result = []
    for line, codes in sorted(suppressions.lines.items()):
        hits = used.get(line, set())
        if codes:
            # Only our own codes: `# noqa: E501` belongs to another linter.
            unused = sorted(c for c in codes if c.startswith("HPL") and c not in hits)
            unknown = [c for c in unused if c not in known]
            if not unused:
                continue
            detail = ", ".join(unused)
            message = f"Unused `noqa` directive (unused: {detail})"
            if unknown:
                message = f"Unused `noqa` directive (unknown code: {', '.join(unknown)})"
            fix = _removal(source.line(line), set(unused), row=source.to_cell(line)[1])
        elif hits:
            continue
        else:
            text = source.line(line)
            if "hplint" not in text and "HPL" not in text:
                continue  # a bare noqa may be for flake8 or ruff; we cannot tell it is ours
            message = "Unused blanket `noqa` directive"
            fix = None  # a bare noqa may also silence another linter on this line
        column = source.line(line).find("#") + 1
        cell, row = source.to_cell(line)
        result.append(
            Diagnostic(
                code=UNUSED_NOQA,
                name=name,
                message=message,
                path=source.path,
                span=Span(Position(row, column), Position(row, len(source.line(line)) + 1)),
                severity=severity,  # type: ignore[arg-type]
                cell=cell,
                fix=fix,
            )
        )
    return result


def _removal(text: str, unused: set[str], row: int) -> Fix | None:
    """Remove the unused codes from the line's `# noqa: ...`; the whole comment (and the spaces
    before it) when no code is left. Codes of other linters and a comment after it stay."""
    match = NOQA_RE.search(text)
    if match is None or not match.group("codes"):
        return None
    codes = [c for c in _CODE_SPLIT.split(match.group("codes").strip()) if c]
    keep = [c for c in codes if c.upper() not in unused]
    if keep:
        start, end, content = match.start("codes"), match.end("codes"), ", ".join(keep)
        message = f"Remove unused `noqa` codes ({', '.join(sorted(unused))})"
    else:
        rest = text[match.end() :]
        if rest.strip():  # `# noqa: HPL101  # why`: the remaining comment stays
            start, end = match.start(), match.end() + len(rest) - len(rest.lstrip())
        else:
            start, end = len(text[: match.start()].rstrip()), len(text)
        content, message = "", "Remove unused `noqa` directive"
    return Fix(message, (Edit(content, Position(row, start + 1), Position(row, end + 1)),), "safe")
