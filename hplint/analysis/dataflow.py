"""Data lineage of one file: which variables hold full, train, validation or test data, and what was
fitted, scored and selected on what. Computed once per file (`ctx.dataflow`), shared by the leakage
(HPL4xx) and model-selection (HPL2xx) rules.

How: an abstract interpretation over the statements in program order (a notebook is one program,
cells in order). Each expression evaluates to a `Value`; assignments bind values to names in an
environment; `if` branches are joined; loop bodies run twice so loop-carried data reaches its uses;
helper functions defined in the file are interpreted at their call sites with the arguments' values
(context-sensitive summaries, bounded depth); functions never called directly (Optuna objectives,
callbacks, methods) are interpreted once, with parameters of unknown lineage, where they are passed
or at the end of their scope (then with the names as they were where the function was defined). No libcst metadata providers: calls are resolved through
`ctx.semantic` (imports, knowledge-base records).

Public API (everything else is private)
---------------------------------------
`analyze(ctx) -> DataFlow`, cached on ctx as `ctx.dataflow`.

`DataFlow`
  - `splits: list[SplitEvent]`: every place data is divided. `SplitEvent.node` (the call or slice),
    `.method` ("train_test_split", "kfold", "slice", "random_split", "hf_split", "keras_load_data",
    "sample"), `.sources` (names of the split variables, as written), `.inputs` (their `Value`s),
    `.outputs` (tuple of `(target name or None, kind)`), `.line_node` (node to name in messages).
  - `fits: list[FitEvent]`: `fit`/`fit_transform`/`fit_resample`/`partial_fit`/`fit_generator`,
    boosters' `train`, a Trainer's training data, and *statistics* (`df.mean()` used to fill or
    scale data: `role == "statistic"`). `.node` (call), `.receiver` (name of the fitted object or
    None), `.api` (knowledge-base record of the fitted object's constructor, or None), `.role`
    (KB role: "preprocessor", "feature_selector", "resampler", "estimator", "search", "pipeline",
    "model", "trainer", "booster_train", "statistic", or None), `.method`, `.data` (Values of the data
    arguments, X first), `.eval_data` (Values given as eval_set/valid_sets/validation_data/
    eval_dataset), `.early_stopping` (node that turns on early stopping / best-model selection, or
    None), `.loops`, `.scope`, `.site` (the call in the analysed scope that led here: differs from
    `.node` when the fit happens inside a helper function).
  - `evaluations: list[EvalEvent]`: `score`/`evaluate`/`predict*`/metric calls/`cross_val_score`.
    `.node`, `.method`, `.model` (ObjectInfo or None), `.data` (Values), `.kind` (joined data kind),
    `.role` ("predict", "score", "metric", "cv"), `.loops`, `.site`, `.scored` (predictions that
    reach a metric or are compared with other data).
  - `applications: list[ApplyEvent]`: learned state applied to data: a fitted object's `transform`/
    `predict` ..., or a statistic filling/scaling data. `.node`, `.obj` (None for statistics),
    `.data`, `.fit` (the FitEvent whose state is applied).
  - `selection_loops: list[SelectionLoop]`: a loop (or an HPO objective function) whose evaluation
    results pick a winner. `.node` (For/While/FunctionDef/CompFor), `.kind` ("hyperparameter",
    "model", "epoch", "objective", "other"), `.evaluations` (EvalEvents whose scores are picked),
    `.pick` (the max/argmax/`if score > best` node, None for objectives), `.checkpoint` (a model save
    under the pick: best-epoch checkpointing), `.fits` (fit events inside the loop).
  - `functions: dict[str, FunctionSummary]`: helper summaries: `.fits_params` (parameter names
    passed as training data), `.evaluates_params`, `.returns` (Value of the last interpretation).
  - `event_nodes()`: every node a message may name, to compute positions in one pass
    (`ctx.prefetch_positions`).
  - `value_of(expr) -> Value | None`: the Value an expression node had when interpreted (last pass).
  - `binding_value(target) -> Value | None`: the Value bound at an assignment target node.
  - `lineage_at(name, node) -> Value | None`: the Value of `name` just before `node` (via the
    semantic model's bindings).

`Value` (immutable)
  - `.kind`: FULL "full" (not split), TRAIN, VALIDATION, TEST, MIXED (rows of test and of train or
    validation together, e.g. `pd.concat([train, test])`), UNKNOWN.
  - `.evidence`: why the kind is what it is: "split" (a split's position), "path" (a file named test
    loaded), "key" (`dataset["test"]`, `split="test"`, `train=False`), "name" (the variable's name
    alone: last resort), "" for full/unknown. `is_known` is True for every evidence but "name":
    rules never report on a name alone.
  - `.split`: the SplitEvent that produced the kind (or None), `.sources` (frozenset of origin
    nodes: two values sharing one hold rows of the same data), `.fits` (FitEvents whose learned
    state was applied to this data: transformers, statistics), `.resampled` (resampling FitEvents),
    `.time_order` (node showing the data is time ordered), `.scores` (EvalEvents whose results this
    value holds, also through lists and dicts), `.collection` (scores gathered per candidate: what
    an argmax picks from), `.predictions` (predict EvalEvents whose output this value holds),
    `.indices` (row indices of a K-fold split), `.obj` (ObjectInfo for
    models/transformers), `.items` (tuple of Values, for tuples that unpack).

`ObjectInfo`: `.api` (KB record), `.role` (KB role; a pipeline without a model at its end reports
the role of its steps), `.fits` (FitEvents in order), `.parts` (steps of a pipeline, the estimator of
a search), `.cls` (the ClassDef of instances of classes defined in the file, whose methods are
interpreted when called with `self` bound to the instance).

Name heuristics (decision)
--------------------------
Names (`X_test`, `test_df`, `test_loader`, `x_val`) are used only (1) to give a kind, with evidence
"name", to data whose origin the analysis cannot see (parameters, undefined names), and (2) to
refine the held-out part of a split of full data from "test" to "validation" when the target's name
says validation (`X_tr, X_val = train_test_split(X)`): this can only make rules quieter. A name
never turns data into test data for a finding: rules check `Value.is_known`.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable

import libcst as cst
from libcst._nodes.internal import CodegenState

from hplint import knowledge
from hplint.analysis.values import dotted_name, literal_value
from hplint.analysis.walk import children, walk
from hplint.knowledge.schema import Api

if TYPE_CHECKING:
    from hplint.analysis.semantic import CallSite, Scope, SemanticModel
    from hplint.engine import FileContext

FULL, TRAIN, VALIDATION, TEST, MIXED, UNKNOWN = "full", "train", "validation", "test", "mixed", "unknown"
SPLIT_KINDS = frozenset({TRAIN, VALIDATION, TEST, MIXED})

# -- the abstract values ----------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class ObjectInfo:
    """A model, transformer, search or other fitted object (shared by its aliases)."""

    api: Api | None
    node: cst.CSTNode  # the constructor call (or whatever created it)
    name: str | None = None  # the first name it was bound to
    fits: list["FitEvent"] = field(default_factory=list)  # in order
    # For Pipeline/make_pipeline/searches: the objects inside (steps, the searched estimator).
    parts: tuple["ObjectInfo", ...] = ()
    callbacks: tuple["Value", ...] = ()  # Trainer/compile-time callbacks
    config: "Value | None" = None  # TrainingArguments of a Trainer
    cls: cst.ClassDef | None = None  # for instances of classes defined in the file

    @property
    def role(self) -> str | None:
        """The KB role; for a pipeline without a model at its end, the role of its steps
        ("preprocessor", or "feature_selector" when it selects features)."""
        role = self.api.role if self.api is not None else None
        if role != "pipeline" or not self.parts:
            return role
        roles = {part.role for part in self.parts}
        if roles <= {"preprocessor", "feature_selector", None} and roles - {None}:
            return "feature_selector" if "feature_selector" in roles else "preprocessor"
        return role

    @property
    def last_fit(self) -> "FitEvent | None":
        return self.fits[-1] if self.fits else None


@dataclass(frozen=True, slots=True, eq=False)
class Value:
    kind: str = UNKNOWN
    evidence: str = ""
    split: "SplitEvent | None" = None
    sources: frozenset = frozenset()
    fits: frozenset = frozenset()
    resampled: frozenset = frozenset()
    time_order: cst.CSTNode | None = None
    scores: frozenset = frozenset()
    obj: ObjectInfo | None = None
    items: tuple["Value", ...] | None = None
    # A dict of named splits (`load_dataset(...)`, `ds.train_test_split()`): `v["test"]` is test.
    split_dict: bool = False
    # A statistic of data (`X.mean()`): becomes a FitEvent when applied to data.
    statistic: "FitEvent | None" = None
    # Literal values when known (for loops over hyperparameter values).
    literal: bool = False
    # Row indices of a split (`for train_idx, val_idx in kf.split(X)`): `X[train_idx]` selects rows.
    indices: bool = False
    # Scores gathered per candidate (appended to a list, stored in a dict): what argmax picks from.
    collection: bool = False
    # Predict EvalEvents whose output this value holds (`y_pred`, `y_pred[:, 1]`, `y_pred.round()`).
    predictions: frozenset = frozenset()

    @property
    def is_known(self) -> bool:
        """The kind rests on what the code does, not on a variable's name."""
        return self.kind in SPLIT_KINDS and self.evidence != "name"

    @property
    def is_test(self) -> bool:
        return self.kind in (TEST, MIXED) and self.evidence != "name"

    if TYPE_CHECKING:

        def with_(self, **changes) -> "Value":
            """A copy with `changes` (field name -> new value): generated below."""


_VALUE_FIELDS = tuple(Value.__dataclass_fields__)


def _generated_with() -> "Callable[..., Value]":
    """`Value.with_(**changes)`: a copy with `changes` (field name -> new value). Generated with one
    keyword parameter per field (a missing one keeps the field), written straight into the new
    object's slots: no dict of every field, no dataclass __init__; twice as fast, and it is called
    some 100,000 times on a large notebook."""
    keep = object()
    lines = [f"def with_(self, *, {', '.join(f'{name}=_keep' for name in _VALUE_FIELDS)}):",
             "    new = _new(_Value)"]
    lines += [f"    _set(new, {name!r}, self.{name} if {name} is _keep else {name})" for name in _VALUE_FIELDS]
    lines.append("    return new")
    namespace = {"_keep": keep, "_new": object.__new__, "_Value": Value, "_set": object.__setattr__}
    exec("\n".join(lines), namespace)
    function = namespace["with_"]
    function.__doc__ = "A copy with `changes` (field name -> new value)."
    function.__qualname__ = "Value.with_"
    return function


Value.with_ = _generated_with()  # type: ignore[method-assign]
UNKNOWN_VALUE = Value()
LITERAL_VALUE = Value(literal=True)
_LITERAL_TYPES = frozenset({cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString})


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


# -- helpers on kinds -------------------------------------------------------------------------------


def join_kinds(kinds: Iterable[str]) -> str:
    """The kind of data made of rows of all `kinds` (concatenation, arithmetic)."""
    present = {k for k in kinds if k != UNKNOWN}
    if not present:
        return UNKNOWN
    if len(present) == 1:
        return present.pop()
    if TEST in present or MIXED in present:
        return MIXED
    if present <= {TRAIN, VALIDATION, FULL}:
        return FULL if FULL in present else TRAIN
    return UNKNOWN


