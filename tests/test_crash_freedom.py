"""hplint never fails on real code: the standard library and the installed packages, every rule on.

The large test checks a deterministic sample of every `.py` file of this environment's standard
library and site-packages (`bench/crash_scan.py`, which scans all of them by hand, shares its code):
files ordered by a hash of their path inside their root, taken while they fit in SAMPLE_BYTES, so
the same files are checked on every machine that has them, in about half a minute on two cores.
It needs no network and imports none of the files it checks.

The small tests are the minimal programs that made a rule or an analysis fail on that real code,
one per bug, so each stays fixed whatever the sample happens to contain.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

from hplint.diagnostics import Diagnostic
from hplint.engine import check_source
from hplint.settings import Selection, Settings
from hplint.source import from_bytes

SCANNER = Path(__file__).resolve().parent.parent / "bench" / "crash_scan.py"
# ~8 MB of source is ~220k lines: about 20 s on two cores here with every rule on.
SAMPLE_BYTES = 8_000_000
EVERY_RULE = Settings(selection=Selection(select=("ALL",)), check_test_files=True)


@pytest.fixture(scope="module")
def scanner():
    spec = importlib.util.spec_from_file_location("hplint_crash_scan", SCANNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["hplint_crash_scan"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["hplint_crash_scan"]


def internal_errors(code: str) -> list[str]:
    """The internal errors of checking `code` with every rule: HPL903 diagnostics, or the exception
    an engine that does not turn them into diagnostics raises."""
    source = from_bytes(textwrap.dedent(code).encode(), "train.py", is_notebook=False)
    try:
        diagnostics: list[Diagnostic] = check_source(source, EVERY_RULE, "train.py", assume_ml=True)
    except Exception as error:  # noqa: BLE001 - any exception is the failure under test
        return [f"{type(error).__name__}: {error}"]
    return [d.message for d in diagnostics if d.code == "HPL903"]


# Minimal programs that made hplint fail on the standard library or site-packages.
REGRESSIONS: dict[str, str] = {}


@pytest.mark.parametrize("code", list(REGRESSIONS.values()), ids=list(REGRESSIONS))
def test_minimal_program_that_once_failed(code):
    assert internal_errors(code) == []


def test_standard_library_and_site_packages_sample(scanner):
    files = scanner.discover(scanner.default_roots())
    chosen = scanner.sample(files, SAMPLE_BYTES)
    # The sample is large and spans both the standard library and the installed packages.
    assert len(chosen) >= 300
    assert any("site-packages" in f.path for f in chosen)
    assert any("site-packages" not in f.path for f in chosen)
    report = scanner.scan(chosen, jobs=max(2, scanner.available_cpus()), timeout=60)
    assert not report.problems, (
        f"{len(report.problems)} of {len(chosen)} files failed:\n{report.describe_problems()}"
    )
    checked = [o for o in report.outcomes if o.status == "ok"]
    assert len(checked) >= 0.9 * len(chosen)  # nearly every file decodes and is checked
