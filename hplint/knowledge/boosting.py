"""ML API facts: XGBoost, LightGBM and CatBoost — sklearn-style wrappers, their `fit`, and the native
`train`/`cv` entry points whose hyperparameters live in a params dict.

One `Param` describes a hyperparameter under every spelling the library accepts: the wrapper's
sklearn-style name is canonical and the native names are aliases (`learning_rate`/`eta`,
`reg_lambda`/`lambda`, LightGBM's `num_leaves`/`num_leaf`/`max_leaves`). The native `train`/`cv`
functions reuse the same records, so a rule reading `xgb.train({"eta": 0.3}, dtrain)` finds `eta`
through `Api.param` exactly as it finds `XGBClassifier(learning_rate=0.3)`. The number of rounds is
the function's own `num_boost_round` there, with the wrapper spellings as aliases.

Choices: `tree_method`, `device`, `missing`, `enable_categorical`, `eval_metric` and thread counts are
infrastructure; `early_stopping_rounds` is "optimization" (it decides how long training runs);
`objective`/`loss_function` are structural (the task, not a knob). `gamma`, `min_child_weight`,
`subsample`, `colsample_*`, `reg_*`, `min_child_samples`, `min_split_gain`, `l2_leaf_reg`,
`random_strength` and `bagging_temperature` are regularization. Fit arguments that moved between
versions (`early_stopping_rounds`, `eval_metric`, `callbacks`, `verbose` in XGBoost < 2 and
LightGBM < 4 `fit`) are kept: notebooks still pass them there.
"""

from __future__ import annotations

from hplint.knowledge.schema import Api, Param, Range
from hplint.knowledge.vocabulary import (
    AT_LEAST_ONE,
    CAP,
    INFRA,
    NON_NEGATIVE,
    OPT,
    POSITIVE,
    REG,
    UNIT_RIGHT_CLOSED,
    ZERO,
)

FRACTION = UNIT_RIGHT_CLOSED  # sampling ratios


def _data(*names: str) -> tuple[Param, ...]:
    return tuple(Param(n, "data") for n in names)


def _infra(*names: str) -> tuple[Param, ...]:
    return tuple(Param(n, INFRA) for n in names)


def _positional(*params: Param) -> tuple[Param, ...]:
    """The same params, numbered in the order users pass them by position."""
    return tuple(
        Param(p.name, p.kind, i, p.scale, p.key, p.valid, p.off_values, p.off_at_least, p.aliases)
        for i, p in enumerate(params)
    )


# --- XGBoost -------------------------------------------------------------------------------------

XGB_ROUNDS = Param("n_estimators", CAP, key=True, valid=AT_LEAST_ONE)
XGB_PARAMS: tuple[Param, ...] = (
    Param("max_depth", CAP, key=True, valid=Range(0, None)),  # 0 = unlimited with lossguide
    Param("max_leaves", CAP, valid=NON_NEGATIVE),
    Param("max_bin", "tunable", valid=Range(2, None)),
    Param("grow_policy", "tunable"),
    Param("learning_rate", OPT, scale="log", key=True, valid=POSITIVE, aliases=("eta",)),
    Param("booster", "tunable"),
    Param("gamma", REG, valid=NON_NEGATIVE, aliases=("min_split_loss",)),
    Param("min_child_weight", REG, scale="log", valid=NON_NEGATIVE),
    Param("max_delta_step", REG, valid=NON_NEGATIVE),
    Param("subsample", REG, valid=FRACTION),
    Param("sampling_method", "tunable"),
    Param("colsample_bytree", REG, valid=FRACTION),
    Param("colsample_bylevel", REG, valid=FRACTION),
    Param("colsample_bynode", REG, valid=FRACTION),
    Param("reg_alpha", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO, aliases=("alpha",)),
    Param("reg_lambda", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO, aliases=("lambda",)),
    Param("scale_pos_weight", "tunable", valid=POSITIVE),
    Param("num_parallel_tree", CAP, valid=AT_LEAST_ONE),
    Param("max_cat_to_onehot", "tunable"),
    Param("max_cat_threshold", "tunable"),
    Param("multi_strategy", "tunable"),
    Param("rate_drop", REG, valid=Range(0, 1)),  # dart booster
    Param("skip_drop", REG, valid=Range(0, 1)),
    Param("objective", "structural"),
    Param("monotone_constraints", "structural"),
    Param("interaction_constraints", "structural"),
    Param("feature_types", "structural"),
    Param("feature_weights", "structural"),
    Param("num_class", "structural"),
    Param("early_stopping_rounds", OPT, valid=AT_LEAST_ONE),
    Param("random_state", INFRA, aliases=("seed",)),
    Param("n_jobs", INFRA, aliases=("nthread",)),
    Param("verbosity", INFRA, aliases=("silent",)),
    *_infra(
        "tree_method", "device", "missing", "enable_categorical", "eval_metric", "base_score",
        "importance_type", "validate_parameters", "gpu_id", "predictor", "use_label_encoder",
        "max_cached_hist_node", "disable_default_eval_metric",
    ),
    Param("callbacks", "data"),
)
# XGBRF* change defaults, not names: learning_rate 1, subsample/colsample_bynode 0.8.

