"""One employee's statement, a letter a person can be handed: employer and employee, the
agreement, each clause with its amount and date, the totals, the payment details, why nothing is
due (citing the clause) where nothing is, an acknowledgement block, and the payment schedule;
every amount and date a formula over its inputs and the Agreement sheet (cached with the
engine's figures). It prints portrait, one page wide."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..excel import formulas as F
from ..excel.cells import Role
from ..results.tables import COMPONENT_DATES, line_items
from ..results.words import NOT_ELIGIBLE_REASONS
from ..rules.case import CaseTable
from ..rules.engine import FOR_CAUSE, GOOD_REASON_CONSENTED, RESIGNATION, Payouts
from ..rules.payments import payments
from ..rules.terms import Agreement
from .agreement import AgreementBlock, agreement_block, case_years
from .columns import COMPONENTS, DATE_WORDS, RESULT_ROLES, SCHEDULE_COLUMNS, SUMMARY_INPUTS
from .line_items import amount_value, due_value
from .plan import (ReportPlan, Row, SheetPlan, formula, header, header_label, quote, text,
                   wrapped_height)
from .schedule import FORMULAS as SCHEDULE_FORMULAS
from .schedule import schedule_row, schedule_templates, schedule_widths
from .summary import input_cells
from .values import schedule_values, summary_values

STATEMENT_INPUTS = ("employee_id", "employee_name", "agreement", "termination_date",
                    "termination_reason", "base_salary", "prior_year_bonus_declared",
                    "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency",
                    "consented_to_change")
STATEMENT_FIGURES = ("status", "reason", "bonus_proration", "installments", "installment_amount",
                     "last_installment_amount", "first_payday_number", "first_installment_date",
                     "lump_sum_due_date", "continuation_end_date", "benefits_end_date")
HELPER_FIGURES = ("first_payday_number",)   # read by the schedule's formulas: a hidden row
TOTALS = (("cash_total", "(i)+(ii)+(iii)", "Cash total"),
          ("total_value", "(i)-(iv)", "Total value (with benefits)"))
FORMULAS = (*(F.CALC_CELLS[name] for name in (*COMPONENTS, *(t[0] for t in TOTALS), *STATEMENT_FIGURES)),
            *SCHEDULE_FORMULAS)
SCHEDULE_FIRST_ROW = 5
# The letter's columns: label, clause, value or basis, amount, what the date is, the date.
VALUE, AMOUNT = "C", "D"
WIDTHS = {"A": 28, "B": 6, "C": 26, "D": 14, "E": 13, "F": 11}
# The clause text a no_severance statement cites for each reason (addin.rules.engine codes).
CITED = {FOR_CAUSE: "for_cause", RESIGNATION: "good_reason", GOOD_REASON_CONSENTED: "good_reason"}
ACKNOWLEDGEMENT = ("I have received this statement of the severance payable to me under the "
                   "agreement named above.")


class StatementRows:
    """Where a statement's cells are: inputs and figures in column C, amounts in column D."""

    def __init__(self, logo: bool):
        top = 2 if logo else 1
        self.parties = top + 4
        self.input = {name: top + 8 + i for i, name in enumerate(STATEMENT_INPUTS)}
        self.items_header = top + 8 + len(STATEMENT_INPUTS) + 1
        self.item = {c: self.items_header + 1 + i for i, c in enumerate(COMPONENTS)}
        self.totals = {name: self.items_header + 5 + i for i, (name, _, _) in enumerate(TOTALS)}
        self.figures_header = self.items_header + 8
        self.figure = {name: self.figures_header + 1 + i for i, name in enumerate(STATEMENT_FIGURES)}

    def refs(self, prefix: str, block: AgreementBlock) -> dict[str, str]:
        """References of the statement's cells for addin.excel.formulas (prefix: its sheet)."""
        refs = {name: f"{prefix}${VALUE}${row}" for name, row in {**self.input, **self.figure}.items()}
        refs.update({c: f"{prefix}${AMOUNT}${row}" for c, row in {**self.item, **self.totals}.items()})
        refs.update(block.refs(refs["agreement"]))
        refs["eligible"] = f'({refs["status"]}="paid")'
        return refs


def why_not(payouts: Payouts, k: int, agreement: Agreement) -> str:
    """Why case k is due nothing, in the engine's words, citing the agreement's clause."""
    code = str(payouts.reason_code[k])
    words = NOT_ELIGIBLE_REASONS.get(code, "")
    clause = agreement.clause_text.get(CITED.get(code, ""), "")
    return f"{words}. The agreement: \u201c{clause}\u201d" if clause else words


