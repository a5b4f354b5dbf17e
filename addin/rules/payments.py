"""The payment schedule: every payment of every paid case, from the engine's payouts.

A schedule has millions of payments but only a few thousand distinct paydays: the nominal and
payment dates are computed once per payday of each (pay frequency, anchor, holiday calendar) and
taken per installment, and the salary installments, already in date order within each case, are
merged with the few lump sums instead of sorting everything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar import DAY, business_day_before, payday_date

COMPONENT_CLAUSES = {"salary_continuation": "(i)", "prorated_bonus": "(ii)", "unpaid_bonus": "(iii)",
                     "benefits_continuation": "(iv)"}
LUMP_SUMS = ("prorated_bonus", "unpaid_bonus")   # one payment each, on the lump-sum due date
SALARY = "salary_continuation"
COMPONENTS = (SALARY, *LUMP_SUMS)   # a payment's component by its code
_COMPONENT_TEXT = np.array(COMPONENTS, dtype=object)
_CLAUSE_TEXT = np.array([COMPONENT_CLAUSES[c] for c in COMPONENTS], dtype=object)


def payments(payouts) -> dict[str, np.ndarray]:
    """Every payment of every paid case, one entry each, ordered by case then date.

    Keys: case (row position), component, clause (and code: the component's index in
    COMPONENTS; -1 for one they do not hold, the 409A delay's), installment (1.. for (i), 0
    for lump sums),
    nominal_date, payment_date, amount (cents). Zero amounts are not payments and are left out.
    On the same date, (i) comes before (ii) before (iii); a missing date comes first in its case.
    """
    count = np.where(payouts.eligible, payouts.installments, 0)
    starts = np.cumsum(count) - count   # salary installments of the cases before
    paid = np.flatnonzero(count > 0)
    amount_type = np.result_type(payouts.installment_amount, payouts.last_installment_amount,
                                 *(getattr(payouts, c) for c in LUMP_SUMS))

    # The lump sums, ordered by case, then date (a missing one first), then clause.
    rows = [np.flatnonzero(payouts.eligible & (getattr(payouts, c) > 0)) for c in LUMP_SUMS]
    lump_case = np.concatenate(rows)
    lump_code = np.repeat(np.arange(1, len(LUMP_SUMS) + 1, dtype=np.int8), [len(r) for r in rows])
    lump_date = payouts.lump_sum_due_date[lump_case].astype(DAY)
    lump_amount = np.concatenate([getattr(payouts, c)[r] for c, r in zip(LUMP_SUMS, rows)])
    order = np.lexsort((lump_code, lump_date.view(np.int64), lump_case))
    lump_case, lump_code, lump_date, lump_amount = (
        lump_case[order], lump_code[order], lump_date[order], lump_amount[order])
    lumps = len(lump_case)

    calendar = np.asarray(payouts.calendar, dtype=object)
    cal_code = pd.factorize(calendar, use_na_sentinel=False)[0]
    cal_names = calendar[np.unique(cal_code, return_index=True)[1]]  # the values themselves
    paydays = _Paydays(payouts, paid, count, cal_code)
    if not paydays.ordered:   # not in date order after all: the general rule, by sorting
        return _sorted(payouts, count, starts, paydays, amount_type,
                       lump_case, lump_code, lump_date, lump_amount)
    low, high = _date_ranges(paydays, count, cal_code, lump_case, lump_date, len(cal_names))
    payment = np.empty(len(paydays.nominal), dtype=DAY)
    for (first, stop), c in zip(paydays.segments, paydays.calendars):
        payment[first:stop] = _business_day_before(paydays.nominal[first:stop], cal_names[c],
                                                   low[c], high[c])
    lump_payment = np.empty(lumps, dtype=DAY)
    lump_cal = cal_code[lump_case]
    for c in np.unique(lump_cal):
        mine = lump_cal == c
        lump_payment[mine] = _business_day_before(lump_date[mine], cal_names[c], low[c], high[c])

    # Each lump sum goes after its case's salary installments dated on or before it.
    before = np.zeros(lumps, dtype=np.int64)
    group = paydays.group[lump_case]
    for g in np.unique(group[group >= 0]):
        mine = group == g
        first, stop = paydays.segments[g]
        le = np.searchsorted(paydays.nominal[first:stop].view(np.int64),
                             lump_date[mine].view(np.int64), side="right") + first
        c = lump_case[mine]
        before[mine] = np.clip(le - paydays.base[c], 0, count[c])
    lump_at = starts[lump_case] + before + np.arange(lumps)
    total = int(count.sum()) + lumps
    case_lumps = np.bincount(lump_case, minlength=len(count))
    case = np.repeat(np.arange(len(count)), count + case_lumps)
    is_lump = np.zeros(total, dtype=bool)
    is_lump[lump_at] = True

    # Built in place, row by row in the final order: for an installment, its number (1 + the
    # installments before it, less those of the cases before) and its entry in the tables.
    installment = np.arange(1, total + 1)
    installment -= np.cumsum(is_lump)
    installment -= starts[case]
    at = installment + (paydays.base - 1)[case]
    at[lump_at] = len(paydays.nominal) + np.arange(lumps)
    installment[lump_at] = 0
    amount = payouts.installment_amount[case].astype(amount_type, copy=False)
    lumps_first = np.bincount(lump_case[before < count[lump_case]], minlength=len(count))
    last = starts + np.cumsum(case_lumps) - case_lumps + count - 1 + lumps_first
    amount[last[paid]] = payouts.last_installment_amount[paid]
    amount[lump_at] = lump_amount
    code = np.zeros(total, dtype=np.int8)
    code[lump_at] = lump_code
    component = np.empty(total, dtype=object)
    component[:] = COMPONENTS[0]
    component[lump_at] = _COMPONENT_TEXT[lump_code]
    clause = np.empty(total, dtype=object)
    clause[:] = _CLAUSE_TEXT[0]
    clause[lump_at] = _CLAUSE_TEXT[lump_code]
    return {
        "case": case, "code": code, "component": component, "clause": clause, "installment": installment,
        "nominal_date": np.concatenate([paydays.nominal, lump_date])[at], "amount": amount,
        "payment_date": np.concatenate([payment, lump_payment])[at],
    }


class _Paydays:
    """The nominal paydays of the salary installments, as one table of segments: one segment
    per (frequency, anchor, calendar) of the paid cases, covering its cases' payday numbers."""

    def __init__(self, payouts, paid: np.ndarray, count: np.ndarray, cal_code: np.ndarray):
        first = payouts.first_installment_index[paid].astype(np.int64)
        last = first + count[paid] - 1
        frequency = payouts.frequency[paid]
        anchor = payouts.anchor[paid].astype(DAY).view(np.int64)
        cal = cal_code[paid]
        self.base = np.zeros(len(count), dtype=np.int64)  # a case's first installment's entry
        self.group = np.full(len(count), -1, dtype=np.int64)
        self.segments, self.calendars, tables = [], [], []
        self.ordered, size = True, 0
        for f in np.unique(frequency):
            of_f = frequency == f
            for a in np.unique(anchor[of_f]):
                of_fa = of_f & (anchor == a)
                for c in np.unique(cal[of_fa]):
                    mine = of_fa & (cal == c)
                    lo, hi = int(first[mine].min()), int(last[mine].max())
                    index = np.arange(lo, hi + 1)
                    table = payday_date(index, np.full(len(index), f), np.full(len(index), a).view(DAY))
                    days = table.view(np.int64)
                    # (in date order, and a date missing from none or all of a table)
                    nat = np.isnat(table)
                    self.ordered &= bool((days[1:] >= days[:-1]).all()) and nat.all() == nat.any()
                    self.base[paid[mine]] = size - lo + first[mine]
                    self.group[paid[mine]] = len(self.segments)
                    self.segments.append((size, size + len(index)))
                    self.calendars.append(c)
                    tables.append(table)
                    size += len(index)
        self.nominal = np.concatenate(tables) if tables else np.empty(0, dtype=DAY)


