"""Where the time of `severance report` goes: the stages of writing the workbook, timed without a
profiler (median of --repeats runs), and optionally a profile (cProfile, or pyinstrument when it
is installed) of one write. docs/benchmarks.md says how to run it.

    .venv/bin/python benchmarks/profile_report.py [--cases 10000] [--repeats 3]
        [--profile cprofile|pyinstrument]

Stages: the plan's set-up (plan_report: the payments, the agreement block), the plan's rows
(the layout's generators: every cell spec of every sheet), the rows' XML text and openpyxl's
package (write_plan minus the other stages), and the zip (deflating every part into the file).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def stages(cases, payouts, agreements, out: Path) -> dict[str, float]:
    from addin.excel import xlsx
    from addin.excel.styles import default_styles
    from addin.report import writer as report
    from addin.report.layout import plan_report

    t0 = time.perf_counter()
    plan, _ = plan_report(cases, payouts, agreements, source="cases.csv")
    t1 = time.perf_counter()
    by_sheet: dict[str, float] = {}
    for sheet in plan.sheets:
        s0 = time.perf_counter()
        for _ in sheet.rows:
            pass
        key = sheet.title.split(" (")[0]
        by_sheet[key] = by_sheet.get(key, 0.0) + time.perf_counter() - s0
    t2 = time.perf_counter()

    zipped = {}
    save = xlsx.save_spliced

    def timed_save(*args, **kwargs):
        z0 = time.perf_counter()
        save(*args, **kwargs)
        zipped["s"] = time.perf_counter() - z0
    report.save_spliced = timed_save  # the writer's own reference to xlsx.save_spliced
    try:
        plan, _ = plan_report(cases, payouts, agreements, source="cases.csv")
        w0 = time.perf_counter()
        report.write_plan(plan, out, default_styles())
        write = time.perf_counter() - w0
    finally:
        report.save_spliced = save
    setup, rows = t1 - t0, t2 - t1
    return {"write (all stages)": setup + write, "plan set-up": setup, "plan rows": rows,
            **{f"  rows of {k}": v for k, v in by_sheet.items()},
            "row XML + openpyxl package": write - rows - zipped["s"], "zip (deflate)": zipped["s"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"))
    args = parser.parse_args(argv)

    import bench_report
    with tempfile.TemporaryDirectory(prefix="profile-report-") as folder:
        folder = Path(folder)
        cases_path = folder / "cases.csv"
        bench_report.generate(args.cases).to_csv(cases_path, index=False)
        cases, payouts, agreements = bench_report._load(str(cases_path))
        out = folder / "report.xlsx"
        runs = [stages(cases, payouts, agreements, out) for _ in range(args.repeats)]
        total = statistics.median(r["write (all stages)"] for r in runs)
        print(f"{args.cases:,} cases, median of {args.repeats} unprofiled runs:")
        print("| stage | seconds | share of the write |\n|---|---:|---:|")
        for key in runs[0]:
            seconds = statistics.median(r[key] for r in runs)
            print(f"| {key} | {seconds:.2f} | {seconds / total:.0%} |")
        if args.profile:
            from addin.report.writer import build_report
            if args.profile == "pyinstrument":
                from pyinstrument import Profiler
                profiler = Profiler(interval=0.001)
                profiler.start()
                build_report(cases, payouts, agreements, out, source="cases.csv")
                profiler.stop()
                print(profiler.output_text(unicode=False, color=False))
            else:
                import cProfile
                import pstats
                profiler = cProfile.Profile()
                profiler.enable()
                build_report(cases, payouts, agreements, out, source="cases.csv")
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
