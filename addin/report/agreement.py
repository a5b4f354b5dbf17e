"""The Agreement sheet: every parameter of the agreements used, its value and the letter's words;
the parameters the formulas read (as addin.excel.formulas declares) are defined names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
from openpyxl.utils import get_column_letter

from ..excel.cells import Role
from ..rules.calendar import holiday_dates
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.terms import PARAMETER_CLAUSES, Agreement
from .plan import (DefinedName, Row, SheetPlan, date, header, number, quote, text,
                   wrapped_height)

CLAUSE_WIDTH = 90
HOLIDAYS = "holiday_dates"      # the defined name of the holiday lists (one column each)
AGREEMENT_IDS = "agreement_ids"  # the defined name of the agreements' ids (several agreements)


@dataclass(frozen=True)
class AgreementBlock:
    plan: SheetPlan
    names: list[DefinedName]
    parameters: tuple[str, ...]  # the defined names of parameters, holiday_dates among them
    single: bool

    def refs(self, agreement_ref: str) -> dict[str, str]:
        """Formula references of the parameters for a row whose agreement id is at agreement_ref."""
        if self.single:
            return {p: p for p in self.parameters}
        match = f"MATCH({agreement_ref},{AGREEMENT_IDS},0)"
        return {p: f"INDEX({p},0,{match})" if p == HOLIDAYS else f"INDEX({p},{match})"
                for p in self.parameters}


def clause_text(agreement: Agreement, parameter: str) -> str:
    """The letter's words behind a parameter, as the terms file quotes them."""
    texts = agreement.clause_text
    if parameter in texts:
        return texts[parameter]
    label = PARAMETER_CLAUSES.get(parameter, "")
    key = label.strip("()")
    if label.startswith("(") and "," not in label and key in texts:
        return texts[key]
    return ""


def _value_cell(value: object):
    if isinstance(value, dt.date):
        return date(value, Role.INPUT_DATE)
    if isinstance(value, str):
        return text(value, Role.INPUT_TEXT)
    return number(value, Role.INPUT_TEXT)


