"""The Agreement sheet of the calculator and the functions demo: every parameter of the letter
under its own defined name, so a formula reads `salary_continuation_months`, and another letter
is a matter of typing new values; then the letter's words, and the holidays the dates skip."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from ..cases import FIRST_YEAR, LAST_YEAR
from ..excel.cells import DECIMAL_FORMAT, Role, wrapped_lines
from ..rules.terms import PARAMETER_CLAUSES, Agreement, holiday_dates
from .plan import (FOOTER, GREY, HEAD_FILL, INPUT_FILL, NAVY, Align, Edge, Look, Page, SheetPlan, Slot, TOP,
                   Typeface, column, span, text, typed)

SHEET = "Agreement"
PARAMETER_MEANING = {
    "salary_continuation_months": "months of base salary continued",
    "bonus_floor_fraction": "least fraction of the preceding year's bonus paid as the prorated bonus",
    "benefits_continuation_months": "months the benefits continue",
    "lump_sum_due_days": "days after termination by which the lump sums are due",
    "default_pay_frequency": "payroll cycle used when the pay frequency is left blank",
    "minimum_base_salary": "least base salary the letter provides (a check, not a payment)",
    "target_bonus_fraction": "target bonus as a fraction of base salary (a check, not a payment)",
    "holiday_calendar": "holidays that move a payment to the business day before (list at right)",
    "biweekly_anchor": "a regular Friday payday the weekly and biweekly cycles count from",
}
CLAUSE_LABELS = {
    "i": "(i)", "ii": "(ii)", "iii": "(iii)", "iv": "(iv)", "lump_sum_due_days": "(ii), (iii) timing",
    "minimum_base_salary": "salary", "target_bonus_fraction": "bonus", "for_cause": "cause",
    "good_reason": "Good Reason",
}
CLAUSE_CHARS_PER_LINE = 70

# Columns: parameter names, values, clauses, meanings; the holiday list stands apart at right.
NAME, VALUE, CLAUSE, MEANING, HOLIDAYS = (column(c) for c in "BCDEG")
WIDTHS = dict(zip("ABCDEFGH", (2, 30, 16, 14, 62, 3, 14, 3)))

GREY_TEXT = Look(face=Typeface(color=GREY))
SMALL_GREY = Look(face=Typeface(9, color=GREY))
HEAD = Look(face=Typeface(9, bold=True), fill=HEAD_FILL)
BOLD = Look(face=Typeface(bold=True))
PARAMETER = Look(fill=INPUT_FILL, edge=Edge.INPUT, horizontal=Align.RIGHT)


def holiday_years(agreement: Agreement) -> tuple[int, int]:
    """Years the holiday list covers: every accepted termination date plus its continuation."""
    months = max(agreement.salary_continuation_months, agreement.benefits_continuation_months)
    return FIRST_YEAR - 1, LAST_YEAR + math.ceil(months / 12) + 1


def clause_name(key: str) -> str:
    """The defined name of a clause's text: `clause_text_i` holds clause (i)."""
    return f"clause_text_{key}"


def agreement_sheet(agreement: Agreement) -> tuple[SheetPlan, dict[str, str]]:
    """The Agreement sheet, and the refs addin.excel.formulas reads its parameters through."""
    plan = SheetPlan(SHEET, WIDTHS, grid_lines=False)
    row = plan.stack(TOP, NAME, (
        Slot(text("Agreement terms"), Look(face=Typeface(16, bold=True, color=NAVY))),
        Slot(text("The calculator reads every value below by its name. For another letter, type its values "
                  "and clause texts here; the formulas follow."),
             Look(face=Typeface(9, italic=True, color=GREY)))))
    row = top = row + 2
    plan.band(row, NAME, MEANING, "Agreement")
    for label, name, value in (("agreement", "agreement_id", agreement.id),
                               ("title", "agreement_title", agreement.title or agreement.id)):
        row += 1
        plan.put(row, NAME, Slot(text(label), GREY_TEXT))
        plan.put(row, VALUE, Slot(text(value), BOLD, name=name))
    row += 2
    plan.band(row, NAME, MEANING, "Parameters")
    row += 1
    for col, head in zip((NAME, VALUE, CLAUSE, MEANING), ("name", "value", "clause", "meaning")):
        plan.put(row, col, Slot(text(head), HEAD))
    refs: dict[str, str] = {}
    for name, value in agreement.parameters():
        row += 1
        plan.put(row, NAME, Slot(text(name), GREY_TEXT))
        plan.put(row, VALUE, _parameter(name, value))
        plan.put(row, CLAUSE, Slot(text(PARAMETER_CLAUSES[name]), SMALL_GREY))
        plan.put(row, MEANING, Slot(text(PARAMETER_MEANING.get(name, "")), SMALL_GREY))
        refs[name] = name
    row += 2
    plan.band(row, NAME, MEANING, "What the letter says")
    for key, words in agreement.clause_text.items():
        row += 1
        plan.put(row, NAME, Slot(text(clause_name(key)), Look(face=Typeface(color=GREY), vertical=Align.TOP)))
        plan.put(row, CLAUSE, Slot(text(CLAUSE_LABELS.get(key, key)),
                                   Look(face=Typeface(9, color=GREY), vertical=Align.TOP)))
        plan.put(row, MEANING, Slot(text(words), Look(face=Typeface(9, italic=True), wrap=True,
                                                     vertical=Align.TOP), name=clause_name(key)))
        plan.heights[row] = 12 * wrapped_lines(words, CLAUSE_CHARS_PER_LINE) + 3
    refs["holiday_dates"] = "holiday_dates"
    _holiday_list(plan, agreement, top)
    # The holiday list covers two centuries for the formulas: it does not print (the page
    # says which calendar it is).
    plan.print_area = span(TOP, column("A"), row, MEANING + 1)
    plan.page = Page(landscape=True, letter=True, margins=(0.4, 0.5), footer=FOOTER, titles=f"{TOP}:{TOP}")
    return plan, refs


def _parameter(name: str, value: object) -> Slot:
    """A parameter's value cell, typed as the letter states it."""
    if isinstance(value, Decimal):
        cell = (typed(float(value), Role.INPUT_MONEY) if name == "minimum_base_salary"
                else typed(float(value), Role.INPUT_TEXT))
        look = PARAMETER if name == "minimum_base_salary" else Look(
            fill=INPUT_FILL, edge=Edge.INPUT, horizontal=Align.RIGHT, number_format=DECIMAL_FORMAT)
        return Slot(cell, look, name=name)
    role = Role.INPUT_DATE if isinstance(value, dt.date) else Role.INPUT_TEXT
    return Slot(typed(value, role), PARAMETER, name=name)


def _holiday_list(plan: SheetPlan, agreement: Agreement, row: int) -> None:
    """The holidays over every year a payment can fall in, named `holiday_dates`, from `row`
    down, beside the other blocks."""
    first_year, last_year = holiday_years(agreement)
    days = holiday_dates(agreement.holiday_calendar, first_year, last_year)
    plan.put(row, HOLIDAYS, Slot(text("holiday_dates"), HEAD))
    plan.put(row + 1, HOLIDAYS, Slot(text(f"{agreement.holiday_calendar or 'none'} {first_year}-{last_year}"),
                                     Look(face=Typeface(8, italic=True, color=GREY))))
    first = row + 2
    for k, day in enumerate(days):
        plan.put(first + k, HOLIDAYS, Slot(typed(day, Role.DATE), Look(face=Typeface(9))))
    last = first + max(len(days), 1) - 1
    plan.ranges["holiday_dates"] = span(first, HOLIDAYS, last, HOLIDAYS)
