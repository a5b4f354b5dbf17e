"""`severance report`: the payout workbook, recalculated in LibreOffice and held to the engine.

Every formula cell of the generated reports (sample cases, generated tables with boundary days
and half-cent roundings, two agreements at once, a row limit lowered so every table spills onto
further sheets, an edited copy, per-employee statements) is recalculated by a real spreadsheet
engine in one batch and compared with addin.engine to the cent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.cases import CaseFileError, from_records, load_cases, read_case_file
from addin.rules.engine import compute
from addin.results.output import OutputError
from addin.report.writer import build_report, build_report_template, statement_file_names, write_plan
from addin.report.columns import (COMPONENTS, LINE_ITEM_COLUMNS, SCHEDULE_COLUMNS, SUMMARY_INPUTS,
                                  SUMMARY_RESULTS)
from addin.excel import formulas as F
from addin.report.layout import REPORT_FORMULAS, plan_report
from addin.report.plan import header_label
from addin.excel.styles import ROLES, default_styles, read_template
from addin.excel.xlsx import logo_image
from addin.results.tables import CALC_COLUMNS, calc_frame, line_items, schedule_frame
from addin.rules.terms import load_agreements, parse_agreements
from tests.support.recalc import recalculate_all

ROOT = Path(__file__).resolve().parents[2]
SEVERANCE = shutil.which("severance", path=str(Path(sys.executable).parent)) or "severance"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+1", "\t=2+2", "%ab", "|cmd"]
# Functions of the Excel 2007 file format: anything else would need an _xlfn. prefix.
EXCEL_2007 = {"IF", "OR", "AND", "NOT", "ROUND", "MAX", "MIN", "DATE", "YEAR", "MONTH", "DAY",
              "EOMONTH", "EDATE", "WORKDAY", "INT", "MOD", "INDEX", "MATCH", "SUBTOTAL",
              "COUNTIF", "COUNTA", "SUM", "TEXT", "MID", "ISBLANK"}

SECOND_AGREEMENT = """
[[agreement]]
id = "acme-2019"
title = "ACME 2019 letter"
salary_continuation_months = 18
bonus_floor_fraction = 0.125
benefits_continuation_months = 6
lump_sum_due_days = 45
default_pay_frequency = "monthly"
holiday_calendar = "GB-ENG"
biweekly_anchor = 2019-01-11

[agreement.clause_text]
i = "eighteen months of base salary"
"""


def severance(*args, **kw):
    return subprocess.run([SEVERANCE, *map(str, args)], capture_output=True, text=True,
                          timeout=600, **kw)


# ---------------------------------------------------------------------------------------------
# Case tables with the hard days and the half cents

def _half_cent_bonus(rng: random.Random) -> tuple[str, str]:
    """A (termination date, declared bonus) whose prorated bonus is an exact half cent."""
    day = rng.randrange(183, 366, 2)  # b x day = 183 (mod 366) has a solution for odd days
    t = dt.date(2024, 1, 1) + dt.timedelta(days=day - 1)
    base = rng.randrange(1, 366)
    cents = next(b for b in range(base, base + 366 * 2) if (b * day) % 366 == 183)
    return t.isoformat(), f"{cents // 100}.{cents % 100:02d}"


def boundary_dates() -> list[dt.date]:
    out = []
    for y in (2000, 2023, 2024, 2100):
        out += [dt.date(y, 1, 1), dt.date(y, 1, 2), dt.date(y, 2, 28), dt.date(y, 3, 1),
                dt.date(y, 7, 1), dt.date(y, 7, 2), dt.date(y, 12, 30), dt.date(y, 12, 31),
                dt.date(y, 6, 14), dt.date(y, 6, 15), dt.date(y, 6, 16), dt.date(y, 1, 31),
                dt.date(y, 6, 4), dt.date(y, 11, 25), dt.date(y, 12, 1)]
    out += [dt.date(2000, 2, 29), dt.date(2024, 2, 29)]
    anchor = dt.date(2002, 1, 4)
    out += [anchor + dt.timedelta(days=14 * k + d) for k in (0, 1, 300) for d in (-1, 0, 1, 7)]
    return out


def generated_records(n: int, seed: int, agreements=("",)) -> list[dict]:
    rng = random.Random(seed)
    reasons = ["without_cause"] * 5 + ["good_reason", "for_cause", "resignation"]
    frequencies = ["weekly", "biweekly", "semimonthly", "monthly", ""]
    dates = boundary_dates()
    records = []
    for i in range(n):
        t = dates[i] if i < len(dates) else dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30))
        declared = rng.choice([f"{rng.randrange(0, 20_000_000) / 100:.2f}", "", "1000.01", "0.05", "0.01"])
        record = {
            "employee_id": f"G{seed}-{i:04d}",
            "employee_name": rng.choice(HOSTILE) if i % 17 == 0 else f"Person {i}",
            "termination_date": t.isoformat(),
            "termination_reason": rng.choice(reasons),
            "base_salary": rng.choice([f"{rng.randrange(1, 50_000_000) / 100:.2f}", "100000.01",
                                       "100000.20", "0.13", "0.01", "200000"]),
            "prior_year_bonus_declared": declared,
            "prior_year_bonus_paid": rng.choice([f"{rng.randrange(0, 20_000_000) / 100:.2f}", "",
                                                 "0", declared]),
            "monthly_benefits_cost": f"{rng.randrange(0, 300_000) / 100:.2f}",
            "pay_frequency": rng.choice(frequencies),
            "consented_to_change": rng.choice(["true", "false", ""]),
            "agreement": rng.choice(agreements),
            "note": rng.choice(HOSTILE + ["ok", ""]),
        }
        if i % 11 == 5:
            record["termination_date"], record["prior_year_bonus_declared"] = _half_cent_bonus(rng)
            record["prior_year_bonus_paid"] = "0"
            record["termination_reason"] = "without_cause"
        records.append(record)
    bad = [
        {"termination_date": "2024-13-01"}, {"base_salary": "-5"}, {"termination_reason": "layoff"},
        {"agreement": "nobody-1999"}, {"employee_id": records[0]["employee_id"]},
        {"base_salary": HOSTILE[0], "employee_name": HOSTILE[3]},
    ]
    for k, change in enumerate(bad):
        records[n - 1 - k] = {**records[n - 1 - k], **change}
    return records


def write_csv(records: list[dict], path: Path) -> Path:
    pd.DataFrame(records, dtype=str).to_csv(path, index=False)
    return path


# ---------------------------------------------------------------------------------------------
# Reading a recalculated report back

def norm(label) -> str:
    return str(label).strip().lower().replace(" ", "_")


def blank(v) -> bool:
    return v is None or v == ""


def sheet_family(book, title: str) -> list:
    return [book[n] for n in book.sheetnames if n == title or re.fullmatch(re.escape(title) + r" \(\d+\)", n)]


def table_rows(sheets, first_header: str) -> tuple[list[str], list[tuple]]:
    """(column names, data rows) of a table spread over sheets; the header row is the one whose
    first cell reads `first_header`; the Summary's totals row (no source row) is left out."""
    names, out = None, []
    for ws in sheets:
        rows = list(ws.iter_rows(values_only=True))
        h = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
        names = [norm(c) if c is not None else "" for c in rows[h]]
        for r in rows[h + 1:]:
            if first_header == "Source row" and not isinstance(r[0], (int, float)):
                continue
            if all(blank(v) for v in r):
                continue
            out.append(tuple(r) + (None,) * (len(names) - len(r)))
    return names, out


