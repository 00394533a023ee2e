"""`--output-format html`: the page's structure (parsed with html.parser), escaping of hostile
source text, self-containment, and a render in headless Chromium where it is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli_support import invoke, write

HOSTILE = (
    "from sklearn.svm import SVC\n"
    "note = '</script><script>alert(1)</script><img src=http://evil/x.png>'\n"
    "model = SVC(C=3.7, gamma=0.01)  # </pre></details> & <b>\n"
)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.unbalanced: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag not in ("meta", "br", "img", "rect", "input", "link", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("rect",):
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)
        self.text.append(data)


def _report(tmp_path: Path, monkeypatch, *files: tuple[str, str]) -> tuple[str, _Page]:
    for name, text in files:
        write(tmp_path / name, text) if not name.endswith(".ipynb") else (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = invoke(["check", "--no-cache", "--select", "HPL1", "--output-format", "html", *[n for n, _ in files]])
    assert result.exit_code == 1, result.stderr
    page = _Page()
    page.feed(result.stdout)
    page.close()
    return result.stdout, page


def _notebook() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# notes"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["from sklearn.svm import SVC\n", "model = SVC(C=2.5, gamma=0.01)\n"]},
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_structure_summary_files_findings_and_rule_docs(tmp_path, monkeypatch):
    text, page = _report(tmp_path, monkeypatch, ("train.py", HOSTILE), ("nb.ipynb", _notebook()))
    assert text.startswith("<!DOCTYPE html>")
    assert not page.unbalanced and page.stack == []
    tags = [tag for tag, _ in page.tags]
    assert "svg" in tags and "rect" in tags  # the bar chart, inline
    assert tags.count("table") >= 2  # by family, by rule
    files = [a for tag, a in page.tags if tag == "details" and "file" in a.get("class", "")]
    assert len(files) == 2
    body = "".join(page.text)
    assert "train.py" in body and "nb.ipynb" in body
    assert "C=3.7, gamma=0.01 are hardcoded" in body and "C=2.5, gamma=0.01 are hardcoded" in body
    assert "cell 2" in body  # the notebook cell of the finding
    assert "model = SVC(C=3.7, gamma=0.01)" in body  # the source excerpt
    # Every in-page link lands on an element of the page; the rule's documentation is there.
    for href in page.links:
        assert href.startswith("#") and href[1:] in page.ids, href
    assert "rule-HPL101" in page.ids
    assert "What it does" in body


def test_hostile_source_stays_text(tmp_path, monkeypatch):
    text, page = _report(tmp_path, monkeypatch, ("train.py", HOSTILE))
    assert "</script><script>alert(1)" not in text
    assert "<img src=http://evil" not in text
    assert all("alert(1)" not in script for script in page.scripts)
    assert not any(tag == "img" for tag, _ in page.tags)
    assert "</pre></details> & <b>" in "".join(page.text)  # shown as written
    assert not page.unbalanced


def test_the_page_is_self_contained(tmp_path, monkeypatch):
    text, page = _report(tmp_path, monkeypatch, ("train.py", HOSTILE))
    for tag, attributes in page.tags:
        assert tag not in ("link", "iframe", "object", "embed"), tag
        if tag == "script":
            assert "src" not in attributes
        for name in ("src", "href"):
            value = attributes.get(name, "")
            assert not value.startswith(("http:", "https:", "//")), (tag, value)
    assert "@import" not in text and "url(" not in text
    assert "@media print" in text


def test_many_findings_start_collapsed(tmp_path, monkeypatch):
    lines = ["from sklearn.svm import SVC"] + [f"m{i} = SVC(C={i}.5, gamma=0.01)" for i in range(1, 260)]
    text, page = _report(tmp_path, monkeypatch, ("big.py", "\n".join(lines) + "\n"))
    files = [a for tag, a in page.tags if tag == "details" and "file" in a.get("class", "")]
    assert files and all("open" not in a for a in files)
    assert text.count('class="finding') >= 259


CHROMIUM = next((c for c in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if c and os.path.exists(c)), None)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_renders_in_headless_chromium(tmp_path, monkeypatch):
    text, _ = _report(tmp_path, monkeypatch, ("train.py", HOSTILE), ("nb.ipynb", _notebook()))
    page = tmp_path / "report.html"
    page.write_text(text, encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="hplint-chromium-")
    try:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('class="finding') == text.count('class="finding') >= 2
    assert "C=3.7, gamma=0.01 are hardcoded" in dom and "rule-HPL101" in dom
    assert "alert(1)" not in dom.replace("&lt;script&gt;alert(1)", "")
