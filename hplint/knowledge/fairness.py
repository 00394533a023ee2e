"""ML API facts: fairness tooling (fairlearn, AIF360 and its scikit-learn API, inFairness).

What the HPL7xx rules (and HPL406) read from here:
- Roles. Mitigators that are trained are "estimator" (in-processing: reductions, adversarial
  debiasing; post-processing: `ThresholdOptimizer`, AIF360's post-processors, which learn
  thresholds or mixing rates from the rows they are fitted on) or "preprocessor" (`Reweighing`,
  `CorrelationRemover`, `DisparateImpactRemover`, `LFR`). Group metrics are "metric". Objects that
  are fitted only to *evaluate* a model or data are "auditor": FACTS (recourse audits) and the MDSS
  bias scans look for the groups a given model treats worst; fitting them on test rows is what they
  are for, not training on the test set. Fairness constraints passed to a reductions mitigator are
  "constraint".
- Tags: "group_metric" (takes the sensitive groups: a fairness metric or `MetricFrame`),
  "mitigator" (changes a model or data for fairness), "reductions" (keeps its candidates in
  `predictors_`), "postprocessing" / "preprocessing" / "inprocessing" (the stage it works at),
  "fits_on_datasets" (AIF360's own API: `fit(dataset_true, dataset_pred)` on dataset objects),
  "transductive" (no `transform`: every data set is fitted on itself), "scales_its_input" (a metric that learns nothing from its X beyond the neighbours it scores:
  `consistency_score`).
- `GROUP_KEYWORDS`: the keyword arguments that name the sensitive groups; their presence in a call
  is a declaration of sensitive attributes in code. `COLUMN_KEYWORDS`: those of them whose literal
  values are column names.

Parameters: the fairness knobs users tune (`eps`, `grid_size`, `difference_bound`, `alpha` of
CorrelationRemover, `constraint_weight`) are "tunable"; the constraint chosen, the data and the
group declarations are "structural" or "data" (choosing demographic parity is a decision about
what fairness means, not a hyperparameter).
"""

from __future__ import annotations

from hplint.knowledge.schema import Api, Param
from hplint.knowledge.vocabulary import INFRA, STRUCT

DATA = "data"
TUNABLE = "tunable"

# Keyword arguments that declare who the sensitive groups are.
GROUP_KEYWORDS: frozenset[str] = frozenset(
    {
        "sensitive_features",  # fairlearn metrics, MetricFrame, mitigators' fit/predict
        "sensitive_feature_ids",  # fairlearn CorrelationRemover
        "protected_attribute_names",  # AIF360 datasets
        "privileged_groups",  # AIF360 metrics and algorithms
        "unprivileged_groups",
        "prot_attr",  # AIF360's scikit-learn API
        "privileged_classes",  # AIF360 StandardDataset
        "protected_attributes",
        "sensitive_attrs",  # inFairness / FairAdapt
        "sensitive_attribute",
    }
)
# Of those, the ones whose literal values are column names (`protected_attribute_names=["sex"]`,
# `prot_attr="race"`, `privileged_groups=[{"sex": 1}]` names the column by its keys).
COLUMN_KEYWORDS: frozenset[str] = frozenset(
    {"sensitive_feature_ids", "protected_attribute_names", "prot_attr", "privileged_groups",
     "unprivileged_groups", "protected_attributes", "sensitive_attrs", "sensitive_attribute"}
)  # fmt: skip


# Methods of AIF360 metric objects that compare groups (`ClassificationMetric(...)` also computes
# overall rates such as `true_positive_rate()`, which compare nothing).
DISPARITY_METHODS: frozenset[str] = frozenset(
    {
        "disparate_impact", "statistical_parity_difference", "mean_difference",
        "average_odds_difference", "average_abs_odds_difference", "equal_opportunity_difference",
        "false_positive_rate_difference", "false_negative_rate_difference",
        "false_omission_rate_difference", "false_discovery_rate_difference", "error_rate_difference",
        "error_rate_ratio", "true_positive_rate_difference", "generalized_true_positive_rate_difference",
        "between_group_theil_index", "between_group_generalized_entropy_index",
        "between_group_coefficient_of_variation", "differential_fairness_bias_amplification",
        "smoothed_empirical_differential_fairness", "average_predictive_value_difference",
        "rich_subgroup", "ratio", "difference",
    }
)  # fmt: skip

