"""analysis.walk against libcst's own traversal: the same visit_X/leave_X calls in the same order,
whether the walk runs recursively or from the flat per-statement arrays (a module, a node of a
module walked before, a statement reused by a later module)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from hplint.analysis import walk as walk_module
from hplint.analysis.walk import walk
from hplint.parsing import parse_module

ROOT = Path(__file__).resolve().parent.parent
TYPES = ("Call", "Name", "FunctionDef", "Attribute", "SimpleStatementLine", "If", "For", "IndentedBlock", "Arg", "Lambda", "Module")


def _visitor_class() -> type:
    """Logs every visit and leave; prunes lambdas and calls of `skip`."""

    def visit(kind):
        def method(self, node):
            self.log.append(("visit", kind, id(node)))
            if kind == "Lambda" or (kind == "Call" and isinstance(node.func, cst.Name) and node.func.value == "skip"):
                return False
            return None

        return method

    def leave(kind):
        def method(self, node):
            self.log.append(("leave", kind, id(node)))

        return method

    namespace = {"__init__": lambda self: setattr(self, "log", [])}
    for kind in TYPES:
        namespace[f"visit_{kind}"] = visit(kind)
        namespace[f"leave_{kind}"] = leave(kind)
    return type("Logger", (cst.CSTVisitor,), namespace)


Logger = _visitor_class()
TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").glob("*/bad_*.py"))[:12]) + (
    "\nf = lambda x: g(x)\nskip(h(1), k(2))\nif a:\n    for i in range(3):\n        call(i, key=lambda: 1)\n"
)


def _libcst_log(node: cst.CSTNode) -> list:
    logger = Logger()
    node.visit(logger)
    return logger.log


def _walk_log(node: cst.CSTNode) -> list:
    logger = Logger()
    walk(node, logger)
    return logger.log


def test_module_walks_match_libcst() -> None:
    module = parse_module(TEXT)
    expected = _libcst_log(module)
    assert _walk_log(module) == expected  # builds the flat arrays
    assert _walk_log(module) == expected  # from them
    top_level: dict[int, int] = {}
    logger = Logger()
    walk(module, logger, top_level)
    assert logger.log == expected
    assert all(top_level[id(statement)] == index for index, statement in enumerate(module.body))


def test_nested_nodes_and_reused_statements_match_libcst() -> None:
    module = parse_module(TEXT)
    walk(module, Logger())
    nested = [node for statement in module.body if isinstance(statement, cst.If) for node in statement.body.body]
    nested += [statement for statement in module.body[:20]]
    for node in nested:
        assert _walk_log(node) == _libcst_log(node)
    # A later module holding some of the same statement objects (as the server's incremental
    # parse builds): their arrays are reused, and the walk is still libcst's.
    later = module.with_changes(body=(*module.body[:5], *parse_module("x = call(1)\n").body, *module.body[5:]))
    assert _walk_log(later) == _libcst_log(later)
    assert walk_module._flats[id(module.body[0])].statement is module.body[0]


def test_kept_arrays_are_bounded() -> None:
    for index in range(walk_module._KEPT_MODULES + 3):
        walk(parse_module(f"value_{index} = call({index})\n"), Logger())
    assert len(walk_module._kept) == walk_module._KEPT_MODULES
    live = {id(s) for m in walk_module._kept for s in m.body}
    assert set(walk_module._flats) <= live
    assert all(flat.statement is not None and id(flat.statement) in live for flat in walk_module._owners.values())


def test_positions_are_the_handled_types_merged_in_order() -> None:
    # A visitor's positions come from the per-type lists of a statement: a single type's list,
    # several merged, or none, each equal to scanning the statement's pre-order for handled nodes.
    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            pass

    class Nothing(cst.CSTVisitor):
        def visit_Global(self, node: cst.Global) -> None:
            pass

    module = parse_module(TEXT)
    for visitor_type in (Calls, Nothing, Logger):
        walk(module, visitor_type())
        dispatch = walk_module._DISPATCH[visitor_type][0]
        for statement in module.body:
            flat = walk_module._flat(statement)
            expected = [index for index, node in enumerate(flat.order) if dispatch.get(type(node), (None, None)) != (None, None)]
            assert flat.positions_for(visitor_type, dispatch) == expected


def test_top_level_records_every_node_of_each_statement() -> None:
    # Recorded per statement in one step: nodes below a pruned node (Logger skips lambdas) too.
    module = parse_module("a = 1\nf = lambda x: g(x)\n")
    walk(module, Logger())  # the flat arrays exist
    top_level: dict[int, int] = {}
    walk(module, Logger(), top_level)
    inner_call = module.body[1].body[0].value.body
    assert isinstance(inner_call, cst.Call)
    assert top_level[id(inner_call)] == 1 and top_level[id(module.body[0].body[0].value)] == 0
    assert top_level[id(module)] == -1
