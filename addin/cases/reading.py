"""Reading case files (CSV, XLSX, Parquet) into a frame of cells, with the guards that keep a
hostile or broken file from exhausting memory or running code: size, archive and entity checks."""

from __future__ import annotations

import itertools
import re
import stat
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .columns import REQUIRED_COLUMNS

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024
# Worksheet XML written by Excel, LibreOffice or openpyxl deflates 5-30x (15x for a sheet of
# identical rows); a large part expanding 100x or more is built to exhaust memory.
MAX_XLSX_PART_RATIO = 100
EXCEL_MAX_ROWS = 1_048_576  # the most rows an Excel sheet can hold


class CaseFileError(Exception):
    """A case file that cannot be used at all (unreadable, or a required column missing)."""


def normalize_column(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


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


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CaseFileError(f"{path}: UTF-16 text (Excel's \"Unicode Text\"); save it as CSV UTF-8")
    if b"\x00" in raw[:65536]:
        raise CaseFileError(f"{path}: not a text CSV file (it contains binary data); save it as "
                            "CSV UTF-8 or XLSX")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
    import io
    first_line = text.split("\n", 1)[0]
    sep = ","
    if "," not in first_line:
        for candidate in (";", "\t", "|"):
            if candidate in first_line:
                sep = candidate
                break
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep,
                            skipinitialspace=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise CaseFileError(f"{path}: not a readable CSV table: {str(exc).splitlines()[0]}") from None
    # A file cut short (a copy or download interrupted) ends mid-row, without a line break: the
    # cut row would compute from partial cells (a salary of 24 for 240000). Its last line, when
    # it holds no quoted field, is a whole record, so its fields can simply be counted.
    last = text[text.rfind("\n") + 1:]
    if len(frame) and last and not last.endswith("\r") and '"' not in last \
            and last.count(sep) + 1 < frame.shape[1]:
        raise CaseFileError(f"{path}: the last line has {last.count(sep) + 1} of {frame.shape[1]} "
                            "columns and no line break: the file looks cut short; save or copy it again")
    return frame


def check_xlsx_archive(path: Path) -> None:
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
            bad = archive.testzip() if path.stat().st_size < 20 * 2**20 else None
            if bad:
                raise CaseFileError(f"{path}: damaged workbook (part {bad!r} is corrupt)")
    except zipfile.BadZipFile:
        raise CaseFileError(f"{path}: not a valid .xlsx workbook (damaged or not a zip archive)") from None


def _read_xlsx(path: Path) -> pd.DataFrame:
    import openpyxl
    check_xlsx_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise CaseFileError(f"{path}: not a readable .xlsx workbook: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    try:
        names = {name.lower(): name for name in book.sheetnames}
        sheet = book[names.get("cases", book.sheetnames[0])]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise CaseFileError(f"{path}: the sheet {sheet.title!r} is empty")
        width = len(header)
        while width and header[width - 1] in (None, ""):
            width -= 1
        data = [tuple(r[:width]) + (None,) * (width - len(r))
                for r in itertools.islice(rows, EXCEL_MAX_ROWS - 1)]
        if next(rows, None) is not None:
            raise CaseFileError(f"{path}: the sheet {sheet.title!r} has more than "
                                f"{EXCEL_MAX_ROWS:,} rows, the most an Excel sheet holds")
    except CaseFileError:
        raise
    except Exception as exc:
        raise CaseFileError(f"{path}: not a readable .xlsx workbook: {type(exc).__name__}") from None
    finally:
        book.close()
    columns = ["" if h is None else str(h) for h in header[:width]]
    return pd.DataFrame(data, columns=columns, dtype=object)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:
        raise CaseFileError(f"{path}: not a readable Parquet file: {type(exc).__name__}") from None


def read_case_file(path: str | Path) -> pd.DataFrame:
    """The case table as read, column names normalized; CaseFileError when unusable."""
    p = Path(path)
    _check_size(p)
    suffix = p.suffix.lower()
    readers = {".csv": _read_csv, ".txt": _read_csv, ".xlsx": _read_xlsx, ".xlsm": _read_xlsx,
               ".parquet": _read_parquet, ".pq": _read_parquet}
    if suffix not in readers:
        raise CaseFileError(f"{p}: unsupported file type {suffix or '(none)'!r}; use .csv, .xlsx or .parquet")
    try:
        frame = readers[suffix](p)
    except MemoryError:
        raise CaseFileError(f"{p}: too large to read into memory") from None
    except OSError as exc:
        raise CaseFileError(f"{p}: cannot read the case file: {exc.strerror or exc}") from None
    return prepare_frame(frame, str(p))


def prepare_frame(frame: pd.DataFrame, source: str = "case table") -> pd.DataFrame:
    """Normalize column names, check required columns, drop wholly blank rows (keeping each
    remaining row's position in the file as source_row)."""
    columns = [normalize_column(c) for c in frame.columns]
    seen: dict[str, str] = {}
    for original, name in zip(frame.columns, columns):
        if name in seen and name:
            raise CaseFileError(f"{source}: columns {seen[name]!r} and {original!r} both mean {name!r}")
        seen[name] = str(original)
    frame = frame.copy()
    frame.columns = columns
    for column in REQUIRED_COLUMNS:
        if column not in frame.columns:
            raise CaseFileError(f"{source}: required column {column!r} is missing "
                                f"(found: {', '.join(c for c in columns if c) or 'no columns'})")
    frame.insert(0, "source_row", np.arange(1, len(frame) + 1))
    # Fully blank rows are not cases (an .xlsx often carries formatted empty rows).
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns[1:]:
        cells = frame[column]
        empty = cells.isna().to_numpy(dtype=bool, copy=True)
        if cells.dtype == object or pd.api.types.is_string_dtype(cells):
            text = cells.astype(object).where(~empty, "").astype(str).str.strip()
            empty |= (text == "").to_numpy(dtype=bool)
        blank &= empty
        if not blank.any():
            break  # the usual case: no blank row, and most columns never looked at
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
    return frame
