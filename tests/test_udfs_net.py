"""SEVERANCE_NET and SEVERANCE_BREAKDOWN's withholding rows (addin.udfs, addin.udf_withholding),
through xlwings' Office.js dispatcher, held equal to what `severance calc --withholding` writes
for the same cases as a case file, and, for random cases, to the independent oracles
(tests/support/oracle.py for the payments, tests/support/payroll_oracle.py for their taxes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin import udfs
from tests.support import ROOT
from tests.support.oracle import severance as reference_severance
from tests.support.payroll_oracle import withholding as reference_withholding
from tests.support.udf_worker import Worker, WorkerError, payload, serial

D = Decimal
VALUE_ERROR = {"type": "Error", "errorType": "Value"}  # an invalid case's cell in a spilled result
WITHHOLDING_COLUMNS = ("withholding_total", "net_cash_total", "employer_taxes")


@dataclass(frozen=True)
class PayrollCase:
    """A case with the payroll columns, as text cells (a case file's) and as Excel's arguments."""
    termination_date: dt.date
    termination_reason: str
    base_salary: str
    prior_year_bonus_declared: str = ""
    prior_year_bonus_paid: str = ""
    monthly_benefits_cost: str = ""
    pay_frequency: str = ""
    ytd_wages: str = ""
    ytd_supplemental_wages: str = ""
    state_withholding_rate: str = ""

    def row(self, employee_id: str) -> dict:
        return {"employee_id": employee_id, **asdict(self),
                "termination_date": self.termination_date.isoformat()}

    def excel_args(self) -> list:
        """SEVERANCE_NET's arguments as Office.js sends them: a matrix parameter as a 2-D list
        (a date as its serial, numbers as doubles, an empty cell as ""), a dropdown as text, an
        omitted optional as null."""
        def cell(text: str, empty=None):
            return empty if text == "" else [[float(text)]]
        return [[[serial(self.termination_date)]], self.termination_reason, cell(self.base_salary),
                cell(self.prior_year_bonus_declared, [[""]]), cell(self.prior_year_bonus_paid, [[""]]),
                cell(self.monthly_benefits_cost), None, None, self.pay_frequency or None,
                cell(self.ytd_wages), cell(self.ytd_supplemental_wages), cell(self.state_withholding_rate)]

    def breakdown_args(self, flag) -> list:
        """SEVERANCE_BREAKDOWN's: the case's first eight, the flag, then its payroll inputs."""
        args = self.excel_args()
        return args[:8] + [flag] + args[9:]


CASES = {
    "2024-ytd-blank": PayrollCase(dt.date(2024, 3, 15), "without_cause", "250000", "100000", "60000", "1500"),
    # ytd wages already above 2024's Social Security wage base: no Social Security in 2024.
    "2024-ytd-over-wage-base-state-rate": PayrollCase(
        dt.date(2024, 9, 30), "good_reason", "300000", "120000", "120000", "", "", "180000", "40000", "0.0660"),
    # The lump sums push the year's supplemental wages over $1,000,000 inside one payment.
    "2025-supplemental-crosses-a-million": PayrollCase(
        dt.date(2025, 6, 30), "without_cause", "900000", "600000", "0", "2100", "", "150000", "700000"),
    "2025-monthly-into-2026": PayrollCase(
        dt.date(2025, 10, 31), "without_cause", "400000", "200000", "50000", "", "monthly", "310000", "", "0.05"),
    "2026-january": PayrollCase(dt.date(2026, 1, 2), "without_cause", "300000", "100000", "0"),
    "2026-payments-in-2027": PayrollCase(dt.date(2026, 2, 15), "without_cause", "300000", "100000", "0"),
    "2031-no-table": PayrollCase(dt.date(2031, 3, 1), "without_cause", "200000", "", "", "", "", "", "", "0.04"),
    "for-cause": PayrollCase(dt.date(2025, 4, 1), "for_cause", "260000", "80000", "80000", "", "", "50000"),
}


def calc_rows(cases: list[PayrollCase], tmp_path) -> list[dict]:
    """What `severance calc --withholding` writes for the cases as a case file (the CLI run)."""
    path = tmp_path / "cases.csv"
    rows = [c.row(f"E{k}") for k, c in enumerate(cases, start=1)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = subprocess.run([sys.executable, "-m", "addin.cli", "calc", "--withholding", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


@pytest.fixture(scope="module")
def calc(tmp_path_factory) -> dict[str, dict]:
    rows = calc_rows(list(CASES.values()), tmp_path_factory.mktemp("calc"))
    return dict(zip(CASES, rows))


@pytest.fixture(scope="module")
def default_frequency_calc(tmp_path_factory) -> dict[str, dict]:
    """calc of the same cases at the agreement's own pay frequency (SEVERANCE_BREAKDOWN's)."""
    cases = [replace(c, pay_frequency="") for c in CASES.values()]
    return dict(zip(CASES, calc_rows(cases, tmp_path_factory.mktemp("calc"))))


@pytest.fixture(scope="module")
def call():
    worker = Worker("officejs")
    yield lambda function, *args: worker("call", payload(function, *args))
    worker.close()


def scalar(result):
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    return result[0][0]


def exact(value: float) -> Decimal:
    return Decimal(repr(value))


# --- SEVERANCE_NET ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASES))
def test_net_equals_calc_withholding_net_cash_total(call, calc, name):
    case, row = CASES[name], calc[name]
    if row["status"] == "paid" and row["net_cash_total"] != "":
        net = scalar(call("SEVERANCE_NET", *case.excel_args()))
        assert isinstance(net, float) and exact(net) == D(row["net_cash_total"])
        assert D(row["net_cash_total"]) == D(row["cash_total"]) - D(row["withholding_total"])
    elif row["status"] == "paid":  # a payment in a year without a tax table: no estimate
        with pytest.raises(WorkerError) as error:
            call("SEVERANCE_NET", *case.excel_args())
        assert error.value.xlwings_error and error.value.kind == "NoEstimateError"
        missing = [part for part in row["withholding_note"].split("; ") if part.startswith("no tax table")]
        assert missing and error.value.message.startswith("; ".join(missing) + ":")
    else:  # no severance: nothing paid, nothing withheld (calc leaves the cells blank)
        assert row["net_cash_total"] == "" and D(row["cash_total"]) == 0
        assert scalar(call("SEVERANCE_NET", *case.excel_args())) == 0.0


def test_the_cases_cover_every_kind_of_answer(calc):
    """Guards the table above: estimates, a year without a table, a case without severance."""
    estimated = [n for n, r in calc.items() if r["net_cash_total"] != ""]
    assert {CASES[n].termination_date.year for n in estimated} == {2024, 2025, 2026}
    assert "no tax table for 2031" in calc["2031-no-table"]["withholding_note"]
    assert "no tax table for 2027" in calc["2026-payments-in-2027"]["withholding_note"]
    assert calc["for-cause"]["status"] == "no_severance"
    # The ytd inputs change the estimate: the same case without them withholds otherwise.
    given = CASES["2024-ytd-over-wage-base-state-rate"]
    blank = replace(given, ytd_wages="", ytd_supplemental_wages="", state_withholding_rate="")
    assert udfs.severance_net(*blank.excel_args()) != udfs.severance_net(*given.excel_args())


def test_net_spills_one_value_per_case_and_an_error_where_a_year_has_no_table(call, default_frequency_calc):
    """Columns in, a column out; a dropdown argument (reason, pay_frequency) is one value."""
    names = [n for n, c in CASES.items() if c.termination_reason == "without_cause"]
    cells = list(zip(*(CASES[n].excel_args() for n in names)))
    column = lambda j: [[c[0][0] if c else ""] for c in cells[j]]  # noqa: E731
    args = [column(0), "without_cause", column(2), column(3), column(4), column(5), None, None,
            None, column(9), column(10), column(11)]
    expected = [[VALUE_ERROR] if default_frequency_calc[n]["net_cash_total"] == ""
                else [float(default_frequency_calc[n]["net_cash_total"])] for n in names]
    assert call("SEVERANCE_NET", *args) == expected
    assert [VALUE_ERROR] in expected and len(expected) > 3


# --- SEVERANCE_BREAKDOWN with and without withholding --------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASES))
def test_breakdown_with_withholding_adds_the_calc_columns(call, default_frequency_calc, name):
    case, row = CASES[name], default_frequency_calc[name]
    plain = call("SEVERANCE_BREAKDOWN", *case.breakdown_args(None))
    shown = call("SEVERANCE_BREAKDOWN", *case.breakdown_args([[True]]))
    # The rows it always has, then one per withholding column, then the status row, last.
    assert shown[:7] == plain[:7] and shown[-1] == plain[-1] and len(shown) == len(plain) + 3
    added = shown[7:10]
    assert [r[1] for r in added] == list(WITHHOLDING_COLUMNS)
    assert all(r[0] == "(i)+(ii)+(iii)" and r[4] == "" for r in added)
    for r in added:
        if row["status"] != "paid":
            assert r[3] == 0.0 and row[r[1]] == ""  # no severance: nothing withheld
        elif row[r[1]] == "":
            assert r[3] == ""
        else:
            assert isinstance(r[3], float) and exact(r[3]) == D(row[r[1]])
    if row["status"] == "paid":
        assert added[1][5] == row["withholding_note"]  # the net row's basis: calc's note
        assert "estimate" in added[1][2] and row["withholding_note"].startswith("estimate")


def test_breakdown_without_the_flag_is_unchanged(call):
    case = CASES["2024-ytd-blank"]
    eight = case.excel_args()[:8]
    before = call("SEVERANCE_BREAKDOWN", *eight)
    assert len(before) == 8 and before[-1][1] == "status"
    for flag in (None, [[False]], [[""]], [["FALSE"]], [[0.0]]):
        assert call("SEVERANCE_BREAKDOWN", *case.breakdown_args(flag)) == before
    for flag in ([[True]], [["true"]], [[1.0]]):
        assert len(call("SEVERANCE_BREAKDOWN", *case.breakdown_args(flag))) == len(before) + 3


# --- bad input and cells as Excel holds them -----------------------------------------------------------

def _with(case: PayrollCase, j: int, value) -> list:
    args = case.excel_args()
    args[j] = value
    return args


BAD = [
    ("SEVERANCE_NET", _with(CASES["2024-ytd-blank"], 9, [[-5.0]]), "ytd_wages"),
    ("SEVERANCE_NET", _with(CASES["2024-ytd-blank"], 10, [["lots"]]), "ytd_supplemental_wages"),
    ("SEVERANCE_NET", _with(CASES["2024-ytd-blank"], 11, [[6.6]]), "state_withholding_rate"),
    ("SEVERANCE_NET", _with(CASES["2024-ytd-blank"], 2, [[-1.0]]), "base_salary"),
    ("SEVERANCE_BREAKDOWN", CASES["2024-ytd-blank"].breakdown_args([["maybe"]]), "withholding"),
    ("SEVERANCE_BREAKDOWN", CASES["2024-ytd-blank"].breakdown_args([[True], [False]]), "withholding"),
]


@pytest.mark.parametrize("function, args, argument", BAD, ids=[f"{f}-{a}" for f, _, a in BAD])
def test_a_bad_argument_is_an_excel_error_naming_it(call, function, args, argument):
    with pytest.raises(WorkerError) as error:
        call(function, *args)
    assert error.value.xlwings_error and error.value.kind == "SeveranceInputError"
    assert error.value.message.startswith(f"{argument}:"), error.value.message
    assert "\n" not in error.value.message


def test_a_rate_is_read_as_excel_shows_it(call):
    case = CASES["2025-monthly-into-2026"]
    typed = scalar(call("SEVERANCE_NET", *_with(case, 11, [[0.07]])))
    computed = scalar(call("SEVERANCE_NET", *_with(case, 11, [[0.1 * 0.7]])))  # 0.06999999999999999
    assert typed == computed != scalar(call("SEVERANCE_NET", *case.excel_args()))


def test_the_desktop_path_computes_the_same(calc):
    """No XLWINGS_ON_SERVER: the functions are plain Python, a date may arrive as a datetime."""
    worker = Worker("desktop")
    try:
        case = CASES["2025-supplemental-crosses-a-million"]
        args = [case.termination_date, "without_cause", 900000.0, 600000.0, 0.0, 2100.0, None, None,
                None, 150000.0, 700000.0, None]
        assert exact(worker("direct", "severance_net", args)) == D(calc["2025-supplemental-crosses-a-million"]["net_cash_total"])
        with pytest.raises(WorkerError) as error:
            worker("direct", "severance_net", [dt.date(2031, 3, 1), "without_cause", 200000.0, None, None])
        assert error.value.kind == "NoEstimateError" and "no tax table for 2031" in error.value.message
    finally:
        worker.close()


# --- random cases against the independent oracles --------------------------------------------------

cents = st.integers(min_value=1, max_value=150_000_000)


@settings(max_examples=30, deadline=None)
@given(date=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 2, 28)),
       salary=cents, declared=st.none() | cents, paid=st.integers(min_value=0, max_value=150_000_000),
       ytd=st.none() | st.integers(min_value=0, max_value=60_000_000),
       ytd_supplemental=st.none() | st.integers(min_value=0, max_value=150_000_000),
       state_ppm=st.none() | st.integers(min_value=0, max_value=150_000),
       frequency=st.sampled_from(["weekly", "biweekly", "semimonthly", "monthly"]))
def test_net_equals_the_oracles(date, salary, declared, paid, ytd, ytd_supplemental, state_ppm, frequency):
    amount = lambda c: None if c is None else float(D(c) / 100)  # noqa: E731
    rate = None if state_ppm is None else D(state_ppm) / 1_000_000
    args = [date, "without_cause", amount(salary), amount(declared), amount(paid), None, None, None,
            frequency, amount(ytd), amount(ytd_supplemental), None if rate is None else float(rate)]
    payments = reference_severance(date, "without_cause", D(salary) / 100,
                                   None if declared is None else D(declared) / 100, D(paid) / 100,
                                   D(0), frequency)["payments"]
    taxes = reference_withholding([(p[3], p[4]) for p in payments], date,
                                  D(ytd or 0) / 100, D(ytd_supplemental or 0) / 100, rate)
    if any(t is None for t in taxes):
        with pytest.raises(udfs.NoEstimateError):
            udfs.severance_net(*args)
    else:
        assert exact(udfs.severance_net(*args)) == sum(t["net_amount"] for t in taxes)


# --- the examples of docs/excel-functions.md --------------------------------------------------------

def _formula_argument(text: str):
    """One argument of a formula as the doc writes it: empty, "text", TRUE/FALSE or a number."""
    text = text.strip()
    if text == "":
        return None
    if text.startswith('"'):
        return text.strip('"')
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    return float(text)


def test_the_docs_examples_are_what_the_functions_return():
    doc = (ROOT / "docs" / "excel-functions.md").read_text(encoding="utf-8")
    examples = re.findall(r"^\| `=(SEVERANCE_NET|SEVERANCE_BREAKDOWN)\((.*)\)` \| (.*) \|$", doc, flags=re.M)
    assert len(examples) >= 4
    for function, arguments, result in examples:
        args = [_formula_argument(a) for a in arguments.split(",")]
        if function == "SEVERANCE_BREAKDOWN":
            rows = {r[1]: r[3] for r in udfs.severance_breakdown(*args)}
            for name, value in re.findall(r"(\w+) (\d+(?:\.\d+)?)", result):
                assert exact(rows[name]) == D(value), (arguments, name)
        elif result.startswith("`#VALUE!`"):
            with pytest.raises(udfs.NoEstimateError) as error:
                udfs.severance_net(*args)
            assert result.partition(": ")[2] in str(error.value)
        else:
            assert exact(udfs.severance_net(*args)) == D(result.split()[0]), arguments
