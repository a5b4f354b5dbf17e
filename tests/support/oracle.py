"""An independent, per-row reading of the letter in plain Decimal and datetime: the test oracle
the vectorized engine is checked against (and the per-row loop the benchmarks compare with).

Written straight from the clauses, one case at a time, sharing no code with the engine.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import holidays as holidays_lib

CENT = Decimal("0.01")


def r(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def paydays(start: dt.date, end: dt.date, frequency: str, anchor: dt.date):
    """Regular paydays in (start, end]."""
    out = []
    if frequency in ("weekly", "biweekly"):
        step = 7 if frequency == "weekly" else 14
        k = (start - anchor).days // step + 1
        d = anchor + dt.timedelta(days=k * step)
        while d <= end:
            out.append(d)
            d += dt.timedelta(days=step)
        return out
    y, m = start.year, start.month
    while True:
        last = dt.date(y, m, calendar.monthrange(y, m)[1])
        days = [last] if frequency == "monthly" else [dt.date(y, m, 15), last]
        for d in days:
            if start < d <= end:
                out.append(d)
        if last >= end:
            return out
        m += 1
        if m == 13:
            y, m = y + 1, 1


_HOLIDAYS: dict[int, set] = {}


def business_day_before(d: dt.date) -> dt.date:
    while True:
        if d.year not in _HOLIDAYS:
            _HOLIDAYS[d.year] = set(holidays_lib.country_holidays("US", years=d.year))
        if d.weekday() < 5 and d not in _HOLIDAYS[d.year]:
            return d
        d -= dt.timedelta(days=1)


def severance(termination_date: dt.date, reason: str, base_salary: Decimal,
              declared: Decimal | None, paid: Decimal, monthly_benefits: Decimal,
              frequency: str = "semimonthly", consented: bool = False,
              months: int = 12, floor: Decimal = Decimal("0.5"), benefit_months: int = 12,
              due_days: int = 30, anchor: dt.date = dt.date(2002, 1, 4)) -> dict:
    eligible = reason == "without_cause" or (reason == "good_reason" and not consented)
    if not eligible:
        return {"eligible": False, "cash_total": Decimal("0.00"), "payments": []}
    salary = r(base_salary * months / 12)
    days = (termination_date - dt.date(termination_date.year, 1, 1)).days + 1
    year_days = 366 if calendar.isleap(termination_date.year) else 365
    basis = max(declared or Decimal(0), paid)
    proration = Decimal(days) / Decimal(year_days)
    fraction_num, fraction_den = (days, year_days)
    if proration < floor:
        fraction_num, fraction_den = floor.as_integer_ratio()
    bonus = r(basis * fraction_num / fraction_den)
    unpaid = r(max((declared or Decimal(0)) - paid, Decimal(0))) if declared is not None else Decimal("0.00")
    benefits = r(monthly_benefits * benefit_months)
    end = add_months(termination_date, months)
    days_paid = paydays(termination_date, end, frequency, anchor)
    n = len(days_paid)
    payments = []
    if n:
        each = r(salary / n)
        if each * (n - 1) > salary:
            each = (salary / n).quantize(CENT, rounding="ROUND_DOWN")
        for i, d in enumerate(days_paid):
            amount = each if i < n - 1 else salary - each * (n - 1)
            payments.append(("salary_continuation", "(i)", d, business_day_before(d), amount))
    due = termination_date + dt.timedelta(days=due_days)
    for component, clause, amount in (("prorated_bonus", "(ii)", bonus), ("unpaid_bonus", "(iii)", unpaid)):
        if amount > 0:
            payments.append((component, clause, due, business_day_before(due), amount))
    payments.sort(key=lambda p: (p[2], p[1] != "(i)", p[1]))
    return {
        "eligible": True, "salary_continuation": salary, "prorated_bonus": bonus,
        "unpaid_bonus": unpaid, "benefits_continuation": benefits,
        "cash_total": salary + bonus + unpaid, "total_value": salary + bonus + unpaid + benefits,
        "installments": n, "lump_sum_due_date": due, "continuation_end_date": end,
        "benefits_end_date": add_months(termination_date, benefit_months), "payments": payments,
    }