def combine(values: Iterable[Value], node: cst.CSTNode | None = None) -> Value:
    """Data computed from several values: rows and learned state of all of them."""
    values = [v for v in values if v is not None]
    if not values:
        return UNKNOWN_VALUE
    if len(values) == 1:
        return values[0].with_(items=None, obj=None, split_dict=False, literal=False)
    known = [v for v in values if v.kind != UNKNOWN]
    kind = join_kinds(v.kind for v in known)
    splits = {v.split for v in known if v.split is not None}
    evidence = ""
    if known:
        evidences = {v.evidence for v in known}
        evidence = "name" if evidences == {"name"} else next(
            (e for e in ("split", "key", "path", "name") if e in evidences), ""
        )
    sources: frozenset = frozenset()
    fits: frozenset = frozenset()
    resampled: frozenset = frozenset()
    scores: frozenset = frozenset()
    predictions: frozenset = frozenset()
    time_order = None
    for v in values:
        sources |= v.sources
        fits |= v.fits
        resampled |= v.resampled
        scores |= v.scores
        predictions |= v.predictions
        time_order = time_order or v.time_order
    return Value(
        kind=kind,
        evidence=evidence,
        split=splits.pop() if len(splits) == 1 else None,
        sources=sources,
        fits=fits,
        resampled=resampled,
        time_order=time_order,
        scores=scores,
        literal=all(v.literal for v in values),
        collection=any(v.collection for v in values),
        predictions=predictions,
    )


def join_branches(a: Value | None, b: Value | None) -> Value:
    """The value of a variable after an `if` whose branches bound it to `a` and `b`."""
    if a is None or a is b:
        return b or UNKNOWN_VALUE
    if b is None:
        return a
    if a.kind == b.kind:
        merged = combine([a, b])
        return merged.with_(obj=a.obj or b.obj, items=a.items if a.items is not None else b.items)
    # Test in one branch, train in the other: the variable may be either; say nothing definite.
    merged = combine([a, b])
    return merged.with_(kind=UNKNOWN, evidence="", split=None, obj=a.obj or b.obj)


_NAME_TOKENS = re.compile(r"[a-z]+")
_NAME_PREFIXES = ("x", "y", "df", "ds", "d", "data", "dataset", "features", "labels", "target")
_VALIDATION_TOKENS = frozenset({"val", "valid", "validate", "validation", "vali", "dev", "eval", "cv", "oof"})
_TEST_TOKENS = frozenset({"test", "tst", "testing", "holdout", "tests", "testset"})
_TRAIN_TOKENS = frozenset({"train", "trn", "training", "trainset"})


@lru_cache(maxsize=4096)
def kind_from_name(name: str | None) -> str | None:
    """The kind a variable's name suggests (last resort; see the module docstring).

    Words of the name (`x_validate` -> x, validate; `testloader` -> testloader), with a leading
    x/y/df/ds/data stripped (`xtest`, `dtrain`), and `*loader`/`*set`/`*data` suffixes stripped.
    """
    if not name:
        return None
    kinds = set()
    for word in _NAME_TOKENS.findall(name.lower()):
        for candidate in _word_forms(word):
            if candidate in _VALIDATION_TOKENS:
                kinds.add(VALIDATION)
            elif candidate in _TEST_TOKENS:
                kinds.add(TEST)
            elif candidate in _TRAIN_TOKENS:
                kinds.add(TRAIN)
    for kind in (VALIDATION, TEST, TRAIN):
        if kind in kinds:
            return kind
    return None


def _word_forms(word: str) -> set[str]:
    forms = {word}
    for prefix in _NAME_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            forms.add(word[len(prefix):])
    for form in list(forms):
        for suffix in ("loader", "set", "data", "df", "ds", "gen", "generator", "dataset"):
            if form.endswith(suffix) and len(form) > len(suffix) + 2:
                forms.add(form[: -len(suffix)])
    return forms


def _path_kind(text: str) -> str | None:
    """`test.csv`, `data/test/`, `test_features_v2.parquet`: the kind a data file's path states."""
    pieces = text.replace("\\", "/").lower().rstrip("/").split("/")
    stem = pieces[-1].rsplit(".", 1)[0] if "." in pieces[-1] else pieces[-1]
    for words in (re.split(r"[_\-. ]+", stem), *(re.split(r"[_\-. ]+", p) for p in pieces[-3:-1])):
        if _TEST_WORDS & set(words):
            return TEST
    if _VALIDATION_WORDS & set(re.split(r"[_\-. ]+", stem)):
        return VALIDATION
    return None


_TEST_WORDS = frozenset({"test", "testing", "holdout", "tst"})
_VALIDATION_WORDS = frozenset({"val", "valid", "validation", "dev"})


_KEY_KINDS = {
    "train": TRAIN,
    "training": TRAIN,
    "test": TEST,
    "testing": TEST,
    "validation": VALIDATION,
    "valid": VALIDATION,
    "val": VALIDATION,
    "dev": VALIDATION,
}

# -- vocabulary of data operations (pandas/numpy are not in the knowledge base: they are not ML APIs)

# Methods whose result holds the same rows as the receiver (selection, reshaping, conversion).
# Statistics learned from rows (min/max are left out: mostly plot ranges, rarely scaling).
_APPLY_FUNCTION_METHODS = frozenset({"apply", "applymap", "map", "transform", "pipe", "agg", "aggregate"})
_STATISTIC_METHODS = frozenset({"mean", "median", "std", "var", "mode", "quantile", "nanmean", "nanmedian",
                                "nanstd", "average"})
_FILL_METHODS = frozenset({"fillna", "replace", "clip", "where", "mask", "interpolate"})
_NON_DATA_ATTRS = frozenset({"shape", "columns", "dtypes", "dtype", "ndim", "size", "index", "name",
                             "classes_", "coef_", "feature_importances_", "best_params_", "best_score_",
                             "best_estimator_", "cv_results_", "n_features_in_", "history"})
_CONCAT_FUNCTIONS = frozenset({"concat", "vstack", "hstack", "concatenate", "row_stack", "r_", "append",
                               "cat", "ConcatDataset", "concatenate_datasets", "merge"})
_READERS = re.compile(r"^(?:read_\w+|load|loadtxt|genfromtxt|fromfile|load_dataset|load_from_disk|open"
                      r"|ImageFolder|DatasetFolder|flow_from_directory|image_dataset_from_directory"
                      r"|text_dataset_from_directory)$")
# Calls that say *which* candidate scored best (an index or a label), not just the best score.
_WHICH_PICKS = frozenset({"argmax", "argmin", "nanargmax", "nanargmin", "idxmax", "idxmin"})
# These pick a candidate only with `key=` (`max(scores, key=scores.get)`); `max(scores)` is the best
# score itself, a selection only when it is then looked up (`params[scores.index(max(scores))]`).
_KEYED_PICKS = frozenset({"max", "min", "sorted"})
_SAVE_CALLS = re.compile(r"(?:^|\.)(?:save|save_model|save_weights|save_pretrained|state_dict|deepcopy|"
                         r"copy|dump|save_checkpoint)$")
# Calls that take an objective function: Optuna's optimize, Hyperopt's fmin, scikit-optimize's
# gp_minimize and friends (Ray Tune's run/Tuner are recognised by their qualified name).
_OPTIMIZER_ENTRIES = frozenset({"optimize", "fmin", "gp_minimize", "forest_minimize", "gbrt_minimize",
                                "dummy_minimize"})
# Booster arguments that stop training at the best round on the eval set (CatBoost's use_best_model
# keeps the best iteration).
_EARLY_STOPPING_KEYWORDS = ("early_stopping_rounds", "early_stopping_round", "early_stopping", "early_stop",
                            "use_best_model")
_EVAL_KEYWORDS = ("eval_set", "valid_sets", "validation_data", "eval_dataset", "evals", "val_dataloaders",
                  "valid_set", "eval_data")
_FIT_METHODS = frozenset({"fit", "fit_transform", "fit_resample", "fit_sample", "partial_fit",
                          "fit_generator", "train_on_batch", "fit_predict"})
_APPLY_METHODS = frozenset({"transform", "predict", "predict_proba", "predict_log_proba",
                            "decision_function", "inverse_transform", "apply", "kneighbors", "__call__",
                            "generate"})
_PREDICT_METHODS = frozenset({"predict", "predict_proba", "predict_log_proba", "decision_function",
                              "predict_generator", "predict_on_batch"})
_SCORE_METHODS = frozenset({"score", "evaluate", "evaluate_generator", "test_on_batch"})


def _last(qualname: str | None) -> str:
    return qualname.rsplit(".", 1)[-1] if qualname else ""


# -- the interpreter -------------------------------------------------------------------------------


class _Env(dict):
    """name -> Value for one scope; falls back to the enclosing scope's environment."""

    def __init__(self, parent: "_Env | None" = None, data=()):
        super().__init__(data)
        self.parent = parent

    def lookup(self, name: str) -> Value | None:
        env: _Env | None = self
        while env is not None:
            if name in env:
                return env[name]
            env = env.parent
        return None

    def copy(self) -> "_Env":
        return _Env(self.parent, self)


@dataclass(slots=True)
class _Frame:
    """Where the interpreter is: the environment, the call sites that led here, the function."""

    env: _Env
    sites: tuple[cst.Call, ...] = ()  # call sites of inlined helpers, outermost first
    function: cst.FunctionDef | None = None
    params: tuple[str, ...] = ()
    returns: list[Value] = field(default_factory=list)
    depth: int = 0
    # Comprehensions being evaluated (the semantic model visits a comprehension's element before
    # its `for`, so calls in the element do not list it among their loops).
    comprehensions: tuple[cst.CompFor, ...] = ()


_MAX_INLINE_DEPTH = 3
_MAX_INLINES = 400


# Loop nesting up to which a loop body is interpreted twice (loop-carried data reaching its uses).
_DOUBLED_LOOPS = 6


