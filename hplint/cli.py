"""Command line (minimal bootstrap; the full CLI replaces this)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hplint import __version__


@click.command()
@click.argument("paths", nargs=-1)
@click.version_option(__version__, prog_name="hplint")
def main(paths: tuple[str, ...]) -> None:
    from hplint.engine import FileTask, run
    from hplint.settings import Selection, Settings

    settings = Settings(selection=Selection(select=("ALL",)))
    files = []
    for p in paths or (".",):
        path = Path(p)
        if path.is_dir():
            files += sorted(f for f in path.rglob("*") if f.suffix in (".py", ".ipynb") and f.is_file())
        else:
            files.append(path)
    tasks = [FileTask(str(f), str(f), str(f), settings) for f in files]
    count = 0
    for result in run(tasks):
        for d in result.diagnostics:
            cell = f"cell {d.cell}:" if d.cell else ""
            click.echo(f"{d.path}:{cell}{d.span.start.row}:{d.span.start.column}: {d.code} {d.message}")
            count += 1
    sys.exit(1 if count else 0)
