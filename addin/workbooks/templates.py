"""Shipped workbooks: the calculator finance emails around, the add-in's function demo, the case
table template and the report styles, each built by code so a test can prove the file is current.

An adapter: every formula comes from addin.formulas, every number of the agreement from
addin.terms; this module only lays cells out, names them and styles them.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Callable, Mapping

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..cases import CASE_COLUMNS, FIRST_YEAR, LAST_YEAR
from ..excel import formulas as F
from ..results.output import OutputError, atomic_path
from ..rules.case import REASONS
from ..rules.money import MAX_CENTS
from ..rules.terms import (DEFAULT_AGREEMENT_ID, PARAMETER_CLAUSES, PAY_FREQUENCIES, Agreement,
                    builtin_agreements, holiday_dates, load_agreements)
from ..excel.xlsx import make_repeatable

DEFAULT_DIR = Path("workbooks")
CALCULATOR = "severance_calculator.xlsx"
FUNCTIONS = "severance_functions.xlsx"
CASES_TEMPLATE = "cases_template.xlsx"
REPORT_TEMPLATE = "report_template.xlsx"

# The calculator's inputs, named like the case-table columns.
INPUTS = ("termination_date", "termination_reason", "base_salary", "prior_year_bonus_declared",
          "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency", "consented_to_change")
# Its computed cells, named like the `severance calc` columns.
OUTPUTS = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
           "cash_total", "total_value", "lump_sum_due_date", "continuation_end_date")

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
    "consented_to_change": False,
}

# ---------------------------------------------------------------------------------------------
# Look: one font family that every office suite has (Arial; Liberation Sans elsewhere).

FONT = "Arial"
NAVY, INK, GREY, RULE = "1F3864", "262626", "7F7F7F", "BFBFBF"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
BAND_FILL = PatternFill("solid", fgColor=NAVY)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="EDF1F9")
PAID_FILL = PatternFill("solid", fgColor="E2EFDA", bgColor="E2EFDA")
NONE_FILL = PatternFill("solid", fgColor="FCE4D6", bgColor="FCE4D6")
THIN = Side(style="thin", color=RULE)
INPUT_BORDER = Border(left=Side(style="thin", color="BF9000"), right=Side(style="thin", color="BF9000"),
                      top=Side(style="thin", color="BF9000"), bottom=Side(style="thin", color="BF9000"))
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
FRACTION = "0.000000"


def font(size=10, bold=False, italic=False, color=INK, name=FONT) -> Font:
    return Font(name=name, size=size, bold=bold, italic=italic, color=color)


def _quote(text: str) -> str:
    """Text as an Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def _name(book: Workbook, name: str, sheet: str, ref: str) -> None:
    """A workbook-scoped defined name over an absolute reference."""
    cols, rows = [], []
    for part in ref.split(":"):
        letters = "".join(ch for ch in part if ch.isalpha())
        cols.append(letters)
        rows.append(part[len(letters):])
    absolute = ":".join(f"${c}${r}" for c, r in zip(cols, rows))
    book.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!{absolute}")


def _set(ws, ref: str, value=None, *, style: Font | None = None, fmt: str | None = None,
         fill: PatternFill | None = None, align: Alignment | None = None, border: Border | None = None):
    cell = ws[ref]
    cell.value = value
    cell.font = style or font()
    if fmt:
        cell.number_format = fmt
    if fill:
        cell.fill = fill
    if align:
        cell.alignment = align
    if border:
        cell.border = border
    return cell


def _band(ws, row: int, first: str, last: str, title: str) -> None:
    """A section heading: a navy band across the used columns."""
    for col in range(ws[f"{first}1"].column, ws[f"{last}1"].column + 1):
        ws.cell(row, col).fill = BAND_FILL
    _set(ws, f"{first}{row}", title, style=font(11, bold=True, color="FFFFFF"), fill=BAND_FILL,
         align=Alignment(vertical="center"))
    ws.row_dimensions[row].height = 18


def _lines(text: str, chars_per_line: int) -> int:
    words, lines, width = text.split(), 1, 0
    for word in words:
        if width and width + 1 + len(word) > chars_per_line:
            lines, width = lines + 1, len(word)
        else:
            width += (1 if width else 0) + len(word)
    return lines


# ---------------------------------------------------------------------------------------------
# The agreement sheet: every parameter under its own name, so a formula reads
# `salary_continuation_months`, and another letter is a matter of typing new values.

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


def holiday_years(agreement: Agreement) -> tuple[int, int]:
    """Years the holiday list covers: every accepted termination date plus its continuation."""
    months = max(agreement.salary_continuation_months, agreement.benefits_continuation_months)
    return FIRST_YEAR - 1, LAST_YEAR + math.ceil(months / 12) + 1