class _Interpreter:
    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        self.semantic = ctx.semantic
        self.flow = DataFlow(semantic=self.semantic)
        self._fit_keys: dict[tuple, FitEvent] = {}
        self._eval_keys: dict[tuple, EvalEvent] = {}
        self._split_keys: dict[tuple, SplitEvent] = {}
        self._statistics: dict[tuple, FitEvent] = {}  # computed; in `fits` once applied to data
        self._apply_keys: dict[tuple, ApplyEvent] = {}
        self._picks: list[tuple[cst.CSTNode, frozenset, tuple[cst.CSTNode, ...], tuple]] = []
        self._called: set[str] = set()
        self._objectives: set[str] = set()
        self._analysed_functions: set[cst.FunctionDef] = set()
        # The environment where each function or class was defined: what a function never called
        # in the file sees (not the names as the end of the file left them).
        self._definition_envs: dict[cst.CSTNode, _Env] = {}
        self._inlines = 0
        self._loop_depth = 0
        self._slices: dict[tuple[str, str], tuple[str, cst.Name, bool]] = {}
        self._checkpoint_nodes: list[tuple[cst.CSTNode, tuple]] = []
        self._collect_called_functions()
        # A file named test is a test set only next to one named train (`train.csv`/`test.csv`);
        # alone (`Bird Strikes Test.csv`) it is just the dataset.
        self._paired_files = self._reads_a_train_file()

    # -- setup ----------------------------------------------------------------------------------
    def _collect_called_functions(self) -> None:
        for site in self.semantic.calls:
            if isinstance(site.node.func, cst.Name) and site.node.func.value in self.semantic.functions:
                self._called.add(site.node.func.value)
            entry = site.method or _last(site.written)
            if (site.api is not None and site.api.role == "hpo_study") or entry in _OPTIMIZER_ENTRIES or (
                entry in ("run", "Tuner") and (site.qualname or "").startswith("ray.")
            ):
                for arg in site.node.args:
                    name = dotted_name(arg.value)
                    if name in self.semantic.functions:
                        self._objectives.add(name)

    def _reads_a_train_file(self) -> bool:
        for site in self.semantic.calls:
            for arg in site.node.args[:1]:
                for text in _string_parts(arg.value):
                    if "train" in text.lower():
                        return True
        return False

    def run(self) -> DataFlow:
        module = self.ctx.module
        frame = _Frame(_Env())
        self.exec_block(module.body, frame)
        self._finish_functions(module.body, frame)
        self._build_selection_loops()
        self.flow.splits = list(self._split_keys.values())
        self.flow.fits = list(self._fit_keys.values())
        self.flow.evaluations = list(self._eval_keys.values())
        self.flow.applications = list(self._apply_keys.values())
        return self.flow

    def _finish_functions(self, body: Iterable[cst.CSTNode], frame: _Frame) -> None:
        """Interpret functions (and methods) never called directly, once, with unknown parameters."""
        for statement in body:
            if isinstance(statement, cst.FunctionDef):
                if statement not in self._analysed_functions:
                    self._analyse_standalone(statement, self._defined_in(statement, frame))
            elif isinstance(statement, cst.ClassDef):
                for inner in statement.body.body:
                    if isinstance(inner, cst.FunctionDef) and inner not in self._analysed_functions:
                        self._analyse_standalone(inner, self._defined_in(statement, frame), method=True)
            elif isinstance(statement, (cst.If, cst.Try, cst.With)):
                self._finish_functions(_sub_blocks(statement), frame)

    def _defined_in(self, definition: cst.CSTNode, frame: _Frame) -> _Frame:
        """`frame` with the environment `definition` was executed in. A function never called here
        may run at any time; reading the data as the end of the file left it would link it to
        fits and splits that come later in the file (`def evaluate(): train_test_split(train)`
        above `vectorizer.fit(train + test)`)."""
        env = self._definition_envs.get(definition)
        if env is None:
            return frame
        return _Frame(env, frame.sites, frame.function, frame.params, frame.returns, frame.depth,
                      frame.comprehensions)

    def _analyse_standalone(self, function: cst.FunctionDef, outer: _Frame, method: bool = False,
                            site: cst.Call | None = None) -> None:
        self._analysed_functions.add(function)
        env = _Env(outer.env)
        params = _param_list(function)
        for index, name in enumerate(params):
            if method and index == 0:
                continue
            kind = kind_from_name(name)
            env[name] = Value(kind=kind or UNKNOWN, evidence="name" if kind else "",
                              sources=frozenset({("param", function, name)}))
        sites = outer.sites + (site,) if site is not None else outer.sites
        frame = _Frame(env, sites, function, params, depth=outer.depth + 1)
        self.exec_block(function.body.body if isinstance(function.body, cst.IndentedBlock) else (), frame)
        self._finish_functions(
            function.body.body if isinstance(function.body, cst.IndentedBlock) else (), frame
        )

    # -- statements -------------------------------------------------------------------------------
    def exec_block(self, statements: Iterable[cst.CSTNode], frame: _Frame) -> None:
        for statement in statements:
            self.exec_statement(statement, frame)

    def exec_statement(self, statement: cst.CSTNode, frame: _Frame) -> None:
        if isinstance(statement, (cst.SimpleStatementLine, _SuiteLine)):
            for small in statement.body:
                self.exec_small(small, frame)
        elif isinstance(statement, cst.FunctionDef):
            frame.env[statement.name.value] = Value(sources=frozenset())
            self._definition_envs[statement] = frame.env.copy()
            summary = self.flow.functions.get(statement.name.value)
            if summary is None:
                self.flow.functions[statement.name.value] = FunctionSummary(statement, _param_list(statement))
        elif isinstance(statement, cst.ClassDef):
            self._definition_envs[statement] = frame.env.copy()
        elif isinstance(statement, cst.If):
            self.eval(statement.test, frame)
            self._exec_if(statement, frame)
        elif isinstance(statement, (cst.For, cst.While)):
            self._exec_loop(statement, frame)
        elif isinstance(statement, cst.With):
            for item in statement.items:
                value = self.eval(item.item, frame)
                if item.asname is not None:
                    self.bind(item.asname.name, value, frame)
            self.exec_block(_body(statement.body), frame)
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            self.exec_block(_body(statement.body), frame)
            for handler in statement.handlers:
                self.exec_block(_body(handler.body), frame)
            if statement.orelse is not None:
                self.exec_block(_body(statement.orelse.body), frame)
            if statement.finalbody is not None:
                self.exec_block(_body(statement.finalbody.body), frame)
        elif isinstance(statement, cst.Match):
            self.eval(statement.subject, frame)
            for case in statement.cases:
                self.exec_block(_body(case.body), frame)

    def _exec_if(self, statement: cst.If, frame: _Frame) -> None:
        before = frame.env.copy()
        self.exec_block(_body(statement.body), frame)
        after_then = frame.env.copy()
        frame.env.clear()
        frame.env.update(before)
        orelse = statement.orelse
        if isinstance(orelse, cst.If):
            self.eval(orelse.test, frame)
            self._exec_if(orelse, frame)
        elif isinstance(orelse, cst.Else):
            self.exec_block(_body(orelse.body), frame)
        after_else = dict(frame.env)
        for name in set(after_then) | set(after_else):
            a, b = after_then.get(name), after_else.get(name)
            if a is not b:
                frame.env[name] = join_branches(a, b)
        if _is_pick_test(statement.test):
            self._record_compare_pick(statement, frame)

    def _exec_loop(self, statement: cst.For | cst.While, frame: _Frame) -> None:
        # Two passes at every level cost 2**depth for nested loops (a file with 60 nested loops
        # never finished): loops nested deeper than _DOUBLED_LOOPS run their body once.
        self._loop_depth += 1
        try:
            for _ in range(2 if self._loop_depth <= _DOUBLED_LOOPS else 1):
                if isinstance(statement, cst.For):
                    iterable = self.eval(statement.iter, frame)
                    self.bind_loop_target(statement.target, statement.iter, iterable, frame)
                else:
                    self.eval(statement.test, frame)
                self.exec_block(_body(statement.body), frame)
        finally:
            self._loop_depth -= 1
        if statement.orelse is not None:
            self.exec_block(_body(statement.orelse.body), frame)

    def exec_small(self, small: cst.BaseSmallStatement, frame: _Frame) -> None:
        if isinstance(small, cst.Assign):
            value = self.eval(small.value, frame)
            for target in small.targets:
                self.assign(target.target, value, small.value, frame)
            self._note_slice_assignment(small, frame)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, frame), small.value, frame)
        elif isinstance(small, cst.AugAssign):
            value = self.eval(small.value, frame)
            old = self.eval(small.target, frame)
            self.assign(small.target, combine([old, value]).with_(obj=old.obj), small.value, frame,
                        augmented=True)
        elif isinstance(small, cst.Expr):
            self.eval(small.value, frame)
        elif isinstance(small, cst.Return):
            if small.value is not None:
                frame.returns.append(self.eval(small.value, frame))

    # -- binding ----------------------------------------------------------------------------------
    def bind(self, target: cst.CSTNode, value: Value, frame: _Frame) -> None:
        if isinstance(target, cst.Name):
            frame.env[target.value] = value
            self.flow.bound[target] = value
            if value.obj is not None and value.obj.name is None:
                value.obj.name = target.value

    def assign(self, target: cst.CSTNode, value: Value, source: cst.CSTNode | None, frame: _Frame,
               augmented: bool = False) -> None:
        if isinstance(target, cst.Name):
            self.bind(target, self._refine_by_name(value, target.value), frame)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e.value for e in target.elements]
            items = value.items
            for index, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    element = element.value
                item = items[index] if items is not None and index < len(items) else value.with_(items=None)
                self.assign(element, item, None, frame)
            self._name_split_outputs(elements, items)
        elif isinstance(target, (cst.Subscript, cst.Attribute)):
            # `df["a"] = expr`, `X.loc[m, "a"] = expr`: the container now holds expr's learned state.
            root = _root_name(target)
            if root is not None:
                old = frame.env.lookup(root)
                if old is not None and old.obj is None:
                    frame.env[root] = old.with_(
                        fits=old.fits | value.fits, resampled=old.resampled | value.resampled,
                        scores=old.scores | value.scores, time_order=old.time_order or value.time_order,
                        sources=old.sources | (value.sources if value.kind == old.kind else frozenset()),
                    )
                elif old is None and value.scores:
                    frame.env[root] = Value(scores=value.scores, collection=True)
                if old is not None and value.scores and root in frame.env:
                    frame.env[root] = frame.env[root].with_(collection=True)

    def _name_split_outputs(self, elements: list, items: tuple[Value, ...] | None) -> None:
        """`X_train, X_test = train_test_split(X)`: the split's outputs get their names."""
        if not items or len(items) != len(elements) or items[0].split is None:
            return
        split = items[0].split
        if any(item.split is not split for item in items) or len(split.outputs) != len(items):
            return
        outputs = []
        for element, item in zip(elements, items):
            name = element.value if isinstance(element, cst.Name) else None
            bound = self.flow.bound.get(element) if name else None
            outputs.append((name, bound.kind if bound is not None else item.kind))
        split.outputs = outputs

    def _refine_by_name(self, value: Value, name: str) -> Value:
        """Names tell a split's parts apart where positions cannot (see the module docstring):
        a part named `*_val` is validation data; of a split of held-out data (the 3-way split
        `X_val, X_test = train_test_split(X_rest)`), the part named test stays test."""
        split = value.split
        named = kind_from_name(name)
        if value.evidence == "key" and value.kind == TEST and named == VALIDATION:
            # `(x_train, y_train), (x_valid, y_valid) = mnist.load_data()`: used as validation.
            return value.with_(kind=VALIDATION)
        if value.evidence != "split" or split is None or value.kind not in (TRAIN, VALIDATION, TEST):
            return value
        if named == VALIDATION and value.kind != VALIDATION:
            return value.with_(kind=VALIDATION)
        if named == TEST and value.kind == VALIDATION and split.inputs \
                and all(v.kind == TEST for v in split.inputs):
            return value.with_(kind=TEST)
        if named == TRAIN and value.kind == TEST:
            # `X_train_1, X_train_2 = train_test_split(X_train)` (stacking halves): not a test set.
            return value.with_(kind=VALIDATION)
        return value

    def bind_loop_target(self, target: cst.CSTNode, iter_node: cst.CSTNode, iterable: Value,
                         frame: _Frame) -> None:
        self.assign(target, self._element(iterable, iter_node, frame), None, frame)

    def _element(self, iterable: Value, node: cst.CSTNode, frame: _Frame) -> Value:
        folds = self._folds_of(iterable, frame)
        return folds if folds is not iterable else _element_of(iterable, node)

    def _folds_of(self, iterable: Value, frame: _Frame) -> Value:
        """Splitters of scikit-learn < 0.18 (`KFold(n, n_folds)`) are iterated directly."""
        obj = iterable.obj
        if obj is None or obj.role != "splitter" or not isinstance(obj.node, cst.Call):
            return iterable
        return self._kfold(obj.node, obj, [], [], frame)

    # -- slices as splits: X[:n] and X[n:] ----------------------------------------------------------
    def _note_slice_assignment(self, small: cst.Assign, frame: _Frame) -> None:
        if len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
            return
        target_node = small.targets[0].target
        target = target_node.value
        parsed = _head_tail_slice(small.value)
        if parsed is None:
            return
        base, bound, is_head, slice_node = parsed
        key = (base, bound)
        other = self._slices.get(key)
        if other is None or other[2] == is_head:
            self._slices[key] = (target, target_node, is_head)
            return
        other_target, other_node, _ = other
        head, tail = (target, other_target) if is_head else (other_target, target)
        base_value = self.flow.values.get(_slice_base(small.value)) or UNKNOWN_VALUE
        # Slices of a concatenation of train and test take its parts back apart: not a split.
        if base_value.kind in (TEST, VALIDATION, MIXED) or base_value.obj is not None:
            return
        split = self._split_event(small.value, "slice", (base,), (base_value,), frame)
        held_out = VALIDATION if base_value.kind == TRAIN else TEST
        # Which end is held out is a convention (head trains, tail tests) unless the names say
        # otherwise (`x_test = x[:n]; x_train = x[n:]`).
        if kind_from_name(head) in (TEST, VALIDATION) and kind_from_name(tail) == TRAIN:
            head, tail = tail, head
        tail_kind = VALIDATION if kind_from_name(tail) == VALIDATION else held_out
        head_kind = TRAIN
        split.outputs = [(head, head_kind), (tail, tail_kind)]
        nodes = {target: target_node, other_target: other_node}
        for name, kind in ((head, head_kind), (tail, tail_kind)):
            current = frame.env.lookup(name)
            if current is not None:
                frame.env[name] = current.with_(kind=kind, evidence="split", split=split)
                self.flow.bound[nodes[name]] = frame.env[name]
        self._slices.pop(key, None)

    # -- expressions ----------------------------------------------------------------------------------
    def eval(self, node: cst.CSTNode | None, frame: _Frame) -> Value:
        if node is None:
            return UNKNOWN_VALUE
        value = self._eval(node, frame)
        self.flow.values[node] = value
        return value

    def _eval(self, node: cst.CSTNode, frame: _Frame) -> Value:
        # Exact type tests first: libcst nodes are ABCs and isinstance on them is slow.
        node_type = type(node)
        if node_type in _LITERAL_TYPES:
            return LITERAL_VALUE
        if node_type is cst.Call:
            return self._eval_call(node, frame)
        if node_type is cst.Name:
            value = frame.env.lookup(node.value)
            if value is not None:
                return value
            if node.value in ("True", "False", "None"):
                return Value(literal=True)
            if node.value in self.semantic.imports:
                return UNKNOWN_VALUE  # a module or an imported class, not data
            kind = kind_from_name(node.value)
            return Value(kind=kind or UNKNOWN, evidence="name" if kind else "",
                         sources=frozenset({("name", node.value)}))
        if isinstance(node, cst.FormattedString):
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    self.eval(part.expression, frame)
            return UNKNOWN_VALUE
        if isinstance(node, cst.Attribute):
            base = self.eval(node.value, frame)
            if node.attr.value in _NON_DATA_ATTRS or base.obj is not None:
                return Value(scores=base.scores if node.attr.value.startswith("best_score") else frozenset())
            return base.with_(items=None, split_dict=False, literal=False, statistic=None)
        if isinstance(node, cst.Subscript):
            return self._eval_subscript(node, frame)
        if isinstance(node, cst.Call):
            return self._eval_call(node, frame)
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            items = []
            for element in node.elements:
                items.append(self.eval(element.value, frame))
            merged = combine(items) if items else Value()
            return merged.with_(items=tuple(items), literal=all(i.literal for i in items),
                                collection=len(items) > 1 and bool(merged.scores))
        if isinstance(node, cst.Dict):
            values = []
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    self.eval(element.key, frame)
                    values.append(self.eval(element.value, frame))
                else:
                    values.append(self.eval(element.value, frame))
            merged = combine(values) if values else Value()
            return merged.with_(items=tuple(values), literal=all(v.literal for v in values),
                                collection=len(values) > 1 and bool(merged.scores))
        if isinstance(node, cst.BinaryOperation):
            left, right = self.eval(node.left, frame), self.eval(node.right, frame)
            _mark_compared([left, right])
            return self._apply_statistics(node, [left, right], frame)
        if isinstance(node, cst.UnaryOperation):
            return self.eval(node.expression, frame)
        if isinstance(node, cst.BooleanOperation):
            return combine([self.eval(node.left, frame), self.eval(node.right, frame)])
        if isinstance(node, cst.Comparison):
            values = [self.eval(node.left, frame)]
            values += [self.eval(c.comparator, frame) for c in node.comparisons]
            _mark_compared(values)
            # `x > df["a"].mean()`: a threshold learned from data.
            return self._apply_statistics(node, values, frame).with_(obj=None)
        if isinstance(node, cst.IfExp):
            test = self.eval(node.test, frame)
            joined = join_branches(self.eval(node.body, frame), self.eval(node.orelse, frame))
            return joined.with_(fits=joined.fits | test.fits) if test.fits else joined
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._eval_comprehension(node, frame)
        if isinstance(node, cst.Lambda):
            env = _Env(frame.env)
            for name in _param_list_of(node.params):
                env[name] = UNKNOWN_VALUE
            self.eval(node.body, _Frame(env, frame.sites, frame.function, depth=frame.depth))
            return UNKNOWN_VALUE
        if isinstance(node, cst.NamedExpr):
            value = self.eval(node.value, frame)
            self.assign(node.target, value, node.value, frame)
            return value
        if isinstance(node, (cst.Await, cst.StarredElement)):
            return self.eval(node.value if isinstance(node, cst.StarredElement) else node.expression, frame)
        if isinstance(node, (cst.Yield,)):
            if isinstance(node.value, cst.BaseExpression):
                return self.eval(node.value, frame)
        return UNKNOWN_VALUE

    def _eval_comprehension(self, node, frame: _Frame) -> Value:
        env = _Env(frame.env)
        comprehensions = []
        comp = node.for_in
        while comp is not None:
            comprehensions.append(comp)
            comp = comp.inner_for_in
        inner = _Frame(env, frame.sites, frame.function, frame.params, frame.returns, frame.depth,
                       frame.comprehensions + tuple(comprehensions))
        comp = node.for_in
        while comp is not None:
            iterable = self.eval(comp.iter, inner)
            self.bind_loop_target(comp.target, comp.iter, iterable, inner)
            for condition in comp.ifs:
                self.eval(condition.test, inner)
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            self.eval(node.key, inner)
            element = self.eval(node.value, inner)
        else:
            element = self.eval(node.elt, inner)
        return element.with_(items=None, collection=bool(element.scores))

    def _eval_subscript(self, node: cst.Subscript, frame: _Frame) -> Value:
        base = self.eval(node.value, frame)
        index_values = []
        for element in node.slice:
            inner = element.slice
            if isinstance(inner, cst.Index):
                index_values.append((inner.value, self.eval(inner.value, frame)))
            elif isinstance(inner, cst.Slice):
                for part in (inner.lower, inner.upper, inner.step):
                    if part is not None:
                        self.eval(part, frame)
        if base.items is not None and len(node.slice) == 1 and index_values:
            literal = literal_value(index_values[0][0])
            if isinstance(literal, int) and not isinstance(literal, bool) and -len(base.items) <= literal < len(base.items):
                return base.items[literal]
        if len(index_values) == 1:
            literal = literal_value(index_values[0][0])
            if isinstance(literal, str) and base.split_dict:
                kind = _KEY_KINDS.get(literal.lower())
                if kind == TEST and base.kind == TRAIN:
                    kind = VALIDATION  # `train_ds.train_test_split()["test"]`: held out of train
                if kind is not None:
                    return base.with_(kind=kind, evidence="key", split_dict=False, items=None,
                                      sources=base.sources)
        # X[train_idx], X.iloc[test_idx]: rows chosen by a split's indices.
        for _, index in index_values:
            if index.indices and index.kind in SPLIT_KINDS:
                if index.split is not None and not any(v is base for v in index.split.selected):
                    index.split.selected.append(base)
                return base.with_(kind=index.kind, evidence=index.evidence, split=index.split,
                                  items=None, obj=None, split_dict=False, literal=False,
                                  fits=base.fits | index.fits, resampled=base.resampled | index.resampled)
        if base.obj is not None:
            return Value(scores=base.scores)
        if base.kind == MIXED and _selects_rows(node, base, index_values):
            return _rows_of_mixed(base)
        return base.with_(items=None, split_dict=False, literal=False, statistic=base.statistic)

    # -- calls ----------------------------------------------------------------------------------------
    def _site(self, node: cst.Call) -> "CallSite | None":
        return self.semantic.call_by_node.get(node)

    def _loops(self, node: cst.Call, frame: _Frame) -> tuple[cst.CSTNode, ...]:
        loops: tuple = ()
        for outer in frame.sites:
            site = self._site(outer)
            if site is not None:
                loops += site.loops
        site = self._site(node)
        if site is not None:
            loops += site.loops
        for comprehension in frame.comprehensions:
            if comprehension not in loops:
                loops += (comprehension,)
        return loops

    def _key(self, node: cst.CSTNode, frame: _Frame) -> tuple:
        return (node, frame.sites)

    def _eval_call(self, node: cst.Call, frame: _Frame) -> Value:
        func = node.func
        site = self._site(node)
        qualname = site.qualname if site is not None else None
        api = site.api if site is not None else None
        # Local helper functions: interpret their body with the arguments' values.
        if isinstance(func, cst.Name) and frame.env.lookup(func.value) is not None \
                and func.value in self.flow.functions:
            return self._call_helper(node, self.flow.functions[func.value], frame)
        receiver = None
        method = None
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            receiver = self.eval(func.value, frame)
        elif not isinstance(func, cst.Name):
            self.eval(func, frame)  # `get_model()(x)`, `models[i](x)`
        args = [(arg, self.eval(arg.value, frame)) for arg in node.args]
        positional = [v for a, v in args if a.keyword is None and not a.star]
        positional_nodes = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: v for a, v in args if a.keyword is not None}
        keyword_nodes = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if qualname is None and isinstance(func, cst.Name):
            qualname = self.semantic.resolve_dotted(func.value)
        role = api.role if api is not None else None
        name = _last(qualname) or (method or (func.value if isinstance(func, cst.Name) else ""))

        # `model(x)`: a network (or a callable model object) applied to data is a prediction.
        if isinstance(func, cst.Name):
            callee = frame.env.lookup(func.value)
            if callee is not None and callee.obj is not None and positional and (
                callee.obj.cls is not None or callee.obj.role in ("model", "estimator")
            ):
                x = positional[0]
                event = self._evaluation(node, "forward", "predict", callee.obj, (x,),
                                         _texts(positional_nodes[:1]), frame)
                return x.with_(obj=None, items=None, literal=False, scores=x.scores | {event})
        # Functions passed to an optimizer (Optuna objectives): interpret them here, now.
        for arg, _ in args:
            ref = dotted_name(arg.value)
            if ref in self._objectives and ref in self.flow.functions:
                function = self.flow.functions[ref].node
                if function not in self._analysed_functions:
                    self._analyse_standalone(function, frame, site=node)

        # -- methods on values the interpreter tracks ---------------------------------------------
        # `module.function(...)` (`cross_validation.train_test_split`) is a function, not a method.
        is_module_function = receiver is not None and _root_name(func) in self.semantic.imports \
            and receiver.obj is None
        if receiver is not None and method is not None and not is_module_function:
            obj = receiver.obj
            if obj is not None and obj.cls is not None:
                defined = _method_of(obj.cls, method)
                if defined is not None:
                    summary = FunctionSummary(defined, _param_list(defined))
                    inlined_args = [(None, receiver)]
                    inlined_args += [(a.keyword.value if a.keyword else None, v) for a, v in args if not a.star]
                    return self._inline(node, summary, inlined_args, frame)
            if obj is not None or method in _FIT_METHODS | _PREDICT_METHODS | _SCORE_METHODS:
                handled = self._object_method(node, method, receiver, obj, positional, positional_nodes,
                                              keywords, keyword_nodes, frame)
                if handled is not None:
                    return handled
            if method == "split" and (receiver.obj is not None and receiver.obj.role == "splitter"):
                return self._kfold(node, receiver.obj, positional, positional_nodes, frame)
            if method == "train_test_split":
                split = self._split_event(node, "hf_split", (_text(func.value),), (receiver,), frame)
                split.outputs = [("train", TRAIN), ("test", TEST)]
                return receiver.with_(split_dict=True, split=split, evidence="split",
                                      items=None, kind=receiver.kind)
            if method in _WHICH_PICKS and receiver.scores and receiver.collection:
                self._record_pick(node, receiver.scores, frame)
                return receiver.with_(items=None)
            if receiver.scores and method in ("max", "min", "mean", "sort_values", "sort"):
                return receiver.with_(items=None)  # the best score, not yet a candidate
            if method in _STATISTIC_METHODS and receiver.obj is None and not receiver.literal \
                    and not receiver.scores and (receiver.kind != UNKNOWN or receiver.sources):
                return self._statistic(node, method, receiver, (_text(func.value),), frame)
            if method in _FILL_METHODS:
                result = self._apply_statistics(node, [receiver, *positional, *keywords.values()], frame)
                if _is_true(keyword_nodes.get("inplace")):
                    root = _root_name(func.value)
                    if root is not None and frame.env.lookup(root) is not None:
                        old = frame.env.lookup(root)
                        frame.env[root] = old.with_(fits=old.fits | result.fits)
                return result.with_(kind=receiver.kind, evidence=receiver.evidence, split=receiver.split)
            if method in ("transform", "agg", "aggregate") and positional_nodes and receiver.obj is None \
                    and _statistic_name(positional_nodes[0]) \
                    and (receiver.sources or receiver.kind != UNKNOWN):
                # `df.groupby("city")["price"].transform("mean")`: target or group encoding.
                event = self._statistic(node, str(literal_value(positional_nodes[0])), receiver,
                                        (_text(func.value),), frame).statistic
                return self._apply_statistics(node, [receiver, Value(statistic=event)], frame)
            if method in _APPLY_FUNCTION_METHODS and positional_nodes and receiver.obj is None:
                applied = self._apply_function(node, positional_nodes[0], receiver, frame)
                if applied is not None:
                    return applied
            if method == "sample" and ("frac" in keywords or positional):
                return receiver.with_(items=None, literal=False)
            if method == "shift" and "freq" not in keyword_nodes:
                # Lag features: rows take values of their neighbours in time. (`shift(freq=...)`
                # moves a time index, not values between rows.)
                return receiver.with_(time_order=node, items=None)
            if method in ("sort_values", "sort_index", "set_index") and _sorts_by_time(node):
                return receiver.with_(time_order=node, items=None)
            if method in ("items", "values", "keys") and receiver.items is not None:
                return receiver
            if method in ("append", "concat") and receiver.items is None and receiver.sources:
                # DataFrame.append: a new frame with the rows of both, the receiver unchanged.
                return combine([receiver, *positional]).with_(items=None)
            if method == "align" and positional:
                return Value(items=(receiver, positional[0]), sources=receiver.sources)
            if method in ("append", "extend", "add", "update", "insert", "put"):
                root = _root_name(func.value)
                added = combine([*positional, *keywords.values()]) if (positional or keywords) else Value()
                if root is not None:
                    old = frame.env.lookup(root) or Value()
                    items = (*(old.items or ()), *positional) if old.items is not None or not old.sources else None
                    if old.obj is None:
                        frame.env[root] = combine([old, added]).with_(
                            items=items if items is not None and len(items) < 50 else None,
                            kind=join_kinds([old.kind, added.kind]) if old.sources or old.kind != UNKNOWN else added.kind,
                            collection=bool(added.scores) or old.collection,
                        )
                return UNKNOWN_VALUE
            if method in ("index",) and positional and positional[0].scores and receiver.collection:
                self._record_pick(node, positional[0].scores, frame)

        # -- free functions -----------------------------------------------------------------------
        if role == "split_function":
            return self._train_test_split(node, name, positional, positional_nodes, keywords, frame)
        if role in ("cv_scorer",):
            return self._cv_scorer(node, api, positional, positional_nodes, keywords, keyword_nodes, frame)
        if role == "metric":
            data = tuple(positional) + tuple(v for k, v in keywords.items() if k.startswith("y"))
            _mark_scored(data)
            event = self._evaluation(node, name, "metric", None, data, _texts(positional_nodes), frame)
            return Value(scores=frozenset({event}) | _scores_of(data))
        if role == "booster_train":
            return self._booster_train(node, api, positional, positional_nodes, keywords, keyword_nodes, frame)
        if role == "preprocessor" and api is not None and _is_function_form(api) and positional:
            # `scale(X)`, `minmax_scale(X)`: fit and transform in one call.
            return self._fit_transform_call(node, name, api, role, positional[0], positional_nodes[0], frame)
        if name in ("qcut", "cut") and positional and (qualname or "").startswith("pandas") \
                and _bins_from_data(node):
            # Bins computed from the data's quantiles (qcut) or range (cut with a bin count).
            return self._fit_transform_call(node, name, None, "statistic", positional[0], positional_nodes[0],
                                            frame)
        if role in ("estimator", "preprocessor", "feature_selector", "resampler", "search", "pipeline",
                    "splitter", "model", "trainer", "callback", "training_config", "data_loader",
                    "hpo_study") and role is not None:
            return self._construct(node, api, role, positional, keywords, keyword_nodes, frame)
        if isinstance(func, cst.Name) and func.value in self.semantic.classes:
            # An instance of a class of this file (a Dataset, a model, a wrapper): it holds the rows
            # it was given, and its methods are interpreted when called.
            class_info = self.semantic.classes[func.value]
            base_api = next((knowledge.lookup(b) for b in class_info.bases if knowledge.lookup(b)), None)
            info = ObjectInfo(base_api, node, cls=class_info.node)
            data = [v for v in [*positional, *keywords.values()] if v.obj is None and not v.literal]
            return combine(data).with_(obj=info) if data else Value(obj=info)
        if name in _WHICH_PICKS or name in _KEYED_PICKS:
            scores = _scores_of([*positional, *keywords.values()])
            if scores:
                collected = any(v.collection for v in positional)
                if collected and (name in _WHICH_PICKS or "key" in keyword_nodes):
                    self._record_pick(node, scores, frame)
                return Value(scores=scores, collection=collected and name == "sorted")
        if name in _STATISTIC_METHODS and positional and (positional[0].kind != UNKNOWN or positional[0].sources) \
                and not positional[0].literal and (qualname or "").startswith(("numpy", "statistics", "torch")):
            return self._statistic(node, name, positional[0], _texts(positional_nodes[:1]), frame)
        if name in _CONCAT_FUNCTIONS and positional and (receiver is None or is_module_function):
            parts = positional[0].items if positional[0].items is not None else tuple(positional)
            return combine(parts).with_(items=None)
        qualname = knowledge.normalize(qualname) if qualname else qualname
        if name == "load_data" and (qualname or "").startswith("keras"):
            return self._keras_load_data(node, frame)
        # Data read from files: a file called test holds test data.
        if _READERS.match(name) or (qualname or "").startswith(("sklearn.datasets.", "keras.datasets",
                                                                   "torchvision.datasets", "datasets.")):
            return self._read(node, name, qualname, positional_nodes, keyword_nodes, frame)
        if name in ("zip", "enumerate") and receiver is None and positional:
            # Iterated as tuples: `for i, (tr, va) in enumerate(kf.split(X))`, `zip(names, models)`.
            elements = [self._element(v, n, frame) for v, n in zip(positional, positional_nodes)]
            items = (LITERAL_VALUE, *elements) if name == "enumerate" else tuple(elements)
            return combine(elements).with_(items=items)
        # Any other call: its result carries the rows and state of its data arguments.
        data_args = [v for v in [*positional, *keywords.values()] if v.obj is None and not v.literal]
        if receiver is not None and receiver.obj is None:
            data_args.insert(0, receiver)
        if not data_args:
            return Value(sources=frozenset({node}))
        if any(v.statistic is not None for v in data_args) and any(v.statistic is None for v in data_args):
            return self._apply_statistics(node, data_args, frame)  # `df["c"].map(means)`, `X.sub(X.mean())`
        merged = combine(data_args)
        if name == "range" and receiver is None:
            return merged.with_(items=None, literal=all(v.literal for v in positional))
        if receiver is not None and receiver.obj is None and receiver.items is not None \
                and name in ("copy", "items", "values", "tolist"):
            return receiver
        if len(data_args) == 1:
            return data_args[0].with_(items=None, obj=None, literal=False, statistic=None,
                                      split_dict=data_args[0].split_dict)
        if receiver is not None and receiver.obj is None and (receiver.sources or receiver.kind != UNKNOWN):
            # `df.merge(other)`, `X.reindex(columns=other.columns)`: the receiver's rows, with what
            # the other arguments learned.
            return receiver.with_(items=None, literal=False, statistic=None, fits=merged.fits,
                                  resampled=merged.resampled, scores=merged.scores,
                                  time_order=receiver.time_order or _lag_feature(merged.time_order))
        return merged

    # -- ML objects ---------------------------------------------------------------------------------
    def _construct(self, node: cst.Call, api: Api, role: str, positional, keywords, keyword_nodes,
                   frame: _Frame) -> Value:
        parts = []
        for value in [*positional, *keywords.values()]:
            if value.obj is not None:
                parts.append(value.obj)
            for item in value.items or ():
                if item.obj is not None:
                    parts.append(item.obj)
                for inner in item.items or ():
                    if inner.obj is not None:
                        parts.append(inner.obj)
        info = ObjectInfo(api, node, parts=tuple(parts))
        callbacks = keywords.get("callbacks")
        if callbacks is not None:
            info.callbacks = callbacks.items or (callbacks,)
        if role == "trainer":
            info.config = keywords.get("args") or (positional[1] if len(positional) > 1 else None)
            train = keywords.get("train_dataset")
            evaluation = keywords.get("eval_dataset")
            if train is not None:
                self._fit(node, "Trainer", None, info, api, role, (train,),
                          (_text(keyword_nodes["train_dataset"]),), (evaluation,) if evaluation else (),
                          self._trainer_early_stopping(info, keyword_nodes), frame)
        if role == "data_loader" or role == "training_config":
            data = positional[:1] or [keywords[k] for k in ("dataset",) if k in keywords]
            if role == "data_loader" and data:
                return data[0].with_(obj=None, items=None)
            return Value(obj=info, literal=False, items=None, kind=UNKNOWN)
        return Value(obj=info)

    def _fit_transform_call(self, node, name, api, role, data: Value, data_node, frame: _Frame) -> Value:
        event = self._fit(node, name, None, None, api, role, (data,), (_text(data_node),), (), None, frame)
        return data.with_(fits=data.fits | {event}, obj=None, items=None, literal=False)

    def _trainer_early_stopping(self, info: ObjectInfo, keyword_nodes) -> cst.CSTNode | None:
        for value in info.callbacks:
            if value.obj is not None and _is_early_stopping(value.obj):
                return value.obj.node
        config = info.config
        if config is not None and config.obj is not None and isinstance(config.obj.node, cst.Call):
            for arg in config.obj.node.args:
                if arg.keyword is not None and arg.keyword.value == "load_best_model_at_end" and _is_true(arg.value):
                    return arg
        return None

    def _object_method(self, node, method, receiver: Value, obj: ObjectInfo | None, positional,
                       positional_nodes, keywords, keyword_nodes, frame: _Frame) -> Value | None:
        receiver_text = _text(node.func.value)
        api = obj.api if obj is not None else None
        role = obj.role if obj is not None else None
        if method in _FIT_METHODS or (method == "search" and role == "hpo_study"):
            data = list(positional[:2])
            texts = list(_texts(positional_nodes[:2]))
            for key in ("X", "x", "y", "train_data", "dataset", "generator", "train_dataloaders"):
                if key in keywords and len(data) < 2:
                    data.append(keywords[key])
                    texts.append(_text(keyword_nodes[key]))
            if not data and obj is None:
                return None
            eval_values = []
            for key in _EVAL_KEYWORDS:
                if key in keywords:
                    value = keywords[key]
                    eval_values.extend(_flatten(value))
            stopping = self._fit_early_stopping(obj, keywords, keyword_nodes)
            if obj is None:
                obj = ObjectInfo(None, node)
            if role in ("pipeline", None) and method == "fit_transform":
                # Only transformers have fit_transform: a pipeline used as one (FeatureUnion,
                # ColumnTransformer), or a class the knowledge base does not know (DataFrameMapper).
                role = "preprocessor"
            event = self._fit(node, method, receiver_text, obj, api, role, tuple(data), tuple(texts),
                              tuple(eval_values), stopping, frame)
            x = data[0] if data else UNKNOWN_VALUE
            if method in ("fit_transform",):
                transformed = x.with_(fits=x.fits | {event}, obj=None, items=None, literal=False)
                return transformed
            if method in ("fit_resample", "fit_sample"):
                items = tuple(v.with_(resampled=v.resampled | {event}, items=None, obj=None) for v in data)
                return combine(items).with_(items=items, resampled=x.resampled | {event})
            if method == "fit_predict":
                return x.with_(obj=None, items=None)
            if method in ("fit", "partial_fit"):
                return receiver  # fit returns the estimator itself
            return Value(obj=None, sources=frozenset({node}))
        if method in _SCORE_METHODS or method in _PREDICT_METHODS or (
            obj is not None and method in _APPLY_METHODS
        ):
            data = list(positional[:2])
            texts = list(_texts(positional_nodes[:2]))
            for key in ("X", "x", "y", "eval_dataset", "test_dataset", "dataset", "generator"):
                if key in keywords:
                    data.append(keywords[key])
                    texts.append(_text(keyword_nodes[key]))
            if obj is None and not data:
                return None
            if obj is not None and data:
                key = self._key(node, frame)
                self._apply_keys[key] = ApplyEvent(node, method, obj, tuple(data),
                                                   frame.sites[0] if frame.sites else None, obj.last_fit)
            x = data[0] if data else UNKNOWN_VALUE
            fitted = obj.last_fit if obj is not None else None
            learned = frozenset({fitted}) if fitted is not None else frozenset()
            if method in _SCORE_METHODS or (obj is not None and obj.role == "trainer" and method == "evaluate"):
                event = self._evaluation(node, method, "score", obj, tuple(data), tuple(texts), frame)
                return Value(scores=frozenset({event}))
            if method in _PREDICT_METHODS:
                event = self._evaluation(node, method, "predict", obj, tuple(data), tuple(texts), frame)
                return x.with_(obj=None, items=None, literal=False, fits=x.fits | learned,
                               predictions=x.predictions | {event})
            return x.with_(obj=None, items=None, literal=False, fits=x.fits | learned)
        if obj is not None and method == "split" and obj.role == "splitter":
            return None
        if obj is not None and method in ("compile", "set_params", "add", "to", "cuda", "eval", "train"):
            return receiver
        if obj is not None:
            return Value(sources=frozenset({node}))
        return None

    def _fit_early_stopping(self, obj: ObjectInfo | None, keywords, keyword_nodes) -> cst.CSTNode | None:
        for key in _EARLY_STOPPING_KEYWORDS:
            if key in keyword_nodes and literal_value(keyword_nodes[key]) not in (None, False, 0):
                return keyword_nodes[key]
        if obj is not None and isinstance(obj.node, cst.Call):
            for arg in obj.node.args:
                if arg.keyword is not None and arg.keyword.value in _EARLY_STOPPING_KEYWORDS \
                        and literal_value(arg.value) not in (None, False, 0, "auto"):
                    return arg
        for value in [keywords.get("callbacks"), *(obj.callbacks if obj else ())]:
            if value is None:
                continue
            for item in value.items or (value,):
                if item.obj is not None and _is_early_stopping(item.obj):
                    return item.obj.node
        return None

    def _fit(self, node, method, receiver_text, obj, api, role, data, texts, eval_values, stopping,
             frame: _Frame) -> FitEvent:
        site = self._site(node)
        key = self._key(node, frame)
        event = self._fit_keys.get(key)
        fields = (node, method, receiver_text, obj, api, role, tuple(data), tuple(texts),
                  tuple(eval_values), stopping, self._loops(node, frame),
                  site.scope if site else None, frame.sites[0] if frame.sites else None)
        if event is None:
            event = self._fit_keys[key] = FitEvent(*fields)
        else:  # a loop's second pass: the same event, with the data values of the later pass
            if event.obj is not None and event in event.obj.fits:
                event.obj.fits.remove(event)
            _update(event, fields)
        if obj is not None:
            obj.fits.append(event)
        if frame.function is not None and frame.function.name.value in self.flow.functions:
            summary = self.flow.functions[frame.function.name.value]
            for value in data:
                for source in value.sources:
                    if isinstance(source, tuple) and source[0] == "param" and source[1] is frame.function:
                        summary.fits_params.add(source[2])
        return event

    def _evaluation(self, node, method, role, obj, data, texts, frame: _Frame) -> EvalEvent:
        site = self._site(node)
        fields = (node, method, role, obj, tuple(data), tuple(texts), self._loops(node, frame),
                  site.scope if site else None, frame.sites[0] if frame.sites else None)
        key = self._key(node, frame)
        event = self._eval_keys.get(key)
        if event is None:
            event = self._eval_keys[key] = EvalEvent(*fields)
        else:
            _update(event, fields)
        return event

    def _statistic(self, node: cst.Call, method: str, data: Value, texts, frame: _Frame) -> Value:
        site = self._site(node)
        fields = (node, method, None, None, None, "statistic", (data,), tuple(texts), (), None,
                  self._loops(node, frame), site.scope if site else None,
                  frame.sites[0] if frame.sites else None)
        event = self._statistics.get(self._key(node, frame))
        if event is None:
            event = self._statistics[self._key(node, frame)] = FitEvent(*fields)
        else:
            _update(event, fields)
        return Value(statistic=event, kind=UNKNOWN, scores=data.scores)

    def _apply_statistics(self, node, values: list[Value], frame: _Frame) -> Value:
        """Data combined with a statistic of data (`X - X.mean()`, `fillna(X.mean())`)."""
        stats = [v.statistic for v in values if v.statistic is not None]
        data = [v for v in values if v.statistic is None and not v.literal and v.obj is None
                and (v.sources or v.kind != UNKNOWN)]
        result = combine(data) if data else UNKNOWN_VALUE
        for event in stats:
            if not data:
                continue
            self._fit_keys[self._key(event.node, frame)] = event
            result = result.with_(fits=result.fits | {event})
            if data:
                self._apply_keys[self._key(node, frame) + (event,)] = ApplyEvent(
                    node, "statistic", None, tuple(data), frame.sites[0] if frame.sites else None, event
                )
        if not data and stats:
            return Value(statistic=stats[0])
        return result

    # -- splits ---------------------------------------------------------------------------------------
    def _split_event(self, node, method, sources, inputs, frame: _Frame) -> SplitEvent:
        key = self._key(node, frame)
        event = self._split_keys.get(key)
        if event is None:
            event = self._split_keys[key] = SplitEvent(node, method, tuple(sources), tuple(inputs))
        event.inputs = tuple(inputs)
        event.site = frame.sites[0] if frame.sites else None
        return event

    def _train_test_split(self, node, name, positional, positional_nodes, keywords, frame: _Frame) -> Value:
        arrays = positional
        texts = _texts(positional_nodes)
        if name == "random_split":
            dataset = positional[0] if positional else UNKNOWN_VALUE
            lengths = positional_nodes[1] if len(positional_nodes) > 1 else None
            count = len(lengths.elements) if isinstance(lengths, (cst.List, cst.Tuple)) else 2
            split = self._split_event(node, "random_split", texts[:1], (dataset,), frame)
            kinds = _held_out_kinds(dataset.kind, count)
            items = tuple(dataset.with_(kind=k, evidence="split", split=split, items=None, obj=None) for k in kinds)
            split.outputs = [(None, k) for k in kinds]
            return Value(items=items, sources=dataset.sources)
        split = self._split_event(node, "train_test_split", texts, tuple(arrays), frame)
        items = []
        for value in arrays:
            held_out = _held_out_kinds(value.kind, 2)
            for kind in held_out:
                items.append(value.with_(kind=kind, evidence="split", split=split, items=None, obj=None,
                                         literal=False))
        split.outputs = [(None, v.kind) for v in items]
        return Value(items=tuple(items), sources=combine(arrays).sources if arrays else frozenset())

    def _kfold(self, node, splitter: ObjectInfo, positional, positional_nodes, frame: _Frame) -> Value:
        data = positional[0] if positional else UNKNOWN_VALUE
        split = self._split_event(node, "kfold", _texts(positional_nodes[:1]), (data,), frame)
        split.splitter = splitter
        split.outputs = [(None, TRAIN), (None, VALIDATION)]
        train = Value(kind=TRAIN, evidence="split", split=split, sources=data.sources, indices=True)
        held = Value(kind=VALIDATION if data.kind != TEST else TEST, evidence="split", split=split,
                     sources=data.sources, indices=True)
        return Value(items=(train, held), sources=data.sources)

    def _read(self, node, name, qualname, positional_nodes, keyword_nodes, frame: _Frame) -> Value:
        kind = None
        evidence = "path"
        for arg in (*positional_nodes[:1], *(keyword_nodes.get(k) for k in ("path", "filepath_or_buffer", "root"))):
            text = literal_value(arg) if arg is not None else None
            if isinstance(text, str):
                kind = _path_kind(text)
                break
            if isinstance(arg, (cst.BinaryOperation, cst.FormattedString, cst.Call)):
                for string in _string_parts(arg):
                    kind = _path_kind(string) or kind
        split_keyword = keyword_nodes.get("split")
        if isinstance(literal_value(split_keyword), str):
            kind = _KEY_KINDS.get(str(literal_value(split_keyword)).split("[", 1)[0].lower(), kind)
            evidence = "key"
        train_keyword = keyword_nodes.get("train")
        if train_keyword is not None and literal_value(train_keyword) in (True, False):
            kind = TRAIN if literal_value(train_keyword) else TEST
            evidence = "key"
        if evidence == "path" and not self._paired_files:
            kind = None
        value = Value(kind=kind or FULL, evidence=evidence if kind else "", sources=frozenset({node}))
        if name in ("load_dataset", "load_from_disk") and split_keyword is None:
            return value.with_(split_dict=True)
        return value

    def _keras_load_data(self, node, frame: _Frame) -> Value:
        split = self._split_event(node, "keras_load_data", (), (), frame)
        split.outputs = [(None, TRAIN), (None, TEST)]
        parts = []
        for kind in (TRAIN, TEST):
            part = Value(kind=kind, evidence="key", split=split, sources=frozenset({node}))
            parts.append(Value(kind=kind, evidence="key", split=split, sources=frozenset({node}),
                               items=(part, part)))
        return Value(items=tuple(parts), sources=frozenset({node}))

    def _cv_scorer(self, node, api, positional, positional_nodes, keywords, keyword_nodes, frame) -> Value:
        estimator = positional[0] if positional else keywords.get("estimator", UNKNOWN_VALUE)
        data = list(positional[1:3])
        texts = list(_texts(positional_nodes[1:3]))
        for key in ("X", "y"):
            if key in keywords:
                data.append(keywords[key])
                texts.append(_text(keyword_nodes[key]))
        event = self._evaluation(node, _last(api.qualname), "cv", estimator.obj, tuple(data), tuple(texts), frame)
        return Value(scores=frozenset({event}))

    def _booster_train(self, node, api, positional, positional_nodes, keywords, keyword_nodes, frame) -> Value:
        data = positional[1:2] or [keywords[k] for k in ("dtrain", "train_set", "pool") if k in keywords]
        texts = _texts(positional_nodes[1:2]) or tuple(_text(keyword_nodes[k]) for k in ("dtrain", "train_set", "pool") if k in keyword_nodes)
        eval_values = []
        for key in _EVAL_KEYWORDS:
            if key in keywords:
                eval_values.extend(_flatten(keywords[key]))
        stopping = self._fit_early_stopping(None, keywords, keyword_nodes)
        info = ObjectInfo(api, node)
        self._fit(node, "train", None, info, api, "booster_train", tuple(data), tuple(texts),
                  tuple(eval_values), stopping, frame)
        return Value(obj=info)

    # -- helpers defined in the file -------------------------------------------------------------------
    def _call_helper(self, node: cst.Call, summary: FunctionSummary, frame: _Frame) -> Value:
        args = [(arg, self.eval(arg.value, frame)) for arg in node.args]
        return self._inline(node, summary, [(arg.keyword.value if arg.keyword else None, value)
                                            for arg, value in args if not arg.star], frame)

    def _apply_function(self, node: cst.Call, function: cst.CSTNode, data: Value, frame: _Frame) -> Value | None:
        """`df.apply(f)`, `df.apply(lambda x: ...)`: `f` runs on the rows or columns of `df`."""
        if isinstance(function, cst.Name) and function.value in self.flow.functions \
                and frame.env.lookup(function.value) is not None:
            result = self._inline(node, self.flow.functions[function.value], [(None, data)], frame)
        elif isinstance(function, cst.Lambda):
            env = _Env(frame.env)
            params = _param_list_of(function.params)
            for index, name in enumerate(params):
                env[name] = data if index == 0 else UNKNOWN_VALUE
            result = self.eval(function.body, _Frame(env, frame.sites, frame.function, depth=frame.depth))
        else:
            return None
        return data.with_(fits=data.fits | result.fits, resampled=data.resampled | result.resampled,
                          items=None, obj=None, literal=False)

    def _inline(self, node: cst.Call, summary: FunctionSummary, args: list[tuple[str | None, Value]],
                frame: _Frame) -> Value:
        function = summary.node
        if frame.depth >= _MAX_INLINE_DEPTH or self._inlines >= _MAX_INLINES or function is frame.function:
            data = [v for _, v in args if v.obj is None]
            return combine(data) if data else UNKNOWN_VALUE
        self._inlines += 1
        self._analysed_functions.add(function)
        env = _Env(frame.env)
        params = summary.params
        defaults = _param_defaults(function)
        for name, default in defaults.items():
            env[name] = self.eval(default, frame) if default is not None else UNKNOWN_VALUE
        position = 0
        for keyword, value in args:
            if keyword is not None:
                env[keyword] = value
            elif position < len(params):
                env[params[position]] = value
                position += 1
        for name in params:
            if name not in env:
                env[name] = UNKNOWN_VALUE
        inner = _Frame(env, frame.sites + (node,) if frame.sites else (node,), function, params,
                       depth=frame.depth + 1)
        self.exec_block(_body(function.body), inner)
        result = inner.returns[-1] if inner.returns else UNKNOWN_VALUE
        if len(inner.returns) > 1:
            result = inner.returns[0]
            for other in inner.returns[1:]:
                result = join_branches(result, other)
        summary.returns = result
        # Parameters the helper trains or scores on (the events made during this call).
        passed = {name: env[name] for name in params if name in env}
        for events, used in ((self._fit_keys, summary.fits_params), (self._eval_keys, summary.evaluates_params)):
            for (_, sites), event in events.items():
                if node in sites:
                    used.update(name for name, value in passed.items() if any(v is value for v in event.data))
        return result

    # -- selection ------------------------------------------------------------------------------------
    def _record_pick(self, node: cst.CSTNode, scores: frozenset, frame: _Frame) -> None:
        # The winner must be kept (`best = params[np.argmax(scores)]`, `return ...`): an argmax
        # only printed or drawn on a plot selects nothing.
        site = self._site(node) if isinstance(node, cst.Call) else None
        statement = site.statement if site is not None else None
        if not isinstance(statement, cst.SimpleStatementLine) or not any(_keeps_result(small) for small in statement.body):
            return
        self._picks.append((node, scores, self._loops_of_node(node, frame), frame.sites))

    def _loops_of_node(self, node, frame) -> tuple:
        if isinstance(node, cst.Call):
            return self._loops(node, frame)
        return ()

    def _record_compare_pick(self, statement: cst.If, frame: _Frame) -> None:
        scores = frozenset()
        test = statement.test
        for side in _comparison_sides(test):
            value = self.flow.values.get(side)
            if value is not None:
                scores |= value.scores
        checkpoint = _find_save(statement.body)
        # `if score > best: best_params = ...`: the branch records the winner (or saves it).
        if not scores or (checkpoint is None and not _assigns(statement.body)):
            return
        self._picks.append((statement, scores, (), frame.sites))
        if checkpoint is not None:
            self._checkpoint_nodes.append((statement, checkpoint))

    def _build_selection_loops(self) -> None:
        loops: dict[cst.CSTNode, SelectionLoop] = {}
        checkpoints = dict(self._checkpoint_nodes)
        for pick, scores, _, _ in self._picks:
            for event in scores:
                if not event.loops:
                    continue
                loop = _candidate_loop(event.loops, pick)
                if loop is None:
                    continue
                selection = loops.get(loop)
                if selection is None:
                    selection = loops[loop] = SelectionLoop(loop, self._loop_kind(loop), [], pick,
                                                            checkpoints.get(pick))
                if event not in selection.evaluations:
                    selection.evaluations.append(event)
                if selection.checkpoint is None and pick in checkpoints:
                    selection.checkpoint = checkpoints[pick]
        for loop, selection in loops.items():
            selection.fits = [f for f in self._fit_keys.values() if loop in f.loops]
        objectives = []
        for name in self._objectives:
            summary = self.flow.functions.get(name)
            if summary is None:
                continue
            function = summary.node
            evaluations = [e for e in self._eval_keys.values() if _scope_is(e.scope, function)]
            fits = [f for f in self._fit_keys.values() if _scope_is(f.scope, function)]
            if evaluations:
                objectives.append(SelectionLoop(function, "objective", evaluations, None, None, fits))
        self.flow.selection_loops = list(loops.values()) + objectives

    def _loop_kind(self, loop: cst.CSTNode) -> str:
        target = loop.target if isinstance(loop, (cst.For, cst.CompFor)) else None
        names = _names_in(target) if target is not None else set()
        iterable = loop.iter if isinstance(loop, (cst.For, cst.CompFor)) else None
        iter_value = self.flow.values.get(iterable) if iterable is not None else None
        if iter_value is not None and iter_value.items and any(i.obj is not None for i in iter_value.items):
            return "model"
        for fit in self._fit_keys.values():
            constructor = fit.obj.node if fit.obj is not None else None
            if loop in fit.loops and isinstance(constructor, cst.Call) and names & _names_in(constructor):
                return "hyperparameter"
        body_calls = [s for s in self.semantic.calls if loop in s.loops]
        for site in body_calls:
            if site.api is not None and site.api.role in ("estimator", "preprocessor", "feature_selector",
                                                           "pipeline", "model", "search", "resampler"):
                for arg in site.node.args:
                    if names & _names_in(arg.value):
                        return "hyperparameter"
            if site.method in ("set_params",) and any(names & _names_in(a.value) for a in site.node.args):
                return "hyperparameter"
            if site.method in ("step", "backward", "zero_grad"):
                return "epoch"
        if names and any(n.lower() in ("epoch", "epochs", "ep", "e", "i_epoch") for n in names):
            return "epoch"
        return "other"


