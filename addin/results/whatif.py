"""What-if by termination date: every case recomputed for each termination date of a range.

One vectorized pass of the engine over cases x dates: each (case, date) is a row of one case
table, so each point is exactly what `severance calc` gives that case with that date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from fractions import Fraction
from typing import Mapping

import numpy as np
import pandas as pd

from ..cases import FIRST_YEAR, LAST_YEAR
from ..rules.calendar import DAY, add_months
from ..rules.case import CaseTable, rows_of
from ..rules.engine import Payouts, compute
from ..rules.money import format_cents_array
from ..rules.terms import Agreement
from .tables import iso_dates, proration_text

MAX_POINTS = 5_000_000  # cases x dates in one run
WHATIF_COLUMNS = ("employee_id", "termination_date", "status", "salary_continuation",
                  "prorated_bonus", "unpaid_bonus", "benefits_continuation", "cash_total",
                  "total_value", "bonus_proration", "floor_applied")


class Step(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class WhatIfError(ValueError):
    """A date range that cannot be computed; the message says which bound and why."""


def termination_dates(first: dt.date, last: dt.date, step: Step) -> np.ndarray:
    if last < first:
        raise WhatIfError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    for flag, day in (("--from", first), ("--to", last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise WhatIfError(f"{flag} {day.isoformat()} is outside {FIRST_YEAR}-{LAST_YEAR}")
    start, end = np.datetime64(first, "D"), np.datetime64(last, "D")
    if step is Step.MONTH:
        months = (end.astype("datetime64[M]") - start.astype("datetime64[M]")).astype(np.int64)
        dates = add_months(np.full(months + 1, start), np.arange(months + 1))
        return dates[dates <= end]
    return np.arange(start, end + np.timedelta64(1, "D"), 7 if step is Step.WEEK else 1).astype(DAY)


def repeat_cases(cases: CaseTable, rows: np.ndarray, dates: np.ndarray) -> CaseTable:
    """The cases of `rows` (positions, repeated as needed) with the given termination dates."""
    return dataclasses.replace(rows_of(cases, rows), termination_date=np.asarray(dates, dtype=DAY))


def what_if(cases: CaseTable, agreements: Mapping[str, Agreement], dates: np.ndarray
            ) -> tuple[CaseTable, Payouts]:
    """Every case for every date: (the repeated cases, their payouts), case-major order."""
    points = len(cases) * len(dates)
    if points > MAX_POINTS:
        raise WhatIfError(f"{len(cases)} cases x {len(dates)} dates = {points:,} points; "
                          f"at most {MAX_POINTS:,} in one run: narrow the range or use --step")
    rows = np.repeat(np.arange(len(cases)), len(dates))
    grid = repeat_cases(cases, rows, np.tile(dates, len(cases)))
    return grid, compute(grid, agreements)


def whatif_frame(grid: CaseTable, payouts: Payouts) -> pd.DataFrame:
    valid = payouts.status != "rejected"
    columns: dict[str, object] = {
        "employee_id": grid.employee_id,
        "termination_date": iso_dates(grid.termination_date),
        "status": payouts.status,
    }
    for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                 "cash_total", "total_value"):
        columns[name] = format_cents_array(getattr(payouts, name), valid)
    columns["bonus_proration"] = proration_text(payouts.proration_num, payouts.proration_den,
                                                payouts.eligible)
    floor = payouts.floor_applied.astype(object)
    floor[~payouts.eligible] = ""
    columns["floor_applied"] = floor
    return pd.DataFrame(columns, columns=list(WHATIF_COLUMNS))


def floor_end(grid: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement]
              ) -> np.datetime64 | None:
    """The first termination date of the range on which a paid case's bonus is prorated above
    its agreement's floor (the day the flat stretch ends), or None when the floor holds
    throughout. A proration exactly at the floor still pays the floor's amount: still flat."""
    floors = [Fraction(agreements[a].bonus_floor_fraction) for a in grid.agreement_ids] + [Fraction(0)]
    code = np.where(grid.agreement_code >= 0, grid.agreement_code, len(grid.agreement_ids))
    floor_num = np.array([f.numerator for f in floors], dtype=np.int64)[code]
    floor_den = np.array([f.denominator for f in floors], dtype=np.int64)[code]
    above = payouts.proration_num * floor_den > floor_num * payouts.proration_den
    rows = payouts.eligible & above
    if not rows.any():
        return None
    return grid.termination_date[rows].min()
