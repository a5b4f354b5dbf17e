"""The Cash flow sheet: the cash paid in each month by payment date, (i)-(iii) and the cash
total, each a live SUMIFS over the Payment schedule sheets; with a group column (--group), the
cash total of each group in a column of its own. A stacked column chart shows the months.

The months and the cached figures are addin.results.cashflow.cash_flow's; a helper column
beside the table names the group of each schedule row (a formula over the case's Summary cell),
so SUMIFS can select a group's payments.
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Mapping, NamedTuple

import numpy as np
from openpyxl.utils import get_column_letter

from ..cases import normalize_column
from ..excel import formulas as F
from ..excel.cells import Cell, Kind, Role
from ..results.cashflow import CASH_COMPONENTS, CashFlow, Period, cash_flow, group_values
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.money import cents_to_decimal
from .columns import SCHEDULE_COLUMNS
from .plan import Pages, Row, SheetPlan, header_block, quote, text
from .sheet_charts import ChartedSheet, ColumnChart
from .summary import SummaryColumns

TITLE = "Cash flow"
NOTE = ("Cash paid per month by payment date (after business-day adjustment): each figure a "
        "SUMIFS over the Payment schedule, so the months add up to the schedule and the cash totals.")
FIRST_ROW = 5
_SCHEDULE_LETTER = {name: get_column_letter(i + 1) for i, name in enumerate(SCHEDULE_COLUMNS)}
COMPONENT_LABELS = {"salary_continuation": "(i) salary continuation", "prorated_bonus": "(ii) prorated bonus",
                    "unpaid_bonus": "(iii) unpaid bonus", "cash_total": "cash total"}


def money(cents: int) -> object:
    return cents_to_decimal(int(cents))


def month_date(label_ref: str) -> str:
    """The first day of a month labelled "YYYY-MM"."""
    return f"DATE(VALUE(LEFT({label_ref},4)),VALUE(MID({label_ref},6,2)),1)"


def _schedule_range(schedule: Pages, page: int, name: str) -> str:
    return schedule.data_range(page, _SCHEDULE_LETTER[name])


class _Sheet(NamedTuple):
    """What the Cash flow rows read."""
    schedule: Pages
    months: list[str]
    flow: CashFlow
    groups: list[str]
    by_group: dict[tuple[str, str], int]    # (month, group) -> cents
    helpers: list[str]                      # the helper column of each schedule page

    def sums(self, label_ref: str, criteria: Callable[[int], list[tuple[str, str]]]) -> str:
        """SUMIFS of the schedule's amounts in the month of `label_ref`, over every page."""
        first = month_date(label_ref)
        return "+".join(F.sum_in_month(_schedule_range(self.schedule, p, "amount"),
                                       _schedule_range(self.schedule, p, "payment_date"), first, criteria(p))
                        for p in range(len(self.schedule.titles)))

    def helper_range(self, page: int) -> str:
        letter = self.helpers[page]
        return f"${letter}${self.schedule.first_row}:${letter}${self.schedule.last_row(page)}"


