"""The report tests' workbooks: one batch of reports (sample cases, generated tables, two
agreements, every table split, every kind of warning, a reviewer's edits, statements), built
once and recalculated in LibreOffice once for the whole package; and the sample report."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

from addin.cases import from_records, load_cases
from addin.rules.engine import compute
from addin.report.writer import build_report
from addin.rules.terms import parse_agreements
from tests.support.recalc import recalculate_all
from tests.report.generated import ROOT, SECOND_AGREEMENT, severance, generated_records, write_csv
from tests.report.checks import norm


@pytest.fixture(scope="package")
def reports(tmp_path_factory, agreements):
    folder = tmp_path_factory.mktemp("reports")
    built = {}

    sample_csv = ROOT / "workbooks" / "sample_cases.csv"
    cases = load_cases(sample_csv, agreements)
    payouts = compute(cases, agreements)
    result = severance("report", sample_csv, "-o", folder / "sample.xlsx",
                       "--per-employee", folder / "statements")
    assert result.returncode == 1, result.stderr  # 5 rows rejected: outputs written, exit 1
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
    chosen = [statements[i] for i in ("E1001", "E1003", "E1006", "E1005", "E1012", "E1007", "E1019")]
    paths = [b[0] for b in built.values()] + chosen
    recalculated = dict(zip(paths, recalculate_all(paths, folder / "recalculated")))
    return {"built": built, "recalculated": recalculated, "statements": statements,
            "chosen": chosen, "folder": folder}


@pytest.fixture(scope="package")
def sample(agreements, tmp_path_factory):
    cases = load_cases(ROOT / "workbooks" / "sample_cases.csv", agreements)
    payouts = compute(cases, agreements)
    out = tmp_path_factory.mktemp("sample") / "report.xlsx"
    counts = build_report(cases, payouts, agreements, out, source="sample_cases.csv")
    return out, cases, payouts, counts
