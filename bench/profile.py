"""Where hplint's time goes: one serial run over a directory, by phase and by function.

Usage: python bench/profile.py DIR [--top 25] [--select CODES] [--no-cprofile]

1. Phases (exclusive CPU time of a plain serial run, no profiler overhead; CPU rather than wall
   time, so that other processes on a shared machine do not inflate it): reading and decoding,
   libcst parse, the semantic walk, the data-flow analysis, each rule's own `check`, positions of
   reported nodes, and the rest of the per-file pipeline (suppressions, sorting, syntax checks).
   The semantic and data-flow facts are computed by the first rule that asks; their time is
   counted under their phase, not under that rule.
   The run goes through the engine's own per-chunk loop, so the garbage collector is paused
   while a file is checked, as in a real run.
2. cProfile of a second serial run: the top functions by cumulative and by own time.

Serial on purpose: process-pool overhead is what `bench/bench.py` measures (cold run with
--jobs N versus this serial total).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, and this file would shadow the
# standard library's `profile` module that cProfile imports.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))

SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = {".git", ".hplint_cache", "__pycache__", ".venv", ".tox"}


def source_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    return sorted(
        path
        for path in directory.rglob("*")
        if path.suffix in SUFFIXES and path.is_file() and not SKIP_DIRS.intersection(path.parts)
    )


def make_tasks(files: list[Path], root: Path, select: str | None):
    from hplint.engine import FileTask
    from hplint.settings import Selection, Settings

    settings = Settings(selection=Selection(select=tuple(select.split(",")))) if select else Settings()
    tasks = []
    for path in files:
        relative = str(path.relative_to(root)) if root.is_dir() else path.name
        tasks.append(FileTask(str(path), relative, relative, settings))
    return tasks


class PhaseTimer:
    """Exclusive time per phase: time inside a nested timed call is not counted twice."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[list] = []  # [phase, started, time spent in nested phases]

    def wrap(self, phase: str, function):
        def timed(*args, **kwargs):
            self.stack.append([phase, time.process_time(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                name, started, nested = self.stack.pop()
                elapsed = time.process_time() - started
                self.totals[name] += elapsed - nested
                self.calls[name] += 1
                if self.stack:
                    self.stack[-1][2] += elapsed

        timed.__wrapped__ = function
        return timed


def instrument(timer: PhaseTimer) -> list[tuple[object, str, object]]:
    """Wrap the pipeline's phases; returns what to restore."""
    from hplint import engine, source
    from hplint.analysis import positions, semantic
    from hplint.rules import all_rules

    patches: list[tuple[object, str, object]] = []

    def patch(owner, attribute: str, phase: str) -> None:
        original = getattr(owner, attribute)
        patches.append((owner, attribute, original))
        setattr(owner, attribute, timer.wrap(phase, original))

    patch(engine, "check_task", "other (pipeline)")
    patch(engine, "from_bytes", "read + decode")
    patch(source, "from_bytes", "read + decode")
    patch(engine, "parse", "parse (libcst)")
    patch(engine, "syntax_errors_only", "syntax check only (no ML)")
    patch(semantic, "analyze", "semantic walk")
    try:
        from hplint.analysis import dataflow

        patch(dataflow, "analyze", "dataflow")
    except ImportError:
        pass
    patch(positions, "placed_ranges", "positions")
    for code, rule in all_rules().items():
        if "check" in vars(rule):
            patch(rule, "check", f"rule {code}")
    return patches


def restore(patches) -> None:
    for owner, attribute, original in reversed(patches):
        setattr(owner, attribute, original)


def run_serial(tasks) -> tuple[float, float]:
    """(wall, CPU) seconds of checking every task in this process, as one worker would."""
    from hplint.pool import check_chunk

    started, cpu_started = time.perf_counter(), time.process_time()
    check_chunk(tasks)
    return time.perf_counter() - started, time.process_time() - cpu_started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--select", help="rule codes (default: the default rules)")
    parser.add_argument("--no-cprofile", action="store_true")
    args = parser.parse_args(argv)

    root = Path(args.directory).resolve()
    files = source_files(root)
    started = time.perf_counter()
    import libcst  # noqa: F401 - the imports are start-up, not per-file work

    from hplint.rules import all_rules

    all_rules()
    imports = time.perf_counter() - started
    tasks = make_tasks(files, root, args.select)
    lines = sum(len(path.read_bytes().splitlines()) for path in files if path.suffix == ".py")

    timer = PhaseTimer()
    patches = instrument(timer)
    try:
        wall, total = run_serial(tasks)
    finally:
        restore(patches)
    print(f"{len(files)} files ({lines:,} lines of .py) under {root}")
    print(f"imports (libcst + rules): {imports:.2f} s, once per process")
    print(f"serial run: {total:.2f} s CPU ({wall:.2f} s wall)\n")
    print(f"{'phase':<32} {'CPU s':>8} {'share':>6} {'calls':>7}")
    for phase, seconds in sorted(timer.totals.items(), key=lambda item: -item[1]):
        print(f"{phase:<32} {seconds:>8.2f} {seconds / total:>6.1%} {timer.calls[phase]:>7}")

    if not args.no_cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        run_serial(tasks)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats(order).print_stats(args.top)
            text = buffer.getvalue()
            body = text[text.find("   ncalls") :]
            print(f"\n-- cProfile, top {args.top} by {order} (profiler overhead inflates small functions) --")
            print(body.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
