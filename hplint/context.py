"""What rules see of a file: `FileContext`, the facts shared by all rules, and how rules report.

Rules and the shared analyses import this module (never the engine), so the engine can import
the rules without an import circle.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from hplint.diagnostics import format_exc
from hplint.settings import Settings
from hplint.source import SourceFile

if TYPE_CHECKING:
    import libcst as cst

    from hplint.analysis.semantic import SemanticModel
    from hplint.rules.base import Rule

_T = TypeVar("_T")

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
    """A fix as rules write it: replace each node's text by new text, and insert text at the start
    of program rows (`insertions`: (row, text), for statements a fix adds, HPL101's constants)."""

    message: str
    replacements: tuple[tuple["cst.CSTNode", str], ...]
    applicability: str = "safe"
    insertions: tuple[tuple[int, str], ...] = ()


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
    _range_cache: dict = field(default_factory=dict)  # node -> NodeRange, None when it has none
    _shared: dict = field(default_factory=dict)  # stage -> result or AnalysisFailed
    # The server's per-document positions of unchanged statements (analysis/positions.py).
    position_cache: dict | None = None
    # False: findings carry no fix, and a fix given as a callable is never computed (see `report`).
    fixes_wanted: bool = True

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
            failure = AnalysisFailed(stage, error, format_exc())
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
        fix: "FixSpec | Callable[[], FixSpec | None] | None" = None,
    ) -> None:
        """Report `message` at `node` (through `end_node` when given). A fix that costs more than
        the finding is given as a callable (`functools.partial(split_fix, ctx, fit)`): it is called
        only when fixes are wanted."""
        if not self.fixes_wanted:
            fix = None
        elif callable(fix):
            fix = fix()
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
        self.ranges_of(node for node in nodes if node is not None)

    def ranges_of(self, nodes: Iterable["cst.CSTNode"]) -> dict:
        """The ranges (analysis/positions.NodeRange) of `nodes`, those not known yet computed in
        one pass; rules and HPL101's fix ask for the same literals."""
        from hplint.analysis.positions import node_ranges

        wanted = set(nodes)
        cache = self._range_cache
        missing = {node for node in wanted if node not in cache}
        if missing:
            found = node_ranges(self.module, missing, self.source.text, self.top_level_statements, self.position_cache)
            for node in missing:
                cache[node] = found.get(node)
        return {node: cache[node] for node in wanted if cache[node] is not None}

    def position_of(self, node: "cst.CSTNode") -> tuple[int, int]:
        rng = self.ranges_of((node,)).get(node)
        return (rng.start_line, rng.start_column + 1) if rng is not None else (1, 1)
