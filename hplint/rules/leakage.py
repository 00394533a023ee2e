"""HPL4xx: test data leaking into training, tuning or preprocessing.

Every rule reads `ctx.dataflow` (hplint/analysis/dataflow.py): split events, fit/score/apply events
and selection loops with the lineage of their data. A finding needs lineage the code states (a
split's position, a file or key named test); a variable's name alone never makes a finding.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Iterable

import libcst as cst

from hplint.analysis.dataflow import (
    FULL,
    MIXED,
    TEST,
    TRAIN,
    UNKNOWN,
    VALIDATION,
    DataFlow,
    EvalEvent,
    FitEvent,
    SplitEvent,
    Value,
)
from hplint.analysis.values import literal_text
from hplint.knowledge.dataops import ROW_STACKING_FUNCTIONS
from hplint.rules.base import Option, Rule, register
from hplint.rules.fairness_facts import dataset_kind

if TYPE_CHECKING:
    from hplint.context import FileContext

# Preprocessing that learns statistics of the data it is fitted on.
_PREPROCESSING_ROLES = ("preprocessor", "statistic")
_MODEL_ROLES = ("estimator", "model", "search", "pipeline", "trainer", "booster_train", "hpo_study")


def _where(ctx: "FileContext", node) -> str:
    """`line 12` / `cell 3, line 2`; the positions of all data-flow events come in one pass."""
    dataflow = ctx.dataflow
    if not dataflow.positions_prefetched:
        dataflow.positions_prefetched = True
        ctx.prefetch_positions(dataflow.event_nodes())
    return ctx.where(node)


def _name(fit: FitEvent) -> str:
    if fit.role == "statistic":
        return f"`{_text(fit.node)}`"
    return f"`{fit.receiver}`" if fit.receiver else f"`{_text(fit.node)}`"


def _text(node) -> str:
    text = literal_text(node)
    return text if len(text) <= 50 else text[:47] + "…"


def _eval_name(event: EvalEvent) -> str:
    return f"`{_text(event.node)}`" if event.method == "forward" else f"`{event.method}`"


def _data_text(texts: tuple[str, ...], fallback: str = "the data") -> str:
    return f"`{texts[0]}`" if texts and texts[0] else fallback


def _split_phrase(ctx: "FileContext", split: SplitEvent) -> str:
    if split.method == "kfold":
        parts = "train and validation folds"
    else:
        parts = "train and test" if _has_test_part(split) else "train and validation"
    via = f" (in a function called at {_where(ctx, split.site)})" if split.site is not None else ""
    return f"split into {parts} at {_where(ctx, split.line_node)}{via}"


def _scored_on_test(evaluations: list[EvalEvent]) -> EvalEvent | None:
    """The evaluation to name among those a selection picks from: test data by what the code does
    first, else by a name (`X_test`, `test_loader`: the pattern is strong enough to let a name count).
    A score (`roc_auc_score`, `model.score`) rather than the `predict` feeding it."""
    for on_test in ([e for e in evaluations if e.test_value is not None],
                    [e for e in evaluations if e.named_test_value is not None]):
        if on_test:
            return min(on_test, key=lambda e: e.role == "predict")
    return None


def _test_origin(ctx: "FileContext", test: Value) -> str:
    """` (the test part of the split at line 7)`, ` (`X_test` is test data by its name)`, or ``."""
    if test.split is not None:
        return f" (the test part of the split at {_where(ctx, test.split.line_node)})"
    if test.is_test_by_name and test.test_name:
        return f" (`{test.test_name}` is test data by its name)"
    return ""


def _has_test_part(split: SplitEvent) -> bool:
    return any(kind == TEST for _, kind in split.outputs)


def _has_held_out_part(split: SplitEvent) -> bool:
    """A split that sets rows aside for evaluation (test, or validation carved out of train)."""
    return split.method != "kfold" and any(kind in (TEST, VALIDATION) for _, kind in split.outputs)


def _learns_categories_only(fit: FitEvent) -> bool:
    return fit.api is not None and "categories" in fit.api.tags


def _learns_nothing(fit: FitEvent) -> bool:
    return fit.api is not None and "stateless" in fit.api.tags


def _leaky_fits(
    ctx: "FileContext",
    dataflow: DataFlow,
    roles: tuple[str, ...],
    *,
    state: str = "fits",
    validation_too: bool = False,
) -> Iterable[tuple[FitEvent, str, object]]:
    """Fits of `roles` whose learned state reaches data that is later split into train and test
    (and, with `validation_too`, into train and validation).

    Yields (fit, message tail, related node). `state` is the Value field that carries the fit:
    "fits" for transformers and statistics, "resampled" for resamplers.
    """
    held_out = _has_held_out_part if validation_too else _has_test_part
    reported: set[int] = set()  # report nodes: a helper called twice has one fit node
    # Statistics of one concatenation of train and test (`all_data[c].fillna(all_data[c].mode()[0])`
    # for every column c) are one problem: reported once, with the count.
    mixed_statistics: dict[frozenset, list[FitEvent]] = {}
    modelled = _state_reaching_models(dataflow)
    for fit in dataflow.fits:
        data = fit.data[0] if fit.data else None
        if fit.role == "statistic" and fit.role in roles and data is not None and data.kind == MIXED \
                and data.is_test:
            mixed_statistics.setdefault(data.sources, []).append(fit)
    for fit in dataflow.fits:
        if fit.role not in roles or not fit.data or id(fit.node) in reported or _learns_nothing(fit):
            continue
        data = fit.data[0]
        if data.kind == MIXED and data.is_test:
            if fit not in modelled:
                continue  # only plotted or inspected (a t-SNE map): no model learns from it
            group = mixed_statistics.get(data.sources, []) if fit.role == "statistic" else []
            if group and group[0] is not fit:
                continue
            reported.add(id(fit.node))
            more = f" ({len(group) - 1} more statistics of the same data follow)" if len(group) > 1 else ""
            yield fit, f"which holds both training and test rows{more}", _mixed_origin(data, fit)
            continue
        if data.kind not in ((FULL, UNKNOWN, TRAIN) if validation_too else (FULL, UNKNOWN)):
            continue
        # The fitted (transformed, resampled) data is split afterwards.
        for split in dataflow.splits:
            if not held_out(split):
                continue
            if any(fit in getattr(value, state) for value in split.inputs):
                reported.add(id(fit.node))
                yield fit, f"which is then {_split_phrase(ctx, split)}", split.line_node
                break
        else:
            if state != "fits":
                continue
            # Fitted on the whole data, then applied to the parts of a split of that same data.
            for application in dataflow.applications:
                if application.fit is not fit:
                    continue
                part = application.data[0] if application.data else None
                split = part.split if part is not None else None
                if (
                    split is not None
                    and part.is_known
                    and _has_test_part(split)
                    and split.input_sources & data.sources
                ):
                    reported.add(id(fit.node))
                    yield fit, f"which is also {_split_phrase(ctx, split)}", split.line_node
                    break


def _state_reaching_models(dataflow: DataFlow) -> set[FitEvent]:
    """Transformers and statistics whose learned state reaches the data of a model's training or
    evaluation (directly, or through the data they transformed)."""
    reached: set[FitEvent] = set()
    for fit in dataflow.fits:
        if fit.role != "statistic":
            for value in (*fit.data, *fit.eval_data):
                reached |= value.fits
    for event in dataflow.evaluations:
        for value in event.data:
            reached |= value.fits
    return reached


def _mixed_origin(data: Value, fit: FitEvent):
    return data.split.line_node if data.split is not None else fit.node


def _fitted_outside_cv(dataflow: DataFlow, roles: tuple[str, ...], state: str = "fits"):
    """(cv evaluation or search fit, fit of `roles`) where the CV data carries that fit's state and
    the fit saw all the rows the CV then splits."""
    candidates: list[tuple[object, Value, str]] = []
    for event in dataflow.evaluations:
        if event.role == "cv" and event.data:
            candidates.append((event.report_node, event.data[0], event.method))
    for fit in dataflow.fits:
        if fit.role == "search" and fit.data:
            candidates.append((fit.report_node, fit.data[0], f"{fit.receiver}.fit" if fit.receiver else "fit"))
    for split in dataflow.splits:
        if split.method == "kfold":
            # The data split into folds, and the data the fold indices then select rows of.
            for data in (*split.inputs[:1], *split.selected):
                candidates.append((split.line_node, data, _text(split.node)))
    # One finding per fitted transformer, at its first cross-validation: the fix is in one place.
    seen: set[int] = set()
    for node, data, label in candidates:
        for fit in sorted(getattr(data, state), key=lambda fit: fit.serial):
            if fit.role not in roles or not fit.data or id(fit.node) in seen or _learns_nothing(fit):
                continue
            fitted = fit.data[0]
            # Rows taken back out of a concatenation of train and test are of unknown kind, but
            # the transformer fitted on the concatenation saw all of them.
            same_rows = fitted.kind == data.kind or (fitted.kind == MIXED and data.kind == UNKNOWN)
            if same_rows and fitted.sources & data.sources:
                seen.add(id(fit.node))
                yield node, fit, label, data
                break


def _report_before_split_or_cv(
    ctx: "FileContext",
    rule: Rule,
    roles: tuple[str, ...],
    *,
    before_split,
    before_cv,
    state: str = "fits",
    validation_too: bool = False,
) -> None:
    """One finding per fit of `roles`: at the split its output reaches if any, else at the
    cross-validation that scores it. `before_split(fit, tail)` and `before_cv(fit, label, node)`
    word the message."""
    from hplint.rules.pipeline_fixes import pipeline_fix, split_fix  # fixes-pipeline

    reported: set[int] = set()
    # Two fits of one line on the same data (`f_classif(x, y)[0] >= np.percentile(f_classif(x, y)[0], 95)`)
    # are one selection: one finding.
    lines: set[tuple] = set()
    for fit, tail, related_node in _leaky_fits(
        ctx, ctx.dataflow, roles, state=state, validation_too=validation_too
    ):
        reported.add(id(fit))
        line = (ctx.line_of(fit.report_node), fit.method, fit.data_text)
        if line in lines:
            continue
        lines.add(line)
        ctx.report(rule, fit.report_node, before_split(fit, tail), related=[("split here", related_node)],
                   fix=partial(split_fix, ctx, fit))
    for node, fit, label, _ in _fitted_outside_cv(ctx.dataflow, roles, state=state):
        line = (ctx.line_of(fit.report_node), fit.method, fit.data_text)
        if id(fit) not in reported and line not in lines:
            lines.add(line)
            reported.add(id(fit))
            ctx.report(
                rule, fit.report_node, before_cv(fit, label, node), related=[("cross-validated here", node)],
                fix=partial(pipeline_fix, ctx, fit),
            )


# ------------------------------------------------------------------------------------------------


@register
class TestSetUsedInTuning(Rule):
    code = "HPL401"
    name = "test-set-used-in-tuning"
    summary = "Test data scores the candidates of a hyperparameter or model selection"
    severity = "error"
    doc = """
    ## What it does
    Finds test data scored inside a loop over hyperparameter values or candidate models whose
    results pick the winner (`max`/`argmax`, `if score > best`, appending scores then taking the
    best, a dict of scores then `max`), inside an Optuna/Hyperopt/Ray Tune objective, as the
    `validation_data` of a Keras Tuner search, and searches (`GridSearchCV(...).fit`) fitted on
    test data. Helper functions and methods called from the loop are followed, and so is the data a
    call site passes to a function. Without a loop, two or more models scored on test data and the
    better one kept (`if forest_acc > logistic_acc: best = forest`) are a selection too.

    Test data is known by what the code does (a split's position, a file named test, a
    `split="test"` key); where the code gives no origin (the parameters of a function never called
    in the file, an attribute set from one), a name such as `X_test` or `test_loader` counts, and
    the message says so: a selection loop over data the code itself calls test is strong enough
    evidence. A call site that passes a validation split wins over the parameter's name.

    ## Why is this bad?
    The test set is there to estimate how the chosen model does on new data. Once it picks the
    hyperparameters, the chosen configuration is the one that happened to fit the test set best and
    its test score is optimistically biased: the estimate of generalisation is gone.

    ## Example
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    best_k, best = None, 0
    for k in range(1, 30):
        knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
        score = knn.score(X_test, y_test)
        if score > best:
            best_k, best = k, score
    ```

    ## Use instead
    Select on a validation split carved out of the training data, or with cross-validation, and
    touch the test set once, for the chosen model:
    ```python
    search = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": range(1, 30)}, cv=5)
    search.fit(X_train, y_train)
    print(search.score(X_test, y_test))
    ```
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.neighbors import KNeighborsClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train)
        best = 0
        for k in range(1, 30):
            score = KNeighborsClassifier(n_neighbors=k).fit(X_fit, y_fit).score(X_val, y_val)
            if score > best:
                best, best_k = score, k
        final = KNeighborsClassifier(n_neighbors=best_k).fit(X_train, y_train)
        print(final.score(X_test, y_test))
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.neighbors import KNeighborsClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        best = 0
        for k in range(1, 30):
            knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
            score = knn.score(X_test, y_test)
            if score > best:
                best, best_k = score, k
        """,
        """
        import optuna
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        def objective(trial):
            model = SVC(C=trial.suggest_float("C", 1e-3, 1e3, log=True)).fit(X_train, y_train)
            return model.score(X_test, y_test)
        optuna.create_study(direction="maximize").optimize(objective, n_trials=50)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        dataflow = ctx.dataflow
        for loop in dataflow.selection_loops:
            if loop.kind == "epoch":
                continue  # best-epoch selection on test: HPL402
            event = _scored_on_test(loop.evaluations)
            if event is None:
                continue
            test = event.test_value or event.named_test_value
            split = test.split
            origin = _test_origin(ctx, test)
            if loop.kind == "objective":
                message = (
                    f"{_eval_name(event)} scores test data{origin} inside the objective "
                    f"`{loop.node.name.value}` that a hyperparameter search optimises"
                )
                related = [(f"objective `{loop.node.name.value}`", loop.node.name)]
            elif loop.node is loop.pick:
                message = (
                    f"{_eval_name(event)} scores test data{origin} for one of the models compared at "
                    f"{_where(ctx, loop.pick)}, where the best of them is kept"
                )
                related = [("the winner is picked here", loop.pick)]
            else:
                what = {"model": "candidate models", "hyperparameter": "hyperparameter values"}.get(
                    loop.kind, "candidates"
                )
                message = (
                    f"{_eval_name(event)} scores test data{origin} in a loop over {what} "
                    f"whose best score is picked at {_where(ctx, loop.pick)}"
                )
                related = [("the winner is picked here", loop.pick)]
            if split is not None:
                related.append(("test data split off here", split.line_node))
            node = event.node if loop.kind == "objective" else event.report_node
            ctx.report(self, node, message, related=related)
        for fit in dataflow.fits:
            data = fit.data[0] if fit.data else None
            if fit.role == "search" and data is not None and data.is_test and data.kind == TEST:
                related = [("test data split off here", data.split.line_node)] if data.split else []
                ctx.report(
                    self,
                    fit.report_node,
                    f"the search `{fit.receiver}` is fitted on test data {_data_text(fit.data_text)}: "
                    "its cross-validation picks hyperparameters with the test set",
                    related=related,
                )
            elif fit.role == "hpo_study":
                test = next((v for v in fit.eval_data if v.is_test), None)
                if test is not None:
                    related = [("test data split off here", test.split.line_node)] if test.split else []
                    ctx.report(
                        self,
                        fit.report_node,
                        f"the tuner `{fit.receiver}` ranks its trials on test data given as validation data",
                        related=related,
                    )


@register
class EarlyStoppingOnTest(Rule):
    code = "HPL402"
    name = "early-stopping-or-checkpoint-on-test"
    summary = "Early stopping or best-checkpoint selection is driven by test data"
    severity = "error"
    doc = """
    ## What it does
    Finds test data given as `eval_set` / `valid_sets` / `validation_data` / `eval_dataset` to a
    training call that stops early or keeps the best model on it: `early_stopping_rounds`,
    an `EarlyStopping`/`early_stopping` callback, `ModelCheckpoint(save_best_only=True)`,
    `load_best_model_at_end=True` in `TrainingArguments`; and PyTorch epoch loops that keep the
    best checkpoint according to a score on test data.

    ## Why is this bad?
    The number of boosting rounds or epochs is a hyperparameter; choosing it on the test set is
    tuning on the test set. The reported test score is biased upwards.

    ## Example
    ```python
    model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
    model.fit(X_train, y_train, eval_set=[(X_test, y_test)])
    ```

    ## Use instead
    Stop on a validation split carved out of the training data:
    ```python
    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.1)
    model.fit(X_fit, y_fit, eval_set=[(X_val, y_val)])
    ```
    Passing test data only to *monitor* training (no early stopping, no best-model selection) is
    not reported. As for HPL401, data the code gives no origin counts as test data by its name
    (`X_test`, `self.test_loader` in a `Trainer` class), and the message says so.

    ## Fix safety
    The fix is unsafe: it trains on less data. For `model.fit(X_train, y_train, eval_set=[(X_test,
    y_test)])` (XGBoost, LightGBM, CatBoost `eval_set`, Keras `validation_data`) it inserts
    `X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.2,
    random_state=SEED)` (the file's seed constant, else `0`; importing `train_test_split` if needed)
    before the call, fits on `X_fit, y_fit` and stops on `(X_val, y_val)`; a training pair in the
    eval set becomes `(X_fit, y_fit)`. `X_train` keeps its rows for the code after it. Offered only
    when the training data and every eval pair are plain names, no per-row argument
    (`sample_weight`, groups) would lose its alignment, and the new names are free.
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split
        from xgboost import XGBClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train)
        model = XGBClassifier(early_stopping_rounds=50)
        model.fit(X_fit, y_fit, eval_set=[(X_val, y_val)])
        print(model.score(X_test, y_test))
        """,
        """
        from sklearn.model_selection import train_test_split
        from xgboost import XGBClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = XGBClassifier()
        model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=False)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        from xgboost import XGBClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = XGBClassifier(n_estimators=2000)
        model.fit(X_train, y_train, eval_set=[(X_test, y_test)], early_stopping_rounds=50)
        """,
        """
        from sklearn.model_selection import train_test_split
        from tensorflow import keras
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = keras.Sequential([keras.layers.Dense(1)])
        stop = keras.callbacks.EarlyStopping(patience=5)
        model.fit(X_train, y_train, validation_data=(X_test, y_test), callbacks=[stop])
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        from hplint.rules.pipeline_fixes import validation_fix  # fixes-pipeline

        dataflow = ctx.dataflow
        for fit in dataflow.fits:
            if fit.early_stopping is None or fit.role == "hpo_study":
                continue
            test = next((v for v in fit.eval_data if v.is_test), None) \
                or next((v for v in fit.eval_data if v.is_test_by_name), None)
            if test is None:
                continue
            related = [("early stopping / best-model selection turned on here", fit.early_stopping)]
            if test.split is not None:
                related.append(("test data split off here", test.split.line_node))
            what = f"`{fit.receiver}`" if fit.receiver else f"`{_text(fit.node.func)}`"
            ctx.report(
                self,
                fit.report_node,
                f"{what} stops early or keeps its best model according to test data"
                + (_test_origin(ctx, test) or " (a test split)"),
                related=related,
                fix=partial(validation_fix, ctx, fit),
            )
        for loop in dataflow.selection_loops:
            if loop.kind != "epoch":
                continue
            event = _scored_on_test(loop.evaluations)
            if event is None or (loop.checkpoint is None and loop.pick is None):
                continue
            where = _where(ctx, loop.checkpoint or loop.pick)
            related = [("the best epoch is kept here", loop.checkpoint or loop.pick)]
            ctx.report(
                self,
                event.report_node,
                f"{_eval_name(event)} scores test data{_test_origin(ctx, event.test_value or event.named_test_value)}"
                f" in the epoch loop and the best epoch is kept at {where}: the number of epochs is tuned "
                "on the test set",
                related=related,
            )


class _BeforeSplitRule(Rule):
    """Shared check of HPL403/404/405: learned state of the whole data reaching a later split."""

    roles: tuple[str, ...] = ()
    state = "fits"
    verb = "fitted"

    def keep(self, fit: FitEvent) -> bool:
        return True

    def check(self, ctx: "FileContext") -> None:
        from hplint.rules.pipeline_fixes import split_fix  # fixes-pipeline

        for fit, tail, related_node in _leaky_fits(ctx, ctx.dataflow, self.roles, state=self.state):
            if not self.keep(fit):
                continue
            if fit.role == "statistic" or fit.receiver is None:
                subject = f"{_name(fit)} learns from {_data_text(fit.data_text)}"
            else:
                subject = f"{_name(fit)} is {self.verb} on {_data_text(fit.data_text)}"
            ctx.report(
                self,
                fit.report_node,
                f"{subject} at {_where(ctx, fit.report_node)}, {tail}",
                related=[("split here" if related_node is not fit.node else "here", related_node)],
                fix=partial(split_fix, ctx, fit),
            )


@register
class PreprocessingFitBeforeSplit(_BeforeSplitRule):
    code = "HPL403"
    name = "preprocessing-fit-before-split"
    summary = "A scaler, imputer, encoder, vectorizer or statistic is fitted on data that is later split"
    severity = "error"
    roles = _PREPROCESSING_ROLES
    options = {
        "category-encoders": Option(
            bool,
            False,
            "Also report encoders that learn only the set of categories (OneHotEncoder, "
            "OrdinalEncoder, LabelEncoder): a milder leak, often harmless.",
        ),
        "statistics": Option(
            bool, True, "Report pandas/numpy statistics (`fillna(df.mean())`, `(X - X.mean()) / X.std()`)."
        ),
        "test-files": Option(
            bool,
            True,
            "Report fits on a concatenation of `train.csv` and `test.csv`-like files. Set to false "
            "when the test file is a competition's unlabelled test set and transductive "
            "preprocessing is accepted.",
        ),
    }
    doc = """
    ## What it does
    Finds preprocessing that learns from data (scalers, imputers, encoders, vectorizers, PCA and
    other decompositions, `fillna(df.mean())`-style statistics, quantile bins (`pd.qcut`), target
    encodings such as `df.groupby("city")["price"].transform("mean")`, patsy formulas with
    stateful transforms: `dmatrices("y ~ standardize(x) + bs(age, df=5)", df)`) fitted on data that is
    afterwards split into train and test, fitted on the whole data and then applied to both parts
    of its split, or fitted on a concatenation of train and test whose result some model then
    learns from or is scored on (a t-SNE map of all rows that is only plotted leaks nothing).
    Rows selected back out of such a concatenation (`full[:n_train]`, `full.loc[train.index]`) are
    not themselves a mix of train and test. Helper functions and pipelines
    used as transformers are followed. Transformers that learn nothing from the rows (`Normalizer`,
    `PolynomialFeatures`, hashing) are not reported, nor, by default, encoders that learn only
    the set of categories.

    ## Why is this bad?
    The statistics (means, variances, vocabularies, components) then include the test rows: the
    model is trained with information from the test set and its test score is optimistic.

    ## Example
    ```python
    X = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    ```

    ## Use instead
    Split first and fit on the training part only, or put the preprocessing in a `Pipeline`:
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
    ```

    ## Fix safety
    The fix is unsafe: the transformer learns different statistics, so every later number
    changes. For `X = scaler.fit_transform(X)` directly followed (in the same block) by
    `X_train, X_test, ... = train_test_split(X, ...)` it removes the fit, splits the untransformed
    data, then writes `X_train = scaler.fit_transform(X_train)` and `X_test =
    scaler.transform(X_test)` (an inline `StandardScaler()` gets a name, `standard_scaler`).
    Offered only when the split's outputs are plain names, the transformed data is read nowhere
    but by the split, nothing in between mentions the data or the transformer, and (in a notebook)
    the two statements share a cell.
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        """,
        """
        import pandas as pd
        from sklearn.preprocessing import scale
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("data.csv")
        unused = scale(df)
        X_train, X_test = train_test_split(df)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        """,
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("titanic.csv")
        df["Age"] = df["Age"].fillna(df["Age"].mean())
        train, test = train_test_split(df)
        """,
    )

    def keep(self, fit: FitEvent) -> bool:
        data = fit.data[0]
        if data.kind == MIXED and data.evidence == "path" and not self.option("test-files"):
            return False
        if fit.role == "statistic":
            return self.option("statistics")
        return self.option("category-encoders") or not _learns_categories_only(fit)


