"""Checking one source: parse once, analyse once, run every enabled rule, then place, suppress
and report its findings.

`check_source` is the whole per-file pipeline, in that order: parsing.py parses (or gives the
syntax verdict), rules check a `FileContext` (context.py), placement.py positions their
findings, suppressions.py applies `noqa`. pool.py spreads files over processes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from hplint import parsing
from hplint.context import AnalysisFailed, FileContext, _Finding
from hplint.diagnostics import ALWAYS_REPORTED, ENGINE_CODES, Diagnostic, FileResult, describe, format_exc, internal_error
from hplint.parsing import parse, source_error_diagnostic, syntax_error, syntax_errors_only, too_large
from hplint.placement import place
from hplint.settings import Settings
from hplint.source import SourceError, SourceFile, from_bytes
from hplint.suppressions import apply_suppressions

if TYPE_CHECKING:
    from hplint.incremental import StatementCache
    from hplint.rules.base import Rule

# Files mentioning none of these bytes import no ML library: they are not parsed at all.
_ML_BYTES = re.compile(
    rb"\b(?:sklearn|torch|tensorflow|keras|xgboost|lightgbm|catboost|transformers|lightning|optuna"
    rb"|hyperopt|ray|keras_tuner|kerastuner|imblearn|skopt|datasets|scipy|fairlearn|aif360|inFairness)\b"
)

# -- rule instances, built once per process ---------------------------------------------------


@lru_cache(maxsize=32)
def _rules_for(settings: Settings) -> tuple["Rule", ...]:
    from hplint.rules import all_rules

    registry = all_rules()
    enabled = settings.enabled_codes({code: rule.default_enabled for code, rule in registry.items()})
    return tuple(
        rule(settings.options_for(code))
        for code, rule in registry.items()
        if code in enabled and code not in ENGINE_CODES
    )


@lru_cache(maxsize=32)
def _enabled_codes(settings: Settings) -> frozenset[str]:
    from hplint.rules import all_rules

    registry = all_rules()
    return settings.enabled_codes({code: rule.default_enabled for code, rule in registry.items()})


# -- the per-file pipeline --------------------------------------------------------------------


def check_source(
    source: SourceFile,
    settings: Settings,
    relative_path: str,
    *,
    assume_ml: bool = False,
    statements: "StatementCache | None" = None,
    fixes: bool = True,
) -> list[Diagnostic]:
    """Every diagnostic for one source. `assume_ml` runs the ML rules even on files that mention no
    ML library (the crash-freedom tests use it to exercise the analysis on any Python).
    `statements` (the server's, one per open document) parses only the top-level statements that
    changed since its last parse; the diagnostics are the same. Without `fixes`, no diagnostic
    carries a fix and none is computed (the server publishes diagnostics on every edit and computes
    fixes only when a code action asks)."""
    return _check(source, settings, relative_path, assume_ml=assume_ml, statements=statements, fixes=fixes)[0]


def _check(
    source: SourceFile,
    settings: Settings,
    relative_path: str,
    *,
    assume_ml: bool = False,
    statements: "StatementCache | None" = None,
    fixes: bool = True,
) -> tuple[list[Diagnostic], list[str]]:
    """check_source, plus the tracebacks of hplint's own failures (for `--debug`).

    A rule that raises loses its own findings on this file and becomes an HPL903 diagnostic; so
    does a shared analysis (once, naming the rules it took down). Everything else still runs."""
    try:
        return _check_with_rules(source, settings, relative_path, assume_ml, statements, fixes)
    except Exception as error:  # noqa: BLE001 - a bug outside any rule (placing, suppressions)
        trace = format_exc()
        return [internal_error(source.path, "while checking this file", describe(error), "The file was not checked")], [trace]


def _check_with_rules(
    source: SourceFile,
    settings: Settings,
    relative_path: str,
    assume_ml: bool,
    statements: "StatementCache | None",
    fixes: bool = True,
) -> tuple[list[Diagnostic], list[str]]:
    enabled = _enabled_codes(settings)
    ignored = settings.ignored_for(relative_path)
    if ignored:
        enabled = frozenset(c for c in enabled if not any(c.startswith(i) for i in ignored))
    diagnostics: list[Diagnostic] = []
    findings: list[_Finding] = []
    module = None
    uses_ml = assume_ml or bool(_ML_BYTES.search(source.text.encode("utf-8", "surrogatepass")))
    rules = [r for r in _rules_for(settings) if r.code in enabled and (uses_ml or not r.needs_ml)]
    if rules and len(source.text) > parsing.MAX_ANALYSED_CHARS:
        diagnostics.append(too_large(source))
        try:
            parsing.cpython_parse(source.text, source.path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            diagnostics.append(syntax_error(source, source.text, line_offset=0))
    elif rules:
        module, errors = statements.parse(source) if statements is not None else parse(source)
        diagnostics.extend(errors)
    else:
        # Nothing to analyse, but a file that does not parse is still reported; CPython's own
        # parser answers that at a fraction of libcst's cost.
        diagnostics.extend(syntax_errors_only(source))
    ctx: FileContext | None = None
    traces: list[str] = []
    if module is not None and rules:
        ctx = FileContext(source, module, settings, relative_path, uses_ml, fixes_wanted=fixes)
        if statements is not None:
            ctx.position_cache = statements.positions
        skipped_by_stage: dict[str, tuple[AnalysisFailed, list[str]]] = {}
        for rule in rules:
            reported = len(ctx.findings)
            try:
                rule.check(ctx)
            except AnalysisFailed as failure:
                del ctx.findings[reported:]
                skipped_by_stage.setdefault(failure.stage, (failure, []))[1].append(rule.code)
            except Exception as error:  # noqa: BLE001 - an hplint bug: this rule only, on this file
                del ctx.findings[reported:]
                traces.append(format_exc())
                where = f"in {rule.code} ({rule.name})"
                diagnostics.append(internal_error(source.path, where, describe(error), "Its findings on this file are missing; the other rules ran"))
        for failure, codes in skipped_by_stage.values():
            traces.append(failure.trace)
            consequence = f"{', '.join(codes)} could not check this file; the other rules ran"
            diagnostics.append(internal_error(source.path, f"in its {failure.stage}", describe(failure.error), consequence))
        findings = ctx.findings
    if findings:
        round_trips = statements.round_trips if statements is not None else None
        top_level = ctx.top_level_statements if ctx else None
        positions = statements.positions if statements is not None else None
        diagnostics.extend(place(source, module, findings, top_level, round_trips, positions))
    diagnostics = [d for d in diagnostics if d.code in enabled or d.code in ALWAYS_REPORTED]
    return apply_suppressions(source, diagnostics, enabled), traces


# -- many files ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileTask:
    path: str  # filesystem path
    display: str  # as reported
    relative: str  # relative to the settings root, for per-file-ignores and test detection
    settings: Settings
    data: bytes | None = None  # given for stdin


def check_task(task: FileTask) -> FileResult:
    try:
        data = task.data if task.data is not None else Path(task.path).read_bytes()
        source = from_bytes(data, task.display, is_notebook=task.path.endswith(".ipynb"))
    except SourceError as error:
        return FileResult(task.display, [source_error_diagnostic(task.display, error)])
    except IsADirectoryError:
        return FileResult(task.display, [source_error_diagnostic(task.display, SourceError("is a directory, not a file"))])
    except PermissionError:
        return FileResult(task.display, [source_error_diagnostic(task.display, SourceError("permission denied"))])
    except OSError as error:
        message = f"cannot read file: {error.strerror or error}"
        return FileResult(task.display, [source_error_diagnostic(task.display, SourceError(message))])
    except Exception as error:  # noqa: BLE001 - a bug in reading the file: this file only
        diagnostic = internal_error(task.display, "while reading this file", describe(error), "The file was not checked")
        return FileResult(task.display, [diagnostic], tracebacks=[format_exc()])
    diagnostics, traces = _check(source, task.settings, task.relative)
    diagnostics.sort(key=Diagnostic.sort_key)
    return FileResult(task.display, diagnostics, lines=source.text.count("\n"), tracebacks=traces)
