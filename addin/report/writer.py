"""Payout reports: `severance report`, one auditable workbook from a case table (an adapter).

Sheets: Summary (one row per case, live formulas, totals, chart), Line items, Payment schedule,
Exceptions, Agreement; optionally one statement workbook per paid employee. The engine decides
every figure; addin.excel.formulas writes every formula; the sheet modules of addin.report place
the cells; this module streams them into openpyxl write-only workbooks (through addin.excel.xlsx,
the only module touching openpyxl's internals), atomically and byte-for-byte repeatably.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from copy import copy
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from ..cases import load_cases
from ..excel.cells import DOLLAR_AXIS_FORMAT, Role
from ..excel.styles import (ROLES, ReportStyles, default_styles, read_template, require_defusedxml,
                            write_template)
from ..excel.xlsx import (logo_image, make_repeatable, new_write_only_book, plan_cell,
                          register_styles, save_spliced, stream_rows)
from ..results.output import OutputError, atomic_path
from ..rules.case import CaseTable
from ..rules.engine import REJECTED, Payouts, compute
from ..rules.payments import payments
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement, load_agreements
from .layout import ReportCounts, agreements_used, plan_report
from .options import report_options
from .plan import MAX_SHEET_ROWS, ReportPlan, SheetPlan
from .pdf import register_plan, soffice, to_pdf
from .printing import set_up_page
from .stamp import make_stamp
from .extras import ReportOptions
from .sheet_charts import add_charts
from .statement import plan_statement
from .values import counts_text, summary_values

# The sample case table of the repository (workbooks/), which the template's note counts.
# The shipped sample cases, beside the shipped workbooks: in the source tree, or in the folder
# `severance templates build` runs from (an installed package has no workbooks folder).
SAMPLE_CASES = (Path(__file__).resolve().parents[2] / "workbooks" / "sample_cases.csv",
                Path("workbooks") / "sample_cases.csv")

__all__ = ["build_report", "write_statements", "build_report_template",
           "MAX_SHEET_ROWS"]


def build_report(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                 out: str | Path, *, source: str = "", styles: ReportStyles | None = None,
                 refuse: tuple = (), max_rows: int = MAX_SHEET_ROWS, progress: bool = False,
                 default_agreement: str = DEFAULT_AGREEMENT_ID,
                 options: ReportOptions | None = None, input_path: str | Path | None = None,
                 paper: str = "letter") -> ReportCounts:
    """Write the payout workbook to OUT (atomically: a temporary file renamed into place);
    `options`: the optional payroll and finance sheets (addin.report.extras); `input_path`:
    the case file, whose SHA-256 the run stamp gives; `paper`: letter or a4."""
    styles = styles or default_styles()
    _check_out(out)
    used = agreements_used(cases, agreements, default_agreement)
    stamp = make_stamp(source, input_path, used, counts_text(payouts))
    plan, counts = plan_report(cases, payouts, agreements, source=source,
                               default_agreement=default_agreement, max_rows=max_rows,
                               logo=styles.logo is not None, options=options or ReportOptions(),
                               stamp=stamp, paper=paper)
    with atomic_path(out, refuse) as tmp:
        write_plan(plan, tmp, styles, progress=progress)
    return counts


def write_statements(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                     folder: str | Path, *, styles: ReportStyles | None = None,
                     refuse: tuple = (), progress: bool = False, source: str = "",
                     input_path: str | Path | None = None, paper: str = "letter") -> list[Path]:
    """One statement workbook per employee whose row is valid (paid or no_severance: a
    no_severance statement says why), named from the id;
    each page's footer carries the run stamp (`source`, `input_path`: the case file)."""
    styles = styles or default_styles()
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    paid = [int(k) for k in np.flatnonzero(payouts.status != REJECTED)]  # no_severance too
    names = statement_file_names([str(cases.employee_id[k]) for k in paid])
    pay = payments(payouts)
    values = summary_values(cases, payouts)
    stamp = make_stamp(source, input_path, agreements_used(cases, agreements, DEFAULT_AGREEMENT_ID),
                       counts_text(payouts))
    written = []
    bar = _progress(len(paid), progress, "statements")
    for k, name in zip(paid, names):
        plan = plan_statement(cases, payouts, agreements, k, logo=styles.logo is not None, pay=pay,
                              values=values)
        plan.paper, plan.stamp, plan.properties = paper, stamp.line(), stamp
        plan.name = f"Severance statement, {cases.employee_id[k]}"
        path = folder / name
        with atomic_path(path, refuse) as tmp:
            write_plan(plan, tmp, styles)
        written.append(path)
        bar.update(1)
    bar.close()
    return written


def sample_counts(candidates: tuple[Path, ...] = SAMPLE_CASES) -> str:
    """The counts note of the report on the shipped sample cases, as the report computes it
    (the template's note sample); the role's own text where the sample is not at hand."""
    sample = next((p for p in candidates if p.exists()), None)
    if sample is None:
        return ROLES[Role.NOTE][0]
    agreements = load_agreements()
    cases = load_cases(sample, agreements)
    return counts_text(compute(cases, agreements))


