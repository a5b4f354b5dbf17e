"""The functions workbook as a person with the add-in sees it, for docs/images/functions.png.

LibreOffice cannot run the xlwings add-in, so a plain rendering of
workbooks/severance_functions.xlsx shows #NAME? in every function cell. This writes a copy in
which each function cell (and each cell of an array formula's range) holds what addin.udfs
returns for that cell's arguments, called as Python functions with the values of the cells the
formula names; every other cell, the grey native formulas and the `agrees` checks among them,
stays a formula that LibreOffice recalculates when it renders the copy.

    .venv/bin/python -m tests.support.functions_picture OUT.xlsx    (make picture-functions)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from addin import udfs

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "workbooks" / "severance_functions.xlsx"
CALL = re.compile(r"^=\s*([A-Z_]+)\((.*)\)\s*$")
FUNCTIONS = {name.upper(): getattr(udfs, name) for name in udfs.__all__}


def argument(sheet, text: str):
    """A formula argument's value: a cell's value, or a range's rows of values (None if blank)."""
    text = text.strip().replace("$", "")
    if not text:
        return None
    if ":" in text:
        min_col, min_row, max_col, max_row = range_boundaries(text)
        return [[c.value for c in row] for row in sheet.iter_rows(min_row=min_row, max_row=max_row,
                                                                     min_col=min_col, max_col=max_col)]
    return sheet[text].value


def function_call(cell) -> tuple[str, str, str] | None:
    """(function, arguments, range the result fills) of a cell calling an add-in function."""
    value, target = cell.value, cell.coordinate
    if cell.data_type != "f":  # a text cell showing a formula (the sheet's labels) stays text
        return None
    if isinstance(value, ArrayFormula):
        value, target = value.text, value.ref
    match = CALL.match(value) if isinstance(value, str) else None
    if not match or match.group(1) not in FUNCTIONS:
        return None
    return match.group(1), match.group(2), target


def fill(sheet, target: str, result) -> None:
    """Write a function's result over the cells its formula fills (past its end: blank)."""
    min_col, min_row, max_col, max_row = range_boundaries(target)
    rows = result if isinstance(result, list) else [[result]]
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            i, j = r - min_row, c - min_col
            value = rows[i][j] if i < len(rows) and j < len(rows[i]) else None
            sheet.cell(row=r, column=c).value = value


def with_results(source: Path, out: Path) -> int:
    """Write the copy; returns how many function cells were filled."""
    book = openpyxl.load_workbook(source)
    filled = 0
    for sheet in book.worksheets:
        calls = [call for row in sheet.iter_rows() for cell in row if (call := function_call(cell))]
        for name, arguments, target in calls:
            values = [argument(sheet, a) for a in arguments.split(",")] if arguments.strip() else []
            fill(sheet, target, FUNCTIONS[name](*values))
            filled += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return filled


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    count = with_results(WORKBOOK, Path(args[0]))
    print(f"{count} function cells filled with addin.udfs results -> {args[0]}", file=sys.stderr)
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main())
