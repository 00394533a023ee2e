"""What a codemod moves: the literals HPL101 reports in one file, with where they sit.

The selection is HPL101's own (`hardcoded_calls`, `hardcoded_epoch_loops`, with the file's HPL101
options, so a justified literal stays where it is); a finding a `# noqa` suppresses (on its first
literal's line or statement, as the engine decides) and a literal with a `# noqa` of its own are left
alone too. What would make a rewrite unsafe is found here and raised as `Refusal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from hplint.analysis.walk import walk
from hplint.settings import Settings
from hplint.source import SourceFile

if TYPE_CHECKING:
    from hplint.context import FileContext


class Refusal(Exception):
    """The file cannot be rewritten safely; the message says why (shown to the user as is)."""


@dataclass(slots=True, eq=False)
class Hyperparameter:
    key: str  # the parameter as written: `lr`, `n_estimators`, a params dict key, `epochs`
    callee: str  # the API's short name (`Adam`, `RandomForestClassifier`), `loop` for epoch loops
    node: cst.BaseExpression  # the literal, replaced by a reference to the moved value
    text: str  # the literal's source text, copied as is (the value never changes)
    value: object
    row: int
    # Innermost enclosing function (None at module level or in a class body, and when gathered
    # for HPL101's fix, which does not need it), and the index of the module-level statement
    # holding the literal (-1 when unknown).
    function: cst.FunctionDef | None
    statement: int


@dataclass(slots=True)
class Gathered:
    module: cst.Module
    items: list[Hyperparameter]
    names: frozenset[str]  # every identifier the file uses anywhere: a new name must avoid them
    parents: dict[cst.CSTNode, cst.CSTNode]


def parse(text: str) -> cst.Module:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        raise Refusal(f"does not parse ({error.message} at line {error.raw_line})") from None
    except RecursionError:
        raise Refusal("is too deeply nested to rewrite") from None
    if module.code != text:
        raise Refusal("libcst does not reproduce this file byte for byte; it is not rewritten")
    return module


def gather(source: SourceFile, settings: Settings, relative_path: str, *, at: tuple[int, int] | None = None) -> Gathered:
    """The hyperparameters HPL101 reports in `source` (only the finding starting at `at`, a
    (row, column) pair, when given)."""
    from hplint.context import FileContext
    from hplint.rules.hardcoded import HardcodedHyperparameter

    if source.is_notebook:
        raise Refusal(
            "is a notebook: extract-config rewrites scripts only (a config cell would have to run "
            "before every cell that uses it); export it with `jupyter nbconvert --to script` first"
        )
    module = parse(source.text)
    ctx = FileContext(source, module, settings, relative_path, uses_ml=True)
    rule = HardcodedHyperparameter(settings.options_for(HardcodedHyperparameter.code))
    calls = [
        (entry, group)
        for entry, group in rule.hardcoded_calls(ctx)
        if at is None or ctx.position_of(group[0].node) == at
    ]
    loops = [loop for loop in rule.hardcoded_epoch_loops(ctx) if at is None or ctx.position_of(loop.bound) == at]
    return gather_reported(ctx, calls, loops, enclosing=True)


def gather_reported(ctx: "FileContext", calls: list, loops: list, *, enclosing: bool) -> Gathered:
    """The literals of HPL101's reported `calls` ((entry, literals) pairs) and epoch `loops` in the
    file of `ctx`. With `enclosing`, each item gets its function and module statement (what
    `--to argparse` needs; it costs a parent map of the whole tree); without, `function` is None and
    `statement` comes from the semantic walk, and literals inside f-strings are left out rather than
    refused (HPL101's fix, which runs on every check; their findings get no fix)."""
    module = ctx.module
    # One group per finding: (key, callee, literal node, value) of each literal it reports.
    groups: list[list[tuple[str, str, cst.BaseExpression, object]]] = []
    for entry, group in calls:
        callee = entry.api.qualname.rsplit(".", 1)[-1]
        groups.append([(lit.name, callee, lit.node, lit.value) for lit in group])
    groups.extend([("epochs", "loop", loop.bound, loop.value)] for loop in loops)
    if not groups:
        return Gathered(module, [], frozenset(), {})
    names = _Names()
    walk(module, names)
    if names.star_import is not None:
        raise Refusal(f"has a star import (`from {names.star_import} import *`): the names it binds are unknown")
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    if enclosing:
        parents = dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(ParentNodeProvider))
        statement_of = {id(statement): index for index, statement in enumerate(module.body)}
    else:
        top_level = ctx.semantic.top_level_statement
        in_fstrings = names.inside_fstrings()
    # Start lines and the lines of their statements, where a `# noqa` for them goes (one pass).
    nodes = {found[2] for group in groups for found in group}
    ranges = ctx.ranges_of(nodes)
    if len(ranges) != len(nodes):  # pragma: no cover - every reported node has a position
        raise Refusal("the positions of some values are unknown")
    suppressions = ctx.source.suppressions()

    def suppressed(node: cst.CSTNode) -> bool:
        rng = ranges[node]
        return suppressions.suppresses("HPL101", (rng.start_line, rng.statement_line)) is not None

    items = []
    for group in groups:
        # The finding is suppressed as the engine decides (its first literal's line or statement);
        # a literal with a `noqa` of its own stays too.
        if suppressions.file_suppresses("HPL101") or suppressed(group[0][2]):
            continue
        for key, callee, node, value in group:
            row = ranges[node].start_line
            if suppressed(node):
                continue
            if enclosing:
                function, statement = _enclosing(node, parents, statement_of, row)
            else:
                if id(node) in in_fstrings:
                    continue  # left where it is: its finding gets no fix
                function, statement = None, top_level.get(id(node), -1)
            items.append(Hyperparameter(key, callee, node, module.code_for_node(node), value, row, function, statement))
    items.sort(key=lambda item: (item.row, ranges[item.node].start_column))
    return Gathered(module, items, frozenset(names.names), parents)


def _enclosing(
    node: cst.CSTNode, parents: dict[cst.CSTNode, cst.CSTNode], statement_of: dict[int, int], row: int
) -> tuple[cst.FunctionDef | None, int]:
    function = None
    current = node
    while True:
        parent = parents.get(current)
        if parent is None:
            raise Refusal(f"line {row}: the literal is not inside a module-level statement")  # pragma: no cover
        if isinstance(parent, cst.FormattedString):
            raise Refusal(f"line {row}: the literal is inside an f-string; move it by hand")
        if isinstance(parent, cst.FunctionDef) and function is None:
            function = parent
        if isinstance(parent, cst.Module):
            return function, statement_of[id(current)]
        current = parent


class _Names(cst.CSTVisitor):
    """Every identifier of the file, its first star import, and its f-strings (one fast walk)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.star_import: str | None = None
        self.fstrings: list[cst.FormattedString] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.fstrings.append(node)

    def inside_fstrings(self) -> set[int]:
        """The ids of the nodes inside the file's f-strings (few files have calls in one)."""
        inside: set[int] = set()
        for fstring in self.fstrings:
            if any(isinstance(part, cst.FormattedStringExpression) for part in fstring.parts):
                fstring.visit(_Ids(inside))
        return inside

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) and self.star_import is None:
            module = node.module
            self.star_import = (
                cst.Module([]).code_for_node(module) if module is not None else "."
            )


class _Ids(cst.CSTVisitor):
    def __init__(self, into: set[int]) -> None:
        super().__init__()
        self.into = into

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.into.add(id(node))
        return True
