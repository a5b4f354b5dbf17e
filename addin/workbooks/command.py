"""`severance templates build|check` on the command line: the shipped workbooks' names, the
flags, and the runs, which import the builders (and openpyxl) only when the command is this one."""

from __future__ import annotations

from pathlib import Path

from ..rules.terms import DEFAULT_AGREEMENT_ID

DEFAULT_DIR = Path("workbooks")
CALCULATOR = "severance_calculator.xlsx"
FUNCTIONS = "severance_functions.xlsx"
CASES_TEMPLATE = "cases_template.xlsx"
REPORT_TEMPLATE = "report_template.xlsx"
WORKBOOKS = (CALCULATOR, FUNCTIONS, CASES_TEMPLATE, REPORT_TEMPLATE)


def add_subcommand(subparsers, common) -> None:
    parser = subparsers.add_parser("templates", help="build the shipped workbooks, or check they are current")
    sub = parser.add_subparsers(dest="templates_command", required=True)
    build = sub.add_parser("build", help=f"write {', '.join(WORKBOOKS)}")
    build.add_argument("--out", default=str(DEFAULT_DIR), metavar="DIR",
                       help=f"folder to write into (default: {DEFAULT_DIR}/)")
    build.add_argument("--terms", metavar="FILE",
                       help="TOML file of [[agreement]] tables: build only the calculator, for --agreement")
    build.add_argument("--agreement", metavar="ID", help="agreement of the calculator (default: "
                                                         f"{DEFAULT_AGREEMENT_ID})")
    build.set_defaults(run=_build)
    checking = sub.add_parser("check", help="exit 1 if a committed workbook differs from a fresh build")
    checking.add_argument("--dir", default=str(DEFAULT_DIR), metavar="DIR",
                          help=f"folder of the committed workbooks (default: {DEFAULT_DIR}/)")
    checking.set_defaults(run=_check)


def _build(args) -> int:
    from .check import build_command
    return build_command(args)


def _check(args) -> int:
    from .check import check_command
    return check_command(args)