def _agreement_sheet(book: Workbook, agreement: Agreement) -> dict[str, str]:
    """Write the Agreement sheet; returns the refs of its parameters for addin.formulas."""
    ws = book.create_sheet("Agreement")
    ws.sheet_view.showGridLines = False
    for col, width in zip("ABCDEFGH", (2, 30, 16, 14, 62, 3, 14, 3)):
        ws.column_dimensions[col].width = width
    _set(ws, "B1", "Agreement terms", style=font(16, bold=True, color=NAVY))
    _set(ws, "B2", "The calculator reads every value below by its name. For another letter, type "
                   "its values and clause texts here; the formulas follow.",
         style=font(9, italic=True, color=GREY))
    _band(ws, 4, "B", "E", "Agreement")
    _set(ws, "B5", "agreement", style=font(color=GREY))
    _set(ws, "C5", agreement.id, style=font(bold=True))
    _name(book, "agreement_id", ws.title, "C5")
    _set(ws, "B6", "title", style=font(color=GREY))
    _set(ws, "C6", agreement.title or agreement.id, style=font(bold=True))
    _name(book, "agreement_title", ws.title, "C6")

    _band(ws, 8, "B", "E", "Parameters")
    for col, head in zip("BCDE", ("name", "value", "clause", "meaning")):
        _set(ws, f"{col}9", head, style=font(9, bold=True), fill=HEAD_FILL)
    refs: dict[str, str] = {}
    row = 10
    for name, value in agreement.parameters():
        fmt = None
        if isinstance(value, Decimal):
            value, fmt = float(value), MONEY if name == "minimum_base_salary" else "0.######"
        elif isinstance(value, dt.date):
            fmt = DATE
        _set(ws, f"B{row}", name, style=font(color=GREY))
        _set(ws, f"C{row}", value, fmt=fmt, fill=INPUT_FILL, border=INPUT_BORDER,
             align=Alignment(horizontal="right"))
        _set(ws, f"D{row}", PARAMETER_CLAUSES[name], style=font(9, color=GREY))
        _set(ws, f"E{row}", PARAMETER_MEANING.get(name, ""), style=font(9, color=GREY))
        _name(book, name, ws.title, f"C{row}")
        refs[name] = name
        row += 1

    row += 1
    _band(ws, row, "B", "E", "What the letter says")
    row += 1
    for key, text in agreement.clause_text.items():
        _set(ws, f"B{row}", f"clause_text_{key}", style=font(color=GREY), align=Alignment(vertical="top"))
        _set(ws, f"D{row}", CLAUSE_LABELS.get(key, key), style=font(9, color=GREY),
             align=Alignment(vertical="top"))
        _set(ws, f"E{row}", text, style=font(9, italic=True), align=Alignment(wrap_text=True, vertical="top"))
        _name(book, f"clause_text_{key}", ws.title, f"E{row}")
        ws.row_dimensions[row].height = 12 * _lines(text, 70) + 3
        row += 1

    first_year, last_year = holiday_years(agreement)
    days = holiday_dates(agreement.holiday_calendar, first_year, last_year)
    _set(ws, "G4", "holiday_dates", style=font(9, bold=True), fill=HEAD_FILL)
    _set(ws, "G5", f"{agreement.holiday_calendar or 'none'} {first_year}-{last_year}",
         style=font(8, italic=True, color=GREY))
    for k, day in enumerate(days):
        _set(ws, f"G{6 + k}", day, style=font(9), fmt=DATE)
    last = 6 + max(len(days), 1) - 1
    _name(book, "holiday_dates", ws.title, f"G6:G{last}")
    refs["holiday_dates"] = "holiday_dates"
    return refs


def _input_validation(name: str, agreement_ids: tuple[str, ...] = ()) -> DataValidation:
    """The dropdown or range check of an input column, with the input message finance sees."""
    title, prompt = INPUT_HELP[name]
    money_max = str(MAX_CENTS // 100)
    if name == "termination_date":
        dv = DataValidation(type="date", operator="between", formula1=f"DATE({FIRST_YEAR},1,1)",
                            formula2=f"DATE({LAST_YEAR},12,31)",
                            error=f"A date between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31.")
    elif name == "termination_reason":
        dv = DataValidation(type="list", formula1=_quote(",".join(REASONS)),
                            error=f"One of {', '.join(REASONS)}.")
    elif name == "pay_frequency":
        dv = DataValidation(type="list", formula1=_quote(",".join(PAY_FREQUENCIES)),
                            error=f"One of {', '.join(PAY_FREQUENCIES)}, or blank for the agreement's default.")
    elif name == "consented_to_change":
        dv = DataValidation(type="list", formula1='"TRUE,FALSE"', error="TRUE or FALSE (blank reads as FALSE).")
    elif name == "agreement":
        dv = DataValidation(type="list", formula1=_quote(",".join(agreement_ids)), errorStyle="warning",
                            error="Not a built-in agreement: fine only if it is defined in the --terms file.")
    elif name == "base_salary":
        dv = DataValidation(type="decimal", operator="between", formula1="0.01", formula2=money_max,
                            error="An annual amount greater than 0.")
    elif name in ("prior_year_bonus_declared", "prior_year_bonus_paid", "monthly_benefits_cost"):
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=money_max,
                            error="An amount, 0 or more.")
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="255",
                            error="At most 255 characters.")
    dv.allow_blank = True
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.promptTitle = title[:32]
    dv.prompt = prompt[:255]
    dv.errorTitle = title[:32]
    return dv


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
}
INPUT_FORMATS = {"termination_date": DATE, "base_salary": MONEY, "prior_year_bonus_declared": MONEY,
                 "prior_year_bonus_paid": MONEY, "monthly_benefits_cost": MONEY}


# ---------------------------------------------------------------------------------------------
# 1. The calculator: one case, native formulas only.

def schedule_rows(agreement: Agreement) -> int:
    """Rows of the calculator's schedule: more than the weekly paydays of the longest
    continuation (months of at most 31 days)."""
    return max(60, math.ceil(agreement.salary_continuation_months * 31 / 7) + 2)