# Step sizes and penalties, sampled on a log scale when searched.
_LOG_SCALE = frozenset({"eta", "eta0", "C", "learning_rate", "auditor_lr"})


def _params(kind: str, names: str) -> tuple[Param, ...]:
    return tuple(Param(n, kind, scale="log" if n in _LOG_SCALE else None)  # type: ignore[arg-type]
                 for n in names.split())


# Classes whose short name two AIF360 packages share (the dataset API and the scikit-learn API):
# lookups by short name are ambiguous for them, so the private module paths users import from are
# spelled out.
_MODULE_OF = {
    "aif360.algorithms.preprocessing.Reweighing": "reweighing",
    "aif360.algorithms.inprocessing.AdversarialDebiasing": "adversarial_debiasing",
    "aif360.algorithms.inprocessing.ExponentiatedGradientReduction": "exponentiated_gradient_reduction",
    "aif360.algorithms.inprocessing.GridSearchReduction": "grid_search_reduction",
    "aif360.sklearn.preprocessing.Reweighing": "reweighing",
    "aif360.sklearn.inprocessing.AdversarialDebiasing": "adversarial_debiasing",
    "aif360.sklearn.inprocessing.ExponentiatedGradientReduction": "exponentiated_gradient_reduction",
    "aif360.sklearn.inprocessing.GridSearchReduction": "grid_search_reduction",
}


def _api(qualname: str, role: str, *, tags: str = "", params: tuple[Param, ...] = (),
         aliases: tuple[str, ...] = (), estimator_position: int | None = None) -> Api:
    if qualname in _MODULE_OF:
        package, name = qualname.rsplit(".", 1)
        aliases = (*aliases, f"{package}.{_MODULE_OF[qualname]}.{name}")
    return Api(qualname, role, params, aliases=aliases, estimator_position=estimator_position,  # type: ignore[arg-type]
               tags=frozenset(tags.split()))


_GROUPS = _params(DATA, "sensitive_features")
_AIF_GROUPS = _params(STRUCT, "unprivileged_groups privileged_groups")
_PROT_ATTR = _params(STRUCT, "prot_attr")

# -- fairlearn ------------------------------------------------------------------------------------

_FAIRLEARN_GROUP_METRICS = (
    "demographic_parity_difference demographic_parity_ratio equalized_odds_difference "
    "equalized_odds_ratio equal_opportunity_difference equal_opportunity_ratio "
    # Generated by fairlearn.metrics from its base metrics: `<metric>_difference`, `_ratio`,
    # `_group_min`, `_group_max`.
    "true_positive_rate_difference true_positive_rate_ratio true_negative_rate_difference "
    "true_negative_rate_ratio false_positive_rate_difference false_positive_rate_ratio "
    "false_negative_rate_difference false_negative_rate_ratio selection_rate_difference "
    "selection_rate_ratio accuracy_score_difference accuracy_score_ratio accuracy_score_group_min "
    "zero_one_loss_difference zero_one_loss_ratio zero_one_loss_group_max "
    "balanced_accuracy_score_group_min precision_score_group_min recall_score_group_min "
    "roc_auc_score_group_min mean_absolute_error_group_max mean_squared_error_group_max "
    "r2_score_group_min f1_score_group_min log_loss_group_max"
).split()
# Base rates computed over all rows (used inside MetricFrame to compare groups).
_FAIRLEARN_RATES = (
    "selection_rate true_positive_rate true_negative_rate false_positive_rate false_negative_rate "
    "mean_prediction count"
).split()

