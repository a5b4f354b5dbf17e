"""Result tables: the engine's payouts as the `severance calc` and `severance schedule` columns.

Every adapter (CLI, report, UDFs) takes its columns from here, so a figure has one name and one
format everywhere: money as two-place decimals, dates as ISO text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
import datetime as dt

import numpy as np
import pandas as pd

from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.money import cents_to_decimal, format_cents, format_cents_array
from ..rules.payments import payments
from .words import reason_text, warning_text

CALC_COLUMNS = (
    "source_row", "employee_id", "employee_name", "agreement", "status", "reason", "warnings",
    "salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
    "cash_total", "total_value", "bonus_proration", "lump_sum_due_date",
    "continuation_end_date", "benefits_end_date", "installments", "first_installment_date",
    "installment_amount", "last_installment_amount",
)
MONEY_RESULTS = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                 "cash_total", "total_value", "installment_amount", "last_installment_amount")
DATE_RESULTS = ("lump_sum_due_date", "continuation_end_date", "benefits_end_date",
                "first_installment_date")
SCHEDULE_COLUMNS = ("employee_id", "component", "clause", "nominal_date", "payment_date", "amount")


def iso_dates(d: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(np.asarray(d, dtype="datetime64[D]"), unit="D").astype(object)
    text[np.isnat(d)] = ""
    return text


def proration_text(num: np.ndarray, den: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The applied bonus fraction as a decimal with six places (half away from zero)."""
    micro = (2 * num * 1_000_000 + den) // (2 * den)
    if micro.size == 0:  # np.char.zfill cannot size an empty array
        return np.empty(micro.shape, dtype=object)
    text = np.char.add(np.char.add((micro // 1_000_000).astype(str), "."),
                       np.char.zfill((micro % 1_000_000).astype(str), 6)).astype(object)
    text[~valid] = ""
    return text


def calc_frame(cases: CaseTable, payouts: Payouts) -> pd.DataFrame:
    """One row per input row, in input order, with exactly the `severance calc` columns."""
    valid = payouts.status != "rejected"
    columns = {
        "source_row": cases.source_row,
        "employee_id": cases.employee_id,
        "employee_name": cases.employee_name,
        "agreement": cases.agreement,
        "status": payouts.status,
        "reason": reason_text(cases, payouts),
        "warnings": warning_text(cases, payouts),
    }
    for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                 "cash_total", "total_value"):
        columns[name] = format_cents_array(getattr(payouts, name), valid)
    columns["bonus_proration"] = proration_text(payouts.proration_num, payouts.proration_den,
                                                payouts.eligible)
    for name in ("lump_sum_due_date", "continuation_end_date", "benefits_end_date"):
        columns[name] = iso_dates(getattr(payouts, name))
    installments = payouts.installments.astype(object)
    installments[~valid] = ""
    columns["installments"] = installments
    columns["first_installment_date"] = iso_dates(payouts.first_installment_date)
    for name in ("installment_amount", "last_installment_amount"):
        columns[name] = format_cents_array(getattr(payouts, name), valid)
    return pd.DataFrame(columns, columns=list(CALC_COLUMNS))


def schedule_frame(cases: CaseTable, payouts: Payouts) -> pd.DataFrame:
    """Every payment, one row each, with the `severance schedule` columns."""
    p = payments(payouts)
    return pd.DataFrame({
        "employee_id": cases.employee_id[p["case"]],
        "component": p["component"],
        "clause": p["clause"],
        "nominal_date": iso_dates(p["nominal_date"]),
        "payment_date": iso_dates(p["payment_date"]),
        "amount": format_cents_array(p["amount"]),
    }, columns=list(SCHEDULE_COLUMNS))


# ---------------------------------------------------------------------------------------------
# Line items of one case: the breakdown finance reads, each figure with its clause and basis.

# The date each line item (i)-(iv) is dated by, as `line_items` gives it: the continuations run
# through their end dates, the lump sums are due by the lump-sum due date.
COMPONENT_DATES = MappingProxyType({
    "salary_continuation": "continuation_end_date",
    "prorated_bonus": "lump_sum_due_date",
    "unpaid_bonus": "lump_sum_due_date",
    "benefits_continuation": "benefits_end_date",
})


@dataclass(frozen=True)
class LineItem:
    clause: str
    component: str
    label: str
    amount: Decimal
    due_date: dt.date | None
    basis: str


def _date(d) -> dt.date | None:
    return None if np.isnat(d) else d.astype(object)


def line_items(cases: CaseTable, payouts: Payouts, k: int, agreement) -> list[LineItem]:
    """The four line items (i)-(iv) of case k, with a plain-words basis for each amount."""
    money = lambda cents: cents_to_decimal(int(cents))  # noqa: E731
    months = agreement.salary_continuation_months
    n = int(payouts.installments[k])
    salary_basis = (f"{format_cents(cases.base_salary[k])} x {months}/12, paid in {n} "
                    f"{cases.pay_frequency[k]} installments through "
                    f"{iso_dates(payouts.continuation_end_date[k:k + 1])[0]}")
    days, year_days = int(payouts.bonus_days[k]), int(payouts.bonus_year_days[k])
    floor = agreement.bonus_floor_fraction
    if payouts.floor_applied[k]:
        fraction = f"{floor.normalize():f} floor applied: {days}/{year_days} < {floor.normalize():f}"
    else:
        fraction = f"prorated {days}/{year_days} (at least the {floor.normalize():f} floor)"
    declared = cases.prior_year_bonus_declared[k] if cases.bonus_declared[k] else None
    received = cases.prior_year_bonus_paid[k]
    if declared is None or received > declared:
        basis_source = f"bonus received {format_cents(received)}"
    else:
        basis_source = f"bonus declared {format_cents(declared)}"
    bonus_basis = f"{basis_source} x {fraction}"
    unpaid_basis = ("no prior-year bonus declared" if declared is None else
                    f"declared {format_cents(declared)} - received {format_cents(received)}, not below 0")
    benefits_basis = (f"{format_cents(cases.monthly_benefits_cost[k])} a month x "
                      f"{agreement.benefits_continuation_months} months, covered through "
                      f"{iso_dates(payouts.benefits_end_date[k:k + 1])[0]}")
    due = _date(payouts.lump_sum_due_date[k])
    return [
        LineItem("(i)", "salary_continuation", "Salary continuation",
                 money(payouts.salary_continuation[k]), _date(payouts.continuation_end_date[k]), salary_basis),
        LineItem("(ii)", "prorated_bonus", "Prorated prior-year bonus",
                 money(payouts.prorated_bonus[k]), due, bonus_basis),
        LineItem("(iii)", "unpaid_bonus", "Declared bonus not yet received",
                 money(payouts.unpaid_bonus[k]), due, unpaid_basis),
        LineItem("(iv)", "benefits_continuation", "Benefits continuation",
                 money(payouts.benefits_continuation[k]), _date(payouts.benefits_end_date[k]), benefits_basis),
    ]
