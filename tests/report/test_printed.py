"""The report and the statements as they print: rendered to PDF by LibreOffice, every page is
Letter with its footer (page N of M, the report's name, the run stamp), no page shows "###"
(a 1,000-case report with amounts up to the largest accepted among them), no text prints under
8 points, and an employee's id and amounts stand on the same page and line; the register and
each statement print one page wide."""

from __future__ import annotations

import re
import subprocess

import pytest

from addin.cases import from_records
from addin.report.layout import plan_report
from addin.report.pdf import to_pdf, register_plan
from addin.report.printing import BODY_POINTS, MIN_TEXT_POINTS, Paper, print_scale
from addin.report.statement import plan_statement
from addin.rules.engine import compute
from tests.report.generated import ROOT, generated_records, severance, write_csv

LARGEST = "1000000000.00"       # the largest amount the case reader accepts
MONEY = re.compile(r"\$[\d,]+\.\d\d")
LINE_ID = re.compile(r"^\s*(E1\d{3}|B-\d{4})\s")  # a table's row, not a note naming the id
# A word's box in pdftotext -bbox is 0.81 of its font size (measured on 8- and 11-point text).
BOX_PER_POINT = 0.78


def big_records() -> list[dict]:
    records = generated_records(1000, seed=12)
    for i, r in enumerate(records[:-6]):
        r["employee_id"] = f"B-{i:04d}"
        r["termination_reason"] = "without_cause"
        r["pay_frequency"] = "monthly"   # 12 payments a case: the PDF stays a few hundred pages
        if i % 3 == 0:
            r.update(base_salary=LARGEST, prior_year_bonus_declared=LARGEST, prior_year_bonus_paid="0",
                     monthly_benefits_cost=LARGEST)
    return records


@pytest.fixture(scope="module")
def printed(tmp_path_factory, agreements):
    folder = tmp_path_factory.mktemp("printed")
    sample = ROOT / "workbooks" / "sample_cases.csv"
    result = severance("report", sample, "-o", folder / "sample.xlsx", "--pdf", folder / "pdf")
    assert result.returncode == 1 and "PDFs" in result.stderr, result.stderr
    big = write_csv(big_records(), folder / "big.csv")
    result = severance("report", big, "-o", folder / "big.xlsx")
    assert result.returncode == 1, result.stderr
    pdfs = to_pdf([folder / "sample.xlsx", folder / "big.xlsx"], folder / "reports")
    return {"sample": pdfs[0], "big": pdfs[1], "register": folder / "pdf" / "payout_register.pdf",
            "statements": sorted((folder / "pdf").glob("E*.pdf"))}


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def sizes(pdf) -> set[str]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    return {m.group(1) for m in re.finditer(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+)", info)}


def smallest_word(pdf) -> float:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', xml)
    return min(float(b) - float(a) for a, b in boxes)


def all_pdfs(printed):
    return [printed["sample"], printed["big"], printed["register"], *printed["statements"]]


def test_every_page_is_letter_and_has_its_footer(printed):
    assert len(printed["statements"]) == 38
    for pdf in all_pdfs(printed):
        assert sizes(pdf) <= {"612 x 792", "792 x 612"}, pdf.name
        texts = pages(pdf)
        for n, page in enumerate(texts, 1):
            assert f"Page {n} of {len(texts)}" in page, (pdf.name, n)
            assert "Run " in page and "add-in" in page, (pdf.name, n)
            assert ("Severance payouts" if pdf.parent.name == "reports" or pdf.stem == "payout_register"
                    else f"Severance statement, {pdf.stem}") in page, (pdf.name, n)


def test_no_page_shows_hashes_even_at_the_largest_amounts(printed):
    texts = pages(printed["big"])
    assert any("$1,000,000,000.00" in page for page in texts)
    for pdf in all_pdfs(printed):
        assert not any("###" in page for page in pages(pdf)), pdf.name


def test_no_text_prints_under_8_points(printed):
    for pdf in (printed["sample"], printed["big"], printed["register"], printed["statements"][0]):
        assert smallest_word(pdf) >= MIN_TEXT_POINTS * BOX_PER_POINT, pdf.name


def test_ids_and_amounts_stand_on_the_same_page_and_line(printed):
    for pdf in all_pdfs(printed):
        for n, page in enumerate(pages(pdf), 1):
            lines = page.splitlines()
            if any(MONEY.search(line) for line in lines) and "Agreement terms used" not in page:
                assert any(LINE_ID.match(line) for line in lines) or "Employee id" in page, (pdf.name, n)
            for line in lines:
                if LINE_ID.match(line) and "rejected" not in line:
                    assert MONEY.search(line), (pdf.name, n, line)


def test_the_register_and_each_statement_print_one_page_wide(printed):
    register = pages(printed["register"])
    assert all("Employee id" in p and "Lump sum" in p and "Total value" in p for p in register)
    for pdf in printed["statements"]:
        first, *schedule = pages(pdf)
        assert "Amount" in first and "Date is" in first and "Acknowledgement" in first, pdf.name


def test_every_printed_sheet_prints_at_8_points_or_more(agreements):
    cases = from_records(big_records(), agreements)
    payouts = compute(cases, agreements)
    plan, _ = plan_report(cases, payouts, agreements, source="big")
    statement = plan_statement(cases, payouts, agreements, 0)
    for paper in Paper:
        for sheet in [*plan.sheets, *statement.sheets, *register_plan(plan).sheets]:
            assert print_scale(sheet, paper) * BODY_POINTS >= MIN_TEXT_POINTS, (paper, sheet.title)
