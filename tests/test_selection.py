"""HPL2xx model-selection rules: behaviour beyond the rules' own valid/invalid examples."""

from __future__ import annotations

import json

from tests.conftest import lint

HEADER = """
from sklearn.model_selection import (
    GridSearchCV, KFold, GroupKFold, PredefinedSplit, RepeatedKFold, ShuffleSplit, StratifiedKFold,
    cross_val_score, validation_curve,
)
from sklearn.svm import SVC
import numpy as np
"""


def found(code: str, rule: str, **kwargs) -> list:
    return [d for d in lint(HEADER + code, select=(rule,), **kwargs) if d.code == rule]


# -- HPL206 too-few-folds ----------------------------------------------------------------------


def test_folds_followed_through_a_variable_with_the_definition_as_related_location() -> None:
    (d,) = found("n = 2\nfolds = KFold(n_splits=n)\nsearch = GridSearchCV(SVC(), {'C': [1, 10]}, cv=folds)\n", "HPL206")
    assert "only 2 folds" in d.message and "`cv=folds`, defined as `KFold(n_splits=n)`" in d.message
    assert [r.message for r in d.related] == ["the folds are defined here"]


def test_single_validation_pair_and_one_shuffle_split_are_one_fold() -> None:
    pair = found("search = GridSearchCV(SVC(), {'C': [1, 10]}, cv=[(train_idx, val_idx)])\n", "HPL206")
    shuffle = found("search = GridSearchCV(SVC(), {'C': [1, 10]}, cv=ShuffleSplit(n_splits=1))\n", "HPL206")
    assert "a single train/validation split" in pair[0].message
    assert "a single train/validation split" in shuffle[0].message


def test_predefined_split_with_several_folds_or_unknown_ids_is_quiet() -> None:
    assert not found("search = GridSearchCV(SVC(), {'C': [1]}, cv=PredefinedSplit([-1, 0, 1, 2, 0]))\n", "HPL206")
    assert not found("search = GridSearchCV(SVC(), {'C': [1]}, cv=PredefinedSplit(fold_ids))\n", "HPL206")
    assert found("search = GridSearchCV(SVC(), {'C': [1]}, cv=PredefinedSplit(np.where(is_val, 0, -1)))\n", "HPL206")


def test_repeated_two_fold_counts_repeats() -> None:
    assert not found("s = GridSearchCV(SVC(), {'C': [1]}, cv=RepeatedKFold(n_splits=2, n_repeats=5))\n", "HPL206")
    assert found("s = GridSearchCV(SVC(), {'C': [1]}, cv=RepeatedKFold(n_splits=2, n_repeats=1))\n", "HPL206")


def test_validation_curve_compares_values() -> None:
    (d,) = found("validation_curve(SVC(), X, y, param_name='C', param_range=[1, 10], cv=2)\n", "HPL206")
    assert "compares hyperparameter values" in d.message


def test_min_folds_option() -> None:
    code = "search = GridSearchCV(SVC(), {'C': [1, 10]}, cv=3)\n"
    assert not found(code, "HPL206")
    assert found(code, "HPL206", options={"HPL206": {"min-folds": 5}})


def test_loop_target_is_not_followed() -> None:
    code = "for k in [2, 5, 10]:\n    s = GridSearchCV(SVC(), {'C': [1]}, cv=k)\n"
    assert not found(code, "HPL206")


# -- HPL205 cv-splitter-mismatch ---------------------------------------------------------------


def test_groups_with_default_folds() -> None:
    (d,) = found("cross_val_score(SVC(), X, y, groups=subjects)\n", "HPL205")
    assert d.message.startswith("`subjects` is passed as `groups` to `cross_val_score`, but the default folds")


def test_group_splitter_through_split_generator_is_quiet() -> None:
    code = "gkf = GroupKFold(5)\ncross_val_score(SVC(), X, y, groups=g, cv=gkf.split(X, y, g))\n"
    assert not found(code, "HPL205")


def test_search_fit_with_groups_and_non_group_splitter_variable() -> None:
    code = "cv = KFold(5)\ns = GridSearchCV(SVC(), {'C': [1]}, cv=cv)\ns.fit(X, y, groups=g)\n"
    (d,) = found(code, "HPL205")
    assert "`KFold` ignores them" in d.message
    assert d.related and d.related[0].message == "the folds are defined here"


def test_unknown_search_object_is_quiet() -> None:
    assert not found("search = make_search()\nsearch.fit(X, y, groups=g)\n", "HPL205")


# -- HPL201 / HPL202 (selection loops from the data-flow layer) --------------------------------

SPLIT = """
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
import optuna
X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
"""


def test_single_split_names_the_pick_and_the_split() -> None:
    code = SPLIT + (
        "best = 0\nfor k in range(1, 9):\n"
        "    s = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_val, y_val)\n"
        "    if s > best:\n        best = s\n"
    )
    (d,) = [x for x in lint(code, select=("HPL201",))]
    assert "ranks the hyperparameter values of the loop at line 7 on one validation split (made at line 5)" in d.message
    assert [r.message for r in d.related] == ["the winner is picked here", "the single validation split is made here"]


def test_objectives_can_be_left_out() -> None:
    code = SPLIT + (
        "def objective(trial):\n"
        "    k = trial.suggest_int('k', 1, 30)\n"
        "    return KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_val, y_val)\n"
        "optuna.create_study().optimize(objective, n_trials=10)\n"
    )
    assert lint(code, select=("HPL201",))
    assert not lint(code, select=("HPL201",), options={"HPL201": {"include-hpo-objectives": False}})


