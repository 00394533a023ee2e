"""Placement offers a fix only where libcst writes the file back exactly: the positions pass checks
the round trip of the top-level statements a fix edits, so a statement that does not round-trip
costs its fixes, not the file's other fixes nor any diagnostic."""

from __future__ import annotations

import libcst as cst

from hplint.context import FixSpec, _Finding
from hplint.placement import place
from hplint.source import SourceFile

TEXT = "import numpy as np\nx = 1\ny = 2\nz = 3\n"


def _tree_differing_in_one_statement() -> cst.Module:
    """The tree of TEXT with `y = 2` replaced by `y = 20`: its code is not the file's there."""
    module = cst.parse_module(TEXT)
    body = list(module.body)
    body[2] = cst.parse_statement("y = 20\n")
    return module.with_changes(body=body)


def _value(module: cst.Module, index: int) -> cst.BaseExpression:
    return module.body[index].body[0].value  # type: ignore[attr-defined]


def _findings(module: cst.Module) -> list[_Finding]:
    findings = []
    for index in (1, 2, 3):
        node = _value(module, index)
        fix = FixSpec(f"replace {index}", ((node, "VALUE"),))
        findings.append(_Finding("HPL101", "hardcoded", "warning", node, None, f"finding {index}", (), fix))
    return findings


def _place(module: cst.Module, top_level: dict[int, int] | None, round_trips=None):
    findings = _findings(module)
    return place(SourceFile("t.py", TEXT), module, findings, top_level, round_trips)


def _top_level(module: cst.Module) -> dict[int, int]:
    return {id(_value(module, index)): index for index in (1, 2, 3)}


def test_a_statement_that_does_not_round_trip_loses_its_fix_only() -> None:
    module = _tree_differing_in_one_statement()
    assert module.code != TEXT
    diagnostics = _place(module, _top_level(module))
    assert [(d.message, d.span.start.row, d.span.start.column) for d in diagnostics] == [
        ("finding 1", 2, 5),
        ("finding 2", 3, 5),
        ("finding 3", 4, 5),
    ]
    assert [d.fix.message if d.fix else None for d in diagnostics] == ["replace 1", None, "replace 3"]
    assert [(e.content, e.start.row, e.start.column, e.end.column) for e in diagnostics[0].fix.edits] == [("VALUE", 2, 5, 6)]


def test_without_the_statement_of_each_node_one_failed_round_trip_costs_every_fix() -> None:
    module = _tree_differing_in_one_statement()
    diagnostics = _place(module, None)
    assert [d.message for d in diagnostics] == ["finding 1", "finding 2", "finding 3"]
    assert [d.fix for d in diagnostics] == [None, None, None]


def test_a_tree_that_round_trips_keeps_every_fix() -> None:
    module = cst.parse_module(TEXT)
    for top_level in (_top_level(module), None):
        assert [d.fix.message for d in _place(module, top_level)] == ["replace 1", "replace 2", "replace 3"]


def test_the_servers_answer_is_used_when_given() -> None:
    module = cst.parse_module(TEXT)
    asked = []
    diagnostics = _place(module, _top_level(module), lambda tree, text: asked.append(text) or False)
    assert asked == [TEXT]
    assert [d.fix for d in diagnostics] == [None, None, None]


def test_hoisting_refuses_a_header_the_tree_writes_differently() -> None:
    from hplint.codemods.hoist import _Header

    module = cst.parse_module(TEXT)
    header = _Header.of(module, TEXT)
    assert header is not None and header.offset == len("import numpy as np\n")
    assert header.inserted("X = 1\n") == "\nX = 1\n\n"
    assert _Header.of(module, "import numpy  as np\n" + TEXT.split("\n", 1)[1]) is None
