"""Every output format, on hand-built diagnostics: exact text or parsed structure, escaping, empty
input and statistics."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from hplint.diagnostics import Diagnostic, Edit, Fix, Position, Related, Span
from hplint.reporters import FORMATS, ReportContext, write_report, write_statistics
from hplint.rules import get


def span(row: int, column: int, end_row: int, end_column: int) -> Span:
    return Span(Position(row, column), Position(end_row, end_column))


SCRIPT = Diagnostic(
    code="HPL101",
    name="hardcoded-hyperparameter",
    message="`C=10.0` is hardcoded in `SVC(...)`",
    path="src/train.py",
    span=span(4, 11, 4, 17),
    fix=Fix("Read `C` from `config`", (Edit("config.C", Position(4, 13), Position(4, 17)),)),
    related=(Related("`config` is loaded", span(2, 1, 2, 7)),),
    noqa_row=4,
)
NOTEBOOK = Diagnostic(
    code="HPL403",
    name="fit-on-test",
    message='`scaler` is fitted on "X_test" — données',
    path="notebooks/explore.ipynb",
    span=span(2, 5, 2, 16),
    severity="error",
    cell=3,
    related=(Related("`X_test` is split off", span(1, 1, 1, 30), cell=2),),
    noqa_row=2,
)
SAMPLE = [SCRIPT, NOTEBOOK]

SOURCE = {
    ("src/train.py", None, 2): "config = load()",
    ("src/train.py", None, 4): "clf = SVC(C=10.0)",
    ("notebooks/explore.ipynb", 3, 2): "    scaler.fit(X_test)",
}


def source_line(path: str, cell: int | None, row: int) -> str | None:
    return SOURCE.get((path, cell, row))


def render(fmt: str, diagnostics: list[Diagnostic], **context) -> str:
    context.setdefault("source_line", source_line)
    stream = io.StringIO()
    write_report(fmt, diagnostics, stream, ReportContext(**context))
    return stream.getvalue()


def diagnostic(message: str = "msg", **changes) -> Diagnostic:
    fields = {"code": "HPL101", "name": "hardcoded-hyperparameter", "message": message, "path": "train.py"}
    fields["span"] = span(1, 1, 1, 2)
    fields.update(changes)
    return Diagnostic(**fields)


# --- dispatch ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_sample_and_empty_input(fmt):
    assert render(fmt, SAMPLE) == render(fmt, SAMPLE)  # deterministic
    render(fmt, [])


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        write_report("xml", [], io.StringIO(), ReportContext())


def test_rich_is_imported_only_by_the_full_reporter():
    code = (
        "import io, sys\n"
        "from hplint.reporters import FORMATS, ReportContext, write_report\n"
        "for fmt in FORMATS:\n"
        "    if fmt != 'full':\n"
        "        write_report(fmt, [], io.StringIO(), ReportContext())\n"
        "print('rich' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- concise -------------------------------------------------------------------------------------


def test_concise():
    assert render("concise", SAMPLE) == (
        "src/train.py:4:11: HPL101 [*] `C=10.0` is hardcoded in `SVC(...)`\n"
        'notebooks/explore.ipynb:cell 3:2:5: HPL403 `scaler` is fitted on "X_test" — données\n'
        "Found 2 errors.\n"
        "[*] 1 fixable with the `--fix` option.\n"
    )


def test_concise_quiet_and_without_fix_status():
    assert render("concise", [SCRIPT], quiet=True, fixable=False) == (
        "src/train.py:4:11: HPL101 `C=10.0` is hardcoded in `SVC(...)`\n"
    )


def test_concise_empty():
    assert render("concise", []) == "All checks passed!\n"
    assert render("concise", [], quiet=True) == ""


def test_concise_one_error_and_unsafe_fixes():
    unsafe = diagnostic(fix=Fix("Change it", (), applicability="unsafe"))
    assert render("concise", [unsafe]).splitlines() == [
        "train.py:1:1: HPL101 msg",
        "Found 1 error.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    assert render("concise", [unsafe, SCRIPT, unsafe]).splitlines()[-1] == (
        "[*] 1 fixable with the `--fix` option (2 hidden fixes can be enabled with the"
        " `--unsafe-fixes` option)."
    )
    assert render("concise", [unsafe], unsafe_fixes=True).splitlines() == [
        "train.py:1:1: HPL101 [*] msg",
        "Found 1 error.",
        "[*] 1 fixable with the `--fix` option.",
    ]
    display_only = diagnostic(fix=Fix("Consider it", (), applicability="display-only"))
    assert render("concise", [display_only], unsafe_fixes=True).splitlines()[1:] == ["Found 1 error."]


def test_concise_keeps_one_line_per_diagnostic():
    text = render("concise", [diagnostic("first\nsecond\r\nthird \x1b[31mred\x07")], quiet=True)
    assert text == "train.py:1:1: HPL101 first second third \u241b[31mred\u2407\n"


def test_concise_color():
    colored = render("concise", [SCRIPT], color=True)
    assert "\x1b[1;31mHPL101\x1b[0m" in colored
    assert "\x1b[1msrc/train.py\x1b[0m" in colored
    assert "\x1b" not in render("concise", [SCRIPT], color=False)


# --- full ----------------------------------------------------------------------------------------


def test_full():
    assert render("full", SAMPLE) == (
        "src/train.py:4:11: HPL101 [*] `C=10.0` is hardcoded in `SVC(...)`\n"
        "  |\n"
        "4 | clf = SVC(C=10.0)\n"
        "  |           ^^^^^^ HPL101\n"
        "  |\n"
        "  = note: `config` is loaded at line 2\n"
        "  = help: Read `C` from `config`\n"
        "\n"
        'notebooks/explore.ipynb:cell 3:2:5: HPL403 `scaler` is fitted on "X_test" — données\n'
        "  |\n"
        "2 |     scaler.fit(X_test)\n"
        "  |     ^^^^^^^^^^^ HPL403\n"
        "  |\n"
        "  = note: `X_test` is split off at cell 2, line 1\n"
        "\n"
        "Found 2 errors.\n"
        "[*] 1 fixable with the `--fix` option.\n"
    )


def test_full_empty_and_quiet():
    assert render("full", []) == "All checks passed!\n"
    assert render("full", [], quiet=True) == ""
    assert render("full", [SCRIPT], quiet=True).endswith("help: Read `C` from `config`\n\n")


def test_full_color_switch():
    plain = render("full", SAMPLE, color=False)
    assert "\x1b" not in plain
    colored = render("full", SAMPLE, color=True)
    assert "\x1b[" in colored
    assert "\x1b[1;31m^^^^^^ HPL101\x1b[0m" in colored
    # Colors only: the text is the same once the escape codes are removed.
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == plain


def test_full_ignores_no_color_environment_when_the_cli_asked_for_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" in render("full", [SCRIPT], color=True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b" not in render("full", [SCRIPT], color=False)


def test_full_without_source_shows_header_and_notes():
    assert render("full", [SCRIPT], source_line=None, quiet=True) == (
        "src/train.py:4:11: HPL101 [*] `C=10.0` is hardcoded in `SVC(...)`\n"
        "  = note: `config` is loaded at line 2\n"
        "  = help: Read `C` from `config`\n"
        "\n"
    )


def test_full_aligns_carets_after_tabs_and_wide_characters():
    lines = {1: "\tx = '日本' + y"}
    d = diagnostic(span=span(1, 12, 1, 13))  # the `y`
    text = render("full", [d], source_line=lambda p, c, r: lines.get(r), quiet=True)
    assert text.splitlines()[2:4] == [
        "1 |     x = '日本' + y",
        "  |                 ^ HPL101",
    ]


def test_full_multiline_span_and_empty_span():
    lines = {10: "clf = SVC(", 11: "    C=1.0,", 12: ")", 13: "fit()"}
    d = diagnostic(span=span(10, 7, 12, 2))
    text = render("full", [d], source_line=lambda p, c, r: lines.get(r), quiet=True)
    assert text.splitlines()[1:8] == [
        "   |",
        "10 | clf = SVC(",
        "   |       ^^^^",
        "11 |     C=1.0,",
        "   |     ^^^^^^",
        "12 | )",
        "   | ^ HPL101",
    ]
    at_end = diagnostic(span=span(13, 6, 13, 6))  # empty span at the end of the line
    text = render("full", [at_end], source_line=lambda p, c, r: lines.get(r), quiet=True)
    assert "   |      ^ HPL101" in text.splitlines()


def test_full_long_span_is_shortened():
    lines = {row: f"line {row}" for row in range(1, 21)}
    d = diagnostic(span=span(1, 1, 20, 8))
    shown = render("full", [d], source_line=lambda p, c, r: lines.get(r), quiet=True).splitlines()
    assert "   | ..." in shown
    assert shown[-4:] == ["20 | line 20", "   | ^^^^^^^ HPL101", "   |", ""]
    assert sum(line.startswith(" 5 |") for line in shown) == 0


def test_full_shows_control_characters_and_brackets_literally():
    d = diagnostic("[bold]not markup[/bold] \x1b[2J :smile:")
    text = render("full", [d], source_line=lambda p, c, r: "x = '\x1b[2J'", quiet=True)
    assert text.splitlines()[0] == "train.py:1:1: HPL101 [bold]not markup[/bold] \u241b[2J :smile:"
    assert text.splitlines()[2] == "1 | x = '\u241b[2J'"


# --- pylint --------------------------------------------------------------------------------------


def test_pylint():
    assert render("pylint", SAMPLE) == (
        "src/train.py:4: [HPL101] `C=10.0` is hardcoded in `SVC(...)`\n"
        'notebooks/explore.ipynb:cell 3:2: [HPL403] `scaler` is fitted on "X_test" — données\n'
    )
    assert render("pylint", []) == ""
    assert render("pylint", [diagnostic("a\nb")]) == "train.py:1: [HPL101] a b\n"


# --- json / json-lines ---------------------------------------------------------------------------


def test_json():
    text = render("json", SAMPLE)
    assert text.isascii()
    assert text.startswith('[\n  {\n    "code": "HPL101",')
    script, notebook = json.loads(text)
    assert script == {
        "code": "HPL101",
        "name": "hardcoded-hyperparameter",
        "message": "`C=10.0` is hardcoded in `SVC(...)`",
        "filename": "src/train.py",
        "location": {"row": 4, "column": 11},
        "end_location": {"row": 4, "column": 17},
        "severity": "warning",
        "url": SCRIPT.url,
        "fix": {
            "message": "Read `C` from `config`",
            "applicability": "safe",
            "edits": [
                {
                    "content": "config.C",
                    "location": {"row": 4, "column": 13},
                    "end_location": {"row": 4, "column": 17},
                }
            ],
        },
        "noqa_row": 4,
        "cell": None,
        "related": [
            {
                "message": "`config` is loaded",
                "location": {"row": 2, "column": 1},
                "end_location": {"row": 2, "column": 7},
                "cell": None,
            }
        ],
    }
    assert notebook["cell"] == 3
    assert notebook["fix"] is None
    assert notebook["message"] == '`scaler` is fitted on "X_test" — données'
    assert notebook["related"][0]["cell"] == 2


def test_json_empty_and_awkward_messages():
    assert render("json", []) == "[]\n"
    message = 'a "quote", a `tick`, a \\ backslash,\nnew line, tab\t, emoji 🎯, nul \x00'
    assert json.loads(render("json", [diagnostic(message)]))[0]["message"] == message


def test_json_lines():
    text = render("json-lines", SAMPLE)
    lines = text.splitlines()
    assert len(lines) == 2 and text.endswith("\n")
    assert [json.loads(line) for line in lines] == json.loads(render("json", SAMPLE))
    assert lines[0].startswith('{"code":"HPL101","name":"hardcoded-hyperparameter",')
    assert render("json-lines", [diagnostic("one\ntwo")]).count("\n") == 1
    assert render("json-lines", []) == ""


# --- sarif ---------------------------------------------------------------------------------------

# The fields GitHub code scanning reads, written down from the SARIF 2.1.0 schema; checked by
# hand (check_required) and also with jsonschema when it is installed. The full output was also
# validated against the official sarif-schema-2.1.0.json while writing the reporter (not vendored).
SARIF_SUBSET_SCHEMA = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription", "helpUri"],
                                        },
                                    }
                                },
                            }
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "message", "locations", "level"],
                            "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "locations": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"$ref": "#/definitions/location"},
                                },
                                "relatedLocations": {
                                    "type": "array",
                                    "items": {"$ref": "#/definitions/location"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "definitions": {
        "location": {
            "type": "object",
            "required": ["physicalLocation"],
            "properties": {
                "id": {"type": "integer", "minimum": 0},
                "physicalLocation": {
                    "type": "object",
                    "required": ["artifactLocation", "region"],
                    "properties": {
                        "artifactLocation": {"type": "object", "required": ["uri"]},
                        "region": {
                            "type": "object",
                            "required": ["startLine", "startColumn", "endLine", "endColumn"],
                            "additionalProperties": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        }
    },
}


def check_required(value, schema: dict, where: str = "$") -> None:
    """The schema's `required`, `const`, `enum`, `minItems` and nesting, checked without jsonschema."""
    if "$ref" in schema:
        schema = SARIF_SUBSET_SCHEMA["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    assert value == schema.get("const", value), where
    assert value in schema.get("enum", [value]), where
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            assert key in value, f"{where} lacks {key}"
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if isinstance(sub, dict):
                check_required(item, sub, f"{where}.{key}")
    elif isinstance(value, list):
        assert len(value) >= schema.get("minItems", 0), where
        for number, item in enumerate(value):
            check_required(item, schema.get("items", {}), f"{where}[{number}]")


def sarif(diagnostics: list[Diagnostic]) -> dict:
    document = json.loads(render("sarif", diagnostics))
    check_required(document, SARIF_SUBSET_SCHEMA)
    try:
        import jsonschema
    except ImportError:
        pass
    else:
        jsonschema.validate(document, SARIF_SUBSET_SCHEMA)
    return document


def test_sarif_required_keys_are_checked():
    result = {"message": {"text": "m"}, "locations": [], "level": "note"}  # no ruleId
    run = {"tool": {"driver": {"name": "hplint", "rules": []}}, "results": [result]}
    with pytest.raises(AssertionError, match="lacks ruleId"):
        check_required({"version": "2.1.0", "runs": [run]}, SARIF_SUBSET_SCHEMA)


def test_sarif_document():
    document = sarif(SAMPLE)
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "hplint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    # Only the rules that appear in the results, sorted by code; ruleIndex points into them.
    assert [rule["id"] for rule in driver["rules"]] == ["HPL101", "HPL403"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rule_metadata_comes_from_the_registry():
    rule = get("HPL101")
    (descriptor,) = sarif([SCRIPT])["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["id"] == "HPL101"
    assert descriptor["name"] == rule.name
    assert descriptor["shortDescription"]["text"] == rule.summary
    assert descriptor["fullDescription"]["text"]
    assert "\n" not in descriptor["fullDescription"]["text"]
    assert descriptor["help"]["markdown"] == rule.documentation()
    assert descriptor["help"]["text"] == rule.documentation()
    assert descriptor["helpUri"] == SCRIPT.url
    assert descriptor["defaultConfiguration"]["level"] == rule.severity


def test_sarif_unknown_rule_falls_back_on_the_diagnostic():
    unknown = diagnostic(code="HPL999", name="made-up", severity="error")
    (descriptor,) = sarif([unknown])["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["shortDescription"]["text"] == "made-up"
    assert descriptor["defaultConfiguration"]["level"] == "error"


def test_sarif_results():
    script, notebook = sarif(SAMPLE)["runs"][0]["results"]
    assert script["ruleId"] == "HPL101"
    assert script["level"] == "warning"
    assert script["message"]["text"] == "`C=10.0` is hardcoded in `SVC(...)`"
    assert script["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "src/train.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 11, "endLine": 4, "endColumn": 17},
    }
    assert script["relatedLocations"] == [
        {
            "id": 0,
            "message": {"text": "`config` is loaded"},
            "physicalLocation": {
                "artifactLocation": {"uri": "src/train.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 7},
            },
        }
    ]
    (replacement,) = script["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"] == {"text": "config.C"}
    assert notebook["level"] == "error"
    assert notebook["message"]["text"] == '`scaler` is fitted on "X_test" — données (cell 3)'
    assert notebook["relatedLocations"][0]["message"]["text"] == "`X_test` is split off (cell 2)"
    assert notebook["properties"] == {"cell": 3}
    assert "fixes" not in notebook


def test_sarif_uris_and_embedded_links():
    spaced = diagnostic("see [docs](1) and `x[0]`", path="my dir/a#b.py")
    absolute = diagnostic(path="/abs/train.py")
    spaced_result, absolute_result = sarif([spaced, absolute])["runs"][0]["results"]
    location = spaced_result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "my%20dir/a%23b.py", "uriBaseId": "%SRCROOT%"}
    assert spaced_result["message"]["text"] == "see \\[docs\\](1) and `x[0]`"
    assert absolute_result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///abs/train.py"
    }


def test_sarif_empty():
    (run,) = sarif([])["runs"]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


# --- github --------------------------------------------------------------------------------------


def test_github():
    assert render("github", SAMPLE) == (
        "::warning title=hplint (HPL101),file=src/train.py,line=4,col=11,endLine=4,endColumn=17::"
        "src/train.py:4:11: HPL101 `C=10.0` is hardcoded in `SVC(...)`"
        "%0Anote: `config` is loaded at line 2\n"
        "::error title=hplint (HPL403),file=notebooks/explore.ipynb,line=2,col=5,endLine=2,endColumn=16::"
        'notebooks/explore.ipynb:cell 3:2:5: HPL403 `scaler` is fitted on "X_test" — données'
        "%0Anote: `X_test` is split off at cell 2, line 1\n"
        "hplint: 2 findings (1 error, 1 warning).\n"
    )


def test_github_escaping():
    d = diagnostic("100% sure\r\nnext::line", path="a,b:c%.py")
    (line, _) = render("github", [d]).splitlines()
    assert line == (
        "::warning title=hplint (HPL101),file=a%2Cb%3Ac%25.py,line=1,col=1,endLine=1,endColumn=2::"
        "a,b:c%25.py:1:1: HPL101 100%25 sure%0D%0Anext::line"
    )


def test_github_summary_counts_what_github_does_not_annotate():
    many = [diagnostic(span=span(row, 1, row, 2)) for row in range(1, 14)]
    many += [diagnostic(severity="error", span=span(20, 1, 20, 2))]
    assert render("github", many).splitlines()[-1] == (
        "hplint: 14 findings (1 error, 13 warnings). GitHub annotates at most 10 errors and 10"
        " warnings per step: 3 more are only in this log."
    )
    assert render("github", []) == "hplint: no findings.\n"
    assert render("github", [], quiet=True) == ""


# --- gitlab --------------------------------------------------------------------------------------


def test_gitlab():
    script, notebook = json.loads(render("gitlab", SAMPLE))
    assert script == {
        "description": "HPL101: `C=10.0` is hardcoded in `SVC(...)`",
        "check_name": "HPL101",
        "fingerprint": script["fingerprint"],
        "severity": "major",
        "location": {
            "path": "src/train.py",
            "positions": {"begin": {"line": 4, "column": 11}, "end": {"line": 4, "column": 17}},
        },
    }
    assert len(script["fingerprint"]) == 64
    assert notebook["description"] == 'HPL403: cell 3: `scaler` is fitted on "X_test" — données'
    assert notebook["severity"] == "critical"
    assert render("gitlab", []) == "[]\n"


def test_gitlab_fingerprints_survive_moved_lines_and_stay_unique():
    first = diagnostic(span=span(3, 1, 3, 2))
    second = diagnostic(span=span(9, 1, 9, 2))
    before = [issue["fingerprint"] for issue in json.loads(render("gitlab", [first, second]))]
    moved = [diagnostic(span=span(5, 1, 5, 2)), diagnostic(span=span(12, 4, 12, 5))]
    after = [issue["fingerprint"] for issue in json.loads(render("gitlab", moved))]
    assert before == after
    assert len(set(before)) == 2
    other = json.loads(render("gitlab", [diagnostic("other message")]))[0]["fingerprint"]
    assert other not in before


def test_gitlab_paths_relative_to_the_project(monkeypatch, tmp_path):
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    inside = diagnostic(path=str(tmp_path / "src" / "train.py"))
    outside = diagnostic(path="/elsewhere/train.py")
    paths = [issue["location"]["path"] for issue in json.loads(render("gitlab", [inside, outside]))]
    assert paths == ["src/train.py", "/elsewhere/train.py"]


# --- junit ---------------------------------------------------------------------------------------


def test_junit():
    text = render("junit", SAMPLE)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hplint"')
    assert text.isascii()
    root = ET.fromstring(text)
    assert root.attrib == {"name": "hplint", "tests": "2", "failures": "2", "errors": "0"}
    script_suite, notebook_suite = root
    assert script_suite.attrib == {
        "name": "src/train.py",
        "tests": "1",
        "disabled": "0",
        "errors": "0",
        "failures": "1",
        "package": "org.hplint",
    }
    (case,) = script_suite
    assert case.attrib == {
        "name": "org.hplint.HPL101",
        "classname": "src/train",
        "line": "4",
        "column": "11",
    }
    failure = case.find("failure")
    assert failure.attrib == {"message": "`C=10.0` is hardcoded in `SVC(...)`"}
    assert failure.text == (
        "line 4, col 11, `C=10.0` is hardcoded in `SVC(...)`\n\n"
        "note: `config` is loaded at line 2\n"
        "help: Read `C` from `config`"
    )
    notebook_failure = notebook_suite.find("testcase/failure")
    assert notebook_failure.text == (
        'cell 3, line 2, col 5, `scaler` is fitted on "X_test" — données\n\n'
        "note: `X_test` is split off at cell 2, line 1"
    )


def test_junit_escapes_markup_and_drops_what_xml_cannot_hold():
    message = 'a <tag> & "quotes"\nline two \x00\x1b ok'
    text = render("junit", [diagnostic(message, path="a&b.py")])
    failure = ET.fromstring(text).find("testsuite/testcase/failure")
    expected = 'a <tag> & "quotes"\nline two \\x00\\x1b ok'
    assert failure.get("message") == expected
    assert failure.text == f"line 1, col 1, {expected}"
    assert ET.fromstring(text).find("testsuite").get("name") == "a&b.py"


def test_junit_empty_is_one_passing_testcase():
    root = ET.fromstring(render("junit", []))
    assert root.attrib == {"name": "hplint", "tests": "1", "failures": "0", "errors": "0"}
    (case,) = root.iter("testcase")
    assert case.attrib == {"name": "No errors found", "classname": "hplint"}
    assert case.find("failure") is None


# --- statistics ----------------------------------------------------------------------------------


def statistics(diagnostics: list[Diagnostic], fmt: str, **context) -> str:
    stream = io.StringIO()
    write_statistics(diagnostics, stream, fmt, ReportContext(**context))
    return stream.getvalue()


STATS_SAMPLE = [SCRIPT, NOTEBOOK, NOTEBOOK, diagnostic(code="HPL102", name="other"), NOTEBOOK]


def test_statistics_text():
    assert statistics(STATS_SAMPLE, "concise") == (
        "3\tHPL403\t[ ] fit-on-test\n"
        "1\tHPL101\t[*] hardcoded-hyperparameter\n"
        "1\tHPL102\t[ ] other\n"
        "Found 5 errors.\n"
        "[*] 1 fixable with the `--fix` option.\n"
    )
    assert statistics(STATS_SAMPLE, "full", quiet=True, fixable=False) == (
        "3\tHPL403\tfit-on-test\n1\tHPL101\thardcoded-hyperparameter\n1\tHPL102\tother\n"
    )
    assert statistics([], "full") == "All checks passed!\n"


def test_statistics_json():
    assert json.loads(statistics(STATS_SAMPLE, "json")) == [
        {"code": "HPL403", "name": "fit-on-test", "count": 3, "fixable": False},
        {"code": "HPL101", "name": "hardcoded-hyperparameter", "count": 1, "fixable": True},
        {"code": "HPL102", "name": "other", "count": 1, "fixable": False},
    ]
    assert statistics([], "json") == "[]\n"
    lines = statistics(STATS_SAMPLE, "json-lines").splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["HPL403", "HPL101", "HPL102"]


def test_statistics_refuse_other_formats():
    with pytest.raises(ValueError, match="sarif"):
        statistics(SAMPLE, "sarif")
