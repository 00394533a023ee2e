"""The interpreter core: statements in program order, expressions, bindings, branches and loops,
and helper functions inlined at their call sites. Calls are evaluated by `CallTransfer`
(hplint.analysis.transfer); winners picked among candidates are found by `PickRecorder`
(hplint.analysis.picks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import libcst as cst

from hplint.analysis.events import (
    ApplyEvent,
    DataFlow,
    EvalEvent,
    FitEvent,
    FunctionSummary,
    SplitEvent,
)
from hplint.analysis.frames import (
    DOUBLED_LOOPS,
    MAX_INLINE_DEPTH,
    MAX_INLINES,
    Env,
    Frame,
)
from hplint.analysis.lineage import (
    KEY_KINDS,
    LITERAL_TYPES,
    LITERAL_VALUE,
    MIXED,
    SPLIT_KINDS,
    TEST,
    TRAIN,
    UNKNOWN,
    UNKNOWN_VALUE,
    VALIDATION,
    ObjectInfo,
    Value,
    combine,
    element_of,
    join_branches,
    kind_from_name,
    mark_compared,
    named_param,
    rows_of_mixed,
)
from hplint.analysis.picks import PickRecorder
from hplint.analysis.syntax import (
    SuiteLine,
    block_body,
    head_tail_slice,
    is_pick_test,
    last_part,
    param_defaults,
    param_list,
    param_list_of,
    root_name,
    selects_rows,
    slice_base,
    string_parts,
    sub_blocks,
)
from hplint.analysis.arguments import innermost_name_kind, stacked_rows
from hplint.analysis.label_scores import LabelScoreTransfer
from hplint.analysis.transfer import CallTransfer
from hplint.analysis.values import dotted_name, literal_value
from hplint.knowledge.dataops import AXIS_CARRIED_ROLES, AXIS_LABEL_ATTRS, NON_DATA_ATTRS, OPTIMIZER_ENTRIES

if TYPE_CHECKING:
    from hplint.analysis.semantic import CallSite
    from hplint.context import FileContext

class _Interpreter(CallTransfer, LabelScoreTransfer, PickRecorder):
    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx
        self.semantic = ctx.semantic
        self.flow = DataFlow(semantic=self.semantic)
        self._fit_keys: dict[tuple, FitEvent] = {}
        self._eval_keys: dict[tuple, EvalEvent] = {}
        self._split_keys: dict[tuple, SplitEvent] = {}
        self._statistics: dict[tuple, FitEvent] = {}  # computed; in `fits` once applied to data
        self._pending_selections: set[FitEvent] = set()  # label scores; in `fits` once they pick columns
        self._matrices: dict[int, tuple[Value, FitEvent]] = {}  # correlation matrices (see label_scores)
        self._rankings: dict[FitEvent, FitEvent] = {}  # scores put in order -> their selection
        self._apply_keys: dict[tuple, ApplyEvent] = {}
        self._picks: list[tuple[cst.CSTNode, frozenset, tuple[cst.CSTNode, ...], tuple]] = []
        self._called: set[str] = set()
        self._objectives: set[str] = set()
        self._analysed_functions: set[cst.FunctionDef] = set()
        # The environment where each function or class was defined: what a function never called
        # in the file sees (not the names as the end of the file left them).
        self._definition_envs: dict[cst.CSTNode, Env] = {}
        self._inlines = 0
        self._loop_depth = 0
        self._slices: dict[tuple[str, str], tuple[str, cst.Name, bool]] = {}
        self._checkpoint_nodes: list[tuple[cst.CSTNode, tuple]] = []
        # The last instance made of each class of the file (see `_instance_for_methods`).
        self._instances: dict[cst.ClassDef, Value] = {}
        self._collect_called_functions()
        # A file named test is a test set only next to one named train (`train.csv`/`test.csv`);
        # alone (`Bird Strikes Test.csv`) it is just the dataset.
        self._paired_files = self._reads_a_train_file()

    # -- setup ----------------------------------------------------------------------------------
    def _collect_called_functions(self) -> None:
        for site in self.semantic.calls:
            if isinstance(site.node.func, cst.Name) and site.node.func.value in self.semantic.functions:
                self._called.add(site.node.func.value)
            entry = site.method or last_part(site.written)
            if (site.api is not None and site.api.role == "hpo_study") or entry in OPTIMIZER_ENTRIES or (
                entry in ("run", "Tuner") and (site.qualname or "").startswith("ray.")
            ):
                for arg in site.node.args:
                    name = dotted_name(arg.value)
                    if name in self.semantic.functions:
                        self._objectives.add(name)

    def _reads_a_train_file(self) -> bool:
        for site in self.semantic.calls:
            for arg in site.node.args[:1]:
                for text in string_parts(arg.value):
                    if "train" in text.lower():
                        return True
        return False

    def run(self) -> DataFlow:
        module = self.ctx.module
        frame = Frame(Env())
        self.exec_block(module.body, frame)
        self._finish_functions(module.body, frame)
        self._build_selection_loops()
        self.flow.splits = list(self._split_keys.values())
        self.flow.fits = list(self._fit_keys.values())
        self.flow.evaluations = list(self._eval_keys.values())
        self.flow.applications = list(self._apply_keys.values())
        return self.flow

    def _finish_functions(self, body: Iterable[cst.CSTNode], frame: Frame) -> None:
        """Interpret functions (and methods) never called directly, once, with unknown parameters."""
        for statement in body:
            if isinstance(statement, cst.FunctionDef):
                if statement not in self._analysed_functions:
                    self._analyse_standalone(statement, self._defined_in(statement, frame))
            elif isinstance(statement, cst.ClassDef):
                methods = [s for s in block_body(statement.body) if isinstance(s, cst.FunctionDef)]
                # `__init__` first: the attributes it sets are what the other methods read.
                methods.sort(key=lambda m: m.name.value != "__init__")
                instance = self._instance_for_methods(statement)
                for inner in methods:
                    if inner not in self._analysed_functions:
                        self._analyse_standalone(inner, self._defined_in(statement, frame), self_value=instance)
            elif isinstance(statement, (cst.If, cst.Try, cst.With)):
                self._finish_functions(sub_blocks(statement), frame)

    def _defined_in(self, definition: cst.CSTNode, frame: Frame) -> Frame:
        """`frame` with the environment `definition` was executed in. A function never called here
        may run at any time; reading the data as the end of the file left it would link it to
        fits and splits that come later in the file (`def evaluate(): train_test_split(train)`
        above `vectorizer.fit(train + test)`)."""
        env = self._definition_envs.get(definition)
        if env is None:
            return frame
        return Frame(env, frame.sites, frame.function, frame.params, frame.returns, frame.depth,
                     frame.comprehensions)

    def _instance_for_methods(self, cls: cst.ClassDef) -> Value:
        """What `self` is in the methods of `cls` interpreted on their own: the last instance the
        file made (its attributes carry the call site's lineage), else an instance of its own."""
        made = self._instances.get(cls)
        if made is not None:
            return made
        info = self._object(None, cls, cls=cls)
        return Value(obj=info)

    def _analyse_standalone(self, function: cst.FunctionDef, outer: Frame, site: cst.Call | None = None,
                            self_value: Value | None = None) -> None:
        self._analysed_functions.add(function)
        env = Env(outer.env)
        params = param_list(function)
        for index, name in enumerate(params):
            if self_value is not None and index == 0:
                env[name] = self_value
                continue
            env[name] = named_param(UNKNOWN_VALUE, function, name)
        sites = outer.sites + (site,) if site is not None else outer.sites
        frame = Frame(env, sites, function, params, depth=outer.depth + 1)
        self.exec_block(function.body.body if isinstance(function.body, cst.IndentedBlock) else (), frame)
        self._finish_functions(
            function.body.body if isinstance(function.body, cst.IndentedBlock) else (), frame
        )

    # -- statements -------------------------------------------------------------------------------
    def exec_block(self, statements: Iterable[cst.CSTNode], frame: Frame) -> None:
        for statement in statements:
            self.exec_statement(statement, frame)

    def exec_statement(self, statement: cst.CSTNode, frame: Frame) -> None:
        statement_type = type(statement)  # exact type tests, as in `_eval`
        if statement_type is cst.SimpleStatementLine or statement_type is SuiteLine:
            for small in statement.body:
                self.exec_small(small, frame)
        elif statement_type is cst.FunctionDef:
            frame.env[statement.name.value] = Value(sources=frozenset())
            self._definition_envs[statement] = frame.env.copy()
            summary = self.flow.functions.get(statement.name.value)
            if summary is None:
                self.flow.functions[statement.name.value] = FunctionSummary(statement, param_list(statement))
        elif statement_type is cst.ClassDef:
            self._definition_envs[statement] = frame.env.copy()
        elif statement_type is cst.If:
            self.eval(statement.test, frame)
            self._exec_if(statement, frame)
        elif statement_type in (cst.For, cst.While):
            self._exec_loop(statement, frame)
        elif statement_type is cst.With:
            for item in statement.items:
                value = self.eval(item.item, frame)
                if item.asname is not None:
                    self.bind(item.asname.name, value, frame)
            self.exec_block(block_body(statement.body), frame)
        elif statement_type in (cst.Try, cst.TryStar):
            self.exec_block(block_body(statement.body), frame)
            for handler in statement.handlers:
                self.exec_block(block_body(handler.body), frame)
            if statement.orelse is not None:
                self.exec_block(block_body(statement.orelse.body), frame)
            if statement.finalbody is not None:
                self.exec_block(block_body(statement.finalbody.body), frame)
        elif statement_type is cst.Match:
            self.eval(statement.subject, frame)
            for case in statement.cases:
                self.exec_block(block_body(case.body), frame)

    def _exec_if(self, statement: cst.If, frame: Frame) -> None:
        before = frame.env.copy()
        self.exec_block(block_body(statement.body), frame)
        after_then = frame.env.copy()
        frame.env.clear()
        frame.env.update(before)
        orelse = statement.orelse
        if isinstance(orelse, cst.If):
            self.eval(orelse.test, frame)
            self._exec_if(orelse, frame)
        elif isinstance(orelse, cst.Else):
            self.exec_block(block_body(orelse.body), frame)
        after_else = dict(frame.env)
        for name in set(after_then) | set(after_else):
            a, b = after_then.get(name), after_else.get(name)
            if a is not b:
                frame.env[name] = join_branches(a, b)
        if is_pick_test(statement.test):
            self._record_compare_pick(statement, frame)

    def _exec_loop(self, statement: cst.For | cst.While, frame: Frame) -> None:
        # Two passes at every level cost 2**depth for nested loops (a file with 60 nested loops
        # never finished): loops nested deeper than DOUBLED_LOOPS run their body once.
        self._loop_depth += 1
        try:
            for _ in range(2 if self._loop_depth <= DOUBLED_LOOPS else 1):
                if isinstance(statement, cst.For):
                    iterable = self.eval(statement.iter, frame)
                    self.bind_loop_target(statement.target, statement.iter, iterable, frame)
                else:
                    self.eval(statement.test, frame)
                self.exec_block(block_body(statement.body), frame)
        finally:
            self._loop_depth -= 1
        if statement.orelse is not None:
            self.exec_block(block_body(statement.orelse.body), frame)

    def exec_small(self, small: cst.BaseSmallStatement, frame: Frame) -> None:
        small_type = type(small)  # exact type tests, as in `_eval`
        if small_type is cst.Assign:
            value = self.eval(small.value, frame)
            for target in small.targets:
                self.assign(target.target, value, small.value, frame)
            self._note_slice_assignment(small, frame)
        elif small_type is cst.AnnAssign:
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, frame), small.value, frame)
        elif small_type is cst.AugAssign:
            value = self.eval(small.value, frame)
            old = self.eval(small.target, frame)
            self.assign(small.target, combine([old, value]).with_(obj=old.obj), small.value, frame,
                        augmented=True)
        elif small_type is cst.Expr:
            self.eval(small.value, frame)
        elif small_type is cst.Return:
            if small.value is not None:
                frame.returns.append(self.eval(small.value, frame))

    # -- binding ----------------------------------------------------------------------------------
    def bind(self, target: cst.CSTNode, value: Value, frame: Frame) -> None:
        if isinstance(target, cst.Name):
            frame.env[target.value] = value
            self.flow.bound[target] = value
            if value.obj is not None and value.obj.name is None:
                value.obj.name = target.value

    def assign(self, target: cst.CSTNode, value: Value, source: cst.CSTNode | None, frame: Frame,
               augmented: bool = False) -> None:
        if isinstance(target, cst.Name):
            self.bind(target, self._refine_by_name(value, target.value), frame)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e.value for e in target.elements]
            items = value.items
            for index, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    element = element.value
                item = items[index] if items is not None and index < len(items) else value.with_(items=None)
                self.assign(element, item, None, frame)
            self._name_split_outputs(elements, items)
        elif isinstance(target, (cst.Subscript, cst.Attribute)):
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
                owner = frame.env.lookup(target.value.value)
                if owner is not None and owner.obj is not None and owner.obj.cls is not None:
                    owner.obj.attributes[target.attr.value] = value  # `self.test_loader = test_loader`
                    return
            # `df["a"] = expr`, `X.loc[m, "a"] = expr`: the container now holds expr's learned state.
            root = root_name(target)
            if root is not None:
                old = frame.env.lookup(root)
                if old is not None and old.obj is None:
                    frame.env[root] = old.with_(
                        fits=old.fits | value.fits, resampled=old.resampled | value.resampled,
                        scores=old.scores | value.scores, time_order=old.time_order or value.time_order,
                        sources=old.sources | (value.sources if value.kind == old.kind else frozenset()),
                    )
                elif old is None and value.scores:
                    frame.env[root] = Value(scores=value.scores, collection=True)
                if old is not None and value.scores and root in frame.env:
                    frame.env[root] = frame.env[root].with_(collection=True)

    def _name_split_outputs(self, elements: list, items: tuple[Value, ...] | None) -> None:
        """`X_train, X_test = train_test_split(X)`: the split's outputs get their names."""
        if not items or len(items) != len(elements) or items[0].split is None:
            return
        split = items[0].split
        if any(item.split is not split for item in items) or len(split.outputs) != len(items):
            return
        outputs = []
        for element, item in zip(elements, items):
            name = element.value if isinstance(element, cst.Name) else None
            bound = self.flow.bound.get(element) if name else None
            outputs.append((name, bound.kind if bound is not None else item.kind))
        split.outputs = outputs

    def _refine_by_name(self, value: Value, name: str) -> Value:
        """Names tell a split's parts apart where positions cannot (see the module docstring):
        a part named `*_val` is validation data; of a split of held-out data (the 3-way split
        `X_val, X_test = train_test_split(X_rest)`), the part named test stays test."""
        split = value.split
        named = kind_from_name(name)
        if value.evidence == "key" and value.kind == TEST and named == VALIDATION:
            # `(x_train, y_train), (x_valid, y_valid) = mnist.load_data()`: used as validation.
            return value.with_(kind=VALIDATION)
        if value.evidence != "split" or split is None or value.kind not in (TRAIN, VALIDATION, TEST):
            return value
        if named == VALIDATION and value.kind != VALIDATION:
            return value.with_(kind=VALIDATION)
        if named == TEST and value.kind == VALIDATION and split.inputs \
                and all(v.kind == TEST for v in split.inputs):
            return value.with_(kind=TEST)
        if named == TRAIN and value.kind == TEST:
            # `X_train_1, X_train_2 = train_test_split(X_train)` (stacking halves): not a test set.
            return value.with_(kind=VALIDATION)
        return value

    def bind_loop_target(self, target: cst.CSTNode, iter_node: cst.CSTNode, iterable: Value,
                         frame: Frame) -> None:
        self.assign(target, self._element(iterable, iter_node, frame), None, frame)

    def _element(self, iterable: Value, node: cst.CSTNode, frame: Frame) -> Value:
        folds = self._folds_of(iterable, frame)
        return folds if folds is not iterable else element_of(iterable, node)

    def _folds_of(self, iterable: Value, frame: Frame) -> Value:
        """Splitters of scikit-learn < 0.18 (`KFold(n, n_folds)`) are iterated directly."""
        obj = iterable.obj
        if obj is None or obj.role != "splitter" or not isinstance(obj.node, cst.Call):
            return iterable
        return self._kfold(obj.node, obj, [], [], frame)

    # -- slices as splits: X[:n] and X[n:] ----------------------------------------------------------
    def _note_slice_assignment(self, small: cst.Assign, frame: Frame) -> None:
        if len(small.targets) != 1:
            return
        target, value = small.targets[0].target, small.value
        if isinstance(target, cst.Name):
            self._note_slice(target, value, frame)
        elif isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) \
                and len(target.elements) == len(value.elements):
            # `train, test = scaled[0:n, :], scaled[n:len(scaled), :]`: both parts in one line
            for element, part in zip(target.elements, value.elements):
                if isinstance(element.value, cst.Name):
                    self._note_slice(element.value, part.value, frame)

    def _note_slice(self, target_node: cst.Name, sliced: cst.BaseExpression, frame: Frame) -> None:
        target = target_node.value
        parsed = head_tail_slice(sliced)
        if parsed is None:
            return
        base, bound, is_head, slice_node = parsed
        key = (base, bound)
        other = self._slices.get(key)
        if other is None or other[2] == is_head:
            self._slices[key] = (target, target_node, is_head)
            return
        other_target, other_node, _ = other
        head, tail = (target, other_target) if is_head else (other_target, target)
        base_value = self.flow.values.get(slice_base(sliced)) or UNKNOWN_VALUE
        # Slices of a concatenation of train and test take its parts back apart: not a split.
        if base_value.kind in (TEST, VALIDATION, MIXED) or base_value.obj is not None:
            return
        binding = next((b for b in self.semantic.bindings_of(target) if b.target is target_node), None)
        if binding is not None and stacked_rows(slice_base(sliced), self.semantic, binding.order, binding.scope):
            return  # the same, where the stacked parts' kinds are unknown (`pd.concat([train, sub])`)
        split = self._split_event(sliced, "slice", (base,), (base_value,), frame)
        held_out = VALIDATION if base_value.kind == TRAIN else TEST
        # Which end is held out is a convention (head trains, tail tests) unless the names say
        # otherwise (`x_test = x[:n]; x_train = x[n:]`).
        if kind_from_name(head) in (TEST, VALIDATION) and kind_from_name(tail) == TRAIN:
            head, tail = tail, head
        tail_kind = VALIDATION if kind_from_name(tail) == VALIDATION else held_out
        head_kind = TRAIN
        split.outputs = [(head, head_kind), (tail, tail_kind)]
        nodes = {target: target_node, other_target: other_node}
        for name, kind in ((head, head_kind), (tail, tail_kind)):
            current = frame.env.lookup(name)
            if current is not None:
                frame.env[name] = current.with_(kind=kind, evidence="split", split=split)
                self.flow.bound[nodes[name]] = frame.env[name]
        self._slices.pop(key, None)

    # -- expressions ----------------------------------------------------------------------------------
    def eval(self, node: cst.CSTNode | None, frame: Frame) -> Value:
        if node is None:
            return UNKNOWN_VALUE
        value = self._eval(node, frame)
        self.flow.values[node] = value
        return value

    def _eval(self, node: cst.CSTNode, frame: Frame) -> Value:
        # Exact type tests: libcst nodes are ABCs, and isinstance on them (each miss a Python-level
        # ABCMeta.__instancecheck__) is slow; the concrete node classes have no subclasses.
        node_type = type(node)
        if node_type in LITERAL_TYPES:
            return LITERAL_VALUE
        if node_type is cst.Call:
            return self._eval_call(node, frame)
        if node_type is cst.Name:
            value = frame.env.lookup(node.value)
            if value is not None:
                return value
            if node.value in ("True", "False", "None"):
                return Value(literal=True)
            if node.value in self.semantic.imports:
                return UNKNOWN_VALUE  # a module or an imported class, not data
            kind = kind_from_name(node.value)
            return Value(kind=kind or UNKNOWN, evidence="name" if kind else "",
                         sources=frozenset({("name", node.value)}))
        if node_type is cst.FormattedString:
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    self.eval(part.expression, frame)
            return UNKNOWN_VALUE
        if node_type is cst.Attribute:
            base = self.eval(node.value, frame)
            if base.obj is not None and node.attr.value in base.obj.attributes:
                return base.obj.attributes[node.attr.value]
            if node.attr.value in NON_DATA_ATTRS or base.obj is not None:
                # Names of rows or columns picked by scores keep the selection (`corr[corr > .3].index`).
                carried = frozenset(f for f in base.fits if f.role in AXIS_CARRIED_ROLES) \
                    if node.attr.value in AXIS_LABEL_ATTRS and base.obj is None else frozenset()
                return Value(scores=base.scores if node.attr.value.startswith("best_score") else frozenset(),
                             fits=carried)
            return base.with_(items=None, split_dict=False, literal=False, statistic=None)
        if node_type is cst.Subscript:
            return self._eval_subscript(node, frame)
        if node_type in (cst.Tuple, cst.List, cst.Set):
            items = []
            for element in node.elements:
                items.append(self.eval(element.value, frame))
            merged = combine(items) if items else Value()
            return merged.with_(items=tuple(items), literal=all(i.literal for i in items),
                                collection=len(items) > 1 and bool(merged.scores))
        if node_type is cst.Dict:
            values = []
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    self.eval(element.key, frame)
                    values.append(self.eval(element.value, frame))
                else:
                    values.append(self.eval(element.value, frame))
            merged = combine(values) if values else Value()
            return merged.with_(items=tuple(values), literal=all(v.literal for v in values),
                                collection=len(values) > 1 and bool(merged.scores))
        if node_type is cst.BinaryOperation:
            left, right = self.eval(node.left, frame), self.eval(node.right, frame)
            mark_compared([left, right])
            return self._apply_statistics(node, [left, right], frame)
        if node_type is cst.UnaryOperation:
            return self.eval(node.expression, frame)
        if node_type is cst.BooleanOperation:
            return combine([self.eval(node.left, frame), self.eval(node.right, frame)])
        if node_type is cst.Comparison:
            values = [self.eval(node.left, frame)]
            values += [self.eval(c.comparator, frame) for c in node.comparisons]
            mark_compared(values)
            # `x > df["a"].mean()`: a threshold learned from data.
            return self._apply_statistics(node, values, frame).with_(obj=None)
        if node_type is cst.IfExp:
            test = self.eval(node.test, frame)
            joined = join_branches(self.eval(node.body, frame), self.eval(node.orelse, frame))
            return joined.with_(fits=joined.fits | test.fits) if test.fits else joined
        if node_type in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            return self._eval_comprehension(node, frame)
        if node_type is cst.Lambda:
            env = Env(frame.env)
            for name in param_list_of(node.params):
                env[name] = UNKNOWN_VALUE
            self.eval(node.body, Frame(env, frame.sites, frame.function, depth=frame.depth))
            return UNKNOWN_VALUE
        if node_type is cst.NamedExpr:
            value = self.eval(node.value, frame)
            self.assign(node.target, value, node.value, frame)
            return value
        if node_type in (cst.Await, cst.StarredElement):
            return self.eval(node.value if node_type is cst.StarredElement else node.expression, frame)
        if node_type is cst.Yield:
            if isinstance(node.value, cst.BaseExpression):
                return self.eval(node.value, frame)
        return UNKNOWN_VALUE

    def _eval_comprehension(self, node, frame: Frame) -> Value:
        env = Env(frame.env)
        comprehensions = []
        comp = node.for_in
        while comp is not None:
            comprehensions.append(comp)
            comp = comp.inner_for_in
        inner = Frame(env, frame.sites, frame.function, frame.params, frame.returns, frame.depth,
                      frame.comprehensions + tuple(comprehensions))
        comp = node.for_in
        while comp is not None:
            iterable = self.eval(comp.iter, inner)
            self.bind_loop_target(comp.target, comp.iter, iterable, inner)
            for condition in comp.ifs:
                self.eval(condition.test, inner)
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            self.eval(node.key, inner)
            element = self.eval(node.value, inner)
        else:
            element = self.eval(node.elt, inner)
        return element.with_(items=None, collection=bool(element.scores))

    def _eval_subscript(self, node: cst.Subscript, frame: Frame) -> Value:
        base = self.eval(node.value, frame)
        index_values = []
        for element in node.slice:
            inner = element.slice
            if isinstance(inner, cst.Index):
                index_values.append((inner.value, self.eval(inner.value, frame)))
            elif isinstance(inner, cst.Slice):
                for part in (inner.lower, inner.upper, inner.step):
                    if part is not None:
                        self.eval(part, frame)
        if base.items is not None and len(node.slice) == 1 and index_values:
            literal = literal_value(index_values[0][0])
            if isinstance(literal, int) and not isinstance(literal, bool) and -len(base.items) <= literal < len(base.items):
                return base.items[literal]
        if len(index_values) == 1:
            literal = literal_value(index_values[0][0])
            if isinstance(literal, str) and base.split_dict:
                kind = KEY_KINDS.get(literal.lower())
                if kind == TEST and base.kind == TRAIN:
                    kind = VALIDATION  # `train_ds.train_test_split()["test"]`: held out of train
                if kind is not None:
                    return base.with_(kind=kind, evidence="key", split_dict=False, items=None,
                                      sources=base.sources)
        # X[train_idx], X.iloc[test_idx]: rows chosen by a split's indices.
        for _, index in index_values:
            if index.indices and index.kind in SPLIT_KINDS:
                if index.split is not None and not any(v is base for v in index.split.selected):
                    index.split.selected.append(base)
                return base.with_(kind=index.kind, evidence=index.evidence, split=index.split,
                                  items=None, obj=None, split_dict=False, literal=False,
                                  fits=base.fits | index.fits, resampled=base.resampled | index.resampled)
        if base.obj is not None:
            return Value(scores=base.scores)
        column = self._label_column(node, base, index_values, frame)
        if column is not None:
            return column
        if base.kind == MIXED and selects_rows(node, base, index_values):
            return rows_of_mixed(base)
        chosen = self._chosen(node, base)
        if chosen is not None:
            return chosen
        selected = self._selected_columns(base, index_values, frame)
        return base.with_(items=None, split_dict=False, literal=False, statistic=base.statistic,
                          fits=base.fits | selected if selected else base.fits)

    # -- calls ----------------------------------------------------------------------------------------
    def _site(self, node: cst.Call) -> "CallSite | None":
        return self.semantic.call_by_node.get(node)

    def _loops(self, node: cst.Call, frame: Frame) -> tuple[cst.CSTNode, ...]:
        loops: tuple = ()
        for outer in frame.sites:
            site = self._site(outer)
            if site is not None:
                loops += site.loops
        site = self._site(node)
        if site is not None:
            loops += site.loops
        for comprehension in frame.comprehensions:
            if comprehension not in loops:
                loops += (comprehension,)
        return loops

    def _key(self, node: cst.CSTNode, frame: Frame) -> tuple:
        return (node, frame.sites)

    # -- helpers defined in the file -------------------------------------------------------------------
    def _call_helper(self, node: cst.Call, summary: FunctionSummary, frame: Frame) -> Value:
        args = [(arg, self.eval(arg.value, frame)) for arg in node.args]
        args = self._args_named_by_call_site(node, summary, args)
        return self._inline(node, summary, [(arg.keyword.value if arg.keyword else None, value)
                                            for arg, value in args if not arg.star], frame)

    def _args_named_by_call_site(self, node: cst.Call, summary: FunctionSummary, args: list) -> list:
        """A parameter named like test data (`test_loader`) given an argument whose own names say
        train or validation (`ParallelLoader(valid_loader)`): the call site's names win over the
        parameter's (`named_param` would otherwise make it test data)."""
        site = self._site(node)
        if site is None:
            return args
        result, position = [], 0
        for arg, value in args:
            name = arg.keyword.value if arg.keyword is not None else (
                summary.params[position] if position < len(summary.params) else None)
            position += arg.keyword is None
            if name is not None and kind_from_name(name) == TEST and value.kind == UNKNOWN \
                    and not value.evidence and value.obj is None and not value.literal:
                kind = innermost_name_kind(arg.value, self.semantic, site.order, site.scope)
                if kind in (TRAIN, VALIDATION):
                    value = value.with_(kind=kind, evidence="name")
            result.append((arg, value))
        return result

    def _apply_function(self, node: cst.Call, function: cst.CSTNode, data: Value, frame: Frame) -> Value | None:
        """`df.apply(f)`, `df.apply(lambda x: ...)`: `f` runs on the rows or columns of `df`."""
        if isinstance(function, cst.Name) and function.value in self.flow.functions \
                and frame.env.lookup(function.value) is not None:
            result = self._inline(node, self.flow.functions[function.value], [(None, data)], frame)
        elif isinstance(function, cst.Lambda):
            env = Env(frame.env)
            params = param_list_of(function.params)
            for index, name in enumerate(params):
                env[name] = data if index == 0 else UNKNOWN_VALUE
            result = self.eval(function.body, Frame(env, frame.sites, frame.function, depth=frame.depth))
        else:
            return None
        return data.with_(fits=data.fits | result.fits, resampled=data.resampled | result.resampled,
                          items=None, obj=None, literal=False)

    def _inline(self, node: cst.Call, summary: FunctionSummary, args: list[tuple[str | None, Value]],
                frame: Frame) -> Value:
        function = summary.node
        if frame.depth >= MAX_INLINE_DEPTH or self._inlines >= MAX_INLINES or function is frame.function:
            data = [v for _, v in args if v.obj is None]
            return combine(data) if data else UNKNOWN_VALUE
        self._inlines += 1
        self._analysed_functions.add(function)
        env = Env(frame.env)
        params = summary.params
        defaults = param_defaults(function)
        for name, default in defaults.items():
            env[name] = self.eval(default, frame) if default is not None else UNKNOWN_VALUE
        position = 0
        for keyword, value in args:
            if keyword is not None:
                env[keyword] = value
            elif position < len(params):
                env[params[position]] = value
                position += 1
        for name in params:
            # Where the call site says nothing of the data (no split, no file), the parameter's
            # name is the evidence left, as for a function never called (`named_param`).
            env[name] = named_param(env.get(name, UNKNOWN_VALUE), function, name, held_out_only=True)
        inner = Frame(env, frame.sites + (node,) if frame.sites else (node,), function, params,
                      depth=frame.depth + 1)
        self.exec_block(block_body(function.body), inner)
        result = inner.returns[-1] if inner.returns else UNKNOWN_VALUE
        if len(inner.returns) > 1:
            result = inner.returns[0]
            for other in inner.returns[1:]:
                result = join_branches(result, other)
        summary.returns = result
        # Parameters the helper trains or scores on (the events made during this call).
        passed = {name: env[name] for name in params if name in env}
        for events, used in ((self._fit_keys, summary.fits_params), (self._eval_keys, summary.evaluates_params)):
            for (_, sites), event in events.items():
                if node in sites:
                    used.update(name for name, value in passed.items() if any(v is value for v in event.data))
        return result
