"""`severance report`'s flags for the optional payroll and finance sheets and the deck's
pictures, and the ReportOptions they make (addin.report.extras)."""

from __future__ import annotations

import sys

from ..results.cashflow import group_values
from ..results.journal import load_accounts
from ..rules.case import CaseTable
from .extras import ReportOptions


def add_finance_arguments(p) -> None:
    p.add_argument("--withholding", action="store_true",
                   help="add the Net pay (estimate) sheet (also made when the case table has a "
                        "payroll column: ytd_wages, ytd_supplemental_wages, state_withholding_rate, ...)")
    p.add_argument("--section-409a", action="store_true", help="add the 409A review sheet")
    p.add_argument("--apply-409a-delay", action="store_true",
                   help="move a specified employee's delayed payments in the Payment schedule to the "
                        "first payday after the six-month anniversary (as severance schedule does)")
    p.add_argument("--cash-flow", action="store_true", help="add the Cash flow sheet (by month)")
    p.add_argument("--group", metavar="COLUMN",
                   help="add the By group sheet and one Cash flow column per value of COLUMN")
    p.add_argument("--journal", action="store_true", help="add the Journal sheet (accrual entries)")
    p.add_argument("--accounts", metavar="FILE",
                   help="the journal's account names (TOML [accounts]); implies --journal")
    p.add_argument("--plots", metavar="DIR", help="also write the deck's PNG charts (and their CSV data) into DIR")
    p.add_argument("--whatif-case", metavar="ID",
                   help="with --plots: the what-if curve of the case with this employee_id")


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
