"""Output formats: one module per format, imported only when that format is asked for.

`write_report` is the single entry point the CLI calls; `write_statistics` serves `--statistics`.
Every reporter writes deterministic text (no timestamps, no absolute paths of its own making) in
the order the diagnostics arrive: sorted by (path, cell, row, column, code).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic

FORMATS: tuple[str, ...] = (
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "pylint",
    "html",
)

# format -> (module under hplint.reporters, function in it)
_WRITERS: dict[str, tuple[str, str]] = {
    "full": ("full", "write"),
    "concise": ("concise", "write"),
    "json": ("json", "write"),
    "json-lines": ("json", "write_lines"),
    "sarif": ("sarif", "write"),
    "github": ("github", "write"),
    "gitlab": ("gitlab", "write"),
    "junit": ("junit", "write"),
    "pylint": ("pylint", "write"),
    "html": ("html", "write"),
}

# Formats `write_statistics` supports; any other raises ValueError (ruff refuses them too).
STATISTICS_FORMATS: tuple[str, ...] = ("full", "concise", "json", "json-lines")


@dataclass
class ReportContext:
    color: bool = False  # the CLI decides (--color/--no-color, else tty + NO_COLOR)
    # (path, cell or None, row) -> the source line as the user sees it (cell-relative for
    # notebooks), or None when it is not available.
    source_line: Callable[[str, int | None, int], str | None] | None = None
    files_checked: int = 0
    quiet: bool = False  # --quiet: no summary line ("Found N errors." / "All checks passed!")
    fixable: bool = True  # whether to mention fixes ([*] markers and fixable counts)
    # --unsafe-fixes: unsafe fixes count as fixable; without it they are mentioned as hidden.
    unsafe_fixes: bool = False
    fixed: int = 0  # --fix: how many findings were fixed (the diagnostics are what remains)


def write_report(
    fmt: str,
    diagnostics: list[Diagnostic],
    stream: TextIO,
    context: ReportContext | None = None,
) -> None:
    """Write `diagnostics` to `stream` in format `fmt` (one of FORMATS)."""
    try:
        module_name, function_name = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    module = import_module(f"hplint.reporters.{module_name}")
    getattr(module, function_name)(diagnostics, stream, context or ReportContext())


def write_statistics(
    diagnostics: list[Diagnostic],
    stream: TextIO,
    fmt: str,
    context: ReportContext | None = None,
) -> None:
    """`--statistics`: one entry per code with its count, most frequent first.

    Text (full, concise): `count<TAB>code<TAB>[*] name` lines like ruff (flake8's layout), then the
    summary unless `context.quiet`; json: an array of {code, name, count, fixable}; json-lines:
    one such object per line.
    """
    from hplint.reporters._common import write_statistics as write

    if fmt not in STATISTICS_FORMATS:
        raise ValueError(
            f"--statistics is not available in the {fmt!r} format; use one of "
            f"{', '.join(STATISTICS_FORMATS)}"
        )
    write(diagnostics, stream, fmt, context or ReportContext())
