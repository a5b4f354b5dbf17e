"""Sheet plans of the shipped workbooks: typed cells (addin.excel.cells) in their places, each
with its look and, where a formula or a person needs it, a workbook-scoped defined name.

A builder counts its own rows and places cells at them; every address a formula, a name or a
check reads is computed from where the plan put the cell, never typed in. The writer
(addin.workbooks.writer) is the only code of these workbooks that touches openpyxl cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Mapping, NamedTuple, Sequence

from openpyxl.utils import column_index_from_string, get_column_letter

from ..excel.cells import (COUNT_FORMAT, DATE_FORMAT, FRACTION_FORMAT, PLAIN_MONEY_FORMAT, Cell, Kind,
                           Role)

# One font family that every office suite has (Arial; Liberation Sans elsewhere).
FONT = "Arial"
NAVY, INK, GREY, RULE, WHITE = "1F3864", "262626", "7F7F7F", "BFBFBF", "FFFFFF"
INPUT_FILL, HEAD_FILL, TOTAL_FILL = "FFF2CC", "D9E1F2", "EDF1F9"
INPUT_EDGE = "BF9000"

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
    """How a sheet prints: one page wide (`one_page`: one page in all), `titles` the rows
    repeated at the top of every page ("5:6"), the footer in the codes of Excel's page set-up
    (&P page, &N pages, &F the file's name)."""
    landscape: bool = False
    letter: bool = False
    centered: bool = False
    margins: tuple[float, float] | None = None   # (left and right, top and bottom), inches
    footer: str | None = None
    one_page: bool = False
    titles: str | None = None
    fit_width: bool = True   # False: printed at full size, as many pages wide as it takes
    breaks: tuple[int, ...] = ()   # rows that start a new page (a block kept on its own pages)


# The footer of every printed page of the shipped workbooks: page N of M, the file, the sheet.
# Set in 10 pt: it scales with its page, which prints at 80% or more.
FOOTER = "&10Page &P of &N  |  &F  |  &A"


class ExcelError(NamedTuple):
    """An error value a formula cell is cached with (#N/A past the rows a function returns)."""
    code: str = "#N/A"


class LineChart(NamedTuple):
    """A line chart over ranges of its sheet: categories (x) and one series of values (y), the
    series named by the cell `title_ref`; placed with its top left corner at `anchor`."""
    title: str
    categories: str
    values: str
    title_ref: str
    anchor: str
    y_title: str
    x_title: str
    y_format: str
    width_cm: float = 16
    height_cm: float = 7.5
    cached_categories: tuple[object, ...] = ()   # the points, as the cells are cached
    cached_values: tuple[float, ...] = ()


TOP = 1   # a sheet's first row


def text(value: object, role: Role = Role.TEXT) -> Cell:
    return Cell(Kind.TEXT, "" if value is None else str(value), role)


def formula(value: str, role: Role = Role.TEXT, cached: object = None) -> Cell:
    """A formula cell; `cached` is the value it is written with (what the engine computes for
    it: a number, a date, text, true/false, "" for an empty text, or an ExcelError)."""
    return Cell(Kind.FORMULA, value, role, cached)


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
    charts: list[LineChart] = field(default_factory=list)
    hidden: bool = False
    array_cached: dict[tuple[int, int], object] = field(default_factory=dict)  # cells an array fills

    def put(self, row: int, col: int, slot: Slot) -> str:
        """Place a slot; returns its address."""
        self.slots[(row, col)] = slot
        return address(row, col)

    def stack(self, row: int, col: int, slots: Sequence[Slot]) -> int:
        """Place slots down a column from `row`; returns the last row."""
        for k, slot in enumerate(slots):
            self.put(row + k, col, slot)
        return row + len(slots) - 1

    def band(self, row: int, first: int, last: int, title: str) -> None:
        """A section heading: a navy band across the columns first..last."""
        for col in range(first + 1, last + 1):
            self.put(row, col, Slot(BLANK, BAND_FILLER))
        self.put(row, first, Slot(text(title), BAND))
        self.heights[row] = 18

    def relook(self, row: int, col: int, look: Look) -> None:
        """Give the placed cell at (row, col) another look."""
        self.slots[(row, col)] = self.slots[(row, col)]._replace(look=look)

    def rule_below(self, row: int, first: int, last: int) -> None:
        """A thin line under the row's cells first..last (cells not placed get the line alone)."""
        for col in range(first, last + 1):
            slot = self.slots.setdefault((row, col), Slot(BLANK, BARE))
            self.relook(row, col, restyle(slot.look, edge=Edge.RULE))

    def array(self, row: int, col: int, rows: int, cols: int, formula_text: str,
              looks: Mapping[int, Look], quiet: bool = True,
              cached: Sequence[Sequence[object]] | None = None) -> str:
        """An array formula over a fixed range, each column with its look (by offset); returns
        the range. `quiet`: cells past the function's last row (#N/A) are written in white.
        `cached`: the rows the function returns, written as the range's values (the cells past
        them #N/A), as a spreadsheet saves an array it has calculated."""
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                self.put(r, c, Slot(BLANK, looks[c - col]))
                if cached is not None:
                    i, j = r - row, c - col
                    value = cached[i][j] if i < len(cached) and j < len(cached[i]) else ExcelError()
                    self.array_cached[(r, c)] = value
        first = self.array_cached.get((row, col)) if cached is not None else None
        self.put(row, col, Slot(formula(formula_text, cached=first), looks[0], array=(rows, cols)))
        ref = span(row, col, row + rows - 1, col + cols - 1)
        if quiet:
            self.highlights.append(Highlight(ref, f"ISNA({address(row, col)})", color=WHITE))
        return ref


def restyle(look: Look, **changes) -> Look:
    return replace(look, **changes)


BAND = Look(face=Typeface(11, bold=True, color=WHITE), fill=NAVY, vertical=Align.CENTER)
BAND_FILLER = Look(face=None, fill=NAVY)
