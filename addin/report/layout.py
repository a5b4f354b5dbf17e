"""The payout report as a whole: its sheets in order (Summary, Line items, Payment schedule,
Exceptions, Agreement), each table on as many pages as Excel's row limit needs, and the defined
names the formulas read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..cases import CASE_COLUMNS
from ..excel import formulas as F
from ..results.tables import CALC_COLUMNS
from ..rules.case import CaseTable
from ..rules.engine import NO_SEVERANCE, PAID, REJECTED, Payouts
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement
from .agreement import agreement_block, report_years
from .delayed_schedule import delayed_schedule_sheets
from .extras import ReportOptions, extra_sheets, report_payments
from .columns import SUMMARY_RESULTS
from .exceptions import exception_sheets
from .line_items import line_item_sheets
from .plan import MAX_SHEET_ROWS, Pages, ReportPlan, SheetPlan
from .register import TITLE as REGISTER, register_sheets
from .run_sheet import run_sheet
from .schedule import FORMULAS as SCHEDULE_FORMULAS
from .schedule import schedule_sheets
from .summary import CHART_ROWS, FORMULAS as SUMMARY_FORMULAS
from .summary import SummaryColumns, summary_sheets
from .stamp import RunStamp, make_stamp
from .values import counts_text

# The rows above a table's headers: title, counts, note (the Summary's logo adds one).
TABLE_FIRST_ROW = 5
# Every formula the report places that reads an agreement parameter: the Agreement sheet
# defines a name for each parameter these declare (addin.excel.formulas.FORMULAS), no other.
REPORT_FORMULAS = (*SUMMARY_FORMULAS, *SCHEDULE_FORMULAS)


@dataclass(frozen=True)
class ReportCounts:
    input_rows: int
    paid: int
    no_severance: int
    rejected: int
    payments: int
    sheets: tuple[str, ...]


def agreements_used(cases: CaseTable, agreements: Mapping[str, Agreement],
                    default: str) -> list[Agreement]:
    """The agreements of the valid rows, in order of first appearance (the default if none)."""
    seen: dict[str, Agreement] = {}
    for agreement_id in cases.agreement[cases.valid]:
        if agreement_id not in seen and agreement_id in agreements:
            seen[agreement_id] = agreements[agreement_id]
    if not seen and default in agreements:
        seen[default] = agreements[default]
    return list(seen.values())


def plan_report(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement], *,
                source: str = "", default_agreement: str = DEFAULT_AGREEMENT_ID,
                max_rows: int = MAX_SHEET_ROWS, logo: bool = False,
                options: ReportOptions | None = None, stamp: RunStamp | None = None,
                paper: str = "letter") -> tuple[ReportPlan, ReportCounts]:
    n = len(cases)
    status = payouts.status
    counts = {s: int((status == s).sum()) for s in (PAID, NO_SEVERANCE, REJECTED)}
    used = agreements_used(cases, agreements, default_agreement)
    block = agreement_block(used, *report_years(cases, payouts),
                            read=F.parameters_read(REPORT_FORMULAS))
    pay, payroll = report_payments(cases, payouts, options)  # the 409A delay applied if asked

    raw_columns = [c for c in cases.raw.columns if c != "source_row"]
    extra = [c for c in raw_columns if c and c not in CASE_COLUMNS and c not in SUMMARY_RESULTS
             and c not in CALC_COLUMNS]
    columns = SummaryColumns(extra)
    header_row = TABLE_FIRST_ROW - 1 + (1 if logo else 0)
    summary = Pages("Summary", n, header_row + 1, max_rows, reserve=1 + CHART_ROWS)
    register = Pages(REGISTER, n, TABLE_FIRST_ROW, max_rows, reserve=1)
    paid_rows = np.flatnonzero(payouts.eligible)
    items = Pages("Line items", 4 * len(paid_rows), TABLE_FIRST_ROW, max_rows)
    schedule = Pages("Payment schedule", len(pay["case"]), TABLE_FIRST_ROW, max_rows)
    rejected_rows = np.flatnonzero(status == REJECTED)
    exceptions = Pages("Exceptions", len(rejected_rows), TABLE_FIRST_ROW, max_rows)

    status_ranges = [summary.data_range(p, columns.letter["status"]) for p in range(len(summary.titles))]
    counts_formula = F.status_counts(n, status_ranges)
    note = (f"Agreement: {', '.join(a.id for a in used)}. Source: {source}. Blue cells are the "
            "case table's inputs; every other figure is a formula over them and the Agreement sheet.")
    stamp = stamp or make_stamp(source, None, used, counts_text(payouts))
    note += f" {stamp.sentence()}"
    sheets: list[SheetPlan] = [
        *summary_sheets(cases, payouts, columns, summary, block, counts_formula, note, logo, header_row),
        *register_sheets(cases, payouts, columns, summary, register, counts_formula),
        *line_item_sheets(cases, payouts, agreements, columns, summary, items, paid_rows),
        *(schedule_sheets(cases, pay, columns, summary, schedule, block) if payroll is None else
          delayed_schedule_sheets(cases, payroll, columns, summary, schedule, block)),
        *exception_sheets(cases, raw_columns, exceptions, rejected_rows, counts_formula,
                          counts_text(payouts)),
        *(extra_sheets(cases, payouts, pay, columns, summary, schedule, options, payroll, max_rows)
          if options else ()),
        block.plan,
        run_sheet(cases, stamp),
    ]
    report_counts = ReportCounts(n, counts[PAID], counts[NO_SEVERANCE], counts[REJECTED],
                                 len(pay["case"]), tuple(s.title for s in sheets))
    return ReportPlan(sheets, list(block.names), paper=paper, stamp=stamp.line(),
                      properties=stamp), report_counts
