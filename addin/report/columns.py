"""The payout report's columns: which figures each table shows, in which order, with which style
role and width. Names are the `severance calc` and `severance schedule` names (addin.results)."""

from __future__ import annotations

from ..cases import CASE_COLUMNS
from ..excel.cells import Role
from ..results.tables import CALC_COLUMNS, DATE_RESULTS, MONEY_RESULTS
from ..rules.money import cents_to_decimal
from ..rules.payments import COMPONENT_CLAUSES

SUMMARY_INPUTS = ("source_row", "employee_id", "employee_name", "agreement",
                  *(c for c in CASE_COLUMNS if c not in ("employee_id", "employee_name", "agreement")))
# The letter's order: inputs, status, (i)-(iv), totals, dates; then the words and helpers:
# input_notes holds what reading the case table noted (an input rounded to the cent...), the
# last part of the engine's warnings, which the warnings formula reads.
SUMMARY_RESULTS = (*(c for c in CALC_COLUMNS if c not in SUMMARY_INPUTS and c not in ("reason", "warnings")),
                   "reason", "warnings", "input_notes", "first_payday_number")
# The amounts the Summary's totals row adds up (the per-installment amounts are not summed).
TOTALLED_RESULTS = (*COMPONENT_CLAUSES, "cash_total", "total_value")
COMPONENTS = tuple(COMPONENT_CLAUSES)   # (i)-(iv), in the letter's order
LINE_ITEM_COLUMNS = ("employee_id", "employee_name", "clause", "component", "label", "basis",
                     "amount", "date_is", "date")
# What each line item's date is (addin.results.tables.COMPONENT_DATES names the date itself).
DATE_WORDS = {"salary_continuation": "paid through", "prorated_bonus": "paid by",
              "unpaid_bonus": "paid by", "benefits_continuation": "covered through"}
SCHEDULE_COLUMNS = ("employee_id", "component", "clause", "installment", "nominal_date",
                    "payment_date", "amount")
INPUT_MONEY = ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
               "monthly_benefits_cost")
RESULT_ROLES = {
    "status": Role.TEXT, "reason": Role.TEXT, "warnings": Role.TEXT,
    "input_notes": Role.INPUT_TEXT,  # from reading the case table: a reviewer may clear it
    "bonus_proration": Role.FRACTION, "installments": Role.COUNT,
    "first_payday_number": Role.COUNT,
    **{c: Role.MONEY for c in MONEY_RESULTS},
    **{c: Role.DATE for c in DATE_RESULTS},
}
WIDTHS = {"source_row": 8, "employee_id": 12, "employee_name": 22, "agreement": 16,
          "termination_reason": 15, "pay_frequency": 12, "consented_to_change": 11,
          "status": 13, "reason": 36, "warnings": 36, "input_notes": 30, "bonus_proration": 10,
          "installments": 12, "first_payday_number": 12, "basis": 54, "label": 32,
          "component": 22, "clause": 8, "installment": 11, "reasons": 40, "reason_count": 8,
          "date_is": 15,
          "parameter": 30}
_ROLE_WIDTHS = {Role.MONEY: 14, Role.INPUT_MONEY: 14, Role.DATE: 12, Role.INPUT_DATE: 12}


def width(name: str, role: Role) -> float:
    """A column's width: its own if it has one, else its role's."""
    return WIDTHS.get(name) or _ROLE_WIDTHS.get(role, 14)


def money_width(cents: int) -> float:
    """The width that shows an amount of `cents` (either sign) as "$#,##0.00", bold, whole: a
    column of amounts takes the width of its largest (its total included), so never "###"."""
    shown = f"-${cents_to_decimal(abs(int(cents))):,.2f}"
    narrow = shown.count(",") + shown.count(".")
    # A column's width counts digits of the body font; a bold digit is ~7% wider, "," and "."
    # about half a digit; and a character's room of padding.
    return max(_ROLE_WIDTHS[Role.MONEY], round((len(shown) - narrow) * 1.08 + narrow * 0.55 + 1.5, 1))


def text_width(values, least: float, most: float) -> float:
    """The width of a text column from its longest value, between `least` and `most` (longer
    text is clipped on screen; the reader widens the column)."""
    longest = max((len(str(v)) for v in values), default=0)
    return max(least, min(most, longest + 2))