def cents_of(v) -> int:
    """A recalculated amount as cents, refusing anything not a whole cent."""
    assert isinstance(v, (int, float)), v
    c = round(v * 100)
    assert abs(v * 100 - c) < 1e-6, f"{v} is not a whole number of cents"
    return c


def text_cents(text: str) -> int:
    return int(Decimal(text) * 100)


def date_text(v) -> str:
    if blank(v):
        return ""
    return (v.date() if isinstance(v, dt.datetime) else v).isoformat()


def check_summary(book, cases, payouts, counts_row_text=True):
    frame = calc_frame(cases, payouts)
    names, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    assert len(rows) == len(cases)
    col = {n: i for i, n in enumerate(names)}
    for k, row in enumerate(rows):
        expected = frame.iloc[k]
        assert row[col["source_row"]] == cases.source_row[k]
        assert str(row[col["employee_id"]] or "") == cases.employee_id[k] or expected["status"] == "rejected"
        assert row[col["status"]] == expected["status"], (k, row[col["status"]], expected["status"])
        assert (row[col["reason"]] or "") == expected["reason"], k
        assert (row[col["warnings"]] or "") == expected["warnings"], k
        for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                     "cash_total", "total_value", "installment_amount", "last_installment_amount"):
            if expected["status"] == "rejected":
                assert blank(row[col[name]])
            else:
                assert cents_of(row[col[name]]) == text_cents(expected[name]), (k, name, row[col[name]], expected[name])
        for name in ("lump_sum_due_date", "continuation_end_date", "benefits_end_date",
                     "first_installment_date"):
            assert date_text(row[col[name]]) == expected[name], (k, name, row[col[name]], expected[name])
        if expected["status"] == "rejected":
            assert blank(row[col["installments"]])
        else:
            assert row[col["installments"]] == int(expected["installments"])
        if expected["bonus_proration"]:
            assert abs(Decimal(repr(row[col["bonus_proration"]])) - Decimal(expected["bonus_proration"])) <= Decimal("5e-7")
        else:
            assert blank(row[col["bonus_proration"]])
    # The totals row: the visible (all) rows' sums, on the last Summary sheet.
    last = sheet_family(book, "Summary")[-1]
    values = list(last.iter_rows(values_only=True))
    totals = next(r for r in values if len(r) > 1 and r[1] == "Total")
    for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                 "cash_total", "total_value"):
        assert cents_of(totals[col[name]]) == int(getattr(payouts, name)[payouts.status != "rejected"].sum())
    counts = {s: int((payouts.status == s).sum()) for s in ("paid", "no_severance", "rejected")}
    statement = (f"{len(cases)} input rows = {counts['paid']} paid + {counts['no_severance']} "
                 f"no_severance + {counts['rejected']} rejected")
    for ws in sheet_family(book, "Summary") + sheet_family(book, "Exceptions"):
        assert statement in [r[0] for r in ws.iter_rows(max_row=4, max_col=1, values_only=True)]
    assert len(cases) == sum(counts.values())


