"""Dates as HR systems write them: ISO text, Excel date cells and serials, YYYY/MM/DD, month
names (31 Dec 2024, Dec 31, 2024) and slash or dot dates in a declared order (or, undeclared,
the one order that fits every value of the column). A time of day is dropped with a note; a
two-digit year, an ambiguous or mixed order, is rejected with what would be accepted.

The ISO text of a CSV or a date cell is the common case: one regular expression and one
vectorized conversion over the column. Every other form is parsed once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dateutil import parser as dateutil_parser

from ..rules.calendar import DAY
from .columns import FIRST_YEAR, LAST_YEAR
from .errors import Problems
from .mapping import Applied, DateOrder, How
from .text import FEW_CELLS, cell, is_blank, mask, matches, series, true_rows

_TIME = r"(?:[ T]+(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
ISO_RE = r"\d{4}-\d{2}-\d{2}" + _TIME
NOT_A_DAY = "is not a real calendar date"
OUTSIDE_YEARS = f"is outside {FIRST_YEAR}-{LAST_YEAR}"
_FIRST_DAY, _PAST_LAST_DAY = np.datetime64(f"{FIRST_YEAR}-01-01", "D"), np.datetime64(f"{LAST_YEAR + 1}-01-01", "D")
YMD_RE = r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME
SLASH_RE = r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME
SHORT_YEAR_RE = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}" + _TIME
SERIAL_RE = r"\d{4,5}(?:\.\d+)?"
MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])", re.I)
MIDNIGHT_RE = r"0{1,2}:00(?::00(?:\.0+)?)?(?:\s*[Aa]\.?[Mm]\.?)?"
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")   # serial 0 in Excel's 1900 date system
SERIAL_RANGE = ((np.datetime64(f"{FIRST_YEAR}-01-01") - EXCEL_EPOCH).astype(int),
                (np.datetime64(f"{LAST_YEAR}-12-31") - EXCEL_EPOCH).astype(int))
NOT_A_DATE = "is not a date; write it as YYYY-MM-DD"
DECLARE = "declare the date order: --date-order MDY or DMY (or order under [dates] in a --map file)"


class Distinct(NamedTuple):
    """The distinct values of a column's non-ISO cells, each read once."""
    days: np.ndarray        # datetime64[D], NaT where not read
    problem: np.ndarray     # the message of a value not read ('' when read)
    time: np.ndarray        # the time of day a read value carried ('' when none)


def _calendar(year, month, day) -> np.ndarray:
    """datetime64[D] of each (year, month, day), NaT where no such day."""
    frame = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float64")
    return pd.to_datetime(frame, errors="coerce").to_numpy(dtype="datetime64[ns]").astype(DAY)


def _nonzero_time(time: pd.Series) -> pd.Series:
    time = time.fillna("")
    return time.where(~time.str.fullmatch(MIDNIGHT_RE) & (time != ""), "")


