"""The shipped workbooks: rebuilt by code equal to the committed files, and their formulas, as a
real spreadsheet engine (LibreOffice headless) computes them, equal to the engine to the cent."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.workbooks import calculator, check, functions, inputs
from addin.workbooks.agreement import holiday_years
from addin.cases import CASE_COLUMNS, from_records
from addin.rules.case import REASONS
from addin.rules.engine import INPUT_NOTES, compute
from addin.results.words import reason_text, warning_text
from addin.rules.payments import payments
from addin.results.tables import calc_frame
from addin.rules.calendar import PAY_FREQUENCIES

from tests.support import ROOT
from tests.support.recalc import recalculate_all

WORKBOOKS = ROOT / "workbooks"
SEVERANCE = shutil.which("severance", path=str(Path(sys.executable).parent)) or "severance"


def named_cells(book: openpyxl.Workbook) -> dict[str, tuple[str, str]]:
    """Workbook-scoped defined name -> (sheet, cell or range)."""
    out = {}
    for name, defined in book.defined_names.items():
        for sheet, ref in defined.destinations:
            out[name] = (sheet, ref.replace("$", ""))
    return out


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every shipped workbook, freshly built by `severance templates build`."""
    folder = tmp_path_factory.mktemp("built")
    result = subprocess.run([SEVERANCE, "templates", "build", "--out", str(folder)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder


# ---------------------------------------------------------------------------------------------
# Generated cases: random ones, and the boundary days and half-cent roundings by name.

def _money(rng: random.Random, high: int) -> str:
    return f"{rng.randrange(0, high) / 100:.2f}"


def generated_cases(n_random: int, seed: int = 5) -> list[dict]:
    boundary = [
        # July 1 of a leap year is day 183 of 366: exactly one half, prorated not floored; an
        # odd number of cents then lands on a half cent, which rounds away from zero.
        dict(termination_date="2024-07-01", prior_year_bonus_declared="100000.01",
             prior_year_bonus_paid="0"),
        dict(termination_date="2023-07-01", prior_year_bonus_declared="99999.99"),   # 182/365: floor
        dict(termination_date="2023-07-02", prior_year_bonus_declared="99999.99"),   # 183/365
        dict(termination_date="2024-01-01", prior_year_bonus_declared="0.01"),       # floor, 0.005
        dict(termination_date="2023-12-31", prior_year_bonus_declared="12345.67"),   # whole bonus
        dict(termination_date="2024-02-29", pay_frequency="monthly"),                # ends 2025-02-28
        dict(termination_date="2023-01-31", pay_frequency="monthly"),
        dict(termination_date="2023-08-31", pay_frequency="semimonthly"),
        dict(termination_date="2023-06-15", pay_frequency="semimonthly"),            # on a payday
        dict(termination_date="2025-07-03", pay_frequency="weekly"),                 # 53 paydays
        dict(termination_date="2002-01-04", pay_frequency="biweekly"),               # on the anchor
        dict(termination_date="2001-12-31", pay_frequency="biweekly"),               # before it
        # Installments that split on a half cent: total % n == n / 2.
        dict(base_salary=f"{(24 * 1000000 + 12) / 100:.2f}", pay_frequency="semimonthly"),
        dict(base_salary=f"{(12 * 2000000 + 6) / 100:.2f}", pay_frequency="monthly"),
        dict(base_salary="0.13", pay_frequency="weekly"),                            # rounds down
        dict(base_salary="999999999.99", prior_year_bonus_declared="999999999.99",
             prior_year_bonus_paid="1", monthly_benefits_cost="999999.99"),
        dict(prior_year_bonus_declared="", prior_year_bonus_paid="50000.00"),        # not declared
        dict(prior_year_bonus_declared="40000.00", prior_year_bonus_paid="60000.00"),  # paid more
        dict(pay_frequency=""),                                                      # default
        dict(termination_reason="good_reason", consented_to_change="false"),
        dict(termination_reason="good_reason", consented_to_change="true"),
        dict(termination_reason="good_reason", consented_to_change=""),
        dict(termination_reason="for_cause"),
        dict(termination_reason="resignation"),
        dict(termination_reason="without_cause", consented_to_change="true"),
        dict(termination_date="2149-12-31"),
        dict(termination_date="1950-01-01", pay_frequency="weekly"),
    ]
    base = dict(termination_date="2024-05-17", termination_reason="without_cause",
                base_salary="245000.00", prior_year_bonus_declared="110000.00",
                prior_year_bonus_paid="55000.00", monthly_benefits_cost="1620.50",
                pay_frequency="semimonthly", consented_to_change="")
    out = [{**base, **b} for b in boundary]
    rng = random.Random(seed)
    for _ in range(n_random):
        day = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        out.append(dict(
            termination_date=day.isoformat(),
            termination_reason=rng.choice(REASONS[:2] * 3 + REASONS),
            base_salary=_money(rng, 60_000_000),
            prior_year_bonus_declared=rng.choice(["", _money(rng, 30_000_000), _money(rng, 200)]),
            prior_year_bonus_paid=rng.choice(["", "0", _money(rng, 30_000_000)]),
            monthly_benefits_cost=_money(rng, 400_000),
            pay_frequency=rng.choice(PAY_FREQUENCIES + ("",)),
            consented_to_change=rng.choice(["", "true", "false"]),
        ))
    return [{"employee_id": f"E{k}", **case} for k, case in enumerate(out)]


def _cell_value(case: dict, key: str):
    """A case-table text as the value a person types into the calculator's input cell."""
    text = case[key]
    if text == "":
        return None
    if key == "termination_date":
        return dt.date.fromisoformat(text)
    if key == "consented_to_change":
        return text == "true"
    if key in ("termination_reason", "pay_frequency"):
        return text
    return float(text)


# ---------------------------------------------------------------------------------------------
# The calculator

@pytest.fixture(scope="session")
def calculator_results(built, tmp_path_factory, agreements):
    records = generated_cases(n_random=28)
    template = built / check.CALCULATOR
    names = named_cells(openpyxl.load_workbook(template))
    folder = tmp_path_factory.mktemp("calculator-cases")
    paths = []
    book = openpyxl.load_workbook(template)
    for k, case in enumerate(records):
        for key in inputs.INPUTS:
            sheet, ref = names[key]
            book[sheet][ref].value = _cell_value(case, key)
        path = folder / f"case_{k:03d}.xlsx"
        book.save(path)
        paths.append(path)
    recalculated = recalculate_all(paths, folder / "recalculated")
    cases = from_records(records, agreements)
    assert all(not e for e in cases.errors), [e for e in cases.errors if e]
    payouts = compute(cases, agreements)
    books = [openpyxl.load_workbook(p, data_only=True) for p in recalculated]
    return records, cases, payouts, books, names


def _named(book, names, name):
    sheet, ref = names[name]
    return book[sheet][ref].value


def _as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    assert isinstance(value, dt.datetime), value
    return value.date()


def _cents(value) -> int:
    assert isinstance(value, (int, float)), value
    cents = round(value * 100)
    assert abs(value * 100 - cents) < 1e-6, f"{value!r} is not a whole number of cents"
    return cents


def test_calculator_equals_the_engine_to_the_cent(calculator_results):
    records, cases, payouts, books, names = calculator_results
    frame = calc_frame(cases, payouts)
    # The calculator reads cells as typed, so it has the engine's warnings but for input notes.
    warnings = warning_text(cases, replace(payouts, warning_flags=payouts.warning_flags & ~INPUT_NOTES))
    assert any(warnings), "the generated cases raise no warning"
    reasons = reason_text(cases, payouts)
    checked = 0
    for k, book in enumerate(books):
        where = f"case {k} {records[k]}"
        assert _named(book, names, "status") == payouts.status[k], where
        assert (_named(book, names, "reason") or "") == reasons[k], where
        assert (_named(book, names, "warnings") or "") == warnings[k], where
        assert bool(_named(book, names, "eligible")) == bool(payouts.eligible[k]), where
        for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                     "cash_total", "total_value", "installment_amount", "last_installment_amount"):
            assert _cents(_named(book, names, name)) == getattr(payouts, name)[k], (name, where)
        assert _named(book, names, "installments") == payouts.installments[k], where
        proration = _named(book, names, "bonus_proration")
        assert ("" if proration in (None, "") else f"{proration:.6f}") == frame["bonus_proration"][k], where
        for name in ("lump_sum_due_date", "lump_sum_payment_date", "continuation_end_date",
                     "benefits_end_date"):
            expected = getattr(payouts, name)[k]    # NaT (blank) when no severance is due
            assert _as_date(_named(book, names, name)) == (None if np.isnat(expected) else
                                                           expected.astype(object)), (name, where)
        checked += 1
    assert checked == len(records)


def test_calculator_schedule_lists_every_payment_of_the_engine(calculator_results):
    records, cases, payouts, books, names = calculator_results
    every = payments(payouts)
    sheet_name, table = names["payment_schedule"]
    for k, book in enumerate(books):
        ws = book[sheet_name]
        rows = [[c.value for c in row] for row in ws[table]][1:]   # below the header
        listed = []
        for label, amount, due, paid in rows:
            if amount in (None, ""):
                assert due in (None, "") and paid in (None, ""), (k, label)
                continue
            component = {"(ii)": "prorated_bonus", "(iii)": "unpaid_bonus"}.get(
                str(label).split(" ")[0], "salary_continuation")
            listed.append((component, _as_date(due), _as_date(paid), _cents(amount)))
        mine = every["case"] == k
        expected = sorted(zip(every["component"][mine],
                              every["nominal_date"][mine].astype(object),
                              every["payment_date"][mine].astype(object),
                              every["amount"][mine].tolist()),
                          key=lambda p: (p[0] != "prorated_bonus", p[0] != "unpaid_bonus", p[1]))
        assert listed == expected, f"case {k} {records[k]}"


def test_calculator_covers_half_cents_and_boundary_days(calculator_results):
    """The generated cases do reach the cases that matter (guards the generator itself)."""
    records, cases, payouts, books, names = calculator_results
    eligible = payouts.eligible
    exact_half = (2 * payouts.bonus_basis * payouts.proration_num) % \
        (2 * payouts.proration_den) == payouts.proration_den
    assert (exact_half & eligible).sum() >= 3
    assert (payouts.floor_applied & eligible).any() and (~payouts.floor_applied & eligible).any()
    assert (payouts.installments == 53).any()
    assert set(payouts.status) == {"paid", "no_severance"}
    assert set(cases.pay_frequency) == set(PAY_FREQUENCIES)


# ---------------------------------------------------------------------------------------------
# The case table template

def _typed(column: str, text: str):
    """A case-table text as the value a person types into the template's cell."""
    if text == "":
        return None
    if column == "termination_date":
        return dt.date.fromisoformat(text)
    if column in ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                  "monthly_benefits_cost"):
        return float(text)
    if column == "consented_to_change":
        return text == "true"
    return text


