"""The lineage lattice: what an expression holds (full, train, validation or test rows, and the
learned state, scores and predictions that came with them), how values join, and the weak evidence
of names and paths. See `hplint.analysis.dataflow` for the whole analysis and its public API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable

import libcst as cst

from hplint.knowledge.schema import Api

if TYPE_CHECKING:
    from hplint.analysis.events import FitEvent, SplitEvent

FULL, TRAIN, VALIDATION, TEST, MIXED, UNKNOWN = "full", "train", "validation", "test", "mixed", "unknown"
SPLIT_KINDS = frozenset({TRAIN, VALIDATION, TEST, MIXED})

# -- the abstract values ----------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class ObjectInfo:
    """A model, transformer, search or other fitted object (shared by its aliases)."""

    api: Api | None
    node: cst.CSTNode  # the constructor call (or whatever created it)
    name: str | None = None  # the first name it was bound to
    fits: list["FitEvent"] = field(default_factory=list)  # in order
    # For Pipeline/make_pipeline/searches: the objects inside (steps, the searched estimator).
    parts: tuple["ObjectInfo", ...] = ()
    callbacks: tuple["Value", ...] = ()  # Trainer/compile-time callbacks
    config: "Value | None" = None  # TrainingArguments of a Trainer
    cls: cst.ClassDef | None = None  # for instances of classes defined in the file
    # `self.test_loader = test_loader` in a method: attributes of instances of the file's classes.
    attributes: dict[str, "Value"] = field(default_factory=dict)

    @property
    def role(self) -> str | None:
        """The KB role; for a pipeline without a model at its end, the role of its steps
        ("preprocessor", or "feature_selector" when it selects features)."""
        role = self.api.role if self.api is not None else None
        if role != "pipeline" or not self.parts:
            return role
        roles = {part.role for part in self.parts}
        if roles <= {"preprocessor", "feature_selector", None} and roles - {None}:
            return "feature_selector" if "feature_selector" in roles else "preprocessor"
        return role

    @property
    def last_fit(self) -> "FitEvent | None":
        return self.fits[-1] if self.fits else None


@dataclass(frozen=True, slots=True, eq=False)
class Value:
    kind: str = UNKNOWN
    evidence: str = ""
    split: "SplitEvent | None" = None
    sources: frozenset = frozenset()
    fits: frozenset = frozenset()
    resampled: frozenset = frozenset()
    time_order: cst.CSTNode | None = None
    scores: frozenset = frozenset()
    obj: ObjectInfo | None = None
    items: tuple["Value", ...] | None = None
    # A dict of named splits (`load_dataset(...)`, `ds.train_test_split()`): `v["test"]` is test.
    split_dict: bool = False
    # A statistic of data (`X.mean()`): becomes a FitEvent when applied to data.
    statistic: "FitEvent | None" = None
    # Literal values when known (for loops over hyperparameter values).
    literal: bool = False
    # Row indices of a split (`for train_idx, val_idx in kf.split(X)`): `X[train_idx]` selects rows.
    indices: bool = False
    # Scores gathered per candidate (appended to a list, stored in a dict): what argmax picks from.
    collection: bool = False
    # Predict EvalEvents whose output this value holds (`y_pred`, `y_pred[:, 1]`, `y_pred.round()`).
    predictions: frozenset = frozenset()

    @property
    def is_known(self) -> bool:
        """The kind rests on what the code does, not on a variable's name."""
        return self.kind in SPLIT_KINDS and self.evidence != "name"

    @property
    def is_test(self) -> bool:
        return self.kind in (TEST, MIXED) and self.evidence != "name"

    @property
    def is_test_by_name(self) -> bool:
        """Test data only by a variable's name (a parameter, an attribute set from one, a name
        defined out of sight): evidence for the strong patterns alone (see `test_name`)."""
        return self.kind == TEST and self.evidence == "name"

    @property
    def test_name(self) -> str | None:
        """The name that makes this value test data by name evidence (`X_test`, `test_loader`)."""
        names = sorted(source[-1] for source in self.sources
                       if isinstance(source, tuple) and source[0] in ("param", "name")
                       and kind_from_name(source[-1]) == TEST)
        return names[0] if names else None

    if TYPE_CHECKING:

        def with_(self, **changes) -> "Value":
            """A copy with `changes` (field name -> new value): generated below."""


_VALUE_FIELDS = tuple(Value.__dataclass_fields__)


