"""Result tables: the engine's payouts as the `severance calc` and `severance schedule` columns.

Every adapter (CLI, report, UDFs) takes its columns from here, so a figure has one name and one
format everywhere: money as two-place decimals, dates as ISO text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Iterator
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..ahead import ahead
from ..rules.case import CaseTable, rows_of
from ..rules.engine import NO_SEVERANCE, PAID, REJECTED, Payouts
from ..rules.money import cents_text, cents_to_decimal
from ..rules.payments import COMPONENT_CLAUSES, COMPONENTS, payments
from .csv_text import ROWS_PER_PART
from .words import reason_words, spread, taken, warning_words

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
# The calc columns whose values repeat from row to row (codes, words, fractions, dates, counts):
# a Parquet file stores each of their values once (a dictionary). The others (row numbers, ids,
# names, warnings, amounts) hardly repeat and are stored as they are: Arrow trying a dictionary
# on each of them, part after part, took a quarter of a million-case file's writing, for a
# larger file.
CALC_REPEATED = ("agreement", "status", "reason", "bonus_proration", *DATE_RESULTS, "installments")
# The calc text the add-in makes from its own figures and words, never from user text: a CSV
# writer need neither quote nor guard it (addin.results.csv_text.write_csv's `made`).
CALC_MADE = ("status", *MONEY_RESULTS, "bonus_proration", *DATE_RESULTS, "installments")
# The calc columns made from the engine's payment calendar (PAYDAY_FIELDS): the others are
# figures a formula can have from compute(..., paydays=False).
PAYDAY_RESULTS = DATE_RESULTS + ("installments", "installment_amount", "last_installment_amount")
SCHEDULE_COLUMNS = ("employee_id", "component", "clause", "nominal_date", "payment_date", "amount")
SCHEDULE_MADE = SCHEDULE_COLUMNS[1:]   # all but the employee's id (as CALC_MADE)


def iso_date_text(d: np.ndarray) -> pa.Array:
    """YYYY-MM-DD of each day as an Arrow string array ('' for NaT)."""
    days = pa.array(np.asarray(d, dtype="datetime64[D]").ravel())
    return pc.cast(days, pa.string()).fill_null("")


def iso_dates(d: np.ndarray) -> np.ndarray:
    if np.size(d) == 0:
        return np.empty(np.shape(d), dtype=object)
    return iso_date_text(d).to_numpy(zero_copy_only=False).reshape(np.shape(d))


def proration_text(num: np.ndarray, den: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The applied bonus fraction as a decimal with six places (half away from zero)."""
    return _proration(num, den, valid).to_numpy(zero_copy_only=False)


