"""The inputs the shipped workbooks ask for: the case-table columns, what each means, how it is
checked, and the worked example the workbooks open with."""

from __future__ import annotations

import datetime as dt

from ..cases import CASE_COLUMNS, FIRST_YEAR, LAST_YEAR, MONEY_COLUMNS
from ..excel.cells import DATE_FORMAT, PLAIN_MONEY_FORMAT, TEXT_FORMAT, Role
from ..excel.formulas import text as literal
from ..rules.calendar import PAY_FREQUENCIES
from ..rules.case import REASONS
from ..rules.money import MAX_CENTS
from ..rules.terms import DEFAULT_AGREEMENT_ID
from .plan import Validation

# The calculator's inputs, named like the case-table columns.
INPUTS = ("termination_date", "termination_reason", "base_salary", "prior_year_bonus_declared",
          "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency", "consented_to_change")

# The worked example the shipped workbooks open with: the letter's own CTO, salary at the
# letter's minimum, bonus at the 50% target, part of it not yet received.
EXAMPLE = {
    "termination_date": dt.date(2002, 6, 28),
    "termination_reason": "without_cause",
    "base_salary": 200000,
    "prior_year_bonus_declared": 100000,
    "prior_year_bonus_paid": 60000,
    "monthly_benefits_cost": 1450,
    "pay_frequency": "semimonthly",
    "consented_to_change": None,   # blank: Good Reason only; shown blank, read as no consent
}

# (input message title, input message), one per case-table column; the message says what the
# cell means in the letter's words and how to fill it.
INPUT_HELP = {
    "employee_id": ("employee_id", "Required. A unique id for the case (text; leading zeros are kept)."),
    "employee_name": ("employee_name", "Optional. Shown on the report."),
    "termination_date": ("termination_date", "Last day of employment, as YYYY-MM-DD. The bonus is "
                         "prorated from January 1 through this date; (i) and (iv) run from it."),
    "termination_reason": ("termination_reason", "without_cause or good_reason: severance is paid "
                           "(Good Reason only without prior consent). for_cause or resignation: "
                           "no severance."),
    "base_salary": ("base_salary", "Annual base salary on the termination date (the 'then current "
                    "base salary' of clause (i))."),
    "prior_year_bonus_declared": ("prior_year_bonus_declared", "Bonus declared for the preceding "
                                  "year. Leave blank if none has been declared yet."),
    "prior_year_bonus_paid": ("prior_year_bonus_paid", "Part of the preceding year's bonus already "
                              "received. The bonus basis is the larger of declared and received."),
    "monthly_benefits_cost": ("monthly_benefits_cost", "Monthly cost of the benefits received on the "
                              "termination date (clause (iv))."),
    "pay_frequency": ("pay_frequency", "Payroll cycle of the salary continuation installments: "
                      "weekly, biweekly, semimonthly or monthly. Blank: the agreement's default."),
    "consented_to_change": ("consented_to_change", "Good Reason only: TRUE if the employee consented "
                            "in advance to the change; then it is not Good Reason. Blank is FALSE."),
    "agreement": ("agreement", "Which employment letter applies. Blank: the default agreement "
                  f"({DEFAULT_AGREEMENT_ID})."),
}

INPUT_LABELS = {
    "termination_date": "Termination date",
    "termination_reason": "Termination reason",
    "base_salary": "Base salary (annual)",
    "prior_year_bonus_declared": "Prior-year bonus declared",
    "prior_year_bonus_paid": "Prior-year bonus received",
    "monthly_benefits_cost": "Monthly benefits cost",
    "pay_frequency": "Pay frequency",
    "consented_to_change": "Consented to the change",
    "agreement": "Agreement",
}


def input_role(column: str) -> Role:
    """The role of a case-table column's input cell (its number format follows from it)."""
    if column == "termination_date":
        return Role.INPUT_DATE
    if column in MONEY_COLUMNS:
        return Role.INPUT_MONEY
    return Role.INPUT_TEXT


# The number format of each case-table column where one is typed in (the true/false column
# takes none: a format would not change how TRUE reads).
CASE_FORMATS = {column: {Role.INPUT_DATE: DATE_FORMAT, Role.INPUT_MONEY: PLAIN_MONEY_FORMAT}.get(
    input_role(column), TEXT_FORMAT) for column in CASE_COLUMNS if column != "consented_to_change"}


def input_validation(column: str, agreement_ids: tuple[str, ...] = ()) -> Validation:
    """The dropdown or range check of an input column, with the input message finance sees."""
    title, prompt = INPUT_HELP[column]
    money_max = str(MAX_CENTS // 100)
    if column == "termination_date":
        return Validation("date", f"DATE({FIRST_YEAR},1,1)", f"A date between {FIRST_YEAR}-01-01 and "
                          f"{LAST_YEAR}-12-31.", title, prompt, operator="between",
                          formula2=f"DATE({LAST_YEAR},12,31)")
    # The code lists warn rather than refuse: `severance calc` and the calculator read other
    # spellings of a code ("Without Cause", "Semi-Monthly"; addin.cases.spelling) and yes/no.
    if column == "termination_reason":
        return Validation("list", literal(",".join(REASONS)), f"One of {', '.join(REASONS)} (any spelling of "
                          "one, such as Without Cause, is read as it).", title, prompt, error_style="warning")
    if column == "pay_frequency":
        return Validation("list", literal(",".join(PAY_FREQUENCIES)),
                          f"One of {', '.join(PAY_FREQUENCIES)} (any spelling of one, such as Semi-Monthly), or "
                          "blank for the agreement's default.", title, prompt, error_style="warning")
    if column == "consented_to_change":
        return Validation("list", literal("TRUE,FALSE"), "TRUE or FALSE (yes, no, 1, 0; blank reads as FALSE).",
                          title, prompt, error_style="warning")
    if column == "agreement":
        return Validation("list", literal(",".join(agreement_ids)),
                          "Not a built-in agreement: fine only if it is defined in the --terms file.",
                          title, prompt, error_style="warning")
    if column == "base_salary":
        return Validation("decimal", "0.01", "An annual amount greater than 0.", title, prompt,
                          operator="between", formula2=money_max)
    if column in MONEY_COLUMNS:
        return Validation("decimal", "0", "An amount, 0 or more.", title, prompt,
                          operator="between", formula2=money_max)
    return Validation("textLength", "255", "At most 255 characters.", title, prompt,
                      operator="lessThanOrEqual")
