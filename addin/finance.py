"""Finance subcommands of `severance`: cashflow, journal and whatif. An adapter like the CLI:
it reads arguments, calls the engine and the result tables, and writes files."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from . import charts
from .cases import load_cases
from .results.cashflow import GroupError, Period, cash_flow, cashflow_frame
from .results.journal import (AccountsError, journal_entries, journal_frame, load_accounts, roll_forward,
                              roll_forward_frame)
from .results.output import write_table
from .results.whatif import Step, WhatIfError, floor_end, termination_dates, what_if, whatif_frame
from .rules.calendar import DAY
from .rules.engine import compute
from .rules.terms import load_agreements

NOTIFICATION = "notification_date"
# Bad arguments of these subcommands: one line, exit status 2, like an unreadable case file.
FinanceError = (GroupError, AccountsError, WhatIfError)


def _load(args, agreements):
    """The case table, read with the options every subcommand shares (--map, --sheet,
    --date-order), saying on stderr what the reading mapped, like calc and schedule."""
    from .cli import case_options, say_reading  # the CLI imports this module: late import
    cases = load_cases(args.cases, agreements, **case_options(args))
    say_reading(cases)
    return cases


def _computed(args):
    agreements = load_agreements(args.terms)
    cases = _load(args, agreements)
    return agreements, cases, compute(cases, agreements)


def _report(payouts, out, what: str) -> None:
    if out is None:
        return
    counts = {s: int((payouts.status == s).sum()) for s in ("paid", "no_severance", "rejected")}
    print(f"{len(payouts)} input rows: {counts['paid']} paid, {counts['no_severance']} no severance, "
          f"{counts['rejected']} rejected; {what} -> {out}", file=sys.stderr)


def _exit_status(payouts) -> int:
    return 1 if (payouts.status == "rejected").any() else 0


def _cashflow(args) -> int:
    _, cases, payouts = _computed(args)
    flow = cash_flow(cases, payouts, Period(args.by), args.group)
    write_table(cashflow_frame(flow, args.group), args.out, refuse=(args.cases,), sheet="Cash flow")
    _report(payouts, args.out, f"{len(flow.period)} {args.by} rows")
    return _exit_status(payouts)


def notification_dates(cases) -> tuple[np.ndarray | None, list[str]]:
    """The optional notification_date column: (dates, NaT where blank) and a message per bad cell."""
    if NOTIFICATION not in cases.raw.columns:
        return None, []
    cells = cases.raw[NOTIFICATION]
    out = np.full(len(cells), np.datetime64("NaT"), dtype=DAY)
    problems = []
    for k, cell in enumerate(cells.tolist()):
        if cell is None or (isinstance(cell, float) and cell != cell) or str(cell).strip() == "":
            continue
        if isinstance(cell, (dt.date, pd.Timestamp)):
            out[k] = np.datetime64(pd.Timestamp(cell).date(), "D")
            continue
        try:
            out[k] = np.datetime64(dt.date.fromisoformat(str(cell).strip()[:10]), "D")
        except ValueError:
            problems.append(f"row {cases.source_row[k]}, {NOTIFICATION}: {str(cell)[:40]!r} is not a "
                            "date; write it as YYYY-MM-DD (the termination date is used instead)")
    return out, problems


def _journal(args) -> int:
    accounts = load_accounts(args.accounts)
    _, cases, payouts = _computed(args)
    notification, problems = notification_dates(cases)
    for problem in problems:
        print(f"severance: warning: {problem}", file=sys.stderr)
    entries = journal_entries(cases, payouts, notification)
    write_table(journal_frame(cases, entries, accounts), args.out, refuse=(args.cases,), sheet="Journal")
    if args.roll_forward:
        write_table(roll_forward_frame(roll_forward(entries), accounts), args.roll_forward,
                    refuse=(args.cases,), sheet="Roll-forward")
    _report(payouts, args.out, f"{int(entries.entry.max(initial=0))} balanced entries")
    return max(_exit_status(payouts), 1 if problems else 0)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _whatif(args) -> int:
    agreements = load_agreements(args.terms)
    cases = _load(args, agreements)
    dates = termination_dates(args.start, args.end, Step(args.step))
    grid, payouts = what_if(cases, agreements, dates)
    write_table(whatif_frame(grid, payouts), args.out, refuse=(args.cases,), sheet="What-if")
    if args.plot:
        plot_what_if(Path(args.plot), cases, grid, payouts, dates, agreements)
    base = compute(cases, agreements)
    _report(base, args.out, f"{len(dates)} termination dates")
    return _exit_status(base)


def plot_what_if(path: Path, cases, grid, payouts, dates: np.ndarray, agreements,
                 only: str | None = None) -> Path:
    """The what-if picture: one line per paid case (at most charts.MAX_LINES), else their sum."""
    cash = payouts.cash_total.reshape(len(cases), len(dates))
    paid = payouts.eligible.reshape(len(cases), len(dates)).any(axis=1)
    if only is not None:
        paid &= cases.employee_id == only
    ids = cases.employee_id[paid]
    if len(ids) <= charts.MAX_LINES:
        lines = {str(i): cash[k] for i, k in zip(ids, np.flatnonzero(paid))}
        who = f"{ids[0]} ({cases.employee_name[paid][0]})" if len(ids) == 1 and cases.employee_name[paid][0] else \
            f"{len(ids)} cases"
        title = f"{who}: cash total by termination date, {dates[0]} to {dates[-1]}"
    else:
        lines = {f"{len(ids)} cases, total": cash[paid].sum(axis=0)}
        title = f"Cash total of {len(ids)} cases by termination date, {dates[0]} to {dates[-1]}"
    rows = np.repeat(paid, len(dates))
    end = floor_end(grid, _subset(payouts, rows), agreements) if rows.any() else None
    marks = [end] if end is not None and end > dates[0] else []
    return charts.what_if_curve(path, title, dates, lines, marks)


def _subset(payouts, rows):
    import dataclasses
    return dataclasses.replace(payouts, eligible=payouts.eligible & rows)


def add_subcommands(sub, common) -> None:
    cashflow = sub.add_parser("cashflow", help="cash paid per month or quarter (and group), by payment date")
    common(cashflow)
    cashflow.add_argument("--by", choices=[p.value for p in Period], default="month")
    cashflow.add_argument("--group", metavar="COLUMN", help="a case-table column to group by (department, cost_center, ...)")
    cashflow.add_argument("-o", "--out", help="output .csv, .json, .xlsx or .parquet (default: CSV on stdout)")
    cashflow.set_defaults(run=_cashflow)

    journal = sub.add_parser("journal", help="the accrual and its journal entries, balanced")
    common(journal)
    journal.add_argument("--accounts", metavar="FILE", help="TOML [accounts] names and numbers")
    journal.add_argument("-o", "--out", help="output .csv, .json, .xlsx or .parquet (default: CSV on stdout)")
    journal.add_argument("--roll-forward", metavar="FILE", help="also write the month-by-month liability roll-forward")
    journal.set_defaults(run=_journal)

    whatif = sub.add_parser("whatif", help="every case for each termination date of a range")
    common(whatif)
    whatif.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
    whatif.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
    whatif.add_argument("--step", choices=[s.value for s in Step], default="day")
    whatif.add_argument("-o", "--out", help="output .csv, .json, .xlsx or .parquet (default: CSV on stdout)")
    whatif.add_argument("--plot", metavar="FILE.png", help="draw cash total against termination date")
    whatif.set_defaults(run=_whatif)


# ---------------------------------------------------------------------------------------------
# Pictures for a deck (`severance report --plots DIR`)

COMPONENT_LABELS = {"salary_continuation": "(i) salary continuation", "prorated_bonus": "(ii) prorated bonus",
                    "unpaid_bonus": "(iii) unpaid bonus", "benefits_continuation": "(iv) benefits continuation"}


def write_plots(directory: Path, cases, payouts, agreements, source: str, group: str | None = None,
                whatif_case: str | None = None) -> list[Path]:
    """The deck's PNGs (each with its data as CSV beside it): payout by component, cash flow by
    month, payout by group (with `group`), and the what-if curve of one case (`whatif_case`)."""
    directory = Path(directory)
    paid = payouts.eligible
    when = f"{int(paid.sum())} paid cases in {Path(source).name}"
    written = [charts.stacked_columns(
        directory / "payout_by_component.png", f"Severance payout by component: {when}",
        list(COMPONENT_LABELS.values()),
        {"amount": np.array([int(getattr(payouts, c)[paid].sum()) for c in COMPONENT_LABELS])},
        "component")]
    flow = cash_flow(cases, payouts, Period.MONTH)
    written.append(charts.stacked_columns(
        directory / "cash_flow_by_month.png", f"Cash paid by month (payment dates): {when}",
        list(flow.period), {COMPONENT_LABELS[c]: flow.amounts[c]
                            for c in ("salary_continuation", "prorated_bonus", "unpaid_bonus")}, "month"))
    if group:
        from .results.cashflow import group_values
        values = group_values(cases, group)
        names = sorted(set(values[paid].tolist()))
        series = {COMPONENT_LABELS[c]: np.array([int(getattr(payouts, c)[paid & (values == g)].sum())
                                                 for g in names]) for c in COMPONENT_LABELS}
        written.append(charts.stacked_columns(
            directory / "payout_by_group.png", f"Severance payout by {group}: {when}", names, series, group))
    if whatif_case is not None:
        written.append(_whatif_picture(directory, cases, agreements, whatif_case))
    return written


def _whatif_picture(directory: Path, cases, agreements, employee_id: str) -> Path:
    rows = np.flatnonzero((cases.employee_id == employee_id) & cases.valid)
    if not len(rows):
        raise WhatIfError(f"--whatif-case {employee_id!r}: no valid case has that employee_id")
    year = int(cases.termination_date[rows[0]].astype("datetime64[Y]").astype(int)) + 1970
    dates = termination_dates(dt.date(year, 1, 1), dt.date(year, 12, 31), Step.DAY)
    from .results.whatif import repeat_cases
    one = repeat_cases(cases, rows[:1], cases.termination_date[rows[:1]])
    grid, payouts = what_if(one, agreements, dates)
    return plot_what_if(directory / f"whatif_{_safe(employee_id)}.png", one, grid, payouts, dates, agreements)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60] or "case"
