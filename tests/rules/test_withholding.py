"""The withholding estimate, rule by rule, as dated worked examples; then generated cases
against the independent per-payment oracle (tests/support/payroll_oracle.py)."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from addin.cases import from_records
from addin.cases.payroll_columns import payroll_inputs
from addin.results.payroll import PayrollOptions, calc_table, compute_payroll, schedule_payroll_frame
from addin.results.tables import calc_frame
from addin.rules.engine import compute
from addin.rules.money import cents_to_decimal
from addin.rules.payments import payments
from addin.rules.tax import FIGURES, TaxTableError, builtin_tax_years, parse_tax_year
from addin.rules.withholding import case_totals, withhold

from tests.support import payroll_oracle as oracle

TAX_YEARS = builtin_tax_years()
FIGURE_OF = {y: {name: getattr(t, name) for name in FIGURES} for y, t in TAX_YEARS.items()}


def case(**overrides):
    """A case paying $10,000.00 a semimonthly payday ($240,000 base) and no bonus."""
    base = dict(employee_id="E1", termination_date="2025-06-30", termination_reason="without_cause",
                base_salary="240000.00", prior_year_bonus_paid="0", monthly_benefits_cost="1000.00")
    base.update(overrides)
    return base


def estimate(agreements, *records):
    """(schedule, withholding, cases, payouts) of the records."""
    cases = from_records(list(records), agreements)
    assert all(not e for e in cases.errors), cases.errors
    payouts = compute(cases, agreements)
    schedule = payments(payouts)
    return schedule, withhold(schedule, cases.termination_date, payroll_inputs(cases), TAX_YEARS), cases, payouts


def dollars(cents) -> Decimal:
    return cents_to_decimal(int(cents))


def r(x: Decimal) -> Decimal:
    return oracle.r(x)


def blank_zero(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


# --- the tables -----------------------------------------------------------------------------

def test_tables_cover_2024_to_2026_and_every_figure_names_its_source():
    assert {2024, 2025, 2026} <= set(TAX_YEARS)
    for year, table in TAX_YEARS.items():
        for name in FIGURES:
            source = table.sources[name]
            assert source.publication and source.url.startswith("http"), (year, name)


def test_tables_hold_the_published_wage_bases_and_limits():
    # Figures as the SSA and the IRS notices published them (see each file's sources).
    assert [FIGURE_OF[y]["social_security_wage_base"] for y in (2024, 2025, 2026)] == \
        [Decimal("168600.00"), Decimal("176100.00"), Decimal("184500.00")]
    assert [FIGURE_OF[y]["compensation_limit_401a17"] for y in (2024, 2025, 2026)] == \
        [Decimal("345000.00"), Decimal("350000.00"), Decimal("360000.00")]


def test_a_table_missing_a_figure_is_refused_naming_the_file_and_figure():
    text = (oracle.TAX_FOLDER / "2025.toml").read_text(encoding="utf-8")
    broken = text.replace("[medicare_employer_rate]", "[medicare_employer_rate_x]")
    with pytest.raises(TaxTableError, match=r"test\.toml: unknown key 'medicare_employer_rate_x'"):
        parse_tax_year(broken, "test.toml")


def test_a_rate_with_seven_places_is_refused():
    text = (oracle.TAX_FOLDER / "2025.toml").read_text(encoding="utf-8")
    broken = text.replace('value = "0.0145"', 'value = "0.0145001"', 1)
    with pytest.raises(TaxTableError, match="medicare_employee_rate.*six decimal places"):
        parse_tax_year(broken, "test.toml")


# --- worked examples, dated -----------------------------------------------------------------

def test_the_million_crossing_inside_one_payment_splits_that_payment(agreements):
    # 2025-07-15: $995,000 of supplemental wages already paid in 2025; the $10,000 installment
    # is $5,000 at the flat 22% and $5,000 at the mandatory 37%, rounded once.
    s, w, *_ = estimate(agreements, case(ytd_supplemental_wages="995000.00"))
    assert str(s["payment_date"][0]) == "2025-07-15"
    assert dollars(w.federal_withholding[0]) == r(Decimal(5000) * Decimal("0.22") + Decimal(5000) * Decimal("0.37"))
    assert dollars(w.federal_withholding[1]) == r(Decimal(10000) * Decimal("0.37"))


def test_one_rounding_per_payment_at_the_crossing(agreements):
    # $999,999.99 before; the installment of $10,000.00 is $0.01 at 22% and $9,999.99 at 37%:
    # 0.0022 + 3699.9963 = 3699.9985 -> 3700.00 (rounding each part would give 3700.00 + 0.00).
    s, w, *_ = estimate(agreements, case(ytd_supplemental_wages="999999.99"))
    assert dollars(w.federal_withholding[0]) == r(Decimal("0.01") * Decimal("0.22") + Decimal("9999.99") * Decimal("0.37"))


def test_the_wage_base_reached_inside_one_payment(agreements):
    # 2025-07-15: $170,000 of FICA wages so far; $6,100 of the installment is under the
    # $176,100 base; the next installment owes no social security.
    s, w, *_ = estimate(agreements, case(ytd_wages="170000.00"))
    assert dollars(w.social_security[0]) == r(Decimal(6100) * Decimal("0.062"))
    assert dollars(w.employer_social_security[0]) == r(Decimal(6100) * Decimal("0.062"))
    assert w.social_security[1] == 0 and w.employer_social_security[1] == 0
    assert dollars(w.medicare[1]) == r(Decimal(10000) * Decimal("0.0145"))


def test_the_additional_medicare_threshold_crossed(agreements):
    # $195,000 so far: $5,000 of the 2025-07-15 installment is over $200,000.
    s, w, *_ = estimate(agreements, case(ytd_wages="195000.00"))
    assert dollars(w.additional_medicare[0]) == r(Decimal(5000) * Decimal("0.009"))
    assert dollars(w.additional_medicare[1]) == r(Decimal(10000) * Decimal("0.009"))
    assert w.employer_medicare[0] == w.medicare[0]  # no employer share of the additional tax


def test_a_schedule_spanning_two_years_restarts_the_bases(agreements):
    # Terminated 2025-10-31: installments from 2025-11-14 to 2026-10-30. The ytd figures are
    # 2025's; in 2026 the wage base and the $1M count start again from 0.
    s, w, *_ = estimate(agreements, case(termination_date="2025-10-31", ytd_wages="176100.00",
                                         ytd_supplemental_wages="1000000.00"))
    years = w.year
    first_2026 = int(np.flatnonzero(years == 2026)[0])
    assert set(w.social_security[years == 2025]) == {0}
    assert set(w.federal_withholding[years == 2025]) == {int(r(Decimal(10000) * Decimal("0.37")) * 100)}
    assert dollars(w.social_security[first_2026]) == r(Decimal(10000) * Decimal("0.062"))
    assert dollars(w.federal_withholding[first_2026]) == r(Decimal(10000) * Decimal("0.22"))


def test_a_year_without_a_table_has_no_estimate_and_says_so(agreements):
    # Terminated 2026-10-30: the 2027 installments have no tax table; the 2026 ones do.
    s, w, cases, payouts = estimate(agreements, case(termination_date="2026-10-30"))
    assert set(w.year[~w.has_table]) == {2027} and w.has_table[w.year == 2026].all()
    totals = case_totals(w, s, len(cases))
    assert not totals.complete[0] and totals.missing_years[0] == (2027,)
    frame = calc_table(PayrollOptions(withholding=True), calc_frame)(cases, payouts)
    assert frame["withholding_total"].iat[0] == "" and frame["net_cash_total"].iat[0] == ""
    assert "no tax table for 2027" in frame["withholding_note"].iat[0]
    # Nothing else about the case changes.
    assert list(frame["cash_total"]) == list(calc_frame(cases, payouts)["cash_total"])
    rows = schedule_payroll_frame(cases, compute_payroll(cases, payouts))
    late = rows[rows["payment_date"] >= "2027-01-01"]
    assert (late["net_amount"] == "").all() and (late["withholding_note"] == "no tax table for 2027: no estimate").all()


def test_ytd_blank_is_zero_and_given_is_counted(agreements):
    s, blank, *_ = estimate(agreements, case(ytd_wages="", ytd_supplemental_wages=""))
    s, given_, *_ = estimate(agreements, case(ytd_wages="176100.00", ytd_supplemental_wages="1000000.00"))
    assert dollars(blank.social_security[0]) == r(Decimal(10000) * Decimal("0.062"))
    assert dollars(blank.federal_withholding[0]) == r(Decimal(10000) * Decimal("0.22"))
    assert given_.social_security[0] == 0
    assert dollars(given_.federal_withholding[0]) == r(Decimal(10000) * Decimal("0.37"))


def test_state_rate_applies_where_given_and_is_blank_otherwise(agreements):
    s, w, cases, payouts = estimate(agreements, case(state_withholding_rate="0.0660"),
                                    case(employee_id="E2"))
    first = {k: int(np.flatnonzero(s["case"] == k)[0]) for k in (0, 1)}
    assert dollars(w.state_withholding[first[0]]) == r(Decimal(10000) * Decimal("0.0660"))
    rows = schedule_payroll_frame(cases, compute_payroll(cases, payouts))
    assert rows["state_withholding"].iat[first[1]] == ""
    assert rows["state_withholding"].iat[first[0]] == "660.00"


def test_net_amount_is_the_payment_less_the_employee_taxes(agreements):
    s, w, *_ = estimate(agreements, case(ytd_wages="195000.00", state_withholding_rate="0.05"))
    assert (w.net_amount == s["amount"] - w.employee_total()).all()


def test_calc_totals_add_up_the_payments(agreements):
    records = [case(), case(employee_id="E2", prior_year_bonus_declared="150000", ytd_wages="100000")]
    cases = from_records(records, agreements)
    payouts = compute(cases, agreements)
    payroll = compute_payroll(cases, payouts)
    frame = calc_table(PayrollOptions(withholding=True), calc_frame)(cases, payouts)
    for k in range(2):
        mine = payroll.schedule["case"] == k
        withheld = payroll.withholding.employee_total()[mine].sum()
        assert frame["withholding_total"].iat[k] == str(dollars(withheld))
        assert Decimal(frame["net_cash_total"].iat[k]) == Decimal(frame["cash_total"].iat[k]) - dollars(withheld)
        assert "benefits continuation (iv) is not a cash payment" in frame["withholding_note"].iat[k]
        assert "estimate" in frame["withholding_note"].iat[k]


# --- bad payroll cells ------------------------------------------------------------------------

@pytest.mark.parametrize("column, value, message", [
    ("ytd_wages", "lots", "row 1, ytd_wages: 'lots' is not a number"),
    ("ytd_wages", "-5", "row 1, ytd_wages: '-5' must not be negative"),
    ("ytd_supplemental_wages", "1e400", "row 1, ytd_supplemental_wages:"),
    ("ytd_wages", "1e1000000", "row 1, ytd_wages: '1e1000000' is beyond the largest amount accepted"),
    ("state_withholding_rate", "6.6", "row 1, state_withholding_rate: '6.6' must be a rate from 0 up to 1"),
    ("state_withholding_rate", "0.0000001", "row 1, state_withholding_rate: '0.0000001' has more than six"),
    ("specified_employee", "perhaps", "row 1, specified_employee: 'perhaps' is not true or false"),
    ("annualized_compensation", "0", "row 1, annualized_compensation: '0' must be greater than 0"),
])
def test_a_bad_payroll_cell_rejects_its_row_with_a_message(agreements, column, value, message):
    cases = from_records([case(**{column: value}), case(employee_id="E2")], agreements)
    assert not cases.valid[0] and cases.valid[1]
    assert any(e.startswith(message) for e in cases.errors[0]), cases.errors[0]


@pytest.mark.parametrize("text, cents", [
    ("150000", 15000000), ("150000.5", 15000050), ("$150,000.50", 15000050),
    ("150000.505", 15000051), (" 7 ", 700), ("", 0),
])
def test_ytd_wages_are_read_exactly(agreements, text, cents):
    cases = from_records([case(ytd_wages=text)], agreements)
    assert int(payroll_inputs(cases).ytd_wages[0]) == cents


def test_a_rounded_ytd_amount_is_noted(agreements):
    cases = from_records([case(ytd_wages="150000.505")], agreements)
    assert cases.valid[0] and any("ytd_wages" in n and "150000.51" in n for n in cases.notes[0]), cases.notes


@pytest.mark.parametrize("text, ppm", [("0.066", 66000), (".066", 66000), ("0", 0), ("0.123456", 123456),
                                       ("6.6E-2", 66000)])
def test_state_rates_are_read_exactly(agreements, text, ppm):
    inputs = payroll_inputs(from_records([case(state_withholding_rate=text)], agreements))
    assert int(inputs.state_rate_ppm[0]) == ppm and bool(inputs.state_rate_given[0])


def test_annualized_compensation_blank_is_base_salary(agreements):
    inputs = payroll_inputs(from_records([case(), case(employee_id="E2", annualized_compensation="90000")], agreements))
    assert list(inputs.annualized_compensation) == [24000000, 9000000]


# --- generated cases against the oracle -------------------------------------------------------

def amount_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def rate_text(ten_thousandths: int) -> str:
    return f"0.{ten_thousandths:04d}"


records = st.fixed_dictionaries({
    "termination_date": st.dates(dt.date(2024, 1, 1), dt.date(2026, 3, 31)).map(str),
    "base_salary": st.integers(200_000_00, 3_000_000_00).map(amount_text),
    "prior_year_bonus_declared": st.integers(0, 2_000_000).map(str),
    "pay_frequency": st.sampled_from(["semimonthly", "biweekly", "weekly", "monthly"]),
    "ytd_wages": st.one_of(st.just(""), st.integers(0, 400_000_00).map(amount_text)),
    "ytd_supplemental_wages": st.one_of(st.just(""), st.integers(0, 1_500_000_00).map(amount_text)),
    "state_withholding_rate": st.one_of(st.just(""), st.integers(0, 1200).map(rate_text)),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records, min_size=1, max_size=4))
def test_generated_cases_match_the_oracle_to_the_cent(agreements, drawn):
    rows = [case(employee_id=f"E{k}", **d) for k, d in enumerate(drawn)]
    s, w, cases, _ = estimate(agreements, *rows)
    for k, row in enumerate(rows):
        mine = np.flatnonzero(s["case"] == k)
        pays = [(s["payment_date"][i].astype(dt.date), dollars(s["amount"][i])) for i in mine]
        expected = oracle.withholding(
            pays, dt.date.fromisoformat(row["termination_date"]), blank_zero(row["ytd_wages"]),
            blank_zero(row["ytd_supplemental_wages"]),
            Decimal(row["state_withholding_rate"]) if row["state_withholding_rate"] else None)
        for i, want in zip(mine, expected):
            assert bool(w.has_table[i]) == (want is not None)
            if want is None:
                continue
            for name, value in want.items():
                assert dollars(getattr(w, name)[i]) == value, (row, str(s["payment_date"][i]), name)
