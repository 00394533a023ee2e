"""action.yml, the composite GitHub Action: its metadata, and its run steps executed as bash the way
a runner would (inputs substituted into the steps' env, GITHUB_* set), with hplint already
importable from this checkout, so the install step is the one step not run here."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")  # in the dev extra

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
_EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")

BAD = "from sklearn.svm import SVC\nmodel = SVC(C=3.7, gamma=0.01)\n"


def test_metadata_has_what_github_requires():
    assert ACTION["name"] and ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"version", "paths", "args", "sarif-file", "python"}
    for name, spec in ACTION["inputs"].items():
        assert spec["description"], name
        assert spec.get("required") is False and "default" in spec, name
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"  # composite run steps must name their shell
        for used in _EXPRESSION.findall(json.dumps(step)):
            assert used in ACTION["inputs"], used
        # Inputs reach the scripts through env only: never pasted into the script text.
        assert "${{" not in step["run"]
    assert ACTION["outputs"]["exit-code"]["value"] == "${{ steps.run.outputs.exit-code }}"


def _run_steps(workspace: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, Path]:
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    values["python"] = sys.executable
    output = workspace.parent / "github_output"
    output.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HPLINT_", "GITHUB_"))}
    env.update(PYTHONPATH=str(ROOT), GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workspace), GITHUB_OUTPUT=str(output))
    script = ["set -e"]
    for step in ACTION["runs"]["steps"]:
        if step["id"] == "install":
            continue  # hplint is importable from this checkout (PYTHONPATH)
        for key, value in step.get("env", {}).items():
            script.append(f"export {key}={_quote(_EXPRESSION.sub(lambda m: values[m.group(1)], str(value)))}")
        script.append(f"( {step['run']}\n)")
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=workspace, env=env, capture_output=True, text=True, timeout=300)
    return done, output


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_run_steps_write_annotations_sarif_and_the_exit_code(tmp_path):
    workspace = tmp_path / "repo"
    (workspace / "src").mkdir(parents=True)
    (workspace / "src" / "train.py").write_text(BAD)
    done, output = _run_steps(workspace, paths="src", args="--select HPL1", sarif_file="out/hplint.sarif")
    assert done.returncode == 1, done.stderr  # findings fail the step
    assert "::warning title=hplint (HPL101),file=src/train.py,line=2" in done.stdout or "::error title=hplint (HPL101),file=src/train.py,line=2" in done.stdout
    sarif = json.loads((workspace / "out" / "hplint.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"HPL101"}
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/train.py"
    assert output.read_text() == "exit-code=1\n"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_clean_tree_passes_and_args_reach_hplint(tmp_path):
    workspace = tmp_path / "repo"
    workspace.mkdir()
    (workspace / "train.py").write_text(BAD)
    done, output = _run_steps(workspace, args="--exit-zero --select HPL1")
    assert done.returncode == 0, done.stderr
    assert "HPL101" in done.stdout
    assert output.read_text() == "exit-code=0\n"
    (workspace / "train.py").write_text("import os\n")
    done, output = _run_steps(workspace)
    assert done.returncode == 0 and "::" not in done.stdout
