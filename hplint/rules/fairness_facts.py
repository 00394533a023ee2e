"""Facts the fairness rules (HPL7xx) share, derived once per file on top of the data flow.

The shared data flow (`ctx.dataflow`) knows splits, fits, evaluations and picks; this module adds
what only the fairness rules need, without changing it:
- who the sensitive groups are: the configuration's `sensitive-attributes`, and calls that name
  groups in code (`sensitive_features=`, `protected_attribute_names=`, `privileged_groups=` ...);
- which evaluations measure groups (`group_events`): fairlearn and AIF360 group metrics, calls with
  a group keyword (also metrics made with `make_derived_metric`), and AIF360 metric objects on which
  a disparity method is called (`ClassificationMetric(...).true_positive_rate()` alone is an
  overall rate, not a group comparison);
- the lineage of AIF360 dataset objects, which split themselves (`train, test = ds.split([0.7])`)
  where the data flow sees no split: a forward pass over the bindings in order, each taking the
  kind of the split part it is computed from;
- the picks (`picks`): the data flow's selection loops, plus choices it does not record
  (`df.sort_values(...).iloc[0]`, `np.where(a == np.max(a))[0][0]`, `idxmin` on a frame of scores);
- the fits as the rules read them (`fit_facts`): one pass over the data flow's fits sorts them into
  mitigations fitted on data, searches, and the data given to models and cross-validation, with
  the data argument of each; and (`scored_test_splits`) the splits whose test part is scored.

`facts(ctx)`, `fit_facts(ctx)` and `scored_test_splits(ctx)` compute them on first use and cache
them on the context's shared store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import libcst as cst

from hplint.analysis.dataflow import (
    FULL, MIXED, TEST, TRAIN, UNKNOWN, VALIDATION, EvalEvent, FitEvent, SplitEvent, Value,
)
from hplint.analysis.values import dotted_name, literal_text, literal_value
from hplint.analysis.walk import children
from hplint.knowledge.fairness import COLUMN_KEYWORDS, DISPARITY_METHODS, GROUP_KEYWORDS

if TYPE_CHECKING:
    from hplint.analysis.semantic import Binding, CallSite
    from hplint.context import FileContext
    from hplint.knowledge.schema import Api

_PICK_METHODS = frozenset({"idxmin", "idxmax", "argmin", "argmax", "nanargmin", "nanargmax"})
_SORTS = frozenset({"sort_values", "nsmallest", "nlargest", "sort"})
_KEYED = frozenset({"min", "max", "sorted"})
_VALIDATION_NAME = re.compile(r"(?:^|_)(?:val|valid|validation|dev|vt)(?:_|$|\d)", re.I)
_TEST_NAME = re.compile(r"(?:^|_)(?:test|tst|holdout)(?:_|$|\d)", re.I)
_TRAIN_NAME = re.compile(r"(?:^|_)(?:train|tr|trn)(?:_|$|\d)", re.I)


@dataclass(eq=False, slots=True)
class GroupCall:
    """A call that names the sensitive groups."""

    site: "CallSite"
    keywords: dict[str, cst.BaseExpression]  # group keyword -> its value
    columns: tuple[str, ...]  # literal column names it declares


@dataclass(eq=False, slots=True)
class Pick:
    """A choice of one candidate by scores: an argmax, a sort then first row, `if s > best`."""

    node: cst.CSTNode
    events: frozenset  # EvalEvents whose results the choice reads (scores and predictions)
    value: Value | None  # what was picked from, when the data flow has it
    loop: cst.CSTNode | None = None  # the data flow's selection loop, when it recorded one
    loop_fits: tuple = ()
    loops: frozenset = frozenset()  # the loops in which the candidates were scored


@dataclass(eq=False, slots=True)
class FairnessFacts:
    config_attributes: tuple[str, ...]
    group_calls: list[GroupCall] = field(default_factory=list)
    code_attributes: tuple[str, ...] = ()
    group_events: set = field(default_factory=set)  # EvalEvents that compare groups
    group_predictions: set = field(default_factory=set)  # predict events whose output is compared by group
    group_sites: list = field(default_factory=list)  # CallSites that compare groups
    group_disparities: set = field(default_factory=set)  # AIF360 disparity method calls
    picks: list[Pick] = field(default_factory=list)
    # AIF360 datasets: binding target -> (kind, split call)
    aif_kinds: dict = field(default_factory=dict)

    @property
    def declared(self) -> bool:
        return bool(self.config_attributes or self.group_calls)

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.config_attributes, *self.code_attributes)))


def facts(ctx: "FileContext") -> FairnessFacts:
    return ctx.shared("fairness facts", lambda: _Builder(ctx).build())


# -- fits -----------------------------------------------------------------------------------------

MODEL_ROLES = ("estimator", "model", "search", "pipeline", "trainer", "booster_train", "hpo_study")
_MITIGATION_METHODS = ("fit", "fit_transform", "fit_predict", "partial_fit", "fit_resample")
_MODEL_METHODS = ("fit", "fit_predict", "partial_fit")
_DATA_KEYWORDS = ("X", "dataset", "dataset_true", "x")


@dataclass(eq=False, slots=True)
class Mitigation:
    """A fairness mitigator fitted on a data argument."""

    fit: FitEvent
    api: "Api"  # the mitigator: the fit's API, else that of the object fitted
    data: cst.BaseExpression  # what it is fitted on


@dataclass(eq=False, slots=True)
class ModelInput:
    """Data given to a model: a model's fit, or cross-validation's `X` (`cross_val_score(m, X, y)`)."""

    call: cst.Call
    data: cst.BaseExpression
    label: str  # how the message names the call: `model.fit`, `cross_val_score`


@dataclass(eq=False, slots=True)
class FitFacts:
    mitigations: list[Mitigation] = field(default_factory=list)
    searches: list[FitEvent] = field(default_factory=list)  # searches' `.fit`
    model_inputs: list[ModelInput] = field(default_factory=list)


def is_mitigator(api: "Api | None") -> bool:
    return api is not None and "mitigator" in api.tags


def fit_data_node(fit: FitEvent) -> cst.BaseExpression | None:
    """The data argument of a fit: its first positional argument, else `X=`, `dataset=` ..."""
    node = fit.node
    if not isinstance(node, cst.Call):
        return None
    for arg in node.args:
        if arg.keyword is None and not arg.star:
            return arg.value
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in _DATA_KEYWORDS:
            return arg.value
    return None


def fit_facts(ctx: "FileContext") -> FitFacts:
    """The data flow's fits sorted, in one pass, into what HPL702, HPL703 and HPL704 read."""
    return ctx.shared("fairness fits", lambda: _fit_facts(ctx))


