"""ML API facts: hyperparameter optimisation — Optuna (studies, samplers, pruners, `Trial.suggest_*`),
Hyperopt (`fmin`, `hp.*`), Ray Tune (sampling functions, `Tuner`, `run`, search algorithms and
schedulers), KerasTuner tuners and `HyperParameters`, scikit-optimize spaces, and the scipy.stats
distributions that sklearn's randomized searches take as `param_distributions`.

Choices:
- Search-space constructors are "hpo_space"; their bounds, choices and labels are structural (they
  define the space, they are not hyperparameters of a model). `log`/`sampling`/`prior` arguments are
  structural too: rules on log-scale sampling read them by name.
- Studies, tuners, samplers, search algorithms and schedulers are "hpo_study". Budgets (`n_trials`,
  `max_evals`, `max_trials`, `num_samples`, timeouts) and seeds (`seed`, `rstate`, `random_state_seed`)
  are infrastructure. Anything that draws random candidates is tagged "randomized" and "needs_seed".
- scipy.stats distributions take `(loc, scale)`, so `uniform(0.01, 0.1)` spans [0.01, 0.11]; the
  exception is `loguniform`/`reciprocal`, which take `(a, b)` bounds.
"""

from __future__ import annotations

from hplint.knowledge.schema import Api, Param
from hplint.knowledge.vocabulary import INFRA, STRUCT, numbered

SEEDED = frozenset({"randomized", "needs_seed"})


def _struct(*names: str) -> tuple[Param, ...]:
    return tuple(Param(n, STRUCT) for n in names)


def _infra(*names: str) -> tuple[Param, ...]:
    return tuple(Param(n, INFRA) for n in names)


def space(qualname: str, positional: str, keyword: str = "", aliases: tuple[str, ...] = ()) -> Api:
    """A search-space constructor: every argument is part of the space's definition."""
    return Api(qualname, "hpo_space", params=(*numbered(*_struct(*positional.split())), *_struct(*keyword.split())),
               aliases=aliases)


def study(qualname: str, positional: tuple[Param, ...] = (), keyword: tuple[Param, ...] = (),
          seeded: bool = True, aliases: tuple[str, ...] = (), methods: tuple[Api, ...] = ()) -> Api:
    return Api(qualname, "hpo_study", params=(*numbered(*positional), *keyword), aliases=aliases, methods=methods,
               tags=SEEDED if seeded else frozenset())


# --- Optuna --------------------------------------------------------------------------------------

O = "optuna."
SEED = Param("seed", INFRA)


def optimize_method(owner: str) -> Api:
    return Api(owner + ".optimize", "hpo_study", params=numbered(
        Param("func", STRUCT), Param("n_trials", INFRA), Param("timeout", INFRA), Param("n_jobs", INFRA),
        Param("catch", INFRA), Param("callbacks", INFRA), Param("gc_after_trial", INFRA),
        Param("show_progress_bar", INFRA)))


def suggest(name: str, positional: str, keyword: str = "") -> Api:
    return space(O + "trial.Trial." + name, positional, keyword,
                 aliases=(O + "Trial." + name, O + "trial.FixedTrial." + name))


STUDY_ARGS = (*_infra("storage", "study_name", "load_if_exists"),
              *_struct("sampler", "pruner", "direction", "directions"))

