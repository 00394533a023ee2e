"""`hplint extract-config`: exact rewrites per target, idempotence, the
compile check, refusals, --diff exit codes, and what is kept byte for byte (encoding, BOM, line
endings, mode)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from hplint.cli import cli
from hplint.codemods.extract_config import extract
from hplint.codemods.gather import Refusal
from hplint.settings import Settings
from hplint.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = '''\
"""Train a small network and a forest."""

import argparse

import torch
from torch import nn, optim
from sklearn.ensemble import RandomForestClassifier


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.25)  # regularization
        self.head = nn.Linear(16, 2)


def train(args, model, loader):
    optimizer = optim.SGD(
        model.parameters(),
        lr=args.lr,
        momentum=0.9,  # momentum
    )
    for epoch in range(30):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.1)
    args = parser.parse_args()
    forest = RandomForestClassifier(n_estimators=500, max_depth=8)
    train(args, Net(), [])


if __name__ == "__main__":
    main()
'''

# The sklearn script: module level, a function, one keyword used by two estimators, a
# justification comment (left alone) and an inline comment (kept).
FLAT = '''\
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.svm import SVC

forest = RandomForestClassifier(n_estimators=700, max_depth=14)  # the forest
boost = GradientBoostingClassifier(n_estimators=300, learning_rate=0.05)
paper = SVC(C=10.0, gamma=0.01)  # values from the paper


def fit(X, y):
    return SVC(C=3.0).fit(X, y), RandomForestClassifier(n_estimators=700).fit(X, y)
'''


def rewrite(code: str, target: str, **kwargs) -> str:
    return extract(SourceFile("train.py", code), Settings(), "train.py", target, **kwargs).text


def assert_sound(code: str, target: str, **kwargs) -> str:
    """The rewrite compiles and a second run changes nothing."""
    once = rewrite(code, target, **kwargs)
    compile(once, "train.py", "exec")
    assert rewrite(once, target, **kwargs) == once
    return once


def test_constants() -> None:
    assert assert_sound(FLAT, "constants") == '''\
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.svm import SVC

RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS = 700
MAX_DEPTH = 14
GRADIENT_BOOSTING_CLASSIFIER_N_ESTIMATORS = 300
LEARNING_RATE = 0.05
SVC_C = 3.0

forest = RandomForestClassifier(n_estimators=RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS, max_depth=MAX_DEPTH)  # the forest
boost = GradientBoostingClassifier(n_estimators=GRADIENT_BOOSTING_CLASSIFIER_N_ESTIMATORS, learning_rate=LEARNING_RATE)
paper = SVC(C=10.0, gamma=0.01)  # values from the paper


def fit(X, y):
    return SVC(C=SVC_C).fit(X, y), RandomForestClassifier(n_estimators=RANDOM_FOREST_CLASSIFIER_N_ESTIMATORS).fit(X, y)
'''


def test_constants_in_a_class_a_function_and_a_loop() -> None:
    out = assert_sound(SCRIPT, "constants")
    assert out.splitlines()[7:14] == [
        "",
        "DROPOUT_P = 0.25",
        "MOMENTUM = 0.9",
        "EPOCHS = 30",
        "N_ESTIMATORS = 500",
        "MAX_DEPTH = 8",
        "",
    ]
    assert "        self.drop = nn.Dropout(DROPOUT_P)  # regularization\n" in out
    assert "        momentum=MOMENTUM,  # momentum\n" in out
    assert "    for epoch in range(EPOCHS):\n" in out
    assert "    forest = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH)\n" in out
    expected = (
        SCRIPT.replace(
            "RandomForestClassifier\n\n",
            "RandomForestClassifier\n\nDROPOUT_P = 0.25\nMOMENTUM = 0.9\nEPOCHS = 30\nN_ESTIMATORS = 500\nMAX_DEPTH = 8\n\n",
            1,
        )
        .replace("Dropout(0.25)", "Dropout(DROPOUT_P)")
        .replace("momentum=0.9,", "momentum=MOMENTUM,")
        .replace("range(30)", "range(EPOCHS)")
        .replace("n_estimators=500, max_depth=8", "n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH")
    )
    assert out == expected


def test_dataclass() -> None:
    assert assert_sound(SCRIPT, "dataclass") == SCRIPT.replace(
        "from sklearn.ensemble import RandomForestClassifier\n",
        '''from sklearn.ensemble import RandomForestClassifier
from dataclasses import dataclass


@dataclass
class Config:
    dropout_p: float = 0.25
    momentum: float = 0.9
    epochs: int = 30
    n_estimators: int = 500
    max_depth: int = 8


config = Config()
''',
    ).replace("Dropout(0.25)", "Dropout(config.dropout_p)").replace("momentum=0.9,", "momentum=config.momentum,").replace(
        "range(30)", "range(config.epochs)"
    ).replace("n_estimators=500, max_depth=8", "n_estimators=config.n_estimators, max_depth=config.max_depth")


def test_dataclass_types_lists_and_a_taken_name() -> None:
    code = textwrap.dedent(
        """\
        import torch
        config = {"lr": 0.1}
        opt = torch.optim.Adam(params, lr=3e-4, betas=(0.9, 0.98))
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[30, 60])
        """
    )
    assert assert_sound(code, "dataclass") == textwrap.dedent(
        """\
        import torch
        from dataclasses import dataclass, field


        @dataclass
        class Config:
            lr: float = 3e-4
            betas: tuple[float, float] = (0.9, 0.98)
            milestones: list[int] = field(default_factory=lambda: [30, 60])


        hparams = Config()

        config = {"lr": 0.1}
        opt = torch.optim.Adam(params, lr=hparams.lr, betas=hparams.betas)
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=hparams.milestones)
        """
    )


def test_argparse_adds_flags_to_the_scripts_parser() -> None:
    code = SCRIPT.replace("        self.drop = nn.Dropout(0.25)  # regularization\n", "")
    assert assert_sound(code, "argparse") == code.replace(
        "        momentum=0.9,", "        momentum=args.momentum,"
    ).replace("range(30)", "range(args.epochs)").replace(
        "    args = parser.parse_args()\n",
        '''    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum")
    parser.add_argument("--epochs", type=int, default=30, help="number of epochs")
    parser.add_argument("--n-estimators", type=int, default=500, help="RandomForestClassifier n_estimators")
    parser.add_argument("--max-depth", type=int, default=8, help="RandomForestClassifier max_depth")
    args = parser.parse_args()
''',
    ).replace("n_estimators=500, max_depth=8", "n_estimators=args.n_estimators, max_depth=args.max_depth")


def test_argparse_parses_in_the_main_guard() -> None:
    code = textwrap.dedent(
        """\
        from sklearn.svm import SVC


        def fit(X, y):
            return SVC(C=10.0).fit(X, y)


        if __name__ == "__main__":
            model = SVC(C=3.0)
        """
    )
    assert assert_sound(code, "argparse") == textwrap.dedent(
        """\
        from sklearn.svm import SVC
        import argparse


        def fit(X, y):
            return SVC(C=args.svc_c).fit(X, y)


        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--svc-c", type=float, default=10.0, help="SVC C")
            parser.add_argument("--svc-c-2", type=float, default=3.0, help="SVC C")
            args = parser.parse_args()
            model = SVC(C=args.svc_c_2)
        """
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("from sklearn.svm import SVC\nSVC(C=10.0)\n", 'has no `if __name__ == "__main__":` block'),
        (
            'from sklearn.svm import SVC\nSVC(C=10.0)\nif __name__ == "__main__":\n    pass\n',
            "line 2: the value is used at import, before any flags are parsed",
        ),
        (SCRIPT, "line 13: `args` (the parsed flags) does not reach `__init__`"),
        (
            "import argparse\nfrom sklearn.svm import SVC\ndef main():\n    SVC(C=1.5)\n"
            "    args = argparse.ArgumentParser().parse_args()\n",
            "",  # the receiver is not a name: no parser found, no guard
        ),
        (
            "import argparse\nfrom sklearn.svm import SVC\ndef main():\n    SVC(C=1.5)\n"
            "    p = argparse.ArgumentParser()\n    args = p.parse_args()\n",
            "line 4: the value is used before the flags are parsed (line 6)",
        ),
        (
            "import argparse\nfrom sklearn.svm import SVC\np = argparse.ArgumentParser()\n"
            "p.add_argument('--svc-c')\nargs = p.parse_args()\nSVC(C=1.5)\n",
            "no free name for SVC's `C` (`svc_c` is already a flag of the parser)",
        ),
    ],
)
def test_argparse_refusals(code: str, message: str) -> None:
    with pytest.raises(Refusal) as refusal:
        rewrite(code, "argparse")
    assert message in str(refusal.value)


def test_toml(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    toml = tmp_path / "conf" / "hp.toml"
    result = extract(
        SourceFile("train.py", FLAT), Settings(), "train.py", "toml", toml_path=toml, script_path=script, toml_text=None
    )
    assert result.toml == (
        "[train]\nrandom_forest_classifier_n_estimators = 700\nmax_depth = 14\n"
        "gradient_boosting_classifier_n_estimators = 300\nlearning_rate = 0.05\nsvc_c = 3.0\n"
    )
    assert result.text.startswith(
        "from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier\n"
        "from sklearn.svm import SVC\n"
        "import pathlib\n"
        "try:\n    import tomllib\nexcept ModuleNotFoundError:  # Python < 3.11\n    import tomli as tomllib\n\n"
        'HYPERPARAMETERS = tomllib.loads(\n'
        '    pathlib.Path(__file__).parent.joinpath("conf/hp.toml").read_text(encoding="utf-8")\n'
        ')["train"]\n\n'
        'forest = RandomForestClassifier(n_estimators=HYPERPARAMETERS["random_forest_classifier_n_estimators"], '
        'max_depth=HYPERPARAMETERS["max_depth"])  # the forest\n'
    )
    compile(result.text, "train.py", "exec")
    again = extract(SourceFile("train.py", result.text), Settings(), "train.py", "toml", toml_path=toml, script_path=script, toml_text=result.toml)
    assert again.text == result.text and again.toml is None


def test_toml_values_are_exact_and_tuples_stay_tuples(tmp_path: Path) -> None:
    import tomllib

    code = "import torch\nopt = torch.optim.Adam(p, lr=.5e-3, betas=(0.9, 0.98), eps=1E-8)\n"
    result = extract(
        SourceFile("t.py", code), Settings(), "t.py", "toml", toml_path=tmp_path / "c.toml", script_path=tmp_path / "t.py",
        toml_text='title = "x"\n',
    )
    assert result.toml == 'title = "x"\n\n[t]\nlr = 0.0005\nbetas = [0.9, 0.98]\n'
    assert tomllib.loads(result.toml)["t"] == {"lr": 0.5e-3, "betas": [0.9, 0.98]}
    assert 'betas=tuple(HYPERPARAMETERS["betas"])' in result.text
    with pytest.raises(Refusal, match=r"already has a \[t\] table"):
        extract(SourceFile("t.py", code), Settings(), "t.py", "toml", toml_path=tmp_path / "c.toml",
                script_path=tmp_path / "t.py", toml_text=result.toml)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("from torch import *\nfrom sklearn.svm import SVC\nSVC(C=10.0)\n", "has a star import (`from torch import *`)"),
        (
            "from sklearn.svm import SVC\nSVC_C = 1\nC = 2\nSVC(C=10.0)\n",
            "line 4: no free name for SVC's `C` (`SVC_C` is already used in the file)",
        ),
        ("from sklearn.svm import SVC\nprint(f'{SVC(C=10.0)}')\n", "line 2: the literal is inside an f-string"),
    ],
)
def test_refusals(code: str, message: str) -> None:
    with pytest.raises(Refusal) as refusal:
        rewrite(code, "constants")
    assert message in str(refusal.value)


def test_notebooks_are_refused() -> None:
    source = SourceFile("nb.ipynb", "from sklearn.svm import SVC\nSVC(C=10.0)\n", is_notebook=True)
    with pytest.raises(Refusal, match="is a notebook"):
        extract(source, Settings(), "nb.ipynb", "constants")


def test_noqa_and_justified_literals_stay() -> None:
    code = "from sklearn.svm import SVC\na = SVC(C=10.0)  # noqa: HPL101\nb = SVC(C=2.0)  # tuned on the dev set\n"
    assert rewrite(code, "constants") == code
    options = (("HPL101", (("honour-justification-comments", False),)),)
    assert "SVC_C = 2.0" in extract(SourceFile("t.py", code), Settings(rule_options=options), "t.py", "constants").text


def test_the_literal_text_is_copied_as_written() -> None:
    code = "import torch\nopt = torch.optim.SGD(p, lr=(\n    1e-1  # big\n), momentum=-0.0 + 0.9 if False else 0.9)\n"
    out = rewrite(code, "constants")
    assert out.startswith("import torch\n\nLR = (\n    1e-1  # big\n)\n")


# -- the command line --------------------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["extract-config", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(FLAT)
    code, out, err = _cli(tmp_path, str(script), "--to", "constants", "--diff")
    assert code == 1
    assert out.startswith(f"--- {script}\n+++ {script}\n@@ -1,10 +1,16 @@\n")
    assert "-forest = RandomForestClassifier(n_estimators=700, max_depth=14)  # the forest\n" in out
    assert err == "Would move 6 hyperparameters in 1 file.\n"
    assert script.read_text() == FLAT
    code, out, err = _cli(tmp_path, str(script), "--to", "constants")
    assert (code, out, err) == (0, "", "Moved 6 hyperparameters in 1 file.\n")
    assert script.read_text() == rewrite(FLAT, "constants")
    assert _cli(tmp_path, str(script), "--to", "constants", "--diff") == (0, "", "Would move 0 hyperparameters in 0 files.\n")


def test_cli_keeps_bom_crlf_encoding_and_mode(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    text = "# -*- coding: latin-1 -*-\r\n# caf\xe9\r\nfrom sklearn.svm import SVC\r\nm = SVC(C=10.0)\r\n"
    script.write_bytes(text.encode("latin-1"))
    os.chmod(script, 0o750)
    assert _cli(tmp_path, str(script), "--to", "constants")[0] == 0
    assert script.read_bytes() == text.replace("SVC\r\n", "SVC\r\n\r\nSVC_C = 10.0\r\n\r\n").replace("C=10.0", "C=SVC_C").encode("latin-1")
    assert stat.S_IMODE(script.stat().st_mode) == 0o750
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbffrom sklearn.svm import SVC\nm = SVC(C=10.0)\n")
    assert _cli(tmp_path, str(bom), "--to", "constants")[0] == 0
    assert bom.read_bytes() == b"\xef\xbb\xbffrom sklearn.svm import SVC\n\nSVC_C = 10.0\n\nm = SVC(C=SVC_C)\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".hplint")]


def test_cli_refusals_are_messages_with_exit_2(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text("from torch import *\nfrom sklearn.svm import SVC\nSVC(C=10.0)\n")
    code, out, err = _cli(tmp_path, str(script), "--to", "dataclass")
    assert code == 2 and out == ""
    assert err == (
        f"hplint: {script}: not rewritten: has a star import (`from torch import *`): the names it binds are unknown\n"
        "Moved 0 hyperparameters in 0 files; 1 file refused.\n"
    )
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    code, _, err = _cli(tmp_path, str(broken), "--to", "constants")
    assert code == 2 and "not rewritten: does not parse" in err and "Traceback" not in err
    code, _, err = _cli(tmp_path, str(script), "--to", "toml")
    assert code == 2 and "--to toml needs the TOML file" in err


def test_cli_toml_writes_the_table_then_the_script(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text("from sklearn.svm import SVC\nm = SVC(C=10.0)\n")
    toml = tmp_path / "hp.toml"
    code, _, err = _cli(tmp_path, str(script), "--to", "toml", str(toml))
    assert (code, err) == (0, "Moved 1 hyperparameter in 1 file.\n")
    assert toml.read_text() == "[train]\nsvc_c = 10.0\n"
    assert 'm = SVC(C=HYPERPARAMETERS["svc_c"])\n' in script.read_text()


def test_cli_as_a_subprocess_runs_the_rewritten_script(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        "import json\nfrom sklearn.svm import SVC\n\n\ndef build():\n    return SVC(C=10.0, gamma=0.01)\n\n\n"
        'if __name__ == "__main__":\n    print(json.dumps(build().get_params()["C"]))\n'
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "hplint", "extract-config", str(script), "--to", "argparse"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "Moved 2 hyperparameters in 1 file.\n")
    ran = subprocess.run([sys.executable, str(script), "--svc-c", "2.5"], capture_output=True, text=True, check=False)
    if "No module named 'sklearn'" not in ran.stderr:
        assert ran.stdout == "2.5\n"
