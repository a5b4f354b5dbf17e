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
from fractions import Fraction
from functools import lru_cache, partial
from typing import Mapping, NamedTuple

import numpy as np

from .case import CaseTable
from .calendar import (DAY, FEW_DATES, add_months_civil, business_day_before, civil,
                       leap_year, payday_count, payday_date)
from .money import installment_amounts, mul_div_round
from .terms import Agreement

PAID, NO_SEVERANCE, REJECTED = "paid", "no_severance", "rejected"
_STATUSES = np.array([PAID, NO_SEVERANCE, REJECTED], dtype=object)
# Why a case pays nothing, as codes (results.words says each in words); rejected rows carry
# their problems in CaseTable.errors.
FOR_CAUSE, RESIGNATION, GOOD_REASON_CONSENTED = "for_cause", "resignation", "good_reason_consented"


@dataclass(frozen=True)
class Payouts:
    """The engine's result, column by column, aligned with the CaseTable rows."""
    status: np.ndarray
    reason_code: np.ndarray              # why a valid case pays nothing ('' when paid)
    warning_flags: np.ndarray           # bits: the *_FLAG constants below
    minimum_base_salary: np.ndarray      # the agreement's minimum, per row (cents)
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
    # The payment calendar (PAYDAY_FIELDS): None where compute was asked for the amounts alone
    # (paydays=False: a formula whose one figure needs no date), so that reading one fails.
    lump_sum_due_date: np.ndarray | None
    lump_sum_payment_date: np.ndarray | None    # due date moved to the business day before, if needed
    continuation_end_date: np.ndarray | None
    benefits_end_date: np.ndarray | None
    installments: np.ndarray | None
    first_installment_index: np.ndarray | None  # payday number of the first installment
    first_installment_date: np.ndarray | None   # its payment date (business-day adjusted)
    installment_amount: np.ndarray | None
    last_installment_amount: np.ndarray | None
    frequency: np.ndarray                # pay frequency code per row
    anchor: np.ndarray                   # weekly/biweekly anchor per row
    calendar: np.ndarray                 # holiday calendar per row

    def __len__(self) -> int:
        return len(self.status)


PAYDAY_FIELDS = ("lump_sum_due_date", "lump_sum_payment_date", "continuation_end_date",
                 "benefits_end_date", "installments", "first_installment_index",
                 "first_installment_date", "installment_amount", "last_installment_amount")


class _Parameters(NamedTuple):
    """The agreements' parameters, one entry per agreement code; the last entry (code -1, an
    unknown agreement, only on rejected rows) is a harmless fill."""
    sc_months: np.ndarray
    bn_months: np.ndarray
    due_days: np.ndarray
    floor_num: np.ndarray
    floor_den: np.ndarray
    minimum: np.ndarray
    anchor: np.ndarray
    calendar: np.ndarray


@lru_cache(maxsize=16)
def _parameters(agreements: tuple[Agreement, ...]) -> _Parameters:
    """The parameter tables of the agreements (in code order), made once per set of terms."""
    def table(attribute, dtype, fill):
        values = np.array([attribute(a) for a in agreements] + [fill], dtype=dtype)
        values.flags.writeable = False  # shared by every call with these terms
        return values
    return _Parameters(
        sc_months=table(lambda a: a.salary_continuation_months, np.int64, 0),
        bn_months=table(lambda a: a.benefits_continuation_months, np.int64, 0),
        due_days=table(lambda a: a.lump_sum_due_days, np.int64, 0),
        floor_num=table(lambda a: Fraction(a.bonus_floor_fraction).numerator, np.int64, 0),
        floor_den=table(lambda a: Fraction(a.bonus_floor_fraction).denominator, np.int64, 1),
        minimum=table(lambda a: int(a.minimum_base_salary * 100), np.int64, 0),
        anchor=table(lambda a: np.datetime64(a.biweekly_anchor, "D"), DAY, np.datetime64("2002-01-04")),
        calendar=table(lambda a: a.holiday_calendar, object, ""),
    )


