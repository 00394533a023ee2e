"""`check_source(fixes=False)`: the same diagnostics without fixes, and no fix computed (the
server publishes that way on every edit; code actions lint again with fixes)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hplint.engine import check_source
from hplint.settings import Selection, Settings
from hplint.source import from_bytes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(
    path for path in (ROOT / "fixtures").rglob("bad_*.py")
    if path.name.startswith(("bad_hpl101", "bad_hpl402", "bad_hpl403", "bad_hpl404", "bad_hpl405", "bad_hpl407"))
)
SETTINGS = Settings(selection=Selection(select=("ALL",)))


def diagnostics(path: Path, fixes: bool) -> list:
    source = from_bytes(path.read_bytes(), path.name, is_notebook=False)
    return check_source(source, SETTINGS, path.name, fixes=fixes)


def test_some_fixtures_have_fixes() -> None:
    assert sum(d.fix is not None for path in FIXTURES for d in diagnostics(path, True)) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_without_fixes_only_the_fixes_differ(path: Path) -> None:
    with_fixes = diagnostics(path, True)
    without = diagnostics(path, False)
    assert all(d.fix is None for d in without)
    assert without == [dataclasses.replace(d, fix=None) for d in with_fixes]


def test_a_fix_given_as_a_callable_is_not_computed_without_fixes(monkeypatch) -> None:
    from hplint.codemods import hoist
    from hplint.rules import pipeline_fixes

    def refuse(*args, **kwargs):
        raise AssertionError("a fix was computed")

    for module, name in ((pipeline_fixes, "split_fix"), (pipeline_fixes, "pipeline_fix"),
                         (pipeline_fixes, "validation_fix"), (hoist, "hoist_fix")):
        monkeypatch.setattr(module, name, refuse)
    for path in FIXTURES:
        diagnostics(path, False)
