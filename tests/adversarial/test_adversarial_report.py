"""Adversarial suite, part 2: `severance report` killed mid-write and run concurrently, and the
three ways to a figure (the engine, the SEVERANCE_TABLE Excel function through xlwings'
Office.js dispatcher, and the report's own formulas recalculated by LibreOffice) agreeing to the
cent on the same random cases.

Reports are byte-for-byte repeatable, so "correct" for a workbook written under stress is exact:
the same bytes as a calm run of the same input. Figures go to RELIABILITY_REPORT as in part 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
from hypothesis import given, settings

from addin.cases import from_records
from addin.rules.engine import compute
from addin.report.plan import header_label
from addin.results.tables import CALC_COLUMNS, calc_frame, schedule_frame
from tests.adversarial.test_adversarial import (BOUNDARY_DAYS, PROFILE, ROOT, finish, leftovers, record, run_bounded,
                              run_in_process, start, valid_case, write_csv)

REPORT_COLUMNS = ("employee_id", "employee_name", "termination_date", "termination_reason",
                  "base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                  "monthly_benefits_cost", "pay_frequency", "consented_to_change", "department")


def exit_status_of(cases_path) -> int:
    """What `severance report` must exit with on a case file: 1 when calc rejects any of its rows
    (the outputs are still written), else 0."""
    from addin.cases import load_cases
    from addin.rules.terms import load_agreements
    return int(not load_cases(cases_path, load_agreements()).valid.all())


def random_rows(n: int, seed: int) -> list[dict]:
    """n plausible cases, every reason and frequency, a few rejected rows among them."""
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        rows.append({
            "employee_id": f"S{seed}-{k}", "employee_name": f"Employee {k}",
            "termination_date": day.isoformat() if rng.random() > 0.01 else "2024-13-01",
            "termination_reason": rng.choice(("without_cause", "good_reason", "for_cause", "resignation")),
            "base_salary": f"{rng.randrange(1, 60_000_000) / 100:.2f}",
            "prior_year_bonus_declared": "" if rng.random() < 0.2 else f"{rng.randrange(0, 30_000_000) / 100:.2f}",
            "prior_year_bonus_paid": f"{rng.randrange(0, 30_000_000) / 100:.2f}",
            "monthly_benefits_cost": f"{rng.randrange(0, 400_000) / 100:.2f}",
            "pay_frequency": rng.choice(("weekly", "biweekly", "semimonthly", "monthly", "")),
            "consented_to_change": rng.choice(("true", "false", "")),
            "department": rng.choice(("Finance", "Sales", "=1+1")),
        })
    return rows


def partial_state(folder: Path, name: str) -> tuple[bool, int]:
    """(the hidden .partial folder exists, bytes of the workbook inside it so far; -1: none yet)."""
    for entry in folder.glob(f".{name}.*.partial"):
        target = entry / name
        try:
            return True, target.stat().st_size
        except OSError:
            return True, -1
    return False, -1


def tree_bytes(path: Path) -> int:
    if not path.is_dir():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


# ---------------------------------------------------------------------------------------------
# 1. Interruption

def test_a_killed_report_leaves_the_previous_workbook_or_none(tmp_path):
    """`severance report` on a 3,000-case table, killed at moments from start-up to the last
    bytes of the workbook (SIGKILL, SIGTERM, SIGINT): OUT afterwards is byte for byte the
    previous workbook (or absent when there was none), or, had the run finished, the complete
    new one; never anything else. SIGTERM and SIGINT also leave no scratch files; SIGKILL
    cannot be cleaned up after: it leaves a hidden .OUT.*.partial folder beside OUT (never a
    file named like a workbook) and the report's row scratch in TMPDIR, both measured."""
    cases = tmp_path / "cases.csv"
    write_csv(random_rows(3000, seed=1), cases, REPORT_COLUMNS)
    small = tmp_path / "small.csv"
    write_csv(random_rows(20, seed=2), small, REPORT_COLUMNS)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}  # where the report keeps its row scratch files

    calm = tmp_path / "calm"
    calm.mkdir()
    full_run = run_bounded("report", cases, "-o", calm / "payouts.xlsx", timeout=180, env=env)
    assert full_run.returncode == exit_status_of(cases), full_run.stderr
    complete = (calm / "payouts.xlsx").read_bytes()
    assert run_in_process("report", small, "-o", calm / "previous.xlsx") == exit_status_of(small)
    previous = (calm / "previous.xlsx").read_bytes()
    assert leftovers(scratch) == []

    # (signal, moment, whether a previous OUT exists); moments are polled every 2 ms.
    size = len(complete)
    moments = {
        "start-up, 0.4 s": lambda t, started, written: t >= 0.4,
        "writing began (.partial folder made)": lambda t, started, written: started,
        "first bytes of the workbook": lambda t, started, written: written > 0,
        "half the workbook written": lambda t, started, written: written >= size // 2,
        "95% of the workbook written": lambda t, started, written: written >= size * 95 // 100,
    }
    scenarios = [(signal.SIGKILL, m, True) for m in moments]
    scenarios += [(signal.SIGKILL, "first bytes of the workbook", False),
                  (signal.SIGKILL, "half the workbook written", False),
                  (signal.SIGTERM, "half the workbook written", True),
                  (signal.SIGTERM, "writing began (.partial folder made)", True),
                  (signal.SIGINT, "half the workbook written", True)]
    results, failures = [], []
    for number, (signum, moment, had_previous) in enumerate(scenarios):
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        out = folder / "payouts.xlsx"
        if had_previous:
            out.write_bytes(previous)
        proc = start(["report", cases, "-o", out], env=env, measure=False)
        began = time.monotonic()
        state = (False, -1)
        while proc.poll() is None:
            state = partial_state(folder, out.name)
            if moments[moment](time.monotonic() - began, *state):
                os.kill(proc.pid, signum)
                break
            time.sleep(0.002)
        run = finish(proc, began, 180)
        finished = run.returncode == 0
        now = out.read_bytes() if out.exists() else None
        intact = now == (complete if finished else previous if had_previous else None)
        hidden = [p for p in folder.iterdir() if p.name != out.name]
        # What SIGKILL leaves is a hidden partial folder, never a file named like a workbook;
        # SIGTERM and SIGINT leave nothing at all.
        clean = all(p.name.startswith(f".{out.name}.") and p.name.endswith(".partial") for p in hidden)
        if signum != signal.SIGKILL and (hidden or leftovers(scratch)):
            clean = False
        # Bytes lost: of the previous workbook, had it been damaged or removed; or the size of
        # whatever unexpected file stands at OUT.
        lost = 0 if intact else (len(previous) if had_previous else len(now or b""))
        results.append({"signal": signal.Signals(signum).name, "moment": moment,
                        "previous": had_previous, "exit": run.returncode,
                        "partial_bytes_at_kill": max(state[1], 0), "out_intact": intact,
                        "clean": clean, "bytes_lost": lost,
                        "left_beside_out": len(hidden), "left_beside_out_bytes": sum(tree_bytes(p) for p in hidden),
                        "left_in_tmpdir_bytes": tree_bytes(scratch)})
        if not (intact and clean):
            failures.append(results[-1])
        for p in [*hidden, *scratch.iterdir()]:
            remove(p)
        if now is not None:
            openpyxl.load_workbook(out, read_only=True).close()  # a whole, readable workbook
    mid_write = [r for r in results if r["partial_bytes_at_kill"] > 0 and r["exit"] != 0]
    record("interruption", inputs_tried=len(results), failures=len(failures),
           bytes_lost=sum(r["bytes_lost"] for r in results),
           killed_while_writing_out=len(mid_write), full_run_seconds=round(full_run.seconds, 2),
           workbook_bytes=size, runs=results)
    assert failures == []
    assert len(mid_write) >= 4, results  # the kills did land inside the write