def _date_ranges(paydays: _Paydays, count, cal_code, lump_case, lump_date, n_cal):
    """Per calendar, the first and last date of its payments (NaT when it has none): what
    business_day_before would see of them, so the same years' holidays are used."""
    paid = np.flatnonzero(count > 0)
    first = paydays.nominal[paydays.base[paid]]
    last = paydays.nominal[paydays.base[paid] + count[paid] - 1]   # the tables are in order
    dates = np.concatenate([first, last, lump_date])
    cal = np.concatenate([cal_code[paid], cal_code[paid], cal_code[lump_case]])
    known = ~np.isnat(dates)
    low = np.full(n_cal, np.datetime64("NaT"), dtype=DAY)
    high = low.copy()
    for c in np.unique(cal[known]):
        mine = dates[known & (cal == c)]
        low[c], high[c] = mine.min(), mine.max()
    return low, high


def _business_day_before(d: np.ndarray, calendar, low, high) -> np.ndarray:
    """business_day_before(d, calendar) for the entries of d within [low, high], as if d
    spanned exactly low .. high (its holidays are those years'); other entries are not used."""
    if np.isnat(low):
        return d.copy()   # every date of this calendar is missing
    days = np.concatenate([np.clip(d, low, high), np.array([low, high], dtype=DAY)])
    return business_day_before(days, calendar)[:-2]


def _sorted(payouts, count, starts, paydays, amount_type, lump_case, lump_code, lump_date,
            lump_amount):
    """The general rule: every payment sorted by case, date and clause."""
    case = np.repeat(np.arange(len(count)), count)
    number = np.arange(len(case)) - np.repeat(starts, count)
    amount = np.repeat(payouts.installment_amount, count).astype(amount_type, copy=False)
    paid = np.flatnonzero(count > 0)
    amount[starts[paid] + count[paid] - 1] = payouts.last_installment_amount[paid]
    code = np.concatenate([np.zeros(len(case), dtype=np.int8), lump_code])
    out = {
        "case": np.concatenate([case, lump_case]), "code": code, "component": _COMPONENT_TEXT[code],
        "clause": _CLAUSE_TEXT[code],
        "installment": np.concatenate([number + 1, np.zeros(len(lump_case), dtype=np.int64)]),
        "nominal_date": np.concatenate([paydays.nominal[np.repeat(paydays.base, count) + number],
                                        lump_date]),
        "amount": np.concatenate([amount, lump_amount]),
    }
    out["payment_date"] = business_day_before(out["nominal_date"], payouts.calendar[out["case"]])
    order = np.lexsort((code, out["nominal_date"].astype(np.int64), out["case"]))
    return {key: value[order] for key, value in out.items()}