def build_calculator(path: str | Path, agreement: Agreement | None = None) -> None:
    agreement = agreement or builtin_agreements()[DEFAULT_AGREEMENT_ID]
    book = Workbook()
    ws = book.active
    ws.title = "Calculator"
    refs = dict(_agreement_sheet(book, agreement))
    refs.update({name: name for name in INPUTS})
    # A blank pay frequency takes the agreement's default, as in the case table.
    refs["pay_frequency"] = "pay_frequency_applied"
    for name in ("eligible", "installments", "installment_amount", "last_installment_amount",
                 "benefits_end_date", "lump_sum_payment_date", *OUTPUTS):
        refs[name] = name
    name = lambda n, ref: _name(book, n, ws.title, ref)  # noqa: E731

    def when_paid(formula: str) -> str:
        # Dates and the proration are blank when no severance is due, as in `severance calc`.
        return F.when_paid(refs, formula)

    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 100
    for col, width in zip("ABCDEFG", (2, 31, 15, 27, 12, 54, 2)):
        ws.column_dimensions[col].width = width

    _set(ws, "B1", "Severance calculator", style=font(18, bold=True, color=NAVY))
    ws.row_dimensions[1].height = 26
    _set(ws, "B2", "=agreement_title", style=font(11, bold=True, color=GREY))
    _set(ws, "B3", "Fill in the yellow cells; every other figure is a formula over them and the "
                   "Agreement sheet. Amounts in dollars, dates as YYYY-MM-DD.",
         style=font(9, italic=True, color=GREY))

    # Inputs --------------------------------------------------------------------------------
    _band(ws, 5, "B", "F", "Inputs")
    row = 6
    for key in INPUTS:
        _set(ws, f"B{row}", INPUT_LABELS[key], style=font(bold=True), align=Alignment(vertical="center"))
        cell = _set(ws, f"C{row}", EXAMPLE[key], fmt=INPUT_FORMATS.get(key), fill=INPUT_FILL,
                    border=INPUT_BORDER, align=Alignment(horizontal="right", vertical="center"))
        cell.protection = Protection(locked=False)
        _set(ws, f"D{row}", key, style=font(9, color=GREY, name="Courier New"),
             align=Alignment(horizontal="left", indent=1, vertical="center"))
        ws.merge_cells(f"E{row}:F{row}")
        _set(ws, f"E{row}", INPUT_HELP[key][1], style=font(8, color=GREY),
             align=Alignment(wrap_text=True, vertical="center"))
        ws.row_dimensions[row].height = 22
        dv = _input_validation(key)
        ws.add_data_validation(dv)
        dv.add(f"C{row}")
        name(key, f"C{row}")
        row += 1
    incomplete = "OR(ISBLANK(termination_date),ISBLANK(termination_reason),ISBLANK(base_salary))"

    # Result --------------------------------------------------------------------------------
    _band(ws, 15, "B", "F", "Result")
    _set(ws, "B16", "Severance", style=font(11, bold=True), align=Alignment(vertical="center"))
    _set(ws, "C16", "=" + F.status(refs), style=font(11, bold=True),
         align=Alignment(horizontal="center", vertical="center"))
    name("status", "C16")
    ws.merge_cells("D16:F16")
    _set(ws, "D16", f'=IF({incomplete},"Fill in the termination date, reason and base salary.",'
                    f'IF(eligible,"Payable under clauses (i) to (iv) below.",reason))',
         style=font(10, bold=True), align=Alignment(wrap_text=True, vertical="center"))
    ws.row_dimensions[16].height = 30
    ws.conditional_formatting.add("B16:F16", FormulaRule(formula=[f"AND(NOT({incomplete}),eligible)"],
                                                         fill=PAID_FILL))
    ws.conditional_formatting.add("B16:F16", FormulaRule(formula=[f"OR({incomplete},NOT(eligible))"],
                                                         fill=NONE_FILL))

    for col, head in zip("BCDEF", ("Clause", "Amount", "When", "Date", "The letter says")):
        _set(ws, f"{col}18", head, style=font(9, bold=True), fill=HEAD_FILL,
             align=Alignment(horizontal="right" if col in "CE" else "left", indent=int(col in "DF")))
    lines = [
        (19, "(i) Salary continuation", "salary_continuation",
         '=IF(eligible,installments&" "&pay_frequency_applied&" installments through","")',
         "continuation_end_date",
         "clause_text_i"),
        (20, "(ii) Prorated bonus", "prorated_bonus", "lump sum, due by", "lump_sum_due_date",
         "clause_text_ii"),
        (21, "(iii) Declared bonus not yet received", "unpaid_bonus", "lump sum, due by",
         "=lump_sum_due_date", "clause_text_iii"),
        (23, "(iv) Benefits continuation", "benefits_continuation", "benefits continue through",
         "=benefits_end_date", "clause_text_iv"),
    ]
    for row, label, amount, when, date, clause in lines:
        _set(ws, f"B{row}", label, style=font(bold=True), align=Alignment(vertical="top"))
        _set(ws, f"C{row}", "=" + getattr(F, amount)(refs), fmt=MONEY, style=font(bold=True),
             align=Alignment(vertical="top"))
        name(amount, f"C{row}")
        _set(ws, f"D{row}", when, style=font(9, color=GREY), align=Alignment(horizontal="left", vertical="top", indent=1))
        if date.startswith("="):
            _set(ws, f"E{row}", date, fmt=DATE, align=Alignment(vertical="top"))
        else:
            _set(ws, f"E{row}", "=" + when_paid(getattr(F, date)(refs)), fmt=DATE,
                 align=Alignment(vertical="top"))
            name(date, f"E{row}")
        _set(ws, f"F{row}", f"={clause}", style=font(8, italic=True, color=GREY),
             align=Alignment(wrap_text=True, vertical="top", indent=1))
        text = agreement.clause_text.get(clause.removeprefix("clause_text_"), "")
        ws.row_dimensions[row].height = max(15, 11 * _lines(text, 95) + 4)
        for col in "BCDEF":
            ws[f"{col}{row}"].border = Border(bottom=THIN)
    for row, label, key in ((22, "Cash total (i) + (ii) + (iii)", "cash_total"),
                            (24, "Total value, benefits included", "total_value")):
        _set(ws, f"B{row}", label, style=font(11, bold=True), fill=TOTAL_FILL)
        _set(ws, f"C{row}", "=" + getattr(F, key)(refs), fmt=MONEY, style=font(11, bold=True),
             fill=TOTAL_FILL)
        name(key, f"C{row}")
        for col in "BCDEF":
            ws[f"{col}{row}"].fill = TOTAL_FILL
            ws[f"{col}{row}"].border = Border(top=Side(style="thin", color=NAVY),
                                              bottom=Side(style="double" if key == "total_value" else "thin",
                                                          color=NAVY))
        ws.row_dimensions[row].height = 18

    # Details -------------------------------------------------------------------------------
    _band(ws, 26, "B", "F", "How it is paid")
    details = [
        ("Eligible for severance", "eligible", F.eligible(refs), None,
         "without cause, or Good Reason without prior consent"),
        ("Reason for no severance", "reason", F.status_reason(refs), None, ""),
        ("Warnings", "warnings", F.warnings(refs), None, ""),
        ("Pay frequency applied", "pay_frequency_applied",
         F.pay_frequency_applied("pay_frequency", refs), None,
         "the input, or the agreement's default when blank"),
        ("Bonus proration applied", "bonus_proration", when_paid(F.bonus_proration(refs)), FRACTION,
         "days from January 1 through termination / days in the year, at least the floor"),
        ("Lump sums (ii), (iii) paid on", "lump_sum_payment_date",
         when_paid(F.business_day_before("lump_sum_due_date", refs)), DATE,
         "the due date, or the business day before it on a weekend or holiday"),
        ("Installments (i)", "installments", F.installments(refs), "0",
         "regular paydays after termination through the continuation end"),
        ("Installment amount", "installment_amount", F.installment_amount(refs), MONEY,
         "salary continuation / installments, to the cent"),
        ("Last installment", "last_installment_amount", F.last_installment_amount(refs), MONEY,
         "absorbs the rounding: the installments add up to (i) exactly"),
        ("Benefits end", "benefits_end_date", when_paid(F.benefits_end_date(refs)), DATE,
         "clause (iv): benefits continue through this date"),
    ]
    row = 27
    for label, key, formula, fmt, note in details:
        _set(ws, f"B{row}", label)
        if key in ("reason", "warnings"):  # a sentence: it takes the whole row
            ws.merge_cells(f"C{row}:F{row}")
            _set(ws, f"C{row}", "=" + formula, style=font(9), align=Alignment(wrap_text=True))
            ws.row_dimensions[row].height = 24
        else:
            _set(ws, f"C{row}", "=" + formula, fmt=fmt, align=Alignment(horizontal="right"))
            _set(ws, f"D{row}", key, style=font(9, color=GREY, name="Courier New"),
                 align=Alignment(horizontal="left", indent=1))
            ws.merge_cells(f"E{row}:F{row}")
            _set(ws, f"E{row}", note, style=font(8, color=GREY))
        name(key, f"C{row}")
        for col in "BCDEF":
            ws[f"{col}{row}"].border = Border(bottom=THIN)
        row += 1

    # Schedule ------------------------------------------------------------------------------
    row += 1
    _band(ws, row, "B", "F", "Payment schedule")
    row += 1
    head = row
    for col, text in zip("BCDEF", ("Payment", "Amount", "Due", "Paid on", "")):
        _set(ws, f"{col}{row}", text, style=font(9, bold=True), fill=HEAD_FILL,
             align=Alignment(horizontal="right" if col in "CDE" else "left"))
    _set(ws, f"F{row}", "Paid on: the due date, or the business day before it",
         style=font(8, italic=True, color=GREY), fill=HEAD_FILL, align=Alignment(indent=1))
    row += 1
    for label, key in (("(ii) Prorated bonus, lump sum", "prorated_bonus"),
                       ("(iii) Unpaid bonus, lump sum", "unpaid_bonus")):
        shown = f"AND(eligible,{key}>0)"
        _set(ws, f"B{row}", label)
        _set(ws, f"C{row}", f'=IF({shown},{key},"")', fmt=MONEY)
        _set(ws, f"D{row}", f'=IF({shown},lump_sum_due_date,"")', fmt=DATE)
        _set(ws, f"E{row}", f'=IF({shown},lump_sum_payment_date,"")', fmt=DATE)
        for col in "BCDEF":
            ws[f"{col}{row}"].border = Border(bottom=THIN)
        row += 1
    first = row
    count = schedule_rows(agreement)
    for j in range(1, count + 1):
        past = f"{j}>installments"
        _set(ws, f"B{row}", f'=IF({past},"",{j})', fmt='"(i) installment "0',
             align=Alignment(horizontal="left"))
        _set(ws, f"C{row}", f'=IF({past},"",{F.installment_payment(str(j), refs)})', fmt=MONEY)
        _set(ws, f"D{row}", f'=IF({past},"",{F.payday_date(str(j), refs)})', fmt=DATE)
        _set(ws, f"E{row}", f'=IF({past},"",{F.business_day_before(f"D{row}", refs)})', fmt=DATE)
        row += 1
    last = row - 1
    ws.conditional_formatting.add(f"B{first}:F{last}", FormulaRule(
        formula=[f"$B{first}<>\"\""], border=Border(bottom=THIN)))
    _set(ws, f"B{row}", f'=IF(installments>{count},"The schedule lists the first {count} of "'
                        f'&installments&" installments.","")', style=font(9, italic=True, color="C00000"))
    name("payment_schedule", f"B{head}:E{last}")

    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.print_area = f"A1:G{row}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&P / &N"
    ws.sheet_view.selection[0].activeCell = "C6"
    ws.sheet_view.selection[0].sqref = "C6"
    book.active = 0
    _save(book, path)


