"""Excel's values as the functions meet them: what each xlwings runtime hands a function for a
cell (date serials, datetimes, Office.js typed values, Pyodide's JsNull blanks), made the plain
values addin.cases reads (it does all the checking), and a TRUE/FALSE switch; and the `severance
calc` text figures made Excel numbers and dates again (TableCells: a spilled table's, under
Office.js). Knows nothing of severance but the result columns' kinds.
"""

import datetime as dt
from decimal import Decimal

import pandas as pd
import xlwings as xw

from .cases import normalize_column
from .cases.codes import FALSE_WORDS, TRUE_WORDS
from .results.tables import DATE_RESULTS, MONEY_RESULTS
from .rules.money import to_decimal

try:  # Pyodide (xlwings Lite) hands empty cells over as JsNull rather than None
    from pyodide.ffi import JsNull
except ImportError:
    JsNull = type(None)

# ---------------------------------------------------------------------------------------------
# Reading cells.

SERIAL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system)
MAX_SERIAL = 2958465  # 9999-12-31


def blank(value) -> bool:
    return value is None or value == "" or isinstance(value, JsNull)


def plain(value):
    """A cell without its transport: None for blanks, and for an Office.js typed value (a
    formatted number, an error, an entity) its basic value: the number, or the error's text."""
    if blank(value):
        return None
    if isinstance(value, dict):
        return value.get("basicValue", value.get("text", value.get("type")))
    return value


def date_cell(value):
    """A date as Excel sends it (date serial, datetime, text) as ISO text for addin.cases. A
    serial with a time of day keeps it, for addin.cases to read (and note) as it does a file's."""
    value = plain(value)
    if isinstance(value, dt.datetime):
        # COM marks its dates as UTC; the wall-clock fields are the date Excel shows.
        value = value.replace(tzinfo=None)
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= MAX_SERIAL:
        day = int(value)
        if day == 60:  # Excel's 1900-02-29, a day that never was
            return value
        date = (SERIAL_EPOCH if day > 60 else SERIAL_EPOCH + dt.timedelta(days=1)) \
            + dt.timedelta(days=day)
        if value == day:
            return date.isoformat()
        seconds = round((value - day) * 86400)
        return (dt.datetime.combine(date, dt.time(0)) + dt.timedelta(seconds=seconds)).isoformat(sep=" ")
    return value


def money_cell(value):
    """An amount: a spreadsheet number read through its shortest repr (what the cell shows)."""
    value = plain(value)
    if isinstance(value, float):
        try:
            return to_decimal(value)
        except ValueError:
            return value
    return value


def rate_cell(value):
    """A rate such as 0.066: a spreadsheet number read to the 15 significant digits Excel keeps
    and shows (0.1*0.7 is 0.07 there, not 0.06999999999999999)."""
    value = plain(value)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return Decimal(f"{value:.15g}")
    return value


def flag_cell(value) -> bool:
    """A TRUE/FALSE cell (a blank is FALSE), or text spelled as the case table's flags are.
    Raises ValueError naming what came instead, or a range given for the one cell."""
    rows = cell_rows(value)
    if (len(rows), len(rows[0])) != (1, 1):
        raise ValueError(f"give it one cell (TRUE or FALSE), not a {len(rows)}x{len(rows[0])} range")
    value = plain(rows[0][0])
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ValueError(f"{str(value)[:40]!r} is not TRUE or FALSE")


def cell_rows(value) -> list[list]:
    """An argument as rows of cells: a value is one cell, a 1-D sequence one row (as Office.js
    and the COM add-in hand over a single-row range)."""
    if isinstance(value, pd.DataFrame):  # for callers from Python: the header, then the rows
        value = [list(value.columns)] + value.to_numpy(dtype=object).tolist()
    elif hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy arrays and pandas Series
    if isinstance(value, (list, tuple)):
        if not value:
            return [[None]]
        if all(isinstance(row, (list, tuple)) for row in value):
            return [list(row) or [None] for row in value]
        return [list(value)]
    return [[value]]


def table_frame(rows: list[list]) -> pd.DataFrame:
    """A case table range as a frame of plain cells: termination dates as ISO text (however
    Excel sent them), typed values as their basic value; addin.cases reads the rest."""
    header = ["" if blank(h) else str(h) for h in rows[0]]
    width = len(header)
    body = [row + [None] * (width - len(row)) if len(row) < width else row[:width]
            for row in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    for j, name in enumerate(header):
        column = frame[j]
        kinds = set(map(type, column))
        if normalize_column(name) == "termination_date":
            frame[j] = column.map(date_cell)
        elif dict in kinds or JsNull in kinds:
            frame[j] = column.map(plain)
    frame.columns = header
    return frame


# ---------------------------------------------------------------------------------------------
# Writing cells: the `severance calc` text figures as Excel numbers and dates.

def excel_number(text: str):
    # A two-place decimal becomes the double Excel would hold had it been typed in: money stays
    # exact up to that one conversion at the edge.
    return float(Decimal(text)) if text != "" else ""


def excel_date(text: str):
    return dt.date.fromisoformat(text) if text else ""


class TableCells(xw.conversion.Converter):
    """The cells of a spilled table under Office.js. xlwings' default writer cleans every cell
    on its own (a fifth of a second for 10,000 rows); these cells are plain values already, so
    only the date columns need turning into date serials, formatted where the runtime can."""
    base = xw.conversion.RawValueAccessor

    @staticmethod
    def write_value(rows, options):
        fmt = options.get("date_format")
        formatted = bool(fmt) and float(options.get("runtime") or 0) >= 1.4
        epoch = SERIAL_EPOCH.toordinal()
        dates = [j for j, name in enumerate(rows[0]) if name in DATE_RESULTS]
        for row in rows[1:]:
            for j in dates:
                if row[j] != "":
                    serial = float(row[j].toordinal() - epoch)
                    row[j] = {"type": "FormattedNumber", "basicValue": serial,
                              "numberFormat": fmt} if formatted else serial
        return rows


def excel_column(name: str, values: list) -> list:
    """A `severance calc` column (text) as Excel values; "" stays empty."""
    if name in MONEY_RESULTS or name == "bonus_proration":
        return [float(v) if v != "" else "" for v in values]  # as excel_number, a column at a time
    if name in DATE_RESULTS:
        return [excel_date(v) for v in values]
    if name in ("source_row", "installments"):
        return [int(v) if v != "" else "" for v in values]
    return values
