"""Payout report layout: which cell holds what, on which sheet, as plain data.

A report is a list of sheet plans; each row is a list of cell specs `(kind, value, role)`:
kind "s" text (never a formula, whatever it starts with), "n" number, "d" date, "b" true/false,
"f" formula text (without "="); role names the style (see report_style). Writers (openpyxl in
addin.report, XlsxWriter in the benchmark) turn specs into cells. Every figure comes from the
engine and every formula from addin.formulas; nothing here knows a rule of the agreement.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from ..cases import CASE_COLUMNS
from ..excel import formulas as F
from ..results.tables import CALC_COLUMNS, DATE_RESULTS, MONEY_RESULTS, LineItem, line_items
from ..results.words import warning_text
from ..rules.calendar import holiday_dates
from ..rules.case import CaseTable
from ..rules.engine import NO_SEVERANCE, PAID, REJECTED, Payouts
from ..rules.money import cents_to_decimal
from ..rules.payments import COMPONENT_CLAUSES, payments
from ..rules.terms import DEFAULT_AGREEMENT_ID, PARAMETER_CLAUSES, Agreement

MAX_SHEET_ROWS = 1_048_576      # Excel's rows per sheet
MAX_TEXT = 32_767               # Excel's characters per cell
MAX_SHEET_TITLE = 31

Spec = tuple  # (kind, value, role)
Row = list    # of Spec or None


def header_label(name: str) -> str:
    """A column's name as its header shows it: `cash_total` reads 'Cash total'."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def header(names: Iterable[str]) -> Row:
    return [text(header_label(n) or "(unnamed column)", "header") for n in names]


def text(value: object, role: str = "text") -> Spec | None:
    """A text cell (None for empty text: an empty cell)."""
    value = str(value)[:MAX_TEXT]
    return ("s", value, role) if value else None


def number(value, role: str) -> Spec:
    return ("n", value, role)


def formula(value: str, role: str) -> Spec:
    return ("f", value, role)


@dataclass(frozen=True)
class ChartPlan:
    """A bar chart of one row of cells (values) labelled by another (categories)."""
    title: str
    anchor: str
    categories_row: int
    values_row: int
    min_col: int
    max_col: int
    y_title: str = ""


@dataclass
class SheetPlan:
    title: str
    rows: Iterable[Row]
    row_count: int
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None
    autofilter: str | None = None
    row_marks: list[tuple[str, str, str]] = field(default_factory=list)  # (range, formula, role)
    chart: ChartPlan | None = None
    print_title_rows: str | None = None
    wide: bool = False            # print landscape on A3, fitted to the page width
    logo: bool = False            # the template's logo at A1 (row 1 is kept for it)
    header_row: int | None = None  # the column headers' row (two lines tall: headers wrap)
    row_heights: dict[int, float] = field(default_factory=dict)  # rows of wrapped text


@dataclass
class ReportPlan:
    sheets: list[SheetPlan]
    names: list[tuple[str, str]]  # (defined name, reference)

    @property
    def row_count(self) -> int:
        return sum(s.row_count for s in self.sheets)


_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[RrCc]([0-9]*)|[Rr][0-9]*[Cc][0-9]*")


