"""The Excel functions (addin.udfs), proven through xlwings' own machinery.

Office.js (xlwings Lite and xlwings Server): a worker process loads the module with
XLWINGS_ON_SERVER=true and answers through xlwings.server.custom_functions_meta and
custom_functions_call, fed the payload Excel sends (2-D lists, date serials, empty optionals).
Desktop path: a worker without that variable, and this process, call the functions as Python.
Every figure is held equal to the engine's (addin.cases -> addin.engine -> addin.tables, fed the
same case as text, like a case file) and, for the boundary cases, to tests/support/oracle.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin import udfs
from addin.cases import CASE_COLUMNS, from_records, load_cases
from addin.cases.columns import PAYROLL_COLUMNS
from addin.rules.case import REASONS
from addin.rules.engine import compute
from addin.results.tables import CALC_COLUMNS, DATE_RESULTS, MONEY_RESULTS, calc_frame, line_items, schedule_frame
from addin.rules.calendar import PAY_FREQUENCIES
from addin.rules.terms import DEFAULT_AGREEMENT_ID, load_agreements
from tests.support.oracle import severance as reference_severance
from tests.support.udf_worker import EPOCH, Worker, WorkerError, payload, serial

AGREEMENTS = load_agreements()
FLOOR = float(AGREEMENTS[DEFAULT_AGREEMENT_ID].bonus_floor_fraction)
SAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "sample_cases.csv"
CASE_ARGS = ["termination_date", "reason", "base_salary", "bonus_declared", "bonus_paid",
             "[monthly_benefits]", "[consented]", "[agreement]"]
FUNCTIONS = {  # Excel name -> its parameters as the issue writes them ([optional] in brackets)
    "SEVERANCE_TOTAL": CASE_ARGS,
    "SEVERANCE_NET": CASE_ARGS + ["[pay_frequency]", "[ytd_wages]", "[ytd_supplemental_wages]",
                                  "[state_withholding_rate]"],
    "SEVERANCE_BREAKDOWN": CASE_ARGS + ["[withholding]", "[ytd_wages]", "[ytd_supplemental_wages]",
                                        "[state_withholding_rate]"],
    "SEVERANCE_SCHEDULE": CASE_ARGS + ["[pay_frequency]"],
    "SEVERANCE_TABLE": ["cases"],
    "SALARY_CONTINUATION": ["base_salary", "[agreement]"],
    "PRORATED_BONUS": ["termination_date", "bonus_declared", "bonus_paid", "[agreement]"],
    "UNPAID_BONUS": ["bonus_declared", "bonus_paid"],
    "BENEFITS_CONTINUATION": ["monthly_benefits", "[agreement]"],
    "BONUS_PRORATION": ["termination_date", "[agreement]"],
    "SEVERANCE_ELIGIBLE": ["reason", "[consented]"],
}


# --- cases, as finance would type them and as the engine reads them -----------------------------

@dataclass(frozen=True)
class Case:
    termination_date: dt.date
    reason: str
    base_salary: Decimal
    declared: Decimal | None
    paid: Decimal | None
    benefits: Decimal | None = None
    consented: bool | None = None
    frequency: str | None = None

    def record(self, k: int = 1) -> dict:
        """The case as text cells, as a case file holds it: the engine's own reading."""
        text = lambda v: "" if v is None else str(v)  # noqa: E731
        return {"employee_id": f"E{k}", "termination_date": self.termination_date.isoformat(),
                "termination_reason": self.reason, "base_salary": str(self.base_salary),
                "prior_year_bonus_declared": text(self.declared),
                "prior_year_bonus_paid": text(self.paid),
                "monthly_benefits_cost": text(self.benefits),
                "consented_to_change": {None: "", True: "true", False: "false"}[self.consented],
                "pay_frequency": text(self.frequency)}

    def excel_args(self, with_frequency: bool = False) -> list:
        """The arguments of SEVERANCE_TOTAL & co. as Office.js sends them: a matrix parameter
        as a 2-D list (a date as its serial, an amount as a double, an empty cell as ""), a
        dropdown parameter as its text, an omitted optional as null."""
        amount = lambda v: [[""]] if v is None else [[float(v)]]  # noqa: E731
        args = [[[serial(self.termination_date)]], self.reason, [[float(self.base_salary)]],
                amount(self.declared), amount(self.paid),
                None if self.benefits is None else [[float(self.benefits)]],
                None if self.consented is None else [[self.consented]], None]
        return args + [self.frequency] if with_frequency else args

    def reference(self) -> dict:
        return reference_severance(self.termination_date, self.reason, self.base_salary,
                                   self.declared, self.paid or Decimal(0),
                                   self.benefits or Decimal(0), self.frequency or "semimonthly",
                                   bool(self.consented))


def engine(cases: list[Case]):
    table = from_records([c.record(k) for k, c in enumerate(cases, start=1)], AGREEMENTS)
    payouts = compute(table, AGREEMENTS)
    return table, payouts, calc_frame(table, payouts)


