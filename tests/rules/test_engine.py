"""The letter's severance clauses, one test (or more) per clause, as worked examples."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from addin.cases import from_records
from addin.rules.engine import compute
from addin.results.tables import calc_frame, schedule_frame

from tests.support import oracle as reference


def case(**overrides):
    base = dict(employee_id="E1", termination_date="2024-07-01", termination_reason="without_cause",
                base_salary="240000.00", prior_year_bonus_declared="100000.00",
                prior_year_bonus_paid="100000.00", monthly_benefits_cost="1500.00")
    base.update(overrides)
    return base


def run(agreements, *records):
    cases = from_records(list(records), agreements)
    payouts = compute(cases, agreements)
    return cases, payouts, calc_frame(cases, payouts)


def one(agreements, **overrides):
    return run(agreements, case(**overrides))[2].iloc[0]


# --- eligibility -------------------------------------------------------------------------

def test_without_cause_is_paid(agreements):
    assert one(agreements)["status"] == "paid"


def test_good_reason_without_consent_is_paid(agreements):
    row = one(agreements, termination_reason="good_reason", consented_to_change="false")
    assert row["status"] == "paid" and row["cash_total"] != "0.00"


def test_good_reason_with_consent_gets_nothing_with_the_reason_stated(agreements):
    row = one(agreements, termination_reason="good_reason", consented_to_change="true")
    assert row["status"] == "no_severance"
    assert "prior consent" in row["reason"]
    assert row["cash_total"] == "0.00" and row["total_value"] == "0.00"


def test_good_reason_with_blank_consent_is_paid_with_a_warning(agreements):
    row = one(agreements, termination_reason="good_reason", consented_to_change="")
    assert row["status"] == "paid"
    assert "consented_to_change is blank" in row["warnings"]


def test_for_cause_gets_nothing(agreements):
    row = one(agreements, termination_reason="for_cause")
    assert row["status"] == "no_severance" and "for cause" in row["reason"]
    assert row["salary_continuation"] == "0.00"


def test_resignation_gets_nothing(agreements):
    row = one(agreements, termination_reason="resignation")
    assert row["status"] == "no_severance" and "Good Reason" in row["reason"]


def test_consent_does_not_matter_when_terminated_without_cause(agreements):
    assert one(agreements, consented_to_change="true")["status"] == "paid"


# --- clause (i): salary continuation -------------------------------------------------------

def test_clause_i_twelve_months_of_base_salary(agreements):
    assert one(agreements, base_salary="250000.00")["salary_continuation"] == "250000.00"


def test_clause_i_months_are_data_not_code(agreements):
    from addin.rules.terms import parse_agreements
    extra = parse_agreements("""
