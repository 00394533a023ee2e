"""ML API facts: scikit-learn, imbalanced-learn resamplers and scikit-optimize's BayesSearchCV.

Parameters are described once, in `_VOCAB`, by the name scikit-learn gives them, and estimators list
the names they accept (checked against the installed signatures by tests/test_knowledge.py). A name
whose meaning differs between estimators (`alpha` is a penalty in Ridge, a smoothing prior in
MultinomialNB, a quantile in GradientBoostingRegressor and a significance level in SelectFpr) is
overridden with an explicit `Param` where it differs.

Classification choices, for the rules that read them:
- Knobs users set to make a run work rather than to tune the model are "infrastructure":
  `random_state, n_jobs, verbose, tol, cache_size, copy*`, `max_iter` of solvers (raised to silence
  ConvergenceWarning, rarely tuned), folds, scoring, `n_iter` of searches, splitter sizes.
  `max_iter` of HistGradientBoosting is the number of trees and so "capacity".
- Limits on tree growth by leaf count (`max_leaf_nodes`) are "capacity" like `max_depth` and
  LightGBM's `num_leaves`; minimum-size and pruning limits are "regularization".
- Positions follow the real signatures: since scikit-learn 0.23 most constructors are keyword-only,
  but a few keep the first argument positional (`RandomForestClassifier(100)`, `Ridge(1.0)`,
  `PCA(10)`, `KFold(5)`, `LogisticRegression(penalty)`).
- Renamed parameters keep the old spelling as an alias (`base_estimator`, `n_iter` of TSNE/SGD,
  `sparse` of OneHotEncoder, `affinity` of AgglomerativeClustering): notebooks use old versions.
- Tags: "randomized" = results depend on the random state; "needs_seed" = an unseeded call makes
  the evaluation itself irreproducible (splits, randomized searches). Splitters whose shuffling is
  opt-in (KFold ...) carry "shuffles" and "needs_seed" but not "randomized": the seed matters only
  with `shuffle=True`. "stateless" = a transformer that learns nothing from the rows it is fitted on
  (Normalizer, Binarizer, hashing): fitting it before a split leaks nothing. "categories" = an encoder that learns only the set of categories (fitting it
  before a split is a much milder leak than fitting a scaler).
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
    UNIT_CLOSED,
    UNIT_LEFT_CLOSED,
    UNIT_OPEN,
    UNIT_RIGHT_CLOSED,
    ZERO,
)


def _infra(*names: str) -> tuple[Param, ...]:
    return tuple(Param(n, INFRA) for n in names)


def _kind(kind: str, *names: str) -> tuple[Param, ...]:
    return tuple(Param(n, kind) for n in names)  # type: ignore[arg-type]


# The meaning most estimators give each parameter name.
_VOCAB: dict[str, Param] = {
    p.name: p
    for p in (
        *_infra(
            "random_state", "n_jobs", "verbose", "tol", "copy", "copy_X", "copy_x", "copy_X_train",
            "warm_start", "cache_size", "max_iter", "pre_dispatch", "error_score", "return_train_score",
            "refit", "scoring", "cv", "memory", "verbose_feature_names_out", "store_cv_results",
            "store_cv_values", "compute_score", "oob_score", "n_iter", "fit_path", "precompute",
            "verbose_interval", "dtype", "sparse_output", "feature_name_combiner", "handle_unknown",
            "input", "encoding", "decode_error", "metric_params", "leaf_size", "algorithm", "probability",
            "break_ties", "decision_function_shape", "shrinking", "eigen_solver", "svd_solver", "gcv_mode",
            "selection", "dual", "validation_fraction", "shuffle", "max_fun", "force_alpha", "optimizer",
            "max_iter_predict", "store_covariance", "clip", "ignore_implicit_zeros",
            "unknown_value", "encoded_missing_value", "keep_empty_features", "skip_complete", "validate",
            "accept_sparse", "check_inverse", "feature_names_out", "kw_args", "inv_kw_args", "alternate_sign",
            "separator", "sparse", "sort", "iterated_power", "n_oversamples", "power_iteration_normalizer",
            "batch_size", "fit_inverse_transform", "remove_zero_eig", "evaluate_every", "total_samples",
            "perp_tol", "mean_change_tol", "max_doc_update_iter", "svd_method", "dense_output",
            "compute_inverse_components", "n_iter_without_progress", "min_grad_norm", "method",
            "path_method", "neighbors_algorithm", "hessian_tol", "modified_tol", "importance_getter",
            "prefit", "n_splits", "n_repeats", "test_size", "train_size", "max_train_size", "gap",
            "n_groups", "transform_input", "sparse_threshold", "flatten_transform", "stack_method",
            "max_trials", "max_skips", "stop_n_inliers", "stop_score", "stop_probability",
            "max_subpopulation", "solver_options", "eps", "jitter", "compute_full_tree",
            "compute_distances", "compute_labels", "store_centers", "alpha_per_target",
            "use_legacy_attributes", "n_candidates", "factor", "resource", "max_resources",
            "min_resources", "aggressive_elimination", "n_points", "optimizer_kwargs", "iid",
            "error_on_new", "features", "add_indicator", "novelty", "order", "include_bias",
            "train_sizes", "exploit_incremental_learning", "return_times", "return_estimator",
            "return_indices", "n_permutations", "response_method", "greater_is_better", "init_size",
            "max_no_improvement", "cluster_all", "bin_seeding", "min_bin_freq", "seeds", "ensemble",
            "sample_size", "max_eps", "predecessor_correction", "cluster_method", "step",
            "average", "zero_division", "normalize", "multioutput", "pos_label", "labels",
        ),
        *_kind(
            "data", "X", "y", "groups", "params", "fit_params", "sample_weight", "stratify", "test_fold",
            "vocabulary", "weights_init", "means_init", "precisions_init", "U_init", "V_init",
            "noise_variance_init", "w_init", "y_true", "y_pred", "y_score", "y_proba",
        ),
        *_kind(
            "structural", "estimator", "estimators", "final_estimator", "regressor", "transformer",
            "func", "inverse_func", "steps", "transformer_list", "transformers", "remainder",
            "param_grid", "param_distributions", "search_spaces", "param_name", "param_range",
            "fit_intercept", "positive", "monotonic_cst", "categorical_features", "interaction_cst",
            "categories", "target_type", "missing_values", "feature_range", "with_mean", "with_std",
            "with_centering", "with_scaling", "priors", "class_prior", "quantile", "strategy", "constant",
            "preprocessor", "tokenizer", "connectivity", "alphas", "n_alphas", "Cs", "l1_ratios",
            "min_categories", "is_data_valid", "is_model_valid", "outlier_label", "min_value",
            "max_value", "score_func", "kernel_params", "fun_args", "thresholds",
        ),
        *_kind(
            "tunable", "criterion", "splitter", "bootstrap", "bootstrap_features", "class_weight", "kernel",
            "degree", "coef0", "loss", "solver", "activation", "weights", "metric", "init", "intercept_scaling",
            "multi_class", "voting", "passthrough", "transformer_weights", "max_bins", "epsilon",
            "contamination", "strip_accents", "lowercase", "stop_words", "token_pattern", "ngram_range",
            "analyzer", "max_df", "min_df", "binary", "norm", "use_idf", "smooth_idf", "sublinear_tf",
            "whiten", "fun", "beta_loss", "doc_topic_prior", "topic_word_prior", "learning_method",
            "rotation", "density", "perplexity", "early_exaggeration", "angle", "k", "percentile", "mode",
            "param", "n_features_to_select", "min_features_to_select", "threshold", "norm_order",
            "direction", "drop", "min_frequency", "max_categories", "n_quantiles", "output_distribution",
            "standardize", "quantile_range", "unit_variance", "interaction_only", "knots", "extrapolation",
            "n_bins", "encode", "quantile_method", "fill_value", "sample_posterior",
            "n_nearest_features", "initial_strategy", "imputation_order", "n_components", "n_clusters",
            "radius", "link", "power", "covariance_type", "init_params", "linkage", "distance_threshold",
            "affinity", "assign_labels", "p", "eigen_tol", "min_samples", "min_cluster_size",
            "cluster_selection_epsilon", "max_cluster_size", "cluster_selection_method",
            "allow_single_cluster", "bandwidth", "branching_factor", "xi", "fit_prior", "binarize",
            "normalize_y", "covariance_estimator", "residual_threshold", "n_subsamples", "alpha_init",
            "lambda_init", "threshold_lambda", "handle_missing", "n_features", "edited_nearest_neighbours",
        ),
        # Model size.
        Param("n_estimators", CAP, valid=AT_LEAST_ONE),
        Param("max_depth", CAP, valid=AT_LEAST_ONE),
        Param("max_leaf_nodes", CAP, valid=Range(2, None)),
        Param("hidden_layer_sizes", CAP),
        Param("n_neighbors", CAP, valid=AT_LEAST_ONE),
        Param("n_nonzero_coefs", CAP),
        Param("n_knots", CAP, valid=Range(2, None)),
        # Restraints.
        Param("C", REG, scale="log", valid=POSITIVE, off_at_least=1e6),
        Param("alpha", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO),
        Param("penalty", REG, off_values=(None, "none")),
        Param("l1_ratio", REG, valid=UNIT_CLOSED),
        Param("min_samples_split", REG, valid=POSITIVE),
        Param("min_samples_leaf", REG, valid=POSITIVE),
        Param("min_weight_fraction_leaf", REG, valid=Range(0, 0.5)),
        Param("max_features", REG),
        Param("min_impurity_decrease", REG, valid=NON_NEGATIVE),
        Param("ccp_alpha", REG, valid=NON_NEGATIVE),
        Param("max_samples", REG),
        Param("subsample", REG, valid=UNIT_RIGHT_CLOSED),
        Param("l2_regularization", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO),
        Param("early_stopping", REG),
        Param("var_smoothing", REG, scale="log", valid=NON_NEGATIVE),
        Param("shrinkage", REG, valid=UNIT_CLOSED),
        Param("reg_param", REG, valid=UNIT_CLOSED),
        Param("reg_covar", REG, scale="log", valid=NON_NEGATIVE),
        Param("nu", REG, valid=UNIT_RIGHT_CLOSED),
        Param("shrink_threshold", REG),
        Param("alpha_W", REG, scale="log", valid=NON_NEGATIVE),
        Param("alpha_H", REG),
        Param("ridge_alpha", REG, scale="log", valid=NON_NEGATIVE),
        Param("reg", REG, scale="log"),
        Param("smooth", REG),
        Param("alpha_1", "tunable", scale="log"),
        Param("alpha_2", "tunable", scale="log"),
        Param("lambda_1", "tunable", scale="log"),
        Param("lambda_2", "tunable", scale="log"),
        # Training.
        Param("learning_rate", OPT, scale="log", valid=POSITIVE),
        Param("learning_rate_init", OPT, scale="log", valid=POSITIVE),
        Param("eta0", OPT, scale="log", valid=NON_NEGATIVE),
        Param("power_t", OPT),
        Param("momentum", OPT, valid=UNIT_CLOSED),
        Param("nesterovs_momentum", OPT),
        Param("beta_1", OPT, valid=UNIT_LEFT_CLOSED),
        Param("beta_2", OPT, valid=UNIT_LEFT_CLOSED),
        Param("n_iter_no_change", OPT, valid=AT_LEAST_ONE),
        # Restart counts trade compute for robustness (like max_iter), they are not tuned.
        Param("n_init", INFRA),
        Param("n_restarts_optimizer", INFRA),
        Param("learning_decay", OPT),
        Param("learning_offset", OPT),
        Param("gamma", "tunable", scale="log", valid=NON_NEGATIVE),
        Param("sampling_strategy", "tunable"),
        Param("k_neighbors", "tunable", valid=AT_LEAST_ONE),
        Param("m_neighbors", "tunable"),
    )
}

# Overrides of `_VOCAB` where an estimator gives a name another meaning.
SCHEDULE = Param("learning_rate", "tunable")  # SGD/MLP: a schedule name ("optimal", "adaptive")
HGB_MAX_ITER = Param("max_iter", CAP, valid=AT_LEAST_ONE)  # HistGradientBoosting: number of trees
HGB_MAX_FEATURES = Param("max_features", REG, valid=UNIT_RIGHT_CLOSED)
QUANTILE_ALPHA = Param("alpha", "tunable", valid=UNIT_OPEN)  # GradientBoostingRegressor huber/quantile
SIGNIFICANCE_ALPHA = Param("alpha", "tunable", valid=UNIT_RIGHT_CLOSED)  # SelectFpr/Fdr/Fwe
SMOOTHING_ALPHA = Param("alpha", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO)  # naive Bayes
NOISE_ALPHA = Param("alpha", REG, scale="log", valid=NON_NEGATIVE)  # GaussianProcessRegressor jitter
HDBSCAN_ALPHA = Param("alpha", "tunable")
TSNE_LEARNING_RATE = Param("learning_rate", "tunable")  # "auto" or 10..1000
TSNE_MAX_ITER = Param("max_iter", OPT, aliases=("n_iter",))
PA_C = Param("C", REG, scale="log", valid=POSITIVE)  # PassiveAggressive: step size cap, no "off"
NMF_ALPHA_H = Param("alpha_H", REG)
VECTORIZER_MAX_FEATURES = Param("max_features", CAP)  # vocabulary size
FEATURE_LIMIT = Param("max_features", "tunable")  # SelectFromModel
POLY_DEGREE = Param("degree", CAP, valid=AT_LEAST_ONE)
TREE_MAX_SAMPLES = Param("max_samples", REG)
ISOLATION_MAX_SAMPLES = Param("max_samples", "tunable")
BAGGING_MAX_FEATURES = Param("max_features", REG)
DBSCAN_EPS = Param("eps", "tunable", valid=POSITIVE)
RP_EPS = Param("eps", "tunable", valid=UNIT_OPEN)
LOG_GAMMA = _VOCAB["gamma"]
SPECTRAL_N_COMPONENTS = Param("n_components", "tunable")
MIXTURE_COMPONENTS = Param("n_components", CAP, valid=AT_LEAST_ONE)
ESTIMATOR = Param("estimator", "structural", aliases=("base_estimator",))
KNN_FOR_SAMPLER = Param("n_neighbors", "tunable")
SVR_EPSILON = Param("epsilon", "tunable", valid=NON_NEGATIVE)
HUBER_EPSILON = Param("epsilon", "tunable", valid=Range(1, None))
ADAM_EPSILON = Param("epsilon", INFRA)  # MLP's Adam numerical-stability term
SGD_MAX_ITER = Param("max_iter", INFRA, aliases=("n_iter",))
ONEHOT_SPARSE = Param("sparse_output", INFRA, aliases=("sparse",))
AGGLO_METRIC = Param("metric", "tunable", aliases=("affinity",))
FOLDS = Param("cv", INFRA)
SPLITS = Param("n_splits", INFRA, valid=Range(2, None))
SHUFFLE_SPLITS = Param("n_splits", INFRA, valid=AT_LEAST_ONE)  # one random split is valid
TEST_SIZE = Param("test_size", INFRA, valid=UNIT_OPEN)  # floats only; ints are counts
TRAIN_SIZE = Param("train_size", INFRA, valid=UNIT_OPEN)
SEARCH_N_ITER = Param("n_iter", INFRA, valid=AT_LEAST_ONE)
ADA_ALGORITHM = Param("algorithm", INFRA)
SAMPLE_COUNT = Param("subsample", INFRA)  # QuantileTransformer/KBinsDiscretizer: rows used to fit quantiles


def _with(p: Param, position: int | None, key: bool) -> Param:
    # `dataclasses.replace` is several times slower; this module is built at every hplint start.
    return Param(p.name, p.kind, position, p.scale, key, p.valid, p.off_values, p.off_at_least, p.aliases)


def api(
    qualname: str,
    role: str,
    names: str = "",
    *overrides: Param,
    positional: str = "",
    key: str = "",
    tags: str = "",
    aliases: tuple[str, ...] = (),
    **fields: object,
) -> Api:
    """An `Api` whose parameters are `names` (space-separated `_VOCAB` entries) and `overrides`.

    `positional` lists, in order, the parameters users may pass by position; `key` the ones worth a
    warning when left at the default.
    """
    by_name = {p.name: p for p in overrides}
    params: list[Param] = []
    for name in names.split():
        params.append(by_name.pop(name, None) or _VOCAB[name])
    params.extend(by_name.values())
    positions = {name: i for i, name in enumerate(positional.split())}
    keys = set(key.split())
    params = [
        _with(p, positions.get(p.name, p.position), p.key or p.name in keys)
        if p.name in positions or p.name in keys
        else p
        for p in params
    ]
    return Api(
        qualname,
        role,  # type: ignore[arg-type]
        params=tuple(params),
        aliases=aliases,
        tags=frozenset(tags.split()),
        **fields,  # type: ignore[arg-type]
    )


def est(qualname: str, names: str, *overrides: Param, **kw: object) -> Api:
    return api(qualname, "estimator", names, *overrides, **kw)  # type: ignore[arg-type]


def pre(qualname: str, names: str = "", *overrides: Param, **kw: object) -> Api:
    return api(qualname, "preprocessor", names, *overrides, **kw)  # type: ignore[arg-type]


def sel(qualname: str, names: str, *overrides: Param, **kw: object) -> Api:
    return api(qualname, "feature_selector", names, *overrides, **kw)  # type: ignore[arg-type]


LM = "sklearn.linear_model."
EN = "sklearn.ensemble."
TREE = (
    "criterion max_depth min_samples_split min_samples_leaf min_weight_fraction_leaf max_features "
    "max_leaf_nodes min_impurity_decrease ccp_alpha monotonic_cst random_state"
)
DECISION_TREE = "splitter " + TREE
FOREST = "n_estimators " + TREE + " bootstrap oob_score n_jobs verbose warm_start max_samples"
GRADIENT_BOOSTING = (
    "loss learning_rate n_estimators subsample criterion min_samples_split min_samples_leaf "
    "min_weight_fraction_leaf max_depth min_impurity_decrease init random_state max_features verbose "
    "max_leaf_nodes warm_start validation_fraction n_iter_no_change tol ccp_alpha"
)
HIST_GRADIENT_BOOSTING = (
    "loss learning_rate max_iter max_leaf_nodes max_depth min_samples_leaf l2_regularization "
    "max_features max_bins categorical_features monotonic_cst interaction_cst warm_start early_stopping "
    "scoring validation_fraction n_iter_no_change tol verbose random_state"
)
BAGGING = (
    "estimator n_estimators max_samples max_features bootstrap bootstrap_features oob_score warm_start "
    "n_jobs random_state verbose"
)
SGD = (
    "loss penalty alpha l1_ratio fit_intercept max_iter tol shuffle verbose epsilon n_jobs random_state "
    "learning_rate eta0 power_t early_stopping validation_fraction n_iter_no_change warm_start average"
)
GLM = "alpha fit_intercept solver max_iter tol warm_start verbose"
SVM_KERNEL = "kernel degree gamma coef0"
KNN = "n_neighbors weights algorithm leaf_size p metric metric_params n_jobs"
MLP = (
    "hidden_layer_sizes activation solver alpha batch_size learning_rate learning_rate_init power_t "
    "max_iter shuffle random_state tol verbose warm_start momentum nesterovs_momentum early_stopping "
    "validation_fraction beta_1 beta_2 epsilon n_iter_no_change max_fun"
)
NAIVE_BAYES = "alpha force_alpha fit_prior class_prior"
VECTORIZER = (
    "input encoding decode_error strip_accents lowercase preprocessor tokenizer stop_words token_pattern "
    "ngram_range analyzer binary dtype"
)
TFIDF = "norm use_idf smooth_idf sublinear_tf"
SPLIT_SIZES = "n_splits test_size train_size random_state"
SEARCH = {"estimator_position": 0, "space_position": 1, "cv_keyword": "cv", "default_folds": 5}
CV_SCORER = {"estimator_position": 0, "cv_keyword": "cv", "default_folds": 5}
WRAPS = {"estimator_position": 0}

_ESTIMATORS = (
    # --- linear models ---
    est(LM + "LinearRegression", "fit_intercept copy_X tol n_jobs positive", tags="linear"),
    est(LM + "Ridge", "alpha fit_intercept copy_X max_iter tol solver positive random_state",
        positional="alpha", key="alpha", tags="linear"),
    est(LM + "RidgeCV", "alphas fit_intercept scoring cv gcv_mode store_cv_results alpha_per_target",
        FOLDS, positional="alphas", tags="linear", cv_keyword="cv"),
    est(LM + "RidgeClassifier",
        "alpha fit_intercept copy_X max_iter tol class_weight solver positive random_state",
        positional="alpha", key="alpha", tags="linear"),
    est(LM + "RidgeClassifierCV", "alphas fit_intercept scoring cv class_weight store_cv_results",
        positional="alphas", tags="linear", cv_keyword="cv"),
    est(LM + "Lasso",
        "alpha fit_intercept precompute copy_X max_iter tol warm_start positive random_state selection",
        positional="alpha", key="alpha", tags="linear"),
    est(LM + "LassoCV",
        "eps n_alphas alphas fit_intercept precompute max_iter tol copy_X cv verbose n_jobs positive "
        "random_state selection", tags="linear", cv_keyword="cv", default_folds=5),
    est(LM + "ElasticNet",
        "alpha l1_ratio fit_intercept precompute max_iter copy_X tol warm_start positive random_state "
        "selection", positional="alpha", key="alpha l1_ratio", tags="linear"),
    est(LM + "ElasticNetCV",
        "l1_ratio eps n_alphas alphas fit_intercept precompute max_iter tol cv copy_X verbose n_jobs "
        "positive random_state selection",
        Param("l1_ratio", "structural"),  # a list to search over, not one value
        tags="linear", cv_keyword="cv", default_folds=5),
    est(LM + "LogisticRegression",
        "penalty C l1_ratio dual tol fit_intercept intercept_scaling class_weight random_state solver "
        "max_iter verbose warm_start n_jobs multi_class",
        positional="penalty", key="C", tags="linear"),
    est(LM + "LogisticRegressionCV",
        "Cs l1_ratios fit_intercept cv dual penalty scoring solver tol max_iter class_weight n_jobs "
        "verbose refit intercept_scaling random_state use_legacy_attributes multi_class",
        tags="linear", cv_keyword="cv", default_folds=5),
    est(LM + "SGDClassifier", SGD + " class_weight", SCHEDULE, SGD_MAX_ITER,
        positional="loss", key="alpha", tags="linear randomized"),
    est(LM + "SGDRegressor", SGD.replace(" n_jobs", ""), SCHEDULE, SGD_MAX_ITER,
        positional="loss", key="alpha", tags="linear randomized"),
    est(LM + "Perceptron",
        "penalty alpha l1_ratio fit_intercept max_iter tol shuffle verbose eta0 n_jobs random_state "
        "early_stopping validation_fraction n_iter_no_change class_weight warm_start",
        SGD_MAX_ITER, tags="linear randomized"),
    est(LM + "PassiveAggressiveClassifier",
        "C fit_intercept max_iter tol early_stopping validation_fraction n_iter_no_change shuffle verbose "
        "loss n_jobs random_state warm_start class_weight average", PA_C, tags="linear"),
    est(LM + "PassiveAggressiveRegressor",
        "C fit_intercept max_iter tol early_stopping validation_fraction n_iter_no_change shuffle verbose "
        "loss epsilon random_state warm_start average", PA_C, tags="linear"),
    est(LM + "HuberRegressor", "epsilon max_iter alpha warm_start fit_intercept tol", HUBER_EPSILON,
        key="epsilon", tags="linear"),
    est(LM + "BayesianRidge",
        "max_iter tol alpha_1 alpha_2 lambda_1 lambda_2 alpha_init lambda_init compute_score "
        "fit_intercept copy_X verbose", tags="linear"),
    est(LM + "ARDRegression",
        "max_iter tol alpha_1 alpha_2 lambda_1 lambda_2 compute_score threshold_lambda fit_intercept "
        "copy_X verbose", tags="linear"),
    est(LM + "Lars", "fit_intercept verbose precompute n_nonzero_coefs eps copy_X fit_path jitter "
        "random_state", tags="linear"),
    est(LM + "LassoLars", "alpha fit_intercept verbose precompute max_iter eps copy_X fit_path positive "
        "jitter random_state", positional="alpha", key="alpha", tags="linear"),
    est(LM + "OrthogonalMatchingPursuit", "n_nonzero_coefs tol fit_intercept precompute", tags="linear"),
    est(LM + "QuantileRegressor", "quantile alpha fit_intercept solver solver_options",
        Param("solver", INFRA), tags="linear"),
    est(LM + "PoissonRegressor", GLM, key="alpha", tags="linear"),
    est(LM + "GammaRegressor", GLM, key="alpha", tags="linear"),
    est(LM + "TweedieRegressor", "power " + GLM + " link", key="alpha", tags="linear"),
    est(LM + "RANSACRegressor",
        "estimator min_samples residual_threshold is_data_valid is_model_valid max_trials max_skips "
        "stop_n_inliers stop_score stop_probability loss random_state",
        ESTIMATOR, positional="estimator", tags="linear randomized", **WRAPS),
    est(LM + "TheilSenRegressor", "fit_intercept max_subpopulation n_subsamples max_iter tol random_state "
        "n_jobs verbose", tags="linear randomized"),
    # --- trees and ensembles ---
    est("sklearn.tree.DecisionTreeClassifier", DECISION_TREE + " class_weight", key="max_depth",
        tags="tree"),
    est("sklearn.tree.DecisionTreeRegressor", DECISION_TREE, key="max_depth", tags="tree"),
    est("sklearn.tree.ExtraTreeClassifier", DECISION_TREE + " class_weight", key="max_depth",
        tags="tree randomized"),
    est("sklearn.tree.ExtraTreeRegressor", DECISION_TREE, key="max_depth", tags="tree randomized"),
    est(EN + "RandomForestClassifier", FOREST + " class_weight", positional="n_estimators",
        key="n_estimators max_depth", tags="tree randomized"),
    est(EN + "RandomForestRegressor", FOREST, positional="n_estimators", key="n_estimators max_depth",
        tags="tree randomized"),
    est(EN + "ExtraTreesClassifier", FOREST + " class_weight", positional="n_estimators",
        key="n_estimators max_depth", tags="tree randomized"),
    est(EN + "ExtraTreesRegressor", FOREST, positional="n_estimators", key="n_estimators max_depth",
        tags="tree randomized"),
    est(EN + "RandomTreesEmbedding",
        "n_estimators max_depth min_samples_split min_samples_leaf min_weight_fraction_leaf "
        "max_leaf_nodes min_impurity_decrease sparse_output n_jobs random_state verbose warm_start",
        positional="n_estimators", tags="tree randomized unsupervised"),
    est(EN + "GradientBoostingClassifier", GRADIENT_BOOSTING,
        key="n_estimators learning_rate", tags="tree boosting"),
    est(EN + "GradientBoostingRegressor", GRADIENT_BOOSTING + " alpha", QUANTILE_ALPHA,
        key="n_estimators learning_rate", tags="tree boosting"),
    est(EN + "HistGradientBoostingClassifier", HIST_GRADIENT_BOOSTING + " class_weight",
        HGB_MAX_ITER, HGB_MAX_FEATURES, positional="loss", key="learning_rate max_iter",
        tags="tree boosting"),
    est(EN + "HistGradientBoostingRegressor", HIST_GRADIENT_BOOSTING + " quantile",
        HGB_MAX_ITER, HGB_MAX_FEATURES, positional="loss", key="learning_rate max_iter",
        tags="tree boosting"),
    est(EN + "AdaBoostClassifier", "estimator n_estimators learning_rate random_state algorithm",
        ESTIMATOR, ADA_ALGORITHM, positional="estimator", key="n_estimators learning_rate",
        tags="boosting", **WRAPS),
    est(EN + "AdaBoostRegressor", "estimator n_estimators learning_rate loss random_state",
        ESTIMATOR, positional="estimator", key="n_estimators learning_rate", tags="boosting", **WRAPS),
    est(EN + "BaggingClassifier", BAGGING, ESTIMATOR, positional="estimator n_estimators",
        key="n_estimators", tags="randomized", **WRAPS),
    est(EN + "BaggingRegressor", BAGGING, ESTIMATOR, positional="estimator n_estimators",
        key="n_estimators", tags="randomized", **WRAPS),
    est(EN + "VotingClassifier", "estimators voting weights n_jobs flatten_transform verbose",
        positional="estimators"),
    est(EN + "VotingRegressor", "estimators weights n_jobs verbose", positional="estimators"),
    est(EN + "StackingClassifier", "estimators final_estimator cv stack_method n_jobs passthrough verbose",
        positional="estimators final_estimator", cv_keyword="cv", default_folds=5),
    est(EN + "StackingRegressor", "estimators final_estimator cv n_jobs passthrough verbose",
        positional="estimators final_estimator", cv_keyword="cv", default_folds=5),
    est(EN + "IsolationForest",
        "n_estimators max_samples contamination max_features bootstrap n_jobs random_state verbose "
        "warm_start", ISOLATION_MAX_SAMPLES, key="contamination", tags="tree randomized unsupervised"),
    # --- support vector machines ---
    est("sklearn.svm.SVC",
        "C " + SVM_KERNEL + " shrinking probability tol cache_size class_weight verbose max_iter "
        "decision_function_shape break_ties random_state", key="C gamma"),
    est("sklearn.svm.SVR", SVM_KERNEL + " tol C epsilon shrinking cache_size verbose max_iter",
        SVR_EPSILON, key="C gamma"),
    est("sklearn.svm.NuSVC",
        "nu " + SVM_KERNEL + " shrinking probability tol cache_size class_weight verbose max_iter "
        "decision_function_shape break_ties random_state", key="nu gamma"),
    est("sklearn.svm.NuSVR", "nu C " + SVM_KERNEL + " shrinking tol cache_size verbose max_iter",
        key="C gamma"),
    est("sklearn.svm.LinearSVC",
        "penalty loss dual tol C multi_class fit_intercept intercept_scaling class_weight verbose "
        "random_state max_iter", positional="penalty loss", key="C", tags="linear"),
    est("sklearn.svm.LinearSVR",
        "epsilon tol C loss fit_intercept intercept_scaling dual verbose random_state max_iter",
        SVR_EPSILON, key="C", tags="linear"),
    est("sklearn.svm.OneClassSVM", SVM_KERNEL + " tol nu shrinking cache_size verbose max_iter",
        key="nu gamma", tags="unsupervised"),
    # --- neighbours ---
    est("sklearn.neighbors.KNeighborsClassifier", KNN, positional="n_neighbors", key="n_neighbors"),
    est("sklearn.neighbors.KNeighborsRegressor", KNN, positional="n_neighbors", key="n_neighbors"),
    est("sklearn.neighbors.RadiusNeighborsClassifier",
        "radius weights algorithm leaf_size p metric outlier_label metric_params n_jobs",
        positional="radius", key="radius"),
    est("sklearn.neighbors.RadiusNeighborsRegressor",
        "radius weights algorithm leaf_size p metric metric_params n_jobs",
        positional="radius", key="radius"),
    est("sklearn.neighbors.NearestNeighbors",
        "n_neighbors radius algorithm leaf_size metric p metric_params n_jobs", tags="unsupervised"),
    est("sklearn.neighbors.NearestCentroid", "metric shrink_threshold priors", positional="metric"),
    est("sklearn.neighbors.LocalOutlierFactor",
        "n_neighbors algorithm leaf_size metric p metric_params contamination novelty n_jobs",
        positional="n_neighbors", key="n_neighbors", tags="unsupervised"),
    # --- naive Bayes, discriminant analysis, kernels, Gaussian processes ---
    est("sklearn.naive_bayes.GaussianNB", "priors var_smoothing"),
    est("sklearn.naive_bayes.MultinomialNB", NAIVE_BAYES, SMOOTHING_ALPHA, key="alpha"),
    est("sklearn.naive_bayes.BernoulliNB", NAIVE_BAYES + " binarize", SMOOTHING_ALPHA, key="alpha"),
    est("sklearn.naive_bayes.ComplementNB", NAIVE_BAYES + " norm", SMOOTHING_ALPHA, key="alpha"),
    est("sklearn.naive_bayes.CategoricalNB", NAIVE_BAYES + " min_categories", SMOOTHING_ALPHA,
        key="alpha"),
    est("sklearn.discriminant_analysis.LinearDiscriminantAnalysis",
        "solver shrinkage priors n_components store_covariance tol covariance_estimator",
        positional="solver shrinkage priors n_components store_covariance tol covariance_estimator",
        tags="linear"),
    est("sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis",
        "solver shrinkage priors reg_param store_covariance tol covariance_estimator"),
    est("sklearn.kernel_ridge.KernelRidge", "alpha kernel gamma degree coef0 kernel_params",
        positional="alpha", key="alpha"),
    est("sklearn.gaussian_process.GaussianProcessClassifier",
        "kernel optimizer n_restarts_optimizer max_iter_predict warm_start copy_X_train random_state "
        "multi_class n_jobs", positional="kernel"),
    est("sklearn.gaussian_process.GaussianProcessRegressor",
        "kernel alpha optimizer n_restarts_optimizer normalize_y copy_X_train n_targets random_state",
        NOISE_ALPHA, Param("n_targets", "structural"), positional="kernel"),
    est("sklearn.cross_decomposition.PLSRegression", "n_components scale max_iter tol copy",
        Param("scale", "tunable"), positional="n_components", key="n_components"),
    est("sklearn.isotonic.IsotonicRegression", "y_min y_max increasing out_of_bounds",
        Param("y_min", "structural"), Param("y_max", "structural"), Param("increasing", "structural"),
        Param("out_of_bounds", INFRA)),
    # --- neural network ---
    est("sklearn.neural_network.MLPClassifier", MLP, SCHEDULE, ADAM_EPSILON,
        positional="hidden_layer_sizes activation", key="hidden_layer_sizes alpha", tags="network"),
    est("sklearn.neural_network.MLPRegressor", "loss " + MLP, SCHEDULE, ADAM_EPSILON,
        positional="loss hidden_layer_sizes activation", key="hidden_layer_sizes alpha", tags="network"),
    est("sklearn.neural_network.BernoulliRBM",
        "n_components learning_rate batch_size n_iter verbose random_state",
        Param("n_components", CAP), Param("n_iter", OPT), positional="n_components",
        tags="network unsupervised"),
    # --- clustering and mixtures ---
    est("sklearn.cluster.KMeans", "n_clusters init n_init max_iter tol verbose random_state copy_x "
        "algorithm", positional="n_clusters", key="n_clusters", tags="unsupervised randomized"),
    est("sklearn.cluster.MiniBatchKMeans",
        "n_clusters init max_iter batch_size verbose compute_labels random_state tol max_no_improvement "
        "init_size n_init reassignment_ratio", Param("reassignment_ratio", INFRA),
        positional="n_clusters", key="n_clusters", tags="unsupervised randomized"),
    est("sklearn.cluster.BisectingKMeans",
        "n_clusters init n_init random_state max_iter verbose tol copy_x algorithm bisecting_strategy",
        Param("bisecting_strategy", "tunable"), positional="n_clusters", key="n_clusters",
        tags="unsupervised randomized"),
    est("sklearn.cluster.DBSCAN", "eps min_samples metric metric_params algorithm leaf_size p n_jobs",
        DBSCAN_EPS, positional="eps", key="eps min_samples", tags="unsupervised"),
    est("sklearn.cluster.HDBSCAN",
        "min_cluster_size min_samples cluster_selection_epsilon max_cluster_size metric metric_params "
        "alpha algorithm leaf_size n_jobs cluster_selection_method allow_single_cluster store_centers "
        "copy", HDBSCAN_ALPHA,
        positional="min_cluster_size min_samples cluster_selection_epsilon max_cluster_size metric "
        "metric_params alpha algorithm leaf_size n_jobs cluster_selection_method allow_single_cluster "
        "store_centers copy", key="min_cluster_size", tags="unsupervised"),
    est("sklearn.cluster.AgglomerativeClustering",
        "n_clusters metric memory connectivity compute_full_tree linkage distance_threshold "
        "compute_distances", AGGLO_METRIC, positional="n_clusters", key="n_clusters", tags="unsupervised"),
    est("sklearn.cluster.SpectralClustering",
        "n_clusters eigen_solver n_components random_state n_init gamma affinity n_neighbors eigen_tol "
        "assign_labels degree coef0 kernel_params n_jobs verbose", Param("n_neighbors", "tunable"),
        positional="n_clusters", key="n_clusters", tags="unsupervised randomized"),
    est("sklearn.cluster.MeanShift",
        "bandwidth seeds bin_seeding min_bin_freq cluster_all n_jobs max_iter", key="bandwidth",
        tags="unsupervised"),
    est("sklearn.cluster.Birch", "threshold branching_factor n_clusters compute_labels",
        tags="unsupervised"),
    est("sklearn.cluster.OPTICS",
        "min_samples max_eps metric p metric_params cluster_method eps xi predecessor_correction "
        "min_cluster_size algorithm leaf_size memory n_jobs", key="min_samples", tags="unsupervised"),
    est("sklearn.cluster.AffinityPropagation",
        "damping max_iter convergence_iter copy preference affinity verbose random_state",
        Param("damping", "tunable", valid=Range(0.5, 1, True, False)), Param("convergence_iter", INFRA),
        Param("preference", "tunable"), tags="unsupervised"),
    est("sklearn.mixture.GaussianMixture",
        "n_components covariance_type tol reg_covar max_iter n_init init_params weights_init means_init "
        "precisions_init random_state warm_start verbose verbose_interval", MIXTURE_COMPONENTS,
        positional="n_components", key="n_components", tags="unsupervised randomized"),
    est("sklearn.mixture.BayesianGaussianMixture",
        "n_components covariance_type tol reg_covar max_iter n_init init_params "
        "weight_concentration_prior_type weight_concentration_prior random_state warm_start verbose "
        "verbose_interval", MIXTURE_COMPONENTS, Param("weight_concentration_prior_type", "tunable"),
        Param("weight_concentration_prior", "tunable", scale="log"),
        key="n_components", tags="unsupervised randomized"),
    # --- wrappers ---
    est("sklearn.multiclass.OneVsRestClassifier", "estimator n_jobs verbose", positional="estimator",
        **WRAPS),
    est("sklearn.multiclass.OneVsOneClassifier", "estimator n_jobs", positional="estimator", **WRAPS),
    est("sklearn.multioutput.MultiOutputClassifier", "estimator n_jobs", positional="estimator", **WRAPS),
    est("sklearn.multioutput.MultiOutputRegressor", "estimator n_jobs", positional="estimator", **WRAPS),
    est("sklearn.multioutput.ClassifierChain", "estimator order cv chain_method random_state verbose",
        ESTIMATOR, Param("chain_method", INFRA), positional="estimator", **WRAPS),
    est("sklearn.multioutput.RegressorChain", "estimator order cv random_state verbose",
        ESTIMATOR, positional="estimator", **WRAPS),
    est("sklearn.calibration.CalibratedClassifierCV", "estimator method cv n_jobs ensemble",
        ESTIMATOR, Param("method", "tunable"), positional="estimator", cv_keyword="cv",
        default_folds=5, **WRAPS),
    est("sklearn.compose.TransformedTargetRegressor",
        "regressor transformer func inverse_func check_inverse", positional="regressor"),
    est("sklearn.semi_supervised.SelfTrainingClassifier",
        "estimator threshold criterion k_best max_iter verbose", ESTIMATOR,
        Param("k_best", "tunable"), positional="estimator", **WRAPS),
    est("sklearn.model_selection.TunedThresholdClassifierCV",
        "estimator scoring response_method thresholds cv refit n_jobs random_state store_cv_results",
        positional="estimator", cv_keyword="cv", default_folds=5, **WRAPS),
    est("sklearn.model_selection.FixedThresholdClassifier", "estimator threshold pos_label "
        "response_method", positional="estimator", **WRAPS),
    est("sklearn.dummy.DummyClassifier", "strategy random_state constant"),
    est("sklearn.dummy.DummyRegressor", "strategy constant quantile"),
)

_PREPROCESSORS = (
    pre("sklearn.preprocessing.StandardScaler", "copy with_mean with_std"),
    pre("sklearn.preprocessing.MinMaxScaler", "feature_range copy clip", positional="feature_range"),
    pre("sklearn.preprocessing.RobustScaler", "with_centering with_scaling quantile_range copy unit_variance"),
    pre("sklearn.preprocessing.MaxAbsScaler", "copy clip"),
    pre("sklearn.preprocessing.Normalizer", "norm copy", positional="norm", tags="stateless"),
    pre("sklearn.preprocessing.QuantileTransformer",
        "n_quantiles output_distribution ignore_implicit_zeros subsample random_state copy", SAMPLE_COUNT),
    pre("sklearn.preprocessing.PowerTransformer", "method standardize copy", Param("method", "tunable"),
        positional="method"),
    pre("sklearn.preprocessing.OneHotEncoder",
        "categories drop sparse_output dtype handle_unknown min_frequency max_categories "
        "feature_name_combiner", ONEHOT_SPARSE, tags="categories"),
    pre("sklearn.preprocessing.OrdinalEncoder",
        "categories dtype handle_unknown unknown_value encoded_missing_value min_frequency max_categories",
        tags="categories"),
    pre("sklearn.preprocessing.LabelEncoder", tags="categories"),
    pre("sklearn.preprocessing.LabelBinarizer", "neg_label pos_label sparse_output",
        Param("neg_label", "structural"), Param("pos_label", "structural"), tags="categories"),
    pre("sklearn.preprocessing.MultiLabelBinarizer", "classes sparse_output", Param("classes", "structural"),
        tags="categories"),
    pre("sklearn.preprocessing.TargetEncoder", "categories target_type smooth cv shuffle random_state",
        positional="categories target_type smooth cv shuffle random_state",
        tags="shuffles randomized", cv_keyword="cv", default_folds=5),
    pre("sklearn.preprocessing.PolynomialFeatures", "degree interaction_only include_bias order",
        POLY_DEGREE, positional="degree", key="degree", tags="stateless"),
    pre("sklearn.preprocessing.SplineTransformer",
        "n_knots degree knots extrapolation include_bias order handle_missing sparse_output",
        POLY_DEGREE, positional="n_knots degree"),
    pre("sklearn.preprocessing.KBinsDiscretizer",
        "n_bins encode strategy quantile_method dtype subsample random_state",
        Param("strategy", "tunable"), SAMPLE_COUNT, positional="n_bins", key="n_bins"),
    pre("sklearn.preprocessing.Binarizer", "threshold copy", tags="stateless"),
    pre("sklearn.preprocessing.FunctionTransformer",
        "func inverse_func validate accept_sparse check_inverse feature_names_out kw_args inv_kw_args",
        positional="func inverse_func", tags="stateless"),
    pre("sklearn.preprocessing.KernelCenterer"),
    # Function forms: `scale(X)` before a split leaks exactly like `StandardScaler().fit_transform(X)`.
    pre("sklearn.preprocessing.scale", "X axis with_mean with_std copy", Param("axis", "structural"),
        positional="X"),
    pre("sklearn.preprocessing.minmax_scale", "X feature_range axis copy", Param("axis", "structural"),
        positional="X feature_range"),
    pre("sklearn.preprocessing.robust_scale",
        "X axis with_centering with_scaling quantile_range copy unit_variance",
        Param("axis", "structural"), positional="X"),
    pre("sklearn.preprocessing.maxabs_scale", "X axis copy", Param("axis", "structural"), positional="X"),
    pre("sklearn.preprocessing.normalize", "X norm axis copy return_norm", Param("axis", "structural"),
        Param("return_norm", INFRA), positional="X norm", tags="stateless"),
    pre("sklearn.preprocessing.quantile_transform",
        "X axis n_quantiles output_distribution ignore_implicit_zeros subsample random_state copy",
        Param("axis", "structural"), SAMPLE_COUNT, positional="X"),
    pre("sklearn.preprocessing.power_transform", "X method standardize copy", Param("method", "tunable"),
        positional="X method"),
    pre("sklearn.impute.SimpleImputer",
        "missing_values strategy fill_value copy add_indicator keep_empty_features",
        Param("strategy", "tunable"), aliases=("sklearn.preprocessing.Imputer",)),  # before 0.22
    pre("sklearn.impute.KNNImputer",
        "missing_values n_neighbors weights metric copy add_indicator keep_empty_features",
        Param("n_neighbors", "tunable", valid=AT_LEAST_ONE), key="n_neighbors"),
    pre("sklearn.impute.IterativeImputer",
        "estimator missing_values sample_posterior max_iter tol n_nearest_features initial_strategy "
        "fill_value imputation_order skip_complete min_value max_value verbose random_state add_indicator "
        "keep_empty_features", positional="estimator", tags="randomized"),
    pre("sklearn.impute.MissingIndicator", "missing_values features sparse error_on_new"),
    pre("sklearn.feature_extraction.text.CountVectorizer", VECTORIZER + " max_df min_df max_features "
        "vocabulary", VECTORIZER_MAX_FEATURES, key="ngram_range"),
    pre("sklearn.feature_extraction.text.TfidfVectorizer", VECTORIZER + " max_df min_df max_features "
        "vocabulary " + TFIDF, VECTORIZER_MAX_FEATURES, key="ngram_range"),
    pre("sklearn.feature_extraction.text.TfidfTransformer", TFIDF),
    pre("sklearn.feature_extraction.text.HashingVectorizer",
        VECTORIZER + " n_features norm alternate_sign", Param("n_features", CAP), tags="stateless"),
    pre("sklearn.feature_extraction.DictVectorizer", "dtype separator sparse sort", tags="categories"),
    pre("sklearn.feature_extraction.FeatureHasher", "n_features input_type dtype alternate_sign",
        Param("n_features", CAP), Param("input_type", "structural"), positional="n_features",
        tags="stateless"),
    pre("sklearn.decomposition.PCA",
        "n_components copy whiten svd_solver tol iterated_power n_oversamples power_iteration_normalizer "
        "random_state", positional="n_components", key="n_components"),
    pre("sklearn.decomposition.IncrementalPCA", "n_components whiten copy batch_size",
        positional="n_components", key="n_components"),
    pre("sklearn.decomposition.KernelPCA",
        "n_components kernel gamma degree coef0 kernel_params alpha fit_inverse_transform eigen_solver "
        "tol max_iter iterated_power remove_zero_eig random_state copy_X n_jobs",
        Param("alpha", REG, scale="log"), positional="n_components", key="n_components"),
    pre("sklearn.decomposition.TruncatedSVD",
        "n_components algorithm n_iter n_oversamples power_iteration_normalizer random_state tol",
        positional="n_components", key="n_components"),
    pre("sklearn.decomposition.NMF",
        "n_components init solver beta_loss tol max_iter random_state alpha_W alpha_H l1_ratio verbose "
        "shuffle", NMF_ALPHA_H, positional="n_components", key="n_components"),
    pre("sklearn.decomposition.FastICA",
        "n_components algorithm whiten fun fun_args max_iter tol w_init whiten_solver random_state",
        Param("algorithm", "tunable"), Param("whiten_solver", INFRA), positional="n_components"),
    pre("sklearn.decomposition.LatentDirichletAllocation",
        "n_components doc_topic_prior topic_word_prior learning_method learning_decay learning_offset "
        "max_iter batch_size evaluate_every total_samples perp_tol mean_change_tol max_doc_update_iter "
        "n_jobs verbose random_state", positional="n_components", key="n_components"),
    pre("sklearn.decomposition.SparsePCA",
        "n_components alpha ridge_alpha max_iter tol method n_jobs U_init V_init verbose random_state",
        Param("method", "tunable"), positional="n_components"),
    pre("sklearn.decomposition.FactorAnalysis",
        "n_components tol copy max_iter noise_variance_init svd_method iterated_power rotation "
        "random_state", positional="n_components"),
    pre("sklearn.random_projection.GaussianRandomProjection",
        "n_components eps compute_inverse_components random_state", RP_EPS, positional="n_components"),
    pre("sklearn.random_projection.SparseRandomProjection",
        "n_components density eps dense_output compute_inverse_components random_state", RP_EPS,
        positional="n_components"),
    pre("sklearn.kernel_approximation.RBFSampler", "gamma n_components random_state", LOG_GAMMA),
    pre("sklearn.kernel_approximation.Nystroem",
        "kernel gamma coef0 degree kernel_params n_components random_state n_jobs", positional="kernel"),
    pre("sklearn.manifold.TSNE",
        "n_components perplexity early_exaggeration learning_rate max_iter n_iter_without_progress "
        "min_grad_norm metric metric_params init verbose random_state method angle n_jobs",
        TSNE_LEARNING_RATE, TSNE_MAX_ITER, positional="n_components", key="perplexity",
        tags="randomized"),
    pre("sklearn.manifold.Isomap",
        "n_neighbors radius n_components eigen_solver tol max_iter path_method neighbors_algorithm "
        "n_jobs metric p metric_params", Param("n_neighbors", "tunable")),
    pre("sklearn.manifold.LocallyLinearEmbedding",
        "n_neighbors n_components reg eigen_solver tol max_iter method hessian_tol modified_tol "
        "neighbors_algorithm random_state n_jobs", Param("n_neighbors", "tunable"),
        Param("method", "tunable")),
)

_FEATURE_SELECTORS = (
    sel("sklearn.feature_selection.SelectKBest", "score_func k", Param("score_func", "tunable"),
        positional="score_func", key="k"),
    sel("sklearn.feature_selection.SelectPercentile", "score_func percentile",
        Param("score_func", "tunable"), positional="score_func", key="percentile"),
    sel("sklearn.feature_selection.SelectFpr", "score_func alpha", SIGNIFICANCE_ALPHA,
        positional="score_func"),
    sel("sklearn.feature_selection.SelectFdr", "score_func alpha", SIGNIFICANCE_ALPHA,
        positional="score_func"),
    sel("sklearn.feature_selection.SelectFwe", "score_func alpha", SIGNIFICANCE_ALPHA,
        positional="score_func"),
    sel("sklearn.feature_selection.GenericUnivariateSelect", "score_func mode param",
        positional="score_func"),
    sel("sklearn.feature_selection.RFE", "estimator n_features_to_select step verbose importance_getter",
        positional="estimator", key="n_features_to_select", **WRAPS),
    sel("sklearn.feature_selection.RFECV",
        "estimator step min_features_to_select cv scoring verbose n_jobs importance_getter",
        positional="estimator", cv_keyword="cv", default_folds=5, **WRAPS),
    sel("sklearn.feature_selection.SelectFromModel",
        "estimator threshold prefit norm_order max_features importance_getter", FEATURE_LIMIT,
        positional="estimator", **WRAPS),
    sel("sklearn.feature_selection.VarianceThreshold", "threshold", positional="threshold"),
    sel("sklearn.feature_selection.SequentialFeatureSelector",
        "estimator n_features_to_select tol direction scoring cv n_jobs",
        positional="estimator", cv_keyword="cv", default_folds=5, **WRAPS),
    # --- leak-forms: function forms. `F, p = f_classif(X, y)` scores every feature against the
    # labels of the rows it is given; picking columns by those scores is a selector fitted there.
    sel("sklearn.feature_selection.f_classif", "X y", positional="X y"),
    sel("sklearn.feature_selection.f_regression", "X y", positional="X y"),
    sel("sklearn.feature_selection.r_regression", "X y", positional="X y"),
    sel("sklearn.feature_selection.chi2", "X y", positional="X y"),
    sel("sklearn.feature_selection.mutual_info_classif", "X y", positional="X y"),
    sel("sklearn.feature_selection.mutual_info_regression", "X y", positional="X y"),
)

MS = "sklearn.model_selection."
_MODEL_SELECTION = (
    api(MS + "train_test_split", "split_function", "test_size train_size random_state shuffle stratify",
        TEST_SIZE, TRAIN_SIZE, Param("shuffle", INFRA), tags="shuffles randomized needs_seed",
        aliases=("sklearn.cross_validation.train_test_split",)),
    api(MS + "KFold", "splitter", "n_splits shuffle random_state", SPLITS, positional="n_splits",
        tags="shuffles needs_seed"),
    api(MS + "StratifiedKFold", "splitter", "n_splits shuffle random_state", SPLITS,
        positional="n_splits", tags="shuffles needs_seed"),
    api(MS + "GroupKFold", "splitter", "n_splits shuffle random_state", SPLITS, positional="n_splits",
        tags="group_aware"),
    api(MS + "StratifiedGroupKFold", "splitter", "n_splits shuffle random_state", SPLITS,
        positional="n_splits shuffle random_state", tags="group_aware shuffles needs_seed"),
    api(MS + "RepeatedKFold", "splitter", "n_splits n_repeats random_state", SPLITS,
        tags="shuffles randomized needs_seed"),
    api(MS + "RepeatedStratifiedKFold", "splitter", "n_splits n_repeats random_state", SPLITS,
        tags="shuffles randomized needs_seed"),
    api(MS + "ShuffleSplit", "splitter", SPLIT_SIZES, SHUFFLE_SPLITS, TEST_SIZE, TRAIN_SIZE,
        positional="n_splits", tags="shuffles randomized needs_seed"),
    api(MS + "StratifiedShuffleSplit", "splitter", SPLIT_SIZES, SHUFFLE_SPLITS, TEST_SIZE, TRAIN_SIZE,
        positional="n_splits", tags="shuffles randomized needs_seed"),
    api(MS + "GroupShuffleSplit", "splitter", SPLIT_SIZES, SHUFFLE_SPLITS, TEST_SIZE, TRAIN_SIZE,
        positional="n_splits", tags="group_aware shuffles randomized needs_seed"),
    api(MS + "LeaveOneOut", "splitter"),
    api(MS + "LeavePOut", "splitter", "p", Param("p", INFRA), positional="p"),
    api(MS + "LeaveOneGroupOut", "splitter", tags="group_aware"),
    api(MS + "LeavePGroupsOut", "splitter", "n_groups", positional="n_groups", tags="group_aware"),
    api(MS + "TimeSeriesSplit", "splitter", "n_splits max_train_size test_size gap", SPLITS,
        positional="n_splits", tags="time_ordered"),
    api(MS + "PredefinedSplit", "splitter", "test_fold", positional="test_fold"),
    api(MS + "GridSearchCV", "search",
        "estimator param_grid scoring n_jobs refit cv verbose pre_dispatch error_score return_train_score",
        positional="estimator param_grid", space_keyword="param_grid", **SEARCH,
        aliases=("sklearn.grid_search.GridSearchCV",)),
    api(MS + "RandomizedSearchCV", "search",
        "estimator param_distributions n_iter scoring n_jobs refit cv verbose pre_dispatch random_state "
        "error_score return_train_score", SEARCH_N_ITER, positional="estimator param_distributions",
        space_keyword="param_distributions", samples=True, tags="randomized needs_seed", **SEARCH),
    api(MS + "HalvingGridSearchCV", "search",
        "estimator param_grid factor resource max_resources min_resources aggressive_elimination cv "
        "scoring refit error_score return_train_score random_state n_jobs verbose",
        positional="estimator param_grid", space_keyword="param_grid", **SEARCH),
    api(MS + "HalvingRandomSearchCV", "search",
        "estimator param_distributions n_candidates factor resource max_resources min_resources "
        "aggressive_elimination cv scoring refit error_score return_train_score random_state n_jobs "
        "verbose", positional="estimator param_distributions", space_keyword="param_distributions",
        samples=True, tags="randomized needs_seed", **SEARCH),
    api("skopt.BayesSearchCV", "search",
        "estimator search_spaces optimizer_kwargs n_iter scoring fit_params n_jobs n_points iid refit cv "
        "verbose pre_dispatch random_state error_score return_train_score", SEARCH_N_ITER,
        positional="estimator search_spaces", space_keyword="search_spaces", samples=True,
        tags="randomized needs_seed", aliases=("skopt.searchcv.BayesSearchCV",), **SEARCH),
    api(MS + "cross_val_score", "cv_scorer",
        "estimator X y groups scoring cv n_jobs verbose params fit_params pre_dispatch error_score",
        positional="estimator X y", **CV_SCORER),
    api(MS + "cross_validate", "cv_scorer",
        "estimator X y groups scoring cv n_jobs verbose params fit_params pre_dispatch return_train_score "
        "return_estimator return_indices error_score", positional="estimator X y", **CV_SCORER),
    api(MS + "cross_val_predict", "cv_scorer",
        "estimator X y groups cv n_jobs verbose params fit_params pre_dispatch method",
        positional="estimator X y", **CV_SCORER),
    api(MS + "learning_curve", "cv_scorer",
        "estimator X y groups train_sizes cv scoring exploit_incremental_learning n_jobs pre_dispatch "
        "verbose shuffle random_state error_score return_times params fit_params",
        positional="estimator X y", tags="shuffles", **CV_SCORER),
    api(MS + "validation_curve", "cv_scorer",
        "estimator X y param_name param_range groups cv scoring n_jobs pre_dispatch verbose error_score "
        "params fit_params", positional="estimator X y", **CV_SCORER),
    api(MS + "permutation_test_score", "cv_scorer",
        "estimator X y groups cv n_permutations n_jobs random_state verbose scoring params fit_params",
        positional="estimator X y", **CV_SCORER),
)

_PIPELINES = (
    api("sklearn.pipeline.Pipeline", "pipeline", "steps transform_input memory verbose", positional="steps"),
    api("sklearn.pipeline.make_pipeline", "pipeline", "memory transform_input verbose"),
    api("sklearn.pipeline.FeatureUnion", "pipeline",
        "transformer_list n_jobs transformer_weights verbose verbose_feature_names_out",
        positional="transformer_list"),
    api("sklearn.pipeline.make_union", "pipeline", "n_jobs verbose verbose_feature_names_out"),
    api("sklearn.compose.ColumnTransformer", "pipeline",
        "transformers remainder sparse_threshold n_jobs transformer_weights verbose "
        "verbose_feature_names_out", positional="transformers"),
    api("sklearn.compose.make_column_transformer", "pipeline",
        "remainder sparse_threshold n_jobs verbose verbose_feature_names_out"),
    api("imblearn.pipeline.Pipeline", "pipeline", "steps transform_input memory verbose",
        positional="steps"),
    api("imblearn.pipeline.make_pipeline", "pipeline", "memory transform_input verbose"),
)


def metric(name: str, pred: str = "y_pred", extra: str = "") -> Api:
    """A score on (y_true, prediction): the leakage rules care about what data it scores."""
    return api("sklearn.metrics." + name, "metric", f"y_true {pred} sample_weight {extra}",
               Param(pred, "data"), positional=f"y_true {pred}")


_METRICS = (
    metric("accuracy_score", extra="normalize"),
    metric("balanced_accuracy_score"),
    metric("precision_score", extra="labels pos_label average zero_division"),
    metric("recall_score", extra="labels pos_label average zero_division"),
    metric("f1_score", extra="labels pos_label average zero_division"),
    metric("fbeta_score", extra="labels pos_label average zero_division"),
    metric("jaccard_score", extra="labels pos_label average zero_division"),
    metric("roc_auc_score", "y_score", "average labels"),
    metric("average_precision_score", "y_score", "average pos_label"),
    metric("roc_curve", "y_score", "pos_label"),
    metric("precision_recall_curve", "y_score", "pos_label"),
    metric("top_k_accuracy_score", "y_score", "normalize labels"),
    metric("log_loss", "y_proba", "normalize labels"),
    metric("brier_score_loss", "y_proba", "pos_label labels"),
    metric("matthews_corrcoef"),
    metric("hamming_loss"),
    metric("confusion_matrix", extra="labels normalize"),
    metric("classification_report", extra="labels zero_division"),
    metric("mean_squared_error", extra="multioutput"),
    metric("root_mean_squared_error", extra="multioutput"),
    metric("mean_absolute_error", extra="multioutput"),
    metric("mean_absolute_percentage_error", extra="multioutput"),
    metric("mean_squared_log_error", extra="multioutput"),
    metric("median_absolute_error", extra="multioutput"),
    metric("r2_score", extra="multioutput"),
    metric("explained_variance_score", extra="multioutput"),
    api("sklearn.metrics.cohen_kappa_score", "metric", "y1 y2 labels weights sample_weight",
        Param("y1", "data"), Param("y2", "data"), Param("weights", INFRA), positional="y1 y2"),
    api("sklearn.metrics.silhouette_score", "metric", "X labels metric sample_size random_state",
        Param("labels", "data"), Param("metric", INFRA), positional="X labels"),
)


def sampler(qualname: str, names: str, *overrides: Param, kind: str, **kw: object) -> Api:
    return api(qualname, "resampler", names, *overrides, tags=kind, **kw)  # type: ignore[arg-type]


OS = "imblearn.over_sampling."
US = "imblearn.under_sampling."
OVER = "oversampler randomized"
UNDER = "undersampler"
_RESAMPLERS = (
    sampler(OS + "SMOTE", "sampling_strategy random_state k_neighbors n_jobs", kind=OVER),
    sampler(OS + "ADASYN", "sampling_strategy random_state n_neighbors n_jobs", KNN_FOR_SAMPLER,
            kind=OVER),
    sampler(OS + "BorderlineSMOTE", "sampling_strategy random_state k_neighbors m_neighbors kind n_jobs",
            Param("kind", "tunable"), kind=OVER),
    sampler(OS + "SVMSMOTE",
            "sampling_strategy random_state k_neighbors m_neighbors svm_estimator out_step n_jobs",
            Param("svm_estimator", "structural"), Param("out_step", "tunable"), kind=OVER),
    sampler(OS + "KMeansSMOTE",
            "sampling_strategy random_state k_neighbors n_jobs kmeans_estimator cluster_balance_threshold "
            "density_exponent", Param("kmeans_estimator", "tunable"),
            Param("cluster_balance_threshold", "tunable"), Param("density_exponent", "tunable"),
            kind=OVER),
    sampler(OS + "RandomOverSampler", "sampling_strategy random_state shrinkage",
            Param("shrinkage", "tunable"), kind=OVER),
    sampler(OS + "SMOTENC", "categorical_features categorical_encoder sampling_strategy random_state "
            "k_neighbors n_jobs", Param("categorical_encoder", "structural"),
            positional="categorical_features", kind=OVER),
    sampler(OS + "SMOTEN", "categorical_encoder sampling_strategy random_state k_neighbors n_jobs",
            Param("categorical_encoder", "structural"), positional="categorical_encoder", kind=OVER),
    sampler(US + "RandomUnderSampler", "sampling_strategy random_state replacement",
            Param("replacement", "tunable"), kind=UNDER + " randomized"),
    sampler(US + "NearMiss", "sampling_strategy version n_neighbors n_neighbors_ver3 n_jobs",
            Param("version", "tunable"), KNN_FOR_SAMPLER, Param("n_neighbors_ver3", "tunable"), kind=UNDER),
    sampler(US + "TomekLinks", "sampling_strategy n_jobs", kind=UNDER),
    sampler(US + "EditedNearestNeighbours", "sampling_strategy n_neighbors kind_sel n_jobs",
            KNN_FOR_SAMPLER, Param("kind_sel", "tunable"), kind=UNDER),
    sampler(US + "RepeatedEditedNearestNeighbours", "sampling_strategy n_neighbors max_iter kind_sel n_jobs",
            KNN_FOR_SAMPLER, Param("kind_sel", "tunable"), kind=UNDER),
    sampler(US + "AllKNN", "sampling_strategy n_neighbors kind_sel allow_minority n_jobs",
            KNN_FOR_SAMPLER, Param("kind_sel", "tunable"), Param("allow_minority", "tunable"), kind=UNDER),
    sampler(US + "ClusterCentroids", "sampling_strategy random_state estimator voting",
            kind=UNDER + " randomized"),
    sampler(US + "OneSidedSelection", "sampling_strategy random_state n_neighbors n_seeds_S n_jobs",
            KNN_FOR_SAMPLER, Param("n_seeds_S", "tunable"), kind=UNDER + " randomized"),
    sampler(US + "CondensedNearestNeighbour", "sampling_strategy random_state n_neighbors n_seeds_S n_jobs",
            KNN_FOR_SAMPLER, Param("n_seeds_S", "tunable"), kind=UNDER + " randomized"),
    sampler(US + "NeighbourhoodCleaningRule",
            "sampling_strategy edited_nearest_neighbours n_neighbors threshold_cleaning n_jobs",
            KNN_FOR_SAMPLER, Param("threshold_cleaning", "tunable"), kind=UNDER),
    sampler(US + "InstanceHardnessThreshold", "estimator sampling_strategy random_state cv n_jobs",
            kind=UNDER + " randomized", cv_keyword="cv", default_folds=5),
    sampler("imblearn.combine.SMOTEENN", "sampling_strategy random_state smote enn n_jobs",
            Param("smote", "structural"), Param("enn", "structural"), kind=f"{OVER} {UNDER}"),
    sampler("imblearn.combine.SMOTETomek", "sampling_strategy random_state smote tomek n_jobs",
            Param("smote", "structural"), Param("tomek", "structural"), kind=f"{OVER} {UNDER}"),
)

IE = "imblearn.ensemble."
BALANCING = " sampling_strategy replacement"
_IMBALANCED_ESTIMATORS = (
    est(IE + "BalancedRandomForestClassifier", FOREST + " class_weight" + BALANCING,
        Param("replacement", "tunable"), positional="n_estimators", key="n_estimators max_depth",
        tags="tree randomized"),
    est(IE + "BalancedBaggingClassifier", BAGGING + BALANCING + " sampler", ESTIMATOR,
        Param("replacement", "tunable"), Param("sampler", "structural"),
        positional="estimator n_estimators", key="n_estimators", tags="randomized", **WRAPS),
    est(IE + "EasyEnsembleClassifier",
        "n_estimators estimator warm_start n_jobs random_state verbose" + BALANCING, ESTIMATOR,
        Param("replacement", "tunable"), positional="n_estimators estimator", key="n_estimators",
        tags="randomized boosting"),
    est(IE + "RUSBoostClassifier", "estimator n_estimators learning_rate algorithm random_state" + BALANCING,
        ESTIMATOR, ADA_ALGORITHM, Param("replacement", "tunable"), positional="estimator",
        key="n_estimators learning_rate", tags="randomized boosting", **WRAPS),
)

APIS: tuple[Api, ...] = (
    *_ESTIMATORS,
    *_PREPROCESSORS,
    *_FEATURE_SELECTORS,
    *_MODEL_SELECTION,
    *_PIPELINES,
    *_METRICS,
    *_RESAMPLERS,
    *_IMBALANCED_ESTIMATORS,
)
