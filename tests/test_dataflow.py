"""The shared data-flow layer: split lineage, fit/score events, selection loops, helper summaries."""

from __future__ import annotations

import textwrap

import libcst as cst

from hplint.analysis.dataflow import FULL, MIXED, TEST, TRAIN, VALIDATION, DataFlow
from hplint.context import FileContext
from hplint.settings import Settings
from hplint.source import from_bytes
from tests.conftest import cyclic_garbage


def flow(code: str, path: str = "train.py") -> tuple[DataFlow, FileContext]:
    source = from_bytes(textwrap.dedent(code).encode(), path, is_notebook=path.endswith(".ipynb"))
    ctx = FileContext(source, cst.parse_module(source.text), Settings(), path, True)
    return ctx.dataflow, ctx


def kinds_by_name(dataflow: DataFlow) -> dict[str, str]:
    return {target.value: value.kind for target, value in dataflow.bound.items()}


def test_train_test_split_outputs_and_nested_validation() -> None:
    dataflow, ctx = flow(
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        df = pd.read_csv("data.csv")
        X, y = df.drop(columns="y"), df["y"]
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        X_fit, X_hold, y_fit, y_hold = train_test_split(X_train, y_train)
        """
    )
    kinds = kinds_by_name(dataflow)
    assert kinds["X"] == FULL
    assert (kinds["X_train"], kinds["X_test"], kinds["y_test"]) == (TRAIN, TEST, TEST)
    # Carved out of the training split: validation, whatever the names say.
    assert (kinds["X_fit"], kinds["X_hold"]) == (TRAIN, VALIDATION)
    first, second = dataflow.splits
    assert first.sources == ("X", "y")
    assert first.outputs == [("X_train", TRAIN), ("X_test", TEST), ("y_train", TRAIN), ("y_test", TEST)]
    assert ctx.line_of(second.node) == 7


def test_fit_events_record_data_kinds_and_roles() -> None:
    dataflow, _ = flow(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        scaler = StandardScaler().fit(X_train)
        model = SVC()
        model.fit(scaler.transform(X_train), y_train)
        print(model.score(scaler.transform(X_test), y_test))
        """
    )
    roles = [(f.role, f.kind, f.receiver) for f in dataflow.fits]
    assert roles == [("preprocessor", TRAIN, "StandardScaler()"), ("estimator", TRAIN, "model")]
    score = [e for e in dataflow.evaluations if e.role == "score"][0]
    assert score.kind == TEST
    assert score.model is dataflow.fits[1].obj


def test_concatenation_of_train_and_test_is_mixed() -> None:
    dataflow, _ = flow(
        """
        import pandas as pd
        train = pd.read_csv("../input/train.csv")
        test = pd.read_csv("../input/test.csv")
        data = pd.concat([train, test])
        """
    )
    kinds = kinds_by_name(dataflow)
    assert kinds["test"] == TEST and kinds["data"] == MIXED


def test_selection_loop_with_compare_pick() -> None:
    dataflow, ctx = flow(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.neighbors import KNeighborsClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        best = 0
        for k in range(1, 20):
            knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
            acc = knn.score(X_test, y_test)
            if acc > best:
                best, best_k = acc, k
        """
    )
    (loop,) = dataflow.selection_loops
    assert loop.kind == "hyperparameter"
    assert [e.kind for e in loop.evaluations] == [TEST]
    assert ctx.line_of(loop.pick) == 9


def test_selection_by_append_then_argmax() -> None:
    dataflow, _ = flow(
        """
        import numpy as np
        from sklearn.linear_model import Ridge
        from sklearn.metrics import r2_score
        scores = []
        for alpha in [0.1, 1.0, 10.0]:
            model = Ridge(alpha=alpha).fit(X_tr, y_tr)
            scores.append(r2_score(y_val, model.predict(X_val)))
        best_alpha = [0.1, 1.0, 10.0][int(np.argmax(scores))]
        """
    )
    (loop,) = dataflow.selection_loops
    assert loop.kind == "hyperparameter"
    assert {e.role for e in loop.evaluations} == {"metric"}


def test_kfold_indices_give_train_and_validation_rows() -> None:
    dataflow, _ = flow(
        """
        from sklearn.model_selection import KFold
        kf = KFold(5)
        for tr, va in kf.split(X):
            X_a, X_b = X[tr], X[va]
        """
    )
    kinds = kinds_by_name(dataflow)
    assert (kinds["X_a"], kinds["X_b"]) == (TRAIN, VALIDATION)


def test_helper_functions_are_interpreted_with_their_arguments() -> None:
    dataflow, _ = flow(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.metrics import accuracy_score
        def evaluate(model, X, y):
            return accuracy_score(y, model.predict(X))
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        result = evaluate(clf, X_test, y_test)
        """
    )
    metric = [e for e in dataflow.evaluations if e.role == "metric"][0]
    assert metric.kind == TEST
    assert dataflow.functions["evaluate"].evaluates_params >= {"X"}