def _generated_with() -> "Callable[..., Value]":
    """`Value.with_(**changes)`: a copy with `changes` (field name -> new value). Generated with one
    keyword parameter per field (a missing one keeps the field), written straight into the new
    object's slots: no dict of every field, no dataclass __init__; twice as fast, and it is called
    some 100,000 times on a large notebook."""
    keep = object()
    lines = [f"def with_(self, *, {', '.join(f'{name}=_keep' for name in _VALUE_FIELDS)}):",
             "    new = _new(_Value)"]
    lines += [f"    _set(new, {name!r}, self.{name} if {name} is _keep else {name})" for name in _VALUE_FIELDS]
    lines.append("    return new")
    namespace = {"_keep": keep, "_new": object.__new__, "_Value": Value, "_set": object.__setattr__}
    exec("\n".join(lines), namespace)
    function = namespace["with_"]
    function.__doc__ = "A copy with `changes` (field name -> new value)."
    function.__qualname__ = "Value.with_"
    return function


Value.with_ = _generated_with()  # type: ignore[method-assign]
UNKNOWN_VALUE = Value()
LITERAL_VALUE = Value(literal=True)
LITERAL_TYPES = frozenset({cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString})


# -- helpers on kinds -------------------------------------------------------------------------------


def join_kinds(kinds: Iterable[str]) -> str:
    """The kind of data made of rows of all `kinds` (concatenation, arithmetic)."""
    present = {k for k in kinds if k != UNKNOWN}
    if not present:
        return UNKNOWN
    if len(present) == 1:
        return present.pop()
    if TEST in present or MIXED in present:
        return MIXED
    if present <= {TRAIN, VALIDATION, FULL}:
        return FULL if FULL in present else TRAIN
    return UNKNOWN


def combine(values: Iterable[Value], node: cst.CSTNode | None = None) -> Value:
    """Data computed from several values: rows and learned state of all of them."""
    values = [v for v in values if v is not None]
    if not values:
        return UNKNOWN_VALUE
    if len(values) == 1:
        return values[0].with_(items=None, obj=None, split_dict=False, literal=False)
    known = [v for v in values if v.kind != UNKNOWN]
    kind = join_kinds(v.kind for v in known)
    splits = {v.split for v in known if v.split is not None}
    evidence = ""
    if known:
        evidences = {v.evidence for v in known}
        evidence = "name" if evidences == {"name"} else next(
            (e for e in ("split", "key", "path", "name") if e in evidences), ""
        )
    sources: frozenset = frozenset()
    fits: frozenset = frozenset()
    resampled: frozenset = frozenset()
    scores: frozenset = frozenset()
    predictions: frozenset = frozenset()
    time_order = None
    for v in values:
        sources |= v.sources
        fits |= v.fits
        resampled |= v.resampled
        scores |= v.scores
        predictions |= v.predictions
        time_order = time_order or v.time_order
    return Value(
        kind=kind,
        evidence=evidence,
        split=splits.pop() if len(splits) == 1 else None,
        sources=sources,
        fits=fits,
        resampled=resampled,
        time_order=time_order,
        scores=scores,
        literal=all(v.literal for v in values),
        collection=any(v.collection for v in values),
        predictions=predictions,
    )


def join_branches(a: Value | None, b: Value | None) -> Value:
    """The value of a variable after an `if` whose branches bound it to `a` and `b`."""
    if a is None or a is b:
        return b or UNKNOWN_VALUE
    if b is None:
        return a
    if a.kind == b.kind:
        merged = combine([a, b])
        return merged.with_(obj=a.obj or b.obj, items=a.items if a.items is not None else b.items)
    # Test in one branch, train in the other: the variable may be either; say nothing definite.
    merged = combine([a, b])
    return merged.with_(kind=UNKNOWN, evidence="", split=None, obj=a.obj or b.obj)


_NAME_TOKENS = re.compile(r"[a-z]+")
_NAME_PREFIXES = ("x", "y", "df", "ds", "d", "data", "dataset", "features", "labels", "target")
_VALIDATION_TOKENS = frozenset({"val", "valid", "validate", "validation", "vali", "dev", "eval", "cv", "oof"})
_TEST_TOKENS = frozenset({"test", "tst", "testing", "holdout", "tests", "testset"})
_TRAIN_TOKENS = frozenset({"train", "trn", "training", "trainset"})


@lru_cache(maxsize=4096)
def kind_from_name(name: str | None) -> str | None:
    """The kind a variable's name suggests (last resort; see the module docstring).

    Words of the name (`x_validate` -> x, validate; `testloader` -> testloader), with a leading
    x/y/df/ds/data stripped (`xtest`, `dtrain`), and `*loader`/`*set`/`*data` suffixes stripped.
    """
    kinds = name_kinds(name)
    for kind in (VALIDATION, TEST, TRAIN):
        if kind in kinds:
            return kind
    return None


@lru_cache(maxsize=4096)
def name_kinds(name: str | None) -> frozenset[str]:
    """Every kind a word of the name says (`X_train_val` -> train and validation)."""
    if not name:
        return frozenset()
    kinds = set()
    for word in _NAME_TOKENS.findall(name.lower()):
        for candidate in _word_forms(word):
            if candidate in _VALIDATION_TOKENS:
                kinds.add(VALIDATION)
            elif candidate in _TEST_TOKENS:
                kinds.add(TEST)
            elif candidate in _TRAIN_TOKENS:
                kinds.add(TRAIN)
    return frozenset(kinds)


