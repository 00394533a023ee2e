"""HPL411 (a row split of rows repeated per entity) and HPL405's stacked copies: what counts as
evidence, what silences, and what the messages name."""

from __future__ import annotations

import pytest

from tests.conftest import lint

SCANS = """
import pandas as pd
from sklearn.model_selection import {imports}
scans = pd.read_csv("scans.csv")
X = scans.drop(columns=["diagnosis", "patient_id"])
y = scans["diagnosis"]
{split}
"""


def hpl411(code: str) -> list:
    return lint(code, select=("HPL411",))


def test_row_split_of_scans_names_key_evidence_and_drop() -> None:
    (finding,) = hpl411(SCANS.format(imports="train_test_split",
                                     split="X_train, X_test, y_train, y_test = train_test_split(X, y)"))
    assert finding.message == (
        "`train_test_split` cuts `X`, `y` by row, but `patient_id` identifies a patient with several rows "
        "(the rows are scans by the name `scans`) and is dropped as an identifier at line 5: rows of one "
        "patient end up on both sides of the split; split by patient (`GroupShuffleSplit`/`GroupKFold` "
        "with `groups=`)"
    )
    assert finding.span.start.row == 7
    assert [(r.message, r.span.start.row) for r in finding.related] == [
        ("`patient_id` dropped from the features here", 5)]


@pytest.mark.parametrize("split", [
    "GroupShuffleSplit(n_splits=1).split(X, y, groups=scans['patient_id'])",
    "cross_val_score(LogisticRegression(), X, y, groups=scans['patient_id'], cv=GroupKFold(5))",
    "train_test_split(scans['patient_id'].unique())",
    "train = scans[scans.patient_id.isin(ids)]; train_test_split(X, y)",
    "train_test_split(X, y)\nper_patient = scans.groupby('patient_id').agg({'age': 'max'})",
    "cross_val_score(LogisticRegression(), X, y, cv=TimeSeriesSplit(5))",
])
def test_groups_handled_or_cut_otherwise_is_silent(split: str) -> None:
    imports = ("train_test_split, cross_val_score, GroupKFold, GroupShuffleSplit, TimeSeriesSplit\n"
               "from sklearn.linear_model import LogisticRegression")
    assert hpl411(SCANS.format(imports=imports, split=split)) == []


def test_key_not_dropped_is_a_feature_and_silent() -> None:
    code = SCANS.replace('X = scans.drop(columns=["diagnosis", "patient_id"])', 'X = scans[["patient_id", "age"]]')
    assert hpl411(code.format(imports="train_test_split", split="train_test_split(X, y)")) == []


def test_evidence_needed_depends_on_the_key() -> None:
    template = """
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
{evidence}
X = df.drop(columns=["{key}", "y"])
train_test_split(X, df["y"])
"""
    def fires(key: str, evidence: str) -> bool:
        return bool(hpl411(template.format(key=key, evidence=evidence)))

    # A count shows patients repeat, not customers (Telco's customerID is checked for uniqueness).
    assert fires("patient_id", 'print(df["patient_id"].value_counts())')
    assert not fires("customerID", 'print(df["customerID"].nunique())')
    # nunique() is as often the check that ids are unique per row: no evidence for any key.
    assert not fires("Patient_ID", 'print(df["Patient_ID"].nunique())')
    # A row-preserving groupby shows any id repeats; a bare category-like word needs a record name.
    assert fires("customerID", 'df["n"] = df.groupby("customerID").cumcount()')
    assert not fires("group", 'df["r"] = df.groupby("group")["x"].rank()')
    assert not fires("subject", 'print(df["subject"].value_counts())')
    # Ids unique per row in competitions are no keys.
    assert not fires("PassengerId", 'print(df["PassengerId"].value_counts())')


def test_kfold_split_loop_and_search_default_cv() -> None:
    code = """
import pandas as pd
from sklearn.model_selection import KFold, RandomizedSearchCV
from sklearn.svm import SVC
visits = pd.read_csv("visits.csv")
X = visits.drop(columns=["subject_id", "y"]).values
for tr, va in KFold(5, shuffle=True).split(X):
    pass
search = RandomizedSearchCV(SVC(), {"C": [1, 10]}, cv=3)
search.fit(X, visits["y"])
"""
    messages = [f.message for f in hpl411(code)]
    assert len(messages) == 2
    assert messages[0].startswith("`KFold(...)` cuts `X` by row, but `subject_id` identifies a subject")
    assert messages[1].startswith("`search` (a `RandomizedSearchCV`) with `cv=3` (K-fold) cuts `X`")
    assert "the rows are visits by the file `visits.csv`" in messages[0] or "by the name `visits`" in messages[0]


def hpl405(code: str) -> list:
    return lint(code, select=("HPL405",))


@pytest.mark.parametrize("stack, fires", [
    ("pd.concat([df, minority, minority])", True),
    ("pd.concat([df, df[df.y == 1]])", True),
    ("pd.concat([df, df.sample(frac=0.5)], ignore_index=True)", True),
    ("np.concatenate([X, np.flip(X, 1)])", True),
    ("pd.concat([df, minority], axis=1)", False),
    ("pd.concat([df[df.y == 0], minority])", False),
    ("pd.concat([df, other])", False),
    ("np.hstack([X, X ** 2])", False),
])
def test_stacks_with_copies_of_own_rows_are_resampling(stack: str, fires: bool) -> None:
    code = f"""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("a.csv")
other = pd.read_csv("b.csv")
X = df.values
minority = df[df.y == 1]
data = {stack}
train_test_split(data)
"""
    found = hpl405(code)
    assert bool(found) is fires, found
    if fires:
        assert found[0].message.endswith("which is then split into train and test at line 10: copies of "
                                         "held-out rows end up in the training data")


@pytest.mark.parametrize("join, fires", [
    ("pd.merge(other, both, on='k')", False),
    ("pd.merge(other, both, how='left', on='k')", False),
    ("other.merge(both, on='k')", False),
    ("other.join(both, on='k')", False),
    ("pd.merge_asof(other, both, on='k')", False),
    ("pd.merge(other, both, how='right', on='k')", True),
    ("other.merge(both, how='outer', on='k')", True),
    ("pd.merge(both, other, on='k')", True),
    ("both.merge(other, on='k')", True),
])
def test_a_join_keeps_the_copies_of_the_side_whose_rows_it_keeps(join: str, fires: bool) -> None:
    code = f"""
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("a.csv")
other = pd.read_csv("b.csv")
both = pd.concat([df, df[df.y == 1]])
data = {join}
train_test_split(data)
"""
    assert bool(hpl405(code)) is fires


def test_rows_taken_out_and_stacked_back_are_no_copies() -> None:
    code = """
import pandas as pd
from sklearn.model_selection import train_test_split
train = pd.read_csv("train.csv")
cheap = train[train.price < 1.0]
train = train.drop(cheap.index)
merged = pd.concat([train, cheap])
train_test_split(merged)
"""
    assert hpl405(code) == []


def test_unique_ids_looped_over_do_not_silence_and_named_groupby_counts() -> None:
    code = """
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("vitals.csv")
groups = df.groupby("patient_id")
df["hr_change"] = groups["heart_rate"].diff()
for patient in df["patient_id"].unique():
    print(patient)
print(df["patient_id"].unique())
X = df.drop(columns=["patient_id", "incident"])
train_test_split(X, df["incident"])
"""
    (finding,) = hpl411(code)
    assert '(`groups["heart_rate"].diff()` is grouped row by row at line 6)' in finding.message