def _fit_facts(ctx: "FileContext") -> FitFacts:
    flow = ctx.dataflow
    result = FitFacts()
    for fit in flow.fits:
        api = fit.api or (fit.obj.api if fit.obj is not None else None)
        if is_mitigator(api) and fit.method in _MITIGATION_METHODS:
            data = fit_data_node(fit)
            if data is not None:
                result.mitigations.append(Mitigation(fit, api, data))
        if fit.role == "search" and fit.method == "fit":
            result.searches.append(fit)
        if fit.role in MODEL_ROLES and fit.method in _MODEL_METHODS and isinstance(fit.node, cst.Call):
            data = fit_data_node(fit)
            if data is not None:
                result.model_inputs.append(ModelInput(fit.node, data, short(fit.node.func)))
    for event in flow.evaluations:
        # cross_val_score(model, X, y): X is the second argument.
        if event.role != "cv" or not isinstance(event.node, cst.Call):
            continue
        positional = [a.value for a in event.node.args if a.keyword is None and not a.star]
        if len(positional) > 1:
            result.model_inputs.append(ModelInput(event.node, positional[1], event.method))
    return result


def split_node(split) -> cst.CSTNode | None:
    """The node that stands for a split: a SplitEvent's line node, or an AIF360 split call."""
    if isinstance(split, SplitEvent):
        return split.line_node
    return split if isinstance(split, cst.CSTNode) else None


def scored_test_splits(ctx: "FileContext") -> list[tuple[cst.CSTNode, object, cst.CSTNode | None]]:
    """(evaluation node, split, split node) for every scoring evaluation of a split's test part
    (predictions that are never scored do not count)."""
    return ctx.shared("fairness scored test splits", lambda: _scored_test_splits(ctx))


def _scored_test_splits(ctx: "FileContext") -> list[tuple[cst.CSTNode, object, cst.CSTNode | None]]:
    found = []
    for event in ctx.dataflow.evaluations:
        if event.role == "predict" and not event.scored:
            continue
        kind, split = event_kind(ctx, event)
        if kind == TEST:
            found.append((event.node, split, split_node(split)))
    return found


def evaluation_order(ctx: "FileContext") -> dict[int, int]:
    """id of an evaluation -> its index in the data flow's order."""
    return ctx.shared("fairness evaluation order",
                      lambda: {id(e): i for i, e in enumerate(ctx.dataflow.evaluations)})


