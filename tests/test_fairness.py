"""The fairness family (HPL7xx), the knowledge it reads, and HPL406's auditor role.

Each rule's own valid/invalid examples run in test_rule_examples.py and its fixtures in
test_fixtures.py; these tests pin down the decisions between them: when the family is silent,
which declarations count, the AIF360 dataset lineage, and what only evaluates.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hplint import knowledge
from tests.cli_support import invoke, write
from tests.conftest import lint

ROOT = Path(__file__).resolve().parent.parent


def found(code: str, snippet: str, **kwargs) -> list[str]:
    return [d.message for d in lint(snippet, select=("HPL4", "HPL7"), **kwargs) if d.code == code]


# -- knowledge --------------------------------------------------------------------------------------


def test_fairness_apis_resolve_with_their_roles():
    assert knowledge.lookup("fairlearn.postprocessing.ThresholdOptimizer").role == "estimator"
    assert "mitigator" in knowledge.lookup("fairlearn.reductions.GridSearch").tags
    assert "group_metric" in knowledge.lookup("fairlearn.metrics.MetricFrame").tags
    assert knowledge.lookup("aif360.sklearn.detectors.FACTS").role == "auditor"
    assert knowledge.lookup("aif360.detectors.mdss_detector.bias_scan").role == "auditor"
    # Two AIF360 packages share the short name Reweighing: the private paths users import from resolve.
    assert knowledge.lookup("aif360.algorithms.preprocessing.reweighing.Reweighing").qualname == (
        "aif360.algorithms.preprocessing.Reweighing"
    )
    assert knowledge.lookup("aif360.sklearn.preprocessing.reweighing.Reweighing").qualname == (
        "aif360.sklearn.preprocessing.Reweighing"
    )
    # A generic overall rate is a metric but compares no groups.
    assert "group_metric" not in knowledge.lookup("fairlearn.metrics.selection_rate").tags


# -- when the family runs -----------------------------------------------------------------------------

POSTPROCESS_ON_TEST = """
    from fairlearn.postprocessing import ThresholdOptimizer
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    post = ThresholdOptimizer(estimator=model, prefit=True)
    post.fit(X_test, y_test{groups})
    print(accuracy_score(y_test, post.predict(X_test{groups})))
"""


def test_family_is_silent_without_any_declaration():
    assert found("HPL702", POSTPROCESS_ON_TEST.format(groups="")) == []
    # HPL406 still reports the leak: it needs no groups.
    assert found("HPL406", POSTPROCESS_ON_TEST.format(groups=""))


def test_groups_named_in_code_or_config_turn_the_family_on():
    assert found("HPL702", POSTPROCESS_ON_TEST.format(groups=", sensitive_features=A_test"))
    assert found("HPL702", POSTPROCESS_ON_TEST.format(groups=""), sensitive_attributes=("sex",))


SEARCH_THEN_GROUPS = """
    from fairlearn.metrics import MetricFrame
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import GridSearchCV
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, cv=5).fit(X_train, y_train)
    MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=search.predict(X_test), sensitive_features=A_test)
"""


def test_config_only_rules_need_the_configuration():
    assert found("HPL703", SEARCH_THEN_GROUPS) == []
    assert found("HPL703", SEARCH_THEN_GROUPS, sensitive_attributes=("sex",))


def test_selection_blind_to_groups_needs_groups_measured_somewhere():
    alone = SEARCH_THEN_GROUPS.rsplit("\n", 2)[0] + "\n"
    assert found("HPL703", alone, sensitive_attributes=("sex",)) == []


# -- AIF360 dataset lineage ------------------------------------------------------------------------

AIF_SPLITS = """
    from aif360.algorithms.postprocessing import RejectOptionClassification
    from aif360.metrics import ClassificationMetric
    groups = dict(privileged_groups=[{{"sex": 1}}], unprivileged_groups=[{{"sex": 0}}])
    {split}
    roc = RejectOptionClassification(**groups)
    roc = roc.fit({fitted}, {fitted}_pred)
    print(ClassificationMetric({scored}, roc.predict({scored}_pred), **groups).disparate_impact())
