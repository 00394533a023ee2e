"""How data operations move lineage: the methods and functions of pandas, NumPy, PyTorch and the
datasets libraries that the data-flow analysis treats specially (statistics learned from rows, fills,
stacking, readers, picks of a best candidate, saves). They are not ML APIs, so they are not
`Api` records; a new library's data operations are entries here, not branches in the interpreter."""

from __future__ import annotations

import re

# Methods that run a function over the rows or columns of the receiver.
APPLY_FUNCTION_METHODS = frozenset({"apply", "applymap", "map", "transform", "pipe", "agg", "aggregate"})
# Statistics learned from rows (min/max are left out: mostly plot ranges, rarely scaling).
STATISTIC_METHODS = frozenset({"mean", "median", "std", "var", "mode", "quantile", "nanmean", "nanmedian",
                               "nanstd", "average"})
FILL_METHODS = frozenset({"fillna", "replace", "clip", "where", "mask", "interpolate"})
NON_DATA_ATTRS = frozenset({"shape", "columns", "dtypes", "dtype", "ndim", "size", "index", "name",
                            "classes_", "coef_", "feature_importances_", "best_params_", "best_score_",
                            "best_estimator_", "cv_results_", "n_features_in_", "history"})
CONCAT_FUNCTIONS = frozenset({"concat", "vstack", "hstack", "concatenate", "row_stack", "r_", "append",
                              "cat", "ConcatDataset", "concatenate_datasets", "merge"})
READERS = re.compile(r"^(?:read_\w+|load|loadtxt|genfromtxt|fromfile|load_dataset|load_from_disk|open"
                     r"|ImageFolder|DatasetFolder|flow_from_directory|image_dataset_from_directory"
                     r"|text_dataset_from_directory)$")
# Calls that say *which* candidate scored best (an index or a label), not just the best score.
WHICH_PICKS = frozenset({"argmax", "argmin", "nanargmax", "nanargmin", "idxmax", "idxmin"})
# These pick a candidate only with `key=` (`max(scores, key=scores.get)`); `max(scores)` is the best
# score itself, a selection only when it is then looked up (`params[scores.index(max(scores))]`).
KEYED_PICKS = frozenset({"max", "min", "sorted"})
SAVE_CALLS = re.compile(r"(?:^|\.)(?:save|save_model|save_weights|save_pretrained|state_dict|deepcopy|"
                        r"copy|dump|save_checkpoint)$")
# Calls that take an objective function: Optuna's optimize, Hyperopt's fmin, scikit-optimize's
# gp_minimize and friends (Ray Tune's run/Tuner are recognised by their qualified name).
OPTIMIZER_ENTRIES = frozenset({"optimize", "fmin", "gp_minimize", "forest_minimize", "gbrt_minimize",
                               "dummy_minimize"})
# Booster arguments that stop training at the best round on the eval set (CatBoost's use_best_model
# keeps the best iteration).
EARLY_STOPPING_KEYWORDS = ("early_stopping_rounds", "early_stopping_round", "early_stopping", "early_stop",
                           "use_best_model")
EVAL_KEYWORDS = ("eval_set", "valid_sets", "validation_data", "eval_dataset", "evals", "val_dataloaders",
                 "valid_set", "eval_data")
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_resample", "fit_sample", "partial_fit",
                         "fit_generator", "train_on_batch", "fit_predict"})
APPLY_METHODS = frozenset({"transform", "predict", "predict_proba", "predict_log_proba",
                           "decision_function", "inverse_transform", "apply", "kneighbors", "__call__",
                           "generate"})
PREDICT_METHODS = frozenset({"predict", "predict_proba", "predict_log_proba", "decision_function",
                             "predict_generator", "predict_on_batch"})
SCORE_METHODS = frozenset({"score", "evaluate", "evaluate_generator", "test_on_batch"})

MASK_METHODS = frozenset({"isin", "isnull", "notnull", "isna", "notna", "between", "duplicated"})
TIME_WORDS = re.compile(r"date|time|year|month|day|week|hour|period|timestamp|dt$", re.I)
# Names code gives a callable model (`model(x)`, `self.net(x)`, a parameter `classifier`): a call of
# one on data of a known or named kind is a forward pass, a prediction.
MODEL_NAMES = re.compile(r"^(?:\w+_)?(?:model|net|network|classifier|clf|regressor|estimator|predictor|learner)s?$")

# --- leak-groups: calls that copy rows (bootstrap, repeat) ---
# Free functions whose result holds copies of rows of their first argument: split afterwards, copies
# of one row land on both sides. Value: the keyword that must be literally true for copies to be
# made (None: always copies). `sklearn.utils.resample` copies only with replace=True (its default).
ROW_COPYING_FUNCTIONS = {
    "sklearn.utils.resample": "replace",
    "numpy.repeat": None,
}

