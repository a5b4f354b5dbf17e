"""Payout report plans: which cell holds what, on which sheet, as plain data.

A report is a list of sheet plans; each row is a list of typed cells (addin.excel.cells.Cell:
kind, value, style role) or None for an empty cell. Writers (openpyxl in addin.report.writer,
XlsxWriter in the benchmark) turn cells into a workbook. Every figure comes from the engine and
every formula from addin.excel.formulas; nothing here knows a rule of the agreement. The sheets
are planned one module each (summary, line_items, schedule, exceptions, agreement, statement)
and put together in addin.report.layout.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from ..excel.cells import LINE_HEIGHT, Cell, Kind, Role, wrapped_lines
from ..excel.formulas import CELL_CHARACTERS

MAX_SHEET_ROWS = 1_048_576      # Excel's rows per sheet
MAX_SHEET_TITLE = 31

Row = list  # of Cell or None


# ---------------------------------------------------------------------------------------------
# Cells

def text(value: object, role: Role = Role.TEXT) -> Cell | None:
    """A text cell (None for empty text: an empty cell); never a formula, whatever it reads."""
    value = str(value)[:CELL_CHARACTERS]
    return Cell(Kind.TEXT, value, role) if value else None


def number(value, role: Role) -> Cell:
    return Cell(Kind.NUMBER, value, role)


def date(value: dt.date | None, role: Role) -> Cell | None:
    return None if value is None else Cell(Kind.DATE, value, role)


def flag(value: bool, role: Role = Role.INPUT_TEXT) -> Cell:
    return Cell(Kind.BOOL, bool(value), role)


def formula(value: str, role: Role, cached: object = None) -> Cell:
    """A formula cell (text without the leading "=", from addin.excel.formulas), written with
    `cached`, the value the engine gives it (addin.report.values)."""
    return Cell(Kind.FORMULA, value, role, cached)


def header_label(name: str) -> str:
    """A column's name as its header shows it: `cash_total` reads 'Cash total'."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def header(names: Iterable[str]) -> Row:
    return [text(header_label(n) or "(unnamed column)", Role.HEADER) for n in names]


def header_block(title: str, note: str, counts_formula: str | None, logo: bool,
                 counted: str | None = None) -> list[Row]:
    """The rows above a table: (the logo's row,) the title, the live counts (cached with
    `counted`), a note."""
    rows: list[Row] = [[]] if logo else []
    rows.append([text(title, Role.TITLE)])
    rows.append([formula(counts_formula, Role.NOTE, counted)] if counts_formula else [])
    rows.append([text(note, Role.NOTE)])
    return rows


def chars_per_line(width: float) -> int:
    """Characters of 11-point text a column `width` wide holds on a line, with room for wide
    fonts and bold."""
    return max(1, int(width * 0.85))


def wrapped_height(texts: Iterable[str], width: float) -> float:
    """The height of a row whose cells (one text each) wrap in columns `width` wide."""
    return LINE_HEIGHT * max([wrapped_lines(t, chars_per_line(width)) for t in texts] + [1])


def header_height(names: Sequence[str], widths: Mapping[str, float]) -> float:
    """The height of a header row, its labels wrapping in their columns (`widths` by column
    letter, from A): at least two lines, so the headers line up across sheets."""
    lines = [wrapped_lines(header_label(name), chars_per_line(widths[get_column_letter(i + 1)]))
             for i, name in enumerate(names)]
    return LINE_HEIGHT * max([2, *lines])


def as_date(d) -> dt.date | None:
    """A numpy datetime64 as a date (None for NaT)."""
    return None if np.isnat(d) else d.astype(object)


def raw_text(value: object) -> str:
    """A cell of the case table as read, as text ('' when blank)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if np.isnan(value) else (str(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Sheets and the report

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


class RowMark(NamedTuple):
    """A conditional format: the cells of `ref` take `role`'s font and fill where `rule` holds."""
    ref: str
    rule: str
    role: Role


@dataclass
class SheetPlan:
    title: str
    rows: Iterable[Row]
    row_count: int
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None
    autofilter: str | None = None
    row_marks: list[RowMark] = field(default_factory=list)
    chart: ChartPlan | None = None
    print_title_rows: str | None = None
    wide: bool = False            # (kept for the sheet modules: addin.report.printing decides the orientation from the widths)
    logo: bool = False            # the template's logo at A1 (row 1 is kept for it)
    header_row: int | None = None  # the column headers' row (its labels wrap)
    header_height: float = 2 * LINE_HEIGHT
    row_heights: dict[int, float] = field(default_factory=dict)  # rows of wrapped text
    print_area: str | None = None  # what prints, where not the whole sheet ("A1:H3")
    hidden_rows: tuple[int, ...] = ()  # rows kept for formulas but not shown or printed
    hidden_columns: tuple[str, ...] = ()  # helper columns the formulas read (letters)


class DefinedName(NamedTuple):
    name: str
    reference: str


@dataclass
class ReportPlan:
    sheets: list[SheetPlan]
    names: Sequence[DefinedName]
    paper: str = "letter"          # addin.report.printing.Paper
    name: str = "Severance payouts"  # the report's name, in every page's footer
    stamp: str = ""                # the run stamp, in every page's footer
    properties: object = None      # the run stamp (addin.report.stamp.RunStamp): document properties

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

    def last_row(self, page: int) -> int:
        """The last data row of a page (the first, on a page with no rows)."""
        return self.first_row + max(len(self.rows_on(page)), 1) - 1

    def data_range(self, page: int, column: str) -> str:
        return f"{quote(self.titles[page])}!${column}${self.first_row}:${column}${self.last_row(page)}"