def check_line_items(book, cases, payouts, agreements):
    names, rows = table_rows(sheet_family(book, "Line items"), "Employee id")
    assert names == list(LINE_ITEM_COLUMNS)
    expected = []
    for k in np.flatnonzero(payouts.eligible):
        for item in line_items(cases, payouts, int(k), agreements[cases.agreement[k]]):
            expected.append((cases.employee_id[k], item))
    assert len(rows) == len(expected) == 4 * int(payouts.eligible.sum())
    for row, (employee_id, item) in zip(rows, expected):
        got = dict(zip(names, row))
        assert got["employee_id"] == employee_id
        assert (got["clause"], got["component"], got["label"], got["basis"]) == \
            (item.clause, item.component, item.label, item.basis)
        assert cents_of(got["amount"]) == int(item.amount * 100)
        assert date_text(got["due_date"]) == (item.due_date.isoformat() if item.due_date else "")


def check_schedule(book, cases, payouts):
    names, rows = table_rows(sheet_family(book, "Payment schedule"), "Employee id")
    assert names == list(SCHEDULE_COLUMNS)
    frame = schedule_frame(cases, payouts)
    assert len(rows) == len(frame)
    for row, (_, expected) in zip(rows, frame.iterrows()):
        got = dict(zip(names, row))
        assert (got["employee_id"], got["component"], got["clause"]) == \
            (expected["employee_id"], expected["component"], expected["clause"])
        assert date_text(got["nominal_date"]) == expected["nominal_date"], (got, dict(expected))
        assert date_text(got["payment_date"]) == expected["payment_date"], (got, dict(expected))
        assert cents_of(got["amount"]) == text_cents(expected["amount"]), (got, dict(expected))


def check_exceptions(book, cases, payouts):
    names, rows = table_rows(sheet_family(book, "Exceptions"), "Source row")
    rejected = np.flatnonzero(payouts.status == "rejected")
    assert len(rows) == len(rejected)
    for row, k in zip(rows, rejected):
        got = dict(zip(names, row))
        assert got["source_row"] == cases.source_row[k]
        assert got["reasons"] == "\n".join(cases.errors[k])
        assert got["reason_count"] == len(cases.errors[k]) >= 1
        for column in cases.raw.columns:
            if column != "source_row" and column:
                raw = cases.raw.iloc[k][column]
                assert str(got[norm(header_label(column))] or "") == ("" if raw is None else str(raw))


def no_error_values(book):
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and re.fullmatch(r"#[A-Z/0!?]+[!?]?|#N/A", v)), (ws.title, v)


def check_report(book, cases, payouts, agreements):
    no_error_values(book)
    check_summary(book, cases, payouts)
    check_line_items(book, cases, payouts, agreements)
    check_schedule(book, cases, payouts)
    check_exceptions(book, cases, payouts)


# ---------------------------------------------------------------------------------------------
# One batch of reports, built once, recalculated once

