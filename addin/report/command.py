"""`severance report` on the command line: its flags, and the run, which imports the writer
(and openpyxl) only when the command is the report: `severance calc` does not pay for them."""

from __future__ import annotations

from .paper import Paper


def add_subcommand(subparsers, common) -> None:
    p = subparsers.add_parser(
        "report", help="an auditable payout workbook: Summary, Line items, Payment schedule, "
                       "Exceptions and Agreement sheets, with live formulas")
    common(p)
    p.add_argument("-o", "--out", required=True, metavar="OUT.xlsx", help="the workbook to write")
    p.add_argument("--per-employee", metavar="DIR",
                   help="also write one statement workbook per paid employee into DIR")
    p.add_argument("--template", metavar="XLSX",
                   help="style template (see workbooks/report_template.xlsx)")
    p.add_argument("--pdf", metavar="DIR",
                   help="also print the payout register and every statement to PDF in DIR "
                        "(through LibreOffice headless)")
    p.add_argument("--paper", choices=[p.value for p in Paper], default=Paper.LETTER.value,
                   help="the paper every sheet is set up to print on (default: letter)")
    add_finance_arguments(p)
    p.set_defaults(run=_run)


def _run(args) -> int:
    from .writer import run
    return run(args)


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
