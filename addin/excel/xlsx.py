"""Workbook plumbing shared by every .xlsx the add-in writes: text cells that stay text, typed
cells from a plan, rows streamed as XML, and byte-for-byte repeatable files (fixed timestamps),
so outputs can be diffed and audited.

This is the only module that touches openpyxl's internals (the private attributes of its
write-only cells, sheets and workbook, and the zip its ExcelWriter saves into). pyproject pins
openpyxl to 3.1; `check_openpyxl_internals` states every internal relied on, and raises
OpenpyxlInternalsError, never falling back silently, when one has changed.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import os
import re
import shutil
import tempfile
import zipfile
from decimal import Decimal
from numbers import Integral
from pathlib import Path
from typing import Callable, Iterable, Mapping
from xml.sax.saxutils import quoteattr

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.image import Image
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.excel import ExcelWriter

from .cells import DATE_FORMAT, PLAIN_MONEY_FORMAT, Cell, Kind

FIXED_TIME = dt.datetime(2002, 2, 8, 0, 0, 0)  # the letter's date: stands for "no timestamp"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: every entry's
# Characters XML 1.0 cannot carry; a hostile cell holding them would make the file unreadable.
ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Code points XML 1.0 cannot carry beyond those control characters (lone surrogates, U+FFFE/F).
XML_UNSAFE = re.compile("[\ud800-\udfff\ufffe\uffff]")


class OpenpyxlInternalsError(RuntimeError):
    """The installed openpyxl lacks an internal this module relies on (pyproject pins 3.1)."""


def clean_text(value: str) -> str:
    return ILLEGAL_XML_CHARACTERS.sub("\ufffd", value)


def text_cell(ws, value: object, style=None) -> WriteOnlyCell:
    """A cell holding `value` as text, never as a formula, whatever it starts with."""
    cell = WriteOnlyCell(ws, value=None)
    cell._value = clean_text(str(value))
    cell.data_type = "s"
    if style is not None:
        cell.style = style
    return cell


def value_cell(ws, value: object, number_format: str | None = None) -> WriteOnlyCell:
    """A typed cell: text stays text; numbers, Decimals and dates keep their type."""
    if isinstance(value, str):
        return text_cell(ws, value)
    cell = WriteOnlyCell(ws, value=value)
    if number_format:
        cell.number_format = number_format
    return cell


_DATA_TYPES = {Kind.NUMBER: "n", Kind.DATE: "d", Kind.BOOL: "b", Kind.FORMULA: "f"}


def cached_value_xml(value: object) -> tuple[str, str]:
    """(the t attribute, the <v> text) of a formula cell's cached value, typed as a spreadsheet
    caches it: text (t="str"), true/false (t="b"), a number, a date (as its serial)."""
    if isinstance(value, str):
        value = _TEXT_UNSAFE.sub("\ufffd", value)
        return ' t="str"', value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
            .replace("\r", "&#13;")
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, (dt.date, dt.datetime)):
        return "", str(to_excel(value))
    if isinstance(value, float):
        return "", repr(float(value))  # numpy's float64 too, as a plain number
    if isinstance(value, (Integral, Decimal)):
        return "", str(int(value)) if isinstance(value, Integral) else str(value)
    raise TypeError(f"a formula cell cannot be cached with {value!r}")


def plan_cell(ws, cell: Cell, style_array) -> WriteOnlyCell:
    """An openpyxl cell of a planned Cell, sharing the role's registered style array. openpyxl
    writes a formula without a value: the cached values are the fast row writer's
    (stream_rows); this is the reference its cells are held to."""
    if cell.kind is Kind.TEXT:
        out = text_cell(ws, cell.value)  # user text: never a formula, whatever it starts with
    else:
        out = WriteOnlyCell(ws)
        out._value = "=" + cell.value if cell.kind is Kind.FORMULA else cell.value
        out.data_type = _DATA_TYPES[cell.kind]
    out._style = style_array
    return out


def register_styles(book: Workbook, ws, styles: Mapping[str, object]) -> tuple[dict, dict]:
    """Each named style (font, fill, border, alignment, number_format) registered once in the
    book: (name -> style array for openpyxl cells, name -> the style's index for row XML)."""
    if not callable(getattr(getattr(book, "_cell_styles", None), "add", None)):
        raise OpenpyxlInternalsError("Workbook._cell_styles.add is missing: install openpyxl>=3.1,<3.2")
    arrays, ids = {}, {}
    for name, style in styles.items():
        proto = WriteOnlyCell(ws)
        proto.font, proto.fill, proto.border = style.font, style.fill, style.border
        proto.alignment, proto.number_format = style.alignment, style.number_format
        arrays[name] = proto._style
        ids[name] = book._cell_styles.add(proto._style)
    return arrays, ids


def logo_image(data: bytes, image_format: str, width: int, height: int) -> Image:
    """An openpyxl picture built from bytes (openpyxl's own Image needs Pillow to read sizes):
    an Image whose __init__ is skipped and whose _data (the bytes openpyxl saves) is given."""
    class Picture(Image):
        def __init__(self):  # deliberately skips Image.__init__ (Pillow)
            self.ref = io.BytesIO(data)
            self.format = image_format
            self.width, self.height = width, height
            self.anchor = "A1"

        def _data(self):
            return data

    return Picture()


def sheet_pictures(ws) -> tuple[tuple[str, tuple[int, int] | None], ...]:
    """The pictures of a loaded sheet, in order: each one's kind (the class name) and the cell
    its top-left corner is anchored to (column, row, counted from 0), or None when it has no
    cell anchor. openpyxl lists a sheet's pictures only under its private _images."""
    out = []
    for picture in getattr(ws, "_images", ()):
        start = getattr(picture.anchor, "_from", None)
        out.append((type(picture).__name__, (start.col, start.row) if start is not None else None))
    return tuple(out)


def new_write_only_book() -> Workbook:
    book = Workbook(write_only=True)
    book.properties.creator = "severance add-in"
    return book


def write_frame_sheet(book: Workbook, title: str, frame: pd.DataFrame) -> None:
    ws = book.create_sheet(title=title[:31])
    ws.append([text_cell(ws, c) for c in frame.columns])
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    formats = [_format_of(frame[c]) for c in frame.columns]
    for row in zip(*columns):
        ws.append([None if v is None or v == "" else value_cell(ws, v, f) for v, f in zip(row, formats)])


def _format_of(column: pd.Series) -> str | None:
    sample = next((v for v in column if v is not None and v == v and v != ""), None)
    if isinstance(sample, Decimal):
        return PLAIN_MONEY_FORMAT
    if isinstance(sample, dt.date):
        return DATE_FORMAT
    return None


# ---------------------------------------------------------------------------------------------
# Rows as XML text: a sheet's rows stream into a scratch file, spliced into the sheet's part
# when the package is zipped (no per-cell objects, one compression pass).

_LETTERS = [get_column_letter(i) for i in range(1, 16385)]  # column index 0 -> "A"
# Both at once, for rows written as XML: clean_text's characters and XML_UNSAFE's.
_TEXT_UNSAFE = re.compile(f"{ILLEGAL_XML_CHARACTERS.pattern}|{XML_UNSAFE.pattern}")


def _row_xml_writer(ws, style_ids: Mapping[str, int], write: Callable[[str], None]):
    """openpyxl's write_row(xf, row, row_idx), writing a row of planned Cells as XML text."""
    dims = ws.row_dimensions
    letters = _LETTERS
    # Per cell, the hot loop of a report (millions of cells): the style attribute is made once
    # per role, a row without dimensions gets its tag directly, and the character clean-up and
    # the XML escaping are inlined (the same text as clean_text and XML_UNSAFE give).
    style_attr = {role: f'" s="{number}"' for role, number in style_ids.items()}
    unsafe = _TEXT_UNSAFE.sub
    text, formula, number, date, flag = Kind.TEXT, Kind.FORMULA, Kind.NUMBER, Kind.DATE, Kind.BOOL

    def write_row(xf, row: Iterable[Cell | None], row_idx: int) -> None:
        r = str(row_idx)
        if row_idx in dims:
            attrs = {"r": r}
            attrs.update(dims.get(row_idx, {}))
            xml = ["<row " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs.items()) + ">"]
        else:
            xml = ['<row r="' + r + '">']
        for col, cell in enumerate(row):
            if cell is None:
                continue
            kind, value, role, cached = cell
            head = '<c r="' + letters[col] + r + style_attr[role]
            if kind is text:
                # Text is always an inline string: never a formula, whatever it starts with.
                value = unsafe("\ufffd", value)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
                    .replace("\r", "&#13;")
                xml.append(f'{head} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is formula:
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
                    .replace("\r", "&#13;")
                if cached is None:
                    xml.append(f"{head}><f>{value}</f></c>")
                elif type(cached) is int:  # the common cases first: whole numbers, serials
                    xml.append(f"{head}><f>{value}</f><v>{cached}</v></c>")
                elif type(cached) is float:
                    xml.append(f"{head}><f>{value}</f><v>{cached!r}</v></c>")
                else:
                    kind_attr, shown = cached_value_xml(cached)
                    xml.append(f"{head}{kind_attr}><f>{value}</f><v>{shown}</v></c>")
            elif kind is number:
                xml.append(f'{head} t="n"><v>{value}</v></c>')
            elif kind is date:
                xml.append(f'{head} t="n"><v>{to_excel(value)}</v></c>')
            elif kind is flag:
                xml.append(f'{head} t="b"><v>{int(value)}</v></c>')
            else:
                raise ValueError(f"unknown cell kind {kind!r}")
        xml.append("</row>")
        write("".join(xml))

    return write_row


def stream_rows(ws, style_ids: Mapping[str, int], write: Callable[[str], None]) -> str:
    """Make `ws.append(cells)` on a write-only sheet write the row of planned Cells as XML text
    through `write` (cells take the style index of their role, from register_styles), instead
    of building openpyxl cells, leaving the sheet's sheetData empty for save_spliced to fill.
    Hooks the two per-row steps of openpyxl's write-only sheet (values into cells, cells into
    XML) on this one sheet; all else (head, tail, styles, charts, package) stays openpyxl's.
    Returns the sheet part's scratch file name, the key save_spliced splices rows in at."""
    check_sheet_internals(ws)
    ws._values_to_row = _values_as_given
    ws._writer.write_row = _row_xml_writer(ws, style_ids, write)
    return ws._writer.out


def _values_as_given(values, row_idx):
    return values


def check_sheet_internals(ws) -> None:
    """Raise OpenpyxlInternalsError unless ws is a write-only sheet with the internals
    stream_rows hooks: _get_writer(), _writer.write_row(row, row_idx), _writer.out (the scratch
    file name of the sheet's part) and _values_to_row(values, row_idx)."""
    missing = []
    get_writer = getattr(ws, "_get_writer", None)
    if callable(get_writer):
        get_writer()
    else:
        missing.append("WriteOnlyWorksheet._get_writer()")
    writer = getattr(ws, "_writer", None)
    if not callable(getattr(writer, "write_row", None)):
        missing.append("WorksheetWriter.write_row(row, row_idx)")
    if not isinstance(getattr(writer, "out", None), str):
        missing.append("WorksheetWriter.out (a file name)")
    if not callable(getattr(ws, "_values_to_row", None)):
        missing.append("WriteOnlyWorksheet._values_to_row(values, row_idx)")
    if missing:
        raise OpenpyxlInternalsError(
            f"{type(ws).__name__} lacks {', '.join(missing)}: the report writer streams rows "
            "through openpyxl 3.1's write-only internals; install openpyxl>=3.1,<3.2")


def check_openpyxl_internals() -> None:
    """Every openpyxl internal this module relies on, checked on a scratch write-only book."""
    book = new_write_only_book()
    ws = book.create_sheet("check")
    cell = WriteOnlyCell(ws)
    missing = [f"WriteOnlyCell.{name}" for name in ("_value", "_style", "data_type")
               if not hasattr(cell, name)]
    if not callable(getattr(getattr(book, "_cell_styles", None), "add", None)):
        missing.append("Workbook._cell_styles.add(style_array)")
    if not callable(getattr(Image, "_data", None)):
        missing.append("drawing.image.Image._data()")
    if list(inspect.signature(ExcelWriter).parameters) != ["workbook", "archive"] \
            or not callable(getattr(ExcelWriter, "save", None)):
        missing.append("ExcelWriter(workbook, archive).save()")
    if missing:
        raise OpenpyxlInternalsError(f"openpyxl lacks {', '.join(missing)}; install "
                                     "openpyxl>=3.1,<3.2")
    check_sheet_internals(ws)


# ---------------------------------------------------------------------------------------------
# Saving: fixed zip entry times and document timestamps (the same cells give the same bytes)

def zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry as every .xlsx the add-in writes has it: ZIP_TIME, deflated, mode 644."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


class _RepeatableZip(zipfile.ZipFile):
    """The zip openpyxl's ExcelWriter saves into: every part gets zip_entry's time and mode,
    and each streamed sheet gets its rows spliced in."""

    def __init__(self, path, splices: Mapping[str, str]):
        super().__init__(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self._splices = splices
        self.spliced: set[str] = set()

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        super().writestr(zip_entry(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        rows = self._splices.get(str(filename))
        size = os.path.getsize(filename) + (os.path.getsize(rows) if rows else 0)
        big = size * 1.05 > zipfile.ZIP64_LIMIT
        with open(filename, "rb") as part, \
                self.open(zip_entry(arcname or str(filename)), "w", force_zip64=big) as out:
            if rows is None:
                shutil.copyfileobj(part, out, 1 << 20)
                return
            head, found, tail = part.read().partition(b"<sheetData></sheetData>")
            if not found:
                raise OpenpyxlInternalsError(f"no empty sheetData in {arcname} to put its rows in")
            self.spliced.add(str(filename))
            out.write(head + b"<sheetData>")
            with open(rows, "rb") as rows_file:
                shutil.copyfileobj(rows_file, out, 1 << 20)
            out.write(b"</sheetData>" + tail)


def save_spliced(book: Workbook, path: str | Path, splices: Mapping[str, str],
                 created: dt.datetime | None = None) -> None:
    """Save a write-only book whose sheets' rows were streamed (stream_rows: sheet part file
    name -> file of its rows' XML), repeatably: its document dates are `created` (the run's
    time) or FIXED_TIME."""
    book.properties.created = book.properties.modified = created or FIXED_TIME
    archive = _RepeatableZip(path, splices)
    try:
        ExcelWriter(book, archive).save()  # closes the archive
    finally:
        if archive.fp is not None:
            archive.close()
    if archive.spliced != set(splices):  # never ship a sheet without its rows
        raise OpenpyxlInternalsError("openpyxl did not write every sheet through the report's "
                                     "zip; install openpyxl>=3.1,<3.2")


def save_book(book: Workbook, path: str | Path) -> None:
    book.save(path)
    make_repeatable(path)


def make_repeatable(path: str | Path) -> None:
    """Rewrite an .xlsx with fixed zip entry times and fixed document timestamps."""
    path = Path(path)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    with zipfile.ZipFile(path) as src, open(fd, "wb") as raw, \
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zip_entry(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", src.read(info.filename))
                dst.writestr(entry, data)
                continue
            # Copied in chunks: a sheet of a million rows never sits in memory whole.
            with src.open(info) as part, \
                    dst.open(entry, "w", force_zip64=info.file_size * 1.05 > zipfile.ZIP64_LIMIT) as out:
                shutil.copyfileobj(part, out, 1 << 20)
    shutil.move(tmp, path)
