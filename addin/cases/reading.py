"""Reading case files (CSV, XLSX, Parquet) into a frame of cells, with the guards that keep a
hostile or broken file from exhausting memory or running code: size, archive and entity checks."""

from __future__ import annotations

import csv
import io
import itertools
import stat
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from ..ahead import alongside
from .arrow_csv import read_text_table, record_lines
from .columns import CARRIED_PREFIX, HEADER_SEARCH_ROWS, REQUIRED_COLUMNS
from .errors import CaseFileError
from .headers import (NO_MAP, Headers, find_header, header_text, missing_columns,
                      normalize_column, resolve_headers)
from .mapping import CaseMap, How, Reading
from .spelling import spelling_key
from .text import is_blank, text_array
from .workbook_cells import calamine_book, calamine_failed

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024
# Worksheet XML written by Excel, LibreOffice or openpyxl deflates 5-30x (15x for a sheet of
# identical rows); a large part expanding 100x or more is built to exhaust memory.
MAX_XLSX_PART_RATIO = 100
EXCEL_MAX_ROWS = 1_048_576  # the most rows an Excel sheet can hold


CSV_HEAD_CHARS = 1 << 20  # the header is looked for in the first MiB of a CSV text

__all__ = ["CaseFileError", "normalize_column", "prepare_frame", "prepare_table", "read_case_file",
           "read_cases", "check_xlsx_archive"]


class SourceTable(NamedTuple):
    """A file's table as read: the cells under the export's headers, and where they were."""
    frame: pd.DataFrame
    rows: np.ndarray | None     # each data row's number in the file (None: 1, 2, ...)
    header_row: int             # the file's row of the header (0: the format has none)
    sheet: str | None


def _check_size(path: Path) -> None:
    try:
        info = path.stat()
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot read the case file: {exc.strerror or exc}") from None
    size = info.st_size
    # A pipe or a device (a link to /dev/zero) has no size to check: reading it would never end.
    if not stat.S_ISREG(info.st_mode):
        raise CaseFileError(f"{path}: not a regular file; give the path of a saved case file")
    if size > MAX_FILE_BYTES:
        raise CaseFileError(f"{path}: the file is {size / 2**20:.0f} MiB; case files are "
                            f"limited to {MAX_FILE_BYTES // 2**20} MiB")


def _check_text(path: Path, raw: bytes) -> None:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CaseFileError(f"{path}: UTF-16 text (Excel's \"Unicode Text\"); save it as CSV UTF-8")
    if b"\x00" in raw[:65536]:
        raise CaseFileError(f"{path}: not a text CSV file (it contains binary data); save it as "
                            "CSV UTF-8 or XLSX")


def _decode(path: Path, raw: bytes, end: int | None = None) -> str:
    """The text of raw[:end] (a character cut at `end` is left out)."""
    try:
        return raw[:end].decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if end is not None and len(raw) > end and exc.start >= end - 3:
            return raw[:exc.start].decode("utf-8-sig")
        raise CaseFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None


def _csv_head(text: str, sep: str) -> tuple[list[list[str]], list[int]]:
    """The first records of a CSV text, and the line each ends on (csv counts quoted breaks)."""
    reader = csv.reader(io.StringIO(text[:CSV_HEAD_CHARS]), delimiter=sep)
    records, ends = [], []
    try:
        for record in itertools.islice(reader, HEADER_SEARCH_ROWS):
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error:
        pass  # a field longer than csv allows: not a header; pandas judges the file
    return records, ends


def _csv_layout(path: Path, text: str, case_map: CaseMap) -> tuple[str, int, list[str]]:
    """(delimiter, lines above the header, the header): the first delimiter under which one of
    the first rows holds the required columns."""
    first_line = text.split("\n", 1)[0]
    usual = next((c for c in (";", "\t", "|") if "," not in first_line and c in first_line), ",")
    for sep in dict.fromkeys((usual, ",", ";", "\t", "|")):
        records, ends = _csv_head(text, sep)
        found = find_header(records, case_map)
        if found is not None:
            return sep, ends[found - 1] if found else 0, records[found]
    if not text.strip():
        raise CaseFileError(f"{path}: not a readable CSV table: the file is empty")
    raise CaseFileError(f"{path}: {missing_columns(_csv_head(text, usual)[0], case_map)}")


def _csv_lines(frame: pd.DataFrame, text: str) -> np.ndarray:
    """How many lines of the file each record spans: a quoted cell may hold line breaks."""
    lines = np.ones(len(frame), dtype=np.int64)
    if '"' in text:
        for column in frame.columns:
            lines += frame[column].str.count("\n").to_numpy(dtype=np.int64)
    return lines


