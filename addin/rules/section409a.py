"""Section 409A review of each paid case: which payments are exempt, and which are not.

Shown, never silently applied. Under the stated assumptions (calendar tax years; the right to
severance vests at separation; each installment is a separate payment; a Good Reason
resignation meets the regulations' good-reason safe harbor, which the user must confirm):
  short-term deferral (Treas. Reg. 1.409A-1(b)(4)): payments made by March 15 of the year
      after separation;
  separation-pay exception (1.409A-1(b)(9)(iii)): the later payments, in date order, up to
      2 x the lesser of annualized_compensation and the 401(a)(17) limit for the year of
      separation, provided they are paid by December 31 of the second year after separation;
  what remains is subject to 409A; for a specified employee, each such payment due within six
      months of separation waits until after the six-month anniversary (1.409A-3(i)(2)).
Separations before 2005 are before Section 409A took effect: nothing is reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .calendar import add_months, business_day_before, from_civil, payday_count, payday_date
from .tax import TaxYear
from .withholding import PayrollInputs, payment_order, year_of

EFFECTIVE_YEAR = 2005   # Section 409A applies to amounts deferred after 2004
SHORT_TERM_DEFERRAL = "Treas. Reg. 1.409A-1(b)(4)"
SEPARATION_PAY = "Treas. Reg. 1.409A-1(b)(9)(iii)"
SIX_MONTH_DELAY = "Treas. Reg. 1.409A-3(i)(2)"
DELAYED_COMPONENT = "section_409a_delayed_payment"


@dataclass(frozen=True)
class Review:
    """Per case row (cents, dates) and per payment of the reviewed schedule."""
    reviewed: np.ndarray                  # paid, separation in 2005 or later, limit known
    before_409a: np.ndarray               # paid, separation before 2005
    limit_known: np.ndarray               # a tax table gives the 401(a)(17) limit for the year
    separation_year: np.ndarray
    short_term_deferral_deadline: np.ndarray
    separation_pay_deadline: np.ndarray
    six_month_anniversary: np.ndarray
    separation_pay_limit: np.ndarray
    short_term_deferral: np.ndarray
    separation_pay_exempt: np.ndarray
    subject_to_409a: np.ndarray
    delayed_amount: np.ndarray            # specified employee: subject amounts due before six months
    payment_short_term: np.ndarray        # per payment: the part exempt as short-term deferral
    payment_separation_pay: np.ndarray    # per payment: the part within the separation-pay limit
    payment_subject: np.ndarray           # per payment: the part subject to 409A
    payment_delayed: np.ndarray           # per payment: the part a specified employee must wait for


def _group_before(case: np.ndarray, amount: np.ndarray) -> np.ndarray:
    running = np.cumsum(amount) - amount
    first = np.ones(len(case), dtype=bool)
    first[1:] = case[1:] != case[:-1]
    return running - running[first][np.cumsum(first) - 1]


def _per_case(case: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    total = np.zeros(n, dtype=np.int64)
    np.add.at(total, case, values)
    return total


def review(schedule: Mapping[str, np.ndarray], paid: np.ndarray, separation_date: np.ndarray,
           inputs: PayrollInputs, tax_years: Mapping[int, TaxYear]) -> Review:
    """The 409A review of every case row (`paid`: the engine's eligible cases)."""
    n = len(paid)
    nat = np.datetime64("NaT")
    separation = np.where(paid, separation_date, np.datetime64("2005-01-03"))
    year = year_of(separation)
    ones = np.ones(n, dtype=np.int64)
    std_deadline = from_civil(year + 1, 3 * ones, 15 * ones)
    sep_deadline = from_civil(year + 2, 12 * ones, 31 * ones)
    anniversary = add_months(separation, 6 * ones)
    limits = {y: t.cents("compensation_limit_401a17") for y, t in tax_years.items()}
    limit_known = np.fromiter((int(y) in limits for y in year), dtype=bool, count=n)
    cap = np.fromiter((limits.get(int(y), 0) for y in year), dtype=np.int64, count=n)
    limit = np.where(limit_known, 2 * np.minimum(inputs.annualized_compensation, cap), 0)
    before_409a = paid & (year < EFFECTIVE_YEAR)
    reviewed = paid & ~before_409a & limit_known

    m = len(schedule["amount"])
    case_all = np.asarray(schedule["case"], dtype=np.int64)
    date_all = np.asarray(schedule["payment_date"], dtype="datetime64[D]")
    order = payment_order(case_all, date_all)
    case, date = case_all[order], date_all[order]
    amount = np.where(reviewed[case], np.asarray(schedule["amount"], dtype=np.int64)[order], 0)

    short = np.where(date <= std_deadline[case], amount, 0)
    candidate = np.where((date > std_deadline[case]) & (date <= sep_deadline[case]), amount, 0)
    covered_before = _group_before(case, candidate)
    separation_pay = np.clip(np.minimum(candidate, limit[case] - covered_before), 0, None)
    subject = amount - short - separation_pay
    delayed = np.where(inputs.specified_employee[case] & (date < anniversary[case]), subject, 0)
    back = np.empty(m, dtype=np.int64)
    back[order] = np.arange(m)
    return Review(
        reviewed=reviewed, before_409a=before_409a, limit_known=limit_known, separation_year=year,
        short_term_deferral_deadline=np.where(reviewed, std_deadline, nat),
        separation_pay_deadline=np.where(reviewed, sep_deadline, nat),
        six_month_anniversary=np.where(reviewed, anniversary, nat), separation_pay_limit=limit,
        short_term_deferral=_per_case(case, short, n), separation_pay_exempt=_per_case(case, separation_pay, n),
        subject_to_409a=_per_case(case, subject, n), delayed_amount=_per_case(case, delayed, n),
        payment_short_term=short[back], payment_separation_pay=separation_pay[back],
        payment_subject=subject[back], payment_delayed=delayed[back],
    )


def first_payday_after(day: np.ndarray, frequency: np.ndarray, anchor: np.ndarray,
                       calendar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nominal, payment date) of the first regular payday after `day` whose payment date (moved
    to the business day before, like every payday) is not before `day`: a payday on a weekend
    just after the anniversary would otherwise pay before it."""
    index = payday_count(day, frequency, anchor)
    nominal = payday_date(index, frequency, anchor)
    paid = business_day_before(nominal, calendar)
    early = paid < day
    if early.any():
        nominal = np.where(early, payday_date(index + 1, frequency, anchor), nominal)
        paid = business_day_before(nominal, calendar)
    return nominal, paid


def apply_six_month_delay(schedule: Mapping[str, np.ndarray], result: Review, payouts) -> dict[str, np.ndarray]:
    """The schedule with each specified employee's delayed amounts taken out of their payments
    and paid as one payment on the first payday after the six-month anniversary (moved to the
    business day before, like every payday). Payments left at zero are dropped."""
    amount = np.asarray(schedule["amount"], dtype=np.int64) - result.payment_delayed
    keep = amount > 0
    out = {key: np.asarray(value)[keep] for key, value in schedule.items()}
    out["amount"] = amount[keep]
    cases = np.flatnonzero(result.delayed_amount > 0)
    if len(cases):
        nominal, paid = first_payday_after(result.six_month_anniversary[cases], payouts.frequency[cases],
                                           payouts.anchor[cases], payouts.calendar[cases])
        delayed_clauses = np.asarray(schedule["clause"])[result.payment_delayed > 0]
        delayed_cases = np.asarray(schedule["case"])[result.payment_delayed > 0]
        clause = np.array([", ".join(sorted(set(delayed_clauses[delayed_cases == k]))) for k in cases],
                          dtype=object)
        extra = {
            "case": cases, "code": np.full(len(cases), -1, dtype=np.int8),   # (none of COMPONENTS)
            "component": np.full(len(cases), DELAYED_COMPONENT, dtype=object),
            "clause": clause, "installment": np.zeros(len(cases), dtype=np.int64),
            "nominal_date": nominal, "payment_date": paid,
            "amount": result.delayed_amount[cases],
        }
        out = {key: np.concatenate([out[key], np.asarray(extra[key], dtype=out[key].dtype)]) for key in out}
    order = np.lexsort((out["payment_date"].astype(np.int64), out["case"]))
    return {key: value[order] for key, value in out.items()}