def _word_forms(word: str) -> set[str]:
    forms = {word}
    for prefix in _NAME_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            forms.add(word[len(prefix):])
    for form in list(forms):
        for suffix in ("loader", "set", "data", "df", "ds", "gen", "generator", "dataset"):
            if form.endswith(suffix) and len(form) > len(suffix) + 2:
                forms.add(form[: -len(suffix)])
    return forms


def path_kind(text: str) -> str | None:
    """`test.csv`, `data/test/`, `test_features_v2.parquet`: the kind a data file's path states."""
    pieces = text.replace("\\", "/").lower().rstrip("/").split("/")
    stem = pieces[-1].rsplit(".", 1)[0] if "." in pieces[-1] else pieces[-1]
    for words in (re.split(r"[_\-. ]+", stem), *(re.split(r"[_\-. ]+", p) for p in pieces[-3:-1])):
        if _TEST_WORDS & set(words):
            return TEST
    if _VALIDATION_WORDS & set(re.split(r"[_\-. ]+", stem)):
        return VALIDATION
    return None


_TEST_WORDS = frozenset({"test", "testing", "holdout", "tst"})
_VALIDATION_WORDS = frozenset({"val", "valid", "validation", "dev"})


KEY_KINDS = {
    "train": TRAIN,
    "training": TRAIN,
    "test": TEST,
    "testing": TEST,
    "validation": VALIDATION,
    "valid": VALIDATION,
    "val": VALIDATION,
    "dev": VALIDATION,
}

def mark_scored(values: Iterable[Value]) -> None:
    for value in values:
        for event in value.predictions:
            event.scored = True


def mark_compared(values: list[Value]) -> None:
    """`y_pred == y_test`, `y_test - y_pred`: predictions compared with other data are scored."""
    if not any(v.predictions for v in values):
        return
    for value in values:
        others = [v for v in values if v is not value]
        if value.predictions and any(not v.literal and (v.sources or v.kind != UNKNOWN)
                                     and not v.predictions & value.predictions for v in others):
            mark_scored([value])


def flatten(value: Value) -> list[Value]:
    if value.items is None:
        return [value]
    result = []
    for item in value.items:
        result.extend(flatten(item))
    return result


def scores_of(values) -> frozenset:
    result: frozenset = frozenset()
    for value in values:
        result |= value.scores
        for item in value.items or ():
            result |= item.scores
    return result


def held_out_kinds(kind: str, count: int) -> list[str]:
    """Kinds of the parts of a split of data of `kind`: train then held out (validation, test)."""
    if kind == TRAIN:
        return [TRAIN] + [VALIDATION] * (count - 1)
    if kind == TEST:
        # Held-out data split again: a validation part and the test part (names refine this).
        return [VALIDATION] + [TEST] * (count - 1)
    if kind == VALIDATION:
        return [VALIDATION] * count
    if count >= 3:
        return [TRAIN] + [VALIDATION] * (count - 2) + [TEST]
    return [TRAIN] + [TEST] * (count - 1)


def rows_of_mixed(base: Value) -> Value:
    """Some rows of a concatenation of train and test (`full[:n_train]`, `full.loc[train.index]`):
    usually one of its parts taken back out, which one the analysis does not try to prove. Neither
    mixed nor known; the learned state of the whole stays with them."""
    return base.with_(kind=UNKNOWN, evidence="", split=None, items=None, split_dict=False, literal=False)


def element_of(iterable: Value, node: cst.CSTNode) -> Value:
    """What a loop over `iterable` binds: an element of a list or tuple (`for m in models`), or
    the tuples a call yields (`kf.split(X)` yields (train, validation) pairs)."""
    if iterable.items is None:
        return iterable
    if not iterable.items:
        return iterable.with_(items=None)
    if isinstance(node, cst.Call):
        return iterable
    objects = {id(item.obj) for item in iterable.items}
    return combine(iterable.items).with_(obj=iterable.items[0].obj if len(objects) == 1 else None)


def named_param(value: Value, function: cst.FunctionDef, name: str, held_out_only: bool = False) -> Value:
    """The value of parameter `name` of `function`: `value` (from a call site), or, where that says
    nothing of the data, the kind the parameter's name suggests, as name evidence. With
    `held_out_only` (a call site is visible), only a name saying test or validation counts: a
    parameter named `X_train` given data of unknown origin is not made training data."""
    if value.kind != UNKNOWN or value.evidence or value.obj is not None or value.literal:
        return value
    kind = kind_from_name(name)
    if held_out_only and kind == TRAIN:
        kind = None
    if kind is None and value is not UNKNOWN_VALUE:
        return value
    return value.with_(kind=kind or UNKNOWN, evidence="name" if kind else "",
                       sources=value.sources | {("param", function, name)})
