"""ML API facts: Hugging Face transformers (TrainingArguments, Seq2SeqTrainingArguments, Trainer,
warmup schedules, its AdamW/Adafactor) and Lightning's Trainer and callbacks (`pytorch_lightning.*`
is rewritten to `lightning.pytorch.*` by `hplint.knowledge.normalize`).

Choices:
- Training-argument fields that change what is learned are hyperparameters: learning rate and its
  schedule, weight decay, epochs/steps, per-device *train* batch size, gradient accumulation, clipping,
  label smoothing, Adam betas. Everything about where and how the run executes — paths, logging,
  saving, evaluation cadence, precision, devices, seeds, hub settings, `report_to` — is infrastructure,
  and so are the model-selection switches (`load_best_model_at_end`, `metric_for_best_model`), which
  the leakage rules read by name rather than by kind.
- `TrainingArguments` and the Lightning `Trainer` are keyword-only in practice; only `output_dir`
  (the dataclass's first field) gets a position.
- Renamed fields keep their old spelling as an alias (`evaluation_strategy`, `tokenizer`, `gpus`).
"""

from __future__ import annotations

from hplint.knowledge.schema import Api, Param
from hplint.knowledge.vocabulary import (
    AT_LEAST_ONE,
    INFRA,
    NON_NEGATIVE,
    OPT,
    POSITIVE,
    REG,
    STRUCT,
    UNIT_CLOSED,
    UNIT_LEFT_CLOSED,
    numbered,
)


def _kind(kind: str, *names: str) -> tuple[Param, ...]:
    return tuple(Param(n, kind) for n in names)  # type: ignore[arg-type]


# --- transformers --------------------------------------------------------------------------------

TRAINING_HYPERPARAMETERS = (
    Param("learning_rate", OPT, scale="log", key=True, valid=POSITIVE),
    Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE),
    Param("num_train_epochs", OPT, key=True, valid=POSITIVE),
    Param("max_steps", OPT),
    Param("per_device_train_batch_size", OPT, key=True, valid=AT_LEAST_ONE,
          aliases=("per_gpu_train_batch_size",)),
    Param("gradient_accumulation_steps", OPT, valid=AT_LEAST_ONE),
    Param("warmup_ratio", OPT, valid=UNIT_CLOSED),
    Param("warmup_steps", OPT, valid=NON_NEGATIVE),
    Param("lr_scheduler_type", OPT),
    Param("lr_scheduler_kwargs", OPT),
    Param("adam_beta1", OPT, valid=UNIT_LEFT_CLOSED),
    Param("adam_beta2", OPT, valid=UNIT_LEFT_CLOSED),
    Param("max_grad_norm", OPT, valid=NON_NEGATIVE),
    Param("optim", OPT),
    Param("optim_args", OPT),
    Param("adafactor", OPT),
    Param("label_smoothing_factor", REG, valid=UNIT_CLOSED),
    Param("neftune_noise_alpha", REG, valid=NON_NEGATIVE),
)
TRAINING_INFRASTRUCTURE = (
    Param("eval_strategy", INFRA, aliases=("evaluation_strategy",)),
    Param("use_cpu", INFRA, aliases=("no_cuda",)),
    *_kind(
        INFRA,
        "overwrite_output_dir", "do_train", "do_eval", "do_predict", "prediction_loss_only",
        "per_device_eval_batch_size", "per_gpu_eval_batch_size", "eval_accumulation_steps", "eval_delay",
        "torch_empty_cache_steps", "adam_epsilon", "log_level", "log_level_replica", "log_on_each_node",
        "logging_dir", "logging_strategy", "logging_first_step", "logging_steps", "logging_nan_inf_filter",
        "save_strategy", "save_steps", "save_total_limit", "save_safetensors", "save_on_each_node",
        "save_only_model", "restore_callback_states_from_checkpoint", "use_mps_device", "seed", "data_seed",
        "jit_mode_eval", "use_ipex", "bf16", "fp16", "fp16_opt_level", "half_precision_backend",
        "bf16_full_eval", "fp16_full_eval", "tf32", "local_rank", "ddp_backend", "tpu_num_cores",
        "tpu_metrics_debug", "debug", "dataloader_drop_last", "eval_steps", "dataloader_num_workers",
        "dataloader_prefetch_factor", "past_index", "run_name", "disable_tqdm", "remove_unused_columns",
        "label_names", "load_best_model_at_end", "metric_for_best_model", "greater_is_better",
        "ignore_data_skip", "fsdp", "fsdp_min_num_params", "fsdp_config", "fsdp_transformer_layer_cls_to_wrap",
        "accelerator_config", "deepspeed", "group_by_length", "length_column_name", "report_to",
        "ddp_find_unused_parameters", "ddp_bucket_cap_mb", "ddp_broadcast_buffers", "dataloader_pin_memory",
        "dataloader_persistent_workers", "skip_memory_metrics", "use_legacy_prediction_loop", "push_to_hub",
        "resume_from_checkpoint", "hub_model_id", "hub_strategy", "hub_token", "hub_private_repo",
        "hub_always_push", "gradient_checkpointing", "gradient_checkpointing_kwargs",
        "include_inputs_for_metrics", "include_for_metrics", "eval_do_concat_batches", "fp16_backend",
        "mp_parameters", "auto_find_batch_size", "full_determinism", "torchdynamo", "ray_scope",
        "ddp_timeout", "torch_compile", "torch_compile_backend", "torch_compile_mode",
        "include_tokens_per_second", "include_num_input_tokens_seen", "optim_target_modules",
        "batch_eval_metrics", "eval_on_start", "use_liger_kernel", "eval_use_gather_object",
        "average_tokens_across_devices", "dispatch_batches", "split_batches", "sharded_ddp",
    ),
)
OUTPUT_DIR = numbered(Param("output_dir", INFRA))
SEQ2SEQ_FIELDS = (
    *_kind(INFRA, "sortish_sampler", "predict_with_generate", "generation_config"),
    Param("generation_max_length", "tunable"),
    Param("generation_num_beams", "tunable", valid=AT_LEAST_ONE),
)
TRAINING_ARGUMENTS = (*OUTPUT_DIR, *TRAINING_HYPERPARAMETERS, *TRAINING_INFRASTRUCTURE)
# The default optimizer is AdamW: an lr >= 1 is implausible.
CONFIG_TAGS = frozenset({"network", "adaptive"})


