"""The Payment schedule with Section 409A's six-month delay applied (`--apply-409a-delay`), as
`severance schedule --apply-409a-delay` shows it: a specified employee's delayed amounts taken
out of their payments and paid as one payment on the first payday after the six-month
anniversary. Payments the delay leaves alone keep the schedule's live formulas; a payment it
shortens shows its remaining amount as a value, and the delayed payment is values (dates and
amount from addin.rules.section409a), named as such in its component."""

from __future__ import annotations

from typing import Mapping

from ..excel.cells import Cell, FormulaTemplate, Kind, Role, hole
from ..results.payroll import Payroll
from ..rules.case import CaseTable
from ..rules.money import cents_to_decimal
from ..rules.section409a import DELAYED_COMPONENT
from .agreement import AgreementBlock
from .columns import SCHEDULE_COLUMNS
from .plan import Pages, SheetPlan, header, header_block, header_height, quote, text
from .schedule import label, schedule_row, schedule_templates, schedule_widths
from .summary import SummaryColumns, summary_refs
from .values import schedule_values

NOTE = ("Every payment, with Section 409A's six-month delay applied (Treas. Reg. 1.409A-3(i)(2)): "
        "a specified employee's delayed amounts are paid as one section_409a_delayed_payment on the "
        "first payday after the six-month anniversary; amounts the delay changed are values.")


def delayed_schedule_sheets(cases: CaseTable, payroll: Payroll, columns: SummaryColumns, summary: Pages,
                            pages: Pages, block: AgreementBlock) -> list[SheetPlan]:
    pay, letter = payroll.schedule, payroll.letter_schedule
    letter_amount = {(int(k), c, int(j)): int(a) for k, c, j, a in
                     zip(letter["case"], letter["component"], letter["installment"], letter["amount"])}
    head = header(SCHEDULE_COLUMNS)
    templates = schedule_templates(summary_refs(columns, block, hole("sheet") + "!"))
    widths = schedule_widths()
    cached = schedule_values(pay)
    plans = []
    for page, title in enumerate(pages.titles):
        ps = pages.rows_on(page)

        def rows(ps=ps):
            yield from header_block("Payment schedule (409A delay applied)", NOTE, None, False)
            yield head
            for offset, p in enumerate(ps):
                k, component, j = int(pay["case"][p]), str(pay["component"][p]), int(pay["installment"][p])
                employee = text(cases.employee_id[k])
                amount = Cell(Kind.NUMBER, cents_to_decimal(int(pay["amount"][p])), Role.MONEY)
                if component == DELAYED_COMPONENT:
                    yield [employee, label(component), label(str(pay["clause"][p])), None,
                           Cell(Kind.DATE, pay["nominal_date"][p].astype(object), Role.DATE),
                           Cell(Kind.DATE, pay["payment_date"][p].astype(object), Role.DATE), amount]
                    continue
                sheet, row = summary.locate(k)
                t: Mapping[str, FormulaTemplate] = {n: v.partial(sheet=quote(sheet)) for n, v in templates.items()}
                holes = {"row": str(row), "j": str(j), "own": str(pages.first_row + offset)}
                cells = schedule_row(t, employee, component, str(pay["clause"][p]), holes,
                                     (cached["nominal_date"][p], cached["payment_date"][p], cached["amount"][p]))
                if letter_amount.get((k, component, j)) != int(pay["amount"][p]):
                    cells[-1] = amount
                yield cells

        header_row = pages.first_row - 1
        plans.append(SheetPlan(title=title, rows=rows(), row_count=len(ps) + header_row, widths=widths,
                               freeze=f"B{pages.first_row}",
                               autofilter=f"A{header_row}:G{pages.last_row(page)}",
                               print_title_rows=f"{header_row}:{header_row}", header_row=header_row,
                               header_height=header_height(SCHEDULE_COLUMNS, widths)))
    return plans