def money(text: str) -> float:
    """The Excel number a two-place engine figure should arrive as."""
    return float(Decimal(text))


def as_date(cell) -> dt.date:
    """A date cell of a result: a serial, or a FormattedNumber under CustomFunctionsRuntime 1.4."""
    value = cell["basicValue"] if isinstance(cell, dict) else cell
    assert value == int(value)
    return EPOCH + dt.timedelta(days=int(value))


D = Decimal
BOUNDARY = {  # the letter's boundary days and exact half-cent roundings
    "jan-1-leap-year-floor": Case(dt.date(2024, 1, 1), "without_cause", D("310000"), D("150000"), D("150000"), D("1875.25")),
    "day-182-of-365-floor": Case(dt.date(2025, 7, 1), "without_cause", D("230000"), D("96000"), D("96000"), D("1390.40"), frequency="monthly"),
    "day-183-of-365-prorated": Case(dt.date(2025, 7, 2), "without_cause", D("230000"), D("96000"), D("96000"), D("1390.40"), frequency="weekly"),
    "day-183-of-366-exactly-half-cent": Case(dt.date(2024, 7, 1), "without_cause", D("200000"), D("1000.01"), D("0"), D("0")),
    "day-305-of-366-half-cent-up": Case(dt.date(2024, 10, 31), "good_reason", D("200000"), D("100000.05"), None, D("1200"), consented=False),
    "floor-half-cent": Case(dt.date(2025, 3, 1), "without_cause", D("200000"), D("2000.01"), D("0")),
    "feb-29": Case(dt.date(2024, 2, 29), "without_cause", D("245000"), D("110000"), D("55000"), D("1620.50")),
    "dec-31-leap-full-year": Case(dt.date(2024, 12, 31), "good_reason", D("275000"), D("120000"), D("120000"), D("1710")),
    "dec-31-full-year": Case(dt.date(2025, 12, 31), "without_cause", D("285000"), D("130000"), D("130000"), D("1760"), frequency="monthly"),
    "installment-half-cent": Case(dt.date(2024, 6, 30), "without_cause", D("100000.20"), None, None, frequency="semimonthly"),
    "declared-not-paid": Case(dt.date(2024, 6, 14), "good_reason", D("320000"), D("160000"), D("100000"), D("1950")),
    "received-more-than-declared": Case(dt.date(2024, 9, 2), "without_cause", D("300000"), D("150000"), D("160000"), D("1820"), frequency="weekly"),
    "for-cause": Case(dt.date(2023, 3, 15), "for_cause", D("260000"), D("80000"), D("80000"), D("1500")),
    "resignation": Case(dt.date(2023, 9, 30), "resignation", D("215000"), D("70000"), D("70000")),
    "good-reason-consented": Case(dt.date(2024, 5, 20), "good_reason", D("290000"), D("140000"), D("140000"), consented=True),
}


def sample_rows() -> list[dict]:
    with open(SAMPLE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def excel_cell(column: str, text: str):
    """A case-file cell as Excel holds it: dates as serials, amounts as numbers, TRUE/FALSE."""
    if text == "":
        return ""
    if column == "termination_date":
        try:
            return serial(dt.date.fromisoformat(text))
        except ValueError:
            return text  # not a date to Excel either: it stays text
    if column in ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                  "monthly_benefits_cost"):
        try:
            return float(text)
        except ValueError:
            return text
    if column == "consented_to_change" and text in ("true", "false"):
        return text == "true"
    return text


def sample_table() -> list[list]:
    rows = sample_rows()
    header = list(rows[0])
    return [header] + [[excel_cell(c, r[c]) for c in header] for r in rows]


@pytest.fixture(scope="module")
def officejs():
    worker = Worker("officejs")
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def call(officejs):
    def run(function, *args, runtime="1.4"):
        return officejs_call(officejs, function, *args, runtime=runtime)
    return run


def officejs_call(worker, function, *args, runtime="1.4"):
    return worker("call", payload(function, *args, runtime=runtime))


def scalar(result):
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    return result[0][0]


# --- registration ---------------------------------------------------------------------------------

def test_officejs_worker_runs_the_officejs_runtime(officejs):
    assert officejs("runtime") == "officejs"


def test_meta_lists_every_function_with_its_description_and_parameters(officejs):
    meta = officejs("meta")
    functions = {f["name"]: f for f in meta["functions"]}
    assert set(functions) == set(FUNCTIONS)
    for name, parameters in FUNCTIONS.items():
        f = functions[name]
        assert f["id"] == name
        # The description is the docstring; each argument's is the argument table's.
        assert f["description"] == getattr(udfs, name.lower()).__doc__
        assert [f"[{p['name']}]" if p.get("optional") else p["name"] for p in f["parameters"]] == parameters
        for p in f["parameters"]:
            assert p["description"] == udfs.ARGUMENT[p["name"]].doc, (name, p)


@pytest.mark.parametrize("parameter, allowed", [
    ("reason", list(REASONS)), ("pay_frequency", list(PAY_FREQUENCIES)),
    ("agreement", sorted(AGREEMENTS))])
