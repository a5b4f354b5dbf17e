"""The severance engine: every clause of the agreement, computed for a whole case table at once.

One vectorized path over integer cents computes every case; a single case is a table of one row.
Clause by clause (the letter's numbering):
  (i)   salary continuation = base_salary x months / 12, paid on the regular paydays
  (ii)  prorated bonus = bonus basis x max(days elapsed / days in year, floor fraction)
  (iii) unpaid bonus = max(declared - received, 0)
  (iv)  benefits continuation = monthly_benefits_cost x months
Eligibility: without cause, or Good Reason without the employee's prior consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Mapping

import numpy as np

from .cases import CaseTable
from .money import format_cents, mul_div_round
from .schedule import DAY, add_months, business_day_before, installment_amounts, payday_count, payday_date
from .terms import Agreement

PAID, NO_SEVERANCE, REJECTED = "paid", "no_severance", "rejected"
NOT_ELIGIBLE_REASONS = {
    "for_cause": "terminated for cause: no severance benefits under the agreement",
    "resignation": "resigned without Good Reason: the agreement pays severance only on termination "
                   "without cause or resignation for Good Reason",
    "good_reason_consented": "resigned for Good Reason, but the change was made with the "
                             "employee's prior consent, so it is not Good Reason",
}


@dataclass(frozen=True)
class Payouts:
    """The engine's result, column by column, aligned with the CaseTable rows."""
    status: np.ndarray
    reason: np.ndarray
    warnings: np.ndarray
    eligible: np.ndarray
    salary_continuation: np.ndarray      # (i) cents
    prorated_bonus: np.ndarray           # (ii) cents
    unpaid_bonus: np.ndarray             # (iii) cents
    benefits_continuation: np.ndarray    # (iv) cents
    cash_total: np.ndarray               # (i)+(ii)+(iii)
    total_value: np.ndarray              # cash_total + (iv)
    bonus_basis: np.ndarray              # cents: max(declared, received)
    bonus_days: np.ndarray               # January 1 through termination, inclusive
    bonus_year_days: np.ndarray          # 365 or 366
    proration_num: np.ndarray            # the fraction applied: proration, or the floor
    proration_den: np.ndarray
    floor_applied: np.ndarray
    lump_sum_due_date: np.ndarray
    lump_sum_payment_date: np.ndarray    # due date moved to the business day before, if needed
    continuation_end_date: np.ndarray
    benefits_end_date: np.ndarray
    installments: np.ndarray
    first_installment_index: np.ndarray  # payday number of the first installment
    first_installment_date: np.ndarray   # its payment date (business-day adjusted)
    installment_amount: np.ndarray
    last_installment_amount: np.ndarray
    frequency: np.ndarray                # pay frequency code per row
    anchor: np.ndarray                   # weekly/biweekly anchor per row
    calendar: np.ndarray                 # holiday calendar per row

    def __len__(self) -> int:
        return len(self.status)


def _per_row(cases: CaseTable, agreements: Mapping[str, Agreement], attribute, dtype, fill):
    """An agreement parameter spread over the rows (fill where the agreement is unknown)."""
    out = np.full(len(cases), fill, dtype=dtype)
    for agreement_id in set(cases.agreement.tolist()):
        if agreement_id in agreements:
            out[cases.agreement == agreement_id] = attribute(agreements[agreement_id])
    return out


