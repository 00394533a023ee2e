"""HPL2xx model-selection rules: behaviour beyond the rules' own valid/invalid examples."""

from __future__ import annotations

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