def dataset_lineage(ctx: "FileContext") -> dict:
    """Binding target -> (kind, split call) for AIF360 datasets and what is computed from them
    (empty unless the file imports aif360). Shared with HPL406, which needs no declared groups."""
    return ctx.shared("aif360 dataset lineage", lambda: _Builder(ctx).dataset_lineage())


def dataset_kind(ctx: "FileContext", node: cst.CSTNode, at: cst.Call | None = None) -> tuple[str, object]:
    """(kind, split call) of an expression by the AIF360 dataset lineage alone; `at` is the call
    the expression is an argument of (names resolve to their bindings before it)."""
    found = dataset_lineage(ctx)
    if not found:
        return UNKNOWN, None
    kinds = set()
    split = None
    for name, use in _names_read(node, at):
        binding = _binding_before(ctx, name, use)
        if binding is not None and binding.target in found:
            kind, split = found[binding.target]
            kinds.add(kind)
    if len(kinds) == 1:
        return kinds.pop(), split
    return (MIXED, split) if TEST in kinds else (UNKNOWN, None)


# -- the kind of an expression ------------------------------------------------------------------


def kind_of(ctx: "FileContext", node: cst.CSTNode, at: cst.Call | None = None) -> tuple[str, object]:
    """(kind, evidence node) of the data an expression holds: the data flow's lineage when it rests
    on what the code does, else the AIF360 dataset lineage. Evidence is the split (SplitEvent or
    split call) or None."""
    value = ctx.dataflow.value_of(node)
    if value is not None and value.is_known:
        return value.kind, value.split
    if not dataset_lineage(ctx):
        return (value.kind if value is not None and value.kind == FULL else UNKNOWN), None
    return dataset_kind(ctx, node, at)


def event_kind(ctx: "FileContext", event: EvalEvent) -> tuple[str, object]:
    """The held-out kind an evaluation scores: test wins over validation over train."""
    best: tuple[str, object] = (UNKNOWN, None)
    order = {TEST: 4, MIXED: 3, VALIDATION: 2, TRAIN: 1, FULL: 0, UNKNOWN: -1}
    nodes: list = []
    if isinstance(event.node, cst.Call):
        nodes = [a.value for a in event.node.args]
        if isinstance(event.node.func, cst.Attribute) and event.model is None:
            nodes.append(event.node.func.value)
    for node in nodes:
        kind = kind_of(ctx, node, event.node if isinstance(event.node, cst.Call) else None)
        if order.get(kind[0], -1) > order.get(best[0], -1):
            best = kind
    for value in event.data:
        if value.is_known and order.get(value.kind, -1) > order.get(best[0], -1):
            best = (value.kind, value.split)
    return best


def _binding_before(ctx: "FileContext", name: str, node: cst.CSTNode) -> "Binding | None":
    semantic = ctx.semantic
    site = semantic.call_by_node.get(node) if isinstance(node, cst.Call) else None
    order = site.order if site is not None else _order_of(ctx, node)
    scope = site.scope if site is not None else None
    return semantic.last_binding(name, order, scope)


def _order_of(ctx: "FileContext", node: cst.CSTNode) -> int:
    """Walk order of a node that is no call: that of the first call inside it or after it."""
    for inner in descendants(node):
        if isinstance(inner, cst.Call):
            site = ctx.semantic.call_by_node.get(inner)
            if site is not None:
                return site.order
    return 10**12


