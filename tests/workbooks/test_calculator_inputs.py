"""The calculator never shows a figure it cannot stand behind: odd and bad inputs typed into it,
recalculated by LibreOffice in one batch, each held to `severance calc` on the same typed cells
(a case table written with openpyxl): the same status (rejected rows are `incomplete` when a
required input is blank, `invalid` otherwise, naming the input), the same figures, and no
amount or date where the command rejects the row. Then the what-if block: each month's cash
total equals `severance calc` of the case ended on that day."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from addin.rules.calendar import PAY_FREQUENCIES
from addin.rules.case import REASONS
from addin.workbooks import calculator, inputs
from addin.workbooks.example import month_starts
from tests.support.recalc import recalculate_all

EXAMPLE = inputs.EXAMPLE
LABELS = inputs.INPUT_LABELS
# (what is odd, the inputs typed over the worked example's)
ODD_INPUTS = [
    ("termination date blank", dict(termination_date=None)),
    ("termination reason blank", dict(termination_reason=None)),
    ("base salary blank", dict(base_salary=None)),
    ("every required input blank", dict(termination_date=None, termination_reason=None, base_salary=None)),
    ("reason blank, salary negative", dict(termination_reason=None, base_salary=-5)),
    ("bonus declared blank", dict(prior_year_bonus_declared=None)),
    ("bonus received blank", dict(prior_year_bonus_paid=None)),
    ("benefits blank", dict(monthly_benefits_cost=None)),
    ("pay frequency blank", dict(pay_frequency=None)),
    ("salary negative", dict(base_salary=-250000)),
    ("salary zero", dict(base_salary=0)),
    ("bonus declared negative", dict(prior_year_bonus_declared=-1)),
    ("benefits negative by a cent", dict(monthly_benefits_cost=-0.01)),
    ("salary as a word", dict(base_salary="abc")),
    ("salary as text with a comma", dict(base_salary="250,000.00")),
    ("bonus received as text with $", dict(prior_year_bonus_paid="$60,000")),
    # (A TRUE typed into a money cell is not here: LibreOffice has no true/false type, and reads
    # it in a number-formatted cell as the number 1; Excel's ISLOGICAL catches it.)
    ("bonus declared as the word TRUE", dict(prior_year_bonus_declared="TRUE")),
    ("salary beyond the largest amount", dict(base_salary=2e9)),
    ("salary with a space inside", dict(base_salary="250 000")),
    ("salary with half a cent", dict(base_salary=200000.005)),
    ("benefits with half a cent, as text", dict(monthly_benefits_cost="1450.125")),
    ("bonus received a third of a cent", dict(prior_year_bonus_paid=60000.333)),
    ("date as words", dict(termination_date="July 1st")),
    ("date with a month name", dict(termination_date="July 1, 2002")),
    ("date day first with a month name", dict(termination_date="28 Jun 2002")),
    ("date with an ordinal day", dict(termination_date="Sept 3rd 2002")),
    ("date with a month name and a two-digit year", dict(termination_date="Jul 1 02")),
    ("date with a month name, no day", dict(termination_date="June 2002")),
    ("date with a month name and a weekday", dict(termination_date="Friday, June 28, 2002")),
    ("date with a month name, day 31 of June", dict(termination_date="June 31 2002")),
    ("date as ISO text", dict(termination_date="2002-07-01")),
    ("date with a time of day", dict(termination_date=dt.datetime(2002, 6, 28, 14, 30))),
    ("date as text with a time", dict(termination_date="2002-06-28 14:30")),
    ("date as text with T and a time", dict(termination_date="2002-06-28T09:00")),
    ("date as text with a time and a zone", dict(termination_date="2002-06-28T09:00:00+02:00")),
    ("date as text with a time, Z", dict(termination_date="2002-06-28 23:59Z")),
    ("date as text with an afternoon time", dict(termination_date="2002-06-28 2:30 PM")),
    ("date as text with a time that is none", dict(termination_date="2002-06-28 noonish")),
    ("date in 1900", dict(termination_date=dt.date(1900, 1, 15))),
    ("date in 2200", dict(termination_date=dt.date(2200, 1, 1))),
    ("date the day before the first year", dict(termination_date=dt.date(1949, 12, 31))),
    ("date the last accepted day", dict(termination_date=dt.date(2149, 12, 31))),
    ("date month-first or day-first", dict(termination_date="07/01/2002")),
    ("date only day-first", dict(termination_date="13/01/2002")),
    ("date year/month/day", dict(termination_date="2002/7/1")),
    ("date not in the calendar", dict(termination_date="2002-02-30")),
    ("date as a serial in text", dict(termination_date="37435")),
    ("date as TRUE", dict(termination_date=True)),
    ("date as text in year 100", dict(termination_date="0100-06-28")),
    ("reason spelled Without Cause", dict(termination_reason="Without Cause")),
    ("reason spelled GOOD-REASON", dict(termination_reason="GOOD-REASON")),
    ("reason spelled For Cause", dict(termination_reason="For Cause")),
    ("reason with a full stop", dict(termination_reason="Resignation.")),
    ("reason unknown", dict(termination_reason="fired")),
    ("reason a number", dict(termination_reason=5)),
    ("frequency spelled Semi-Monthly", dict(pay_frequency="Semi-Monthly")),
    ("frequency spelled Bi Weekly", dict(pay_frequency="Bi Weekly")),
    ("frequency unknown", dict(pay_frequency="fortnightly")),
    ("consent as yes, Good Reason", dict(termination_reason="good_reason", consented_to_change="yes")),
    ("consent as no, Good Reason", dict(termination_reason="good_reason", consented_to_change="no")),
    ("consent as TRUE text", dict(termination_reason="good_reason", consented_to_change="TRUE")),
    ("consent as 1", dict(termination_reason="good_reason", consented_to_change=1)),
    ("consent as maybe", dict(consented_to_change="maybe")),
    ("consent blank, Good Reason", dict(termination_reason="good_reason", consented_to_change=None)),
    ("received more than declared", dict(prior_year_bonus_paid=150000)),
    ("received more than declared, as text", dict(prior_year_bonus_declared="40000", prior_year_bonus_paid=60000)),
    ("early termination, no bonus declared", dict(termination_date=dt.date(2003, 2, 14),
                                                   prior_year_bonus_declared=None)),
]


def spellings(seed: int = 7) -> list[tuple[str, dict]]:
    """Each reason and pay frequency spelled as an HR system might: letter case at random, its
    underscore a space, hyphen, slash, full stop or nothing, spaces around it (the characters the
    calculator drops are formulas.SPELLING_DROPPED; the reader drops any punctuation)."""
    rng = random.Random(seed)
    out = []
    for column, codes in (("termination_reason", REASONS), ("pay_frequency", PAY_FREQUENCIES)):
        for code in codes:
            word = "".join(c.upper() if rng.random() < 0.5 else c for c in code)
            word = word.replace("_", rng.choice([" ", "-", "/", ".", "", " - "]))
            cut = {"semimonthly": 4, "biweekly": 2}.get(code)   # Semi-Monthly, Bi Weekly
            if cut:
                word = word[:cut] + rng.choice(["-", " ", "_"]) + word[cut:]
            out.append((f"{column} spelled {word!r}", {column: f" {word} " if rng.random() < 0.5 else word}))
    return out


ODD_INPUTS += spellings()
MONEY = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation", "cash_total",
         "total_value", "installment_amount", "last_installment_amount")
DATES = ("lump_sum_due_date", "continuation_end_date", "benefits_end_date")
SHOWN_ONLY_WHEN_READ = MONEY + DATES + ("installments", "bonus_proration", "lump_sum_payment_date",
                                        "pay_frequency_applied", "warnings")
CASES = [{**EXAMPLE, **typed} for _, typed in ODD_INPUTS]
WHATIF_CASES = [EXAMPLE, {**EXAMPLE, "termination_date": dt.date(2024, 3, 9), "pay_frequency": "weekly",
                          "termination_reason": "Good Reason"}]


def named(book: openpyxl.Workbook) -> dict[str, tuple[str, str]]:
    out = {}
    for name, defined in book.defined_names.items():
        for sheet, ref in defined.destinations:
            out[name] = (sheet, ref.replace("$", ""))
    return out


def case_table(path, rows: list[dict]) -> None:
    """A case table of the typed values, one row per case, as a person would type it."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["employee_id", *inputs.INPUTS])
    for k, row in enumerate(rows):
        ws.append([f"E{k:03d}", *(row[key] for key in inputs.INPUTS)])
    book.save(path)


