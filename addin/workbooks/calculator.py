"""The calculator finance emails around: one case, native formulas only, every input and figure
under its defined name, clauses (i)-(iv) beside the letter's words, the payment schedule and
the what-if by termination month.

Every input is read by the hidden Reading sheet (addin.workbooks.reading) as `severance calc`
reads a case table, so the status is paid, no_severance, incomplete (naming what is missing) or
invalid (naming what is wrong), and no amount or date shows unless the inputs read. Every
formula is written with the value the engine computes for the worked example."""

from __future__ import annotations

import math
from pathlib import Path

from ..excel import formulas as F
from ..excel.cells import Role, wrapped_lines
from ..results.tables import COMPONENT_DATES
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement, builtin_agreements
from .agreement import agreement_sheet, clause_name
from .example import Figures, engine_figures
from .inputs import EXAMPLE, INPUT_HELP, INPUT_LABELS, INPUTS, input_role, input_validation
from .plan import (BLANK, FOOTER, GREY, HEAD_FILL, INPUT_FILL, NAVY, TOTAL_FILL, Align, Edge, Highlight,
                   Look, Page, SheetPlan, Slot, TOP, Typeface, address, column, formula, letter, restyle,
                   span, text, typed)
from .reading import NO_VALUE, reading_sheet
from .whatif import whatif_sheet
from .writer import write_book

SHEET = "Calculator"
SCHEDULE_SHEET = "Payment schedule"
# Its key computed cells, named like the `severance calc` columns.
OUTPUTS = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
           "cash_total", "total_value", "lump_sum_due_date", "continuation_end_date")
# Columns: labels, values, names (or "when"), help (or dates), the letter's words.
LABEL, VALUE, NAME, HELP, NOTE = (column(c) for c in "BCDEF")
# Narrow enough that the sheet prints one Letter page wide (0.25" side margins) with no text
# under 8 pt: 9-pt text scaled no further than 0.9.
WIDTHS = dict(zip("ABCDEFG", (1, 30, 14, 26, 11, 30, 1)))
CLAUSE_CHARS_PER_LINE = 38   # of the letter's words (9-pt italic) in column F
HELP_CHARS_PER_LINE = 54     # of an input's help (9 pt) across columns E:F
OK = "inputs_ok"   # every input reads (addin.workbooks.reading)
PAID_FILL, NONE_FILL, ALERT = "E2EFDA", "FCE4D6", "C00000"
STATUS_FILLS = (("paid", PAID_FILL), ("no_severance", NONE_FILL), ("incomplete", "FFF2CC"),
                ("invalid", "F4B6B6"))

BOLD = Look(face=Typeface(bold=True))
CODE = Look(face=Typeface(9, color=GREY, name="Courier New"), horizontal=Align.LEFT, indent=1)
SMALL_GREY = Look(face=Typeface(9, color=GREY))
HEAD = Look(face=Typeface(9, bold=True), fill=HEAD_FILL)


def schedule_rows(agreement: Agreement) -> int:
    """Rows of the calculator's schedule: more than the weekly paydays of the longest
    continuation (months of at most 31 days)."""
    return max(60, math.ceil(agreement.salary_continuation_months * 31 / 7) + 2)


def calculator_refs(agreement_refs: dict[str, str]) -> dict[str, str]:
    """What the formulas read: the inputs as the Reading sheet reads them (a blank pay
    frequency is the agreement's default there), and the figures by their defined names."""
    refs = dict(agreement_refs)
    refs.update({name: f"read_{name}" for name in INPUTS})
    for name in ("eligible", "installments", "installment_amount", "last_installment_amount",
                 "benefits_end_date", "lump_sum_payment_date", *OUTPUTS):
        refs[name] = name
    return refs


def when_ok(expression: str) -> str:
    """A figure shown only when every input reads: blank otherwise."""
    return f'IF({OK},{expression},"")'