@pytest.fixture(scope="module")
def reports(tmp_path_factory, agreements):
    folder = tmp_path_factory.mktemp("reports")
    built = {}

    sample_csv = ROOT / "workbooks" / "sample_cases.csv"
    cases = load_cases(sample_csv, agreements)
    payouts = compute(cases, agreements)
    result = severance("report", sample_csv, "-o", folder / "sample.xlsx",
                       "--per-employee", folder / "statements")
    assert result.returncode == 0, result.stderr
    built["sample"] = (folder / "sample.xlsx", cases, payouts, agreements)

    records = generated_records(320, seed=4)
    cases = from_records(records, agreements)
    payouts = compute(cases, agreements)
    build_report(cases, payouts, agreements, folder / "generated.xlsx", source="generated")
    built["generated"] = (folder / "generated.xlsx", cases, payouts, agreements)

    split_records = generated_records(150, seed=9)
    cases = from_records(split_records, agreements)
    payouts = compute(cases, agreements)
    build_report(cases, payouts, agreements, folder / "split.xlsx", source="split", max_rows=120)
    built["split"] = (folder / "split.xlsx", cases, payouts, agreements)

    two = {**agreements, **parse_agreements(SECOND_AGREEMENT, "test terms")}
    cases = from_records(generated_records(200, seed=6, agreements=("", "acme-2019", "savvis-2002-cto")), two)
    payouts = compute(cases, two)
    build_report(cases, payouts, two, folder / "two_agreements.xlsx", source="two")
    built["two_agreements"] = (folder / "two_agreements.xlsx", cases, payouts, two)

    # Every kind of warning, the notes of inputs rounded to the cent among them.
    noted_records = generated_records(60, seed=7)
    for i, record in enumerate(noted_records[:20]):
        record[("base_salary", "prior_year_bonus_paid", "monthly_benefits_cost")[i % 3]] = f"{1000 + i}.005"
    cases = from_records(noted_records, agreements)
    payouts = compute(cases, agreements)
    build_report(cases, payouts, agreements, folder / "noted.xlsx", source="noted")
    built["noted"] = (folder / "noted.xlsx", cases, payouts, agreements)

    # A reviewer's edits: inputs and an agreement parameter, changed in the workbook itself.
    edited_records = pd.read_csv(sample_csv, dtype=str, keep_default_na=False).to_dict("records")
    book = openpyxl.load_workbook(folder / "sample.xlsx")
    ws = book["Summary"]
    header = {norm(c.value): c.column for c in ws[4] if c.value}
    for r in range(5, ws.max_row + 1):
        employee_id = ws.cell(r, header["employee_id"]).value
        if employee_id == "E1001":
            ws.cell(r, header["base_salary"]).value = 240000.02
            edited_records[0]["base_salary"] = "240000.02"
        if employee_id == "E1007":  # for cause -> without cause: from no_severance to paid
            ws.cell(r, header["termination_reason"]).value = "without_cause"
            edited_records[6]["termination_reason"] = "without_cause"
        if employee_id == "E1002":  # leap day -> a day past the half year: no floor
            ws.cell(r, header["termination_date"]).value = dt.datetime(2024, 9, 30)
            edited_records[1]["termination_date"] = "2024-09-30"
    terms = book["Agreement"]
    for row in terms.iter_rows(min_row=1, max_col=3):
        if row[0].value == "salary_continuation_months":
            row[2].value = 18
    book.save(folder / "edited.xlsx")
    edited_agreements = {**agreements, "savvis-2002-cto": replace(agreements["savvis-2002-cto"],
                                                                  salary_continuation_months=18)}
    # Read back as the report's own rows were (rows numbered as the file numbers them).
    cases = load_cases(write_csv(edited_records, folder / "edited.csv"), edited_agreements)
    built["edited"] = (folder / "edited.xlsx", cases, compute(cases, edited_agreements), edited_agreements)

    statements = {p.stem: p for p in (folder / "statements").glob("*.xlsx")}
    chosen = [statements[i] for i in ("E1001", "E1003", "E1006", "E1005", "E1012")]
    paths = [b[0] for b in built.values()] + chosen
    recalculated = dict(zip(paths, recalculate_all(paths, folder / "recalculated")))
    return {"built": built, "recalculated": recalculated, "statements": statements,
            "chosen": chosen, "folder": folder}


def recalculated(reports, name):
    path, cases, payouts, agreements = reports["built"][name]
    return openpyxl.load_workbook(reports["recalculated"][path], data_only=True), cases, payouts, agreements


@pytest.mark.parametrize("name", ["sample", "generated", "two_agreements", "noted"])
def test_every_formula_gives_the_engine_figure_to_the_cent(reports, name):
    book, cases, payouts, agreements = recalculated(reports, name)
    check_report(book, cases, payouts, agreements)


def test_the_warnings_column_is_live_and_states_every_kind_of_warning(reports):
    book, cases, payouts, _ = recalculated(reports, "noted")
    path = reports["built"]["noted"][0]
    ws = openpyxl.load_workbook(path)["Summary"]
    col = [norm(c.value) for c in ws[4]].index("warnings") + 1
    formulas = [ws.cell(5 + k, col).data_type == "f" for k in range(len(cases))]
    assert formulas == list(payouts.status != "rejected")
    warnings = "\n".join(calc_frame(cases, payouts)["warnings"])
    for words in ("is below the agreement's minimum", "exceeds prior_year_bonus_declared",
                  "terminated before March 1", "rounded to", "consented_to_change is blank"):
        assert words in warnings, words
    check_summary(book, cases, payouts)  # each row's warnings, recalculated, are the engine's


def test_tables_split_at_the_row_limit_and_still_add_up(reports):
    book, cases, payouts, agreements = recalculated(reports, "split")
    for title in ("Summary", "Line items", "Payment schedule"):
        family = sheet_family(book, title)
        assert len(family) >= 2, title
        assert all(ws.max_row <= 120 for ws in family)
    check_report(book, cases, payouts, agreements)


def test_a_reviewers_edits_flow_through_every_dependent_figure(reports):
    book, cases, payouts, agreements = recalculated(reports, "edited")
    no_error_values(book)
    frame = calc_frame(cases, payouts)
    names, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    col = {n: i for i, n in enumerate(names)}
    assert frame.loc[6, "status"] == "paid" and frame.loc[0, "salary_continuation"] == "360000.03"
    for k, row in enumerate(rows):
        for name in ("status", "reason"):
            assert (row[col[name]] or "") == frame.loc[k, name]
        if frame.loc[k, "status"] == "rejected":
            continue
        for name in ("salary_continuation", "prorated_bonus", "cash_total", "total_value",
                     "installment_amount", "last_installment_amount"):
            assert cents_of(row[col[name]]) == text_cents(frame.loc[k, name]), (k, name)
        for name in ("continuation_end_date", "lump_sum_due_date", "first_installment_date"):
            assert date_text(row[col[name]]) == frame.loc[k, name], (k, name)
        assert row[col["installments"]] == int(frame.loc[k, "installments"])


