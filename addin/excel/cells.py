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


# ---------------------------------------------------------------------------------------------
# Formula templates: the same formula down a column differs only in its row numbers (and, on a
# schedule, the installment number), so it is built once from addin.excel.formulas with a hole
# where each such value goes, and filled per cell (one join: a report fills millions).

_HOLE = "\ue000"  # a private-use character, never in the text of a formula the add-in writes


def hole(name: str) -> str:
    """A named hole, standing in a reference or a number that FormulaTemplate.fill supplies."""
    if not name.isidentifier():
        raise ValueError(f"a hole is named like a Python identifier, got {name!r}")
    return f"{_HOLE}{name}{_HOLE}"


class FormulaTemplate:
    """Formula text with named holes: FormulaTemplate(f"$B{hole('row')}*2").fill(row=7) reads
    "$B7*2". Every hole must be filled; `partial` fills some and keeps the others."""

    __slots__ = ("_literals", "_names", "_only")

    def __init__(self, text: str):
        pieces = text.split(_HOLE)
        if len(pieces) % 2 == 0:
            raise ValueError(f"a formula template with an unclosed hole: {text[:60]!r}")
        self._literals = tuple(pieces[0::2])
        self._names = tuple(pieces[1::2])
        distinct = set(self._names)
        self._only = distinct.pop() if len(distinct) == 1 else None

    @property
    def holes(self) -> frozenset[str]:
        return frozenset(self._names)

    def fill(self, **values: object) -> str:
        """The formula text with every hole filled (values are written as str() gives them)."""
        if self._only is not None and len(values) == 1 and self._only in values:
            return str(values[self._only]).join(self._literals)
        missing = self.holes - values.keys()
        if missing:
            raise KeyError(f"formula template holes not filled: {', '.join(sorted(missing))}")
        out = [self._literals[0]]
        for name, literal in zip(self._names, self._literals[1:]):
            out.append(str(values[name]))
            out.append(literal)
        return "".join(out)

    def partial(self, **values: object) -> "FormulaTemplate":
        """A template with the given holes filled and the others still open."""
        out = [self._literals[0]]
        for name, literal in zip(self._names, self._literals[1:]):
            out.append(str(values[name]) if name in values else hole(name))
            out.append(literal)
        return FormulaTemplate("".join(out))

    def __repr__(self) -> str:
        return f"FormulaTemplate({self._text()!r})"

    def _text(self) -> str:
        out = [self._literals[0]]
        for name, literal in zip(self._names, self._literals[1:]):
            out.append("{" + name + "}")
            out.append(literal)
        return "".join(out)


# ---------------------------------------------------------------------------------------------
# Row heights: spreadsheet programs do not all fit a row to its wrapped text on opening, so
# writers set the height from this estimate.

LINE_HEIGHT = 15  # points per line of 11-point text


def wrapped_lines(text: str, chars_per_line: int) -> int:
    """Lines `text` takes when wrapped at word boundaries in `chars_per_line` characters (a
    word longer than a line takes as many lines as it needs); each "\\n" starts a new line."""
    width = max(1, chars_per_line)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > width:
                lines, used = lines + 1, 0
            used += (1 if used else 0) + len(word)
            while used > width:  # a word wider than the line spills onto further lines
                lines, used = lines + 1, used - width
    return max(1, lines)