# -- small syntax helpers ---------------------------------------------------------------------------


def _mark_scored(values: Iterable[Value]) -> None:
    for value in values:
        for event in value.predictions:
            event.scored = True


def _mark_compared(values: list[Value]) -> None:
    """`y_pred == y_test`, `y_test - y_pred`: predictions compared with other data are scored."""
    if not any(v.predictions for v in values):
        return
    for value in values:
        others = [v for v in values if v is not value]
        if value.predictions and any(not v.literal and (v.sources or v.kind != UNKNOWN)
                                     and not v.predictions & value.predictions for v in others):
            _mark_scored([value])


def _update(event, fields: tuple) -> None:
    for name, value in zip(type(event).__dataclass_fields__, fields):
        setattr(event, name, value)


def _body(block) -> Iterable[cst.CSTNode]:
    if isinstance(block, cst.IndentedBlock):
        return block.body
    if isinstance(block, cst.SimpleStatementSuite):
        return [_SuiteLine(block)]
    return ()


class _SuiteLine:
    """`if x: a = 1` on one line: a statement suite behaves like a statement line."""

    def __init__(self, suite: cst.SimpleStatementSuite) -> None:
        self.body = suite.body


def _sub_blocks(statement) -> list:
    result = []
    if isinstance(statement, cst.If):
        result += list(_body(statement.body))
        if statement.orelse is not None:
            result += _sub_blocks(statement.orelse) if isinstance(statement.orelse, cst.If) else list(
                _body(statement.orelse.body))
    elif isinstance(statement, (cst.Try, cst.With)):
        result += list(_body(statement.body))
    return result