XGB_FIT = (
    *_positional(Param("X", "data"), Param("y", "data")),
    *_data("sample_weight", "base_margin", "eval_set", "sample_weight_eval_set", "base_margin_eval_set",
           "callbacks"),
    Param("verbose", INFRA),
    Param("xgb_model", "structural"),
    Param("feature_weights", "structural"),
    Param("early_stopping_rounds", OPT, valid=AT_LEAST_ONE),  # fit argument before XGBoost 2.0
    Param("eval_metric", INFRA),  # idem
)
XGB_RANKER_FIT = (*XGB_FIT, *_data("group", "qid", "eval_group", "eval_qid"))


def xgb_wrapper(name: str, fit: tuple[Param, ...] = XGB_FIT, tags: str = "") -> Api:
    qualname = "xgboost." + name
    return Api(
        qualname,
        "estimator",
        params=(XGB_ROUNDS, *XGB_PARAMS),
        aliases=("xgboost.sklearn." + name,),
        methods=(Api(qualname + ".fit", "trainer", params=fit),),
        tags=frozenset({"tree", "boosting", *tags.split()}),
    )


XGB_NATIVE = tuple(p for p in XGB_PARAMS if p.name not in ("early_stopping_rounds", "callbacks"))
XGB_NUM_BOOST_ROUND = Param("num_boost_round", CAP, key=True, valid=AT_LEAST_ONE, aliases=("n_estimators",))
XGB_TRAIN_ARGS = (
    *_positional(Param("params", "data"), Param("dtrain", "data"), XGB_NUM_BOOST_ROUND),
    Param("evals", "data"),
    Param("callbacks", "data"),
    Param("early_stopping_rounds", OPT, valid=AT_LEAST_ONE),
    Param("obj", "structural"),
    Param("custom_metric", "structural", aliases=("feval",)),
    Param("xgb_model", "structural"),
    *_infra("maximize", "evals_result", "verbose_eval"),
)

_XGBOOST = (
    xgb_wrapper("XGBClassifier"),
    xgb_wrapper("XGBRegressor"),
    xgb_wrapper("XGBRanker", XGB_RANKER_FIT),
    xgb_wrapper("XGBRFClassifier", tags="randomized"),
    xgb_wrapper("XGBRFRegressor", tags="randomized"),
    Api(
        "xgboost.train",
        "booster_train",
        params=(*XGB_TRAIN_ARGS, *XGB_NATIVE),
        aliases=("xgboost.training.train",),
        params_dict_position=0,
        params_dict_keyword="params",
        tags=frozenset({"tree", "boosting"}),
    ),
    Api(
        "xgboost.cv",
        "booster_train",
        params=(
            *(p for p in XGB_TRAIN_ARGS if p.name not in ("evals", "xgb_model", "evals_result")),
            *(p for p in XGB_NATIVE if p.name != "random_state"),
            Param("seed", INFRA, aliases=("random_state",)),
            *_infra("nfold", "stratified", "folds", "metrics", "as_pandas", "show_stdv", "shuffle"),
            Param("fpreproc", "structural"),
        ),
        aliases=("xgboost.training.cv",),
        params_dict_position=0,
        params_dict_keyword="params",
        cv_keyword="nfold",
        default_folds=3,
        tags=frozenset({"tree", "boosting", "shuffles"}),
    ),
    Api(
        "xgboost.callback.EarlyStopping",
        "callback",
        params=(
            Param("rounds", OPT, valid=AT_LEAST_ONE),
            Param("min_delta", OPT, valid=NON_NEGATIVE),
            *_infra("metric_name", "data_name", "maximize", "save_best"),
        ),
    ),
)

