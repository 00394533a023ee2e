"""HPL5xx: messages, options and near-misses of the search-space rules."""

from __future__ import annotations

from tests.conftest import lint

HEAD = """
import numpy as np
from scipy.stats import loguniform, uniform
from sklearn.svm import SVC
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, KFold
"""


def messages(code: str, rule: str, **kwargs) -> list[str]:
    return [d.message for d in lint(HEAD + code, select=(rule,), **kwargs) if d.code == rule]


def test_hpl501_message_names_bounds_share_and_fix() -> None:
    (message,) = messages('RandomizedSearchCV(SVC(), {"C": uniform(0.001, 10)})', "HPL501")
    assert "`C` is sampled uniformly between 0.001 and 10" in message
    assert "90%" in message and "scipy.stats.loguniform(0.001, 10)" in message


def test_hpl501_option_and_non_log_parameters() -> None:
    code = 'RandomizedSearchCV(SVC(), {"C": uniform(1, 20), "coef0": uniform(0.001, 10)})'
    assert len(messages(code, "HPL501")) == 1
    assert messages(code, "HPL501", options={"HPL501": {"min-ratio": 100}}) == []


def test_hpl502_linear_grids_and_log_grids() -> None:
    assert messages('GridSearchCV(SVC(), {"C": [0.5, 1, 1.5, 2, 2.5]})', "HPL502")
    assert messages('GridSearchCV(SVC(), {"gamma": np.arange(0.1, 2.0, 0.1)})', "HPL502")
    assert not messages('GridSearchCV(SVC(), {"C": [0.1, 1, 10, 100]})', "HPL502")
    assert not messages('GridSearchCV(SVC(), {"C": [1, 5, 10, 50, 100]})', "HPL502")  # 1-5-10 pattern
    assert not messages('GridSearchCV(SVC(), {"degree": [1, 2, 3, 4, 5]})', "HPL502")  # not log-scale


def test_hpl503_counts_fits_through_variables_lists_and_folds() -> None:
    code = """
grid = [{"C": list(range(1, 21)), "gamma": np.logspace(-4, 1, 12)}, {"kernel": ["linear"], "C": [1, 10]}]
GridSearchCV(SVC(), grid, cv=KFold(5))
"""
    (message,) = messages(code, "HPL503")
    assert "1,210 models (242 candidates × 5 folds" in message
    assert messages(code, "HPL503", options={"HPL503": {"max-fits": 2000}}) == []


def test_hpl503_unknown_dimension_gives_a_lower_bound() -> None:
    code = """
def run(extra):
    grid = {"C": np.logspace(-3, 3, 40), "gamma": np.logspace(-4, 1, 30), "kernel": extra}
    return GridSearchCV(SVC(), grid)
"""
    (message,) = messages(code, "HPL503")
    assert "at least 6,000 models" in message


def test_hpl503_quiet_for_randomized_and_halving() -> None:
    code = 'RandomizedSearchCV(SVC(), {"C": np.logspace(-3, 3, 100), "gamma": np.logspace(-4, 1, 100)}, n_iter=50)'
    assert messages(code, "HPL503") == []


def test_hpl504_short_lists_for_continuous_parameters_only() -> None:
    assert messages('RandomizedSearchCV(SVC(), {"C": [0.1, 1, 10]})', "HPL504")
    assert not messages('RandomizedSearchCV(SVC(), {"kernel": ["rbf", "poly"], "degree": [2, 3, 4]})', "HPL504")
    assert not messages('RandomizedSearchCV(RandomForestClassifier(), {"max_depth": [2, 4, 8]})', "HPL504")
    assert not messages('GridSearchCV(SVC(), {"C": [0.1, 1, 10]})', "HPL504")


def test_hpl505_solver_penalty_duplicates_ranges() -> None:
    (message,) = messages('GridSearchCV(LogisticRegression(), {"penalty": ["l1", "elasticnet"], "solver": ["liblinear"]})', "HPL505")
    assert "penalty='elasticnet' with solver='liblinear'" in message
    assert not messages('GridSearchCV(LogisticRegression(), {"penalty": ["l1", "l2"]})', "HPL505")  # default solver varies
    assert messages('GridSearchCV(RandomForestClassifier(), {"max_depth": [0, 2, 4]})', "HPL505")
    assert messages('GridSearchCV(RandomForestClassifier(), {"criterion": ["gini", "gini"]})', "HPL505")
    assert not messages('GridSearchCV(RandomForestClassifier(), {"max_depth": [None, 2, 4]})', "HPL505")


def test_hpl505_distributions() -> None:
    assert messages("""
import optuna
def objective(trial):
    trial.suggest_float("lr", 0.0, 0.1, log=True)
    trial.suggest_int("depth", 10, 2)
""", "HPL505") and len(messages("""
import optuna
def objective(trial):
    trial.suggest_float("lr", 0.0, 0.1, log=True)
    trial.suggest_int("depth", 10, 2)
""", "HPL505")) == 2


def test_hpl506_steps_parameters_and_nested_estimators() -> None:
    (message,) = messages("""
pipe = Pipeline([("scale", StandardScaler()), ("model", SVC())])
GridSearchCV(pipe, {"modle__C": [1, 10]})
""", "HPL506")
    assert "no step `modle`" in message and "did you mean `model`?" in message
    assert messages('GridSearchCV(SVC(), {"gama": [0.1, 1]})', "HPL506")
    assert not messages("""
from sklearn.ensemble import BaggingClassifier
GridSearchCV(BaggingClassifier(SVC()), {"estimator__C": [1, 10], "n_estimators": [10, 20]})
""", "HPL506")


def test_hpl506_quiet_when_the_pipeline_is_unknown() -> None:
    assert not messages("""
def tune(pipe):
    return GridSearchCV(pipe, {"C": [1, 10]})
""", "HPL506")
    assert not messages("""
steps = build_steps()
GridSearchCV(Pipeline(steps), {"C": [1, 10]})
""", "HPL506")


def test_hpl503_parameter_grid_in_a_loop() -> None:
    (message,) = messages("""
from sklearn.model_selection import ParameterGrid
for params in ParameterGrid({"C": np.logspace(-3, 3, 50), "gamma": np.logspace(-4, 0, 40)}):
    SVC(**params).fit(X, y)
""", "HPL503")
    assert message.startswith("`ParameterGrid` enumerates 2,000 candidates (`C` 50 × `gamma` 40)")


def test_hpl505_solver_grid_against_a_fixed_penalty() -> None:
    (message,) = messages('GridSearchCV(LogisticRegression(penalty="l1"), {"solver": ["lbfgs", "saga"]})', "HPL505")
    assert message.startswith("`solver` combined with `penalty='l1'` on the estimator")
    assert "penalty='l1' with solver='lbfgs'" in message
    assert not messages('GridSearchCV(LogisticRegression(), {"solver": ["lbfgs", "saga"]})', "HPL505")


def test_hpl506_named_ensembles_and_loop_variables() -> None:
    assert not messages("""
from sklearn.ensemble import VotingClassifier
vote = VotingClassifier(estimators=[("lr", LogisticRegression()), ("svc", SVC())])
GridSearchCV(vote, {"lr__C": [1, 10], "voting": ["soft", "hard"]})
""", "HPL506")
    assert not messages("""
from sklearn.tree import DecisionTreeClassifier
est = SVC()
for est in [DecisionTreeClassifier(), RandomForestClassifier()]:
    GridSearchCV(est, {"max_depth": [1, 2, 3]})
""", "HPL506")