def plan_calculator(agreement: Agreement) -> list[SheetPlan]:
    """The Calculator, its Payment schedule and What-if, the Agreement and the hidden Reading
    sheet; every formula cached with the engine's figures for the worked example."""
    terms, agreement_refs = agreement_sheet(agreement)
    refs = calculator_refs(agreement_refs)
    example = engine_figures([EXAMPLE], agreement)[0]
    plan = SheetPlan(SHEET, WIDTHS, grid_lines=False, zoom=100, protected=True)
    row = plan.stack(TOP, LABEL, (
        Slot(text("Severance calculator"), Look(face=Typeface(18, bold=True, color=NAVY))),
        Slot(formula("agreement_title"), Look(face=Typeface(11, bold=True, color=GREY))),
        Slot(text("Fill in the yellow cells; every other figure is a formula over them and the Agreement "
                  "sheet. Amounts in dollars, dates as YYYY-MM-DD."),
             Look(face=Typeface(9, italic=True, color=GREY)))))
    plan.heights[TOP] = 26
    plan.relook(TOP + 1, LABEL, Look(face=Typeface(11, bold=True, color=GREY)))
    plan.slots[(TOP + 1, LABEL)] = plan.slots[(TOP + 1, LABEL)]._replace(
        cell=formula("agreement_title", cached=agreement.title or agreement.id))
    row = _inputs(plan, row + 2)
    row = _result(plan, row + 2, refs, example)
    row = _lines(plan, row + 2, refs, agreement, example)
    details = row + 2
    row = _details(plan, details, refs, example)
    plan.put(row + 2, LABEL, Slot(text("The payment schedule and the what-if by termination month are on the "
                                       "next sheets."), Look(face=Typeface(9, italic=True, color=GREY))))
    plan.print_area = span(TOP, column(min(WIDTHS)), row + 2, column(max(WIDTHS)))
    # One page wide: the inputs, the result and its lines on the first page, how it is paid on
    # the second (one page in all would print the 9-pt text under 8 pt).
    plan.page = Page(letter=True, centered=True, margins=(0.25, 0.5), footer=FOOTER, titles=f"{TOP}:{TOP}",
                     breaks=(details,))
    plan.active_cell = address(*_first_input(plan))
    schedule = _schedule_sheet(refs, agreement, example)
    whatif = whatif_sheet(refs, agreement, EXAMPLE)
    reading = reading_sheet(EXAMPLE, example, {k: INPUT_LABELS[k] for k in INPUTS})
    return [plan, schedule, whatif, terms, reading]


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
        plan.heights[row] = max(22, 11 * wrapped_lines(INPUT_HELP[key][1], HELP_CHARS_PER_LINE) + 2)
        plan.validations.append((input_validation(key), address(row, VALUE)))
    return row


def result_sentence(values) -> str:
    """What the sentence beside the status says for the engine's figures (paid or not)."""
    return "Payable under clauses (i) to (iv) below." if values["eligible"] else values["reason"]


def _result(plan: SheetPlan, band: int, refs: dict[str, str], example: Figures) -> int:
    """The status, in a line coloured by it, and what it means; returns the row."""
    plan.band(band, LABEL, NOTE, "Result")
    row = band + 1
    values = example.values
    plan.put(row, LABEL, Slot(text("Severance"), Look(face=Typeface(11, bold=True), vertical=Align.CENTER)))
    status = (f'IF(missing_inputs<>"","incomplete",IF(input_problems<>"","invalid",{F.status(refs)}))')
    plan.put(row, VALUE, Slot(formula(status, cached=values["status"]),
                              Look(face=Typeface(11, bold=True), horizontal=Align.CENTER, vertical=Align.CENTER),
                              name="status"))
    sentence = ('IF(status="incomplete","Fill in: "&missing_inputs&"."&IF(input_problems="",""," "&input_problems),'
                'IF(status="invalid",input_problems,'
                f'IF(eligible,{F.text(result_sentence({"eligible": True}))},reason)))')
    plan.put(row, NAME, Slot(formula(sentence, cached=result_sentence(values)),
                             Look(face=Typeface(10, bold=True), wrap=True, vertical=Align.CENTER), span=3))
    plan.heights[row] = 30
    line = span(row, LABEL, row, NOTE)
    for word, fill in STATUS_FILLS:
        plan.highlights.append(Highlight(line, f'{address(row, VALUE, absolute=True)}="{word}"', fill=fill))
    return row


def _lines(plan: SheetPlan, head: int, refs: dict[str, str], agreement: Agreement, example: Figures) -> int:
    """Clauses (i)-(iv), each amount with its date and the letter's words, and the two totals;
    returns the last row."""
    for col, words in zip((LABEL, VALUE, NAME, HELP, NOTE), ("Clause", "Amount", "When", "Date",
                                                             "The letter says")):
        plan.put(head, col, Slot(text(words), restyle(HEAD, horizontal=Align.RIGHT if col in (VALUE, HELP)
                                                      else Align.LEFT, indent=int(col in (NAME, NOTE)))))
    values = example.values
    when_salary = formula('IF(eligible,installments&" "&pay_frequency_applied&" installments through","")',
                          cached=(f"{values['installments']} {values['pay_frequency_applied']} installments "
                                  "through" if values["eligible"] else ""))
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
            _total(plan, row, label, amount, refs, values[amount])
            continue
        date = COMPONENT_DATES[amount]
        top = Look(vertical=Align.TOP, edge=Edge.RULE)
        plan.put(row, LABEL, Slot(text(label), restyle(BOLD, vertical=Align.TOP, edge=Edge.RULE)))
        plan.put(row, VALUE, Slot(formula(when_ok(getattr(F, amount)(refs)), Role.MONEY, values[amount]),
                                  restyle(BOLD, vertical=Align.TOP, edge=Edge.RULE), name=amount))
        plan.put(row, NAME, Slot(when, Look(face=Typeface(9, color=GREY), horizontal=Align.LEFT,
                                            vertical=Align.TOP, indent=1, edge=Edge.RULE)))
        if computed:
            plan.put(row, HELP, Slot(formula(F.when_paid(refs, getattr(F, date)(refs)), Role.DATE, values[date]),
                                     top, name=date))
        else:
            plan.put(row, HELP, Slot(formula(F.shown(date), Role.DATE, values[date]), top))
        words = agreement.clause_text.get(clause, "")
        plan.put(row, NOTE, Slot(formula(clause_name(clause), cached=words),
                                 Look(face=Typeface(9, italic=True, color=GREY), wrap=True,
                                      vertical=Align.TOP, indent=1, edge=Edge.RULE)))
        plan.heights[row] = max(15, 11 * wrapped_lines(words, CLAUSE_CHARS_PER_LINE) + 4)
    return row


