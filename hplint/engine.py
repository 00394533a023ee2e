"""Checking one source: parse once, analyse once, run every enabled rule, place and filter findings.

`check_source` is the whole per-file pipeline; `run` spreads files over a process pool. Rules report
libcst nodes; positions are computed afterwards for just those nodes (see analysis/positions.py).
"""

from __future__ import annotations

import ast
import gc
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, TypeVar

from hplint.diagnostics import Diagnostic, Edit, FileResult, Fix, Position, Related, Span
from hplint.settings import Settings
from hplint.source import SourceError, SourceFile, Suppressions, from_bytes

if TYPE_CHECKING:
    import libcst as cst

    from hplint.analysis.semantic import SemanticModel
    from hplint.rules.base import Rule

SYNTAX_ERROR = "HPL901"
UNUSED_NOQA = "HPL902"
INTERNAL_ERROR = "HPL903"
ENGINE_CODES = frozenset({SYNTAX_ERROR, UNUSED_NOQA, INTERNAL_ERROR})
# Say what hplint could not check: reported whatever the selection, never suppressed by `noqa`.
ALWAYS_REPORTED = frozenset({SYNTAX_ERROR, INTERNAL_ERROR})

_T = TypeVar("_T")


def _format_exc() -> str:
    import traceback  # only on a failure: start-up does not pay for it

    return traceback.format_exc()

# Files mentioning none of these bytes import no ML library: they are not parsed at all.
_ML_BYTES = re.compile(
    rb"\b(?:sklearn|torch|tensorflow|keras|xgboost|lightgbm|catboost|transformers|lightning|optuna"
    rb"|hyperopt|ray|keras_tuner|kerastuner|imblearn|skopt|datasets|scipy|fairlearn|aif360|inFairness)\b"
)

# Text where libcst's grammar is more lenient than CPython's (see `_parse`).
_LIBCST_LENIENT = re.compile(r"^[ \t]*except\b[^:#\n]*,|\\N\{", re.MULTILINE)

# libcst's tree takes about 300 bytes of memory per byte of source: a 10 MB file needs 3 GB,
# which a CI runner may not have (the OOM killer takes the whole run with it). Code this large is
# generated; it is checked for syntax only.
MAX_ANALYSED_CHARS = 4_000_000

_TEST_FILE = re.compile(r"(^|/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py|tests?/.*)$")


def is_test_file(relative_path: str) -> bool:
    return bool(_TEST_FILE.search(relative_path.replace(os.sep, "/")))


class AnalysisFailed(Exception):
    """A shared analysis (semantic model, data flow, search spaces) raised on this file. It is
    computed once: every rule that needs it gets this failure, and the engine reports it once."""

    def __init__(self, stage: str, error: BaseException, trace: str) -> None:
        super().__init__(f"{stage}: {type(error).__name__}: {error}")
        self.stage, self.error, self.trace = stage, error, trace


@dataclass(slots=True)
class FixSpec:
    """A fix as rules write it: replace each node's text by new text."""

    message: str
    replacements: tuple[tuple["cst.CSTNode", str], ...]
    applicability: str = "safe"


@dataclass(slots=True)
class _Finding:
    code: str
    name: str
    severity: str
    node: "cst.CSTNode"
    end_node: "cst.CSTNode | None"
    message: str
    related: tuple[tuple[str, "cst.CSTNode"], ...]
    fix: FixSpec | None


