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
"name", to data whose origin the analysis cannot see (parameters of functions never called, names
defined out of sight, and parameters whose call site passes data of unknown origin: then only a
name saying test or validation counts), and (2) to refine the held-out part of a split of full data
from "test" to "validation" when the target's name says validation (`X_tr, X_val =
train_test_split(X)`): this can only make rules quieter. A call site's lineage always wins over a
parameter's name. Rules check `Value.is_known` / `is_test`; only the strong patterns (a selection
among candidates, early stopping, a best checkpoint) also accept `is_test_by_name`, naming the
name (`Value.test_name`) in their message.

Where the pieces live
---------------------
- `hplint.analysis.lineage`: the lattice (`Value`, `ObjectInfo`, kinds, joins) and name/path evidence.
- `hplint.analysis.events`: `SplitEvent`, `FitEvent`, `EvalEvent`, `ApplyEvent`, `SelectionLoop`,
  `FunctionSummary` and `DataFlow`.
- `hplint.analysis.interpreter`: statements, expressions, bindings, helper inlining (the core).
- `hplint.analysis.transfer`: what each call does to lineage (ML objects, splits, readers, statistics).
- `hplint.analysis.picks`: best-candidate picks and the selection loops built from them.
- `hplint.analysis.frames` / `hplint.analysis.syntax`: environments and frames; small node questions.
- `hplint.knowledge.dataops`: the data operations (pandas, NumPy, torch) as tables.
This module is the entry point: `analyze`, and the public types re-exported for rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hplint.analysis.events import (
    ApplyEvent,
    DataFlow,
    EvalEvent,
    FitEvent,
    FunctionSummary,
    SelectionLoop,
    SplitEvent,
)
from hplint.analysis.interpreter import _Interpreter
from hplint.analysis.lineage import (
    FULL,
    MIXED,
    SPLIT_KINDS,
    TEST,
    TRAIN,
    UNKNOWN,
    UNKNOWN_VALUE,
    VALIDATION,
    ObjectInfo,
    Value,
    combine,
    join_branches,
    join_kinds,
    kind_from_name,
)

if TYPE_CHECKING:
    from hplint.context import FileContext

__all__ = [
    "FULL", "MIXED", "SPLIT_KINDS", "TEST", "TRAIN", "UNKNOWN", "UNKNOWN_VALUE", "VALIDATION",
    "ApplyEvent", "DataFlow", "EvalEvent", "FitEvent", "FunctionSummary", "ObjectInfo", "SelectionLoop",
    "SplitEvent", "Value", "analyze", "combine", "join_branches", "join_kinds", "kind_from_name",
]


def analyze(ctx: "FileContext") -> DataFlow:
    """The data flow of the file in `ctx` (call through `ctx.dataflow`, which caches it)."""
    return _Interpreter(ctx).run()
