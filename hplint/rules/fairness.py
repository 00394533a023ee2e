"""HPL7xx: fairness that depends on test data, on chance, or on no one looking.

The rules read the shared data flow (`ctx.dataflow`: splits, fits, evaluations, picks) and the
fairness facts derived on top of it (`hplint/rules/fairness_facts.py`: who the groups are, which
evaluations compare groups, AIF360 dataset splits, picks the data flow does not record). The whole
family is silent in a file unless groups are declared: in the configuration
(`sensitive-attributes`) or in the code (`sensitive_features=`, `protected_attribute_names=`,
`privileged_groups=`, a group metric). HPL703 and HPL704 need the configuration's declaration: they
are about what the code does *not* do with the groups.

A linter cannot decide what is fair. These rules show where the code makes a fairness result depend
on the test set (HPL701, HPL702), on one noisy split (HPL705), on rows that do not belong together
(HPL706), or on no one looking (HPL703, HPL704).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.dataflow import FULL, MIXED, TEST, TRAIN, VALIDATION, EvalEvent, FitEvent, SplitEvent
from hplint.analysis.values import dotted_name, literal_value
from hplint.rules.base import Rule, register
from hplint.knowledge.fairness import GROUP_METRIC_NAMES
from hplint.rules.fairness_facts import (
    FairnessFacts,
    descendants,
    Pick,
    evaluation_order,
    event_kind,
    facts,
    fit_facts,
    is_mitigator,
    kind_of,
    scored_test_splits,
    short,
    split_node,
)

if TYPE_CHECKING:
    from hplint.context import FileContext

def _where(ctx: "FileContext", node) -> str:
    dataflow = ctx.dataflow
    if not dataflow.positions_prefetched:
        dataflow.positions_prefetched = True
        ctx.prefetch_positions(dataflow.event_nodes())
    return ctx.where(node)


def _split_text(ctx: "FileContext", kind: str, split) -> str:
    node = split_node(split)
    part = {TEST: "the test part", VALIDATION: "the validation part", TRAIN: "the training part",
            MIXED: "test rows mixed with others"}.get(kind, "data")
    return f"{part} of the split at {_where(ctx, node)}" if node is not None else part


def _active(ctx: "FileContext") -> FairnessFacts | None:
    found = facts(ctx)
    return found if found.declared else None


def _api_name(api) -> str:
    return api.qualname.rsplit(".", 1)[-1] if api is not None else "model"


# -- picks ------------------------------------------------------------------------------------------


def _pick_kind(ctx: "FileContext", pick: Pick) -> tuple[str, object]:
    """The held-out data the scores a pick reads were computed on (test beats validation)."""
    order = {TEST: 3, MIXED: 3, VALIDATION: 2}
    best: tuple[str, object] = ("", None)
    for event in _in_order(ctx, pick.events):
        kind = event_kind(ctx, event)
        if order.get(kind[0], 0) > order.get(best[0], 0):
            best = kind
    if pick.value is not None and pick.value.is_known and order.get(pick.value.kind, 0) > order.get(best[0], 0):
        best = (pick.value.kind, pick.value.split)
    return best


def _measures_groups(ctx: "FileContext", found: FairnessFacts, pick: Pick) -> cst.CSTNode | None:
    """A group comparison behind a pick: a group metric among the scores it reads, predictions a
    group metric compares, or a group comparison computed in the loop that scores the candidates
    (the trade-off is looked at, even when the pick itself reads only accuracy). Returns the call
    that compares groups."""
    for event in _in_order(ctx, pick.events):
        if event in found.group_events or event in found.group_predictions:
            for site in found.group_sites:
                value = ctx.dataflow.value_of(site.node)
                if site.node is event.node or (value is not None and event in value.scores):
                    return site.node
                for arg in site.node.args:
                    inner = ctx.dataflow.value_of(arg.value)
                    if inner is not None and event in inner.predictions:
                        return site.node
            return event.node
    if pick.loops:
        for site in found.group_sites:
            if pick.loops & set(site.loops):
                return site.node
    return None


def _in_order(ctx: "FileContext", events) -> list[EvalEvent]:
    """Events in the data flow's order (sets iterate by object id: output must not vary)."""
    index = evaluation_order(ctx)
    return sorted(events, key=lambda e: index.get(id(e), len(index)))