# --- LightGBM ------------------------------------------------------------------------------------

LGB_ROUNDS_ALIASES = (
    "num_iterations", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds",
    "nrounds", "num_boost_round", "n_estimators", "max_iter",
)
LGB_PARAMS: tuple[Param, ...] = (
    Param("boosting_type", "tunable", aliases=("boosting", "boost")),
    Param("num_leaves", CAP, key=True, valid=Range(2, None),
          aliases=("num_leaf", "max_leaves", "max_leaf", "max_leaf_nodes")),
    Param("max_depth", CAP),  # <= 0 means unlimited, so no range
    Param("learning_rate", OPT, scale="log", key=True, valid=POSITIVE, aliases=("shrinkage_rate", "eta")),
    Param("subsample_for_bin", INFRA, aliases=("bin_construct_sample_cnt",)),
    Param("objective", "structural", aliases=("objective_type", "app", "application", "loss")),
    Param("class_weight", "tunable"),
    Param("min_split_gain", REG, valid=NON_NEGATIVE, aliases=("min_gain_to_split",)),
    Param("min_child_weight", REG, scale="log", valid=NON_NEGATIVE,
          aliases=("min_sum_hessian_in_leaf", "min_sum_hessian_per_leaf", "min_sum_hessian", "min_hessian")),
    Param("min_child_samples", REG, valid=NON_NEGATIVE,
          aliases=("min_data_in_leaf", "min_data_per_leaf", "min_data")),
    Param("subsample", REG, valid=FRACTION, aliases=("bagging_fraction", "sub_row", "bagging")),
    Param("subsample_freq", REG, valid=NON_NEGATIVE, aliases=("bagging_freq",)),
    Param("colsample_bytree", REG, valid=FRACTION, aliases=("feature_fraction", "sub_feature")),
    Param("feature_fraction_bynode", REG, valid=FRACTION, aliases=("sub_feature_bynode", "colsample_bynode")),
    Param("reg_alpha", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO,
          aliases=("lambda_l1", "l1_regularization")),
    Param("reg_lambda", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO,
          aliases=("lambda_l2", "l2_regularization", "lambda")),
    Param("path_smooth", REG, valid=NON_NEGATIVE),
    Param("cat_smooth", REG, valid=NON_NEGATIVE),
    Param("cat_l2", REG, valid=NON_NEGATIVE),
    Param("min_data_per_group", REG),
    Param("max_cat_threshold", "tunable"),
    Param("max_cat_to_onehot", "tunable"),
    Param("max_bin", "tunable", valid=Range(2, None), aliases=("max_bins",)),
    Param("extra_trees", "tunable", aliases=("extra_tree",)),
    Param("linear_tree", "tunable", aliases=("linear_trees",)),
    Param("linear_lambda", REG, valid=NON_NEGATIVE),
    Param("drop_rate", REG, valid=Range(0, 1), aliases=("rate_drop",)),  # dart
    Param("skip_drop", REG, valid=Range(0, 1)),
    Param("max_drop", "tunable"),
    Param("top_rate", "tunable", valid=Range(0, 1)),  # goss
    Param("other_rate", "tunable", valid=Range(0, 1)),
    Param("is_unbalance", "tunable", aliases=("unbalance", "unbalanced_sets")),
    Param("scale_pos_weight", "tunable", valid=POSITIVE),
    Param("alpha", "tunable"),  # huber / quantile parameter, not a penalty (that is lambda_l1)
    Param("num_class", "structural", aliases=("num_classes",)),
    Param("monotone_constraints", "structural", aliases=("mc", "monotone_constraint", "monotonic_cst")),
    Param("categorical_feature", "structural", aliases=("cat_feature", "categorical_column", "cat_column")),
    Param("early_stopping_round", OPT, valid=AT_LEAST_ONE,
          aliases=("early_stopping_rounds", "early_stopping", "n_iter_no_change")),
    Param("random_state", INFRA, aliases=("seed", "random_seed")),
    Param("n_jobs", INFRA, aliases=("num_threads", "num_thread", "nthread", "nthreads")),
    Param("verbose", INFRA, aliases=("verbosity",)),
    Param("metric", INFRA, aliases=("metrics", "metric_types")),
    Param("device_type", INFRA, aliases=("device",)),
    *_infra(
        "importance_type", "force_col_wise", "force_row_wise", "deterministic", "first_metric_only",
        "bagging_seed", "feature_fraction_seed", "data_random_seed", "extra_seed", "drop_seed",
        "gpu_platform_id", "gpu_device_id", "gpu_use_dp", "max_bin_by_feature", "min_data_in_bin",
        "histogram_pool_size", "two_round", "header", "label_column", "metric_freq", "boost_from_average",
        "num_gpu", "use_missing", "zero_as_missing", "feature_pre_filter",
    ),
)

