"""The Cash flow sheet: the cash paid in each month by payment date, (i)-(iii) and the cash
total, each a live SUMIFS over the Payment schedule sheets; with a group column (--group), the
cash total of each group in a column of its own. A stacked column chart shows the months.

The months and the cached figures are addin.results.cashflow.cash_flow's (with the 409A delay,
the delayed schedule's, its delayed payments in a column of their own); a helper column
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
from ..results.cashflow import CASH_COMPONENTS, Period, group_values, period_labels
from ..rules.section409a import DELAYED_COMPONENT
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.money import cents_to_decimal
from .columns import SCHEDULE_COLUMNS
from .plan import Pages, Row, header_block, quote, text
from .sheet_charts import ChartedSheet, ColumnChart
from .summary import SummaryColumns

TITLE = "Cash flow"
NOTE = ("Cash paid per month by payment date (after business-day adjustment): each figure a "
        "SUMIFS over the Payment schedule, so the months add up to the schedule and the cash totals.")
FIRST_ROW = 5
_SCHEDULE_LETTER = {name: get_column_letter(i + 1) for i, name in enumerate(SCHEDULE_COLUMNS)}
COMPONENT_LABELS = {"salary_continuation": "(i) salary continuation", "prorated_bonus": "(ii) prorated bonus",
                    "unpaid_bonus": "(iii) unpaid bonus", DELAYED_COMPONENT: "409A delayed payments",
                    "cash_total": "cash total"}


def money(cents: int) -> object:
    return cents_to_decimal(int(cents))


def month_date(label_ref: str) -> str:
    """The first day of a month labelled "YYYY-MM"."""
    return f"DATE(VALUE(LEFT({label_ref},4)),VALUE(MID({label_ref},6,2)),1)"


def _schedule_range(schedule: Pages, page: int, name: str) -> str:
    return schedule.data_range(page, _SCHEDULE_LETTER[name])


class Monthly(NamedTuple):
    """The cached figures: cents per month (and per group) of the payments the sheet sums."""
    months: list[str]
    amounts: dict[str, np.ndarray]          # component (and "cash_total") -> cents per month
    by_group: dict[tuple[str, str], int]    # (month, group) -> cents


def monthly(pay: Mapping, components: tuple[str, ...], group_of_payment) -> Monthly:
    """The payments of the Payment schedule by month of payment date. Without the 409A delay
    these are addin.results.cashflow.cash_flow's figures (the tests hold them equal); with it,
    the schedule the sheet reads, its delayed payments in a column of their own."""
    labels = period_labels(np.asarray(pay["payment_date"], dtype="datetime64[D]"), Period.MONTH).astype(object) \
        if len(pay["case"]) else np.array([], dtype=object)
    months = sorted(set(labels.tolist()))
    index = {m: i for i, m in enumerate(months)}
    at = np.array([index[m] for m in labels], dtype=np.int64)
    amount = np.asarray(pay["amount"], dtype=np.int64)
    amounts = {}
    for component in components:
        cents = np.zeros(len(months), dtype=np.int64)
        rows = np.asarray(pay["component"]) == component
        np.add.at(cents, at[rows], amount[rows])
        amounts[component] = cents
    amounts["cash_total"] = sum(amounts[c] for c in components)
    by_group: dict[tuple[str, str], int] = {}
    if group_of_payment is not None:
        for m, g, a in zip(labels, group_of_payment, amount):
            by_group[(m, g)] = by_group.get((m, g), 0) + int(a)
    return Monthly(months, amounts, by_group)


class _Sheet(NamedTuple):
    """What the Cash flow rows read."""
    schedule: Pages
    components: tuple[str, ...]
    figures: Monthly
    groups: list[str]
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
    """`pay`: the Payment schedule's payments (the 409A delay applied when asked)."""
    delayed = bool(np.any(np.asarray(pay["component"]) == DELAYED_COMPONENT))
    components = (*CASH_COMPONENTS, *((DELAYED_COMPONENT,) if delayed else ()))
    group_name = normalize_column(group) if group else None
    group_of_payment = group_values(cases, group)[pay["case"]] if group else None
    figures = monthly(pay, components, group_of_payment)
    groups = sorted({g for _, g in figures.by_group})
    names = ["month", *(COMPONENT_LABELS[c] for c in (*components, "cash_total")), *groups]
    helper_col = len(names) + 2  # one empty column, then a helper per schedule page
    pages = len(schedule.titles)
    sheet = _Sheet(schedule, components, figures, groups, [get_column_letter(helper_col + p) for p in range(pages)])
    months = figures.months
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
                         Role.TOTAL, _total(sheet, names, c))
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
    first_group = len(components) + 3
    charts = []
    if months:
        charts.append(ColumnChart("Cash paid by month, (i)-(iii) (payment dates)", f"B{totals_row + 3}", 1,
                                  tuple(range(2, 2 + len(components))), FIRST_ROW, last, stacked=True,
                                  x_title="month"))
    if groups and months:
        charts.append(ColumnChart(f"Cash paid by month and {group_name}", f"B{totals_row + 25}", 1,
                                  tuple(range(first_group, first_group + len(groups))), FIRST_ROW, last,
                                  stacked=True, x_title="month"))
    return ChartedSheet(title=TITLE, rows=rows(), row_count=FIRST_ROW - 1 + n_rows, widths=widths,
                        freeze=f"B{FIRST_ROW}", header_row=FIRST_ROW - 1, header_height=45,
                        charts=tuple(charts))


def month_row(sheet: _Sheet, i: int, r: int) -> Row:
    """Month i on row r: (i)-(iii) (and the delayed payments) by component, the cash total,
    each group's cash total."""
    label_ref, m = f"$A{r}", sheet.figures.months[i]
    row: Row = [text(m)]
    for component in sheet.components:
        by_component = partial(_component_criteria, sheet.schedule, component)
        row.append(Cell(Kind.FORMULA, sheet.sums(label_ref, by_component), Role.MONEY,
                        money(sheet.figures.amounts[component][i])))
    last = get_column_letter(1 + len(sheet.components))
    row.append(Cell(Kind.FORMULA, f"SUM(B{r}:{last}{r})", Role.MONEY, money(sheet.figures.amounts["cash_total"][i])))
    first_group = len(sheet.components) + 3
    for j, g in enumerate(sheet.groups):
        by_group = partial(_group_criteria, sheet, f"{get_column_letter(first_group + j)}${FIRST_ROW - 1}")
        row.append(Cell(Kind.FORMULA, sheet.sums(label_ref, by_group), Role.MONEY,
                        money(sheet.figures.by_group.get((m, g), 0))))
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


def _total(sheet: _Sheet, names: list[str], column: int) -> object:
    amounts = (*sheet.components, "cash_total")
    if column - 2 < len(amounts):
        return money(int(np.sum(sheet.figures.amounts[amounts[column - 2]])))
    g = names[column - 1]
    return money(sum(c for (_, gg), c in sheet.figures.by_group.items() if gg == g))
