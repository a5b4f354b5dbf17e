"""`severance report` speed and memory: our workbook against XlsxWriter writing the same cells
and against a plain DataFrame.to_excel of the result tables, at 1,000 and 10,000 cases.

Each writer runs in its own process (read the case table, compute, write), which reports its
own wall time and peak resident memory, so one writer's memory never counts against another.

    .venv/bin/python benchmarks/bench_report.py [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ("report", "xlsxwriter", "to_excel")
LABELS = {"report": "severance report (openpyxl write-only)",
          "xlsxwriter": "XlsxWriter, the same cells (constant_memory)",
          "to_excel": "DataFrame.to_excel, values only (openpyxl)"}


def generate(n: int, seed: int = 1) -> pd.DataFrame:
    """A case table of n rows as CSV text cells; about 25 payments per case, as in practice
    (most cases paid, most paid semimonthly or weekly)."""
    rng = np.random.default_rng(seed)
    dates = np.datetime64("2015-01-01") + rng.integers(0, 365 * 12, n).astype("timedelta64[D]")

    def money(lo, hi):
        cents = rng.integers(lo * 100, hi * 100, n)
        return [f"{c // 100}.{c % 100:02d}" for c in cents]
    declared = money(0, 300_000)
    for k in np.flatnonzero(rng.random(n) < 0.15):
        declared[k] = ""
    reasons = np.array(["without_cause", "good_reason", "for_cause", "resignation"])
    frequencies = np.array(["weekly", "biweekly", "semimonthly", "monthly"])
    return pd.DataFrame({
        "employee_id": [f"E{k:07d}" for k in range(n)],
        "employee_name": [f"Employee {k}" for k in range(n)],
        "termination_date": np.datetime_as_string(dates, unit="D"),
        "termination_reason": reasons[rng.choice(4, n, p=[0.75, 0.1, 0.1, 0.05])],
        "base_salary": money(150_000, 600_000),
        "prior_year_bonus_declared": declared,
        "prior_year_bonus_paid": money(0, 200_000),
        "monthly_benefits_cost": money(500, 3_000),
        "pay_frequency": frequencies[rng.choice(4, n, p=[0.25, 0.25, 0.4, 0.1])],
        "consented_to_change": np.where(rng.random(n) < 0.3, "true", "false"),
        "department": rng.choice(["Finance", "Sales", "Technology", "Operations"], n),
    })


# ---------------------------------------------------------------------------------------------
# The writers, each run alone in a worker process

def _load(cases_path: str):
    from addin.cases import load_cases
    from addin.engine import compute
    from addin.terms import load_agreements
    agreements = load_agreements()
    cases = load_cases(cases_path, agreements)
    return cases, compute(cases, agreements), agreements


def _write_report(cases, payouts, agreements, out) -> dict:
    from addin.report import build_report
    counts = build_report(cases, payouts, agreements, out, source=Path(out).name)
    return {"payments": counts.payments}


def _write_xlsxwriter(cases, payouts, agreements, out) -> dict:
    """The report's cells (values, formulas, formats, defined names) through XlsxWriter."""
    import xlsxwriter

    from addin.report_layout import plan_report
    from addin.report_style import default_styles
    plan, _ = plan_report(cases, payouts, agreements, source=Path(out).name)
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    formats = {}
    for role, style in default_styles().roles.items():
        properties = {"num_format": style.number_format, "bold": bool(style.font.b),
                      "italic": bool(style.font.i), "text_wrap": bool(style.alignment.wrap_text)}
        if style.font.color is not None and style.font.color.rgb:
            properties["font_color"] = "#" + str(style.font.color.rgb)[-6:]
        if style.fill.fill_type == "solid":
            properties["bg_color"] = "#" + str(style.fill.fgColor.rgb)[-6:]
        formats[role] = book.add_format(properties)
    cells = 0
    for sheet in plan.sheets:
        ws = book.add_worksheet(sheet.title)
        for r, row in enumerate(sheet.rows):
            for c, spec in enumerate(row):
                if spec is None:
                    continue
                kind, value, role = spec
                style = formats[role]
                if kind == "s":
                    ws.write_string(r, c, value, style)
                elif kind == "f":
                    ws.write_formula(r, c, "=" + value, style)
                elif kind == "n":
                    ws.write_number(r, c, float(value), style)
                elif kind == "d":
                    ws.write_datetime(r, c, value, style)
                else:
                    ws.write_boolean(r, c, value, style)
                cells += 1
    for name, ref in plan.names:
        book.define_name(name, "=" + ref)
    book.close()
    return {"cells": cells}


