"""Hyperparameter search spaces of one file, read once and shared by every rule that needs them.

`search_spaces(ctx)` returns a list of `SearchSpace`, computed on first use and cached on the file
context. It reads:

- scikit-learn searches (every knowledge-base API with role "search": GridSearchCV,
  RandomizedSearchCV, Halving*, skopt's BayesSearchCV) and `ParameterGrid`/`ParameterSampler`. The
  grid may be a dict literal, a list of dicts (alternatives), `dict(C=[...])`, or a name bound to one,
  followed through later `grid["x"] = ...` and `grid.update({...})` before the search call. Values may
  be lists, `np.linspace/logspace/geomspace/arange`, `range`, comprehensions over `range`,
  scipy.stats distributions (`uniform`, `loguniform`/`reciprocal`, `randint`, ...) and skopt
  dimensions (`Real/Integer/Categorical` and the `(low, high, "log-uniform")` shorthand). The
  estimator is followed through names, and pipelines (`Pipeline`, `make_pipeline`, `ColumnTransformer`,
  `FeatureUnion`, nested) are read into their named steps, so a key `clf__C` maps to step `clf`.
- Optuna `trial.suggest_*` calls (`log=True`, `step`), Hyperopt `hp.*` (bounds of `hp.loguniform`
  are logarithms), Ray Tune `tune.*` (`grid_search` is a grid) and Keras-Tuner `hp.Float/Int/Choice`
  (`sampling="log"`). These are grouped into one space per function (the objective or model builder).

Every `Dimension` carries its name as written, the node to report at, its candidate values (grids)
or distribution (kind, bounds, log flag), and — where the analysis can tell — the knowledge-base
`Param` it sets (`dim.param`) and the `Api` that receives it (`dim.api`): for scikit-learn through the
estimator or pipeline step; for the sampling frameworks through the call that consumes the sampled
value (`SVC(C=trial.suggest_float(...))`, `params = {"eta": ...}; xgb.train(params, ...)`), falling
back to the parameter name when every API of the knowledge base agrees on what that name means.

`is_in_search_space(ctx, node)` tells whether an expression is part of a search space (a grid value,
a distribution's bound): hard-coded-value rules use it to stay quiet there.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import libcst as cst

from hplint import knowledge
from hplint.analysis.semantic import _visible
from hplint.analysis.values import (
    NOT_LITERAL,
    dotted_name,
    is_number,
    literal_text,
    literal_value,
)
from hplint.analysis.walk import children
from hplint.knowledge.schema import Api, Param

if TYPE_CHECKING:
    from hplint.analysis.semantic import Binding, CallSite, Scope, SemanticModel
    from hplint.context import FileContext

# How a dimension is searched.
GRID = "grid"  # a finite list of candidates, all tried (or sampled uniformly from)
DISTRIBUTION = "distribution"  # a continuous or integer range sampled from
UNKNOWN = "unknown"  # something the analysis cannot read (a variable, a call it does not know)


@dataclass(slots=True, eq=False, repr=False)
class Dimension:
    """One searched hyperparameter."""

    name: str  # as written: "clf__C", "lr", "learning_rate"
    node: cst.CSTNode  # where to report: the grid key, or the sampling call
    values_node: cst.BaseExpression | None  # the expression giving the candidates
    kind: str = UNKNOWN  # GRID, DISTRIBUTION or UNKNOWN
    # GRID: the candidates when every one is a literal (else None), and how many there are.
    values: tuple | None = None
    size: int | None = None
    # How a grid was built: "list", "linspace", "logspace", "geomspace", "arange", "range",
    # "comprehension"; for a distribution the sampler: "uniform", "loguniform", "int", "normal" ...
    source: str = "list"
    low: float | None = None
    high: float | None = None
    log: bool = False  # sampled or spaced log-uniformly
    integer: bool = False
    # What the dimension sets, when known.
    param: Param | None = None
    api: Api | None = None
    consumer: cst.Call | None = None  # Optuna & co.: the call receiving the sampled value

    @property
    def param_name(self) -> str:
        """The parameter without pipeline step prefixes (`clf__C` → `C`)."""
        return self.name.rsplit("__", 1)[-1]

    @property
    def step_path(self) -> tuple[str, ...]:
        return tuple(self.name.split("__")[:-1])

    @property
    def numeric_values(self) -> list[float]:
        if not self.values:
            return []
        return [v for v in self.values if is_number(v)]


@dataclass(slots=True, eq=False, repr=False)
class Estimator:
    """The model a search tunes, or one step of it."""

    node: cst.BaseExpression
    qualname: str | None = None
    api: Api | None = None
    call: cst.Call | None = None  # the constructor call, when found
    # For pipelines: step name -> step (None when the steps could not be read).
    steps: dict[str, "Estimator | None"] | None = None

    @property
    def is_pipeline(self) -> bool:
        return self.api is not None and self.api.role == "pipeline"

    @property
    def short_name(self) -> str:
        if self.qualname:
            return self.qualname.rsplit(".", 1)[-1]
        return literal_text(self.node) if isinstance(self.node, (cst.Name, cst.Attribute)) else "the estimator"


@dataclass(slots=True, eq=False, repr=False)
class SearchSpace:
    framework: str  # "sklearn", "optuna", "hyperopt", "ray", "keras_tuner"
    anchor: cst.CSTNode  # the search call, or the function defining the space
    call: "CallSite | None"  # the sklearn search call (GridSearchCV(...)); None for the others
    space_node: cst.BaseExpression | None  # the grid argument as passed
    # Alternatives (a list of grids); one grid for everything but sklearn lists of dicts.
    grids: list[list[Dimension]] = field(default_factory=list)
    complete: bool = True  # False when part of the space could not be read
    samples: bool = False  # sampled (randomized, Bayesian, Optuna ...) rather than enumerated
    halving: bool = False  # successive halving: not every candidate is fitted on every fold
    estimator: Estimator | None = None
    folds: int | None = None  # folds per candidate, when known

    @property
    def dimensions(self) -> Iterator[Dimension]:
        for grid in self.grids:
            yield from grid

    @property
    def label(self) -> str:
        """How messages name the search: `GridSearchCV`, `the Optuna objective `objective``."""
        if self.call is not None:
            return (self.call.written or "the search").rsplit(".", 1)[-1]
        if isinstance(self.anchor, cst.FunctionDef):
            return f"the search space of `{self.anchor.name.value}`"
        return "the search space"

    def candidates(self) -> int | None:
        """Number of grid points (sum over alternative grids), when every size is known."""
        total = 0
        for grid in self.grids:
            product = 1
            for dim in grid:
                if dim.kind != GRID or dim.size is None:
                    return None
                product *= max(dim.size, 1)
            total += product
        return total


def search_spaces(ctx: "FileContext") -> list[SearchSpace]:
    """Every search space of the file (cached on the context: computed once for all rules)."""
    return ctx.shared("search-space analysis", lambda: _Reader(ctx.semantic).read())


def is_in_search_space(ctx: "FileContext", node: cst.CSTNode) -> bool:
    """Is `node` (a literal, an expression) part of a search space: a grid value or a bound?"""
    nodes = ctx.__dict__.get("_search_space_nodes")
    if nodes is None:
        nodes = set()
        for space in search_spaces(ctx):
            for dim in space.dimensions:
                for root in (dim.values_node, dim.node):
                    if root is not None:
                        nodes.update(map(id, _descendants(root)))
        ctx.__dict__["_search_space_nodes"] = nodes
    return id(node) in nodes


def _descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


# -- reading values -----------------------------------------------------------------------------

# Grids built by a call: qualname -> how to read it.
_SPACING_CALLS = {
    "numpy.linspace": "linspace",
    "numpy.logspace": "logspace",
    "numpy.geomspace": "geomspace",
    "numpy.arange": "arange",
    "range": "range",
}
_LIST_WRAPPERS = frozenset({"list", "tuple", "sorted", "set"})

# Distributions used as search dimensions, by qualname: (sampler, log, integer, reader of bounds).
# scipy.stats: `uniform(loc, scale)` covers [loc, loc + scale]; `loguniform(a, b)`; `randint(low, high)`.
_SCIPY = "scipy.stats."
_SKOPT = "skopt.space."

_SKLEARN_SPACE_ONLY = {
    # Grids and samplers used in hand-written loops: a space without an estimator.
    "sklearn.model_selection.ParameterGrid": False,
    "sklearn.grid_search.ParameterGrid": False,
    "sklearn.model_selection.ParameterSampler": True,
    "sklearn.grid_search.ParameterSampler": True,
}

_OPTUNA_METHODS = {
    # method -> (sampler, log, integer); categorical is a grid of choices.
    "suggest_float": ("uniform", False, False),
    "suggest_uniform": ("uniform", False, False),
    "suggest_loguniform": ("loguniform", True, False),
    "suggest_discrete_uniform": ("uniform", False, False),
    "suggest_int": ("int", False, True),
    "suggest_categorical": ("choice", False, False),
}
_HYPEROPT_FUNCTIONS = {
    # hp.<name>(label, ...) -> (sampler, log, integer); log-space samplers take log(bounds).
    "uniform": ("uniform", False, False),
    "quniform": ("uniform", False, False),
    "uniformint": ("int", False, True),
    "loguniform": ("loguniform", True, False),
    "qloguniform": ("loguniform", True, False),
    "randint": ("int", False, True),
    "normal": ("normal", False, False),
    "qnormal": ("normal", False, False),
    "lognormal": ("lognormal", True, False),
    "qlognormal": ("lognormal", True, False),
    "choice": ("choice", False, False),
    "pchoice": ("choice", False, False),
}
_RAY_FUNCTIONS = {
    "uniform": ("uniform", False, False),
    "quniform": ("uniform", False, False),
    "loguniform": ("loguniform", True, False),
    "qloguniform": ("loguniform", True, False),
    "randint": ("int", False, True),
    "qrandint": ("int", False, True),
    "lograndint": ("int", True, True),
    "qlograndint": ("int", True, True),
    "randn": ("normal", False, False),
    "qrandn": ("normal", False, False),
    "choice": ("choice", False, False),
    "grid_search": ("grid", False, False),
}
_KERAS_TUNER_METHODS = {"Float": False, "Int": True, "Choice": None, "Boolean": None}


def _number(node: cst.BaseExpression | None) -> float | None:
    value = literal_value(node)
    return _as_float(value) if is_number(value) else None


_FLOAT_MAX = sys.float_info.max


def _within_float_range(value: object) -> object:
    """An int beyond the float range (`10**400`) as an infinity, like the literal `1e999`; rules
    divide and compare candidates as floats."""
    return _as_float(value) if is_number(value) and abs(value) > _FLOAT_MAX else value  # type: ignore[arg-type]


def _as_float(value: float) -> float:
    """`float(value)`, or an infinity for an int beyond the float range (`10**400`)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _count(node: cst.BaseExpression | None) -> int | None:
    value = literal_value(node)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Reader:
    def __init__(self, semantic: "SemanticModel") -> None:
        self.semantic = semantic
        self.roots = {q.split(".", 1)[0] for q in semantic.imports.values()}
        self.roots.update(m.split(".", 1)[0] for m in semantic.star_imports)

    def read(self) -> list[SearchSpace]:
        spaces: list[SearchSpace] = []
        for site in self.semantic.calls:
            api = site.api
            if api is not None and api.role == "search":
                spaces.append(self._sklearn_search(site, api))
            elif site.qualname in _SKLEARN_SPACE_ONLY:
                spaces.append(self._sklearn_space_only(site))
        spaces.extend(self._sampled_spaces())
        for space in spaces:
            self._resolve_params(space)
        return spaces

    # -- scikit-learn -------------------------------------------------------------------------

    def _sklearn_search(self, site: "CallSite", api: Api) -> SearchSpace:
        space_arg = site.argument(api.space_keyword or "param_grid", api.space_position)
        skopt = site.qualname is not None and site.qualname.startswith("skopt")
        space = SearchSpace(
            framework="sklearn",
            anchor=site.node,
            call=site,
            space_node=space_arg.value if space_arg is not None else None,
            samples=api.samples,
            halving=api.param("factor") is not None and api.param("min_resources") is not None,
        )
        if space_arg is None:
            space.complete = False
        else:
            space.grids, space.complete = self._grids(space_arg.value, site, skopt)
        estimator_arg = site.argument("estimator", api.estimator_position)
        if estimator_arg is not None:
            space.estimator = self._estimator(estimator_arg.value, site.order, site.scope, 0, site.statement)
        space.folds = self._folds(site, api)
        if any(arg.star for arg in site.node.args):
            space.complete = False
        return space

    def _sklearn_space_only(self, site: "CallSite") -> SearchSpace:
        arg = site.argument("param_grid", 0) or site.argument("param_distributions", 0)
        space = SearchSpace(
            framework="sklearn",
            anchor=site.node,
            call=site,
            space_node=arg.value if arg is not None else None,
            samples=_SKLEARN_SPACE_ONLY[site.qualname or ""],
        )
        if arg is None:
            space.complete = False
        else:
            space.grids, space.complete = self._grids(arg.value, site, skopt=False)
        return space

    def _grids(
        self, node: cst.BaseExpression, site: "CallSite", skopt: bool, depth: int = 0
    ) -> tuple[list[list[Dimension]], bool]:
        """The alternative grids an expression denotes, and whether all of it could be read."""
        if depth > 4:
            return [], False
        if isinstance(node, (cst.List, cst.Tuple)):
            grids: list[list[Dimension]] = []
            complete = True
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    complete = False
                    continue
                inner, inner_complete = self._grids(element.value, site, skopt, depth + 1)
                grids.extend(inner)
                complete = complete and inner_complete
            return grids, complete
        if isinstance(node, cst.Name):
            binding = self._binding(node.value, site.order, site.scope, site.statement)
            if binding is not None and isinstance(binding.value, (cst.List, cst.Tuple)):
                return self._grids(binding.value, site, skopt, depth + 1)
        if isinstance(node, (cst.Dict, cst.Call, cst.Name)):
            grid, complete = self._grid(node, site, skopt, depth)
            return ([grid] if grid is not None else []), complete
        return [], False

    def _grid(
        self, node: cst.BaseExpression, site: "CallSite", skopt: bool, depth: int
    ) -> tuple[list[Dimension] | None, bool]:
        """One grid (a dict of dimensions), following names and later item assignments."""
        entries: dict[str, Dimension] = {}
        complete = True
        if isinstance(node, cst.Name):
            binding = self._binding(node.value, site.order, site.scope, site.statement)
            if binding is None or binding.value is None or binding.unpack_index is not None:
                return None, False
            value = binding.value
            grid, complete = self._grid(value, site, skopt, depth + 1)
            if grid is None:
                return None, complete
            entries = {dim.name: dim for dim in grid}
            complete = self._apply_updates(node.value, binding, site, entries, skopt) and complete
            return list(entries.values()), complete
        if isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.StarredDictElement):
                    inner, inner_complete = self._grid(element.value, site, skopt, depth + 1)
                    complete = complete and inner_complete
                    for dim in inner or ():
                        entries[dim.name] = dim
                    continue
                key = literal_value(element.key)
                if not isinstance(key, str):
                    complete = False
                    continue
                entries[key] = self._dimension(key, element.key, element.value, site, skopt)
            return list(entries.values()), complete
        if isinstance(node, cst.Call) and dotted_name(node.func) == "dict" and "dict" not in self.semantic.bindings:
            for arg in node.args:
                if arg.keyword is None:
                    complete = False
                    continue
                key = arg.keyword.value
                entries[key] = self._dimension(key, arg.keyword, arg.value, site, skopt)
            return list(entries.values()), complete
        return None, False

    def _apply_updates(
        self, name: str, binding: "Binding", site: "CallSite", entries: dict[str, Dimension], skopt: bool
    ) -> bool:
        """Apply `name["k"] = v` and `name.update({...})` between the binding and the search."""
        complete = True
        for assignment in self.semantic.item_assignments.get(name, ()):
            if not binding.order < assignment.order < site.order:
                continue
            key = literal_value(assignment.key)  # type: ignore[arg-type]
            if not isinstance(key, str):
                complete = False
                continue
            entries[key] = self._dimension(key, assignment.key, assignment.value, site, skopt)
        for call in self.semantic.calls:
            if not binding.order < call.order < site.order or call.written != f"{name}.update":
                continue
            arg = call.positional(0)
            if arg is not None and isinstance(arg.value, cst.Dict):
                grid, inner_complete = self._grid(arg.value, site, skopt, 1)
                complete = complete and inner_complete
                for dim in grid or ():
                    entries[dim.name] = dim
            for kwarg in call.node.args:
                if kwarg.keyword is not None:
                    key = kwarg.keyword.value
                    entries[key] = self._dimension(key, kwarg.keyword, kwarg.value, site, skopt)
            if arg is not None and not isinstance(arg.value, cst.Dict):
                complete = False
        return complete

    def _dimension(
        self, name: str, key_node: cst.CSTNode, value: cst.BaseExpression, site: "CallSite", skopt: bool
    ) -> Dimension:
        dim = Dimension(name=name, node=key_node, values_node=value)
        self._read_values(dim, value, site, skopt, depth=0)
        return dim

    def _read_values(
        self, dim: Dimension, node: cst.BaseExpression, site: "CallSite", skopt: bool, depth: int
    ) -> None:
        if skopt and isinstance(node, cst.Tuple) and 2 <= len(node.elements) <= 3:
            # skopt shorthand: (low, high) or (low, high, "log-uniform") is a range, not two values.
            items = literal_value(node)
            if isinstance(items, tuple) and all(is_number(v) for v in items[:2]):
                dim.kind, dim.source = DISTRIBUTION, "uniform"
                dim.low, dim.high = _as_float(items[0]), _as_float(items[1])
                dim.integer = all(isinstance(v, int) for v in items[:2])
                dim.log = len(items) == 3 and items[2] == "log-uniform"
                if dim.log:
                    dim.source = "loguniform"
                return
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return
            dim.kind, dim.source = GRID, "list"
            dim.size = len(node.elements)
            values = literal_value(node)
            if values is not NOT_LITERAL:
                dim.values = tuple(map(_within_float_range, values))  # type: ignore[call-overload]
            else:
                # Keep the literal candidates; None marks the others (estimators, names).
                dim.values = tuple(
                    _within_float_range(v) if (v := literal_value(e.value)) is not NOT_LITERAL else _Opaque(e.value)
                    for e in node.elements
                )
            return
        if isinstance(node, cst.ListComp):
            self._read_comprehension(dim, node)
            return
        if isinstance(node, cst.Name) and depth < 3:
            binding = self._binding(node.value, site.order, site.scope, site.statement)
            if binding is not None and binding.value is not None and binding.unpack_index is None:
                self._read_values(dim, binding.value, site, skopt, depth + 1)
            return
        if not isinstance(node, cst.Call):
            return
        written = dotted_name(node.func)
        if written in _LIST_WRAPPERS and node.args and written not in self.semantic.bindings:
            self._read_values(dim, node.args[0].value, site, skopt, depth + 1)
            return
        qualname = self.semantic.resolve(node.func) or (written if written == "range" else None)
        if qualname is None:
            return
        if qualname in _SPACING_CALLS:
            self._read_spacing(dim, node, _SPACING_CALLS[qualname])
        elif qualname.startswith(_SCIPY) or qualname in ("sklearn.utils.fixes.loguniform",):
            self._read_scipy(dim, node, qualname.rsplit(".", 1)[-1])
        elif qualname.startswith(("skopt.space", "skopt.")) and qualname.rsplit(".", 1)[-1] in (
            "Real", "Integer", "Categorical"
        ):
            self._read_skopt(dim, node, qualname.rsplit(".", 1)[-1])

    def _read_comprehension(self, dim: Dimension, node: cst.ListComp) -> None:
        comp = node.for_in
        if comp.inner_for_in is not None or comp.ifs or not isinstance(comp.iter, cst.Call):
            return
        if dotted_name(comp.iter.func) != "range":
            return
        probe = Dimension(dim.name, dim.node, comp.iter)
        self._read_spacing(probe, comp.iter, "range")
        if probe.size is None:
            return
        dim.kind, dim.source, dim.size = GRID, "comprehension", probe.size
        element = node.elt
        # [10 ** i for i in range(-3, 4)] and [2 ** k ...] are log-spaced.
        if isinstance(element, cst.BinaryOperation) and isinstance(element.operator, cst.Power):
            base = _number(element.left)
            if base is not None and base > 1 and probe.low is not None and probe.high is not None:
                try:
                    dim.low, dim.high = base**probe.low, base**probe.high
                except OverflowError:  # [10.0 ** i for i in range(1000)]
                    return
                dim.log = True

    def _read_spacing(self, dim: Dimension, node: cst.Call, how: str) -> None:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if how in ("linspace", "logspace", "geomspace"):
            start = _number(positional[0] if positional else keywords.get("start"))
            stop = _number(positional[1] if len(positional) > 1 else keywords.get("stop"))
            num_node = positional[2] if len(positional) > 2 else keywords.get("num")
            num = 50 if num_node is None else _count(num_node)
            dim.kind, dim.source, dim.size = GRID, how, num
            if start is None or stop is None:
                return
            if how == "logspace":
                base = _number(keywords.get("base")) or 10.0
                try:
                    dim.low, dim.high = base**start, base**stop
                except OverflowError:
                    return
                dim.log = True
            else:
                dim.low, dim.high = start, stop
                dim.log = how == "geomspace"
            if num is not None and num <= 1000:
                dim.values = _spaced(dim.low, dim.high, num, dim.log)
            return
        # range / arange: (stop) or (start, stop[, step])
        numbers = [_number(p) for p in positional[:3]]
        if not numbers or any(n is None for n in numbers):
            return
        if len(numbers) == 1:
            start, stop, step = 0.0, numbers[0], 1.0
        else:
            start, stop = numbers[0], numbers[1]
            step = numbers[2] if len(numbers) > 2 else 1.0
        if not step:
            return
        span = (stop - start) / step  # type: ignore[operator]
        if not math.isfinite(span):
            return  # an infinite bound (`range(1e999)`): no grid to count
        count = max(0, math.ceil(span))
        dim.kind, dim.source, dim.size = GRID, how, count
        if count:
            dim.low, dim.high = start, start + step * (count - 1)  # type: ignore[operator]
            if count <= 1000:
                dim.values = tuple(start + step * i for i in range(count))  # type: ignore[operator]
        dim.integer = how == "range"

    def _read_scipy(self, dim: Dimension, node: cst.Call, name: str) -> None:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        dim.kind = DISTRIBUTION
        if name == "uniform":
            loc = _number(positional[0] if positional else keywords.get("loc"))
            scale = _number(positional[1] if len(positional) > 1 else keywords.get("scale"))
            loc = 0.0 if loc is None and not positional and "loc" not in keywords else loc
            scale = 1.0 if scale is None and len(positional) < 2 and "scale" not in keywords else scale
            dim.source = "uniform"
            if loc is not None and scale is not None:
                dim.low, dim.high = loc, loc + scale
        elif name in ("loguniform", "reciprocal"):
            dim.source, dim.log = "loguniform", True
            dim.low = _number(positional[0] if positional else keywords.get("a"))
            dim.high = _number(positional[1] if len(positional) > 1 else keywords.get("b"))
        elif name == "randint":
            dim.source, dim.integer = "int", True
            dim.low = _number(positional[0] if positional else keywords.get("low"))
            dim.high = _number(positional[1] if len(positional) > 1 else keywords.get("high"))
        else:
            dim.source = name  # expon, norm, truncnorm ...: no bounds the rules can use

    def _read_skopt(self, dim: Dimension, node: cst.Call, name: str) -> None:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if name == "Categorical":
            categories = positional[0] if positional else keywords.get("categories")
            if categories is not None:
                self._read_values(dim, categories, None, False, 3)  # type: ignore[arg-type]
            return
        dim.kind, dim.source = DISTRIBUTION, "uniform" if name == "Real" else "int"
        dim.integer = name == "Integer"
        dim.low = _number(positional[0] if positional else keywords.get("low"))
        dim.high = _number(positional[1] if len(positional) > 1 else keywords.get("high"))
        prior = literal_value(positional[2] if len(positional) > 2 else keywords.get("prior"))
        if prior == "log-uniform":
            dim.log = True
            dim.source = "loguniform"

    def _binding(self, name: str, before: int, scope: "Scope", statement: cst.CSTNode | None) -> "Binding | None":
        """The binding of `name` visible before walk order `before`, ignoring the one made by the
        statement itself (`clf = GridSearchCV(clf, ...)` binds `clf` before its call is walked)."""
        found = None
        for binding in self.semantic.bindings_of(name):
            if binding.order >= before:
                break
            if binding.statement is statement or not _visible(binding.scope, scope):
                continue
            found = binding
        return found

    def _estimator(
        self,
        node: cst.BaseExpression,
        before: int,
        scope: "Scope",
        depth: int = 0,
        statement: cst.CSTNode | None = None,
    ) -> Estimator | None:
        if depth > 5:
            return None
        if isinstance(node, cst.Name):
            binding = self._binding(node.value, before, scope, statement)
            # Only the binding that reaches this use: `semantic.types` holds a name's last
            # constructor anywhere in the file, which a loop variable must not inherit.
            if binding is not None and binding.value is not None and binding.unpack_index is None:
                found = self._estimator(binding.value, binding.order, binding.scope, depth + 1)
                if found is not None:
                    found.node = node
                    return found
            return None
        if not isinstance(node, cst.Call):
            return None
        site = self.semantic.call_by_node.get(node)
        if site is None or site.qualname is None:
            return None
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Call):
            # `LogisticRegression().set_params(...)`: some estimator, whose class we do not track.
            return Estimator(node)
        estimator = Estimator(node, site.qualname, site.api, node)
        if site.api is not None and site.api.role == "pipeline":
            estimator.steps = self._steps(site, before, scope, depth)
        return estimator

    def _steps(
        self, site: "CallSite", before: int, scope: "Scope", depth: int
    ) -> dict[str, Estimator | None] | None:
        """Named steps of a pipeline-like call, or None when they cannot all be read."""
        api = site.api
        assert api is not None
        steps: dict[str, Estimator | None] = {}
        list_param = next((n for n in ("steps", "transformer_list", "transformers") if api.param(n)), None)
        if list_param is not None:
            param = api.param(list_param)
            arg = site.argument(list_param, param.position if param else None)
            if arg is None:
                return None
            value = arg.value
            if isinstance(value, cst.Name):
                binding = self.semantic.last_binding(value.value, before, scope)
                value = binding.value if binding is not None and binding.value is not None else value
            if not isinstance(value, (cst.List, cst.Tuple)):
                return None
            for element in value.elements:
                item = element.value
                if not isinstance(item, cst.Tuple) or len(item.elements) < 2:
                    return None
                name = literal_value(item.elements[0].value)
                if not isinstance(name, str):
                    return None
                steps[name] = self._estimator(item.elements[1].value, before, scope, depth + 1)
            return steps
        # make_pipeline / make_union / make_column_transformer: names are the lower-cased class
        # names, numbered when repeated.
        items = []
        for arg in site.node.args:
            if arg.star:
                return None
            if arg.keyword is not None:
                continue
            value = arg.value
            if isinstance(value, cst.Tuple) and value.elements:  # (transformer, columns)
                value = value.elements[0].value
            items.append(self._estimator(value, before, scope, depth + 1))
        names = []
        for item in items:
            # The name comes from the class: known APIs and classes of this file only.
            if item is None or item.qualname is None or (item.api is None and "." in item.qualname):
                return None
            names.append(item.qualname.rsplit(".", 1)[-1].lower())
        for index, (name, item) in enumerate(zip(names, items)):
            if names.count(name) > 1:
                name = f"{name}-{names[:index + 1].count(name)}"
            steps[name] = item
        return steps

    def _folds(self, site: "CallSite", api: Api) -> int | None:
        arg = site.keyword(api.cv_keyword or "cv")
        if arg is None:
            return api.default_folds
        return self.folds_of(arg.value, site)

    def folds_of(self, node: cst.BaseExpression, site: "CallSite") -> int | None:
        """Folds denoted by a `cv=` value: an int, a splitter (through a name), else None."""
        count = _count(node)
        if count is not None:
            return count
        if isinstance(node, cst.Name):
            binding = self._binding(node.value, site.order, site.scope, site.statement)
            if binding is None or binding.value is None or binding.unpack_index is not None:
                return None
            node = binding.value
        if not isinstance(node, cst.Call):
            return None
        splitter = self.semantic.call_by_node.get(node)
        if splitter is None or splitter.api is None or splitter.api.role != "splitter":
            return None
        param = splitter.api.param("n_splits")
        if param is None:
            return None
        arg = splitter.argument("n_splits", param.position)
        folds = _count(arg.value) if arg is not None else 5
        repeats = splitter.keyword("n_repeats")
        if splitter.api.param("n_repeats") is not None:
            times = _count(repeats.value) if repeats is not None else 10
            return folds * times if folds is not None and times is not None else None
        return folds

    # -- Optuna, Hyperopt, Ray Tune, Keras-Tuner -----------------------------------------------

    def _sampled_spaces(self) -> list[SearchSpace]:
        by_scope: dict[tuple[str, int], SearchSpace] = {}
        keys = self._dict_keys()
        for site in self.semantic.calls:
            found = self._sampled_dimension(site, keys)
            if found is None:
                continue
            framework, dim = found
            scope_node = site.scope.node
            space = by_scope.get((framework, id(scope_node)))
            if space is None:
                space = SearchSpace(
                    framework=framework,
                    anchor=scope_node if isinstance(scope_node, cst.FunctionDef) else site.node,
                    call=None,
                    space_node=None,
                    grids=[[]],
                    samples=True,
                )
                by_scope[(framework, id(scope_node))] = space
            dim.api, dim.param, dim.consumer = self._consumer(site)
            space.grids[0].append(dim)
        return list(by_scope.values())

    def _dict_keys(self) -> dict[int, tuple[str, cst.CSTNode]]:
        """For calls written as dict values (`{"lr": tune.loguniform(...)}`): id(call) -> key."""
        keys: dict[int, tuple[str, cst.CSTNode]] = {}
        if not self.roots & {"hyperopt", "ray"}:
            return keys
        for bindings in self.semantic.bindings.values():
            for binding in bindings:
                if binding.value is not None:
                    _note_dict_keys(binding.value, keys)
        for site in self.semantic.calls:
            for arg in site.node.args:
                _note_dict_keys(arg.value, keys)
        return keys

    def _sampled_dimension(
        self, site: "CallSite", keys: dict[int, tuple[str, cst.CSTNode]]
    ) -> tuple[str, Dimension] | None:
        method = site.method
        qualname = site.qualname or ""
        if method in _OPTUNA_METHODS and "optuna" in self.roots and isinstance(site.receiver, cst.Name):
            sampler, log, integer = _OPTUNA_METHODS[method]
            return "optuna", self._labelled(site, sampler, log, integer, ("name",), ("low", "high"))
        if qualname.startswith("hyperopt.hp.") and qualname.rsplit(".", 1)[-1] in _HYPEROPT_FUNCTIONS:
            name = qualname.rsplit(".", 1)[-1]
            sampler, log, integer = _HYPEROPT_FUNCTIONS[name]
            dim = self._labelled(site, sampler, log, integer, ("label",), ("low", "high"))
            if name == "randint" and len([a for a in site.node.args if a.keyword is None and not a.star]) == 2:
                dim.low, dim.high = 0.0, _number(site.positional(1).value)  # type: ignore[union-attr]
            if log and dim.low is not None and dim.high is not None:
                # hp.loguniform(label, log(low), log(high)): bounds are natural logarithms.
                try:
                    dim.low, dim.high = math.exp(dim.low), math.exp(dim.high)
                except OverflowError:
                    dim.low = dim.high = None
            elif log:
                dim.low, dim.high = self._log_bounds(site)
            return "hyperopt", dim
        if qualname.startswith("ray.tune.") and qualname.rsplit(".", 1)[-1] in _RAY_FUNCTIONS:
            sampler, log, integer = _RAY_FUNCTIONS[qualname.rsplit(".", 1)[-1]]
            name, key_node = keys.get(id(site.node), (literal_text(site.node.func), site.node))
            dim = Dimension(name=name, node=key_node, values_node=site.node, log=log, integer=integer)
            if sampler in ("choice", "grid"):
                values = site.argument("categories", 0) or site.argument("values", 0)
                if values is not None:
                    self._read_values(dim, values.value, site, False, 0)
                dim.source = sampler
            else:
                dim.kind, dim.source = DISTRIBUTION, sampler
                dim.low = _number((site.argument("lower", 0) or site.argument("low", 0) or _NO_ARG).value)
                dim.high = _number((site.argument("upper", 1) or site.argument("high", 1) or _NO_ARG).value)
            return "ray", dim
        if (
            method in _KERAS_TUNER_METHODS
            and self.roots & {"keras_tuner", "kerastuner"}
            and isinstance(site.receiver, cst.Name)
        ):
            integer = _KERAS_TUNER_METHODS[method]
            if integer is None:
                sampler = "choice"
                dim = self._labelled(site, sampler, False, False, ("name",), ())
                values = site.argument("values", 1)
                if method == "Choice" and values is not None:
                    self._read_values(dim, values.value, site, False, 0)
                    dim.source = "choice"
                elif method == "Boolean":
                    dim.kind, dim.values, dim.size = GRID, (False, True), 2
                return "keras_tuner", dim
            sampling = literal_value((site.keyword("sampling") or _NO_ARG).value)
            log = isinstance(sampling, str) and sampling.lower() in ("log", "reverse_log")
            dim = self._labelled(
                site, "int" if integer else "uniform", log, integer, ("name",), ("min_value", "max_value")
            )
            return "keras_tuner", dim
        return None

    def _labelled(
        self,
        site: "CallSite",
        sampler: str,
        log: bool,
        integer: bool,
        label_keywords: tuple[str, ...],
        bound_keywords: tuple[str, ...],
    ) -> Dimension:
        """A dimension from a call of the form `f(label, low, high, ...)` or `f(label, choices)`."""
        label_arg = site.argument(label_keywords[0], 0)
        label = literal_value(label_arg.value) if label_arg is not None else NOT_LITERAL
        name = label if isinstance(label, str) else (literal_text(label_arg.value) if label_arg else "?")
        dim = Dimension(name=name, node=site.node, values_node=site.node, log=log, integer=integer)
        if sampler == "choice":
            choices = site.argument("choices", 1) or site.argument("options", 1)
            if choices is not None:
                self._read_values(dim, choices.value, site, False, 0)
            dim.source = "choice"
            return dim
        dim.kind, dim.source = DISTRIBUTION, sampler
        if bound_keywords:
            low_arg = site.argument(bound_keywords[0], 1)
            high_arg = site.argument(bound_keywords[1], 2)
            dim.low = _number(low_arg.value) if low_arg is not None else None
            dim.high = _number(high_arg.value) if high_arg is not None else None
        log_arg = site.keyword("log")
        if log_arg is not None:
            flag = literal_value(log_arg.value)
            if flag is True:
                dim.log = True
            elif flag is not False:
                dim.log = True  # `log=use_log`: unknown, assume the author chose well
        if dim.log and sampler == "uniform":
            dim.source = "loguniform"
        return dim

    def _log_bounds(self, site: "CallSite") -> tuple[float | None, float | None]:
        """`hp.loguniform("lr", np.log(1e-5), np.log(1e-1))`: the bounds inside the logs."""
        bounds = []
        for index, keyword in ((1, "low"), (2, "high")):
            arg = site.argument(keyword, index)
            inner = arg.value if arg is not None else None
            if isinstance(inner, cst.Call) and (self.semantic.resolve(inner.func) or "").endswith(".log") and inner.args:
                bounds.append(_number(inner.args[0].value))
            else:
                bounds.append(None)
        return bounds[0], bounds[1]

    # -- what each dimension sets ----------------------------------------------------------------

    def _consumer(self, site: "CallSite") -> tuple[Api | None, Param | None, cst.Call | None]:
        """The API and parameter receiving a sampled value, followed one name or dict deep."""
        target = site.node
        names: set[str] = set()
        dict_key: str | None = None
        dict_names: set[str] = set()
        binding = self._binding_of_value(site)
        if binding is not None:
            names.add(binding.name)
        for call in self.semantic.calls:
            if call.scope is not site.scope or call is site:
                continue
            for arg in call.node.args:
                value = arg.value
                direct = value is target or (isinstance(value, cst.Name) and value.value in names)
                if direct and call.api is not None:
                    param = self._param_of_arg(call, arg)
                    if param is not None:
                        return call.api, param, call.node
                if isinstance(value, cst.Dict):
                    key = _key_of(value, target, names)
                    if key is not None and call.api is not None:
                        param = call.api.param(key)
                        if param is not None:
                            return call.api, param, call.node
        # The value sits in a dict bound to a name, later passed as `**params` or a params dict.
        for bindings in self.semantic.bindings.values():
            for dict_binding in bindings:
                if dict_binding.scope is not site.scope or not isinstance(dict_binding.value, cst.Dict):
                    continue
                key = _key_of(dict_binding.value, target, names)
                if key is not None:
                    dict_key = key
                    dict_names.add(dict_binding.name)
        for owner, assignments in self.semantic.item_assignments.items():
            for assignment in assignments:
                if assignment.scope is site.scope and (
                    assignment.value is target
                    or (isinstance(assignment.value, cst.Name) and assignment.value.value in names)
                ):
                    key = literal_value(assignment.key)  # type: ignore[arg-type]
                    if isinstance(key, str):
                        dict_key = key
                        dict_names.add(owner)
        if dict_key is None:
            return None, _param_by_name(_label_param(site)), None
        for call in self.semantic.calls:
            if call.scope is not site.scope or call.api is None:
                continue
            for arg in call.node.args:
                if isinstance(arg.value, cst.Name) and arg.value.value in dict_names:
                    if arg.star == "**" or self._is_params_dict_arg(call, arg):
                        param = call.api.param(dict_key)
                        if param is not None:
                            return call.api, param, call.node
        return None, _param_by_name(dict_key), None

    def _binding_of_value(self, site: "CallSite") -> "Binding | None":
        for binding in self.semantic.bindings.get(_assigned_name(site), ()):
            if binding.value is site.node:
                return binding
        return None

    def _is_params_dict_arg(self, call: "CallSite", arg: cst.Arg) -> bool:
        api = call.api
        if api is None:
            return False
        if arg.keyword is not None:
            return arg.keyword.value == (api.params_dict_keyword or "params")
        if api.params_dict_position is None:
            return False
        return call.positional(api.params_dict_position) is arg

    def _param_of_arg(self, call: "CallSite", arg: cst.Arg) -> Param | None:
        api = call.api
        assert api is not None
        if arg.keyword is not None:
            return api.param(arg.keyword.value)
        if arg.star:
            return None
        position = [a for a in call.node.args if a.keyword is None and not a.star].index(arg)
        return api.param_at(position)

    def _resolve_params(self, space: SearchSpace) -> None:
        """Attach the knowledge-base parameter each sklearn grid key sets."""
        if space.framework != "sklearn":
            return
        for dim in space.dimensions:
            step = step_of(space.estimator, dim.step_path)
            if step is not None and step.api is not None and not step.is_pipeline:
                dim.api = step.api
                dim.param = step.api.param(dim.param_name)
            elif space.estimator is None or step is None:
                dim.param = _param_by_name(dim.param_name)


