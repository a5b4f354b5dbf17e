"""`severance calc` and `severance schedule` end to end, each beside its floor measured in the
same run: what Arrow alone takes to read the same input as text and to write the same result.

  - calc, CSV -> CSV at 10k, 100k and 1M generated cases (and the time per case by size);
  - calc, Parquet -> Parquet at 1M; calc, .xlsx -> CSV at 100k (python-calamine, the reader
    used wherever it gives the cells openpyxl gives, against openpyxl);
  - schedule, CSV -> CSV at 100k cases (about 2M payments).

Each command runs in a child process (`python -m addin.cli`, imports not timed), which reports
its seconds and its peak memory (VmHWM); the floor runs in another child.

    .venv/bin/python benchmarks/bench_calc.py [--sizes 10000,100000,1000000]
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

ROOT = Path(__file__).resolve().parent.parent
MARK = "bench_calc: "


def _child(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=str(ROOT), env=env,
                          capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"benchmark child failed:\n{done.stderr[-2000:]}")


PEAK = """
def peak_mib():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
"""

COMMAND = PEAK + """
import json, sys, time, contextlib, io
from addin.cli import main
t0 = time.perf_counter()
with contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print("bench_calc: " + json.dumps({"seconds": time.perf_counter() - t0, "peak_mib": peak_mib(), "code": code}))
"""

FLOOR = PEAK + """
import json, sys, time
import pyarrow as pa, pyarrow.csv as pcsv, pyarrow.parquet as pq
source, result, kind = sys.argv[1:4]
def text_table(path):
    with open(path, encoding="utf-8") as f:
        names = f.readline().rstrip("\\n").split(",")
    return pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=False))
written = pq.read_table(result) if kind == "parquet" else text_table(result)   # not timed
t0 = time.perf_counter()
if kind == "parquet":
    pq.read_table(source)
elif kind == "csv":
    text_table(source)
read = time.perf_counter() - t0
t0 = time.perf_counter()
if kind == "parquet":
    pq.write_table(written, result + ".floor")
else:
    pcsv.write_csv(written, result + ".floor")
write = time.perf_counter() - t0
print("bench_calc: " + json.dumps({"read": read, "write": write}))
"""

XLSX_READERS = """
import json, sys, time
path = sys.argv[1]
out = {}
t0 = time.perf_counter()
import openpyxl
book = openpyxl.load_workbook(path, read_only=True, data_only=True)
rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
book.close()
out["openpyxl"] = time.perf_counter() - t0
try:
    from python_calamine import CalamineWorkbook
except ImportError:
    out["calamine"] = None
else:
    t0 = time.perf_counter()
    CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    out["calamine"] = time.perf_counter() - t0