_FAIRLEARN = (
    _api("fairlearn.metrics.MetricFrame", "metric", tags="group_metric",
         params=(*_params(STRUCT, "metrics"), *_params(DATA, "y_true y_pred sensitive_features "
                                                      "control_features sample_params"))),
    *(
        _api(f"fairlearn.metrics.{name}", "metric", tags="group_metric",
             params=(*_params(DATA, "y_true y_pred sensitive_features sample_weight"),
                     *_params(STRUCT, "method agg")))
        for name in _FAIRLEARN_GROUP_METRICS
    ),
    *(
        _api(f"fairlearn.metrics.{name}", "metric", params=_params(DATA, "y_true y_pred sample_weight"))
        for name in _FAIRLEARN_RATES
    ),
    _api("fairlearn.metrics.plot_model_comparison", "metric", tags="group_metric",
         params=_params(DATA, "y_true y_preds sensitive_features")),
    # Reductions: a sweep of reweighted/relabelled fits of the estimator; the candidates are kept
    # in `predictors_`.
    _api("fairlearn.reductions.ExponentiatedGradient", "estimator",
         tags="mitigator inprocessing reductions randomized", estimator_position=0,
         params=(*_params(STRUCT, "estimator constraints objective sample_weight_name"),
                 *_params(TUNABLE, "eps nu eta0"), *_params(INFRA, "max_iter run_linprog_step"))),
    _api("fairlearn.reductions.GridSearch", "estimator", tags="mitigator inprocessing reductions",
         estimator_position=0,
         params=(*_params(STRUCT, "estimator constraints selection_rule grid grid_offset sample_weight_name"),
                 *_params(TUNABLE, "constraint_weight grid_size grid_limit"))),
    *(
        _api(f"fairlearn.reductions.{name}", "constraint",
             params=(*_params(TUNABLE, "difference_bound ratio_bound ratio_bound_slack upper_bound"),
                     *_params(STRUCT, "loss")))
        for name in ("DemographicParity", "EqualizedOdds", "TruePositiveRateParity",
                     "FalsePositiveRateParity", "ErrorRateParity", "UtilityParity", "BoundedGroupLoss")
    ),
    _api("fairlearn.postprocessing.ThresholdOptimizer", "estimator", tags="mitigator postprocessing",
         params=(*_params(STRUCT, "estimator constraints objective prefit predict_method flip"),
                 *_params(TUNABLE, "grid_size"), *_params(INFRA, "tol"))),
    _api("fairlearn.preprocessing.CorrelationRemover", "preprocessor", tags="mitigator preprocessing",
         params=(*_params(STRUCT, "sensitive_feature_ids"), *_params(TUNABLE, "alpha"))),
    *(
        _api(f"fairlearn.adversarial.{name}", "estimator", tags="mitigator inprocessing randomized",
             params=(*_params(STRUCT, "backend predictor_model adversary_model predictor_loss "
                                      "adversary_loss predictor_function objective constraints "
                                      "predictor_optimizer adversary_optimizer"),
                     *_params(TUNABLE, "learning_rate alpha epochs batch_size"),
                     *_params(INFRA, "shuffle progress_updates skip_validation callbacks random_state")))
        for name in ("AdversarialFairnessClassifier", "AdversarialFairnessRegressor")
    ),
)

# -- AIF360 ---------------------------------------------------------------------------------------

_AIF_DATASETS = tuple(
    _api(f"aif360.datasets.{name}", "dataset",
         params=(*_params(DATA, "df"), *_params(STRUCT, "label_names protected_attribute_names "
                                                        "favorable_classes privileged_classes "
                                                        "instance_weights_name categorical_features "
                                                        "features_to_keep features_to_drop "
                                                        "favorable_label unfavorable_label "
                                                        "na_values custom_preprocessing metadata")))
    for name in ("BinaryLabelDataset", "StructuredDataset", "StandardDataset", "RegressionDataset",
                 "AdultDataset", "BankDataset", "CompasDataset", "GermanDataset", "MEPSDataset19",
                 "MEPSDataset20", "MEPSDataset21", "LawSchoolGPADataset")
)

_AIF_METRIC_CLASSES = tuple(
    _api(f"aif360.metrics.{name}", "metric", tags="group_metric",
         params=(*_params(DATA, "dataset classified_dataset distorted_dataset"), *_AIF_GROUPS))
    for name in ("BinaryLabelDatasetMetric", "ClassificationMetric", "DatasetMetric",
                 "SampleDistortionMetric", "MDSSClassificationMetric", "RegressionDatasetMetric")
)

_AIF_SKLEARN_GROUP_METRICS = (
    "statistical_parity_difference disparate_impact_ratio equal_opportunity_difference "
    "average_odds_difference average_odds_error average_predictive_value_difference class_imbalance "
    "kl_divergence conditional_demographic_disparity smoothed_edf df_bias_amplification "
    "between_group_generalized_entropy_error mean_difference difference ratio intersection "
    "one_vs_rest ot_distance mdss_bias_score"
).split()
_AIF_SKLEARN_RATES = (
    "num_samples num_pos_neg specificity_score sensitivity_score base_rate selection_rate "
    "smoothed_base_rate smoothed_selection_rate generalized_fpr generalized_fnr "
    "generalized_entropy_error false_omission_rate_error false_negative_rate_error "
    "false_positive_rate_error"
).split()

