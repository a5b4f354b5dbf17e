"""The calculator finance emails around: one case, native formulas only, every input and figure
under its defined name, clauses (i)-(iv) beside the letter's words, and the payment schedule."""

from __future__ import annotations

import math
from pathlib import Path

from ..excel import formulas as F
from ..excel.cells import Role, wrapped_lines
from ..results.tables import COMPONENT_DATES
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement, builtin_agreements
from .agreement import agreement_sheet, clause_name
from .inputs import EXAMPLE, INPUT_HELP, INPUT_LABELS, INPUTS, input_role, input_validation
from .plan import (BLANK, GREY, HEAD_FILL, INPUT_FILL, NAVY, TOTAL_FILL, Align, Edge, Highlight, Look, Page,
                   SheetPlan, Slot, TOP, Typeface, address, column, formula, letter, restyle, span, text,
                   typed)
from .writer import write_book

SHEET = "Calculator"
# Its key computed cells, named like the `severance calc` columns.
OUTPUTS = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
           "cash_total", "total_value", "lump_sum_due_date", "continuation_end_date")
# Columns: labels, values, names (or "when"), help (or dates), the letter's words.
LABEL, VALUE, NAME, HELP, NOTE = (column(c) for c in "BCDEF")
WIDTHS = dict(zip("ABCDEFG", (2, 31, 15, 27, 12, 54, 2)))
CLAUSE_CHARS_PER_LINE = 95
INCOMPLETE = "OR(ISBLANK(termination_date),ISBLANK(termination_reason),ISBLANK(base_salary))"
PAID_FILL, NONE_FILL, ALERT = "E2EFDA", "FCE4D6", "C00000"

BOLD = Look(face=Typeface(bold=True))
CODE = Look(face=Typeface(9, color=GREY, name="Courier New"), horizontal=Align.LEFT, indent=1)
SMALL_GREY = Look(face=Typeface(8, color=GREY))
HEAD = Look(face=Typeface(9, bold=True), fill=HEAD_FILL)


def schedule_rows(agreement: Agreement) -> int:
    """Rows of the calculator's schedule: more than the weekly paydays of the longest
    continuation (months of at most 31 days)."""
    return max(60, math.ceil(agreement.salary_continuation_months * 31 / 7) + 2)


def calculator_refs(agreement_refs: dict[str, str]) -> dict[str, str]:
    """What the formulas read: the inputs and figures by their defined names."""
    refs = dict(agreement_refs)
    refs.update({name: name for name in INPUTS})
    # A blank pay frequency takes the agreement's default, as in the case table.
    refs["pay_frequency"] = "pay_frequency_applied"
    for name in ("eligible", "installments", "installment_amount", "last_installment_amount",
                 "benefits_end_date", "lump_sum_payment_date", *OUTPUTS):
        refs[name] = name
    return refs


def plan_calculator(agreement: Agreement) -> tuple[SheetPlan, SheetPlan]:
    """The Calculator sheet and its Agreement sheet."""
    terms, agreement_refs = agreement_sheet(agreement)
    refs = calculator_refs(agreement_refs)
    plan = SheetPlan(SHEET, WIDTHS, grid_lines=False, zoom=100, protected=True,
                     page=Page(letter=True, centered=True, margins=(0.4, 0.5), footer="&P / &N"))
    row = plan.stack(TOP, LABEL, (
        Slot(text("Severance calculator"), Look(face=Typeface(18, bold=True, color=NAVY))),
        Slot(formula("agreement_title"), Look(face=Typeface(11, bold=True, color=GREY))),
        Slot(text("Fill in the yellow cells; every other figure is a formula over them and the Agreement "
                  "sheet. Amounts in dollars, dates as YYYY-MM-DD."),
             Look(face=Typeface(9, italic=True, color=GREY)))))
    plan.heights[TOP] = 26
    row = _inputs(plan, row + 2)
    row = _result(plan, row + 2, refs)
    row = _lines(plan, row + 2, refs, agreement)
    row = _details(plan, row + 2, refs)
    row = _schedule(plan, row + 2, refs, agreement)
    plan.print_area = span(TOP, column(min(WIDTHS)), row, column(max(WIDTHS)))
    plan.active_cell = address(*_first_input(plan))
    return plan, terms