def trainer_methods(owner: str) -> tuple[Api, ...]:
    return (
        Api(owner + ".train", "trainer",
            params=_kind(INFRA, "resume_from_checkpoint", "trial", "ignore_keys_for_eval")),
        Api(owner + ".evaluate", "trainer",
            params=(*numbered(Param("eval_dataset", "data"), Param("ignore_keys", INFRA),
                         Param("metric_key_prefix", INFRA)),)),
        Api(owner + ".predict", "trainer",
            params=numbered(Param("test_dataset", "data"), Param("ignore_keys", INFRA), Param("metric_key_prefix", INFRA))),
        Api(owner + ".hyperparameter_search", "hpo_study",
            params=(Param("hp_space", STRUCT), Param("compute_objective", STRUCT), Param("n_trials", INFRA),
                    Param("direction", STRUCT), Param("backend", INFRA), Param("hp_name", INFRA))),
    )


TRAINER_PARAMS = (
    *numbered(
        Param("model", STRUCT), Param("args", STRUCT), Param("data_collator", STRUCT),
        Param("train_dataset", "data"), Param("eval_dataset", "data"),
        Param("processing_class", STRUCT, aliases=("tokenizer",)), Param("model_init", STRUCT),
    ),
    Param("compute_loss_func", STRUCT),
    Param("compute_metrics", STRUCT),
    Param("callbacks", "data"),
    Param("optimizers", STRUCT),
    Param("optimizer_cls_and_kwargs", STRUCT),
    Param("preprocess_logits_for_metrics", STRUCT),
)

T = "transformers."
SCHEDULE_HEAD = (Param("optimizer", STRUCT), Param("num_warmup_steps", OPT, key=True, valid=NON_NEGATIVE))
TRAINING_STEPS = Param("num_training_steps", STRUCT)
LAST_EPOCH = Param("last_epoch", INFRA)