def agreement_block(used: Sequence[Agreement], first_year: int, last_year: int,
                    read: Sequence[str], title: str = "Agreement") -> AgreementBlock:
    """The sheet of the agreements `used`, with defined names for the parameters `read` (the
    formulas' declared parameters) and holidays for first_year..last_year."""
    n = len(used)
    clause_width = CLAUSE_WIDTH if n == 1 else max(40, CLAUSE_WIDTH // n)  # prints one page wide
    value_cols = [get_column_letter(3 + i) for i in range(n)]
    text_cols = [get_column_letter(3 + n + i) for i in range(n)]
    sheet = quote(title)

    def across(first_row: int, last_row: int | None = None) -> str:
        last = f"${value_cols[-1]}${first_row if last_row is None else last_row}"
        single = last_row is None and n == 1
        return f"{sheet}!${value_cols[0]}${first_row}" + ("" if single else ":" + last)

    rows: list[Row] = [
        [text("Agreement terms used", Role.TITLE)],
        [text("The parameters the formulas read are defined names of the same name: edit a value "
              "here and every dependent amount updates. The others are stated for the record.",
              Role.NOTE)],
        [],
        [*header(("parameter", "clause")),
         *(text(a.id, Role.HEADER) for a in used),
         *(text(f"clause text ({a.id})" if n > 1 else "clause text", Role.HEADER) for a in used)],
        [text("title"), None, *(text(a.title) for a in used)],
        [text("source"), None, *(text(a.source) for a in used)],
    ]
    names: list[DefinedName] = []
    heights: dict[int, float] = {}
    header_row = 4
    for parameter in PARAMETER_CLAUSES:
        row = len(rows) + 1
        rows.append([text(parameter), text(PARAMETER_CLAUSES[parameter]),
                     *(_value_cell(getattr(a, parameter)) for a in used),
                     *(text(clause_text(a, parameter), Role.LONG_TEXT) for a in used)])
        heights[row] = wrapped_height([clause_text(a, parameter) for a in used], clause_width)
        if parameter in read:
            names.append(DefinedName(parameter, across(row)))
    rows.append([])
    rows.append([text(HOLIDAYS, Role.HEADER), text("calendar", Role.HEADER),
                 *(text(a.holiday_calendar or "(weekends only)", Role.HEADER) for a in used)])
    first = len(rows) + 1
    # The years the cases touch first (they print); then the year before and after them, which
    # the formulas need only for edited inputs (WORKDAY reads the list in any order): past the
    # print area.
    lists = [_touched_first(_holiday_dates(a.holiday_calendar, first_year, last_year), first_year,
                            last_year) for a in used]
    length = max([len(x) for x, _ in lists] + [1])
    printed = max([n for _, n in lists] + [0])
    for i in range(length):
        rows.append([None, None, *(date(x[i], Role.DATE) if i < len(x) else None for x, _ in lists)])
    if HOLIDAYS in read:
        names.append(DefinedName(HOLIDAYS, across(first, first + length - 1)))
    if n > 1:
        names.append(DefinedName(AGREEMENT_IDS, across(header_row, header_row)))
    unknown = set(read) - set(PARAMETER_CLAUSES) - {HOLIDAYS}
    if unknown:
        raise ValueError(f"formulas read parameters no agreement has: {', '.join(sorted(unknown))}")
    widths = {"A": 30, "B": 14, **{c: 18 for c in value_cols}, **{c: clause_width for c in text_cols}}
    last_col = get_column_letter(2 + 2 * n)
    plan = SheetPlan(title=title, rows=rows, row_count=len(rows), widths=widths, freeze="C5",
                     wide=True, row_heights=heights, print_title_rows="4:4",
                     print_area=f"A1:{last_col}{first + printed - 1 if printed else first - 1}")
    return AgreementBlock(plan=plan, names=names, single=n == 1,
                          parameters=tuple(p for p in read))


def report_years(cases: CaseTable, payouts: Payouts) -> tuple[int, int]:
    """The years whose holidays the payment dates can need (and a margin for edited inputs)."""
    dates = [cases.termination_date[cases.valid]]
    for column in ("continuation_end_date", "benefits_end_date", "lump_sum_due_date"):
        dates.append(getattr(payouts, column))
    stacked = np.concatenate(dates)
    stacked = stacked[~np.isnat(stacked)]
    if not len(stacked):  # nothing is paid: any fixed years will do (the file stays repeatable)
        return 2001, 2003
    years = stacked.astype("datetime64[Y]").astype(np.int64) + 1970
    return int(years.min()) - 1, int(years.max()) + 1


def case_years(cases: CaseTable, payouts: Payouts, k: int) -> tuple[int, int]:
    """The years whose holidays case k's payment dates can need, with a year's margin."""
    one = np.array([cases.termination_date[k], payouts.continuation_end_date[k],
                    payouts.benefits_end_date[k], payouts.lump_sum_due_date[k]], dtype="datetime64[D]")
    one = one[~np.isnat(one)]
    years = one.astype("datetime64[Y]").astype(np.int64) + 1970
    return int(years.min()) - 1, int(years.max()) + 1


def _touched_first(dates: Sequence[dt.date], first_year: int, last_year: int) -> tuple[list[dt.date], int]:
    """The holidays of first_year + 1 .. last_year - 1 (the years the cases touch), then the
    others; and how many the first part holds."""
    inside = [d for d in dates if first_year < d.year < last_year]
    return inside + [d for d in dates if not first_year < d.year < last_year], len(inside)


@lru_cache(maxsize=256)
def _holiday_dates(calendar: str, first_year: int, last_year: int) -> tuple[dt.date, ...]:
    return tuple(holiday_dates(calendar, first_year, last_year))