LGB_FIT = (
    *_positional(Param("X", "data"), Param("y", "data")),
    *_data("sample_weight", "init_score", "eval_set", "eval_names", "eval_sample_weight", "eval_init_score",
           "callbacks", "eval_X", "eval_y"),
    Param("eval_metric", INFRA),
    Param("feature_name", "structural"),
    Param("categorical_feature", "structural"),
    Param("init_model", "structural"),
    Param("early_stopping_rounds", OPT, valid=AT_LEAST_ONE),  # fit argument before LightGBM 4.0
    Param("verbose", INFRA),  # idem
)
LGB_CLASSIFIER_FIT = (*LGB_FIT, Param("eval_class_weight", "data"))
LGB_RANKER_FIT = (*LGB_FIT, *_data("group", "eval_group"), Param("eval_at", INFRA))


def lgb_wrapper(name: str, fit: tuple[Param, ...] = LGB_FIT) -> Api:
    qualname = "lightgbm." + name
    return Api(
        qualname,
        "estimator",
        params=(Param("n_estimators", CAP, key=True, valid=AT_LEAST_ONE,
                      aliases=tuple(a for a in LGB_ROUNDS_ALIASES if a != "n_estimators")),
                *LGB_PARAMS),
        aliases=("lightgbm.sklearn." + name,),
        methods=(Api(qualname + ".fit", "trainer", params=fit),),
        tags=frozenset({"tree", "boosting"}),
    )


LGB_NUM_BOOST_ROUND = Param("num_boost_round", CAP, key=True, valid=AT_LEAST_ONE,
                            aliases=tuple(a for a in LGB_ROUNDS_ALIASES if a != "num_boost_round"))
LGB_NATIVE = tuple(p for p in LGB_PARAMS if p.name != "categorical_feature")

