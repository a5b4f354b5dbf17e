"""Typed cell specs: what a planned workbook cell holds, as data a writer turns into a cell.

Every workbook the add-in writes (the report, the statements, the shipped workbooks) is planned
as rows of `Cell`s; the writers are the only code that touches openpyxl cells.
"""

from __future__ import annotations

from enum import Enum
from typing import Mapping, NamedTuple


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
WHOLE_MONEY_FORMAT = "#,##0"  # amounts to the dollar, where cents are noise (a chart's axis)


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


# Inside a template each hole's name becomes one of these characters: XML cannot carry them,
# so no formula text holds them, and a one-character replace over ASCII text is C-fast (a
# report fills millions of cells; a longer marker, or any non-ASCII one, is 4x slower).
_MARKS = tuple(chr(c) for c in range(1, 9))


class FormulaTemplate:
    """Formula text with named holes: FormulaTemplate(f"$B{hole('row')}*2").fill(row=7) reads
    "$B7*2". Every hole must be filled; `partial` fills some and keeps the others."""

    __slots__ = ("_text", "_literals", "_holes", "_marks", "_only")

    def __init__(self, text: str):
        pieces = text.split(_HOLE)
        if len(pieces) % 2 == 0:
            raise ValueError(f"a formula template with an unclosed hole: {text[:60]!r}")
        literals, names = pieces[0::2], pieces[1::2]
        self._holes = frozenset(names)
        if len(self._holes) > len(_MARKS):
            raise ValueError(f"a formula template has at most {len(_MARKS)} hole names")
        if any(m in literal for literal in literals for m in _MARKS):
            raise ValueError(f"formula text holding a control character: {text[:60]!r}")
        mark = dict(zip(sorted(self._holes), _MARKS))
        self._marks = tuple((name, mark[name]) for name in sorted(self._holes))
        self._text = literals[0] + "".join(mark[n] + lit for n, lit in zip(names, literals[1:]))
        self._literals = tuple(literals)
        self._only = next(iter(self._holes)) if len(self._holes) == 1 else None

    @property
    def holes(self) -> frozenset[str]:
        return self._holes

    def fill(self, **values: object) -> str:
        """The formula text with every hole filled (values are written as str() gives them)."""
        return self.fill_map(values)

    def fill_map(self, values: Mapping[str, object]) -> str:
        """fill(**values), from a mapping that may hold values for holes this one lacks (one
        mapping can fill every template of a row)."""
        try:
            if self._only is not None:  # one name, however many holes: a single join
                return str(values[self._only]).join(self._literals)
            text = self._text
            for name, mark in self._marks:
                text = text.replace(mark, str(values[name]))
            return text
        except KeyError:
            missing = sorted(self._holes - values.keys())
            raise KeyError(f"formula template holes not filled: {', '.join(missing)}") from None

    def partial(self, **values: object) -> "FormulaTemplate":
        """A template with the given holes filled and the others still open."""
        text = self._text
        for name, mark in self._marks:
            text = text.replace(mark, str(values[name]) if name in values else hole(name))
        return FormulaTemplate(text)

    def __repr__(self) -> str:
        text = self._text
        for name, mark in self._marks:
            text = text.replace(mark, "{" + name + "}")
        return f"FormulaTemplate({text!r})"


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

# A chart's value axis in dollars, to the dollar ("$250,000"): the axis of an amount chart.
DOLLAR_AXIS_FORMAT = '"$"#,##0'
