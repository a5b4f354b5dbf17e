"""The ReportOptions (addin.report.extras) that `severance report`'s flags for the optional
payroll and finance sheets and the deck's pictures ask for (the flags: addin.report.command)."""

from __future__ import annotations

import sys

from ..results.cashflow import group_values
from ..results.journal import load_accounts
from ..rules.case import CaseTable
from .extras import ReportOptions


def report_options(args, cases: CaseTable) -> ReportOptions:
    """The options the flags ask for; a bad --group or --accounts raises the finance
    commands' errors (GroupError, AccountsError), which the CLI reports in one line."""
    if args.group:
        group_values(cases, args.group)  # the column must exist: say so before writing anything
    accounts = load_accounts(args.accounts) if args.accounts else None
    notification = None
    if args.journal or accounts is not None:
        from ..finance import notification_dates   # the adapter above the report: late import
        notification, problems = notification_dates(cases)
        for problem in problems:
            print(f"severance: warning: {problem}", file=sys.stderr)
    return ReportOptions(withholding=args.withholding, section_409a=args.section_409a,
                         apply_409a_delay=args.apply_409a_delay, cash_flow=args.cash_flow,
                         group=args.group, journal=args.journal, accounts=accounts,
                         notification=notification)
