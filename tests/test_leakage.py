"""HPL401-HPL409: messages name both ends, related locations, options, and the precision cases."""

from __future__ import annotations

from tests.conftest import lint

LEAKAGE = tuple(f"HPL40{i}" for i in range(1, 10))


def leakage(code: str, **kwargs) -> list:
    kwargs.setdefault("select", LEAKAGE)
    return [d for d in lint(code, **kwargs) if d.code.startswith("HPL4")]


def test_preprocessing_before_split_names_both_ends() -> None:
    (finding,) = leakage(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        scaler = StandardScaler()
        X = scaler.fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        """
    )
    assert finding.code == "HPL403"
    assert finding.message == (
        "`scaler` is fitted on `X` at line 5, which is then split into train and test at line 6"
    )
    assert finding.span.start.row == 5
    assert [(r.message, r.span.start.row) for r in finding.related] == [("split here", 6)]


def test_fit_on_whole_data_then_applied_to_both_parts() -> None:
    (finding,) = leakage(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import MinMaxScaler
        scaler = MinMaxScaler().fit(X)
        X_train, X_test = train_test_split(X)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        """
    )
    assert finding.code == "HPL403" and "also split into train and test at line 5" in finding.message


def test_category_encoders_are_an_option() -> None:
    code = """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import OneHotEncoder
        X = OneHotEncoder().fit_transform(X)
        X_train, X_test = train_test_split(X)
        """
    assert leakage(code) == []
    assert [d.code for d in leakage(code, options={"HPL403": {"category-encoders": True}})] == ["HPL403"]


def test_statistics_can_be_turned_off() -> None:
    code = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("d.csv")
        df["a"] = df["a"].fillna(df["a"].median())
        train, test = train_test_split(df)
        """
    assert [d.code for d in leakage(code)] == ["HPL403"]
    assert leakage(code, options={"HPL403": {"statistics": False}}) == []


def test_dead_preprocessing_is_not_a_leak() -> None:
    assert not leakage(
        """
        import pandas as pd
        from sklearn import preprocessing
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("d.csv")
        scaled = preprocessing.scale(df)
        train, test = train_test_split(df)
        """
    )


def test_validation_carved_from_train_is_not_test() -> None:
    assert not leakage(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        X_a, X_b, y_a, y_b = train_test_split(X_train, y_train)
        results = {}
        for C in [0.1, 1, 10]:
            results[C] = SVC(C=C).fit(X_a, y_a).score(X_b, y_b)
        best_C = max(results, key=results.get)
        print(SVC(C=best_C).fit(X_train, y_train).score(X_test, y_test))
        """
    )


def test_tuning_loop_on_test_reports_the_pick_and_split() -> None:
    (finding,) = leakage(
        """
        import numpy as np
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        alphas = [0.01, 0.1, 1.0]
        scores = [Ridge(alpha=a).fit(X_train, y_train).score(X_test, y_test) for a in alphas]
        best_alpha = alphas[int(np.argmax(scores))]
        """
    )
    assert finding.code == "HPL401"
    assert "picked at line 8" in finding.message
    assert [r.span.start.row for r in finding.related] == [8, 5]


def test_a_name_counts_for_a_selection_and_the_message_says_so() -> None:
    (finding,) = leakage(
        """
        from sklearn.svm import SVC
        def tune(X_train, y_train, X_test, y_test):
            best = 0
            for C in [0.1, 1, 10]:
                score = SVC(C=C).fit(X_train, y_train).score(X_test, y_test)
                if score > best:
                    best, best_C = score, C
            return best_C
        """
    )
    assert finding.code == "HPL401"
    assert "(`X_test` is test data by its name)" in finding.message


def test_a_name_alone_never_makes_a_weaker_finding() -> None:
    # Fitting or preprocessing on a parameter named test is not evidence enough (HPL406, HPL403).
    assert not leakage(
        """
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        def refit(X_test, y_test):
            scaled = StandardScaler().fit_transform(X_test)
            return SVC().fit(scaled, y_test)
        """
    )


def test_the_call_site_wins_over_the_parameter_name() -> None:
    assert not leakage(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        def tune(X_train, y_train, X_test, y_test):
            best = 0
            for C in [0.1, 1, 10]:
                score = SVC(C=C).fit(X_train, y_train).score(X_test, y_test)
                if score > best:
                    best, best_C = score, C
            return best_C
        X_fit, X_val, y_fit, y_val = train_test_split(X, y)
        tune(X_fit, y_fit, X_val, y_val)
        """
    )


def test_a_trainer_class_reads_its_test_loader_through_self() -> None:
    (finding,) = leakage(
        """
        import torch
        class Trainer:
            def __init__(self, model, train_loader, test_loader):
                self.model, self.train_loader = model, train_loader
                self.test_loader = test_loader
            def evaluate(self):
                correct = 0
                for inputs, targets in self.test_loader:
                    correct += (self.model(inputs).argmax(1) == targets).sum().item()
                return correct
            def fit(self, epochs):
                best = 0
                for epoch in range(epochs):
                    accuracy = self.evaluate()
                    if accuracy > best:
                        best = accuracy
                        torch.save(self.model.state_dict(), "best.pt")
        """
    )
    assert finding.code == "HPL402"
    assert "`test_loader` is test data by its name" in finding.message


def test_monitoring_without_early_stopping_is_fine() -> None:
    assert not leakage(
        """
        from sklearn.model_selection import train_test_split
        from tensorflow import keras
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=10)
        """
    )


def test_boosting_early_stopping_on_test_names_the_switch() -> None:
    (finding,) = leakage(
        """
        import lightgbm as lgb
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = lgb.LGBMClassifier(n_estimators=1000)
        model.fit(X_train, y_train, eval_set=[(X_test, y_test)], callbacks=[lgb.early_stopping(20)])
        """
    )
    assert finding.code == "HPL402"
    assert {r.message for r in finding.related} == {
        "early stopping / best-model selection turned on here",
        "test data split off here",
    }


def test_fit_on_test_but_not_on_a_competition_test_file_transform() -> None:
    assert not leakage(
        """
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        test = pd.read_csv("../input/test.csv")
        test_scaled = StandardScaler().fit_transform(test)
        """
    )
    (finding,) = leakage(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        tree = DecisionTreeClassifier().fit(X_test, y_test)
        """
    )
    assert finding.code == "HPL406" and "the test part of the split at line 4" in finding.message