def _read_csv(path: Path, case_map: CaseMap, meanwhile: Callable[[], None] | None = None) -> SourceTable:
    raw = path.read_bytes()
    _check_text(path, raw)
    head = _decode(path, raw, 4 * CSV_HEAD_CHARS)   # holds the first CSV_HEAD_CHARS characters
    sep, above, header = _csv_layout(path, head, case_map)
    frame = alongside(read_text_table, raw, sep, above, header, meanwhile=meanwhile)
    if frame is not None:
        text_last = raw[raw.rfind(b"\n") + 1:].decode("utf-8", "replace")
        lines = record_lines(frame, b'"' in raw)
    else:
        text = _decode(path, raw)
        del raw
        frame = _read_csv_pandas(path, text, sep, above, header)
        text_last, lines = text[text.rfind("\n") + 1:], _csv_lines(frame, text)
    # A file cut short (a copy or download interrupted) ends mid-row, without a line break: the
    # cut row would compute from partial cells (a salary of 24 for 240000). Its last line, when
    # it holds no quoted field, is a whole record, so its fields can simply be counted.
    last = text_last
    if len(frame) and last and not last.endswith("\r") and '"' not in last \
            and last.count(sep) + 1 < frame.shape[1]:
        raise CaseFileError(f"{path}: the last line has {last.count(sep) + 1} of {frame.shape[1]} "
                            "columns and no line break: the file looks cut short; save or copy it again")
    start = np.zeros(len(frame), dtype=np.int64)
    np.cumsum(lines[:-1], out=start[1:])
    return SourceTable(frame, above + 2 + start, above + 1, None)