def test_statements_recalculate_to_the_engine(reports):
    _, cases, payouts, agreements = reports["built"]["sample"]
    ids = list(cases.employee_id)
    for path in reports["chosen"]:
        book = openpyxl.load_workbook(reports["recalculated"][path], data_only=True)
        no_error_values(book)
        k = ids.index(path.stem)
        ws = book["Statement"]
        rows = list(ws.iter_rows(values_only=True))
        values = {r[0]: r[1] for r in rows if r and isinstance(r[0], str)}
        assert values["Employee id"] == path.stem and values["Status"] == "paid"
        items = {r[0]: r for r in rows if r and r[0] in COMPONENTS + ("cash_total", "total_value")}
        for item in line_items(cases, payouts, k, agreements[cases.agreement[k]]):
            row = items[item.component]
            assert (row[1], row[2], row[3]) == (item.clause, item.label, item.basis)
            assert cents_of(row[4]) == int(item.amount * 100)
            assert date_text(row[5]) == (item.due_date.isoformat() if item.due_date else "")
        assert cents_of(items["cash_total"][4]) == payouts.cash_total[k]
        assert cents_of(items["total_value"][4]) == payouts.total_value[k]
        frame = schedule_frame(cases, payouts)
        mine = frame[frame["employee_id"] == path.stem]
        names, got = table_rows([book["Payment schedule"]], "Employee id")
        assert len(got) == len(mine) > 0
        for row, (_, expected) in zip(got, mine.iterrows()):
            row = dict(zip(names, row))
            assert date_text(row["nominal_date"]) == expected["nominal_date"]
            assert date_text(row["payment_date"]) == expected["payment_date"]
            assert cents_of(row["amount"]) == text_cents(expected["amount"])


# ---------------------------------------------------------------------------------------------
# Structure (no spreadsheet engine needed)

@pytest.fixture(scope="module")
def sample(agreements, tmp_path_factory):
    cases = load_cases(ROOT / "workbooks" / "sample_cases.csv", agreements)
    payouts = compute(cases, agreements)
    out = tmp_path_factory.mktemp("sample") / "report.xlsx"
    counts = build_report(cases, payouts, agreements, out, source="sample_cases.csv")
    return out, cases, payouts, counts


def test_sheets_headers_and_counts(sample):
    out, cases, payouts, counts = sample
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Line items", "Payment schedule", "Exceptions", "Agreement"]
    assert all(len(n) <= 31 for n in book.sheetnames)
    assert counts.input_rows == len(cases) == counts.paid + counts.no_severance + counts.rejected
    assert (counts.paid, counts.no_severance, counts.rejected) == (31, 7, 5)
    ws = book["Summary"]
    headers = [norm(c.value) for c in ws[4]]
    assert headers[:len(SUMMARY_INPUTS) + len(SUMMARY_RESULTS)] == list(SUMMARY_INPUTS) + list(SUMMARY_RESULTS)
    assert set(CALC_COLUMNS) <= set(headers)  # the `severance calc` vocabulary, nothing new
    assert headers[-1] == "department"          # extra case-table columns are carried through
    assert ws.freeze_panes == "C5" and ws.auto_filter.ref == f"A4:{ws.cell(4, len(headers)).column_letter}{4 + len(cases)}"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert sorted(r.formula[0] for r in rules) == ['$M5="no_severance"', '$M5="rejected"']
    assert ws.max_row == 4 + len(cases) + 1  # data and the totals row
    assert book["Line items"].max_row - 4 == 4 * counts.paid
    assert book["Payment schedule"].max_row - 4 == counts.payments == len(schedule_frame(cases, payouts))
    assert book["Exceptions"].max_row - 4 == counts.rejected


def test_summary_cells_are_typed_formatted_and_live(sample):
    out, cases, payouts, _ = sample
    ws = openpyxl.load_workbook(out)["Summary"]
    col = {norm(c.value): c.column for c in ws[4]}
    first = 5
    assert isinstance(ws.cell(first, col["termination_date"]).value, dt.datetime)
    assert ws.cell(first, col["termination_date"]).number_format == "yyyy-mm-dd"
    assert ws.cell(first, col["base_salary"]).value == 200000
    assert ws.cell(first, col["base_salary"]).number_format == '"$"#,##0.00'
    for name in ("status", "salary_continuation", "prorated_bonus", "unpaid_bonus",
                 "benefits_continuation", "cash_total", "total_value", "lump_sum_due_date",
                 "installments", "installment_amount"):
        cell = ws.cell(first, col[name])
        assert cell.data_type == "f", name
    assert ws.cell(first, col["cash_total"]).number_format == '"$"#,##0.00'
    assert ws.cell(first, col["lump_sum_due_date"]).number_format == "yyyy-mm-dd"
    totals = 5 + len(cases)
    assert ws.cell(totals, 2).value == "Total"
    assert ws.cell(totals, col["cash_total"]).value.startswith("=SUBTOTAL(109,Summary!$")
    with zipfile.ZipFile(out) as z:
        assert b"Payout by component" in z.read("xl/charts/chart1.xml")
    assert ws.cell(4, col["salary_continuation"]).value == "Salary continuation"