_AIF_SKLEARN_METRICS = (
    *(
        _api(f"aif360.sklearn.metrics.{name}", "metric", tags="group_metric",
             params=(*_params(DATA, "y_true y_pred probas_pred X sample_weight"), *_PROT_ATTR,
                     *_params(STRUCT, "priv_group pos_label func")))
        for name in _AIF_SKLEARN_GROUP_METRICS
    ),
    *(
        _api(f"aif360.sklearn.metrics.{name}", "metric",
             params=_params(DATA, "y_true y_pred probas_pred sample_weight"))
        for name in _AIF_SKLEARN_RATES
    ),
    # Individual fairness: how often each row's nearest neighbours (in X) get the same prediction.
    # It is usually given scaled test features (`consistency_score(minmax_scale(X_test), y_pred)`):
    # scaling the rows a metric scores is part of the metric, not a fit on the test set.
    _api("aif360.sklearn.metrics.consistency_score", "metric", tags="scales_its_input",
         params=(*_params(DATA, "X y"), *_params(STRUCT, "n_neighbors"))),
)

_AIF_ALGORITHMS = (
    # Pre-processing: learns weights or a transformation of the data from the rows it is fitted on.
    _api("aif360.algorithms.preprocessing.Reweighing", "preprocessor",
         tags="mitigator preprocessing fits_on_datasets", params=_AIF_GROUPS),
    # Has only fit_transform: each data set is repaired with its own per-group distributions.
    _api("aif360.algorithms.preprocessing.DisparateImpactRemover", "preprocessor",
         tags="mitigator preprocessing fits_on_datasets transductive",
         params=(*_params(TUNABLE, "repair_level"), *_params(STRUCT, "sensitive_attribute"))),
    _api("aif360.algorithms.preprocessing.LFR", "preprocessor",
         tags="mitigator preprocessing fits_on_datasets randomized",
         params=(*_AIF_GROUPS, *_params(TUNABLE, "k Ax Ay Az"), *_params(INFRA, "print_interval verbose seed"))),
    _api("aif360.algorithms.preprocessing.OptimPreproc", "preprocessor",
         tags="mitigator preprocessing fits_on_datasets",
         params=(*_AIF_GROUPS, *_params(STRUCT, "optimizer optim_options"), *_params(INFRA, "verbose seed"))),
    # In-processing.
    *(
        _api(f"aif360.algorithms.inprocessing.{name}", "estimator",
             tags="mitigator inprocessing fits_on_datasets",
             params=(*_AIF_GROUPS, *_params(STRUCT, "estimator constraints scope_name sess "
                                                    "sensitive_attr class_attr"),
                     *_params(TUNABLE, "eta tau C gamma eps grid_size adversary_loss_weight "
                                       "num_epochs batch_size classifier_num_hidden_units "
                                       "max_iters"),
                     *_params(INFRA, "seed debias type printflag heatmapflag heatmap_iter "
                                     "heatmap_path fairness_def drop_prot_attr loss_fn "
                                     "sample_weight_name run_linprog_step")))
        for name in ("AdversarialDebiasing", "PrejudiceRemover", "MetaFairClassifier",
                     "GerryFairClassifier", "ExponentiatedGradientReduction", "GridSearchReduction",
                     "ARTClassifier")
    ),
    # Post-processing: learns thresholds / mixing rates from (true, predicted) datasets.
    *(
        _api(f"aif360.algorithms.postprocessing.{name}", "estimator",
             tags="mitigator postprocessing fits_on_datasets",
             params=(*_AIF_GROUPS, *_params(STRUCT, "cost_constraint metric_name"),
                     *_params(TUNABLE, "low_class_thresh high_class_thresh num_class_thresh "
                                       "num_ROC_margin metric_ub metric_lb"),
                     *_params(INFRA, "seed")))
        for name in ("CalibratedEqOddsPostprocessing", "EqOddsPostprocessing",
                     "RejectOptionClassification", "DeterministicReranking")
    ),
)