def _read_csv_pandas(path: Path, text: str, sep: str, above: int, header: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep,
                            skipinitialspace=False, engine="c", skiprows=above,
                            skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise CaseFileError(f"{path}: not a readable CSV table: {str(exc).splitlines()[0]}") from None
    if len(header) == frame.shape[1]:
        frame.columns = header  # the header as written (pandas renames repeated names)
    return frame


def check_xlsx_archive(path: Path, test_parts: bool = True) -> None:
    """Refuse a workbook whose archive no reader should open: a zip bomb, a DTD, and (with
    `test_parts`) a part whose data fail their checksum (see test_xlsx_parts)."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.file_size > 0 and info.compress_size > 0 and info.file_size > 10 * 2**20 and \
                        info.file_size / info.compress_size > MAX_XLSX_PART_RATIO:
                    raise CaseFileError(f"{path}: part {info.filename!r} expands {info.file_size // info.compress_size}"
                                        "x when unpacked; refusing a likely zip bomb")
            if total > MAX_XLSX_UNPACKED_BYTES:
                raise CaseFileError(f"{path}: unpacks to {total / 2**20:.0f} MiB; workbooks are "
                                    f"limited to {MAX_XLSX_UNPACKED_BYTES // 2**20} MiB unpacked")
            for info in archive.infolist():
                # Workbook XML never declares entities; a DTD is an entity-expansion or external-
                # entity attack (openpyxl's parsers refuse it too, with a less clear message).
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as part:
                        head = part.read(4096).replace(b"\x00", b"")
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise CaseFileError(f"{path}: part {info.filename!r} declares XML entities "
                                            "(a DTD), which workbooks never use; refusing it")
    except zipfile.BadZipFile:
        raise CaseFileError(f"{path}: not a valid .xlsx workbook (damaged or not a zip archive)") from None
    if test_parts:
        test_xlsx_parts(path)


def test_xlsx_parts(path: Path) -> None:
    """Refuse a workbook (under 20 MiB) with a part whose data fail their checksum."""
    if path.stat().st_size >= 20 * 2**20:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except zipfile.BadZipFile:
        raise CaseFileError(f"{path}: not a valid .xlsx workbook (damaged or not a zip archive)") from None
    if bad:
        raise CaseFileError(f"{path}: damaged workbook (part {bad!r} is corrupt)")


def _sheet_head(sheet) -> list[tuple]:
    if not hasattr(sheet, "iter_rows"):
        return []  # a chart sheet
    return list(itertools.islice(sheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS))


def _choose_sheet(path: Path, book, case_map: CaseMap):
    """(sheet, index of its header row): the sheet named, or the first holding the cases."""
    if case_map.sheet is not None:
        names = {spelling_key(n): n for n in reversed(book.sheetnames)}
        name = case_map.sheet if case_map.sheet in book.sheetnames else names.get(spelling_key(case_map.sheet))
        if name is None:
            raise CaseFileError(f"{path}: no sheet {case_map.sheet!r}; its sheets are "
                                f"{', '.join(map(repr, book.sheetnames))}")
        head = _sheet_head(book[name])
        found = find_header(head, case_map)
        if found is None:
            raise CaseFileError(f"{path}, sheet {name!r}: {missing_columns(head, case_map)}")
        return book[name], found
    heads = {}
    for name in book.sheetnames:
        heads[name] = _sheet_head(book[name])
        found = find_header(heads[name], case_map)
        if found is not None:
            return book[name], found
    first = book.sheetnames[0]
    others = f" (nor does any of the other sheets, {', '.join(map(repr, book.sheetnames[1:]))})" \
        if len(book.sheetnames) > 1 else ""
    raise CaseFileError(f"{path}, sheet {first!r}: {missing_columns(heads[first], case_map)}{others}; "
                        "name the sheet with --sheet")


def _read_xlsx(path: Path, case_map: CaseMap, meanwhile: Callable[[], None] | None = None) -> SourceTable:
    check_xlsx_archive(path, test_parts=False)
    # The parts are tested, then calamine opens the workbook, on another thread while this one
    # checks the sheets' XML for calamine (zlib and calamine let both run at once).
    with ThreadPoolExecutor(1) as pool:
        tested = pool.submit(test_xlsx_parts, path)
        book = calamine_book(path, EXCEL_MAX_ROWS, pool, meanwhile)   # the fast reader, where its cells are openpyxl's
        try:
            tested.result()
        except BaseException:
            if book is not None:
                book.close()
            raise
    if book is not None:
        try:
            return _read_book(path, book, case_map)
        except CaseFileError:   # the sheet's cells are openpyxl's: so is what is wrong with them
            raise
        except BaseException as exc:  # noqa: B036 - calamine's panics are BaseExceptions
            if not calamine_failed(exc):
                raise
            # A cell it gives otherwise than openpyxl (NotAlike), or what calamine itself cannot
            # read: openpyxl reads the workbook, as it always did.
    import openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise CaseFileError(f"{path}: not a readable .xlsx workbook: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    try:
        return _read_book(path, book, case_map)
    except CaseFileError:
        raise
    except Exception as exc:
        raise CaseFileError(f"{path}: not a readable .xlsx workbook: {type(exc).__name__}") from None


def _read_book(path: Path, book, case_map: CaseMap) -> SourceTable:
    """The case sheet's rows, from an openpyxl workbook or a CalamineBook (the same reading)."""
    try:
        sheet, found = _choose_sheet(path, book, case_map)
        header = _sheet_head(sheet)[found]
        width = len(header)
        while width and header[width - 1] in (None, ""):
            width -= 1
        if hasattr(sheet, "data_columns"):   # calamine's: whole columns at once
            columns = sheet.data_columns(found + 1, width)
            too_many = bool(columns) and len(columns[0]) > EXCEL_MAX_ROWS - found - 1
        else:
            rows = sheet.iter_rows(min_row=found + 2, values_only=True)
            data = [tuple(r[:width]) + (None,) * (width - len(r))
                    for r in itertools.islice(rows, EXCEL_MAX_ROWS - found - 1)]
            columns, too_many = None, next(rows, None) is not None
        if too_many:
            raise CaseFileError(f"{path}, sheet {sheet.title!r}: more than {EXCEL_MAX_ROWS:,} "
                                "rows, the most an Excel sheet holds")
    finally:
        book.close()
    names = [header_text(h) for h in header[:width]]
    if columns is None:
        frame = pd.DataFrame(data, columns=names, dtype=object)
    else:
        index = pd.RangeIndex(len(columns[0]) if columns else 0)
        frame = pd.DataFrame({k: c.to_pandas() if isinstance(c, pa.Array) else pd.Series(c, index=index, dtype=object)
                              for k, c in enumerate(columns)}, index=index)
        frame.columns = names
    return SourceTable(frame, np.arange(found + 2, found + 2 + len(frame)), found + 1, sheet.title)


def _read_parquet(path: Path, case_map: CaseMap, meanwhile: Callable[[], None] | None = None) -> SourceTable:
    try:
        frame = alongside(pd.read_parquet, path, meanwhile=meanwhile)
    except Exception as exc:
        raise CaseFileError(f"{path}: not a readable Parquet file: {type(exc).__name__}") from None
    # A Parquet table has no header row: its rows are numbered from 1.
    return SourceTable(frame, None, 0, None)


READERS = {".csv": _read_csv, ".txt": _read_csv, ".xlsx": _read_xlsx, ".xlsm": _read_xlsx,
           ".parquet": _read_parquet, ".pq": _read_parquet}


def read_cases(path: str | Path, case_map: CaseMap = NO_MAP,
               meanwhile: Callable[[], None] | None = None) -> tuple[pd.DataFrame, Reading]:
    """The case table as read (see prepare_table), and how it was read; CaseFileError when the
    file cannot be used at all. `meanwhile`: work the caller does next, done while the reader
    waits on work that holds no GIL (Arrow reading a CSV or Parquet file, calamine laying out a
    sheet); it may be left undone."""
    p = Path(path)
    _check_size(p)
    suffix = p.suffix.lower()
    if suffix not in READERS:
        raise CaseFileError(f"{p}: unsupported file type {suffix or '(none)'!r}; use .csv, .xlsx or .parquet")
    try:
        table = READERS[suffix](p, case_map, meanwhile)
    except MemoryError:
        raise CaseFileError(f"{p}: too large to read into memory") from None
    except OSError as exc:
        raise CaseFileError(f"{p}: cannot read the case file: {exc.strerror or exc}") from None
    source = f"{p}, sheet {table.sheet!r}" if table.sheet else str(p)
    frame, headers = prepare_table(table.frame, source, case_map, table.rows)
    above = max(table.header_row - 1, 0)
    notes = [f"read {source}" + (f": the header is on row {table.header_row}, {above} "
                                  f"row{'s' * (above != 1)} above it skipped" if above else "")
             ] if above or table.sheet else []
    notes += [f"the input column {a.read_as!r} is carried as {a.became} (the results have a "
              f"column {a.became[len(CARRIED_PREFIX):]!r})" for a in headers.applied if a.how is How.RENAMED]
    rows = len(frame)
    applied = tuple(a._replace(rows=rows) for a in headers.applied)
    return frame, Reading(source, table.sheet, table.header_row, above, headers.headers, applied,
                          tuple(notes))


def read_case_file(path: str | Path, case_map: CaseMap = NO_MAP) -> pd.DataFrame:
    """The case table as read, column names resolved; CaseFileError when unusable."""
    return read_cases(path, case_map)[0]


def name_columns(header: list, case_map: CaseMap = NO_MAP, source: str = "case table") -> Headers:
    """Each header cell's column name (see resolve_headers); CaseFileError naming every
    required column missing."""
    headers = resolve_headers(header, case_map, source)
    if any(c not in headers.names for c in REQUIRED_COLUMNS):
        raise CaseFileError(f"{source}: {missing_columns([header], case_map)}")
    return headers


def prepare_table(frame: pd.DataFrame, source: str = "case table", case_map: CaseMap = NO_MAP,
                  rows: np.ndarray | None = None) -> tuple[pd.DataFrame, Headers]:
    """Name the columns (case-table names, extra columns as read, colliding ones input_<name>),
    check the required columns, drop wholly blank rows, and number each remaining row as the
    file does (`rows`; 1, 2, ... for a table without one) in source_row."""
    headers = name_columns(list(frame.columns), case_map, source)
    frame = frame.copy()
    frame.columns = list(headers.names)
    frame.insert(0, "source_row", np.arange(1, len(frame) + 1) if rows is None else rows)
    # Fully blank rows are not cases (an .xlsx often carries formatted empty rows).
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns[1:]:
        cells = frame[column]
        if isinstance(cells.array, pd.arrays.ArrowStringArray):  # text read by Arrow: no Python strings
            blank &= is_blank(text_array(cells))
            if not blank.any():
                break
            continue
        empty = cells.isna().to_numpy(dtype=bool, copy=True)
        if cells.dtype == object or pd.api.types.is_string_dtype(cells):
            text = cells.astype(object).where(~empty, "").astype(str).str.strip()
            empty |= (text == "").to_numpy(dtype=bool)
        blank &= empty
        if not blank.any():
            break  # the usual case: no blank row, and most columns never looked at
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
    return frame, headers


def prepare_frame(frame: pd.DataFrame, source: str = "case table", case_map: CaseMap = NO_MAP,
                  rows: np.ndarray | None = None) -> pd.DataFrame:
    """prepare_table's frame."""
    return prepare_table(frame, source, case_map, rows)[0]
