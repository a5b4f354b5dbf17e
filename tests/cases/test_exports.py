"""Real HR exports in, nothing lost: each export of tests/cases/exports.py, read with its map
(or none), gives exactly the cases of the clean CSV with the same figures; its totals row is
rejected as what it is; every row number is the row of that cell in the file."""

from __future__ import annotations

import numpy as np
import pytest

from addin.cases import How, load_cases
from addin.rules.engine import compute
from tests.cases import exports

FIELDS = ("employee_id", "employee_name", "termination_date", "termination_reason", "base_salary",
          "prior_year_bonus_declared", "bonus_declared", "prior_year_bonus_paid",
          "monthly_benefits_cost", "pay_frequency", "consented_to_change", "agreement")
PAYOUTS = ("status", "salary_continuation", "prorated_bonus", "unpaid_bonus",
           "benefits_continuation", "cash_total", "lump_sum_due_date", "installments")
BUILDERS = {"us_csv": exports.us_csv, "european_csv": exports.european_csv,
            "month_names_csv": exports.month_names_csv, "openpyxl_xlsx": exports.openpyxl_xlsx,
            "libreoffice_xlsx": exports.libreoffice_xlsx}


def same(got, want) -> bool:
    """Equal element by element (NaT equal to NaT)."""
    return list(map(str, got)) == list(map(str, want))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The folder of exports, built once (LibreOffice converts one of them)."""
    path = tmp_path_factory.mktemp("exports")
    built = {name: build(path) for name, build in BUILDERS.items()}
    return path, exports.clean_csv(path), built


@pytest.fixture(scope="module")
def clean(folder, agreements):
    cases = load_cases(folder[1], agreements)
    assert cases.valid.all() and len(cases) == len(exports.CASES)
    return cases, compute(cases, agreements)


def test_the_libreoffice_and_openpyxl_files_hold_date_cells(folder):
    import datetime as dt
    import openpyxl
    for name in ("libreoffice_xlsx", "openpyxl_xlsx"):
        book = openpyxl.load_workbook(folder[2][name].path, read_only=True)
        sheet = book.worksheets[-1]
        cells = [r[2] for r in sheet.iter_rows(values_only=True) if isinstance(r[2], dt.datetime)]
        assert len(cells) == len(exports.CASES), name
        assert any(c.time() != dt.time(0) for c in cells), name  # some carry a time of day
        book.close()


@pytest.mark.parametrize("name", BUILDERS)
def test_each_export_reads_to_the_clean_cases(folder, clean, agreements, name):
    export = folder[2][name]
    cases = load_cases(export.path, agreements, case_map=export.map)
    want, want_pay = clean
    ids = list(cases.employee_id[cases.valid])
    assert ids == list(want.employee_id), cases.errors
    payouts = compute(cases, agreements)
    for field in FIELDS:
        assert same(getattr(cases, field)[cases.valid], getattr(want, field)), field
    for field in PAYOUTS:
        assert same(getattr(payouts, field)[cases.valid], getattr(want_pay, field)), field
    rejected = [e for e in cases.errors if e]
    has_totals = name not in ("european_csv", "month_names_csv")
    assert len(rejected) == has_totals
    if has_totals:
        assert "a totals row, not a case (labelled 'total'" in rejected[0][0]


@pytest.mark.parametrize("name", BUILDERS)
def test_row_numbers_are_the_rows_of_the_file(folder, agreements, name):
    export = folder[2][name]
    cases = load_cases(export.path, agreements, case_map=export.map)
    where = exports.cell_rows(export.path)
    assert {i: int(r) for i, r in zip(cases.employee_id, cases.source_row) if i} == where
    for errors, row in zip(cases.errors, cases.source_row):
        assert all(e.startswith(f"row {row}, ") for e in errors)
    if cases.errors[-1]:  # the totals row: the line after the last case
        assert int(cases.source_row[-1]) == max(where.values()) + 1


def test_the_reading_names_the_sheet_the_header_row_and_every_mapping(folder, agreements):
    export = folder[2]["openpyxl_xlsx"]
    cases = load_cases(export.path, agreements, case_map=export.map)
    reading = cases.reading
    assert reading.sheet == "Cases" and reading.header_row == 4 and reading.rows_skipped == 3
    assert "sheet 'Cases'" in reading.notes[0] and "3 rows above it skipped" in reading.notes[0]
    applied = {(a.read_as, a.became): (a.rows, a.how) for a in reading.applied}
    assert applied[("Term Date", "termination_date")] == (5, How.MAP)
    assert applied[("Involuntary", "without_cause")] == (1, How.MAP)
    assert applied[("RIF", "without_cause")] == (1, How.MAP)
    assert applied[("Good Reason", "good_reason")] == (1, How.SPELLING)
    assert applied[("Semi-Monthly", "semimonthly")] == (2, How.SPELLING)
    assert applied[("Status", "input_status")][1] is How.RENAMED
    assert "input_status" in cases.raw.columns and "status" not in cases.raw.columns
    assert list(cases.raw["input_status"][:4]) == ["Terminated"] * 4
    assert any("carried as input_status" in n for n in reading.notes)


def test_a_time_of_day_is_read_as_the_date_with_a_warning(folder, agreements):
    export = folder[2]["openpyxl_xlsx"]
    cases = load_cases(export.path, agreements, case_map=export.map)
    k = list(cases.employee_id).index("E1")
    assert str(cases.termination_date[k]) == "2024-12-31"
    assert cases.notes[k] == ("Term Date (termination_date) '2024-12-31 17:30:00' has a time of "
                              "day (17:30); read as the date 2024-12-31",)


def test_without_its_map_the_hr_export_stops_naming_every_missing_column(folder, agreements):
    from addin.cases import CaseFileError
    export = folder[2]["us_csv"]
    with pytest.raises(CaseFileError) as error:
        load_cases(export.path, agreements)
    message = str(error.value)
    assert str(export.path) in message
    for column, header in (("employee_id", "Worker ID"), ("termination_date", "Term Date"),
                           ("base_salary", "Annual Base")):
        assert f"'{header}' may be {column}: map it under [columns]" in message


def test_without_the_map_a_meaning_word_is_rejected_naming_the_map_entry(folder, agreements, tmp_path):
    export = folder[2]["us_csv"]
    columns_only = tmp_path / "columns.toml"
    columns_only.write_text(exports.HR_MAP.split("[values.")[0])
    cases = load_cases(export.path, agreements, case_map=columns_only)
    k = list(cases.employee_id).index("E3")
    assert not cases.valid[k]
    assert ("Term Reason (termination_reason): 'RIF' must be one of without_cause, good_reason, "
            "for_cause, resignation; if it means one of them, say which in a --map file: "
            "[values.termination_reason] \"RIF\" = \"<termination_reason code>\"") in cases.errors[k][0]
    assert cases.valid[list(cases.employee_id).index("E2")]  # 'Good Reason' is a spelling


def test_the_sheet_may_be_named(folder, agreements):
    export = folder[2]["openpyxl_xlsx"]
    from addin.cases import CaseFileError
    with pytest.raises(CaseFileError, match="sheet 'Instructions': required columns"):
        load_cases(export.path, agreements, case_map=export.map, sheet="Instructions")
    with pytest.raises(CaseFileError, match="no sheet 'Nope'; its sheets are 'Instructions', 'Cases'"):
        load_cases(export.path, agreements, case_map=export.map, sheet="Nope")
    assert np.array_equal(load_cases(export.path, agreements, case_map=export.map, sheet="cases").source_row,
                          load_cases(export.path, agreements, case_map=export.map).source_row)
