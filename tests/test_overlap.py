"""HPL410 (hand-made splits sharing rows) and HPL406's stacked shape: messages name both ends."""

from __future__ import annotations

from tests.conftest import lint


def findings(code: str, select: tuple[str, ...] = ("HPL410",)) -> list:
    return lint(code, select=select)


def test_overlapping_literal_ranges_name_the_shared_rows() -> None:
    (finding,) = findings(
        """
        import pandas as pd, sklearn
        df = pd.read_csv("a.csv")
        train = df[:800]
        test = df[700:]
        """
    )
    assert finding.message == (
        "rows 700-800 of `df` are in both `train` (line 4) and `test` (line 5): make the ranges meet at one bound"
    )
    assert finding.span.start.row == 5
    assert [(r.message, r.span.start.row) for r in finding.related] == [("`train` is drawn here", 4)]


def test_symbolic_bounds_on_one_length_variable() -> None:
    (finding,) = findings(
        """
        import numpy as np, sklearn
        def split(X, n, k):
            X_train = X[:n + 10]
            X_test = X[n:]
            return X_train, X_test
        """
    )
    assert finding.message.startswith("rows n to n+10 of `X` are in both `X_train` (line 4)")


def test_disjoint_and_unknown_bounds_are_silent() -> None:
    assert not findings(
        """
        import numpy as np, sklearn
        X_train, X_test = X[:n], X[n:]
        a_train, a_test = A[:n - 5], A[n - 5:]
        b_train, b_test = B[:n], B[m:]
        c_train, c_test = X[:800], Y[700:]
        d_train = df.loc[:"2020"]
        d_test = df.loc["2020":]
        """
    )


def test_two_sample_draws_but_not_after_a_drop() -> None:
    (finding,) = findings(
        """
        import pandas as pd, sklearn
        train = df.sample(frac=0.8, random_state=1)
        test = df.sample(frac=0.2, random_state=2)
        """
    )
    assert "two independent `df.sample(...)` draws" in finding.message
    assert not findings(
        """
        import pandas as pd, sklearn
        train = df.sample(frac=0.8, random_state=1)
        df = df.drop(train.index)
        test = df.sample(frac=0.5, random_state=2)
        """
    )


def test_two_choice_draws_but_not_a_permutation() -> None:
    (finding,) = findings(
        """
        import numpy as np, sklearn
        train_idx = np.random.choice(len(X), 800, replace=False)
        test_idx = np.random.choice(len(X), 200, replace=False)
        """
    )
    assert "two independent `choice(len(X), ...)` draws" in finding.message
    assert not findings(
        """
        import numpy as np, sklearn
        order = np.random.permutation(len(X))
        train_idx, test_idx = order[:800], order[800:]
        """
    )


def test_stacked_test_rows_fitted_then_scored_is_hpl406() -> None:
    (finding,) = findings(
        """
        import numpy as np
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        X_all = np.vstack([X_train, X_test])
        model.fit(X_all, np.concatenate([y_train, y_test]))
        print(model.score(X_test, y_test))
        """,
        select=("HPL406",),
    )
    assert finding.message == (
        "`model` is fitted on `np.vstack([X_train, X_test])` (line 5), which stacks the test part `X_test` of "
        "the split at line 4 into its training rows, and is then scored on it with its labels at line 7: the "
        "test score is measured on rows that were fitted on; stack train and validation only"
    )
    assert [r.span.start.row for r in finding.related] == [5, 7]


def test_transformer_fitted_on_the_stack_feeding_a_scored_model_is_hpl403_only() -> None:
    # One leak, one finding: preprocessing fitted on rows that include the test rows is HPL403's.
    found = findings(
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import MinMaxScaler
        from sklearn.svm import SVC
        train, test = train_test_split(pd.read_csv("d.csv"))
        scaler = MinMaxScaler().fit(pd.concat([train, test])[["a", "b"]])
        svc = SVC(C=1.0).fit(scaler.transform(train[["a", "b"]]), train["y"])
        print(svc.score(scaler.transform(test[["a", "b"]]), test["y"]))
        """,
        select=("HPL403", "HPL406"),
    )
    assert [(f.code, f.span.start.row) for f in found] == [("HPL403", 7)]
    assert "which holds both training and test rows" in found[0].message


def test_unlabelled_competition_test_file_stacked_into_a_scaler_is_silent() -> None:
    # kaggleScape script89: the test file's features stacked into the scaler, only predicted.
    assert not findings(
        """
        import pandas as pd, scipy.sparse
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import accuracy_score
        data = pd.read_csv("../input/train.csv")
        test_data = pd.read_csv("../input/test.csv")
        X_train, X_valid, y_train, y_valid = train_test_split(data.drop(columns="y"), data["y"])
        X_test = test_data.values
        scaler = StandardScaler(with_mean=False)
        scaler.fit(scipy.sparse.vstack((X_train, X_valid, X_test)))
        model = LogisticRegression().fit(scaler.transform(X_train), y_train)
        print(accuracy_score(y_valid, model.predict(scaler.transform(X_valid))))
        submission = model.predict_proba(scaler.transform(X_test))
        """,
        select=("HPL406",),
    )


def test_stacked_test_part_known_only_by_name_is_silent() -> None:
    assert not findings(
        """
        import numpy as np, sklearn
        model.fit(np.vstack([X_train, X_test]), y_all)
        print(model.score(X_test, y_test))
        """,
        select=("HPL406",),
    )


def test_final_refits_are_silent() -> None:
    assert not findings(
        """
        import numpy as np, sklearn
        import pandas as pd, sklearn
        final = model.fit(np.vstack([X_train, X_val]), y)
        print(final.score(X_test, y_test))
        everything = other.fit(pd.concat([train, test]), y)
        """,
        select=("HPL406",),
    )


def test_overlapping_sliding_windows_shuffled_into_train_and_test() -> None:
    (finding,) = findings(
        """
        import numpy as np
        from sklearn.model_selection import train_test_split
        series = np.load("s.npy")
        X = np.array([series[i:i + 10] for i in range(0, len(series) - 10, 2)])
        X_train, X_test = train_test_split(X)
        """
    )
    assert finding.message == (
        "`X` holds windows of 10 rows, one every 2 rows, taken at line 5, and `train_test_split` shuffles them "
        "into train and test: each test window shares 8 rows with its neighbours in training (split the series "
        "in time first, or use a stride of at least the window)"
    )
    assert finding.span.start.row == 6
    assert [r.span.start.row for r in finding.related] == [5]


def test_sliding_windows_split_in_time_or_without_overlap_are_silent() -> None:
    assert not findings(
        """
        import numpy as np
        from sklearn.model_selection import train_test_split
        series = np.load("s.npy")
        X = np.array([series[i:i + 10] for i in range(0, len(series) - 10, 2)])
        X_train, X_test = train_test_split(X, shuffle=False)
        Z = np.array([series[i:i + 10] for i in range(0, len(series) - 10, 10)])
        Z_train, Z_test = train_test_split(Z)
        """
    )