def _param_list(function: cst.FunctionDef) -> tuple[str, ...]:
    return _param_list_of(function.params)


def _param_list_of(params: cst.Parameters) -> tuple[str, ...]:
    return tuple(p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))


def _param_defaults(function: cst.FunctionDef) -> dict[str, cst.BaseExpression | None]:
    params = function.params
    return {p.name.value: p.default for p in (*params.posonly_params, *params.params, *params.kwonly_params)
            if p.default is not None}


_TEXT_LIMIT = 40


class _Enough(Exception):
    """More than `_TEXT_LIMIT` characters are written: the rest would be cut anyway."""


class _PrefixState(CodegenState):
    """Code generation that stops once the text is longer than `_TEXT_LIMIT` (names of data in
    messages are cut there; generating a whole `pd.concat([...])` argument is wasted work)."""

    __slots__ = ("length",)

    def __init__(self) -> None:
        super().__init__(default_indent="    ", default_newline="\n")
        self.length = 0

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.length += len(value)
        if self.length > _TEXT_LIMIT:
            raise _Enough

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):  # type: ignore[override]
        return _NO_RECORDING


_NO_RECORDING = contextlib.nullcontext()


def _text(node: cst.CSTNode | None) -> str:
    """The code of `node` as `Module.code_for_node` writes it, cut to `_TEXT_LIMIT` characters."""
    if node is None:
        return ""
    state = _PrefixState()
    try:
        node._codegen(state)
    except _Enough:
        pass
    except Exception:
        return "…"
    text = "".join(state.tokens)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 3] + "…"


