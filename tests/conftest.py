"""Shared helpers: lint a snippet in memory with chosen rules."""

from __future__ import annotations

import textwrap

import pytest

from hplint.diagnostics import Diagnostic
from hplint.engine import check_source
from hplint.settings import Selection, Settings
from hplint.source import from_bytes


def lint(
    code: str,
    select: tuple[str, ...] = ("ALL",),
    path: str = "train.py",
    options: dict[str, dict] | None = None,
    sensitive_attributes: tuple[str, ...] = (),
) -> list[Diagnostic]:
    """Diagnostics of `code` (dedented) as if it were the file `path`, sorted by position."""
    settings = Settings(
        selection=Selection(select=select),
        rule_options=tuple((c, tuple(o.items())) for c, o in (options or {}).items()),
        sensitive_attributes=sensitive_attributes,
    )
    source = from_bytes(textwrap.dedent(code).encode(), path, is_notebook=path.endswith(".ipynb"))
    return sorted(check_source(source, settings, path), key=Diagnostic.sort_key)


def codes(code: str, **kwargs) -> list[str]:
    return [d.code for d in lint(code, **kwargs)]


@pytest.fixture
def probe():
    """A test-only rule registered for the duration of a CLI test (see tests/cli_support.py)."""
    from tests.cli_support import registered_probe

    with registered_probe() as rule:
        yield rule


@pytest.fixture
def run_lint():
    return lint


def cyclic_garbage(action) -> set[str]:
    """Type names of what `action()` leaves in reference cycles: what only the cyclic collector
    would free (anything it keeps alive, a syntax tree, waits for a collection)."""
    import gc

    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return {type(found).__name__ for found in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