def test_meta_offers_the_allowed_values_as_a_dropdown(officejs, parameter, allowed):
    meta = officejs("meta")
    enums = {e["id"]: [v["stringValue"] for v in e["values"]] for e in meta["enums"]}
    using = [p for f in meta["functions"] for p in f["parameters"] if p["name"] == parameter]
    assert using
    for p in using:
        assert p["type"] == "string" and p["dimensionality"] == "scalar"
        assert enums[p["customEnumId"]] == allowed


def test_a_star_import_registers_every_function_as_lite_and_server_load_it(officejs):
    """xlwings Lite's main.py and xlwings Server's custom-functions module: `from addin.udfs import *`."""
    meta = officejs("meta", "main")
    assert {f["name"] for f in meta["functions"]} == set(FUNCTIONS)
    assert meta == officejs("meta")
    args = BOUNDARY["feb-29"].excel_args()
    assert officejs("call", payload("SEVERANCE_TOTAL", *args), "main") == officejs(
        "call", payload("SEVERANCE_TOTAL", *args))


# --- the descriptions: from the default agreement's terms and the argument table --------------------

# A terms file as a deployment may give SEVERANCE_TERMS: the default agreement redefined with
# figures unlike the letter's, each as long as a figure can be written (months up to 120, a
# floor of six decimals), and an agreement whose bonus floor is a quarter.
CUSTOM_TERMS = """
[[agreement]]
id = "savvis-2002-cto"
title = "A letter renegotiated for these tests, with a title far longer than any description could hold in the two hundred and fifty-five characters the desktop add-in keeps"
salary_continuation_months = 118
bonus_floor_fraction = 0.987654
benefits_continuation_months = 119
lump_sum_due_days = 45
default_pay_frequency = "biweekly"

[[agreement]]
id = "quarter-floor"
salary_continuation_months = 12
bonus_floor_fraction = 0.25
benefits_continuation_months = 12
lump_sum_due_days = 30
"""


