"""HPL411: rows repeat per entity (several scans per patient, sessions per user) and the split cuts
rows, not entities, so one entity's rows land on both sides.

The evidence is gathered from the code, in three parts that must all hold for one split:
1. a column whose name identifies a repeated entity (`hplint.knowledge.groups.GROUP_KEYS`) is a
   column of the split data (its frame shares an origin with the split's inputs in the data flow);
2. that column is dropped from the features somewhere (`drop(columns=...)`, `pop`, `del`): the code
   treats it as an identifier, not as a feature the model may memorise on purpose (recommenders);
3. its rows repeat: a row-preserving per-key `groupby` (`transform`, `shift`, `cumcount` ...), rows
   counted per key (`value_counts`), or the frame's name or file saying its rows are
   records of the entity (`scans`, `sessions.csv`).
It stays silent when the file handles groups anywhere (`groups=`, a group-aware splitter), when the
key is deduplicated, taken `unique()`, used in `isin` (a split over ids written by hand), or
aggregated per key into a table (then rows are one per key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from hplint import knowledge
from hplint.analysis.syntax import root_name, string_parts
from hplint.analysis.values import literal_value
from hplint.analysis.walk import walk
from hplint.knowledge.groups import (
    AGGREGATE_GROUP_METHODS,
    COUNT_METHODS,
    DROP_METHODS,
    GROUP_KEYS,
    GROUP_KEYWORDS,
    RECORD_WORDS,
    ROW_SPLITTERS,
    ROWWISE_GROUP_METHODS,
    UNIQUE_FUNCTIONS,
    UNIQUE_METHODS,
)
from hplint.rules.base import Rule, register

if TYPE_CHECKING:
    from hplint.context import FileContext

_SEPARATORS = re.compile(r"[\s_\-.]")
_WORDS = re.compile(r"[a-z]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")


def _key(text: object) -> str | None:
    """`text` if it names a group-key column (`patient_id`, `PatientID`), else None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    return text if _SEPARATORS.sub("", text.lower()) in GROUP_KEYS else None


def _entity(key: str) -> str:
    return GROUP_KEYS[_SEPARATORS.sub("", key.lower())][0]


def _accepts(key: str, evidence: str) -> bool:
    return evidence in GROUP_KEYS[_SEPARATORS.sub("", key.lower())][1]


def _keys_in(node: cst.BaseExpression | None) -> list[str]:
    """Group keys named by a literal string or list of strings."""
    value = literal_value(node)
    values = value if isinstance(value, (list, tuple)) else [value]
    return [k for k in (_key(v) for v in values) if k is not None]


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(_CAMEL.sub(r"\1_\2", text).lower()))


def _text(node: cst.CSTNode) -> str:
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 50 else text[:47] + "…"


@dataclass(frozen=True, slots=True, eq=False)
class _Use:
    key: str
    kind: str  # column, drop, rowwise, count, unique, aggregate
    node: cst.CSTNode  # what a message names
    frame: cst.BaseExpression  # the frame expression holding the column


