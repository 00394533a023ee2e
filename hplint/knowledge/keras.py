"""ML API facts: Keras 3 and tf.keras (`tensorflow.keras.*`, `tf_keras.*` are rewritten to `keras.*`
by `hplint.knowledge.normalize`) — optimizers and learning-rate schedules, layers, regularizers and
constraints, callbacks, and the `Sequential`/`Model` containers with their compile/fit/evaluate.

Choices:
- Positions follow the Keras 3 signatures, which Keras 2 shares for the arguments numbered here:
  `Dense(64)` is `units`, `Dropout(0.5)` is `rate`, `Conv2D(32, 3)` is `filters, kernel_size`,
  `Adam(1e-3)` is `learning_rate`. Keras 2 spellings are aliases (`lr`, `nb_epoch`, `l` of l2).
- Widths (`units`, `filters`, `output_dim`, attention heads) are capacity; `kernel_size`, strides and
  activations are tunable; shapes, axes, `return_sequences`, initial layouts are structural.
- `compile(optimizer="adam", loss=...)` names the optimizer and the task: structural, not reported as
  hardcoded (the optimizer's own learning rate is what matters, and it lives on the optimizer).
- `fit(epochs, batch_size)` are optimization; `validation_split` and `shuffle` are infrastructure,
  `validation_data`, `callbacks` and the arrays are data.
- Adam-like optimizers carry "adaptive"; SGD and Adadelta do not (Adadelta's tf.keras default lr was
  1.0 before TF 2.3).
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
    STRUCT,
    UNIT_LEFT_CLOSED,
    ZERO,
    numbered,
)


def _kind(kind: str, *names: str) -> tuple[Param, ...]:
    return tuple(Param(n, kind) for n in names)  # type: ignore[arg-type]


def api(qualname: str, role: str, positional: tuple[Param, ...], keyword: tuple[Param, ...] = (),
        tags: str = "", aliases: tuple[str, ...] = (), methods: tuple[Api, ...] = ()) -> Api:
    return Api(qualname, role, params=(*numbered(*positional), *keyword), aliases=aliases,  # type: ignore[arg-type]
               methods=methods, tags=frozenset(tags.split()))


# --- optimizers ----------------------------------------------------------------------------------

# 0 is accepted: a placeholder when a LearningRateScheduler callback sets the rate each epoch.
LEARNING_RATE = Param("learning_rate", OPT, scale="log", key=True, valid=NON_NEGATIVE, aliases=("lr",))
BETA_1 = Param("beta_1", OPT, valid=UNIT_LEFT_CLOSED)
BETA_2 = Param("beta_2", OPT, valid=UNIT_LEFT_CLOSED)
EPSILON = Param("epsilon", INFRA)
MOMENTUM = Param("momentum", OPT, valid=UNIT_LEFT_CLOSED)
AMSGRAD = Param("amsgrad", OPT)
RHO = Param("rho", OPT, valid=UNIT_LEFT_CLOSED)
WEIGHT_DECAY = Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE)
# Keyword arguments every Keras 3 optimizer accepts (`decay` is the Keras 2 lr decay).
OPTIMIZER_COMMON = (
    *_kind(OPT, "clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum", "decay",
           "gradient_accumulation_steps"),
    *_kind(INFRA, "ema_overwrite_frequency", "loss_scale_factor", "name", "jit_compile"),
)
OPT_PATH = "keras.optimizers."


def optimizer(name: str, *positional: Param, adaptive: bool = True, decay_positional: bool = False) -> Api:
    keyword = OPTIMIZER_COMMON if decay_positional else (WEIGHT_DECAY, *OPTIMIZER_COMMON)
    tags = "network adaptive" if adaptive else "network"
    # "decays_by_default": weight decay is on unless switched off (AdamW: 0.004).
    return api(OPT_PATH + name, "optimizer", positional, keyword,
               tags=tags + " decays_by_default" if decay_positional else tags)


_OPTIMIZERS = (
    optimizer("SGD", LEARNING_RATE, MOMENTUM, Param("nesterov", OPT), adaptive=False),
    optimizer("Adam", LEARNING_RATE, BETA_1, BETA_2, EPSILON, AMSGRAD),
    optimizer("AdamW", LEARNING_RATE,
              Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO),
              BETA_1, BETA_2, EPSILON, AMSGRAD, decay_positional=True),
    optimizer("Adamax", LEARNING_RATE, BETA_1, BETA_2, EPSILON),
    optimizer("Nadam", LEARNING_RATE, BETA_1, BETA_2, EPSILON),
    optimizer("RMSprop", LEARNING_RATE, RHO, MOMENTUM, EPSILON, Param("centered", OPT)),
    optimizer("Adagrad", LEARNING_RATE, Param("initial_accumulator_value", OPT, valid=NON_NEGATIVE), EPSILON),
    optimizer("Adadelta", LEARNING_RATE, RHO, EPSILON, adaptive=False),
    optimizer("Lion", LEARNING_RATE, BETA_1, BETA_2),
    optimizer("Adafactor", LEARNING_RATE, Param("beta_2_decay", OPT), Param("epsilon_1", INFRA),
              Param("epsilon_2", INFRA), Param("clip_threshold", OPT), Param("relative_step", OPT)),
    optimizer("Ftrl", LEARNING_RATE, Param("learning_rate_power", OPT),
              Param("initial_accumulator_value", OPT, valid=NON_NEGATIVE),
              Param("l1_regularization_strength", REG, scale="log", valid=NON_NEGATIVE),
              Param("l2_regularization_strength", REG, scale="log", valid=NON_NEGATIVE),
              Param("l2_shrinkage_regularization_strength", REG, scale="log", valid=NON_NEGATIVE),
              Param("beta", OPT), adaptive=False),
)

INITIAL_LR = Param("initial_learning_rate", OPT, scale="log", key=True, valid=POSITIVE)
DECAY_STEPS = Param("decay_steps", OPT, valid=AT_LEAST_ONE)
DECAY_RATE = Param("decay_rate", OPT, valid=POSITIVE)
SCHEDULES = OPT_PATH + "schedules."
SCHEDULE_NAME = (Param("name", INFRA),)

_SCHEDULES = (
    api(SCHEDULES + "ExponentialDecay", "scheduler",
        (INITIAL_LR, DECAY_STEPS, DECAY_RATE, Param("staircase", OPT)), SCHEDULE_NAME),
    api(SCHEDULES + "InverseTimeDecay", "scheduler",
        (INITIAL_LR, DECAY_STEPS, DECAY_RATE, Param("staircase", OPT)), SCHEDULE_NAME),
    api(SCHEDULES + "PiecewiseConstantDecay", "scheduler",
        (Param("boundaries", OPT), Param("values", OPT)), SCHEDULE_NAME),
    api(SCHEDULES + "PolynomialDecay", "scheduler",
        (INITIAL_LR, DECAY_STEPS, Param("end_learning_rate", OPT, scale="log"), Param("power", OPT),
         Param("cycle", OPT)), SCHEDULE_NAME),
    api(SCHEDULES + "CosineDecay", "scheduler",
        (INITIAL_LR, DECAY_STEPS, Param("alpha", OPT, valid=Range(0, 1))),
        (*SCHEDULE_NAME, Param("warmup_target", OPT), Param("warmup_steps", OPT))),
    api(SCHEDULES + "CosineDecayRestarts", "scheduler",
        (INITIAL_LR, Param("first_decay_steps", OPT, valid=AT_LEAST_ONE), Param("t_mul", OPT),
         Param("m_mul", OPT), Param("alpha", OPT, valid=Range(0, 1))), SCHEDULE_NAME),
)

# --- layers --------------------------------------------------------------------------------------

L = "keras.layers."
# Keyword arguments of every layer (`input_dim` is the Keras 2 spelling of the first layer's input).
LAYER_COMMON = (*_kind(INFRA, "name", "dtype", "seed"), *_kind(STRUCT, "trainable", "input_shape", "input_dim",
                                                               "batch_input_shape", "input_length"))
ACTIVATION = Param("activation", "tunable")
USE_BIAS = Param("use_bias", STRUCT)
INITIALIZERS = _kind("tunable", "kernel_initializer", "bias_initializer")
REGULARIZERS = _kind(REG, "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                     "bias_constraint")
WEIGHTS = (*INITIALIZERS, *REGULARIZERS)


def layer(name: str, positional: tuple[Param, ...], keyword: tuple[Param, ...] = ()) -> Api:
    own = {p.name for p in (*positional, *keyword)}
    return api(L + name, "layer", positional, (*keyword, *(p for p in LAYER_COMMON if p.name not in own)))


def rate() -> Param:
    return Param("rate", REG, key=True, valid=UNIT_LEFT_CLOSED, off_values=ZERO)


def recurrent_dropout(name: str) -> Param:
    return Param(name, REG, valid=UNIT_LEFT_CLOSED)


UNITS = Param("units", CAP, key=True, valid=AT_LEAST_ONE)
FILTERS = Param("filters", CAP, key=True, valid=AT_LEAST_ONE)
KERNEL_SIZE = Param("kernel_size", "tunable")
STRIDES = Param("strides", "tunable")
PADDING = Param("padding", STRUCT)
DATA_FORMAT = Param("data_format", STRUCT)
CONV = (FILTERS, KERNEL_SIZE, STRIDES, PADDING, DATA_FORMAT, Param("dilation_rate", "tunable"),
        Param("groups", STRUCT), ACTIVATION, USE_BIAS)
POOL = (Param("pool_size", "tunable"), STRIDES, PADDING, DATA_FORMAT)
RECURRENT_TAIL = (
    *_kind("tunable", "recurrent_initializer"),
    *_kind(REG, "recurrent_regularizer", "recurrent_constraint"),
    recurrent_dropout("dropout"),
    recurrent_dropout("recurrent_dropout"),
    *_kind(STRUCT, "return_sequences", "return_state", "go_backwards", "stateful", "time_major"),
    *_kind(INFRA, "unroll", "use_cudnn"),
)
NORM_TAIL = _kind("tunable", "beta_initializer", "gamma_initializer") + _kind(
    REG, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint")
AUGMENTATION_FACTOR = Param("factor", REG)

_LAYERS = (
    layer("Dense", (UNITS, ACTIVATION, USE_BIAS, *WEIGHTS), (Param("lora_rank", CAP),)),
    layer("EinsumDense", (Param("equation", STRUCT), Param("output_shape", STRUCT), ACTIVATION),
          (Param("bias_axes", STRUCT), *WEIGHTS)),
    *(layer(name, (rate(), Param("noise_shape", STRUCT)))
      for name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout")),
    layer("GaussianDropout", (rate(),)),
    layer("GaussianNoise", (Param("stddev", REG, valid=NON_NEGATIVE, off_values=ZERO),)),
    *(layer(f"Conv{d}D", CONV, WEIGHTS) for d in (1, 2, 3)),
    *(layer(f"Conv{d}DTranspose", (FILTERS, KERNEL_SIZE, STRIDES, PADDING),
            (Param("output_padding", STRUCT), DATA_FORMAT, Param("dilation_rate", "tunable"), ACTIVATION,
             USE_BIAS, *WEIGHTS))
      for d in (1, 2, 3)),
    *(layer(f"SeparableConv{d}D", (FILTERS, KERNEL_SIZE, STRIDES, PADDING),
            (DATA_FORMAT, Param("dilation_rate", "tunable"), Param("depth_multiplier", CAP), ACTIVATION,
             USE_BIAS, *WEIGHTS))
      for d in (1, 2)),
    layer("DepthwiseConv2D", (KERNEL_SIZE, STRIDES, PADDING, Param("depth_multiplier", CAP)),
          (DATA_FORMAT, Param("dilation_rate", "tunable"), ACTIVATION, USE_BIAS, *WEIGHTS)),
    *(layer(f"{kind}Pooling{d}D", POOL) for kind in ("Max", "Average") for d in (1, 2, 3)),
    layer("BatchNormalization",
          (Param("axis", STRUCT), Param("momentum", "tunable", valid=Range(0, 1)), Param("epsilon", INFRA),
           Param("center", STRUCT), Param("scale", STRUCT)),
          (*NORM_TAIL, Param("synchronized", INFRA))),
    layer("LayerNormalization",
          (Param("axis", STRUCT), Param("epsilon", INFRA), Param("center", STRUCT), Param("scale", STRUCT)),
          (Param("rms_scaling", STRUCT), *NORM_TAIL)),
    layer("LSTM", (UNITS, ACTIVATION, Param("recurrent_activation", "tunable"), USE_BIAS),
          (*WEIGHTS, Param("unit_forget_bias", "tunable"), *RECURRENT_TAIL)),
    layer("GRU", (UNITS, ACTIVATION, Param("recurrent_activation", "tunable"), USE_BIAS),
          (*WEIGHTS, Param("reset_after", STRUCT), *RECURRENT_TAIL)),
    layer("SimpleRNN", (UNITS, ACTIVATION, USE_BIAS), (*WEIGHTS, *RECURRENT_TAIL)),
    layer("Bidirectional", (Param("layer", STRUCT), Param("merge_mode", "tunable")),
          (Param("weights", "data"), Param("backward_layer", STRUCT))),
    layer("Embedding",
          (Param("input_dim", STRUCT), Param("output_dim", CAP, key=True, valid=AT_LEAST_ONE),
           Param("embeddings_initializer", "tunable"), Param("embeddings_regularizer", REG),
           Param("embeddings_constraint", REG), Param("mask_zero", STRUCT)),
          (Param("weights", "data"), Param("lora_rank", CAP))),
    layer("MultiHeadAttention",
          (Param("num_heads", CAP, key=True, valid=AT_LEAST_ONE), Param("key_dim", CAP, valid=AT_LEAST_ONE),
           Param("value_dim", CAP), recurrent_dropout("dropout"), USE_BIAS, Param("output_shape", STRUCT),
           Param("attention_axes", STRUCT)),
          WEIGHTS),
    layer("Activation", (ACTIVATION,)),
    layer("LeakyReLU", (Param("negative_slope", "tunable", valid=NON_NEGATIVE, aliases=("alpha",)),)),
    layer("Flatten", (DATA_FORMAT,)),
    layer("Reshape", (Param("target_shape", STRUCT),)),
    layer("GlobalAveragePooling2D", (DATA_FORMAT, Param("keepdims", STRUCT))),
    layer("GlobalMaxPooling2D", (DATA_FORMAT, Param("keepdims", STRUCT))),
    layer("RandomFlip", (Param("mode", "tunable"),)),
    layer("RandomRotation", (AUGMENTATION_FACTOR, Param("fill_mode", "tunable"), Param("interpolation", "tunable"))),
    layer("RandomZoom", (Param("height_factor", REG), Param("width_factor", REG), Param("fill_mode", "tunable"))),
    layer("RandomTranslation", (Param("height_factor", REG), Param("width_factor", REG),
                                Param("fill_mode", "tunable"))),
    layer("RandomContrast", (AUGMENTATION_FACTOR,)),
    api("keras.Input", "layer",
        (Param("shape", STRUCT), Param("batch_size", STRUCT), Param("dtype", INFRA), Param("sparse", STRUCT),
         Param("batch_shape", STRUCT), Param("name", INFRA), Param("tensor", "data")),
        aliases=("keras.layers.Input",)),
)

# --- regularizers and constraints ----------------------------------------------------------------


def penalty(name: str, default_alias: str = "") -> Param:
    return Param(name, REG, scale="log", key=True, valid=NON_NEGATIVE, off_values=ZERO,
                 aliases=(default_alias,) if default_alias else ())


R = "keras.regularizers."
_REGULARIZERS = (
    api(R + "L1", "regularizer", (penalty("l1", "l"),), aliases=(R + "l1",)),
    api(R + "L2", "regularizer", (penalty("l2", "l"),), aliases=(R + "l2",)),
    api(R + "L1L2", "regularizer", (penalty("l1"), penalty("l2")), aliases=(R + "l1_l2",)),
    api(R + "OrthogonalRegularizer", "regularizer",
        (Param("factor", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO), Param("mode", STRUCT)),
        aliases=(R + "orthogonal_regularizer",)),
    api("keras.constraints.MaxNorm", "regularizer",
        (Param("max_value", REG, valid=POSITIVE), Param("axis", STRUCT)),
        aliases=("keras.constraints.max_norm",)),
)

# --- callbacks -----------------------------------------------------------------------------------

C = "keras.callbacks."
MONITOR = Param("monitor", INFRA)
PATIENCE = Param("patience", OPT, key=True, valid=NON_NEGATIVE)
_CALLBACKS = (
    api(C + "EarlyStopping", "callback",
        (MONITOR, Param("min_delta", OPT, valid=NON_NEGATIVE), PATIENCE, Param("verbose", INFRA),
         Param("mode", INFRA), Param("baseline", OPT), Param("restore_best_weights", OPT),
         Param("start_from_epoch", OPT))),
    api(C + "ModelCheckpoint", "callback",
        (Param("filepath", INFRA), MONITOR, Param("verbose", INFRA), Param("save_best_only", INFRA),
         Param("save_weights_only", INFRA), Param("mode", INFRA), Param("save_freq", INFRA),
         Param("initial_value_threshold", INFRA)),
        (Param("period", INFRA), Param("options", INFRA))),
    api(C + "ReduceLROnPlateau", "callback",
        (MONITOR, Param("factor", OPT, valid=Range(0, 1, False, False)), PATIENCE, Param("verbose", INFRA),
         Param("mode", INFRA), Param("min_delta", OPT, aliases=("epsilon",)), Param("cooldown", OPT),
         Param("min_lr", OPT))),
    api(C + "LearningRateScheduler", "callback", (Param("schedule", OPT), Param("verbose", INFRA))),
    api(C + "TensorBoard", "callback",
        (Param("log_dir", INFRA), Param("histogram_freq", INFRA), Param("write_graph", INFRA),
         Param("write_images", INFRA)),
        _kind(INFRA, "write_steps_per_second", "update_freq", "profile_batch", "embeddings_freq",
              "embeddings_metadata")),
    api(C + "CSVLogger", "callback", (Param("filename", INFRA), Param("separator", INFRA), Param("append", INFRA))),
    api(C + "TerminateOnNaN", "callback", ()),
)

# --- models --------------------------------------------------------------------------------------

X, Y = Param("x", "data"), Param("y", "data")
BATCH_SIZE = Param("batch_size", OPT, key=True, valid=AT_LEAST_ONE)
VERBOSE = Param("verbose", INFRA)


def model_methods(owner: str) -> tuple[Api, ...]:
    return (
        api(owner + ".compile", "trainer",
            (Param("optimizer", STRUCT), Param("loss", STRUCT), Param("loss_weights", "tunable"),
             Param("metrics", INFRA), Param("weighted_metrics", INFRA), Param("run_eagerly", INFRA),
             Param("steps_per_execution", INFRA), Param("jit_compile", INFRA), Param("auto_scale_loss", INFRA))),
        api(owner + ".fit", "trainer",
            (X, Y, BATCH_SIZE, Param("epochs", OPT, key=True, valid=AT_LEAST_ONE, aliases=("nb_epoch",)),
             VERBOSE, Param("callbacks", "data"), Param("validation_split", INFRA, valid=UNIT_LEFT_CLOSED),
             Param("validation_data", "data"), Param("shuffle", INFRA), Param("class_weight", "tunable"),
             Param("sample_weight", "data"), Param("initial_epoch", INFRA), Param("steps_per_epoch", INFRA),
             Param("validation_steps", INFRA), Param("validation_batch_size", INFRA),
             Param("validation_freq", INFRA)),
            _kind(INFRA, "max_queue_size", "workers", "use_multiprocessing")),
        api(owner + ".evaluate", "trainer",
            (X, Y, Param("batch_size", INFRA), VERBOSE, Param("sample_weight", "data"), Param("steps", INFRA),
             Param("callbacks", "data")),
            (Param("return_dict", INFRA),)),
    )


_MODELS = (
    api("keras.Sequential", "model", (Param("layers", STRUCT), Param("trainable", STRUCT), Param("name", INFRA)),
        aliases=("keras.models.Sequential",), methods=model_methods("keras.Sequential"), tags="network"),
    api("keras.Model", "model", (),
        (Param("inputs", STRUCT), Param("outputs", STRUCT), Param("name", INFRA), Param("trainable", STRUCT)),
        aliases=("keras.models.Model",), methods=model_methods("keras.Model"), tags="network"),
)

APIS: tuple[Api, ...] = (*_OPTIMIZERS, *_SCHEDULES, *_LAYERS, *_REGULARIZERS, *_CALLBACKS, *_MODELS)