def schedule(name: str, *positional: Param) -> Api:
    return Api(T + name, "scheduler", params=numbered(*positional, LAST_EPOCH), aliases=(T + "optimization." + name,))


_TRANSFORMERS = (
    Api(T + "TrainingArguments", "training_config", params=TRAINING_ARGUMENTS,
        aliases=(T + "training_args.TrainingArguments",
                 # TRL's trainer configs subclass TrainingArguments (their own fields are not listed).
                 *(f"trl.{name}Config" for name in ("SFT", "DPO", "GRPO", "KTO", "ORPO", "PPO", "RLOO",
                                                    "Reward", "CPO", "BCO", "GKD", "OnlineDPO"))),
        tags=CONFIG_TAGS),
    Api(T + "Seq2SeqTrainingArguments", "training_config", params=(*TRAINING_ARGUMENTS, *SEQ2SEQ_FIELDS),
        aliases=(T + "training_args_seq2seq.Seq2SeqTrainingArguments",), tags=CONFIG_TAGS),
    Api(T + "Trainer", "trainer", params=TRAINER_PARAMS, aliases=(T + "trainer.Trainer",),
        methods=trainer_methods(T + "Trainer")),
    Api(T + "Seq2SeqTrainer", "trainer", params=TRAINER_PARAMS, aliases=(T + "trainer_seq2seq.Seq2SeqTrainer",),
        methods=trainer_methods(T + "Seq2SeqTrainer")),
    Api(T + "EarlyStoppingCallback", "callback",
        params=numbered(Param("early_stopping_patience", OPT, key=True, valid=AT_LEAST_ONE),
                   Param("early_stopping_threshold", OPT, valid=NON_NEGATIVE)),
        aliases=(T + "trainer_callback.EarlyStoppingCallback",)),
    schedule("get_linear_schedule_with_warmup", *SCHEDULE_HEAD, TRAINING_STEPS),
    schedule("get_cosine_schedule_with_warmup", *SCHEDULE_HEAD, TRAINING_STEPS, Param("num_cycles", OPT)),
    schedule("get_cosine_with_hard_restarts_schedule_with_warmup", *SCHEDULE_HEAD, TRAINING_STEPS,
             Param("num_cycles", OPT)),
    schedule("get_polynomial_decay_schedule_with_warmup", *SCHEDULE_HEAD, TRAINING_STEPS,
             Param("lr_end", OPT, scale="log"), Param("power", OPT)),
    schedule("get_constant_schedule_with_warmup", *SCHEDULE_HEAD),
    Api(T + "get_scheduler", "scheduler",
        params=numbered(Param("name", OPT), Param("optimizer", STRUCT),
                   Param("num_warmup_steps", OPT, key=True, valid=NON_NEGATIVE), TRAINING_STEPS,
                   Param("scheduler_specific_kwargs", OPT)),
        aliases=(T + "optimization.get_scheduler",)),
    # transformers.AdamW was removed in 4.47 but is all over older notebooks.
    Api(T + "AdamW", "optimizer",
        params=(*numbered(Param("params", "data"), Param("lr", OPT, scale="log", key=True, valid=POSITIVE),
                     Param("betas", OPT), Param("eps", INFRA),
                     Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE, off_values=(0, 0.0)),
                     Param("correct_bias", OPT)),
                Param("no_deprecation_warning", INFRA)),
        aliases=(T + "optimization.AdamW",), tags=frozenset({"network", "adaptive"})),
    Api(T + "Adafactor", "optimizer",
        params=numbered(Param("params", "data"), Param("lr", OPT, scale="log", valid=POSITIVE), Param("eps", INFRA),
                   Param("clip_threshold", OPT), Param("decay_rate", OPT), Param("beta1", OPT),
                   Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE), Param("scale_parameter", OPT),
                   Param("relative_step", OPT), Param("warmup_init", OPT)),
        aliases=(T + "optimization.Adafactor",), tags=frozenset({"network"})),
)

# --- Lightning -----------------------------------------------------------------------------------

