"""`html`: one self-contained page to open in a browser or attach to a review.

No scripts, fonts, images or links outside the page: styles are inline, the bar chart is inline
SVG, each rule's documentation (the same text as `hplint rule CODE` and rules/CODE.md) is a section
of the page that every finding links to. Meaning never rests on colour: counts and codes are
written out, the marked part of a source line is underlined with `^` on the row below.

Large reports stay responsive because the browser lays out little at first: files are collapsed
<details> (open when the report has at most `OPEN_LIMIT` findings), and the page holds plain
elements only. Every piece of checked text (paths, source, messages) is escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from hplint.reporters._common import place, plural, posix_path, summary_lines

if TYPE_CHECKING:
    from hplint.diagnostics import Diagnostic, Related
    from hplint.reporters import ReportContext

# Files start open when the whole report has at most this many findings (small reports print whole).
OPEN_LIMIT = 200
# Rows shown around the first row of a finding or a related location.
CONTEXT_ROWS = 1
# Rows of the bar chart; the rest are in the table below it.
CHART_ROWS = 25

_STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.5rem; margin: .2rem 0 .6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { border: 1px solid #bbb; padding: .15rem .6rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.summary-grid { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
svg rect.bar { fill: #4a6fa5; stroke: #1b1b1b; stroke-width: .5; }
details.file { border: 1px solid #999; border-radius: 4px; margin: .4rem 0; }
details.file > summary { cursor: pointer; padding: .3rem .6rem; background: #f0f0f0; font-weight: 600; }
details.file > summary .count { font-weight: normal; }
.finding { border-top: 1px solid #ccc; padding: .4rem .8rem; }
.where { font-family: ui-monospace, monospace; font-weight: 600; }
.code { font-family: ui-monospace, monospace; font-weight: 700; }
pre.src { background: #f7f7f7; border-left: 3px solid #777; margin: .3rem 0; padding: .3rem .6rem; overflow-x: auto; font: 13px/1.35 ui-monospace, monospace; }
pre.src .row { color: #555; user-select: none; }
pre.src .hit { text-decoration: underline; font-weight: 700; }
ul.related { margin: .2rem 0; padding-left: 1.2rem; } .fix { font-style: italic; }
section.rule { border-top: 1px solid #999; margin-top: 1rem; }
section.rule pre { background: #f7f7f7; padding: .4rem .6rem; overflow-x: auto; }
nav a { margin-right: 1rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  details.file > summary { background: none; }
  .finding, section.rule, pre.src, tr { break-inside: avoid; }
  h2 { break-after: avoid; } a { color: inherit; text-decoration: none; }
}
"""


def write(diagnostics: list[Diagnostic], stream: TextIO, context: ReportContext) -> None:
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network: nothing may load from anywhere, not even from the page's own directory.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<title>hplint report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>hplint report</h1>",
        f"<p>{_e(_headline(diagnostics, by_file, context))}</p>",
        '<nav><a href="#summary">Summary</a><a href="#files">Findings by file</a><a href="#rules">Rules</a></nav>',
    ]
    out += _summary(diagnostics)
    out += _files(by_file, context, open_files=len(diagnostics) <= OPEN_LIMIT)
    out += _rules(sorted({d.code for d in diagnostics}))
    out.append("</body></html>\n")
    stream.write("\n".join(out))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _headline(diagnostics: list[Diagnostic], by_file: dict, context: ReportContext) -> str:
    lines = summary_lines(diagnostics, context) or [f"Found {plural(len(diagnostics), 'error')}."]
    checked = f"{plural(context.files_checked, 'file')} checked, " if context.files_checked else ""
    return f"{checked}{plural(len(by_file), 'file')} with findings. " + " ".join(lines)


# -- summary ----------------------------------------------------------------------------------------


def _family(code: str) -> str:
    from hplint.rules.base import FAMILIES

    return FAMILIES.get(code[3:4], "other")


def _summary(diagnostics: list[Diagnostic]) -> list[str]:
    out = ['<h2 id="summary">Summary</h2>']
    if not diagnostics:
        return out + ["<p>No findings.</p>"]
    by_rule = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    by_family = Counter(_family(d.code) for d in diagnostics)
    rules = sorted(by_rule, key=lambda code: (-by_rule[code], code))
    out.append('<div class="summary-grid">')
    out.append('<table class="families"><caption>By family</caption><tr><th>Family</th><th class="n">Findings</th></tr>')
    for family, count in sorted(by_family.items(), key=lambda item: (-item[1], item[0])):
        out.append(f'<tr><td>{_e(family)}</td><td class="n">{count}</td></tr>')
    out.append("</table>")
    out.append(_chart([(code, by_rule[code]) for code in rules[:CHART_ROWS]]))
    out.append("</div>")
    out.append(
        '<table class="rules"><caption>By rule</caption>'
        '<tr><th>Code</th><th>Name</th><th>Family</th><th class="n">Findings</th></tr>'
    )
    for code in rules:
        out.append(
            f'<tr><td><a class="code" href="#rule-{_e(code)}">{_e(code)}</a></td><td>{_e(names[code])}</td>'
            f'<td>{_e(_family(code))}</td><td class="n">{by_rule[code]}</td></tr>'
        )
    out.append("</table>")
    return out


