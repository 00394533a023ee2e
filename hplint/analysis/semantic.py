"""The shared semantic facts of one file, collected in a single walk of the syntax tree.

libcst's Scope and QualifiedName providers cost about ten parses per file; a linter only needs
an import map, the calls with their resolved names, the assignments, and the scopes and loops each
of those sits in. `analyze(module)` collects exactly that in one visitor pass, and every rule reads
the result instead of walking the tree again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from hplint import knowledge
from hplint.analysis.values import dotted_name
from hplint.analysis.walk import walk
from hplint.knowledge.schema import Api

Loop = cst.For | cst.While | cst.CompFor


@dataclass(slots=True, eq=False)
class Scope:
    node: cst.CSTNode  # Module, FunctionDef, Lambda or ClassDef
    parent: "Scope | None"
    params: frozenset[str] = frozenset()

    @property
    def is_module(self) -> bool:
        return self.parent is None

    @property
    def function(self) -> cst.FunctionDef | None:
        return self.node if isinstance(self.node, cst.FunctionDef) else None


@dataclass(slots=True, eq=False)
class CallSite:
    node: cst.Call
    # Fully qualified name when the callee resolves through an import (`sklearn.svm.SVC`), or
    # `<constructor qualname>.<method>` for a method called on a variable bound to a known
    # constructor (`keras.Sequential.fit`). None for anything else.
    qualname: str | None
    # The callee as written, dotted (`model.fit`, `RF`), or None for computed callees.
    written: str | None
    api: Api | None  # the knowledge-base record of the callee (constructor, function or method)
    scope: Scope
    loops: tuple[Loop, ...]  # enclosing loops inside the same scope, outermost first
    statement: cst.CSTNode  # the innermost statement containing the call
    order: int  # position of the call in a pre-order walk (calls are stored in that order)

    @property
    def method(self) -> str | None:
        func = self.node.func
        return func.attr.value if isinstance(func, cst.Attribute) else None

    @property
    def receiver(self) -> cst.BaseExpression | None:
        func = self.node.func
        return func.value if isinstance(func, cst.Attribute) else None

    def keyword(self, name: str) -> cst.Arg | None:
        for arg in self.node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg
        return None

    def positional(self, index: int) -> cst.Arg | None:
        position = 0
        for arg in self.node.args:
            if arg.keyword is not None or arg.star:
                continue
            if position == index:
                return arg
            position += 1
        return None

    def argument(self, name: str, position: int | None = None) -> cst.Arg | None:
        """The argument bound to a parameter, by keyword or by its position."""
        arg = self.keyword(name)
        if arg is None and position is not None:
            arg = self.positional(position)
        return arg


@dataclass(slots=True, eq=False)
class Binding:
    """One assignment of a name: `name = value`, or one element of an unpacking."""

    name: str
    value: cst.BaseExpression | None  # the assigned expression (the whole RHS for unpacking)
    target: cst.CSTNode
    scope: Scope
    loops: tuple[Loop, ...]
    statement: cst.CSTNode
    order: int
    unpack_index: int | None = None  # `a, b = f()` binds a with 0, b with 1
    augmented: bool = False


@dataclass(slots=True, eq=False)
class TargetAssignment:
    """An assignment to an item or attribute: `grid["C"] = [...]`, `torch.backends.cudnn.benchmark = True`."""

    target: cst.BaseExpression  # the Subscript or Attribute assigned to
    owner: str  # the dotted name it belongs to: `grid`, `torch.backends.cudnn`
    key: cst.BaseExpression | str  # the subscript expression, or the attribute name
    value: cst.BaseExpression
    scope: Scope
    statement: cst.CSTNode
    order: int


@dataclass(slots=True, eq=False)
class ClassInfo:
    node: cst.ClassDef
    bases: tuple[str, ...]  # qualified names of the bases where they resolve, else as written


@dataclass(slots=True)
class SemanticModel:
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    star_imports: list[str] = field(default_factory=list)  # modules imported with *
    calls: list[CallSite] = field(default_factory=list)
    bindings: dict[str, list[Binding]] = field(default_factory=dict)  # by name, in source order
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    scopes: dict[cst.CSTNode, Scope] = field(default_factory=dict)
    call_by_node: dict[cst.Call, CallSite] = field(default_factory=dict)
    # Constructor qualname of names bound to a known call (`clf = SVC()` -> clf: sklearn.svm.SVC).
    types: dict[str, str] = field(default_factory=dict)
    # `owner[key] = value` and `owner.attr = value` by owner's dotted name, in source order.
    item_assignments: dict[str, list[TargetAssignment]] = field(default_factory=dict)
    attribute_assignments: dict[str, list[TargetAssignment]] = field(default_factory=dict)
    # id(node) -> index of the module-level statement holding it (whitespace and punctuation
    # excepted): positions regenerate only the statements holding reported nodes.
    top_level_statement: dict[int, int] = field(default_factory=dict)

    @property
    def uses_ml(self) -> bool:
        return any(q.split(".", 1)[0] in knowledge.ML_ROOTS for q in self.imports.values()) or any(
            m.split(".", 1)[0] in knowledge.ML_ROOTS for m in self.star_imports
        )

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """Qualified name of a Name/Attribute chain whose root was imported, else None."""
        written = dotted_name(node)
        return self.resolve_dotted(written) if written else None

    def resolve_dotted(self, written: str) -> str | None:
        root, _, rest = written.partition(".")
        base = self.imports.get(root)
        if base is not None:
            return f"{base}.{rest}" if rest else base
        for module in self.star_imports:
            candidate = f"{module}.{written}"
            if knowledge.lookup(candidate) is not None:
                return candidate
        return None

    def calls_to(self, *roles: str) -> list[CallSite]:
        return [c for c in self.calls if c.api is not None and c.api.role in roles]

    def bindings_of(self, name: str) -> list[Binding]:
        return self.bindings.get(name, [])

    def last_binding(self, name: str, before: int, scope: Scope | None = None) -> Binding | None:
        """The latest binding of `name` before walk order `before`, in `scope` or an enclosing one."""
        best: Binding | None = None
        for binding in self.bindings.get(name, ()):
            if binding.order >= before:
                break
            if scope is not None and not _visible(binding.scope, scope):
                continue
            best = binding
        return best


def _visible(binding_scope: Scope, use_scope: Scope) -> bool:
    scope: Scope | None = use_scope
    while scope is not None:
        if scope is binding_scope:
            return True
        scope = scope.parent
    return False


_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.model = SemanticModel()
        self.scope_stack: list[Scope] = []
        self.loop_stack: list[list[Loop]] = [[]]
        self.statement_stack: list[cst.CSTNode] = []
        self.order = 0

    # -- scopes ---------------------------------------------------------------------------------
    def _push_scope(self, node: cst.CSTNode, params: frozenset[str] = frozenset()) -> None:
        parent = self.scope_stack[-1] if self.scope_stack else None
        scope = Scope(node, parent, params)
        self.model.scopes[node] = scope
        self.scope_stack.append(scope)
        self.loop_stack.append([])

    def _pop_scope(self) -> None:
        self.scope_stack.pop()
        self.loop_stack.pop()

    def visit_Module(self, node: cst.Module) -> None:
        self._push_scope(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.statement_stack.append(node)
        if not isinstance(self.scope_stack[-1].node, cst.ClassDef):  # methods are not helpers
            self.model.functions.setdefault(node.name.value, node)
        self._push_scope(node, _param_names(node.params))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._pop_scope()
        self.statement_stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._push_scope(node, _param_names(node.params))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._pop_scope()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.statement_stack.append(node)
        bases = tuple(
            self.model.resolve(arg.value) or dotted_name(arg.value) or "" for arg in node.bases
        )
        self.model.classes[node.name.value] = ClassInfo(node, bases)
        self._push_scope(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._pop_scope()
        self.statement_stack.pop()

    # -- statements and loops -----------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement_stack.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statement_stack.pop()

    def _enter_compound(self, node: cst.CSTNode) -> None:
        self.statement_stack.append(node)

    def _leave_compound(self, node: cst.CSTNode) -> None:
        self.statement_stack.pop()

    def visit_If(self, node: cst.If) -> None:
        self._enter_compound(node)

    def leave_If(self, original_node: cst.If) -> None:
        self._leave_compound(original_node)

    def visit_With(self, node: cst.With) -> None:
        self._enter_compound(node)

    def leave_With(self, original_node: cst.With) -> None:
        self._leave_compound(original_node)

    def visit_Try(self, node: cst.Try) -> None:
        self._enter_compound(node)

    def leave_Try(self, original_node: cst.Try) -> None:
        self._leave_compound(original_node)

    def visit_For(self, node: cst.For) -> None:
        self._enter_compound(node)
        # The loop target is bound by the loop; record it like an assignment of the iterable.
        self._bind_target(node.target, node.iter, unpack=None)
        self.loop_stack[-1].append(node)

    def leave_For(self, original_node: cst.For) -> None:
        self.loop_stack[-1].pop()
        self._leave_compound(original_node)

    def visit_While(self, node: cst.While) -> None:
        self._enter_compound(node)
        self.loop_stack[-1].append(node)

    def leave_While(self, original_node: cst.While) -> None:
        self.loop_stack[-1].pop()
        self._leave_compound(original_node)

    # A comprehension's element is visited before its `for` clauses, yet it runs inside all of
    # them: enter every clause of the chain when the comprehension starts.
    def _enter_comprehension(self, node: cst.BaseComp) -> None:
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            self.loop_stack[-1].append(clause)
            clause = clause.inner_for_in

    def _leave_comprehension(self, node: cst.BaseComp) -> None:
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            self.loop_stack[-1].pop()
            clause = clause.inner_for_in

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_comprehension(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self._leave_comprehension(original_node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter_comprehension(node)

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self._leave_comprehension(original_node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_comprehension(node)

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self._leave_comprehension(original_node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter_comprehension(node)

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self._leave_comprehension(original_node)

    # -- imports --------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.model.imports[alias.asname.name.value] = full
            else:
                root = full.split(".", 1)[0]
                self.model.imports[root] = root

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        if module is None:
            return
        if isinstance(node.names, cst.ImportStar):
            self.model.star_imports.append(module)
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.model.imports[local] = f"{module}.{name}"

    # -- assignments ----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value, unpack=None)
            self._record_target_assignment(target.target, node.value)

    def _record_target_assignment(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            owner = dotted_name(target.value)
            if owner is None or not isinstance(index, cst.Index):
                return
            table, key = self.model.item_assignments, index.value
        elif isinstance(target, cst.Attribute):
            owner = dotted_name(target.value)
            if owner is None:
                return
            table, key = self.model.attribute_assignments, target.attr.value
        else:
            return
        self.order += 1
        table.setdefault(owner, []).append(
            TargetAssignment(
                target=target,
                owner=owner,
                key=key,
                value=value,
                scope=self.scope_stack[-1],
                statement=self.statement_stack[-1] if self.statement_stack else target,
                order=self.order,
            )
        )

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_target(node.target, node.value, unpack=None)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._add_binding(node.target.value, node.value, node.target, None, augmented=True)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value, unpack=None)

    def _bind_target(
        self, target: cst.BaseExpression, value: cst.BaseExpression | None, unpack: int | None
    ) -> None:
        if isinstance(target, cst.Name):
            self._add_binding(target.value, value, target, unpack)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for index, element in enumerate(target.elements):
                inner = element.value
                if isinstance(inner, cst.Name):
                    self._add_binding(inner.value, value, inner, index)
                elif isinstance(inner, (cst.Tuple, cst.List)):
                    # Nested unpacking: keep the binding, not the position.
                    self._bind_target(inner, value, unpack=None)

    def _add_binding(
        self,
        name: str,
        value: cst.BaseExpression | None,
        target: cst.CSTNode,
        unpack: int | None,
        augmented: bool = False,
    ) -> None:
        self.order += 1
        binding = Binding(
            name=name,
            value=value,
            target=target,
            scope=self.scope_stack[-1],
            loops=tuple(self.loop_stack[-1]),
            statement=self.statement_stack[-1] if self.statement_stack else target,
            order=self.order,
            unpack_index=unpack,
            augmented=augmented,
        )
        self.model.bindings.setdefault(name, []).append(binding)
        if unpack is None and not augmented and isinstance(value, cst.Call):
            constructor = self._call_qualname(value)
            if constructor is not None:
                self.model.types[name] = constructor
            elif name in self.model.types:
                del self.model.types[name]

    # -- calls ----------------------------------------------------------------------------------
    def _call_qualname(self, call: cst.Call) -> str | None:
        func = call.func
        qualname = self.model.resolve(func)
        if qualname is not None:
            return qualname
        if isinstance(func, cst.Name) and func.value in self.model.classes:
            return func.value  # a class defined in this file
        if isinstance(func, cst.Attribute):
            receiver = func.value
            receiver_type: str | None = None
            if isinstance(receiver, cst.Name):
                receiver_type = self.model.types.get(receiver.value)
            elif isinstance(receiver, cst.Call):
                receiver_type = self._call_qualname(receiver)  # SVC().fit(...)
            if receiver_type is not None:
                return f"{receiver_type}.{func.attr.value}"
        return None

    def visit_Call(self, node: cst.Call) -> None:
        self.order += 1
        qualname = self._call_qualname(node)
        api = knowledge.lookup(qualname) if qualname else None
        if api is None and qualname and isinstance(node.func, cst.Attribute):
            owner = knowledge.lookup(qualname.rsplit(".", 1)[0])
            if owner is not None:
                api = owner.method(node.func.attr.value)
            elif qualname.rsplit(".", 1)[0] in self.model.classes:
                api = self._inherited_method(qualname.rsplit(".", 1)[0], node.func.attr.value)
        site = CallSite(
            node=node,
            qualname=qualname,
            written=dotted_name(node.func),
            api=api,
            scope=self.scope_stack[-1],
            loops=tuple(self.loop_stack[-1]),
            statement=self.statement_stack[-1] if self.statement_stack else node,
            order=self.order,
        )
        self.model.calls.append(site)
        self.model.call_by_node[node] = site

    def _inherited_method(self, class_name: str, method: str) -> Api | None:
        """A method of a local class resolved through its ML base (`class Net(keras.Model)`)."""
        info = self.model.classes.get(class_name)
        if info is None:
            return None
        for base in info.bases:
            owner = knowledge.lookup(base)
            if owner is not None and owner.method(method) is not None:
                return owner.method(method)
        return None


def _param_names(params: cst.Parameters) -> frozenset[str]:
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    return frozenset(names)


def analyze(module: cst.Module) -> SemanticModel:
    collector = _Collector()
    # Same calls as module.visit(collector), without rebuilding the tree.
    walk(module, collector, collector.model.top_level_statement)
    return collector.model
