"""`make bench`: every benchmark of the severance add-in, one table.

Each comparison is a ratio measured in this one run, so a noisy shared machine does not fake a
result; each suite ends with a cost-growth row (time per case at each size over the smallest
size, 1.0x = linear). The table is printed and written to benchmarks/results.md (pasted into the
README, which explains it).

    .venv/bin/python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SUITES = [
    ("engine", "bench_engine", {"quick": {"sizes": (10_000, 100_000)}}),
    ("report", "bench_report", {"quick": {"sizes": (500, 1_000)}}),
    ("udfs", "bench_udfs", {"quick": {"repeats": 3, "growth": (1_000, 10_000)}}),
]


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


def _memory() -> str:
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        return f"{kib / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        return "RAM unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", help="comma-separated suites: " + ",".join(s[0] for s in SUITES))
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    rows = []
    load_before, started = _load(), time.perf_counter()
    for name, module_name, options in SUITES:
        if only and name not in only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            print(f"[{name}] not available: {exc}", file=sys.stderr)
            continue
        print(f"[{name}] running ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        kwargs = options.get("quick", {}) if args.quick else {}
        for row in module.run(**kwargs):
            rows.append({"suite": name, **row})
        print(f"[{name}] {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    minutes = (time.perf_counter() - started) / 60
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {_memory()} (one run of {minutes:.0f} min; ratios are within that run). "
        f"Load average (1/5/15 min) {load_before} at the start, {_load()} at the end.",
        "",
        f"Versions: {_versions()}.",
        "",
        "| suite | measurement | value | unit | note |",
        "|---|---|---:|---|---|",
    ]
    for row in rows:
        value = row["value"]
        shown = f"{value:,.0f}" if isinstance(value, (int, float)) and abs(value) >= 100 else \
            (f"{value:.3g}" if isinstance(value, float) else str(value))
        lines.append(f"| {row['suite']} | {row['name']} | {shown} | {row['unit']} | {row.get('note', '')} |")
    table = "\n".join(lines)
    print(table)
    if not args.quick and not only:
        (HERE / "results.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
