"""Model selection without cross-validation (HPL2xx).

The rules read the calls the semantic layer resolved (searches, CV scorers, splitters and their
`cv`/`groups` arguments) and, for the selection loops, the data lineage of `ctx.dataflow`. None of
them walks the whole tree: where an expression must be searched (`print(search.best_score_)`), only
that expression is visited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from hplint import knowledge
from hplint.analysis.dataflow import (
    FULL,
    MIXED,
    TEST,
    TRAIN,
    VALIDATION,
    EvalEvent,
    FitEvent,
    SelectionLoop,
    SplitEvent,
    Value,
)
from hplint.analysis.values import NOT_LITERAL, dotted_name, literal_text, literal_value
from hplint.analysis.walk import children
from hplint.knowledge.schema import Api
from hplint.rules.base import Option, Rule, register

if TYPE_CHECKING:
    from hplint.analysis.semantic import CallSite, SemanticModel
    from hplint.context import FileContext


# -- what the `cv` argument of a call amounts to -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Folds:
    """The folds a CV-using call runs on, as far as the code says."""

    # Number of train/validation splits; None when the code leaves it to the library or we cannot
    # tell (a variable from elsewhere, a comprehension).
    count: int | None
    # The splitter constructor call (KFold(...)), when the folds come from one.
    splitter: "CallSite | None"
    # The expression that defines the folds (the `cv` value, or what a variable in it was bound to).
    definition: cst.CSTNode | None
    # True when the folds are known not to look at `groups` (an int, the default, a non-group
    # splitter); False when they do; None when we cannot tell.
    ignores_groups: bool | None

    @property
    def description(self) -> str:
        if self.definition is None:
            return "the default folds"
        return f"`{_short(self.definition)}`"


DEFAULT_FOLDS = Folds(count=None, splitter=None, definition=None, ignores_groups=True)
UNKNOWN_FOLDS = Folds(count=None, splitter=None, definition=None, ignores_groups=None)


def _short(node: cst.CSTNode, limit: int = 60) -> str:
    text = " ".join(literal_text(node).split())  # type: ignore[arg-type]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _follow(sem: "SemanticModel", expr: cst.BaseExpression, site: "CallSite") -> cst.BaseExpression:
    """The value a plain name is bound to before `site` (one assignment deep), else `expr`.

    Only a name bound once before the call is followed: `cv = GroupKFold() if ... else KFold()`
    written as two branches, or rebound later in a loop, could hold either value.
    """
    if isinstance(expr, cst.Name):
        binding = sem.last_binding(expr.value, site.order, site.scope)
        earlier = sem.last_binding(expr.value, binding.order, site.scope) if binding is not None else None
        if (
            binding is not None
            and earlier is None
            and binding.value is not None
            and binding.unpack_index is None
            and not binding.augmented
            and not isinstance(binding.statement, cst.For)  # a loop target takes many values
        ):
            return binding.value
    return expr


def folds_of(sem: "SemanticModel", site: "CallSite", api: Api) -> Folds:
    """The folds of a search, CV scorer or CV-selecting estimator (`cv=` or its default)."""
    if api.cv_keyword is None:
        return UNKNOWN_FOLDS
    arg = site.keyword(api.cv_keyword)
    if arg is None:
        return DEFAULT_FOLDS
    written = arg.value
    value = _follow(sem, written, site)
    literal = literal_value(value)
    if literal is None:
        return DEFAULT_FOLDS
    if isinstance(literal, int) and not isinstance(literal, bool):
        return Folds(literal, None, written if value is written else value, True)
    if isinstance(value, (cst.List, cst.Tuple)) and not any(
        isinstance(e, cst.StarredElement) for e in value.elements
    ):
        # Precomputed (train, validation) index pairs: `cv=[(train_idx, val_idx)]`.
        return Folds(len(value.elements), None, value, None)
    if isinstance(value, cst.Call):
        return _folds_of_call(sem, value)
    return UNKNOWN_FOLDS


def _folds_of_call(sem: "SemanticModel", call: cst.Call) -> Folds:
    site = sem.call_by_node.get(call)
    if site is None:
        return UNKNOWN_FOLDS
    if site.api is not None and site.api.role == "splitter":
        return Folds(_splitter_fold_count(sem, site), site, call, "group_aware" not in site.api.tags)
    if site.method == "split" and isinstance(site.receiver, (cst.Name, cst.Call)):
        # `cv=gkf.split(X, y, groups)`: the folds of the splitter it is called on.
        receiver = _follow(sem, site.receiver, site)
        if isinstance(receiver, cst.Call):
            inner = _folds_of_call(sem, receiver)
            return Folds(inner.count, inner.splitter, call, inner.ignores_groups)
    return UNKNOWN_FOLDS


def _splitter_fold_count(sem: "SemanticModel", site: "CallSite") -> int | None:
    api = site.api
    assert api is not None
    if api.param("test_fold") is not None:
        return _predefined_fold_count(sem, site)
    n_splits = api.param("n_splits")
    if n_splits is None:
        return None  # LeaveOneOut and friends: as many folds as samples or groups
    count = _int_argument(sem, site, n_splits.name, n_splits.position)
    if count is None:
        return None
    if api.param("n_repeats") is not None:
        repeats = _int_argument(sem, site, "n_repeats", None)
        # Repeated splitters default to 10 repeats: 2 folds × 10 repeats is the classic 5×2 design.
        return count * repeats if repeats is not None else None
    return count


def _int_argument(sem: "SemanticModel", site: "CallSite", name: str, position: int | None) -> int | None:
    arg = site.argument(name, position)
    value = literal_value(_follow(sem, arg.value, site)) if arg is not None else NOT_LITERAL
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _predefined_fold_count(sem: "SemanticModel", site: "CallSite") -> int | None:
    """Distinct validation-fold ids of `PredefinedSplit(test_fold)`, when its construction shows them.

    `[-1] * len(train) + [0] * len(val)`, `np.r_[np.full(n, -1), np.zeros(m)]` and
    `np.where(is_val, 0, -1)` all build one fold; anything we cannot read is unknown.
    """
    arg = site.argument("test_fold", 0)
    if arg is None:
        return None
    ids = _fold_ids(_follow(sem, arg.value, site))
    if ids is None:
        return None
    folds = {i for i in ids if i >= 0}
    return len(folds) if folds and -1 in ids else None


_FILLED = {"zeros": 0, "zeros_like": 0, "ones": 1, "ones_like": 1}


def _fold_ids(node: cst.BaseExpression) -> set[int] | None:
    """Integer constants an expression builds an array from; None if it uses anything else."""
    ids: set[int] = set()
    unknown = False

    def visit(expr: cst.CSTNode, negate: bool = False) -> None:
        nonlocal unknown
        value = literal_value(expr) if isinstance(expr, cst.BaseExpression) else NOT_LITERAL
        if isinstance(value, int) and not isinstance(value, bool):
            ids.add(-value if negate else value)
        elif isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            visit(expr.expression, not negate)
        elif isinstance(expr, cst.BinaryOperation):
            if isinstance(expr.operator, cst.Multiply):
                # `[-1] * n`: the list holds the ids, the count is a size.
                for side in (expr.left, expr.right):
                    if isinstance(side, (cst.List, cst.Tuple)):
                        visit(side, negate)
            else:
                visit(expr.left, negate)
                visit(expr.right, negate)
        elif isinstance(expr, (cst.List, cst.Tuple)):
            for element in expr.elements:
                visit(element.value, negate)
        elif isinstance(expr, cst.Call):
            name = (dotted_name(expr.func) or "").rsplit(".", 1)[-1]
            if name in _FILLED:
                ids.add(-_FILLED[name] if negate else _FILLED[name])
            elif name == "full" and len(expr.args) >= 2:
                visit(expr.args[1].value, negate)
            elif name == "where" and len(expr.args) == 3:
                visit(expr.args[1].value, negate)
                visit(expr.args[2].value, negate)
            elif name in ("concatenate", "hstack", "append", "array", "asarray", "list"):
                for a in expr.args:
                    if a.keyword is None:
                        visit(a.value, negate)
            else:
                unknown = True
        elif isinstance(expr, cst.Subscript) and dotted_name(expr.value) in ("np.r_", "numpy.r_"):
            for element in expr.slice:
                if isinstance(element.slice, cst.Index):
                    visit(element.slice.value, negate)
        else:
            unknown = True

    visit(node)
    return None if unknown else ids


# -- which calls select a model -----------------------------------------------------------------


def _objective_functions(ctx: "FileContext") -> frozenset[cst.CSTNode]:
    """Functions a hyperparameter optimizer calls (Optuna/Hyperopt/Ray Tune objectives)."""
    return frozenset(loop.node for loop in ctx.dataflow.selection_loops if loop.kind == "objective")


def _in_function(site: "CallSite", functions: frozenset[cst.CSTNode]) -> bool:
    scope = site.scope
    while scope is not None:
        if scope.node in functions:
            return True
        scope = scope.parent
    return False


def _selection_kind(site: "CallSite", objectives: frozenset[cst.CSTNode]) -> str | None:
    """What a CV-using call does with its folds ("selects hyperparameters"), or None when it only
    evaluates one model."""
    api = site.api
    if api is None or api.cv_keyword is None:
        return None
    if api.role == "search":
        return "selects hyperparameters"
    if api.role == "feature_selector":
        return "selects features"
    if api.role == "booster_train" and site.keyword("early_stopping_rounds") is not None:
        return "selects the number of boosting rounds"  # xgb.cv / lgb.cv with early stopping
    if api.role in ("cv_scorer", "booster_train"):
        if api.param("param_range") is not None:
            return "compares hyperparameter values"  # validation_curve does so by design
        if site.loops:
            return "compares candidates in a loop"
        if _in_function(site, objectives):
            return "scores the trials of a tuning objective"
    return None


def _callee(site: "CallSite") -> str:
    if site.api is not None:
        return site.api.qualname.rsplit(".", 1)[-1]
    return site.written or "the call"


# -- HPL206 ---------------------------------------------------------------------------------------


@register
class TooFewFolds(Rule):
    code = "HPL206"
    name = "too-few-folds"
    summary = "Model selection runs on fewer than three folds (`cv=2`, one predefined split)"
    options = {
        "min-folds": Option(int, 3, "Fewer train/validation splits than this are reported."),
    }
    doc = """
    ## What it does
    Reports searches (`GridSearchCV`, `RandomizedSearchCV`, halving searches, `BayesSearchCV`,
    `OptunaSearchCV`), CV-based feature selection (`RFECV`, `SequentialFeatureSelector`),
    cross-validation scores that compare candidates (`validation_curve`, `cross_val_score` or
    `xgb.cv`/`lgb.cv` in a loop over models or values, or inside an Optuna/Hyperopt objective) and
    boosters' CV with early stopping, whose folds are fewer than `min-folds`: `cv=2`, `nfold=2`,
    `KFold(n_splits=2)`, `ShuffleSplit(n_splits=1)`, a one-fold `PredefinedSplit`, or a list holding a
    single `(train, validation)` pair. Repeated splitters count every repetition
    (`RepeatedKFold(n_splits=2)` repeats 10 times by default and is not reported), and folds left to
    the library default are never reported.

    ## Why is this bad?
    A model chosen on one or two validation splits is chosen on noise as much as on merit: the
    ranking of close candidates changes with the split, and the winner's score is optimistic.
    With one fold, "cross-validation" is a single hold-out split in disguise.

    ## Example
    ```python
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=2)
    ```

    ## Use instead
    ```python
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5)
    # or, when fits are cheap and data is small:
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=3))
    ```
    """
    valid = (
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5)
        """,
        """
        from sklearn.model_selection import GridSearchCV, RepeatedKFold
        from sklearn.linear_model import Ridge
        search = GridSearchCV(Ridge(), {"alpha": [0.1, 1, 10]}, cv=RepeatedKFold(n_splits=2, random_state=0))
        """,
        """
        from sklearn.model_selection import cross_val_score
        from sklearn.svm import SVC
        scores = cross_val_score(SVC(), X, y, cv=2)  # one model evaluated, nothing selected
        """,
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=config.folds)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=2)
        """,
        """
        from sklearn.model_selection import KFold, RandomizedSearchCV
        from sklearn.ensemble import RandomForestClassifier
        folds = KFold(n_splits=2, shuffle=True, random_state=0)
        search = RandomizedSearchCV(RandomForestClassifier(), space, cv=folds, random_state=0)
        """,
        """
        import numpy as np
        from sklearn.model_selection import GridSearchCV, PredefinedSplit
        from sklearn.svm import SVC
        test_fold = [-1] * len(X_train) + [0] * len(X_val)
        search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=PredefinedSplit(test_fold))
        """,
        """
        from sklearn.model_selection import cross_val_score
        from sklearn.svm import SVC
        for C in [0.1, 1, 10]:
            print(C, cross_val_score(SVC(C=C), X, y, cv=2).mean())
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        sem = ctx.semantic
        minimum = self.option("min-folds")
        objectives = _objective_functions(ctx) if any(c.api and c.api.role == "cv_scorer" for c in sem.calls) else frozenset()
        for site in sem.calls:
            what = _selection_kind(site, objectives)
            if what is None:
                continue
            assert site.api is not None and site.api.cv_keyword is not None
            api_keyword = site.api.cv_keyword
            folds = folds_of(sem, site, site.api)
            if folds.count is None or folds.count >= minimum:
                continue
            arg = site.keyword(site.api.cv_keyword)
            assert arg is not None
            count = folds.count
            amount = "a single train/validation split" if count == 1 else f"only {count} folds"
            via = f"`{api_keyword}={_short(arg.value)}`"
            if folds.definition is not None and folds.definition is not arg.value:
                via += f", defined as {folds.description}"
            related = []
            if folds.definition is not None and folds.definition is not arg.value:
                related.append(("the folds are defined here", folds.definition))
            ctx.report(
                self,
                arg,
                f"`{_callee(site)}` {what} on {amount} ({via}): the ranking of candidates on so few splits is mostly "
                f"noise; use at least {max(minimum, 5)} folds (`cv={max(minimum, 5)}`) or a repeated "
                "splitter",
                related=related,
            )