def descendants(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """The node and every node inside it, pre-order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def _names_read(node: cst.CSTNode, at: cst.CSTNode | None = None) -> list[tuple[str, cst.CSTNode]]:
    """Names read by an expression, each with the nearest call holding it (for its walk order):
    `at` for names outside any call of the expression."""
    found: list[tuple[str, cst.CSTNode]] = []
    stack: list[tuple[cst.CSTNode, cst.CSTNode]] = [(node, at if at is not None else node)]
    while stack:
        current, anchor = stack.pop()
        if isinstance(current, cst.Name):
            found.append((current.value, anchor))
            continue
        if isinstance(current, cst.Attribute):
            stack.append((current.value, anchor))  # `ds.features`: ds, not features
            continue
        if isinstance(current, (cst.Lambda, cst.FunctionDef)):
            continue
        if isinstance(current, cst.Call):
            anchor = current
        if isinstance(current, cst.Arg) and current.keyword is not None:
            stack.append((current.value, anchor))
            continue
        stack.extend((child, anchor) for child in children(current))
    return found


def short(node: cst.CSTNode) -> str:
    text = literal_text(node)
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "…"


def group_columns(keyword: str, value: cst.BaseExpression) -> tuple[str, ...]:
    """Column names a group keyword's literal value declares."""
    literal = literal_value(value)
    names: list[str] = []

    def add(item: object) -> None:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            names.extend(k for k in item if isinstance(k, str))
        elif isinstance(item, (list, tuple)):
            for inner in item:
                add(inner)

    if keyword in COLUMN_KEYWORDS:
        add(literal)
    elif keyword == "sensitive_features":
        # `sensitive_features=df["sex"]`, `A_test[["race", "sex"]]`: the columns selected.
        if isinstance(value, cst.Subscript) and len(value.slice) == 1 \
                and isinstance(value.slice[0].slice, cst.Index):
            add(literal_value(value.slice[0].slice.value))
        elif isinstance(literal, (str, list)):
            add(literal)
    return tuple(names)


def matches_attribute(column: str, attribute: str) -> bool:
    """`sex` matches the column `sex` and its one-hot columns (`sex_Male`, `sex=Female`)."""
    column, attribute = column.lower(), attribute.lower()
    return column == attribute or column.startswith((attribute + "_", attribute + "="))


# -- building -------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        self.semantic = ctx.semantic
        self.result = FairnessFacts(tuple(getattr(ctx.settings, "sensitive_attributes", ())))

    def build(self) -> FairnessFacts:
        result = self.result
        self._group_calls()
        if not result.declared:
            return result  # the family stays silent: no need for more
        result.aif_kinds = dataset_lineage(self.ctx)
        self._group_events()
        self._picks()
        return result

    def _group_calls(self) -> None:
        columns: list[str] = []
        for site in self.semantic.calls:
            keywords = {a.keyword.value: a.value for a in site.node.args
                        if a.keyword is not None and a.keyword.value in GROUP_KEYWORDS}
            api = site.api
            if not keywords and not (api is not None and "group_metric" in api.tags):
                continue
            declared: list[str] = []
            for keyword, value in keywords.items():
                declared.extend(group_columns(keyword, value))
            columns.extend(declared)
            self.result.group_calls.append(GroupCall(site, keywords, tuple(declared)))
        # A group metric with no group keyword (`MetricFrame(metrics, y, p, A)` positionally)
        # declares groups too, by its API.
        self.result.code_attributes = tuple(dict.fromkeys(columns))

    def _group_events(self) -> None:
        """Evaluations that compare groups, the predictions they compare, and the call sites that
        compare groups (for picks whose scores the data flow does not carry)."""
        flow = self.ctx.dataflow
        by_node: dict = {}
        for event in flow.evaluations:
            by_node.setdefault(event.node, []).append(event)
        result = self.result
        for call in result.group_calls:
            node = call.site.node
            api = call.site.api
            if api is not None and api.role in ("dataset", "auditor", "estimator", "preprocessor"):
                continue  # declares groups, or mitigates: compares nothing itself
            if api is not None and api.qualname.startswith("aif360.metrics."):
                continue  # a metric object: its disparity methods compare, not its constructor
            if call.site.method in ("fit", "fit_transform", "partial_fit"):
                continue  # a mitigator's fit(X, y, sensitive_features=A)
            result.group_sites.append(call.site)
            result.group_events.update(by_node.get(node, ()))
            value = flow.value_of(node)
            if value is not None:
                result.group_events.update(value.scores)
            for arg in node.args:
                inner = flow.value_of(arg.value)
                if inner is not None:
                    result.group_predictions.update(inner.predictions)
        for site in self.semantic.calls:
            if site.method in DISPARITY_METHODS and site.receiver is not None and self._is_metric_object(site):
                result.group_sites.append(site)
                value = flow.value_of(site.node)
                if value is not None:
                    result.group_disparities.add(site.node)

    def _is_metric_object(self, site: "CallSite") -> bool:
        """The receiver of a method call is (bound to) an AIF360 metric object."""
        receiver = site.receiver
        calls = []
        if isinstance(receiver, cst.Call):
            calls.append(receiver)
        elif isinstance(receiver, cst.Name):
            calls.extend(b.value for b in self.semantic.bindings_of(receiver.value) if isinstance(b.value, cst.Call))
        for call in calls:
            other = self.semantic.call_by_node.get(call)
            api = other.api if other is not None else None
            if api is not None and api.qualname.startswith("aif360.metrics."):
                return True
        # A metric object handed to a helper as a parameter (`def report(metric): metric.disparate_impact()`).
        return isinstance(receiver, cst.Name) and site.scope.function is not None \
            and receiver.value in site.scope.params and bool(self.semantic.imports) \
            and any(q.startswith("aif360") for q in self.semantic.imports.values())

    # -- AIF360 lineage --
    def dataset_lineage(self) -> dict:
        kinds: dict = {}
        if any(q.split(".", 1)[0] == "aif360" for q in self.semantic.imports.values()):
            self._aif_lineage(kinds)
        return kinds

    def _aif_lineage(self, kinds: dict) -> None:
        bindings = sorted((b for bs in self.semantic.bindings.values() for b in bs), key=lambda b: b.order)
        for binding in bindings:
            value = binding.value
            if value is None:
                continue
            split = _aif_split(value)
            if split is not None:
                kind = self._split_part(binding, split, kinds)
                if kind is not None:
                    kinds[binding.target] = (kind, value)
                continue
            if binding.unpack_index is not None or _returns_estimator(value):
                continue
            found = set()
            split_node = None
            for name, use in _names_read(value):
                previous = self.semantic.last_binding(name, binding.order, binding.scope)
                if previous is not None and previous.target in kinds:
                    kind, split_node = kinds[previous.target]
                    found.add(kind)
            if len(found) == 1:
                kinds[binding.target] = (found.pop(), split_node)

    def _split_part(self, binding: "Binding", split: cst.Call, kinds: dict) -> str | None:
        index = binding.unpack_index
        if index is None:
            return None
        receiver = split.func.value  # type: ignore[attr-defined]
        parent = None
        for name, _ in _names_read(receiver):
            previous = self.semantic.last_binding(name, binding.order, binding.scope)
            if previous is not None and previous.target in kinds:
                parent = kinds[previous.target][0]
        # The part's role: what its name says (`test, train = ds.split([16281])`), else its
        # position (first part trains, the others are held out).
        name = binding.name
        if _TEST_NAME.search(name) and not _TRAIN_NAME.search(name):
            kind = TEST
        elif _VALIDATION_NAME.search(name):
            kind = VALIDATION
        elif _TRAIN_NAME.search(name):
            kind = TRAIN
        else:
            kind = TRAIN if index == 0 else TEST
        if parent == TRAIN and kind == TEST:
            kind = VALIDATION  # held out of the training part
        if parent in (TEST, VALIDATION) and kind == TRAIN:
            kind = VALIDATION  # `valid, test = vt.split([0.5])`: both parts are held out
        return kind

    # -- picks --
    def _picks(self) -> None:
        flow = self.ctx.dataflow
        seen: set = set()
        for loop in flow.selection_loops:
            if loop.pick is None:
                continue
            seen.add(loop.pick)
            self.result.picks.append(Pick(loop.pick, frozenset(loop.evaluations), None, loop.node,
                                          tuple(loop.fits), frozenset({loop.node})))
        for site in self.semantic.calls:
            node = site.node
            if node in seen:
                continue
            picked = self._picked_from(site)
            if picked is None:
                continue
            value = flow.value_of(picked)
            if value is None:
                continue
            written, loops = self._written_into(picked, site)
            events = frozenset(value.scores) | frozenset(value.predictions) | written
            if not events and value.kind == UNKNOWN:
                continue
            for event in events:
                loops |= set(event.loops)
            self.result.picks.append(Pick(node, events, value, loops=frozenset(loops)))

    def _written_into(self, picked: cst.CSTNode, site: "CallSite") -> tuple[frozenset, set]:
        """Scores stored into an array or list by item (`ba_arr[idx] = ...`, `scores.append(...)`),
        which the data flow does not carry into the array's value; and the loops storing them."""
        name = dotted_name(picked) if isinstance(picked, (cst.Name, cst.Attribute)) else None
        if not name:
            return frozenset(), set()
        flow = self.ctx.dataflow
        semantic = self.semantic
        written: list[tuple[cst.CSTNode, int, object]] = []
        loops: set = set()
        # Only the writes since the name was last bound (`scores = []` starts a new collection).
        bound = semantic.last_binding(name, site.order, site.scope) if "." not in name else None
        since = bound.order if bound is not None else -1
        for assignment in semantic.item_assignments.get(name, ()):
            if since < assignment.order < site.order:
                written.append((assignment.value, assignment.order, assignment.scope))
                loops |= set(self._loops_of_statement(assignment.statement))
        for other in semantic.calls:
            if since < other.order < site.order and other.method in ("append", "extend") \
                    and dotted_name(other.receiver) == name:
                written.extend((arg.value, other.order, other.scope) for arg in other.node.args)
                loops |= set(other.loops)
        events: set = set()
        for expression, order, scope in written:
            # Every part of the expression: arithmetic on scores (`0.5 * (m.tpr() + m.tnr())`)
            # keeps no scores in the data flow's value of the whole; a name stored
            # (`bal_acc_arr.append(bal_acc)`) is followed to what it was computed from.
            parts = [expression]
            if isinstance(expression, cst.Name):
                binding = semantic.last_binding(expression.value, order, scope)
                if binding is not None and binding.value is not None:
                    parts.append(binding.value)
            for part in parts:
                for inner in descendants(part):
                    value = flow.value_of(inner)
                    if value is not None:
                        events |= value.scores | value.predictions
                    if isinstance(inner, cst.Name) and inner is not part:
                        binding = semantic.last_binding(inner.value, order, scope)
                        if binding is not None and binding.value is not None and binding.order > order - 200:
                            for deeper in descendants(binding.value):
                                deeper_value = flow.value_of(deeper)
                                if deeper_value is not None:
                                    events |= deeper_value.scores
        return frozenset(events), loops

    def _loops_of_statement(self, statement: cst.CSTNode) -> tuple:
        for inner in descendants(statement):
            if isinstance(inner, cst.Call):
                other = self.semantic.call_by_node.get(inner)
                if other is not None:
                    return other.loops
        return ()

    def _picked_from(self, site: "CallSite") -> cst.CSTNode | None:
        """The expression a call picks one candidate from, or None when it is no pick."""
        node = site.node
        if not _keeps_result(site.statement):
            return None
        method = site.method
        name = dotted_name(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if method in _PICK_METHODS and site.receiver is not None:
            if site.qualname is not None and site.qualname.startswith("numpy") and positional:
                return positional[0]  # np.argmax(scores)
            return site.receiver
        if last in _PICK_METHODS and positional and (site.qualname or "").startswith(("numpy", "torch")):
            return positional[0]
        if method in _SORTS and site.receiver is not None and _first_row_taken(site.statement, node):
            return site.receiver
        if last in _KEYED and method is None and positional and any(
            a.keyword is not None and a.keyword.value == "key" for a in node.args
        ):
            return positional[0]
        if last == "where" and (site.qualname or "").startswith("numpy") and positional \
                and isinstance(positional[0], cst.Comparison):
            comparison = positional[0]
            sides = [comparison.left, *(c.comparator for c in comparison.comparisons)]
            for side in sides:
                if isinstance(side, cst.Call) and (dotted_name(side.func) or "").rsplit(".", 1)[-1] in (
                    "max", "min", "nanmax", "nanmin", "amax", "amin"
                ):
                    others = [s for s in sides if s is not side]
                    if others:
                        return others[0]
        return None


def _aif_split(value: cst.BaseExpression) -> cst.Call | None:
    """`ds.split([0.7], shuffle=True)`, `ds.split(2)`: AIF360's StructuredDataset.split."""
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
        return None
    if value.func.attr.value != "split" or not value.args or value.args[0].keyword is not None:
        return None
    if isinstance(value.func.value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return None
    literal = literal_value(value.args[0].value)
    if isinstance(literal, bool):
        return None
    if isinstance(literal, (int, float)) or (
        isinstance(literal, (list, tuple)) and literal and all(isinstance(x, (int, float)) for x in literal)
    ):
        return value
    return None


def _returns_estimator(value: cst.BaseExpression) -> bool:
    """`model = model.fit(...)`: the estimator, not data."""
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
        and value.func.attr.value in ("fit", "partial_fit")


def _keeps_result(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return any(isinstance(s, (cst.Assign, cst.AnnAssign, cst.Return, cst.AugAssign)) for s in statement.body)


def _first_row_taken(statement: cst.CSTNode, call: cst.Call) -> bool:
    """`df.sort_values(...).iloc[0]`, `.head(1)`, `.index[0]`, `sorted(...)[0]`: the sort keeps
    its first row."""
    for node in descendants(statement):
        if isinstance(node, cst.Subscript):
            base = node.value
            if base is call or (isinstance(base, cst.Attribute) and base.value is call
                                and base.attr.value in ("iloc", "loc", "index", "values")):
                return True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.value is call \
                and node.func.attr.value in ("head", "first", "tail"):
            return True
    return False