def plan_statement(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                   k: int, *, logo: bool = False, pay: dict | None = None,
                   values: Mapping[str, np.ndarray] | None = None) -> ReportPlan:
    """The statement of case k (paid or no_severance); `pay` is rules.payments.payments(payouts)
    and `values` addin.report.values.summary_values(cases, payouts), computed once per batch."""
    values = summary_values(cases, payouts) if values is None else values
    agreement = agreements[cases.agreement[k]]
    block = agreement_block([agreement], *case_years(cases, payouts, k),
                            read=F.parameters_read(FORMULAS))
    where = StatementRows(logo)
    refs = where.refs("", block)
    inputs = dict(zip(SUMMARY_INPUTS[1:], input_cells(cases, k)))  # source_row aside
    title = agreement.title or agreement.id
    rows: list[Row] = [[]] if logo else []
    rows += [
        [text("Severance statement", Role.TITLE)],
        [text(f"Under the {title}.", Role.NOTE)],
        [text("Blue cells are inputs; every amount and date is a formula over them and the "
              "Agreement sheet.", Role.NOTE)],
        headings("Parties"),
        [text("Employer, agreement"), None, text(f"{title} ({agreement.id})")],
        [text("Employee"), None, text(f"{cases.employee_name[k]} ({cases.employee_id[k]})")],
        [],
        headings("Input", None, "Value"),
    ]
    rows += [[text(header_label(name)), None, inputs[name]] for name in STATEMENT_INPUTS]
    rows.append([])
    rows.append(headings("Clause", None, "Basis", "Amount", "Date is", "Date"))
    heights: dict[int, float] = {}
    for item in line_items(cases, payouts, k, agreement):
        heights[len(rows) + 1] = wrapped_height([item.basis], WIDTHS["C"])
        rows.append([text(item.label), text(item.clause),
                     text(item.basis, Role.LONG_TEXT),
                     formula(F.CALC_CELLS[item.component](refs), Role.MONEY, amount_value(item)),
                     text(DATE_WORDS[item.component]),
                     formula(F.shown(refs[COMPONENT_DATES[item.component]]), Role.DATE,
                             due_value(item))])
    for name, clauses, label in TOTALS:
        rows.append([text(label, Role.TOTAL), text(clauses), None,
                     formula(F.CALC_CELLS[name](refs), Role.TOTAL, values[name][k])])
    rows.append([])
    rows.append(headings("Payment details", None, "Value"))
    for name in STATEMENT_FIGURES:
        rows.append([text(header_label(name)), None,
                     formula(F.CALC_CELLS[name](refs), RESULT_ROLES[name], values[name][k])])
    hidden = tuple(where.figure[name] for name in HELPER_FIGURES)
    rows.append([])
    if not payouts.eligible[k]:
        why = why_not(payouts, k, agreement)
        heights[len(rows) + 1] = wrapped_height([why], sum(WIDTHS[c] for c in "CDEF") * 0.9)
        rows.append([text("Why no severance is due", Role.HEADER), None, text(why, Role.LONG_TEXT)])
        rows.append([])
    rows += acknowledgement_rows()
    statement = SheetPlan(title="Statement", rows=rows, row_count=len(rows), widths=dict(WIDTHS),
                          logo=logo, row_heights=heights, hidden_rows=hidden)
    schedule = _schedule_sheet(cases, k, payments(payouts) if pay is None else pay,
                               where.refs(quote("Statement") + "!", block))
    return ReportPlan([statement, schedule, block.plan], list(block.names))


def headings(*labels: str | None) -> Row:
    """A row of header cells (None: a blank header cell, the column's label is beside it)."""
    return [text(label or " ", Role.HEADER) for label in labels]


def acknowledgement_rows() -> list[Row]:
    return [
        [text("Acknowledgement", Role.HEADER)],
        [text(ACKNOWLEDGEMENT, Role.NOTE)],
        [],
        [text("Employee signature"), None, text("_" * 30)],
        [text("Date"), None, text("_" * 16)],
        [],
        [text("For the employer"), None, text("_" * 30)],
        [text("Date"), None, text("_" * 16)],
    ]


def _schedule_sheet(cases: CaseTable, k: int, pay: Mapping, refs: Mapping[str, str]) -> SheetPlan:
    lo, hi = np.searchsorted(pay["case"], [k, k + 1])  # payments are ordered by case
    templates = schedule_templates(refs)
    count = int(hi - lo)
    rows: list[Row] = [
        [text("Payment schedule", Role.TITLE)],
        [text(f"{cases.employee_id[k]}: every payment; payment_date is the business day on or "
              "before the nominal date." if count else
              f"{cases.employee_id[k]}: no payments are due.", Role.NOTE)],
        [],
        header(SCHEDULE_COLUMNS),
    ]
    employee = text(cases.employee_id[k])
    mine = {key: value[lo:hi] for key, value in pay.items()}
    cached = schedule_values(mine)
    for offset in range(count):
        holes = {"j": int(mine["installment"][offset]), "own": SCHEDULE_FIRST_ROW + offset}
        rows.append(schedule_row(templates, employee, mine["component"][offset], mine["clause"][offset],
                                 holes, (cached["nominal_date"][offset], cached["payment_date"][offset],
                                         cached["amount"][offset])))
    return SheetPlan(title="Payment schedule", rows=rows, row_count=len(rows),
                     widths=schedule_widths(mine["amount"], [cases.employee_id[k]]),
                     freeze="A5", print_title_rows="4:4", header_row=4)
