"""`make bench`: every benchmark of the severance add-in, one table.

Each comparison is a ratio measured in this one run, so a noisy shared machine does not fake a
result. The table is printed and written to benchmarks/results.md (pasted into the README).

    .venv/bin/python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SUITES = [
    ("engine", "bench_engine", {"quick": {"sizes": (10_000, 100_000)}}),
    ("report", "bench_report", {"quick": {"sizes": (1_000,)}}),
    ("udfs", "bench_udfs", {"quick": {}}),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", help="comma-separated suites: " + ",".join(s[0] for s in SUITES))
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    rows = []
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
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores (one run; ratios are within that run).",
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