def own_table(case: dict) -> bool:
    """A slash date's order is read from its whole column: such a case gets a table of its own,
    as the calculator's one cell is read alone."""
    return isinstance(case["termination_date"], str) and "/" in case["termination_date"]


def calc_each(folder, cases: list[dict], name: str) -> pd.DataFrame:
    """`severance calc` of each case, the ones with a slash date each in a table of its own."""
    groups = [[k for k, c in enumerate(cases) if not own_table(c)]]
    groups += [[k] for k, c in enumerate(cases) if own_table(c)]
    parts = []
    for g, group in enumerate(groups):
        case_table(folder / f"{name}_{g}.xlsx", [cases[k] for k in group])
        frame = severance_calc(folder / f"{name}_{g}.xlsx", folder / f"{name}_{g}.csv")
        parts.append(frame.set_axis(group))
    return pd.concat(parts).sort_index()


def severance_calc(path, out) -> pd.DataFrame:
    result = subprocess.run([sys.executable, "-m", "addin.cli", "calc", str(path), "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return pd.read_csv(out, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def typed_in(tmp_path_factory):
    """Every odd case typed into the calculator, and the what-if cases; all recalculated in one
    LibreOffice run; and `severance calc` on the same typed cells."""
    folder = tmp_path_factory.mktemp("odd-inputs")
    template = folder / "calculator.xlsx"
    calculator.build_calculator(template)
    names = named(openpyxl.load_workbook(template))
    paths = []
    for k, case in enumerate(CASES + WHATIF_CASES):
        book = openpyxl.load_workbook(template)   # loading drops the cached values: LibreOffice computes
        for key in inputs.INPUTS:
            sheet, ref = names[key]
            book[sheet][ref].value = case[key]
        paths.append(folder / f"case_{k:03d}.xlsx")
        book.save(paths[-1])
    books = [openpyxl.load_workbook(p, data_only=True) for p in recalculate_all(paths, folder / "recalculated")]
    calc = calc_each(folder, CASES, "cases")
    months = [{**case, "termination_date": day} for case in WHATIF_CASES
              for day in month_starts(_day(case["termination_date"]).year)]
    case_table(folder / "months.xlsx", months)
    whatif = severance_calc(folder / "months.xlsx", folder / "months.csv")
    return books, names, calc, whatif


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def value(book, names, name):
    sheet, ref = names[name]
    return book[sheet][ref].value


def _cents(v) -> int:
    assert isinstance(v, (int, float)) and not isinstance(v, bool), v
    return round(v * 100)


def _text_cents(text: str) -> int:
    return round(float(text) * 100)


def _date_text(v) -> str:
    return "" if v in (None, "") else v.date().isoformat()


def test_there_are_at_least_30_odd_inputs_of_every_kind():
    assert len(ODD_INPUTS) >= 30
    kinds = {key for _, typed in ODD_INPUTS for key in typed}
    assert kinds == set(inputs.INPUTS)


@pytest.mark.parametrize("k", range(len(ODD_INPUTS)), ids=[what for what, _ in ODD_INPUTS])
def test_calculator_takes_each_odd_input_as_severance_calc_does(typed_in, k):
    books, names, calc, _ = typed_in
    book, row = books[k], calc.iloc[k]
    status, said = value(book, names, "status"), value(book, names, "reason")
    sentence = book["Calculator"].cell(*_sentence_cell(book, names)).value
    if row["status"] == "rejected":
        problems = row["reason"] or row["warnings"]
        blank = [key for key in ("termination_date", "termination_reason", "base_salary")
                 if f"{key}: required, but blank" in problems]
        assert status == ("incomplete" if blank else "invalid"), (status, problems)
        for key in inputs.INPUTS:
            if f", {key}:" in problems or problems.startswith(f"{key}:") or f"{key}: " in problems:
                assert LABELS[key] in sentence, (key, sentence, problems)
        for name in SHOWN_ONLY_WHEN_READ:
            assert value(book, names, name) in (None, ""), (name, value(book, names, name), problems)
        return
    assert status == row["status"], (status, row.to_dict(), sentence)
    assert (said or "") == row["reason"]
    for name in MONEY:
        assert _cents(value(book, names, name)) == _text_cents(row[name]), name
    assert value(book, names, "installments") == int(row["installments"])
    for name in DATES:
        assert _date_text(value(book, names, name)) == row[name], name


def _sentence_cell(book, names) -> tuple[int, int]:
    sheet, ref = names["status"]
    cell = book[sheet][ref]
    return cell.row, cell.column + 1


def test_no_amount_stands_beside_a_rejected_row(typed_in):
    books, names, calc, _ = typed_in
    rejected = [k for k in range(len(ODD_INPUTS)) if calc["status"][k] == "rejected"]
    accepted = [k for k in range(len(ODD_INPUTS)) if calc["status"][k] != "rejected"]
    assert len(rejected) >= 15 and len(accepted) >= 15   # both sides are really exercised
    for k in rejected:
        ws = books[k][calculator.SCHEDULE_SHEET]
        sheet, ref = names["payment_schedule"]
        amounts = [r[1].value for r in ws[ref]][1:]
        assert all(a in (None, "") for a in amounts), ODD_INPUTS[k][0]
        cash = [c.value for row in books[k]["What-if"][_range(books[k], names, "whatif_cash_totals")] for c in row]
        assert all(c in (None, "") for c in cash), ODD_INPUTS[k][0]


def test_whatif_month_equals_severance_calc_of_the_case_ended_that_day(typed_in):
    books, names, _, whatif = typed_in
    for n, case in enumerate(WHATIF_CASES):
        book = books[len(CASES) + n]
        days = [c.value for row in book["What-if"][_range(book, names, "whatif_termination_dates")] for c in row]
        cash = [c.value for row in book["What-if"][_range(book, names, "whatif_cash_totals")] for c in row]
        expected = whatif.iloc[12 * n: 12 * (n + 1)]
        assert [d.date() for d in days] == month_starts(_day(case["termination_date"]).year)
        assert [_cents(c) for c in cash] == [_text_cents(t) for t in expected["cash_total"]], case
        assert len(set(cash)) > 1, "the what-if moves with the termination date"


def _range(book, names, name) -> str:
    return names[name][1]


def test_code_dropdowns_warn_rather_than_refuse_the_spellings_they_read(tmp_path):
    """Typing "Without Cause" into the reason's dropdown cell is allowed (with a warning): the
    calculator reads it, as `severance calc` does."""
    path = tmp_path / "calculator.xlsx"
    calculator.build_calculator(path)
    book = openpyxl.load_workbook(path)
    names = named(book)
    styles = {}
    for dv in book[calculator.SHEET].data_validations.dataValidation:
        for key in ("termination_reason", "pay_frequency", "consented_to_change"):
            if names[key][1] in str(dv.sqref).split():
                styles[key] = dv.errorStyle
    assert styles == dict.fromkeys(("termination_reason", "pay_frequency", "consented_to_change"), "warning")
