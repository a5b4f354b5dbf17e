"""The one writer of the shipped workbooks: sheet plans (addin.workbooks.plan) in, openpyxl
cells, names, validations, conditional formats and print set-up out, saved repeatably."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.chart import LineChart as ExcelLineChart, Reference
from openpyxl.chart.data_source import NumData, NumVal
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils.datetime import to_excel
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table as ExcelTable, TableColumn, TableStyleInfo

from ..excel.xlsx import clean_text, make_repeatable
from ..results.output import atomic_path
from ..excel.cells import Kind
from .cached import write_cached
from .plan import (FONT, INPUT_EDGE, NAVY, ROLE_FORMATS, RULE, Edge, ExcelError, LineChart, SheetPlan, Slot, Table,
                   Typeface, Validation, address, span)

CREATOR = "severance add-in"
FOOTER_MARGIN = 0.2   # inches

_THIN = Side(style="thin", color=RULE)
_NAVY_LINE = Side(style="thin", color=NAVY)
_INPUT_SIDE = Side(style="thin", color=INPUT_EDGE)
BORDERS = {
    Edge.INPUT: Border(left=_INPUT_SIDE, right=_INPUT_SIDE, top=_INPUT_SIDE, bottom=_INPUT_SIDE),
    Edge.RULE: Border(bottom=_THIN),
    Edge.TOTAL: Border(top=_NAVY_LINE, bottom=_NAVY_LINE),
    Edge.GRAND_TOTAL: Border(top=_NAVY_LINE, bottom=Side(style="double", color=NAVY)),
}


def write_book(path: str | Path, plans: Sequence[SheetPlan]) -> None:
    """A workbook of the planned sheets, in order, the first one active; every formula cell
    written with its cached value (addin.workbooks.cached), and recalculated when Excel opens it."""
    book = Workbook()
    book.remove(book.active)
    for plan in plans:
        write_sheet(book, plan)
    book.calculation.fullCalcOnLoad = True
    save(book, path, cached={plan.title: cached_values(plan) for plan in plans})


def cached_values(plan: SheetPlan) -> dict[str, object]:
    """Address -> cached value of every formula cell of the plan that has one."""
    return {address(row, col): slot.cell.cached for (row, col), slot in plan.slots.items()
            if slot.cell.kind is Kind.FORMULA and slot.cell.cached is not None}


def write_sheet(book: Workbook, plan: SheetPlan) -> None:
    """Write one sheet plan as a new sheet of `book`, with its defined names."""
    ws = book.create_sheet(plan.title)
    if not plan.grid_lines:
        ws.sheet_view.showGridLines = False
    if plan.zoom:
        ws.sheet_view.zoomScale = plan.zoom
    for col, width in plan.widths.items():
        ws.column_dimensions[col].width = width
    for col, look in plan.column_looks.items():
        if look.face is not None:
            ws.column_dimensions[col].font = _font(look.face)
        if look.number_format:
            ws.column_dimensions[col].number_format = look.number_format
    for (row, col), slot in sorted(plan.slots.items()):
        if slot.span > 1:
            ws.merge_cells(span(row, col, row, col + slot.span - 1))
    for (row, col), slot in sorted(plan.slots.items()):
        _write_cell(ws, ws.cell(row, col), slot)
        if (row, col) in plan.array_cached and not slot.array:
            _array_value(ws.cell(row, col), plan.array_cached[(row, col)])
        if slot.name:
            define(book, slot.name, plan.title, address(row, col))
    for row, height in plan.heights.items():
        ws.row_dimensions[row].height = height
    for name, ref in plan.ranges.items():
        define(book, name, plan.title, ref)
    for spec, ref in plan.validations:
        dv = validation(spec)
        ws.add_data_validation(dv)
        dv.add(ref)
    for h in plan.highlights:
        ws.conditional_formatting.add(h.ref, FormulaRule(
            formula=[h.formula],
            fill=PatternFill("solid", fgColor=h.fill, bgColor=h.fill) if h.fill else None,
            font=Font(bold=True if h.bold else None, color=h.color) if h.color else None,
            border=Border(bottom=_THIN) if h.rule_below else None))
    _sheet_settings(ws, plan)


def _write_cell(ws, target, slot: Slot) -> None:
    cell, look = slot.cell, slot.look
    if not isinstance(target, MergedCell) and cell.value not in (None, ""):
        if slot.array:
            rows, cols = slot.array
            ref = span(target.row, target.column, target.row + rows - 1, target.column + cols - 1)
            target.value = ArrayFormula(ref, "=" + cell.value)
        elif cell.kind is Kind.FORMULA:
            target.value = "=" + cell.value
        elif cell.kind is Kind.TEXT:
            target.value = clean_text(str(cell.value))
            if target.value.startswith("="):   # text that reads like a formula stays text
                target.data_type, target.quotePrefix = "s", True
        else:
            target.value = cell.value
    if look.face is not None:
        target.font = _font(look.face)
    number_format = look.number_format or ROLE_FORMATS.get(cell.role)
    if number_format:
        target.number_format = number_format
    if look.fill:
        target.fill = PatternFill("solid", fgColor=look.fill)
    if look.horizontal or look.vertical or look.wrap or look.indent:
        target.alignment = Alignment(horizontal=look.horizontal and look.horizontal.value,
                                     vertical=look.vertical and look.vertical.value,
                                     wrap_text=look.wrap, indent=look.indent)
    if look.edge is not Edge.NONE:
        target.border = BORDERS[look.edge]
    if look.unlocked:
        target.protection = Protection(locked=False)
    if slot.comment:
        target.comment = Comment(slot.comment, CREATOR, width=260, height=110)


def _array_value(target, value: object) -> None:
    """A cell an array formula fills, holding the value the formula gave it (as Excel saves it)."""
    if isinstance(value, ExcelError):
        target.value = value.code
        target.data_type = "e"
    elif value != "":
        target.value = value


def _chart(spec: LineChart, ws) -> ExcelLineChart:
    chart = ExcelLineChart()
    chart.title = spec.title
    chart.y_axis.title, chart.x_axis.title = spec.y_title, spec.x_title
    chart.y_axis.number_format = spec.y_format
    chart.x_axis.number_format = "mmm"
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend = None
    chart.width, chart.height = spec.width_cm, spec.height_cm
    values = Reference(ws, range_string=f"{quote_sheetname(ws.title)}!{spec.values}")
    chart.add_data(values, titles_from_data=False)
    chart.series[0].tx = SeriesLabel(v=spec.title)
    chart.series[0].smooth = False
    chart.set_categories(Reference(ws, range_string=f"{quote_sheetname(ws.title)}!{spec.categories}"))
    series = chart.series[0]
    if spec.cached_values:
        series.val.numRef.numCache = _points(spec.cached_values, "General")
    if spec.cached_categories:
        series.cat.numRef.numCache = _points([to_excel(d) for d in spec.cached_categories], "yyyy-mm-dd")
    return chart


def _points(values, number_format: str) -> NumData:
    """A chart series' cached points (what a viewer draws without recalculating)."""
    return NumData(formatCode=number_format, ptCount=len(values),
                   pt=[NumVal(idx=k, v=float(v)) for k, v in enumerate(values)])