@dataclass
class FileContext:
    """What rules see of a file. Facts are computed on first use and shared by all rules."""

    source: SourceFile
    module: "cst.Module"
    settings: Settings
    relative_path: str
    uses_ml: bool
    findings: list[_Finding] = field(default_factory=list)
    _line_cache: dict = field(default_factory=dict)
    _shared: dict = field(default_factory=dict)  # stage -> result or AnalysisFailed

    @property
    def path(self) -> str:
        return self.source.path

    @cached_property
    def is_test_file(self) -> bool:
        return is_test_file(self.relative_path)

    @cached_property
    def semantic(self) -> "SemanticModel":
        from hplint.analysis.semantic import analyze

        return self.shared("semantic analysis", lambda: analyze(self.module))

    @cached_property
    def dataflow(self):
        from hplint.analysis.dataflow import analyze

        return self.shared("data-flow analysis", lambda: analyze(self))

    def shared(self, stage: str, compute: Callable[[], _T]) -> _T:
        """The result of an analysis shared by rules, computed on first use. If it raises, the
        failure is kept and raised again for every rule that asks, without computing it again."""
        if stage in self._shared:
            result = self._shared[stage]
            if isinstance(result, AnalysisFailed):
                raise result
            return result
        try:
            result = compute()
        except AnalysisFailed:
            raise  # an analysis this one builds on failed: that one is to blame
        except Exception as error:  # noqa: BLE001 - any bug in the analysis, see check_source
            failure = AnalysisFailed(stage, error, _format_exc())
            self._shared[stage] = failure
            raise failure from error
        self._shared[stage] = result
        return result

    def report(
        self,
        rule: "Rule",
        node: "cst.CSTNode",
        message: str,
        *,
        end_node: "cst.CSTNode | None" = None,
        related: Iterable[tuple[str, "cst.CSTNode"]] = (),
        fix: FixSpec | None = None,
    ) -> None:
        """Report `message` at `node` (through `end_node` when given)."""
        self.findings.append(
            _Finding(rule.code, rule.name, rule.severity, node, end_node, message, tuple(related), fix)
        )

    def line_of(self, node: "cst.CSTNode") -> int:
        """The 1-based program line of a node, for messages ("split at line 14")."""
        return self.position_of(node)[0]

    def where(self, node: "cst.CSTNode") -> str:
        """`line 14`, or `cell 3, line 2` in a notebook: for messages that name a second place."""
        line = self.line_of(node)
        cell, row = self.source.to_cell(line)
        return f"cell {cell}, line {row}" if cell is not None else f"line {line}"

    @property
    def top_level_statements(self) -> dict[int, int] | None:
        """The semantic walk's node -> module-level statement map, if the walk has run (it saves
        positions a search; they never trigger the walk themselves)."""
        semantic = self.__dict__.get("semantic")
        return semantic.top_level_statement if semantic is not None else None

    def prefetch_positions(self, nodes: Iterable["cst.CSTNode"]) -> None:
        """Compute the positions of many nodes in one pass (each `position_of` miss costs one)."""
        from hplint.analysis.positions import node_ranges

        missing = {node for node in nodes if node is not None and node not in self._line_cache}
        if not missing:
            return
        found = node_ranges(self.module, missing, self.source.text, self.top_level_statements)
        for node in missing:
            rng = found.get(node)
            self._line_cache[node] = (rng.start_line, rng.start_column + 1) if rng else (1, 1)

    def position_of(self, node: "cst.CSTNode") -> tuple[int, int]:
        cached = self._line_cache.get(node)
        if cached is None:
            from hplint.analysis.positions import node_ranges

            found = node_ranges(self.module, {node}, self.source.text, self.top_level_statements).get(node)
            cached = (found.start_line, found.start_column + 1) if found else (1, 1)
            self._line_cache[node] = cached
        return cached


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


def _rule_meta(code: str) -> tuple[str, str]:
    from hplint.rules import get

    rule = get(code)
    return (rule.name, rule.severity) if rule else (code, "error")


# -- the per-file pipeline --------------------------------------------------------------------


def check_source(
    source: SourceFile, settings: Settings, relative_path: str, *, assume_ml: bool = False
) -> list[Diagnostic]:
    """Every diagnostic for one source. `assume_ml` runs the ML rules even on files that mention no
    ML library (the crash-freedom tests use it to exercise the analysis on any Python)."""
    return _check(source, settings, relative_path, assume_ml=assume_ml)[0]


def _check(
    source: SourceFile, settings: Settings, relative_path: str, *, assume_ml: bool = False
) -> tuple[list[Diagnostic], list[str]]:
    """check_source, plus the tracebacks of hplint's own failures (for `--debug`).

    A rule that raises loses its own findings on this file and becomes an HPL903 diagnostic; so
    does a shared analysis (once, naming the rules it took down). Everything else still runs."""
    try:
        return _check_with_rules(source, settings, relative_path, assume_ml)
    except Exception as error:  # noqa: BLE001 - a bug outside any rule (placing, suppressions)
        trace = _format_exc()
        return [_internal_error(source.path, "while checking this file", _describe(error), "The file was not checked")], [trace]