def _proration(num: np.ndarray, den: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Each valid row's fraction num/den to six places (half up), '' for the others; a year's
    fractions are days over 365 or 366, so each distinct one is made text once."""
    micro = (2 * np.asarray(num, dtype=np.int64) * 1_000_000 + den) // (2 * np.asarray(den, dtype=np.int64))
    micro = np.where(np.asarray(valid, dtype=bool), micro, -1)
    at, distinct = pd.factorize(micro)   # (by hashing: a sort of every row took twice as long)
    whole = pc.cast(pa.array(distinct // 1_000_000), pa.string())
    places = pc.utf8_lpad(pc.cast(pa.array(distinct % 1_000_000), pa.string()), 6, "0")
    text = pc.if_else(pa.array(distinct >= 0), pc.binary_join_element_wise(whole, places, "."), "")
    return taken(at, text)


def _column(text: pa.Array) -> pd.Series:
    """An Arrow text column as a pandas text column, without a Python string per cell."""
    return text.to_pandas()


def _objects(values: np.ndarray) -> pd.Series:
    """Python strings kept as they are (no conversion of a million of them to Arrow text)."""
    return pd.Series(values, dtype=object, copy=False)


CASE_TEXT = ("employee_id", "employee_name", "agreement")


def calc_text(cases: CaseTable, payouts: Payouts, name: str) -> pa.Array:
    """One `severance calc` column as Arrow, as a CSV or Parquet file holds it: source_row as
    integers, every other column as text ('' where a rejected row has no figure)."""
    valid = cases.valid
    if name in PAYDAY_RESULTS and getattr(payouts, name) is None:
        raise ValueError(f"{name}: these payouts were computed without the payment calendar "
                         "(compute(..., paydays=False))")
    if name == "source_row":
        return pa.array(cases.source_row, type=pa.int64())
    if name in ("employee_id", "employee_name"):
        return getattr(cases, f"{name}_text")
    if name == "agreement":
        return _agreement_text(cases)
    if name == "status":
        return _status_text(cases, payouts)
    if name == "reason":
        return reason_words(cases, payouts)
    if name == "warnings":
        return warning_words(cases, payouts)
    if name in MONEY_RESULTS:
        return cents_text(getattr(payouts, name), valid)
    if name == "bonus_proration":
        return _proration(payouts.proration_num, payouts.proration_den, payouts.eligible)
    if name in DATE_RESULTS:
        return _iso_days(getattr(payouts, name))
    if name == "installments":
        return _count_text(payouts.installments, valid)
    raise KeyError(f"{name!r} is not a severance calc column; the columns are {', '.join(CALC_COLUMNS)}")


def _count_text(counts: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Each valid row's count as text ('' for the others): a count's text made once for all
    the rows holding it (a calc's installments are a few dozen distinct numbers)."""
    counts = np.asarray(counts, dtype=np.int64)
    if not len(counts) or counts.min() < 0 or counts.max() >= 10_000:
        return pc.if_else(pa.array(valid), pc.cast(pa.array(counts), pa.string()), "")
    top = int(counts.max())
    index = np.where(np.asarray(valid, dtype=bool), counts, top + 1)
    return taken(index, [str(k) for k in range(top + 1)] + [""])


def _agreement_text(cases: CaseTable) -> pa.Array:
    """cases.agreement as Arrow text: where every row names a known agreement, each row's id
    taken by its code (no Python string per cell); the text as read otherwise."""
    code = cases.agreement_code
    if not len(code) or (code < 0).any():
        return pa.array(cases.agreement, type=pa.string())
    return taken(code, list(cases.agreement_ids))


def _status_text(cases: CaseTable, payouts: Payouts) -> pa.Array:
    statuses = (PAID, NO_SEVERANCE, REJECTED)
    index = np.where(payouts.eligible, 0, 1).astype(np.int8)
    index[~cases.valid] = 2
    return taken(index, list(statuses))


def calc_table(cases: CaseTable, payouts: Payouts) -> pa.Table:
    """The `severance calc` table as Arrow columns (calc_text), for the CSV and Parquet files."""
    return pa.table([calc_text(cases, payouts, name) for name in CALC_COLUMNS], names=list(CALC_COLUMNS))


# One thread makes the next part while the writer turns this one into CSV or Parquet: the two
# cores busy, and two parts' text held (more threads ahead were no faster here, and held about
# 100 MiB more of a million-case calc).
PART_WORKERS = 1


def calc_parts(cases: CaseTable, payouts: Payouts, rows: int = ROWS_PER_PART) -> Iterator[pa.Table]:
    """The `severance calc` table in parts of `rows` rows (at least one part, maybe empty): the
    text of a few parts is in memory at a time, not the whole table's; the next part is made
    meanwhile, on another thread (see addin.ahead), while the writer writes this one."""
    def part(start: int) -> pa.Table:
        rows_taken = slice(start, start + rows)
        return calc_table(rows_of(cases, rows_taken), rows_of(payouts, rows_taken))
    yield from ahead(part, range(0, max(len(cases), 1), rows), PART_WORKERS)


def calc_column(cases: CaseTable, payouts: Payouts, name: str) -> pd.Series | np.ndarray:
    """One `severance calc` column, computed and formatted alone (a function returning one
    figure formats only that one): calc_text's, with Python values where a frame holds them."""
    if name == "source_row":
        return cases.source_row
    if name in CASE_TEXT:
        return _objects(getattr(cases, name))
    if name == "status":
        return _objects(payouts.status)
    if name in ("reason", "warnings"):
        return _objects(calc_text(cases, payouts, name).to_numpy(zero_copy_only=False))
    if name == "installments":
        installments = payouts.installments.astype(object)
        installments[~cases.valid] = ""
        return installments
    return _column(calc_text(cases, payouts, name))


def calc_frame(cases: CaseTable, payouts: Payouts) -> pd.DataFrame:
    """One row per input row, in input order, with exactly the `severance calc` columns."""
    return pd.DataFrame({name: calc_column(cases, payouts, name) for name in CALC_COLUMNS},
                        columns=list(CALC_COLUMNS))


def schedule_frame(cases: CaseTable, payouts: Payouts) -> pd.DataFrame:
    """Every payment, one row each, with the `severance schedule` columns."""
    p = payments(payouts)
    return pd.DataFrame({
        "employee_id": _objects(cases.employee_id[p["case"]]),
        "component": _objects(p["component"]),
        "clause": _objects(p["clause"]),
        "nominal_date": _column(_iso_days(p["nominal_date"])),
        "payment_date": _column(_iso_days(p["payment_date"])),
        "amount": _column(cents_text(p["amount"])),
    }, columns=list(SCHEDULE_COLUMNS))


def schedule_parts(cases: CaseTable, payouts: Payouts, rows: int = ROWS_PER_PART) -> Iterator[pa.Table]:
    """schedule_frame as Arrow text columns, in parts of `rows` payments (at least one part,
    maybe empty), the next made on another thread while this one is written (see calc_parts)."""
    p = payments(payouts)
    ids = cases.employee_id_text
    components = pa.array(COMPONENTS, pa.string())
    clauses = pa.array([COMPONENT_CLAUSES[c] for c in COMPONENTS], pa.string())

    def part(start: int) -> pa.Table:
        in_part = slice(start, start + rows)
        code = pa.array(p["code"][in_part])
        return pa.table([
            ids.take(pa.array(p["case"][in_part])),
            taken(code, components),
            taken(code, clauses),
            _iso_days(p["nominal_date"][in_part]),
            _iso_days(p["payment_date"][in_part]),
            cents_text(p["amount"][in_part]),
        ], names=list(SCHEDULE_COLUMNS))
    yield from ahead(part, range(0, max(len(p["case"]), 1), rows), PART_WORKERS)


def _iso_days(d: np.ndarray) -> pa.Array:
    """iso_date_text(d) of a column of many dates but few distinct days (a schedule's paydays,
    a calc's due and end dates): each day's text made once, and its ten bytes copied to every
    cell of that day ('' for NaT)."""
    d = np.asarray(d, dtype="datetime64[D]").ravel()
    missing = np.isnat(d)
    days = d.view(np.int64)
    known = days[~missing] if missing.any() else days
    if not len(known) or 10 * len(d) >= 2**31:
        return iso_date_text(d)
    low, high = int(known.min()), int(known.max())
    if high - low >= len(d):
        return iso_date_text(d)
    text = iso_date_text(np.arange(low, high + 1).view("datetime64[D]"))
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset: text.offset + len(text) + 1]
    if text.null_count or (np.diff(offsets) != 10).any():   # a year outside 0000-9999
        return iso_date_text(d)
    table = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].view("S10")
    cells = pa.Array.from_buffers(pa.string(), len(known), [
        None, pa.py_buffer(np.arange(0, 10 * len(known) + 1, 10, dtype=np.int32)), pa.py_buffer(table[known - low])])
    return spread(len(d), np.flatnonzero(~missing), cells) if len(known) < len(d) else cells


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


