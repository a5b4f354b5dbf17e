"""The payout report's structure, read without a spreadsheet engine: sheets, headers, typed
and formatted cells, formulas and defined names, text that stays text, repeatable bytes, the
fast writer against openpyxl's own, the row-limit split, statement file names."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl

import addin

from addin.cases import from_records
from addin.rules.engine import compute
from addin.report.writer import build_report, statement_file_names, write_plan
from addin.report.columns import SUMMARY_INPUTS, SUMMARY_RESULTS
from addin.excel import formulas as F
from addin.report.layout import REPORT_FORMULAS, plan_report
from addin.excel.styles import default_styles
from addin.results.tables import CALC_COLUMNS, schedule_frame
from addin.rules.terms import parse_agreements
from tests.report.generated import (HOSTILE, EXCEL_2007, ROOT, SECOND_AGREEMENT, severance,
                                    generated_records, write_csv)
from tests.report.checks import norm, sheet_family, table_rows


def test_sheets_headers_and_counts(sample):
    out, cases, payouts, counts = sample
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Payout register", "Line items", "Payment schedule", "Exceptions", "Agreement", "Run"]
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
    assert result.returncode == 1, result.stderr  # the row R1 is rejected
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


def test_the_same_input_and_epoch_give_the_same_bytes(tmp_path, sample_cases_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}  # 2025-12-01 00:00:00 UTC
    outs = []
    for n in range(2):
        out = tmp_path / f"r{n}.xlsx"
        assert severance("report", sample_cases_path, "-o", out, env=env).returncode == 1  # 5 rejected
        outs.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(tmp_path / "r0.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2025-12-01T00:00:00Z" in z.read("docProps/core.xml")
    later = tmp_path / "later.xlsx"
    severance("report", sample_cases_path, "-o", later, env={**env, "SOURCE_DATE_EPOCH": "1764547201"})
    assert hashlib.sha256(later.read_bytes()).hexdigest() != outs[0]  # the stamp is the run's


def test_the_run_stamp_names_the_time_version_files_and_counts(tmp_path, sample_cases_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200"}
    out = tmp_path / "r.xlsx"
    severance("report", sample_cases_path, "-o", out, env=env)
    digest = hashlib.sha256(Path(sample_cases_path).read_bytes()).hexdigest()
    terms = (ROOT / "addin" / "rules" / "agreements" / "savvis-2002-cto.toml").read_bytes()
    expected = ["2025-12-01 00:00:00 UTC", addin.__version__, "sample_cases.csv", digest,
                "built-in savvis-2002-cto.toml", hashlib.sha256(terms).hexdigest(),
                "43 input rows = 31 paid + 7 no_severance + 5 rejected"]
    book = openpyxl.load_workbook(out)
    run = "\n".join(str(c.value) for row in book["Run"].iter_rows() for c in row if c.value)
    assert all(e in run for e in expected), run
    assert all(e in book.properties.description for e in expected)
    assert book.properties.created == dt.datetime(2025, 12, 1)
    summary_note = "\n".join(str(c.value) for row in book["Summary"].iter_rows(max_row=4) for c in row if c.value)
    assert all(e in summary_note for e in expected), summary_note
    for ws in book.worksheets:
        assert "Page &P of &N" in ws.oddFooter.center.text and "Run 2025-12-01" in ws.oddFooter.center.text
    assert "read from the header" in run  # the reading: each column's header


def test_the_fast_writer_writes_exactly_the_cells_openpyxl_writes(tmp_path, agreements, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # both plans stamped alike
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


def test_reader_sheets_hide_helpers_keep_blanks_blank_and_chart_in_dollars(sample):
    out, cases, payouts, _ = sample
    book = openpyxl.load_workbook(out)
    ws = book["Summary"]
    col = {norm(c.value): c.column_letter for c in ws[4] if c.value}
    assert ws.column_dimensions[col["first_payday_number"]].hidden
    assert not ws.column_dimensions[col["cash_total"]].hidden
    raw = cases.raw["consented_to_change"].fillna("").astype(str).str.strip()
    for k in range(len(cases)):
        if payouts.status[k] != "rejected":
            value = ws[f"{col['consented_to_change']}{5 + k}"].value
            assert (value is None) == (raw.iat[k] == ""), (k, value, raw.iat[k])
    assert (raw[payouts.status != "rejected"] == "").any()
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert 'formatCode="&quot;$&quot;#,##0"' in chart and "US dollars" in chart
    assert ws.print_area is not None and book["Payout register"].print_title_rows == "$4:$4"
    for ws in book.worksheets:
        assert int(ws.page_setup.paperSize) == 1 and ws.page_setup.fitToWidth == 1


def test_a4_paper_on_request_and_pdf_without_libreoffice_is_one_clear_line(tmp_path, sample_cases_path, sample):
    _, cases, payouts, _ = sample
    from addin.rules.terms import load_agreements
    agreements = load_agreements()
    build_report(cases, payouts, agreements, tmp_path / "a4.xlsx", paper="a4")
    assert {int(ws.page_setup.paperSize) for ws in openpyxl.load_workbook(tmp_path / "a4.xlsx")} == {9}
    result = severance("report", sample_cases_path, "-o", tmp_path / "r.xlsx", "--pdf", tmp_path / "pdf",
                       env={**os.environ, "PATH": str(tmp_path / "nowhere")})
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "soffice" in result.stderr
    assert not (tmp_path / "r.xlsx").exists()