def _save(book: Workbook, path: str | Path) -> None:
    book.properties.creator = "severance add-in"
    book.properties.lastModifiedBy = "severance add-in"
    with atomic_path(path) as tmp:
        book.save(tmp)
        make_repeatable(tmp)


# ---------------------------------------------------------------------------------------------
# 2. The functions demo: the same case through the add-in's Excel functions (addin.udfs), each
# beside the native formula of the same figure, so a reader sees them agree.

# Argument order of the per-case functions, as addin.udfs declares them.
UDF_ARGUMENTS = ("termination_date", "reason", "base_salary", "bonus_declared", "bonus_paid",
                 "monthly_benefits", "consented", "agreement", "pay_frequency")
UDF_COLUMNS = {"termination_date": "termination_date", "reason": "termination_reason",
               "base_salary": "base_salary", "bonus_declared": "prior_year_bonus_declared",
               "bonus_paid": "prior_year_bonus_paid", "monthly_benefits": "monthly_benefits_cost",
               "consented": "consented_to_change", "agreement": "agreement",
               "pay_frequency": "pay_frequency"}
# The small case table of the SEVERANCE_TABLE demo: one case per way a case can go.
DEMO_CASES = (
    {"employee_id": "E1001", "employee_name": "Richard Bubenik", "termination_date": dt.date(2002, 6, 28),
     "termination_reason": "without_cause", "base_salary": 200000, "prior_year_bonus_declared": 100000,
     "prior_year_bonus_paid": 60000, "monthly_benefits_cost": 1450, "pay_frequency": "semimonthly"},
    {"employee_id": "E1002", "employee_name": "Maria Alvarez", "termination_date": dt.date(2024, 2, 29),
     "termination_reason": "good_reason", "base_salary": 245000, "prior_year_bonus_declared": 110000,
     "prior_year_bonus_paid": 55000, "monthly_benefits_cost": 1620.5, "pay_frequency": "biweekly",
     "consented_to_change": False},
    {"employee_id": "E1003", "employee_name": "James O'Connor", "termination_date": dt.date(2025, 7, 3),
     "termination_reason": "without_cause", "base_salary": 310000, "prior_year_bonus_paid": 150000,
     "monthly_benefits_cost": 1875.25, "pay_frequency": "weekly"},
    {"employee_id": "E1004", "employee_name": "Samuel Okafor", "termination_date": dt.date(2023, 3, 15),
     "termination_reason": "for_cause", "base_salary": 260000, "prior_year_bonus_declared": 80000,
     "prior_year_bonus_paid": 80000, "monthly_benefits_cost": 1500, "pay_frequency": "semimonthly"},
)
UDF_FONT = dict(color="1F4E79")
CHECK_NOTE = "add-in not loaded"


