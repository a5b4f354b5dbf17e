"""Case tables: every bad value is rejected with row, column and what was wrong; nothing is lost."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from addin.cases import CaseFileError, from_records, load_cases, read_case_file

GOOD = dict(employee_id="E1", termination_date="2024-07-01", termination_reason="without_cause",
            base_salary="240000", prior_year_bonus_declared="100000", prior_year_bonus_paid="0",
            monthly_benefits_cost="1500")


def errors_of(agreements, **overrides):
    cases = from_records([{**GOOD, **overrides}], agreements)
    return " | ".join(cases.errors[0])


@pytest.mark.parametrize("column, value, expected", [
    ("employee_id", "", "employee_id: required, but blank"),
    ("termination_date", "2023-02-29", "'2023-02-29' is not a real calendar date"),
    ("termination_date", "next week", "'next week' is not a date; write it as YYYY-MM-DD"),
    ("termination_date", "07/01/2024", "declare the date order: --date-order MDY or DMY"),
    ("termination_date", "07/01/24", "has a two-digit year"),
    ("termination_date", "", "termination_date: required, but blank"),
    ("termination_date", "1899-12-31", "is outside 1950-2149"),
    ("termination_reason", "layoff", "'layoff' must be one of without_cause"),
    ("termination_reason", "", "termination_reason: required, but blank"),
    ("base_salary", "-1", "base_salary: '-1.00' must be greater than 0"),
    ("base_salary", "0", "must be greater than 0"),
    ("base_salary", "abc", "base_salary: 'abc' is not a number"),
    ("base_salary", "", "base_salary: required, but blank"),
    ("base_salary", "1e30", "beyond the largest amount"),
    ("base_salary", "1e1000000", "beyond the largest amount"),   # past Decimal's exponents as cents
    ("base_salary", "NaN", "is not a finite number"),
    ("prior_year_bonus_declared", "-5", "prior_year_bonus_declared: '-5.00' must not be negative"),
    ("prior_year_bonus_paid", "12,3x", "prior_year_bonus_paid: '12,3x' is not a number"),
    ("monthly_benefits_cost", "-0.01", "must not be negative"),
    ("pay_frequency", "fortnightly", "pay_frequency: 'fortnightly' must be one of weekly"),
    ("consented_to_change", "maybe", "consented_to_change: 'maybe' is not true or false"),
    ("agreement", "acme", "agreement: 'acme' is not a known agreement"),
])
def test_each_bad_value_is_named(agreements, column, value, expected):
    message = errors_of(agreements, **{column: value})
    assert expected in message
    assert message.startswith("row 1, ")


def test_every_problem_of_a_row_is_listed(agreements):
    message = errors_of(agreements, termination_date="x", termination_reason="y", base_salary="z")
    assert message.count("row 1,") == 3


def test_duplicate_ids_reject_every_row_sharing_them(agreements):
    cases = from_records([GOOD, {**GOOD, "employee_id": "E2"}, GOOD], agreements)
    assert [bool(e) for e in cases.errors] == [True, False, True]
    assert "appears on rows 1, 3" in cases.errors[0][0]


def test_money_formats_finance_types(agreements):
    cases = from_records([{**GOOD, "base_salary": "$240,000.50"}], agreements)
    assert cases.base_salary[0] == 24000050 and not cases.errors[0]


def test_column_names_match_case_and_space_insensitively(tmp_path, agreements):
    path = tmp_path / "cases.csv"
    frame = pd.DataFrame([GOOD]).rename(columns={"employee_id": " Employee ID ",
                                                 "base_salary": "BASE SALARY"})
    frame["Department"] = "Finance"
    frame.to_csv(path, index=False)
    cases = load_cases(path, agreements)
    assert not cases.errors[0] and cases.base_salary[0] == 24000000
    assert "department" in cases.raw.columns  # extra columns are carried through


def test_missing_required_column_stops_with_a_clear_message(tmp_path, agreements):
    path = tmp_path / "cases.csv"
    pd.DataFrame([GOOD]).drop(columns="base_salary").to_csv(path, index=False)
    with pytest.raises(CaseFileError, match="required column 'base_salary' .*is missing"):
        load_cases(path, agreements)


def test_xlsx_cells_keep_their_types_exactly(tmp_path, agreements):
    path = tmp_path / "cases.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(GOOD))
    sheet.append(["E1", dt.datetime(2024, 2, 29), "without_cause", 200000.1, 1000.01, None, 0.07])
    sheet.append([None] * 7)  # a formatted but empty row is not a case
    sheet.append([1002, dt.date(2024, 3, 1), "for_cause", 250000, 0, 0, 0])
    book.save(path)
    cases = load_cases(path, agreements)
    assert len(cases) == 2 and list(cases.source_row) == [2, 4]  # the sheet's own row numbers
    assert cases.base_salary[0] == 20000010 and cases.prior_year_bonus_declared[0] == 100001
    assert cases.monthly_benefits_cost[0] == 7 and cases.employee_id[1] == "1002"
    assert str(cases.termination_date[0]) == "2024-02-29"


def test_parquet_is_read(tmp_path, agreements):
    path = tmp_path / "cases.parquet"
    pd.DataFrame([GOOD]).to_parquet(path)
    assert not load_cases(path, agreements).errors[0]


@pytest.mark.parametrize("name, content, expected", [
    ("cases.csv", b"", "not a readable CSV table"),
    ("cases.csv", "employee_id;x\n\xe9\n".encode("latin-1"), "not UTF-8 text"),
    ("cases.xlsx", b"PK\x03\x04 truncated", "not a valid .xlsx workbook"),
    ("cases.parquet", b"PAR1 nope", "not a readable Parquet file"),
    ("cases.ods", b"x", "unsupported file type"),
])
def test_unreadable_files_raise_one_clear_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CaseFileError, match=expected):
        read_case_file(path)


def test_semicolon_delimited_csv_is_understood(tmp_path, agreements):
    path = tmp_path / "cases.csv"
    pd.DataFrame([GOOD]).to_csv(path, index=False, sep=";")
    assert not load_cases(path, agreements).errors[0]