def quote(sheet: str) -> str:
    """A sheet name as a formula reference needs it: plain names bare, others in quotes."""
    if _PLAIN_SHEET.fullmatch(sheet) and not _CELL_LIKE.fullmatch(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


class Pages:
    """The rows of one table spread over as many sheets as Excel's row limit needs:
    'Summary', 'Summary (2)', ... each with the same header block and column headers."""

    def __init__(self, title: str, count: int, first_row: int, max_rows: int, reserve: int = 0):
        self.first_row = first_row
        self.capacity = max_rows - first_row + 1 - reserve
        if self.capacity < 1:
            raise ValueError(f"a sheet of {max_rows} rows cannot hold the {title} table")
        pages = max(1, -(-count // self.capacity))
        self.titles = [title if n == 0 else f"{title} ({n + 1})"[:MAX_SHEET_TITLE] for n in range(pages)]
        self.count = count

    def locate(self, k: int) -> tuple[str, int]:
        page, offset = divmod(k, self.capacity)
        return self.titles[page], self.first_row + offset

    def rows_on(self, page: int) -> range:
        start = page * self.capacity
        return range(start, min(self.count, start + self.capacity))

    def data_range(self, page: int, column: str) -> str:
        rows = self.rows_on(page)
        last = self.first_row + max(len(rows), 1) - 1
        return f"{quote(self.titles[page])}!${column}${self.first_row}:${column}${last}"


# ---------------------------------------------------------------------------------------------
# Columns

SUMMARY_INPUTS = ("source_row", "employee_id", "employee_name", "agreement",
                  *(c for c in CASE_COLUMNS if c not in ("employee_id", "employee_name", "agreement")))
# The letter's order: inputs, status, (i)-(iv), totals, dates; then the words and helpers.
SUMMARY_RESULTS = (*(c for c in CALC_COLUMNS if c not in SUMMARY_INPUTS and c not in ("reason", "warnings")),
                   "reason", "warnings", "first_payday_number")
# The amounts the Summary's totals row adds up (the per-installment amounts are not summed).
TOTALLED_RESULTS = (*COMPONENT_CLAUSES, "cash_total", "total_value")
COMPONENTS = tuple(COMPONENT_CLAUSES)   # (i)-(iv), in the letter's order
# The date each line item is due by, as `tables.line_items` gives it.
LINE_ITEM_DATES = {"salary_continuation": "continuation_end_date", "prorated_bonus": "lump_sum_due_date",
                   "unpaid_bonus": "lump_sum_due_date", "benefits_continuation": "benefits_end_date"}
LINE_ITEM_COLUMNS = ("employee_id", "employee_name", "clause", "component", "label", "basis",
                     "amount", "due_date")
SCHEDULE_COLUMNS = ("employee_id", "component", "clause", "installment", "nominal_date",
                    "payment_date", "amount")
INPUT_MONEY = ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
               "monthly_benefits_cost")
RESULT_ROLES = {
    "status": "text", "reason": "text", "warnings": "text", "bonus_proration": "fraction",
    "installments": "count", "first_payday_number": "count",
    **{c: "money" for c in MONEY_RESULTS},
    **{c: "date" for c in DATE_RESULTS},
}
WIDTHS = {"source_row": 8, "employee_id": 12, "employee_name": 22, "agreement": 16,
          "termination_reason": 15, "pay_frequency": 12, "consented_to_change": 11,
          "status": 13, "reason": 36, "warnings": 36, "bonus_proration": 10, "installments": 12,
          "first_payday_number": 12, "basis": 90, "label": 30, "component": 22, "clause": 8,
          "installment": 8, "reasons": 80, "reason_count": 8, "parameter": 30}
PARAMETERS = tuple(PARAMETER_CLAUSES)
# Parameters the formulas read; the others are shown for the record.
FORMULA_PARAMETERS = ("salary_continuation_months", "bonus_floor_fraction",
                      "benefits_continuation_months", "lump_sum_due_days", "biweekly_anchor")


CLAUSE_WIDTH = 90
LINE_HEIGHT = 15  # points per line of 11-point text


def wrapped_height(texts: Iterable[str], width: int) -> float:
    """The height of a row whose cells (one text each) wrap in columns `width` wide
    (spreadsheet programs do not all fit row heights to wrapped text on opening)."""
    per_line = max(1, int(width * 0.85))  # characters per line, with room for wide fonts
    lines = max([sum(max(1, -(-len(line) // per_line)) for line in str(t).split("\n"))
                 for t in texts] + [1])
    return LINE_HEIGHT * lines


def _width(name: str, role: str) -> float:
    if name in WIDTHS:
        return WIDTHS[name]
    return {"money": 14, "input_money": 14, "date": 12, "input_date": 12}.get(role, 14)


def _date(d) -> dt.date | None:
    return None if np.isnat(d) else d.astype(object)


def _raw_text(value: object) -> str:
    """A cell of the case table as read, as text ('' when blank)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if np.isnan(value) else (str(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# The Agreement sheet: every parameter, its value and clause text; defined names for formulas.

@dataclass(frozen=True)
class AgreementBlock:
    plan: SheetPlan
    names: list[tuple[str, str]]
    single: bool

    def refs(self, agreement_ref: str) -> dict[str, str]:
        """Formula references of the parameters for a row whose agreement id is at agreement_ref."""
        if self.single:
            out = {p: p for p in FORMULA_PARAMETERS}
            out["holiday_dates"] = "holiday_dates"
            return out
        match = f"MATCH({agreement_ref},agreement_ids,0)"
        out = {p: f"INDEX({p},{match})" for p in FORMULA_PARAMETERS}
        out["holiday_dates"] = f"INDEX(holiday_dates,0,{match})"
        return out


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


def agreement_block(used: Sequence[Agreement], first_year: int, last_year: int,
                    title: str = "Agreement") -> AgreementBlock:
    n = len(used)
    value_cols = [get_column_letter(3 + i) for i in range(n)]
    text_cols = [get_column_letter(3 + n + i) for i in range(n)]
    rows: list[Row] = [
        [text("Agreement terms used", "title")],
        [text("Each parameter is a defined name the formulas read: edit a value here and every "
              "dependent amount updates.", "note")],
        [],
        [*header(("parameter", "clause")),
         *(text(a.id, "header") for a in used),
         *(text(f"clause text ({a.id})" if n > 1 else "clause text", "header") for a in used)],
        [text("title"), None, *(text(a.title) for a in used)],
        [text("source"), None, *(text(a.source) for a in used)],
    ]
    names: list[tuple[str, str]] = []
    heights: dict[int, float] = {}
    header_row = 4
    row = len(rows) + 1
    for parameter in PARAMETERS:
        cells: Row = [text(parameter), text(PARAMETER_CLAUSES[parameter])]
        for a in used:
            value = getattr(a, parameter)
            if isinstance(value, dt.date):
                cells.append(("d", value, "input_date"))
            elif isinstance(value, str):
                cells.append(text(value, "input_text"))
            else:
                cells.append(number(value, "input_text"))
        cells.extend(text(clause_text(a, parameter), "long_text") for a in used)
        rows.append(cells)
        heights[row] = wrapped_height([clause_text(a, parameter) for a in used], CLAUSE_WIDTH)
        names.append((parameter, f"{quote(title)}!${value_cols[0]}${row}" + (
            f":${value_cols[-1]}${row}" if n > 1 else "")))
        row += 1
    rows.append([])
    rows.append([text("holiday_dates", "header"), text("calendar", "header"),
                 *(text(a.holiday_calendar or "(weekends only)", "header") for a in used)])
    row += 2
    lists = [_holiday_dates(a.holiday_calendar, first_year, last_year) for a in used]
    length = max([len(x) for x in lists] + [1])
    for i in range(length):
        rows.append([None, None, *((("d", x[i], "date") if i < len(x) else None) for x in lists)])
    last = row + length - 1
    names.append(("holiday_dates", f"{quote(title)}!${value_cols[0]}${row}:${value_cols[-1]}${last}"))
    if n > 1:
        names.append(("agreement_ids", f"{quote(title)}!${value_cols[0]}${header_row}:"
                                       f"${value_cols[-1]}${header_row}"))
    widths = {"A": 30, "B": 14, **{c: 18 for c in value_cols}, **{c: CLAUSE_WIDTH for c in text_cols}}
    plan = SheetPlan(title=title, rows=rows, row_count=len(rows), widths=widths, freeze="C5",
                     wide=True, row_heights=heights)
    return AgreementBlock(plan=plan, names=names, single=n == 1)


@lru_cache(maxsize=256)
def _holiday_dates(calendar: str, first_year: int, last_year: int) -> tuple[dt.date, ...]:
    return tuple(holiday_dates(calendar, first_year, last_year))


def _years(cases: CaseTable, payouts: Payouts) -> tuple[int, int]:
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


# ---------------------------------------------------------------------------------------------
# The payout report

@dataclass(frozen=True)
class ReportCounts:
    input_rows: int
    paid: int
    no_severance: int
    rejected: int
    payments: int
    sheets: tuple[str, ...]


def _header_block(title: str, note: str, counts_formula: str | None, logo: bool) -> list[Row]:
    rows: list[Row] = [[]] if logo else []
    rows.append([text(title, "title")])
    rows.append([formula(counts_formula, "note")] if counts_formula else [])
    rows.append([text(note, "note")])
    return rows


class SummaryColumns:
    def __init__(self, extra: Sequence[str]):
        self.names = (*SUMMARY_INPUTS, *SUMMARY_RESULTS, *extra)
        self.letter = {name: get_column_letter(i + 1) for i, name in enumerate(self.names)}
        self.extra = tuple(extra)


def plan_report(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement], *,
                source: str = "", default_agreement: str = DEFAULT_AGREEMENT_ID,
                max_rows: int = MAX_SHEET_ROWS, logo: bool = False) -> tuple[ReportPlan, ReportCounts]:
    n = len(cases)
    status = payouts.status
    counts = {s: int((status == s).sum()) for s in (PAID, NO_SEVERANCE, REJECTED)}
    used = agreements_used(cases, agreements, default_agreement)
    first_year, last_year = _years(cases, payouts)
    block = agreement_block(used, first_year, last_year)
    pay = payments(payouts)

    raw_columns = [c for c in cases.raw.columns if c != "source_row"]
    extra = [c for c in raw_columns if c and c not in CASE_COLUMNS and c not in SUMMARY_RESULTS
             and c not in CALC_COLUMNS]
    columns = SummaryColumns(extra)
    top = 2 if logo else 1
    header_row = top + 3
    first_row = header_row + 1
    chart_rows = 22
    summary = Pages("Summary", n, first_row, max_rows, reserve=1 + chart_rows)
    paid_rows = np.flatnonzero(payouts.eligible)
    plain_first_row = 5  # title, counts, note, headers: data from row 5 (the logo is on the Summary)
    items = Pages("Line items", 4 * len(paid_rows), plain_first_row, max_rows)
    schedule = Pages("Payment schedule", len(pay["case"]), plain_first_row, max_rows)
    rejected_rows = np.flatnonzero(status == REJECTED)
    exceptions = Pages("Exceptions", len(rejected_rows), plain_first_row, max_rows)

    status_ranges = [summary.data_range(p, columns.letter["status"]) for p in range(len(summary.titles))]
    counts_formula = F.status_counts(n, status_ranges)
    ids = ", ".join(a.id for a in used)
    sheets: list[SheetPlan] = []
    warnings = warning_text(cases, payouts)
    sheets.extend(_summary_sheets(cases, payouts, warnings, columns, summary, block, counts_formula,
                                  source, ids, logo, header_row))
    sheets.extend(_line_item_sheets(cases, payouts, agreements, columns, summary, items, paid_rows))
    sheets.extend(_schedule_sheets(cases, pay, columns, summary, schedule, block))
    sheets.extend(_exception_sheets(cases, payouts, raw_columns, exceptions, rejected_rows,
                                    counts_formula))
    sheets.append(block.plan)
    report_counts = ReportCounts(n, counts[PAID], counts[NO_SEVERANCE], counts[REJECTED],
                                 len(pay["case"]), tuple(s.title for s in sheets))
    return ReportPlan(sheets, list(block.names)), report_counts


# Row placeholders in formula templates, replaced per row (every row's formula is the same
# text but for its row numbers, so each is built once, from addin.formulas, and then copied).
_ROW, _SHEET, _OWN, _J = "\x01", "\x02", "\x03", "\x04"


def _summary_refs(columns: SummaryColumns, block: AgreementBlock, prefix: str) -> dict[str, str]:
    refs = {name: f"{prefix}${columns.letter[name]}{_ROW}" for name in columns.names}
    refs.update(block.refs(refs["agreement"]))
    refs["eligible"] = f'({refs["status"]}="paid")'
    return refs


def _summary_sheets(cases, payouts, warnings, columns: SummaryColumns, pages: Pages, block: AgreementBlock,
                    counts_formula: str, source: str, ids: str, logo: bool,
                    header_row: int) -> list[SheetPlan]:
    refs = _summary_refs(columns, block, "")
    templates = {name: F.CALC_CELLS[name](refs) for name in SUMMARY_RESULTS if name in F.CALC_CELLS}
    roles = {**{c: "input_text" for c in SUMMARY_INPUTS}, "source_row": "count",
             "termination_date": "input_date", **{c: "input_money" for c in INPUT_MONEY},
             **RESULT_ROLES, **{c: "input_text" for c in columns.extra}}
    letters = columns.letter
    last_letter = letters[columns.names[-1]]
    note = (f"Agreement: {ids}. Source: {source}. Blue cells are the case table's inputs; every "
            "other figure is a formula over them and the Agreement sheet.")
    head = header(columns.names)
    plans = []
    for page, title in enumerate(pages.titles):
        ks = pages.rows_on(page)
        last_page = page == len(pages.titles) - 1
        last_row = pages.first_row + max(len(ks), 1) - 1
        totals_row = last_row + 1

        def rows(ks=ks, last_page=last_page, page=page, title=title):
            yield from _header_block("Severance payouts" + (f" (continued, {title})" if page else ""),
                                     note, counts_formula, logo)
            yield head
            for k in ks:
                yield _summary_row(cases, payouts, warnings, k, columns, templates,
                                   pages.first_row + k - ks.start)
            if last_page:
                totals: Row = [None] * len(columns.names)
                totals[1] = text("Total", "total")
                for name in TOTALLED_RESULTS:
                    ranges = [pages.data_range(p, letters[name]) for p in range(len(pages.titles))]
                    totals[columns.names.index(name)] = formula(F.total(ranges), "total")
                yield totals

        status = letters["status"]
        marks = [(f"A{pages.first_row}:{last_letter}{last_row}", f'${status}{pages.first_row}="{s}"', s)
                 for s in (REJECTED, NO_SEVERANCE)]
        chart = None
        if last_page:
            c1 = columns.names.index(COMPONENTS[0]) + 1
            chart = ChartPlan("Payout by component, clauses (i)-(iv) (visible rows)",
                              f"B{totals_row + 2}", header_row, totals_row, c1,
                              c1 + len(COMPONENTS) - 1, "amount")
        plans.append(SheetPlan(
            title=title, rows=rows(), row_count=len(ks) + header_row + (1 if last_page else 0),
            widths={letters[name]: _width(name, roles.get(name, "text")) for name in columns.names},
            freeze=f"C{header_row + 1}", autofilter=f"A{header_row}:{last_letter}{last_row}",
            row_marks=marks, chart=chart, print_title_rows=f"{header_row}:{header_row}",
            wide=True, logo=logo, header_row=header_row))
    return plans


def _summary_row(cases: CaseTable, payouts: Payouts, warnings, k: int, columns: SummaryColumns,
                 templates: dict[str, str], row: int) -> Row:
    r = str(row)
    valid = payouts.status[k] != REJECTED
    out: Row = [("n", int(cases.source_row[k]), "count")]
    if valid:
        declared = cases.prior_year_bonus_declared[k]
        out += [
            text(cases.employee_id[k], "input_text"),
            text(cases.employee_name[k], "input_text"),
            text(cases.agreement[k], "input_text"),
            ("d", _date(cases.termination_date[k]), "input_date"),
            text(cases.termination_reason[k], "input_text"),
            ("n", cents_to_decimal(cases.base_salary[k]), "input_money"),
            ("n", cents_to_decimal(declared), "input_money") if cases.bonus_declared[k] else None,
            ("n", cents_to_decimal(cases.prior_year_bonus_paid[k]), "input_money"),
            ("n", cents_to_decimal(cases.monthly_benefits_cost[k]), "input_money"),
            text(cases.pay_frequency[k], "input_text"),
            ("b", bool(cases.consented_to_change[k]), "input_text"),
        ]
        for name in SUMMARY_RESULTS:
            if name == "warnings":
                w = warnings[k]
                out.append(text(w) if w else None)
            else:
                out.append(("f", templates[name].replace(_ROW, r), RESULT_ROLES[name]))
    else:
        raw = cases.raw.iloc[k]
        for name in SUMMARY_INPUTS[1:]:
            value = _raw_text(raw[name]) if name in raw.index else ""
            out.append(text(value, "input_text") if value else None)
        shown = {"status": text(REJECTED), "reason": text("; ".join(cases.errors[k]))}
        out.extend(shown.get(name) for name in SUMMARY_RESULTS)
    if columns.extra:
        raw = cases.raw.iloc[k]
        for name in columns.extra:
            value = _raw_text(raw[name])
            out.append(text(value, "input_text") if value else None)
    return out


def _line_item_sheets(cases, payouts, agreements, columns: SummaryColumns, summary: Pages,
                      pages: Pages, paid_rows: np.ndarray) -> list[SheetPlan]:
    head = header(LINE_ITEM_COLUMNS)
    letters = columns.letter

    def items() -> Iterator[tuple[int, LineItem]]:
        for k in paid_rows:
            for item in line_items(cases, payouts, int(k), agreements[cases.agreement[k]]):
                yield int(k), item

    stream = items()
    plans = []
    for page, title in enumerate(pages.titles):
        count = len(pages.rows_on(page))

        def rows(count=count):
            yield from _header_block("Line items", "One row per clause (i)-(iv) of each paid case: "
                                     "the amount is the Summary's cell, the basis says how the "
                                     "engine computed it.", None, False)
            yield head
            for _ in range(count):
                k, item = next(stream)
                sheet, row = summary.locate(k)
                prefix = quote(sheet) + "!"
                yield [
                    text(cases.employee_id[k]),
                    text(cases.employee_name[k]),
                    text(item.clause), text(item.component), text(item.label),
                    text(item.basis),
                    formula(F.shown(f"{prefix}${letters[item.component]}{row}"), "money"),
                    formula(F.shown(f"{prefix}${letters[LINE_ITEM_DATES[item.component]]}{row}"), "date"),
                ]

        widths = {get_column_letter(i + 1): _width(c, "money" if c == "amount" else
                                                     "date" if c == "due_date" else "text")
                  for i, c in enumerate(LINE_ITEM_COLUMNS)}
        plans.append(SheetPlan(title=title, rows=rows(), row_count=count + pages.first_row - 1,
                               widths=widths, freeze=f"C{pages.first_row}",
                               autofilter=f"A{pages.first_row - 1}:H{pages.first_row + max(count, 1) - 1}",
                               print_title_rows=f"{pages.first_row - 1}:{pages.first_row - 1}",
                               wide=True, header_row=pages.first_row - 1))
    return plans


def _schedule_templates(refs: dict[str, str]) -> dict[str, str]:
    own = f"$E{_OWN}"
    return {
        "installment_date": F.installment_date(_J, refs),
        "payment_date": F.business_day_before(own, refs),
        "installment_amount": F.installment_payment(_J, refs),
        "lump_sum_due_date": F.shown(refs["lump_sum_due_date"]),
        "prorated_bonus": F.shown(refs["prorated_bonus"]),
        "unpaid_bonus": F.shown(refs["unpaid_bonus"]),
    }


def _schedule_sheets(cases, pay, columns: SummaryColumns, summary: Pages, pages: Pages,
                     block: AgreementBlock) -> list[SheetPlan]:
    head = header(SCHEDULE_COLUMNS)
    templates = _schedule_templates(_summary_refs(columns, block, _SHEET + "!"))
    per_sheet: dict[str, dict[str, str]] = {}
    case, component, clause = pay["case"], pay["component"], pay["clause"]
    installment = pay["installment"]
    plans = []
    for page, title in enumerate(pages.titles):
        ps = pages.rows_on(page)

        def rows(ps=ps):
            yield from _header_block("Payment schedule", "Every payment: nominal_date is the regular "
                                     "payday or the due date; payment_date is the business day on or "
                                     "before it (weekends and the agreement's holidays).", None, False)
            yield head
            for offset, p in enumerate(ps):
                k = int(case[p])
                sheet, srow = summary.locate(k)
                t = per_sheet.get(sheet)
                if t is None:
                    t = per_sheet[sheet] = {n: v.replace(_SHEET, quote(sheet)) for n, v in templates.items()}
                own = str(pages.first_row + offset)
                r = str(srow)
                j = int(installment[p])
                name = component[p]
                if j:
                    nominal = t["installment_date"].replace(_ROW, r).replace(_J, str(j))
                    amount = t["installment_amount"].replace(_ROW, r).replace(_J, str(j))
                else:
                    nominal = t["lump_sum_due_date"].replace(_ROW, r)
                    amount = t[name].replace(_ROW, r)
                yield [
                    text(cases.employee_id[k]), text(name), text(clause[p]),
                    ("n", j, "count") if j else None,
                    ("f", nominal, "date"),
                    ("f", t["payment_date"].replace(_ROW, r).replace(_OWN, own), "date"),
                    ("f", amount, "money"),
                ]

        widths = {get_column_letter(i + 1): _width(c, "money" if c == "amount" else
                                                     "date" if "date" in c else "text")
                  for i, c in enumerate(SCHEDULE_COLUMNS)}
        plans.append(SheetPlan(title=title, rows=rows(), row_count=len(ps) + pages.first_row - 1,
                               widths=widths, freeze=f"B{pages.first_row}",
                               autofilter=f"A{pages.first_row - 1}:G{pages.first_row + max(len(ps), 1) - 1}",
                               print_title_rows=f"{pages.first_row - 1}:{pages.first_row - 1}",
                               header_row=pages.first_row - 1))
    return plans


def _exception_sheets(cases, payouts, raw_columns, pages: Pages, rejected_rows, counts_formula):
    names = ("source_row", *raw_columns, "reason_count", "reasons")
    head = header(names)
    plans = []
    for page, title in enumerate(pages.titles):
        ks = [int(rejected_rows[i]) for i in pages.rows_on(page)]

        def rows(ks=ks):
            yield from _header_block("Exceptions", "Every rejected input row, with its cells as "
                                     "read and every reason; fix them in the case table and rerun.",
                                     counts_formula, False)
            yield head
            for k in ks:
                raw = cases.raw.iloc[k]
                out: Row = [("n", int(cases.source_row[k]), "count")]
                for c in raw_columns:
                    value = _raw_text(raw[c])
                    out.append(text(value, "input_text") if value else None)
                reasons = cases.errors[k]
                out.append(("n", len(reasons), "count"))
                out.append(text("\n".join(reasons), "long_text"))
                yield out

        widths = {get_column_letter(i + 1): _width(c, "text") for i, c in enumerate(names)}
        heights = {pages.first_row + i: wrapped_height(["\n".join(cases.errors[k])], WIDTHS["reasons"])
                   for i, k in enumerate(ks)}
        last = get_column_letter(len(names))
        plans.append(SheetPlan(title=title, rows=rows(), row_count=len(ks) + pages.first_row - 1,
                               widths=widths, freeze=f"C{pages.first_row}",
                               autofilter=f"A{pages.first_row - 1}:{last}{pages.first_row + max(len(ks), 1) - 1}",
                               wide=True, header_row=pages.first_row - 1, row_heights=heights))
    return plans


# ---------------------------------------------------------------------------------------------
# One employee's statement: the breakdown and the schedule of one paid case.

STATEMENT_INPUTS = ("employee_id", "employee_name", "agreement", "termination_date",
                    "termination_reason", "base_salary", "prior_year_bonus_declared",
                    "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency",
                    "consented_to_change")
STATEMENT_FIGURES = ("status", "reason", "bonus_proration", "installments", "installment_amount",
                     "last_installment_amount", "first_payday_number", "first_installment_date",
                     "lump_sum_due_date", "continuation_end_date", "benefits_end_date")


def plan_statement(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                   k: int, *, logo: bool = False, pay: dict | None = None) -> ReportPlan:
    """The statement of case k; `pay` is schedule.payments(payouts), computed once per batch."""
    agreement = agreements[cases.agreement[k]]
    block = agreement_block([agreement], *_years_of(cases, payouts, k))
    top = 2 if logo else 1
    input_row = {name: top + 4 + i for i, name in enumerate(STATEMENT_INPUTS)}
    items_header = top + 4 + len(STATEMENT_INPUTS) + 1
    item_row = {c: items_header + 1 + i for i, c in enumerate(COMPONENTS)}
    totals_row = {"cash_total": items_header + 5, "total_value": items_header + 6}
    figures_header = items_header + 8
    figure_row = {name: figures_header + 1 + i for i, name in enumerate(STATEMENT_FIGURES)}

    def refs_with(prefix: str) -> dict[str, str]:
        refs = {name: f"{prefix}$B${row}" for name, row in {**input_row, **figure_row}.items()}
        refs.update({c: f"{prefix}$E${row}" for c, row in {**item_row, **totals_row}.items()})
        refs.update(block.refs(refs["agreement"]))
        refs["eligible"] = f'({refs["status"]}="paid")'
        return refs

    refs = refs_with("")
    values = {
        "employee_id": text(cases.employee_id[k], "input_text"),
        "employee_name": text(cases.employee_name[k], "input_text"),
        "agreement": text(cases.agreement[k], "input_text"),
        "termination_date": ("d", _date(cases.termination_date[k]), "input_date"),
        "termination_reason": text(cases.termination_reason[k], "input_text"),
        "base_salary": ("n", cents_to_decimal(cases.base_salary[k]), "input_money"),
        "prior_year_bonus_declared": (("n", cents_to_decimal(cases.prior_year_bonus_declared[k]),
                                       "input_money") if cases.bonus_declared[k] else None),
        "prior_year_bonus_paid": ("n", cents_to_decimal(cases.prior_year_bonus_paid[k]), "input_money"),
        "monthly_benefits_cost": ("n", cents_to_decimal(cases.monthly_benefits_cost[k]), "input_money"),
        "pay_frequency": text(cases.pay_frequency[k], "input_text"),
        "consented_to_change": ("b", bool(cases.consented_to_change[k]), "input_text"),
    }
    items = line_items(cases, payouts, k, agreement)
    rows: list[Row] = [[]] if logo else []
    rows += [
        [text("Severance statement", "title")],
        [text(f"{agreement.title or agreement.id}. Blue cells are inputs; every amount and date is "
              "a formula over them and the Agreement sheet.", "note")],
        [],
        header(("input", "value")),
    ]
    rows += [[text(header_label(name)), values[name]] for name in STATEMENT_INPUTS]
    rows.append([])
    rows.append(header(("component", "clause", "label", "basis", "amount", "due_date")))
    for item in items:
        rows.append([text(item.component), text(item.clause), text(item.label),
                     text(item.basis, "long_text"),
                     formula(F.CALC_CELLS[item.component](refs), "money"),
                     formula(F.shown(refs[LINE_ITEM_DATES[item.component]]), "date")])
    rows.append([text("cash_total"), text("(i)+(ii)+(iii)"), text("Cash total"), None,
                 formula(F.CALC_CELLS["cash_total"](refs), "total")])
    rows.append([text("total_value"), text("(i)-(iv)"), text("Total value, benefits included"), None,
                 formula(F.CALC_CELLS["total_value"](refs), "total")])
    rows.append([])
    rows.append(header(("figure", "value")))
    for name in STATEMENT_FIGURES:
        rows.append([text(header_label(name)), formula(F.CALC_CELLS[name](refs), RESULT_ROLES[name])])
    statement = SheetPlan(title="Statement", rows=rows, row_count=len(rows),
                          widths={"A": 26, "B": 24, "C": 30, "D": 70, "E": 14, "F": 12}, logo=logo)

    pay = payments(payouts) if pay is None else pay
    lo, hi = np.searchsorted(pay["case"], [k, k + 1])  # payments are ordered by case
    mine = range(int(lo), int(hi))
    templates = _schedule_templates({n: v.replace(_ROW, "") for n, v in
                                     refs_with(quote("Statement") + "!").items()})
    sched: list[Row] = [
        [text("Payment schedule", "title")],
        [text(f"{cases.employee_id[k]}: every payment; payment_date is the business day on or "
              "before the nominal date.", "note")],
        [],
        header(SCHEDULE_COLUMNS),
    ]
    for offset, p in enumerate(mine):
        own = str(5 + offset)
        j = int(pay["installment"][p])
        name = pay["component"][p]
        nominal = templates["installment_date" if j else "lump_sum_due_date"].replace(_J, str(j))
        amount = templates["installment_amount" if j else name].replace(_J, str(j))
        sched.append([text(cases.employee_id[k]), text(name), text(pay["clause"][p]),
                      ("n", j, "count") if j else None, ("f", nominal, "date"),
                      ("f", templates["payment_date"].replace(_OWN, own), "date"),
                      ("f", amount, "money")])
    schedule = SheetPlan(title="Payment schedule", rows=sched, row_count=len(sched),
                         widths={"A": 12, "B": 22, "C": 8, "D": 8, "E": 11, "F": 11, "G": 14},
                         freeze="A5")
    return ReportPlan([statement, schedule, block.plan], list(block.names))


def _years_of(cases: CaseTable, payouts: Payouts, k: int) -> tuple[int, int]:
    one = np.array([cases.termination_date[k], payouts.continuation_end_date[k],
                    payouts.benefits_end_date[k], payouts.lump_sum_due_date[k]], dtype="datetime64[D]")
    one = one[~np.isnat(one)]
    years = one.astype("datetime64[Y]").astype(np.int64) + 1970
    return int(years.min()) - 1, int(years.max()) + 1