def test_names_alone_are_weak_evidence() -> None:
    dataflow, _ = flow(
        """
        def score(model, X_test, y_test):
            return model.score(X_test, y_test)
        """
    )
    (event,) = dataflow.evaluations
    assert event.kind == TEST
    assert event.test_value is None  # a name is never a finding's basis


def test_slices_with_one_bound_split_the_data() -> None:
    dataflow, _ = flow(
        """
        import pandas as pd
        df = pd.read_csv("d.csv")
        n = int(len(df) * 0.8)
        head = df[:n]
        tail = df[n:]
        """
    )
    kinds = kinds_by_name(dataflow)
    assert (kinds["head"], kinds["tail"]) in ((TRAIN, TEST),)
    assert dataflow.splits[0].method == "slice"


def test_lineage_at_a_program_point() -> None:
    dataflow, ctx = flow(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        X_train, X_test = train_test_split(X)
        X_test = StandardScaler().fit_transform(X_test)
        print(X_test)
        X_test = X_train
        print(X_test)
        """
    )
    first, second = [site.node for site in ctx.semantic.calls if site.written == "print"]
    before, after = dataflow.lineage_at("X_test", first), dataflow.lineage_at("X_test", second)
    assert (before.kind, after.kind) == (TEST, TRAIN)
    assert before.split is dataflow.splits[0] and ctx.line_of(before.split.node) == 4
    assert [f.role for f in before.fits] == ["preprocessor"]


def test_enumerated_kfold_and_concat_of_folds() -> None:
    dataflow, _ = flow(
        """
        import numpy as np
        from sklearn.model_selection import StratifiedKFold
        for fold, (tr, va) in enumerate(StratifiedKFold(5).split(X, y)):
            X_fit, X_hold = X[tr], X[va]
            both = np.concatenate([X_fit, X_hold])
        """
    )
    kinds = kinds_by_name(dataflow)
    assert (kinds["X_fit"], kinds["X_hold"], kinds["both"]) == (TRAIN, VALIDATION, TRAIN)


def test_pipeline_used_as_a_transformer_and_local_dataset_class() -> None:
    dataflow, _ = flow(
        """
        import torch
        from sklearn.compose import ColumnTransformer
        from sklearn.preprocessing import StandardScaler
        prep = ColumnTransformer([("num", StandardScaler(), ["a", "b"])])
        features = prep.fit_transform(df)

        class Rows(torch.utils.data.Dataset):
            def __init__(self, data):
                self.data = data

            def halves(self):
                return torch.utils.data.random_split(self, [0.5, 0.5])

        first, second = Rows(features).halves()
        """
    )
    fit = dataflow.fits[0]
    assert fit.role == "preprocessor" and fit.method == "fit_transform"
    (split,) = dataflow.splits
    assert split.method == "random_split" and fit in split.inputs[0].fits


def test_helper_summary_names_the_parameters_it_trains_on() -> None:
    dataflow, _ = flow(
        """
        from sklearn.model_selection import train_test_split
        from sklearn.svm import SVC
        def train_and_score(model, features, labels, held_features, held_labels):
            model.fit(features, labels)
            return model.score(held_features, held_labels)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        train_and_score(SVC(), X_train, y_train, X_test, y_test)
        """
    )
    summary = dataflow.functions["train_and_score"]
    assert summary.fits_params == {"features", "labels"}
    assert summary.evaluates_params == {"held_features", "held_labels"}


def test_old_splitters_are_iterated_directly() -> None:
    dataflow, _ = flow(
        """
        from sklearn.cross_validation import KFold
        kf = KFold(len(X), n_folds=5)
        for fold, (tr, va) in enumerate(kf):
            X_a, X_b = X[tr], X[va]
        """
    )
    kinds = kinds_by_name(dataflow)
    assert (kinds["X_a"], kinds["X_b"]) == (TRAIN, VALIDATION)


def test_rows_taken_back_out_of_a_concatenation_are_not_mixed() -> None:
    dataflow, _ = flow(
        """
        import pandas as pd
        train = pd.read_csv("train.csv")
        test = pd.read_csv("test.csv")
        n = len(train)
        both = pd.concat([train, test])
        head = both[:n]
        by_index = both.loc[train.index, :]
        by_mask = both[both["is_train"] == 1]
        by_isin = both[both.index.isin(train.index)]
        columns = both[["a", "b"]]
        all_rows = both.loc[:, ["a", "b"]]
        """
    )
    kinds = kinds_by_name(dataflow)
    assert kinds["both"] == MIXED
    # Row selections: which part they take back is not proven, so neither mixed nor known.
    assert {kinds[n] for n in ("head", "by_index", "by_mask", "by_isin")} == {"unknown"}
    # Column selections keep every row.
    assert (kinds["columns"], kinds["all_rows"]) == (MIXED, MIXED)
    assert not dataflow.splits  # `both[:n]` takes a part back out, it does not split


def test_predictions_are_scored_only_when_they_reach_a_metric_or_a_comparison() -> None:
    dataflow, _ = flow(
        """
        import numpy as np
        from sklearn.linear_model import Ridge
        from sklearn.metrics import r2_score
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        model = Ridge().fit(X_train, y_train)
        plotted = model.predict(X_test)
        measured = model.predict(X_test)[:, 0]
        print(r2_score(y_test, measured))
        compared = model.predict(X_test).round()
        accuracy = np.mean(compared == y_test)
        """
    )
    predictions = [e for e in dataflow.evaluations if e.role == "predict"]
    assert [e.scored for e in predictions] == [False, True, True]


def test_function_never_called_sees_the_names_as_defined() -> None:
    dataflow, _ = flow(
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        frame = pd.read_csv("data.csv")

        def experiment():
            part_a, part_b = train_test_split(frame)

        frame[["a"]] = StandardScaler().fit_transform(frame[["a"]])
        """
    )
    (split,) = dataflow.splits
    # Interpreted with `frame` as it was at the `def`, not as the end of the file left it.
    assert not split.inputs[0].fits