@pytest.fixture(scope="session")
def filled_case_table(built, tmp_path_factory, sample_cases_path, agreements):
    """The template with the sample's valid cases typed in, saved by LibreOffice as a person's
    spreadsheet program would save it; and the same cases as CSV."""
    source = pd.read_csv(sample_cases_path, dtype=str, keep_default_na=False)
    rows = source[list(CASE_COLUMNS)]
    valid = from_records(rows.to_dict("records"), agreements).valid
    rows = rows[valid].reset_index(drop=True)
    folder = tmp_path_factory.mktemp("case-table")
    book = openpyxl.load_workbook(built / check.CASES_TEMPLATE)
    ws = book["Cases"]
    header = [c.value for c in ws[1]]
    assert header == list(CASE_COLUMNS)
    for k, record in enumerate(rows.to_dict("records"), start=2):
        for j, column in enumerate(CASE_COLUMNS, start=1):
            ws.cell(k, j).value = _typed(column, record[column])
    table = ws.tables["Cases"]
    table.ref = table.autoFilter.ref = f"A1:{openpyxl.utils.get_column_letter(len(CASE_COLUMNS))}{len(rows) + 1}"
    typed = folder / "cases.xlsx"
    book.save(typed)
    saved = recalculate_all([typed], folder / "saved")[0]
    csv = folder / "cases.csv"
    rows.to_csv(csv, index=False)
    return saved, csv, len(rows)