def _check(udf: str, native: str, kind: str = "money") -> str:
    """A cell that says whether a function's result equals the native formula's."""
    same = f"ROUND({udf}-{native},2)=0" if kind == "money" else f"{udf}={native}"
    return f'=IF(ISERROR({udf}),"{CHECK_NOTE}",IF({same},"agrees","DIFFERS"))'


def _native_refs(cells: Mapping[str, str], agreement_refs: Mapping[str, str]) -> dict[str, str]:
    """Refs for addin.formulas over case cells; derived figures are written out inline."""
    refs = dict(agreement_refs)
    refs.update(cells)
    refs["pay_frequency"] = F.pay_frequency_applied(cells["pay_frequency"], agreement_refs)
    refs["eligible"] = f"({F.eligible(refs)})"
    for key in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation"):
        refs[key] = f"({getattr(F, key)(refs)})"
    refs["cash_total"] = f"({F.cash_total(refs)})"
    refs["total_value"] = f"({F.total_value(refs)})"
    return refs


def _array(ws, first: str, rows: int, cols: int, formula: str, formats: Mapping[int, str]) -> str:
    """A legacy array formula over a fixed range: every Excel since 2007 fills it with the
    function's rows (Excel 365 would also spill the same formula typed into one cell)."""
    top = ws[first]
    last = ws.cell(top.row + rows - 1, top.column + cols - 1).coordinate
    ref = f"{first}:{last}"
    top.value = ArrayFormula(ref, "=" + formula)
    for r in range(top.row, top.row + rows):
        for c in range(top.column, top.column + cols):
            cell = ws.cell(r, c)
            cell.font = font(9, bold=r == top.row, **UDF_FONT)
            cell.number_format = formats.get(c - top.column, "General")
            cell.border = Border(bottom=THIN)
    # Cells past the function's last row hold #N/A in a fixed range: keep them quiet.
    ws.conditional_formatting.add(ref, FormulaRule(formula=[f"ISNA({first})"], font=Font(color="FFFFFF")))
    return ref