class _Opaque:
    """A non-literal grid candidate (an estimator, a variable)."""

    __slots__ = ("node",)

    def __init__(self, node: cst.BaseExpression) -> None:
        self.node = node

    def __repr__(self) -> str:
        return literal_text(self.node)


_NO_ARG = cst.Arg(value=cst.Name("__missing__"))


def _spaced(low: float, high: float, num: int, log: bool) -> tuple[float, ...]:
    if num == 1:
        return (low,)
    if log:
        if low <= 0 or high <= 0:
            return ()
        ratio = (high / low) ** (1 / (num - 1))
        return tuple(low * ratio**i for i in range(num))
    step = (high - low) / (num - 1)
    return tuple(low + step * i for i in range(num))


def _key_of(node: cst.Dict, target: cst.CSTNode, names: set[str]) -> str | None:
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            continue
        value = element.value
        if value is target or (isinstance(value, cst.Name) and value.value in names):
            key = literal_value(element.key)
            return key if isinstance(key, str) else None
    return None


def _assigned_name(site: "CallSite") -> str:
    statement = site.statement
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is site.node:
            target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
            if isinstance(target, cst.Name):
                return target.value
    return ""


def _label_param(site: "CallSite") -> str:
    # A labelled dimension's name is its label ("lr"); `hp.choice("clf__C", ...)` keeps the last part.
    label = site.argument("name", 0) or site.argument("label", 0)
    value = literal_value(label.value) if label is not None else None
    return value.rsplit("__", 1)[-1] if isinstance(value, str) else ""