def _total(plan: SheetPlan, row: int, label: str, key: str, refs: dict[str, str], value: float) -> None:
    """A totals line across the table, named like its `severance calc` column."""
    edge = Edge.GRAND_TOTAL if key == "total_value" else Edge.TOTAL
    big = Typeface(11, bold=True)
    plan.put(row, LABEL, Slot(text(label), Look(face=big, fill=TOTAL_FILL, edge=edge)))
    plan.put(row, VALUE, Slot(formula(when_ok(getattr(F, key)(refs)), Role.MONEY, value),
                              Look(face=big, fill=TOTAL_FILL, edge=edge), name=key))
    for col in (NAME, HELP, NOTE):
        plan.put(row, col, Slot(BLANK, Look(face=None, fill=TOTAL_FILL, edge=edge)))
    plan.heights[row] = 18


def _details(plan: SheetPlan, band: int, refs: dict[str, str], example: Figures) -> int:
    """How it is paid: the figures behind the lines, each named; returns the last row."""
    plan.band(band, LABEL, NOTE, "How it is paid")
    no_value = {**refs, "prior_year_bonus_declared": NO_VALUE}
    warnings = when_ok(f"IF(bonus_declared_present,{F.warnings(refs)},{F.warnings(no_value)})")
    details = (
        ("Eligible for severance", "eligible", f"IF({OK},{F.eligible(refs)},FALSE)", Role.TEXT,
         "without cause, or Good Reason without prior consent"),
        ("Reason for no severance", "reason", F.status_reason(refs), None, ""),
        ("Warnings", "warnings", warnings, None, ""),
        ("Pay frequency applied", "pay_frequency_applied", when_ok("read_pay_frequency"),
         Role.TEXT, "the input, or the agreement's default when blank"),
        ("Bonus proration applied", "bonus_proration", F.when_paid(refs, F.bonus_proration(refs)),
         Role.FRACTION, "days from January 1 through termination / days in the year, at least the floor"),
        ("Lump sums (ii), (iii) paid on", "lump_sum_payment_date",
         F.when_paid(refs, F.business_day_before("lump_sum_due_date", refs)), Role.DATE,
         "the due date, or the business day before it on a weekend or holiday"),
        ("Installments (i)", "installments", when_ok(F.installments(refs)), Role.COUNT,
         "regular paydays after termination through the continuation end"),
        ("Installment amount", "installment_amount", when_ok(F.installment_amount(refs)), Role.MONEY,
         "salary continuation / installments, to the cent"),
        ("Last installment", "last_installment_amount", when_ok(F.last_installment_amount(refs)), Role.MONEY,
         "absorbs the rounding: the installments add up to (i) exactly"),
        ("Benefits end", "benefits_end_date", F.when_paid(refs, F.benefits_end_date(refs)), Role.DATE,
         "clause (iv): benefits continue through this date"),
    )
    row = band
    for label, key, expression, role, note in details:
        row += 1
        cached = example.values[key]
        plan.put(row, LABEL, Slot(text(label)))
        if role is None:  # a sentence: it takes the whole row
            plan.put(row, VALUE, Slot(formula(expression, cached=cached), Look(face=Typeface(9), wrap=True),
                                      name=key, span=NOTE - VALUE + 1))
            plan.heights[row] = 24
        else:
            plan.put(row, VALUE, Slot(formula(expression, role, cached), Look(horizontal=Align.RIGHT), name=key))
            plan.put(row, NAME, Slot(text(key), CODE))
            plan.put(row, HELP, Slot(text(note), SMALL_GREY, span=2))
        plan.rule_below(row, LABEL, NOTE)
    return row


