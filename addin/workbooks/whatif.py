"""The calculator's What-if sheet: the case's cash total, (i) + (ii) + (iii), had it ended on the
first of each month of its termination year (12 rows), in the same native formulas the
Calculator uses (addin.excel.formulas), each row reading its own termination date cell; and a
line chart of it. Where the agreement's bonus floor holds, the line is flat; after it, it climbs."""

from __future__ import annotations

from typing import Mapping

from ..excel import formulas as F
from ..excel.cells import MONEY_FORMAT, Role
from ..rules.terms import Agreement
from .example import month_starts, what_if
from .plan import (GREY, HEAD_FILL, NAVY, FOOTER, Align, Edge, LineChart, Look, Page, SheetPlan, Slot, TOP,
                   Typeface, address, column, formula, span, text)

SHEET = "What-if"
DATE_COL, CASH_COL, CHART_COL = column("B"), column("C"), "E"
WIDTHS = {"A": 2, "B": 16, "C": 18, "D": 3, "E": 12, "F": 12, "G": 12, "H": 12, "I": 12, "J": 12, "K": 4}
HEAD = Look(face=Typeface(9, bold=True), fill=HEAD_FILL, horizontal=Align.RIGHT)


def month_refs(refs: Mapping[str, str], day: str) -> dict[str, str]:
    """The Calculator's refs with the termination date at `day`: the figures that depend on it
    written out inline, the others read from their cells."""
    out = dict(refs)
    out["termination_date"] = day
    for key in ("salary_continuation", "prorated_bonus", "unpaid_bonus"):
        out[key] = f"({getattr(F, key)(out)})"
    return out


def whatif_sheet(refs: Mapping[str, str], agreement: Agreement, inputs: Mapping[str, object]) -> SheetPlan:
    """The What-if sheet, cached with the engine's figures for `inputs` on each of the 12 days."""
    plan = SheetPlan(SHEET, WIDTHS, grid_lines=False, protected=True)
    plan.put(TOP, DATE_COL, Slot(text("What-if: the termination date"), Look(face=Typeface(14, bold=True,
                                                                                          color=NAVY))))
    plan.put(TOP + 1, DATE_COL, Slot(text("The cash total (i) + (ii) + (iii) of the case on the Calculator "
                                          "sheet, had it ended on the first of each month of its termination "
                                          "year."), Look(face=Typeface(9, italic=True, color=GREY))))
    head = TOP + 3
    plan.put(head, DATE_COL, Slot(text("Termination date"), HEAD))
    plan.put(head, CASH_COL, Slot(text("Cash total"), HEAD))
    figures = what_if(inputs, agreement)
    days = month_starts(inputs["termination_date"].year)
    for month, (day, result) in enumerate(zip(days, figures), start=1):
        row = head + month
        date_cell = address(row, DATE_COL)
        expression = f'IF(inputs_ok,DATE(YEAR(read_termination_date),{month},1),"")'
        plan.put(row, DATE_COL, Slot(formula(expression, Role.DATE, day), Look(edge=Edge.RULE,
                                                                              horizontal=Align.RIGHT)))
        cash = f'IF(inputs_ok,{F.cash_total(month_refs(refs, date_cell))},"")'
        plan.put(row, CASH_COL, Slot(formula(cash, Role.MONEY, result.values["cash_total"]),
                                     Look(edge=Edge.RULE, number_format=MONEY_FORMAT)))
    last = head + len(days)
    dates, cash = span(head + 1, DATE_COL, last, DATE_COL), span(head + 1, CASH_COL, last, CASH_COL)
    plan.ranges["whatif_termination_dates"] = dates
    plan.ranges["whatif_cash_totals"] = cash
    plan.put(last + 2, DATE_COL, Slot(text("Changing an input on the Calculator sheet changes every row."),
                                      Look(face=Typeface(9, italic=True, color=GREY))))
    plan.charts.append(LineChart("Cash total by termination date", dates, cash, address(head, CASH_COL),
                                 f"{CHART_COL}{head}", "Cash total ($)", "Termination date (first of the month)",
                                 '"$"#,##0', cached_categories=tuple(days),
                                 cached_values=tuple(f.values["cash_total"] for f in figures)))
    plan.print_area = span(TOP, column("A"), last + 2, column("K"))
    plan.page = Page(landscape=True, letter=True, centered=True, margins=(0.5, 0.5), footer=FOOTER,
                     one_page=True)
    return plan