def _font(face: Typeface) -> Font:
    return Font(name=face.name, size=face.size, bold=face.bold, italic=face.italic, color=face.color)


def _table(spec: Table) -> ExcelTable:
    return ExcelTable(displayName=spec.name, ref=spec.ref,
                      tableColumns=[TableColumn(id=k, name=c) for k, c in enumerate(spec.columns, 1)],
                      autoFilter=AutoFilter(ref=spec.ref),
                      tableStyleInfo=TableStyleInfo(name=spec.style, showRowStripes=True))


def _sheet_settings(ws, plan: SheetPlan) -> None:
    for spec in plan.tables:
        ws.add_table(_table(spec))
    for spec in plan.charts:
        ws.add_chart(_chart(spec, ws), spec.anchor)
    if plan.hidden:
        ws.sheet_state = "hidden"
    if plan.freeze:
        ws.freeze_panes = plan.freeze
    if plan.protected:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    if plan.print_area:
        ws.print_area = plan.print_area
    page = plan.page
    if page is not None:
        ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
        if page.letter:
            ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
        if page.fit_width or page.one_page:
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 1 if page.one_page else 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        if page.centered:
            ws.print_options.horizontalCentered = True
        if page.margins:
            ws.page_margins.left = ws.page_margins.right = page.margins[0]
            ws.page_margins.top = ws.page_margins.bottom = page.margins[1]
            # The footer stands this far from the paper's edge, inside the bottom margin: at the
            # default (0.5") it would have no room under a 0.5" margin, and LibreOffice then
            # clips it away (its text is in the PDF, but nothing prints).
            ws.page_margins.header = ws.page_margins.footer = FOOTER_MARGIN
        if page.footer:
            ws.oddFooter.center.text = page.footer
        if page.titles:
            ws.print_title_rows = page.titles
        for row in page.breaks:
            ws.row_breaks.append(Break(id=row - 1))   # the break falls after the row above
    if plan.active_cell:
        ws.sheet_view.selection[0].activeCell = plan.active_cell
        ws.sheet_view.selection[0].sqref = plan.active_cell