def _check_with_rules(
    source: SourceFile, settings: Settings, relative_path: str, assume_ml: bool
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
    if rules and len(source.text) > MAX_ANALYSED_CHARS:
        diagnostics.append(_too_large(source))
        try:
            compile(source.text, source.path, "exec", ast.PyCF_ONLY_AST)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            diagnostics.append(_syntax_error(source, source.text, line_offset=0))
    elif rules:
        module, errors = _parse(source)
        diagnostics.extend(errors)
    else:
        # Nothing to analyse, but a file that does not parse is still reported; CPython's own
        # parser answers that at a fraction of libcst's cost.
        diagnostics.extend(_syntax_errors_only(source))
    ctx: FileContext | None = None
    traces: list[str] = []
    if module is not None and rules:
        ctx = FileContext(source, module, settings, relative_path, uses_ml)
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
                traces.append(_format_exc())
                place = f"in {rule.code} ({rule.name})"
                diagnostics.append(_internal_error(source.path, place, _describe(error), "Its findings on this file are missing; the other rules ran"))
        for failure, codes in skipped_by_stage.values():
            traces.append(failure.trace)
            consequence = f"{', '.join(codes)} could not check this file; the other rules ran"
            diagnostics.append(_internal_error(source.path, f"in its {failure.stage}", _describe(failure.error), consequence))
        findings = ctx.findings
    if findings:
        diagnostics.extend(_place(source, module, findings, ctx.top_level_statements if ctx else None))
    diagnostics = [d for d in diagnostics if d.code in enabled or d.code in ALWAYS_REPORTED]
    return _apply_suppressions(source, diagnostics, enabled), traces


def _parse_module(text: str) -> "cst.Module":
    """`libcst.parse_module` without validating each node the parser builds.

    Every node's `__post_init__` only runs `_validate()`, checks meant for trees built by hand;
    the parser's output passes them by construction, and skipping them saves ~16% of parsing.
    (libcst's own comment there: "It might make more sense to move validation work into the
    visitor, which would allow us to avoid validating the tree when parsing a file".) Nodes
    built elsewhere are still validated: the method is restored right after parsing."""
    import libcst as cst
    from libcst._nodes.base import CSTNode

    validate = CSTNode.__post_init__
    CSTNode.__post_init__ = _skip_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def _skip_validation(node: object) -> None:
    return None


def _parse(source: SourceFile) -> tuple["cst.Module | None", list[Diagnostic]]:
    import libcst as cst

    from hplint.guards import guard

    # Nesting too deep for libcst (a segfault, or minutes) never reaches it: see guards.py.
    verdict = guard(source.text, source.path)
    if verdict.text is not None:
        try:
            module = _parse_module(verdict.text)
        except cst.ParserSyntaxError:
            pass
        except RecursionError:
            return None, [_too_deep(source)]
        else:
            # libcst accepts Python 2's `except E, e:` and unknown `\N{...}` names, which CPython's
            # parser rejects: such files are asked of CPython too (a file Python cannot run is
            # reported). A file the guard inspected has been asked already.
            if verdict.inspected or not _LIBCST_LENIENT.search(source.text) or not _rejected_for_leniency(source):
                return module, []
    elif not verdict.syntax_error and not source.is_notebook:
        return None, [_too_deep(source, verdict.depth)]
    if source.is_notebook:
        return _parse_notebook_around_errors(source)
    return None, [_syntax_error(source, source.text, line_offset=0)]


def _rejected_for_leniency(source: SourceFile) -> bool:
    """Whether CPython rejects the file at a line libcst is lenient with. An error elsewhere is
    newer syntax than this interpreter's (a 3.12 f-string checked on 3.11), which libcst reads:
    the file stays analysed."""
    try:
        compile(source.text, source.path, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as error:
        return bool(error.lineno and _LIBCST_LENIENT.search(source.line(error.lineno)))
    except (ValueError, RecursionError, MemoryError):
        return False
    return False


def _parse_notebook_around_errors(source: SourceFile) -> tuple["cst.Module | None", list[Diagnostic]]:
    """A cell that does not parse is reported and blanked; the other cells are still checked."""
    import libcst as cst

    from hplint.guards import guard

    lines = source.text.split("\n")
    errors: list[Diagnostic] = []
    for cell in source.cells:
        start = cell.first_line - 1
        cell_text = "\n".join(lines[start : start + cell.line_count]) + "\n"
        try:
            compile(cell_text, source.path, "exec", ast.PyCF_ONLY_AST)
        except SyntaxError:
            errors.append(_syntax_error(source, cell_text, line_offset=start))
            for index in range(start, start + cell.line_count):
                lines[index] = ""
        except (ValueError, RecursionError, MemoryError):
            errors.append(_too_deep(source))
            for index in range(start, start + cell.line_count):
                lines[index] = ""
    verdict = guard("\n".join(lines), source.path)
    if verdict.text is None:
        return None, errors or [_too_deep(source, verdict.depth)]
    try:
        return _parse_module(verdict.text), errors
    except (cst.ParserSyntaxError, RecursionError):
        # The cells parse one by one but not together (an unclosed block across cells).
        return None, errors or [_syntax_error(source, source.text, line_offset=0)]


def _syntax_errors_only(source: SourceFile) -> list[Diagnostic]:
    try:
        compile(source.text, source.path, "exec", ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        if source.is_notebook:
            return _parse_notebook_around_errors(source)[1]
        return [_syntax_error(source, source.text, line_offset=0)]
    return []


def _syntax_error(source: SourceFile, text: str, line_offset: int) -> Diagnostic:
    # CPython's positions are exact where libcst's are not (it points past the error).
    row, column, message = 1, 1, "invalid syntax"
    try:
        compile(text, source.path, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as error:
        message = f"SyntaxError: {error.msg or message}"
        row = error.lineno or 1
        column = error.offset or 1
    except (ValueError, RecursionError, MemoryError) as error:
        message = f"SyntaxError: {str(error) or type(error).__name__}"
    else:
        # Valid Python that libcst's grammar lacks (`(x): int = 1`): not the user's error.
        row, column = _libcst_error_position(text)
        message = "Python accepts this code but hplint's parser (libcst) cannot read it"
    row = max(1, row) + line_offset
    cell, cell_row = source.to_cell(row)
    line = source.line(row)
    column = max(1, min(column, len(line) + 1))
    span = Span(Position(cell_row, column), Position(cell_row, column))
    return Diagnostic(
        code=SYNTAX_ERROR,
        name="syntax-error",
        message=f"{message}; the file was not checked" if cell is None else f"{message}; this cell was not checked",
        path=source.path,
        span=span,
        severity="error",
        cell=cell,
    )


def _libcst_error_position(text: str) -> tuple[int, int]:
    import libcst as cst

    try:
        _parse_module(text)
    except cst.ParserSyntaxError as error:
        found = re.search(r"error at (\d+):(\d+)", error.message)
        if found:
            return int(found.group(1)), int(found.group(2))
        return error.raw_line, error.raw_column + 1
    except RecursionError:
        pass
    return 1, 1


def _describe(error: BaseException) -> str:
    detail = " ".join(str(error).split())
    if len(detail) > 200:
        detail = detail[:197] + "..."
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def _too_large(source: SourceFile) -> Diagnostic:
    size = len(source.text) / 1_000_000
    limit = MAX_ANALYSED_CHARS // 1_000_000
    return _not_analysed(source, f"file is too large to analyse ({size:.1f} MB of code; the limit is {limit} MB); only its syntax was checked")


def _internal_error(path: str, place: str, what: str, consequence: str) -> Diagnostic:
    """HPL903: hplint failed; say where, with what, and what was therefore not checked."""
    return Diagnostic(
        code=INTERNAL_ERROR,
        name="internal-error",
        message=f"hplint failed {place} ({what}). {consequence}. Please report this; `--debug` prints the traceback",
        path=path,
        span=Span(Position(1, 1), Position(1, 1)),
        severity="error",
    )


def _too_deep(source: SourceFile, depth: int = 0) -> Diagnostic:
    from hplint.guards import too_deep_message

    return _not_analysed(source, too_deep_message(depth))


def _not_analysed(source: SourceFile, message: str) -> Diagnostic:
    """HPL901 for a whole file hplint could not analyse, at its start."""
    return Diagnostic(
        code=SYNTAX_ERROR,
        name="syntax-error",
        message=message,
        path=source.path,
        span=Span(Position(1, 1), Position(1, 1)),
        severity="error",
    )


def source_error_diagnostic(path: str, error: SourceError) -> Diagnostic:
    position = Position(max(1, error.row), max(1, error.column))
    return Diagnostic(
        code=SYNTAX_ERROR,
        name="syntax-error",
        message=error.message,
        path=path,
        span=Span(position, position),
        severity="error",
        cell=error.cell,
    )


def _place(
    source: SourceFile,
    module: "cst.Module | None",
    findings: list[_Finding],
    top_level: dict[int, int] | None = None,
) -> list[Diagnostic]:
    """Turn node-based findings into positioned diagnostics (one code generation pass)."""
    from hplint.analysis.positions import node_ranges

    if module is None:
        return []
    targets: set = set()
    for finding in findings:
        targets.add(finding.node)
        if finding.end_node is not None:
            targets.add(finding.end_node)
        targets.update(node for _, node in finding.related)
        if finding.fix is not None:
            targets.update(node for node, _ in finding.fix.replacements)
    ranges = node_ranges(module, targets, source.text, top_level)
    fixable = finding_fixes_allowed(source, module, findings)
    diagnostics = []
    for finding in findings:
        start = ranges.get(finding.node)
        if start is None:
            continue
        end = ranges.get(finding.end_node, start) if finding.end_node is not None else start
        cell, start_row = source.to_cell(start.start_line)
        _, end_row = source.to_cell(end.end_line)
        noqa_cell, noqa_row = source.to_cell(start.statement_line)
        related = []
        for message, node in finding.related:
            rng = ranges.get(node)
            if rng is not None:
                related_cell, row = source.to_cell(rng.start_line)
                _, end_row_related = source.to_cell(rng.end_line)
                related.append(
                    Related(
                        message,
                        Span(Position(row, rng.start_column + 1), Position(end_row_related, rng.end_column + 1)),
                        related_cell,
                    )
                )
        fix = _to_fix(source, finding.fix, ranges) if fixable and finding.fix is not None else None
        diagnostics.append(
            Diagnostic(
                code=finding.code,
                name=finding.name,
                message=finding.message,
                path=source.path,
                span=Span(
                    Position(start_row, start.start_column + 1), Position(end_row, end.end_column + 1)
                ),
                severity=finding.severity,  # type: ignore[arg-type]
                cell=cell,
                fix=fix,
                related=tuple(related),
                noqa_row=noqa_row if noqa_cell == cell else start_row,
            )
        )
    return diagnostics


def finding_fixes_allowed(source: SourceFile, module: "cst.Module", findings: list[_Finding]) -> bool:
    # libcst does not round-trip every file byte for byte; never offer an edit computed on a tree
    # whose text differs from the file.
    if not any(f.fix is not None for f in findings) or source.masked_lines:
        return False
    return module.code == source.text


def _to_fix(source: SourceFile, spec: FixSpec, ranges: dict) -> Fix | None:
    edits = []
    for node, text in spec.replacements:
        rng = ranges.get(node)
        if rng is None:
            return None
        _, start_row = source.to_cell(rng.start_line)
        _, end_row = source.to_cell(rng.end_line)
        edits.append(Edit(text, Position(start_row, rng.start_column + 1), Position(end_row, rng.end_column + 1)))
    return Fix(spec.message, tuple(edits), spec.applicability)  # type: ignore[arg-type]


def _apply_suppressions(
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
        elif hits:
            continue
        else:
            text = source.line(line)
            if "hplint" not in text and "HPL" not in text:
                continue  # a bare noqa may be for flake8 or ruff; we cannot tell it is ours
            message = "Unused blanket `noqa` directive"
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
            )
        )
    return result


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
        diagnostic = _internal_error(task.display, "while reading this file", _describe(error), "The file was not checked")
        return FileResult(task.display, [diagnostic], tracebacks=[_format_exc()])
    diagnostics, traces = _check(source, task.settings, task.relative)
    diagnostics.sort(key=Diagnostic.sort_key)
    return FileResult(task.display, diagnostics, lines=source.text.count("\n"), tracebacks=traces)


# Objects left alive after a file (caches, reference cycles) that trigger a collection.
_GC_SURVIVORS = 50_000


def _check_chunk(tasks: Sequence[FileTask]) -> list[FileResult]:
    # A syntax tree is hundreds of thousands of objects without reference cycles: the cyclic
    # garbage collector, triggered by their allocation, traverses them again and again for nothing
    # (10% of the time). It is paused while a file is checked; what a file leaves behind is
    # collected between files when it adds up.
    results: list[FileResult] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for task in tasks:
            results.append(check_task(task))
            if gc_was_enabled and gc.get_count()[0] > _GC_SURVIVORS:
                gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    return results


def run(tasks: Sequence[FileTask], jobs: int | None = None) -> list[FileResult]:
    """Check every task; in parallel when there are several files. Results come back in task order."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) <= 2:
        return _check_chunk(tasks)
    return _run_pool(tasks, jobs)


def _run_pool(tasks: Sequence[FileTask], jobs: int) -> list[FileResult]:
    """Check the tasks in worker processes. A worker that dies (a crash in native code, the OOM
    killer) takes down the whole pool; the files it may have been checking are then checked again
    one by one, each in a fresh worker, so the culprit is found, reported as HPL903, and no other
    file loses its findings."""
    results: list[FileResult | None] = [None] * len(tasks)
    # Largest files first, in chunks of a few files (small files do not drown in inter-process
    # overhead): the chunks that finish last are small, so no worker idles long while another
    # ends a large file.
    chunk_size = max(1, min(4, len(tasks) // (jobs * 8) or 1))
    pending = sorted(range(len(tasks)), key=lambda index: -_task_size(tasks[index]))
    _preload()
    while pending:
        chunks = [pending[i : i + chunk_size] for i in range(0, len(pending), chunk_size)]
        unfinished = _pool_pass(tasks, chunks, jobs, results)
        if not unfinished:
            break
        # Chunks are handed out in order, so the ones running when the pool broke are among the
        # first `jobs + 1` unfinished chunks (one more waits in the call queue).
        suspects = [index for chunk in unfinished[: jobs + 1] for index in chunk]
        for index in suspects:
            if _pool_pass(tasks, [[index]], 1, results):
                results[index] = _worker_died(tasks[index])
        pending = [index for chunk in unfinished for index in chunk if results[index] is None]
    return [result for result in results if result is not None]


def _task_size(task: FileTask) -> int:
    if task.data is not None:
        return len(task.data)
    try:
        return os.path.getsize(task.path)
    except OSError:
        return 0


def _pool_pass(
    tasks: Sequence[FileTask], chunks: list[list[int]], jobs: int, results: list[FileResult | None]
) -> list[list[int]]:
    """Run chunks of task indices in a fresh pool, filling `results`; the chunks left unfinished
    because a worker died, in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    unfinished = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        futures = [pool.submit(_check_chunk, [tasks[index] for index in chunk]) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                chunk_results = future.result()
            except BrokenProcessPool:
                unfinished.append(chunk)
                continue
            for index, result in zip(chunk, chunk_results):
                results[index] = result
    return unfinished


def _worker_died(task: FileTask) -> FileResult:
    diagnostic = _internal_error(
        task.display,
        "while checking this file",
        "its worker process died: a crash in native code, or out of memory",
        "The file was not checked",
    )
    return FileResult(task.display, [diagnostic], tracebacks=[f"{task.display}: the worker process died (see its stderr above)\n"])


def _preload() -> None:
    """Import what workers need before forking, so each worker does not import it again."""
    import libcst  # noqa: F401

    from hplint.rules import all_rules

    all_rules()
