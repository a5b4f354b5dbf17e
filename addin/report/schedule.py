"""The Payment schedule sheets: every payment of every paid case, each date and amount a formula
over the case's Summary row (or, on a statement, the Statement sheet)."""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import numpy as np
from openpyxl.utils import get_column_letter

from ..excel import formulas as F
from ..excel.cells import Cell, FormulaTemplate, Kind, Role, hole
from ..rules.case import CaseTable
from .agreement import AgreementBlock
from .columns import SCHEDULE_COLUMNS, money_width, text_width, width
from .plan import Pages, Row, SheetPlan, header, header_block, header_height, quote, text
from .summary import SummaryColumns, summary_refs
from .values import schedule_values

NOTE = ("Every payment: nominal_date is the regular payday or the due date; payment_date is the "
        "business day on or before it (weekends and the agreement's holidays).")
FORMULAS = (F.installment_date, F.business_day_before, F.installment_payment)
NOMINAL_DATE_COLUMN = get_column_letter(SCHEDULE_COLUMNS.index("nominal_date") + 1)
_ROLES = {"amount": Role.MONEY, "nominal_date": Role.DATE, "payment_date": Role.DATE}


def schedule_templates(refs: Mapping[str, str]) -> dict[str, FormulaTemplate]:
    """The formulas of a schedule row over a case's cells `refs`; holes: j (the installment
    number) and own (the schedule row), besides any the refs carry."""
    own = f"${NOMINAL_DATE_COLUMN}{hole('own')}"
    return {name: FormulaTemplate(text_) for name, text_ in {
        "installment_date": F.installment_date(hole("j"), refs),
        "payment_date": F.business_day_before(own, refs),
        "installment_amount": F.installment_payment(hole("j"), refs),
        "lump_sum_due_date": F.shown(refs["lump_sum_due_date"]),
        "prorated_bonus": F.shown(refs["prorated_bonus"]),
        "unpaid_bonus": F.shown(refs["unpaid_bonus"]),
    }.items()}


def schedule_row(templates: Mapping[str, FormulaTemplate], employee: Cell | None, component: str,
                 clause: str, holes: Mapping[str, str],
                 cached: tuple[object, object, object] = (None, None, None)) -> Row:
    """One payment: installment j of (i), or (j == 0) the lump sum of `component`; `holes`
    fills the templates: j, own (this row's number) and the case's (row, on the Summary);
    `cached`: its nominal date, payment date and amount (addin.report.values.schedule_values)."""
    j = int(holes["j"])
    if j:
        nominal = templates["installment_date"].fill_map(holes)
        amount = templates["installment_amount"].fill_map(holes)
    else:
        nominal = templates["lump_sum_due_date"].fill_map(holes)
        amount = templates[component].fill_map(holes)
    payment_date = templates["payment_date"].fill_map(holes)
    # Cells made directly, not through plan.formula: this runs once per payment (millions).
    return [employee, label(component), label(clause), Cell(Kind.NUMBER, j, Role.COUNT) if j else None,
            Cell(Kind.FORMULA, nominal, Role.DATE, cached[0]),
            Cell(Kind.FORMULA, payment_date, Role.DATE, cached[1]),
            Cell(Kind.FORMULA, amount, Role.MONEY, cached[2])]


@lru_cache(maxsize=64)
def label(value: str) -> Cell | None:
    """The text cell of a component or clause name (one cell object per name: cells are
    immutable, and a schedule repeats a few names millions of times)."""
    return text(value)


def schedule_widths(amounts=(), employee_ids=()) -> dict[str, float]:
    """Each column's width; the amounts' and the ids' from the largest and longest given."""
    widths = {c: width(c, _ROLES.get(c, Role.TEXT)) for c in SCHEDULE_COLUMNS}
    widths["amount"] = max(widths["amount"], money_width(max((abs(int(a)) for a in amounts), default=0)))
    widths["employee_id"] = text_width(employee_ids, widths["employee_id"], 20)
    return {get_column_letter(i + 1): widths[c] for i, c in enumerate(SCHEDULE_COLUMNS)}


def schedule_sheets(cases: CaseTable, pay: Mapping, columns: SummaryColumns, summary: Pages,
                    pages: Pages, block: AgreementBlock) -> list[SheetPlan]:
    """`pay` is rules.payments.payments(payouts): one entry per payment, ordered by case."""
    head = header(SCHEDULE_COLUMNS)
    templates = schedule_templates(summary_refs(columns, block, hole("sheet") + "!"))
    per_sheet: dict[str, dict[str, FormulaTemplate]] = {}
    widths = schedule_widths(pay["amount"][:0] if not len(pay["amount"]) else [pay["amount"].max()],
                             cases.employee_id[np.unique(pay["case"])])
    case, component, clause = pay["case"], pay["component"], pay["clause"]
    installment = pay["installment"]
    values = schedule_values(pay)
    nominal, paid_on, amount = values["nominal_date"], values["payment_date"], values["amount"]
    plans = []
    for page, title in enumerate(pages.titles):
        ps = pages.rows_on(page)

        def rows(ps=ps):
            yield from header_block("Payment schedule", NOTE, None, False)
            yield head
            employee, last = None, -1
            for offset, p in enumerate(ps):
                k = int(case[p])
                if k != last:
                    employee, last = text(cases.employee_id[k]), k
                sheet, row = summary.locate(k)
                t = per_sheet.get(sheet)
                if t is None:
                    t = per_sheet[sheet] = {n: v.partial(sheet=quote(sheet)) for n, v in templates.items()}
                holes = {"row": str(row), "j": str(int(installment[p])), "own": str(pages.first_row + offset)}
                yield schedule_row(t, employee, component[p], clause[p], holes,
                                   (nominal[p], paid_on[p], amount[p]))

        header_row = pages.first_row - 1
        plans.append(SheetPlan(title=title, rows=rows(), row_count=len(ps) + header_row,
                               widths=widths, freeze=f"B{pages.first_row}",
                               autofilter=f"A{header_row}:G{pages.last_row(page)}",
                               print_title_rows=f"{header_row}:{header_row}",
                               header_row=header_row,
                               header_height=header_height(SCHEDULE_COLUMNS, widths)))
    return plans
