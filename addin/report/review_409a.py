"""The 409A review sheet (--section-409a): per paid case, each line of the review with the
regulation section it rests on: the short-term deferral deadline and the amount paid by it, the
separation-pay exception's limit and the amount it covers, what remains subject to Section 409A,
and a specified employee's payments due within six months of separation.

The figures are values, not formulas: they are addin.results.payroll.section_409a_calc_columns
(the `severance calc --section-409a` columns), shown as the review's record; the assumptions
(calendar tax years, vesting at separation, each installment a separate payment) are the user's
to confirm.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from ..excel.cells import Cell, Kind, Role
from ..results.payroll import Payroll, section_409a_calc_columns
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.section409a import SEPARATION_PAY, SHORT_TERM_DEFERRAL, SIX_MONTH_DELAY
from .plan import Row, SheetPlan, header_block, text, wrapped_height

TITLE = "409A review"
NOTE = ("Section 409A review of each paid case, shown, never silently applied (values from severance "
        "calc --section-409a); assumptions in each case's note.")
COLUMNS = ("employee_id", "line", "regulation", "date", "amount", "detail")
FIRST_ROW = 5


def _amount(value: str) -> Cell | None:
    return Cell(Kind.NUMBER, Decimal(value), Role.MONEY) if value else None


def _date(value: str) -> Cell | None:
    return Cell(Kind.DATE, dt.date.fromisoformat(value), Role.DATE) if value else None


def case_lines(employee: str, c: dict, k: int) -> list[Row]:
    """The review's lines of case row k (`c`: the calc columns)."""
    who = text(employee)
    lines = [
        [who, text("Status"), None, None, None, text(c["section_409a_status"][k], Role.LONG_TEXT)],
        [who, text("Short-term deferral: paid by the deadline"), text(SHORT_TERM_DEFERRAL),
         _date(c["short_term_deferral_deadline"][k]), _amount(c["short_term_deferral"][k]), None],
        [who, text("Separation-pay exception: limit"), text(SEPARATION_PAY), None,
         _amount(c["separation_pay_limit"][k]),
         text("2 x the lesser of annualized compensation and the 401(a)(17) limit")],
        [who, text("Separation-pay exception: covered"), text(SEPARATION_PAY), None,
         _amount(c["separation_pay_exempt"][k]),
         text("later payments, in date order, paid by Dec 31 of the second year after separation")],
        [who, text("Subject to Section 409A"), None, None, _amount(c["subject_to_409a"][k]), None],
        [who, text("Six-month delay (specified employee)"), text(SIX_MONTH_DELAY), None, None,
         text(c["six_month_delay_payments"][k] or "none", Role.LONG_TEXT)],
        [who, text("Note"), None, None, None, text(c["section_409a_note"][k], Role.LONG_TEXT)],
    ]
    return lines


def review_sheet(cases: CaseTable, payouts: Payouts, payroll: Payroll) -> SheetPlan:
    c = section_409a_calc_columns(cases, payouts, payroll)
    paid = np.flatnonzero(payouts.eligible)
    per_case = 7

    widths = {"A": 12, "B": 38, "C": 28, "D": 12, "E": 15, "F": 90}
    lines = [line for k in paid for line in case_lines(str(cases.employee_id[k]), c, int(k))]
    heights = {}
    for r, line in enumerate(lines, start=FIRST_ROW):
        if line[5] is not None and line[5].role is Role.LONG_TEXT:
            heights[r] = wrapped_height([line[5].value], widths["F"])

    def rows():
        yield from header_block(TITLE, NOTE, None, False)
        yield [text(n, Role.HEADER) for n in COLUMNS]
        yield from lines

    return SheetPlan(title=TITLE, rows=rows(), row_count=FIRST_ROW - 1 + per_case * len(paid),
                     widths=widths, freeze=f"B{FIRST_ROW}", header_row=FIRST_ROW - 1,
                     autofilter=f"A{FIRST_ROW - 1}:F{FIRST_ROW - 1 + max(per_case * len(paid), 1)}",
                     print_title_rows=f"{FIRST_ROW - 1}:{FIRST_ROW - 1}", wide=True,
                     row_heights=heights)
