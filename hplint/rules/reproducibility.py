"""HPL6xx: reproducibility of tuning.

A tuning result can only be trusted, compared or reported if running the code again gives the same
splits, the same candidates and the same trials. These rules are absence checks, so each is anchored
to a concrete call (the split, the search, the study, the loader) and stays quiet when the seed may
come from somewhere the analysis cannot see: `**kwargs`, `set_params(random_state=...)`, a global
seed set anywhere in the file, or a local helper whose name mentions a seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from hplint.analysis.values import literal_value
from hplint.rules.base import Rule, register
from hplint.rules.fixes import add_keyword, module_alias, seed_value

if TYPE_CHECKING:
    from hplint.analysis.semantic import CallSite, SemanticModel
    from hplint.context import FileContext

# Parameter names that carry a seed, in the knowledge base's records.
SEED_PARAMS = ("random_state", "seed", "generator", "random_seed", "rstate", "random_state_seed")

# Global seeding calls and what they seed. numpy's global state is what scikit-learn, pandas and
# imbalanced-learn fall back on when `random_state=None`.
NUMPY_SEEDERS = frozenset({"numpy.random.seed"})
TORCH_SEEDERS = frozenset({"torch.manual_seed", "torch.random.manual_seed", "torch.cuda.manual_seed_all"})
KERAS_SEEDERS = frozenset(
    {"tensorflow.random.set_seed", "tensorflow.set_random_seed", "keras.utils.set_random_seed",
     "tensorflow.keras.utils.set_random_seed", "tensorflow.compat.v1.set_random_seed"}
)
# Seed-everything helpers of libraries: python, numpy, torch (and TF where installed).
SEED_EVERYTHING = frozenset(
    {"lightning.seed_everything", "lightning.pytorch.seed_everything", "pytorch_lightning.seed_everything",
     "lightning.fabric.seed_everything", "transformers.set_seed", "accelerate.utils.set_seed",
     "keras.utils.set_random_seed", "tensorflow.keras.utils.set_random_seed"}
)
# Roots whose seeding calls are classified above; any other call named like a seed (`set_seed(0)`
# from a local utility module, `seed_everything(42)`) is taken to seed everything.
LIBRARY_ROOTS = frozenset({"numpy", "torch", "tensorflow", "keras", "random", "optuna", "jax"})


@dataclass(frozen=True, slots=True)
class Seeding:
    """Which global random states the file seeds somewhere (order is not checked: notebooks)."""

    numpy: bool
    torch: bool
    keras: bool
    helper: bool  # a local call whose name mentions a seed: `set_seed(42)`, `seed_everything(0)`

    def covers(self, library: str) -> bool:
        if self.helper:
            return True
        if library == "torch":
            return self.torch
        if library in ("keras", "tensorflow"):
            return self.keras
        return self.numpy


def seeding(semantic: "SemanticModel") -> Seeding:
    numpy = torch = keras = helper = False
    for site in semantic.calls:
        qualname = site.qualname or ""
        if qualname in SEED_EVERYTHING:
            numpy = torch = True
            keras = keras or qualname.startswith(("keras", "tensorflow"))
        numpy = numpy or qualname in NUMPY_SEEDERS
        torch = torch or qualname in TORCH_SEEDERS
        keras = keras or qualname in KERAS_SEEDERS
        if (
            site.written
            and "seed" in site.written.rsplit(".", 1)[-1].lower()
            and qualname.split(".", 1)[0] not in LIBRARY_ROOTS
        ):
            helper = True
    return Seeding(numpy, torch, keras, helper)


def file_seeding(ctx: "FileContext") -> Seeding:
    cached = ctx.__dict__.get("_seeding")
    if cached is None:
        cached = ctx.__dict__["_seeding"] = seeding(ctx.semantic)
    return cached


def seed_param(api) -> object | None:
    for name in SEED_PARAMS:
        param = api.param(name)
        if param is not None:
            return param
    return None


def bound_name(site: "CallSite") -> str | None:
    """`name` in `name = call(...)`."""
    statement = site.statement
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and small.value is site.node and len(small.targets) == 1:
            target = small.targets[0].target
            if isinstance(target, cst.Name):
                return target.value
    return None


def seeded_later(semantic: "SemanticModel", site: "CallSite", seed: str) -> bool:
    """`search.set_params(random_state=0)` or `search.random_state = 0` after `search = ...`."""
    name = bound_name(site)
    if name is None:
        return False
    for call in semantic.calls:
        if call.written == f"{name}.set_params" and (call.keyword(seed) or any(a.star for a in call.node.args)):
            return True
    return any(a.key == seed for a in semantic.attribute_assignments.get(name, ()))


def has_star_args(site: "CallSite") -> bool:
    return any(arg.star for arg in site.node.args)


def short(site: "CallSite") -> str:
    """The callee as written (`train_test_split`, `df.sample`), or `.sample(...)` for chained calls."""
    if site.written:
        return site.written
    return f".{site.method}(...)" if site.method else (site.qualname or "call").rsplit(".", 1)[-1]


@register
class UnseededSplitOrSearch(Rule):
    code = "HPL601"
    name = "unseeded-split-or-search"
    summary = "A random split, shuffled splitter, randomized search or `df.sample` has no `random_state`"
    doc = """
    ## What it does
    Flags calls that draw random numbers to decide what the model is trained, validated or tuned on,
    without a seed: `train_test_split`, shuffling splitters (`ShuffleSplit`, `KFold(shuffle=True)`,
    `RepeatedKFold` ...), randomized and successive-halving searches, `torch.utils.data.random_split`
    and `DataFrame.sample` — every API the knowledge base tags "needs_seed".

    It stays quiet when the call gets `**kwargs`, when `random_state` is set later with
    `set_params`, and when the file seeds the global state the library falls back on
    (`np.random.seed(...)` for scikit-learn and pandas, `torch.manual_seed(...)` for PyTorch, or a
    seed helper such as `seed_everything(...)`).

    ## Why is this bad?
    Each run splits and samples differently, so scores move between runs for reasons unrelated to
    the hyperparameters. Comparing two configurations across runs then compares two different
    splits, and a result cannot be reproduced for a report or a bug hunt.

    ## Example
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    search = RandomizedSearchCV(model, space, n_iter=50)
    ```

    ## Use instead
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    search = RandomizedSearchCV(model, space, n_iter=50, random_state=42)
    ```

    ## Fix safety
    The fix is safe: it passes the file's seed to the call — a module-level `SEED` (or
    `RANDOM_SEED`, `RANDOM_STATE`) assigned before it, else `0` — as `random_state=` (or
    `generator=torch.Generator().manual_seed(...)` for `random_split`). It fixes the randomness
    the message names and nothing else. No fix is offered when the call takes `*args`.
    """
    valid = (
        """
        from sklearn.model_selection import train_test_split, KFold
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        folds = KFold(n_splits=5)  # no shuffling: deterministic
        """,
        """
        import numpy as np
        from sklearn.model_selection import train_test_split
        np.random.seed(0)
        X_train, X_test = train_test_split(X)
        """,
        """
        from sklearn.model_selection import train_test_split
        def split(X, **kwargs):
            return train_test_split(X, **kwargs)
        parts = train_test_split(X, shuffle=False)
        """,
    )
    invalid = (
        """
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        """,
        """
        from sklearn.model_selection import KFold
        folds = KFold(n_splits=5, shuffle=True)
        """,
        """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("train.csv").sample(frac=1.0)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        semantic = ctx.semantic
        seeds = file_seeding(ctx)
        pandas = any(q.split(".", 1)[0] == "pandas" for q in semantic.imports.values())
        for site in semantic.calls:
            api = site.api
            if api is None:
                if pandas and site.method == "sample":
                    self._check_sample(ctx, site, seeds)
                continue
            if "needs_seed" not in api.tags or api.role == "hpo_study" or has_star_args(site):
                continue  # HPO samplers and tuners are HPL602's
            seed = seed_param(api)
            if seed is None or site.argument(seed.name, seed.position) is not None:  # type: ignore[attr-defined]
                continue
            shuffle_param = api.param("shuffle")
            shuffle = site.argument("shuffle", shuffle_param.position) if shuffle_param else None
            shuffle_value = literal_value(shuffle.value) if shuffle is not None else None
            if "randomized" not in api.tags and shuffle_value is not True:
                continue  # KFold & co. only shuffle when asked to
            if shuffle_value is False:
                continue
            if seeds.covers(api.library) or seeded_later(semantic, site, seed.name):  # type: ignore[attr-defined]
                continue
            fix = seed_fix(ctx, site, seed.name)  # type: ignore[attr-defined]
            ctx.report(self, site.node, self._message(site, api, seed.name), fix=fix)  # type: ignore[attr-defined]

    def _message(self, site: "CallSite", api, seed: str) -> str:
        name = short(site)
        if api.role == "search":
            effect = "it samples different candidates on every run"
        elif api.role == "splitter":
            effect = "the folds differ on every run"
        else:
            effect = "the split differs on every run"
        shuffled = "(shuffle=True) " if api.role == "splitter" and "randomized" not in api.tags else ""
        value = "torch.Generator().manual_seed(42)" if seed == "generator" else "42"
        return (
            f"`{name}` {shuffled}has no `{seed}`: {effect}, so scores change between runs for reasons "
            f"unrelated to the hyperparameters; pass `{seed}={value}`"
        )

    def _check_sample(self, ctx: "FileContext", site: "CallSite", seeds: Seeding) -> None:
        receiver = site.receiver
        if receiver is None or ctx.semantic.resolve(receiver) is not None:
            return  # `random.sample`, `np.random.sample`: not a DataFrame
        if not (site.keyword("frac") or site.keyword("n")) or site.keyword("random_state"):
            return
        if has_star_args(site) or seeds.covers("pandas"):
            return
        axis = site.keyword("axis")
        if axis is not None and literal_value(axis.value) in (1, "columns"):
            return  # sampling columns, not rows
        if not isinstance(site.statement, cst.SimpleStatementLine) or not isinstance(
            site.statement.body[0], (cst.Assign, cst.AnnAssign, cst.AugAssign)
        ):
            return  # `df.sample(frac=1).head()`: a look at the data, not data the model sees
        ctx.report(
            self,
            site.node,
            f"`{short(site)}` has no `random_state`: the rows drawn differ on every run; pass "
            "`random_state=42`",
            fix=seed_fix(ctx, site, "random_state"),
        )