def _first_input(plan: SheetPlan) -> tuple[int, int]:
    """Where the first cell to fill in is: the sheet opens there."""
    return min(place for place, slot in plan.slots.items() if slot.look.unlocked)


def _inputs(plan: SheetPlan, band: int) -> int:
    """The yellow input cells, one row each, named like the case-table columns; returns the
    last row."""
    plan.band(band, LABEL, NOTE, "Inputs")
    row = band
    for key in INPUTS:
        row += 1
        plan.put(row, LABEL, Slot(text(INPUT_LABELS[key]), restyle(BOLD, vertical=Align.CENTER)))
        plan.put(row, VALUE, Slot(typed(EXAMPLE[key], input_role(key)),
                                  Look(fill=INPUT_FILL, edge=Edge.INPUT, horizontal=Align.RIGHT,
                                       vertical=Align.CENTER, unlocked=True), name=key))
        plan.put(row, NAME, Slot(text(key), restyle(CODE, vertical=Align.CENTER)))
        help_look = restyle(SMALL_GREY, wrap=True, vertical=Align.CENTER)
        plan.put(row, HELP, Slot(text(INPUT_HELP[key][1]), help_look, span=2))
        plan.heights[row] = 22
        plan.validations.append((input_validation(key), address(row, VALUE)))
    return row


def _result(plan: SheetPlan, band: int, refs: dict[str, str]) -> int:
    """Severance or not, in a line coloured by the answer; returns the row."""
    plan.band(band, LABEL, NOTE, "Result")
    row = band + 1
    plan.put(row, LABEL, Slot(text("Severance"), Look(face=Typeface(11, bold=True), vertical=Align.CENTER)))
    plan.put(row, VALUE, Slot(formula(F.status(refs)), Look(face=Typeface(11, bold=True),
                                                            horizontal=Align.CENTER, vertical=Align.CENTER),
                              name="status"))
    plan.put(row, NAME, Slot(formula(f'IF({INCOMPLETE},"Fill in the termination date, reason and base '
                                     f'salary.",IF(eligible,"Payable under clauses (i) to (iv) below.",'
                                     f'reason))'),
                             Look(face=Typeface(10, bold=True), wrap=True, vertical=Align.CENTER), span=3))
    plan.heights[row] = 30
    line = span(row, LABEL, row, NOTE)
    plan.highlights.append(Highlight(line, f"AND(NOT({INCOMPLETE}),eligible)", fill=PAID_FILL))
    plan.highlights.append(Highlight(line, f"OR({INCOMPLETE},NOT(eligible))", fill=NONE_FILL))
    return row


