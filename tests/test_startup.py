"""Start-up imports only what a run needs (timings are bench/'s business; these check the imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import import_module

from hplint import knowledge

_PROBE = (
    "import sys\n"
    "from hplint.cli import main\n"
    "sys.argv = ['hplint', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "import json\n"
    "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
)


def _modules_after(tmp_path, *args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=tmp_path, capture_output=True, env=env, timeout=120)
    return set(json.loads(done.stderr.decode().strip().splitlines()[-1]))


def test_one_torch_file_loads_neither_other_libraries_tables_nor_unused_machinery(tmp_path):
    (tmp_path / "train.py").write_text("import torch.nn as nn\nlayer = nn.Dropout(p=0.5)\n")
    modules = _modules_after(tmp_path, "--no-cache", "--output-format", "concise", "train.py")
    assert "libcst" in modules and "hplint.knowledge.torch" in modules  # it was really checked
    for heavy in (
        "hplint.knowledge.sklearn",  # other libraries' tables
        "hplint.knowledge.keras",
        "hplint.knowledge.boosting",
        "hplint.reporters.full",  # other reporters
        "hplint.reporters.sarif",
        "rich",
        "multiprocessing",  # one file: no pool
        "concurrent.futures",
        "tomllib",  # no configuration file
        "hashlib",  # --no-cache: no fingerprint
        "traceback",  # no failure
        "difflib",  # no unknown name to suggest for
        "hplint.fix_run",  # not fixing: no fix machinery
        "hplint.fixing",
        "hplint.rewrite",
    ):
        assert heavy not in modules, heavy


def test_the_fix_machinery_loads_when_something_may_fix(tmp_path):
    (tmp_path / "train.py").write_text("import torch.nn as nn\nlayer = nn.Dropout(p=0.5)\n")
    shown = _modules_after(tmp_path, "--no-cache", "--show-fixes", "train.py")
    assert "hplint.fix_run" in shown  # --show-fixes says "No errors fixed." without --fix too
    (tmp_path / "hplint.toml").write_text("fix = true\n")
    assert "hplint.fix_run" in _modules_after(tmp_path, "--no-cache", "train.py")


def test_show_fixes_without_fix_still_says_nothing_was_fixed(tmp_path):
    (tmp_path / "train.py").write_text("import torch.nn as nn\nlayer = nn.Dropout(p=0.5)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}
    done = subprocess.run(
        [sys.executable, "-m", "hplint", "check", "--no-cache", "--show-fixes", "--output-format", "concise", "train.py"],
        cwd=tmp_path, capture_output=True, env=env, timeout=120,
    )
    assert done.returncode == 1 and b"HPL101" in done.stdout
    assert done.stderr.decode().strip().endswith("No errors fixed.")


def test_cached_run_does_not_load_libcst(tmp_path):
    (tmp_path / "train.py").write_text("import torch.nn as nn\nlayer = nn.Dropout(p=0.5)\n")
    cold = _modules_after(tmp_path, "--output-format", "concise", "train.py")
    assert "libcst" in cold
    warm = _modules_after(tmp_path, "--output-format", "concise", "train.py")
    assert "libcst" not in warm and "hplint.engine" not in warm


def test_modules_by_root_matches_the_tables():
    """Every API's top-level package maps to exactly the modules that declare APIs under it."""
    expected: dict[str, set[str]] = {}
    for module_name in knowledge.LIBRARY_MODULES:
        for api in import_module(f"hplint.knowledge.{module_name}").APIS:
            for name in (api.qualname, *api.aliases):
                expected.setdefault(knowledge.normalize(name).split(".", 1)[0], set()).add(module_name)
    assert {root: set(modules) for root, modules in knowledge.MODULES_BY_ROOT.items()} == expected


def test_program_exit_status_and_output_survive_the_fast_exit(tmp_path):
    (tmp_path / "train.py").write_text("import torch.nn as nn\nlayer = nn.Dropout(p=0.5)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}
    done = subprocess.run(
        [sys.executable, "-m", "hplint", "check", "--no-cache", "--output-format", "concise", "-o", "out.txt", "train.py"],
        cwd=tmp_path, capture_output=True, env=env, timeout=120,
    )
    assert done.returncode == 1
    assert "HPL101" in (tmp_path / "out.txt").read_text()
