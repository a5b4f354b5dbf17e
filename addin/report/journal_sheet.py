"""The Journal sheet: the accrual's journal entries (addin.results.journal: recognition, each
payment, the benefits run-off), every entry a debit line and a credit line that balance, and
beside them the month-by-month roll-forward of each liability, its accrued and paid amounts
SUMIFS over the entries, its opening the month before's closing. The accounts come from
`--accounts FILE` (addin.results.journal.load_accounts)."""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np
from openpyxl.utils import get_column_letter

from ..excel import formulas as F
from ..excel.cells import Cell, Kind, Role
from ..results.journal import JOURNAL_COLUMNS, ROLL_FORWARD_COLUMNS, Entries, roll_forward
from ..rules.case import CaseTable
from ..rules.money import cents_to_decimal
from .cash_flow import month_date
from .plan import MAX_SHEET_ROWS, Pages, Row, SheetPlan, as_date, date, header_block, number, text

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


class _Journal(NamedTuple):
    cases: CaseTable
    entries: Entries
    accounts: Mapping[str, str]
    table: dict[str, np.ndarray]   # the roll-forward (addin.results.journal.roll_forward)
    pages: Pages                   # the entries' pages (an even number of lines each)

    def ranges(self, name: str) -> list[str]:
        return [self.pages.data_range(p, _L[name]) for p in range(len(self.pages.titles))]


def journal_sheets(cases: CaseTable, entries: Entries, accounts: Mapping[str, str],
                   max_rows: int = MAX_SHEET_ROWS) -> list[SheetPlan]:
    """The entries over as many pages as Excel's row limit needs (an entry's two lines on one
    page), the totals on the last, the roll-forward beside the entries of the first."""
    n = len(entries.entry)
    reserve = 1 + (max_rows - FIRST_ROW) % 2   # the totals row, and an even number of lines
    journal = _Journal(cases, entries, accounts, roll_forward(entries),
                       Pages(TITLE, n, FIRST_ROW, max_rows, reserve=reserve))
    m = len(journal.table["month"])
    widths = {_L["entry"]: 8, _L["date"]: 12, _L["employee_id"]: 12, _L["event"]: 16, _L["clause"]: 9,
              _L["account"]: 30, _L["debit"]: 15, _L["credit"]: 15, _L["balance"]: 10,
              _R["month"]: 10, _R["account"]: 30, **{_R[c]: 15 for c in ROLL_FORWARD_COLUMNS[2:]}}
    plans = []
    for page, title in enumerate(journal.pages.titles):
        lines = journal.pages.rows_on(page)
        last_page = page == len(journal.pages.titles) - 1
        n_rows = max(len(lines) + (1 if last_page else 0), m if page == 0 else 0)

        def rows(page=page, lines=lines, last_page=last_page, n_rows=n_rows):
            yield from header_block(TITLE if not page else f"{TITLE} (continued, {journal.pages.titles[page]})",
                                    NOTE, None, False)
            yield ([text(c, Role.HEADER) for c in ENTRY_COLUMNS]
                   + ([None] + [text(c, Role.HEADER) for c in ROLL_FORWARD_COLUMNS] if page == 0 else []))
            for offset in range(n_rows):
                r = FIRST_ROW + offset
                if offset < len(lines):
                    row = entry_row(journal, lines[offset], r)
                elif offset == len(lines) and last_page:
                    row = totals_row(journal)
                else:
                    row = [None] * len(ENTRY_COLUMNS)
                if page == 0 and offset < m:
                    row = row + [None] + roll_row(journal, offset, r)
                yield row

        plans.append(SheetPlan(title=title, rows=rows(), row_count=FIRST_ROW - 1 + n_rows, widths=widths,
                               freeze=f"A{FIRST_ROW}", header_row=FIRST_ROW - 1, header_height=30,
                               autofilter=f"A{FIRST_ROW - 1}:{_L['balance']}{journal.pages.last_row(page)}",
                               print_title_rows=f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"))
    return plans


def entry_row(journal: _Journal, i: int, r: int) -> Row:
    e, accounts = journal.entries, journal.accounts
    row: Row = [number(int(e.entry[i]), Role.COUNT), date(as_date(e.date[i]), Role.DATE),
                text(journal.cases.employee_id[e.case[i]]), text(e.event[i]), text(e.clause[i]),
                text(accounts[e.account[i]])]
    row.append(Cell(Kind.NUMBER, _money(e.debit[i]), Role.MONEY) if e.debit[i] else None)
    row.append(Cell(Kind.NUMBER, _money(e.credit[i]), Role.MONEY) if e.credit[i] else None)
    if i % 2:  # the credit line: the entry's debits less its credits
        d, c = _L["debit"], _L["credit"]
        row.append(Cell(Kind.FORMULA, f"ROUND(N({d}{r - 1})+N({d}{r})-N({c}{r - 1})-N({c}{r}),2)", Role.MONEY, 0))
    else:
        row.append(None)
    return row


def totals_row(journal: _Journal) -> Row:
    return [None, None, None, None, None, text("Total", Role.TOTAL),
            Cell(Kind.FORMULA, F.total(journal.ranges("debit")), Role.TOTAL, _money(np.sum(journal.entries.debit))),
            Cell(Kind.FORMULA, F.total(journal.ranges("credit")), Role.TOTAL, _money(np.sum(journal.entries.credit))),
            None]


def roll_row(journal: _Journal, j: int, r: int) -> Row:
    """Month j of the roll-forward: accrued and paid SUMIFS over every page's entries."""
    table = journal.table
    month_ref, account_ref = f"${_R['month']}{r}", f"${_R['account']}{r}"
    first_of_month = month_date(month_ref)
    pages = range(len(journal.pages.titles))
    dates, account_ranges = journal.ranges("date"), journal.ranges("account")

    def over_pages(amounts: list[str]) -> str:
        return "+".join(F.sum_in_month(amounts[p], dates[p], first_of_month, [(account_ranges[p], account_ref)])
                        for p in pages)
    first_of_account = j == 0 or table["account"][j] != table["account"][j - 1]
    opening = "0" if first_of_account else f"{_R['closing']}{r - 1}"
    o, a, p = _R["opening"], _R["accrued"], _R["paid"]
    return [text(table["month"][j]), text(journal.accounts[table["account"][j]]),
            Cell(Kind.FORMULA, opening, Role.MONEY, _money(table["opening"][j])),
            Cell(Kind.FORMULA, over_pages(journal.ranges("credit")), Role.MONEY, _money(table["accrued"][j])),
            Cell(Kind.FORMULA, over_pages(journal.ranges("debit")), Role.MONEY, _money(table["paid"][j])),
            Cell(Kind.FORMULA, f"ROUND({o}{r}+{a}{r}-{p}{r},2)", Role.MONEY, _money(table["closing"][j]))]
