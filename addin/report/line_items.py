"""The Line items sheets: one row per clause (i)-(iv) of each paid case, its basis in words and
its amount and due date as references to the Summary cells that compute them."""

from __future__ import annotations

from typing import Iterator, Mapping

import numpy as np
from openpyxl.utils import get_column_letter

from ..excel import formulas as F
from ..excel.cells import Role
from ..results.tables import COMPONENT_DATES, LineItem, line_items
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.terms import Agreement
from .columns import COMPONENTS, DATE_WORDS, LINE_ITEM_COLUMNS, money_width, text_width, width
from .plan import Pages, SheetPlan, formula, header, header_block, header_height, quote, text
from .summary import SummaryColumns
from .values import amounts, serials

NOTE = ("One row per clause (i)-(iv) of each paid case: the amount is the Summary's cell, the "
        "basis says how the engine computed it.")
_ROLES = {"amount": Role.MONEY, "date": Role.DATE}
LAST = get_column_letter(len(LINE_ITEM_COLUMNS))
# The component's code (the label says it in words): kept for filters and lookups, hidden.
HIDDEN = get_column_letter(LINE_ITEM_COLUMNS.index("component") + 1)
# The bases to measure the column by: the cases with the largest amounts, which have the
# longest words (a basis differs from another only in its figures).
_WIDEST = ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid", "monthly_benefits_cost")


def line_item_widths(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                     paid_rows: np.ndarray) -> dict[str, float]:
    """Each column's width from its longest value: the amounts from the largest line item, the
    basis from the bases of the cases with the largest figures (up to a printable width; a
    longer basis wraps)."""
    widths = {c: width(c, _ROLES.get(c, Role.TEXT)) for c in LINE_ITEM_COLUMNS}
    if len(paid_rows):
        largest = max(int(np.abs(getattr(payouts, c)[paid_rows]).max()) for c in COMPONENTS)
        widths["amount"] = max(widths["amount"], money_width(largest))
        chosen = {int(paid_rows[np.argmax(getattr(cases, c)[paid_rows])]) for c in _WIDEST}
        chosen |= {int(paid_rows[np.argmax(payouts.installments[paid_rows])])}
        bases = [item.basis for k in sorted(chosen)
                 for item in line_items(cases, payouts, k, agreements[cases.agreement[k]])]
        widths["basis"] = text_width(bases, 30, widths["basis"])
        widths["employee_name"] = text_width(cases.employee_name[paid_rows], 14, 26)
        widths["employee_id"] = text_width(cases.employee_id[paid_rows], 11, 20)
    return {get_column_letter(i + 1): widths[c] for i, c in enumerate(LINE_ITEM_COLUMNS)}


def amount_value(item: LineItem) -> object:
    """A line item's amount as its formula cell is cached (a number)."""
    return amounts(np.array([int(item.amount * 100)]))[0]


def due_value(item: LineItem) -> object:
    """A line item's date as its formula cell is cached (a date serial, "" for none)."""
    return serials(np.array([item.due_date or "NaT"], dtype="datetime64[D]"))[0]


def line_item_sheets(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                     columns: SummaryColumns, summary: Pages, pages: Pages,
                     paid_rows: np.ndarray) -> list[SheetPlan]:
    head = header(LINE_ITEM_COLUMNS)
    letters = columns.letter

    def items() -> Iterator[tuple[int, LineItem]]:
        for k in paid_rows:
            for item in line_items(cases, payouts, int(k), agreements[cases.agreement[k]]):
                yield int(k), item

    stream = items()  # one stream across the pages: each page takes the next `count` items
    widths = line_item_widths(cases, payouts, agreements, paid_rows)
    plans = []
    for page, title in enumerate(pages.titles):
        count = len(pages.rows_on(page))

        def rows(count=count):
            yield from header_block("Line items", NOTE, None, False)
            yield head
            for _ in range(count):
                k, item = next(stream)
                sheet, row = summary.locate(k)
                prefix = quote(sheet) + "!"
                yield [
                    text(cases.employee_id[k]),
                    text(cases.employee_name[k]),
                    text(item.clause), text(item.component), text(item.label),
                    text(item.basis, Role.LONG_TEXT),
                    formula(F.shown(f"{prefix}${letters[item.component]}{row}"), Role.MONEY,
                            amount_value(item)),
                    text(DATE_WORDS[item.component]),
                    formula(F.shown(f"{prefix}${letters[COMPONENT_DATES[item.component]]}{row}"),
                            Role.DATE, due_value(item)),
                ]

        header_row = pages.first_row - 1
        plans.append(SheetPlan(title=title, rows=rows(), row_count=count + header_row,
                               widths=widths, freeze=f"C{pages.first_row}",
                               autofilter=f"A{header_row}:{LAST}{pages.last_row(page)}",
                               print_title_rows=f"{header_row}:{header_row}",
                               wide=True, header_row=header_row,
                               header_height=header_height(LINE_ITEM_COLUMNS, widths),
                               hidden_columns=(HIDDEN,)))
    return plans
