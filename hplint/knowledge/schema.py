"""The shape of the ML API facts that rules read.

Every library module in `hplint.knowledge` declares a tuple `APIS` of `Api` records. Adding a library
or an estimator is a data change: no rule code names a library's class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# What a call is, for the rules that care about roles rather than names.
Role = Literal[
    "estimator",  # a model with fit/predict (sklearn-style wrappers of boosters included)
    "preprocessor",  # scaler, imputer, encoder, vectorizer, decomposition: fit then transform
    "feature_selector",  # SelectKBest, RFE, SelectFromModel, VarianceThreshold ...
    "resampler",  # SMOTE and other over/under-samplers: fit_resample
    "splitter",  # KFold and friends: .split(X, y, groups)
    "split_function",  # train_test_split, random_split: returns the pieces
    "search",  # GridSearchCV, RandomizedSearchCV, Halving*, BayesSearchCV
    "cv_scorer",  # cross_val_score, cross_validate, cross_val_predict, validation_curve
    "metric",  # accuracy_score, roc_auc_score ... (score on labels and predictions)
    "optimizer",  # torch.optim.*, keras optimizers
    "scheduler",  # learning-rate schedulers
    "layer",  # network layers whose arguments are hyperparameters (Dropout, Dense, LSTM ...)
    "regularizer",  # keras regularizers.l1/l2/l1_l2
    "callback",  # EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
    "trainer",  # Hugging Face / Lightning Trainer, keras Model.fit-like entry points
    "training_config",  # TrainingArguments and other config objects holding hyperparameters
    "booster_train",  # xgb.train, lgb.train, catboost.train: params dict + data
    "data_loader",  # DataLoader
    "hpo_study",  # optuna.create_study, hyperopt.fmin, tune.Tuner/tune.run, keras_tuner tuners
    "hpo_space",  # hp.uniform, tune.loguniform, scipy.stats distributions used as search spaces
    "pipeline",  # Pipeline, make_pipeline, ColumnTransformer
    "model",  # network containers (keras Sequential/Model, nn.Module subclasses) with compile/fit
    "auditor",  # fitted or run only to evaluate a model or data (bias detectors, recourse audits)
    "constraint",  # a fairness constraint handed to a mitigator (DemographicParity, EqualizedOdds)
    "dataset",  # a dataset object declaring its labels and protected attributes (AIF360)
]

ParamKind = Literal[
    "capacity",  # grows the model: n_estimators, max_depth, num_leaves, hidden sizes, units
    "regularization",  # restrains it: C, alpha, weight_decay, dropout, min_samples_leaf, reg_lambda
    "optimization",  # how it is trained: learning_rate, momentum, batch_size, epochs, betas
    "tunable",  # any other hyperparameter a search would tune: kernel, criterion, gamma ...
    "infrastructure",  # never a hyperparameter: random_state, seed, n_jobs, verbose, device, paths
    "data",  # the data arguments: X, y, params (model parameters), eval_set, validation_data
    "structural",  # required structure, not tuned: n_features, in_features, num_classes, input_shape
]

HYPERPARAMETER_KINDS: frozenset[str] = frozenset({"capacity", "regularization", "optimization", "tunable"})

Scale = Literal["log", "linear"]


@dataclass(frozen=True, slots=True)
class Range:
    """Valid values of a numeric parameter; `None` bounds are open."""

    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive)):
            return False
        return True


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: ParamKind = "tunable"
    # Index among positional arguments as users write them (self excluded): `SGD(params, 0.1)` has
    # `lr` at position 1, `Dropout(0.5)` has `rate` at position 0.
    position: int | None = None
    # "log" for parameters whose sensible values span orders of magnitude (learning rates, C, alpha,
    # gamma, weight decay, reg_*): searches should sample them log-uniformly.
    scale: Scale | None = None
    # A key hyperparameter: leaving it at the library default is worth a (opt-in) warning.
    key: bool = False
    # Values the API rejects or that make no sense (dropout in [0, 1), momentum in [0, 1)).
    valid: Range | None = None
    # For regularization parameters: literal values that switch regularization off
    # (`penalty=None`, `alpha=0`, `Dropout(0.0)`), and a bound beyond which it is effectively off
    # (`C >= 1e6`): `off_at_least` for inverse-strength parameters like C.
    off_values: tuple[object, ...] = ()
    off_at_least: float | None = None
    # Other spellings accepted by the library (`eta` for `learning_rate` in XGBoost).
    aliases: tuple[str, ...] = ()

    @property
    def is_hyperparameter(self) -> bool:
        return self.kind in HYPERPARAMETER_KINDS


@dataclass(frozen=True, slots=True)
class Api:
    """One callable users write: a class (its constructor) or a function."""

    qualname: str  # canonical import path: "sklearn.ensemble.RandomForestClassifier"
    role: Role
    params: tuple[Param, ...] = ()
    # Other import paths of the same object ("keras.optimizers.Adam" for "tensorflow.keras...").
    aliases: tuple[str, ...] = ()
    # Position of a params dict whose keys are `params` (`xgb.train(params, dtrain)` → 0).
    params_dict_position: int | None = None
    params_dict_keyword: str | None = None
    # For searches and cv scorers: the keyword and position of the estimator, the grid/distributions
    # and the folds (`GridSearchCV(estimator, param_grid, cv=5)`).
    estimator_position: int | None = None
    space_keyword: str | None = None
    space_position: int | None = None
    cv_keyword: str | None = None
    # For searches: does it sample (randomised) rather than enumerate a grid?
    samples: bool = False
    # The library's own default for `cv`-like folds where relevant (5 in modern sklearn).
    default_folds: int | None = None
    # Methods whose keyword arguments matter, as their own Api records (Model.fit's epochs,
    # XGBClassifier.fit's eval_set and early_stopping_rounds), keyed by method name.
    methods: tuple["Api", ...] = ()
    # Free-form tags rules may key on without new fields: "network" (trainable network optimizer),
    # "adaptive" (Adam-like: lr >= 1 implausible), "tree", "boosting", "linear", "group_aware",
    # "shuffles", "time_ordered", "randomized", "needs_seed".
    tags: frozenset[str] = field(default_factory=frozenset)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name or name in p.aliases:
                return p
        return None

    def param_at(self, position: int) -> Param | None:
        for p in self.params:
            if p.position == position:
                return p
        return None

    def method(self, name: str) -> "Api | None":
        for m in self.methods:
            if m.qualname.rsplit(".", 1)[-1] == name:
                return m
        return None

    @property
    def library(self) -> str:
        return self.qualname.split(".", 1)[0]