def build_report_template(path: str | Path) -> Path:
    """Write the report style template (workbooks/report_template.xlsx): the sample cell of
    each style role, which finance restyles in Excel; `--template` applies them."""
    path = Path(path)
    with atomic_path(path) as tmp:
        write_template(tmp, {Role.NOTE: sample_counts()})
        make_repeatable(tmp)
    return path


# ---------------------------------------------------------------------------------------------
# File names

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def statement_file_names(employee_ids: Iterable[str]) -> list[str]:
    """A safe, distinct .xlsx file name per employee id: letters, digits, '.', '_' and '-' only,
    never a path, a hidden file or a reserved device name; an id that had to change (or that
    clashes with another when case is ignored) gets a short hash of itself appended."""
    ids = list(employee_ids)
    bases = []
    for employee_id in ids:
        base = _UNSAFE.sub("_", employee_id).strip("._-")[:80] or "employee"
        if base.split(".")[0].upper() in _RESERVED:
            base = "_" + base
        bases.append(base)
    folded: dict[str, int] = {}
    for base in bases:
        folded[base.lower()] = folded.get(base.lower(), 0) + 1
    names, taken = [], set()
    for employee_id, base in zip(ids, bases):
        if base != employee_id or folded[base.lower()] > 1:
            digest = hashlib.sha256(employee_id.encode("utf-8", "surrogatepass")).hexdigest()
            base = f"{base}-{digest[:10]}"
        name, n = base, 1
        while name.lower() in taken:  # an id crafted to look like another's hashed name
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names.append(f"{name}.xlsx")
    return names


def _check_out(out: str | Path) -> None:
    if Path(out).suffix.lower() != ".xlsx":
        raise OutputError(f"{out}: a report is an .xlsx workbook; name the output *.xlsx")


# ---------------------------------------------------------------------------------------------
# Writing a plan with openpyxl (write-only: rows stream to disk, memory stays flat)

def write_plan(plan: ReportPlan, path: str | Path, styles: ReportStyles, progress: bool = False,
               fast: bool = True) -> None:
    """Write a plan as an .xlsx with fixed timestamps (the same plan gives the same bytes).

    fast=True: openpyxl writes the package (styles, sheet settings, charts, names) and each
    sheet's rows stream as XML text into a scratch file that is spliced into the sheet when the
    package is zipped: no per-cell objects, one compression pass. fast=False builds openpyxl
    cells one by one (the reference the tests hold the fast path equal to)."""
    book = new_write_only_book()
    bar = _progress(plan.row_count, progress, "rows")
    # Scratch beside the output (inside atomic_path's private folder), so even a killed run
    # leaves its rows in one place that the next run's clean-up or the user can see.
    with tempfile.TemporaryDirectory(prefix=".severance-report-", dir=Path(path).parent) as scratch:
        splices: dict[str, str] = {}
        style_arrays = style_ids = None
        for number, sheet in enumerate(plan.sheets):
            ws = book.create_sheet(title=sheet.title)
            if style_arrays is None:
                style_arrays, style_ids = register_styles(book, ws, styles.roles)
            _set_up(ws, sheet, styles)
            set_up_page(ws, sheet, plan.paper, plan.name, plan.stamp)
            rows_path = Path(scratch) / f"rows{number}.xml"
            with open(rows_path, "w", encoding="utf-8", errors="replace", newline="") as rows_file:
                if fast:
                    splices[stream_rows(ws, style_ids, rows_file.write)] = str(rows_path)
                done = 0
                for row in sheet.rows:
                    ws.append(row if fast else [None if cell is None else
                                                plan_cell(ws, cell, style_arrays[cell.role])
                                                for cell in row])
                    done += 1
                    if done == 5000:
                        bar.update(done)
                        done = 0
                bar.update(done)
            _finish(ws, sheet, styles)
        bar.close()
        for name, ref in plan.names:
            book.defined_names[name] = DefinedName(name, attr_text=ref)
        stamped = plan.properties
        if stamped is not None:
            book.properties.title = plan.name
            book.properties.description = stamped.text()
            book.properties.identifier = stamped.input_sha256 or None
            book.properties.version = stamped.version
        created = stamped.time if stamped is not None else None
        if fast:
            save_spliced(book, path, splices, created)
        else:
            book.save(path)
            make_repeatable(path)


def _progress(total: int, wanted: bool, unit: str):
    from tqdm import tqdm
    return tqdm(total=total, unit=f" {unit}", file=sys.stderr, mininterval=0.5, leave=False,
                disable=not (wanted and sys.stderr.isatty()), desc="severance report")