# -- HPL205 ---------------------------------------------------------------------------------------


GROUP_SPLITTERS = "`GroupKFold`, `StratifiedGroupKFold` or `LeaveOneGroupOut`"


def _owner(site: "CallSite") -> Api | None:
    """The knowledge-base record of the object a method is called on (`search.fit` → the search)."""
    if site.qualname is None or site.method is None:
        return None
    return knowledge.lookup(site.qualname.rsplit(".", 1)[0])


def _constructor_site(sem: "SemanticModel", site: "CallSite") -> "CallSite | None":
    """The constructor call of the object a method is called on, when the code shows it."""
    receiver = site.receiver
    if receiver is None:
        return None
    value = _follow(sem, receiver, site)
    return sem.call_by_node.get(value) if isinstance(value, cst.Call) else None


def _passes_groups(arg: cst.Arg | None) -> bool:
    return arg is not None and literal_value(arg.value) is not None


@register
class CvSplitterMismatch(Rule):
    code = "HPL205"
    name = "cv-splitter-mismatch"
    summary = "`groups` are passed to cross-validation whose splitter ignores them"
    doc = """
    ## What it does
    Reports `groups=` given to `cross_val_score`/`cross_validate`/`cross_val_predict`/
    `learning_curve`/`validation_curve`, to a search's `fit`, or to a splitter's `split`, when the
    folds come from a splitter that does not use groups: an integer `cv` or the default (`KFold` /
    `StratifiedKFold`), `KFold`, `StratifiedKFold`, `ShuffleSplit`, `TimeSeriesSplit`,
    `PredefinedSplit`. Folds the code does not show (a splitter built elsewhere) are not reported.
    Shuffled splitting of time-ordered data is reported by HPL409.

    ## Why is this bad?
    Such splitters silently ignore `groups`. Rows of one group (patient, user, session, site) then
    fall into both the training and the validation folds, the model is rewarded for recognising
    groups it has already seen, and the CV score — and the model chosen by it — is optimistic for
    new groups. Passing `groups` shows the author meant group-wise folds.

    ## Example
    ```python
    scores = cross_val_score(model, X, y, groups=patient_ids, cv=5)
    ```

    ## Use instead
    ```python
    scores = cross_val_score(model, X, y, groups=patient_ids, cv=GroupKFold(n_splits=5))
    ```
    """
    valid = (
        """
        from sklearn.model_selection import GroupKFold, cross_val_score
        scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(n_splits=5))
        """,
        """
        from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=LeaveOneGroupOut())
        search.fit(X, y, groups=groups)
        """,
        """
        from sklearn.model_selection import cross_val_score
        scores = cross_val_score(model, X, y, groups=groups, cv=make_folds())
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import cross_val_score
        scores = cross_val_score(model, X, y, groups=patient_ids, cv=5)
        """,
        """
        from sklearn.model_selection import GridSearchCV, StratifiedKFold
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=StratifiedKFold(5))
        search.fit(X, y, groups=groups)
        """,
        """
        from sklearn.model_selection import KFold
        for train, val in KFold(n_splits=5).split(X, y, groups):
            pass
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        sem = ctx.semantic
        # `cv=kf.split(X, y, groups)`: reported once, at the call that uses the folds.
        used_as_cv = {
            arg.value
            for site in sem.calls
            if site.api is not None and site.api.cv_keyword is not None
            and (arg := site.keyword(site.api.cv_keyword)) is not None
        }
        for site in sem.calls:
            api = site.api
            if api is not None and api.role == "cv_scorer" and api.param("groups") is not None:
                groups = site.keyword("groups")
                if _passes_groups(groups):
                    self._check(ctx, site, groups, folds_of(sem, site, api), _callee(site))
                continue
            if site.method not in ("fit", "split"):
                continue
            owner = _owner(site)
            if owner is None:
                continue
            if site.method == "fit" and owner.cv_keyword is not None and owner.role in ("search", "feature_selector"):
                groups = site.keyword("groups")
                constructor = _constructor_site(sem, site)
                if _passes_groups(groups) and constructor is not None and constructor.api is owner:
                    name = f"{_callee(constructor)}.fit"
                    self._check(ctx, site, groups, folds_of(sem, constructor, owner), name)
            elif site.method == "split" and owner.role == "splitter" and site.node not in used_as_cv:
                groups = site.argument("groups", 2)
                constructor = _constructor_site(sem, site)
                if _passes_groups(groups) and constructor is not None and constructor.api is owner:
                    folds = Folds(None, constructor, constructor.node, "group_aware" not in owner.tags)
                    self._check(ctx, site, groups, folds, f"{_callee(constructor)}.split")

    def _check(
        self, ctx: "FileContext", site: "CallSite", groups: cst.Arg | None, folds: Folds, name: str
    ) -> None:
        if not folds.ignores_groups or groups is None:
            return
        if folds.splitter is not None:
            splitter = f"`{_callee(folds.splitter)}`"
            reason = f"{splitter} ignores them"
        elif folds.definition is not None:
            reason = f"`cv={_short(folds.definition)}` builds plain or stratified K folds, which ignore them"
        else:
            reason = "the default folds (plain or stratified K-fold) ignore them"
        related = [("the folds are defined here", folds.definition)] if folds.definition is not None else []
        ctx.report(
            self,
            groups,
            f"`{_short(groups.value)}` is passed as `groups` to `{name}`, but {reason}: rows of one "
            f"group land in both training and validation folds; use {GROUP_SPLITTERS}",
            related=related,
        )


# -- selection loops (HPL201, HPL202): read from the data-flow layer ----------------------------

_NETWORK_ROLES = frozenset({"model", "trainer"})
_CANDIDATES = {"model": "candidate models", "hyperparameter": "hyperparameter values"}


def _candidates_of(ctx: "FileContext", loop: SelectionLoop) -> str:
    if loop.kind == "objective":
        return f"the trials of the objective `{loop.node.name.value}`"  # type: ignore[attr-defined]
    if loop.node is loop.pick:
        return f"the models compared at {ctx.where(loop.node)}"
    what = _CANDIDATES.get(loop.kind, "candidates")
    return f"the {what} of the loop at {ctx.where(loop.node)}"


def _trains_networks(ctx: "FileContext", loop: SelectionLoop) -> bool:
    """The candidates are neural networks trained epoch by epoch (Keras/PyTorch/Trainer)."""
    if any(fit.role in _NETWORK_ROLES for fit in loop.fits):
        return True
    return any(
        inner.kind == "epoch" and _contains(loop.node, inner.node)
        for inner in ctx.dataflow.selection_loops
        if inner is not loop
    ) or any(
        site.method in ("backward", "zero_grad") and loop.node in site.loops
        for site in ctx.semantic.calls
    )


def _contains(outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
    if outer is inner:
        return True
    stack = list(children(outer))
    while stack:
        node = stack.pop()
        if node is inner:
            return True
        stack.extend(children(node))
    return False


def _uses_cross_validation(loop: SelectionLoop) -> bool:
    return any(
        e.role == "cv" or any(v.split is not None and v.split.method == "kfold" for v in e.data)
        for e in loop.evaluations
    )


def _picked_on(loop: SelectionLoop, kind: str) -> tuple[EvalEvent, Value] | None:
    """An evaluation of the loop whose score is picked and that scores `kind` data (a score or
    metric rather than the `predict` feeding it, when there is one)."""
    found = [
        (event, value)
        for event in loop.evaluations
        for value in event.data
        if value.kind == kind and value.is_known
    ]
    found.sort(key=lambda pair: pair[0].role == "predict")
    return found[0] if found else None


_CANDIDATE_ROLES = frozenset({"estimator", "pipeline", "search", "model", "booster_train", "trainer"})


def _fits_a_candidate(fit: FitEvent) -> bool:
    """A model is trained (not a statistic such as `scores.mean()` computed in the loop)."""
    return fit.role in _CANDIDATE_ROLES or (fit.role is None and fit.method in ("fit", "train"))


def _anchor(event: EvalEvent, loop: SelectionLoop) -> cst.CSTNode:
    """Where to report a scoring: inside an objective, the scoring itself (the optimizer's call is
    elsewhere); in a loop, the call in the loop that leads to it (it may sit in a helper)."""
    return event.node if loop.kind == "objective" else event.report_node


def _exempt(rule: Rule, ctx: "FileContext", loop: SelectionLoop) -> bool:
    if not rule.option("exempt-epoch-selection"):
        return False
    return loop.kind == "epoch" or _trains_networks(ctx, loop)


_EPOCH_OPTION = Option(
    bool,
    True,
    "Skip best-epoch selection and the tuning of neural networks trained epoch by epoch, where a "
    "validation split is the practical norm.",
)


@register
class SelectionOnSingleSplit(Rule):
    code = "HPL201"
    name = "selection-on-single-split"
    summary = "Hyperparameters or models are chosen by their score on one validation split"
    options = {
        "exempt-epoch-selection": _EPOCH_OPTION,
        "include-hpo-objectives": Option(
            bool,
            True,
            "Also report Optuna/Hyperopt/Ray Tune objectives that score each trial on one validation split.",
        ),
    }
    doc = """
    ## What it does
    Finds loops over hyperparameter values or candidate models (and Optuna/Hyperopt objectives)
    that fit each candidate, score it on a single held-out validation split — data the code carved
    out with `train_test_split` or slicing — and pick the best (`max`/`argmax`, `if score > best`,
    a list or dict of scores then `max`, or the optimizer itself), with no cross-validation in the
    loop. Loops whose validation folds come from a K-fold splitter are not reported; neither are
    loops that score test data (HPL401) or training data (HPL202), nor loops that fit nothing
    (a decision threshold swept over fixed predictions).

    Deep-learning loops that select an epoch on a validation set, and loops or objectives that tune
    networks trained epoch by epoch, are exempt by default (`exempt-epoch-selection`): one
    validation split is the practical norm there.

    ## Why is this bad?
    On one split, the ranking of close candidates is decided as much by which rows landed in the
    validation set as by the candidates: the winner is tuned to that split and its validation score
    is optimistic. Cross-validation averages the comparison over several splits and uses every row
    for both fitting and validation.

    ## Example
    ```python
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
    best_score = 0
    for k in range(1, 30):
        score = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_val, y_val)
        if score > best_score:
            best_score, best_k = score, k
    ```

    ## Use instead
    ```python
    search = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": range(1, 30)}, cv=5)
    search.fit(X_train, y_train)
    ```
    or `cross_val_score(model, X_train, y_train, cv=5).mean()` as the score compared in the loop.
    """
    valid = (
        """
        from sklearn.model_selection import cross_val_score
        from sklearn.neighbors import KNeighborsClassifier
        best = 0
        for k in range(1, 30):
            score = cross_val_score(KNeighborsClassifier(n_neighbors=k), X_train, y_train, cv=5).mean()
            if score > best:
                best, best_k = score, k
        """,
        """
        import torch
        from sklearn.model_selection import train_test_split
        X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
        best = 0
        for epoch in range(20):
            train_one_epoch(model, X_train, y_train)
            acc = model.score(X_val, y_val)
            if acc > best:
                best = acc
                torch.save(model.state_dict(), "best.pt")
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.neighbors import KNeighborsClassifier
        X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
        best = 0
        for k in range(1, 30):
            score = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_val, y_val)
            if score > best:
                best, best_k = score, k
        """,
        """
        from sklearn.metrics import f1_score
        from sklearn.model_selection import train_test_split
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.linear_model import LogisticRegression
        X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)
        results = {}
        for name, model in {"rf": RandomForestClassifier(), "lr": LogisticRegression()}.items():
            model.fit(X_tr, y_tr)
            results[name] = f1_score(y_val, model.predict(X_val))
        best = max(results, key=results.get)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for loop in ctx.dataflow.selection_loops:
            if _exempt(self, ctx, loop) or _uses_cross_validation(loop):
                continue
            if loop.kind == "objective" and not self.option("include-hpo-objectives"):
                continue
            if not any(_fits_a_candidate(fit) for fit in loop.fits):
                continue  # a threshold or other post-hoc knob swept without refitting: not model selection
            picked = _picked_on(loop, VALIDATION)
            if picked is None or any(e.test_value is not None for e in loop.evaluations):
                continue
            event, value = picked
            split = value.split
            made = f" (made at {ctx.where(split.line_node)})" if split else ""
            picks = f", and the best is picked at {ctx.where(loop.pick)}" if loop.pick is not None else ""
            related = []
            if loop.pick is not None:
                related.append(("the winner is picked here", loop.pick))
            if split is not None:
                related.append(("the single validation split is made here", split.line_node))
            if loop.kind == "objective" and event.site is not None and event.site is not event.node:
                related.append(("the objective is optimised here", event.site))
            ctx.report(
                self,
                _anchor(event, loop),
                f"`{_short(_anchor(event, loop))}` ranks {_candidates_of(ctx, loop)} on one validation "
                f"split{made}{picks}: one split ranks candidates by chance as much as by merit; compare "
                "them with cross-validation (`GridSearchCV`, or `cross_val_score` in the loop)",
                related=related,
            )


