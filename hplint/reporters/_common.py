"""Helpers shared by the reporters: locations, fix status, summaries, text sanitising, statistics."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePath
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic, Fix, Related
    from hplint.reporters import ReportContext

# Characters that must not reach a terminal or a line-oriented consumer as they are: C0 controls
# (tab aside) become their visible Unicode "control pictures", DEL and C1 controls (\x9b is a CSI
# on some terminals) and bidirectional overrides ("trojan source") become escapes.
_VISIBLE = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_VISIBLE.update({code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})

TAB_WIDTH = 4  # how a tab in a source line is shown (ruff shows four spaces too)

# ANSI SGR codes of the few styles the text reporters use (ruff's colors).
_ANSI = {"bold": "1", "red": "31", "blue": "34", "cyan": "36"}


def visible(text: str) -> str:
    """`text` with control characters shown, never interpreted, by a terminal."""
    return text.translate(_VISIBLE)


def one_line(text: str) -> str:
    """A message for a line-oriented format: line breaks become spaces, controls are shown."""
    return visible(" ".join(text.splitlines()))


def paint(text: str, *styles: str, enabled: bool) -> str:
    if not enabled or not styles:
        return text
    return f"\x1b[{';'.join(_ANSI[s] for s in styles)}m{text}\x1b[0m"


def posix_path(path: str) -> str:
    """The path with forward slashes (what GitHub, GitLab and SARIF expect on every platform)."""
    return PurePath(path).as_posix()


def place(cell: int | None, row: int) -> str:
    """`line 14`, or `cell 3, line 2` in a notebook."""
    return f"cell {cell}, line {row}" if cell is not None else f"line {row}"


def related_note(related: Related) -> str:
    """`<message> at line 14` (or `at cell 3, line 2`)."""
    return f"{related.message} at {place(related.cell, related.span.start.row)}"


def cell_segment(diagnostic: Diagnostic) -> str:
    """`cell 3:` for notebook diagnostics, else empty: goes between the path and the row."""
    return f"cell {diagnostic.cell}:" if diagnostic.cell is not None else ""


def header_segments(diagnostic: Diagnostic, context: ReportContext) -> list[tuple[str, tuple[str, ...]]]:
    """`path:row:col: CODE [*] message` (`path:cell 3:row:col: ...` in notebooks) as styled pieces.

    Shared by the concise reporter (ANSI codes) and the full one (rich); styles follow ruff's.
    """
    separator = (":", ("cyan",))
    segments: list[tuple[str, tuple[str, ...]]] = [(visible(diagnostic.path), ("bold",)), separator]
    if diagnostic.cell is not None:
        segments += [(f"cell {diagnostic.cell}", ()), separator]
    start = diagnostic.span.start
    segments += [(str(start.row), ()), separator, (str(start.column), ()), separator, (" ", ())]
    segments.append((diagnostic.code, ("bold", "red")))
    segments.append((" ", ()))
    if shows_fix_marker(diagnostic, context):
        segments += [("[", ()), ("*", ("cyan",)), ("] ", ())]
    segments.append((one_line(diagnostic.message), ()))
    return segments


def fix_applies(fix: Fix | None, context: ReportContext) -> bool:
    """Whether `--fix` would apply `fix` (unsafe fixes only with `--unsafe-fixes`)."""
    if fix is None:
        return False
    return fix.applicability == "safe" or (fix.applicability == "unsafe" and context.unsafe_fixes)


def shows_fix_marker(diagnostic: Diagnostic, context: ReportContext) -> bool:
    return context.fixable and fix_applies(diagnostic.fix, context)


def plural(count: int, word: str, suffix: str = "s") -> str:
    return f"{count} {word}{'' if count == 1 else suffix}"


def summary_lines(diagnostics: list[Diagnostic], context: ReportContext) -> list[str]:
    """Ruff's closing lines: `Found N errors.` / `All checks passed!` and what `--fix` can do."""
    if context.quiet:
        return []
    if context.fixed:
        total = len(diagnostics) + context.fixed
        lines = [f"Found {plural(total, 'error')} ({context.fixed} fixed, {len(diagnostics)} remaining)."]
    elif not diagnostics:
        return ["All checks passed!"]
    else:
        lines = [f"Found {plural(len(diagnostics), 'error')}."]
    if not context.fixable:
        return lines
    applicable = sum(fix_applies(d.fix, context) for d in diagnostics)
    hidden = sum(
        d.fix is not None and d.fix.applicability == "unsafe" and not context.unsafe_fixes
        for d in diagnostics
    )
    hint = f"{plural(hidden, 'hidden fix', 'es')} can be enabled with the `--unsafe-fixes` option"
    if applicable and hidden:
        lines.append(f"[*] {applicable} fixable with the `--fix` option ({hint}).")
    elif applicable:
        lines.append(f"[*] {applicable} fixable with the `--fix` option.")
    elif hidden:
        lines.append(f"No fixes available ({hint}).")
    return lines


def write_summary(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    for line in summary_lines(diagnostics, context):
        if line.startswith("[*]"):
            line = f"[{paint('*', 'cyan', enabled=context.color)}]{line[3:]}"
        stream.write(line + "\n")


def write_statistics(
    diagnostics: list[Diagnostic], stream: TextIO, fmt: str, context: ReportContext
) -> None:
    counts = Counter(d.code for d in diagnostics)
    names: dict[str, str] = {}
    fixable: dict[str, bool] = {}
    for d in diagnostics:
        names.setdefault(d.code, d.name)
        # A code is fixable when --fix would fix at least one of its diagnostics.
        fixable[d.code] = fixable.get(d.code, False) or fix_applies(d.fix, context)
    # Most frequent first; ties by code so the output never depends on dict order.
    codes = sorted(counts, key=lambda code: (-counts[code], code))
    entries = [
        {"code": code, "name": names[code], "count": counts[code], "fixable": fixable[code]}
        for code in codes
    ]
    if fmt == "json":
        stream.write(json.dumps(entries, indent=2) + "\n")
        return
    if fmt == "json-lines":
        stream.writelines(json.dumps(entry, separators=(",", ":")) + "\n" for entry in entries)
        return
    if entries:
        count_width = max(len(str(e["count"])) for e in entries)
        code_width = max(len(e["code"]) for e in entries)
        show_markers = context.fixable and any(e["fixable"] for e in entries)
        for e in entries:
            marker = ("[*] " if e["fixable"] else "[ ] ") if show_markers else ""
            stream.write(f"{e['count']:>{count_width}}\t{e['code']:<{code_width}}\t{marker}{e['name']}\n")
    write_summary(diagnostics, stream, context)