def test_case_table_from_the_template_runs_through_calc_like_its_csv(filled_case_table, tmp_path):
    saved, csv, n = filled_case_table
    for source, out in ((saved, tmp_path / "from_xlsx.csv"), (csv, tmp_path / "from_csv.csv")):
        result = subprocess.run([SEVERANCE, "calc", str(source), "-o", str(out)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    from_xlsx = pd.read_csv(tmp_path / "from_xlsx.csv", dtype=str, keep_default_na=False)
    from_csv = pd.read_csv(tmp_path / "from_csv.csv", dtype=str, keep_default_na=False)
    assert len(from_xlsx) == n and (from_xlsx["status"] != "rejected").all()
    pd.testing.assert_frame_equal(from_xlsx, from_csv)


# ---------------------------------------------------------------------------------------------
# The functions workbook: its native cells equal the engine; its function cells call the add-in

@pytest.fixture(scope="session")
def functions_results(built, tmp_path_factory, agreements):
    records = generated_cases(n_random=8, seed=11)[::2]
    table_size = len(functions.DEMO_CASES)
    folder = tmp_path_factory.mktemp("functions-cases")
    layout = functions.build_functions(folder / "layout.xlsx")
    template = built / check.FUNCTIONS
    paths, groups = [], []
    book = openpyxl.load_workbook(template)
    ws = book["Functions"]
    for k, case in enumerate(records):
        for column in functions.UDF_COLUMNS.values():
            if column != "agreement":
                ws[layout[f"input {column}"]].value = _cell_value(case, column)
        group = [records[(k + n) % len(records)] for n in range(1, table_size + 1)]
        for n, other in enumerate(group, start=1):
            first = ws[layout[f"table {n}"]]
            for j, column in enumerate(CASE_COLUMNS):
                text = other.get(column, "")
                ws.cell(first.row, first.column + j).value = (
                    text or None if column in ("employee_id", "employee_name", "agreement")
                    else _cell_value(other, column))
        path = folder / f"functions_{k:03d}.xlsx"
        book.save(path)
        paths.append(path)
        groups.append(group)
    recalculated = recalculate_all(paths, folder / "recalculated")
    books = [openpyxl.load_workbook(p, data_only=True)["Functions"] for p in recalculated]
    formulas = openpyxl.load_workbook(template)["Functions"]
    return records, groups, books, layout, formulas


def test_functions_workbook_native_cells_equal_the_engine(functions_results, agreements):
    records, groups, books, layout, _ = functions_results
    cases = from_records(records, agreements)
    payouts = compute(cases, agreements)
    every = payments(payouts)
    for k, ws in enumerate(books):
        where = f"case {k} {records[k]}"
        for key in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                    "cash_total", "total_value"):
            assert _cents(ws[layout[f"breakdown {key}"]].value) == getattr(payouts, key)[k], (key, where)
        assert _cents(ws[layout["cash_total"]].value) == payouts.cash_total[k], where
        assert ws[layout["breakdown status"]].value == payouts.status[k], where
        if payouts.eligible[k]:
            for key, date in (("salary_continuation", "continuation_end_date"),
                              ("prorated_bonus", "lump_sum_due_date"),
                              ("benefits_continuation", "benefits_end_date")):
                assert _as_date(ws[layout[f"breakdown {key} due"]].value) == \
                    getattr(payouts, date)[k].astype(object), (key, where)
        assert ws[layout["schedule payments"]].value == int((every["case"] == k).sum()), where
        assert _cents(ws[layout["schedule sum of payments"]].value) == \
            int(every["amount"][every["case"] == k].sum()), where
        group = from_records([{**c, "employee_id": f"T{n}"} for n, c in enumerate(groups[k])], agreements)
        expected = compute(group, agreements)
        for n in range(len(groups[k])):
            native = ws[layout[f"table {n + 1} native"]]
            status, cash, total = (ws.cell(native.row, native.column + j).value for j in (1, 2, 3))
            assert status == expected.status[n], (n, where)
            assert _cents(cash) == expected.cash_total[n] and _cents(total) == expected.total_value[n], (n, where)


def test_functions_workbook_function_cells_call_the_add_in(functions_results):
    """Function cells hold the add-in's calls (LibreOffice cannot run them: #NAME?), and the
    check cells beside them say so instead of failing."""
    records, groups, books, layout, formulas = functions_results
    from addin import udfs
    calls = {}
    for row in formulas.iter_rows():
        for cell in row:
            value = cell.value
            text = value.text if isinstance(value, openpyxl.worksheet.formula.ArrayFormula) else value
            if cell.data_type == "f" and text.startswith("=SEVERANCE_"):
                calls[text.split("(")[0][1:]] = cell.coordinate
    assert set(calls) == {"SEVERANCE_TOTAL", "SEVERANCE_BREAKDOWN", "SEVERANCE_SCHEDULE", "SEVERANCE_TABLE"}
    for name in calls:
        assert callable(getattr(udfs, name.lower())), name
    ws = books[0]
    for name, ref in calls.items():
        assert ws[ref].value == "#NAME?", name
    checks = [c.value for row in ws.iter_rows() for c in row if c.value in ("agrees", "DIFFERS", "add-in not loaded")]
    assert checks and set(checks) == {"add-in not loaded"}


def test_functions_workbook_points_xlwings_at_the_udf_module(built):
    book = openpyxl.load_workbook(built / check.FUNCTIONS)
    conf = book["xlwings.conf"]
    settings = {}
    for key, value in conf.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:
            break
        settings[key] = value
    assert settings == {"UDF Modules": "addin.udfs"}


def test_case_table_from_the_template_runs_through_report_with_the_report_template(
        filled_case_table, built, tmp_path):
    saved, csv, n = filled_case_table
    out = tmp_path / "report.xlsx"
    result = subprocess.run([SEVERANCE, "report", str(saved), "-o", str(out),
                             "--template", str(built / check.REPORT_TEMPLATE)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{n} input rows" in result.stderr and "0 rejected" in result.stderr, result.stderr
    assert out.exists()


# ---------------------------------------------------------------------------------------------
# The committed files are what the code builds

@pytest.mark.parametrize("name", list(check.BUILDERS))
def test_rebuilding_gives_the_committed_workbook(built, name):
    assert (WORKBOOKS / name).exists(), f"workbooks/{name} is missing: run `severance templates build`"
    assert check.differences(WORKBOOKS / name, built / name) == [], \
        f"workbooks/{name} is stale: run `severance templates build`"


def test_content_comparison_sees_a_changed_formula_a_name_and_a_validation(built, tmp_path):
    changed = tmp_path / check.CALCULATOR
    book = openpyxl.load_workbook(built / check.CALCULATOR)
    names = named_cells(book)
    sheet, ref = names["salary_continuation"]
    book[sheet][ref].value = "=1"
    del book.defined_names["cash_total"]
    book["Calculator"].data_validations.dataValidation[0].formula1 = '"a,b"'
    book.save(changed)
    found = "\n".join(check.differences(built / check.CALCULATOR, changed, limit=100))
    assert f"Calculator!{ref}" in found and "defined names" in found and "validations" in found


def test_templates_check_passes_on_a_fresh_build_and_names_a_stale_workbook(built, tmp_path):
    result = subprocess.run([SEVERANCE, "templates", "check", "--dir", str(built)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    stale = tmp_path / "stale"
    shutil.copytree(built, stale)
    book = openpyxl.load_workbook(stale / check.CASES_TEMPLATE)
    book["Cases"]["A1"].comment = None
    book.save(stale / check.CASES_TEMPLATE)
    result = subprocess.run([SEVERANCE, "templates", "check", "--dir", str(stale)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert check.CASES_TEMPLATE in result.stderr and "Cases!A1" in result.stderr
    assert check.CALCULATOR not in result.stderr.replace(str(stale), "")


# ---------------------------------------------------------------------------------------------
# What finance gets: inputs they can change, everything else locked and named

def test_calculator_inputs_are_the_only_unlocked_cells_of_a_protected_sheet(built):
    book = openpyxl.load_workbook(built / check.CALCULATOR)
    ws = book["Calculator"]
    assert ws.protection.sheet and not ws.protection.password
    names = named_cells(book)
    input_cells = {names[key][1] for key in inputs.INPUTS}
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == input_cells
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.protection.locked, cell.coordinate


def test_calculator_names_every_input_and_key_output_for_the_whole_workbook(built):
    book = openpyxl.load_workbook(built / check.CALCULATOR)
    for name in inputs.INPUTS + calculator.OUTPUTS:
        defined = book.defined_names.get(name)
        assert defined is not None and defined.localSheetId is None, name
        (sheet, ref), = defined.destinations
        assert sheet == "Calculator" and ":" not in ref, name
    for name in ("salary_continuation_months", "bonus_floor_fraction", "benefits_continuation_months",
                 "lump_sum_due_days", "biweekly_anchor", "holiday_dates"):
        (sheet, _), = book.defined_names[name].destinations
        assert sheet == "Agreement", name
    formulas = [c.value for row in book["Calculator"].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert not any("Agreement!" in f for f in formulas), "formulas read parameters by name"


def test_calculator_holidays_cover_every_accepted_termination_and_its_payments(built, agreements):
    from addin.cases import FIRST_YEAR, LAST_YEAR
    from addin.rules.calendar import holiday_dates
    from addin.rules.terms import DEFAULT_AGREEMENT_ID
    agreement = agreements[DEFAULT_AGREEMENT_ID]
    first, last = holiday_years(agreement)
    assert first < FIRST_YEAR and last > LAST_YEAR + agreement.salary_continuation_months // 12
    book = openpyxl.load_workbook(built / check.CALCULATOR)
    (sheet, ref), = book.defined_names["holiday_dates"].destinations
    days = [row[0].value.date() for row in book[sheet][ref.replace("$", "")]]
    # Every holiday the engine knows over those years (the calendar library stops at 2100).
    assert days == holiday_dates(agreement.holiday_calendar, first, last)
    assert days[0].year == first


def test_calculator_dropdowns_offer_the_case_table_codes(built):
    book = openpyxl.load_workbook(built / check.CALCULATOR)
    names = named_cells(book)
    lists = {}
    for dv in book["Calculator"].data_validations.dataValidation:
        for key in inputs.INPUTS:
            if names[key][1] in str(dv.sqref).split():
                lists[key] = dv
    assert set(lists) == set(inputs.INPUTS)
    assert all(dv.prompt for dv in lists.values())
    assert lists["termination_reason"].formula1 == '"' + ",".join(REASONS) + '"'
    assert lists["pay_frequency"].formula1 == '"' + ",".join(PAY_FREQUENCIES) + '"'
    assert lists["consented_to_change"].formula1 == '"TRUE,FALSE"'
    assert lists["termination_date"].type == "date"
    assert {lists[k].type for k in ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                                    "monthly_benefits_cost")} == {"decimal"}


def test_cases_template_explains_and_checks_every_column(built):
    book = openpyxl.load_workbook(built / check.CASES_TEMPLATE)
    ws = book["Cases"]
    assert [c.value for c in ws[1]] == list(CASE_COLUMNS)
    assert all(c.comment and c.value in c.comment.text for c in ws[1])
    (table,) = ws.tables.values()
    assert [c.name for c in table.tableColumns] == list(CASE_COLUMNS)
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        by_column[ws[f"{letter}1"].value] = dv
    assert set(by_column) == set(CASE_COLUMNS)
    assert by_column["termination_reason"].formula1 == '"' + ",".join(REASONS) + '"'
    assert by_column["pay_frequency"].formula1 == '"' + ",".join(PAY_FREQUENCIES) + '"'
    assert "savvis-2002-cto" in by_column["agreement"].formula1
    assert by_column["agreement"].errorStyle == "warning"   # agreements of a --terms file pass
    assert by_column["termination_date"].type == "date"


def test_calculator_for_another_letter_takes_its_terms_and_sizes_the_schedule(tmp_path):
    terms = tmp_path / "terms.toml"
    terms.write_text('[[agreement]]\nid = "acme-2019"\ntitle = "ACME 2019 CFO letter"\n'
                     "salary_continuation_months = 18\nbonus_floor_fraction = 0.25\n"
                     "benefits_continuation_months = 6\nlump_sum_due_days = 45\n")
    result = subprocess.run([SEVERANCE, "templates", "build", "--terms", str(terms), "--agreement",
                             "acme-2019", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [check.CALCULATOR]
    book = openpyxl.load_workbook(tmp_path / "out" / check.CALCULATOR)
    names = named_cells(book)

    def value(name):
        sheet, ref = names[name]
        return book[sheet][ref].value
    assert (value("agreement_id"), value("salary_continuation_months"), value("bonus_floor_fraction"),
            value("lump_sum_due_days")) == ("acme-2019", 18, 0.25, 45)
    sheet, table = names["payment_schedule"]
    rows = len(book[sheet][table]) - 3   # the header and the two lump sums
    assert rows >= 18 * 31 / 7           # every weekly payday of 18 months fits


def test_templates_build_refuses_an_unknown_agreement(tmp_path):
    result = subprocess.run([SEVERANCE, "templates", "build", "--agreement", "nope", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "unknown agreement 'nope'" in result.stderr