# --- leak-groups2: stacking a frame with copies of its own rows (duplicated minority, augmentation) ---
# Functions that stack their parts' rows. Value: the keyword (also the second positional argument)
# giving the axis; absent or 0 ("index", "rows") stacks rows, anything else joins columns.
ROW_STACKING_FUNCTIONS = {
    "pandas.concat": "axis",
    "numpy.concatenate": "axis",
    "numpy.vstack": None,
    "numpy.row_stack": None,
    "torch.cat": "dim",
    "torch.concat": "dim",
}
ROW_AXES = frozenset({0, "index", "rows"})
# Functions whose result is its first argument's rows again, transformed one by one (flipped,
# rotated, shifted copies): stacked beside that argument, they are copies of its rows. Any other
# function of it (`librosa.feature.delta(mfcc)`, a derived feature matrix) is new data.
ROW_COPY_FUNCTIONS = frozenset({
    "numpy.flip", "numpy.fliplr", "numpy.flipud", "numpy.rot90", "numpy.roll", "numpy.copy",
    "numpy.array", "numpy.asarray", "torch.flip", "torch.rot90", "torch.roll", "copy.copy", "copy.deepcopy",
})
# Joins: the result has the rows of one side, chosen by `how` (value: the join when `how` is not
# given), with the other side's columns matched to them by key. Copies of rows in a looked-up side
# (features aggregated over an augmented frame, merged back) do not become rows of the result; what
# that side learned (fits, statistics) still flows.
JOIN_FUNCTIONS = {"merge": "inner", "join": "left", "merge_asof": "left", "merge_ordered": "outer"}
JOIN_ROW_SIDES = {"left": (0,), "inner": (0,), "right": (1,), "outer": (0, 1), "cross": (0, 1)}
# Accessors stripped to find the frame a part of a stack is taken from (`df.loc[mask]` -> `df`).
ROW_ACCESSORS = frozenset({"loc", "iloc", "values", "T"})

# --- leak-forms: feature selection by scores (f_classif, correlation with the label) ---
# Roles whose function forms take the data as first parameter and fit on it in the call
# (`scale(X)`, `F, p = f_classif(X, y)`).
FUNCTION_FORM_ROLES = frozenset({"preprocessor", "feature_selector"})
# Learned state that travels with an index: columns chosen by a selector's scores
# (`X[:, np.argsort(F)[-20:]]`, `df[features]`) carry the selection.
INDEX_CARRIED_ROLES = frozenset({"feature_selector"})
# Attributes that name the rows or columns of a result: names picked from scores keep the selection
# (`corr[corr > 0.3].index`), names put in order keep the ranking (`corr.sort_values().index[:10]`).
AXIS_LABEL_ATTRS = frozenset({"index", "columns"})
AXIS_CARRIED_ROLES = frozenset({"feature_selector", "feature_ranking"})
# Scores put in order choose no column (`df.iloc[:, corr.argsort()]` keeps them all) until a
# bounded slice (`order[-20:]`) or one of CHOOSING_METHODS takes some.
RANKING_METHODS = frozenset({"argsort", "sort_values"})
CHOOSING_METHODS = frozenset({"head", "tail"})
# Methods that score each column of the receiver against one column (a label): the result, once
# it picks columns of data, is feature selection fitted on the receiver's rows. Value: how the
# label is given: "argument" (`df.corrwith(df["y"])`), "subscript" (`df.corr()["y"]`: the matrix
# becomes a selection when one column of it is taken).
LABEL_SCORING_METHODS = {"corrwith": "argument", "corr": "subscript"}

# --- leak-forms: formulas whose stateful transforms learn from the rows (patsy) ---
# Formula functions: the position of the formula and of the data. A formula calling one of the
# stateful transforms below learns its statistics from the data: a preprocessor fitted there.
FORMULA_FUNCTIONS = {
    "patsy.dmatrices": (0, 1),
    "patsy.dmatrix": (0, 1),
    "patsy.highlevel.dmatrices": (0, 1),
    "patsy.highlevel.dmatrix": (0, 1),
}
# `center`/`standardize`/`scale` learn means and deviations; `bs`/`cr`/`cc`/`te` place spline
# knots at the data's quantiles. (`C(...)` learns only the levels: like a category encoder.)
FORMULA_STATEFUL_TRANSFORMS = re.compile(r"(?<![\w.])(?:center|standardize|scale|bs|cr|cc|te)\s*\(")
