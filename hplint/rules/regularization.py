"""HPL3xx: regularization switched off, missing, or left out of the search.

Which parameters regularize which model, which values switch it off (`off_values`, `off_at_least`)
and which are log-scale all come from the knowledge base; the search-space rules read the shared
`search_spaces(ctx)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.search_space import (
    DISTRIBUTION,
    GRID,
    Dimension,
    SearchSpace,
    search_spaces,
    step_of,
)
from hplint.analysis.values import NOT_LITERAL, is_number, literal_value
from hplint.analysis.walk import children
from hplint.knowledge.schema import Api, Param
from hplint.rules.base import Option, Rule, register
from hplint.rules.search_space import fmt

if TYPE_CHECKING:
    from hplint.analysis.semantic import CallSite, SemanticModel
    from hplint.context import FileContext


def bound_arguments(site: "CallSite", api: Api) -> Iterator[tuple[Param, cst.BaseExpression, cst.CSTNode]]:
    """(parameter, value, node to report) for each argument of the call the API knows, including the
    keys of a literal params dict (`xgb.train({"lambda": 0}, dtrain)`)."""
    position = 0
    for arg in site.node.args:
        if arg.star:
            continue
        if arg.keyword is not None:
            param = api.param(arg.keyword.value)
        else:
            param = api.param_at(position)
            position += 1
        if param is not None:
            yield param, arg.value, arg
    dict_arg = None
    if api.params_dict_keyword or api.params_dict_position is not None:
        dict_arg = site.argument(api.params_dict_keyword or "params", api.params_dict_position)
    if dict_arg is not None and isinstance(dict_arg.value, cst.Dict):
        for element in dict_arg.value.elements:
            if isinstance(element, cst.DictElement):
                key = literal_value(element.key)
                param = api.param(key) if isinstance(key, str) else None
                if param is not None:
                    yield param, element.value, element


def switches_off(param: Param, value: object) -> bool:
    if value is NOT_LITERAL or isinstance(value, bool):
        return False
    if param.off_at_least is not None and is_number(value) and value >= param.off_at_least:  # type: ignore[operator]
        return True
    return any((type(value) is type(off) and value == off) or (is_number(value) and is_number(off) and value == off)
               for off in param.off_values)


def shown(value: object) -> str:
    return fmt(value) if is_number(value) else repr(value)  # type: ignore[arg-type]


@register
class RegularizationDisabled(Rule):
    code = "HPL301"
    name = "regularization-disabled"
    summary = "Regularization is explicitly switched off (`penalty=None`, `alpha=0`, huge `C`, `Dropout(0.0)`, `weight_decay=0`)"
    doc = """
    ## What it does
    Flags arguments that switch a model's regularization off, as the knowledge base records them:
    `penalty=None`/`"none"`, `C` ≥ 1e6 (LogisticRegression, SVC), `alpha=0` (Ridge, Lasso,
    ElasticNet, SGD, MLP), `l2_regularization=0`, XGBoost/LightGBM `reg_lambda=0` together with
    `reg_alpha=0`, CatBoost `l2_leaf_reg=0`, `weight_decay=0` on `AdamW`/`SGD`, `Dropout(0.0)`,
    `regularizers.l2(0)`. Where a model has several penalties of the same kind (L1 and L2 of
    boosters), it fires only when all of them are switched off in the call.

    ## Why is this bad?
    Without a penalty the model fits the training data as closely as it can, noise included; its
    validation score then depends on luck, and the knob that would control overfitting is no longer
    there to tune. A value that disables regularization is usually a leftover from debugging or a
    misreading of the parameter (a large `C` means *weak* regularization).

    ## Example
    ```python
    model = LogisticRegression(penalty=None)
    ridge = Ridge(alpha=0)
    ```

    ## Use instead
    ```python
    model = LogisticRegressionCV(Cs=np.logspace(-3, 3, 13))
    ridge = RidgeCV(alphas=np.logspace(-3, 3, 13))
    ```
    """
    valid = (
        """
        from sklearn.linear_model import LogisticRegression, Ridge
        from xgboost import XGBClassifier
        a = LogisticRegression(C=10.0)
        b = Ridge(alpha=1.0)
        c = XGBClassifier(reg_alpha=0, reg_lambda=1)
        """,
    )
    invalid = (
        """
        from sklearn.linear_model import LogisticRegression
        model = LogisticRegression(penalty=None)
        """,
        """
        from sklearn.linear_model import Ridge
        model = Ridge(alpha=0)
        """,
        """
        from xgboost import XGBClassifier
        model = XGBClassifier(reg_alpha=0, reg_lambda=0)
        """,
        """
        import torch
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for site in ctx.semantic.calls:
            api = site.api
            if api is None:
                continue
            off: list[tuple[Param, object, cst.CSTNode]] = []
            set_names: dict[str, object] = {}
            for param, value_node, node in bound_arguments(site, api):
                value = literal_value(value_node)
                set_names[param.name] = value
                if param.kind == "regularization" and switches_off(param, value):
                    off.append((param, value, node))
            if not off:
                continue
            reported: set[tuple] = set()
            for param, value, node in off:
                siblings = [
                    p for p in api.params
                    if p.kind == "regularization" and p.off_values and p.off_values == param.off_values
                    and p.name != param.name
                ]
                if param.off_values and any(
                    s.name not in set_names or not switches_off(s, set_names[s.name]) for s in siblings
                ):
                    continue  # another penalty of the same kind is still on
                group = tuple(sorted([param.name, *(s.name for s in siblings)])) if param.off_values else (param.name,)
                if group in reported:
                    continue
                reported.add(group)
                ctx.report(self, node, self._message(site, api, param, value, siblings))

    def _message(self, site: "CallSite", api: Api, param: Param, value: object, siblings: list[Param]) -> str:
        call = (site.written or api.qualname).rsplit(".", 1)[-1]
        if siblings:
            names = " and ".join(f"`{n}=0`" for n in sorted([param.name, *(s.name for s in siblings)]))
            what = f"{names} switch all of its penalties off"
        elif param.off_at_least is not None and is_number(value):
            what = (
                f"`{param.name}={shown(value)}` makes the penalty negligible (`{param.name}` is an inverse "
                "strength: larger means weaker)"
            )
        else:
            what = f"`{param.name}={shown(value)}` switches its regularization off"
        keep = "one of them" if siblings else f"`{param.name}`"
        return (
            f"`{call}`: {what}; the model is free to fit noise and the knob that controls overfitting "
            f"is gone — keep {keep} on and tune it with cross-validation"
        )