def _constrained_candidates(pick: Pick) -> FitEvent | EvalEvent | None:
    """A fairness-mitigated candidate among those picked: a mitigator fitted in the loop, or an
    evaluation of one."""
    for fit in pick.loop_fits:
        if is_mitigator(fit.api):
            return fit
    for event in pick.events:
        if event.model is not None and is_mitigator(event.model.api):
            return event
    return None


@register
class FairnessTradeoffSelectedOnTest(Rule):
    code = "HPL701"
    name = "fairness-tradeoff-selected-on-test"
    summary = "A fairness trade-off (mitigated model, constraint strength, threshold) is chosen by scores on test data"
    severity = "error"
    doc = """
    ## What it does
    Finds a choice among candidates (an `argmax`/`idxmin`, a sort then first row, `if score >
    best`, `min(..., key=)`) made by scores computed on the test split, when the candidates are
    fairness-mitigated (a reductions mitigator's `predictors_`, mitigators fitted in the loop) or
    the criterion compares groups (`equalized_odds_difference(..., sensitive_features=A_test)`,
    a `MetricFrame`, AIF360's `disparate_impact()`). Test data is data the code splits off as test
    (a split's position, an AIF360 `ds.split([0.7])` part named test, a loaded test split); a
    variable's name alone never is.

    ## Why is this bad?
    Choosing the trade-off between accuracy and a fairness metric is model selection. Made on the
    test set, the reported disparity and accuracy of the chosen model are the best of many noisy
    draws on that set, not what the model will do on new people: with small groups the chosen
    point of a Pareto front is often where chance made the disparity look small. The number the
    fairness claim rests on is then optimistic, and nobody can tell by how much.

    HPL401 may report the same loop as tuning on the test set; this rule says what that means for
    the fairness claim, and also sees the trade-offs HPL401 does not (candidates kept in
    `predictors_`, choices made on frames of scores, AIF360 threshold sweeps on dataset objects).

    ## Example
    ```python
    sweep = GridSearch(LogisticRegression(), constraints=DemographicParity())
    sweep.fit(X_train, y_train, sensitive_features=A_train)
    disparity = [demographic_parity_difference(y_test, m.predict(X_test), sensitive_features=A_test)
                 for m in sweep.predictors_]
    best = sweep.predictors_[np.argmin(disparity)]
    ```

    ## Use instead
    Choose on a validation split (or by cross-validation on the training data) and report the
    chosen model once on the test split:
    ```python
    disparity = [demographic_parity_difference(y_val, m.predict(X_val), sensitive_features=A_val)
                 for m in sweep.predictors_]
    best = sweep.predictors_[np.argmin(disparity)]
    print(MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=best.predict(X_test),
                      sensitive_features=A_test).by_group)
    ```

    ## Options
    - `sensitive-attributes` (`[tool.hplint]`, default `[]`): column names of the sensitive
      attributes. Not needed by this rule: groups named in the code (`sensitive_features=`,
      `protected_attribute_names=`, `privileged_groups=`, a group metric) are enough to turn the
      family on in a file; without either, the HPL7 rules stay silent.
    """
    valid = (
        """
        import numpy as np
        from fairlearn.metrics import demographic_parity_difference
        from fairlearn.reductions import DemographicParity, GridSearch
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
        X_fit, X_val, y_fit, y_val, A_fit, A_val = train_test_split(X_train, y_train, A_train)
        sweep = GridSearch(LogisticRegression(), constraints=DemographicParity())
        sweep.fit(X_fit, y_fit, sensitive_features=A_fit)
        disparity = [demographic_parity_difference(y_val, m.predict(X_val), sensitive_features=A_val)
                     for m in sweep.predictors_]
        best = sweep.predictors_[np.argmin(disparity)]
        print(demographic_parity_difference(y_test, best.predict(X_test), sensitive_features=A_test))
        """,
    )
    invalid = (
        """
        import numpy as np
        from fairlearn.metrics import demographic_parity_difference
        from fairlearn.reductions import DemographicParity, GridSearch
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
        sweep = GridSearch(LogisticRegression(), constraints=DemographicParity())
        sweep.fit(X_train, y_train, sensitive_features=A_train)
        disparity = [demographic_parity_difference(y_test, m.predict(X_test), sensitive_features=A_test)
                     for m in sweep.predictors_]
        best = sweep.predictors_[np.argmin(disparity)]
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        found = _active(ctx)
        if found is None:
            return
        for pick in found.picks:
            kind, split = _pick_kind(ctx, pick)
            if kind not in (TEST, MIXED):
                continue
            measured = _measures_groups(ctx, found, pick)
            constrained = _constrained_candidates(pick)
            if measured is None and constrained is None:
                continue
            if measured is not None:
                why = f"groups are compared on the candidates (`{short(measured)}` at {_where(ctx, measured)})"
            else:
                why = f"the candidates are fairness-mitigated (`{short(constrained.node)}` at {_where(ctx, constrained.node)})"
            related = [("test data split off here", split_node(split))] if split_node(split) is not None else []
            ctx.report(
                self,
                pick.node,
                f"`{short(pick.node)}` chooses a fairness trade-off by scores on {_split_text(ctx, kind, split)}; "
                f"{why}: the chosen model's disparity and accuracy on that split are then optimistic "
                "(choose on a validation split or by cross-validation, report on test once)",
                related=related,
            )


# -- mitigation fitted on test --------------------------------------------------------------------


def _measured_on(ctx: "FileContext", split, fit: FitEvent) -> bool:
    """Some evaluation scores the test part of `split` (what makes a mitigation fitted on it
    harmful: its fairness is then measured on the rows it was fitted on). Rows only used to fit it
    are a validation split by another name."""
    node = split_node(split)
    return any(event_node is not fit.node and (event_split is split or event_split_node is node)
               for event_node, event_split, event_split_node in scored_test_splits(ctx))


@register
class MitigationFittedOnTest(Rule):
    code = "HPL702"
    name = "mitigation-fitted-on-test"
    summary = "A fairness mitigation (post-processing, reweighing, repair, reductions) is fitted on test data"
    severity = "error"
    doc = """
    ## What it does
    Finds fairness mitigators fitted on the test split: post-processing (`ThresholdOptimizer`,
    AIF360's `CalibratedEqOddsPostprocessing`, `EqOddsPostprocessing`,
    `RejectOptionClassification`), pre-processing (`Reweighing`, `DisparateImpactRemover`, `LFR`,
    `CorrelationRemover`) and in-processing mitigators (`ExponentiatedGradient`, `GridSearch`,
    `AdversarialDebiasing` ...), with `fit`, `fit_transform` or `fit_predict`. The test split is
    what the data flow shows (a split's position, a loaded test split) or an AIF360 dataset's
    `split()` part named or placed as test.

    Only mitigators: bias detectors and recourse audits (AIF360's `FACTS`, MDSS scans) are fitted
    on the rows they audit, and auditing on test data is what they are for.

    ## Why is this bad?
    A mitigator learns thresholds, mixing rates, weights or a repair from the rows it is fitted
    on. Fitted on the test set, it is tuned to the very people its fairness is then measured on: the
    disparity reported afterwards is close to the constraint by construction and says nothing about
    new data. It is also a leak of the test labels (HPL406 reports the same fit where the data flow
    sees the split).

    ## Example
    ```python
    postprocess = ThresholdOptimizer(estimator=model, constraints="equalized_odds", prefit=True)
    postprocess.fit(X_test, y_test, sensitive_features=A_test)
    y_pred = postprocess.predict(X_test, sensitive_features=A_test)
    print(equalized_odds_difference(y_test, y_pred, sensitive_features=A_test))
    ```

    ## Use instead
    Fit it on a validation split (AIF360's tutorials do), then apply it to the test split:
    ```python
    postprocess.fit(X_val, y_val, sensitive_features=A_val)
    y_pred = postprocess.predict(X_test, sensitive_features=A_test)
    ```

    ## Options
    - `sensitive-attributes` (`[tool.hplint]`, default `[]`): column names of the sensitive
      attributes. Not needed by this rule: groups named in the code (`sensitive_features=`,
      `protected_attribute_names=`, `privileged_groups=`, a group metric) are enough to turn the
      family on in a file; without either, the HPL7 rules stay silent.
    """
    valid = (
        """
        from aif360.algorithms.postprocessing import CalibratedEqOddsPostprocessing
        train, vt = dataset.split([0.6], shuffle=True)
        valid, test = vt.split([0.5], shuffle=True)
        cpp = CalibratedEqOddsPostprocessing(privileged_groups=[{"sex": 1}], unprivileged_groups=[{"sex": 0}])
        cpp = cpp.fit(valid, valid_pred)
        test_pred = cpp.predict(test_pred)
        """,
    )
    invalid = (
        """
        from fairlearn.metrics import equalized_odds_difference
        from fairlearn.postprocessing import ThresholdOptimizer
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
        postprocess = ThresholdOptimizer(estimator=model, prefit=True)
        postprocess.fit(X_test, y_test, sensitive_features=A_test)
        y_pred = postprocess.predict(X_test, sensitive_features=A_test)
        print(equalized_odds_difference(y_test, y_pred, sensitive_features=A_test))
        """,
        """
        from aif360.algorithms.postprocessing import CalibratedEqOddsPostprocessing
        from aif360.metrics import ClassificationMetric
        train, vt = dataset.split([0.6], shuffle=True)
        valid, test = vt.split([0.5], shuffle=True)
        cpp = CalibratedEqOddsPostprocessing(privileged_groups=[{"sex": 1}], unprivileged_groups=[{"sex": 0}])
        cpp = cpp.fit(test, test_pred)
        metric = ClassificationMetric(test, cpp.predict(test_pred), privileged_groups=[{"sex": 1}],
                                      unprivileged_groups=[{"sex": 0}])
        print(metric.equal_opportunity_difference())
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        if _active(ctx) is None:
            return
        reported: set = set()
        for mitigation in fit_facts(ctx).mitigations:
            fit, api, data_node = mitigation.fit, mitigation.api, mitigation.data
            if fit.node in reported:
                continue
            kind, split = kind_of(ctx, data_node, fit.node if isinstance(fit.node, cst.Call) else None)
            if kind != TEST or not _measured_on(ctx, split, fit):
                continue
            reported.add(fit.node)
            stage = next((s for s in ("postprocessing", "preprocessing", "inprocessing") if s in api.tags), "")
            what = {"postprocessing": "post-processing", "preprocessing": "pre-processing",
                    "inprocessing": "in-processing"}.get(stage, "fairness")
            receiver = f"`{fit.receiver}` ({_api_name(api)})" if fit.receiver else f"`{_api_name(api)}`"
            related = [("test data split off here", split_node(split))] if split_node(split) is not None else []
            if "transductive" in api.tags:
                advice = (f"{_api_name(api)} has no separate `transform`: the test rows are repaired with "
                          "their own group distributions, which new data will not have")
            else:
                advice = "fit it on a validation split"
            ctx.report(
                self,
                fit.node,
                f"{receiver}, a {what} mitigation, is fitted (`{fit.method}`) on `{short(data_node)}`, "
                f"{_split_text(ctx, kind, split)}: what it learns is tuned to the rows its fairness is then "
                f"measured on ({advice})",
                related=related,
            )


# -- selection blind to declared groups -----------------------------------------------------------


def _scoring_compares_groups(ctx: "FileContext", fit: FitEvent) -> bool:
    """A search's `scoring=` that names a group metric (`make_scorer(statistical_parity_difference)`,
    directly or through a name bound to the scorers)."""
    obj = fit.obj
    node = obj.node if obj is not None else None
    site = ctx.semantic.call_by_node.get(node) if isinstance(node, cst.Call) else None
    if site is None:
        return False
    scoring = site.keyword("scoring")
    if scoring is None:
        return False
    pending, seen = [scoring.value], 0
    followed: set[str] = set()
    while pending and seen < 20:
        seen += 1
        for inner in descendants(pending.pop()):
            if not isinstance(inner, (cst.Name, cst.Attribute)):
                continue
            if _is_group_metric_name(dotted_name(inner) or ""):
                return True
            if isinstance(inner, cst.Name):
                binding = ctx.semantic.last_binding(inner.value, site.order, site.scope)
                if binding is not None and binding.value is not None:
                    pending.append(binding.value)
                elif inner.value in ctx.semantic.functions and inner.value not in followed:
                    # A scorer function of the file (`make_scorer(delta)` with `delta` computing a
                    # disparity): what it calls counts.
                    followed.add(inner.value)
                    pending.append(ctx.semantic.functions[inner.value].body)
    return False


def _is_group_metric_name(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in GROUP_METRIC_NAMES


@register
class SelectionBlindToGroups(Rule):
    code = "HPL703"
    name = "selection-blind-to-groups"
    summary = "Hyperparameters are chosen by a group-blind score while groups are only measured afterwards"
    doc = """
    ## What it does
    When the configuration declares sensitive attributes (`sensitive-attributes = [...]`), finds
    searches (`GridSearchCV` and friends, Optuna/Hyperopt objectives) and selection loops whose only
    criterion is a group-blind score (accuracy, AUC, loss) in files that do measure the groups
    elsewhere (a `MetricFrame`, a group metric, an AIF360 disparity). Silent without the
    configuration's declaration: without it the linter cannot know that groups matter to the project.

    ## Why is this bad?
    The choice of hyperparameters decides how a model treats groups as much as the choice of
    model does: two configurations with the same accuracy can differ several-fold in their
    disparity. Measured only after the choice, fairness is an afterthought that can at best be
    reported, never traded off; the search may well have picked the least fair of equally accurate
    candidates. This does not mean that tuning for a fairness metric is always better: on one
    split and small groups it can backfire (HPL705). It means the choice should look at the groups.

    ## Example
    ```python
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, scoring="accuracy", cv=5)
    search.fit(X_train, y_train)
    print(MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=search.predict(X_test),
                      sensitive_features=A_test).by_group)
    ```

    ## Use instead
    Score the candidates on groups too, with cross-validation, and choose with both in view:
    ```python
    scoring = {"accuracy": "accuracy",
               "parity": make_scorer(statistical_parity_difference, prot_attr="sex")}
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, scoring=scoring, refit="accuracy", cv=5)
    ```

    ## Options
    - `sensitive-attributes` (`[tool.hplint]`, default `[]`): column names of the sensitive
      attributes (`["sex", "race"]`). This rule runs only when it is set: groups named in code
      alone do not say what the project considers sensitive.
    """
    example_settings = {"sensitive_attributes": ("sex",)}
    valid = (
        """
        from aif360.sklearn.metrics import make_scorer, statistical_parity_difference
        from fairlearn.metrics import MetricFrame
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        scoring = {"accuracy": "accuracy", "parity": make_scorer(statistical_parity_difference, prot_attr="sex")}
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, scoring=scoring, refit="accuracy")
        search.fit(X_train, y_train)
        MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=search.predict(X_test), sensitive_features=A_test)
        """,
    )
    invalid = (
        """
        from fairlearn.metrics import MetricFrame
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, scoring="accuracy", cv=5)
        search.fit(X_train, y_train)
        MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=search.predict(X_test), sensitive_features=A_test)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        found = _active(ctx)
        if found is None or not found.config_attributes:
            return
        measured = [c for c in found.group_calls if c.site.api is None or c.site.api.role != "dataset"]
        if not measured:
            return
        first = measured[0].site.node
        groups = ", ".join(f"`{a}`" for a in found.config_attributes)
        afterwards = f"the groups ({groups}) are measured only elsewhere (`{short(first)}` at {_where(ctx, first)})"
        for fit in fit_facts(ctx).searches:
            if _scoring_compares_groups(ctx, fit):
                continue
            if any(a.keyword is not None and a.keyword.value in ("sensitive_features", "prot_attr")
                   for a in fit.node.args):
                continue
            label = f"`{fit.receiver}`" if fit.receiver else f"`{short(fit.node)}`"
            ctx.report(
                self,
                fit.node,
                f"{label} chooses hyperparameters by a group-blind score; {afterwards}: "
                "score the candidates on the groups too",
                related=[("groups measured here", first)],
            )
        for pick in found.picks:
            if pick.loop is None or not pick.events:
                continue
            if _measures_groups(ctx, found, pick) is not None or _constrained_candidates(pick) is not None:
                continue
            ctx.report(
                self,
                pick.node,
                f"`{short(pick.node)}` chooses among candidates by a group-blind score; {afterwards}: "
                "score the candidates on the groups too",
                related=[("groups measured here", first)],
            )
        for loop in ctx.dataflow.selection_loops:
            # An HPO objective (Optuna, Hyperopt): its returned score is the only criterion.
            function = loop.node
            if loop.kind != "objective" or not loop.evaluations or not isinstance(function, cst.FunctionDef):
                continue
            inside = [site for site in found.group_sites if _inside(ctx, site, function)]
            if inside or any(e in found.group_events or e in found.group_predictions for e in loop.evaluations):
                continue
            ctx.report(
                self,
                function.name,
                f"the objective `{function.name.value}` scores trials by a group-blind score; {afterwards}: "
                "return (or record) a group metric too",
                related=[("groups measured here", first)],
            )


def _inside(ctx: "FileContext", site, function: cst.FunctionDef) -> bool:
    scope = site.scope
    while scope is not None:
        if scope.node is function:
            return True
        scope = scope.parent
    return False


# -- sensitive attribute used as a feature --------------------------------------------------------


@register
class SensitiveAttributeAsFeature(Rule):
    code = "HPL704"
    name = "sensitive-attribute-as-feature"
    summary = "A declared sensitive attribute (or its one-hot columns) is among the features a model is fitted on"
    doc = """
    ## What it does
    When the configuration declares sensitive attributes (`sensitive-attributes = ["sex", "race"]`),
    finds the data given to a model's `fit`, a search or cross-validation when it still holds one of
    them: columns selected by name (`df[["age", "sex"]]`), a frame from which other columns were
    dropped but not the attribute although the code shows the frame has it (`A = df["sex"]` next to
    `X = df.drop(columns=["income"])`), and one-hot columns of it (`sex_Male`).

    ## Why is this bad?
    A model that sees the attribute can treat people differently because of it, which is often
    unlawful (disparate treatment) and rarely intended. Leaving it out is not enough to be fair
    (other features stand in for it, as fairlearn's census example shows), and some mitigations
    need it at prediction time; but when it is among the features by accident, every fairness
    number measured later describes a model nobody meant to build. The rule only reports what is
    declared: whether an attribute may be used is the project's decision, not the linter's.

    ## Example
    ```python
    A = df["sex"]
    X = df.drop(columns=["income"])
    model.fit(X, df["income"])
    ```

    ## Use instead
    ```python
    A = df["sex"]
    X = df.drop(columns=["income", "sex"])
    model.fit(X, df["income"])
    ```

    ## Options
    - `sensitive-attributes` (`[tool.hplint]`, default `[]`): column names of the sensitive
      attributes (`["sex", "race"]`). This rule runs only when it is set: groups named in code
      alone do not say what the project considers sensitive.
    """
    example_settings = {"sensitive_attributes": ("sex",)}
    valid = (
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("adult.csv")
        A = df["sex"]
        X = df.drop(columns=["income", "sex"])
        LogisticRegression().fit(X, df["income"])
        """,
    )
    invalid = (
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("adult.csv")
        A = df["sex"]
        X = df.drop(columns=["income"])
        LogisticRegression().fit(X, df["income"])
        """,
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("adult.csv")
        X = pd.get_dummies(df[["age", "sex", "hours"]])
        LogisticRegression().fit(X, df["income"])
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        found = _active(ctx)
        if found is None or not found.config_attributes:
            return
        from hplint.rules.fairness_columns import columns_given

        reported: set = set()
        for given in fit_facts(ctx).model_inputs:
            call, data_node, label = given.call, given.data, given.label
            site = ctx.semantic.call_by_node.get(call)
            if site is None or call in reported:
                continue
            finding = columns_given(ctx, data_node, found.config_attributes, site.order, site.scope)
            if finding is None:
                continue
            reported.add(call)
            attribute, evidence, evidence_node = finding
            ctx.report(
                self,
                call,
                f"`{short(data_node)}` given to `{label}` holds the sensitive attribute "
                f"`{attribute}` (declared in the configuration): {evidence}",
                related=[("the attribute's column", evidence_node)],
            )


# -- group metric on one split --------------------------------------------------------------------


@register
class GroupMetricOnOneSplit(Rule):
    code = "HPL705"
    name = "group-metric-on-one-split"
    summary = "A group fairness metric on a single validation split picks hyperparameters or thresholds"
    default_enabled = False
    doc = """
    ## What it does
    Finds choices (an argmax over candidates, a best-so-far comparison, a sort then first row)
    whose criterion compares groups (`demographic_parity_difference`, `MetricFrame`, AIF360's
    `disparate_impact()` ...) computed on one validation split, not across cross-validation folds.
    Choices made on the test split are HPL701's.

    Off by default: choosing on one validation split is what most fairness tutorials (AIF360's
    included) do, and it is not wrong, only noisy. HPL201 reports the same choice for any score;
    this rule adds why a group metric is noisier, and also sees choices HPL201 does not (AIF360
    threshold sweeps, sorts of score frames). Turn on one or the other.

    ## Why is this bad?
    A disparity is a difference between rates of (often small) groups: on one split its noise can
    be larger than the differences between candidates. The candidate that looks fairest on that
    split may only be the luckiest; tuning for the fairness metric then backfires, making the model
    no fairer on new data while it loses accuracy. Cross-validation (or bootstrapping the
    validation split) shows the spread and turns the choice into one between estimates with
    error bars.

    ## Example
    ```python
    for C in (0.01, 0.1, 1.0):
        model = LogisticRegression(C=C).fit(X_train, y_train)
        gaps.append(demographic_parity_difference(y_val, model.predict(X_val), sensitive_features=A_val))
    best_C = (0.01, 0.1, 1.0)[int(np.argmin(gaps))]
    ```

    ## Use instead
    Average the group metric over folds (and look at its spread) before choosing:
    ```python
    for C in (0.01, 0.1, 1.0):
        gaps.append(np.mean([demographic_parity_difference(y[va], LogisticRegression(C=C).fit(
            X[tr], y[tr]).predict(X[va]), sensitive_features=A[va]) for tr, va in KFold(5).split(X)]))
    ```

    ## Options
    - `sensitive-attributes` (`[tool.hplint]`, default `[]`): column names of the sensitive
      attributes. Not needed by this rule: groups named in the code (`sensitive_features=`,
      `protected_attribute_names=`, `privileged_groups=`, a group metric) are enough to turn the
      family on in a file; without either, the HPL7 rules stay silent.
    """
    valid = (
        """
        import numpy as np
        from fairlearn.metrics import demographic_parity_difference
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold
        gaps = []
        for C in (0.01, 0.1, 1.0):
            fold_gaps = []
            for tr, va in KFold(5).split(X):
                model = LogisticRegression(C=C).fit(X[tr], y[tr])
                fold_gaps.append(demographic_parity_difference(y[va], model.predict(X[va]), sensitive_features=A[va]))
            gaps.append(np.mean(fold_gaps))
        best_C = (0.01, 0.1, 1.0)[int(np.argmin(gaps))]
        """,
    )
    invalid = (
        """
        import numpy as np
        from fairlearn.metrics import demographic_parity_difference
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        X_train, X_val, y_train, y_val, A_train, A_val = train_test_split(X, y, A)
        gaps = []
        for C in (0.01, 0.1, 1.0):
            model = LogisticRegression(C=C).fit(X_train, y_train)
            gaps.append(demographic_parity_difference(y_val, model.predict(X_val), sensitive_features=A_val))
        best_C = (0.01, 0.1, 1.0)[int(np.argmin(gaps))]
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        found = _active(ctx)
        if found is None:
            return
        for pick in found.picks:
            kind, split = _pick_kind(ctx, pick)
            if kind != VALIDATION:
                continue
            if isinstance(split, SplitEvent) and split.method == "kfold":
                continue
            measured = _measures_groups(ctx, found, pick)
            if measured is None:
                continue
            related = [("validation data split off here", split_node(split))] if split_node(split) is not None else []
            ctx.report(
                self,
                pick.node,
                f"`{short(pick.node)}` chooses with a group metric (`{short(measured)}` at "
                f"{_where(ctx, measured)}) on one validation split ({_split_text(ctx, kind, split)}): "
                "with small groups the winner may only be the luckiest; compare the candidates across "
                "cross-validation folds and look at the spread",
                related=related,
            )


# -- sensitive features out of step with the data --------------------------------------------------


_DATA_KEYWORDS = ("y_true", "y_pred", "X", "y", "y_score", "y_preds", "probas_pred")


@register
class SensitiveFeaturesOutOfStep(Rule):
    code = "HPL706"
    name = "sensitive-features-out-of-step"
    summary = "`sensitive_features` holds other rows than the labels and predictions it is given with"
    severity = "error"
    doc = """
    ## What it does
    Finds fairlearn calls (`MetricFrame`, group metrics, a mitigator's `fit`/`predict`) whose
    `sensitive_features` are not the rows of the data they come with: the whole data set's
    attribute with test predictions (typically a split that divides `X` and `y` but not `A`), or
    the training part's attribute with test predictions.

    ## Why is this bad?
    Group metrics pair each prediction with the group of its row. With the whole data's attribute
    next to test predictions, fairlearn either refuses (lengths differ) or, when the lengths happen
    to match (a pandas index aligned on the wrong rows, a different split of the same size), pairs
    predictions with other people's groups: the disparity measured is noise, and a mitigator fitted
    that way learns thresholds for the wrong groups.

    ## Example
    ```python
    A = df["sex"]
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=model.predict(X_test), sensitive_features=A)
    ```

    ## Use instead
    Split the attribute with the data:
    ```python
    X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
    MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=model.predict(X_test), sensitive_features=A_test)
    ```

    ## Options
    - `sensitive-attributes` (`[tool.hplint]`, default `[]`): column names of the sensitive
      attributes. Not needed by this rule: groups named in the code (`sensitive_features=`,
      `protected_attribute_names=`, `privileged_groups=`, a group metric) are enough to turn the
      family on in a file; without either, the HPL7 rules stay silent.
    """
    valid = (
        """
        from fairlearn.metrics import MetricFrame
        from sklearn.metrics import accuracy_score
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
        MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=model.predict(X_test), sensitive_features=A_test)
        """,
    )
    invalid = (
        """
        import pandas as pd
        from fairlearn.metrics import MetricFrame
        from sklearn.metrics import accuracy_score
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("adult.csv")
        A = df["sex"]
        X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["y"]), df["y"])
        MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=model.predict(X_test), sensitive_features=A)
        """,
        """
        from fairlearn.metrics import demographic_parity_difference
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
        demographic_parity_difference(y_test, model.predict(X_test), sensitive_features=A_train)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        found = _active(ctx)
        if found is None:
            return
        flow = ctx.dataflow
        for call in found.group_calls:
            groups = call.keywords.get("sensitive_features")
            if groups is None or isinstance(literal_value(groups), (str, list)):
                continue
            group_value = flow.value_of(groups)
            if group_value is None:
                continue
            node = call.site.node
            data = [a.value for a in node.args if a.value is not groups and (
                a.keyword is None or a.keyword.value in _DATA_KEYWORDS)]
            parts = [(n, flow.value_of(n)) for n in data]
            parts = [(n, v) for n, v in parts if v is not None and v.is_known and v.split is not None
                     and v.kind in (TRAIN, VALIDATION, TEST)]
            if not parts:
                continue
            data_node, value = parts[0]
            split = value.split
            if group_value.kind == FULL and group_value.sources & split.input_sources:
                message = (
                    f"`sensitive_features={short(groups)}` holds every row of the data, `{short(data_node)}` "
                    f"only {_split_text(ctx, value.kind, split)}, which splits {split.source_text} but not "
                    f"`{short(groups)}`: predictions are paired with other rows' groups (split it with the data)"
                )
            elif group_value.is_known and group_value.split is split and group_value.kind != value.kind \
                    and group_value.kind in (TRAIN, VALIDATION, TEST):
                message = (
                    f"`sensitive_features={short(groups)}` is {_split_text(ctx, group_value.kind, split)} "
                    f"but `{short(data_node)}` is {_split_text(ctx, value.kind, split)}: predictions are "
                    "paired with other rows' groups"
                )
            else:
                continue
            ctx.report(self, groups, message, related=[("split here", split.line_node)])
