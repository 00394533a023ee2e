"""Benchmark hplint against the linters users already run, on any directory of Python code.

Usage: python bench/bench.py DIR [--runs 3] [--jobs 2] [--scale 1,4,16] [--json]

In one run it times, on the same files (see bench/README.md for corpora to try):
- hplint cold (`--no-cache`), hplint warm (cache populated, nothing changed), hplint on one file
  (the pre-commit case, start-up included) and `hplint --version` (start-up alone);
- the peers: `ruff check --select ALL --no-cache`, `flake8 -jN`, `pylint -jN --recursive=y`
  (peers that are not installed are skipped with a note);
- peak memory of each run: the largest single process (`wait4` max RSS, what `/usr/bin/time -v`
  reports) and the sum over the process tree (sampled every 20 ms; counts pages shared by forked
  workers once per worker, so it overstates);
- scaling: hplint cold and warm on 1x, 4x, 16x copies of the files (time should grow linearly).

The directory is copied to a temporary directory first (only `.py` and `.ipynb` files), so no
tool picks up a configuration file or leaves a cache next to the corpus. flake8 and pylint do not
read notebooks: they get each notebook's code cells as a `.py` file (IPython magics replaced by
`pass`, exactly the text hplint checks); hplint and ruff read the notebooks themselves.
Times are medians of `--runs` runs (pylint: `--pylint-runs`, default 1, it is slow).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = {".git", ".hg", ".svn", ".hplint_cache", ".ruff_cache", "__pycache__", ".mypy_cache", ".tox", ".venv"}


# -- measuring one command ---------------------------------------------------------------------


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its descendants
    max_rss_mb: float  # largest single process of the run (wait4 ru_maxrss)
    tree_rss_mb: float  # peak of the summed RSS of the process and its descendants (sampled)
    returncode: int


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found


def _tree_rss_mb(root: int) -> float:
    total = 0
    stack = [root]
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        stack += _children(pid)
    return total / 2**20


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run `command` with output discarded; wall time, peak memory and exit status."""
    sampling = Path("/proc/self/statm").exists()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    tree_peak = 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if sampling:
            tree_peak = max(tree_peak, _tree_rss_mb(process.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    max_rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, max_rss, max(tree_peak, max_rss), process.returncode)


@dataclass
class Timing:
    name: str
    command: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def max_rss_mb(self) -> float:
        return max(s.max_rss_mb for s in self.samples)

    @property
    def tree_rss_mb(self) -> float:
        return max(s.tree_rss_mb for s in self.samples)

    def as_dict(self) -> dict:
        data = {"name": self.name, "command": self.command, "note": self.note}
        if self.samples:
            data.update(
                median_s=round(self.median, 4),
                min_s=round(min(s.wall for s in self.samples), 4),
                runs_s=[round(s.wall, 4) for s in self.samples],
                cpu_median_s=round(self.cpu_median, 4),
                cpu_min_s=round(min(s.cpu for s in self.samples), 4),
                max_rss_mb=round(self.max_rss_mb, 1),
                tree_rss_mb=round(self.tree_rss_mb, 1),
                returncodes=sorted({s.returncode for s in self.samples}),
            )
        return data


def timed(name: str, command: list[str], cwd: Path, runs: int, note: str = "", before=None) -> Timing:
    timing = Timing(name, " ".join(command), note=note)
    for index in range(runs):
        if before is not None:
            before()
        sample = measure(command, cwd)
        timing.samples.append(sample)
        print(f"  {name}: run {index + 1}/{runs} {sample.wall:.3f} s (cpu {sample.cpu:.3f} s)", file=sys.stderr)
    return timing


# -- the corpus --------------------------------------------------------------------------------


@dataclass
class Corpus:
    root: Path  # copy of the files hplint and ruff check
    peer_root: Path  # the same as .py only (notebooks exported), for flake8 and pylint
    files: int
    py_files: int
    notebooks: int
    lines: int  # lines of .py files plus lines of notebooks' code cells
    file_lines: dict[str, int]  # relative path -> lines


def source_files(directory: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(directory, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        found += [Path(dirpath, name) for name in sorted(filenames) if name.endswith(SUFFIXES)]
    return found


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def prepare(directory: Path, workspace: Path) -> Corpus:
    from hplint.source import SourceError, from_bytes

    root, peer_root = workspace / "corpus", workspace / "peers"
    file_lines: dict[str, int] = {}
    notebooks = py_files = 0
    for path in source_files(directory):
        relative = path.relative_to(directory)
        data = path.read_bytes()
        is_notebook = path.suffix == ".ipynb"
        try:
            text = from_bytes(data, str(relative), is_notebook=is_notebook).text
        except SourceError:
            text = None
        _place(path, root / relative)
        if is_notebook:
            notebooks += 1
            if text is not None:  # flake8 and pylint read the same code cells as .py
                exported = peer_root / relative.with_name(relative.stem + "_ipynb.py")
                exported.parent.mkdir(parents=True, exist_ok=True)
                exported.write_text(text, encoding="utf-8")
        else:
            py_files += 1
            _place(path, peer_root / relative)
        file_lines[str(relative)] = text.count("\n") if text is not None else 0
    if not file_lines:
        raise SystemExit(f"no .py or .ipynb files under {directory}")
    return Corpus(root, peer_root, len(file_lines), py_files, notebooks, sum(file_lines.values()), file_lines)


def replicate(corpus: Corpus, copies: int, target: Path) -> Path:
    """`copies` copies of the corpus side by side (hard links where possible)."""
    for index in range(copies):
        for relative in corpus.file_lines:
            _place(corpus.root / relative, target / f"copy{index}" / relative)
    return target


# -- tools -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _hplint_help() -> str:
    return subprocess.run([sys.executable, "-m", "hplint", "check", "--help"], capture_output=True, text=True).stdout


def hplint_command(jobs: int | None, cache: bool, paths: list[str]) -> list[str]:
    """`python -m hplint check` with the options this hplint has (its CLI is still evolving)."""
    help_text = _hplint_help()
    command = [sys.executable, "-m", "hplint", "check"] if "Usage" in help_text else [sys.executable, "-m", "hplint"]
    if "--no-cache" in help_text and not cache:
        command.append("--no-cache")
    if "--jobs" in help_text and jobs is not None:
        command += ["--jobs", str(jobs)]
    if "--output-format" in help_text:
        command += ["--output-format", "concise"]
    if "--exit-zero" in help_text:
        command.append("--exit-zero")
    return command + paths


def clear_cache(directory: Path) -> None:
    shutil.rmtree(directory / ".hplint_cache", ignore_errors=True)


def _cache_state(directory: Path) -> dict[str, int]:
    cache = directory / ".hplint_cache"
    return {p.name: p.stat().st_mtime_ns for p in cache.glob("index-*")} if cache.is_dir() else {}


def timed_warm(name: str, command: list[str], cwd: Path, runs: int) -> Timing:
    """Warm runs: the cache is filled first, and a run that rewrote the cache index (it was not
    warm: hplint's own sources changed in between, as in a checkout being edited) is repeated."""
    timing = Timing(name, " ".join(command))
    clear_cache(cwd)
    measure(command, cwd)
    repeated = 0
    while len(timing.samples) < runs:
        before = _cache_state(cwd)
        sample = measure(command, cwd)
        if _cache_state(cwd) != before and repeated < 3 * runs:
            repeated += 1
            print(f"  {name}: cache was rewritten (not warm), repeating", file=sys.stderr)
            continue
        timing.samples.append(sample)
        print(f"  {name}: run {len(timing.samples)}/{runs} {sample.wall:.3f} s (cpu {sample.cpu:.3f} s)", file=sys.stderr)
    if repeated:
        timing.note = f"{repeated} runs repeated: the cache was invalidated under them"
    clear_cache(cwd)
    return timing


def pick_one_file(corpus: Corpus) -> str:
    """The median-sized file among those that mention an ML library (the pre-commit case)."""
    import re

    ml = re.compile(rb"\b(sklearn|torch|tensorflow|keras|xgboost|lightgbm|catboost|transformers|optuna)\b")
    candidates = sorted(
        (lines, relative)
        for relative, lines in corpus.file_lines.items()
        if lines and ml.search((corpus.root / relative).read_bytes())
    ) or sorted((lines, relative) for relative, lines in corpus.file_lines.items())
    return candidates[len(candidates) // 2][1]


# -- the benchmark -----------------------------------------------------------------------------


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def run_benchmark(args: argparse.Namespace) -> dict:
    args.load_start = _load()
    directory = Path(args.directory).resolve()
    workspace = Path(tempfile.mkdtemp(prefix="hplint-bench-"))
    try:
        return _run(args, directory, workspace)
    finally:
        if args.keep:
            print(f"workspace kept: {workspace}", file=sys.stderr)
        else:
            shutil.rmtree(workspace, ignore_errors=True)


def _run(args: argparse.Namespace, directory: Path, workspace: Path) -> dict:
    print(f"preparing {directory} in {workspace}", file=sys.stderr)
    corpus = prepare(directory, workspace)
    jobs, runs = args.jobs, args.runs
    timings: dict[str, Timing] = {}
    notes: list[str] = []

    root = corpus.root
    if not args.startup_only:
        cold = hplint_command(jobs, cache=False, paths=["."])
        timings["hplint cold"] = timed("hplint cold", cold, root, runs)
        warm = hplint_command(jobs, cache=True, paths=["."])
        timings["hplint warm"] = timed_warm("hplint warm", warm, root, runs)
    one = pick_one_file(corpus)
    timings["hplint one file"] = timed(
        "hplint one file",
        hplint_command(None, cache=False, paths=[one]),
        root,
        runs,
        note=f"{one} ({corpus.file_lines[one]} lines)",
    )
    timings["hplint --version"] = timed("hplint --version", [sys.executable, "-m", "hplint", "--version"], root, runs)
    if args.startup_only:
        return _report(args, directory, corpus, timings, [], notes)

    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    peer_files = [str(p.relative_to(corpus.peer_root)) for p in source_files(corpus.peer_root)]
    if "ruff" in peers:
        ruff = shutil.which("ruff")
        if ruff:
            command = [ruff, "check", "--select", "ALL", "--no-cache", "--exit-zero", "--output-format", "concise", "."]
            timings["ruff"] = timed("ruff", command, root, runs, note="reads notebooks itself")
        else:
            notes.append("ruff: not installed, skipped")
    if "flake8" in peers:
        flake8 = shutil.which("flake8")
        if flake8 and peer_files:
            command = [flake8, f"-j{jobs}", "--exit-zero", "."]
            timings["flake8"] = timed("flake8", command, corpus.peer_root, runs, note=_peer_note(corpus))
        elif not flake8:
            notes.append("flake8: not installed, skipped")
    if "pylint" in peers:
        pylint = shutil.which("pylint")
        if pylint and peer_files:
            subset = peer_files[: args.pylint_max_files] if args.pylint_max_files else None
            targets = subset if subset else ["."]
            command = [pylint, f"-j{jobs}", "--recursive=y", "--exit-zero", "--score=n", *targets]
            note = _peer_note(corpus)
            if subset and len(subset) < len(peer_files):
                note += f"; subset: first {len(subset)} of {len(peer_files)} files, time scaled by lines"
            timing = timed("pylint", command, corpus.peer_root, args.pylint_runs, note=note)
            if subset and len(subset) < len(peer_files):
                subset_lines = sum(_peer_lines(corpus, f) for f in subset) or 1
                scale = corpus.lines / subset_lines
                timing.samples = [
                    Sample(s.wall * scale, s.cpu * scale, s.max_rss_mb, s.tree_rss_mb, s.returncode)
                    for s in timing.samples
                ]
            timings["pylint"] = timing
        elif not pylint:
            notes.append("pylint: not installed, skipped")

    scaling = []
    for copies in args.scale:
        print(f"scaling {copies}x", file=sys.stderr)
        target = replicate(corpus, copies, workspace / f"scale{copies}")
        cold_timing = timed(f"hplint cold {copies}x", hplint_command(jobs, False, ["."]), target, args.scale_runs)
        warm_timing = timed_warm(f"hplint warm {copies}x", warm, target, args.scale_runs)
        scaling.append(
            {
                "copies": copies,
                "files": corpus.files * copies,
                "lines": corpus.lines * copies,
                "cold": cold_timing.as_dict(),
                "warm": warm_timing.as_dict(),
            }
        )
        shutil.rmtree(target, ignore_errors=True)

    return _report(args, directory, corpus, timings, scaling, notes)


def _peer_note(corpus: Corpus) -> str:
    return f"notebooks exported to .py ({corpus.notebooks})" if corpus.notebooks else ""


def _peer_lines(corpus: Corpus, peer_relative: str) -> int:
    if peer_relative.endswith("_ipynb.py"):
        return corpus.file_lines.get(peer_relative[: -len("_ipynb.py")] + ".ipynb", 0)
    return corpus.file_lines.get(peer_relative, 0)


def _ratios(values: dict[str, float]) -> dict[str, float]:
    cold = values.get("hplint cold")
    ratios = {}
    if cold:
        if "flake8" in values:
            ratios["hplint/flake8"] = cold / values["flake8"]
        if "pylint" in values:
            ratios["pylint/hplint"] = values["pylint"] / cold
        if "ruff" in values:
            ratios["hplint/ruff"] = cold / values["ruff"]
    return ratios


def _report(args, directory: Path, corpus: Corpus, timings: dict[str, Timing], scaling: list, notes: list) -> dict:
    medians = {name: t.median for name, t in timings.items() if t.samples}
    cpu = {name: t.cpu_median for name, t in timings.items() if t.samples}
    ratios, cpu_ratios = _ratios(medians), _ratios(cpu)
    if scaling:
        base = scaling[0]
        for entry in scaling:
            factor = entry["copies"] / base["copies"]
            for kind in ("cold", "warm"):
                entry[f"{kind}_vs_linear"] = round(entry[kind]["median_s"] / (base[kind]["median_s"] * factor), 3)
    return {
        "directory": str(directory),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "jobs": args.jobs,
        "runs": args.runs,
        "corpus": {
            "files": corpus.files,
            "py_files": corpus.py_files,
            "notebooks": corpus.notebooks,
            "lines": corpus.lines,
        },
        "timings": {name: t.as_dict() for name, t in timings.items()},
        "ratios": {name: round(value, 3) for name, value in ratios.items()},
        "cpu_ratios": {name: round(value, 3) for name, value in cpu_ratios.items()},
        "load_average": {"start": args.load_start, "end": _load()},
        "kloc_per_s": {name: round(corpus.lines / 1000 / m, 1) for name, m in medians.items() if "one file" not in name and "version" not in name},
        "scaling": scaling,
        "notes": notes,
    }


def render(result: dict) -> str:
    corpus = result["corpus"]
    lines = [
        f"hplint benchmark: {result['directory']}",
        f"{corpus['files']} files ({corpus['py_files']} .py, {corpus['notebooks']} notebooks), "
        f"{corpus['lines']:,} lines; {result['machine']['cpus']} CPUs, Python {result['machine']['python']}, "
        f"--jobs {result['jobs']}, median of {result['runs']} runs",
        "",
        f"{'tool':<18} {'median s':>9} {'cpu s':>8} {'kLOC/s':>8} {'max RSS MB':>11} {'tree RSS MB':>12}  note",
    ]
    for name, timing in result["timings"].items():
        if "median_s" not in timing:
            continue
        speed = result["kloc_per_s"].get(name)
        lines.append(
            f"{name:<18} {timing['median_s']:>9.3f} {timing['cpu_median_s']:>8.2f} {speed if speed is not None else '':>8} "
            f"{timing['max_rss_mb']:>11.0f} {timing['tree_rss_mb']:>12.0f}  {timing['note']}"
        )
    if result["ratios"]:
        lines += [
            "",
            "ratios, wall (cold hplint): " + ", ".join(f"{k} = {v:.2f}" for k, v in result["ratios"].items()),
            "ratios, cpu  (cold hplint): " + ", ".join(f"{k} = {v:.2f}" for k, v in result["cpu_ratios"].items()),
        ]
    load = result["load_average"]
    # hplint and the peers themselves keep up to --jobs CPUs busy: only load beyond that is others'.
    if load["start"] and (load["start"][0] > 1 or (load["end"] or [0])[0] > result["jobs"] + 1):
        lines.append(
            f"warning: load average {load['start'][0]} -> {load['end'][0]} on {result['machine']['cpus']} CPUs: "
            "other processes competed for the CPUs, wall times are inflated (cpu times much less)"
        )
    if result["scaling"]:
        lines += ["", f"{'scaling':<8} {'files':>7} {'lines':>10} {'cold s':>8} {'vs linear':>9} {'warm s':>8} {'vs linear':>9} {'cold max RSS MB':>16}"]
        for entry in result["scaling"]:
            lines.append(
                f"{str(entry['copies']) + 'x':<8} {entry['files']:>7} {entry['lines']:>10,} "
                f"{entry['cold']['median_s']:>8.2f} {entry['cold_vs_linear']:>9.2f} "
                f"{entry['warm']['median_s']:>8.3f} {entry['warm_vs_linear']:>9.2f} {entry['cold']['max_rss_mb']:>16.0f}"
            )
        lines.append("(vs linear: time / (1x time x copies); 1.00 is linear, below 1 is start-up being amortised)")
    for note in result["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="any directory with .py / .ipynb files")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for hplint, flake8, pylint")
    parser.add_argument("--peers", default="ruff,flake8,pylint", help="comma-separated; empty for none")
    parser.add_argument("--pylint-runs", type=int, default=1)
    parser.add_argument("--pylint-max-files", type=int, default=0, help="lint only the first N files with pylint (time scaled by lines)")
    parser.add_argument("--scale", default="1,4,16", help="copies of the corpus for the scaling check; empty for none")
    parser.add_argument("--scale-runs", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    parser.add_argument("--startup-only", action="store_true", help="only the start-up rows: hplint one file and hplint --version")
    args = parser.parse_args(argv)
    args.scale = [int(x) for x in args.scale.split(",") if x.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run_benchmark(args)
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