# ---------------------------------------------------------------------------------------------
# 2. Concurrency

def test_concurrent_reports_are_each_the_calm_result(tmp_path, monkeypatch):
    """Four reports at once into one folder (different tables, different outputs): all succeed,
    each byte for byte what a run alone writes, each Summary holding its own cases in order."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # one run stamp for every run
    tables = []
    for seed in range(4):
        path = tmp_path / f"cases{seed}.csv"
        write_csv(random_rows(1500, seed=10 + seed), path, REPORT_COLUMNS)
        tables.append(path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    began = time.monotonic()
    procs = [start(["report", t, "-o", out_dir / f"{t.stem}.xlsx"]) for t in tables]
    runs = [finish(p, began, 180) for p in procs]
    failures = [r.stderr for r, t in zip(runs, tables) if r.returncode != exit_status_of(t)]
    lost = 0
    alone = tmp_path / "alone"
    alone.mkdir()
    for t in tables:
        assert run_in_process("report", t, "-o", alone / f"{t.stem}.xlsx") == exit_status_of(t)
        written, calm = (out_dir / f"{t.stem}.xlsx").read_bytes(), (alone / f"{t.stem}.xlsx").read_bytes()
        if written != calm:
            failures.append(f"{t.stem}: differs from the run alone")
            lost += len(calm)
        book = openpyxl.load_workbook(out_dir / f"{t.stem}.xlsx", read_only=True)
        ids = [r[1] for r in book["Summary"].iter_rows(min_row=5, max_row=1504, values_only=True)]
        book.close()
        if ids != [f"S{10 + int(t.stem[-1])}-{k}" for k in range(1500)]:
            failures.append(f"{t.stem}: Summary rows are not its cases")
    assert leftovers(out_dir) == sorted(f"{t.stem}.xlsx" for t in tables)
    record("concurrency", inputs_tried=len(procs), failures=len(failures), bytes_lost=lost,
           cases_per_report=1500, wall_seconds=round(max(r.seconds for r in runs), 2),
           max_peak_mib=round(max(r.peak_mib for r in runs)))
    assert failures == []


# ---------------------------------------------------------------------------------------------
# 3. Engine = Excel function = recalculated report, on the same random cases

UDF_CALL = r"""
import asyncio, json, sys
from importlib.metadata import version
import xlwings.server
from addin import udfs
rows = json.load(sys.stdin)
data = {"func_name": "severance_table", "args": [rows], "caller_address": "[Payouts.xlsx]Cases!A1",
        "content_language": "en-US", "version": version("xlwings"), "runtime": "1.4", "client": "Office.js"}
