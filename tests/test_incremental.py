"""The server's incremental parse (hplint/incremental.py) against a cold parse of the same text.

Every re-lint through a document's StatementCache must give exactly what a cold `check_source`
gives: same module node for node, same diagnostics, over random edits of a real-size script
(statements added, removed, edited inside functions; syntax broken and fixed again).
"""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest

from hplint import incremental
from hplint.analysis import positions
from hplint.engine import check_source
from hplint.incremental import StatementCache
from hplint.parsing import parse
from hplint.settings import Settings
from hplint.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent

# Shapes the cut must get right: decorators, comments between and inside blocks (at column 0,
# at the block's indentation, deeper), blank and whitespace-only lines, clauses,
# multi-line strings and brackets holding column-0 lines, backslash continuations, one-line
# compound statements, `;`, a comment ending in a backslash.
SHAPES = '''\
"""Module docstring.

x = 1  # not code
"""
import numpy as np  # first
from sklearn.model_selection import train_test_split


@staticmethod
# a comment between the decorator and the def
@property
def decorated(a,
b=2):
    """Doc.
def not_a_statement():
    """
    return a  # trailing

    # at the block's indentation

        # deeper
# column 0 after the block
    

class Model:
    rate = 0.1
    def fit(self, X):
        if X is None:
            return self
        else:
            return X
          # odd indentation
if np.random.rand() > 0.5:
    value = 1
elif False:
    value = 2
else:
    value = 3
try:
    import torch
except ImportError:
    torch = None
finally:
    pass
total = 1 + \\
2
items = [
1,
    2,
]
if value: print(value)
a = 1; b = 2
# a comment that ends in a backslash \\
c = 3
text = """
def inside_a_string():
    pass
"""
'''