def test_formulas_only_use_excel_2007_functions_and_names_that_exist(sample, tmp_path, agreements):
    out, *_ = sample
    two = {**agreements, **parse_agreements(SECOND_AGREEMENT, "t")}
    cases = from_records(generated_records(60, seed=2, agreements=("", "acme-2019")), two)
    multi = tmp_path / "multi.xlsx"
    build_report(cases, compute(cases, two), two, multi)
    for path in (out, multi):
        book = openpyxl.load_workbook(path)
        names = set(book.defined_names)
        assert {"holiday_dates", "salary_continuation_months", "bonus_floor_fraction"} <= names
        used = set()
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        text = re.sub(r"'[^']*'!", "", re.sub(r'"[^"]*"', '""', cell.value))
                        used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", text))
                        for name in re.findall(r"(?<![A-Za-z0-9_$!.'])([a-z_][a-z0-9_]*)(?![A-Za-z0-9_(!])", text):
                            assert name in names, (ws.title, cell.coordinate, name)
        assert used <= EXCEL_2007, used - EXCEL_2007
        # The defined names are the parameters the placed formulas declare, no more, no fewer.
        assert names - {"agreement_ids"} == set(F.parameters_read(REPORT_FORMULAS))
        assert "minimum_base_salary" in names  # the live warnings column reads it
    assert "agreement_ids" in openpyxl.load_workbook(multi).defined_names


def test_agreement_sheet_states_every_parameter_its_value_and_clause(sample, agreements):
    out, *_ = sample
    ws = openpyxl.load_workbook(out)["Agreement"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0]}
    savvis = agreements["savvis-2002-cto"]
    for name, value in savvis.parameters():
        row = rows[name]
        shown = row[2].date() if isinstance(row[2], dt.datetime) else row[2]
        assert str(shown) == str(value) or Decimal(str(shown)) == Decimal(str(value)), name
    assert rows["salary_continuation_months"][3] == savvis.clause_text["i"]
    assert rows["lump_sum_due_days"][3].startswith("In the case of the payments")
    book = openpyxl.load_workbook(out)
    dests = dict(book.defined_names["holiday_dates"].destinations)
    first, last = dests["Agreement"].replace("$", "").split(":")
    holidays = [row[0].value for row in ws[first:last]]
    assert dt.datetime(2024, 7, 4) in holidays and dt.datetime(2002, 12, 25) in holidays


def test_text_from_the_case_table_is_never_a_formula(tmp_path, agreements):
    records = [{"employee_id": h, "employee_name": h, "termination_date": "2024-03-15",
                "termination_reason": "without_cause", "base_salary": "250000",
                "prior_year_bonus_declared": "1", "prior_year_bonus_paid": "1",
                "monthly_benefits_cost": "1", "pay_frequency": "", "consented_to_change": "",
                "department": h} for h in HOSTILE]
    records.append({**records[0], "employee_id": "R1", "termination_date": HOSTILE[1],
                    "base_salary": HOSTILE[0]})  # a rejected row: its raw cells are text too
    path = write_csv(records, tmp_path / "hostile.csv")
    out = tmp_path / "hostile.xlsx"
    result = severance("report", path, "-o", out, "--per-employee", tmp_path / "st")
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    seen = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(h.strip() in cell.value for h in HOSTILE if len(h.strip()) > 2), cell.value
                if cell.value in HOSTILE:
                    assert cell.data_type == "s"
                    seen += 1
    assert seen >= 4 * len(HOSTILE)
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>HYPERLINK" not in sheet and "HYPERLINK" in sheet
    for statement in (tmp_path / "st").glob("*.xlsx"):
        for ws in openpyxl.load_workbook(statement).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value in HOSTILE:
                        assert cell.data_type == "s"


def test_hostile_text_reads_back_as_text_after_recalculation(reports):
    book, cases, payouts, _ = recalculated(reports, "generated")
    names, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    col = names.index("employee_name")
    hostile = [r[col] for r in rows if r[col] in HOSTILE]
    assert len(hostile) >= 10