# -- regularization evidence in a file (HPL302) ---------------------------------------------------


def regularizing_call(site: "CallSite") -> bool:
    """Dropout, normalization, augmentation, early stopping, an explicit regularizer or penalty."""
    api = site.api
    if api is None:
        return _augmentation(site.qualname)
    if api.role == "regularizer":
        return True
    last = api.qualname.rsplit(".", 1)[-1]
    if api.role == "layer":
        first = api.param_at(0)
        if first is not None and first.kind == "regularization":  # Dropout(p), RandomZoom(factor)
            return True
        # Normalization layers have no knowledge-base tag yet: recognised by their class name.
        if "Norm" in last:
            return True
    if api.role == "callback" and "EarlyStopping" in last:
        return True
    for param, value_node, _ in bound_arguments(site, api):
        if param.kind == "regularization" and not switches_off(param, literal_value(value_node)):
            if literal_value(value_node) not in (None, 0, 0.0):
                return True
    return False


def _augmentation(qualname: str | None) -> bool:
    if not qualname:
        return False
    last = qualname.rsplit(".", 1)[-1]
    return qualname.startswith(("torchvision.transforms", "albumentations")) and (
        last.startswith("Random") or last in ("ColorJitter", "RandAugment", "AutoAugment", "TrivialAugmentWide")
    )


def file_regularized(ctx: "FileContext") -> bool:
    cached = ctx.__dict__.get("_file_regularized")
    if cached is None:
        cached = ctx.__dict__["_file_regularized"] = any(regularizing_call(s) for s in ctx.semantic.calls)
    return cached


