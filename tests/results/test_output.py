"""`calc -o .xlsx`: typed cells (money and fractions as numbers, dates as dates), number formats,
columns wide enough for the largest accepted amounts (no ### when printed), frozen header, filter."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import openpyxl

from addin.cases import from_records
from addin.results.output import write_table
from addin.results.tables import CALC_COLUMNS, calc_frame
from addin.rules.engine import compute
from tests.support.recalc import SOFFICE

LARGEST = {"employee_id": "BIG", "employee_name": "Largest accepted amounts",
           "termination_date": "2024-12-31", "termination_reason": "without_cause",
           "base_salary": "999999999.99", "prior_year_bonus_declared": "999999999.99",
           "prior_year_bonus_paid": "0", "monthly_benefits_cost": "999999999.99"}
SMALL = dict(LARGEST, employee_id="S1", base_salary="245000.00", prior_year_bonus_declared="110000.00",
             prior_year_bonus_paid="55000.00", monthly_benefits_cost="1620.50", termination_date="2024-02-29")


def _written(tmp_path, agreements):
    cases = from_records([LARGEST, SMALL, dict(SMALL, employee_id="R1", base_salary="-5")], agreements)
    frame = calc_frame(cases, compute(cases, agreements))
    out = tmp_path / "payouts.xlsx"
    write_table(frame, out)
    return frame, out


def test_amounts_fractions_and_dates_are_typed_with_formats(tmp_path, agreements):
    frame, out = _written(tmp_path, agreements)
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == list(CALC_COLUMNS)
    row = {name: cell for name, cell in zip(header, ws[3])}
    assert Decimal(str(row["cash_total"].value)) == Decimal(frame.loc[1, "cash_total"])
    assert row["cash_total"].number_format == "#,##0.00"
    assert isinstance(row["bonus_proration"].value, float)
    assert f"{row['bonus_proration'].value:.6f}" == frame.loc[1, "bonus_proration"]
    assert row["bonus_proration"].number_format == "0.000000"
    assert row["lump_sum_due_date"].value.date() == dt.date.fromisoformat(frame.loc[1, "lump_sum_due_date"])
    assert row["lump_sum_due_date"].number_format == "yyyy-mm-dd"
    rejected = {name: cell.value for name, cell in zip(header, ws[4])}
    assert rejected["status"] == "rejected" and rejected["cash_total"] is None
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:U{len(frame) + 1}"


def test_no_amount_prints_as_hashes_even_at_the_largest_accepted_values(tmp_path, agreements):
    frame, out = _written(tmp_path, agreements)
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "payouts.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "###" not in text
    largest = Decimal(frame.loc[0, "total_value"])
    assert f"{largest:,.2f}" in text