@register
class FeatureSelectionBeforeSplit(Rule):
    code = "HPL404"
    name = "feature-selection-before-split-or-cv"
    summary = "Features are selected on data that is later split, or outside the cross-validation that scores them"
    severity = "error"
    doc = """
    ## What it does
    Finds feature selectors (`SelectKBest`, `RFE`, `SelectFromModel`, `VarianceThreshold` ...)
    fitted on data that is afterwards split into train and test, or whose output is given to
    `cross_val_score`/`cross_validate`/a `*SearchCV` (or a manual K-fold loop) that then scores it.
    Selection written without a selector counts too: columns picked by their scores against the
    label (`F, p = f_classif(X, y)` then `X[:, np.argsort(F)[-20:]]`; `df.corr()["price"]`,
    `df.corrwith(df["y"])` or `df[c].corr(df["y"])` then `df[features]`). A correlation only
    printed or plotted, or columns dropped for being correlated with each other (no label), is
    not a selection.

    ## Why is this bad?
    Selecting features with the labels of the test rows (or of every cross-validation fold) picks
    features that happen to correlate with those labels, even on pure noise: the score measures the
    selection, not the model.

    ## Example
    ```python
    X_new = SelectKBest(k=20).fit_transform(X, y)
    print(cross_val_score(SVC(), X_new, y, cv=5).mean())
    ```

    ## Use instead
    ```python
    model = make_pipeline(SelectKBest(k=20), SVC())
    print(cross_val_score(model, X, y, cv=5).mean())
    ```

    ## Fix safety
    The fix is unsafe: the selected features change, and with them every score. Before a
    cross-validation, `X_new = SelectKBest(k=20).fit_transform(X, y)` is removed and the CV gets
    `make_pipeline(SelectKBest(k=20), model)` and `X` (as for HPL407, including grid keys of a
    search); before a `train_test_split`, the selector is fitted on the training part with its
    labels and transforms the test part (as for HPL403). Offered only in those exact shapes, when
    the selector learns from the same `y` the CV or the split is given.
    """
    valid = (
        """
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import SVC
        print(cross_val_score(make_pipeline(SelectKBest(k=20), SVC()), X, y, cv=5))
        """,
    )
    invalid = (
        """
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import cross_val_score
        from sklearn.svm import SVC
        X_new = SelectKBest(k=20).fit_transform(X, y)
        print(cross_val_score(SVC(), X_new, y, cv=5))
        """,
        """
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import train_test_split
        X_new = SelectKBest(k=20).fit_transform(X, y)
        X_train, X_test, y_train, y_test = train_test_split(X_new, y)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        _report_before_split_or_cv(
            ctx,
            self,
            ("feature_selector",),
            before_split=lambda fit, tail: (
                f"{_name(fit)} selects features on {_data_text(fit.data_text)}, {tail}"
            ),
            before_cv=lambda fit, label, node: (
                f"{_name(fit)} selects features on all of {_data_text(fit.data_text)} before "
                f"`{label}` at {_where(ctx, node)} scores them: put it in a `Pipeline`"
            ),
        )


@register
class ResamplingBeforeSplit(Rule):
    code = "HPL405"
    name = "resampling-before-split"
    summary = "Over- or under-sampling is applied before the train/test split or outside the CV pipeline"
    severity = "error"
    doc = """
    ## What it does
    Finds resamplers (`SMOTE`, `RandomOverSampler`, `ADASYN`, under-samplers ...) whose
    `fit_resample` output is afterwards split into train and test, or given to cross-validation
    (`cross_val_score`, a `*SearchCV`, a K-fold loop) outside an imbalanced-learn `Pipeline`.
    Copies made by hand count too: bootstraps (`resample(..., replace=True)`), `np.repeat`, and
    row stacks of data with copies of its own rows (`pd.concat([df, minority, minority])` with
    `minority = df[df.y == 1]`, `np.concatenate([X, X[:, :, ::-1]])` augmentation). Stacks joining
    columns (`axis=1`) or putting slices of one frame back together copy nothing; nor do copies
    in a frame only merged in as looked-up columns (`pd.merge(df, features_of_mirrored_pairs,
    how="left")`: the result has `df`'s rows; a right or outer join keeps the stacked side's rows).

    ## Why is this bad?
    Oversampling duplicates or interpolates rows; after the split, copies of test rows (or
    synthetic neighbours of them) sit in the training set, and the test set no longer reflects the
    real class balance. Scores become optimistic, sometimes dramatically.

    ## Example
    ```python
    X_res, y_res = SMOTE().fit_resample(X, y)
    X_train, X_test, y_train, y_test = train_test_split(X_res, y_res)
    ```

    ## Use instead
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y)
    X_train, y_train = SMOTE().fit_resample(X_train, y_train)
    ```
    or `imblearn.pipeline.make_pipeline(SMOTE(), model)` inside cross-validation.

    ## Fix safety
    The fix is unsafe: the model trains on other rows and the test set keeps its real balance, so
    the scores change (usually downwards: that is the point). `X_res, y_res =
    SMOTE().fit_resample(X, y)` followed by `train_test_split(X_res, y_res, ...)` becomes the split
    of `X, y` (a `stratify=y_res` becomes `stratify=y`) and `X_train, y_train =
    SMOTE().fit_resample(X_train, y_train)`; before a cross-validation the resampler goes into
    `imblearn.pipeline.make_pipeline(SMOTE(), model)`. Offered only when the resampled data is read
    by nothing but the split or the cross-validation (a `print(Counter(y_res))` in between blocks
    it), and the statements share a block (and a notebook cell).
    """
    valid = (
        """
        from imblearn.over_sampling import SMOTE
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y)
        X_train, y_train = SMOTE().fit_resample(X_train, y_train)
        """,
    )
    invalid = (
        """
        from imblearn.over_sampling import SMOTE
        from sklearn.model_selection import train_test_split
        X_res, y_res = SMOTE().fit_resample(X, y)
        X_train, X_test, y_train, y_test = train_test_split(X_res, y_res)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        _report_before_split_or_cv(
            ctx,
            self,
            ("resampler",),
            state="resampled",
            validation_too=True,
            before_split=lambda fit, tail: (
                f"{_name(fit)} {_resampling_verb(fit)} {_data_text(fit.data_text)} at "
                f"{_where(ctx, fit.report_node)}, {tail}: copies of held-out rows end up in the training data"
            ),
            before_cv=lambda fit, label, node: (
                f"{_name(fit)} {_resampling_verb(fit)} {_data_text(fit.data_text)} before `{label}` at "
                f"{_where(ctx, node)}: " + ("copy or augment the training folds only, inside the loop"
                                            if _stacks_copies(fit) else
                                            "resample inside each fold with an imbalanced-learn `Pipeline`")
            ),
        )


def _stacks_copies(fit: FitEvent) -> bool:
    """A resampling recorded for a stack of data with copies of its own rows (`hplint.analysis.copies`)."""
    return fit.role == "resampler" and fit.receiver is None and isinstance(fit.node, cst.Call) \
        and fit.method in {q.rsplit(".", 1)[-1] for q in ROW_STACKING_FUNCTIONS}


def _resampling_verb(fit: FitEvent) -> str:
    return "stacks copies of the rows of" if _stacks_copies(fit) else "resamples"


@register
class FitOnTest(Rule):
    code = "HPL406"
    name = "fit-on-test"
    summary = "A model or transformer is fitted on test data"
    severity = "error"
    doc = """
    ## What it does
    Finds models and transformers fitted on test data, in three forms:

    - **Fit on the test part**: `fit`, `fit_transform`, `fit_resample`, `partial_fit` (and boosters'
      `train`, a `Trainer`'s `train_dataset`) called with test data: the held-out part of a split,
      or a dataset loaded as the test split (`split="test"`, `train=False`).
    - **Stacked fit**: a model fitted on train and test stacked back together
      (`np.vstack([X_train, X_test])`, `pd.concat([train, test])`) whose test part is then scored
      with its labels (`model.score(X_test, y_test)`, `accuracy_score(y_test,
      model.predict(X_test))`). The message names the fitted model and the score. A transformer
      fitted on such a stack is reported by HPL403 (preprocessing fitted on rows that include test
      rows), not again here.
    - **Test gaps filled with their own statistic**: `X_test.fillna(X_test.mean())`, a mean imputer
      fitted on the test rows written without an imputer.

    Not reported: searches fitted on test data (HPL401 reports them); a file merely named test (a
    competition's unlabelled test set: fitting on its features, or stacking them into a scaler's
    rows, uses no labels; HPL403 speaks of transductive preprocessing); stateless transformers
    (`PolynomialFeatures`, `Normalizer`); fitting something that only evaluates: a bias detector or
    recourse audit (AIF360's `FACTS`, MDSS scans) fitted on the test rows of the model it audits,
    or a transformer whose output only a metric reads (`consistency_score(minmax_scale(X_test),
    y_pred)` scales the rows it scores); stacking train and validation for a final refit, or
    refitting on all rows without scoring the test part with its labels.
    A fairness mitigator fitted on test data is reported here and by HPL702.

    ## Why is this bad?
    A model fitted on the test set has seen the answers; a transformer refitted on the test set
    transforms it differently from the training data (and learns from it). Either way the test
    score stops measuring generalisation.

    ## Example
    ```python
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.fit_transform(X_test)
    ```

    ## Use instead
    ```python
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.transform(X_test)
    ```
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        scaler = StandardScaler()
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.transform(X_test)
        """,
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import minmax_scale
        from aif360.sklearn.metrics import consistency_score
        from aif360.sklearn.detectors import FACTS
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        y_pred = model.fit(X_train, y_train).predict(X_test)
        consistency = consistency_score(minmax_scale(X_test), y_pred)
        detector = FACTS(clf=model, prot_attr="sex").fit(X_test)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        scaler = StandardScaler()
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.fit_transform(X_test)
        """,
        """
        from sklearn.model_selection import train_test_split
        from sklearn.linear_model import LogisticRegression
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = LogisticRegression().fit(X_test, y_test)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        from hplint.rules.overlap import stacked_test_fits  # leak-overlap: the stacked shape

        stacked_test_fits(ctx, self)
        metric_only = _scaled_for_a_metric(ctx)
        for fit in ctx.dataflow.fits:
            # Auditors (bias detectors, recourse audits) are fitted on the rows of the model they
            # evaluate: on the test split, that is an audit, not training.
            if fit.role in ("statistic", "search", "hpo_study") or not fit.data or _fits_an_auditor(ctx, fit):
                continue
            data = fit.data[0]
            split_node = data.split.line_node if data.split is not None else None
            if data.kind != TEST or not data.is_test:
                # AIF360 datasets split themselves (`train, test = ds.split([0.7])`), where the
                # data flow sees no split: their lineage comes with the fairness facts.
                split_node = _dataset_test_split(ctx, fit)
                if split_node is None:
                    continue
            # A file named test is usually a competition's unlabelled test set: fitting on its
            # features leaks no labels. Stateless transformers learn nothing from what they see.
            elif data.evidence == "path":
                continue
            if _learns_nothing(fit) or fit in metric_only:
                continue
            origin = (
                f", the test part of the split at {_where(ctx, split_node)}"
                if split_node is not None
                else " (loaded as the test split)"
            )
            related = [("test data split off here", split_node)] if split_node is not None else []
            ctx.report(
                self,
                fit.report_node,
                f"{_name(fit)} is fitted (`{fit.method}`) on {_data_text(fit.data_text)}{origin}",
                related=related,
            )
        # --- leak-temporal: fills with the test part's own statistics (hplint/rules/own_statistics.py)
        from hplint.rules.own_statistics import own_statistic_fills, statistic_text

        for call, statistic, value in own_statistic_fills(ctx):
            split_node = value.split.line_node if value.split is not None else None
            origin = f", the test part of the split at {_where(ctx, split_node)}" if split_node is not None else ""
            ctx.report(
                self,
                call,
                f"`{_text(call.func.value)}`{origin}, is filled with its own statistic `{statistic_text(statistic)}`: "
                "the fill is fitted on the test rows (fill with the training part's statistic)",
                related=[("test data split off here", split_node)] if split_node is not None else [],
            )


def _fits_an_auditor(ctx: "FileContext", fit: FitEvent) -> bool:
    """The fitted object is an auditor (knowledge role "auditor": FACTS, MDSS scans): its
    constructor, found through the receiver's binding, which the data flow does not track for
    objects of roles it does not model."""
    api = fit.api or (fit.obj.api if fit.obj is not None else None)
    if api is None and isinstance(fit.node, cst.Call) and isinstance(fit.node.func, cst.Attribute):
        receiver = fit.node.func.value
        semantic = ctx.semantic
        constructor = receiver if isinstance(receiver, cst.Call) else None
        if isinstance(receiver, cst.Name):
            site = semantic.call_by_node.get(fit.node)
            binding = semantic.last_binding(receiver.value, site.order, site.scope) if site else None
            while binding is not None and isinstance(binding.value, cst.Call) \
                    and isinstance(binding.value.func, cst.Attribute) and binding.value.func.attr.value == "fit":
                # `detector = detector.fit(X)`: the object bound before.
                inner = binding.value.func.value
                binding = semantic.last_binding(inner.value, binding.order, binding.scope) \
                    if isinstance(inner, cst.Name) else None
            constructor = binding.value if binding is not None and isinstance(binding.value, cst.Call) else None
        site = semantic.call_by_node.get(constructor) if constructor is not None else None
        api = site.api if site is not None else None
    return api is not None and api.role == "auditor"


def _dataset_test_split(ctx: "FileContext", fit: FitEvent):
    """The split call when the fit's data is the test part of an AIF360 dataset split, else None."""
    node = fit.node
    if not isinstance(node, cst.Call) or not node.args or node.args[0].keyword is not None:
        return None
    kind, split = dataset_kind(ctx, node.args[0].value, node)
    return split if kind == TEST and split is not None else None


def _scaled_for_a_metric(ctx: "FileContext") -> set[FitEvent]:
    """Transformers whose output only a metric of rows reads (`consistency_score(minmax_scale(X_test),
    y_pred)`, knowledge tag "scales_its_input"): the scaling is part of how the metric measures the
    rows, no model learns from it."""
    dataflow = ctx.dataflow
    by_models: set[FitEvent] = set()
    by_metrics: set[FitEvent] = set()
    for fit in dataflow.fits:
        if fit.role not in _PREPROCESSING_ROLES:
            for value in (*fit.data, *fit.eval_data):
                by_models |= value.fits
    for event in dataflow.evaluations:
        site = ctx.semantic.call_by_node.get(event.node) if isinstance(event.node, cst.Call) else None
        scales = site is not None and site.api is not None and "scales_its_input" in site.api.tags
        for value in event.data:
            (by_metrics if scales else by_models).update(value.fits)
    return {fit for fit in by_metrics - by_models if fit.role == "preprocessor"}


@register
class PreprocessingOutsideCvPipeline(Rule):
    code = "HPL407"
    name = "preprocessing-outside-cv-pipeline"
    summary = "Data preprocessed outside the pipeline is given to cross-validation or a search"
    severity = "warning"
    options = {
        "category-encoders": Option(
            bool, False, "Also report encoders that learn only the set of categories."
        ),
    }
    doc = """
    ## What it does
    Finds data transformed by a transformer fitted on all of that data (outside any `Pipeline`)
    and then given to `cross_val_score`, `cross_validate`, `cross_val_predict`, a `*SearchCV`'s
    `fit`, or split into K folds by a manual cross-validation loop.

    ## Why is this bad?
    Each validation fold was part of the data the transformer learned from, so every fold's score
    includes a little leakage; with feature selection, target encoding or vectorizers with
    `min_df`/`max_df` the bias can be large, and model comparisons become unreliable.

    ## Example
    ```python
    X_scaled = StandardScaler().fit_transform(X_train)
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5).fit(X_scaled, y_train)
    ```

    ## Use instead
    ```python
    pipe = make_pipeline(StandardScaler(), SVC())
    search = GridSearchCV(pipe, {"svc__C": [0.1, 1, 10]}, cv=5).fit(X_train, y_train)
    ```

    ## Fix safety
    The fix is unsafe: each fold refits the transformer, so the scores change, and a search's
    `best_estimator_` becomes a pipeline. `X_scaled = StandardScaler().fit_transform(X)` (or a
    `scaler = StandardScaler()` used only there) is removed, and the cross-validation
    (`cross_val_score`, `cross_validate`, `cross_val_predict`, `learning_curve`,
    `permutation_test_score`, a `*SearchCV`'s `fit`) gets `make_pipeline(StandardScaler(), model)`
    and `X`, importing `make_pipeline` if needed. A search's grid keys get the model's step name,
    as `make_pipeline` names steps (`C` -> `svc__C`), in a literal dict, a list of dicts or a
    `dict(C=...)` call (which becomes a literal), or in a name bound to one and used only there. Offered only when the transformed data is read by
    nothing else, the search is afterwards read only for scores (`best_score_`, `cv_results_`, a
    printed `best_params_`), no `params`/`fit_params` would need the step prefix, and the
    constructor's arguments mean the same at the cross-validation. Manual K-fold loops get no fix.
    """
    valid = (
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        pipe = make_pipeline(StandardScaler(), SVC())
        GridSearchCV(pipe, {"svc__C": [0.1, 1, 10]}, cv=5).fit(X_train, y_train)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        X_scaled = StandardScaler().fit_transform(X_train)
        search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5)
        search.fit(X_scaled, y_train)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        from hplint.rules.pipeline_fixes import pipeline_fix  # fixes-pipeline

        for node, fit, label, data in _fitted_outside_cv(ctx.dataflow, ("preprocessor",)):
            if not self.option("category-encoders") and _learns_categories_only(fit):
                continue
            ctx.report(
                self,
                node,
                f"`{label}` cross-validates data transformed by {_name(fit)}, which was fitted on all "
                f"of it at {_where(ctx, fit.report_node)}: every validation fold leaked into the "
                "transformer (put it in a `Pipeline`)",
                related=[(f"{_name(fit)} fitted here", fit.report_node)],
                fix=partial(pipeline_fix, ctx, fit),
            )


@register
class TestSetReusedForComparison(Rule):
    code = "HPL408"
    name = "test-set-reused-for-comparison"
    summary = "The same test data scores several models that are then compared"
    default_enabled = False
    options = {
        "min-models": Option(int, 2, "How many different models scored on one test split count as a comparison."),
    }
    doc = """
    ## What it does
    Finds test data (the held-out part of one split) scored for several different models or
    configurations. A comparison whose winner the code keeps is HPL401's, not reported here twice.
    Off by default: reporting several models on a test set is fine when none of them is then
    chosen on it.

    ## Why is this bad?
    When the best of several models is chosen by its test score, that score is biased upwards in
    the same way as tuning on the test set (HPL401), only with fewer candidates.

    ## Example
    ```python
    for model in (LogisticRegression(), RandomForestClassifier(), SVC()):
        model.fit(X_train, y_train)
        print(type(model).__name__, model.score(X_test, y_test))
    ```

    ## Use instead
    Compare the candidates with cross-validation on the training data and score only the chosen
    one on the test set.
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = SVC().fit(X_train, y_train)
        print(model.score(X_test, y_test))
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        from sklearn.linear_model import LogisticRegression
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        a = SVC().fit(X_train, y_train)
        b = LogisticRegression().fit(X_train, y_train)
        print(a.score(X_test, y_test), b.score(X_test, y_test))
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        by_split: dict[int, list[EvalEvent]] = {}
        # Scores a selection picks from are HPL401's (the test set chose the winner); this rule is
        # for comparisons that keep no winner in the code: a table, a printout, a plot.
        picked = set()
        for loop in ctx.dataflow.selection_loops:
            for event in loop.evaluations if loop.kind != "epoch" else ():
                picked.add(id(event))
                picked.update(id(p) for value in event.data for p in value.predictions)
        for event in ctx.dataflow.evaluations:
            test = event.test_value
            if test is None or test.split is None or event.role == "cv" or id(event) in picked:
                continue
            if event.role == "predict" and not event.scored:
                continue  # applied to the test data (a plot, a submission), not scored on it
            by_split.setdefault(id(test.split), []).append(event)
        for events in by_split.values():
            first_by_model: dict[int, EvalEvent] = {}
            loops_counted: dict[int, int] = {}
            for event in events:
                loop, candidates = _loop_over_models(ctx, event)
                if loop is not None:
                    loops_counted[id(loop)] = candidates
                    first_by_model.setdefault(id(loop), event)
                elif event.model is not None:
                    first_by_model.setdefault(id(event.model), event)
            count = sum(loops_counted.values()) + len(first_by_model) - len(loops_counted)
            if count < self.option("min-models"):
                continue
            first, *rest = list(first_by_model.values())
            last = rest[-1] if rest else first
            ctx.report(
                self,
                last.report_node,
                f"the test data of the split at {_where(ctx, first.test_value.split.line_node)} scores "
                f"{count} different models (first at {_where(ctx, first.report_node)}); choosing among "
                "them on it biases the test score",
                related=[("first scored here", first.report_node)],
            )


def _loop_over_models(ctx: "FileContext", event: EvalEvent):
    """(loop, number of models) when a loop around `event` iterates over several models."""
    for loop in event.loops:
        iterable = ctx.dataflow.value_of(getattr(loop, "iter", None))
        if iterable is not None and iterable.items:
            count = sum(1 for item in iterable.items if item.obj is not None or (item.items and item.items[-1].obj))
            if count > 1:
                return loop, count
    return None, 0


@register
class TemporalSplitShuffled(Rule):
    code = "HPL409"
    name = "temporal-split-shuffled"
    summary = "Time-ordered data is split with shuffling"
    severity = "warning"
    doc = """
    ## What it does
    Finds shuffled splits (`train_test_split` without `shuffle=False`, `KFold(shuffle=True)`,
    `ShuffleSplit`, also when given as `cv=` to `cross_val_score`/`cross_validate`) of data the
    code treats as time ordered: sorted by a date or time column (or its date index), given lag
    features with `shift()`, or also split with `TimeSeriesSplit` in the same file.

    ## Why is this bad?
    With shuffling, the model trains on the future to predict the past: rows just after each test
    row are in the training set (and lag features copy test targets into training rows). Scores
    are far better than anything achievable in production.

    ## Example
    ```python
    df = df.sort_values("date")
    df["lag_1"] = df["sales"].shift(1)
    X_train, X_test, y_train, y_test = train_test_split(df[features], df["sales"])
    ```

    ## Use instead
    ```python
    X_train, X_test, y_train, y_test = train_test_split(
        df[features], df["sales"], shuffle=False
    )
    ```
    or `TimeSeriesSplit` for cross-validation.
    """
    valid = (
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("sales.csv").sort_values("date")
        df["lag_1"] = df["sales"].shift(1)
        X_train, X_test = train_test_split(df, shuffle=False)
        """,
    )
    invalid = (
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("sales.csv").sort_values("date")
        df["lag_1"] = df["sales"].shift(1)
        X_train, X_test = train_test_split(df, test_size=0.2)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        from hplint.analysis.values import literal_value

        for split in ctx.dataflow.splits:
            if split.method not in ("train_test_split", "kfold"):
                continue
            ordered = next((v for v in split.inputs if v.time_order is not None), None)
            if ordered is None:
                continue
            if split.method == "train_test_split":
                site = ctx.semantic.call_by_node.get(split.node)
                shuffle = site.keyword("shuffle") if site is not None else None
                if shuffle is not None and literal_value(shuffle.value) is not True:
                    continue
                how = "`train_test_split` shuffles"
            else:
                splitter = split.splitter
                if splitter is None or splitter.api is None or not _shuffles(splitter):
                    continue
                how = f"`{splitter.name or _text(splitter.node)}` shuffles"
            ctx.report(
                self,
                split.line_node,
                f"{how} {split.source_text}, which is time ordered at {_where(ctx, ordered.time_order)}: "
                "the model trains on the future (use `shuffle=False` or `TimeSeriesSplit`)",
                related=[("time order established here", ordered.time_order)],
            )
        for event, splitter, ordered in _shuffled_cv_of_ordered_data(ctx):
            ctx.report(
                self,
                event.node,
                f"`{splitter.name or _text(splitter.node)}` shuffles the folds of `{event.method}` over "
                f"{_data_text(event.data_text)}, which is time ordered at {_where(ctx, ordered.time_order)}: "
                "the model trains on the future (use `TimeSeriesSplit`)",
                related=[("time order established here", ordered.time_order),
                         ("shuffled splitter created here", splitter.node)],
            )


def _shuffled_cv_of_ordered_data(ctx: "FileContext"):
    """(event, splitter, ordered value) for `cross_val_score(..., cv=KFold(shuffle=True))`-style
    calls whose data is time ordered: the splitter is given as `cv=`, so no split event exists."""
    for event in ctx.dataflow.evaluations:
        if event.role != "cv":
            continue
        ordered = next((v for v in event.data if v.time_order is not None), None)
        site = ctx.semantic.call_by_node.get(event.node) if ordered is not None else None
        cv = site.keyword("cv") if site is not None else None
        value = ctx.dataflow.value_of(cv.value) if cv is not None else None
        splitter = value.obj if value is not None else None
        if splitter is not None and splitter.api is not None and _shuffles(splitter):
            yield event, splitter, ordered


def _shuffles(splitter) -> bool:
    from hplint.analysis.values import literal_value

    node = splitter.node
    if "group_aware" in splitter.api.tags:
        return False  # groups stay whole (GroupShuffleSplit): not a shuffle of the rows themselves
    if "randomized" in splitter.api.tags:
        return True
    if "shuffles" in splitter.api.tags:
        for arg in getattr(node, "args", ()):
            if arg.keyword is not None and arg.keyword.value == "shuffle":
                return literal_value(arg.value) is True
    return False