@register
class UnseededHpoSampler(Rule):
    code = "HPL602"
    name = "unseeded-hpo-sampler"
    summary = "An Optuna study, Hyperopt `fmin`, Keras-Tuner tuner or Ray Tune search algorithm has no seed"
    doc = """
    ## What it does
    Flags hyperparameter-optimisation runs whose sampler is not seeded: `optuna.create_study()`
    without a `sampler`, or with a sampler built without `seed=`; `hyperopt.fmin` without `rstate`;
    Keras-Tuner `RandomSearch`/`BayesianOptimization`/`Hyperband` without `seed`; Ray Tune search
    algorithms (`OptunaSearch`, `HyperOptSearch`, `BayesOptSearch`) without their seed argument.
    Samplers are checked where they are built, so a sampler passed through a variable or a
    function parameter is never reported at the study.

    ## Why is this bad?
    These samplers seed themselves from the operating system, not from `np.random.seed`: every run
    proposes different trials and may end on a different "best" configuration. Without a seed the
    study cannot be rerun to check a result or to compare a change in the objective fairly.

    ## Example
    ```python
    study = optuna.create_study(direction="maximize")
    best = fmin(objective, space, algo=tpe.suggest, max_evals=100)
    ```

    ## Use instead
    ```python
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=42))
    best = fmin(objective, space, algo=tpe.suggest, max_evals=100, rstate=np.random.default_rng(42))
    ```

    ## Fix safety
    The fix is safe: it passes the file's seed (`SEED` when the module defines one before the call,
    else `0`) as `seed=`, `rstate=np.random.default_rng(...)`, or, for `optuna.create_study()`
    without a sampler, `sampler=optuna.samplers.TPESampler(seed=...)` — the sampler Optuna uses by
    default for one objective. Multi-objective studies (`directions=`) and files without the
    needed import get no fix.
    """
    valid = (
        """
        import optuna
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
        sampler = optuna.samplers.RandomSampler(seed=1)
        other = optuna.create_study(sampler=sampler)
        """,
        """
        import optuna
        def run(sampler):
            return optuna.create_study(sampler=sampler)
        """,
    )
    invalid = (
        """
        import optuna
        study = optuna.create_study(direction="maximize")
        """,
        """
        import optuna
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(multivariate=True))
        """,
        """
        import keras_tuner
        tuner = keras_tuner.RandomSearch(build_model, objective="val_accuracy", max_trials=20)
        """,
        """
        from hyperopt import fmin, tpe
        best = fmin(objective, space, algo=tpe.suggest, max_evals=50)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        semantic = ctx.semantic
        for site in semantic.calls:
            api = site.api
            if api is None or api.role != "hpo_study" or has_star_args(site):
                continue
            sampler = api.param("sampler")
            if sampler is not None and site.argument(sampler.name, sampler.position) is not None:
                continue  # the sampler passed in is checked where it is built
            if "needs_seed" in api.tags:
                seed = seed_param(api)
                if seed is None or site.argument(seed.name, seed.position) is not None:  # type: ignore[attr-defined]
                    continue
                if seeded_later(semantic, site, seed.name):  # type: ignore[attr-defined]
                    continue
                value = "np.random.default_rng(42)" if seed.name == "rstate" else "42"  # type: ignore[attr-defined]
                ctx.report(
                    self,
                    site.node,
                    f"`{short(site)}` has no `{seed.name}`: it proposes different trials on every run, so "  # type: ignore[attr-defined]
                    f"the best configuration cannot be reproduced; pass `{seed.name}={value}`",  # type: ignore[attr-defined]
                    fix=seed_fix(ctx, site, seed.name),  # type: ignore[attr-defined]
                )
            elif sampler is not None:
                ctx.report(
                    self,
                    site.node,
                    f"`{short(site)}` uses its default sampler, seeded from the operating system: every "
                    "run proposes different trials; pass `sampler=optuna.samplers.TPESampler(seed=42)`",
                    fix=self._sampler_fix(ctx, site),
                )

    def _sampler_fix(self, ctx: "FileContext", site: "CallSite"):
        # create_study's default sampler is TPESampler for one objective; with `directions=` it is
        # NSGA-II, which a seeded TPESampler would replace: no fix there.
        optuna = module_alias(ctx, "optuna")
        if optuna is None or site.keyword("directions") is not None or site.qualname != "optuna.create_study":
            return None
        value = f"{optuna}.samplers.TPESampler(seed={seed_value(ctx, site.node)})"
        return add_keyword(ctx, site.node, "sampler", value, f"Add `sampler={value}` (the default sampler, seeded)")


def seed_fix(ctx: "FileContext", site: "CallSite", param: str):
    """Pass the file's seed constant (`SEED`), else 0, to the call's seed parameter."""
    seed = seed_value(ctx, site.node)
    if param == "generator":
        torch = module_alias(ctx, "torch")
        if torch is None:
            return None
        value = f"{torch}.Generator().manual_seed({seed})"
    elif param == "rstate":
        numpy = module_alias(ctx, "numpy")
        if numpy is None:
            return None
        value = f"{numpy}.random.default_rng({seed})"
    else:
        value = seed
    return add_keyword(ctx, site.node, param, value, f"Add `{param}={value}`")


def training_anchor(semantic: "SemanticModel") -> "CallSite | None":
    """The first construction of a network optimizer (torch or Keras)."""
    for site in semantic.calls:
        api = site.api
        if api is not None and api.role == "optimizer" and "network" in api.tags:
            return site
    return None


@register
class GlobalSeedMissing(Rule):
    code = "HPL603"
    name = "global-seed-missing"
    summary = "A network is trained in a file that never sets a global seed"
    default_enabled = False
    doc = """
    ## What it does
    Flags the first network optimizer (`torch.optim.*`, `keras.optimizers.*`) of a file that sets
    no global seed: no `torch.manual_seed`, `tf.random.set_seed`, `keras.utils.set_random_seed`,
    `seed_everything`, `transformers.set_seed`, and no local helper whose name mentions a seed.

    Off by default: training scripts are often seeded by the caller (a launcher, a config system,
    an imported utility module), which a single-file analysis cannot see (8 of 10 findings judged on
    the PyTorch examples and Kaggle kernels were right; the others were model modules).

    ## Why is this bad?
    Weight initialisation, dropout masks and data shuffling all draw from the global generators.
    Without a seed two runs of the same hyperparameters give different scores, and the difference
    between two configurations may be no more than that noise.

    ## Example
    ```python
    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    ```

    ## Use instead
    ```python
    torch.manual_seed(42)
    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    ```
    """
    valid = (
        """
        import torch
        torch.manual_seed(0)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        """,
        """
        import torch
        from utils import set_seed
        set_seed(0)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        """,
    )
    invalid = (
        """
        import torch
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        anchor = training_anchor(ctx.semantic)
        if anchor is None or anchor.api is None:
            return
        library = anchor.api.library
        if file_seeding(ctx).covers(library):
            return
        call = "torch.manual_seed(42)" if library == "torch" else "keras.utils.set_random_seed(42)"
        ctx.report(
            self,
            anchor.node,
            f"`{short(anchor)}` trains a network but the file sets no global seed: initial weights, "
            f"dropout and shuffling change on every run; call `{call}` before building the model",
        )


CUDNN = "torch.backends.cudnn"


@register
class NondeterministicTraining(Rule):
    code = "HPL604"
    name = "nondeterministic-training"
    summary = "Seeded PyTorch training still uses nondeterministic cuDNN algorithms"
    default_enabled = False
    doc = """
    ## What it does
    Flags `torch.backends.cudnn.benchmark = True`, `torch.backends.cudnn.deterministic = False` and
    `torch.use_deterministic_algorithms(False)`; and a file that seeds PyTorch and moves work to the
    GPU without asking for deterministic algorithms (`torch.use_deterministic_algorithms(True)` or
    `torch.backends.cudnn.deterministic = True`).

    Off by default: benchmark mode is a deliberate speed trade-off in most training scripts, and
    full determinism costs time; enable it where runs must be repeatable bit for bit (tuning
    comparisons, papers, regression tests).

    ## Why is this bad?
    With benchmark mode cuDNN picks convolution algorithms by timing them, and several GPU kernels
    use atomic additions: the same seed then gives slightly different weights on every run, and
    differences between hyperparameter settings of the size of that noise are not meaningful.

    ## Example
    ```python
    torch.manual_seed(0)
    torch.backends.cudnn.benchmark = True
    ```

    ## Use instead
    ```python
    torch.manual_seed(0)
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True)
    ```
    """
    valid = (
        """
        import torch
        torch.manual_seed(0)
        torch.use_deterministic_algorithms(True)
        model = model.cuda()
        """,
    )
    invalid = (
        """
        import torch
        torch.backends.cudnn.benchmark = True
        """,
        """
        import torch
        torch.manual_seed(0)
        model = model.cuda()
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        semantic = ctx.semantic
        deterministic = False
        reported = False
        for owner, assignments in semantic.attribute_assignments.items():
            if semantic.resolve_dotted(owner) != CUDNN:
                continue
            for assignment in assignments:
                value = literal_value(assignment.value)
                if assignment.key == "benchmark" and value is True:
                    reported = True
                    ctx.report(
                        self,
                        assignment.target,
                        "`cudnn.benchmark = True` lets cuDNN pick algorithms by timing: results differ "
                        "between runs even with a fixed seed; set it to False when comparing runs",
                    )
                elif assignment.key == "deterministic":
                    if value is False:
                        reported = True
                        ctx.report(
                            self,
                            assignment.target,
                            "`cudnn.deterministic = False` allows nondeterministic convolution kernels: "
                            "seeded runs still differ; set it to True when comparing runs",
                        )
                    else:
                        deterministic = True
        seed_call = None
        uses_gpu = False
        for site in semantic.calls:
            qualname = site.qualname or ""
            if qualname == "torch.use_deterministic_algorithms":
                flag = site.positional(0) or site.keyword("mode")
                if flag is not None and literal_value(flag.value) is False:
                    ctx.report(self, site.node, "`torch.use_deterministic_algorithms(False)` allows "
                               "nondeterministic kernels: seeded runs still differ")
                else:
                    deterministic = True
            elif qualname in TORCH_SEEDERS and seed_call is None:
                seed_call = site
            elif site.method == "cuda" or qualname in ("torch.cuda.is_available", "torch.device"):
                uses_gpu = True
        if seed_call is not None and uses_gpu and not deterministic and not reported:
            ctx.report(
                self,
                seed_call.node,
                f"`{short(seed_call)}` seeds PyTorch, but GPU kernels stay nondeterministic: call "
                "`torch.use_deterministic_algorithms(True)` (and set `cudnn.benchmark = False`) for "
                "repeatable runs",
            )


@register
class DataloaderWorkerSeed(Rule):
    code = "HPL605"
    name = "dataloader-worker-seed"
    summary = "A seeded script loads data in worker processes without `worker_init_fn` or `generator`"
    default_enabled = False
    doc = """
    ## What it does
    In a file that seeds PyTorch, flags a `DataLoader` with `num_workers` other than 0 that passes
    neither `worker_init_fn` nor `generator`.

    Off by default: since PyTorch 1.9 workers derive their numpy seed from the base seed, which makes
    many pipelines repeatable already; the recipe below is what PyTorch's reproducibility notes
    recommend where exact repeatability matters.

    ## Why is this bad?
    Random augmentations run inside the workers. Without a seeded `generator` for the shuffling and
    a `worker_init_fn` that seeds `random` and `numpy` per worker, the order of batches and the
    augmentations can differ between runs despite the global seed.

    ## Example
    ```python
    torch.manual_seed(0)
    loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=4)
    ```

    ## Use instead
    ```python
    def seed_worker(worker_id):
        worker_seed = torch.initial_seed() % 2**32
        numpy.random.seed(worker_seed)
        random.seed(worker_seed)

    g = torch.Generator()
    g.manual_seed(0)
    loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=4,
                        worker_init_fn=seed_worker, generator=g)
    ```
    """
    valid = (
        """
        import torch
        from torch.utils.data import DataLoader
        torch.manual_seed(0)
        loader = DataLoader(ds, shuffle=True, num_workers=4, worker_init_fn=seed_worker, generator=g)
        plain = DataLoader(ds, shuffle=True)
        """,
    )
    invalid = (
        """
        import torch
        from torch.utils.data import DataLoader
        torch.manual_seed(0)
        loader = DataLoader(ds, batch_size=64, shuffle=True, num_workers=4)
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        seeds = file_seeding(ctx)
        if not seeds.torch:
            return
        for site in ctx.semantic.calls:
            api = site.api
            if api is None or api.role != "data_loader" or has_star_args(site):
                continue
            param = api.param("num_workers")
            workers = site.argument("num_workers", param.position if param else None)
            if workers is None or literal_value(workers.value) == 0:
                continue
            if site.keyword("worker_init_fn") or site.keyword("generator"):
                continue
            ctx.report(
                self,
                site.node,
                f"`{short(site)}` loads data in worker processes (`num_workers`) without "
                "`worker_init_fn` or `generator`: batch order and augmentations can differ between "
                "seeded runs; pass `generator=torch.Generator().manual_seed(42)` and a `worker_init_fn` "
                "that seeds numpy and random",
            )
