"""The Section 409A review, case by case, against the rules as the issue states them and the
independent oracle (tests/support/payroll_oracle.py)."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from addin import cli
from addin.cases import from_records
from addin.results.payroll import (BEFORE_409A, EXEMPT_BOTH, EXEMPT_SHORT_TERM, PARTLY_SUBJECT,
                                   PayrollOptions, calc_table, compute_payroll, schedule_payroll_frame)
from addin.results.tables import calc_frame
from addin.rules.engine import compute
from addin.rules.money import cents_to_decimal
from addin.rules.section409a import DELAYED_COMPONENT
from addin.rules.terms import parse_agreements

from tests.support import payroll_oracle as oracle


def case(**overrides):
    base = dict(employee_id="E1", termination_date="2025-06-30", termination_reason="without_cause",
                base_salary="240000.00", prior_year_bonus_paid="0", monthly_benefits_cost="1000.00")
    base.update(overrides)
    return base


def reviewed(agreements, *records, apply_delay=False):
    cases = from_records(list(records), agreements)
    assert all(not e for e in cases.errors), cases.errors
    payouts = compute(cases, agreements)
    payroll = compute_payroll(cases, payouts, apply_delay)
    frame = calc_table(PayrollOptions(section_409a=True, apply_409a_delay=apply_delay), calc_frame)(cases, payouts)
    return cases, payouts, payroll, frame


def letter_payments(payroll, k):
    s = payroll.letter_schedule
    rows = np.flatnonzero(s["case"] == k)
    return [(s["payment_date"][i].astype(dt.date), cents_to_decimal(int(s["amount"][i]))) for i in rows]


def money(text: str) -> Decimal:
    return Decimal(text)


def test_a_case_fully_covered_by_short_term_deferral(agreements):
    # Separated 2025-01-15: the last installment, 2026-01-15, is before 2026-03-15.
    cases, payouts, payroll, frame = reviewed(agreements, case(termination_date="2025-01-15"))
    row = frame.iloc[0]
    assert row["short_term_deferral_deadline"] == "2026-03-15"
    assert row["section_409a_status"] == EXEMPT_SHORT_TERM
    assert money(row["short_term_deferral"]) == money(row["cash_total"])
    assert money(row["separation_pay_exempt"]) == 0 and money(row["subject_to_409a"]) == 0


def test_a_case_that_needs_the_separation_pay_exception(agreements):
    # Separated 2025-06-30: installments after 2026-03-15 (through 2026-06-30) are within
    # 2 x min($240,000, $350,000) and paid by 2027-12-31.
    cases, payouts, payroll, frame = reviewed(agreements, case())
    row = frame.iloc[0]
    after = sum(a for d, a in letter_payments(payroll, 0) if d > dt.date(2026, 3, 15))
    assert after > 0
    assert row["section_409a_status"] == EXEMPT_BOTH
    assert money(row["separation_pay_exempt"]) == after
    assert money(row["separation_pay_limit"]) == 2 * Decimal("240000.00")
    assert money(row["subject_to_409a"]) == 0


def test_annualized_compensation_sets_the_limit_below_the_401a17_cap(agreements):
    cases, payouts, payroll, frame = reviewed(agreements, case(annualized_compensation="20000.00"))
    row = frame.iloc[0]
    assert money(row["separation_pay_limit"]) == Decimal("40000.00")
    assert money(row["subject_to_409a"]) > 0 and row["section_409a_status"] == PARTLY_SUBJECT


HIGH = dict(termination_date="2024-12-16", base_salary="3000000.00")


def test_high_salary_part_subject_not_a_specified_employee(agreements):
    # Separated 2024-12-16 at $3,000,000: the limit is 2 x $345,000 (2024's 401(a)(17) limit).
    cases, payouts, payroll, frame = reviewed(agreements, case(**HIGH))
    row = frame.iloc[0]
    want = oracle.review_409a(letter_payments(payroll, 0), dt.date(2024, 12, 16), Decimal("3000000.00"), False)
    assert money(row["separation_pay_limit"]) == want["limit"] == 2 * Decimal("345000.00")
    for name in ("short_term_deferral", "separation_pay_exempt", "subject_to_409a"):
        assert money(row[name]) == want[name]
    assert row["section_409a_status"] == PARTLY_SUBJECT
    assert row["six_month_delay_payments"] == ""
    assert "not a specified employee" in row["section_409a_note"]


def test_high_salary_specified_employee_lists_the_delayed_payments(agreements):
    cases, payouts, payroll, frame = reviewed(agreements, case(specified_employee="true", **HIGH))
    row = frame.iloc[0]
    want = oracle.review_409a(letter_payments(payroll, 0), dt.date(2024, 12, 16), Decimal("3000000.00"), True)
    assert want["delayed"], "the example must delay something"
    assert row["six_month_delay_payments"] == "; ".join(f"{d.isoformat()} {a}" for d, a in want["delayed"])
    assert "2025-06-16" in row["section_409a_note"]
    # Shown, never silently applied: the schedule still pays on the letter's dates.
    assert payroll.schedule is payroll.letter_schedule


def test_apply_409a_delay_moves_them_to_the_first_payday_after_six_months(agreements):
    cases, payouts, payroll, frame = reviewed(agreements, case(specified_employee="true", **HIGH),
                                              apply_delay=True)
    want = oracle.review_409a(letter_payments(payroll, 0), dt.date(2024, 12, 16), Decimal("3000000.00"), True)
    rows = schedule_payroll_frame(cases, payroll, withholding=True)
    delayed = rows[rows["component"] == DELAYED_COMPONENT]
    assert len(delayed) == 1
    # 2025-06-16 is the anniversary; the next semimonthly payday is 2025-06-30 (a Monday).
    assert delayed["payment_date"].iat[0] == "2025-06-30"
    assert money(delayed["amount"].iat[0]) == sum(a for _, a in want["delayed"])
    # The same total is paid; nothing subject to 409A is paid before the anniversary.
    assert sum(map(money, rows["amount"])) == sum(a for _, a in letter_payments(payroll, 0))
    for d, a in want["delayed"]:
        left = rows[(rows["payment_date"] == d.isoformat()) & (rows["component"] != DELAYED_COMPONENT)]
        original = sum(x for day, x in letter_payments(payroll, 0) if day == d)
        assert sum(map(money, left["amount"])) == original - a
    assert "moved to the first payday after" in frame["section_409a_note"].iat[0]


def test_the_delayed_payment_is_never_paid_before_the_anniversary(agreements):
    # Separated 2024-12-14: the anniversary 2025-06-14 is a Saturday and the next payday, the
    # 15th, a Sunday, which would pay on Friday the 13th: before six months. The delayed
    # payment goes to the payday after, 2025-06-30.
    cases, payouts, payroll, frame = reviewed(agreements, case(specified_employee="true", termination_date="2024-12-14",
                                                               base_salary="3000000.00"), apply_delay=True)
    assert payroll.review.delayed_amount[0] > 0
    rows = schedule_payroll_frame(cases, payroll, withholding=False)
    assert list(rows.loc[rows["component"] == DELAYED_COMPONENT, "payment_date"]) == ["2025-06-30"]


def test_apply_409a_delay_leaves_other_cases_alone(agreements):
    plain = reviewed(agreements, case(**HIGH), apply_delay=False)[2]
    moved = reviewed(agreements, case(**HIGH), apply_delay=True)[2]
    for key in ("payment_date", "amount"):
        assert list(plain.schedule[key]) == list(moved.schedule[key])


def test_a_payment_on_the_six_month_anniversary_is_not_delayed(agreements):
    # Separated 2024-11-30 at $6,000,000 ($250,000 an installment): the anniversary,
    # 2025-05-30, is itself a payment date (May 31 is a Saturday). Paid on that date, the
    # installment is not "before" six months; the subject parts before it are delayed.
    cases, payouts, payroll, frame = reviewed(agreements, case(termination_date="2024-11-30",
                                                               base_salary="6000000.00",
                                                               specified_employee="true"))
    delayed = frame["six_month_delay_payments"].iat[0]
    assert "2025-05-15 250000.00" in delayed and "2025-05-30" not in delayed
    on_anniversary = [a for d, a in letter_payments(payroll, 0) if d == dt.date(2025, 5, 30)]
    assert on_anniversary and payroll.review.payment_subject[
        np.flatnonzero(payroll.letter_schedule["payment_date"] == np.datetime64("2025-05-30"))].sum() > 0


def test_payments_after_the_second_year_end_are_not_separation_pay(agreements):
    # A 36-month continuation agreement: installments after 2027-12-31 (separation 2025-03-31)
    # fall outside 1.409A-1(b)(9)(iii)'s deadline although the limit is far from used.
    text = (oracle.TAX_FOLDER.parents[0] / "agreements" / "savvis-2002-cto.toml").read_text(encoding="utf-8")
    text = text.replace('id = "savvis-2002-cto"', 'id = "long-36"').replace(
        "salary_continuation_months = 12", "salary_continuation_months = 36")
    terms = {**agreements, **parse_agreements(text, "test terms")}
    cases, payouts, payroll, frame = reviewed(terms, case(termination_date="2025-03-31", agreement="long-36",
                                                          base_salary="100000.00"))
    late = sum(a for d, a in letter_payments(payroll, 0) if d > dt.date(2027, 12, 31))
    assert late > 0
    assert money(frame["subject_to_409a"].iat[0]) == late
    assert money(frame["separation_pay_exempt"].iat[0]) < money(frame["separation_pay_limit"].iat[0])


def test_a_separation_before_2005_is_before_409a(agreements):
    cases, payouts, payroll, frame = reviewed(agreements, case(termination_date="2002-06-30"))
    row = frame.iloc[0]
    assert row["section_409a_status"] == BEFORE_409A
    assert row["short_term_deferral"] == "" and row["subject_to_409a"] == ""


def test_unpaid_cases_are_not_reviewed(agreements):
    cases, payouts, payroll, frame = reviewed(agreements, case(termination_reason="for_cause"))
    assert frame["section_409a_status"].iat[0] == "" and frame["short_term_deferral"].iat[0] == ""


def test_good_reason_asks_the_user_to_confirm_the_safe_harbor(agreements):
    frame = reviewed(agreements, case(termination_reason="good_reason", consented_to_change="false"))[3]
    assert "1.409A-1(n)(2)" in frame["section_409a_note"].iat[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), st.integers(200_000, 4_000_000),
       st.integers(0, 2_000_000), st.booleans(), st.sampled_from(["semimonthly", "biweekly", "monthly"]))
def test_generated_reviews_match_the_oracle(agreements, day, salary, bonus, specified, frequency):
    record = case(termination_date=day.isoformat(), base_salary=str(salary), pay_frequency=frequency,
                  prior_year_bonus_declared=str(bonus), specified_employee=str(specified).lower())
    cases, payouts, payroll, frame = reviewed(agreements, record)
    want = oracle.review_409a(letter_payments(payroll, 0), day, Decimal(salary), specified)
    row = frame.iloc[0]
    for name in ("short_term_deferral", "separation_pay_exempt", "subject_to_409a"):
        assert money(row[name]) == want[name], name
    assert row["six_month_delay_payments"] == "; ".join(f"{d.isoformat()} {a}" for d, a in want["delayed"])


def test_the_cli_options(agreements, tmp_path):
    path = tmp_path / "cases.csv"
    pd.DataFrame([case(specified_employee="yes", ytd_wages="50000", **HIGH)]).to_csv(path, index=False)
    assert cli.main(["calc", str(path), "--withholding", "--section-409a", "--apply-409a-delay", "-o", str(tmp_path / "c.csv")]) == 0
    calc = pd.read_csv(tmp_path / "c.csv", dtype=str, keep_default_na=False)
    for name in ("withholding_total", "net_cash_total", "employer_taxes", "short_term_deferral",
                 "separation_pay_exempt", "subject_to_409a", "six_month_delay_payments"):
        assert name in calc.columns
    assert cli.main(["schedule", str(path), "--withholding", "--apply-409a-delay",
                     "-o", str(tmp_path / "s.csv")]) == 0
    schedule = pd.read_csv(tmp_path / "s.csv", dtype=str, keep_default_na=False)
    for name in ("federal_withholding", "social_security", "medicare", "additional_medicare",
                 "state_withholding", "net_amount", "employer_social_security", "employer_medicare"):
        assert name in schedule.columns
    assert (schedule["component"] == DELAYED_COMPONENT).sum() == 1
    net = sum(map(Decimal, schedule["net_amount"]))
    assert net == Decimal(calc["net_cash_total"].iat[0])
