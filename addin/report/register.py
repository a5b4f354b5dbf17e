"""The Payout register: the Summary's key columns (id, name, status, (i)-(iv), cash total, total
value, lump-sum date), one row per input row, on pages that print one page wide at full size.
Each figure is a live reference to the Summary cell that computes it, cached with its value."""

from __future__ import annotations

from typing import Mapping

from openpyxl.utils import get_column_letter

from ..excel import formulas as F
from ..excel.cells import Cell, Kind, Role
from ..rules.case import CaseTable
from ..rules.engine import REJECTED, Payouts
from .columns import COMPONENTS, RESULT_ROLES
from .plan import Pages, Row, RowMark, SheetPlan, formula, header, header_block, header_height, quote, raw_text, text
from .summary import SummaryColumns, summary_widths
from .values import counts_text, summary_values, total_values

TITLE = "Payout register"
REGISTER_COLUMNS = ("employee_id", "employee_name", "status", *COMPONENTS, "cash_total",
                    "total_value", "lump_sum_due_date")
FIGURES = REGISTER_COLUMNS[2:]
TOTALLED = (*COMPONENTS, "cash_total", "total_value")
NOTE = ("The Summary's key columns, for printing: each figure is the Summary's cell; the Summary "
        "holds the inputs and every other figure.")
LETTER = {name: get_column_letter(i + 1) for i, name in enumerate(REGISTER_COLUMNS)}


def register_sheets(cases: CaseTable, payouts: Payouts, columns: SummaryColumns, summary: Pages,
                    pages: Pages, counts_formula: str) -> list[SheetPlan]:
    values = summary_values(cases, payouts)
    counted = counts_text(payouts)
    fitted = summary_widths(cases, payouts, columns, RESULT_ROLES)
    widths = {LETTER[name]: fitted[columns.letter[name]] for name in REGISTER_COLUMNS}
    widths[LETTER["status"]] = 12
    widths[LETTER["lump_sum_due_date"]] = 11
    widths[LETTER["employee_name"]] = min(widths[LETTER["employee_name"]], 18)  # prints legibly
    head = header(REGISTER_COLUMNS)
    last = LETTER[REGISTER_COLUMNS[-1]]
    plans = []
    for page, title in enumerate(pages.titles):
        ks = pages.rows_on(page)
        last_page = page == len(pages.titles) - 1

        def rows(ks=ks, last_page=last_page):
            yield from header_block(TITLE, NOTE, counts_formula, False, counted)
            yield head
            for k in ks:
                yield register_row(cases, payouts, k, columns, summary, values)
            if last_page:
                yield register_totals(pages, total_values(payouts, TOTALLED))

        header_row = pages.first_row - 1
        marks = [RowMark(f"A{pages.first_row}:{last}{pages.last_row(page)}",
                         f'$C{pages.first_row}="{s}"', Role(s)) for s in (REJECTED, "no_severance")]
        plans.append(SheetPlan(title=title, rows=rows(), row_count=len(ks) + header_row + last_page,
                               widths=widths, freeze=f"C{pages.first_row}",
                               autofilter=f"A{header_row}:{last}{pages.last_row(page)}",
                               row_marks=marks, print_title_rows=f"{header_row}:{header_row}",
                               header_row=header_row,
                               header_height=header_height(REGISTER_COLUMNS, widths)))
    return plans


def register_row(cases: CaseTable, payouts: Payouts, k: int, columns: SummaryColumns,
                 summary: Pages, values: Mapping) -> Row:
    """Case k's register row: references to its Summary cells (a rejected row: its id and
    name as read, and its status)."""
    if payouts.status[k] == REJECTED:
        raw = cases.raw.iloc[k]
        return [text(raw_text(raw.get("employee_id", "")), Role.TEXT),
                text(raw_text(raw.get("employee_name", "")), Role.TEXT), text(REJECTED)]
    sheet, row = summary.locate(k)
    prefix = quote(sheet) + "!"
    out: Row = [text(cases.employee_id[k]), text(cases.employee_name[k])]
    for name in FIGURES:
        ref = f"{prefix}${columns.letter[name]}${row}"
        out.append(Cell(Kind.FORMULA, F.shown(ref), RESULT_ROLES[name], values[name][k]))
    return out


def register_totals(pages: Pages, cached: Mapping[str, object]) -> Row:
    out: Row = [None] * len(REGISTER_COLUMNS)
    out[1] = text("Total", Role.TOTAL)
    for name in TOTALLED:
        ranges = [pages.data_range(p, LETTER[name]) for p in range(len(pages.titles))]
        out[REGISTER_COLUMNS.index(name)] = formula(F.total(ranges), Role.TOTAL, cached[name])
    return out
