"""The html report: parsed with html.parser (structure, self-containment, escaping of hostile text),
through the CLI, and rendered by a real headless Chromium where one is installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from hplint.cli import cli
from hplint.diagnostics import Diagnostic, Fix, Position, Related, Span
from hplint.reporters import FORMATS, ReportContext, write_report
from hplint.reporters.html import OPEN_LIMIT

HOSTILE = '</pre><script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'


def span(row: int, column: int, end_row: int, end_column: int) -> Span:
    return Span(Position(row, column), Position(end_row, end_column))


SOURCES = {
    ("src/train.py", None): ["import config", "", "", "clf = SVC(C=10.0)", "clf.fit(X, y)"],
    ("nb/explore.ipynb", 3): ["scaler = StandardScaler()", "scaler.fit(X_test)"],
    (f"evil/{HOSTILE}.py", None): [f"x = 1  # {HOSTILE}"],
}

SCRIPT = Diagnostic(
    code="HPL101",
    name="hardcoded-hyperparameter",
    message="`C=10.0` is hardcoded in `SVC(...)`",
    path="src/train.py",
    span=span(4, 11, 4, 17),
    fix=Fix("Read `C` from `config`", ()),
    related=(Related("`config` is loaded", span(1, 1, 1, 14)),),
)
NOTEBOOK = Diagnostic(
    code="HPL403",
    name="preprocessing-fit-before-split",
    message="`scaler` is fitted on `X_test`",
    path="nb/explore.ipynb",
    span=span(2, 1, 2, 18),
    severity="error",
    cell=3,
)
EVIL = Diagnostic(
    code="HPL101",
    name="hardcoded-hyperparameter",
    message=HOSTILE,
    path=f"evil/{HOSTILE}.py",
    span=span(1, 5, 1, 6),
    related=(Related(HOSTILE, span(1, 1, 1, 2)),),
)


def source_line(path: str, cell: int | None, row: int) -> str | None:
    lines = SOURCES.get((path, cell))
    return lines[row - 1] if lines and 0 < row <= len(lines) else None


class Page(HTMLParser):
    """Collects tags with attributes, text per enclosing tag, ids, and counts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[tuple[tuple[str, ...], str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "input", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append((tuple(self.stack), data))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if attrs.get("id")}

    def plain(self) -> str:
        return "".join(text for _, text in self.text)


def render(diagnostics: list[Diagnostic], **context) -> str:
    stream = io.StringIO()
    write_report("html", diagnostics, stream, ReportContext(source_line=source_line, files_checked=3, **context))
    return stream.getvalue()


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_html_is_a_registered_format():
    assert "html" in FORMATS


def test_structure_summary_chart_files_findings_and_rule_docs():
    text = render([SCRIPT, NOTEBOOK])
    page = parse(text)
    assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n")
    assert page.stack == []  # every element closed
    assert {"summary", "files", "rules", "rule-HPL101", "rule-HPL403", "file-1", "file-2"} <= page.ids()
    assert [a["class"] for a in page.all("details")] == ["file", "file"]
    assert all("open" in a for a in page.all("details"))  # a small report starts open
    # The chart: one labelled bar per rule, inline SVG.
    assert len([a for a in page.all("rect") if a.get("class") == "bar"]) == 2
    svg_text = [t for stack, t in page.text if "svg" in stack and "title" not in stack]
    assert svg_text == ["HPL101", "1", "HPL403", "1"]
    plain = page.plain()
    assert "hardcoded-hyperparameters" in plain and "leakage" in plain  # families
    assert "3 files checked, 2 files with findings. Found 2 errors." in plain
    assert "line 4, column 11" in plain and "cell 3, line 2, column 1" in plain
    assert "`config` is loaded at line 1" in plain
    assert "Fix (safe): Read `C` from `config`" in plain
    # Source excerpts: context rows, the hit underlined and repeated as carets for no-colour reading.
    assert "4 | clf = SVC(C=10.0)" in plain and "  |           ^^^^^^" in plain
    assert [t for stack, t in page.text if stack[-1:] == ("span",) and "pre" in stack and t == "C=10.0"]
    assert "scaler.fit(X_test)" in plain  # the notebook cell's own rows
    # Every finding links to its rule's documentation, which is in the page.
    links = {a["href"] for a in page.all("a")}
    assert {"#rule-HPL101", "#rule-HPL403"} <= links
    assert all(link.startswith("#") for link in links)
    assert "What it does" in plain and "Why is this bad?" in plain
    assert "@media print" in text


def test_self_contained_nothing_loads_from_elsewhere():
    page = parse(render([SCRIPT, NOTEBOOK, EVIL]))
    for tag, attrs in page.tags:
        assert "src" not in attrs and tag not in ("script", "link", "img", "iframe", "object"), (tag, attrs)
        assert not (attrs.get("href") or "#").lstrip("#").startswith(("http", "//")), attrs
    assert any(a.get("http-equiv") == "Content-Security-Policy" and "default-src 'none'" in a["content"] for a in page.all("meta"))


def test_hostile_text_is_escaped_everywhere():
    text = render([EVIL])
    page = parse(text)
    assert "<script" not in text and "<img" not in text
    assert "&lt;/pre&gt;&lt;script&gt;alert(&quot;x&quot;)" in text
    assert not any(tag in ("script", "img") for tag, _ in page.tags)
    plain = page.plain()
    assert f"evil/{HOSTILE}.py" in plain  # the path, as text
    assert f"{HOSTILE} at line 1" in plain  # the related note
    assert plain.count(HOSTILE) >= 4  # path, message, source line, related message and its source


def test_large_report_starts_collapsed_and_stays_plain():
    many = [
        Diagnostic("HPL101", "hardcoded-hyperparameter", f"finding {i}", f"pkg/m{i % 300}.py", span(1 + i % 50, 1, 1 + i % 50, 2))
        for i in range(OPEN_LIMIT * 25)
    ]
    page = parse(render(sorted(many, key=Diagnostic.sort_key)))
    details = page.all("details")
    assert len(details) == 300 and not any("open" in a for a in details)
    assert len([a for a in page.all("div") if a.get("class") == "finding"]) == len(many)


def test_empty_report():
    plain = parse(render([])).plain()
    assert "No findings." in plain and "All checks passed!" in plain


def test_cli_writes_the_page(tmp_path):
    (tmp_path / "train.py").write_text("from sklearn.svm import SVC\nclf = SVC(C=10.0)\n")
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        Path("train.py").write_text("from sklearn.svm import SVC\nclf = SVC(C=10.0)\n")
        result = runner.invoke(cli, ["check", "--no-cache", "--output-format", "html", "-o", "report.html", "train.py"])
        assert result.exit_code == 1, result.output
        page = parse(Path("report.html").read_text(encoding="utf-8"))
    assert "rule-HPL101" in page.ids()
    assert "2 | clf = SVC(C=10.0)" in page.plain()


CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")) if p), None)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
def test_chromium_renders_the_page(tmp_path):
    report = tmp_path / "report.html"
    report.write_text(render([SCRIPT, NOTEBOOK, EVIL]), encoding="utf-8")
    profile = tempfile.mkdtemp(dir=tmp_path)
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--dump-dom", report.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    page = parse(done.stdout)  # the DOM as the browser built it
    assert {"summary", "files", "rules", "rule-HPL101", "rule-HPL403"} <= page.ids()
    assert len(page.all("details")) == 3 and len(page.all("rect")) == 2
    assert not any(tag in ("script", "img") for tag, _ in page.tags)
    assert HOSTILE in page.plain()