@register
class SelectionOnTrainingData(Rule):
    code = "HPL202"
    name = "selection-on-training-data"
    summary = "Candidates are compared by their score on the data they were fitted on"
    options = {"exempt-epoch-selection": _EPOCH_OPTION}
    doc = """
    ## What it does
    Finds loops over hyperparameter values or candidate models (and HPO objectives) that pick the
    best candidate by a score computed on the rows each candidate was trained on: the training
    split, or the very data passed to `fit`. Best-epoch selection on the training loss is exempt
    by default (`exempt-epoch-selection`).

    ## Why is this bad?
    A training score rewards memorisation: the deepest tree, the smallest `k`, the weakest
    regularization and the largest model always win, so the "best" candidate is the one that
    overfits most.

    ## Example
    ```python
    for depth in range(1, 20):
        tree = DecisionTreeClassifier(max_depth=depth).fit(X_train, y_train)
        scores.append(tree.score(X_train, y_train))
    best_depth = np.argmax(scores) + 1
    ```

    ## Use instead
    ```python
    for depth in range(1, 20):
        tree = DecisionTreeClassifier(max_depth=depth)
        scores.append(cross_val_score(tree, X_train, y_train, cv=5).mean())
    best_depth = np.argmax(scores) + 1
    ```
    """
    valid = (
        """
        import numpy as np
        from sklearn.model_selection import cross_val_score
        from sklearn.tree import DecisionTreeClassifier
        scores = []
        for depth in range(1, 20):
            scores.append(cross_val_score(DecisionTreeClassifier(max_depth=depth), X_train, y_train, cv=5).mean())
        best_depth = np.argmax(scores) + 1
        """,
        """
        from sklearn.model_selection import train_test_split
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
        for depth in range(1, 20):
            tree = DecisionTreeClassifier(max_depth=depth).fit(X_train, y_train)
            print(depth, tree.score(X_train, y_train), tree.score(X_val, y_val))
        """,
    )
    invalid = (
        """
        import numpy as np
        from sklearn.model_selection import train_test_split
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        scores = []
        for depth in range(1, 20):
            tree = DecisionTreeClassifier(max_depth=depth).fit(X_train, y_train)
            scores.append(tree.score(X_train, y_train))
        best_depth = np.argmax(scores) + 1
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for loop in ctx.dataflow.selection_loops:
            if _exempt(self, ctx, loop) or _uses_cross_validation(loop):
                continue
            found = _scored_on_fitted_rows(loop)
            if found is None:
                continue
            event, fit = found
            data = f"`{event.data_text[0]}`" if event.data_text and event.data_text[0] else "the data"
            picks = f", and the best is picked at {ctx.where(loop.pick)}" if loop.pick is not None else ""
            related = [("the candidate is fitted here", fit.report_node)]
            if loop.pick is not None:
                related.append(("the winner is picked here", loop.pick))
            ctx.report(
                self,
                _anchor(event, loop),
                f"`{_short(_anchor(event, loop))}` ranks {_candidates_of(ctx, loop)} on {data}, the data "
                f"each is fitted on at {ctx.where(fit.report_node)}{picks}: a training score always "
                "favours the candidate that overfits most; compare on validation data or with "
                "cross-validation",
                related=related,
            )


def _scored_on_fitted_rows(loop: SelectionLoop) -> tuple[EvalEvent, FitEvent] | None:
    """An evaluation whose score is picked and whose data are the rows its candidate was fitted on."""
    if any(v.kind in (VALIDATION, TEST, MIXED) for e in loop.evaluations for v in e.data):
        return None  # a held-out score is (also) compared: not a pure training-score selection
    for event in loop.evaluations:
        if event.role == "cv" or not event.data:
            continue
        scored = event.data[0]
        for fit in loop.fits:
            if not fit.data or not _fits_a_candidate(fit):
                continue
            fitted = fit.data[0]
            same_rows = bool(scored.sources & fitted.sources) and scored.kind == fitted.kind
            if not same_rows or scored.kind not in (TRAIN, FULL):
                continue
            # The lineage says "same rows"; the arguments as written must agree (a slice the
            # analysis could not place, or one fold of a K-fold, is not the training data).
            if not set(event.data_text) & set(fit.data_text) - {""}:
                continue
            if scored.kind == TRAIN and not scored.is_known:
                continue
            if event.model is not None and event.model is not fit.obj:
                continue
            return event, fit
    return None


# -- HPL204 -------------------------------------------------------------------------------------


@register
class SearchFittedOnAllData(Rule):
    code = "HPL204"
    name = "search-fitted-on-all-data"
    summary = "A hyperparameter search is fitted on data that is then split into train and test"
    doc = """
    ## What it does
    Finds a search (`GridSearchCV`, `RandomizedSearchCV`, …) fitted on the whole data set, where
    that same data is split into train and test *afterwards* and the tuned search is then scored on
    the test part. A final refit on all data after the test evaluation is not reported (the split
    then comes first), and neither is a search on all data whose result is never scored on a later
    test split (an independent experiment).

    ## Why is this bad?
    The rows that later form the test set took part in choosing the hyperparameters, so the test
    score of the chosen model is no longer an unbiased estimate: the test set has been seen by the
    selection.

    ## Example
    ```python
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5).fit(X, y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    print(search.score(X_test, y_test))
    ```

    ## Use instead
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5).fit(X_train, y_train)
    print(search.score(X_test, y_test))
    ```
    """
    valid = (
        """
        import pandas as pd
        from sklearn.model_selection import GridSearchCV, train_test_split
        from sklearn.svm import SVC
        df = pd.read_csv("data.csv")
        X, y = df.drop(columns="y"), df["y"]
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5).fit(X_train, y_train)
        print(search.score(X_test, y_test))
        final = search.fit(X, y)  # refit on everything once evaluated
        """,
    )
    invalid = (
        """
        import pandas as pd
        from sklearn.model_selection import GridSearchCV, train_test_split
        from sklearn.svm import SVC
        df = pd.read_csv("data.csv")
        X, y = df.drop(columns="y"), df["y"]
        search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5)
        search.fit(X, y)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        print(search.score(X_test, y_test))
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        flow = ctx.dataflow
        for fit in flow.fits:
            if fit.role != "search" or not fit.data or fit.obj is None:
                continue
            data = fit.data[0]
            if data.kind != FULL or not data.sources:
                continue
            at = _order(ctx, fit.report_node)
            for event in flow.evaluations:
                # The tuned search itself is then evaluated on the test part of a split of the
                # data it was tuned on: that test score is biased.
                test = event.test_value
                if event.model is not fit.obj or test is None or test.split is None:
                    continue
                split = test.split
                if not split.input_sources & data.sources:
                    continue
                split_at = _order(ctx, split.line_node, split)
                if at is None or split_at is None or split_at <= at:
                    continue
                name = f"the search `{fit.receiver}`" if fit.receiver else "the search"
                ctx.report(
                    self,
                    fit.report_node,
                    f"{name} is fitted on {split.source_text}, which is split into train and test only "
                    f"afterwards, at {ctx.where(split.line_node)}, and then scored on the test part at "
                    f"{ctx.where(event.report_node)}: the test rows took part in choosing the "
                    "hyperparameters; split first and tune on the training part",
                    related=[
                        ("the data is split into train and test here", split.line_node),
                        ("the tuned search is scored on test rows here", event.report_node),
                    ],
                )
                break


def _order(ctx: "FileContext", node: cst.CSTNode, split: "SplitEvent | None" = None) -> int | None:
    """Walk order of a call, or of the assignment that makes a slicing split; None if unknown."""
    sem = ctx.semantic
    site = sem.call_by_node.get(node) if isinstance(node, cst.Call) else None
    if site is not None:
        return site.order
    if split is not None:
        for target, _ in split.outputs:
            for binding in sem.bindings_of(target or ""):
                if binding.value is not None and _contains(binding.value, node):
                    return binding.order
    return None


# -- HPL203 -------------------------------------------------------------------------------------

_REPORT_FUNCTIONS = frozenset({"print", "pprint", "display", "pprint.pprint"})
_REPORT_METHODS = frozenset({"info", "debug", "warning", "log", "log_metric", "log_metrics", "write"})
_REPORT_LIBRARIES = frozenset({"logging", "loguru", "mlflow", "wandb", "streamlit"})
_HELD_OUT = frozenset({VALIDATION, TEST, MIXED})


def _selection_score_in(expr: cst.CSTNode) -> cst.CSTNode | None:
    """`x.best_score_`, or `x.cv_results_[...][x.best_index_]`, inside a (small) expression."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Attribute) and node.attr.value == "best_score_":
            return node
        if isinstance(node, cst.Subscript) and _indexes_best_result(node):
            return node
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            continue
        stack.extend(reversed(children(node)))
    return None


def _indexes_best_result(node: cst.Subscript) -> bool:
    return any(
        isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.Attribute)
        and e.slice.value.attr.value == "best_index_"
        for e in node.slice
    ) and "cv_results_" in literal_text(node.value)


def _is_report(site: "CallSite") -> bool:
    written = site.written or ""
    if written in _REPORT_FUNCTIONS:
        return True
    if site.method not in _REPORT_METHODS:
        return False
    # `logger.info(...)` on a local logger, or a logging/tracking library's function.
    return site.qualname is None or site.qualname.split(".", 1)[0] in _REPORT_LIBRARIES


def _reported_selection_scores(ctx: "FileContext") -> list[cst.CSTNode]:
    """Selection scores printed, logged or displayed (directly or through one variable)."""
    if "best_score_" not in ctx.source.text and "best_index_" not in ctx.source.text:
        return []  # no selection score is read anywhere: skip walking every assigned value
    sem = ctx.semantic
    holders = {
        name
        for name, bindings in sem.bindings.items()
        for b in bindings
        if b.value is not None and b.unpack_index is None and _selection_score_in(b.value) is not None
    }
    found: list[cst.CSTNode] = []
    for site in sem.calls:
        # Only a script's or notebook's own top level: in a function, the final evaluation may well
        # happen in the caller or another module.
        if not site.scope.is_module or not _is_report(site):
            continue
        for arg in site.node.args:
            score = _selection_score_in(arg.value)
            if score is None and holders:
                score = next(
                    (n for n in _names(arg.value) if n.value in holders),
                    None,
                )
            if score is not None:
                found.append(score)
    if ctx.source.is_notebook:
        # A cell ending in `search.best_score_` displays it.
        for statement in ctx.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Expr) and not isinstance(small.value, cst.Call):
                        score = _selection_score_in(small.value)
                        if score is not None:
                            found.append(score)
    return found


def _names(expr: cst.CSTNode) -> list[cst.Name]:
    result, stack = [], [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            result.append(node)
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)  # `a.b`: only `a` is a variable
        else:
            stack.extend(children(node))
    return result


_SCORING_METHODS = frozenset({"score", "evaluate"})
_PREDICTING_METHODS = frozenset({"predict", "predict_proba", "decision_function"})


def _evaluates_held_out(ctx: "FileContext") -> bool:
    """File-level evidence of another estimate of the chosen model's performance.

    A cross-validation score (possibly an outer, nested CV); a score or metric on anything but the
    data a search was fitted on; predictions for held-out data (a test split, a test file, or just
    a variable named so: names may only make this rule quieter). Unsure means evidence.
    """
    sem, flow = ctx.semantic, ctx.dataflow
    searches = [fit for fit in flow.fits if fit.role == "search"]
    in_sample = _InSample(
        texts={text for fit in searches for text in fit.data_text if text},
        values=[value for fit in searches for value in fit.data if value.sources],
    )
    for site in sem.calls:
        api = site.api
        if api is not None and api.role == "cv_scorer":
            return True
        if site.method == "split" and (owner := _owner(site)) is not None and owner.role == "splitter":
            return True  # a hand-written (outer) cross-validation loop
        scores = (api is not None and api.role == "metric") or site.method in _SCORING_METHODS
        predicts = site.method in _PREDICTING_METHODS
        if not scores and not predicts:
            continue
        data = [arg.value for arg in site.node.args if not arg.star]
        held_out = any(_is_held_out(flow.value_of(d), d) for d in data)
        if held_out or (scores and data and not any(in_sample.holds(flow.value_of(d), d) for d in data)):
            return True
    return False


_HELD_OUT_NAME = re.compile(r"test|holdout|hold_out|(?<![a-z])val(?:id|idation)?(?![a-z])")


def _is_held_out(value: Value | None, node: cst.BaseExpression) -> bool:
    if value is not None and value.kind in _HELD_OUT:
        return True
    return _HELD_OUT_NAME.search(literal_text(node).lower()) is not None


@dataclass(frozen=True, slots=True)
class _InSample:
    """The data searches were fitted on: as written, and as lineage."""

    texts: set[str]
    values: list[Value]

    def holds(self, value: Value | None, node: cst.BaseExpression) -> bool:
        """Training rows of a search: lineage says train or the same rows (`X.values`), or the very
        expression the search was fitted on, or a call on it (`search.predict(X)`)."""
        if value is not None and (
            value.kind == TRAIN
            or any(value.kind == v.kind and value.sources & v.sources for v in self.values)
        ):
            return True
        if isinstance(node, cst.Call):
            return any(self.holds(None, a.value) for a in node.args if not a.star)
        return literal_text(node) in self.texts


@register
class NonNestedScoreReported(Rule):
    code = "HPL203"
    name = "non-nested-score-reported"
    summary = "The best cross-validation score of a search is reported as the final performance"
    doc = """
    ## What it does
    Reports `search.best_score_` (or `cv_results_[...][search.best_index_]`) printed, logged or
    displayed in a file that has **no other estimate** of the chosen model's performance: no score or
    metric on anything but the data the search was fitted on, no predictions for held-out data (a
    test split, a test file, or a variable named like one), and no cross-validation score (which
    could be an outer, nested CV, or a hand-written loop over `splitter.split`). This is a
    file-level check on purpose: printing `best_score_` next to a held-out test score is
    informative and common, and is not reported. Only reports at the top level of a script or
    notebook count: inside a function (a progress callback, a library's tuning step) the final
    evaluation may happen in the caller or in another module.

    ## Why is this bad?
    `best_score_` is the maximum over all candidates of a noisy CV estimate, computed on the very
    folds used to choose the winner. It is biased upwards — the more candidates, the more — so as
    the reported performance of the final model it promises more than the model will deliver.

    ## Example
    ```python
    search = GridSearchCV(SVC(), param_grid, cv=5).fit(X, y)
    print(f"accuracy: {search.best_score_:.3f}")
    ```

    ## Use instead
    Report a score the selection has not seen: a held-out test set, or nested cross-validation.
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    search = GridSearchCV(SVC(), param_grid, cv=5).fit(X_train, y_train)
    print(f"test accuracy: {search.score(X_test, y_test):.3f}")
    # or: cross_val_score(GridSearchCV(SVC(), param_grid, cv=5), X, y, cv=5).mean()
    ```
    """
    valid = (
        """
        from sklearn.model_selection import GridSearchCV, train_test_split
        from sklearn.svm import SVC
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=5).fit(X_train, y_train)
        print("CV", search.best_score_, "test", search.score(X_test, y_test))
        """,
        """
        from sklearn.model_selection import GridSearchCV, cross_val_score
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=5)
        print(cross_val_score(search, X, y, cv=5).mean())
        search.fit(X, y)
        print(search.best_score_)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=5).fit(X, y)
        print(f"accuracy: {search.best_score_:.3f}")
        """,
        """
        import logging
        from sklearn.model_selection import RandomizedSearchCV
        from sklearn.ensemble import RandomForestClassifier
        search = RandomizedSearchCV(RandomForestClassifier(), space, n_iter=20, random_state=0)
        search.fit(X, y)
        score = search.best_score_
        logging.info("final score %.3f", score)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        sem = ctx.semantic
        if not any(c.api is not None and c.api.role == "search" for c in sem.calls):
            return
        scores = _reported_selection_scores(ctx)
        if not scores or _evaluates_held_out(ctx):
            return
        for node in scores:
            what = f"`{_short(node)}`" if not isinstance(node, cst.Name) else f"`{node.value}`, the search's best CV score,"
            ctx.report(
                self,
                node,
                f"{what} is reported as the result, but it is the best of the candidates' CV scores on "
                "the folds that chose the winner — an optimistic estimate — and nothing in this file "
                "scores the chosen model on held-out data or with an outer cross-validation; report a "
                "test-set score or nested CV (`cross_val_score(search, X, y)`)",
            )
