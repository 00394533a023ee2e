"""ML API facts: PyTorch — torch.optim optimizers and lr_scheduler schedulers, torch.nn layers whose
arguments are hyperparameters, and torch.utils.data's DataLoader and random_split.

Every record lists its positional-or-keyword parameters in signature order (`SGD(params, 0.1)` puts
`lr` at position 1: position 0 is the model's parameters, "data") followed by keyword ones.

Choices:
- `lr` is optimization, log-scale, > 0 and the key parameter; Adam-like optimizers are tagged
  "adaptive" (an lr >= 1 is implausible for them). Adadelta is not: its default lr is 1.0.
- `eps` of optimizers and norms is a numerical-stability term: infrastructure.
- `weight_decay` is regularization (log, >= 0); explicit `0` switches it off where the default is
  not 0 (AdamW) and on SGD, where `weight_decay=0` written out usually means "forgot".
- `nn.Linear(in_features, out_features)` is structural (widths are fixed by neighbouring layers and
  the number of classes); convolution `out_channels`, recurrent `hidden_size`/`num_layers`, embedding
  and attention widths are capacity; `kernel_size`, `stride`, activations are tunable; `padding`,
  `groups`, `bias`, `batch_first` are structural.
- Scheduler lengths derived from the loop (`steps_per_epoch`, `total_steps`, `epochs` of OneCycleLR)
  are structural, so they are not reported a second time next to the training loop's own epochs.
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
    UNIT_RIGHT_CLOSED,
    ZERO,
    numbered,
)

DECAY_FACTOR = UNIT_RIGHT_CLOSED  # multiplicative lr decay


def _infra(*names: str) -> tuple[Param, ...]:
    return tuple(Param(n, INFRA) for n in names)


def api(qualname: str, role: str, positional: tuple[Param, ...], keyword: tuple[Param, ...] = (),
        tags: str = "", aliases: tuple[str, ...] = ()) -> Api:
    return Api(qualname, role, params=(*numbered(*positional), *keyword), aliases=aliases,  # type: ignore[arg-type]
               tags=frozenset(tags.split()))


# --- optimizers ----------------------------------------------------------------------------------

PARAMS = Param("params", "data")  # the model parameters (or param groups)


def lr(*, key: bool = True) -> Param:
    return Param("lr", OPT, scale="log", key=key, valid=NON_NEGATIVE)  # torch rejects only lr < 0


WEIGHT_DECAY = Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE)
WEIGHT_DECAY_OFF = Param("weight_decay", REG, scale="log", valid=NON_NEGATIVE, off_values=ZERO)
BETAS = Param("betas", OPT)
EPS = Param("eps", INFRA)
MOMENTUM = Param("momentum", OPT, valid=UNIT_LEFT_CLOSED)
AMSGRAD = Param("amsgrad", OPT)
MAXIMIZE = Param("maximize", STRUCT)
KERNEL_FLAGS = _infra("foreach", "capturable", "differentiable", "fused")
DECOUPLED = Param("decoupled_weight_decay", REG)


def optimizer(name: str, *positional: Param, keyword: tuple[Param, ...] = (), adaptive: bool = True,
              extra_tags: str = "") -> Api:
    return api(
        "torch.optim." + name,
        "optimizer",
        (PARAMS, *positional),
        (*keyword, MAXIMIZE, *KERNEL_FLAGS),
        tags=("network adaptive" if adaptive else "network") + " " + extra_tags,
    )


ADAM_LIKE = (lr(), BETAS, EPS, WEIGHT_DECAY)

_OPTIMIZERS = (
    optimizer("SGD", lr(), MOMENTUM, Param("dampening", OPT, valid=Range(0, 1)), WEIGHT_DECAY_OFF,
              Param("nesterov", OPT), adaptive=False),
    optimizer("Adam", *ADAM_LIKE, AMSGRAD, keyword=(DECOUPLED,)),
    # "decays_by_default": weight decay is on unless switched off (AdamW: 0.01).
    optimizer("AdamW", lr(), BETAS, EPS, WEIGHT_DECAY_OFF, AMSGRAD, extra_tags="decays_by_default"),
    optimizer("Adamax", *ADAM_LIKE),
    optimizer("NAdam", *ADAM_LIKE, Param("momentum_decay", OPT), keyword=(DECOUPLED,)),
    optimizer("RAdam", *ADAM_LIKE, keyword=(DECOUPLED,)),
    optimizer("SparseAdam", lr(), BETAS, EPS),
    optimizer("RMSprop", lr(), Param("alpha", OPT, valid=UNIT_LEFT_CLOSED), EPS, WEIGHT_DECAY, MOMENTUM,
              Param("centered", OPT)),
    optimizer("Adagrad", lr(), Param("lr_decay", OPT, valid=NON_NEGATIVE), WEIGHT_DECAY,
              Param("initial_accumulator_value", OPT, valid=NON_NEGATIVE), EPS),
    optimizer("Adadelta", lr(), Param("rho", OPT, valid=Range(0, 1)), EPS, WEIGHT_DECAY, adaptive=False),
    optimizer("Adafactor", lr(), Param("beta2_decay", OPT), EPS, Param("d", OPT), WEIGHT_DECAY),
    optimizer("ASGD", lr(), Param("lambd", OPT), Param("alpha", OPT), Param("t0", OPT), WEIGHT_DECAY,
              adaptive=False),
    optimizer("Rprop", lr(), Param("etas", OPT), Param("step_sizes", OPT), adaptive=False),
    api("torch.optim.LBFGS", "optimizer",
        (PARAMS, lr(key=False), Param("max_iter", INFRA), Param("max_eval", INFRA),
         Param("tolerance_grad", INFRA), Param("tolerance_change", INFRA), Param("history_size", OPT),
         Param("line_search_fn", OPT)), tags="network"),
)

# --- learning-rate schedulers --------------------------------------------------------------------

OPTIMIZER = Param("optimizer", STRUCT)
GAMMA = Param("gamma", OPT, valid=DECAY_FACTOR)
LAST = _infra("last_epoch", "verbose")
LRS = "torch.optim.lr_scheduler."


def scheduler(name: str, *positional: Param) -> Api:
    return api(LRS + name, "scheduler", (OPTIMIZER, *positional, *LAST))


_SCHEDULERS = (
    scheduler("StepLR", Param("step_size", OPT, valid=AT_LEAST_ONE), GAMMA),
    scheduler("MultiStepLR", Param("milestones", OPT), GAMMA),
    scheduler("ExponentialLR", GAMMA),
    scheduler("CosineAnnealingLR", Param("T_max", OPT, valid=AT_LEAST_ONE),
              Param("eta_min", OPT, valid=NON_NEGATIVE)),
    scheduler("CosineAnnealingWarmRestarts", Param("T_0", OPT, valid=AT_LEAST_ONE),
              Param("T_mult", OPT, valid=AT_LEAST_ONE), Param("eta_min", OPT, valid=NON_NEGATIVE)),
    scheduler("LambdaLR", Param("lr_lambda", OPT)),
    scheduler("MultiplicativeLR", Param("lr_lambda", OPT)),
    scheduler("LinearLR", Param("start_factor", OPT, valid=Range(0, 1, False, True)),
              Param("end_factor", OPT, valid=Range(0, 1)), Param("total_iters", OPT)),
    scheduler("ConstantLR", Param("factor", OPT, valid=Range(0, 1)), Param("total_iters", OPT)),
    scheduler("PolynomialLR", Param("total_iters", OPT), Param("power", OPT)),
    scheduler("SequentialLR", Param("schedulers", STRUCT), Param("milestones", OPT)),
    api(LRS + "ChainedScheduler", "scheduler", (Param("schedulers", STRUCT), OPTIMIZER)),
    api(LRS + "ReduceLROnPlateau", "scheduler",
        (OPTIMIZER, Param("mode", STRUCT), Param("factor", OPT, valid=Range(0, 1, False, False)),
         Param("patience", OPT, valid=NON_NEGATIVE), Param("threshold", OPT),
         Param("threshold_mode", OPT), Param("cooldown", OPT), Param("min_lr", OPT), EPS,
         Param("verbose", INFRA))),
    scheduler("OneCycleLR",
              Param("max_lr", OPT, scale="log", key=True, valid=POSITIVE),
              Param("total_steps", STRUCT), Param("epochs", STRUCT), Param("steps_per_epoch", STRUCT),
              Param("pct_start", OPT, valid=Range(0, 1)), Param("anneal_strategy", OPT),
              Param("cycle_momentum", OPT), Param("base_momentum", OPT), Param("max_momentum", OPT),
              Param("div_factor", OPT), Param("final_div_factor", OPT), Param("three_phase", OPT)),
    scheduler("CyclicLR",
              Param("base_lr", OPT, scale="log", valid=POSITIVE),
              Param("max_lr", OPT, scale="log", key=True, valid=POSITIVE),
              Param("step_size_up", OPT), Param("step_size_down", OPT), Param("mode", OPT), GAMMA,
              Param("scale_fn", OPT), Param("scale_mode", OPT), Param("cycle_momentum", OPT),
              Param("base_momentum", OPT), Param("max_momentum", OPT)),
    api("torch.optim.swa_utils.SWALR", "scheduler",
        (OPTIMIZER, Param("swa_lr", OPT, scale="log", valid=POSITIVE), Param("anneal_epochs", OPT),
         Param("anneal_strategy", OPT), Param("last_epoch", INFRA))),
)

# --- layers --------------------------------------------------------------------------------------

NN = "torch.nn."
FACTORY = _infra("device", "dtype")
BIAS = Param("bias", STRUCT)


def dropout_p(kind: str = REG) -> Param:
    return Param("p", kind, key=True, valid=UNIT_LEFT_CLOSED, off_values=ZERO)  # type: ignore[arg-type]


def dropout_arg(name: str = "dropout") -> Param:
    return Param(name, REG, valid=UNIT_LEFT_CLOSED, off_values=ZERO)


def layer(name: str, positional: tuple[Param, ...], keyword: tuple[Param, ...] = ()) -> Api:
    return api(NN + name, "layer", positional, keyword)


CONV = (
    Param("in_channels", STRUCT),
    Param("out_channels", CAP, key=True, valid=AT_LEAST_ONE),
    Param("kernel_size", "tunable"),
    Param("stride", "tunable"),
    Param("padding", STRUCT),
)
CONV_TAIL = (Param("dilation", "tunable"), Param("groups", STRUCT), BIAS, Param("padding_mode", "tunable"))
CONV_TRANSPOSE_TAIL = (Param("output_padding", STRUCT), Param("groups", STRUCT), BIAS,
                       Param("dilation", "tunable"), Param("padding_mode", "tunable"))
POOL = (Param("kernel_size", "tunable"), Param("stride", "tunable"), Param("padding", STRUCT))
NORM = (Param("num_features", STRUCT), EPS, Param("momentum", "tunable", valid=Range(0, 1)),
        Param("affine", STRUCT), Param("track_running_stats", STRUCT))
RECURRENT = (
    Param("input_size", STRUCT),
    Param("hidden_size", CAP, key=True, valid=AT_LEAST_ONE),
    Param("num_layers", CAP, valid=AT_LEAST_ONE),
)
RECURRENT_TAIL = (BIAS, Param("batch_first", STRUCT), dropout_arg(), Param("bidirectional", CAP))
ATTENTION_LAYER = (
    Param("d_model", CAP, key=True, valid=AT_LEAST_ONE),
    Param("nhead", CAP, valid=AT_LEAST_ONE),
    Param("dim_feedforward", CAP, valid=AT_LEAST_ONE),
    dropout_arg(),
    Param("activation", "tunable"),
    Param("layer_norm_eps", INFRA),
    Param("batch_first", STRUCT),
    Param("norm_first", "tunable"),
    BIAS,
)

_LAYERS = (
    layer("Linear", (Param("in_features", STRUCT), Param("out_features", STRUCT), BIAS), FACTORY),
    layer("LazyLinear", (Param("out_features", STRUCT), BIAS), FACTORY),
    layer("Bilinear", (Param("in1_features", STRUCT), Param("in2_features", STRUCT),
                       Param("out_features", STRUCT), BIAS), FACTORY),
    *(layer(f"Conv{d}d", (*CONV, *CONV_TAIL), FACTORY) for d in (1, 2, 3)),
    *(layer(f"ConvTranspose{d}d", (*CONV, *CONV_TRANSPOSE_TAIL), FACTORY) for d in (1, 2, 3)),
    *(layer(f"MaxPool{d}d", (*POOL, Param("dilation", "tunable"), *_infra("return_indices", "ceil_mode")))
      for d in (1, 2, 3)),
    *(layer(f"AvgPool{d}d", (*POOL, *_infra("ceil_mode", "count_include_pad"))) for d in (1, 2, 3)),
    *(layer(f"AdaptiveAvgPool{d}d", (Param("output_size", STRUCT),)) for d in (1, 2, 3)),
    *(layer(f"AdaptiveMaxPool{d}d", (Param("output_size", STRUCT), Param("return_indices", INFRA)))
      for d in (1, 2, 3)),
    *(layer(f"BatchNorm{d}d", NORM, FACTORY) for d in (1, 2, 3)),
    layer("LayerNorm", (Param("normalized_shape", STRUCT), EPS, Param("elementwise_affine", STRUCT), BIAS),
          FACTORY),
    layer("GroupNorm", (Param("num_groups", "tunable", valid=AT_LEAST_ONE), Param("num_channels", STRUCT),
                        EPS, Param("affine", STRUCT)), FACTORY),
    *(layer(name, (dropout_p(), Param("inplace", INFRA)))
      for name in ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")),
    api("torch.nn.functional.dropout", "layer",
        (Param("input", "data"), dropout_p(), Param("training", STRUCT), Param("inplace", INFRA))),
    layer("LSTM", (*RECURRENT, *RECURRENT_TAIL, Param("proj_size", CAP)), FACTORY),
    layer("GRU", (*RECURRENT, *RECURRENT_TAIL), FACTORY),
    # RNN takes `nonlinearity` before `bias` in recent releases: only the unambiguous three are positional.
    layer("RNN", RECURRENT, (Param("nonlinearity", "tunable"), *RECURRENT_TAIL, *FACTORY)),
    layer("LSTMCell", (Param("input_size", STRUCT), Param("hidden_size", CAP, key=True), BIAS), FACTORY),
    layer("GRUCell", (Param("input_size", STRUCT), Param("hidden_size", CAP, key=True), BIAS), FACTORY),
    layer("Embedding",
          (Param("num_embeddings", STRUCT), Param("embedding_dim", CAP, key=True, valid=AT_LEAST_ONE),
           Param("padding_idx", STRUCT), Param("max_norm", REG), Param("norm_type", "tunable"),
           Param("scale_grad_by_freq", "tunable"), Param("sparse", INFRA)),
          (Param("_weight", "data"), Param("_freeze", STRUCT), *FACTORY)),
    layer("TransformerEncoderLayer", ATTENTION_LAYER, FACTORY),
    layer("TransformerDecoderLayer", ATTENTION_LAYER, FACTORY),
    layer("TransformerEncoder", (Param("encoder_layer", STRUCT), Param("num_layers", CAP, key=True),
                                 Param("norm", STRUCT)), _infra("enable_nested_tensor", "mask_check")),
    layer("TransformerDecoder", (Param("decoder_layer", STRUCT), Param("num_layers", CAP, key=True),
                                 Param("norm", STRUCT))),
    layer("Transformer",
          (Param("d_model", CAP, key=True, valid=AT_LEAST_ONE), Param("nhead", CAP, valid=AT_LEAST_ONE),
           Param("num_encoder_layers", CAP), Param("num_decoder_layers", CAP),
           Param("dim_feedforward", CAP), dropout_arg(), Param("activation", "tunable"),
           Param("custom_encoder", STRUCT), Param("custom_decoder", STRUCT), Param("layer_norm_eps", INFRA),
           Param("batch_first", STRUCT), Param("norm_first", "tunable"), BIAS),
          FACTORY),
    layer("MultiheadAttention",
          (Param("embed_dim", CAP, key=True), Param("num_heads", CAP), dropout_arg(), BIAS,
           Param("add_bias_kv", STRUCT), Param("add_zero_attn", STRUCT), Param("kdim", STRUCT),
           Param("vdim", STRUCT), Param("batch_first", STRUCT)),
          FACTORY),
    layer("LeakyReLU", (Param("negative_slope", "tunable", valid=NON_NEGATIVE), Param("inplace", INFRA))),
    layer("ELU", (Param("alpha", "tunable"), Param("inplace", INFRA))),
    layer("PReLU", (Param("num_parameters", STRUCT), Param("init", "tunable")), FACTORY),
)

# --- data ----------------------------------------------------------------------------------------

_DATA = (
    api("torch.utils.data.DataLoader", "data_loader",
        (Param("dataset", "data"), Param("batch_size", OPT, key=True, valid=AT_LEAST_ONE),
         Param("shuffle", INFRA), Param("sampler", "data"), Param("batch_sampler", "data"),
         Param("num_workers", INFRA), Param("collate_fn", STRUCT), Param("pin_memory", INFRA),
         Param("drop_last", INFRA), Param("timeout", INFRA), Param("worker_init_fn", INFRA),
         Param("multiprocessing_context", INFRA), Param("generator", INFRA)),
        _infra("prefetch_factor", "persistent_workers", "pin_memory_device", "in_order"),
        tags="shuffles", aliases=("torch.utils.data.dataloader.DataLoader",)),
    api("torch.utils.data.random_split", "split_function",
        (Param("dataset", "data"), Param("lengths", INFRA), Param("generator", INFRA)),
        tags="shuffles randomized needs_seed", aliases=("torch.utils.data.dataset.random_split",)),
)

APIS: tuple[Api, ...] = (*_OPTIMIZERS, *_SCHEDULERS, *_LAYERS, *_DATA)