def compute(cases: CaseTable, agreements: Mapping[str, Agreement]) -> Payouts:
    n = len(cases)
    valid = cases.valid
    nat = np.datetime64("NaT")
    # Rejected rows compute on a harmless stand-in date; their results are masked below.
    term = np.where(valid, cases.termination_date, np.datetime64("2000-01-03"))

    sc_months = _per_row(cases, agreements, lambda a: a.salary_continuation_months, np.int64, 0)
    bn_months = _per_row(cases, agreements, lambda a: a.benefits_continuation_months, np.int64, 0)
    due_days = _per_row(cases, agreements, lambda a: a.lump_sum_due_days, np.int64, 0)
    floor = _per_row(cases, agreements, lambda a: Fraction(a.bonus_floor_fraction), object, Fraction(0))
    floor_num = np.fromiter((f.numerator for f in floor), dtype=np.int64, count=n)
    floor_den = np.fromiter((f.denominator for f in floor), dtype=np.int64, count=n)
    minimum = _per_row(cases, agreements, lambda a: int(a.minimum_base_salary * 100), np.int64, 0)
    anchor = _per_row(cases, agreements, lambda a: np.datetime64(a.biweekly_anchor, "D"), DAY,
                      np.datetime64("2002-01-04"))
    calendar = _per_row(cases, agreements, lambda a: a.holiday_calendar, object, "")

    reason = cases.termination_reason
    without_cause = reason == "without_cause"
    good_reason = reason == "good_reason"
    eligible = valid & (without_cause | (good_reason & ~cases.consented_to_change))
    zero = np.zeros(n, dtype=np.int64)

    # (i) salary continuation: base_salary x months / 12, in equal installments on the paydays
    # in (termination_date, termination_date + months].
    salary_continuation = np.where(eligible, mul_div_round(cases.base_salary, sc_months, np.full(n, 12)), zero)
    continuation_end = add_months(term, sc_months)
    frequency = cases.frequency_code
    first_index = payday_count(term, frequency, anchor)
    installments = np.where(eligible, payday_count(continuation_end, frequency, anchor) - first_index, zero)
    installment_amount, last_installment_amount = installment_amounts(salary_continuation, installments)
    first_installment_nominal = payday_date(first_index, frequency, anchor)

    # (ii) prorated bonus. Basis: the bonus declared, or received where that is larger.
    declared = np.where(cases.bonus_declared, cases.prior_year_bonus_declared, zero)
    bonus_basis = np.maximum(declared, cases.prior_year_bonus_paid)
    year = term.astype("datetime64[Y]")
    bonus_days = (term - year.astype(DAY)).astype(np.int64) + 1
    bonus_year_days = ((year + 1).astype(DAY) - year.astype(DAY)).astype(np.int64)
    floor_applied = bonus_days * floor_den < floor_num * bonus_year_days
    proration_num = np.where(floor_applied, floor_num, bonus_days)
    proration_den = np.where(floor_applied, floor_den, bonus_year_days)
    prorated_bonus = np.where(eligible, mul_div_round(bonus_basis, proration_num, proration_den), zero)

    # (iii) the declared bonus not yet received.
    unpaid_bonus = np.where(eligible, np.maximum(declared - cases.prior_year_bonus_paid, 0), zero)

    # (iv) benefits continuation.
    benefits_continuation = np.where(eligible, cases.monthly_benefits_cost * bn_months, zero)

    cash_total = salary_continuation + prorated_bonus + unpaid_bonus
    total_value = cash_total + benefits_continuation

    lump_sum_due = term + due_days.astype("timedelta64[D]")
    show = eligible
    calendar_for = np.where(show, calendar, "")
    lump_sum_payment = business_day_before(np.where(show, lump_sum_due, nat), calendar_for)
    first_installment_date = business_day_before(
        np.where(show & (installments > 0), first_installment_nominal, nat), calendar_for)

    status = np.where(~valid, REJECTED, np.where(eligible, PAID, NO_SEVERANCE)).astype(object)
    why = np.full(n, "", dtype=object)
    why[valid & (reason == "for_cause")] = NOT_ELIGIBLE_REASONS["for_cause"]
    why[valid & (reason == "resignation")] = NOT_ELIGIBLE_REASONS["resignation"]
    why[valid & good_reason & cases.consented_to_change] = NOT_ELIGIBLE_REASONS["good_reason_consented"]
    for k in np.flatnonzero(~valid):
        why[k] = "; ".join(cases.errors[k])

    warnings = _warnings(cases, valid, declared, minimum, term)

    return Payouts(
        status=status, reason=why, warnings=warnings, eligible=eligible,
        salary_continuation=salary_continuation, prorated_bonus=prorated_bonus,
        unpaid_bonus=unpaid_bonus, benefits_continuation=benefits_continuation,
        cash_total=cash_total, total_value=total_value, bonus_basis=bonus_basis,
        bonus_days=bonus_days, bonus_year_days=bonus_year_days,
        proration_num=proration_num, proration_den=proration_den, floor_applied=floor_applied,
        lump_sum_due_date=np.where(show, lump_sum_due, nat), lump_sum_payment_date=lump_sum_payment,
        continuation_end_date=np.where(show, continuation_end, nat),
        benefits_end_date=np.where(show, add_months(term, bn_months), nat),
        installments=installments, first_installment_index=first_index,
        first_installment_date=first_installment_date,
        installment_amount=installment_amount, last_installment_amount=last_installment_amount,
        frequency=frequency, anchor=anchor, calendar=calendar,
    )


def _warnings(cases: CaseTable, valid, declared, minimum, term) -> np.ndarray:
    n = len(cases)
    out = np.full(n, "", dtype=object)
    below = valid & (cases.base_salary < minimum)
    over = valid & cases.bonus_declared & (cases.prior_year_bonus_paid > cases.prior_year_bonus_declared)
    month = term.astype("datetime64[M]").astype(np.int64) % 12
    early = valid & ~cases.bonus_declared & (month < 2)
    has_notes = np.fromiter((bool(x) for x in cases.notes), dtype=bool, count=n) & valid
    for k in np.flatnonzero(below | over | early | has_notes):
        found = []
        if below[k]:
            found.append(f"base_salary {format_cents(cases.base_salary[k])} is below the agreement's "
                         f"minimum of {format_cents(minimum[k])}")
        if over[k]:
            found.append(f"prior_year_bonus_paid {format_cents(cases.prior_year_bonus_paid[k])} exceeds "
                         f"prior_year_bonus_declared {format_cents(cases.prior_year_bonus_declared[k])}; "
                         "the amount received is the bonus basis")
        if early[k]:
            found.append("terminated before March 1 with no prior-year bonus declared: it may "
                         "still be declared (bonuses are typically paid in January and February)")
        found.extend(cases.notes[k])
        out[k] = "; ".join(found)
    return out