@pytest.fixture(scope="module")
def custom_terms(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("terms") / "terms.toml"
    path.write_text(CUSTOM_TERMS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def custom(custom_terms):
    """The Office.js runtime with CUSTOM_TERMS loaded through SEVERANCE_TERMS."""
    worker = Worker("officejs", terms=custom_terms)
    yield worker
    worker.close()


def descriptions(worker) -> dict[str, str]:
    """Every description Excel shows: each function's, and each of its arguments' ("F.arg")."""
    out = {}
    for f in worker("meta")["functions"]:
        out[f["name"]] = f["description"]
        out.update({f"{f['name']}.{p['name']}": p["description"] for p in f["parameters"]})
    return out


def test_descriptions_state_the_default_agreements_terms_as_loaded(officejs, custom, custom_terms):
    for worker, agreements in ((officejs, AGREEMENTS), (custom, load_agreements(custom_terms))):
        terms = agreements[DEFAULT_AGREEMENT_ID]
        shown = descriptions(worker)
        floor = terms.bonus_floor_fraction
        assert f"{terms.salary_continuation_months} under {DEFAULT_AGREEMENT_ID}" in shown["SALARY_CONTINUATION"]
        assert f"{terms.benefits_continuation_months} under {DEFAULT_AGREEMENT_ID}" in shown["BENEFITS_CONTINUATION"]
        assert f"{(floor * 100).normalize():f}% of it" in shown["PRORATED_BONUS"]
        assert f"{floor.normalize():f} under {DEFAULT_AGREEMENT_ID}" in shown["BONUS_PRORATION"]
        assert f"{terms.default_pay_frequency} under {DEFAULT_AGREEMENT_ID}" in shown["SEVERANCE_SCHEDULE.pay_frequency"]
        assert f"empty = {DEFAULT_AGREEMENT_ID}" in shown["SEVERANCE_TOTAL.agreement"]
    # Under the redefined agreement nothing says the letter's own figures.
    for text in descriptions(custom).values():
        assert not any(word in text.lower() for word in ("12", "half", "50%", "0.5 ", "savvis letter")), text


def test_every_description_fits_the_255_characters_the_desktop_add_in_keeps(officejs, custom):
    for worker in (officejs, custom):  # custom: the longest figures and title a terms file can hold
        for where, text in descriptions(worker).items():
            assert 10 < len(text) <= 255 and "\n" not in text, (where, len(text))
            assert not text.startswith("Positional argument"), where


def test_every_parameter_is_one_of_the_argument_table_in_its_order():
    order = [a.name for a in udfs.ARGUMENTS]
    for name in udfs.__all__:
        parameters = inspect.signature(getattr(udfs, name)).parameters
        assert [order.index(p) for p in parameters] == sorted(order.index(p) for p in parameters), name
        for p in parameters.values():
            assert p.annotation == udfs.ARGUMENT[p.name].excel_type, (name, p)
            assert p.default is p.empty or udfs.ARGUMENT[p.name].empty is not None, (name, p)
    # SEVERANCE_SCHEDULE takes every argument that fills a case-table column, in the table's
    # order; SEVERANCE_NET those and every payroll column's.
    assert list(inspect.signature(udfs.severance_schedule).parameters) == list(udfs.COLUMN_OF)
    assert list(inspect.signature(udfs.severance_net).parameters) == [
        *udfs.COLUMN_OF, *udfs.PAYROLL_COLUMN_OF]
    assert set(udfs.COLUMN_OF.values()) <= set(CASE_COLUMNS)
    assert set(udfs.PAYROLL_COLUMN_OF.values()) == {"ytd_wages", "ytd_supplemental_wages",
                                                    "state_withholding_rate"} < set(PAYROLL_COLUMNS)
    assert udfs.ARGUMENT_OF == {a.column: a.name for a in udfs.ARGUMENTS if a.column}


def test_a_function_declaring_an_argument_otherwise_than_the_table_is_refused():
    def prorated_bonus(termination_date, bonus_declared, bonus_paid, agreement=None):
        """An agreement without its dropdown type."""
    with pytest.raises(TypeError, match="agreement"):
        udfs._excel_function()(prorated_bonus)

    def salary_continuation(base_salary=None):
        """A needed argument made optional."""
    with pytest.raises(TypeError, match="base_salary"):
        udfs._excel_function()(salary_continuation)


# --- BONUS_PRORATION under the agreement it is given ------------------------------------------------

def test_bonus_proration_applies_the_floor_of_the_agreement_it_is_given(custom, custom_terms):
    agreements = load_agreements(custom_terms)
    quarter = agreements["quarter-floor"].bonus_floor_fraction
    # Day 32 of 365 is under every floor; day 121 (0.331507) is over a quarter, under the letter's.
    days = [dt.date(2025, 2, 1), dt.date(2025, 5, 1)]
    cases = [{"employee_id": str(k), "termination_date": d.isoformat(), "termination_reason": "without_cause",
              "base_salary": "250000", "prior_year_bonus_declared": "100000",
              "prior_year_bonus_paid": "100000", "agreement": agreement}
             for k, (d, agreement) in enumerate([(d, a) for a in ("quarter-floor", "") for d in days])]
    table = from_records(cases, agreements)
    expected = [money(v) for v in calc_frame(table, compute(table, agreements))["bonus_proration"]]
    answers = [scalar(officejs_call(custom, "BONUS_PRORATION", [[serial(d)]], agreement))
               for agreement in ("quarter-floor", None) for d in days]
    assert answers == expected
    assert answers[0] == float(quarter) < answers[1] < FLOOR
    assert answers[2] == float(agreements[DEFAULT_AGREEMENT_ID].bonus_floor_fraction)
    # The fraction PRORATED_BONUS applies under that agreement, and a column of dates spills.
    prorated = scalar(officejs_call(custom, "PRORATED_BONUS", [[serial(days[0])]], [[100000.0]],
                                    [[100000.0]], "quarter-floor"))
    assert Decimal(repr(prorated)) == Decimal(100000) * quarter
    column = officejs_call(custom, "BONUS_PRORATION", [[serial(d)] for d in days], "quarter-floor")
    assert column == [[a] for a in answers[:2]]


# --- calls through custom_functions_call equal the engine --------------------------------------------

@pytest.mark.parametrize("name", sorted(BOUNDARY))
def test_every_scalar_function_equals_the_engine_and_the_reference(call, name):
    case = BOUNDARY[name]
    _, payouts, calc = engine([case])
    date, reason, salary, declared, paid, benefits, consented, _ = args = case.excel_args()
    total = scalar(call("SEVERANCE_TOTAL", *args))
    assert isinstance(total, float) and total == money(calc.iloc[0]["cash_total"])
    assert Decimal(repr(total)) == Decimal(calc.iloc[0]["cash_total"]) == case.reference()["cash_total"]
    assert scalar(call("SEVERANCE_ELIGIBLE", reason, consented)) is bool(payouts.eligible[0])
    # The clause functions answer for a termination that pays severance, whatever the reason.
    paid_case = replace(case, reason="without_cause", consented=None)
    row, reference = engine([paid_case])[2].iloc[0], paid_case.reference()
    clauses = {
        "salary_continuation": call("SALARY_CONTINUATION", salary, None),
        "prorated_bonus": call("PRORATED_BONUS", date, declared, paid, None),
        "unpaid_bonus": call("UNPAID_BONUS", declared, paid),
        "benefits_continuation": call("BENEFITS_CONTINUATION", benefits, None),
    }
    for column, result in clauses.items():
        value = scalar(result)
        assert value == money(row[column])
        assert Decimal(repr(value)) == Decimal(row[column]) == reference[column]  # exact to the cent
    assert scalar(call("BONUS_PRORATION", date, None)) == money(row["bonus_proration"])


def test_the_spilled_columns_equal_the_engine_for_every_sample_case(call):
    """Columns in, a column out: one call computes every row (Excel sends each range whole)."""
    rows = [r for r in sample_rows() if r["termination_reason"] == "without_cause"]
    column = lambda name: [[excel_cell(name, r[name])] for r in rows]  # noqa: E731
    result = call("SEVERANCE_TOTAL", column("termination_date"), "without_cause",
                  column("base_salary"), column("prior_year_bonus_declared"),
                  column("prior_year_bonus_paid"), column("monthly_benefits_cost"), None, None)
    # The same rows as a case file: numbered, and under the default agreement, as in the call.
    table = from_records([{**r, "employee_id": str(k), "agreement": ""} for k, r in enumerate(rows)],
                         AGREEMENTS)
    calc = calc_frame(table, compute(table, AGREEMENTS))
    assert len(result) == len(rows) and all(len(r) == 1 for r in result)
    for (value,), (_, expected) in zip(result, calc.iterrows()):
        if expected["status"] == "rejected":
            assert value == {"type": "Error", "errorType": "Value"}
        else:
            assert value == money(expected["cash_total"])
    assert any(r == [{"type": "Error", "errorType": "Value"}] for r in result)


def test_a_row_of_cases_spills_a_row_and_single_values_repeat(call):
    dates = [[serial(dt.date(2025, 7, 1)), serial(dt.date(2025, 7, 2)), serial(dt.date(2025, 12, 31))]]
    result = call("PRORATED_BONUS", dates, [[96000.0]], [[96000.0]], None)
    assert result == [[48000.0, 48131.51, 96000.0]]


def test_ranges_of_different_shapes_are_an_error(call):
    with pytest.raises(WorkerError) as error:
        call("UNPAID_BONUS", [[1.0], [2.0]], [[1.0], [2.0], [3.0]])
    assert error.value.xlwings_error and error.value.message.startswith("bonus_paid:")


@pytest.mark.parametrize("name", ["jan-1-leap-year-floor", "day-305-of-366-half-cent-up", "for-cause",
                                  "received-more-than-declared", "good-reason-consented"])
def test_breakdown_spills_the_engines_line_items_then_the_totals(call, name):
    case = replace(BOUNDARY[name], frequency=None)  # its (i) basis names the default frequency
    table, payouts, calc = engine([case])
    result = call("SEVERANCE_BREAKDOWN", *case.excel_args())
    assert result[0] == ["clause", "component", "label", "amount", "due_date", "basis"]
    items = line_items(table, payouts, 0, AGREEMENTS["savvis-2002-cto"])
    assert [r[:3] for r in result[1:5]] == [[i.clause, i.component, i.label] for i in items]
    for row, item in zip(result[1:5], items):
        assert Decimal(repr(row[3])) == item.amount
        assert (row[4] == "" if item.due_date is None else as_date(row[4]) == item.due_date)
        assert row[5] == item.basis
    cash, value, status = result[5:]
    assert cash[1] == "cash_total" and cash[3] == money(calc.iloc[0]["cash_total"])
    assert value[1] == "total_value" and value[3] == money(calc.iloc[0]["total_value"])
    assert status[1:3] == ["status", calc.iloc[0]["status"]]
    assert status[5] == (calc.iloc[0]["reason"] or calc.iloc[0]["warnings"])
    if payouts.eligible[0]:
        assert as_date(cash[4]).isoformat() == calc.iloc[0]["lump_sum_due_date"]
    assert len(result) == 8 and all(len(r) == 6 for r in result)


@pytest.mark.parametrize("name, frequency", [
    ("installment-half-cent", None), ("day-183-of-365-prorated", "weekly"),
    ("dec-31-full-year", "monthly"), ("feb-29", "biweekly"), ("jan-1-leap-year-floor", "semimonthly")])
def test_schedule_spills_every_payment_of_the_engine_and_the_reference(call, name, frequency):
    case = Case(**{**BOUNDARY[name].__dict__, "frequency": frequency})
    table, payouts, _ = engine([case])
    expected = schedule_frame(table, payouts)
    args = case.excel_args()
    result = call("SEVERANCE_SCHEDULE", *args, frequency)
    assert result[0] == ["payment_date", "component", "clause", "amount", "nominal_date"]
    assert len(result) - 1 == len(expected) > 0
    for row, (_, payment) in zip(result[1:], expected.iterrows()):
        assert as_date(row[0]).isoformat() == payment["payment_date"]
        assert row[1:3] == [payment["component"], payment["clause"]]
        assert Decimal(repr(row[3])) == Decimal(payment["amount"])
        assert as_date(row[4]).isoformat() == payment["nominal_date"]
    reference = sorted((p[3], p[1], p[4]) for p in case.reference()["payments"])
    assert sorted((as_date(r[0]), r[2], Decimal(repr(r[3]))) for r in result[1:]) == reference
    salary = [Decimal(repr(r[3])) for r in result[1:] if r[1] == "salary_continuation"]
    assert sum(salary) == Decimal(repr(scalar(call("SALARY_CONTINUATION", args[2], None))))


def test_schedule_of_a_case_without_severance_is_the_header_only(call):
    assert call("SEVERANCE_SCHEDULE", *BOUNDARY["for-cause"].excel_args(), None) == [
        ["payment_date", "component", "clause", "amount", "nominal_date"]]


def excel_row(calc_row) -> list:
    """A `severance calc` row as SEVERANCE_TABLE should spill it (dates as CustomFunctionsRuntime
    1.4 FormattedNumbers)."""
    out = []
    for name in CALC_COLUMNS:
        v = calc_row[name]
        if v == "":
            out.append("")
        elif name in MONEY_RESULTS or name == "bonus_proration":
            out.append(money(v))
        elif name in DATE_RESULTS:
            out.append({"type": "FormattedNumber", "basicValue": serial(dt.date.fromisoformat(v)),
                        "numberFormat": "yyyy-mm-dd"})
        elif name in ("source_row", "installments"):
            out.append(int(v))
        else:
            out.append(v)
    return out


def unnumbered(row: list) -> list:
    """A result row without its row numbers: source_row, and "row(s) N" in its messages."""
    return [re.sub(r"\brows? \d+(, \d+)*", "row #", v) if isinstance(v, str) else v for v in row[1:]]


def test_table_spills_the_calc_columns_of_the_case_file(call):
    """The sample case file pasted into a sheet (dates as dates, amounts as numbers, good and bad
    rows): SEVERANCE_TABLE spills exactly what `severance calc` writes for that file."""
    result = call("SEVERANCE_TABLE", sample_table())
    cases = load_cases(SAMPLE, AGREEMENTS)
    calc = calc_frame(cases, compute(cases, AGREEMENTS))
    assert result[0] == list(CALC_COLUMNS)
    assert len(result) - 1 == len(calc)
    # The rows are numbered the way each source counts (a file its lines, a range its cases),
    # one by one in both; the rest is the same, cell for cell.
    numbers = [row[0] for row in result[1:]]
    assert numbers == list(range(numbers[0], numbers[0] + len(calc)))
    for row, (_, expected) in zip(result[1:], calc.iterrows()):
        assert unnumbered(row) == unnumbered(excel_row(expected))
    statuses = [r[4] for r in result[1:]]
    assert statuses.count("rejected") >= 4 and statuses.count("paid") >= 20


def test_table_marks_bad_rows_rejected_with_their_reason_and_keeps_the_good_ones(call):
    header = ["Employee ID", "Termination Date", "Termination Reason", "Base Salary",
              "Prior Year Bonus Declared", "Prior Year Bonus Paid"]
    good = ["A1", serial(dt.date(2025, 7, 2)), "without_cause", 230000.0, 96000.0, 96000.0]
    bad = ["A2", "next week", "layoff", -5.0, "", ""]
    result = call("SEVERANCE_TABLE", [header, good, bad, ["", "", "", "", "", ""]])
    assert len(result) == 3  # the blank row is not a case
    ok, rejected = result[1], result[2]
    assert ok[4] == "paid" and ok[11] == money(engine([BOUNDARY["day-183-of-365-prorated"]])[2].iloc[0]["cash_total"])
    assert rejected[:5] == [2, "A2", "", "savvis-2002-cto", "rejected"]
    assert "termination_date: 'next week' is not a date" in rejected[5]
    assert "termination_reason: 'layoff' must be one of" in rejected[5]
    assert "base_salary: '-5.00' must be greater than 0" in rejected[5]
    assert rejected[7:] == [""] * (len(CALC_COLUMNS) - 7)


def test_table_dates_are_plain_serials_before_runtime_1_4(call):
    header = ["employee_id", "termination_date", "termination_reason", "base_salary"]
    result = call("SEVERANCE_TABLE", [header, ["A1", serial(dt.date(2024, 7, 1)), "without_cause", 200000.0]],
                  runtime="1.3")
    due = result[1][CALC_COLUMNS.index("lump_sum_due_date")]
    assert isinstance(due, float) and as_date(due) == dt.date(2024, 7, 31)


# --- what Excel sends: date serials, text dates, empty optionals ---------------------------------------

def test_empty_optionals_read_as_their_defaults(call):
    case = BOUNDARY["feb-29"]
    args = case.excel_args()
    base = scalar(call("SEVERANCE_TOTAL", *args[:5], [[0.0]], [[False]], "savvis-2002-cto"))
    for empty in (None, [[""]], [[None]]):
        assert scalar(call("SEVERANCE_TOTAL", *args[:5], empty, empty, None)) == base
    # An empty bonus_declared cell means no bonus was declared: (iii) is 0, (ii) rests on the bonus received.
    assert scalar(call("UNPAID_BONUS", [[""]], [[5000.0]])) == 0.0
    assert scalar(call("UNPAID_BONUS", None, None)) == 0.0


@pytest.mark.parametrize("date_cell", [[[45473.0]], [["2024-06-30"]], [[" 2024-06-30 "]]])
def test_a_date_serial_and_iso_text_are_the_same_date(call, date_cell):
    assert scalar(call("BONUS_PRORATION", date_cell, None)) == FLOOR  # day 182 of 366: the floor
    assert scalar(call("SEVERANCE_TOTAL", date_cell, "without_cause", [[250000.0]], [[100000.0]],
                       [[50000.0]], None, None, None)) == 350000.0


def test_a_serial_with_a_time_of_day_is_that_date_with_a_note_as_in_a_case_file(call):
    case = BOUNDARY["feb-29"]
    args = case.excel_args()
    noon = [[serial(case.termination_date) + 0.5]]
    assert call("SEVERANCE_TOTAL", noon, *args[1:]) == call("SEVERANCE_TOTAL", *args)
    status = call("SEVERANCE_BREAKDOWN", noon, *args[1:])[-1]
    table = from_records([{**case.record(), "termination_date": f"{case.termination_date} 12:00:00"}], AGREEMENTS)
    assert status[5] == calc_frame(table, compute(table, AGREEMENTS)).iloc[0]["warnings"]
    assert "time of day" in status[5]


def test_typed_cell_values_read_as_their_basic_value(call):
    """Excel may send a formatted date as a FormattedNumber, and a cell's error as an Error."""
    date = [[{"type": "FormattedNumber", "basicValue": 45473.0, "numberFormat": "m/d/yyyy"}]]
    assert scalar(call("BONUS_PRORATION", date, None)) == FLOOR
    with pytest.raises(WorkerError) as error:
        call("BONUS_PRORATION", [[{"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}]], None)
    assert error.value.message == "termination_date: '#N/A' is not a date; write it as YYYY-MM-DD"


def test_a_table_of_only_a_header_spills_only_the_header(call):
    result = call("SEVERANCE_TABLE", [["employee_id", "termination_date", "termination_reason", "base_salary"]])
    assert result == [list(CALC_COLUMNS)]


def test_an_amount_typed_with_more_than_two_decimals_is_rounded_to_the_cent(call):
    # 200000.005 is what the cell shows (its shortest repr), rounded half away from zero.
    assert scalar(call("SALARY_CONTINUATION", [[200000.005]], None)) == 200000.01
    assert scalar(call("SALARY_CONTINUATION", [[0.1 + 0.2]], None)) == 0.3


# --- bad input: an Excel error with a one-line message naming the argument ---------------------------

BAD = [
    ("SEVERANCE_TOTAL", [[[45473.0]], "without_cause", [[-5.0]], [[1.0]], [[0.0]], None, None, None], "base_salary"),
    ("SEVERANCE_TOTAL", [[[45473.0]], "layoff", [[200000.0]], [[1.0]], [[0.0]], None, None, None], "reason"),
    ("SEVERANCE_TOTAL", [[["next Tuesday"]], "without_cause", [[200000.0]], [[1.0]], [[0.0]], None, None, None], "termination_date"),
    ("SEVERANCE_TOTAL", [[[45473.0]], "without_cause", [[200000.0]], [["lots"]], [[0.0]], None, None, None], "bonus_declared"),
    ("SEVERANCE_TOTAL", [[[45473.0]], "without_cause", [[200000.0]], [[1.0]], [[-1.0]], None, None, None], "bonus_paid"),
    ("SEVERANCE_TOTAL", [[[45473.0]], "good_reason", [[200000.0]], [[1.0]], [[0.0]], [[-3.0]], [["maybe"]], None], "monthly_benefits"),
    ("SEVERANCE_TOTAL", [[[45473.0]], "good_reason", [[200000.0]], [[1.0]], [[0.0]], None, [["maybe"]], None], "consented"),
    ("SEVERANCE_TOTAL", [[[45473.0]], "without_cause", [[200000.0]], [[1.0]], [[0.0]], None, None, "acme-2019"], "agreement"),
    ("SEVERANCE_SCHEDULE", [[[45473.0]], "without_cause", [[200000.0]], [[1.0]], [[0.0]], None, None, None, "fortnightly"], "pay_frequency"),
    ("SEVERANCE_BREAKDOWN", [[[45473.0], [45474.0]], "without_cause", [[200000.0]], [[1.0]], [[0.0]], None, None, None], "termination_date"),
    ("SALARY_CONTINUATION", [[[0.0]], None], "base_salary"),
    ("BONUS_PRORATION", [[[True]], None], "termination_date"),
    ("SEVERANCE_ELIGIBLE", ["fired", None], "reason"),
    ("SEVERANCE_TABLE", [[["employee_id", "termination_date", "termination_reason"], ["A1", 45473.0, "without_cause"]]], "cases"),
]


@pytest.mark.parametrize("function, args, argument", BAD, ids=[f"{f}-{a}" for f, _, a in BAD])
def test_a_bad_argument_is_an_excel_error_naming_it(call, function, args, argument):
    with pytest.raises(WorkerError) as error:
        call(function, *args)
    # An XlwingsError: xlwings Server and Lite show its message on the #VALUE! cell's flag.
    assert error.value.xlwings_error and error.value.kind == "SeveranceInputError"
    message = error.value.message
    assert message.startswith(f"{argument}:") or f"; {argument}:" in message
    assert "\n" not in message and "Traceback" not in message and len(message) < 400


def test_a_missing_table_column_is_named(call):
    with pytest.raises(WorkerError) as error:
        call("SEVERANCE_TABLE", [["employee_id", "termination_date", "termination_reason"],
                                 ["A1", 45473.0, "without_cause"]])
    message = error.value.message
    assert message.startswith("cases: required column 'base_salary'") and "is missing" in message


# --- the desktop path: no XLWINGS_ON_SERVER, plain Python calls --------------------------------------

def test_desktop_import_registers_nothing_and_computes_the_same():
    worker = Worker("desktop")
    try:
        assert worker("runtime") == "python"
        assert worker("registered") == []  # no Office.js metadata without the variable
        case = BOUNDARY["day-305-of-366-half-cent-up"]
        row = engine([case])[2].iloc[0]
        total = worker("direct", "severance_total", [case.termination_date, "good_reason", 200000.0,
                                                     100000.05, None, 1200.0, False, None])
        assert total == money(row["cash_total"])
        table = worker("direct", "severance_table", [sample_table()])
        assert table[0] == list(CALC_COLUMNS) and len(table) == len(sample_rows()) + 1
        with pytest.raises(WorkerError) as error:
            worker("direct", "unpaid_bonus", [-1.0, 0.0])
        assert error.value.kind == "SeveranceInputError"
        assert error.value.message.startswith("bonus_declared:")
    finally:
        worker.close()


def test_this_process_imports_the_functions_as_plain_python():
    assert udfs.RUNTIME in ("python", "officejs")  # officejs only if the session sets XLWINGS_ON_SERVER
    assert udfs.severance_total("2024-06-30", "without_cause", 250000, 100000, 50000) == 350000.0


@pytest.mark.parametrize("date", [
    dt.date(2024, 10, 31), dt.datetime(2024, 10, 31), dt.datetime(2024, 10, 31, tzinfo=dt.timezone.utc),
    45596.0, 45596, "2024-10-31"])
def test_every_way_a_date_arrives_reads_as_that_date(date):
    """dt.datetime with a UTC zone is how the COM add-in hands over a date cell."""
    assert udfs.bonus_proration(date) == 0.833333
    assert udfs.prorated_bonus(date, 100000.05, None) == 83333.38


def test_a_python_caller_may_hand_the_table_over_as_a_dataframe():
    import pandas as pd
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    result = udfs.severance_table(frame)
    cases = load_cases(SAMPLE, AGREEMENTS)
    calc = calc_frame(cases, compute(cases, AGREEMENTS))
    assert [r[CALC_COLUMNS.index("cash_total")] for r in result[1:]] == [
        money(v) if v else "" for v in calc["cash_total"]]


def test_direct_calls_lift_over_columns_including_the_reason():
    reasons = [["without_cause"], ["for_cause"], ["good_reason"], ["layoff"]]
    result = udfs.severance_total("2025-07-02", reasons, 230000.0, 96000.0, 96000.0)
    expected = engine([Case(dt.date(2025, 7, 2), r, D("230000"), D("96000"), D("96000"))
                       for (r,) in reasons[:3]])[2]
    assert result == [[money(t)] for t in expected["cash_total"]] + [[udfs.ERROR]]
    assert udfs.severance_eligible(reasons[:3], [[None], [None], [True]]) == [[True], [False], [False]]


cents = st.integers(min_value=1, max_value=100_000_000)


@settings(max_examples=40, deadline=None)
@given(date=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
       reason=st.sampled_from(REASONS), salary=cents, declared=st.none() | cents,
       paid=st.integers(min_value=0, max_value=100_000_000),
       benefits=st.integers(min_value=0, max_value=1_000_000), consented=st.booleans(),
       as_serial=st.booleans())
def test_total_equals_the_reference_and_the_sum_of_its_clauses(date, reason, salary, declared, paid,
                                                               benefits, consented, as_serial):
    """Random cases as Excel would pass them (amounts as doubles, dates as serials or dates)."""
    amount = lambda c: None if c is None else float(Decimal(c) / 100)  # noqa: E731
    args = [serial(date) if as_serial else date, reason, amount(salary), amount(declared),
            amount(paid), amount(benefits), consented]
    total = udfs.severance_total(*args)
    expected = reference_severance(date, reason, Decimal(salary) / 100,
                                   None if declared is None else Decimal(declared) / 100,
                                   Decimal(paid) / 100, Decimal(benefits) / 100, consented=consented)
    assert Decimal(repr(total)) == expected["cash_total"]
    if expected["eligible"]:
        parts = [Decimal(repr(udfs.salary_continuation(args[2]))),
                 Decimal(repr(udfs.prorated_bonus(args[0], args[3], args[4]))),
                 Decimal(repr(udfs.unpaid_bonus(args[3], args[4])))]
        assert sum(parts) == expected["cash_total"]
    assert udfs.severance_eligible(reason, consented) is expected["eligible"]