def _lines(plan: SheetPlan, head: int, refs: dict[str, str], agreement: Agreement) -> int:
    """Clauses (i)-(iv), each amount with its date and the letter's words, and the two totals;
    returns the last row."""
    for col, words in zip((LABEL, VALUE, NAME, HELP, NOTE), ("Clause", "Amount", "When", "Date",
                                                             "The letter says")):
        plan.put(head, col, Slot(text(words), restyle(HEAD, horizontal=Align.RIGHT if col in (VALUE, HELP)
                                                      else Align.LEFT, indent=int(col in (NAME, NOTE)))))
    when_salary = formula('IF(eligible,installments&" "&pay_frequency_applied&" installments through","")')
    lump_sum = text("lump sum, due by")
    # (label, amount, when, its date computed here or shown from where it is, clause)
    rows = (
        ("(i) Salary continuation", "salary_continuation", when_salary, True, "i"),
        ("(ii) Prorated bonus", "prorated_bonus", lump_sum, True, "ii"),
        ("(iii) Declared bonus not yet received", "unpaid_bonus", lump_sum, False, "iii"),
        ("Cash total (i) + (ii) + (iii)", "cash_total", None, False, None),
        ("(iv) Benefits continuation", "benefits_continuation", text("benefits continue through"),
         False, "iv"),   # its date is computed under "How it is paid"
        ("Total value, benefits included", "total_value", None, False, None),
    )
    row = head
    for label, amount, when, computed, clause in rows:
        row += 1
        if clause is None:
            _total(plan, row, label, amount, refs)
            continue
        date = COMPONENT_DATES[amount]
        top = Look(vertical=Align.TOP, edge=Edge.RULE)
        plan.put(row, LABEL, Slot(text(label), restyle(BOLD, vertical=Align.TOP, edge=Edge.RULE)))
        plan.put(row, VALUE, Slot(formula(getattr(F, amount)(refs), Role.MONEY),
                                  restyle(BOLD, vertical=Align.TOP, edge=Edge.RULE), name=amount))
        plan.put(row, NAME, Slot(when, Look(face=Typeface(9, color=GREY), horizontal=Align.LEFT,
                                            vertical=Align.TOP, indent=1, edge=Edge.RULE)))
        if computed:
            plan.put(row, HELP, Slot(formula(F.when_paid(refs, getattr(F, date)(refs)), Role.DATE), top,
                                     name=date))
        else:
            plan.put(row, HELP, Slot(formula(F.shown(date), Role.DATE), top))
        plan.put(row, NOTE, Slot(formula(clause_name(clause)),
                                 Look(face=Typeface(8, italic=True, color=GREY), wrap=True,
                                      vertical=Align.TOP, indent=1, edge=Edge.RULE)))
        words = agreement.clause_text.get(clause, "")
        plan.heights[row] = max(15, 11 * wrapped_lines(words, CLAUSE_CHARS_PER_LINE) + 4)
    return row


def _total(plan: SheetPlan, row: int, label: str, key: str, refs: dict[str, str]) -> None:
    """A totals line across the table, named like its `severance calc` column."""
    edge = Edge.GRAND_TOTAL if key == "total_value" else Edge.TOTAL
    big = Typeface(11, bold=True)
    plan.put(row, LABEL, Slot(text(label), Look(face=big, fill=TOTAL_FILL, edge=edge)))
    plan.put(row, VALUE, Slot(formula(getattr(F, key)(refs), Role.MONEY),
                              Look(face=big, fill=TOTAL_FILL, edge=edge), name=key))
    for col in (NAME, HELP, NOTE):
        plan.put(row, col, Slot(BLANK, Look(face=None, fill=TOTAL_FILL, edge=edge)))
    plan.heights[row] = 18


def _details(plan: SheetPlan, band: int, refs: dict[str, str]) -> int:
    """How it is paid: the figures behind the lines, each named; returns the last row."""
    plan.band(band, LABEL, NOTE, "How it is paid")
    details = (
        ("Eligible for severance", "eligible", F.eligible(refs), Role.TEXT,
         "without cause, or Good Reason without prior consent"),
        ("Reason for no severance", "reason", F.status_reason(refs), None, ""),
        ("Warnings", "warnings", F.warnings(refs), None, ""),
        ("Pay frequency applied", "pay_frequency_applied", F.pay_frequency_applied("pay_frequency", refs),
         Role.TEXT, "the input, or the agreement's default when blank"),
        ("Bonus proration applied", "bonus_proration", F.when_paid(refs, F.bonus_proration(refs)),
         Role.FRACTION, "days from January 1 through termination / days in the year, at least the floor"),
        ("Lump sums (ii), (iii) paid on", "lump_sum_payment_date",
         F.when_paid(refs, F.business_day_before("lump_sum_due_date", refs)), Role.DATE,
         "the due date, or the business day before it on a weekend or holiday"),
        ("Installments (i)", "installments", F.installments(refs), Role.COUNT,
         "regular paydays after termination through the continuation end"),
        ("Installment amount", "installment_amount", F.installment_amount(refs), Role.MONEY,
         "salary continuation / installments, to the cent"),
        ("Last installment", "last_installment_amount", F.last_installment_amount(refs), Role.MONEY,
         "absorbs the rounding: the installments add up to (i) exactly"),
        ("Benefits end", "benefits_end_date", F.when_paid(refs, F.benefits_end_date(refs)), Role.DATE,
         "clause (iv): benefits continue through this date"),
    )
    row = band
    for label, key, expression, role, note in details:
        row += 1
        plan.put(row, LABEL, Slot(text(label)))
        if role is None:  # a sentence: it takes the whole row
            plan.put(row, VALUE, Slot(formula(expression), Look(face=Typeface(9), wrap=True), name=key,
                                      span=NOTE - VALUE + 1))
            plan.heights[row] = 24
        else:
            plan.put(row, VALUE, Slot(formula(expression, role), Look(horizontal=Align.RIGHT), name=key))
            plan.put(row, NAME, Slot(text(key), CODE))
            plan.put(row, HELP, Slot(text(note), SMALL_GREY, span=2))
        plan.rule_below(row, LABEL, NOTE)
    return row


