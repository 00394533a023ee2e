"""Start-up imports only what a run needs (bench/bench.py times it; these tests guard the
mechanism without timing anything)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

from hplint.knowledge import LIBRARY_MODULES, MODULES_BY_ROOT, normalize

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI in-process, then prints which of these modules the run imported.
_PROBE = """
import json, sys
from hplint.cli import cli
try:
    cli.main(prog_name="hplint", standalone_mode=False, args=sys.argv[1:])
except SystemExit:
    pass
watched = ["libcst", "rich", "multiprocessing", "concurrent.futures", "difflib", "traceback",
           "hplint.reporters.full", "hplint.reporters.html", "hplint.docs",
           "hplint.knowledge.sklearn", "hplint.knowledge.keras", "hplint.knowledge.huggingface"]
print(json.dumps({name: name in sys.modules for name in watched}), file=sys.stderr)
"""


def _imported(tmp_path: Path, *args: str) -> dict[str, bool]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_every_library_table_is_reached_from_the_roots_it_declares():
    for module_name in LIBRARY_MODULES:
        for api in import_module(f"hplint.knowledge.{module_name}").APIS:
            for name in (api.qualname, *api.aliases):
                root = normalize(name).split(".", 1)[0]
                assert module_name in MODULES_BY_ROOT.get(root, ()), f"{name} ({module_name}) under unknown root {root}"


def test_a_torch_file_loads_neither_other_libraries_tables_nor_rich_nor_a_pool(tmp_path):
    (tmp_path / "train.py").write_text("import torch\nmodel = torch.nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n")
    imported = _imported(tmp_path, "check", "--no-cache", "--output-format", "concise", "train.py")
    assert imported["libcst"]  # it is parsed
    for name in ("rich", "multiprocessing", "concurrent.futures", "difflib", "traceback", "hplint.reporters.full",
                 "hplint.reporters.html", "hplint.docs", "hplint.knowledge.sklearn", "hplint.knowledge.keras",
                 "hplint.knowledge.huggingface"):
        assert not imported[name], name


def test_a_cached_file_is_answered_without_libcst(tmp_path):
    (tmp_path / "train.py").write_text("import torch\nmodel = torch.nn.Linear(3, 1)\n")
    _imported(tmp_path, "check", "--output-format", "concise", "train.py")  # fills the cache
    imported = _imported(tmp_path, "check", "--output-format", "concise", "train.py")
    assert not imported["libcst"]
    assert not imported["hplint.knowledge.sklearn"]