def _schedule_sheet(refs: dict[str, str], agreement: Agreement, example: Figures) -> SheetPlan:
    """Every payment: the two lump sums, then the installments, on a sheet of its own that
    prints one page wide with its heading repeated on every page."""
    plan = SheetPlan(SCHEDULE_SHEET, {k: v for k, v in WIDTHS.items()}, grid_lines=False, protected=True)
    plan.put(TOP, LABEL, Slot(text("Payment schedule"), Look(face=Typeface(14, bold=True, color=NAVY))))
    plan.put(TOP + 1, LABEL, Slot(text("Of the case on the Calculator sheet: every payment, blank until its "
                                       "inputs read."), Look(face=Typeface(9, italic=True, color=GREY))))
    row = _schedule(plan, TOP + 3, refs, agreement, example)
    plan.print_area = span(TOP, column(min(WIDTHS)), row, column(max(WIDTHS)))
    plan.page = Page(letter=True, centered=True, margins=(0.25, 0.5), footer=FOOTER,
                     titles=f"{TOP + 3}:{TOP + 4}")
    return plan


def _schedule(plan: SheetPlan, band: int, refs: dict[str, str], agreement: Agreement, example: Figures) -> int:
    """The payments under a band; returns the row of the note under them."""
    plan.band(band, LABEL, NOTE, "Payment schedule")
    head = band + 1
    for col, words in zip((LABEL, VALUE, NAME, HELP), ("Payment", "Amount", "Due", "Paid on")):
        plan.put(head, col, Slot(text(words), restyle(
            HEAD, horizontal=Align.LEFT if col == LABEL else Align.RIGHT)))
    plan.put(head, NOTE, Slot(text("Paid on: the due date, or the business day before it"),
                              Look(face=Typeface(9, italic=True, color=GREY), fill=HEAD_FILL, indent=1)))
    values = example.values
    lump = {c: (d, p, a) for c, n, d, p, a in example.payments if n == 0}
    row = head
    for label, key in (("(ii) Prorated bonus, lump sum", "prorated_bonus"),
                       ("(iii) Unpaid bonus, lump sum", "unpaid_bonus")):
        row += 1
        shown = lump_sum_paid(key)
        due, paid, amount = lump.get(key, ("", "", ""))
        plan.put(row, LABEL, Slot(text(label)))
        plan.put(row, VALUE, Slot(formula(f'IF({shown},{key},"")', Role.MONEY, amount)))
        plan.put(row, NAME, Slot(formula(f'IF({shown},lump_sum_due_date,"")', Role.DATE, due)))
        plan.put(row, HELP, Slot(formula(f'IF({shown},lump_sum_payment_date,"")', Role.DATE, paid)))
        plan.rule_below(row, LABEL, NOTE)
    installments = [p for p in example.payments if p[1] > 0]
    first, count = row + 1, schedule_rows(agreement)
    for j in range(1, count + 1):
        row = first + j - 1
        past = f"OR(NOT({OK}),{j}>installments)"
        _, _, due, paid, amount = installments[j - 1] if j <= len(installments) else ("", 0, "", "", "")
        plan.put(row, LABEL, Slot(formula(f'IF({past},"",{j})', cached=j if amount != "" else ""),
                                  Look(horizontal=Align.LEFT, number_format='"(i) installment "0')))
        expression = F.installment_payment(str(j), refs)
        plan.put(row, VALUE, Slot(formula(f'IF({past},"",{expression})', Role.MONEY, amount)))
        plan.put(row, NAME, Slot(formula(f'IF({past},"",{F.payday_date(str(j), refs)})', Role.DATE, due)))
        due_cell = address(row, NAME)
        plan.put(row, HELP, Slot(formula(f'IF({past},"",{F.business_day_before(due_cell, refs)})', Role.DATE,
                                         paid)))
    last = row
    plan.highlights.append(Highlight(span(first, LABEL, last, NOTE),
                                     f'${letter(LABEL)}{first}<>""', rule_below=True))
    row += 1
    more = values["installments"] > count
    plan.put(row, LABEL, Slot(formula(f'IF(AND({OK},installments>{count}),"The schedule lists the first {count} '
                                      f'of "&installments&" installments.","")',
                                      cached=(f"The schedule lists the first {count} of {values['installments']} "
                                              "installments." if more else "")),
                              Look(face=Typeface(9, italic=True, color=ALERT))))
    plan.ranges["payment_schedule"] = span(head, LABEL, last, HELP)
    return row


def lump_sum_paid(key: str) -> str:
    """Whether the schedule lists lump sum `key`: the case is paid and the sum is a payment."""
    return f"AND(eligible,{F.is_payment(key)})"


def build_calculator(path: str | Path, agreement: Agreement | None = None) -> None:
    agreement = agreement or builtin_agreements()[DEFAULT_AGREEMENT_ID]
    write_book(path, plan_calculator(agreement))


__all__ = ["OUTPUTS", "build_calculator", "plan_calculator", "schedule_rows"]
