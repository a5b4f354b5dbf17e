"""The `severance` command: case tables in, payouts out. An adapter: every figure comes from the
engine; this module only reads arguments, calls it and writes files."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import finance, report, workbooks
from .cases import CaseFileError, load_cases
from .results import payroll
from .results.output import OutputError, write_table
from .results.tables import calc_frame, schedule_frame
from .rules.engine import compute
from .rules.terms import TermsError, load_agreements

EXIT_OK, EXIT_USAGE = 0, 2


def _write_results(args, table, sheet: str) -> int:
    """Read, validate and compute the cases, then write one result table (calc or schedule)."""
    agreements = load_agreements(args.terms)
    cases = load_cases(args.cases, agreements)
    payouts = compute(cases, agreements)
    write_table(table(cases, payouts), args.out, refuse=(args.cases,), sheet=sheet)
    _summary(args, payouts)
    return EXIT_OK


def _calc(args) -> int:
    return _write_results(args, payroll.calc_table(_payroll_options(args), calc_frame), "Results")


def _schedule(args) -> int:
    return _write_results(args, payroll.schedule_table(_payroll_options(args), schedule_frame), "Schedule")


# Payroll (issue 13): the withholding estimate and the Section 409A review, as options of
# calc and schedule; every figure comes from addin.results.payroll.
def _add_payroll_options(p, section_409a: bool) -> None:
    p.add_argument("--withholding", action="store_true",
                   help="add the withholding and net pay ESTIMATE of every payment (federal "
                        "supplemental flat rate, social security, Medicare, state rate)")
    if section_409a:
        p.add_argument("--section-409a", action="store_true",
                       help="add the Section 409A review of each paid case (short-term deferral, "
                            "separation-pay exception, six-month delay)")
    p.add_argument("--apply-409a-delay", action="store_true",
                   help="move a specified employee's payments due within six months of separation "
                        "to the first payday after the six-month anniversary, as one payment")


def _payroll_options(args) -> payroll.PayrollOptions:
    return payroll.PayrollOptions(args.withholding, getattr(args, "section_409a", False),
                                  args.apply_409a_delay)


def _summary(args, payouts) -> None:
    if args.out is None:
        return
    counts = {s: int((payouts.status == s).sum()) for s in ("paid", "no_severance", "rejected")}
    print(f"{len(payouts)} input rows: {counts['paid']} paid, {counts['no_severance']} no severance, "
          f"{counts['rejected']} rejected -> {args.out}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="severance",
        description="Severance payouts under executive employment letters (default: SAVVIS 2002 CTO letter).")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("cases", help="case table: .csv, .xlsx or .parquet, one row per employee case")
        p.add_argument("--terms", metavar="FILE", help="TOML file of [[agreement]] tables to add")

    calc = sub.add_parser("calc", help="one row of payouts per case (status, (i)-(iv), totals, dates)")
    common(calc)
    calc.add_argument("-o", "--out", help="output .csv, .json, .xlsx or .parquet (default: CSV on stdout)")
    calc.set_defaults(run=_calc)
    _add_payroll_options(calc, section_409a=True)

    schedule = sub.add_parser("schedule", help="every payment of every paid case, one row each")
    common(schedule)
    schedule.add_argument("-o", "--out", help="output .csv, .json, .xlsx or .parquet (default: CSV on stdout)")
    schedule.set_defaults(run=_schedule)
    _add_payroll_options(schedule, section_409a=False)

    report.add_subcommand(sub, common)
    finance.add_subcommands(sub, common)
    workbooks.add_subcommand(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (CaseFileError, TermsError, OutputError, *finance.FinanceError) as exc:
        print(f"severance: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("severance: interrupted; no output was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # never a traceback for finance; SEVERANCE_DEBUG=1 shows it
        import os
        if os.environ.get("SEVERANCE_DEBUG"):
            raise
        print(f"severance: error: unexpected failure ({type(exc).__name__}: {exc}); "
              "rerun with SEVERANCE_DEBUG=1 for details", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