def test_label_scores_are_a_fit_only_once_they_pick_columns() -> None:
    # leak-forms: `corr()[label]` scores enter `fits` when they choose columns of data; a ranking
    # of all columns, or the matrix only printed, chooses none.
    dataflow, ctx = flow(
        """
        import pandas as pd
        df = pd.read_csv("d.csv")
        print(df.corr()["y"])
        ordered = df.iloc[:, df.corr()["y"].argsort()]
        scores = df.corr()["y"]
        chosen = df[scores[scores > 0.2].index]
        """
    )
    selections = [fit for fit in dataflow.fits if fit.role == "feature_selector"]
    assert [(fit.method, fit.data_text) for fit in selections] == [("corr", ("df",))]
    assert ctx.line_of(selections[0].node) == 6  # `scores = df.corr()["y"]`


def test_dropped_facts_leave_no_reference_cycle_holding_the_tree() -> None:
    # The facts' objects point at each other (an object and its fits, a K-fold split and the data
    # it selects, an event a loop's second pass updated); dropping them must unlink those, so they
    # and the nodes they hold go with reference counting: the cyclic collector finds nothing.

    code = """
        import pandas as pd
        from sklearn.model_selection import KFold
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        class Model:
            def __init__(self, X):
                self.scaler = StandardScaler().fit(X)
        df = pd.read_csv("data.csv")
        X, y = df.drop(columns="y"), df["y"]
        model = LogisticRegression()
        for train_idx, val_idx in KFold(5).split(X):
            model.fit(X.iloc[train_idx], y.iloc[train_idx])
            print(model.score(X.iloc[val_idx], y.iloc[val_idx]))
        Model(X)
        """
    flow(code)  # reads the literal texts once (cached after)

    def run() -> None:
        dataflow, _ = flow(code)
        assert dataflow.fits and dataflow.updated and any(split.selected for split in dataflow.splits)
        assert any(obj.attributes for obj in dataflow.objects)

    assert cyclic_garbage(run) == set()
