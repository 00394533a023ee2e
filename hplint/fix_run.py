"""`--fix`, `--diff`, `--fix-only` over a run's files: which files to fix, with which fixes,
writing them (atomically, see rewrite.py) or printing diffs, and the "Fixed N errors" list."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hplint.fixing import FixOutcome, applicable, fix_bytes
from hplint.rewrite import identity, write_atomically
from hplint.source import SourceError, from_bytes

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic


class FixRun:
    def __init__(self, run: Any, fix: bool | None, unsafe: bool | None, write: bool) -> None:
        self.run = run
        self.fix = fix  # the command line's --fix/--no-fix, None: each file's configuration
        self.unsafe = unsafe
        self.write = write  # False for --diff
        self.fixed = 0
        self.outcomes: dict[str, FixOutcome] = {}

    @property
    def changed_files(self) -> list[str]:
        return [display for display, outcome in self.outcomes.items() if outcome.changed]

    def apply(self, diagnostics: list["Diagnostic"], force: bool) -> list["Diagnostic"]:
        """Fix the files that want it; returns the diagnostics, with each fixed file's replaced by
        what remains in it."""
        by_path: dict[str, list[Diagnostic]] = defaultdict(list)
        for diagnostic in diagnostics:
            by_path[diagnostic.path].append(diagnostic)
        result: list[Diagnostic] = []
        for display, found in by_path.items():
            known = self.run.configs.get(display)
            outcome = None
            if known is not None:
                config, relative = known
                if force or (self.fix if self.fix is not None else config.fix):
                    outcome = self._fix_file(display, found, config, relative)
            if outcome is None:
                result.extend(found)
                continue
            self.outcomes[display] = outcome
            self.fixed += outcome.applied
            result.extend(config.reclassify(d) for d in outcome.diagnostics)
        return result

    def _fix_file(self, display: str, found: list["Diagnostic"], config: Any, relative: str) -> FixOutcome | None:
        unsafe = self.unsafe if self.unsafe is not None else bool(config.unsafe_fixes)

        def selected(diagnostic: "Diagnostic") -> bool:
            return applicable(config.reclassify(diagnostic).fix, unsafe) and config.may_fix(diagnostic.code)

        if not any(selected(d) for d in found):
            return None
        path, data = self.run.sources[display]
        stdin = data is not None
        try:
            target = Path(path) if stdin else Path(os.path.realpath(path))
            before = None if stdin or not self.write else identity(target, "fix it")
            raw = data if stdin else target.read_bytes()
            outcome = fix_bytes(raw, display, relative, config.settings, selected, path.endswith(".ipynb"))
            if outcome.problem:
                _warn(f"{display}: {outcome.problem}")
            if outcome.changed and self.write:
                if stdin:
                    sys.stdout.buffer.write(outcome.fixed)
                    sys.stdout.flush()
                else:
                    write_atomically(target, outcome.fixed, before, doing="fixing it")
            elif stdin and self.write:
                sys.stdout.buffer.write(raw)
                sys.stdout.flush()
        except (OSError, SourceError, ValueError) as error:
            reason = getattr(error, "strerror", None) or error
            _warn(f"{display}: not fixed: {reason}")
            return None
        return outcome

    def print_diffs(self) -> None:
        changed = 0
        for display, outcome in sorted(self.outcomes.items()):
            if not outcome.changed:
                continue
            changed += outcome.applied
            click.echo("".join(_diff(display, outcome)), nl=False)
        if changed:
            _warn(f"Would fix {changed} error{'' if changed == 1 else 's'}.", prefix=False)
        else:
            _warn("No errors would be fixed.", prefix=False)

    def print_summary(self, detailed: bool) -> None:
        """Ruff's `--show-fixes` list (on stderr, so reports on stdout stay machine-readable)."""
        if not self.fixed:
            if detailed:
                _warn("No errors fixed.", prefix=False)
            return
        lines = [f"Fixed {self.fixed} error{'' if self.fixed == 1 else 's'}" + (":" if detailed else ".")]
        if detailed:
            from hplint.rules import get

            for display, outcome in sorted(self.outcomes.items()):
                if not outcome.applied:
                    continue
                lines.append(f"- {display}:")
                for code, count in sorted(outcome.fixed_codes.items()):
                    rule = get(code)
                    lines.append(f"    {count} × {code} ({rule.name if rule else code})")
        _warn("\n".join(lines), prefix=False)


def _diff(display: str, outcome: FixOutcome) -> list[str]:
    notebook = display.endswith(".ipynb")
    old = from_bytes(outcome.original, display, is_notebook=notebook)
    new = from_bytes(outcome.fixed, display, is_notebook=notebook)
    if not notebook:
        return _unified(old.text, new.text, display, display)
    lines: list[str] = []
    new_cells = {cell.index: cell for cell in new.cells}
    old_lines, new_lines = old.text.split("\n"), new.text.split("\n")
    for cell in old.cells:
        other = new_cells.get(cell.index)
        if other is None:
            continue
        before = "\n".join(old_lines[cell.first_line - 1 : cell.first_line - 1 + cell.line_count]) + "\n"
        after = "\n".join(new_lines[other.first_line - 1 : other.first_line - 1 + other.line_count]) + "\n"
        label = f"{display}:cell {cell.index}"
        lines.extend(_unified(before, after, label, label))
    return lines


def _unified(before: str, after: str, old_name: str, new_name: str) -> list[str]:
    import difflib  # only for --diff: start-up does not pay for it

    diff = list(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), old_name, new_name))
    return [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff]


def _warn(message: str, prefix: bool = True) -> None:
    click.echo(f"hplint: warning: {message}" if prefix else message, err=True)
