"""The values the report's formula cells are written with (their cached values), taken from the
engine's payouts, so a report reads right where nothing recalculates: pandas, openpyxl's
data_only, Excel's Protected View, preview panes, phone viewers. Excel recalculates on load.

Each value is typed as a spreadsheet caches it: amounts as numbers (cents / 100), dates as
date serials (int), text as str, "" where the formula gives a blank. Nothing here computes a
figure: every one is a field of addin.rules.engine.Payouts or addin.rules.payments.payments,
or the words addin.results.words gives the engine's codes.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..results.tables import MONEY_RESULTS
from ..results.words import reason_text, warning_text
from ..rules.calendar import MONTHLY, SEMIMONTHLY
from ..rules.case import CaseTable
from ..rules.engine import REJECTED, Payouts

# Excel's serial of 1970-01-01 (the engine's day 0), in the 1900 date system.
EXCEL_EPOCH_SERIAL = 25569
# The spreadsheet counts months from year 0 (YEAR*12+MONTH-1), the engine from 1970-01.
_MONTHS_BEFORE_1970 = 1970 * 12


def serials(days: np.ndarray) -> np.ndarray:
    """Dates (datetime64[D]) as Excel date serials (object array; "" for NaT, a blank)."""
    d = np.asarray(days, dtype="datetime64[D]")
    out = (d.view(np.int64) + EXCEL_EPOCH_SERIAL).astype(object)
    out[np.isnat(d)] = ""
    return out


def amounts(cents: np.ndarray) -> np.ndarray:
    """Integer cents as the numbers a formula gives (whole dollars as int, else float)."""
    c = np.asarray(cents, dtype=np.int64)
    out = (c / 100).astype(object)
    whole = c % 100 == 0
    out[whole] = (c[whole] // 100).astype(object)
    return out


def first_payday_numbers(payouts: Payouts) -> np.ndarray:
    """The Summary's first_payday_number: the engine's first_installment_index counted as the
    spreadsheet counts paydays (months from year 0; weekly and biweekly from the anchor)."""
    index = payouts.first_installment_index.astype(np.int64)
    shift = np.select([payouts.frequency == SEMIMONTHLY, payouts.frequency == MONTHLY],
                      [2 * _MONTHS_BEFORE_1970, _MONTHS_BEFORE_1970], 0)
    return (index + shift).astype(object)


def summary_values(cases: CaseTable, payouts: Payouts) -> dict[str, np.ndarray]:
    """Column name -> each row's cached value, for every computed Summary column (rows that
    are rejected are text cells, not formulas: their entries are never read)."""
    eligible = payouts.eligible
    out: dict[str, np.ndarray] = {
        "status": payouts.status.astype(object),
        "reason": reason_text(cases, payouts),
        "warnings": warning_text(cases, payouts),
        "installments": payouts.installments.astype(object),
        "first_payday_number": first_payday_numbers(payouts),
    }
    for name in MONEY_RESULTS:
        out[name] = amounts(getattr(payouts, name))
    proration = np.full(len(eligible), "", dtype=object)
    rows = np.flatnonzero(eligible)
    proration[rows] = payouts.proration_num[rows] / payouts.proration_den[rows]
    out["bonus_proration"] = proration
    for name in ("lump_sum_due_date", "continuation_end_date", "benefits_end_date",
                 "first_installment_date"):
        d = np.where(eligible, getattr(payouts, name), np.datetime64("NaT"))
        out[name] = serials(d)
    return out


def total_values(payouts: Payouts, names) -> dict[str, object]:
    """The totals row: each amount summed over the rows that are not rejected."""
    valid = payouts.status != REJECTED
    return {name: amounts(np.array([int(getattr(payouts, name)[valid].sum())]))[0] for name in names}


def counts_text(payouts: Payouts) -> str:
    """What the live counts formula (addin.excel.formulas.status_counts) reads."""
    n = {s: int((payouts.status == s).sum()) for s in ("paid", "no_severance", "rejected")}
    return (f"{len(payouts.status)} input rows = {n['paid']} paid + {n['no_severance']} "
            f"no_severance + {n['rejected']} rejected")


def schedule_values(pay: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each payment's cached nominal date, payment date (serials) and amount."""
    return {"nominal_date": serials(pay["nominal_date"]),
            "payment_date": serials(pay["payment_date"]),
            "amount": amounts(pay["amount"])}
