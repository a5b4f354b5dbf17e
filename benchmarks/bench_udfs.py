"""Excel functions: the time of a formula's call through xlwings' Office.js custom-function
dispatcher (xlwings.server.custom_functions_call, what xlwings Server and xlwings Lite run for
every formula), fed the payload Excel sends.

  - SEVERANCE_TABLE over a 10,000-row case table (target: under 0.5 s);
  - a scalar SEVERANCE_TOTAL against a trivial =ADD(a,b) in the same run (target: within 5x),
    with a no-op function of SEVERANCE_TOTAL's eight arguments to show the dispatcher's own share;
  - SEVERANCE_TOTAL over 10,000-row columns in one call (the way to compute many cases with it).

The dispatcher needs XLWINGS_ON_SERVER=true (and a licence key: xlwings' noncommercial key, used
here only to time its dispatcher) before xlwings is first imported, so the measuring runs in a
child process whatever imported this module.

    .venv/bin/python benchmarks/bench_udfs.py [--rows 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "bench_udfs rows: "
REASONS = ("without_cause", "good_reason", "for_cause", "resignation")
FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly", "")


def run(rows: int = 10_000, repeats: int = 5, growth=(1_000, 10_000, 100_000)) -> list[dict]:
    """The measurements as rows (name, value, unit, note); timed in a child process. `growth`:
    the table sizes SEVERANCE_TABLE is also timed at, for its cost per row by size."""
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure",
                           "--rows", str(rows), "--repeats", str(repeats),
                           "--growth", ",".join(str(n) for n in growth)],
                          env=env, cwd=str(ROOT), capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"the UDF benchmark failed:\n{done.stderr[-2000:]}")


# --- the measuring child --------------------------------------------------------------------------

def case_table(n: int, seed: int = 1) -> list[list]:
    """A case table as Excel hands over a range: header row, dates as serials, amounts as doubles."""
    import random
    rng = random.Random(seed)
    header = ["employee_id", "employee_name", "termination_date", "termination_reason", "base_salary",
              "prior_year_bonus_declared", "prior_year_bonus_paid", "monthly_benefits_cost",
              "pay_frequency", "consented_to_change", "agreement"]
    rows = [header]
    for k in range(n):
        declared = rng.randrange(0, 20_000_000)
        rows.append([f"E{k:06d}", f"Employee {k}", float(42005 + rng.randrange(4383)),  # 2015-2026
                     rng.choice(REASONS), rng.randrange(15_000_000, 60_000_000) / 100,
                     declared / 100 if rng.random() > 0.1 else "", rng.randrange(0, declared + 1) / 100,
                     rng.randrange(0, 300_000) / 100, rng.choice(FREQUENCIES),
                     rng.choice([True, False, ""]), ""])
    return rows


def _measure(n_rows: int, repeats: int, growth=()) -> list[dict]:
    import asyncio
    import types

    import xlwings as xw
    import xlwings.server

    from addin import udfs

    @xw.func
    def add(a, b):
        """Adds two numbers."""
        return a + b

    @xw.func
    @xw.arg("a", "raw")
    @xw.arg("b", "raw")
    @xw.arg("c", "raw")
    @xw.arg("d", "raw")
    @xw.arg("e", "raw")
    @xw.arg("f", "raw")
    @xw.arg("g", "raw")
    @xw.arg("h", "raw")
    def noop8(a, b, c, d, e, f=None, g=None, h=None):
        """Takes SEVERANCE_TOTAL's eight arguments the same way and does nothing."""
        return 0.0

    trivial = types.SimpleNamespace(add=add, noop8=noop8)
    base = {"caller_address": "[Payouts.xlsx]Sheet1!B2", "content_language": "en-US",
            "version": xw.__version__, "runtime": "1.4"}

    def payload(name, *args):
        return {**base, "func_name": name, "args": list(args)}

    table = case_table(n_rows)
    cases = table[1:]
    # Distinct cases per call (nothing the functions' memo holds: each repeat takes other cases),
    # each as Excel sends its eight arguments.
    def total_payloads(rows):
        return [payload("severance_total", [[c[2]]], "without_cause", [[c[4]]], [[c[5]]], [[c[6]]],
                        None, None, None) for c in rows]
    by_repeat = [total_payloads(cases[100 * (r + 1):100 * (r + 2)]) for r in range(repeats)]
    totals = total_payloads(cases[:5])
    adds = [payload("add", [[float(k)]], [[2.0]]) for k in range(1000)]
    noops = [payload("noop8", [[c[2]]], "without_cause", [[c[4]]], [[c[5]]], [[c[6]]], None, None, None)
             for c in cases[:1000]]
    column = lambda j: [[c[j]] for c in cases]  # noqa: E731
    lifted = payload("severance_total", column(2), "without_cause", column(4), column(5), column(6),
                     column(7), None, None)
    whole = payload("severance_table", table)

    loop = asyncio.new_event_loop()

    def per_call(module, payloads) -> float:
        t0 = time.perf_counter()
        for p in payloads:
            loop.run_until_complete(xlwings.server.custom_functions_call(p, module))
        return (time.perf_counter() - t0) / len(payloads)

    def once(module, p, n=n_rows) -> float:
        t0 = time.perf_counter()
        result = loop.run_until_complete(xlwings.server.custom_functions_call(p, module))
        elapsed = time.perf_counter() - t0
        assert len(result) >= n, "a result row per case"
        return elapsed

    per_call(trivial, adds[:200]), per_call(udfs, totals), per_call(trivial, noops[:200])  # warm up
    add_s, total_s, noop_s = [], [], []
    for r in range(repeats):  # interleaved, so a busy moment hits all three alike
        add_s.append(per_call(trivial, adds))
        noop_s.append(per_call(trivial, noops))
        total_s.append(per_call(udfs, by_repeat[r]))
    again_us = statistics.median(per_call(udfs, by_repeat[0]) for _ in range(repeats)) * 1e6
    direct = [(c[2], "without_cause", c[4], c[5], c[6]) for c in cases[-1200:]]
    direct_s = []
    for args in direct[:200]:
        t0 = time.perf_counter()
        udfs.severance_total(*args)
        direct_s.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for args in direct[200:]:
        udfs.severance_total(*args)
    thousand_s = time.perf_counter() - t0
    once(udfs, whole)
    table_s = [once(udfs, whole) for _ in range(repeats)]
    lifted_s = [once(udfs, lifted) for _ in range(repeats)]

    add_us, total_us, noop_us = (statistics.median(x) * 1e6 for x in (add_s, total_s, noop_s))
    table_med, lifted_med = statistics.median(table_s), statistics.median(lifted_s)

    # SEVERANCE_TABLE by table size, in this run: seconds per row against the smallest size.
    by_size = {n_rows: table_med}
    for n in growth:
        if n not in by_size:
            p = payload("severance_table", case_table(n))
            once(udfs, p, n)
            by_size[n] = statistics.median(once(udfs, p, n) for _ in range(repeats))
            del p
    growth_rows = []
    if len(growth) > 1:
        sizes = sorted(n for n in by_size if n in growth)
        base = sizes[0]
        ratio = {n: by_size[n] / n / (by_size[base] / base) for n in sizes}
        growth_rows.append({
            "name": f"SEVERANCE_TABLE cost growth, time per row vs {base:,} rows", "value": ratio[sizes[-1]],
            "unit": "x", "note": "; ".join(f"{n:,} rows: {by_size[n]:.3f} s, {ratio[n]:.2f}x" for n in sizes)
                                 + f" (median of {repeats} each); 1.0x = linear"})
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    return [
        {"name": f"SEVERANCE_TABLE, {n_rows:,} rows, one call", "value": table_med, "unit": "s",
         "note": f"median of {repeats}, best {min(table_s):.3f} s; target < 0.5 s: {met(table_med < 0.5)}"},
        {"name": "=ADD(a,b), one call", "value": add_us, "unit": "µs", "note": "the trivial baseline"},
        {"name": "SEVERANCE_TOTAL, one case", "value": total_us, "unit": "µs",
         "note": f"distinct cases, optionals empty; median of {repeats} runs"},
        {"name": "SEVERANCE_TOTAL / ADD", "value": total_us / add_us, "unit": "x",
         "note": f"distinct cases; target <= 5x: {met(total_us / add_us <= 5)} (see docs/excel-functions.md, Speed)"},
        {"name": "SEVERANCE_TOTAL, the same arguments again / ADD", "value": again_us / add_us,
         "unit": "x", "note": f"{again_us:.0f} µs a call: the functions' memo (Excel recalculates "
                              "unchanged arguments often)"},
        {"name": "SEVERANCE_TOTAL, direct Python call", "value": statistics.median(direct_s) * 1e3,
         "unit": "ms", "note": "median of 200 distinct cases; target: at most 0.5 ms"},
        {"name": "SEVERANCE_TOTAL, 1,000 distinct direct calls", "value": thousand_s, "unit": "s",
         "note": "in a row; target: under 1 s"},
        {"name": "no-op with SEVERANCE_TOTAL's 8 arguments / ADD", "value": noop_us / add_us, "unit": "x",
         "note": "xlwings' dispatch alone, before any severance work"},
        {"name": f"SEVERANCE_TOTAL over {n_rows:,}-row columns, one call", "value": lifted_med,
         "unit": "s", "note": f"{lifted_med / n_rows * 1e6:.0f} µs a case"},
    ] + growth_rows


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(s) for s in text.split(",") if s.strip())


def _table(rows: list[dict]) -> str:
    lines = ["| measurement | value | unit | note |", "|---|---:|---|---|"]
    for r in rows:
        v = r["value"]
        shown = f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
        lines.append(f"| {r['name']} | {shown} | {r['unit']} | {r['note']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--growth", default="1000,10000,100000",
                        help="table sizes SEVERANCE_TABLE is also timed at (comma-separated)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        rows = _measure(args.rows, args.repeats, _sizes(args.growth))
        print(MARK + json.dumps(rows), flush=True)
        return 0
    print(_table(run(args.rows, args.repeats, _sizes(args.growth))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