def _texts(nodes) -> tuple[str, ...]:
    return tuple(_text(n) for n in nodes)


def _flatten(value: Value) -> list[Value]:
    if value.items is None:
        return [value]
    result = []
    for item in value.items:
        result.extend(_flatten(item))
    return result


def _scores_of(values) -> frozenset:
    result: frozenset = frozenset()
    for value in values:
        result |= value.scores
        for item in value.items or ():
            result |= item.scores
    return result


def _root_name(node: cst.CSTNode) -> str | None:
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _is_true(node: cst.CSTNode | None) -> bool:
    return node is not None and literal_value(node) is True


def _held_out_kinds(kind: str, count: int) -> list[str]:
    """Kinds of the parts of a split of data of `kind`: train then held out (validation, test)."""
    if kind == TRAIN:
        return [TRAIN] + [VALIDATION] * (count - 1)
    if kind == TEST:
        # Held-out data split again: a validation part and the test part (names refine this).
        return [VALIDATION] + [TEST] * (count - 1)
    if kind == VALIDATION:
        return [VALIDATION] * count
    if count >= 3:
        return [TRAIN] + [VALIDATION] * (count - 2) + [TEST]
    return [TRAIN] + [TEST] * (count - 1)


def _head_tail_slice(value: cst.CSTNode) -> tuple[str, str, bool, cst.CSTNode] | None:
    """`X[:n]` -> ("X", "n", True), `df.iloc[n:]` -> ("df", "n", False)."""
    if not isinstance(value, cst.Subscript) or len(value.slice) != 1:
        return None
    inner = value.slice[0].slice
    if not isinstance(inner, cst.Slice) or inner.step is not None:
        return None
    base = value.value
    if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
        base = base.value
    base_name = dotted_name(base) or (_text(base) if isinstance(base, cst.Subscript) else None)
    if base_name is None:
        return None
    if inner.lower is None and inner.upper is not None:
        return base_name, _text(inner.upper), True, value
    if inner.upper is None and inner.lower is not None:
        return base_name, _text(inner.lower), False, value
    return None


