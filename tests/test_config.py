"""Configuration files: where they are found, what they may say, and how mistakes are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hplint.config import CliOptions, ConfigError, Resolver, load_config
from tests.cli_support import invoke, write


@pytest.fixture
def project(tmp_path, monkeypatch, probe):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "train.py", "lr = 0.1\n")
    return tmp_path


def error_of(project: Path, text: str, name: str = "pyproject.toml") -> str:
    write(project / name, text)
    result = invoke(["--no-cache", "train.py"])
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    return lines[0]


def test_unknown_key_names_key_file_and_line(project):
    message = error_of(project, '[project]\nname = "x"\n\n[tool.hplint]\nselect = ["HPL9"]\nselct = ["HPL1"]\n')
    assert message == "hplint: pyproject.toml:6: `tool.hplint.selct`: unknown key (did you mean `select`?)"


def test_wrong_types(project):
    assert error_of(project, '[tool.hplint]\nselect = "HPL1"\n') == (
        "hplint: pyproject.toml:2: `tool.hplint.select`: must be a list of strings, got a string ('HPL1')"
    )
    assert error_of(project, "[tool.hplint]\nrespect-gitignore = 1\n").startswith(
        "hplint: pyproject.toml:2: `tool.hplint.respect-gitignore`: must be true or false"
    )
    assert error_of(project, '[tool.hplint]\ncheck-test-files = "yes"\n').startswith(
        "hplint: pyproject.toml:2: `tool.hplint.check-test-files`: must be true or false"
    )
    assert error_of(project, '[tool.hplint]\nper-file-ignores = ["x"]\n').startswith(
        "hplint: pyproject.toml:2: `tool.hplint.per-file-ignores`: must be a table"
    )


def test_unknown_rule_codes(project):
    assert error_of(project, '[tool.hplint]\n\nignore = ["HPL1", "HPL777"]\n') == (
        "hplint: pyproject.toml:3: `tool.hplint.ignore`: unknown rule code or prefix `HPL777`"
    )
    assert error_of(project, "[tool.hplint.HPL777]\nx = 1\n") == (
        "hplint: pyproject.toml:1: `tool.hplint.HPL777`: unknown rule code"
    )
    message = error_of(project, '[tool.hplint.per-file-ignores]\n"tests/*" = ["HPL9", "XYZ1"]\n')
    assert message == "hplint: pyproject.toml:2: `tool.hplint.per-file-ignores.tests/*`: unknown rule code or prefix `XYZ1`"


def test_invalid_toml_reports_line_and_column(project):
    message = error_of(project, "[tool.hplint]\nselect = [1 2]\n")
    assert message.startswith("hplint: pyproject.toml:2:13: invalid TOML:")
    assert error_of(project, "[tool.hplint\n").startswith("hplint: pyproject.toml:1:")


def test_per_rule_options_are_validated(project):
    assert error_of(project, "[tool.hplint.HPL990]\nlimit = 2\ncrahs = true\n") == (
        "hplint: pyproject.toml:3: `tool.hplint.HPL990.crahs`: unknown option of HPL990 (its options: crash, die-on, limit)"
    )
    assert error_of(project, '[tool.hplint.HPL990]\nlimit = "2"\n') == (
        "hplint: pyproject.toml:2: `tool.hplint.HPL990.limit`: must be int, got a string ('2')"
    )
    assert "must be int, got a boolean" in error_of(project, "[tool.hplint.HPL990]\nlimit = true\n")
    assert "must be a table" in error_of(project, "[tool.hplint]\nHPL990 = 3\n")


def test_per_rule_options_reach_the_rule(project):
    write(project / "pyproject.toml", "[tool.hplint.HPL990]\nlimit = 7\n")
    result = invoke(["--output-format", "json", "--no-cache", "train.py"])
    assert json.loads(result.stdout)[0]["message"] == "`lr` is set to a literal (limit 7)"


def test_hplint_toml_has_top_level_keys_and_wins_over_pyproject(project):
    write(project / "pyproject.toml", '[tool.hplint]\nselect = ["HPL902"]\n')
    write(project / "hplint.toml", 'select = ["HPL990"]\n[HPL990]\nlimit = 5\n')
    result = invoke(["--output-format", "json", "--no-cache", "train.py"])
    assert [d["message"] for d in json.loads(result.stdout)] == ["`lr` is set to a literal (limit 5)"]
    assert error_of(project, "[tool.hplint]\nselect = []\n", name="hplint.toml") == (
        "hplint: hplint.toml:1: `tool`: unknown key"
    )


def test_pyproject_without_table_is_skipped(project):
    (project / ".git").mkdir()  # a repository: the search goes up to its root (tests/test_security.py)
    write(project / "pyproject.toml", '[tool.hplint]\nignore = ["HPL990"]\n')
    write(project / "sub" / "pyproject.toml", '[project]\nname = "sub"\n')
    write(project / "sub" / "train.py", "lr = 0.1\n")
    assert invoke(["--no-cache", "sub/train.py"]).exit_code == 0  # the parent's table applies


def test_nearest_configuration_per_directory_and_root(project):
    write(project / "pyproject.toml", '[tool.hplint]\nignore = ["HPL990"]\n')
    write(project / "pkg" / "pyproject.toml", "[tool.hplint]\n")
    write(project / "pkg" / "model.py", "lr = 0.1\n")
    result = invoke(["--output-format", "concise", "--no-cache", "."])
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "HPL990" in line] == ["pkg/model.py"]
    resolver = Resolver(CliOptions(), cwd=project)
    assert resolver.for_path(project / "pkg" / "model.py").settings.root == str(project / "pkg")
    assert resolver.for_path(project / "train.py").settings.root == str(project)


def test_config_option_applies_to_every_path(project):
    write(project / "pkg" / "pyproject.toml", '[tool.hplint]\nignore = ["HPL990"]\n')
    write(project / "pkg" / "model.py", "lr = 0.1\n")
    write(project / "conf" / "strict.toml", 'select = ["HPL990"]\n')
    result = invoke(["--output-format", "concise", "--no-cache", "--config", "conf/strict.toml", "."])
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines() if "HPL990" in line) == [
        "pkg/model.py",
        "train.py",
    ]
    missing = invoke(["--config", "nope.toml", "."])
    assert missing.exit_code == 2 and "nope.toml: configuration file not found" in missing.stderr


def test_per_file_ignores(project):
    write(project / "pyproject.toml", '[tool.hplint.per-file-ignores]\n"scripts/*" = ["HPL990"]\n"old_*.py" = ["HPL9"]\n')
    write(project / "scripts" / "run.py", "lr = 0.1\n")
    write(project / "deep" / "old_model.py", "lr = 0.1\n")
    result = invoke(["--output-format", "concise", "--no-cache", "."])
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "HPL990" in line] == ["train.py"]


def test_exclude_and_extend_exclude(project):
    write(project / "build" / "gen.py", "lr = 0.1\n")
    write(project / "legacy" / "old.py", "lr = 0.1\n")
    write(project / "notebooks" / "scratch_1.py", "lr = 0.1\n")

    def reported() -> list[str]:
        result = invoke(["--output-format", "concise", "--no-cache", "."])
        return sorted(line.split(":")[0] for line in result.stdout.splitlines() if "HPL990" in line)

    assert reported() == ["legacy/old.py", "notebooks/scratch_1.py", "train.py"]  # build/ by default
    write(project / "pyproject.toml", '[tool.hplint]\nextend-exclude = ["legacy", "notebooks/scratch_*.py"]\n')
    assert reported() == ["train.py"]
    write(project / "pyproject.toml", '[tool.hplint]\nexclude = ["legacy"]\n')  # replaces the defaults
    assert reported() == ["build/gen.py", "notebooks/scratch_1.py", "train.py"]


def test_respect_gitignore_can_be_turned_off(project):
    write(project / ".gitignore", "generated/\n")
    write(project / "generated" / "x.py", "lr = 0.1\n")
    assert invoke(["--no-cache", "--output-format", "concise", "."]).stdout.count("HPL990") == 1
    write(project / "pyproject.toml", "[tool.hplint]\nrespect-gitignore = false\n")
    assert invoke(["--no-cache", "--output-format", "concise", "."]).stdout.count("HPL990") == 2


def test_check_test_files_reaches_settings(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.hplint]\ncheck-test-files = true\n")
    config = load_config(tmp_path / "pyproject.toml")
    assert config is not None and config.settings.check_test_files is True


def test_settings_fingerprint_changes_with_the_configuration(tmp_path, probe):
    write(tmp_path / "a.toml", "[HPL990]\nlimit = 1\n")
    write(tmp_path / "b.toml", "[HPL990]\nlimit = 2\n")
    first, second = load_config(tmp_path / "a.toml"), load_config(tmp_path / "b.toml")
    assert first.settings.fingerprint != second.settings.fingerprint


def test_config_error_is_an_exception_with_the_message(tmp_path, probe):
    write(tmp_path / "hplint.toml", "bogus = 1\n")
    with pytest.raises(ConfigError, match=r"hplint.toml:1: `bogus`: unknown key"):
        load_config(tmp_path / "hplint.toml")


def test_readme_configuration_example_is_valid(tmp_path):
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = next(block for block in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[tool.hplint]" in block)
    write(tmp_path / "pyproject.toml", example)
    config = load_config(tmp_path / "pyproject.toml")
    assert config is not None and config.settings.per_file_ignores


def test_sensitive_attributes_reach_settings_and_the_fingerprint(tmp_path, probe):
    write(tmp_path / "pyproject.toml", '[tool.hplint]\nsensitive-attributes = ["sex", "race"]\n')
    config = load_config(tmp_path / "pyproject.toml")
    assert config is not None and config.settings.sensitive_attributes == ("sex", "race")
    write(tmp_path / "hplint.toml", 'sensitive-attributes = ["sex"]\n')
    other = load_config(tmp_path / "hplint.toml")
    assert other.settings.sensitive_attributes == ("sex",)
    assert other.settings.fingerprint != config.settings.fingerprint


def test_sensitive_attributes_are_validated(project):
    assert error_of(project, '[tool.hplint]\nsensitive-attributes = "sex"\n') == (
        "hplint: pyproject.toml:2: `tool.hplint.sensitive-attributes`: must be a list of strings, got a string ('sex')"
    )
    assert error_of(project, '[tool.hplint]\nsensitive-attributes = ["sex", 1]\n').startswith(
        "hplint: pyproject.toml:2: `tool.hplint.sensitive-attributes`: must be a list of strings"
    )
    assert error_of(project, '[tool.hplint]\nsensitive-attributes = ["sex", "sex"]\n') == (
        "hplint: pyproject.toml:2: `tool.hplint.sensitive-attributes`: `sex` is listed twice"
    )
    assert error_of(project, '[tool.hplint]\nsensitive-attribute = ["sex"]\n') == (
        "hplint: pyproject.toml:2: `tool.hplint.sensitive-attribute`: unknown key (did you mean `sensitive-attributes`?)"
    )
    assert error_of(project, 'sensitive-attributes = [" "]\n', name="hplint.toml") == (
        "hplint: hplint.toml:1: `sensitive-attributes`: column names must not be empty"
    )
