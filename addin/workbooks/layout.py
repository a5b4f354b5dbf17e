"""Sheet plans of the shipped workbooks, and the one writer that turns a plan into openpyxl cells.

A builder plans a sheet as typed cells (addin.excel.cells) placed at rows it counts itself, each
with its look and, where a formula or a person needs it, a workbook-scoped defined name. Every
address a formula, a name or a check reads is computed from where the plan put the cell; the
writer below is the only code of these workbooks that touches openpyxl cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Mapping, NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table as ExcelTable, TableColumn, TableStyleInfo

from ..excel.cells import (COUNT_FORMAT, DATE_FORMAT, FRACTION_FORMAT, PLAIN_MONEY_FORMAT, Cell, Kind,
                           Role)
from ..excel.xlsx import clean_text, make_repeatable
from ..results.output import atomic_path

# One font family that every office suite has (Arial; Liberation Sans elsewhere).
FONT = "Arial"
NAVY, INK, GREY, RULE, WHITE = "1F3864", "262626", "7F7F7F", "BFBFBF", "FFFFFF"
INPUT_FILL, HEAD_FILL, TOTAL_FILL = "FFF2CC", "D9E1F2", "EDF1F9"
INPUT_EDGE = "BF9000"
CREATOR = "severance add-in"

# The number format of a cell by its role; a look may name another (a label format, say).
ROLE_FORMATS = {Role.MONEY: PLAIN_MONEY_FORMAT, Role.INPUT_MONEY: PLAIN_MONEY_FORMAT,
                Role.DATE: DATE_FORMAT, Role.INPUT_DATE: DATE_FORMAT, Role.FRACTION: FRACTION_FORMAT,
                Role.COUNT: COUNT_FORMAT, Role.TOTAL: PLAIN_MONEY_FORMAT}


class Typeface(NamedTuple):
    size: float = 10
    bold: bool = False
    italic: bool = False
    color: str = INK
    name: str = FONT


class Edge(Enum):
    """The borders of a cell."""
    NONE = "none"
    INPUT = "input"              # a box around a cell to fill in
    RULE = "rule"                # a thin grey line below: rows of a list
    TOTAL = "total"              # navy lines above and below
    GRAND_TOTAL = "grand_total"  # navy line above, double line below


class Align(str, Enum):
    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"
    TOP = "top"


@dataclass(frozen=True)
class Look:
    """How a planned cell looks. `face` None keeps the spreadsheet's default font."""
    face: Typeface | None = Typeface()
    fill: str | None = None
    edge: Edge = Edge.NONE
    horizontal: Align | None = None
    vertical: Align | None = None
    wrap: bool | None = None
    indent: int = 0
    number_format: str | None = None
    unlocked: bool = False


PLAIN = Look()
BARE = Look(face=None)   # a cell only a fill or a border marks


class Slot(NamedTuple):
    """A planned cell in its place: what it holds, how it looks, the name the workbook gives it,
    how many columns it spans, the range its array formula fills, and a note on it."""
    cell: Cell
    look: Look = PLAIN
    name: str | None = None
    span: int = 1
    array: tuple[int, int] | None = None   # (rows, columns) an array formula fills
    comment: str | None = None


class Validation(NamedTuple):
    """A data validation: the dropdown or range check of an input, with its messages."""
    type: str
    formula1: str
    error: str
    title: str
    prompt: str
    operator: str | None = None
    formula2: str | None = None
    error_style: str | None = None


class Highlight(NamedTuple):
    """A conditional format: where the formula is true, the cells take this fill or font."""
    ref: str
    formula: str
    fill: str | None = None
    color: str | None = None
    bold: bool = False
    rule_below: bool = False


class Table(NamedTuple):
    """An Excel table (a ListObject) over a range, its header row naming its columns."""
    name: str
    ref: str
    columns: tuple[str, ...]
    style: str = "TableStyleMedium2"


class Page(NamedTuple):
    """How a sheet prints."""
    landscape: bool = False
    letter: bool = False
    centered: bool = False
    margins: tuple[float, float] | None = None   # (left and right, top and bottom), inches
    footer: str | None = None


def text(value: object, role: Role = Role.TEXT) -> Cell:
    return Cell(Kind.TEXT, "" if value is None else str(value), role)


def formula(value: str, role: Role = Role.TEXT) -> Cell:
    return Cell(Kind.FORMULA, value, role)


def typed(value: object, role: Role = Role.TEXT) -> Cell:
    """A value as the cell a person would type it into: text, number, true/false, date or blank."""
    if value is None or isinstance(value, str):
        return text(value, role)
    if isinstance(value, bool):
        return Cell(Kind.BOOL, value, role)
    if hasattr(value, "year"):
        return Cell(Kind.DATE, value, role)
    return Cell(Kind.NUMBER, value, role)