def dollars(cents) -> str:
    """An amount in words of a basis: "$245,000.00" (a sign before the dollar sign)."""
    return f"{'-' if cents < 0 else ''}${cents_to_decimal(abs(int(cents))):,.2f}"


def line_items(cases: CaseTable, payouts: Payouts, k: int, agreement) -> list[LineItem]:
    """The four line items (i)-(iv) of case k, with a plain-words basis for each amount (the
    dates stand in their own column: paid through, paid by, covered through)."""
    money = lambda cents: cents_to_decimal(int(cents))  # noqa: E731
    months = agreement.salary_continuation_months
    n = int(payouts.installments[k])
    salary_basis = (f"{dollars(cases.base_salary[k])} x {months}/12 months; {n} "
                    f"{cases.pay_frequency[k]} payments")
    days, year_days = int(payouts.bonus_days[k]), int(payouts.bonus_year_days[k])
    floor = f"{agreement.bonus_floor_fraction.normalize():f}"
    if payouts.floor_applied[k]:
        fraction = f"{floor} (floor; {days}/{year_days} days)"
    else:
        fraction = f"{days}/{year_days} days (floor {floor})"
    declared = cases.prior_year_bonus_declared[k] if cases.bonus_declared[k] else None
    received = cases.prior_year_bonus_paid[k]
    if declared is None or received > declared:
        basis_source = f"bonus received {dollars(received)}"
    else:
        basis_source = f"bonus declared {dollars(declared)}"
    bonus_basis = f"{basis_source} x {fraction}"
    unpaid_basis = ("no prior-year bonus declared" if declared is None else
                    f"declared {dollars(declared)} - received {dollars(received)}, at least 0")
    benefits_basis = (f"{dollars(cases.monthly_benefits_cost[k])} a month x "
                      f"{agreement.benefits_continuation_months} months")
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