_LIGHTGBM = (
    lgb_wrapper("LGBMClassifier", LGB_CLASSIFIER_FIT),
    lgb_wrapper("LGBMRegressor"),
    lgb_wrapper("LGBMRanker", LGB_RANKER_FIT),
    Api(
        "lightgbm.train",
        "booster_train",
        params=(
            *_positional(
                Param("params", "data"), Param("train_set", "data"), LGB_NUM_BOOST_ROUND,
                Param("valid_sets", "data"), Param("valid_names", "data"), Param("feval", "structural"),
                Param("init_model", "structural"), Param("keep_training_booster", INFRA),
                Param("callbacks", "data"),
            ),
            Param("categorical_feature", "structural"),  # train() argument before 4.0
            Param("evals_result", INFRA),
            Param("verbose_eval", INFRA),
            *LGB_NATIVE,
        ),
        aliases=("lightgbm.engine.train",),
        params_dict_position=0,
        params_dict_keyword="params",
        tags=frozenset({"tree", "boosting"}),
    ),
    Api(
        "lightgbm.cv",
        "booster_train",
        params=(
            *_positional(
                Param("params", "data"), Param("train_set", "data"), LGB_NUM_BOOST_ROUND,
                Param("folds", INFRA), Param("nfold", INFRA), Param("stratified", INFRA),
                Param("shuffle", INFRA), Param("metrics", INFRA), Param("feval", "structural"),
                Param("init_model", "structural"), Param("fpreproc", "structural"),
                Param("seed", INFRA), Param("callbacks", "data"), Param("eval_train_metric", INFRA),
                Param("return_cvbooster", INFRA),
            ),
            *(p for p in LGB_NATIVE if p.name not in ("random_state", "metric")),
        ),
        aliases=("lightgbm.engine.cv",),
        params_dict_position=0,
        params_dict_keyword="params",
        cv_keyword="nfold",
        default_folds=5,
        tags=frozenset({"tree", "boosting", "shuffles"}),
    ),
    Api(
        "lightgbm.early_stopping",
        "callback",
        params=_positional(
            Param("stopping_rounds", OPT, valid=AT_LEAST_ONE),
            Param("first_metric_only", INFRA),
            Param("verbose", INFRA),
            Param("min_delta", OPT, valid=NON_NEGATIVE),
        ),
        aliases=("lightgbm.callback.early_stopping",),
    ),
    Api("lightgbm.log_evaluation", "callback",
        params=_positional(Param("period", INFRA), Param("show_stdv", INFRA)),
        aliases=("lightgbm.callback.log_evaluation",)),
    Api("lightgbm.record_evaluation", "callback", params=_positional(Param("eval_result", INFRA)),
        aliases=("lightgbm.callback.record_evaluation",)),
)

# --- CatBoost ------------------------------------------------------------------------------------

CATBOOST_ROUNDS = Param("iterations", CAP, key=True, valid=AT_LEAST_ONE,
                        aliases=("num_boost_round", "n_estimators", "num_trees"))
# The first constructor arguments are positional-or-keyword: `CatBoostClassifier(500, 0.05, 6)`.
CATBOOST_LEADING = _positional(
    CATBOOST_ROUNDS,
    Param("learning_rate", OPT, scale="log", key=True, valid=POSITIVE, aliases=("eta",)),
    Param("depth", CAP, key=True, valid=Range(1, 16), aliases=("max_depth",)),
    Param("l2_leaf_reg", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO, aliases=("reg_lambda",)),
    Param("model_size_reg", REG, valid=NON_NEGATIVE),
    Param("rsm", REG, valid=FRACTION, aliases=("colsample_bylevel",)),
    Param("loss_function", "structural", aliases=("objective",)),
    Param("border_count", "tunable", valid=AT_LEAST_ONE, aliases=("max_bin",)),
)
CATBOOST_PARAMS: tuple[Param, ...] = (
    *CATBOOST_LEADING,
    Param("random_strength", REG, valid=NON_NEGATIVE),
    Param("bagging_temperature", REG, valid=NON_NEGATIVE),
    Param("subsample", REG, valid=FRACTION),
    Param("min_data_in_leaf", REG, valid=NON_NEGATIVE, aliases=("min_child_samples",)),
    Param("max_leaves", CAP, valid=Range(2, None), aliases=("num_leaves",)),
    Param("grow_policy", "tunable"),
    Param("bootstrap_type", "tunable"),
    Param("boosting_type", "tunable"),
    Param("one_hot_max_size", "tunable"),
    Param("max_ctr_complexity", "tunable"),
    Param("leaf_estimation_iterations", "tunable"),
    Param("leaf_estimation_method", "tunable"),
    Param("score_function", "tunable"),
    Param("scale_pos_weight", "tunable", valid=POSITIVE),
    Param("class_weights", "tunable"),
    Param("auto_class_weights", "tunable"),
    Param("mvs_reg", REG),
    Param("model_shrink_rate", REG),
    Param("langevin", "tunable"),
    Param("diffusion_temperature", "tunable"),
    Param("early_stopping_rounds", OPT, valid=AT_LEAST_ONE),
    Param("od_wait", OPT, valid=AT_LEAST_ONE),
    Param("od_type", OPT),
    Param("od_pval", OPT),
    Param("random_seed", INFRA, aliases=("random_state",)),
    Param("thread_count", INFRA, aliases=("n_jobs",)),
    Param("verbose", INFRA, aliases=("verbose_eval",)),
    *_infra(
        "silent", "logging_level", "metric_period", "eval_metric", "custom_metric", "custom_loss",
        "class_names", "train_dir", "allow_writing_files", "task_type", "devices", "nan_mode",
        "use_best_model", "best_model_min_trees", "used_ram_limit", "gpu_ram_part", "save_snapshot",
        "snapshot_file", "snapshot_interval", "name", "boost_from_average", "eval_fraction",
        "counter_calc_method", "approx_on_full_history",
    ),
    *(Param(n, "structural") for n in (
        "cat_features", "text_features", "embedding_features", "ignored_features", "has_time",
        "monotone_constraints", "feature_weights", "classes_count", "target_border",
    )),
)
CATBOOST_FIT = (
    *_positional(Param("X", "data"), Param("y", "data")),
    *_data("sample_weight", "baseline", "eval_set", "graph", "callbacks"),
    *(Param(n, "structural") for n in ("cat_features", "text_features", "embedding_features",
                                       "column_description", "init_model")),
    Param("early_stopping_rounds", OPT, valid=AT_LEAST_ONE),
    *_infra("use_best_model", "verbose", "logging_level", "plot", "plot_file", "verbose_eval",
            "metric_period", "silent", "save_snapshot", "snapshot_file", "snapshot_interval", "log_cout",
            "log_cerr"),
)