"""


def test_aif360_split_parts_by_position_and_by_name():
    two_way = "train, held = dataset.split([0.7], shuffle=True)"
    assert found("HPL702", AIF_SPLITS.format(split=two_way, fitted="held", scored="held"))
    # The name says which part is which, whatever its position (AIF360's DisparateImpactRemover demo).
    named = "test, train = dataset.split([16281])"
    assert found("HPL702", AIF_SPLITS.format(split=named, fitted="test", scored="test"))
    assert found("HPL702", AIF_SPLITS.format(split=named, fitted="train", scored="test")) == []
    three_way = ("dataset_train, dataset_vt = dataset.split([0.6], shuffle=True)\n"
                 "    dataset_valid, dataset_test = dataset_vt.split([0.5], shuffle=True)")
    assert found("HPL702", AIF_SPLITS.format(split=three_way, fitted="dataset_valid", scored="dataset_test")) == []
    assert found("HPL702", AIF_SPLITS.format(split=three_way, fitted="dataset_test", scored="dataset_test"))


def test_mitigation_fitted_on_held_out_rows_that_are_never_scored_is_silent():
    # The held-out part is then a validation split by another name (AIF360's own unit tests).
    snippet = POSTPROCESS_ON_TEST.format(groups=", sensitive_features=A_test").rsplit("\n", 2)[0] + "\n"
    assert found("HPL702", snippet) == []


def test_a_string_split_is_no_dataset_split():
    snippet = """
        from aif360.metrics import BinaryLabelDatasetMetric
        name, test = "a,b".split([0.5])
        groups = [{"sex": 1}]
    """
    assert found("HPL702", snippet) == []


# -- HPL406: fitting what only evaluates ---------------------------------------------------------


def test_hpl406_is_silent_on_auditors_and_on_scaling_for_a_metric():
    snippet = """
        from aif360.sklearn.detectors import FACTS
        from aif360.sklearn.metrics import consistency_score
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import minmax_scale
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        y_pred = model.fit(X_train, y_train).predict(X_test)
        print(consistency_score(minmax_scale(X_test), y_pred))
        detector = FACTS(clf=model, prot_attr="sex").fit(X_test)
    """
    assert found("HPL406", snippet) == []


def test_hpl406_still_reports_scaling_the_test_rows_a_model_predicts():
    snippet = """
        from aif360.sklearn.metrics import consistency_score
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import minmax_scale
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        scaled = minmax_scale(X_test)
        y_pred = model.fit(X_train, y_train).predict(scaled)
        print(consistency_score(scaled, y_pred))
    """
    assert found("HPL406", snippet)


# -- near misses --------------------------------------------------------------------------------------


def test_masks_keep_sensitive_features_in_step():
    snippet = """
        from fairlearn.metrics import MetricFrame
        from sklearn.metrics import accuracy_score
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A)
        y_pred = model.predict(X_test)
        mask = X_test["age"] > 30
        MetricFrame(metrics=accuracy_score, y_true=y_test[mask], y_pred=y_pred[mask], sensitive_features=A_test[mask])
    """
    assert found("HPL706", snippet) == []


def test_attribute_dropped_by_rebinding_is_no_feature():
    snippet = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("adult.csv")
        A = df["sex"]
        df = df.drop(columns=["sex"])
        X = df.drop(columns=["income"])
        LogisticRegression().fit(X, A)
    """
    assert found("HPL704", snippet, sensitive_attributes=("sex",)) == []
    assert found("HPL704", snippet.replace('df = df.drop(columns=["sex"])', "df = df.copy()"),
                 sensitive_attributes=("sex",))


def test_an_undeclared_attribute_is_not_reported_as_a_feature():
    snippet = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("adult.csv")
        A = df["sex"]
        LogisticRegression().fit(df.drop(columns=["income"]), df["income"])
    """
    assert found("HPL704", snippet, sensitive_attributes=("race",)) == []


# -- the command line ------------------------------------------------------------------------------

FEATURE_SCRIPT = """
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    df = pd.read_csv("adult.csv")
    A = df["sex"]
    LogisticRegression().fit(df.drop(columns=["income"]), df["income"])
"""


def test_sensitive_attributes_from_pyproject_reach_the_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "train.py", FEATURE_SCRIPT)
    assert "HPL704" not in invoke(["--no-cache", "--output-format", "concise", "train.py"]).stdout
    write(tmp_path / "pyproject.toml", '[tool.hplint]\nsensitive-attributes = ["sex"]\n')
    result = invoke(["--no-cache", "--output-format", "concise", "train.py"])
    assert "HPL704 `df.drop(columns=[\"income\"])` given to `LogisticRegression().fit` holds the " \
           "sensitive attribute `sex`" in result.stdout


def test_sensitive_attributes_from_config_option_as_a_subprocess(tmp_path):
    write(tmp_path / "train.py", FEATURE_SCRIPT)
    write(tmp_path / "settings.toml", 'sensitive-attributes = ["sex"]\n')
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "check", "--no-cache", "--output-format", "concise",
         "--config", str(tmp_path / "settings.toml"), "--select", "HPL704", str(tmp_path / "train.py")],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.count("HPL704") == 1