def test_epoch_exemption_can_be_switched_off() -> None:
    code = SPLIT + (
        "best = 1e9\nfor epoch in range(10):\n"
        "    model.fit(X_train, y_train)\n"
        "    loss = model.score(X_val, y_val)\n"
        "    if loss < best:\n        best = loss\n"
    )
    assert not lint(code, select=("HPL201",))
    assert lint(code, select=("HPL201",), options={"HPL201": {"exempt-epoch-selection": False}})


def test_training_score_with_a_differently_named_slice_is_quiet() -> None:
    code = SPLIT + (
        "scores = []\nfor k in range(1, 9):\n"
        "    m = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)\n"
        "    scores.append(m.score(X_other, y_other))\n"
        "best = max(scores)\n"
    )
    assert not lint(code, select=("HPL202",))


# -- HPL203 / HPL204 ---------------------------------------------------------------------------

SEARCH = """
import pandas as pd
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC
df = pd.read_csv("d.csv")
X, y = df.drop(columns="t"), df["t"]
search = GridSearchCV(SVC(), {"C": [1, 10]}, cv=5)
search.fit(X, y)
"""


def test_best_score_with_in_sample_score_only_is_reported() -> None:
    (d,) = lint(SEARCH + "print(search.best_score_, search.score(X, y))\n", select=("HPL203",))
    assert d.message.startswith("`search.best_score_` is reported as the result")


def test_best_score_with_any_other_score_is_quiet() -> None:
    assert not lint(SEARCH + "print(search.best_score_, search.score(X_new, y_new))\n", select=("HPL203",))


def test_notebook_cell_ending_in_best_score_is_a_report() -> None:
    cells = [SEARCH, "search.best_score_"]
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None} for c in cells
    ]}
    (d,) = lint(json.dumps(nb), select=("HPL203",), path="tune.ipynb")
    assert d.cell == 2


def test_search_on_all_data_never_scored_on_the_later_split_is_quiet() -> None:
    code = SEARCH + "X_train, X_test, y_train, y_test = train_test_split(X, y)\nprint(SVC().fit(X_train, y_train).score(X_test, y_test))\n"
    assert not lint(code, select=("HPL204",))
    code = SEARCH + "X_train, X_test, y_train, y_test = train_test_split(X, y)\nprint(search.score(X_test, y_test))\n"
    (d,) = lint(code, select=("HPL204",))
    assert [r.message for r in d.related] == [
        "the data is split into train and test here", "the tuned search is scored on test rows here"
    ]


def test_booster_cv_with_early_stopping_selects_rounds() -> None:
    code = "import xgboost as xgb\nxgb.cv(params, dtrain, num_boost_round=1000, nfold=2, early_stopping_rounds=50)\n"
    (d,) = lint(code, select=("HPL206",))
    assert "`cv` selects the number of boosting rounds on only 2 folds (`nfold=2`)" in d.message
    assert not lint(code.replace("nfold=2", "nfold=5"), select=("HPL206",))


def test_held_out_evidence_by_name_is_word_based() -> None:
    # `.values` is not a validation set: the in-sample score alone leaves the report unexplained.
    assert lint(SEARCH + "print(search.best_score_, search.score(X.values, y.values))\n", select=("HPL203",))
    assert not lint(SEARCH + "print(search.best_score_)\npreds = search.predict(X_valid)\n", select=("HPL203",))


def test_threshold_sweep_without_refit_is_not_model_selection() -> None:
    code = SPLIT + "from sklearn.metrics import f1_score\n" + (
        "model = KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train)\n"
        "proba = model.predict_proba(X_val)[:, 1]\nscores = []\n"
        "for t in [0.2, 0.4, 0.6]:\n    scores.append(f1_score(y_val, proba > t))\n"
        "best = max(scores)\n"
    )
    assert not lint(code, select=("HPL201",))


def test_name_bound_in_two_branches_is_not_followed() -> None:
    code = (
        "if many_groups:\n    cv = GroupKFold(n_splits=5)\nelse:\n    cv = KFold(n_splits=5)\n"
        "search = GridSearchCV(SVC(), {'C': [1]}, cv=cv)\nsearch.fit(X, y, groups=g)\n"
    )
    assert not found(code, "HPL205")


def test_best_score_reported_inside_a_function_is_quiet() -> None:
    code = SEARCH.replace("search.fit(X, y)\n", "") + "def tune():\n    search.fit(X, y)\n    print(search.best_score_)\n"
    assert not lint(code, select=("HPL203",))


def test_manual_outer_cv_is_evidence() -> None:
    code = SEARCH + "from sklearn.model_selection import KFold\nfor tr, te in KFold(5).split(X):\n    pass\nprint(search.best_score_)\n"
    assert not lint(code, select=("HPL203",))


def test_statistic_computed_in_a_threshold_sweep_is_not_a_candidate_fit() -> None:
    code = SPLIT + (
        "import numpy as np\nfrom sklearn.metrics import f1_score\nscores = []\n"
        "for t in np.linspace(0, 1, 10):\n"
        "    y_hat = (val_scores.mean(axis=1) > t).astype(int)\n"
        "    scores.append(f1_score(y_val, y_hat))\n"
        "best = np.argmax(scores)\n"
    )
    assert not lint(code, select=("HPL201",))


def test_folds_through_a_split_generator() -> None:
    assert found("kf = KFold(2)\ns = GridSearchCV(SVC(), {'C': [1]}, cv=kf.split(X, y))\n", "HPL206")
    code = "kf = KFold(5)\ncross_val_score(SVC(), X, y, groups=g, cv=kf.split(X, y, g))\n"
    (d,) = found(code, "HPL205")
    assert "`KFold` ignores them" in d.message
