"""Payout reports: `severance report`, one auditable workbook from a case table (an adapter).

Sheets: Summary (one row per case, live formulas, totals, chart), Line items, Payment schedule,
Exceptions, Agreement; optionally one statement workbook per paid employee. The engine decides
every figure; addin.formulas writes every formula; addin.report_layout places the cells; this
module streams them into openpyxl write-only workbooks, atomically and byte-for-byte repeatably.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
import zipfile
from copy import copy
from pathlib import Path
from typing import Iterable, Mapping
from xml.sax.saxutils import quoteattr

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName

from ..cases import load_cases
from ..results.output import OutputError, atomic_path
from ..rules.case import CaseTable
from ..rules.engine import Payouts, compute
from .plan import (MAX_SHEET_ROWS, ReportCounts, ReportPlan, SheetPlan, plan_report,
                            plan_statement)
from ..excel.styles import (ReportStyles, default_styles, logo_image, read_template,
                           require_defusedxml, write_template)
from ..rules.payments import payments
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement, load_agreements
from ..excel.xlsx import ILLEGAL_XML_CHARACTERS, FIXED_TIME, make_repeatable, new_write_only_book, text_cell

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # as workbook.make_repeatable writes
__all__ = ["build_report", "write_statements", "build_report_template", "add_subcommand",
           "MAX_SHEET_ROWS"]


def build_report(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                 out: str | Path, *, source: str = "", styles: ReportStyles | None = None,
                 refuse: tuple = (), max_rows: int = MAX_SHEET_ROWS, progress: bool = False,
                 default_agreement: str = DEFAULT_AGREEMENT_ID) -> ReportCounts:
    """Write the payout workbook to OUT (atomically: a temporary file renamed into place)."""
    styles = styles or default_styles()
    _check_out(out)
    plan, counts = plan_report(cases, payouts, agreements, source=source,
                               default_agreement=default_agreement, max_rows=max_rows,
                               logo=styles.logo is not None)
    with atomic_path(out, refuse) as tmp:
        write_plan(plan, tmp, styles, progress=progress)
    return counts


def write_statements(cases: CaseTable, payouts: Payouts, agreements: Mapping[str, Agreement],
                     folder: str | Path, *, styles: ReportStyles | None = None,
                     refuse: tuple = (), progress: bool = False) -> list[Path]:
    """One statement workbook per paid employee (breakdown and schedule), named from the id."""
    styles = styles or default_styles()
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    paid = [int(k) for k in payouts.eligible.nonzero()[0]]
    names = statement_file_names([str(cases.employee_id[k]) for k in paid])
    pay = payments(payouts)
    written = []
    bar = _progress(len(paid), progress, "statements")
    for k, name in zip(paid, names):
        plan = plan_statement(cases, payouts, agreements, k, logo=styles.logo is not None, pay=pay)
        path = folder / name
        with atomic_path(path, refuse) as tmp:
            write_plan(plan, tmp, styles)
        written.append(path)
        bar.update(1)
    bar.close()
    return written


def build_report_template(path: str | Path) -> Path:
    """Write the report style template (workbooks/report_template.xlsx): the sample cell of
    each style role, which finance restyles in Excel; `--template` applies them."""
    path = Path(path)
    with atomic_path(path) as tmp:
        write_template(tmp)
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
        role_styles = style_ids = None
        for number, sheet in enumerate(plan.sheets):
            ws = book.create_sheet(title=sheet.title)
            if role_styles is None:
                role_styles = _style_arrays(ws, styles)
                style_ids = {role: book._cell_styles.add(a) for role, a in role_styles.items()}
            _set_up(ws, sheet, styles)
            rows_path = Path(scratch) / f"rows{number}.xml"
            with open(rows_path, "w", encoding="utf-8", errors="replace", newline="") as rows_file:
                direct = fast and _stream_rows_directly(ws, style_ids, rows_file)
                if direct:
                    splices[ws._writer.out] = str(rows_path)
                done = 0
                for row in sheet.rows:
                    ws.append(row if direct else _cells(ws, row, role_styles))
                    done += 1
                    if done == 5000:
                        bar.update(done)
                        done = 0
                bar.update(done)
            _finish(ws, sheet, styles)
        bar.close()
        for name, ref in plan.names:
            book.defined_names[name] = DefinedName(name, attr_text=ref)
        if splices:
            _save_repeatable(book, path, splices)
        else:
            book.save(path)
            make_repeatable(path)


def _stream_rows_directly(ws, style_ids: dict[str, int], rows_file) -> bool:
    """Let `ws.append(specs)` write the row's XML text to rows_file instead of making cells.

    Hooks the two per-row steps of openpyxl's write-only sheet (values into cells, cells into
    XML) on this one sheet, leaving its sheetData empty for _save_repeatable to fill; all else
    (the sheet's head and tail, styles, charts, the package) stays openpyxl's. Returns False,
    leaving the sheet on the ordinary path, if this openpyxl lacks those steps."""
    try:
        ws._get_writer()
        writer = ws._writer
        if not callable(getattr(writer, "write_row", None)) or not callable(ws._values_to_row) \
                or not isinstance(writer.out, str):
            return False
    except AttributeError:
        return False
    dims = ws.row_dimensions
    letters = _LETTERS
    write = rows_file.write
    # Per cell, the hot loop of a report (millions of cells): the style attribute is made once
    # per role, a row without dimensions gets its tag directly, and the two character clean-ups
    # and the escaping are inlined (the same text as clean_text, _XML_UNSAFE and _escape give).
    style_attr = {role: f'" s="{number}"' for role, number in style_ids.items()}
    unsafe = _TEXT_UNSAFE.sub

    def write_row(xf, row, row_idx):
        r = str(row_idx)
        if row_idx in dims:
            attrs = {"r": r}
            attrs.update(dims.get(row_idx, {}))
            xml = ["<row " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs.items()) + ">"]
        else:
            xml = ['<row r="' + r + '">']
        for col, spec in enumerate(row):
            if spec is None:
                continue
            kind, value, role = spec
            head = '<c r="' + letters[col] + r + style_attr[role]
            if kind == "s":
                # Text is always an inline string: never a formula, whatever it starts with.
                value = unsafe("\ufffd", value)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
                    .replace("\r", "&#13;")
                xml.append(f'{head} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind == "f":
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
                    .replace("\r", "&#13;")
                xml.append(f"{head}><f>{value}</f></c>")
            elif kind == "n":
                xml.append(f'{head} t="n"><v>{value}</v></c>')
            elif kind == "d":
                xml.append(f'{head} t="n"><v>{to_excel(value)}</v></c>')
            elif kind == "b":
                xml.append(f'{head} t="b"><v>{int(value)}</v></c>')
            else:
                raise ValueError(f"unknown cell kind {kind!r}")
        xml.append("</row>")
        write("".join(xml))

    ws._values_to_row = lambda values, row_idx: values
    writer.write_row = write_row
    return True


_LETTERS = [get_column_letter(i) for i in range(1, 16385)]  # column index 0 -> "A"
# Code points XML 1.0 cannot carry beyond the control characters workbook.clean_text replaces.
_XML_UNSAFE = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Both at once, for the rows written directly: clean_text's characters and these.
_TEXT_UNSAFE = re.compile(f"{ILLEGAL_XML_CHARACTERS.pattern}|{_XML_UNSAFE.pattern}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class _RepeatableZip(zipfile.ZipFile):
    """The zip openpyxl saves into: every part gets the fixed zip time and permissions that
    workbook.make_repeatable gives, and each streamed sheet gets its rows spliced in."""

    def __init__(self, path, splices: dict[str, str]):
        super().__init__(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self._splices = splices
        self.spliced: set[str] = set()

    @staticmethod
    def _entry(name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        return entry

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        super().writestr(self._entry(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        rows = self._splices.get(str(filename))
        size = os.path.getsize(filename) + (os.path.getsize(rows) if rows else 0)
        big = size * 1.05 > zipfile.ZIP64_LIMIT
        with open(filename, "rb") as part, \
                self.open(self._entry(arcname or str(filename)), "w", force_zip64=big) as out:
            if rows is None:
                shutil.copyfileobj(part, out, 1 << 20)
                return
            head, found, tail = part.read().partition(b"<sheetData></sheetData>")
            if not found:
                raise OutputError(f"internal error: no place for the rows of {arcname}")
            self.spliced.add(str(filename))
            out.write(head + b"<sheetData>")
            with open(rows, "rb") as rows_file:
                shutil.copyfileobj(rows_file, out, 1 << 20)
            out.write(b"</sheetData>" + tail)


def _save_repeatable(book, path, splices: dict[str, str]) -> None:
    from openpyxl.writer.excel import ExcelWriter
    book.properties.created = book.properties.modified = FIXED_TIME
    archive = _RepeatableZip(path, splices)
    try:
        ExcelWriter(book, archive).save()  # closes the archive
    finally:
        if archive.fp is not None:
            archive.close()
    if archive.spliced != set(splices):  # a different openpyxl: never ship a sheet without rows
        raise OutputError("internal error: openpyxl did not write every sheet through the "
                          "report's zip; rerun with an openpyxl 3.1")


def _progress(total: int, wanted: bool, unit: str):
    from tqdm import tqdm
    return tqdm(total=total, unit=f" {unit}", file=sys.stderr, mininterval=0.5, leave=False,
                disable=not (wanted and sys.stderr.isatty()), desc="severance report")


def _style_arrays(ws, styles: ReportStyles) -> dict:
    """Each role's style, registered once; cells then share the style array (no per-cell work)."""
    out = {}
    for role, style in styles.roles.items():
        proto = WriteOnlyCell(ws)
        proto.font, proto.fill, proto.border = style.font, style.fill, style.border
        proto.alignment, proto.number_format = style.alignment, style.number_format
        out[role] = proto._style
    return out


def _cells(ws, row, role_styles) -> list:
    out = []
    for spec in row:
        if spec is None:
            out.append(None)
            continue
        kind, value, role = spec
        if kind == "s":
            cell = text_cell(ws, value)  # user text: never a formula, whatever it starts with
        else:
            cell = WriteOnlyCell(ws)
            if kind == "f":
                cell._value = "=" + value
            else:
                cell._value = value
            cell.data_type = kind
        cell._style = role_styles[role]
        out.append(cell)
    return out


def _set_up(ws, sheet: SheetPlan, styles: ReportStyles) -> None:
    """What must be set before a write-only sheet's first row: widths, panes, page setup."""
    for column, width in sheet.widths.items():
        ws.column_dimensions[column].width = width
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    if sheet.wide:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 8  # A3
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.header_row:
        ws.row_dimensions[sheet.header_row].height = 30
    for row, height in sheet.row_heights.items():
        ws.row_dimensions[row].height = height
    if sheet.logo and styles.logo is not None:
        ws.row_dimensions[1].height = styles.logo.height * 0.75
        ws.add_image(logo_image(styles.logo), "A1")


def _marking_fill(fill: PatternFill) -> PatternFill:
    """A cell fill as a conditional format's fill: spreadsheet programs read a solid
    conditional fill from different colours (Excel the background, others the foreground), so
    both carry it."""
    if fill.fill_type != "solid":
        return fill
    return PatternFill("solid", fgColor=copy(fill.fgColor), bgColor=copy(fill.fgColor))


def _finish(ws, sheet: SheetPlan, styles: ReportStyles) -> None:
    if sheet.autofilter:
        ws.auto_filter.ref = sheet.autofilter
    if sheet.print_title_rows:
        ws.print_title_rows = sheet.print_title_rows
    for ref, rule, role in sheet.row_marks:
        style = styles.roles[role]
        ws.conditional_formatting.add(ref, FormulaRule(formula=[rule], font=style.font,
                                                       fill=_marking_fill(style.fill),
                                                       stopIfTrue=False))
    if sheet.chart is not None:
        c = sheet.chart
        chart = BarChart()
        chart.type = "col"
        chart.title = c.title
        chart.legend = None
        chart.y_axis.title = c.y_title
        chart.y_axis.numFmt = "#,##0"
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

def _run(args) -> int:
    agreements = load_agreements(args.terms)
    _check_out(args.out)
    refuse = (args.cases,) + ((args.template,) if args.template else ())
    if Path(args.cases).suffix.lower() in (".xlsx", ".xlsm") or args.template:
        require_defusedxml()
    styles = read_template(args.template) if args.template else default_styles()
    cases = load_cases(args.cases, agreements)
    payouts = compute(cases, agreements)
    counts = build_report(cases, payouts, agreements, args.out, source=Path(args.cases).name,
                          styles=styles, refuse=refuse, progress=True)
    message = (f"{counts.input_rows} input rows: {counts.paid} paid, {counts.no_severance} no "
               f"severance, {counts.rejected} rejected; {counts.payments} payments -> {args.out}")
    if args.per_employee:
        written = write_statements(cases, payouts, agreements, args.per_employee, styles=styles,
                                   refuse=refuse, progress=True)
        message += f"; {len(written)} statements -> {args.per_employee}"
    print(message, file=sys.stderr)
    return 0


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
    p.set_defaults(run=_run)