def _chart(rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, one per rule, each labelled with its code and count (no legend to decode)."""
    label, bar_width, row_height = 70, 360, 20
    top = max(count for _, count in rows)
    height = row_height * len(rows) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{label + bar_width + 60}" '
        f'height="{height}" viewBox="0 0 {label + bar_width + 60} {height}">',
        "<title>Findings per rule</title>",
    ]
    for index, (code, count) in enumerate(rows):
        y = index * row_height + 3
        width = max(1, round(bar_width * count / top))
        parts.append(
            f'<text x="0" y="{y + 13}">{_e(code)}</text>'
            f'<rect class="bar" x="{label}" y="{y}" width="{width}" height="{row_height - 6}"><title>{_e(code)}: {count}</title></rect>'
            f'<text x="{label + width + 6}" y="{y + 13}">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# -- findings by file ---------------------------------------------------------------------------------


def _files(by_file: dict[str, list[Diagnostic]], context: ReportContext, open_files: bool) -> list[str]:
    out = ['<h2 id="files">Findings by file</h2>']
    if not by_file:
        return out + ["<p>No findings.</p>"]
    opened = " open" if open_files else ""
    for index, (path, found) in enumerate(by_file.items(), start=1):
        out.append(
            f'<details class="file" id="file-{index}"{opened}><summary>{_e(posix_path(path))} '
            f'<span class="count">({plural(len(found), "finding")})</span></summary>'
        )
        for diagnostic in found:
            out.append(_finding(diagnostic, context))
        out.append("</details>")
    return out


def _finding(diagnostic: Diagnostic, context: ReportContext) -> str:
    start = diagnostic.span.start
    where = f"{place(diagnostic.cell, start.row)}, column {start.column}"
    parts = [
        '<div class="finding">',
        f'<div><span class="where">{_e(where)}</span> '
        f'<a class="code" href="#rule-{_e(diagnostic.code)}">{_e(diagnostic.code)}</a> '
        f"({_e(diagnostic.name)}, {_e(diagnostic.severity)}): {_e(diagnostic.message)}</div>",
        _excerpt(diagnostic.path, diagnostic.cell, diagnostic.span, context),
    ]
    if diagnostic.related:
        parts.append('<ul class="related">')
        for related in diagnostic.related:
            parts.append(_related(diagnostic.path, related, context))
        parts.append("</ul>")
    if diagnostic.fix is not None:
        parts.append(f'<div class="fix">Fix ({_e(diagnostic.fix.applicability)}): {_e(diagnostic.fix.message)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _related(path: str, related: Related, context: ReportContext) -> str:
    where = place(related.cell, related.span.start.row)
    return f"<li>{_e(related.message)} at {_e(where)}{_excerpt(path, related.cell, related.span, context)}</li>"


def _excerpt(path: str, cell: int | None, span, context: ReportContext) -> str:
    """The first row of `span` with `CONTEXT_ROWS` around it; the marked columns are underlined and
    repeated as `^` on the row below, so the mark survives without styles."""
    if context.source_line is None:
        return ""
    first = span.start.row
    rows = []
    for row in range(max(1, first - CONTEXT_ROWS), first + CONTEXT_ROWS + 1):
        line = context.source_line(path, cell, row)
        if line is None:
            if row >= first:
                break
            continue
        rows.append((row, line.rstrip("\r\n")))
    if not rows or all(row != first for row, _ in rows):
        return ""
    width = len(str(rows[-1][0]))
    lines = []
    for row, line in rows:
        gutter = f'<span class="row">{str(row).rjust(width)} | </span>'
        if row != first:
            lines.append(gutter + _e(line))
            continue
        begin = min(max(span.start.column - 1, 0), len(line))
        end = span.end.column - 1 if span.end.row == first else len(line)
        end = min(max(end, begin + 1), len(line)) if line else begin
        lines.append(gutter + _e(line[:begin]) + '<span class="hit">' + _e(line[begin:end]) + "</span>" + _e(line[end:]))
        marks = " " * begin + "^" * max(1, end - begin)
        lines.append(f'<span class="row">{" " * width} | </span>{marks}')
    return '<pre class="src">' + "\n".join(lines) + "</pre>"


# -- rule documentation --------------------------------------------------------------------------------


def _rules(codes: list[str]) -> list[str]:
    out = ['<h2 id="rules">Rules</h2>']
    if not codes:
        return out + ["<p>No rule reported anything.</p>"]
    from markdown_it import MarkdownIt

    from hplint.rules import get

    # html=False: any markup inside a rule's text is shown as text, not interpreted.
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    for code in codes:
        rule = get(code)
        body = markdown.render(rule.documentation()) if rule is not None else f"<p>{_e(code)}: no documentation.</p>"
        body = _demote_headings(body)
        out.append(f'<section class="rule" id="rule-{_e(code)}">{body}<p><a href="#summary">Back to the summary</a></p></section>')
    return out


def _demote_headings(body: str) -> str:
    """A rule page starts at <h1>; inside this page it sits under the "Rules" <h2>. The markup is
    markdown-it's own (the rule's text is escaped), so the tags can be rewritten as strings."""
    for level in (4, 3, 2, 1):
        body = body.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return body