def _write_to_excel(cases, payouts, agreements, out) -> dict:
    """The result tables as plain values: what `DataFrame.to_excel` gives with no extra work."""
    from addin.tables import calc_frame, line_items, schedule_frame
    items = [dict(employee_id=cases.employee_id[k], clause=i.clause, component=i.component,
                  basis=i.basis, amount=str(i.amount), due_date=str(i.due_date or ""))
             for k in np.flatnonzero(payouts.eligible)
             for i in line_items(cases, payouts, int(k), agreements[cases.agreement[k]])]
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        calc_frame(cases, payouts).to_excel(writer, sheet_name="Summary", index=False)
        pd.DataFrame(items).to_excel(writer, sheet_name="Line items", index=False)
        schedule_frame(cases, payouts).to_excel(writer, sheet_name="Payment schedule", index=False)
    return {}


def worker(kind: str, cases_path: str, out: str) -> dict:
    import resource
    t0 = time.perf_counter()
    cases, payouts, agreements = _load(cases_path)
    t1 = time.perf_counter()
    extra = {"report": _write_report, "xlsxwriter": _write_xlsxwriter,
             "to_excel": _write_to_excel}[kind](cases, payouts, agreements, out)
    t2 = time.perf_counter()
    return {"kind": kind, "read_compute_s": t1 - t0, "write_s": t2 - t1, "total_s": t2 - t0,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "bytes": os.path.getsize(out), **extra}


def _measure(kind: str, cases_path: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--worker", kind, str(cases_path), str(out)],
                            capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"{kind} worker failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(sizes=(1_000, 10_000)) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        folder = Path(folder)
        for n in sizes:
            cases_path = folder / f"cases_{n}.csv"
            generate(n).to_csv(cases_path, index=False)
            got = {kind: _measure(kind, cases_path, folder / f"{kind}_{n}.xlsx") for kind in WRITERS}
            ours = got["report"]
            cells = got["xlsxwriter"]["cells"]
            rows.append({
                "name": f"report, {n:,} cases: read, compute, write", "value": ours["total_s"],
                "unit": "s", "note": f"{ours['payments']:,} schedule rows, {cells:,} cells; write "
                f"{ours['write_s']:.1f} s; peak {ours['peak_mib']:.0f} MiB; "
                f"{ours['bytes'] / 2**20:.1f} MiB file"})
            for kind in ("xlsxwriter", "to_excel"):
                other = got[kind]
                rows.append({
                    "name": f"{LABELS[kind]}, {n:,} cases", "value": other["total_s"], "unit": "s",
                    "note": f"write {other['write_s']:.1f} s ({other['write_s'] / ours['write_s']:.1f}x "
                    f"ours); peak {other['peak_mib']:.0f} MiB"})
            rows.append({"name": f"report peak memory, {n:,} cases", "value": ours["peak_mib"],
                         "unit": "MiB", "note": "whole process: Python, pandas, the tables, the writer"})
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "CASES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    rows = run(tuple(int(s) for s in args.sizes.split(",")))
    print("| measurement | value | unit | note |\n|---|---:|---|---|")
    for row in rows:
        print(f"| {row['name']} | {row['value']:,.1f} | {row['unit']} | {row['note']} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