def build_functions(path: str | Path, agreement: Agreement | None = None) -> dict[str, str]:
    """Write the functions demo; returns where its native-formula cells are (figure -> cell),
    for the test that holds them equal to the engine."""
    from ..results.tables import CALC_COLUMNS, DATE_RESULTS, MONEY_RESULTS
    from ..udfs import BREAKDOWN_COLUMNS, SCHEDULE_COLUMNS

    agreement = agreement or builtin_agreements()[DEFAULT_AGREEMENT_ID]
    book = Workbook()
    ws = book.active
    ws.title = "Functions"
    agreement_refs = _agreement_sheet(book, agreement)
    ws.sheet_view.showGridLines = False
    for col, width in zip("ABCDEFGHIJKL", (2, 30, 17, 24, 14, 14, 58, 3, 16, 14, 18, 14)):
        ws.column_dimensions[col].width = width

    _set(ws, "B1", "Severance functions", style=font(18, bold=True, color=NAVY))
    ws.row_dimensions[1].height = 26
    _set(ws, "B2", "The add-in's Excel functions on one case and on a small case table, each beside "
                   "the native formula of the same figure.", style=font(10, bold=True, color=GREY))
    _set(ws, "B3", "Blue cells call the add-in (Windows Excel with xlwings; the xlwings.conf sheet "
                   "points it at addin.udfs). Without it they show #NAME? and the check column says "
                   f"\"{CHECK_NOTE}\"; the grey cells are native formulas and always calculate.",
         style=font(9, italic=True, color=GREY))

    # The case -------------------------------------------------------------------------------
    _band(ws, 5, "B", "G", "One case (change the yellow cells)")
    cells: dict[str, str] = {}
    row = 6
    example = {**EXAMPLE, "agreement": agreement.id}
    for argument in UDF_ARGUMENTS:
        column = UDF_COLUMNS[argument]
        _set(ws, f"B{row}", INPUT_LABELS.get(column, "Agreement"), style=font(bold=True))
        _set(ws, f"C{row}", example[column], fmt=INPUT_FORMATS.get(column), fill=INPUT_FILL,
             border=INPUT_BORDER, align=Alignment(horizontal="right"))
        dv = _input_validation(column, tuple(builtin_agreements()))
        ws.add_data_validation(dv)
        dv.add(f"C{row}")
        _set(ws, f"D{row}", argument, style=font(9, color=GREY, name="Courier New"),
             align=Alignment(horizontal="left", indent=1))
        cells[column] = f"$C${row}"
        row += 1
    layout = {f"input {column}": ref.replace("$", "") for column, ref in cells.items()}
    args = ",".join(cells[UDF_COLUMNS[a]].replace("$", "") for a in UDF_ARGUMENTS[:-1])
    schedule_args = args + "," + cells["pay_frequency"].replace("$", "")
    refs = _native_refs(cells, agreement_refs)

    caption = font(9, name="Courier New")

    # SEVERANCE_TOTAL ------------------------------------------------------------------------
    _band(ws, 16, "B", "L", "SEVERANCE_TOTAL: cash severance, (i) + (ii) + (iii)")
    text = _set(ws, "B17", f"=SEVERANCE_TOTAL({args})", style=caption)
    text.data_type, text.quotePrefix = "s", True   # shown as text, never run
    for col, text in zip("BCDE", ("figure", "function", "native formula", "check")):
        _set(ws, f"{col}18", text, style=font(9, bold=True), fill=HEAD_FILL)
    _set(ws, "B19", "cash_total")
    _set(ws, "C19", f"=SEVERANCE_TOTAL({args})", fmt=MONEY, style=font(bold=True, **UDF_FONT))
    _set(ws, "D19", "=" + F.cash_total(refs), fmt=MONEY, style=font(color=GREY))
    layout["cash_total"] = "D19"
    _set(ws, "E19", _check("C19", "D19"), style=font(9))
    for col in "BCDE":
        ws[f"{col}19"].border = Border(bottom=THIN)

    # SEVERANCE_BREAKDOWN --------------------------------------------------------------------
    _band(ws, 21, "B", "L", "SEVERANCE_BREAKDOWN: clauses (i)-(iv), totals and status")
    _set(ws, "B22", f"{{=SEVERANCE_BREAKDOWN({args})}}", style=caption)
    first = 23
    width = len(BREAKDOWN_COLUMNS)
    rows = 1 + 4 + 3
    amount_col = BREAKDOWN_COLUMNS.index("amount")
    due_col = BREAKDOWN_COLUMNS.index("due_date")
    _array(ws, f"B{first}", rows, width, f"SEVERANCE_BREAKDOWN({args})",
           {amount_col: MONEY, due_col: DATE})
    for r in range(first + 1, first + rows):
        ws.cell(r, 2 + width - 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 24
    native_col, due_native, check_col = 2 + width + 1, 2 + width + 2, 2 + width + 3
    for k, text in enumerate(("native amount", "native due date", "check")):
        _set(ws, f"{get_column_letter(native_col + k)}{first}", text, style=font(9, bold=True),
             fill=HEAD_FILL)
    due = {"salary_continuation": F.continuation_end_date(refs), "prorated_bonus": F.lump_sum_due_date(refs),
           "unpaid_bonus": F.lump_sum_due_date(refs), "benefits_continuation": F.benefits_end_date(refs),
           "cash_total": F.lump_sum_due_date(refs), "total_value": None}
    for k, key in enumerate(due):
        r = first + 1 + k
        amount = ws.cell(r, native_col, "=" + refs[key])
        amount.number_format, amount.font = MONEY, font(color=GREY)
        layout[f"breakdown {key}"] = amount.coordinate
        if due[key]:
            date = ws.cell(r, due_native, f"=IF({refs['eligible']},{due[key]},\"\")")
            date.number_format, date.font = DATE, font(color=GREY)
            layout[f"breakdown {key} due"] = date.coordinate
        udf = ws.cell(r, 2 + amount_col).coordinate
        ws.cell(r, check_col, _check(udf, ws.cell(r, native_col).coordinate)).font = font(9)
    status_row = first + rows - 1
    ws.cell(status_row, native_col, "=" + F.status(refs)).font = font(color=GREY)
    layout["breakdown status"] = ws.cell(status_row, native_col).coordinate
    ws.cell(status_row, check_col, _check(ws.cell(status_row, 2 + BREAKDOWN_COLUMNS.index("label")).coordinate,
                                          ws.cell(status_row, native_col).coordinate, "text")).font = font(9)

    # SEVERANCE_SCHEDULE ---------------------------------------------------------------------
    top = first + rows + 1
    _band(ws, top, "B", "L", "SEVERANCE_SCHEDULE: every payment, in date order")
    _set(ws, f"B{top + 1}", f"{{=SEVERANCE_SCHEDULE({schedule_args})}}", style=caption)
    first = top + 2
    rows = 1 + 2 + schedule_rows(agreement)
    amount_col = SCHEDULE_COLUMNS.index("amount")
    formats = {k: DATE for k, c in enumerate(SCHEDULE_COLUMNS) if c.endswith("date")}
    formats[amount_col] = MONEY
    _array(ws, f"B{first}", rows, len(SCHEDULE_COLUMNS), f"SEVERANCE_SCHEDULE({schedule_args})", formats)
    amounts = f"{get_column_letter(2 + amount_col)}{first + 1}:{get_column_letter(2 + amount_col)}{first + rows - 1}"
    label_col = get_column_letter(native_col)
    for k, (label, formula, fmt, udf) in enumerate((
            ("payments", F.payment_count({**refs, "installments": F.installments(refs)}),
             "0", f"COUNT({amounts})"),
            ("sum of payments", refs["cash_total"], MONEY, f'SUMIF({amounts},"<>#N/A")'))):
        r = first + k
        _set(ws, f"{label_col}{r}", label, style=font(9, bold=True), fill=HEAD_FILL)
        _set(ws, f"{get_column_letter(native_col + 1)}{r}", "=" + formula, fmt=fmt, style=font(color=GREY))
        layout[f"schedule {label}"] = f"{get_column_letter(native_col + 1)}{r}"
        kind = "money" if fmt == MONEY else "count"
        same = (f"ROUND({udf}-{get_column_letter(native_col + 1)}{r},2)=0" if kind == "money"
                else f"{udf}={get_column_letter(native_col + 1)}{r}")
        _set(ws, f"{get_column_letter(native_col + 2)}{r}",
             f'=IF(ISERROR(B{first}),"{CHECK_NOTE}",IF({same},"agrees","DIFFERS"))', style=font(9))

    # SEVERANCE_TABLE ------------------------------------------------------------------------
    top = first + rows + 1
    _band(ws, top, "B", "L", "SEVERANCE_TABLE: a whole case table at once")
    table_first = top + 1
    for k, column in enumerate(CASE_COLUMNS):
        _set(ws, f"{get_column_letter(2 + k)}{table_first}", column, style=font(9, bold=True), fill=HEAD_FILL)
    for n, case in enumerate(DEMO_CASES, start=1):
        for k, column in enumerate(CASE_COLUMNS):
            value = case.get(column)
            _set(ws, f"{get_column_letter(2 + k)}{table_first + n}", value,
                 fmt=CASE_FORMATS.get(column) if column != "employee_id" else None, fill=INPUT_FILL,
                 style=font(9), border=Border(bottom=THIN))
    table_last = table_first + len(DEMO_CASES)
    table_ref = f"B{table_first}:{get_column_letter(1 + len(CASE_COLUMNS))}{table_last}"
    _set(ws, f"B{table_last + 1}", f"{{=SEVERANCE_TABLE({table_ref})}}", style=caption)
    first = table_last + 2
    formats = {k: MONEY for k, c in enumerate(CALC_COLUMNS) if c in MONEY_RESULTS}
    formats.update({k: DATE for k, c in enumerate(CALC_COLUMNS) if c in DATE_RESULTS})
    formats[CALC_COLUMNS.index("bonus_proration")] = FRACTION
    _array(ws, f"B{first}", 1 + len(DEMO_CASES), len(CALC_COLUMNS), f"SEVERANCE_TABLE({table_ref})", formats)

    top = first + len(DEMO_CASES) + 2
    _set(ws, f"B{top}", "The same cases with native formulas", style=font(10, bold=True, color=NAVY))
    for k, text in enumerate(("employee_id", "status", "cash_total", "total_value", "check")):
        _set(ws, f"{get_column_letter(2 + k)}{top + 1}", text, style=font(9, bold=True), fill=HEAD_FILL)
    cash_col = get_column_letter(2 + CALC_COLUMNS.index("cash_total"))
    for n in range(1, len(DEMO_CASES) + 1):
        r, source = top + 1 + n, table_first + n
        row_cells = {c: f"${get_column_letter(2 + k)}{source}" for k, c in enumerate(CASE_COLUMNS)}
        case_refs = _native_refs(row_cells, agreement_refs)
        _set(ws, f"B{r}", f"={row_cells['employee_id']}", style=font(9, color=GREY))
        _set(ws, f"C{r}", "=" + F.status(case_refs), style=font(9, color=GREY))
        _set(ws, f"D{r}", "=" + case_refs["cash_total"], fmt=MONEY, style=font(9, color=GREY))
        _set(ws, f"E{r}", "=" + case_refs["total_value"], fmt=MONEY, style=font(9, color=GREY))
        _set(ws, f"F{r}", _check(f"{cash_col}{first + n}", f"D{r}"), style=font(9))
        layout[f"table {n}"] = f"B{source}"
        layout[f"table {n} native"] = f"B{r}"
        for col in "BCDEF":
            ws[f"{col}{r}"].border = Border(bottom=THIN)
    ws.conditional_formatting.add(f"B1:V{top + 1 + len(DEMO_CASES)}", FormulaRule(
        formula=['B1="DIFFERS"'], font=Font(bold=True, color="C00000")))

    # xlwings reads its settings from a sheet of this name: key in A, value in B.
    conf = book.create_sheet("xlwings.conf")
    conf["A1"], conf["B1"] = "UDF Modules", "addin.udfs"
    conf["D1"] = ("Settings the xlwings add-in reads for this workbook: the Python module whose "
                  "functions the blue cells call.")
    conf["D1"].font = font(9, italic=True, color=GREY)
    conf.column_dimensions["A"].width = 16
    conf.column_dimensions["B"].width = 14
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.sheet_view.selection[0].activeCell = "C6"
    ws.sheet_view.selection[0].sqref = "C6"
    book.active = 0
    _save(book, path)
    return layout


# ---------------------------------------------------------------------------------------------
# 3. The case table template: what `severance calc` and `severance report` read.

CASE_WIDTHS = {"employee_id": 13, "employee_name": 24, "termination_date": 17, "termination_reason": 20,
               "base_salary": 15, "prior_year_bonus_declared": 25, "prior_year_bonus_paid": 21,
               "monthly_benefits_cost": 21, "pay_frequency": 15, "consented_to_change": 21,
               "agreement": 19}
CASE_FORMATS = {"employee_id": "@", "employee_name": "@", "termination_date": DATE,
                "termination_reason": "@", "base_salary": MONEY, "prior_year_bonus_declared": MONEY,
                "prior_year_bonus_paid": MONEY, "monthly_benefits_cost": MONEY, "pay_frequency": "@",
                "agreement": "@"}
TEMPLATE_ROWS = 10000   # rows prepared with validation and formats; the table grows past them too


def build_cases_template(path: str | Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Cases"
    agreement_ids = tuple(builtin_agreements())
    last = get_column_letter(len(CASE_COLUMNS))
    for k, column in enumerate(CASE_COLUMNS, start=1):
        letter = get_column_letter(k)
        cell = ws.cell(1, k, column)
        cell.font = font(bold=True, color="FFFFFF")
        cell.fill = BAND_FILL
        cell.alignment = Alignment(vertical="center")
        title, help_text = INPUT_HELP[column]
        cell.comment = Comment(f"{title}\n{help_text}", "severance add-in", width=260, height=110)
        ws.column_dimensions[letter].width = CASE_WIDTHS[column]
        ws.column_dimensions[letter].font = font()
        if column in CASE_FORMATS:
            ws.column_dimensions[letter].number_format = CASE_FORMATS[column]
            ws.cell(2, k).number_format = CASE_FORMATS[column]
        ws.cell(2, k).font = font()
        dv = _input_validation(column, agreement_ids)
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 20
    table = Table(displayName="Cases", ref=f"A1:{last}2",
                  tableColumns=[TableColumn(id=k, name=c) for k, c in enumerate(CASE_COLUMNS, 1)],
                  autoFilter=AutoFilter(ref=f"A1:{last}2"),
                  tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True))
    ws.add_table(table)
    ws.freeze_panes = "C2"
    ws.sheet_view.selection[0].activeCell = "A2"
    ws.sheet_view.selection[0].sqref = "A2"
    _save(book, path)


# ---------------------------------------------------------------------------------------------
# Building, and proving a committed workbook is what the code builds.

def _report_template(path: str | Path) -> None:
    try:
        from ..report.writer import build_report_template
    except ImportError as exc:
        raise OutputError(f"{path}: the report writer is not available ({exc})") from None
    build_report_template(path)


BUILDERS: dict[str, Callable[[Path], object]] = {
    CALCULATOR: build_calculator,
    FUNCTIONS: build_functions,
    CASES_TEMPLATE: build_cases_template,
    REPORT_TEMPLATE: _report_template,
}


def build_all(folder: str | Path = DEFAULT_DIR, names=None) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise OutputError(f"{folder}: the folder does not exist")
    out = []
    for name in names or BUILDERS:
        BUILDERS[name](folder / name)
        out.append(folder / name)
    return out


def _color(c) -> str:
    if c is None:
        return ""
    return str(getattr(c, "rgb", "") or getattr(c, "theme", "") or "")


def _cell_content(cell) -> tuple:
    f, a, b, p = cell.font, cell.alignment, cell.border, cell.protection
    value = cell.value
    if isinstance(value, ArrayFormula):
        value = f"{{{value.ref}}}{value.text}"
    return (cell.data_type, repr(value), cell.number_format, cell.quotePrefix,
            (f.name, f.sz, f.b, f.i, f.u, _color(f.color)),
            (cell.fill.fill_type, _color(cell.fill.fgColor)),
            (a.horizontal, a.vertical, a.wrap_text, a.indent),
            tuple((s.style, _color(s.color)) if s else None for s in (b.left, b.right, b.top, b.bottom)),
            (p.locked, p.hidden),
            cell.comment.text if cell.comment else None)


def workbook_content(path: str | Path) -> dict[str, object]:
    """What a workbook holds, as comparable text: every cell (value or formula, format, style,
    protection, comment), merged ranges, sizes, validations, conditional formats, tables,
    protection, print set-up and defined names. Timestamps and zip details are not content."""
    book = load_workbook(path)
    content: dict[str, object] = {
        "sheets": tuple(book.sheetnames),
        "defined names": tuple(sorted((n, d.attr_text, d.localSheetId) for n, d in book.defined_names.items())),
    }
    for ws in book.worksheets:
        key = f"sheet {ws.title}"
        content[f"{key}: state"] = (ws.sheet_state, ws.protection.sheet, ws.protection.password,
                                    ws.sheet_view.showGridLines, ws.freeze_panes)
        content[f"{key}: print"] = (str(ws.print_area), ws.page_setup.orientation, ws.page_setup.fitToWidth,
                                    ws.page_setup.fitToHeight, ws.print_title_rows)
        content[f"{key}: merged"] = tuple(sorted(str(r) for r in ws.merged_cells.ranges))
        content[f"{key}: columns"] = tuple(sorted(
            (k, d.width, d.hidden, d.number_format) for k, d in ws.column_dimensions.items()))
        content[f"{key}: rows"] = tuple(sorted(
            (k, d.height, d.hidden) for k, d in ws.row_dimensions.items() if d.height or d.hidden))
        content[f"{key}: validations"] = tuple(sorted(
            (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.allow_blank, v.showDropDown,
             v.promptTitle, v.prompt, v.errorTitle, v.error, v.errorStyle)
            for v in ws.data_validations.dataValidation))
        content[f"{key}: conditional formats"] = tuple(sorted(
            (str(rng.sqref), rule.type, tuple(rule.formula or ()), repr(rule.dxf))
            for rng in ws.conditional_formatting for rule in rng.rules))
        content[f"{key}: tables"] = tuple(sorted(
            (t.displayName, t.ref, t.tableStyleInfo.name if t.tableStyleInfo else None,
             tuple(c.name for c in t.tableColumns)) for t in ws.tables.values()))
        content[f"{key}: images"] = tuple(
            (type(img).__name__, getattr(img.anchor, "_from", None) and
             (img.anchor._from.col, img.anchor._from.row)) for img in ws._images)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None or cell.has_style or cell.comment:
                    content[f"{ws.title}!{cell.coordinate}"] = _cell_content(cell)
    return content


def differences(expected: str | Path, actual: str | Path, limit: int = 10) -> list[str]:
    """How `actual` differs from `expected` (empty: same content)."""
    a, b = workbook_content(expected), workbook_content(actual)
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        if a.get(key) != b.get(key):
            out.append(f"{key}: {str(a.get(key, '(absent)'))[:200]} -> {str(b.get(key, '(absent)'))[:200]}")
            if len(out) >= limit:
                break
    return out


def check(folder: str | Path = DEFAULT_DIR) -> dict[str, list[str]]:
    """Each shipped workbook's differences from a fresh build (empty lists: all current)."""
    folder = Path(folder)
    with tempfile.TemporaryDirectory(prefix="templates-") as tmp:
        out = {}
        for name in BUILDERS:
            fresh = Path(tmp) / name
            BUILDERS[name](fresh)
            committed = folder / name
            out[name] = differences(fresh, committed) if committed.exists() else [f"{committed} is missing"]
        return out


def _build_command(args) -> int:
    agreement = None
    if args.terms or args.agreement:
        agreements = load_agreements(args.terms)
        agreement_id = args.agreement or DEFAULT_AGREEMENT_ID
        if agreement_id not in agreements:
            raise OutputError(f"unknown agreement {agreement_id!r} (known: {', '.join(agreements)})")
        agreement = agreements[agreement_id]
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    if agreement is not None:
        build_calculator(folder / CALCULATOR, agreement)
        print(f"built {folder / CALCULATOR} for agreement {agreement.id}", file=sys.stderr)
        return 0
    for path in build_all(folder):
        print(f"built {path}", file=sys.stderr)
    return 0


def _check_command(args) -> int:
    stale = {name: diff for name, diff in check(args.dir).items() if diff}
    for name, diff in stale.items():
        print(f"{Path(args.dir) / name}: stale; rebuild with `severance templates build`", file=sys.stderr)
        for line in diff:
            print(f"  {line}", file=sys.stderr)
    if not stale:
        print(f"all {len(BUILDERS)} workbooks in {args.dir} are current", file=sys.stderr)
    return 1 if stale else 0


def add_subcommand(subparsers, common) -> None:
    parser = subparsers.add_parser("templates", help="build the shipped workbooks, or check they are current")
    sub = parser.add_subparsers(dest="templates_command", required=True)
    build = sub.add_parser("build", help=f"write {', '.join(BUILDERS)}")
    build.add_argument("--out", default=str(DEFAULT_DIR), metavar="DIR",
                       help=f"folder to write into (default: {DEFAULT_DIR}/)")
    build.add_argument("--terms", metavar="FILE",
                       help="TOML file of [[agreement]] tables: build only the calculator, for --agreement")
    build.add_argument("--agreement", metavar="ID", help="agreement of the calculator (default: "
                                                         f"{DEFAULT_AGREEMENT_ID})")
    build.set_defaults(run=_build_command)
    checking = sub.add_parser("check", help="exit 1 if a committed workbook differs from a fresh build")
    checking.add_argument("--dir", default=str(DEFAULT_DIR), metavar="DIR",
                          help=f"folder of the committed workbooks (default: {DEFAULT_DIR}/)")
    checking.set_defaults(run=_check_command)