[[agreement]]
id = "eighteen"
salary_continuation_months = 18
bonus_floor_fraction = 0.5
benefits_continuation_months = 18
lump_sum_due_days = 30
""", "test")
    row = one({**agreements, **extra}, base_salary="100000.01", agreement="eighteen")
    assert row["salary_continuation"] == "150000.02"  # 10000001 * 18 / 12 = 15000001.5 -> up
    assert row["continuation_end_date"] == "2026-01-01"


def test_clause_i_installments_sum_exactly_to_the_total(agreements):
    cases, payouts, frame = run(agreements, case(base_salary="200000.00"))
    row = frame.iloc[0]
    assert row["installments"] == 24
    assert row["installment_amount"] == "8333.33" and row["last_installment_amount"] == "8333.41"
    schedule = schedule_frame(cases, payouts)
    salary = schedule[schedule["component"] == "salary_continuation"]
    assert sum(Decimal(a) for a in salary["amount"]) == Decimal("200000.00")


@pytest.mark.parametrize("frequency, expected", [
    ("semimonthly", 24), ("monthly", 12), ("weekly", 52), ("biweekly", 26)])
def test_clause_i_paydays_in_the_year_after_termination(agreements, frequency, expected):
    # 2024-07-01 (Monday) to 2025-07-01: weekly paydays are Fridays from the 2002-01-04 anchor.
    assert one(agreements, pay_frequency=frequency)["installments"] == expected


def test_clause_i_semimonthly_paydays_are_15th_and_month_end(agreements):
    cases, payouts, _ = run(agreements, case(termination_date="2024-01-14"))
    dates = schedule_frame(cases, payouts).query("component == 'salary_continuation'")["nominal_date"]
    assert list(dates[:4]) == ["2024-01-15", "2024-01-31", "2024-02-15", "2024-02-29"]
    assert dates.iloc[-1] == "2024-12-31"  # the 2025-01-15 payday is past the twelve months


def test_clause_i_termination_on_a_payday_is_not_paid_that_day(agreements):
    # The window is (termination_date, termination_date + 12 months]: the 15th itself is excluded
    # at the start and included at the end.
    cases, payouts, frame = run(agreements, case(termination_date="2024-03-15"))
    dates = list(schedule_frame(cases, payouts).query("clause == '(i)'")["nominal_date"])
    assert dates[0] == "2024-03-31" and dates[-1] == "2025-03-15"
    assert frame.iloc[0]["installments"] == 24


def test_clause_i_weekend_and_holiday_paydays_move_to_the_business_day_before(agreements):
    # 2024-08-31 is a Saturday; 2024-12-31 is a Tuesday; 2025-05-31 a Saturday.
    cases, payouts, _ = run(agreements, case(termination_date="2024-08-20", pay_frequency="monthly"))
    s = schedule_frame(cases, payouts).query("clause == '(i)'").set_index("nominal_date")
    assert s.loc["2024-08-31", "payment_date"] == "2024-08-30"
    assert s.loc["2024-12-31", "payment_date"] == "2024-12-31"
    # A weekly payday on Independence Day (Friday 2025-07-04) is paid Thursday.
    cases, payouts, _ = run(agreements, case(termination_date="2025-06-30", pay_frequency="weekly"))
    s = schedule_frame(cases, payouts).query("clause == '(i)'").set_index("nominal_date")
    assert s.loc["2025-07-04", "payment_date"] == "2025-07-03"


def test_clause_i_month_end_termination_clamps_the_end_date(agreements):
    assert one(agreements, termination_date="2024-02-29")["continuation_end_date"] == "2025-02-28"
    assert one(agreements, termination_date="2023-08-31")["benefits_end_date"] == "2024-08-31"


# --- clause (ii): prorated prior-year bonus ------------------------------------------------

def test_clause_ii_floor_of_one_half_early_in_the_year(agreements):
    row = one(agreements, termination_date="2002-06-30", prior_year_bonus_declared="100000.00")
    assert row["prorated_bonus"] == "50000.00"  # 181/365 < 0.5: the floor applies
    assert row["bonus_proration"] == "0.500000"


def test_clause_ii_january_first_counts_one_day(agreements):
    row = one(agreements, termination_date="2025-01-01")
    assert row["prorated_bonus"] == "50000.00"


def test_clause_ii_the_day_proration_crosses_one_half(agreements):
    # 2025: day 182 is 182/365 = 0.49863 (floor), day 183 (July 2) is 0.50137.
    assert one(agreements, termination_date="2025-07-01")["prorated_bonus"] == "50000.00"
    assert one(agreements, termination_date="2025-07-02")["prorated_bonus"] == "50136.99"
    # 2024 (leap): day 183 (July 1) is exactly 183/366 = one-half.
    assert one(agreements, termination_date="2024-07-01")["prorated_bonus"] == "50000.00"
    assert one(agreements, termination_date="2024-07-02")["prorated_bonus"] == "50273.22"  # 184/366


def test_clause_ii_february_29(agreements):
    row = one(agreements, termination_date="2024-02-29")
    assert row["bonus_proration"] == "0.500000"  # 60/366
    assert row["lump_sum_due_date"] == "2024-03-30"


def test_clause_ii_december_31_is_the_whole_bonus(agreements):
    assert one(agreements, termination_date="2024-12-31")["prorated_bonus"] == "100000.00"
    assert one(agreements, termination_date="2023-12-31")["bonus_proration"] == "1.000000"


def test_clause_ii_basis_is_received_when_larger_than_declared(agreements):
    row = one(agreements, termination_date="2024-12-31", prior_year_bonus_declared="90000.00",
              prior_year_bonus_paid="95000.00")
    assert row["prorated_bonus"] == "95000.00"
    assert "exceeds" in row["warnings"]


def test_clause_ii_basis_is_received_when_nothing_declared(agreements):
    row = one(agreements, termination_date="2024-12-31", prior_year_bonus_declared="",
              prior_year_bonus_paid="40000.00")
    assert row["prorated_bonus"] == "40000.00" and row["unpaid_bonus"] == "0.00"


def test_clause_ii_half_cent_rounds_away_from_zero(agreements):
    # 1000.01 x 1/2 = 500.005 -> 500.01
    assert one(agreements, termination_date="2024-03-01", prior_year_bonus_declared="1000.01",
               prior_year_bonus_paid="1000.01")["prorated_bonus"] == "500.01"
    # 0.01 x 1/2 = 0.005 -> 0.01
    assert one(agreements, termination_date="2024-03-01", prior_year_bonus_declared="0.01",
               prior_year_bonus_paid="0.01")["prorated_bonus"] == "0.01"


def test_clause_ii_and_iii_due_within_thirty_days(agreements):
    row = one(agreements, termination_date="2024-12-15")
    assert row["lump_sum_due_date"] == "2025-01-14"


def test_lump_sums_are_paid_the_business_day_before_a_weekend_due_date(agreements):
    cases, payouts, _ = run(agreements, case(termination_date="2024-06-01",
                                             prior_year_bonus_paid="50000.00"))
    lumps = schedule_frame(cases, payouts).query("clause != '(i)'")
    assert set(lumps["nominal_date"]) == {"2024-07-01"}
    # 2024-07-01 is a Monday: paid that day. Both lump sums appear, (ii) before (iii).
    assert list(lumps["clause"]) == ["(ii)", "(iii)"]
    cases, payouts, _ = run(agreements, case(termination_date="2024-06-02"))
    lumps = schedule_frame(cases, payouts).query("clause == '(ii)'")
    assert lumps.iloc[0]["nominal_date"] == "2024-07-02"


# --- clause (iii): declared but unpaid bonus -----------------------------------------------

def test_clause_iii_unpaid_declared_bonus(agreements):
    row = one(agreements, prior_year_bonus_declared="110000.00", prior_year_bonus_paid="55000.00")
    assert row["unpaid_bonus"] == "55000.00"


def test_clause_iii_never_negative(agreements):
    row = one(agreements, prior_year_bonus_declared="50000.00", prior_year_bonus_paid="60000.00")
    assert row["unpaid_bonus"] == "0.00"


def test_clause_iii_nothing_when_not_declared(agreements):
    assert one(agreements, prior_year_bonus_declared="", prior_year_bonus_paid="")["unpaid_bonus"] == "0.00"


# --- clause (iv): benefits -----------------------------------------------------------------

def test_clause_iv_one_year_of_benefits(agreements):
    row = one(agreements, monthly_benefits_cost="1620.50", termination_date="2024-02-29")
    assert row["benefits_continuation"] == "19446.00"
    assert row["benefits_end_date"] == "2025-02-28"


def test_totals(agreements):
    row = one(agreements, base_salary="245000.00", prior_year_bonus_declared="110000.00",
              prior_year_bonus_paid="55000.00", monthly_benefits_cost="1620.50",
              termination_date="2024-02-29")
    assert row["cash_total"] == "355000.00"  # 245000 + 55000 + 55000
    assert row["total_value"] == "374446.00"


# --- warnings ------------------------------------------------------------------------------

def test_warning_salary_below_minimum(agreements):
    row = one(agreements, base_salary="199999.99")
    assert row["status"] == "paid" and "below the agreement's minimum" in row["warnings"]


def test_warning_before_march_first_without_declared_bonus(agreements):
    assert "may still be declared" in one(agreements, termination_date="2024-02-29",
                                          prior_year_bonus_declared="")["warnings"]
    assert one(agreements, termination_date="2024-03-01", prior_year_bonus_declared="")["warnings"] == ""


def test_sub_cent_input_is_rounded_with_a_warning(agreements):
    row = one(agreements, base_salary="200000.005")
    assert row["salary_continuation"] == "200000.01"
    assert "rounded to 200000.01" in row["warnings"]


# --- installments --------------------------------------------------------------------------

def test_tiny_totals_never_give_a_negative_last_installment(agreements):
    cases, payouts, frame = run(agreements, case(base_salary="0.13", pay_frequency="weekly"))
    schedule = schedule_frame(cases, payouts).query("clause == '(i)'")
    amounts = [Decimal(a) for a in schedule["amount"]]
    assert min(amounts) >= 0 and sum(amounts) == Decimal("0.13")


def test_engine_equals_the_per_row_reading_of_the_letter(agreements):
    """Many generated cases, boundary days included, against tests/support/oracle.py."""
    rng = np.random.default_rng(7)
    records, expected = [], []
    days = [dt.date(2024, 1, 1), dt.date(2024, 2, 29), dt.date(2024, 7, 1), dt.date(2024, 7, 2),
            dt.date(2025, 7, 2), dt.date(2024, 12, 31), dt.date(2023, 12, 31), dt.date(2025, 1, 31)]
    for k in range(600):
        t = days[k] if k < len(days) else dt.date(2001, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 30)))
        reason = ["without_cause", "good_reason", "for_cause", "resignation"][k % 4 if k > 40 else 0]
        declared = None if rng.random() < 0.2 else Decimal(int(rng.integers(0, 30_000_000))) / 100
        if k % 7 == 0:
            declared = Decimal("1000.01")
        paid = Decimal(int(rng.integers(0, 30_000_000))) / 100 if rng.random() < 0.8 else Decimal(0)
        base = Decimal(int(rng.integers(1, 60_000_000))) / 100
        benefits = Decimal(int(rng.integers(0, 400_000))) / 100
        frequency = ["weekly", "biweekly", "semimonthly", "monthly"][int(rng.integers(0, 4))]
        consented = bool(rng.random() < 0.3)
        records.append(dict(employee_id=f"E{k}", termination_date=t.isoformat(),
                            termination_reason=reason, base_salary=str(base),
                            prior_year_bonus_declared="" if declared is None else str(declared),
                            prior_year_bonus_paid=str(paid), monthly_benefits_cost=str(benefits),
                            pay_frequency=frequency, consented_to_change=str(consented)))
        expected.append(reference.severance(t, reason, base, declared, paid, benefits, frequency, consented))
    cases, payouts, frame = run(agreements, *records)
    schedule = schedule_frame(cases, payouts)
    by_employee = {e: g for e, g in schedule.groupby("employee_id")}
    for k, exp in enumerate(expected):
        row = frame.iloc[k]
        assert (row["status"] == "paid") == exp["eligible"], records[k]
        if not exp["eligible"]:
            assert row["cash_total"] == "0.00"
            continue
        for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                     "cash_total", "total_value"):
            assert Decimal(row[name]) == exp[name], (name, records[k])
        assert row["installments"] == exp["installments"], records[k]
        assert row["lump_sum_due_date"] == exp["lump_sum_due_date"].isoformat()
        assert row["continuation_end_date"] == exp["continuation_end_date"].isoformat()
        got = by_employee.get(f"E{k}")
        got_rows = [] if got is None else list(zip(got["component"], got["clause"], got["nominal_date"],
                                                   got["payment_date"], got["amount"]))
        want = [(c, cl, n.isoformat(), p.isoformat(), f"{a:.2f}") for c, cl, n, p, a in exp["payments"]]
        assert got_rows == want, records[k]