_OPTUNA = (
    # `optimize` is a method of the Study that create_study returns; it is listed on create_study too
    # so that `optuna.create_study(...).optimize(objective)` resolves without a return type.
    study(O + "create_study", keyword=STUDY_ARGS, seeded=False, aliases=(O + "study.create_study",),
          methods=(optimize_method(O + "create_study"),)),
    study(O + "study.Study", keyword=(*_infra("study_name", "storage"), *_struct("sampler", "pruner")),
          seeded=False, aliases=(O + "Study",), methods=(optimize_method(O + "study.Study"),)),
    study(O + "samplers.TPESampler", keyword=(
        SEED, *_infra("warn_independent_sampling", "constraints_func"),
        *_struct("consider_prior", "prior_weight", "consider_magic_clip", "consider_endpoints", "n_startup_trials",
                 "n_ei_candidates", "gamma", "weights", "multivariate", "group", "constant_liar"))),
    study(O + "samplers.RandomSampler", (SEED,)),
    study(O + "samplers.CmaEsSampler", keyword=(
        SEED, *_infra("warn_independent_sampling"),
        *_struct("x0", "sigma0", "n_startup_trials", "independent_sampler", "consider_pruned_trials",
                 "restart_strategy", "popsize", "inc_popsize", "use_separable_cma", "with_margin", "lr_adapt",
                 "source_trials"))),
    study(O + "samplers.GridSampler", (Param("search_space", STRUCT), SEED), seeded=False),
    study(O + "samplers.NSGAIISampler", keyword=(
        SEED, *_struct("population_size", "mutation", "mutation_prob", "crossover", "crossover_prob",
                       "swapping_prob", "constraints_func", "elite_population_selection_strategy",
                       "child_generation_strategy", "after_trial_strategy"))),
    study(O + "samplers.QMCSampler", keyword=(
        SEED, *_infra("warn_asynchronous_seeding", "warn_independent_sampling"),
        *_struct("qmc_type", "scramble", "independent_sampler"))),
    study(O + "samplers.GPSampler", keyword=(
        SEED, *_infra("warn_independent_sampling"),
        *_struct("independent_sampler", "n_startup_trials", "deterministic_objective", "constraints_func"))),
    study(O + "samplers.BruteForceSampler", (SEED, Param("avoid_premature_stop", STRUCT))),
    study(O + "pruners.MedianPruner", _struct("n_startup_trials", "n_warmup_steps", "interval_steps"),
          _struct("n_min_trials"), seeded=False),
    study(O + "pruners.HyperbandPruner", _struct("min_resource", "max_resource", "reduction_factor"),
          _infra("bootstrap_count"), seeded=False),
    study(O + "pruners.SuccessiveHalvingPruner",
          _struct("min_resource", "reduction_factor", "min_early_stopping_rate"), _infra("bootstrap_count"),
          seeded=False),
    suggest("suggest_float", "name low high", "step log"),
    suggest("suggest_int", "name low high", "step log"),
    suggest("suggest_categorical", "name choices"),
    suggest("suggest_uniform", "name low high"),
    suggest("suggest_loguniform", "name low high"),
    suggest("suggest_discrete_uniform", "name low high q"),
    space(O + "distributions.FloatDistribution", "low high log step"),
    space(O + "distributions.IntDistribution", "low high log step"),
    space(O + "distributions.CategoricalDistribution", "choices"),
    Api("optuna_integration.OptunaSearchCV", "search",
        params=(*numbered(Param("estimator", STRUCT), Param("param_distributions", STRUCT)),
                *_infra("cv", "enable_pruning", "error_score", "max_iter", "n_jobs", "n_trials", "random_state",
                        "refit", "return_train_score", "scoring", "study", "subsample", "timeout", "verbose",
                        "callbacks", "catch")),
        aliases=("optuna.integration.OptunaSearchCV", "optuna_integration.sklearn.OptunaSearchCV"),
        estimator_position=0, space_keyword="param_distributions", space_position=1, cv_keyword="cv",
        samples=True, default_folds=5, tags=SEEDED),
)

# --- Hyperopt ------------------------------------------------------------------------------------

HP = "hyperopt.hp."


def hp(name: str, positional: str) -> Api:
    # `hp.uniform` is `hyperopt.pyll_utils.hp_uniform` at runtime.
    return space(HP + name, positional, aliases=("hyperopt.pyll_utils.hp_" + name,))