LP = "lightning.pytorch."
LIGHTNING_TRAINER = (
    Param("max_epochs", OPT, key=True, valid=AT_LEAST_ONE),
    Param("min_epochs", OPT),
    Param("max_steps", OPT),
    Param("min_steps", OPT),
    Param("accumulate_grad_batches", OPT, valid=AT_LEAST_ONE),
    Param("gradient_clip_val", OPT, valid=NON_NEGATIVE),
    Param("gradient_clip_algorithm", OPT),
    Param("callbacks", "data"),
    Param("accelerator", INFRA),
    Param("devices", INFRA, aliases=("gpus",)),
    *_kind(
        INFRA,
        "strategy", "num_nodes", "precision", "logger", "fast_dev_run", "max_time", "limit_train_batches",
        "limit_val_batches", "limit_test_batches", "limit_predict_batches", "overfit_batches",
        "val_check_interval", "check_val_every_n_epoch", "num_sanity_val_steps", "log_every_n_steps",
        "enable_checkpointing", "enable_progress_bar", "enable_model_summary", "deterministic", "benchmark",
        "inference_mode", "use_distributed_sampler", "profiler", "detect_anomaly", "barebones", "plugins",
        "sync_batchnorm", "reload_dataloaders_every_n_epochs", "default_root_dir", "model_registry",
        "tpu_cores", "auto_lr_find", "auto_scale_batch_size", "progress_bar_refresh_rate",
        "weights_summary", "resume_from_checkpoint", "stochastic_weight_avg", "auto_select_gpus",
    ),
)


def lightning_methods(owner: str) -> tuple[Api, ...]:
    model = Param("model", STRUCT)
    return (
        Api(owner + ".fit", "trainer",
            params=numbered(model, Param("train_dataloaders", "data"), Param("val_dataloaders", "data"),
                       Param("datamodule", "data"), Param("ckpt_path", INFRA))),
        Api(owner + ".validate", "trainer",
            params=numbered(model, Param("dataloaders", "data"), Param("ckpt_path", INFRA), Param("verbose", INFRA),
                       Param("datamodule", "data"))),
        Api(owner + ".test", "trainer",
            params=numbered(model, Param("dataloaders", "data"), Param("ckpt_path", INFRA), Param("verbose", INFRA),
                       Param("datamodule", "data"))),
    )


_LIGHTNING = (
    Api(LP + "Trainer", "trainer", params=LIGHTNING_TRAINER, aliases=("lightning.Trainer",),
        methods=lightning_methods(LP + "Trainer")),
    Api(LP + "callbacks.EarlyStopping", "callback",
        params=(*numbered(Param("monitor", INFRA), Param("min_delta", OPT, valid=NON_NEGATIVE),
                     Param("patience", OPT, key=True, valid=NON_NEGATIVE), Param("verbose", INFRA),
                     Param("mode", INFRA)),
                *_kind(INFRA, "strict", "check_finite", "log_rank_zero_only", "check_on_train_epoch_end"),
                *_kind(OPT, "stopping_threshold", "divergence_threshold")),
        aliases=("lightning.pytorch.callbacks.early_stopping.EarlyStopping",)),
    Api(LP + "callbacks.ModelCheckpoint", "callback",
        params=(*numbered(Param("dirpath", INFRA), Param("filename", INFRA), Param("monitor", INFRA)),
                *_kind(INFRA, "verbose", "save_last", "save_top_k", "save_weights_only", "mode",
                       "auto_insert_metric_name", "every_n_train_steps", "train_time_interval", "every_n_epochs",
                       "save_on_train_epoch_end", "enable_version_counter")),
        aliases=("lightning.pytorch.callbacks.model_checkpoint.ModelCheckpoint",)),
    Api(LP + "callbacks.StochasticWeightAveraging", "callback",
        params=numbered(Param("swa_lrs", OPT, scale="log", valid=POSITIVE), Param("swa_epoch_start", OPT),
                   Param("annealing_epochs", OPT), Param("annealing_strategy", OPT), Param("avg_fn", STRUCT),
                   Param("device", INFRA))),
)

APIS: tuple[Api, ...] = (*_TRANSFORMERS, *_LIGHTNING)
