"""One employee's statement: the breakdown and the payment schedule of one paid case, every
amount and date a formula over its inputs and the Agreement sheet."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..excel import formulas as F
from ..excel.cells import Role
from ..results.tables import COMPONENT_DATES, line_items
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.payments import payments
from ..rules.terms import Agreement
from .agreement import AgreementBlock, agreement_block, case_years
from .columns import COMPONENTS, RESULT_ROLES, SCHEDULE_COLUMNS, SUMMARY_INPUTS
from .plan import ReportPlan, Row, SheetPlan, formula, header, header_label, quote, text
from .schedule import FORMULAS as SCHEDULE_FORMULAS
from .schedule import schedule_row, schedule_templates
from .line_items import amount_value, due_value
from .summary import input_cells
from .values import schedule_values, summary_values

STATEMENT_INPUTS = ("employee_id", "employee_name", "agreement", "termination_date",
                    "termination_reason", "base_salary", "prior_year_bonus_declared",
                    "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency",
                    "consented_to_change")
STATEMENT_FIGURES = ("status", "reason", "bonus_proration", "installments", "installment_amount",
                     "last_installment_amount", "first_payday_number", "first_installment_date",
                     "lump_sum_due_date", "continuation_end_date", "benefits_end_date")
TOTALS = (("cash_total", "(i)+(ii)+(iii)", "Cash total"),
          ("total_value", "(i)-(iv)", "Total value, benefits included"))
FORMULAS = (*(F.CALC_CELLS[name] for name in (*COMPONENTS, *(t[0] for t in TOTALS), *STATEMENT_FIGURES)),
            *SCHEDULE_FORMULAS)
SCHEDULE_FIRST_ROW = 5


class StatementRows:
    """Where a statement's cells are: inputs and figures in column B, amounts in column E."""

    def __init__(self, logo: bool):
        top = 2 if logo else 1
        self.input = {name: top + 4 + i for i, name in enumerate(STATEMENT_INPUTS)}
        self.items_header = top + 4 + len(STATEMENT_INPUTS) + 1
        self.item = {c: self.items_header + 1 + i for i, c in enumerate(COMPONENTS)}
        self.totals = {name: self.items_header + 5 + i for i, (name, _, _) in enumerate(TOTALS)}
        self.figures_header = self.items_header + 8
        self.figure = {name: self.figures_header + 1 + i for i, name in enumerate(STATEMENT_FIGURES)}

    def refs(self, prefix: str, block: AgreementBlock) -> dict[str, str]:
        """References of the statement's cells for addin.excel.formulas (prefix: its sheet)."""
        refs = {name: f"{prefix}$B${row}" for name, row in {**self.input, **self.figure}.items()}
        refs.update({c: f"{prefix}$E${row}" for c, row in {**self.item, **self.totals}.items()})
        refs.update(block.refs(refs["agreement"]))
        refs["eligible"] = f'({refs["status"]}="paid")'
        return refs


def plan_statement(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                   k: int, *, logo: bool = False, pay: dict | None = None,
                   values: Mapping[str, np.ndarray] | None = None) -> ReportPlan:
    """The statement of case k; `pay` is rules.payments.payments(payouts) and `values`
    addin.report.values.summary_values(cases, payouts), computed once per batch."""
    values = summary_values(cases, payouts) if values is None else values
    agreement = agreements[cases.agreement[k]]
    block = agreement_block([agreement], *case_years(cases, payouts, k),
                            read=F.parameters_read(FORMULAS))
    where = StatementRows(logo)
    refs = where.refs("", block)
    inputs = dict(zip(SUMMARY_INPUTS[1:], input_cells(cases, k)))  # source_row aside
    rows: list[Row] = [[]] if logo else []
    rows += [
        [text("Severance statement", Role.TITLE)],
        [text(f"{agreement.title or agreement.id}. Blue cells are inputs; every amount and date is "
              "a formula over them and the Agreement sheet.", Role.NOTE)],
        [],
        header(("input", "value")),
    ]
    rows += [[text(header_label(name)), inputs[name]] for name in STATEMENT_INPUTS]
    rows.append([])
    rows.append(header(("component", "clause", "label", "basis", "amount", "due_date")))
    for item in line_items(cases, payouts, k, agreement):
        rows.append([text(item.component), text(item.clause), text(item.label),
                     text(item.basis, Role.LONG_TEXT),
                     formula(F.CALC_CELLS[item.component](refs), Role.MONEY, amount_value(item)),
                     formula(F.shown(refs[COMPONENT_DATES[item.component]]), Role.DATE,
                             due_value(item))])
    for name, clauses, label in TOTALS:
        rows.append([text(name), text(clauses), text(label), None,
                     formula(F.CALC_CELLS[name](refs), Role.TOTAL, values[name][k])])
    rows.append([])
    rows.append(header(("figure", "value")))
    for name in STATEMENT_FIGURES:
        rows.append([text(header_label(name)), formula(F.CALC_CELLS[name](refs), RESULT_ROLES[name],
                                                       values[name][k])])
    statement = SheetPlan(title="Statement", rows=rows, row_count=len(rows),
                          widths={"A": 26, "B": 24, "C": 30, "D": 70, "E": 14, "F": 12}, logo=logo)
    schedule = _schedule_sheet(cases, k, payments(payouts) if pay is None else pay,
                               where.refs(quote("Statement") + "!", block))
    return ReportPlan([statement, schedule, block.plan], list(block.names))


def _schedule_sheet(cases: CaseTable, k: int, pay: Mapping, refs: Mapping[str, str]) -> SheetPlan:
    lo, hi = np.searchsorted(pay["case"], [k, k + 1])  # payments are ordered by case
    templates = schedule_templates(refs)
    rows: list[Row] = [
        [text("Payment schedule", Role.TITLE)],
        [text(f"{cases.employee_id[k]}: every payment; payment_date is the business day on or "
              "before the nominal date.", Role.NOTE)],
        [],
        header(SCHEDULE_COLUMNS),
    ]
    employee = text(cases.employee_id[k])
    mine = {key: value[lo:hi] for key, value in pay.items()}
    cached = schedule_values(mine)
    for offset in range(int(hi - lo)):
        holes = {"j": int(mine["installment"][offset]), "own": SCHEDULE_FIRST_ROW + offset}
        rows.append(schedule_row(templates, employee, mine["component"][offset], mine["clause"][offset],
                                 holes, (cached["nominal_date"][offset], cached["payment_date"][offset],
                                         cached["amount"][offset])))
    return SheetPlan(title="Payment schedule", rows=rows, row_count=len(rows),
                     widths={"A": 12, "B": 22, "C": 8, "D": 8, "E": 11, "F": 11, "G": 14},
                     freeze="A5")
