"""The severance accrual and its journal entries, and the month-by-month liability roll-forward.

At recognition (the case's `notification_date` where given and not after the termination date,
else the termination date): debit severance expense and credit accrued severance for the cash
total ((i)+(ii)+(iii)); debit benefits expense and credit accrued benefits for (iv). At each cash
payment of the schedule: debit accrued severance, credit cash. Benefits continuation runs off
monthly over its coverage period: one month's cost each month (debit accrued benefits, credit
cash), so after the last payment both liabilities close at zero. Which standard governs the
recognition (ASC 712 for a contractual arrangement, ASC 420 for a one-time plan) is the user's
call; the tool only books what it is told to recognise.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Mapping, NamedTuple

import numpy as np
import pandas as pd

from ..rules.calendar import DAY, add_months
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.money import format_cents_array
from ..rules.payments import payments
from .cashflow import Period, period_labels
from .tables import iso_dates

DEFAULT_ACCOUNTS = {
    "severance_expense": "6400 Severance expense",
    "accrued_severance": "2150 Accrued severance",
    "benefits_expense": "6410 Severance benefits expense",
    "accrued_benefits": "2155 Accrued severance benefits",
    "cash": "1000 Cash",
}
LIABILITIES = ("accrued_severance", "accrued_benefits")
JOURNAL_COLUMNS = ("entry", "date", "employee_id", "event", "clause", "account", "debit", "credit")
ROLL_FORWARD_COLUMNS = ("month", "account", "opening", "accrued", "paid", "closing")


class AccountsError(ValueError):
    """An accounts file that cannot be used; the message names the file and the key."""


def load_accounts(path: str | Path | None) -> dict[str, str]:
    accounts = dict(DEFAULT_ACCOUNTS)
    if path is None:
        return accounts
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountsError(f"{path}: cannot read the accounts file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AccountsError(f"{path}: not valid TOML: {exc}") from None
    unknown_tables = sorted(set(data) - {"accounts"})
    if unknown_tables:
        raise AccountsError(f"{path}: unknown table {unknown_tables[0]!r}; accounts go under [accounts]")
    for key, value in data.get("accounts", {}).items():
        if key not in DEFAULT_ACCOUNTS:
            raise AccountsError(f"{path}: [accounts] {key!r} is not an account of the journal "
                                f"(use {', '.join(DEFAULT_ACCOUNTS)})")
        if not isinstance(value, str) or not value.strip():
            raise AccountsError(f"{path}: [accounts] {key!r} must be a non-empty text")
        accounts[key] = value.strip()
    return accounts


class Entries(NamedTuple):
    """Journal lines, one entry per row: each event is a debit line and a credit line."""
    entry: np.ndarray        # entry number (a debit and its credit share one)
    date: np.ndarray         # datetime64[D]
    case: np.ndarray         # row position of the case
    event: np.ndarray        # recognition | payment | benefits run-off
    clause: np.ndarray
    account: np.ndarray      # account key (DEFAULT_ACCOUNTS)
    debit: np.ndarray        # cents (0 on credit lines)
    credit: np.ndarray


def recognition_dates(cases: CaseTable, notification: np.ndarray | None) -> np.ndarray:
    """The notification date where given and not after termination, else the termination date."""
    term = cases.termination_date
    if notification is None:
        return term.copy()
    given = ~np.isnat(notification)
    return np.where(given & (notification <= term), notification, term)


def _events(cases: CaseTable, payouts: Payouts, recognised: np.ndarray):
    """(date, case, event, clause, debit account, credit account, cents) of every event."""
    paid = np.flatnonzero(payouts.eligible)
    parts = [
        (recognised[paid], paid, "recognition", "(i)-(iii)", "severance_expense", "accrued_severance",
         payouts.cash_total[paid]),
        (recognised[paid], paid, "recognition", "(iv)", "benefits_expense", "accrued_benefits",
         payouts.benefits_continuation[paid]),
    ]
    p = payments(payouts)
    parts.append((p["payment_date"], p["case"], "payment", p["clause"], "accrued_severance", "cash",
                  p["amount"]))
    # Benefits run off one month's cost at the end of each month of coverage.
    months = np.where(payouts.eligible, _coverage_months(cases, payouts), 0)
    case = np.repeat(np.arange(len(months)), months)
    number = np.arange(len(case)) - np.repeat(np.cumsum(months) - months, months) + 1
    parts.append((add_months(cases.termination_date[case], number), case, "benefits run-off", "(iv)",
                  "accrued_benefits", "cash", cases.monthly_benefits_cost[case]))
    return parts


def _coverage_months(cases: CaseTable, payouts: Payouts) -> np.ndarray:
    cost = np.where(cases.monthly_benefits_cost > 0, cases.monthly_benefits_cost, 1)
    return np.where(cases.monthly_benefits_cost > 0, payouts.benefits_continuation // cost, 0)


def journal_entries(cases: CaseTable, payouts: Payouts, notification: np.ndarray | None = None) -> Entries:
    recognised = recognition_dates(cases, notification)
    columns: dict[str, list] = {k: [] for k in ("date", "case", "event", "clause", "debit_account",
                                                 "credit_account", "amount")}
    for date, case, event, clause, debit, credit, amount in _events(cases, payouts, recognised):
        n = len(case)
        columns["date"].append(np.asarray(date, dtype=DAY))
        columns["case"].append(np.asarray(case, dtype=np.int64))
        columns["event"].append(np.full(n, event, dtype=object))
        columns["clause"].append(np.broadcast_to(np.asarray(clause, dtype=object), (n,)))
        columns["debit_account"].append(np.full(n, debit, dtype=object))
        columns["credit_account"].append(np.full(n, credit, dtype=object))
        columns["amount"].append(np.asarray(amount, dtype=np.int64))
    ev = {k: np.concatenate(v) for k, v in columns.items()}
    keep = ev["amount"] != 0
    ev = {k: v[keep] for k, v in ev.items()}
    order = np.lexsort((ev["case"], ev["date"].astype(np.int64)))
    ev = {k: v[order] for k, v in ev.items()}
    n = len(ev["amount"])
    number = np.repeat(np.arange(1, n + 1), 2)
    zero = np.zeros(n, dtype=np.int64)
    return Entries(
        entry=number, date=np.repeat(ev["date"], 2), case=np.repeat(ev["case"], 2),
        event=np.repeat(ev["event"], 2), clause=np.repeat(ev["clause"], 2),
        account=np.column_stack([ev["debit_account"], ev["credit_account"]]).ravel(),
        debit=np.column_stack([ev["amount"], zero]).ravel(),
        credit=np.column_stack([zero, ev["amount"]]).ravel(),
    )


def journal_frame(cases: CaseTable, entries: Entries, accounts: Mapping[str, str]) -> pd.DataFrame:
    debit = format_cents_array(entries.debit, entries.debit != 0)
    credit = format_cents_array(entries.credit, entries.credit != 0)
    return pd.DataFrame({
        "entry": entries.entry, "date": iso_dates(entries.date),
        "employee_id": cases.employee_id[entries.case], "event": entries.event,
        "clause": entries.clause, "account": [accounts[a] for a in entries.account],
        "debit": debit, "credit": credit,
    }, columns=list(JOURNAL_COLUMNS))


def roll_forward(entries: Entries) -> dict[str, np.ndarray]:
    """Per month (from the first entry to the last) and liability: opening, accrued, paid, closing
    (cents). Months without entries are shown too, so the balance reads month after month."""
    if not len(entries.entry):
        return {"month": np.array([], dtype=object), "account": np.array([], dtype=object),
                **{k: np.array([], dtype=np.int64) for k in ("opening", "accrued", "paid", "closing")}}
    month_of = entries.date.astype("datetime64[M]")
    months = np.arange(month_of.min(), month_of.max() + np.timedelta64(1, "M"))
    index = (month_of - months[0]).astype(np.int64)
    out: dict[str, list] = {k: [] for k in ROLL_FORWARD_COLUMNS}
    labels = period_labels(months.astype(DAY), Period.MONTH).astype(object)
    for liability in LIABILITIES:
        on = entries.account == liability
        accrued = _sum_by(index[on], entries.credit[on], len(months))
        paid = _sum_by(index[on], entries.debit[on], len(months))
        closing = np.cumsum(accrued - paid)
        out["month"].append(labels)
        out["account"].append(np.full(len(months), liability, dtype=object))
        out["opening"].append(closing - accrued + paid)
        out["accrued"].append(accrued)
        out["paid"].append(paid)
        out["closing"].append(closing)
    return {k: np.concatenate(v) for k, v in out.items()}


def _sum_by(index: np.ndarray, cents: np.ndarray, size: int) -> np.ndarray:
    total = np.zeros(size, dtype=np.int64)
    np.add.at(total, index, cents)
    return total


def roll_forward_frame(table: Mapping[str, np.ndarray], accounts: Mapping[str, str]) -> pd.DataFrame:
    frame = {"month": table["month"], "account": [accounts[a] for a in table["account"]]}
    for name in ("opening", "accrued", "paid", "closing"):
        frame[name] = format_cents_array(table[name])
    return pd.DataFrame(frame, columns=list(ROLL_FORWARD_COLUMNS))