@register
class OptimizerWithoutWeightDecay(Rule):
    code = "HPL302"
    name = "optimizer-without-weight-decay"
    summary = "A network optimizer has no weight decay and the file has no other regularizer"
    default_enabled = False
    doc = """
    ## What it does
    Flags a PyTorch or Keras optimizer built without `weight_decay` in a file that shows no other
    regularization: no dropout, normalization or augmentation layer, no early stopping, no kernel
    regularizer or other regularization argument. Optimizers that decay weights by default (`AdamW`)
    are not reported.

    Off by default: models are often defined in another module (where the dropout lives), and small
    or pretrained networks may not need more regularization; a single-file analysis cannot tell.
    On the PyTorch and Optuna examples 6 of 10 findings judged by hand were right.

    ## Why is this bad?
    A network with no regularization at all overfits as soon as it has more parameters than the
    data can constrain, and its validation score then drifts with the number of epochs. Weight decay
    is the cheapest regularizer to add and to tune.

    ## Example
    ```python
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    ```

    ## Use instead
    ```python
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    ```
    """
    valid = (
        """
        import torch
        from torch import nn
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        """,
        """
        import torch
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=5e-4)
        """,
    )
    invalid = (
        """
        import torch
        from torch import nn
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for site in ctx.semantic.calls:
            api = site.api
            if api is None or api.role != "optimizer" or "network" not in api.tags:
                continue
            decay = api.param("weight_decay")
            if decay is None or "decays_by_default" in api.tags or any(a.star for a in site.node.args):
                continue
            if site.argument(decay.name, decay.position) is not None:
                continue
            if file_regularized(ctx):
                return
            ctx.report(
                self,
                site.node,
                f"`{(site.written or api.qualname).rsplit('.', 1)[-1]}` has no `weight_decay` and the "
                "file has no dropout, normalization, augmentation or early stopping: nothing restrains "
                "the network; pass `weight_decay=` (e.g. 1e-4 and tune it on a log scale) or add dropout",
            )


# -- unbounded models (HPL303) ----------------------------------------------------------------------

EARLY_STOPPING_WORDS = ("early_stopping", "callbacks", "n_iter_no_change", "od_wait", "od_type")


def _consumed(semantic: "SemanticModel", site: "CallSite") -> bool:
    """Is the constructed model handed to another call (a search, an ensemble, a helper) or
    reconfigured with `set_params`?"""
    from hplint.rules.reproducibility import bound_name

    name = bound_name(site)
    for other in semantic.calls:
        if other is site:
            continue
        if name and other.written == f"{name}.set_params":
            return True
        if other.written in ("print", "display"):
            continue
        for arg in other.node.args:
            # Handed to anything (a search, an ensemble, a helper that tunes it): not ours to judge.
            if arg.value is site.node or (name and isinstance(arg.value, cst.Name) and arg.value.value == name):
                return True
            if isinstance(arg.value, (cst.List, cst.Tuple)) and _mentions(arg.value, site.node, name):
                return True
    return False


def _mentions(node: cst.CSTNode, target: cst.CSTNode, name: str | None) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current is target or (name and isinstance(current, cst.Name) and current.value == name):
            return True
        stack.extend(children(current))
    return False


@register
class UnregularizedHighCapacityModel(Rule):
    code = "HPL303"
    name = "unregularized-high-capacity-model"
    summary = "An unbounded decision tree or a very large booster is trained with no regularization or early stopping"
    default_enabled = False
    doc = """
    ## What it does
    Flags (1) single decision trees left unbounded — no `max_depth`/`max_leaf_nodes`, `min_samples_leaf`
    at 1 and no other growth limit — and (2) boosters with at least `max-rounds` rounds, no early
    stopping anywhere in the file and no regularization argument. Models handed to a search, an
    ensemble or a pipeline, or reconfigured with `set_params`, are not reported.

    Off by default: an unbounded tree is sometimes exactly what is wanted (as a baseline, inside a
    hand-written ensemble, for a plot), which a static check cannot tell. On scikit-learn's examples
    and Kaggle kernels most findings are untuned baselines in model comparisons or illustrations.

    ## Why is this bad?
    An unbounded tree grows until each leaf is pure and memorises the training set; thousands of
    boosting rounds without early stopping or penalties do the same more slowly. The training score
    looks excellent and the validation score is whatever noise allows.

    ## Example
    ```python
    tree = DecisionTreeClassifier().fit(X_train, y_train)
    booster = XGBClassifier(n_estimators=5000, learning_rate=0.01).fit(X_train, y_train)
    ```

    ## Use instead
    ```python
    tree = DecisionTreeClassifier(max_depth=6, min_samples_leaf=5).fit(X_train, y_train)
    booster = XGBClassifier(n_estimators=5000, learning_rate=0.01, early_stopping_rounds=100)
    booster.fit(X_train, y_train, eval_set=[(X_valid, y_valid)])
    ```
    """
    options = {"max-rounds": Option(int, 1000, "Boosters with at least this many rounds are checked.")}
    valid = (
        """
        from sklearn.tree import DecisionTreeClassifier
        from sklearn.model_selection import GridSearchCV
        tree = DecisionTreeClassifier(max_depth=5).fit(X, y)
        search = GridSearchCV(DecisionTreeClassifier(), {"max_depth": [2, 4, 8]})
        """,
        """
        from xgboost import XGBClassifier
        booster = XGBClassifier(n_estimators=5000, early_stopping_rounds=50)
        """,
    )
    invalid = (
        """
        from sklearn.tree import DecisionTreeClassifier
        tree = DecisionTreeClassifier(random_state=0).fit(X, y)
        """,
        """
        from xgboost import XGBClassifier
        booster = XGBClassifier(n_estimators=5000, learning_rate=0.01)
        booster.fit(X, y)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        semantic = ctx.semantic
        early_stopping: bool | None = None
        for site in semantic.calls:
            api = site.api
            if api is None or api.role not in ("estimator", "booster_train") or "tree" not in api.tags:
                continue
            if any(a.star for a in site.node.args):
                continue
            arguments = {p.name: literal_value(v) for p, v, _ in bound_arguments(site, api)}
            if "boosting" in api.tags:
                rounds = api.param("n_estimators")
                value = arguments.get(rounds.name) if rounds is not None else None
                if not is_number(value) or value < int(self.option("max-rounds")):  # type: ignore[operator]
                    continue
                if any(api.param(n) is not None and api.param(n).kind == "regularization" for n in arguments):  # type: ignore[union-attr]
                    continue
                if early_stopping is None:
                    early_stopping = _mentions_early_stopping(semantic)
                if early_stopping or _consumed(semantic, site):
                    continue
                ctx.report(
                    self,
                    site.node,
                    f"`{_name(site, api)}` trains {fmt(value)} rounds with no early stopping and no "  # type: ignore[arg-type]
                    "regularization argument: it keeps fitting the training set long after the validation "
                    "score stops improving; use early stopping on a validation set and tune a penalty",
                )
            elif api.param("n_estimators") is None:
                if not self._unbounded_tree(api, arguments) or _consumed(semantic, site):
                    continue
                ctx.report(
                    self,
                    site.node,
                    f"`{_name(site, api)}` grows without limit (no `max_depth` or `max_leaf_nodes`, "
                    "`min_samples_leaf=1`): it memorises the training set; bound it "
                    "(`max_depth`, `min_samples_leaf`, `ccp_alpha`) and tune the bound with cross-validation",
                )

    @staticmethod
    def _unbounded_tree(api: Api, arguments: dict[str, object]) -> bool:
        for name, value in arguments.items():
            param = api.param(name)
            if param is None:
                continue
            if param.kind == "capacity" and value is not None:
                return False
            if param.kind == "regularization" and not (name == "min_samples_leaf" and value == 1):
                return False
        return True


def _name(site: "CallSite", api: Api) -> str:
    return (site.written or api.qualname).rsplit(".", 1)[-1]


def _mentions_early_stopping(semantic: "SemanticModel") -> bool:
    for site in semantic.calls:
        for arg in site.node.args:
            if arg.keyword is not None and any(w in arg.keyword.value for w in EARLY_STOPPING_WORDS):
                return True
        if site.api is not None and site.api.role == "callback":
            return True
        if site.written and "early_stop" in site.written.lower():
            return True
    return False


# -- search spaces (HPL304, HPL305) ------------------------------------------------------------------


def model_groups(space: SearchSpace) -> Iterator[tuple[Api, list[Dimension], cst.Call | None]]:
    """The dimensions of a space grouped by the model they tune (`estimator`/booster APIs only),
    with the model's constructor call when known."""
    groups: dict[int, tuple[Api, list[Dimension], cst.Call | None]] = {}
    replaced = {d.name for d in space.dimensions}
    for dim in space.dimensions:
        api = dim.api
        if api is None or api.role not in ("estimator", "booster_train"):
            continue
        if space.framework == "sklearn":
            if any("__".join(dim.step_path[: i + 1]) in replaced for i in range(len(dim.step_path))):
                continue  # the step itself is searched over: its parameters belong to several models
            step = step_of(space.estimator, dim.step_path)
            call = step.call if step is not None else None
            key = id(step) if step is not None else id(api)
        else:
            call = dim.consumer
            key = id(call) if call is not None else id(api)
        groups.setdefault(key, (api, [], call))[1].append(dim)
    yield from groups.values()


def _capacity(dim: Dimension) -> bool:
    return dim.param is not None and dim.param.kind == "capacity"


def _restrains_growth(api: Api, dim: Dimension) -> bool:
    """For a single tree or a bagged forest, a tuned depth or leaf limit is the regularization:
    those trees otherwise grow until every leaf is pure (boosters are different: shallow trees
    are their capacity, penalties their regularization)."""
    if "tree" not in api.tags or "boosting" in api.tags or dim.param is None:
        return False
    rounds = api.param("n_estimators")
    return dim.param.kind == "capacity" and (rounds is None or dim.param.name != rounds.name)


def _searched(dim: Dimension) -> bool:
    if dim.kind == GRID:
        return dim.size is None or dim.size >= 2
    return True


def _fixes_regularization(api: Api, call: cst.Call | None) -> bool:
    """Does the model's constructor set a regularization parameter (or take `**params`)?"""
    if call is None:
        return False
    for arg in call.args:
        if arg.star:
            return True
        if arg.keyword is not None:
            param = api.param(arg.keyword.value)
            if param is not None and param.kind == "regularization":
                return True
    return False


def regularization_names(api: Api, limit: int = 4) -> str:
    params = [p for p in api.params if p.kind == "regularization"]
    params.sort(key=lambda p: (p.scale != "log", not p.key))
    names = ", ".join(f"`{p.name}`" for p in params[:limit])
    return names + (", ..." if len(params) > limit else "")


@register
class SearchSpaceOmitsRegularization(Rule):
    code = "HPL304"
    name = "search-space-omits-regularization"
    summary = "A search tunes a model's capacity but none of its regularization parameters"
    doc = """
    ## What it does
    Flags a search (scikit-learn grid or distributions, Optuna, Hyperopt, Ray Tune, Keras-Tuner)
    that tunes the capacity of a model — depth, number of trees or leaves, hidden sizes, the
    learning rate — but no parameter that regularizes that model (`C`, `alpha`,
    `l2_regularization`, `reg_lambda`, `min_child_weight`, `min_samples_leaf`, `max_features`,
    `subsample`, `weight_decay` ...), as the knowledge base classifies them. Models whose
    constructor already sets a regularization parameter, and searches the analysis cannot read in
    full, are not reported.

    ## Why is this bad?
    Capacity and regularization trade off against each other: searching only the capacity finds the
    largest model that the *unregularized* setting tolerates, which is usually smaller or worse than
    a larger model with a tuned penalty. The search's best score is then a poor guide.

    ## Example
    ```python
    GridSearchCV(XGBClassifier(), {"max_depth": [3, 5, 7], "n_estimators": [100, 300, 1000]})
    ```

    ## Use instead
    ```python
    GridSearchCV(XGBClassifier(), {"max_depth": [3, 5, 7], "n_estimators": [100, 300, 1000],
                                   "reg_lambda": [0.1, 1, 10], "min_child_weight": [1, 5, 10]})
    ```
    """
    valid = (
        """
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(RandomForestClassifier(), {"n_estimators": [100, 300], "min_samples_leaf": [1, 5, 10]})
        GridSearchCV(RandomForestClassifier(min_samples_leaf=5), {"n_estimators": [100, 300]})
        GridSearchCV(RandomForestClassifier(), {"n_estimators": [100, 300], "max_depth": [4, 8, None]})
        """,
    )
    invalid = (
        """
        from xgboost import XGBClassifier
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(XGBClassifier(), {"max_depth": [3, 5, 7], "n_estimators": [100, 300, 1000]})
        """,
        """
        import optuna
        from xgboost import XGBClassifier
        def objective(trial):
            model = XGBClassifier(
                n_estimators=trial.suggest_int("n_estimators", 50, 500),
                max_depth=trial.suggest_int("max_depth", 2, 12),
            )
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        for space in search_spaces(ctx):
            if not space.complete:
                continue
            for api, dims, call in model_groups(space):
                if "unsupervised" in api.tags or api.estimator_position is not None:
                    continue  # clustering and mixtures are chosen by other criteria; meta-estimators wrap one
                capacity = [d for d in dims if _capacity(d) and _searched(d)]
                if not capacity or any(d.param and d.param.kind == "regularization" for d in dims):
                    continue
                if any(_restrains_growth(api, d) for d in capacity):
                    continue
                if not any(p.kind == "regularization" for p in api.params) or _fixes_regularization(api, call):
                    continue
                tuned = ", ".join(f"`{d.name}`" for d in capacity)
                model = api.qualname.rsplit(".", 1)[-1]
                anchor = space.call.node.func if space.call is not None else capacity[0].node
                ctx.report(
                    self,
                    anchor,
                    f"{_search_label(space)} tunes the capacity of `{model}` ({tuned}) but none of its "
                    f"regularization parameters ({regularization_names(api)}): the search cannot trade "
                    "capacity against regularization, and its best model is the best unregularized one; "
                    "add a regularization dimension",
                )


def _search_label(space: SearchSpace) -> str:
    return f"`{space.label}`" if space.call is not None else space.label[0].upper() + space.label[1:]


@register
class SearchSpaceRegularizationDegenerate(Rule):
    code = "HPL305"
    name = "search-space-regularization-degenerate"
    summary = "The regularization dimension of a search has one value, only 'off' values, or spans less than an order of magnitude"
    doc = """
    ## What it does
    For each model a search tunes, looks at its regularization dimensions and fires when none of
    them actually varies the regularization: a single value, only values that switch it off (`0`,
    `None`), or — for a log-scale parameter such as `C`, `alpha`, `reg_lambda` or `weight_decay` —
    values or bounds within less than one order of magnitude (`C: [1, 2, 5]`,
    `suggest_float("weight_decay", 1e-4, 5e-4)`).

    ## Why is this bad?
    The search looks as if it tunes regularization but does not: the strength that matters is set
    by the one value or narrow band chosen up front. Regularization strengths that work differ by
    orders of magnitude across datasets, so the range must cover several.

    ## Example
    ```python
    GridSearchCV(SVC(), {"C": [1, 2, 5], "gamma": [0.001, 0.01, 0.1]})
    ```

    ## Use instead
    ```python
    GridSearchCV(SVC(), {"C": [0.01, 0.1, 1, 10, 100], "gamma": [0.001, 0.01, 0.1]})
    ```
    """
    options = {
        "min-ratio": Option((int, float), 10, "A log-scale dimension must span at least this factor."),
    }
    valid = (
        """
        from sklearn.svm import SVC
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(SVC(), {"C": [0.01, 0.1, 1, 10, 100]})
        GridSearchCV(LogisticRegression(), {"penalty": ["l2"], "C": [0.01, 1, 100]})
        """,
    )
    invalid = (
        """
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(SVC(), {"C": [1, 2, 5], "gamma": [0.001, 0.01, 0.1]})
        """,
        """
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(Ridge(), {"alpha": [0], "solver": ["auto", "svd", "cholesky"]})
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        min_ratio = float(self.option("min-ratio"))
        for space in search_spaces(ctx):
            for api, dims, _ in model_groups(space):
                regularization = [d for d in dims if d.param is not None and d.param.kind == "regularization"]
                if not regularization or not any(_searched(d) for d in dims):
                    continue  # a grid of single values is a fixed configuration, not a search
                problems = [(d, self._problem(d, min_ratio)) for d in regularization]
                if any(problem is None for _, problem in problems):
                    continue
                dim, problem = problems[0]
                ctx.report(
                    self,
                    dim.values_node or dim.node,
                    f"The regularization of `{api.qualname.rsplit('.', 1)[-1]}` is not really searched: "
                    f"{problem}; "
                    + ("search it over several orders of magnitude" if dim.param.scale == "log" else "search several values"),
                )

    @staticmethod
    def _problem(dim: Dimension, min_ratio: float) -> str | None:
        """Why a regularization dimension does not vary the regularization, or None if it does."""
        param = dim.param
        assert param is not None
        if dim.kind == GRID and dim.size == 0:
            return None  # an empty list is HPL505's
        if dim.kind == GRID and dim.values is not None:
            distinct = []
            for value in dim.values:
                if not any(type(value) is type(v) and value == v for v in distinct):
                    distinct.append(value)
            if len(distinct) == 1:
                return f"`{dim.name}` has the single value {shown(distinct[0])}"
            if all(switches_off(param, v) or v is None for v in distinct):
                return f"`{dim.name}` only takes values that switch it off ({', '.join(map(shown, distinct))})"
            positive = sorted(v for v in distinct if is_number(v) and v > 0)
            off_included = any(switches_off(param, v) for v in distinct)
            if (
                param.scale == "log" and len(positive) == len(distinct) and len(positive) >= 2
                and positive[-1] / positive[0] < min_ratio and not off_included
            ):
                return (
                    f"`{dim.name}` spans only {fmt(positive[0])}..{fmt(positive[-1])}, less than an order "
                    "of magnitude"
                )
            return None
        if dim.kind == DISTRIBUTION and param.scale == "log" and dim.low and dim.high:
            if dim.low > 0 and dim.high / dim.low < min_ratio:
                return (
                    f"`{dim.name}` is drawn from {fmt(dim.low)}..{fmt(dim.high)}, less than an order "
                    "of magnitude"
                )
        return None