result = asyncio.new_event_loop().run_until_complete(xlwings.server.custom_functions_call(data, udfs))
json.dump(result, sys.stdout)
"""
SERIAL_EPOCH = dt.date(1899, 12, 30)


def three_way_cases() -> list[dict]:
    """~100 hypothesis-generated valid cases (the fixed profile), every boundary day under each
    reason, and rejected rows: the one table all three paths compute."""
    drawn = []

    @settings(PROFILE, max_examples=100)
    @given(valid_case())
    def collect(case):
        drawn.append(case["cells"])

    collect()
    rows = [dict(cells) for cells in drawn]
    for n, day in enumerate(BOUNDARY_DAYS):
        for reason in ("without_cause", "good_reason"):
            rows.append({"termination_date": day.isoformat(), "termination_reason": reason,
                         "base_salary": "200000.01", "prior_year_bonus_declared": "1000.01",
                         "prior_year_bonus_paid": "0.01", "monthly_benefits_cost": "1450.05",
                         "pay_frequency": ("weekly", "biweekly", "semimonthly", "monthly")[n % 4],
                         "consented_to_change": ""})
    rows.append({"termination_date": "2024-02-30", "termination_reason": "without_cause", "base_salary": "1"})
    rows.append({"termination_date": "2024-07-01", "termination_reason": "layoff", "base_salary": "-5"})
    return [{"employee_id": f"C{k}", **row} for k, row in enumerate(rows)]


def excel_cell(column: str, text: str):
    """A case-table cell as Excel holds it (and Office.js sends it): dates as serial numbers,
    amounts as numbers, TRUE/FALSE as booleans, empty cells as ""."""
    if text == "":
        return ""
    if column == "termination_date":
        try:
            return (dt.date.fromisoformat(text) - SERIAL_EPOCH).days
        except ValueError:
            return text
    if column in ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid", "monthly_benefits_cost"):
        try:
            return float(Decimal(text.replace("$", "").replace(",", "")))
        except ArithmeticError:
            return text
    if column == "consented_to_change" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def udf_table(rows: list[dict], columns) -> list[list]:
    sheet = [list(columns)] + [[excel_cell(c, r.get(c, "")) for c in columns] for r in rows]
    env = {k: v for k, v in os.environ.items() if k not in ("XLWINGS_ON_SERVER", "XLWINGS_LICENSE_KEY")}
    env.update(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", UDF_CALL], input=json.dumps(sheet), capture_output=True,
                          text=True, env=env, cwd=str(ROOT), timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def as_date(value) -> dt.date | None:
    if isinstance(value, dict):
        value = value["basicValue"]
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return SERIAL_EPOCH + dt.timedelta(days=int(value))


def to_cents(value) -> Decimal | None:
    if value in ("", None):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


MONEY = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation", "cash_total",
         "total_value", "installment_amount", "last_installment_amount")
DATES = ("lump_sum_due_date", "continuation_end_date", "benefits_end_date", "first_installment_date")
HALF_CENT = Decimal("0.005")


def test_engine_excel_function_and_recalculated_report_agree_to_the_cent(tmp_path, agreements):
    from tests.support.recalc import recalculate, values
    rows = three_way_cases()
    cases_path = tmp_path / "cases.csv"
    write_csv(rows, cases_path, REPORT_COLUMNS)

    table = from_records([{c: r.get(c, "") for c in REPORT_COLUMNS} for r in rows], agreements)
    payouts = compute(table, agreements)
    engine = calc_frame(table, payouts)
    schedule = schedule_frame(table, payouts)

    udf = udf_table(rows, REPORT_COLUMNS)
    assert udf[0] == list(CALC_COLUMNS)
    udf_rows = [dict(zip(udf[0], r)) for r in udf[1:]]

    report = tmp_path / "report.xlsx"
    assert run_in_process("report", cases_path, "-o", report) == exit_status_of(cases_path)
    book = values(recalculate(report, tmp_path / "recalculated"))
    summary = book["Summary"]
    labels = [c.value for c in summary[4]]
    lo_rows = []
    for r in summary.iter_rows(min_row=5, max_row=4 + len(rows), values_only=True):
        lo_rows.append({name: r[labels.index(header_label(name))] for name in CALC_COLUMNS
                        if header_label(name) in labels})

    mismatches, compared = [], 0

    def check(k, name, want, got, path):
        nonlocal compared
        compared += 1
        if name in MONEY:
            ok = got is not None and abs(to_cents(got) - Decimal(want)) < HALF_CENT
        elif name in DATES:
            ok = as_date(got) == (dt.date.fromisoformat(want) if want else None)
        elif name == "bonus_proration":
            ok = abs(Decimal(repr(float(got))) - Decimal(want)) <= Decimal("0.0000005")
        elif name == "installments":
            ok = int(got) == int(want)
        else:
            ok = got == want
        if not ok:
            mismatches.append((rows[k]["employee_id"], path, name, want, got))

    assert len(lo_rows) == len(udf_rows) == len(engine) == len(rows)
    for k, want in engine.iterrows():
        for path, got in (("udf", udf_rows[k]), ("libreoffice", lo_rows[k])):
            check(k, "employee_id", want["employee_id"], str(got["employee_id"]), path)
            check(k, "status", want["status"], got["status"], path)
            if want["status"] == "rejected":
                continue
            for name in MONEY + DATES + ("installments",):
                check(k, name, want[name], got[name], path)
            if want["status"] == "paid":
                check(k, "bonus_proration", want["bonus_proration"], got["bonus_proration"], path)

    # The report's payment schedule, recalculated, is the engine's payment by payment.
    sched = book["Payment schedule"]
    heads = [c.value for c in sched[4]]
    got_payments = sorted(
        (r[heads.index("Employee id")], r[heads.index("Component")], as_date(r[heads.index("Payment date")]),
         to_cents(r[heads.index("Amount")]).quantize(Decimal("0.01")))
        for r in sched.iter_rows(min_row=5, values_only=True) if r[heads.index("Employee id")] not in (None, "Total"))
    want_payments = sorted((e, c, dt.date.fromisoformat(p), Decimal(a)) for e, c, p, a in zip(
        schedule["employee_id"], schedule["component"], schedule["payment_date"], schedule["amount"]))
    schedule_mismatches = len(set(got_payments) ^ set(want_payments)) + abs(len(got_payments) - len(want_payments))
    record("engine_udf_libreoffice_agree", inputs_tried=len(rows),
           paid=int((engine["status"] == "paid").sum()), figures_compared=compared,
           payments_compared=len(want_payments), failures=len(mismatches) + schedule_mismatches)
    assert mismatches == []
    assert got_payments == want_payments
