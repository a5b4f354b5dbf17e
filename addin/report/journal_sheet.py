"""The Journal sheet: the accrual's journal entries (addin.results.journal: recognition, each
payment, the benefits run-off), every entry a debit line and a credit line that balance, and
beside them the month-by-month roll-forward of each liability, its accrued and paid amounts
SUMIFS over the entries, its opening the month before's closing. The accounts come from
`--accounts FILE` (addin.results.journal.load_accounts)."""

from __future__ import annotations

from typing import Mapping

import numpy as np
from openpyxl.utils import get_column_letter

from ..excel import formulas as F
from ..excel.cells import Cell, Kind, Role
from ..results.journal import JOURNAL_COLUMNS, ROLL_FORWARD_COLUMNS, Entries, roll_forward
from ..rules.case import CaseTable
from ..rules.money import cents_to_decimal
from .cash_flow import month_date
from .plan import Row, SheetPlan, as_date, date, header_block, number, text

TITLE = "Journal"
NOTE = ("Journal entries of the severance accrual: recognised at the notification date where "
        "given (else the termination date), paid down by each payment; benefits (iv) run off "
        "monthly. Which standard applies (ASC 712 or ASC 420) is the user's call.")
FIRST_ROW = 5
ENTRY_COLUMNS = (*JOURNAL_COLUMNS, "balance")
ROLL_FIRST_COLUMN = len(ENTRY_COLUMNS) + 2   # one empty column between the tables
_L = {name: get_column_letter(i + 1) for i, name in enumerate(ENTRY_COLUMNS)}
_R = {name: get_column_letter(ROLL_FIRST_COLUMN + i) for i, name in enumerate(ROLL_FORWARD_COLUMNS)}


def _money(cents) -> object:
    return cents_to_decimal(int(cents))


def journal_sheet(cases: CaseTable, entries: Entries, accounts: Mapping[str, str]) -> SheetPlan:
    n = len(entries.entry)
    table = roll_forward(entries)
    m = len(table["month"])
    last_entry = FIRST_ROW + max(n, 1) - 1
    entry_range = {name: f"${_L[name]}${FIRST_ROW}:${_L[name]}${last_entry}" for name in ENTRY_COLUMNS}

    def entry_row(i: int, r: int) -> Row:
        row: Row = [number(int(entries.entry[i]), Role.COUNT), date(as_date(entries.date[i]), Role.DATE),
                    text(cases.employee_id[entries.case[i]]), text(entries.event[i]),
                    text(entries.clause[i]), text(accounts[entries.account[i]])]
        row.append(Cell(Kind.NUMBER, _money(entries.debit[i]), Role.MONEY) if entries.debit[i] else None)
        row.append(Cell(Kind.NUMBER, _money(entries.credit[i]), Role.MONEY) if entries.credit[i] else None)
        if i % 2:  # the credit line: the entry's debits less its credits
            d, c = _L["debit"], _L["credit"]
            row.append(Cell(Kind.FORMULA, f"ROUND(N({d}{r - 1})+N({d}{r})-N({c}{r - 1})-N({c}{r}),2)",
                            Role.MONEY, 0))
        else:
            row.append(None)
        return row

    def roll_row(j: int, r: int) -> list:
        month_ref, account_ref = f"${_R['month']}{r}", f"${_R['account']}{r}"
        first_of_month = month_date(month_ref)
        criteria = [(entry_range["account"], account_ref)]
        accrued = F.sum_in_month(entry_range["credit"], entry_range["date"], first_of_month, criteria)
        paid = F.sum_in_month(entry_range["debit"], entry_range["date"], first_of_month, criteria)
        first_of_account = j == 0 or table["account"][j] != table["account"][j - 1]
        opening = "0" if first_of_account else f"{_R['closing']}{r - 1}"
        o, a, p = _R["opening"], _R["accrued"], _R["paid"]
        return [text(table["month"][j]), text(accounts[table["account"][j]]),
                Cell(Kind.FORMULA, opening, Role.MONEY, _money(table["opening"][j])),
                Cell(Kind.FORMULA, accrued, Role.MONEY, _money(table["accrued"][j])),
                Cell(Kind.FORMULA, paid, Role.MONEY, _money(table["paid"][j])),
                Cell(Kind.FORMULA, f"ROUND({o}{r}+{a}{r}-{p}{r},2)", Role.MONEY, _money(table["closing"][j]))]

    total_row = FIRST_ROW + n
    n_rows = max(n + 1, m)

    def rows():
        yield from header_block(TITLE, NOTE, None, False)
        yield ([text(c, Role.HEADER) for c in ENTRY_COLUMNS] + [None]
               + [text(c, Role.HEADER) for c in ROLL_FORWARD_COLUMNS])
        for offset in range(n_rows):
            r = FIRST_ROW + offset
            if offset < n:
                row = entry_row(offset, r)
            elif offset == n:
                d, c = _L["debit"], _L["credit"]
                row = [None, None, None, None, None, text("Total", Role.TOTAL),
                       Cell(Kind.FORMULA, f"SUM({d}{FIRST_ROW}:{d}{r - 1})", Role.TOTAL,
                            _money(np.sum(entries.debit))),
                       Cell(Kind.FORMULA, f"SUM({c}{FIRST_ROW}:{c}{r - 1})", Role.TOTAL,
                            _money(np.sum(entries.credit))), None]
            else:
                row = [None] * len(ENTRY_COLUMNS)
            if offset < m:
                row = row + [None] + roll_row(offset, r)
            yield row

    widths = {_L["entry"]: 8, _L["date"]: 12, _L["employee_id"]: 12, _L["event"]: 16, _L["clause"]: 9,
              _L["account"]: 30, _L["debit"]: 15, _L["credit"]: 15, _L["balance"]: 10,
              _R["month"]: 10, _R["account"]: 30, **{_R[c]: 15 for c in ROLL_FORWARD_COLUMNS[2:]}}
    return SheetPlan(title=TITLE, rows=rows(), row_count=FIRST_ROW - 1 + n_rows, widths=widths,
                     freeze=f"A{FIRST_ROW}", header_row=FIRST_ROW - 1, header_height=30,
                     autofilter=f"A{FIRST_ROW - 1}:{_L['balance']}{max(total_row - 1, FIRST_ROW)}",
                     print_title_rows=f"{FIRST_ROW - 1}:{FIRST_ROW - 1}")
