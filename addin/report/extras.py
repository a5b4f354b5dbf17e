"""The report's optional payroll and finance sheets, as `severance report`'s flags ask for them:
Net pay (estimate) (--withholding, or any payroll column in the case table), 409A review
(--section-409a), Cash flow (--cash-flow, or --group), By group (--group COLUMN), Journal
(--journal, or --accounts FILE). Each sheet is planned by its own module; this one only picks
them, in that order, and computes what they share (the payroll, once)."""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np

from ..results.journal import DEFAULT_ACCOUNTS, journal_entries
from ..results.payroll import compute_payroll
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.payments import payments
from .by_group import by_group_sheet
from .cash_flow import cash_flow_sheet
from .journal_sheet import journal_sheets
from .net_pay import net_pay_sheets, wants_net_pay
from .plan import MAX_SHEET_ROWS, Pages, SheetPlan
from .review_409a import review_sheet
from .summary import SummaryColumns


class ReportOptions(NamedTuple):
    withholding: bool = False
    section_409a: bool = False
    apply_409a_delay: bool = False
    cash_flow: bool = False
    group: str | None = None
    journal: bool = False
    accounts: Mapping[str, str] | None = None      # addin.results.journal.load_accounts
    notification: np.ndarray | None = None         # the notification_date column (NaT: none)

    def payroll_wanted(self, cases: CaseTable) -> bool:
        return (wants_net_pay(cases, self.withholding) or self.section_409a or self.apply_409a_delay)


def extra_sheets(cases: CaseTable, payouts: Payouts, pay: Mapping, columns: SummaryColumns,
                 summary: Pages, schedule: Pages, options: ReportOptions, payroll=None,
                 max_rows: int = MAX_SHEET_ROWS) -> list[SheetPlan]:
    """The optional sheets, after the Exceptions. `pay` and `schedule` are the Payment schedule's
    payments and pages (the 409A delay applied when asked); `payroll` compute_payroll's result
    when the layout computed it."""
    sheets: list[SheetPlan] = []
    if options.payroll_wanted(cases):
        payroll = payroll or compute_payroll(cases, payouts, options.apply_409a_delay)
        if wants_net_pay(cases, options.withholding):
            sheets.extend(net_pay_sheets(cases, payroll, columns, summary, schedule, max_rows))
        if options.section_409a or options.apply_409a_delay:
            sheets.append(review_sheet(cases, payouts, payroll))
    if options.cash_flow or options.group:
        sheets.append(cash_flow_sheet(cases, payouts, pay, columns, summary, schedule, options.group))
    if options.group:
        sheets.append(by_group_sheet(cases, payouts, columns, summary, options.group))
    if options.journal or options.accounts is not None:
        entries = journal_entries(cases, payouts, options.notification)
        sheets.extend(journal_sheets(cases, entries, options.accounts or DEFAULT_ACCOUNTS, max_rows))
    return sheets


def report_payments(cases: CaseTable, payouts: Payouts, options: ReportOptions | None):
    """(the Payment schedule's payments, the payroll or None): the letter's payments, or, with
    --apply-409a-delay, the schedule with the six-month delay applied."""
    if options is None or not options.apply_409a_delay:
        return payments(payouts), None
    payroll = compute_payroll(cases, payouts, True)
    return payroll.schedule, payroll
