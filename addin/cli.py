"""The `severance` command: case tables in, payouts out. An adapter: every figure comes from the
engine; this module only reads arguments, calls it and writes files."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import finance
from .ahead import Later
from .collection import paused_collection
from .cases import CaseFileError, DateOrder, How, describe, load_cases
from .results import payroll
from .results.csv_text import write_csv
from .results.output import OutputError, atomic_path, write_table
from .results.tables import (CALC_MADE, CALC_REPEATED, SCHEDULE_MADE, calc_frame, calc_parts, schedule_frame,
                             schedule_parts)
from .rules.engine import compute
from .rules.terms import TermsError, load_agreements

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _write_results(args, table, sheet: str, arrow=None, repeated=None, made=()) -> int:
    """Read, validate and compute the cases, then write one result table (calc or schedule);
    `arrow`: the same table as Arrow columns, written where the file holds text (CSV, Parquet);
    `repeated`, `made`: its columns whose values repeat, and those made by the add-in (see
    write_results)."""
    agreements = Later(lambda: load_agreements(args.terms))   # loaded while the cases are read
    with paused_collection():   # bulk work: millions of objects and no cycles among them
        cases = load_cases(args.cases, agreements, **case_options(args))
        payouts = compute(cases, agreements.value())
        as_text = args.out is not None and Path(args.out).suffix.lower() in (".csv", ".parquet")
        write_results((arrow if arrow is not None and as_text else table)(cases, payouts), args.out,
                      refuse=(args.cases,), sheet=sheet, repeated=repeated, made=made)
    say_reading(cases)
    return _summary(args, payouts)


def write_results(frame, out, refuse, sheet: str, repeated=None, made=()) -> None:
    """A result table (a frame, or Arrow columns) to OUT: CSV by Arrow's string kernels (a
    million rows in about a second), Arrow columns to Parquet by Arrow, every other table by
    write_table. `repeated`: the columns a Parquet file stores as dictionaries (None: every
    column, Arrow's default); `made`: the Arrow text columns made by the add-in from its own
    figures, which a CSV file holds as they are (csv_text.write_csv)."""
    suffix = Path(out).suffix.lower() if out is not None else ""
    if suffix == ".csv":
        with atomic_path(out, refuse) as tmp, open(tmp, "wb") as stream:
            write_csv(frame, stream, made=made)
    elif suffix == ".parquet" and not isinstance(frame, pd.DataFrame):
        with atomic_path(out, refuse) as tmp:
            parts = iter([frame] if isinstance(frame, pa.Table) else frame)
            first = next(parts)
            dictionary = True if repeated is None else [n for n in first.schema.names if n in repeated]
            with pq.ParquetWriter(tmp, first.schema, use_dictionary=dictionary) as writer:
                for part in itertools.chain([first], parts):
                    writer.write_table(part)
    else:
        write_table(frame, out, refuse=refuse, sheet=sheet)


def _calc(args) -> int:
    options = _payroll_options(args)
    return _write_results(args, payroll.calc_table(options, calc_frame), "Results",
                          arrow=None if options.any() else calc_parts, repeated=CALC_REPEATED, made=CALC_MADE)


def _schedule(args) -> int:
    options = _payroll_options(args)
    return _write_results(args, payroll.schedule_table(options, schedule_frame), "Schedule",
                          arrow=None if options.any() else schedule_parts, made=SCHEDULE_MADE)


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


def _summary(args, payouts) -> int:
    """The summary line; exit status 1 when any row is rejected (a payroll script can tell)."""
    counts = {st: int((payouts.status == st).sum()) for st in ("paid", "no_severance", "rejected")}
    print(f"{len(payouts)} input rows: {counts['paid']} paid, {counts['no_severance']} no severance, "
          f"{counts['rejected']} rejected -> {args.out or 'standard output'}", file=sys.stderr)
    return EXIT_REJECTED if counts["rejected"] else EXIT_OK


def say_reading(cases) -> None:
    """What the run did to read the file: the sheet and header row, renamed columns, and
    every mapping applied (the report's run sheet lists the same, from cases.reading)."""
    reading = cases.reading
    if reading is None:
        return
    for note in reading.notes:
        print(f"severance: {note}", file=sys.stderr)
    for applied in reading.applied:
        if applied.how is not How.RENAMED:  # the notes say that one, with why
            print(f"severance: {describe(applied)}", file=sys.stderr)


def case_options(args) -> dict:
    """The reading options of `common` as load_cases' keyword arguments."""
    return {"case_map": args.map, "sheet": args.sheet, "date_order": args.date_order}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="severance",
        description="Severance payouts under executive employment letters (default: SAVVIS 2002 CTO letter).")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("cases", help="case table: .csv, .xlsx or .parquet, one row per employee case")
        p.add_argument("--terms", metavar="FILE", help="TOML file of [[agreement]] tables to add")
        p.add_argument("--map", metavar="FILE", help="TOML map of an HR export: [columns] headers, "
                       "[values.<column>] codes, [dates] order, [input] sheet (docs/agreements.md)")
        p.add_argument("--sheet", metavar="NAME", help=".xlsx: the sheet to read (default: the "
                       "first holding the cases)")
        p.add_argument("--date-order", metavar="MDY|DMY|YMD", type=str.upper,
                       choices=[o.name for o in DateOrder],
                       help="how to read slash or dot dates such as 3/5/2024")

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

    # (the report's and the workbooks' flags, without their writers: imported when they run)
    from .report.command import add_subcommand as add_report
    from .workbooks.command import add_subcommand as add_templates
    add_report(sub, common)
    finance.add_subcommands(sub, common)
    add_templates(sub, common)
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