def define(book: Workbook, name: str, sheet: str, ref: str) -> None:
    """A workbook-scoped defined name over an absolute reference."""
    absolute = ":".join(_absolute(part) for part in ref.split(":"))
    book.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!{absolute}")


def _absolute(ref: str) -> str:
    letters = "".join(ch for ch in ref if ch.isalpha())
    return f"${letters}${ref[len(letters):]}"


def validation(spec: Validation) -> DataValidation:
    dv = DataValidation(type=spec.type, operator=spec.operator, formula1=spec.formula1,
                        formula2=spec.formula2, error=spec.error, errorStyle=spec.error_style)
    dv.allow_blank = True
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.promptTitle = spec.title[:32]
    dv.prompt = spec.prompt[:255]
    dv.errorTitle = spec.title[:32]
    return dv


def save(book: Workbook, path: str | Path, active: int = 0,
         cached: dict[str, dict[str, object]] | None = None) -> None:
    """Save repeatably (fixed timestamps), through a temporary file; `cached`: sheet -> cell ->
    the value each formula cell is written with (every formula of those sheets needs one)."""
    book.active = active
    book.properties.creator = CREATOR
    book.properties.lastModifiedBy = CREATOR
    with atomic_path(path) as tmp:
        book.save(tmp)
        if cached is not None:
            write_cached(tmp, cached)
        normal_font(tmp)
        make_repeatable(tmp)


# The workbook's default font, that of the cells the plans place. Excel sizes columns in widths
# of this font's digits: Arial 10 has Calibri 11's (7 pixels), so Excel shows the same widths,
# and LibreOffice, which has no Calibri, measures with Liberation Sans (Arial's metrics) instead
# of a wider stand-in; the widths the plans give then print as planned.
NORMAL_FONT = f'<font><name val="{FONT}"/><family val="2"/><sz val="10"/></font>'


def normal_font(path: str | Path) -> None:
    """Make the saved workbook's default (Normal style) font NORMAL_FONT: its first font."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    with zipfile.ZipFile(path) as src, open(fd, "wb") as raw, \
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                data = re.sub(r"(<fonts[^>]*>)<font>.*?</font>", lambda m: m.group(1) + NORMAL_FONT,
                              data.decode(), count=1).encode()
            dst.writestr(info, data)
    shutil.move(tmp, path)


