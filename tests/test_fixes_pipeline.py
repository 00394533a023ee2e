"""The unsafe fixes that move a fit (hplint/rules/pipeline_fixes.py): HPL407/HPL404 into a
`make_pipeline` given to the cross-validation, HPL403/HPL404/HPL405 after the split, HPL402 early
stopping on a validation split. Each: exact output (script and function shapes), idempotent,
compiles, its finding gone and no new one; and shapes where no fix is offered."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from hplint.fixing import applicable, fix_bytes
from hplint.settings import Selection, Settings
from tests.cli_support import invoke, write
from tests.test_fixes import assert_fixed, fix


# Every family but HPL1xx: HPL101's hoist (tests/test_fix_hoist.py) would move the models' literals too.
NOT_HOISTED = ("HPL2", "HPL3", "HPL4", "HPL5", "HPL6", "HPL7", "HPL9")


def fixed_unsafe(code: str, expected: str, rule: str) -> None:
    assert_fixed(code, expected, rule, select=NOT_HOISTED, unsafe=True)


def offers_no_fix(code: str, rule: str) -> None:
    """The rule fires, without a fix."""
    _, outcome = fix(code, unsafe=True)
    found = [d for d in outcome.diagnostics if d.code == rule]
    assert found, f"{rule} does not fire"
    assert all(d.fix is None for d in found)
    assert rule not in outcome.fixed_codes


def test_the_fixes_are_unsafe_and_only_applied_with_unsafe_fixes():
    code = """\
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    X = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    """
    fixed, outcome = fix(code)
    assert fixed == textwrap.dedent(code)
    (finding,) = [d for d in outcome.diagnostics if d.code == "HPL403"]
    assert finding.fix.applicability == "unsafe"
    assert finding.fix.message == "Split first, fit `standard_scaler` on `X_train` and transform `X_test` with it"


# -- HPL407: the transformer into a pipeline ------------------------------------------------------


def test_hpl407_cross_val_score_gets_a_pipeline_and_the_import():
    fixed_unsafe(
        """\
        from sklearn.model_selection import cross_val_score
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        X_scaled = StandardScaler().fit_transform(X)  # scale
        print(cross_val_score(SVC(C=1.0), X_scaled, y, cv=5))
        """,
        """\
        from sklearn.model_selection import cross_val_score
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        from sklearn.pipeline import make_pipeline
        print(cross_val_score(make_pipeline(StandardScaler(), SVC(C=1.0)), X, y, cv=5))
        """,
        "HPL407",
    )


def test_hpl407_in_a_function_with_a_named_transformer_and_a_loop_over_models():
    fixed_unsafe(
        """\
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline as mp
        from sklearn.preprocessing import MinMaxScaler


        def compare(X, y, models):
            # the scaler
            scaler = MinMaxScaler(clip=True)
            X = scaler.fit_transform(X)
            for model in models:
                print(cross_val_score(model, X, y, cv=3).mean())
        """,
        """\
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline as mp
        from sklearn.preprocessing import MinMaxScaler


        def compare(X, y, models):
            # the scaler
            for model in models:
                print(cross_val_score(mp(MinMaxScaler(clip=True), model), X, y, cv=3).mean())
        """,
        "HPL407",
    )


def test_hpl407_search_grid_keys_get_the_step_prefix():
    fixed_unsafe(
        """\
        from sklearn.model_selection import GridSearchCV
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        grid = {"C": [0.1, 1, 10], 'gamma': [0.1, 1]}
        X_scaled = StandardScaler().fit_transform(X_train)
        search = GridSearchCV(SVC(), grid, cv=5)
        search.fit(X_scaled, y_train)
        print(search.best_params_, search.best_score_)
        """,
        """\
        from sklearn.model_selection import GridSearchCV
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        from sklearn.pipeline import make_pipeline
        grid = {"svc__C": [0.1, 1, 10], 'svc__gamma': [0.1, 1]}
        search = GridSearchCV(make_pipeline(StandardScaler(), SVC()), grid, cv=5)
        search.fit(X_train, y_train)
        print(search.best_params_, search.best_score_)
        """,
        "HPL407",
    )


def test_hpl407_inline_randomized_search_with_a_list_of_grids_and_a_named_model():
    fixed_unsafe(
        """\
        from sklearn.decomposition import PCA
        from sklearn.linear_model import LogisticRegression as LR
        from sklearn.model_selection import RandomizedSearchCV
        model = LR()
        X_small = PCA(n_components=10).fit_transform(X)
        RandomizedSearchCV(model, [{"C": [1, 10]}, {"penalty": ["l2"]}], n_iter=2, random_state=0).fit(X_small, y)
        """,
        """\
        from sklearn.decomposition import PCA
        from sklearn.linear_model import LogisticRegression as LR
        from sklearn.model_selection import RandomizedSearchCV
        from sklearn.pipeline import make_pipeline
        model = LR()
        RandomizedSearchCV(make_pipeline(PCA(n_components=10), model), [{"logisticregression__C": [1, 10]}, {"logisticregression__penalty": ["l2"]}], n_iter=2, random_state=0).fit(X, y)
        """,
        "HPL407",
    )


@pytest.mark.parametrize(
    "code",
    [
        # the scaled data is also used elsewhere
        """\
        X_scaled = StandardScaler().fit_transform(X)
        print(cross_val_score(SVC(), X_scaled, y))
        SVC().fit(X_scaled, y)
        """,
        # the named scaler also transforms other data
        """\
        scaler = StandardScaler()
        X_scaled = scaler.fit_transform(X)
        X_other = scaler.transform(X_new)
        print(cross_val_score(SVC(), X_scaled, y))
        """,
        # the search's best model is used afterwards: it would become a pipeline
        """\
        X_scaled = StandardScaler().fit_transform(X)
        search = GridSearchCV(SVC(), {"C": [1, 10]})
        search.fit(X_scaled, y)
        model = SVC(**search.best_params_)
        """,
        # a grid key that is not a plain string
        """\
        X_scaled = StandardScaler().fit_transform(X)
        search = GridSearchCV(SVC(), {KEY: [1, 10]})
        search.fit(X_scaled, y)
        """,
        # parameters of the estimator's fit would need the step prefix
        """\
        X_scaled = StandardScaler().fit_transform(X)
        print(cross_val_score(SVC(), X_scaled, y, params={"sample_weight": w}))
        """,
        # a manual K-fold loop
        """\
        X_scaled = StandardScaler().fit_transform(X)
        for train, val in KFold(5).split(X_scaled):
            SVC().fit(X_scaled[train], y[train])
        """,
        # the input is rebound between the fit and the cross-validation
        """\
        X_scaled = StandardScaler().fit_transform(X)
        X = X[:100]
        print(cross_val_score(SVC(), X_scaled, y))
        """,
    ],
)
def test_hpl407_no_fix(code):
    header = """\
    from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    """
    offers_no_fix(textwrap.dedent(header) + textwrap.dedent(code), "HPL407")


# -- HPL404: feature selection ------------------------------------------------------------------


def test_hpl404_selector_into_the_pipeline_of_the_cross_validation():
    fixed_unsafe(
        """\
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import SVC
        X_new = SelectKBest(k=20).fit_transform(X, y)
        print(cross_val_score(SVC(), X_new, y, cv=5))
        """,
        """\
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import SVC
        print(cross_val_score(make_pipeline(SelectKBest(k=20), SVC()), X, y, cv=5))
        """,
        "HPL404",
    )


def test_hpl404_selector_fitted_on_the_training_part_after_the_split():
    fixed_unsafe(
        """\
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import train_test_split


        def prepare(X, y):
            X_new = SelectKBest(k=20).fit_transform(X, y)
            X_tr, X_te, y_tr, y_te = train_test_split(X_new, y, test_size=0.25, random_state=0)
            return X_tr, X_te, y_tr, y_te
        """,
        """\
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import train_test_split


        def prepare(X, y):
            X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
            select_k_best = SelectKBest(k=20)
            X_tr = select_k_best.fit_transform(X_tr, y_tr)
            X_te = select_k_best.transform(X_te)
            return X_tr, X_te, y_tr, y_te
        """,
        "HPL404",
    )


def test_hpl404_no_fix_when_the_selector_learns_from_other_labels():
    offers_no_fix(
        """\
        from sklearn.feature_selection import SelectKBest
        from sklearn.model_selection import cross_val_score
        from sklearn.svm import SVC
        X_new = SelectKBest(k=20).fit_transform(X, y_other)
        print(cross_val_score(SVC(), X_new, y, cv=5))
        """,
        "HPL404",
    )


# -- HPL403: preprocessing after the split ------------------------------------------------------


def test_hpl403_named_scaler_fitted_on_the_training_part():
    fixed_unsafe(
        """\
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        df = pd.read_csv("data.csv")
        scaler = StandardScaler()
        X = scaler.fit_transform(df[["a", "b"]])

        # split
        X_train, X_test, y_train, y_test = train_test_split(
            X, df["target"], test_size=0.2, random_state=0
        )
        """,
        """\
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        df = pd.read_csv("data.csv")
        scaler = StandardScaler()

        # split
        X_train, X_test, y_train, y_test = train_test_split(
            df[["a", "b"]], df["target"], test_size=0.2, random_state=0
        )
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.transform(X_test)
        """,
        "HPL403",
    )


def test_hpl403_in_a_function_with_an_inline_transformer():
    fixed_unsafe(
        """\
        from sklearn.decomposition import PCA
        from sklearn.model_selection import train_test_split


        def split(X, y):
            X = PCA(n_components=5).fit_transform(X)
            a, b, c, d = train_test_split(X, y, random_state=0)
            return a, b, c, d
        """,
        """\
        from sklearn.decomposition import PCA
        from sklearn.model_selection import train_test_split


        def split(X, y):
            a, b, c, d = train_test_split(X, y, random_state=0)
            pca = PCA(n_components=5)
            a = pca.fit_transform(a)
            b = pca.transform(b)
            return a, b, c, d
        """,
        "HPL403",
    )


@pytest.mark.parametrize(
    "code",
    [
        # the transformed data is used after the split too
        """\
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        print(X.shape)
        """,
        # something between the fit and the split reads it
        """\
        X = StandardScaler().fit_transform(X)
        print(X.mean())
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """,
        # the split's outputs are not plain names
        """\
        X = StandardScaler().fit_transform(X)
        parts = train_test_split(X, y, random_state=0)
        """,
        # the transformer's output is wrapped
        """\
        X = pd.DataFrame(StandardScaler().fit_transform(X))
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """,
        # t-SNE has no transform for the test part
        """\
        X = TSNE().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """,
        # the split happens in another block
        """\
        X = StandardScaler().fit_transform(X)
        if big:
            X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """,
        # the name the fix would give the transformer is taken
        """\
        standard_scaler = 1
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """,
    ],
)
def test_hpl403_no_fix(code):
    header = """\
    import pandas as pd
    from sklearn.manifold import TSNE
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    """
    offers_no_fix(textwrap.dedent(header) + textwrap.dedent(code), "HPL403")


def test_hpl403_not_fixed_across_notebook_cells_but_within_one():
    def notebook(*sources):
        cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in sources]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)

    imports = "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler"
    fit = "X = StandardScaler().fit_transform(X)"
    split = "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)"
    settings = Settings(selection=Selection(select=("HPL403",)))

    def run(text):
        return fix_bytes(text.encode(), "nb.ipynb", "nb.ipynb", settings, lambda d: applicable(d.fix, True), True)

    across = run(notebook(imports, fit, split))
    assert across.applied == 0 and [d.fix for d in across.diagnostics] == [None]
    within = run(notebook(imports, fit + "\n" + split))
    assert within.applied == 1 and within.diagnostics == []
    sources = [c["source"] for c in json.loads(within.fixed)["cells"]]
    assert sources == [
        imports,
        split + "\nstandard_scaler = StandardScaler()\nX_train = standard_scaler.fit_transform(X_train)\n"
        "X_test = standard_scaler.transform(X_test)",
    ]


# -- HPL405: resampling after the split ---------------------------------------------------------


def test_hpl405_resamples_only_the_training_part_and_stratifies_on_the_raw_labels():
    fixed_unsafe(
        """\
        from imblearn.over_sampling import SMOTE
        from sklearn.model_selection import train_test_split
        X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
        X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, stratify=y_res, random_state=0)
        """,
        """\
        from imblearn.over_sampling import SMOTE
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
        X_train, y_train = SMOTE(random_state=0).fit_resample(X_train, y_train)
        """,
        "HPL405",
    )


def test_hpl405_in_a_function_with_a_named_sampler():
    fixed_unsafe(
        """\
        from imblearn.under_sampling import RandomUnderSampler
        from sklearn.model_selection import train_test_split


        def data(X, y):
            sampler = RandomUnderSampler(random_state=0)
            X, y = sampler.fit_resample(X, y)
            X_a, X_b, y_a, y_b = train_test_split(X, y, random_state=0)
            return X_a, X_b, y_a, y_b
        """,
        """\
        from imblearn.under_sampling import RandomUnderSampler
        from sklearn.model_selection import train_test_split


        def data(X, y):
            sampler = RandomUnderSampler(random_state=0)
            X_a, X_b, y_a, y_b = train_test_split(X, y, random_state=0)
            X_a, y_a = sampler.fit_resample(X_a, y_a)
            return X_a, X_b, y_a, y_b
        """,
        "HPL405",
    )


def test_hpl405_resampler_into_an_imbalanced_learn_pipeline():
    fixed_unsafe(
        """\
        from imblearn.over_sampling import SMOTE
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score
        X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
        print(cross_val_score(LogisticRegression(), X_res, y_res, cv=5))
        """,
        """\
        from imblearn.over_sampling import SMOTE
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score
        from imblearn.pipeline import make_pipeline
        print(cross_val_score(make_pipeline(SMOTE(random_state=0), LogisticRegression()), X, y, cv=5))
        """,
        "HPL405",
    )


def test_hpl405_no_fix_when_the_resampled_labels_are_printed_first():
    offers_no_fix(
        """\
        from collections import Counter
        from imblearn.over_sampling import SMOTE
        from sklearn.model_selection import train_test_split
        X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
        print(Counter(y_res))
        X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, random_state=0)
        """,
        "HPL405",
    )


def test_hpl405_no_fix_into_a_pipeline_when_make_pipeline_is_sklearns():
    offers_no_fix(
        """\
        from imblearn.over_sampling import SMOTE
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline
        X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
        print(cross_val_score(LogisticRegression(), X_res, y_res, cv=5))
        """,
        "HPL405",
    )


# -- HPL402: a validation split for early stopping ----------------------------------------------


def test_hpl402_xgboost_eval_set_becomes_a_validation_split_with_the_seed():
    fixed_unsafe(
        """\
        from sklearn.model_selection import train_test_split
        from xgboost import XGBClassifier
        SEED = 42
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=SEED)
        model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
        model.fit(X_train, y_train,
                  eval_set=[(X_train, y_train), (X_test, y_test)], verbose=False)
        print(model.score(X_test, y_test))
        """,
        """\
        from sklearn.model_selection import train_test_split
        from xgboost import XGBClassifier
        SEED = 42
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=SEED)
        model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
        X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=SEED)
        model.fit(X_fit, y_fit,
                  eval_set=[(X_fit, y_fit), (X_val, y_val)], verbose=False)
        print(model.score(X_test, y_test))
        """,
        "HPL402",
    )


def test_hpl402_keras_validation_data_in_a_function_adds_the_import():
    fixed_unsafe(
        """\
        from tensorflow import keras


        def train(model, X_train, y_train, X_test, y_test):
            stop = keras.callbacks.EarlyStopping(patience=5)
            history = model.fit(X_train, y_train, epochs=100, validation_data=(X_test, y_test), callbacks=[stop])
            return history
        """,
        """\
        from tensorflow import keras
        from sklearn.model_selection import train_test_split


        def train(model, X_train, y_train, X_test, y_test):
            stop = keras.callbacks.EarlyStopping(patience=5)
            X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
            history = model.fit(X_fit, y_fit, epochs=100, validation_data=(X_val, y_val), callbacks=[stop])
            return history
        """,
        "HPL402",
    )


@pytest.mark.parametrize(
    "fit",
    [
        # per-row weights of the training data would no longer match its rows
        "model.fit(X_train, y_train, sample_weight=w, eval_set=[(X_test, y_test)], early_stopping_rounds=5)",
        # a Dataset, not arrays
        "model.fit(train_ds, eval_set=[(X_test, y_test)], early_stopping_rounds=5)",
        # a name the fix would use is taken
        "X_val = 1; model.fit(X_train, y_train, eval_set=[(X_test, y_test)], early_stopping_rounds=5)",
        # data of unknown shape in the eval set
        "model.fit(X_train, y_train, eval_set=[(X_test, y_test), (X_other, y_other)], early_stopping_rounds=5)",
    ],
)
def test_hpl402_no_fix(fit):
    offers_no_fix(
        f"""\
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = XGBClassifier()
{fit}
""",
        "HPL402",
    )


# -- statement edits ----------------------------------------------------------------------------


def test_statement_edits_keep_crlf_line_ends_and_a_missing_final_newline():
    code = (
        "from sklearn.model_selection import train_test_split\r\n"
        "from sklearn.preprocessing import StandardScaler\r\n"
        "X = StandardScaler().fit_transform(X)\r\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)"
    )
    settings = Settings(selection=Selection(select=("HPL403",)))
    outcome = fix_bytes(code.encode(), "a.py", "a.py", settings, lambda d: applicable(d.fix, True), False)
    assert outcome.fixed.decode() == (
        "from sklearn.model_selection import train_test_split\r\n"
        "from sklearn.preprocessing import StandardScaler\r\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\r\n"
        "standard_scaler = StandardScaler()\r\n"
        "X_train = standard_scaler.fit_transform(X_train)\r\n"
        "X_test = standard_scaler.transform(X_test)"
    )


# -- command line -------------------------------------------------------------------------------

CV_SCRIPT = """\
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
X_scaled = StandardScaler().fit_transform(X)
print(cross_val_score(SVC(), X_scaled, y))
"""
CV_FIXED = """\
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.pipeline import make_pipeline
print(cross_val_score(make_pipeline(StandardScaler(), SVC()), X, y))
"""


def test_cli_diff_shows_the_unsafe_fix_only_with_unsafe_fixes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "a.py", CV_SCRIPT)
    safe_only = invoke(["check", "a.py", "--diff", "--no-cache", "--isolated", "--select", "HPL407"])
    assert safe_only.exit_code == 0 and safe_only.stdout == ""
    result = invoke(["check", "a.py", "--diff", "--unsafe-fixes", "--no-cache", "--isolated", "--select", "HPL407"])
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a.py\n+++ a.py\n@@ -1,5 +1,5 @@\n"
        " from sklearn.model_selection import cross_val_score\n"
        " from sklearn.preprocessing import StandardScaler\n"
        " from sklearn.svm import SVC\n"
        "-X_scaled = StandardScaler().fit_transform(X)\n"
        "-print(cross_val_score(SVC(), X_scaled, y))\n"
        "+from sklearn.pipeline import make_pipeline\n"
        "+print(cross_val_score(make_pipeline(StandardScaler(), SVC()), X, y))\n"
    )
    assert path.read_text() == CV_SCRIPT


def test_cli_unsafe_fix_as_a_subprocess(tmp_path):
    path = write(tmp_path / "a.py", CV_SCRIPT)
    command = [sys.executable, "-m", "hplint", "check", "a.py", "--fix", "--unsafe-fixes", "--no-cache",
               "--isolated", "--select", "HPL407", "-j", "1"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_text() == CV_FIXED


def test_overlapping_fixes_of_several_rules_converge_over_rounds():
    # HPL601's seed and HPL403's move both rewrite the split: one per round, both applied (and
    # HPL101's hoist of the early-stopping rounds, HPL402's validation split).
    fixed, outcome = fix(
        """\
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from xgboost import XGBClassifier
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = XGBClassifier(early_stopping_rounds=50)
        model.fit(X_train, y_train, eval_set=[(X_test, y_test)])
        """,
        unsafe=True,
    )
    assert fixed == textwrap.dedent(
        """\
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from xgboost import XGBClassifier

        EARLY_STOPPING_ROUNDS = 50

        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        standard_scaler = StandardScaler()
        X_train = standard_scaler.fit_transform(X_train)
        X_test = standard_scaler.transform(X_test)
        model = XGBClassifier(early_stopping_rounds=EARLY_STOPPING_ROUNDS)
        X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
        model.fit(X_fit, y_fit, eval_set=[(X_val, y_val)])
        """
    )
    assert outcome.fixed_codes == {"HPL101": 1, "HPL402": 1, "HPL403": 1, "HPL601": 1} and outcome.problem is None


def test_hpl407_a_grid_built_with_dict_becomes_a_literal_with_prefixed_keys():
    fixed_unsafe(
        """\
        import numpy as np
        from sklearn.model_selection import GridSearchCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        scaler = StandardScaler()
        X = scaler.fit_transform(X)
        param_grid = dict(gamma=np.logspace(-9, 3, 13), C=np.logspace(-2, 10, 13))
        grid = GridSearchCV(SVC(), param_grid=param_grid, cv=5)
        grid.fit(X, y)
        print(f"best {grid.best_params_} with {grid.best_score_:0.2f}")
        """,
        """\
        import numpy as np
        from sklearn.model_selection import GridSearchCV
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        param_grid = {"svc__gamma": np.logspace(-9, 3, 13), "svc__C": np.logspace(-2, 10, 13)}
        grid = GridSearchCV(make_pipeline(StandardScaler(), SVC()), param_grid=param_grid, cv=5)
        grid.fit(X, y)
        print(f"best {grid.best_params_} with {grid.best_score_:0.2f}")
        """,
        "HPL407",
    )