_HYPEROPT = (
    study("hyperopt.fmin", (
        Param("fn", STRUCT), Param("space", STRUCT), Param("algo", STRUCT), Param("max_evals", INFRA),
        Param("timeout", INFRA), Param("loss_threshold", INFRA), Param("trials", INFRA), Param("rstate", INFRA),
        Param("allow_trials_fmin", INFRA), Param("pass_expr_memo_ctrl", INFRA),
        Param("catch_eval_exceptions", INFRA), Param("verbose", INFRA), Param("return_argmin", INFRA),
        Param("points_to_evaluate", STRUCT), Param("max_queue_len", INFRA), Param("show_progressbar", INFRA),
        Param("early_stop_fn", INFRA), Param("trials_save_file", INFRA),
    ), aliases=("hyperopt.fmin.fmin",)),
    hp("uniform", "label low high"),
    hp("loguniform", "label low high"),  # bounds are in log space: hp.loguniform("lr", log(1e-5), log(1e-1))
    hp("quniform", "label low high q"),
    hp("qloguniform", "label low high q"),
    hp("uniformint", "label low high"),
    hp("randint", "label upper"),
    hp("normal", "label mu sigma"),
    hp("lognormal", "label mu sigma"),
    hp("qnormal", "label mu sigma q"),
    hp("qlognormal", "label mu sigma q"),
    hp("choice", "label options"),
    hp("pchoice", "label p_options"),
)

# --- Ray Tune ------------------------------------------------------------------------------------

RT = "ray.tune."


def tune_space(name: str, positional: str) -> Api:
    return space(RT + name, positional, aliases=(RT + "search.sample." + name,))


_RAY = (
    tune_space("uniform", "lower upper"),
    tune_space("quniform", "lower upper q"),
    tune_space("loguniform", "lower upper base"),
    tune_space("qloguniform", "lower upper q base"),
    tune_space("randn", "mean sd"),
    tune_space("qrandn", "mean sd q"),
    tune_space("randint", "lower upper"),
    tune_space("qrandint", "lower upper q"),
    tune_space("lograndint", "lower upper base"),
    tune_space("qlograndint", "lower upper q base"),
    tune_space("choice", "categories"),
    tune_space("sample_from", "func"),
    space(RT + "grid_search", "values", aliases=(RT + "search.variant_generator.grid_search",)),
    study(RT + "Tuner", (Param("trainable", STRUCT),),
          (*_struct("param_space", "tune_config"), *_infra("run_config", "_tuner_kwargs")),
          seeded=False, aliases=(RT + "tuner.Tuner",)),
    study(RT + "TuneConfig", keyword=(
        *_struct("mode", "metric", "search_alg", "scheduler"),
        *_infra("num_samples", "max_concurrent_trials", "time_budget_s", "reuse_actors", "trial_name_creator",
                "trial_dirname_creator", "chdir_to_trial_dir")),
        seeded=False, aliases=(RT + "tune_config.TuneConfig",)),
    study(RT + "run", (Param("run_or_experiment", STRUCT),), (
        *_struct("config", "metric", "mode", "search_alg", "scheduler", "stop"),
        *_infra("name", "time_budget_s", "resources_per_trial", "num_samples", "storage_path", "local_dir",
                "verbose", "checkpoint_freq", "checkpoint_at_end", "keep_checkpoints_num", "max_failures",
                "resume", "reuse_actors", "raise_on_failed_trial", "callbacks", "progress_reporter",
                "max_concurrent_trials")),
        seeded=False, aliases=(RT + "tune.run",)),
    study(RT + "search.optuna.OptunaSearch",
          (*_struct("space", "metric", "mode", "points_to_evaluate", "sampler"), SEED),
          _struct("evaluated_rewards")),
    study(RT + "search.hyperopt.HyperOptSearch",
          (*_struct("space", "metric", "mode", "points_to_evaluate", "n_initial_points"),
           Param("random_state_seed", INFRA), Param("gamma", STRUCT))),
    study(RT + "search.bayesopt.BayesOptSearch",
          (*_struct("space", "metric", "mode", "points_to_evaluate", "utility_kwargs"),
           Param("random_state", INFRA), Param("random_search_steps", STRUCT))),
    study(RT + "search.ConcurrencyLimiter", (Param("searcher", STRUCT), Param("max_concurrent", INFRA)),
          (Param("batch", INFRA),), seeded=False),
    study(RT + "schedulers.ASHAScheduler",
          keyword=(*_struct("time_attr", "metric", "mode", "max_t", "grace_period", "reduction_factor",
                            "brackets"), Param("stop_last_trials", INFRA)),
          seeded=False, aliases=(RT + "schedulers.AsyncHyperBandScheduler",)),
    study(RT + "schedulers.HyperBandScheduler",
          keyword=(*_struct("time_attr", "metric", "mode", "max_t", "reduction_factor"),
                   Param("stop_last_trials", INFRA)), seeded=False),
    study(RT + "schedulers.PopulationBasedTraining",
          keyword=(*_struct("time_attr", "metric", "mode", "perturbation_interval", "burn_in_period",
                            "hyperparam_mutations", "quantile_fraction", "resample_probability",
                            "perturbation_factors", "custom_explore_fn"),
                   *_infra("log_config", "require_attrs", "synch"))),
)

