"""Workbook plumbing shared by every .xlsx the add-in writes: text cells that stay text, and
byte-for-byte repeatable files (fixed timestamps), so outputs can be diffed and audited."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FIXED_TIME = dt.datetime(2002, 2, 8, 0, 0, 0)  # the letter's date: stands for "no timestamp"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot carry; a hostile cell holding them would make the file unreadable.
ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
        return "#,##0.00"
    if isinstance(sample, dt.date):
        return "yyyy-mm-dd"
    return None


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
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
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