_AIF_SKLEARN_ALGORITHMS = (
    *(
        _api(f"aif360.sklearn.preprocessing.{name}", "preprocessor", tags="mitigator preprocessing",
             params=(*_PROT_ATTR, *_params(STRUCT, "estimator reweigher adj_mat outcome"),
                     *_params(TUNABLE, "n_prototypes reconstruct_weight target_weight fairness_weight"),
                     *_params(INFRA, "tol max_iter verbose random_state")))
        for name in ("Reweighing", "ReweighingMeta", "FairAdapt", "LearnedFairRepresentations")
    ),
    *(
        _api(f"aif360.sklearn.inprocessing.{name}", "estimator", tags="mitigator inprocessing",
             params=(*_PROT_ATTR, *_params(STRUCT, "estimator constraints module criterion "
                                                    "distance_x distance_y"),
                     *_params(TUNABLE, "eps grid_size adversary_loss_weight num_epochs batch_size "
                                       "classifier_num_hidden_units rho auditor_nsteps auditor_lr"),
                     *_params(INFRA, "drop_prot_attr max_iter nu eta0 run_linprog_step random_state "
                                     "verbose scope_name")))
        for name in ("AdversarialDebiasing", "ExponentiatedGradientReduction", "GridSearchReduction",
                     "SenSeI", "SenSR")
    ),
    *(
        _api(f"aif360.sklearn.postprocessing.{name}", "estimator", tags="mitigator postprocessing",
             params=(*_PROT_ATTR, *_params(STRUCT, "estimator postprocessor cost_constraint metric"),
                     *_params(TUNABLE, "threshold margin thresh_range margin_range"),
                     *_params(INFRA, "val_size random_state n_jobs refit")))
        for name in ("CalibratedEqualizedOdds", "RejectOptionClassifier", "RejectOptionClassifierCV",
                     "PostProcessingMeta")
    ),
)

# Only evaluate: they are fitted on (or scan) the rows of the model they audit. Fitting one on the
# test split is an audit of the test predictions, not training on the test set.
_AUDITORS = (
    _api("aif360.sklearn.detectors.FACTS", "auditor",
         params=(*_params(STRUCT, "clf prot_attr categorical_features freq_itemset_min_supp "
                                  "feats_not_allowed_to_change feature_weights"),
                 *_params(INFRA, "verbose"))),
    _api("aif360.sklearn.detectors.FACTS_bias_scan", "auditor", params=_params(DATA, "X")),
    _api("aif360.sklearn.detectors.MDSS_bias_scan", "auditor", aliases=("aif360.sklearn.detectors.bias_scan",),
         params=_params(DATA, "X y_true y_pred")),
    _api("aif360.detectors.MDSS", "auditor", aliases=("aif360.detectors.mdss.MDSS.MDSS",)),
    _api("aif360.detectors.bias_scan", "auditor", aliases=("aif360.detectors.mdss_detector.bias_scan",),
         params=_params(DATA, "data observations expectations")),
    _api("aif360.sklearn.metrics.mdss_bias_scan", "auditor", params=_params(DATA, "y_true probas_pred X")),
    _api("aif360.explainers.MetricTextExplainer", "auditor", params=_params(DATA, "metric")),
    _api("aif360.explainers.MetricJSONExplainer", "auditor", params=_params(DATA, "metric")),
    _api("inFairness.auditor.SenSeIAuditor", "auditor", params=_params(STRUCT, "distance_x distance_y")),
    _api("inFairness.auditor.SenSRAuditor", "auditor", params=_params(STRUCT, "loss_fn distance_x")),
)

APIS: tuple[Api, ...] = (
    *_FAIRLEARN,
    *_AIF_DATASETS,
    *_AIF_METRIC_CLASSES,
    *_AIF_SKLEARN_METRICS,
    *_AIF_ALGORITHMS,
    *_AIF_SKLEARN_ALGORITHMS,
    *_AUDITORS,
)

# Short names of the group metrics, to recognise them where they are passed rather than called
# (`scoring=make_scorer(statistical_parity_difference)`).
GROUP_METRIC_NAMES: frozenset[str] = frozenset(
    api.qualname.rsplit(".", 1)[-1] for api in APIS if "group_metric" in api.tags
)