def _script() -> str:
    """A real-size script: the shapes above, then the bad fixtures (many rules fire, with fixes)."""
    parts = [SHAPES]
    for path in sorted((ROOT / "fixtures").glob("*/bad_*.py"))[:30]:
        parts.append(f"# --- {path.name}\n" + path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _edit(rng: random.Random, text: str, broken: list[str]) -> str:
    """One random edit of `text` (or the repair of the last breaking one)."""
    lines = text.split("\n")
    if broken:
        return broken.pop()
    where = rng.randrange(len(lines))
    kind = rng.randrange(9)
    if kind == 0:
        lines.insert(where, f"added_{where} = {where}")
    elif kind == 1:  # inside a block
        indented = [i for i, line in enumerate(lines) if line.startswith("    ") and line.strip()]
        at = rng.choice(indented)
        lines.insert(at + 1, lines[at][: len(lines[at]) - len(lines[at].lstrip())] + f"inner_{at} = {at}")
    elif kind == 2:
        del lines[where]
    elif kind == 3:  # break the syntax; the next edit repairs it
        broken.append(text)
        lines[where] = lines[where] + " (("
    elif kind == 4:
        lines.insert(where, rng.choice(["", "    ", "# note", "    # note", "        # deep", "\t"]))
    elif kind == 5:
        digits = [i for i, line in enumerate(lines) if any(ch.isdigit() for ch in line)]
        at = rng.choice(digits)
        lines[at] = "".join(str((int(ch) + 1) % 10) if ch.isdigit() else ch for ch in lines[at])
    elif kind == 6:
        lines.insert(where, lines[where])
    elif kind == 7:  # an edit inside a function body
        bodies = [i for i, line in enumerate(lines) if line.startswith(("    return", "    for ", "    model"))]
        at = rng.choice(bodies) if bodies else where
        lines[at] = lines[at] + "  # edited"
    else:
        lines.insert(where, "def helper():\n    return 1\n")
    return "\n".join(lines)


def _cold(text: str) -> cst.Module | None:
    return parse(SourceFile("train.py", text))[0]


def test_every_chunk_is_parsed_alone_as_in_the_whole_text(monkeypatch) -> None:
    text = _script()
    cache = StatementCache()
    module, errors = cache.parse(SourceFile("train.py", text))
    assert errors == [] and cache.cold == 1  # a first parse is whole, and fills the cache
    fresh = StatementCache()
    plan = incremental._plan(text)
    assert plan is not None and len(plan.chunks) > 100
    monkeypatch.setattr(incremental, "_MOST_MISSES", 10**6)
    assembled = fresh._assemble(plan)  # every chunk parsed on its own
    assert assembled is not None and fresh.parsed == len(plan.chunks)
    assert assembled.deep_equals(module)
    assert assembled.code == text
    assert fresh.round_trips(assembled, text)


def test_random_edits_give_the_cold_parse() -> None:
    rng = random.Random(14)
    original = text = _script()
    cache = StatementCache()
    broken: list[str] = []
    incremental = 0
    for step in range(36):
        text = original if step % 12 == 11 else _edit(rng, text, broken)
        source = SourceFile("train.py", text)
        module, errors = cache.parse(source)
        cold_module, cold_errors = parse(source)
        assert errors == cold_errors, step
        assert (module is None) == (cold_module is None), step
        if module is not None:
            assert module.deep_equals(cold_module), step
            assert cache.round_trips(module, text) == (cold_module.code == text), step
            scanned = positions._compute_statement_starts(module, text)
            assert scanned is None or positions._statement_starts(module, text) == scanned, step
        incremental += module is not None and cache._last[1] is not None
    assert cache.reused > 20 * 300  # most statements came from the cache
    assert incremental > 18  # the others: broken syntax, a comment the cut cannot place


def test_diagnostics_after_random_edits_are_the_cold_ones() -> None:
    rng = random.Random(15)
    text = _script()
    settings = Settings()
    cache = StatementCache()
    broken: list[str] = []
    fixes = 0
    for step in range(14):
        if step:
            text = _edit(rng, text, broken)
        source = SourceFile("train.py", text)
        warm = check_source(source, settings, "train.py", statements=cache)
        cold = check_source(SourceFile("train.py", text), settings, "train.py")
        assert warm == cold, step
        fixes += sum(d.fix is not None for d in warm)
    assert fixes  # the fixes' round-trip check went through the cache too


def test_only_the_edited_statement_is_parsed_again() -> None:
    text = _script()
    cache = StatementCache()
    cache.parse(SourceFile("train.py", text))
    edited = text.replace("    return a  # trailing", "    return a + 1  # trailing")
    before = cache.reused
    module, _ = cache.parse(SourceFile("train.py", edited))
    assert cache.parsed == 1 and cache.reused - before == len(cache._last[1]) - 1
    assert module.deep_equals(_cold(edited))


def test_identical_statements_are_distinct_nodes() -> None:
    text = "import os\nprint('done')\nx = 1\nprint('done')\n"
    cache = StatementCache()
    cache.parse(SourceFile("a.py", text))
    module, _ = cache.parse(SourceFile("a.py", text.replace("x = 1", "x = 2")))
    assert module.body[1] is not module.body[3]
    assert module.deep_equals(_cold(text.replace("x = 1", "x = 2")))


@pytest.mark.parametrize(
    "text",
    [
        "# -*- coding: latin-1 -*-\nimport os\nx = 1\n",
        "import os\n# coding: latin-1\nx = 1\n",
        "import os\r\nx = 1\r\n",
        "import os\nx = 1",  # no final line end
        "def f():\n  return 1\nx = 1\ndef g():\n    return 2\n",  # blocks indented differently
        "x = 1\n\n\n",
        "\n\n# only a header\nx = 1\n# footer\n",
    ],
)
def test_module_attributes_match_the_cold_parse(text: str) -> None:
    cache = StatementCache()
    cache.parse(SourceFile("a.py", text))
    edited = text.replace("x = 1", "x = 10")
    module, _ = cache.parse(SourceFile("a.py", edited))
    cold = _cold(edited)
    assert module.deep_equals(cold)
    assert (module.encoding, module.default_indent, module.default_newline, module.has_trailing_newline) == (
        cold.encoding, cold.default_indent, cold.default_newline, cold.has_trailing_newline
    )
    assert module.code == edited


def test_a_comment_libcst_may_give_either_way_is_a_cold_parse() -> None:
    # Indented less than the block above: libcst makes it the next statement's leading line, a
    # case the cut does not decide; the chunk is refused and the whole text parsed.
    text = "def f():\n    return 1\n  # shallower\nx = 1\ny = 2\n"
    cache = StatementCache()
    cache.parse(SourceFile("a.py", text))
    edited = text.replace("x = 1", "x = 3")  # its chunk holds the comment
    module, _ = cache.parse(SourceFile("a.py", edited))
    assert cache.cold == 2
    assert module.deep_equals(_cold(edited))


def test_statement_starts_come_from_the_cut() -> None:
    text = _script().split("# --- ", 1)[1]  # the fixtures: one statement per chunk
    rng = random.Random(16)
    cache = StatementCache()
    cache.parse(SourceFile("train.py", text))
    remembered = 0
    broken: list[str] = []
    for step in range(12):
        text = _edit(rng, text, broken)
        module, _ = cache.parse(SourceFile("train.py", text))
        if module is None or positions._last_starts[0] is not module:
            continue
        remembered += 1
        assert positions._last_starts[1] == positions._compute_statement_starts(module, text), step
    assert remembered > 6
