"""Typed cell specs: what a planned workbook cell holds, as data a writer turns into a cell.

Every workbook the add-in writes (the report, the statements, the shipped workbooks) is planned
as rows of `Cell`s; the writers are the only code that touches openpyxl cells.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Kind(Enum):
    TEXT = "text"          # always a text cell, never a formula, whatever it starts with
    NUMBER = "number"
    DATE = "date"
    BOOL = "bool"
    FORMULA = "formula"    # formula text without the leading "="


class Role(str, Enum):
    """The style a cell takes (see addin.excel.styles for each role's look)."""
    TITLE = "title"
    NOTE = "note"
    HEADER = "header"
    TEXT = "text"
    LONG_TEXT = "long_text"
    INPUT_TEXT = "input_text"
    INPUT_MONEY = "input_money"
    INPUT_DATE = "input_date"
    MONEY = "money"
    DATE = "date"
    FRACTION = "fraction"
    COUNT = "count"
    TOTAL = "total"
    REJECTED = "rejected"
    NO_SEVERANCE = "no_severance"


class Cell(NamedTuple):
    """One planned cell. `cached` is the value a formula cell is written with, so the workbook
    reads right where nothing recalculates (None: no cached value)."""
    kind: Kind
    value: object
    role: Role = Role.TEXT
    cached: object = None


# Excel's number formats, one definition each.
MONEY_FORMAT = '"$"#,##0.00'
PLAIN_MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
FRACTION_FORMAT = "0.000000"
DECIMAL_FORMAT = "0.######"   # a decimal as typed: as many places as it has, up to six
COUNT_FORMAT = "0"
TEXT_FORMAT = "@"
