"""Rows as the file numbers them, in every message, for CSV and .xlsx with and without title
rows; rows that are not cases accounted for."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from addin.cases import from_records, load_cases

HEADER = ["Employee ID", "Employee Name", "Termination Date", "Termination Reason", "Base Salary"]
ROWS = [["A1", "Ann\\nLee", "2024-07-01", "without_cause", "240000"],   # a name across two lines
        [],                                                               # a blank row
        ["A2", "Bo", "2024-07-01", "without_cause", "abc"],              # the bad cell
        ["A3", "Cy", "2024-13-01", "without_cause", "100000"]]           # and another
TITLES = [["Separations"], ["as of 2024-12-31"], []]


def write(path, titles, multiline: bool):
    rows = [[c.replace("\\n", "\n" if multiline else " ") for c in r] for r in ROWS]
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows([*titles, HEADER, *rows])
        return
    book = openpyxl.Workbook()
    for row in [*titles, HEADER, *rows]:
        book.active.append(row)
    book.save(path)


def row_of(path, text: str) -> int:
    """The row of the cell holding `text`: the worksheet row, or the CSV line it is on."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path).active
        return next(c.row for r in sheet.iter_rows() for c in r if c.value == text)
    content = path.read_text(encoding="utf-8")
    return content[:content.index(text)].count("\n") + 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("titles", [[], TITLES], ids=["no title", "title rows"])
def test_each_message_names_the_row_of_its_cell(tmp_path, agreements, suffix, titles):
    path = tmp_path / f"cases{suffix}"
    write(path, titles, multiline=True)
    cases = load_cases(path, agreements)
    bad = {r: e for r, e in zip(cases.source_row, cases.errors) if e}
    salary_row, date_row = row_of(path, "abc"), row_of(path, "2024-13-01")
    assert bad[salary_row] == (f"row {salary_row}, Base Salary (base_salary): 'abc' is not a "
                               "number; write an amount such as 240000.00",)
    assert bad[date_row] == (f"row {date_row}, Termination Date (termination_date): '2024-13-01' "
                             "is not a real calendar date",)
    assert list(cases.source_row) == [row_of(path, "A1"), salary_row, date_row]
    assert cases.reading.header_row == len(titles) + 1


def test_totals_rows_are_named_and_other_blank_ids_are_not(agreements):
    good = dict(termination_date="2024-07-01", termination_reason="without_cause")
    cases = from_records([
        {**good, "employee_id": "A1", "base_salary": "100000"},
        {**good, "employee_id": "A2", "base_salary": "150000"},
        {"employee_id": "", "base_salary": "250000"},                       # the sum, no label
        {"employee_id": "", "employee_name": "Grand Total", "base_salary": "1"},
        {"employee_id": "TOTAL", "base_salary": ""},
        {**good, "employee_id": "", "base_salary": "90000"},               # a case without id
    ], agreements)
    assert cases.errors[2] == ("row 3, a totals row, not a case (base_salary 250000.00 is the "
                               "sum of the rows above)",)
    assert cases.errors[3] == ("row 4, a totals row, not a case (labelled 'grandtotal')",)
    assert cases.errors[4] == ("row 5, a totals row, not a case (labelled 'total')",)
    assert cases.errors[5] == ("row 6, employee_id: required, but blank",)


def test_many_rows_without_an_id_are_judged_together(agreements):
    frame = pd.DataFrame({"employee_id": [""] * 50_000, "termination_date": "2024-07-01",
                          "termination_reason": "without_cause", "base_salary": "1"})
    cases = from_records(frame.to_dict("records"), agreements)
    assert not cases.valid.any()
    assert {e for row in cases.errors for e in (m.split(", ", 1)[1] for m in row)} == {
        "employee_id: required, but blank"}
