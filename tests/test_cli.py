"""The command line, option by option (in-process with click's CliRunner, plus real subprocesses)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from hplint import __version__
from tests.cli_support import PROBE, invoke, write


ROOT = Path(__file__).resolve().parent.parent
BAD = "lr = 0.1\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def project(tmp_path, monkeypatch, probe):
    """A directory with one file the probe reports, one clean file, one syntax error; cwd is there."""
    write(tmp_path / "train.py", "import os\nlr = 0.1\n")
    write(tmp_path / "clean.py", "x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def concise(args: list[str], **kwargs):
    result = invoke(["--output-format", "concise", "--no-cache", *args], **kwargs)
    return result, [line for line in result.stdout.splitlines() if re.match(r".+:\d+:\d+: HPL", line)]


# -- paths, subcommands, exit codes ----------------------------------------------------------------


def test_default_path_is_current_directory_and_check_is_the_same_command(project):
    bare, bare_lines = concise([])
    checked = invoke(["check", "--output-format", "concise", "--no-cache"])
    checked_lines = [line for line in checked.stdout.splitlines() if ": HPL" in line]
    assert bare.exit_code == checked.exit_code == 1
    assert bare_lines == checked_lines == [f"train.py:2:6: {PROBE} `lr` is set to a literal (limit 3)"]


def test_exit_codes(project):
    assert concise(["clean.py"])[0].exit_code == 0
    assert concise(["train.py"])[0].exit_code == 1
    assert concise(["--exit-zero", "train.py"])[0].exit_code == 0
    missing = invoke(["--no-cache", "train.py", "missing.py"])
    assert missing.exit_code == 2  # a usage error wins over findings
    assert "hplint: missing.py: No such file or directory" in missing.stderr
    assert concise(["--exit-zero", "missing.py"])[0].exit_code == 2  # --exit-zero turns only 1 into 0


def test_unknown_option_is_a_usage_error(project):
    result = invoke(["--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


# -- selection ------------------------------------------------------------------------------------------


def codes_of(args: list[str]) -> set[str]:
    result, lines = concise(args)
    assert result.exit_code in (0, 1), result.stderr
    return {line.split(": ")[1].split()[0] for line in lines}


@pytest.fixture
def two_rule_file(project):
    # the probe (HPL990) fires on line 1; HPL902 (off by default) on the unused noqa of line 2
    write(project / "two.py", "lr = 0.5\nx = 1  # noqa: HPL101\n")
    return "two.py"


def test_select_ignore_extend_select_semantics(two_rule_file):
    f = two_rule_file
    assert codes_of([f]) == {PROBE}  # HPL902 is off by default
    assert codes_of(["--extend-select", "HPL902", f]) == {PROBE, "HPL902"}
    assert codes_of(["--select", "HPL902", f]) == {"HPL902"}  # select replaces the defaults
    assert codes_of(["--select", "ALL", f]) == {PROBE, "HPL902"}
    assert codes_of(["--select", "HPL9", f]) == {PROBE, "HPL902"}  # a prefix
    assert codes_of(["--select", "ALL", "--ignore", "HPL99", f]) == {"HPL902"}
    # the more specific selector wins, in both directions
    assert codes_of(["--select", "HPL990", "--ignore", "HPL9", f]) == {PROBE}
    assert codes_of(["--select", "HPL9", "--ignore", "HPL990", f]) == {"HPL902"}
    assert codes_of(["--select", "ALL", "--ignore", "ALL", f]) == set()
    # comma-separated and repeated, lower case accepted
    assert codes_of(["--select", "hpl990,HPL902", f]) == {PROBE, "HPL902"}
    assert codes_of(["--select", "HPL990", "--select", "HPL902", f]) == {PROBE, "HPL902"}


def test_unknown_selector_is_an_error(project):
    for option in ("--select", "--ignore", "--extend-select"):
        result = invoke([option, "HPL777", "."])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"hplint: {option}: unknown rule code or prefix `HPL777`"


def test_command_line_overrides_configuration(two_rule_file, project):
    write(project / "pyproject.toml", '[tool.hplint]\nselect = ["HPL902"]\nignore = ["HPL990"]\n')
    f = two_rule_file
    assert codes_of([f]) == {"HPL902"}
    assert codes_of(["--select", PROBE, f]) == {PROBE}  # select on the command line replaces
    assert codes_of(["--extend-select", PROBE, f]) == {PROBE, "HPL902"}  # a later layer wins
    assert codes_of(["--ignore", "HPL902", f]) == set()


# -- output formats -----------------------------------------------------------------------------------


@pytest.fixture
def notebook(project):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
        {"cell_type": "code", "metadata": {}, "source": ["%matplotlib inline\n", "import os"], "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": ["x = 1\n", "lr = 0.01\n"], "outputs": [], "execution_count": None},
    ]
    document = {"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    (project / "nb.ipynb").write_text(json.dumps(document, indent=1) + "\n")
    return "nb.ipynb"


def run_format(fmt: str, *paths: str):
    result = invoke(["--output-format", fmt, "--no-cache", *paths])
    assert result.exit_code == 1, result.stderr
    return result.stdout


def test_json_is_ruff_compatible_with_notebook_cells(project, notebook):
    items = json.loads(run_format("json", "train.py", notebook))
    assert isinstance(items, list) and len(items) == 2
    by_file = {item["filename"]: item for item in items}
    script = by_file["train.py"]
    assert script["code"] == PROBE
    assert script["location"] == {"row": 2, "column": 6}
    assert script["end_location"] == {"row": 2, "column": 9}
    assert script["cell"] is None and script["fix"] is None
    assert {"message", "severity", "url", "noqa_row"} <= set(script)
    cell = by_file["nb.ipynb"]
    assert cell["cell"] == 3  # markdown cells count, like ruff
    assert cell["location"] == {"row": 2, "column": 6}  # the row inside the cell


def test_json_lines(project, notebook):
    lines = run_format("json-lines", "train.py", notebook).splitlines()
    assert [json.loads(line)["code"] for line in lines] == [PROBE, PROBE]


def test_sarif_structure(project, notebook):
    document = json.loads(run_format("sarif", "train.py", notebook))
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hplint"
    rule_ids = {rule["id"] for rule in driver["rules"]}
    assert PROBE in rule_ids
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["helpUri"]
    result = next(r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "train.py")
    assert result["ruleId"] == PROBE and result["level"] in ("warning", "error", "note")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 6)
    assert result["message"]["text"]


def test_gitlab_and_junit_and_text_formats(project):
    gitlab = json.loads(run_format("gitlab", "train.py"))
    assert gitlab[0]["check_name"] == PROBE and gitlab[0]["location"]["path"] == "train.py"
    junit = ElementTree.fromstring(run_format("junit", "train.py"))
    assert junit.tag in ("testsuites", "testsuite")
    [case] = [c for c in junit.iter("testcase") if c.find("failure") is not None]
    assert PROBE in ElementTree.tostring(case, encoding="unicode")
    github = run_format("github", "train.py")
    assert re.search(rf"^::(error|warning) title=hplint \({PROBE}\),file=train\.py,line=2,col=6", github, re.M)
    assert re.search(rf"^train\.py:2: \[{PROBE}", run_format("pylint", "train.py"), re.M)
    assert re.search(rf"^train\.py:2:6: {PROBE} ", run_format("concise", "train.py"), re.M)
    full = ANSI.sub("", run_format("full", "train.py"))
    assert "lr = 0.1" in full and "^" in full  # the source line and a caret


def test_output_format_from_environment(project):
    result = invoke(["--no-cache", "train.py"], env={"HPLINT_OUTPUT_FORMAT": "json"})
    assert json.loads(result.stdout)[0]["code"] == PROBE
    assert invoke(["train.py"], env={"HPLINT_OUTPUT_FORMAT": "bogus"}).exit_code == 2


def test_statistics(project):
    result = invoke(["--statistics", "--no-cache", "train.py"])
    assert result.exit_code == 1
    assert re.search(rf"^1\s+{PROBE}\s", result.stdout, re.M)
    stats = json.loads(invoke(["--statistics", "--output-format", "json", "--no-cache", "train.py"]).stdout)
    assert stats == [{"code": PROBE, "name": "probe-learning-rate", "count": 1, "fixable": False}]
    assert invoke(["--statistics", "--output-format", "sarif", "train.py"]).exit_code == 2


def test_output_file(project):
    result = invoke(["--output-format", "json", "--no-cache", "-o", "out/report.json", "train.py"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads((project / "out" / "report.json").read_text())[0]["code"] == PROBE


def test_quiet_drops_the_summary(project):
    loud = invoke(["--output-format", "concise", "--no-cache", "clean.py"])
    quiet = invoke(["--output-format", "concise", "--no-cache", "--quiet", "clean.py"])
    assert "All checks passed!" in loud.stdout
    assert quiet.stdout == ""


def test_color(project):
    colored = invoke(["--output-format", "concise", "--no-cache", "--color", "train.py"])
    plain = invoke(["--output-format", "concise", "--no-cache", "--no-color", "train.py"])
    default = invoke(["--output-format", "concise", "--no-cache", "train.py"])  # not a tty
    assert ANSI.search(colored.stdout)
    assert not ANSI.search(plain.stdout) and not ANSI.search(default.stdout)
    assert ANSI.sub("", colored.stdout) == plain.stdout


def test_version():
    result = invoke(["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"hplint {__version__}"


def test_jobs_give_the_same_output(project):
    for index in range(6):
        write(project / f"m{index}.py", f"lr = {index}\n")
    serial = invoke(["--output-format", "json", "--no-cache", "--jobs", "1"]).stdout
    parallel = invoke(["--output-format", "json", "--no-cache", "--jobs", "2"]).stdout
    assert serial == parallel and len(json.loads(serial)) == 7


# -- stdin ------------------------------------------------------------------------------------------


def test_stdin_with_dash_and_filename(project):
    result = invoke(["--output-format", "json", "--stdin-filename", "src/model.py", "-"], input=BAD)
    assert result.exit_code == 1
    assert [(d["filename"], d["location"]["row"]) for d in json.loads(result.stdout)] == [("src/model.py", 1)]
    # no path at all with --stdin-filename also reads stdin
    assert json.loads(invoke(["--output-format", "json", "--stdin-filename", "x.py"], input=BAD).stdout)
    # `-` alone: the name is `-`
    assert json.loads(invoke(["--output-format", "json", "-"], input=BAD).stdout)[0]["filename"] == "-"


def test_stdin_notebook(project, notebook):
    data = (project / notebook).read_bytes()
    result = invoke(["--output-format", "json", "--stdin-filename", "edit.ipynb", "-"], input=data)
    [item] = json.loads(result.stdout)
    assert (item["filename"], item["cell"], item["location"]["row"]) == ("edit.ipynb", 3, 2)


def test_stdin_uses_the_configuration_of_its_file_name(project):
    write(project / "sub" / "pyproject.toml", '[tool.hplint]\nignore = ["HPL990"]\n')
    result = invoke(["--output-format", "json", "--stdin-filename", "sub/model.py", "-"], input=BAD)
    assert result.exit_code == 0 and json.loads(result.stdout) == []


# -- --add-noqa ---------------------------------------------------------------------------------------


def test_add_noqa_round_trip(project):
    source = (
        "lr = 0.1\n"
        "lr = (  # existing comment\n    0.2\n)\n"
        "lr = 0.3  # noqa: HPL101\n"
        "lr = 0.4  # noqa\n"
    )
    write(project / "adopt.py", source)
    result = invoke(["--add-noqa", "--no-cache", "adopt.py"])
    assert result.exit_code == 0, result.stderr
    assert "Added 3 noqa directives." in result.stderr
    assert (project / "adopt.py").read_text() == (
        f"lr = 0.1  # noqa: {PROBE}\n"
        f"lr = (  # existing comment  # noqa: {PROBE}\n    0.2\n)\n"
        f"lr = 0.3  # noqa: HPL101, {PROBE}\n"
        "lr = 0.4  # noqa\n"
    )
    again = invoke(["--output-format", "concise", "--no-cache", "adopt.py"])
    assert again.exit_code == 0, again.stdout


def test_add_noqa_keeps_line_endings_bom_and_skips_multiline_strings(project):
    (project / "crlf.py").write_bytes(b"\xef\xbb\xbflr = 0.1\r\nx = 2\r\n")
    write(project / "strings.py", 'lr = 0.1\ns = """a\nb"""; lr = 0.2\n')
    result = invoke(["--add-noqa", "--no-cache", "crlf.py", "strings.py"])
    assert (project / "crlf.py").read_bytes() == b"\xef\xbb\xbflr = 0.1  # noqa: " + PROBE.encode() + b"\r\nx = 2\r\n"
    assert (project / "strings.py").read_text() == 'lr = 0.1\ns = """a\nb"""; lr = 0.2\n'  # untouched
    assert "strings.py: noqa directives not added" in result.stderr
    assert "Added 1 noqa directive." in result.stderr


def test_add_noqa_in_a_notebook_never_touches_magics(project, notebook):
    result = invoke(["--add-noqa", "--no-cache", notebook])
    assert "Added 1 noqa directive." in result.stderr
    cells = json.loads((project / notebook).read_text())["cells"]
    assert cells[1]["source"] == ["%matplotlib inline\n", "import os"]
    assert cells[2]["source"] == ["x = 1\n", f"lr = 0.01  # noqa: {PROBE}\n"]
    assert invoke(["--no-cache", notebook]).exit_code == 0


def test_add_noqa_in_a_notebook_is_not_blocked_by_a_broken_cell(project):
    cells = [
        {"cell_type": "code", "metadata": {}, "source": ['text = """never closed\n'], "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": ["lr = 0.5\n"], "outputs": [], "execution_count": None},
    ]
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (project / "broken.ipynb").write_text(json.dumps(document, indent=1) + "\n")
    result = invoke(["--add-noqa", "--no-cache", "broken.ipynb"])
    assert "Added 1 noqa directive." in result.stderr, result.stderr
    assert json.loads((project / "broken.ipynb").read_text())["cells"][1]["source"] == [f"lr = 0.5  # noqa: {PROBE}\n"]