def test_the_same_input_gives_the_same_bytes(tmp_path, sample_cases_path):
    outs = []
    for n in range(2):
        out = tmp_path / f"r{n}.xlsx"
        assert severance("report", sample_cases_path, "-o", out).returncode == 0
        outs.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(tmp_path / "r0.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2002-02-08T00:00:00Z" in z.read("docProps/core.xml")


def test_the_fast_writer_writes_exactly_the_cells_openpyxl_writes(tmp_path, agreements):
    cases = from_records(generated_records(80, seed=3), agreements)
    payouts = compute(cases, agreements)
    books = []
    for fast in (True, False):
        plan, _ = plan_report(cases, payouts, agreements, source="eq")
        write_plan(plan, tmp_path / f"{fast}.xlsx", default_styles(), fast=fast)
        books.append(openpyxl.load_workbook(tmp_path / f"{fast}.xlsx"))
    a, b = books
    assert a.sheetnames == b.sheetnames
    assert set(a.defined_names) == set(b.defined_names)
    cells = 0
    for wa, wb in zip(a.worksheets, b.worksheets):
        assert (wa.max_row, wa.max_column, wa.freeze_panes) == (wb.max_row, wb.max_column, wb.freeze_panes)
        for ra, rb in zip(wa.iter_rows(), wb.iter_rows()):
            for x, y in zip(ra, rb):
                assert (x.value, x.data_type, x.number_format) == (y.value, y.data_type, y.number_format)
                assert [repr(s) for s in (x.font, x.fill, x.border, x.alignment)] == \
                    [repr(s) for s in (y.font, y.fill, y.border, y.alignment)], (wa.title, x.coordinate)
                cells += 1
    assert cells > 10_000


def test_row_limit_split_layout(tmp_path, agreements):
    cases = from_records(generated_records(150, seed=9), agreements)
    payouts = compute(cases, agreements)
    counts = build_report(cases, payouts, agreements, tmp_path / "s.xlsx", max_rows=120)
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert "Summary (2)" in book.sheetnames and "Payment schedule (2)" in book.sheetnames
    for title in ("Summary", "Line items", "Payment schedule", "Exceptions"):
        assert all(ws.max_row <= 120 and len(ws.title) <= 31 for ws in sheet_family(book, title))
    _, rows = table_rows(sheet_family(book, "Payment schedule"), "Employee id")
    assert len(rows) == counts.payments
    _, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    assert len(rows) == len(cases)
    assert sum(1 for n in book.sheetnames if n.startswith("Summary")) == -(-len(cases) // (120 - 4 - 23))


# ---------------------------------------------------------------------------------------------
# Per-employee statements and their file names

def test_one_statement_per_paid_employee(reports):
    _, cases, payouts, _ = reports["built"]["sample"]
    paid = set(cases.employee_id[payouts.eligible])
    assert set(reports["statements"]) == paid
    book = openpyxl.load_workbook(reports["statements"]["E1001"])
    assert book.sheetnames == ["Statement", "Payment schedule", "Agreement"]


def test_statement_file_names_are_safe_and_distinct():
    ids = ["E1", "e1", "../../etc/passwd", "a/b", "a_b", "CON", "con.txt", "", ".hidden",
           "x" * 300, "naïve", "C:\\temp\\x", "ok-1.2"]
    names = statement_file_names(ids)
    crafted = names[3][:-len(".xlsx")]  # an id spelled like the hashed name of "a/b"
    assert statement_file_names(["a/b", crafted]) == [names[3], crafted + "-2.xlsx"]
    assert len(set(n.lower() for n in names)) == len(ids)
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*\.xlsx", name), name
        assert "/" not in name and "\\" not in name and ".." not in name and len(name) <= 100
        assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
    assert names[-1] == "ok-1.2.xlsx"
    assert statement_file_names(ids) == names


# ---------------------------------------------------------------------------------------------
# Safety of the files read and written

def test_out_equal_to_cases_is_refused(tmp_path, agreements):
    cases_xlsx = tmp_path / "cases.xlsx"
    pd.read_csv(ROOT / "workbooks" / "sample_cases.csv", dtype=str).to_excel(cases_xlsx, index=False)
    before = cases_xlsx.read_bytes()
    result = severance("report", cases_xlsx, "-o", cases_xlsx)
    assert result.returncode == 2 and "refusing to overwrite the input" in result.stderr
    assert cases_xlsx.read_bytes() == before


def test_an_interrupted_run_leaves_the_previous_report_and_no_partial_file(tmp_path, agreements, sample):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"the previous report")
    _, cases, payouts, _ = sample
    broken = replace(default_styles(), roles={k: v for k, v in default_styles().roles.items() if k != "money"})
    with pytest.raises(KeyError):  # fails while the rows are being written
        build_report(cases, payouts, load_agreements(), out, styles=broken)
    assert out.read_bytes() == b"the previous report"
    assert list(tmp_path.iterdir()) == [out]


def test_other_output_types_are_refused(tmp_path, sample_cases_path):
    result = severance("report", sample_cases_path, "-o", tmp_path / "r.csv")
    assert result.returncode == 2 and ".xlsx" in result.stderr
    assert severance("report", sample_cases_path).returncode == 2  # -o is required


def _billion_laughs(part: str) -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    if part == "sheet":
        body = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>')
        return f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>{body}'.encode()
    body = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            'uniqueCount="1"><si><t>&a9;</t></si></sst>')
    return f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>{body}'.encode()


def _hostile_copy(source: Path, target: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info.filename))
    return target


