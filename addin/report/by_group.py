"""The By group sheet (--group COLUMN): per value of a case-table column, the cases, how many are
paid, no severance and rejected, (i)-(iv), the cash total and the total value, each a live
COUNTIFS/SUMIFS over the Summary, with a bar chart of the cash totals.

A helper column beside the table names the group of each Summary row (a formula over its
cell), so the counts and sums select a group's rows. The cached figures are the engine's.
"""

from __future__ import annotations

import numpy as np
from openpyxl.utils import get_column_letter

from ..cases import normalize_column
from ..excel import formulas as F
from ..excel.cells import Cell, Kind, Role
from ..results.cashflow import group_values
from ..rules.case import CaseTable
from ..rules.engine import NO_SEVERANCE, PAID, REJECTED, Payouts
from ..rules.money import cents_to_decimal
from .columns import COMPONENTS
from .plan import Pages, Row, header_block, quote, text
from .sheet_charts import ChartedSheet, ColumnChart
from .summary import SummaryColumns

TITLE = "By group"
FIRST_ROW = 5
COUNTS = ("cases", PAID, NO_SEVERANCE, REJECTED)
AMOUNTS = (*COMPONENTS, "cash_total", "total_value")


class GroupFigures:
    """The engine's figures per group (what the sheet's formulas are cached with)."""

    def __init__(self, cases: CaseTable, payouts: Payouts, group: str):
        self.of_row = group_values(cases, group)
        self.names = sorted(set(self.of_row.tolist()))
        self.counts: dict[str, dict[str, int]] = {}
        self.amounts: dict[str, dict[str, int]] = {}
        counted = payouts.status != REJECTED
        for g in self.names:
            rows = self.of_row == g
            self.counts[g] = {"cases": int(rows.sum()),
                              **{s: int((rows & (payouts.status == s)).sum()) for s in COUNTS[1:]}}
            self.amounts[g] = {a: int(np.asarray(getattr(payouts, a))[rows & counted].sum()) for a in AMOUNTS}


def by_group_sheet(cases: CaseTable, payouts: Payouts, columns: SummaryColumns, summary: Pages,
                   group: str) -> ChartedSheet:
    group_name = normalize_column(group)
    figures = GroupFigures(cases, payouts, group)
    names = [group_name, *COUNTS, *AMOUNTS]
    pages = len(summary.titles)
    helper_col = len(names) + 2
    helpers = [get_column_letter(helper_col + p) for p in range(pages)]
    first = summary.first_row
    group_letter = columns.letter.get(group_name)

    def helper_range(p: int) -> str:
        return f"${helpers[p]}${first}:${helpers[p]}${summary.last_row(p)}"

    def over_pages(build) -> str:
        return "+".join(build(p) for p in range(pages))

    def group_row(g: str, r: int) -> Row:
        key = f"$A{r}"
        row: Row = [text(g, Role.INPUT_TEXT)]
        row.append(Cell(Kind.FORMULA, over_pages(lambda p: f"COUNTIF({helper_range(p)},{key})"),
                        Role.COUNT, figures.counts[g]["cases"]))
        for s in COUNTS[1:]:
            f = over_pages(lambda p: f'COUNTIFS({helper_range(p)},{key},'
                                     f'{summary.data_range(p, columns.letter["status"])},"{s}")')
            row.append(Cell(Kind.FORMULA, f, Role.COUNT, figures.counts[g][s]))
        for a in AMOUNTS:
            f = over_pages(lambda p: f"SUMIFS({summary.data_range(p, columns.letter[a])},{helper_range(p)},{key})")
            row.append(Cell(Kind.FORMULA, f, Role.MONEY, cents_to_decimal(figures.amounts[g][a])))
        return row

    n_groups = len(figures.names)
    n_rows = max(n_groups + 1, *(len(summary.rows_on(p)) for p in range(pages)))
    offset_first = first - FIRST_ROW  # the Summary's rows start one lower under a logo

    def rows():
        yield from header_block(TITLE, f"Per {group_name}: counts and amounts, each a COUNTIFS or SUMIFS "
                                "over the Summary (rejected rows count as cases, never as amounts).",
                                None, False)
        yield [text(n, Role.HEADER) for n in names] + [None] + [
            text(f"{group_name} of each {summary.titles[p]} row (helper)", Role.HEADER) for p in range(pages)]
        for offset in range(n_rows + offset_first):
            r = FIRST_ROW + offset
            if offset < n_groups:
                row = group_row(figures.names[offset], r)
            elif offset == n_groups:
                row = [text("Total", Role.TOTAL)] + [
                    Cell(Kind.FORMULA, f"SUM({get_column_letter(c)}{FIRST_ROW}:{get_column_letter(c)}{r - 1})",
                         Role.COUNT if names[c - 1] in COUNTS else Role.TOTAL, _total(figures, names[c - 1]))
                    for c in range(2, len(names) + 1)]
            else:
                row = []
            row = row + [None] * (helper_col - 1 - len(row))
            for p in range(pages):
                ks = summary.rows_on(p)
                i = r - first
                if 0 <= i < len(ks):
                    k = ks[i]
                    ref = f"{quote(summary.titles[p])}!${group_letter}{r}" if group_letter else '""'
                    row.append(Cell(Kind.FORMULA, F.group_of(ref), Role.TEXT, figures.of_row[k]))
                else:
                    row.append(None)
            yield row

    widths = {"A": 20, **{get_column_letter(c): (10 if c <= 5 else 16) for c in range(2, len(names) + 1)},
              **{h: 24 for h in helpers}}
    last = FIRST_ROW + max(n_groups, 1) - 1
    cash_col = names.index("cash_total") + 1
    chart = ColumnChart(f"Cash total by {group_name}", f"B{FIRST_ROW + n_groups + 3}", 1, (cash_col,),
                        FIRST_ROW, last, x_title=group_name)
    return ChartedSheet(title=TITLE, rows=rows(), row_count=FIRST_ROW - 1 + n_rows + offset_first,
                        widths=widths, freeze=f"B{FIRST_ROW}", header_row=FIRST_ROW - 1,
                        header_height=45, charts=(chart,) if n_groups else ())


def _total(figures: GroupFigures, name: str) -> object:
    if name in COUNTS:
        return sum(figures.counts[g][name] for g in figures.names)
    return cents_to_decimal(sum(figures.amounts[g][name] for g in figures.names))