# -- hplint rule ------------------------------------------------------------------------------------


def test_rule_prints_its_documentation(probe):
    result = invoke(["rule", PROBE])
    assert result.exit_code == 0
    assert result.stdout == probe.documentation()
    as_json = json.loads(invoke(["rule", PROBE, "--output-format", "json"]).stdout)
    assert as_json["code"] == PROBE and as_json["explanation"] == probe.documentation()
    unknown = invoke(["rule", "HPL777"])
    assert unknown.exit_code == 2 and "unknown rule code" in unknown.stderr
    assert invoke(["rule"]).exit_code == 2


def test_rule_all_lists_every_rule(probe):
    from hplint.rules import all_rules

    text = invoke(["rule", "--all"]).stdout.splitlines()
    assert len(text) == len(all_rules())
    probe_line = next(line for line in text if line.startswith(PROBE))
    assert re.search(r"probe-learning-rate\s+hplint\s+on\s+Test probe", probe_line)
    listed = json.loads(invoke(["rule", "--all", "--output-format", "json"]).stdout)
    assert [r["code"] for r in listed] == list(all_rules())
    assert {"code", "name", "family", "default_enabled", "summary"} <= set(listed[0])


# -- errors never show a traceback ---------------------------------------------------------------------


def test_unexpected_error_is_one_line(project, monkeypatch):
    import hplint.discovery

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(hplint.discovery, "discover", explode)
    result = invoke(["."])
    assert result.exit_code == 2
    assert result.stderr.startswith("hplint: error: RuntimeError: boom")
    assert "Traceback" not in result.stderr