def _selects_rows(node: cst.Subscript, base: Value, index_values) -> bool:
    """`X[:n]`, `df.iloc[n:]`, `df.loc[idx, :]`, `df[df["is_train"] == 1]`, `df[mask]`: the subscript
    picks rows (not columns: `df["a"]`, `df[cols]`, `X[:, 0]`, `df.loc[:, cols]`)."""
    accessor = node.value.attr.value if isinstance(node.value, cst.Attribute) else None
    first = node.slice[0].slice
    if isinstance(first, cst.Slice):
        return first.lower is not None or first.upper is not None
    if accessor in ("loc", "iloc", "ix"):
        return True
    if len(node.slice) != 1 or not index_values:
        return False
    index_node, index_value = index_values[0]
    return _is_row_mask(index_node) or (not index_value.literal and bool(index_value.sources & base.sources))


_MASK_METHODS = frozenset({"isin", "isnull", "notnull", "isna", "notna", "between", "duplicated"})


def _is_row_mask(node: cst.CSTNode) -> bool:
    """A boolean mask written in place: `df.a == 1`, `df.index.isin(idx)`, `~m & n`."""
    if isinstance(node, cst.Comparison):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
        return _is_row_mask(node.expression)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
        return _is_row_mask(node.left) or _is_row_mask(node.right)
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
        and node.func.attr.value in _MASK_METHODS