BLANK = text("")


def column(letter: str) -> int:
    return column_index_from_string(letter)


def letter(index: int) -> str:
    return get_column_letter(index)


def address(row: int, col: int, absolute: bool = False) -> str:
    return f"${letter(col)}${row}" if absolute else f"{letter(col)}{row}"


def span(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"{address(first_row, first_col)}:{address(last_row, last_col)}"


@dataclass
class SheetPlan:
    """One sheet as data: slots by (row, column), and what the sheet says about them."""
    title: str
    widths: Mapping[str, float]
    slots: dict[tuple[int, int], Slot] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    ranges: dict[str, str] = field(default_factory=dict)     # defined name -> range on this sheet
    validations: list[tuple[Validation, str]] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    column_looks: dict[str, Look] = field(default_factory=dict)   # a whole column's font and format
    tables: list[Table] = field(default_factory=list)
    grid_lines: bool = True
    zoom: int | None = None
    protected: bool = False
    print_area: str | None = None
    page: Page | None = None
    freeze: str | None = None
    active_cell: str | None = None

    def put(self, row: int, col: int, slot: Slot) -> str:
        """Place a slot; returns its address."""
        self.slots[(row, col)] = slot
        return address(row, col)

    def band(self, row: int, first: int, last: int, title: str) -> None:
        """A section heading: a navy band across the columns first..last."""
        for col in range(first + 1, last + 1):
            self.put(row, col, Slot(BLANK, BAND_FILLER))
        self.put(row, first, Slot(text(title), BAND))
        self.heights[row] = 18

    def rule_below(self, row: int, first: int, last: int) -> None:
        """A thin line under the row's cells first..last (cells not placed get the line alone)."""
        for col in range(first, last + 1):
            slot = self.slots.get((row, col), Slot(BLANK, BARE))
            self.slots[(row, col)] = slot._replace(look=restyle(slot.look, edge=Edge.RULE))

    def array(self, row: int, col: int, rows: int, cols: int, formula_text: str,
              looks: Mapping[int, Look], quiet: bool = True) -> str:
        """An array formula over a fixed range, each column with its look (by offset); returns
        the range. `quiet`: cells past the function's last row (#N/A) are written in white."""
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                self.put(r, c, Slot(BLANK, looks[c - col]))
        top = self.slots[(row, col)]
        self.put(row, col, top._replace(cell=formula(formula_text), array=(rows, cols)))
        ref = span(row, col, row + rows - 1, col + cols - 1)
        if quiet:
            self.highlights.append(Highlight(ref, f"ISNA({address(row, col)})", color=WHITE))
        return ref


def restyle(look: Look, **changes) -> Look:
    return replace(look, **changes)


BAND = Look(face=Typeface(11, bold=True, color=WHITE), fill=NAVY, vertical=Align.CENTER)
BAND_FILLER = Look(face=None, fill=NAVY)


# ---------------------------------------------------------------------------------------------
# The writer

_THIN = Side(style="thin", color=RULE)
_NAVY_LINE = Side(style="thin", color=NAVY)
_INPUT_SIDE = Side(style="thin", color=INPUT_EDGE)
BORDERS = {
    Edge.INPUT: Border(left=_INPUT_SIDE, right=_INPUT_SIDE, top=_INPUT_SIDE, bottom=_INPUT_SIDE),
    Edge.RULE: Border(bottom=_THIN),
    Edge.TOTAL: Border(top=_NAVY_LINE, bottom=_NAVY_LINE),
    Edge.GRAND_TOTAL: Border(top=_NAVY_LINE, bottom=Side(style="double", color=NAVY)),
}


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


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
            formula=[h.formula], fill=PatternFill("solid", fgColor=h.fill, bgColor=h.fill) if h.fill else None,
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
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if page.centered:
            ws.print_options.horizontalCentered = True
        if page.margins:
            ws.page_margins.left = ws.page_margins.right = page.margins[0]
            ws.page_margins.top = ws.page_margins.bottom = page.margins[1]
        if page.footer:
            ws.oddFooter.center.text = page.footer
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


def save(book: Workbook, path: str | Path, active: int = 0) -> None:
    """Save repeatably (fixed timestamps), through a temporary file."""
    book.active = active
    book.properties.creator = CREATOR
    book.properties.lastModifiedBy = CREATOR
    with atomic_path(path) as tmp:
        book.save(tmp)
        make_repeatable(tmp)


def wrapped_lines(value: str, chars_per_line: int) -> int:
    """Lines a text takes when wrapped at word boundaries."""
    lines, width = 1, 0
    for word in value.split():
        if width and width + 1 + len(word) > chars_per_line:
            lines, width = lines + 1, len(word)
        else:
            width += (1 if width else 0) + len(word)
    return lines