# --- KerasTuner ----------------------------------------------------------------------------------

KT = "keras_tuner."
TUNER_HEAD = (Param("hypermodel", STRUCT), Param("objective", STRUCT), Param("max_trials", INFRA))
TUNER_KWARGS = (
    *_struct("hyperparameters", "tune_new_entries", "allow_new_entries"),
    *_infra("max_retries_per_trial", "max_consecutive_failed_trials", "directory", "project_name", "overwrite",
            "executions_per_trial", "distribution_strategy", "logger", "max_model_size", "tuner_id"),
)


def tuner(name: str, *positional: Param) -> Api:
    return study(KT + name, positional, TUNER_KWARGS, aliases=(KT + "tuners." + name,))


KT_HP = KT + "HyperParameters."
_KERAS_TUNER = (
    tuner("RandomSearch", *TUNER_HEAD, SEED),
    tuner("GridSearch", *TUNER_HEAD, SEED),
    tuner("BayesianOptimization", *TUNER_HEAD, *_struct("num_initial_points", "alpha", "beta"), SEED),
    tuner("Hyperband", Param("hypermodel", STRUCT), Param("objective", STRUCT), Param("max_epochs", STRUCT),
          Param("factor", STRUCT), Param("hyperband_iterations", INFRA), SEED),
    space(KT_HP + "Int", "name min_value max_value step sampling default parent_name parent_values",
          aliases=(KT + "engine.hyperparameters.HyperParameters.Int",)),
    space(KT_HP + "Float", "name min_value max_value step sampling default parent_name parent_values",
          aliases=(KT + "engine.hyperparameters.HyperParameters.Float",)),
    space(KT_HP + "Choice", "name values ordered default parent_name parent_values",
          aliases=(KT + "engine.hyperparameters.HyperParameters.Choice",)),
    space(KT_HP + "Boolean", "name default parent_name parent_values",
          aliases=(KT + "engine.hyperparameters.HyperParameters.Boolean",)),
    space(KT_HP + "Fixed", "name value parent_name parent_values",
          aliases=(KT + "engine.hyperparameters.HyperParameters.Fixed",)),
)

# --- scikit-optimize spaces and scipy.stats distributions ----------------------------------------

SS = "scipy.stats."


def distribution(name: str, positional: str, keyword: str = "") -> Api:
    return space(SS + name, positional, keyword, aliases=(SS + "distributions." + name,))


_SPACES = (
    space("skopt.space.Real", "low high prior base transform name dtype", aliases=("skopt.space.space.Real",)),
    space("skopt.space.Integer", "low high prior base transform name dtype",
          aliases=("skopt.space.space.Integer",)),
    space("skopt.space.Categorical", "categories prior transform name", aliases=("skopt.space.space.Categorical",)),
    distribution("uniform", "loc scale"),
    distribution("loguniform", "a b", "loc scale"),
    distribution("reciprocal", "a b", "loc scale"),
    distribution("randint", "low high loc"),
    distribution("expon", "loc scale"),
    distribution("truncnorm", "a b loc scale"),
    distribution("lognorm", "s loc scale"),
    distribution("poisson", "mu loc"),
    distribution("halfnorm", "loc scale"),
    # Not norm/beta/gamma: lookup falls back on (root, short name), and scipy.linalg.norm,
    # scipy.special.beta/gamma would then resolve to these distributions.
)

APIS: tuple[Api, ...] = (*_OPTUNA, *_HYPEROPT, *_RAY, *_KERAS_TUNER, *_SPACES)