def cash_flow_sheet(cases: CaseTable, payouts: Payouts, pay: Mapping, columns: SummaryColumns,
                    summary: Pages, schedule: Pages, group: str | None = None) -> ChartedSheet:
    flow = cash_flow(cases, payouts, Period.MONTH)
    by_group: dict[tuple[str, str], int] = {}
    group_name = normalize_column(group) if group else None
    if group:
        grouped = cash_flow(cases, payouts, Period.MONTH, group)
        by_group = {(m, g): int(c) for m, g, c in zip(grouped.period, grouped.group, grouped.amounts["cash_total"])}
    groups = sorted({g for _, g in by_group})
    names = ["month", *(COMPONENT_LABELS[c] for c in (*CASH_COMPONENTS, "cash_total")), *groups]
    helper_col = len(names) + 2  # one empty column, then a helper per schedule page
    pages = len(schedule.titles)
    sheet = _Sheet(schedule, list(flow.period), flow, groups, by_group,
                   [get_column_letter(helper_col + p) for p in range(pages)])
    months = sheet.months
    group_of_payment = group_values(cases, group)[pay["case"]] if group else None
    group_letter = columns.letter.get(group_name) if group_name else None
    totals_row = FIRST_ROW + len(months)
    n_rows = len(months) + 1
    if group:
        n_rows = max(n_rows, *(len(schedule.rows_on(p)) for p in range(pages)))

    def rows():
        yield from header_block(TITLE, NOTE, None, False)
        head = [text(n, Role.HEADER) for n in names]
        if group:
            head += [None] + [text(f"{group_name} of each {schedule.titles[p]} row (helper)", Role.HEADER)
                              for p in range(pages)]
        yield head
        for offset in range(n_rows):
            r = FIRST_ROW + offset
            if offset < len(months):
                row = month_row(sheet, offset, r)
            elif offset == len(months):
                row = [text("Total", Role.TOTAL)] + [
                    Cell(Kind.FORMULA, f"SUM({get_column_letter(c)}{FIRST_ROW}:{get_column_letter(c)}{r - 1})",
                         Role.TOTAL, _total(flow, by_group, names, c))
                    for c in range(2, len(names) + 1)]
            else:
                row = []
            if group:
                row = row + [None] * (helper_col - 1 - len(row))
                row += helper_cells(summary, schedule, pay, offset, group_letter, group_of_payment)
            yield row

    widths = {"A": 12, **{get_column_letter(c): 18 for c in range(2, len(names) + 1)},
              **{letter: 24 for letter in sheet.helpers}}
    last = max(totals_row - 1, FIRST_ROW)
    charts = []
    if months:
        charts.append(ColumnChart("Cash paid by month, (i)-(iii) (payment dates)", f"B{totals_row + 3}", 1,
                                  (2, 3, 4), FIRST_ROW, last, stacked=True, x_title="month"))
    if groups and months:
        charts.append(ColumnChart(f"Cash paid by month and {group_name}", f"B{totals_row + 25}", 1,
                                  tuple(range(6, 6 + len(groups))), FIRST_ROW, last, stacked=True,
                                  x_title="month"))
    return ChartedSheet(title=TITLE, rows=rows(), row_count=FIRST_ROW - 1 + n_rows, widths=widths,
                        freeze=f"B{FIRST_ROW}", header_row=FIRST_ROW - 1, header_height=45,
                        charts=tuple(charts))


def month_row(sheet: _Sheet, i: int, r: int) -> Row:
    """Month i on row r: (i)-(iii) by component, the cash total, each group's cash total."""
    label_ref, m = f"$A{r}", sheet.months[i]
    row: Row = [text(m)]
    for component in CASH_COMPONENTS:
        by_component = partial(_component_criteria, sheet.schedule, component)
        row.append(Cell(Kind.FORMULA, sheet.sums(label_ref, by_component), Role.MONEY,
                        money(sheet.flow.amounts[component][i])))
    row.append(Cell(Kind.FORMULA, f"SUM(B{r}:D{r})", Role.MONEY, money(sheet.flow.amounts["cash_total"][i])))
    for j, g in enumerate(sheet.groups):
        by_group = partial(_group_criteria, sheet, f"{get_column_letter(6 + j)}${FIRST_ROW - 1}")
        row.append(Cell(Kind.FORMULA, sheet.sums(label_ref, by_group), Role.MONEY,
                        money(sheet.by_group.get((m, g), 0))))
    return row


def _component_criteria(schedule: Pages, component: str, page: int) -> list[tuple[str, str]]:
    return [(_schedule_range(schedule, page, "component"), f'"{component}"')]


def _group_criteria(sheet: _Sheet, group_ref: str, page: int) -> list[tuple[str, str]]:
    return [(sheet.helper_range(page), group_ref)]


def helper_cells(summary: Pages, schedule: Pages, pay: Mapping, offset: int, group_letter: str | None,
                 group_of_payment) -> Row:
    """The helpers of sheet row FIRST_ROW + offset: the group of each page's schedule row there."""
    out: Row = []
    for p in range(len(schedule.titles)):
        ps = schedule.rows_on(p)
        if offset >= len(ps):
            out.append(None)
            continue
        sheet, row = summary.locate(int(pay["case"][ps[offset]]))
        ref = f"{quote(sheet)}!${group_letter}{row}" if group_letter else '""'
        out.append(Cell(Kind.FORMULA, F.group_of(ref), Role.TEXT, group_of_payment[ps[offset]]))
    return out


def _total(flow, by_group: dict, names: list[str], column: int) -> object:
    if column <= 5:
        key = (*CASH_COMPONENTS, "cash_total")[column - 2]
        return money(int(np.sum(flow.amounts[key])))
    g = names[column - 1]
    return money(sum(c for (m, gg), c in by_group.items() if gg == g))
