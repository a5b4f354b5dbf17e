"""Writing result tables safely: atomic replacement, and user text that never becomes a formula."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import threading
from pathlib import Path
from typing import Iterator

import pandas as pd

# A cell starting with one of these is read as a formula (or DDE) by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


class OutputError(Exception):
    """An output that cannot be written; the message says why."""


def neutralize(text: object) -> object:
    """Text a spreadsheet would run as a formula, made inert for CSV with a leading apostrophe
    (the convention Excel and LibreOffice show as plain text)."""
    if isinstance(text, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@contextlib.contextmanager
def atomic_path(out: str | Path, refuse: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """A temporary path beside OUT, renamed onto OUT only when the writer finishes: an
    interrupted run leaves the previous OUT (or none), never a half-written file.

    The path lies in a private hidden folder (.OUT.<random>.partial) that is removed afterwards with
    whatever the writer put there (a writer's own scratch files included); a SIGTERM during the
    write is turned into KeyboardInterrupt so that clean-up runs as it does for Ctrl-C."""
    out = Path(out)
    for other in refuse:
        try:
            if out.resolve() == Path(other).resolve():
                raise OutputError(f"{out}: refusing to overwrite the input file")
        except OSError:
            pass
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{out}: the folder {folder} does not exist")
    # The folder is named before it is made and made inside the try, so that an interrupt
    # at any moment finds the finally that removes it.
    scratch = folder / f".{out.name}.{secrets.token_hex(6)}.partial"
    with _sigterm_interrupts():
        try:
            try:
                scratch.mkdir(mode=0o700)
            except OSError as exc:
                raise OutputError(f"{out}: cannot write in the folder {folder}: "
                                  f"{exc.strerror or exc}") from None
            tmp_path = scratch / out.name
            yield tmp_path
            os.chmod(tmp_path, 0o644)
            os.replace(tmp_path, out)
        finally:
            with _signals_held():
                shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the clean-up is done (where the platform can hold them)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def write_table(frame: pd.DataFrame, out: str | Path | None, refuse=(), sheet: str = "Results") -> None:
    """Write a result table by OUT's suffix (.csv, .json, .xlsx, .parquet); CSV to stdout when
    OUT is None."""
    import sys
    if out is None:
        _csv_safe(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    suffix = Path(out).suffix.lower()
    writers = {".csv": _write_csv, ".json": _write_json, ".xlsx": _write_xlsx, ".parquet": _write_parquet}
    if suffix not in writers:
        raise OutputError(f"{out}: unsupported output type {suffix or '(none)'!r}; "
                          "use .csv, .json, .xlsx or .parquet")
    with atomic_path(out, refuse) as tmp:
        writers[suffix](frame, tmp, sheet)


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        # Amounts are never negative, so only user text can start with a formula prefix.
        cells = frame[column]
        if cells.dtype == object or pd.api.types.is_string_dtype(cells):
            # Vectorized test first: millions of schedule cells, almost none to change.
            risky = cells.astype(str).str.startswith(FORMULA_PREFIXES)
            if risky.any():
                frame[column] = cells.astype(object).where(~risky, cells[risky].map(neutralize))
    return frame


def _write_csv(frame, path, sheet):
    _csv_safe(frame).to_csv(path, index=False, lineterminator="\n")


def _write_json(frame, path, sheet):
    frame.to_json(path, orient="records", indent=1, force_ascii=False)


def _write_parquet(frame, path, sheet):
    frame.astype({c: str for c in frame.columns if frame[c].dtype == object}).to_parquet(path, index=False)


MAX_COLUMN_WIDTH = 60  # characters: longer text (reasons, warnings) is cut off at the edge, not wrapped
FRACTION_RESULTS = ("bonus_proration",)


def _typed(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Amounts and fractions become numbers and ISO dates real dates, so the sheet sums and
    sorts; all other text stays text. Returns the typed frame and each column's number format."""
    from ..excel.cells import DATE_FORMAT, FRACTION_FORMAT, PLAIN_MONEY_FORMAT
    from .tables import DATE_RESULTS, MONEY_RESULTS
    from .payroll import PAYROLL_DATE_COLUMNS
    extra_money = _extra_money()
    dates = ("nominal_date", "payment_date", "termination_date", "date", *PAYROLL_DATE_COLUMNS)
    typed, formats = frame.copy(), {}
    for column in typed.columns:
        if column in MONEY_RESULTS or column == "amount" or column in extra_money:
            typed[column] = typed[column].map(_decimal_or_none).astype(object)
            formats[column] = PLAIN_MONEY_FORMAT
        elif column in FRACTION_RESULTS:
            typed[column] = typed[column].map(_decimal_or_none).astype(object)
            formats[column] = FRACTION_FORMAT
        elif column in DATE_RESULTS or column in dates:
            typed[column] = typed[column].map(_date_or_none).astype(object)
            formats[column] = DATE_FORMAT
    return typed, formats


def _extra_money() -> frozenset[str]:
    """Money columns of the other result tables (payroll, cash flow, journal, what-if)."""
    from .payroll import PAYROLL_MONEY_COLUMNS
    return frozenset({"cash_total", "total_value", "debit", "credit", "opening", "accrued", "paid",
                      "closing", *PAYROLL_MONEY_COLUMNS})


def _decimal_or_none(value):
    from decimal import Decimal, InvalidOperation
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value  # not a number after all: written as the text it is


def _date_or_none(value):
    import datetime as dt
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return value


def _width(frame: pd.DataFrame, column: str, number_format: str | None) -> float:
    """Characters the column's longest shown value needs: money with its thousands separators."""
    cells = frame[column].astype(object)
    text = cells.where(cells.notna(), "").astype(str)
    longest = int(text.str.len().max()) if len(text) else 0
    if number_format and "#,##0" in number_format:
        longest += longest // 3 + 1  # grouping commas and a little room
    return float(min(max(longest, len(str(column))) + 2, MAX_COLUMN_WIDTH))


def _write_xlsx(frame, path, sheet):
    """A sheet a reader can use at once: typed cells, money and date formats, columns wide
    enough for their values (no ###), a frozen header row and a filter."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..excel.xlsx import new_write_only_book, save_book, text_cell, value_cell
    typed, formats = _typed(frame)
    book = new_write_only_book()
    ws = book.create_sheet(sheet[:31])
    for k, column in enumerate(typed.columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = _width(frame, column, formats.get(column))
    ws.freeze_panes = "A2"
    if len(typed.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(typed.columns))}{len(typed) + 1}"
    bold = Font(bold=True)
    header = []
    for column in typed.columns:
        cell = text_cell(ws, column)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    columns = [(typed[c].tolist(), formats.get(c)) for c in typed.columns]
    for r in range(len(typed)):
        ws.append([None if values[r] is None or values[r] == "" else value_cell(ws, values[r], fmt)
                   for values, fmt in columns])
    save_book(book, path)