def _column_of(node: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
    """`df["patient_id"]` / `df.patient_id` -> ("patient_id", df)."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index):
            keys = _keys_in(index.value)
            if len(keys) == 1 and isinstance(index.value, (cst.SimpleString, cst.ConcatenatedString)):
                return keys[0], node.value
    if isinstance(node, cst.Attribute) and _key(node.attr.value):
        return node.attr.value, node.value
    return None


def _arg(call: cst.Call, keyword: str, position: int | None = None) -> cst.BaseExpression | None:
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return arg.value
        elif not arg.star:
            if index == position:
                return arg.value
            index += 1
    return None


def _is_groupby(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "groupby"


def _groupby_of(node: cst.BaseExpression, named: dict[str, cst.Call]) -> cst.Call | None:
    """The `groupby(...)` call a method is called on: `df.groupby(k).m()`, `df.groupby(k)[c].m()`,
    `groups[c].m()` after `groups = df.groupby(k)`."""
    if isinstance(node, cst.Subscript):
        node = node.value
    if isinstance(node, cst.Name):
        return named.get(node.value)
    return node if _is_groupby(node) else None


class _Collector(cst.CSTVisitor):
    """Every use of a group-key column in the file, and whether the file handles groups at all."""

    def __init__(self, ctx: "FileContext") -> None:
        super().__init__()
        self.ctx = ctx
        self.uses: list[_Use] = []
        self.handles_groups: cst.CSTNode | None = None
        self.bound: dict[int, list[str]] = {}  # id(call) -> names its chain's result is bound to
        self.groupbys: dict[str, cst.Call] = {}  # `groups = df.groupby(k)`: name -> the call
        self._statement: cst.CSTNode | None = None
        self._loop_iterables: set[int] = set()
        self._calls: list[cst.Call] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def visit_For(self, node: cst.For) -> None:
        self._loop_iterables.add(id(node.iter))

    def visit_Assign(self, node: cst.Assign) -> None:
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        value = node.value
        if _is_groupby(value):
            self.groupbys.update((name, value) for name in names)
        while isinstance(value, (cst.Call, cst.Attribute, cst.Subscript)):
            if isinstance(value, cst.Call):
                self.bound.setdefault(id(value), []).extend(names)
                value = value.func
            else:
                value = value.value

    def visit_Del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else ()
        for target in [node.target, *(e.value for e in targets)]:
            column = _column_of(target) if isinstance(target, cst.Subscript) else None
            if column:
                self.uses.append(_Use(column[0], "drop", node, column[1]))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        column = _column_of(node)
        if column:
            self.uses.append(_Use(column[0], "column", node, column[1]))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        column = _column_of(node)
        if column:
            self.uses.append(_Use(column[0], "column", node, column[1]))

    def leave_Call(self, original_node: cst.Call) -> None:
        self._calls.pop()

    def _shown_only(self, node: cst.Call) -> bool:
        """`for p in df.patient_id.unique()`, `print(df.patient_id.unique())`, a notebook cell showing
        it: unique ids looped over or looked at, not split."""
        if id(node) in self._loop_iterables:
            return True
        outer = self._calls[-2] if len(self._calls) > 1 else None
        if outer is not None and isinstance(outer.func, cst.Name) and outer.func.value in ("print", "len", "display"):
            return True
        statement = self._statement
        return outer is None and isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
            and isinstance(statement.body[0], cst.Expr) and statement.body[0].value is node

    def visit_Call(self, node: cst.Call) -> None:
        self._calls.append(node)
        site = self.ctx.semantic.call_by_node.get(node)
        if any(arg.keyword is not None and arg.keyword.value in GROUP_KEYWORDS for arg in node.args):
            self.handles_groups = self.handles_groups or node
        if site is not None and site.api is not None and "group_aware" in site.api.tags:
            self.handles_groups = self.handles_groups or node
        qualname = knowledge.normalize(site.qualname) if site is not None and site.qualname else ""
        if qualname in UNIQUE_FUNCTIONS and node.args:
            column = _column_of(node.args[0].value)
            if column:
                self.uses.append(_Use(column[0], "unique", node, column[1]))
        if not isinstance(node.func, cst.Attribute):
            return
        method, receiver = node.func.attr.value, node.func.value
        if method in DROP_METHODS:
            self._drop(node, method, receiver)
        elif method == "drop_duplicates":
            for key in _keys_in(_arg(node, "subset", 0)):
                self.uses.append(_Use(key, "unique", node, receiver))
        elif method == "isin" and node.args:
            column = _column_of(node.args[0].value)
            if column:
                self.uses.append(_Use(column[0], "unique", node, column[1]))
        column = _column_of(receiver)
        if column and (method in COUNT_METHODS or method in UNIQUE_METHODS):
            kind = "count" if method in COUNT_METHODS else "unique"
            if kind == "unique" and method != "isin" and self._shown_only(node):
                kind = "column"
            self.uses.append(_Use(column[0], kind, node, column[1]))
        groupby = _groupby_of(receiver, self.groupbys)
        if groupby is not None and isinstance(groupby.func, cst.Attribute):
            by = literal_value(_arg(groupby, "by", 0))
            keys = _keys_in(_arg(groupby, "by", 0))
            single = isinstance(by, str) or (isinstance(by, (list, tuple)) and len(by) == 1)
            for key in keys:
                if method in ROWWISE_GROUP_METHODS:
                    kind = "rowwise"
                elif method in AGGREGATE_GROUP_METHODS or method == "reset_index":
                    kind = "count" if self._inspection() else ("aggregate" if single else "rowwise")
                else:
                    continue
                self.uses.append(_Use(key, kind, node, groupby.func.value))

    def _inspection(self) -> bool:
        """The statement only shows a value (`df.groupby(k).size()` as a notebook cell, `print(...)`)."""
        statement = self._statement
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        if not isinstance(small, cst.Expr):
            return False
        value = small.value
        return not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute) \
            or value.func.attr.value not in ("to_csv", "to_pickle", "to_parquet")

    def _drop(self, node: cst.Call, method: str, receiver: cst.BaseExpression) -> None:
        if method == "pop":
            keys = _keys_in(_arg(node, "item", 0))
        else:
            keys = _keys_in(_arg(node, "columns"))
            axis = literal_value(_arg(node, "axis", 1))
            if axis in (1, "columns"):
                keys += _keys_in(_arg(node, "labels", 0))
        for key in keys:
            self.uses.append(_Use(key, "drop", node, receiver))


@dataclass(frozen=True, slots=True)
class _Split:
    node: cst.CSTNode
    how: str  # "`train_test_split`", "`KFold` (`folds`)"
    data: tuple  # Values split
    data_text: str


def _cv_splitter(ctx: "FileContext", cv: cst.BaseExpression | None) -> str | None:
    """How a `cv=` argument splits, when it cuts rows: "default 5-fold", "`KFold(...)`"; else None."""
    if cv is None:
        return "its default K-fold"
    value = literal_value(cv)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"`cv={value}` (K-fold)"
    if value is None:
        return "its default K-fold"
    found = ctx.dataflow.value_of(cv)
    obj = found.obj if found is not None else None
    if obj is not None and obj.api is not None and knowledge.normalize(obj.api.qualname) in ROW_SPLITTERS:
        kind = obj.api.qualname.rsplit(".", 1)[-1]
        return f"`{obj.name}` (a `{kind}`)" if obj.name else f"`{kind}(...)`"
    return None


def _row_splits(ctx: "FileContext") -> list[_Split]:
    """Splits and cross-validations that cut rows with no groups."""
    flow = ctx.dataflow
    found: list[_Split] = []
    for split in flow.splits:
        if split.method == "train_test_split":
            found.append(_Split(split.node, "`train_test_split`", split.inputs, split.source_text))
        elif split.method == "kfold" and split.splitter is not None and split.splitter.api is not None:
            if knowledge.normalize(split.splitter.api.qualname) not in ROW_SPLITTERS:
                continue
            if isinstance(split.node, cst.Call) and len([a for a in split.node.args if a.keyword is None]) >= 3:
                continue  # `.split(X, y, groups)`
            kind = split.splitter.api.qualname.rsplit(".", 1)[-1]
            name = f"`{split.splitter.name}` (a `{kind}`)" if split.splitter.name else f"`{kind}(...)`"
            found.append(_Split(split.node, name, split.inputs, split.source_text))
    for event in flow.evaluations:
        if event.role != "cv" or not isinstance(event.node, cst.Call):
            continue
        if len([a for a in event.node.args if a.keyword is None]) >= 4:
            continue  # `cross_val_score(model, X, y, groups)`
        how = _cv_splitter(ctx, _arg(event.node, "cv"))
        if how is not None:
            texts = ", ".join(f"`{t}`" for t in event.data_text if t) or "the data"
            found.append(_Split(event.node, f"`{event.method}` with {how}", event.data, texts))
    for fit in flow.fits:
        if fit.role != "search" or fit.obj is None or not isinstance(fit.obj.node, cst.Call):
            continue
        how = _cv_splitter(ctx, _arg(fit.obj.node, "cv"))
        if how is not None:
            kind = fit.obj.api.qualname.rsplit(".", 1)[-1] if fit.obj.api is not None else "search"
            name = f"`{fit.obj.name}` (a `{kind}`)" if fit.obj.name else f"`{kind}(...)`"
            texts = ", ".join(f"`{t}`" for t in fit.data_text if t) or "the data"
            found.append(_Split(fit.node, f"{name} with {how}", fit.data, texts))
    return found


@register
class SplitIgnoresGroupKey(Rule):
    code = "HPL411"
    name = "split-ignores-group-key"
    summary = "Rows repeat per patient, user or subject, and the split cuts rows instead of groups"
    severity = "warning"
    doc = """
    ## What it does
    Finds train/test splits and cross-validations that cut rows (`train_test_split`, `KFold`,
    `StratifiedKFold`, `ShuffleSplit`, `cross_val_score` or a `*SearchCV` with their default
    folds) of data whose rows repeat per entity, when the entity's key is passed nowhere. The
    evidence must all be in the code:

    - a column named like an entity id (`patient_id`, `subject`, `user_id`, `customer_id`,
      `session_id`, `group` ...) is a column of the split data;
    - the code drops that column from the features (`drop(columns=...)`, `pop`, `del`): it is an
      identifier, not a feature;
    - its rows repeat: a row-preserving `groupby(key)` (`transform`, `shift`, `cumcount` ...),
      rows counted per key (`value_counts()`, `groupby(key).size()` shown; not `nunique()`, as
      often a check that ids are unique), or the
      frame or its file named for records of the entity (`scans`, `visits`, `sessions.csv`).
      How much evidence a key needs depends on the key: ids of patients, study subjects and
      donors accept any; ids that are as often one row per entity (`user_id`, `customer_id`:
      a count is then usually a uniqueness check) need a row-preserving groupby or a record
      name; bare words that are also categories (`group`, `subject` of a news article, `speaker`)
      need a record name.

    It is silent when the file passes `groups=` anywhere or uses a group-aware splitter
    (`GroupKFold`, `GroupShuffleSplit`, `StratifiedGroupKFold`, `LeaveOneGroupOut`), and when the key
    is deduplicated (`drop_duplicates("user_id")`), split as unique ids (`df.patient_id.unique()`),
    used to pick rows (`isin`) or aggregated into one row per key (`groupby("user_id").agg(...)`).
    Ids that are unique per row in most datasets (`Id`, `PassengerId`, `image_id`) are not keys.

    ## Why is this bad?
    Rows of one patient (user, subject) are more alike than rows of different ones. Cut by row,
    the test set holds patients the model has already seen, so the score measures recognising
    them, not generalising to new ones; hyperparameters chosen on it favour memorisation.

    ## Example
    ```python
    scans = pd.read_csv("scans.csv")  # several scans per patient
    X = scans.drop(columns=["diagnosis", "patient_id"])
    X_train, X_test, y_train, y_test = train_test_split(X, scans["diagnosis"])
    ```

    ## Use instead
    ```python
    splitter = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
    train_idx, test_idx = next(splitter.split(X, y, groups=scans["patient_id"]))
    ```
    or `GroupKFold` / `StratifiedGroupKFold` with `groups=` in `cross_val_score` and searches.
    """
    valid = (
        """
        import pandas as pd
        from sklearn.model_selection import GroupShuffleSplit
        scans = pd.read_csv("scans.csv")
        X = scans.drop(columns=["diagnosis", "patient_id"])
        splitter = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
        train_idx, test_idx = next(splitter.split(X, scans["diagnosis"], groups=scans["patient_id"]))
        """,
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        titanic = pd.read_csv("train.csv")
        X = titanic.drop(columns=["PassengerId", "Survived"])
        X_train, X_test, y_train, y_test = train_test_split(X, titanic["Survived"])
        """,
    )
    invalid = (
        """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        scans = pd.read_csv("scans.csv")
        X = scans.drop(columns=["diagnosis", "patient_id"])
        X_train, X_test, y_train, y_test = train_test_split(X, scans["diagnosis"])
        """,
    )

    def check(self, ctx: "FileContext") -> None:
        collector = _Collector(ctx)
        walk(ctx.module, collector)
        if collector.handles_groups is not None or not any(u.kind == "drop" for u in collector.uses):
            return
        flow = ctx.dataflow
        handled = {u.key.lower() for u in collector.uses if u.kind in ("unique", "aggregate")}
        uses = [u for u in collector.uses if u.key.lower() not in handled]
        if not uses:
            return
        origins = {id(u): _sources(flow, u.frame) for u in uses}
        reported: set = set()
        for split in _row_splits(ctx):
            split_sources = frozenset().union(*(v.sources for v in split.data)) if split.data else frozenset()
            if not split_sources:
                continue
            linked = [u for u in uses if origins[id(u)] & split_sources]
            for key in sorted({u.key for u in linked if u.kind == "drop"}):
                if (id(split.node), key.lower()) in reported:
                    continue
                mine = [u for u in linked if u.key.lower() == key.lower()]
                repeat = self._repetition(ctx, collector, mine, split_sources)
                if repeat is None:
                    continue
                reported.add((id(split.node), key.lower()))
                self._report(ctx, split, key, mine, repeat)

    def _repetition(self, ctx, collector, uses: list[_Use], sources) -> tuple[str, cst.CSTNode | None] | None:
        """Why the key's rows repeat: (phrase, node to name) or None."""
        key = uses[0].key
        for kind, phrase in (("rowwise", "is grouped row by row"), ("count", "has its rows counted")):
            use = next((u for u in uses if u.kind == kind), None) if _accepts(key, kind) else None
            if use is not None:
                return f"`{_text(use.node)}` {phrase}", use.node
        for name, node in _origin_names(ctx, collector, uses, sources) if _accepts(key, "name") else ():
            words = _words(name) & RECORD_WORDS
            if words:
                what = "the file" if node is not None else "the name"
                return f"the rows are {sorted(words)[0]} by {what} `{name}`", node
        return None

    def _report(self, ctx, split: _Split, key: str, uses: list[_Use], repeat) -> None:
        drop = next(u for u in uses if u.kind == "drop")
        entity = _entity(key)
        phrase, repeat_node = repeat
        nodes = [n for n in (split.node, drop.node, repeat_node) if n is not None]
        ctx.prefetch_positions(nodes)
        related = [(f"`{key}` dropped from the features here", drop.node)]
        where_repeat = ""
        if repeat_node is not None and repeat_node is not drop.node:
            related.append((f"rows per {entity} repeat: {phrase}", repeat_node))
            where_repeat = f" at {ctx.where(repeat_node)}"
        ctx.report(
            self,
            split.node,
            f"{split.how} cuts {split.data_text} by row, but `{key}` identifies a {entity} with several rows "
            f"({phrase}{where_repeat}) and is dropped as an identifier at {ctx.where(drop.node)}: rows "
            f"of one {entity} end up on both sides of the split; split by {entity} (`GroupShuffleSplit`/`GroupKFold` "
            f"with `groups=`)",
            related=related,
        )


def _sources(flow, frame: cst.BaseExpression) -> frozenset:
    value = flow.value_of(frame)
    if value is None or value.obj is not None:
        return frozenset()
    return value.sources


def _origin_names(ctx, collector: _Collector, uses: list[_Use], sources):
    """Names the split data goes by: the frames holding the key, the names its origins were bound
    to, the parameters it came through, the paths it was read from."""
    for use in uses:
        name = root_name(use.frame)
        if name:
            yield name, None
    for source in sorted(sources, key=lambda s: repr(s) if isinstance(s, tuple) else ""):
        if isinstance(source, tuple) and source and source[0] in ("param", "name"):
            yield str(source[-1]), None
        elif isinstance(source, cst.Call):
            for name in collector.bound.get(id(source), ()):
                yield name, None
            for text in string_parts(source):
                if "." in text or "/" in text:
                    yield text, source
