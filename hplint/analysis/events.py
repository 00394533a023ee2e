"""What the data-flow analysis records: splits, fits, evaluations, applications of learned state,
selection loops, helper summaries, and `DataFlow`, the result rules read."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.lineage import (
    UNKNOWN,
    UNKNOWN_VALUE,
    ObjectInfo,
    Value,
    join_kinds,
)
from hplint.knowledge.schema import Api

if TYPE_CHECKING:
    from hplint.analysis.semantic import SemanticModel

@dataclass(eq=False, slots=True)
class SplitEvent:
    node: cst.CSTNode
    method: str
    sources: tuple[str, ...]
    inputs: tuple[Value, ...]
    outputs: list[tuple[str | None, str]] = field(default_factory=list)
    site: cst.CSTNode | None = None
    splitter: "ObjectInfo | None" = None  # the KFold-like object of a `.split()`
    # Data whose rows the split's indices select (`X_scaled[train_idx]`), for K-fold splits.
    selected: list["Value"] = field(default_factory=list)

    @property
    def line_node(self) -> cst.CSTNode:
        return self.node

    @property
    def source_text(self) -> str:
        return ", ".join(f"`{s}`" for s in self.sources) or "the data"

    @property
    def input_sources(self) -> frozenset:
        result: frozenset = frozenset()
        for value in self.inputs:
            result |= value.sources
        return result


_FIT_SERIALS = itertools.count()


@dataclass(eq=False, slots=True)
class FitEvent:
    node: cst.CSTNode
    method: str
    receiver: str | None
    obj: ObjectInfo | None
    api: Api | None
    role: str | None
    data: tuple[Value, ...]
    data_text: tuple[str, ...]  # the data arguments as written (`X`, `df["Fare"]`)
    eval_data: tuple[Value, ...] = ()
    early_stopping: cst.CSTNode | None = None
    loops: tuple[cst.CSTNode, ...] = ()
    scope: object = None
    site: cst.CSTNode | None = None
    # Creation order. Values hold their fits in frozensets, whose iteration order follows object
    # ids; anything that picks one of several fits sorts by this so output is the same every run.
    serial: int = field(default_factory=lambda: next(_FIT_SERIALS))

    @property
    def kind(self) -> str:
        return join_kinds(v.kind for v in self.data[:1]) if self.data else UNKNOWN

    @property
    def sources(self) -> frozenset:
        result: frozenset = frozenset()
        for value in self.data:
            result |= value.sources
        return result

    @property
    def report_node(self) -> cst.CSTNode:
        return self.node


@dataclass(eq=False, slots=True)
class EvalEvent:
    node: cst.CSTNode
    method: str
    role: str  # predict, score, metric, cv
    model: ObjectInfo | None
    data: tuple[Value, ...]
    data_text: tuple[str, ...]
    loops: tuple[cst.CSTNode, ...] = ()
    scope: object = None
    site: cst.CSTNode | None = None
    # For predictions: they reach a metric or are compared with other data (`preds == y_test`),
    # i.e. the model is scored, not only applied (a submission, a plot).
    scored: bool = False

    @property
    def kind(self) -> str:
        return join_kinds(v.kind for v in self.data)

    @property
    def test_value(self) -> Value | None:
        for value in self.data:
            if value.is_test:
                return value
        return None

    @property
    def named_test_value(self) -> Value | None:
        """Data scored here that is test data by its name alone (see `Value.is_test_by_name`)."""
        return next((value for value in self.data if value.is_test_by_name), None)

    @property
    def report_node(self) -> cst.CSTNode:
        return self.site or self.node


@dataclass(eq=False, slots=True)
class ApplyEvent:
    """Learned state applied to data: `scaler.transform(X_test)`, `X_train.fillna(df.mean())`."""

    node: cst.CSTNode
    method: str
    obj: ObjectInfo | None  # None for statistics
    data: tuple[Value, ...]
    site: cst.CSTNode | None = None
    fit: FitEvent | None = None  # the fit (or statistic) whose state is applied


@dataclass(eq=False, slots=True)
class SelectionLoop:
    node: cst.CSTNode
    kind: str  # hyperparameter, model, epoch, objective, other
    evaluations: list[EvalEvent]
    pick: cst.CSTNode | None
    checkpoint: cst.CSTNode | None = None
    fits: list[FitEvent] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class FunctionSummary:
    node: cst.FunctionDef
    params: tuple[str, ...]
    fits_params: set[str] = field(default_factory=set)
    evaluates_params: set[str] = field(default_factory=set)
    returns: Value = UNKNOWN_VALUE


@dataclass(slots=True)
class DataFlow:
    splits: list[SplitEvent] = field(default_factory=list)
    fits: list[FitEvent] = field(default_factory=list)
    evaluations: list[EvalEvent] = field(default_factory=list)
    applications: list[ApplyEvent] = field(default_factory=list)
    selection_loops: list[SelectionLoop] = field(default_factory=list)
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    values: dict[cst.CSTNode, Value] = field(default_factory=dict)
    bound: dict[cst.CSTNode, Value] = field(default_factory=dict)
    semantic: "SemanticModel | None" = None
    positions_prefetched: bool = False
    objects: list[ObjectInfo] = field(default_factory=list)  # every object the analysis made
    updated: set = field(default_factory=set)  # fit and evaluation events a loop's later pass updated

    def __del__(self) -> None:
        # An object's fits point back at it (FitEvent.obj), its attributes hold values of it
        # (`self.scaler_ = ...`), a K-fold split's selected data are values of that split, an event
        # updated by a loop's later pass holds the values of the first pass, which hold the event:
        # reference cycles that kept the file's whole syntax tree alive (events and scopes hold
        # nodes) until the cyclic garbage collector traversed it all. Once the facts are dropped,
        # no rule reads these objects: unlink them, and the tree is freed by reference counting.
        for obj in self.objects:
            obj.fits.clear()
            obj.attributes.clear()
        for split in self.splits:
            split.selected.clear()
        for event in self.updated:
            event.data = ()
            if isinstance(event, FitEvent):
                event.eval_data = ()

    def event_nodes(self) -> set[cst.CSTNode]:
        """Every node a message may name (prefetch their positions in one pass)."""
        nodes: set[cst.CSTNode] = set()
        for split in self.splits:
            nodes.add(split.node)
        for fit in self.fits:
            nodes.update(n for n in (fit.node, fit.site, fit.early_stopping) if n is not None)
        for event in self.evaluations:
            nodes.update(n for n in (event.node, event.site) if n is not None)
        for loop in self.selection_loops:
            nodes.update(n for n in (loop.node, loop.pick, loop.checkpoint) if n is not None)
        for value in self.values.values():
            if value.time_order is not None:
                nodes.add(value.time_order)
        return nodes

    def value_of(self, node: cst.CSTNode) -> Value | None:
        return self.values.get(node)

    def binding_value(self, target: cst.CSTNode) -> Value | None:
        return self.bound.get(target)

    def lineage_at(self, name: str, node: cst.CSTNode) -> Value | None:
        if self.semantic is None:
            return None
        site = self.semantic.call_by_node.get(node) if isinstance(node, cst.Call) else None
        order = site.order if site is not None else 10**12
        binding = self.semantic.last_binding(name, order, site.scope if site else None)
        return self.bound.get(binding.target) if binding is not None else None

    def fits_of(self, obj: ObjectInfo) -> list[FitEvent]:
        return [f for f in self.fits if f.obj is obj]


def update_event(event, fields: tuple) -> None:
    for name, value in zip(type(event).__dataclass_fields__, fields):
        setattr(event, name, value)


def models_scored(event: EvalEvent) -> list[ObjectInfo]:
    """The models whose output `event` scores: its own model, or those of the predictions it is
    given (`f1_score(y_test, forest.predict(X_test))`)."""
    if event.model is not None:
        return [event.model]
    return [p.model for value in event.data for p in value.predictions if p.model is not None]