CLASSIFIER_ONLY = ("scale_pos_weight", "class_weights", "auto_class_weights", "custom_loss", "class_names",
                   "classes_count")


def catboost_wrapper(name: str) -> Api:
    qualname = "catboost." + name
    classifier = name == "CatBoostClassifier"
    return Api(
        qualname,
        "estimator",
        params=tuple(p for p in CATBOOST_PARAMS if classifier or p.name not in CLASSIFIER_ONLY),
        aliases=("catboost.core." + name,),
        methods=(Api(qualname + ".fit", "trainer", params=CATBOOST_FIT),),
        tags=frozenset({"tree", "boosting"}),
    )


# As params-dict keys of train/cv they have no position.
CATBOOST_DICT_KEYS = tuple(
    Param(p.name, p.kind, None, p.scale, p.key, p.valid, p.off_values, p.off_at_least, p.aliases)
    for p in CATBOOST_PARAMS
    if p.name not in ("iterations", "verbose")
)
CATBOOST_ENTRY = (
    Param("pool", "data", 0, aliases=("dtrain",)),
    Param("params", "data", 1),
    Param("iterations", CAP, key=True, valid=AT_LEAST_ONE, aliases=("num_boost_round", "n_estimators")),
    Param("verbose", INFRA, aliases=("verbose_eval",)),
    Param("plot", INFRA),
    Param("plot_file", INFRA),
)

_CATBOOST = (
    catboost_wrapper("CatBoostClassifier"),
    catboost_wrapper("CatBoostRegressor"),
    catboost_wrapper("CatBoostRanker"),
    Api(
        "catboost.train",
        "booster_train",
        params=(
            *CATBOOST_ENTRY,
            Param("eval_set", "data", aliases=("evals",)),
            Param("init_model", "structural"),
            *(p for p in CATBOOST_DICT_KEYS if p.name not in ("init_model",)),
        ),
        params_dict_position=1,
        params_dict_keyword="params",
        tags=frozenset({"tree", "boosting"}),
    ),
    Api(
        "catboost.cv",
        "booster_train",
        params=(
            *CATBOOST_ENTRY,
            Param("fold_count", INFRA, aliases=("nfold",)),
            Param("seed", INFRA, aliases=("partition_random_seed",)),
            *_infra("inverted", "shuffle", "stratified", "as_pandas", "folds", "type", "return_models",
                    "metric_update_interval"),
            *CATBOOST_DICT_KEYS,
        ),
        params_dict_position=1,
        params_dict_keyword="params",
        cv_keyword="fold_count",
        default_folds=3,
        tags=frozenset({"tree", "boosting", "shuffles"}),
    ),
)

APIS: tuple[Api, ...] = (*_XGBOOST, *_LIGHTGBM, *_CATBOOST)