@pytest.mark.parametrize("part", ["sheet", "strings"])
def test_entity_expansion_in_a_case_workbook_is_refused(tmp_path, part):
    assert openpyxl.DEFUSEDXML  # openpyxl parses through defusedxml
    good = tmp_path / "good.xlsx"
    frame = pd.DataFrame({"employee_id": ["E1"], "termination_date": ["2024-01-02"],
                          "termination_reason": ["without_cause"], "base_salary": ["1"]})
    with pd.ExcelWriter(good, engine="xlsxwriter") as writer:  # shared strings, like Excel
        frame.to_excel(writer, index=False, sheet_name="cases")
    name = "xl/worksheets/sheet1.xml" if part == "sheet" else "xl/sharedStrings.xml"
    evil = _hostile_copy(good, tmp_path / "evil.xlsx", name, _billion_laughs(part))
    with pytest.raises(CaseFileError, match="XML entities|not a readable .xlsx"):
        read_case_file(evil)
    # openpyxl itself, the second line of defence, parses through defusedxml.
    from defusedxml import DefusedXmlException
    with pytest.raises(ValueError) as refused:
        book = openpyxl.load_workbook(evil, read_only=True)
        for ws in book.worksheets:
            list(ws.iter_rows(values_only=True))
    assert isinstance(refused.value, DefusedXmlException) or \
        isinstance(refused.value.__cause__, DefusedXmlException)
    result = severance("report", evil, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_entity_expansion_in_a_template_is_refused(tmp_path):
    template = build_report_template(tmp_path / "t.xlsx")
    evil = _hostile_copy(template, tmp_path / "evil.xlsx", "xl/worksheets/sheet1.xml", _billion_laughs("sheet"))
    with pytest.raises(OutputError, match="XML entities|not a readable template"):
        read_template(evil)


def test_oversized_and_bomb_case_files_fail_with_a_clear_message(tmp_path):
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as f:  # sparse: no disk is used
        f.truncate(201 * 2**20)
    result = severance("report", big, "-o", tmp_path / "o.xlsx")
    assert result.returncode == 2 and "limited to 200 MiB" in result.stderr
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 2**20))
    result = severance("report", bomb, "-o", tmp_path / "o.xlsx")
    assert result.returncode == 2 and "zip bomb" in result.stderr


# ---------------------------------------------------------------------------------------------
# The style template

def test_template_is_current_and_round_trips_to_the_defaults(tmp_path):
    built = build_report_template(tmp_path / "report_template.xlsx")
    styles = read_template(built)
    assert styles.logo is None
    defaults = default_styles().roles
    for role in ROLES:
        got, want = styles.roles[role], defaults[role]
        assert got.number_format == want.number_format, role
        assert got.font.b == want.font.b and got.fill.fgColor.rgb == want.fill.fgColor.rgb, role
    committed = ROOT / "workbooks" / "report_template.xlsx"
    assert committed.read_bytes() == built.read_bytes(), \
        "workbooks/report_template.xlsx is stale: run `severance templates build`"


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_restyled_template_restyles_the_report(tmp_path, sample_cases_path):
    from openpyxl.styles import Font, PatternFill
    template = build_report_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(template)
    ws = book["Styles"]
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == "money":
            row[1].number_format = '#,##0.00 "USD"'
        if row[0].value == "header":
            row[1].fill = PatternFill("solid", fgColor="FF00B050")
            row[1].font = Font(bold=True, color="FF000000", name="Arial")
    ws.add_image(logo_image(_png(120, 40), "png", 120, 40), "E20")
    book.save(template)
    out = tmp_path / "styled.xlsx"
    result = severance("report", sample_cases_path, "-o", out, "--template", template)
    assert result.returncode == 0, result.stderr
    summary = openpyxl.load_workbook(out)["Summary"]
    header_row = 5  # the logo takes row 1
    col = {norm(c.value): c.column for c in summary[header_row] if c.value}
    assert summary.cell(header_row + 1, col["cash_total"]).number_format == '#,##0.00 "USD"'
    assert summary.cell(header_row, 1).fill.fgColor.rgb == "FF00B050"
    assert summary.cell(header_row, 1).font.name == "Arial"
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        assert len(media) == 1 and z.read(media[0]) == _png(120, 40)
    check = openpyxl.load_workbook(out)
    assert check["Summary"].row_dimensions[1].height == pytest.approx(30)


def test_a_template_without_roles_is_refused(tmp_path, sample_cases_path):
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    result = severance("report", sample_cases_path, "-o", tmp_path / "o.xlsx", "--template", plain)
    assert result.returncode == 2 and "no style roles" in result.stderr


# ---------------------------------------------------------------------------------------------
# The command line

def test_progress_bar_only_on_a_terminal(tmp_path, agreements):
    import pty
    path = write_csv(generated_records(400, seed=5), tmp_path / "c.csv")
    piped = severance("report", path, "-o", tmp_path / "a.xlsx")
    assert piped.returncode == 0 and piped.stderr.count("\n") == 1 and "rows/s" not in piped.stderr
    import fcntl
    import struct
    import termios
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real size
    proc = subprocess.Popen([SEVERANCE, "report", str(path), "-o", str(tmp_path / "b.xlsx")],
                            stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    os.close(leader)
    assert b"severance report" in seen and b"rows" in seen, seen


def test_cli_summary_line(tmp_path, sample_cases_path):
    result = severance("report", sample_cases_path, "-o", tmp_path / "r.xlsx",
                       "--per-employee", tmp_path / "st")
    assert result.returncode == 0
    assert result.stderr.strip() == (f"43 input rows: 31 paid, 7 no severance, 5 rejected; 828 payments "
                                     f"-> {tmp_path / 'r.xlsx'}; 31 statements -> {tmp_path / 'st'}")
