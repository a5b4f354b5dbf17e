"""Cash flow: how much cash leaves in which period (and group), by payment date.

Built from the payment schedule (addin.rules.payments), after business-day adjustment, so the
periods add up to the schedule, which adds up to each case's cash total.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..cases import normalize_column
from ..rules.calendar import civil
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.money import format_cents_array
from ..rules.payments import payments

CASH_COMPONENTS = ("salary_continuation", "prorated_bonus", "unpaid_bonus")


class Period(Enum):
    MONTH = "month"
    QUARTER = "quarter"


class CashFlow(NamedTuple):
    """Cash paid per period (and group), integer cents, one entry per row."""
    period: np.ndarray              # "2002-07" or "2002-Q3"
    group: np.ndarray | None        # the group's value per row, None when not grouped
    amounts: dict[str, np.ndarray]  # component -> cents, plus "cash_total"
    payments: np.ndarray            # how many payments fall in the row


class GroupError(ValueError):
    """A --group column the case table does not have."""


def period_labels(dates: np.ndarray, by: Period) -> np.ndarray:
    year, month, _ = civil(dates)
    if by is Period.QUARTER:
        return np.char.add(np.char.add(year.astype(str), "-Q"), ((month - 1) // 3 + 1).astype(str))
    return np.char.add(np.char.add(year.astype(str), "-"), np.char.zfill(month.astype(str), 2))


def group_values(cases: CaseTable, column: str) -> np.ndarray:
    """Each case's value of a case-table column, as text ('(blank)' where empty)."""
    name = normalize_column(column)
    if name not in cases.raw.columns:
        found = ", ".join(c for c in cases.raw.columns if c != "source_row")
        raise GroupError(f"--group {column!r}: the case table has no such column (found: {found})")
    cells = cases.raw[name].astype(object)
    text = cells.where(cells.notna(), "").astype(str).str.strip()
    return text.where(text != "", "(blank)").to_numpy(dtype=object)


def cash_flow(cases: CaseTable, payouts: Payouts, by: Period = Period.MONTH,
              group: str | None = None) -> CashFlow:
    p = payments(payouts)
    labels = period_labels(p["payment_date"], by).astype(object) if len(p["case"]) else np.array([], dtype=object)
    groups = group_values(cases, group)[p["case"]] if group else None
    keys = pd.MultiIndex.from_arrays([labels] + ([groups] if group else []))
    codes, uniques = pd.factorize(keys, sort=True)
    n = len(uniques)
    amounts = {}
    for component in CASH_COMPONENTS:
        cents = np.zeros(n, dtype=np.int64)
        rows = p["component"] == component
        np.add.at(cents, codes[rows], p["amount"][rows])
        amounts[component] = cents
    amounts["cash_total"] = sum(amounts[c] for c in CASH_COMPONENTS)
    count = np.bincount(codes, minlength=n).astype(np.int64)
    if group:
        period = np.array([u[0] for u in uniques], dtype=object)
        group_of = np.array([u[1] for u in uniques], dtype=object)
    else:
        period = np.array([u[0] if isinstance(u, tuple) else u for u in uniques], dtype=object)
        group_of = None
    return CashFlow(period, group_of, amounts, count)


def cashflow_frame(flow: CashFlow, group: str | None = None) -> pd.DataFrame:
    """The `severance cashflow` table: period, [group], (i)-(iii), cash_total, payments."""
    columns: dict[str, object] = {"period": flow.period}
    if flow.group is not None:
        columns[normalize_column(group or "group")] = flow.group
    for name in (*CASH_COMPONENTS, "cash_total"):
        columns[name] = format_cents_array(flow.amounts[name])
    columns["payments"] = flow.payments
    return pd.DataFrame(columns)