def _rows_of_mixed(base: Value) -> Value:
    """Some rows of a concatenation of train and test (`full[:n_train]`, `full.loc[train.index]`):
    usually one of its parts taken back out, which one the analysis does not try to prove. Neither
    mixed nor known; the learned state of the whole stays with them."""
    return base.with_(kind=UNKNOWN, evidence="", split=None, items=None, split_dict=False, literal=False)


def _slice_base(value: cst.Subscript) -> cst.CSTNode:
    base = value.value
    if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
        base = base.value
    return base


def _candidate_loop(loops: tuple[cst.CSTNode, ...], pick: cst.CSTNode) -> cst.CSTNode | None:
    """The loop whose iterations are the candidates a pick chooses among.

    `if score > best:` compares across the iterations of the innermost loop containing it;
    `np.argmax(scores)` after the loops chooses among the iterations of the outermost loop that
    does not contain it.
    """
    if isinstance(pick, cst.If):
        return next((loop for loop in reversed(loops) if _contains(loop, pick)), None)
    return next((loop for loop in loops if not _contains(loop, pick)), None)


def _statistic_name(node: cst.CSTNode) -> bool:
    """`"mean"` in `.transform("mean")`."""
    value = literal_value(node)
    return isinstance(value, str) and value in _STATISTIC_METHODS


def _element_of(iterable: Value, node: cst.CSTNode) -> Value:
    """What a loop over `iterable` binds: an element of a list or tuple (`for m in models`), or
    the tuples a call yields (`kf.split(X)` yields (train, validation) pairs)."""
    if iterable.items is None:
        return iterable
    if not iterable.items:
        return iterable.with_(items=None)
    if isinstance(node, cst.Call):
        return iterable
    objects = {id(item.obj) for item in iterable.items}
    return combine(iterable.items).with_(obj=iterable.items[0].obj if len(objects) == 1 else None)


def _lag_feature(node: cst.CSTNode | None) -> cst.CSTNode | None:
    """`shift()` lag features passed into a frame (polars `df.select(pl.col(c).shift(1))`) make
    it time ordered; another frame's sort order (`df.merge(sorted_counts)`) does not."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "shift":
        return node
    return None


def _keeps_result(small: cst.BaseSmallStatement) -> bool:
    """An assignment to a real name (not `_ = ax.annotate(...)`) or a return."""
    if isinstance(small, cst.Return):
        return True
    if isinstance(small, cst.Assign):
        return any(not (isinstance(t.target, cst.Name) and t.target.value == "_") for t in small.targets)
    return isinstance(small, (cst.AnnAssign, cst.AugAssign))


def _assigns(block: cst.CSTNode) -> bool:
    for statement in _body(block):
        for small in getattr(statement, "body", ()) if isinstance(statement, (cst.SimpleStatementLine, _SuiteLine)) else ():
            if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                return True
    return False


def _method_of(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    if not isinstance(cls.body, cst.IndentedBlock):
        return None
    for statement in cls.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    return None


def _is_function_form(api: Api) -> bool:
    """`sklearn.preprocessing.scale` rather than `StandardScaler`: data is its first parameter."""
    data = api.param("X")
    return data is not None and data.position == 0


def _bins_from_data(node: cst.Call) -> bool:
    func = node.func
    if (func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")) == "qcut":
        return True
    bins = next((a.value for a in node.args[1:2] if a.keyword is None), None)
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "bins":
            bins = arg.value
    value = literal_value(bins) if bins is not None else None
    return isinstance(value, int) and not isinstance(value, bool)


def _string_parts(node: cst.CSTNode) -> list[str]:
    result = []
    if isinstance(node, cst.BinaryOperation):
        result += _string_parts(node.left) + _string_parts(node.right)
    elif isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                result.append(part.value)
    elif isinstance(node, cst.Call):
        for arg in node.args:
            result += _string_parts(arg.value)
    else:
        value = literal_value(node)
        if isinstance(value, str):
            result.append(value)
    return result


_TIME_WORDS = re.compile(r"date|time|year|month|day|week|hour|period|timestamp|dt$", re.I)


def _sorts_by_time(node: cst.Call) -> bool:
    if isinstance(node.func, cst.Attribute) and node.func.attr.value == "sort_index":
        return True
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value not in ("by", "keys"):
            continue
        value = literal_value(arg.value)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and _TIME_WORDS.search(v) for v in values):
            return True
    return False


def _is_early_stopping(obj: ObjectInfo) -> bool:
    """An early-stopping callback, or a checkpoint that keeps only the best model."""
    api = obj.api
    if api is None:
        return False
    if "early_stopping" in api.tags:
        return True
    name = _last(api.qualname)
    if "EarlyStopping" in name or name == "early_stopping":
        return True
    if "checkpoint_best" in api.tags or "Checkpoint" in name:
        node = obj.node
        if isinstance(node, cst.Call):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in ("save_best_only", "save_top_k") \
                        and literal_value(arg.value) not in (False, None, 0, -1):
                    return True
    return False


def _is_pick_test(test: cst.CSTNode) -> bool:
    return isinstance(test, cst.Comparison) and any(
        isinstance(c.operator, (cst.GreaterThan, cst.LessThan, cst.GreaterThanEqual, cst.LessThanEqual))
        for c in test.comparisons
    )


def _comparison_sides(test: cst.Comparison) -> list[cst.CSTNode]:
    return [test.left, *(c.comparator for c in test.comparisons)]


class _SaveFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: cst.CSTNode | None = None

    def visit_Call(self, node: cst.Call) -> bool:
        written = dotted_name(node.func) or ""
        if self.found is None and _SAVE_CALLS.search(written):
            self.found = node
        return self.found is None


def _find_save(block: cst.CSTNode) -> cst.CSTNode | None:
    finder = _SaveFinder()
    walk(block, finder)  # as block.visit(finder), without rebuilding the tree
    return finder.found


def _contains(outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
    stack = [outer]
    while stack:
        node = stack.pop()
        if node is inner:
            return True
        stack.extend(children(node))
    return False


def _names_in(node: cst.CSTNode | None) -> set[str]:
    names: set[str] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if type(current) is cst.Name:
            names.add(current.value)
        stack.extend(children(current))
    return names


def _scope_is(scope, function: cst.CSTNode) -> bool:
    while scope is not None:
        if scope.node is function:
            return True
        scope = scope.parent
    return False


def analyze(ctx: "FileContext") -> DataFlow:
    """The data flow of the file in `ctx` (call through `ctx.dataflow`, which caches it)."""
    return _Interpreter(ctx).run()