def _month_name(value: str) -> tuple[object, str, str]:
    """(date, problem, time) of a date written with a month name, by dateutil."""
    if not re.search(r"(?<!\d)\d{4}(?!\d)", value):
        return None, "has a two-digit year; write the year in full (2024, not 24)" \
            if re.search(r"(?<!\d)\d{2}\s*$", value) else NOT_A_DATE, ""
    try:
        one = dateutil_parser.parse(value, default=dt.datetime(2000, 1, 1))
        two = dateutil_parser.parse(value, default=dt.datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None, NOT_A_DATE, ""
    if one.date() != two.date():
        return None, "names no day of the month; " + NOT_A_DATE[3:], ""
    time = "" if one.time() == dt.time(0) else one.strftime("%H:%M")
    return np.datetime64(one.date(), "D"), "", time


def _slash_order(a, b, year, order: DateOrder | None, rows, values) -> tuple[np.ndarray, np.ndarray, str]:
    """(days, problem, the order applied) of day-month or month-day values."""
    mdy, dmy = _calendar(year, a, b), _calendar(year, b, a)
    fits_m, fits_d = ~np.isnat(mdy), ~np.isnat(dmy)
    problem = np.full(len(a), "", dtype=object)
    if order is DateOrder.YMD:
        problem[:] = "does not fit the declared date order YMD (year/month/day); write it as YYYY-MM-DD"
        return np.full(len(a), np.datetime64("NaT"), dtype=DAY), problem, ""
    if order is None:
        only_m, only_d = fits_m & ~fits_d, fits_d & ~fits_m
        if only_m.any() and only_d.any():
            m, d = np.flatnonzero(only_m)[0], np.flatnonzero(only_d)[0]
            problem[:] = (f"the column mixes month-first dates ({values[m]!r}, row {rows[m]}) and "
                          f"day-first dates ({values[d]!r}, row {rows[d]}); {DECLARE}")
            return np.full(len(a), np.datetime64("NaT"), dtype=DAY), problem, ""
        if only_m.any() or only_d.any():
            order = DateOrder.MDY if only_m.any() else DateOrder.DMY
        else:
            same = fits_m & (mdy == dmy)
            days = np.where(same, mdy, np.datetime64("NaT"))
            for k in np.flatnonzero(fits_m & ~same):
                problem[k] = (f"is {pd.Timestamp(mdy[k]):%B %-d} month-first or "
                              f"{pd.Timestamp(dmy[k]):%B %-d} day-first; {DECLARE}")
            problem[~fits_m] = NOT_A_DAY
            return days, problem, ""
    days = mdy if order is DateOrder.MDY else dmy
    shape = "MM/DD/YYYY" if order is DateOrder.MDY else "DD/MM/YYYY"
    problem[np.isnat(days)] = (f"is not a date in the order {order.name} ({order.value}); write it "
                               f"as {shape} or YYYY-MM-DD")
    return days, problem, order.name


def _distinct(values: pd.Series, first_rows: np.ndarray, order: DateOrder | None) -> tuple[Distinct, str]:
    """Every distinct non-ISO value read once; and the slash order applied ('' for none)."""
    n = len(values)
    days = np.full(n, np.datetime64("NaT"), dtype=DAY)
    problem = np.full(n, NOT_A_DATE, dtype=object)
    time = np.full(n, "", dtype=object)
    ymd = values.str.extract(f"^{YMD_RE}$")
    hit = ymd[0].notna().to_numpy()
    if hit.any():
        days[hit] = _calendar(ymd[0][hit], ymd[1][hit], ymd[2][hit])
        problem[hit] = np.where(np.isnat(days[hit]), NOT_A_DAY, "")
        time[hit] = _nonzero_time(ymd[3][hit]).to_numpy(dtype=object)
    slash = values.str.extract(f"^{SLASH_RE}$")
    hit_s = slash[0].notna().to_numpy()
    applied = ""
    if hit_s.any():
        got, why, applied = _slash_order(slash[0][hit_s].astype(int).to_numpy(),
                                         slash[1][hit_s].astype(int).to_numpy(),
                                         slash[2][hit_s].astype(int).to_numpy(), order,
                                         first_rows[hit_s], values[hit_s].to_numpy())
        days[hit_s], problem[hit_s] = got, why
        time[hit_s] = _nonzero_time(slash[3][hit_s]).to_numpy(dtype=object)
    serial = values.str.fullmatch(SERIAL_RE).to_numpy(dtype=bool)
    if serial.any():
        number = values[serial].astype(float).to_numpy()
        inside = (number >= SERIAL_RANGE[0]) & (number <= SERIAL_RANGE[1] + 1)
        whole = np.floor(number).astype(np.int64)
        read = np.flatnonzero(serial)[inside]
        days[read] = EXCEL_EPOCH + whole[inside]
        problem[read] = ""
        minutes = np.round((number[inside] - whole[inside]) * 1440).astype(np.int64)
        time[read] = [f"{m // 60:02d}:{m % 60:02d}" if m else "" for m in minutes]
    short = values.str.fullmatch(SHORT_YEAR_RE).to_numpy(dtype=bool)
    problem[short] = "has a two-digit year; write the year in full (2024, not 24)"
    for k in np.flatnonzero(values.str.contains(MONTH_WORD).to_numpy(dtype=bool) & ~hit & ~hit_s):
        days[k], problem[k], time[k] = _month_name(values.iat[k])
    return Distinct(days, problem, time), applied


def _iso_days(cells: pa.Array) -> np.ndarray:
    """datetime64[D] of YYYY-MM-DD cells (ISO_RE matched), NaT where no such day."""
    day_text = pc.utf8_slice_codeunits(cells, 0, 10)
    try:  # the usual column: every one a real day, which Arrow reads in one pass
        return pc.cast(day_text, pa.date32()).to_numpy(zero_copy_only=False).astype(DAY)
    except pa.ArrowInvalid:  # some cell is no real day: find which, field by field
        def part(a, b):
            return pc.cast(pc.utf8_slice_codeunits(day_text, a, b), pa.int64()).to_numpy(zero_copy_only=False)
        return _real_days(part(0, 4), part(5, 7), part(8, 10))


def _few_iso_days(cells: list[str]) -> list:
    """_iso_days of a few cells (a formula's): each by Python's date, the same proleptic
    Gregorian calendar, for the years it has (1-9999); year 0 by _real_days."""
    days = []
    for c in cells:
        year, month, day = int(c[0:4]), int(c[5:7]), int(c[8:10])
        if year == 0:
            days.append(_real_days(np.array([year]), np.array([month]), np.array([day]))[0])
            continue
        try:
            days.append(dt.date(year, month, day))
        except ValueError:  # no such day
            days.append(None)
    return days


def _real_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """datetime64[D] of (year, month, day) numbers, NaT where that is no real day."""
    real = (month >= 1) & (month <= 12) & (day >= 1)
    start = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    days = start.astype(DAY) + (day - 1).astype("timedelta64[D]")
    real &= days < (start + 1).astype(DAY)
    return np.where(real, days, np.datetime64("NaT"))


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")   # ISO_RE, of a cell of ten characters


def _few_days(cells: list[str], column: str, errors: Problems) -> np.ndarray | None:
    """parse_dates of a formula's few cells when each is blank or a YYYY-MM-DD day (else None:
    parse_dates reads them), by the same readings and with the same messages."""
    if not all(c == "" or len(c) == 10 and _ISO_DAY.fullmatch(c) for c in cells):
        return None
    days = iter(_few_iso_days([c for c in cells if c]))
    out = []
    for k, c in enumerate(cells):
        day = next(days) if c else None
        if not c:
            errors[k].append((column, "required, but blank"))
        elif day is None or isinstance(day, np.datetime64) and np.isnat(day):
            errors[k].append((column, f"{c!r} {NOT_A_DAY}"))
            day = None
        elif not FIRST_YEAR <= (day.year if isinstance(day, dt.date) else 0) <= LAST_YEAR:
            errors[k].append((column, f"{c!r} {OUTSIDE_YEARS}"))
            day = None
        out.append(day)
    return np.array(out, dtype=DAY)


def parse_dates(text: pa.Array, column: str, order: DateOrder | None, rows: np.ndarray,
                errors: Problems, notes: Problems) -> tuple[np.ndarray, tuple[Applied, ...]]:
    """The days of a date column (NaT where not read), with a message for every cell not read
    and a note for every time of day dropped; and the slash-date order applied, if any."""
    n = len(text)
    if n <= FEW_CELLS:
        few = _few_days(text.to_pylist(), column, errors)
        if few is not None:
            return few, ()
    out = np.full(n, np.datetime64("NaT"), dtype=DAY)
    iso = matches(text, ISO_RE)
    time = None   # each cell's time of day ('' for none), made once a cell may have one
    if iso.any():
        at_iso = np.flatnonzero(iso)
        if n <= FEW_CELLS:  # a formula's case: its cells in Python, by the same reading
            few = [c for c, is_iso in zip(text.to_pylist(), iso) if is_iso]
            out[iso] = np.array(_few_iso_days(few), dtype=DAY)
            timed = np.array([len(c) > 10 for c in few], dtype=bool)
        else:
            cells = text.filter(pa.array(iso))
            out[iso] = _iso_days(cells)
            timed = mask(pc.greater(pc.utf8_length(cells), 10))
        if timed.any():
            time = np.full(n, "", dtype=object)
            longer = series(text, at_iso[timed])
            at = longer.str.slice(11).str.extract(r"^[ T]*(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)")[0]
            time[at_iso[timed]] = _nonzero_time(at).str.slice(0, 5).to_numpy(dtype=object)
        for k in true_rows(iso & np.isnat(out)):
            errors[k].append((column, f"{cell(text, k)[:10]!r} {NOT_A_DAY}"))
    blank = is_blank(text)
    for k in true_rows(blank):
        errors[k].append((column, "required, but blank"))
    applied: tuple[Applied, ...] = ()
    rest = np.flatnonzero(~blank & ~iso)
    if len(rest):
        others = series(text, rest)
        codes, uniques = pd.factorize(others.to_numpy(dtype=object))
        first = rows[rest][np.unique(codes, return_index=True)[1]]   # each value's first row
        distinct, order_name = _distinct(pd.Series(uniques, dtype=object), first, order)
        out[rest] = distinct.days[codes]
        time = np.full(n, "", dtype=object) if time is None else time
        time[rest] = distinct.time[codes]
        for k, value, why in zip(rest, others, distinct.problem[codes]):
            if why:
                errors[k].append((column, f"{value[:40]!r} {why}"))
        if order_name:
            slash = others.str.fullmatch(SLASH_RE).to_numpy(dtype=bool)
            example = others.iat[np.flatnonzero(slash)[0]]
            applied = (Applied(column, f"dates such as {example!r}",
                               f"{order_name} ({DateOrder[order_name].value})", int(slash.sum()),
                               How.DATE_ORDER),)
    # (NaT is neither before nor after a day)
    for k in true_rows((out < _FIRST_DAY) | (out >= _PAST_LAST_DAY)):
        errors[k].append((column, f"{cell(text, k)[:40]!r} {OUTSIDE_YEARS}"))
        out[k] = np.datetime64("NaT")
    for k in (true_rows((time != "") & ~np.isnat(out)) if time is not None else ()):
        notes[k].append((column, f"{cell(text, k)[:40]!r} has a time of day ({time[k]}); read as "
                                 f"the date {out[k]}"))
    return out, applied