def _schedule(plan: SheetPlan, band: int, refs: dict[str, str], agreement: Agreement) -> int:
    """Every payment: the two lump sums, then the installments; returns the row of the note
    under it."""
    plan.band(band, LABEL, NOTE, "Payment schedule")
    head = band + 1
    for col, words in zip((LABEL, VALUE, NAME, HELP), ("Payment", "Amount", "Due", "Paid on")):
        plan.put(head, col, Slot(text(words), restyle(
            HEAD, horizontal=Align.LEFT if col == LABEL else Align.RIGHT)))
    plan.put(head, NOTE, Slot(text("Paid on: the due date, or the business day before it"),
                              Look(face=Typeface(8, italic=True, color=GREY), fill=HEAD_FILL, indent=1)))
    row = head
    for label, key in (("(ii) Prorated bonus, lump sum", "prorated_bonus"),
                       ("(iii) Unpaid bonus, lump sum", "unpaid_bonus")):
        row += 1
        shown = lump_sum_paid(key)
        plan.put(row, LABEL, Slot(text(label)))
        plan.put(row, VALUE, Slot(formula(f'IF({shown},{key},"")', Role.MONEY)))
        plan.put(row, NAME, Slot(formula(f'IF({shown},lump_sum_due_date,"")', Role.DATE)))
        plan.put(row, HELP, Slot(formula(f'IF({shown},lump_sum_payment_date,"")', Role.DATE)))
        plan.rule_below(row, LABEL, NOTE)
    first, count = row + 1, schedule_rows(agreement)
    for j in range(1, count + 1):
        row = first + j - 1
        past = f"{j}>installments"
        plan.put(row, LABEL, Slot(formula(f'IF({past},"",{j})'), Look(horizontal=Align.LEFT,
                                                                      number_format='"(i) installment "0')))
        amount = F.installment_payment(str(j), refs)
        plan.put(row, VALUE, Slot(formula(f'IF({past},"",{amount})', Role.MONEY)))
        plan.put(row, NAME, Slot(formula(f'IF({past},"",{F.payday_date(str(j), refs)})', Role.DATE)))
        due = address(row, NAME)
        plan.put(row, HELP, Slot(formula(f'IF({past},"",{F.business_day_before(due, refs)})', Role.DATE)))
    last = row
    plan.highlights.append(Highlight(span(first, LABEL, last, NOTE),
                                     f'${letter(LABEL)}{first}<>""', rule_below=True))
    row += 1
    plan.put(row, LABEL, Slot(formula(f'IF(installments>{count},"The schedule lists the first {count} of "'
                                      f'&installments&" installments.","")'),
                              Look(face=Typeface(9, italic=True, color=ALERT))))
    plan.ranges["payment_schedule"] = span(head, LABEL, last, HELP)
    return row


def lump_sum_paid(key: str) -> str:
    """Whether the schedule lists lump sum `key`: a zero amount is not a payment.
    TODO(formulas): addin.excel.formulas states this rule only inside payment_count; once it
    has a formula for one lump sum, read it from there."""
    return f"AND(eligible,{key}>0)"


def build_calculator(path: str | Path, agreement: Agreement | None = None) -> None:
    agreement = agreement or builtin_agreements()[DEFAULT_AGREEMENT_ID]
    write_book(path, plan_calculator(agreement))


__all__ = ["OUTPUTS", "build_calculator", "plan_calculator", "schedule_rows"]
