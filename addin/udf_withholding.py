"""The withholding ESTIMATE as the Excel functions show it: each case's net cash total
(SEVERANCE_NET) and the rows SEVERANCE_BREAKDOWN adds when asked for withholding.

An adapter over addin.results.payroll, which `severance calc --withholding` reads too: the same
compute_payroll, the same per-case totals and notes, so a function's figure is the figure calc
writes. Nothing is computed here; a case without severance shows 0 (as SEVERANCE_TOTAL does),
where calc leaves its withholding cells blank.
"""

from __future__ import annotations

from typing import NamedTuple

from .results.payroll import ESTIMATE, compute_payroll, missing_table_text, withholding_calc_columns
from .rules.case import CaseTable
from .rules.engine import Payouts
from .rules.money import cents_to_decimal
from .rules.tax import builtin_tax_years

# The shipped tax tables, read once when the functions load (compute_payroll would read the
# files on every call).
TAX_YEARS = builtin_tax_years()
TABLE_YEARS = ", ".join(str(y) for y in sorted(TAX_YEARS))


class NetCash(NamedTuple):
    """Per case: the estimated net cash total as an Excel number ("" where some payment falls in
    a year without a tax table), and the words naming those years ("" where none)."""
    values: list
    missing: list[str]


def _amount(cents: int) -> float:
    # A two-place figure as the double Excel would hold had it been typed in.
    return float(cents_to_decimal(cents))


def net_cash(cases: CaseTable, payouts: Payouts) -> NetCash:
    totals = compute_payroll(cases, payouts, tax_years=TAX_YEARS).totals
    values = [_amount(c) if complete else "" for c, complete in zip(totals.net_cash_total, totals.complete)]
    missing = ["" if complete else missing_table_text(years)
               for complete, years in zip(totals.complete, totals.missing_years)]
    return NetCash(values, missing)


def no_estimate_message(missing: str) -> str:
    """A case whose estimate is blank, in one line: which years lack a table, which exist."""
    return f"{missing}: no withholding estimate (tax tables: {TABLE_YEARS})"


# The breakdown's withholding rows: (the calc column, its label, its basis). The net row's
# basis is calc's withholding_note for the case.
WITHHOLDING_ROWS = (
    ("withholding_total", "Withholding (estimate)",
     "federal, Social Security, Medicare, Additional Medicare and state tax withheld from the "
     "cash payments"),
    ("net_cash_total", "Net cash severance (estimate)", None),
    ("employer_taxes", "Employer taxes (estimate)",
     "employer Social Security and Medicare on the cash payments; not deducted from them"),
)
WITHHOLDING_CLAUSES = "(i)+(ii)+(iii)"  # only cash payments withhold


def withholding_rows(cases: CaseTable, payouts: Payouts, k: int = 0) -> list[list]:
    """Case k's breakdown rows for withholding_total, net_cash_total and employer_taxes, in the
    breakdown's columns (clause, component, label, amount, due_date, basis): the amounts blank
    where a payment's year has no tax table, the note then naming the year."""
    payroll = compute_payroll(cases, payouts, tax_years=TAX_YEARS)
    totals = payroll.totals
    note = withholding_calc_columns(payouts, payroll)["withholding_note"][k] or ESTIMATE
    rows = []
    for column, label, basis in WITHHOLDING_ROWS:
        amount = _amount(getattr(totals, column)[k]) if totals.complete[k] else ""
        rows.append([WITHHOLDING_CLAUSES, column, label, amount, "", basis or note])
    return rows
