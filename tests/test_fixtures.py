"""Snapshot of the exact diagnostics for every file under fixtures/ (all rules selected).

Refresh after an intended change with `HPLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_fixtures.py`
and review the diff of tests/snapshots/ like code.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from hplint.config import load_config
from hplint.engine import FileTask, check_task
from hplint.settings import Selection, Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SNAPSHOTS = ROOT / "tests" / "snapshots"
SETTINGS = Settings(selection=Selection(select=("ALL",)))

FILES = sorted(
    p.relative_to(ROOT).as_posix()
    for p in FIXTURES.rglob("*")
    if p.suffix in (".py", ".ipynb") and p.is_file()
)


def _settings(relative: str) -> Settings:
    """All rules; a fixture directory with an `hplint.toml` adds that file's project settings
    (fixtures/fairness/declared/ declares sensitive attributes)."""
    config = (ROOT / relative).parent / "hplint.toml"
    if not config.is_file():
        return SETTINGS
    return replace(load_config(config).settings, selection=SETTINGS.selection)


def render(relative: str) -> str:
    result = check_task(FileTask(str(ROOT / relative), relative, relative.removeprefix("fixtures/"), _settings(relative)))
    lines = []
    for d in result.diagnostics:
        cell = f"cell {d.cell}:" if d.cell is not None else ""
        lines.append(
            f"{cell}{d.span.start.row}:{d.span.start.column}-{d.span.end.row}:{d.span.end.column}"
            f" {d.code} {d.message}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("relative", FILES)
def test_fixture_snapshot(relative: str) -> None:
    snapshot = SNAPSHOTS / (relative.removeprefix("fixtures/") + ".txt")
    actual = render(relative)
    if os.environ.get("HPLINT_UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(actual)
    assert snapshot.exists(), f"no snapshot for {relative}; run with HPLINT_UPDATE_SNAPSHOTS=1"
    assert actual == snapshot.read_text()


# fixtures/<family>/ holds the files of one rule family; good_* files must have no finding of that
# family (other families may fire: a leakage example may well hardcode a hyperparameter).
FAMILY_PREFIX = {
    "hardcoded": "HPL1",
    "selection": "HPL2",
    "regularization": "HPL3",
    "leakage": "HPL4",
    "search_space": "HPL5",
    "reproducibility": "HPL6",
    "fairness": "HPL7",
}


# bad_ fixtures written ahead of their rule (issue 11, classes 4-6): each must stay silent until its
# rule lands (then remove it from here; test_pending_fixtures_are_still_silent says when).
PENDING: frozenset[str] = frozenset()


def test_pending_fixtures_are_still_silent() -> None:
    for relative in FILES:
        if Path(relative).name in PENDING:
            prefix = FAMILY_PREFIX[Path(relative).parts[1]]
            findings = [line for line in render(relative).splitlines() if f" {prefix}" in line]
            assert not findings, f"{relative} now fires: remove it from PENDING ({findings})"


def test_bad_fixtures_fire_and_good_fixtures_are_clean() -> None:
    for relative in FILES:
        if Path(relative).name in PENDING:
            continue
        parts = Path(relative).parts
        prefix = FAMILY_PREFIX.get(parts[1]) if len(parts) > 2 else None
        if prefix is None:
            continue
        findings = [line for line in render(relative).splitlines() if f" {prefix}" in line]
        name = parts[-1]
        if name.startswith("bad_"):
            assert findings, f"{relative} is a bad fixture without {prefix}xx findings"
        elif name.startswith("good_"):
            assert not findings, f"{relative} is a good fixture with findings: {findings}"