def step_of(estimator: Estimator | None, path: tuple[str, ...]) -> Estimator | None:
    """The pipeline step a key prefix names (`("clf",)` → the `clf` step), or the estimator itself."""
    current = estimator
    for part in path:
        if current is None or current.steps is None:
            return None
        current = current.steps.get(part)
    if current is not None and current.is_pipeline and not path and current.steps:
        return current
    return current


@lru_cache(maxsize=1024)
def _param_by_name(name: str | None) -> Param | None:
    """A parameter known by name alone: at least three quarters of the knowledge-base APIs using
    that name agree on its kind and scale (`weight_decay`, `reg_lambda`, `learning_rate`), else None."""
    if not name:
        return None
    votes: dict[tuple[str, str | None], list[Param]] = {}
    for api in _apis_by_param().get(name, ()):
        param = api.param(name)
        if param is not None:
            votes.setdefault((param.kind, param.scale), []).append(param)
    if not votes:
        return None
    best = max(votes.values(), key=len)
    return best[0] if len(best) * 4 >= 3 * sum(map(len, votes.values())) else None


@lru_cache(maxsize=1)
def _apis_by_param() -> dict[str, list[Api]]:
    index: dict[str, list[Api]] = {}
    for api in knowledge.all_apis():
        for param in api.params:
            for name in (param.name, *param.aliases):
                index.setdefault(name, []).append(api)
    return index


def _note_dict_keys(node: cst.BaseExpression, keys: dict[int, tuple[str, cst.CSTNode]]) -> None:
    """Note in `keys` the key of every value of the dict `node` (a literal or `dict(...)`), nested
    dicts included. A module-level function: a nested one that calls itself is a reference cycle
    (function -> its closure cell -> function) left for the garbage collector on every run."""
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = literal_value(element.key)
                if isinstance(key, str):
                    keys[id(element.value)] = (key, element.key)
                _note_dict_keys(element.value, keys)
    elif isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        for arg in node.args:
            if arg.keyword is not None:
                keys[id(arg.value)] = (arg.keyword.value, arg.keyword)
                _note_dict_keys(arg.value, keys)