def test_preprocessing_inside_pipeline_inside_search_is_fine() -> None:
    assert not leakage(
        """
        from sklearn.model_selection import RandomizedSearchCV, train_test_split
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        pipe = make_pipeline(StandardScaler(), LogisticRegression())
        search = RandomizedSearchCV(pipe, {"logisticregression__C": [0.1, 1, 10]}, n_iter=3)
        search.fit(X_train, y_train)
        print(search.score(X_test, y_test))
        """
    )


def test_cross_validation_after_outside_scaler_reported_once() -> None:
    findings = leakage(
        """
        from sklearn.model_selection import cross_val_score
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        Xs = StandardScaler().fit_transform(X)
        a = cross_val_score(SVC(), Xs, y)
        b = cross_val_score(SVC(C=10), Xs, y)
        """
    )
    assert [(d.code, d.span.start.row) for d in findings] == [("HPL407", 6)]


def test_fit_on_all_data_for_the_final_model_is_fine() -> None:
    assert not leakage(
        """
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [1, 10]}).fit(X, y)
        final = SVC(**search.best_params_).fit(X, y)
        """
    )


def test_shuffled_kfold_on_time_ordered_data() -> None:
    (finding,) = leakage(
        """
        import pandas as pd
        from sklearn.model_selection import KFold
        df = pd.read_csv("prices.csv").sort_values("timestamp")
        kf = KFold(5, shuffle=True, random_state=0)
        for tr, va in kf.split(df):
            pass
        """
    )
    assert finding.code == "HPL409" and "`kf` shuffles" in finding.message


def test_hpl408_is_off_by_default() -> None:
    from hplint.rules import get

    assert get("HPL408").default_enabled is False
    (finding,) = leakage(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        print(SVC().fit(X_train, y_train).score(X_test, y_test))
        print(DecisionTreeClassifier().fit(X_train, y_train).score(X_test, y_test))
        """
    )
    assert finding.code == "HPL408" and "scores 2 different models" in finding.message


def test_concatenated_test_files_are_an_option() -> None:
    code = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler
        train = pd.read_csv("input/train.csv")
        test = pd.read_csv("input/test.csv")
        full = pd.concat([train, test])
        scaled = StandardScaler().fit_transform(full[["Age", "Fare"]])
        model = LogisticRegression().fit(scaled[: len(train)], train["Survived"])
        """
    (finding,) = leakage(code)
    assert "holds both training and test rows" in finding.message
    assert leakage(code, options={"HPL403": {"test-files": False}}) == []


def test_state_learned_from_train_and_test_that_no_model_uses_is_silent() -> None:
    # A t-SNE map of all rows, only plotted: nothing learns from it.
    assert leakage(
        """
        import pandas as pd
        from sklearn.manifold import TSNE
        train = pd.read_csv("input/train.csv")
        test = pd.read_csv("input/test.csv")
        full = pd.concat([train, test])
        embedding = TSNE(n_components=2).fit_transform(full[["Age", "Fare"]])
        plt.scatter(embedding[:, 0], embedding[:, 1])
        """
    ) == []


def test_keras_tuner_validated_on_test() -> None:
    (finding,) = leakage(
        """
        import keras_tuner
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        tuner = keras_tuner.RandomSearch(build_model, objective="val_accuracy", max_trials=20)
        tuner.search(X_train, y_train, epochs=5, validation_data=(X_test, y_test))
        """
    )
    assert finding.code == "HPL401" and "tuner" in finding.message


def test_manual_folds_over_data_transformed_outside_them() -> None:
    (finding,) = leakage(
        """
        from sklearn.decomposition import PCA
        from sklearn.model_selection import StratifiedKFold
        from sklearn.linear_model import SGDClassifier
        reduced = PCA(n_components=5).fit_transform(X_train)
        for fold, (tr, va) in enumerate(StratifiedKFold(4).split(X_train, y_train)):
            clf = SGDClassifier().fit(reduced[tr], y_train[tr])
            print(clf.score(reduced[va], y_train[va]))
        """
    )
    assert finding.code == "HPL407" and "`PCA(n_components=5)`" in finding.message
