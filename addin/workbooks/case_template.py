"""The case table template: what `severance calc` and `severance report` read, one column per
case-table column, each explained in its header's note and checked as it is typed."""

from __future__ import annotations

from pathlib import Path

from ..cases import CASE_COLUMNS
from ..rules.terms import builtin_agreements
from .inputs import CASE_FORMATS, INPUT_HELP, input_role, input_validation
from .plan import BAND, FOOTER, Look, Page, SheetPlan, Slot, Table, Typeface, address, letter, span, text
from .writer import write_book

SHEET = "Cases"
# Each header on one line. The columns through consented_to_change print one Letter page wide
# (landscape) with the 10-pt text scaled no further than 0.8; the optional agreement column (blank:
# the default letter) does not print, as all eleven would print under 8 pt.
WIDTHS = {"employee_id": 11, "employee_name": 14, "termination_date": 14.5, "termination_reason": 17.5,
          "base_salary": 11, "prior_year_bonus_declared": 23.5, "prior_year_bonus_paid": 20,
          "monthly_benefits_cost": 19.5, "pay_frequency": 12.5, "consented_to_change": 19,
          "agreement": 14}
EXCEL_ROWS = 1048576
PRINTED = CASE_COLUMNS.index("consented_to_change") + 1
TEMPLATE_ROWS = 10000   # rows prepared with validation and formats; the table grows past them too
HEADER, FIRST_CASE = 1, 2


def plan_cases_template() -> SheetPlan:
    letters = {name: letter(k) for k, name in enumerate(CASE_COLUMNS, start=1)}
    plan = SheetPlan(SHEET, {letters[name]: width for name, width in WIDTHS.items()})
    agreement_ids = tuple(builtin_agreements())
    header = Look(face=Typeface(bold=True, color=BAND.face.color), fill=BAND.fill, vertical=BAND.vertical)
    for k, name in enumerate(CASE_COLUMNS, start=1):
        title, help_text = INPUT_HELP[name]
        plan.put(HEADER, k, Slot(text(name), header, comment=f"{title}\n{help_text}"))
        look = Look(number_format=CASE_FORMATS.get(name))
        plan.column_looks[letters[name]] = look
        plan.put(FIRST_CASE, k, Slot(text("", input_role(name)), look))
        plan.validations.append((input_validation(name, agreement_ids),
                                 span(FIRST_CASE, k, FIRST_CASE + TEMPLATE_ROWS - 1, k)))
    plan.heights[HEADER] = 20
    plan.print_area = span(HEADER, 1, EXCEL_ROWS, PRINTED)   # whole columns: the rows the cases fill
    plan.page = Page(landscape=True, letter=True, margins=(0.2, 0.5), footer=FOOTER, titles=f"{HEADER}:{HEADER}")
    plan.tables.append(Table(SHEET, span(HEADER, 1, FIRST_CASE, len(CASE_COLUMNS)), CASE_COLUMNS))
    plan.freeze = address(FIRST_CASE, 3)          # the id and the name stay in view
    plan.active_cell = address(FIRST_CASE, 1)
    return plan


def build_cases_template(path: str | Path) -> None:
    write_book(path, [plan_cases_template()])
