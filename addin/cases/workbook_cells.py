"""An .xlsx workbook's cells read by python-calamine (Rust; about ten times faster than
openpyxl's read-only parser), given exactly as openpyxl gives them, or not at all.

`calamine_book` answers only for a workbook whose cells both readers give alike, as the checks
below establish from the archive's XML before calamine reads anything; for any other workbook
it answers None and the caller reads it with openpyxl, as before. Where the readers differ:
  - calamine turns error cells (#N/A) into blanks and decodes _xHHHH_ escapes in text;
    openpyxl keeps both as text: a workbook holding either is openpyxl's;
  - the readers decide which number formats are dates by different rules: a workbook with a
    style they class apart is openpyxl's (`_date_styles`, with a port of calamine's rule);
  - in a workbook with date styles, a negative number no date holds (at or past -2,957,003, or
    in exponent notation) can make calamine panic, or give a number, where openpyxl gives an
    error text: openpyxl's (a positive one calamine gives as a number, which `_cells` finds);
  - calamine lays a sheet out as one dense grid from A1 to its farthest cell, so a 5 KB file
    naming XFD1048576 would ask for 549 GB and abort the process. Every cell and row reference
    bounds the grid first (`_Grid`); a grid beyond MAX_GRID_CELLS or a row past the sheet's last,
    or a cell or row without a reference it can read, is openpyxl's (which streams rows).
Then, cell by cell (`_cells`): calamine holds every number as a double, so a whole number past
2^53 or -0 (which could be either reader's) sends the workbook to openpyxl, as do a time of
day, a duration and a date before 1900-03-01 (the readers take negative serials and the 1900
system's phantom leap day apart); other whole numbers are ints, as openpyxl reads an integer
literal; a date is a datetime at midnight and an empty cell None, as openpyxl gives them.
The archive has passed check_xlsx_archive (sizes, ratios, no DTD) before any of this.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from ..collection import paused_collection

# About a million rows of 12 columns: calamine's grid and the Python rows it hands over stay
# near 1 GiB.
MAX_GRID_CELLS = 12_000_000
_CHUNK = 1 << 19   # half a MiB: a chunk's passes stay in the processor's caches
_CARRY = 64     # bytes a chunk shares with the next, so that no pattern looked at is split
_WHOLE_LIMIT = 2 ** 53


def _bytes(characters: str) -> np.ndarray:
    """A table of the 256 byte values: True at these characters."""
    table = np.zeros(256, dtype=bool)
    table[[ord(c) for c in characters]] = True
    return table


_SPACES, _QUOTES = _bytes(" \t\n\r"), _bytes("\"'")
_CLOSES, _OPENS = _bytes(" \t\n\r>/"), _bytes("<:")   # after a tag's name; before it (<c, and <x:c)


class _Grid:
    """What a part's XML says of its grid: the farthest row and column its references name,
    how many cells and rows it has and how many references, and whether any attribute has the
    value "e" (an error cell's type)."""

    def __init__(self, dates: bool):
        self.row = self.column = 0
        self.references = self.tags = 0
        self.errors = self.unbounded = False
        self.dates = dates           # the workbook has date styles: look at the numbers too
        self.beyond_dates = False    # a negative number no date holds (calamine may panic on one in a date style)

    def add(self, data: bytes, end: int) -> None:
        """Read what starts before `end` in `data` (the rest is the next chunk's)."""
        a = np.frombuffer(data + b"\0" * _CARRY, dtype=np.uint8)   # room for every look ahead

        def at(character: str) -> np.ndarray:
            return within(np.flatnonzero(a == ord(character)))

        def within(found: np.ndarray) -> np.ndarray:
            return found[(found >= 1) & (found < end)]   # byte 0 is the previous chunk's

        def of(positions, allowed) -> np.ndarray:
            return allowed[a[positions]]
        if self.dates:
            self.beyond_dates |= _beyond_dates(a, end)
        e = at("e")
        self.errors |= bool((of(e - 1, _QUOTES) & of(e + 1, _QUOTES)).any())
        c = at("c")
        self.tags += int((of(c - 1, _OPENS) & of(c + 1, _CLOSES)).sum())
        r = at("r")
        row = r[(a[r + 1] == ord("o")) & (a[r + 2] == ord("w"))]
        self.tags += int((of(row - 1, _OPENS) & of(row + 3, _CLOSES)).sum())
        refs = r[of(r - 1, _SPACES) & (a[r + 1] == ord("=")) & of(r + 2, _QUOTES)]
        self.references += len(refs)
        if not len(refs):
            return
        window = np.lib.stride_tricks.sliding_window_view(a, 12)[refs + 3]
        letter = (window >= ord("A")) & (window <= ord("Z"))
        letters = np.argmin(letter, axis=1)           # leading letters (a row's reference: none)
        if (letters > 3).any() or letter.all(axis=1).any():
            self.unbounded = True   # no column of a sheet
            return
        column = np.zeros(len(refs), dtype=np.int64)
        for k in range(3):
            letter_value = window[:, k].astype(np.int64) - ord("A") + 1
            column = np.where(letters > k, column * 26 + letter_value, column)
        row = np.zeros(len(refs), dtype=np.int64)
        for count in range(4):   # the row number follows the letters
            rows = np.flatnonzero(letters == count)
            if not len(rows):
                continue
            after = window[rows, count:count + 8]
            is_digit = (after >= ord("0")) & (after <= ord("9"))
            digits = np.argmin(np.concatenate([is_digit, np.zeros((len(rows), 1), bool)], axis=1), axis=1)
            if (digits == 0).any() or (digits > 7).any():
                self.unbounded = True   # no row number, or one past any sheet's
                return
            number = np.zeros(len(rows), dtype=np.int64)
            for k in range(min(7, after.shape[1])):
                number = np.where(digits > k, number * 10 + (after[:, k].astype(np.int64) - ord("0")), number)
            row[rows] = number
        self.row = max(self.row, int(row.max()))
        self.column = max(self.column, int(column.max()))


def _beyond_dates(a: np.ndarray, end: int) -> bool:
    """Whether any <v> value starting before `end` is a negative number no date holds: at or
    past -_LAST_SERIAL, in exponent notation, or longer than any number's text. calamine panics
    on some of those in a date style (a positive one it gives as a number, which `_cells` then
    finds; a negative one within dates it gives as a time of day, which `_cells` finds too).
    Shared-string indexes count as well, and text in a <v> is taken for a number where that
    could be one, which only errs towards openpyxl."""
    minus = np.flatnonzero(a == ord("-"))
    minus = minus[(minus >= 3) & (minus - 2 < end)]
    minus = minus[(a[minus - 1] == ord(">")) & (a[minus - 2] == ord("v")) & (a[minus - 3] == ord("<"))]
    if not len(minus):
        return False
    # 27 bytes: the longest text of a double, -2.2250738585072014e-308 (its minus, and 26 more)
    after = np.lib.stride_tricks.sliding_window_view(a, 27)[minus + 1]
    value_end = np.argmax(after == ord("<"), axis=1)   # 0: none (too long), or no figure
    if (value_end == 0).any():
        return True
    within = np.arange(after.shape[1]) < value_end[:, None]
    if ((after | 0x20) == ord("e"))[within].any():
        return True
    dot = np.where((after == ord(".")) & within, np.arange(after.shape[1]), after.shape[1]).min(axis=1)
    whole = np.minimum(dot, value_end)                # the length of the whole part
    if (whole > 7).any():
        return True
    figures = after[whole == 7, :7].astype(np.int64) - ord("0")
    if ((figures < 0) | (figures > 9)).any():
        return True
    return bool((figures @ 10 ** np.arange(6, -1, -1) >= _LAST_SERIAL).any())


def _holds_escape(data: bytes) -> bool:
    """Whether `data` holds "_x" (the start of an _xHHHH_ escape, perhaps): by numpy, as
    Python's search for a two-byte string went through a sheet at a third of numpy's speed."""
    a = np.frombuffer(data, dtype=np.uint8)
    underscores = np.flatnonzero(a[:-1] == ord("_"))
    return bool((a[underscores + 1] == ord("x")).any())


def _read_part(part, grid: _Grid) -> bool:
    """Read a part into `grid` chunk by chunk; False at an _xHHHH_ escape (perhaps)."""
    tail = b""
    while True:
        more = part.read(_CHUNK)
        data = tail + more
        last = not more
        if not last and len(data) <= 2 * _CARRY:
            tail = data   # too little yet to hand on a carry: read more first
            continue
        end = len(data) if last else len(data) - _CARRY
        if _holds_escape(data):
            return False
        if len(data) > 4:
            grid.add(data, end)
        if last:
            return True
        tail = data[end - 1:]   # from the last byte already read, looked back at


def _alike(archive: zipfile.ZipFile, dates: bool, max_rows: int) -> bool:
    """Whether every XML part of the workbook reads alike in both readers, and every sheet's
    grid is bounded and small enough for calamine."""
    for info in archive.infolist():
        if not info.filename.endswith(".xml"):
            continue
        grid = _Grid(dates)
        with archive.open(info) as part:
            if not _read_part(part, grid):
                return False
        # (more cells and rows than references: one whose place is not bounded)
        if grid.errors or grid.unbounded or grid.beyond_dates or grid.tags > grid.references:
            return False
        if grid.row * grid.column > MAX_GRID_CELLS or grid.row > max_rows:
            return False
    return True


_LAST_SERIAL = 2957003   # the last day both date systems hold (9999-12-31 in the 1904 system)
_FIRST_DAY = dt.datetime(1900, 3, 1)   # before it, the 1900 system's phantom February 29


def _cells(dates: bool):
    """The function giving a calamine cell as openpyxl gives it (raising NotAlike where it
    may not); `dates`: the workbook has date styles, whose edge values the readers give apart."""
    def cell(value):
        kind = type(value)
        if kind is float:
            if value.is_integer():
                if abs(value) >= _WHOLE_LIMIT or (value == 0 and str(value)[0] == "-"):
                    raise NotAlike
                value = int(value)
            if dates and value >= _LAST_SERIAL:   # openpyxl: a date style's error text
                raise NotAlike
            return value
        if kind is str:
            return value if value else None
        if kind is dt.date:
            value = dt.datetime(value.year, value.month, value.day)
            kind = dt.datetime
        if kind is dt.datetime:
            if value < _FIRST_DAY:
                raise NotAlike
            return value
        if kind is bool:
            return value
        raise NotAlike   # a time of day or a duration: the readers differ on negative serials and [s]
    return cell


def _calamine_date_format(code: str) -> bool:
    """calamine's reading of a custom number format as a date (its formats.rs,
    is_custom_date_format): the first section holds d, m, h, y or s outside quotes, escapes
    and brackets, or AM/PM, or an elapsed [h], [m], [s]."""
    escaped = quoted = ampm = hms = False
    brackets, previous = 0, " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return False
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return True
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ampm and brackets == 0:
            ampm = True
        elif ch in "pm/PM" and ampm and brackets == 0:
            return True
        elif ch in "dmhysDMHYS" and not ampm and brackets == 0:
            return True
        elif not (hms and (ch == previous or ch.isascii() and previous.isascii()
                           and ch.lower() == previous.lower())):
            hms = previous == "[" and ch in "mhsMHS"
        previous = ch
    return False


_CALAMINE_DATE_IDS = {*range(14, 23), 45, 46, 47}
BUILTIN_FORMAT_IDS = 164   # the ids below are Excel's built-in number formats (openpyxl's BUILTIN_FORMATS_MAX_SIZE)


def _date_styles(archive: zipfile.ZipFile) -> bool | None:
    """Whether the workbook has date (or duration) styles; None where openpyxl and calamine
    would take a style differently (one as a date, the other as a number)."""
    try:
        source = archive.read("xl/styles.xml")
    except KeyError:
        return None if any("styles" in name.lower() for name in archive.namelist()) else False
    from xml.etree import ElementTree
    tree = ElementTree.fromstring(source)
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    custom = {f.get("numFmtId"): f.get("formatCode") or "" for f in tree.iter(f"{main}numFmt")}
    calamine, builtin = set(), True
    for xfs in tree.iter(f"{main}cellXfs"):
        for index, xf in enumerate(xfs.iter(f"{main}xf")):
            number = xf.get("numFmtId") or "0"
            builtin &= number.isdigit() and int(number) < BUILTIN_FORMAT_IDS
            if (_calamine_date_format(custom[number]) if number in custom
                    else number.isdigit() and int(number) in _CALAMINE_DATE_IDS):
                calamine.add(index)
    if builtin and not custom:
        # Only Excel's built-in formats, which both readers class alike (a test holds them to
        # openpyxl's), so openpyxl, a tenth of a second to import, is not asked.
        return bool(calamine)
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring
    sheet = Stylesheet.from_tree(fromstring(source))
    if calamine != sheet.date_formats | sheet.timedelta_formats:
        return None
    return bool(calamine)


class NotAlike(Exception):
    """A cell calamine gives that openpyxl may give otherwise."""


class _Sheet:
    """A worksheet as _read_xlsx reads an openpyxl one: its title, and its rows of values."""

    def __init__(self, book, name: str, cell, meanwhile: Callable[[], None] | None = None):
        self.title = name
        self._book = book
        self._cell = cell
        self._meanwhile = meanwhile
        self._rows = None

    def _read(self) -> list[list]:
        if self._rows is None:  # calamine reads the whole sheet: once, however often it is asked
            with paused_collection(), ThreadPoolExecutor(1) as pool:
                # calamine lays the sheet out without the GIL: this thread does `meanwhile` then
                laid_out = pool.submit(self._book.get_sheet_by_name, self.title)
                if self._meanwhile is not None:
                    self._meanwhile()
                self._rows = laid_out.result().to_python(skip_empty_area=False)
        return self._rows

    def iter_rows(self, min_row: int = 1, values_only: bool = True):
        for row in itertools.islice(self._read(), min_row - 1, None):
            yield tuple(map(self._cell, row))

    def data_columns(self, first: int, width: int) -> list[list | pa.Array]:
        """The cells of the first `width` columns from row index `first` on, column by column:
        what iter_rows gives, except that a column all of text is Arrow text with '' for its
        blanks, as a CSV file's columns are read (no Python object per cell)."""
        rows = self._read()[first:]
        with paused_collection():
            columns = list(itertools.islice(zip(*rows), width)) if rows else []
            columns += [(None,) * len(rows) for _ in range(width - len(columns))]
            return [self._column(c) for c in columns]

    def _column(self, cells: tuple) -> list | pa.Array:
        try:
            text = pa.array(cells, type=pa.string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):   # a number, a date, a truth value
            return list(map(self._cell, cells))
        # (None pads a short row; calamine gives '' for an empty cell)
        return list(map(self._cell, cells)) if text.null_count else text


class _ChartSheet:
    """A sheet without cells (a chart): _read_xlsx finds no header in it."""

    def __init__(self, name: str):
        self.title = name


class CalamineBook:
    """The workbook, read by calamine, as _read_xlsx reads an openpyxl book."""

    def __init__(self, book, dates: bool, meanwhile: Callable[[], None] | None = None):
        self._book = book
        self._meanwhile = meanwhile
        self._cell = _cells(dates)
        self._kinds = {m.name: m.typ for m in book.sheets_metadata}
        self.sheetnames = list(book.sheet_names)
        self._sheets = {}

    def __getitem__(self, name: str):
        if name not in self._sheets:
            worksheet = str(self._kinds.get(name)).endswith("WorkSheet")
            self._sheets[name] = _Sheet(self._book, name, self._cell, self._meanwhile) if worksheet else _ChartSheet(name)
        return self._sheets[name]

    def close(self) -> None:
        self._book.close()


def calamine_book(path: Path, max_rows: int, pool: ThreadPoolExecutor | None = None,
                  meanwhile: Callable[[], None] | None = None) -> CalamineBook | None:
    """The workbook for calamine, or None: openpyxl reads it (see the module's docstring).
    `max_rows`: the most rows a sheet holds; a sheet naming a row past them is openpyxl's, so
    that its rows are counted (and refused) exactly as before. Calamine opens the workbook (its
    shared strings and styles, no sheet yet) on the `pool`'s thread while the sheets' XML is
    checked here: nothing it reads then is laid out as a grid. `meanwhile`: work done on this
    thread while calamine lays out a sheet."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    if pool is None:
        with ThreadPoolExecutor(1) as own:
            return calamine_book(path, max_rows, own, meanwhile)
    opening = pool.submit(_open, CalamineWorkbook, path)
    try:
        with zipfile.ZipFile(path) as archive:
            dates = _date_styles(archive)
            alike = dates is not None and _alike(archive, dates, max_rows)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        alike = False   # a damaged part: openpyxl names what is wrong with it
    finally:
        opened = opening.result()   # (closed below where the checks found against it)
    if opened is None:
        return None
    book, kinds = opened
    if not alike or not kinds <= {"WorkSheet", "ChartSheet"}:   # macro and dialog sheets: openpyxl's listing
        book.close()
        return None
    return CalamineBook(book, dates, meanwhile)


def _open(workbook, path: Path):
    """calamine's workbook and its sheets' kinds, or None where it cannot open it (openpyxl
    reads it, or names why not)."""
    try:
        book = workbook.from_path(str(path))
        kinds = {str(m.typ).rpartition(".")[2] for m in book.sheets_metadata}
    except BaseException as exc:  # noqa: B036 - calamine's panics are BaseExceptions
        if not calamine_failed(exc):
            raise
        return None
    return book, kinds


def calamine_failed(exc: BaseException) -> bool:
    """Whether `exc` is calamine failing (a panic is a BaseException), which leaves the workbook
    to openpyxl, rather than the run being stopped (an interrupt, an exit, no memory)."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError))
