"""Model selection without cross-validation (HPL2xx).

The rules read the calls the semantic layer resolved (searches, CV scorers, splitters and their
`cv`/`groups` arguments) and, for the selection loops, the data lineage of `ctx.dataflow`. None of
them walks the whole tree: where an expression must be searched (`print(search.best_score_)`), only
that expression is visited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from hplint import knowledge
from hplint.analysis.values import NOT_LITERAL, dotted_name, literal_text, literal_value
from hplint.knowledge.schema import Api
from hplint.rules.base import Option, Rule, register

if TYPE_CHECKING:
    from hplint.analysis.semantic import CallSite, SemanticModel
    from hplint.engine import FileContext


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
    """The value a plain name was last bound to before `site` (one assignment deep), else `expr`."""
    if isinstance(expr, cst.Name):
        binding = sem.last_binding(expr.value, site.order, site.scope)
        if (
            binding is not None
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
    if site is None or site.api is None:
        return UNKNOWN_FOLDS
    if site.api.role == "splitter":
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


def _hpo_objectives(sem: "SemanticModel") -> frozenset[str]:
    """Names of functions handed to an HPO driver (`study.optimize(objective)`, `fmin(fn=...)`)."""
    names = set()
    for site in sem.calls:
        if site.method == "optimize" or (site.written or "").rsplit(".", 1)[-1] == "fmin":
            arg = site.argument("func", 0) or site.keyword("fn")
            if arg is not None and isinstance(arg.value, cst.Name):
                names.add(arg.value.value)
    return frozenset(names)


def _in_function(site: "CallSite", names: frozenset[str]) -> bool:
    scope = site.scope
    while scope is not None:
        function = scope.function
        if function is not None and function.name.value in names:
            return True
        scope = scope.parent
    return False


def _selection_kind(site: "CallSite", objectives: frozenset[str]) -> str | None:
    """What a CV-using call does with its folds ("selects hyperparameters"), or None when it only
    evaluates one model."""
    api = site.api
    if api is None or api.cv_keyword is None:
        return None
    if api.role == "search":
        return "selects hyperparameters"
    if api.role == "feature_selector":
        return "selects features"
    if api.role == "cv_scorer":
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
    Reports searches (`GridSearchCV`, `RandomizedSearchCV`, halving searches, `BayesSearchCV`),
    CV-based feature selection (`RFECV`, `SequentialFeatureSelector`) and cross-validation scores
    that compare candidates (`validation_curve`, `cross_val_score` in a loop over models or values, or
    inside an Optuna/Hyperopt objective) whose folds are fewer than `min-folds`: `cv=2`,
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
        objectives = _hpo_objectives(sem)
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
            elif site.method == "split" and owner.role == "splitter":
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