def _set_up(ws, sheet: SheetPlan, styles: ReportStyles) -> None:
    """What must be set before a write-only sheet's first row: widths, panes, page setup."""
    for column, width in sheet.widths.items():
        ws.column_dimensions[column].width = width
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    for row in sheet.hidden_rows:
        ws.row_dimensions[row].hidden = True
    for column in sheet.hidden_columns:
        ws.column_dimensions[column].hidden = True
    if sheet.header_row:
        ws.row_dimensions[sheet.header_row].height = sheet.header_height
    for row, height in sheet.row_heights.items():
        ws.row_dimensions[row].height = height
    if sheet.logo and styles.logo is not None:
        ws.row_dimensions[1].height = styles.logo.height * 0.75
        logo = styles.logo
        ws.add_image(logo_image(logo.data, logo.format, logo.width, logo.height), "A1")


def _marking_fill(fill: PatternFill) -> PatternFill:
    """A cell fill as a conditional format's fill: spreadsheet programs read a solid
    conditional fill from different colours (Excel the background, others the foreground), so
    both carry it."""
    if fill.fill_type != "solid":
        return fill
    return PatternFill("solid", fgColor=copy(fill.fgColor), bgColor=copy(fill.fgColor))


def _finish(ws, sheet: SheetPlan, styles: ReportStyles) -> None:
    add_charts(ws, sheet)
    if sheet.autofilter:
        ws.auto_filter.ref = sheet.autofilter
    if sheet.print_title_rows:
        ws.print_title_rows = sheet.print_title_rows
    for mark in sheet.row_marks:
        style = styles.roles[mark.role]
        ws.conditional_formatting.add(mark.ref, FormulaRule(formula=[mark.rule], font=style.font,
                                                       fill=_marking_fill(style.fill),
                                                       stopIfTrue=False))
    if sheet.chart is not None:
        c = sheet.chart
        chart = BarChart()
        chart.type = "col"
        chart.title = c.title
        chart.legend = None
        chart.y_axis.title = c.y_title
        chart.y_axis.numFmt = DOLLAR_AXIS_FORMAT
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.width, chart.height = 18, 8
        chart.add_data(Reference(ws, min_col=c.min_col, max_col=c.max_col, min_row=c.values_row,
                                 max_row=c.values_row), from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=c.min_col, max_col=c.max_col,
                                       min_row=c.categories_row, max_row=c.categories_row))
        ws.add_chart(chart, c.anchor)


# ---------------------------------------------------------------------------------------------
# The command

def run(args) -> int:
    """`severance report` (its flags: addin.report.command)."""
    agreements = load_agreements(args.terms)
    _check_out(args.out)
    if args.pdf:
        soffice()  # before any work: a clear error when LibreOffice is not there
    refuse = (args.cases,) + ((args.template,) if args.template else ())
    if Path(args.cases).suffix.lower() in (".xlsx", ".xlsm") or args.template:
        require_defusedxml()
    styles = read_template(args.template) if args.template else default_styles()
    cases = load_cases(args.cases, agreements, case_map=args.map, sheet=args.sheet, date_order=args.date_order)
    payouts = compute(cases, agreements)
    options = report_options(args, cases)
    counts = build_report(cases, payouts, agreements, args.out, source=Path(args.cases).name,
                          styles=styles, refuse=refuse, progress=True, options=options,
                          input_path=args.cases, paper=args.paper)
    message = (f"{counts.input_rows} input rows: {counts.paid} paid, {counts.no_severance} no "
               f"severance, {counts.rejected} rejected; {counts.payments} payments -> {args.out}")
    if args.per_employee:
        written = write_statements(cases, payouts, agreements, args.per_employee, styles=styles,
                                   refuse=refuse, progress=True, source=Path(args.cases).name,
                                   input_path=args.cases, paper=args.paper)
        message += f"; {len(written)} statements -> {args.per_employee}"
    if args.pdf:
        pdfs = write_pdfs(cases, payouts, agreements, args, styles, refuse)
        message += f"; {len(pdfs)} PDFs (the payout register and each statement) -> {args.pdf}"
    if args.plots:
        from ..finance import write_plots
        pictures = write_plots(Path(args.plots), cases, payouts, agreements, Path(args.cases).name,
                               args.group, args.whatif_case)
        message += f"; {len(pictures)} pictures -> {args.plots}"
    print(message, file=sys.stderr)
    return 1 if counts.rejected else 0  # as severance calc: a payroll script can tell


def write_pdfs(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement], args,
               styles: ReportStyles, refuse: tuple) -> list[Path]:
    """--pdf DIR: the payout register and every statement printed to PDF by LibreOffice."""
    folder = Path(args.pdf)
    with tempfile.TemporaryDirectory(prefix=".severance-pdf-") as scratch:
        used = agreements_used(cases, agreements, DEFAULT_AGREEMENT_ID)
        stamp = make_stamp(Path(args.cases).name, args.cases, used, counts_text(payouts))
        plan, _ = plan_report(cases, payouts, agreements, source=Path(args.cases).name,
                              stamp=stamp, paper=args.paper)
        register = Path(scratch) / "payout_register.xlsx"
        write_plan(register_plan(plan), register, styles)
        statements = write_statements(cases, payouts, agreements, Path(scratch) / "statements",
                                      styles=styles, refuse=refuse, source=Path(args.cases).name,
                                      input_path=args.cases, paper=args.paper)
        return to_pdf([register, *statements], folder)
