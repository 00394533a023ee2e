"""hplint never fails on real code: the standard library and the installed packages, every rule on.

The large test checks a deterministic sample of every `.py` file of this environment's standard
library and site-packages (`bench/crash_scan.py`, which scans all of them by hand, shares its code):
files ordered by a hash of their path inside their root, taken while they fit in SAMPLE_BYTES, so
the same files are checked on every machine that has them, in well under a minute on two cores.
It needs no network and imports none of the files it checks.

The full scan of this environment (19,877 files, 7.3M lines) found no internal error; when one is
found, its minimal program belongs here as its own test, so it stays fixed whatever the sample
happens to contain.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import sysconfig
from pathlib import Path

import pytest

SCANNER = Path(__file__).resolve().parent.parent / "bench" / "crash_scan.py"
# ~10 MB of source is ~280k lines, ~35 s of CPU with every rule on (7.9k lines per CPU-second
# measured over all 7.3M lines of this machine's stdlib and site-packages): ~20 s on two cores.
SAMPLE_BYTES = 10_000_000


@pytest.fixture(scope="module")
def scanner():
    spec = importlib.util.spec_from_file_location("hplint_crash_scan", SCANNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["hplint_crash_scan"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["hplint_crash_scan"]


def test_standard_library_and_site_packages_sample(scanner):
    files = scanner.discover(scanner.default_roots())
    chosen = scanner.sample(files, SAMPLE_BYTES)
    # The sample is large and spans both the standard library and the installed packages.
    assert len(chosen) >= 300
    packages = os.path.realpath(sysconfig.get_paths()["purelib"])
    assert any(f.path.startswith(packages) for f in chosen)
    assert any(not f.path.startswith(packages) for f in chosen)
    report = scanner.scan(chosen, jobs=max(2, scanner.available_cpus()), timeout=60)
    assert not report.problems, (
        f"{len(report.problems)} of {len(chosen)} files failed:\n{report.describe_problems()}"
    )
    checked = [o for o in report.outcomes if o.status == "ok"]
    assert len(checked) >= 0.9 * len(chosen)  # nearly every file decodes and is checked


def test_scan_names_the_file_and_rule_that_failed_and_goes_on(scanner, tmp_path, monkeypatch):
    """The scan is not blind: a rule that raises and a worker that dies are reported by file (and
    rule), and the other files are still checked."""
    from hplint.rules import all_rules

    rule = all_rules()["HPL101"]
    original = rule.check

    def failing_check(self, ctx):
        if "RAISE_HERE" in ctx.source.text:
            raise ZeroDivisionError("planted")
        if "DIE_HERE" in ctx.source.text:
            os._exit(70)  # as a segfault would: no exception, no cleanup
        original(self, ctx)

    monkeypatch.setattr(rule, "check", failing_check)
    for name, text in {"raises.py": "RAISE_HERE = 1\n", "dies.py": "DIE_HERE = 1\n", "fine.py": "x = 1\n"}.items():
        (tmp_path / name).write_text(text)
    report = scanner.scan(scanner.discover([tmp_path]), jobs=2, timeout=60)
    status = {Path(o.path).name: o.status for o in report.outcomes}
    assert status == {"dies.py": "died", "fine.py": "ok", "raises.py": "internal-error"}
    message = report.describe_problems()
    assert "raises.py: HPL101:" in message and "ZeroDivisionError" in message
    assert "dies.py: worker died: exited with status 70" in message
