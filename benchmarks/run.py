"""`make bench`: every benchmark of the severance add-in, one table, written to docs/benchmarks.md.

Each comparison is a ratio measured in this one run, so a noisy shared machine does not fake a
result; each suite ends with a cost-growth row (time per case at each size over the smallest
size, 1.0x = linear). The table is printed, and when every suite ran it is written to
docs/benchmarks.md: a dated header (the machine, the mode, the load), the targets checked
against this run, the table, then benchmarks/about.md (what each row measures).

    .venv/bin/python benchmarks/run.py [--quick] [--only engine,report,udfs] [--out FILE]
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path
from typing import Callable, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "benchmarks.md"
ABOUT = HERE / "about.md"
sys.path.insert(0, str(HERE))

SUITES = [
    ("engine", "bench_engine", {"quick": {"sizes": (10_000, 100_000)}}),
    ("calc", "bench_calc", {"quick": {"sizes": (10_000, 100_000), "xlsx_rows": 10_000,
                                      "schedule_cases": 10_000}}),
    ("report", "bench_report", {"quick": {"sizes": (500, 1_000)}}),
    ("udfs", "bench_udfs", {"quick": {"repeats": 3, "growth": (1_000, 10_000)}}),
    ("whatif", "bench_whatif", {}),
]


# ---------------------------------------------------------------------------------------------
# The targets, each read from rows of the table (a quick run lacks the sizes most of them need)

def _seconds_for_all(cases_per_second: float) -> float:
    return 1_000_000 / cases_per_second


def _ratio(value: float, baseline: float) -> float:
    return value / baseline


def _itself(value: float) -> float:
    return value


class Target(NamedTuple):
    what: str
    rows: tuple[str, ...]                 # the measurements it reads (table row names)
    measured: Callable[..., float]        # the figure compared, from those rows' values
    limit: float
    unit: str
    at_least: bool = False                # False: the figure must stay below the limit


TARGETS = (
    Target("engine: 1,000,000 cases in under 2 s", ("engine compute, 1,000,000 cases",),
           _seconds_for_all, 2, "s"),
    Target("engine: at least 50x the per-row Decimal loop, at 1,000,000 cases",
           ("engine compute, 1,000,000 cases", "per-row Decimal loop (10,000 cases)"), _ratio, 50, "x",
           at_least=True),
    Target("report: 10,000 cases read, computed and written in under 30 s",
           ("report, 10,000 cases: read, compute, write",), _itself, 30, "s"),
    Target("report: 10,000 cases in under 1 GiB", ("report peak memory, 10,000 cases",), _itself, 1024, "MiB"),
    Target("Excel functions: SEVERANCE_TABLE over 10,000 rows in under 0.5 s",
           ("SEVERANCE_TABLE, 10,000 rows, one call",), _itself, 0.5, "s"),
    Target("Excel functions: one SEVERANCE_TOTAL within 5x of =ADD(a,b)", ("SEVERANCE_TOTAL / ADD",),
           _itself, 5, "x"),
    Target("Excel functions: a direct SEVERANCE_TOTAL call in at most 0.5 ms (median)",
           ("SEVERANCE_TOTAL, direct Python call",), _itself, 0.5, "ms"),
    Target("Excel functions: 1,000 distinct SEVERANCE_TOTAL calls in under 1 s",
           ("SEVERANCE_TOTAL, 1,000 distinct direct calls",), _itself, 1, "s"),
    Target("calc: 1,000,000 cases CSV -> CSV within 2x the floor",
           ("calc 1,000,000 cases, CSV -> CSV / floor",), _itself, 2, "x"),
    Target("calc: 1,000,000 cases CSV -> CSV in at most 1 GiB", ("calc 1,000,000 cases, CSV -> CSV, peak memory",),
           _itself, 1024, "MiB"),
    Target("calc: 1,000,000 cases Parquet -> Parquet within 2x the floor",
           ("calc 1,000,000 cases, Parquet -> Parquet / floor",), _itself, 2, "x"),
    Target("calc: .xlsx input (100,000 cases) within 2x the floor", ("calc 100,000 cases, .xlsx -> CSV / floor",),
           _itself, 2, "x"),
    Target("schedule: 100,000 cases within 2x the floor", ("schedule 100,000 cases, CSV -> CSV / floor",),
           _itself, 2, "x"),
    Target("schedule: 100,000 cases in at most 1 GiB", ("schedule 100,000 cases, CSV -> CSV, peak memory",),
           _itself, 1024, "MiB"),
    Target("calc: time per case within 1.3x from 10,000 to 1,000,000 cases",
           ("calc CSV -> CSV cost growth, time per case vs 10,000",), _itself, 1.3, "x"),
    Target("what-if: 100 cases x 365 termination dates in under 1 s", ("what-if, 100 cases x 365 dates",),
           _itself, 1, "s"),
)


def target_lines(rows: list[dict]) -> list[str]:
    """The targets as a Markdown table: measured in this run (met or NOT met), or not measured."""
    values = {row["name"]: row["value"] for row in rows}
    lines = ["| target | this run | |", "|---|---:|---|"]
    for target in TARGETS:
        found = [values.get(name) for name in target.rows]
        if not all(isinstance(v, (int, float)) for v in found):
            lines.append(f"| {target.what} | - | not measured in this run |")
            continue
        figure = target.measured(*found)
        met = figure >= target.limit if target.at_least else figure < target.limit
        lines.append(f"| {target.what} | {_shown(figure)} {target.unit} | {'met' if met else '**NOT met**'} |")
    return lines


# ---------------------------------------------------------------------------------------------
# The machine and the run

def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version
    out = []
    for name in ("numpy", "pandas", "openpyxl", "XlsxWriter", "rustpy-xlsxwriter", "xlwings"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)


def _proc_value(path: str, key: str) -> str | None:
    try:
        with open(path) as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith(key)), None)
    except OSError:
        return None


def machine() -> str:
    """The machine in one phrase: processor, cores, memory, system, Python."""
    cpu = _proc_value("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    mem = _proc_value("/proc/meminfo", "MemTotal")
    memory = f"{int(mem.split()[0]) / 2**20:.0f} GiB RAM" if mem else "RAM unknown"
    return (f"{cpu} ({platform.machine()}), {os.cpu_count()} cores, {memory}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def source() -> str:
    """The code measured: its commit, and whether the add-in or benchmarks had uncommitted changes."""
    import subprocess
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "addin", "benchmarks"], cwd=ROOT,
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "code outside git"
    if not commit:
        return "code outside git"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def _shown(value) -> str:
    if isinstance(value, (int, float)) and abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def table_lines(rows: list[dict]) -> list[str]:
    lines = ["| suite | measurement | value | unit | note |", "|---|---|---:|---|---|"]
    for row in rows:
        lines.append(f"| {row['suite']} | {row['name']} | {_shown(row['value'])} | {row['unit']} | "
                     f"{row.get('note', '')} |")
    return lines


def document(rows: list[dict], quick: bool, minutes: float, load_before: str, load_after: str) -> str:
    """docs/benchmarks.md: header, targets, the table, then what the rows measure."""
    mode = ("a **quick run** (`--quick`: smaller sizes, a smoke run; most targets need the full "
            "sizes and show as not measured)" if quick else "a full run (`make bench`)")
    lines = [
        "# Benchmarks",
        "",
        f"*Written by `benchmarks/run.py` (`make bench`) on {time.strftime('%Y-%m-%d %H:%M %Z')}; "
        "do not edit by hand, run it again.*",
        "",
        f"This is {mode} of {minutes:.0f} min, of {source()}, on {machine()}. Load average (1/5/15 min) "
        f"{load_before} at the start, {load_after} at the end. Versions: {_versions()}.",
        "",
        "Every figure is one run's measurement on that machine, and every comparison (\"4.0x ours\", "
        "\"30x the per-row loop\") is a ratio of two measurements taken minutes apart in that same "
        "run: read the ratios, not the absolute seconds, and expect a busy shared machine to move "
        "both sides of a ratio together.",
        "",
        "## Targets",
        "",
        *target_lines(rows),
        "",
        "## The table",
        "",
        *table_lines(rows),
        "",
    ]
    about = ABOUT.read_text(encoding="utf-8").strip() if ABOUT.exists() else ""
    return "\n".join(lines) + ("\n" + about + "\n" if about else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about a minute: a smoke run")
    parser.add_argument("--only", help="comma-separated suites: " + ",".join(s[0] for s in SUITES)
                        + " (the document is then written only with --out)")
    parser.add_argument("--out", type=Path, help=f"write the document here (default: {DOC.relative_to(ROOT)} "
                                                 "when every suite ran)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    rows, broken = [], []
    load_before, started = _load(), time.perf_counter()
    for name, module_name, options in SUITES:
        if only and name not in only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            print(f"[{name}] cannot run: {exc}", file=sys.stderr)
            broken.append(name)
            continue
        print(f"[{name}] running ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        kwargs = options.get("quick", {}) if args.quick else {}
        try:
            suite_rows = module.run(**kwargs)
        except Exception as exc:  # one broken suite: say so, run the others, write no document
            print(f"[{name}] failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            broken.append(name)
            continue
        rows.extend({"suite": name, **row} for row in suite_rows)
        print(f"[{name}] {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    minutes = (time.perf_counter() - started) / 60
    text = document(rows, args.quick, minutes, load_before, _load())
    print("\n".join(table_lines(rows)))
    if broken:  # a benchmark that cannot run must not leave a document that looks complete
        print(f"document not written: suite(s) {', '.join(broken)} could not run", file=sys.stderr)
        return 1
    target = args.out or (DOC if not only else None)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"written: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