print("bench_calc: " + json.dumps(out))
"""


def _inputs(n: int, folder: Path, kinds: tuple[str, ...]) -> dict[str, Path]:
    from bench_engine import generate
    frame = generate(n)
    frame.insert(1, "employee_name", "Pat Doe")
    paths = {}
    if "csv" in kinds:
        paths["csv"] = folder / f"cases{n}.csv"
        frame.to_csv(paths["csv"], index=False)
    if "parquet" in kinds:
        paths["parquet"] = folder / f"cases{n}.parquet"
        frame.to_parquet(paths["parquet"], index=False)
    if "xlsx" in kinds:
        paths["xlsx"] = folder / f"cases{n}.xlsx"
        frame.to_excel(paths["xlsx"], index=False, engine="xlsxwriter")
    return paths


def _row(name: str, command: dict, floor: dict, n: int, what: str) -> list[dict]:
    floor_s = floor["read"] + floor["write"]
    ratio = command["seconds"] / floor_s
    return [
        {"name": f"{name}", "value": command["seconds"], "unit": "s",
         "note": f"{n / command['seconds']:,.0f} cases/s; floor {floor_s:.2f} s ({what}: read "
                 f"{floor['read']:.2f} s + write {floor['write']:.2f} s); {ratio:.1f}x the floor"},
        {"name": f"{name} / floor", "value": ratio, "unit": "x", "note": "target: at most 2x"},
        {"name": f"{name}, peak memory", "value": command["peak_mib"], "unit": "MiB",
         "note": "VmHWM of the command's process; target: at most 1024 MiB"},
    ]


def run(sizes=(10_000, 100_000, 1_000_000), xlsx_rows: int = 100_000, schedule_cases: int = 100_000) -> list[dict]:
    rows, per_case = [], {}
    with tempfile.TemporaryDirectory(prefix="bench_calc.") as tmp:
        folder = Path(tmp)
        for n in sizes:
            paths = _inputs(n, folder, ("csv", "parquet") if n == max(sizes) else ("csv",))
            out = folder / f"payouts{n}.csv"
            command = _child(COMMAND, "calc", str(paths["csv"]), "-o", str(out))
            per_case[n] = command["seconds"] / n
            if n == max(sizes):
                floor = _child(FLOOR, str(paths["csv"]), str(out), "csv")
                rows += _row(f"calc {n:,} cases, CSV -> CSV", command, floor, n,
                             "Arrow reading the cases as text, writing the result table")
                out_pq = folder / f"payouts{n}.parquet"
                command = _child(COMMAND, "calc", str(paths["parquet"]), "-o", str(out_pq))
                floor = _child(FLOOR, str(paths["parquet"]), str(out_pq), "parquet")
                rows += _row(f"calc {n:,} cases, Parquet -> Parquet", command, floor, n,
                             "Arrow reading the Parquet cases, writing the result table")
            (folder / f"cases{n}.parquet").unlink(missing_ok=True)
        base = min(per_case)
        rows.append({"name": f"calc CSV -> CSV cost growth, time per case vs {base:,}",
                     "value": per_case[max(per_case)] / per_case[base], "unit": "x",
                     "note": ", ".join(f"{n:,}: {per_case[n] / per_case[base]:.2f}x" for n in sorted(per_case))
                             + "; target: within 1.3x (below 1: fixed costs spread over more cases)"})

        paths = _inputs(xlsx_rows, folder, ("xlsx",))
        out = folder / "payouts_xlsx.csv"
        command = _child(COMMAND, "calc", str(paths["xlsx"]), "-o", str(out))
        readers = _child(XLSX_READERS, str(paths["xlsx"]))
        floor = _child(FLOOR, str(paths["xlsx"]), str(out), "none")
        fastest = min(t for t in readers.values() if t is not None)
        floor = {"read": fastest, "write": floor["write"]}
        rows += _row(f"calc {xlsx_rows:,} cases, .xlsx -> CSV", command, floor, xlsx_rows,
                     "the fastest reader reading the sheet, Arrow writing the result table")
        calamine = readers["calamine"]
        rows.append({"name": f".xlsx readers, {xlsx_rows:,} rows", "value": readers["openpyxl"], "unit": "s",
                     "note": f"openpyxl {readers['openpyxl']:.2f} s; python-calamine (used where it reads "
                             "the cells alike, as here) "
                             + (f"{calamine:.2f} s" if calamine is not None else "not installed")})

        paths = _inputs(schedule_cases, folder, ("csv",))
        out = folder / "schedule.csv"
        command = _child(COMMAND, "schedule", str(paths["csv"]), "-o", str(out))
        floor = _child(FLOOR, str(paths["csv"]), str(out), "none")
        floor["read"] = 0.0   # the schedule's floor: writing the payments table
        rows += _row(f"schedule {schedule_cases:,} cases, CSV -> CSV", command, floor, schedule_cases,
                     "Arrow writing the same payments table")
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--schedule-cases", type=int, default=100_000)
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    for row in run(sizes, args.xlsx_rows, args.schedule_cases):
        print(f"{row['name']:<48} {row['value']:>12,.2f} {row['unit']:<6} {row['note']}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