def _paid_date(eligible: np.ndarray, where: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A date per distinct date key, as one per row where severance is paid (NaT elsewhere)."""
    return np.where(eligible, values[where], np.datetime64("NaT"))


def _distinct(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys, position of each row's key among them) for keys in [0, size)."""
    if len(key) <= FEW_DATES:  # a formula's few cases: numpy's sort costs more than the work
        distinct = sorted(set(key.tolist()))
        position = {k: i for i, k in enumerate(distinct)}
        return (np.array(distinct, dtype=np.int64),
                np.array([position[k] for k in key.tolist()], dtype=np.int64))
    if size <= 64 * len(key):
        present = np.zeros(size, dtype=bool)   # a dense table: no sort, O(rows)
        present[key] = True
        distinct = np.flatnonzero(present)
        position = np.zeros(size, dtype=np.int64)
        position[distinct] = np.arange(len(distinct))
        return distinct, position[key]
    return np.unique(key, return_inverse=True)


_EPOCH = np.datetime64("1900-01-01", "D")
_DAYS = int((np.datetime64("2200-01-01", "D") - _EPOCH).astype(np.int64))


@dataclass(frozen=True)
class _Calendar:
    """Everything that depends only on (termination date, agreement, pay frequency), computed
    once per distinct combination: a table of a million cases holds a few thousand of them.
    The payment calendar (continuation_end .. lump_sum_payment) is None where not asked for."""
    bonus_days: np.ndarray
    bonus_year_days: np.ndarray
    month: np.ndarray
    continuation_end: np.ndarray | None = None
    benefits_end: np.ndarray | None = None
    first_index: np.ndarray | None = None
    installments: np.ndarray | None = None
    first_installment_date: np.ndarray | None = None
    lump_sum_due: np.ndarray | None = None
    lump_sum_payment: np.ndarray | None = None


def _calendar(term, code, frequency, sc_months, bn_months, due_days, anchor, calendar,
              paydays: bool) -> _Calendar:
    k = len(term)
    fields = civil(term)
    year, month, _ = fields
    january_1 = term.astype("datetime64[Y]").astype(DAY)
    proration = {"bonus_days": (term - january_1).astype(np.int64) + 1,
                 "bonus_year_days": 365 + leap_year(year), "month": month}
    if not paydays:
        return _Calendar(**proration)
    # Each calendar function runs once on two dates per key (numpy's cost is per call, which
    # a formula's one case would otherwise pay twice): the continuation and benefits ends,
    # the paydays after termination and after the continuation end, the business days before
    # the first installment and the lump-sum due date.
    twice = partial(np.concatenate, axis=None)
    ends, end_fields = add_months_civil(twice([term, term]), twice([sc_months[code], bn_months[code]]),
                                        tuple(twice([f, f]) for f in fields))
    continuation_end = ends[:k]
    row_anchor = anchor[code]
    counts = payday_count(twice([term, continuation_end]), twice([frequency, frequency]),
                          twice([row_anchor, row_anchor]),
                          tuple(twice([f, e[:k]]) for f, e in zip(fields, end_fields)))
    first_index = counts[:k]
    installments = counts[k:] - first_index
    first_nominal = np.where(installments > 0, payday_date(first_index, frequency, row_anchor),
                             np.datetime64("NaT"))
    lump_sum_due = term + due_days[code].astype("timedelta64[D]")
    row_calendar = calendar[code]
    business = business_day_before(twice([first_nominal, lump_sum_due]), twice([row_calendar, row_calendar]))
    return _Calendar(
        **proration,
        continuation_end=continuation_end,
        benefits_end=ends[k:],
        first_index=first_index,
        installments=installments,
        first_installment_date=business[:k],
        lump_sum_due=lump_sum_due,
        lump_sum_payment=business[k:],
    )


def compute(cases: CaseTable, agreements: Mapping[str, Agreement], *, paydays: bool = True) -> Payouts:
    """Every clause of every case. `paydays=False`: the amounts alone, without the payment
    calendar (PAYDAY_FIELDS are None), for a formula whose one figure needs no date."""
    n = len(cases)
    valid = cases.valid
    # Rejected rows compute on a harmless stand-in date; their results are masked below.
    term = np.where(valid, cases.termination_date, np.datetime64("2000-01-03"))

    (sc_months, bn_months, due_days, floor_num, floor_den, minimum, anchor,
     calendar) = _parameters(tuple(agreements[a] for a in cases.agreement_ids))
    code = np.where(cases.agreement_code >= 0, cases.agreement_code, len(cases.agreement_ids))
    frequency = cases.frequency_code

    # Dates: computed once per distinct (termination date, agreement, frequency), then spread.
    n_codes = len(cases.agreement_ids) + 1
    key = ((term - _EPOCH).astype(np.int64) * n_codes + code) * 4 + frequency
    distinct, where = _distinct(key, _DAYS * n_codes * 4)
    d_frequency = distinct % 4
    d_code = (distinct // 4) % n_codes
    d_term = (distinct // (4 * n_codes)).astype("timedelta64[D]") + _EPOCH
    cal = _calendar(d_term, d_code, d_frequency, sc_months, bn_months, due_days, anchor, calendar, paydays)
    spread = partial(np.take, indices=where)  # a value per distinct date key -> one per row

    reason = cases.termination_reason
    good_reason = reason == "good_reason"
    eligible = valid & ((reason == "without_cause") | (good_reason & ~cases.consented_to_change))
    zero = np.zeros(n, dtype=np.int64)

    # (i) salary continuation: base_salary x months / 12, in equal installments on the paydays
    # in (termination_date, termination_date + months].
    salary_continuation = np.where(eligible, mul_div_round(cases.base_salary, sc_months[code], 12), zero)

    # (ii) prorated bonus = basis x max(days elapsed / days in year, floor). Basis: the bonus
    # declared, or the amount received where that is larger.
    declared = np.where(cases.bonus_declared, cases.prior_year_bonus_declared, zero)
    bonus_basis = np.maximum(declared, cases.prior_year_bonus_paid)
    bonus_days, bonus_year_days = spread(cal.bonus_days), spread(cal.bonus_year_days)
    row_floor_num, row_floor_den = floor_num[code], floor_den[code]
    floor_applied = bonus_days * row_floor_den < row_floor_num * bonus_year_days
    proration_num = np.where(floor_applied, row_floor_num, bonus_days)
    proration_den = np.where(floor_applied, row_floor_den, bonus_year_days)
    prorated_bonus = np.where(eligible, mul_div_round(bonus_basis, proration_num, proration_den), zero)

    # (iii) the declared bonus not yet received.
    unpaid_bonus = np.where(eligible, np.maximum(declared - cases.prior_year_bonus_paid, 0), zero)

    # (iv) benefits continuation.
    benefits_continuation = np.where(eligible, cases.monthly_benefits_cost * bn_months[code], zero)

    cash_total = salary_continuation + prorated_bonus + unpaid_bonus
    total_value = cash_total + benefits_continuation

    status = _STATUSES[np.where(~valid, 2, np.where(eligible, 0, 1))]
    why = np.full(n, "", dtype=object)
    why[valid & (reason == "for_cause")] = FOR_CAUSE
    why[valid & (reason == "resignation")] = RESIGNATION
    why[valid & good_reason & cases.consented_to_change] = GOOD_REASON_CONSENTED

    row_minimum = minimum[code]
    return Payouts(
        status=status, reason_code=why, eligible=eligible, minimum_base_salary=row_minimum,
        warning_flags=_warning_flags(cases, valid, row_minimum, spread(cal.month)),
        salary_continuation=salary_continuation, prorated_bonus=prorated_bonus,
        unpaid_bonus=unpaid_bonus, benefits_continuation=benefits_continuation,
        cash_total=cash_total, total_value=total_value, bonus_basis=bonus_basis,
        bonus_days=bonus_days, bonus_year_days=bonus_year_days,
        proration_num=proration_num, proration_den=proration_den, floor_applied=floor_applied,
        **(_payday_fields(cal, eligible, where, salary_continuation) if paydays
           else dict.fromkeys(PAYDAY_FIELDS)),
        frequency=frequency, anchor=anchor[code], calendar=calendar[code],
    )


def _payday_fields(cal: _Calendar, eligible, where, salary_continuation) -> dict[str, np.ndarray]:
    """The payment calendar of every row (PAYDAY_FIELDS), from each distinct date key's."""
    spread = partial(np.take, indices=where)
    paid_date = partial(_paid_date, eligible, where)
    # (i) is paid in equal installments on the paydays in (termination_date, termination_date + months].
    installments = np.where(eligible, spread(cal.installments), 0)
    installment_amount, last_installment_amount = installment_amounts(salary_continuation, installments)
    return dict(
        lump_sum_due_date=paid_date(cal.lump_sum_due), lump_sum_payment_date=paid_date(cal.lump_sum_payment),
        continuation_end_date=paid_date(cal.continuation_end),
        benefits_end_date=paid_date(cal.benefits_end),
        installments=installments, first_installment_index=spread(cal.first_index),
        first_installment_date=np.where(installments > 0, spread(cal.first_installment_date),
                                        np.datetime64("NaT")),
        installment_amount=installment_amount, last_installment_amount=last_installment_amount,
    )


# Warnings are flags in the engine (cheap for a million rows) and words only when shown.
BELOW_MINIMUM, PAID_OVER_DECLARED, EARLY_UNDECLARED, INPUT_NOTES = 1, 2, 4, 8


def _warning_flags(cases: CaseTable, valid, minimum, month) -> np.ndarray:
    below = valid & (cases.base_salary < minimum)
    over = valid & cases.bonus_declared & (cases.prior_year_bonus_paid > cases.prior_year_bonus_declared)
    early = valid & ~cases.bonus_declared & (month < 3)
    notes = valid & cases.has_notes
    return (below * BELOW_MINIMUM | over * PAID_OVER_DECLARED | early * EARLY_UNDECLARED
            | notes * INPUT_NOTES).astype(np.int64)