# -- --force-exclude -------------------------------------------------------------------------------


def test_force_exclude_applies_excludes_to_named_files(project):
    write(project / "build" / "gen.py", BAD)
    write(project / "ignored" / "x.py", BAD)
    write(project / ".gitignore", "ignored/\n")
    (project / ".git").mkdir()
    assert invoke(["--no-cache", "build/gen.py", "ignored/x.py"]).exit_code == 1  # named: checked
    forced = invoke(["--no-cache", "--force-exclude", "build/gen.py", "ignored/x.py", "train.py"])
    assert forced.exit_code == 1
    assert concise(["--force-exclude", "build/gen.py", "ignored/x.py"])[1] == []


# -- real processes -------------------------------------------------------------------------------


def _run(command: list[str], cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPLINT_")}
    return subprocess.run(command, cwd=cwd, input=input, capture_output=True, env=env, timeout=300)


def test_python_dash_m_and_console_script(tmp_path):
    write(tmp_path / "bad.py", "def f(:\n    pass\n")
    module = _run([sys.executable, "-m", "hplint", "--output-format", "concise", "--no-cache", "."], tmp_path)
    assert module.returncode == 1
    assert module.stdout.decode().startswith("bad.py:1:7: HPL901 SyntaxError")
    script = Path(sys.executable).with_name("hplint")
    if not script.exists():
        pytest.skip("the hplint console script is not installed next to this interpreter")
    console = _run([str(script), "--output-format", "concise", "--no-cache", "."], tmp_path)
    assert console.returncode == 1 and console.stdout == module.stdout
    version = _run([str(script), "--version"], tmp_path)
    assert version.stdout.decode().strip() == f"hplint {__version__}"


def test_json_select_all_on_fixtures_prints_a_json_array():
    result = _run([sys.executable, "-m", "hplint", "--output-format", "json", "--select", "ALL", "--no-cache", "fixtures/"], ROOT)
    assert result.returncode in (0, 1), result.stderr.decode()
    assert isinstance(json.loads(result.stdout), list)


def test_editor_integration_reads_stdin(tmp_path):
    result = _run(
        [sys.executable, "-m", "hplint", "--output-format", "json-lines", "--stdin-filename", "src/a.py", "-"],
        tmp_path,
        input=b"def f(:\n",
    )
    assert result.returncode == 1
    assert json.loads(result.stdout.splitlines()[0])["filename"] == "src/a.py"


def test_debug_environment_shows_the_traceback(tmp_path):
    write(tmp_path / "hplint.toml", 'select = ["HPL901"]\n')
    env = {**os.environ, "HPLINT_DEBUG": "1"}
    # an output file below a regular file is an OSError nobody planned for
    (tmp_path / "out").write_text("")
    command = [sys.executable, "-m", "hplint", "-o", "out/report.txt", "."]
    plain = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120)
    debug = subprocess.run(command, cwd=tmp_path, capture_output=True, env=env, timeout=120)
    assert plain.returncode == debug.returncode == 2
    assert len(plain.stderr.decode().strip().splitlines()) == 1
    assert "Traceback" in debug.stderr.decode()
