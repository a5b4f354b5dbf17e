"""The payment calendar: pay frequencies, regular paydays, holidays and business days.

Paydays are numbered so that whole tables are computed with integer arithmetic: for each pay
frequency, `payday_count(d)` is the index of the first payday after `d`, and `payday_date(i)`
is the date of payday i. Salary continuation (clause (i)) is paid on paydays
count(termination_date) .. count(continuation_end_date) - 1.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np

PAY_FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly")
WEEKLY, BIWEEKLY, SEMIMONTHLY, MONTHLY = range(4)
FREQUENCY_CODES = {name: code for code, name in enumerate(PAY_FREQUENCIES)}
_CYCLE_DAYS = np.array([7, 14, 0, 0], dtype=np.int64)

DAY = "datetime64[D]"
FEW_DATES = 64


def civil(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month 1-12, day) of a datetime64[D] array, in integer arithmetic (proleptic
    Gregorian; H. Hinnant's civil_from_days), several times faster than datetime64 casts on
    long arrays; a few dates (a formula's case) take numpy's casts, fewer calls for the same
    fields."""
    d = np.asarray(d, dtype=DAY)
    if d.size <= FEW_DATES and not np.isnat(d).any():
        years = d.astype("datetime64[Y]")
        months = d.astype("datetime64[M]")
        return (years.astype(np.int64) + 1970, (months - years).astype(np.int64) + 1,
                (d - months).astype(np.int64) + 1)
    z = d.view(np.int64) + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """datetime64[D] of (year, month 1-12, day) arrays (days_from_civil)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return (era * 146097 + doe - 719468).astype(np.int64).view(DAY)


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def leap_year(year: np.ndarray) -> np.ndarray:
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    return _MONTH_DAYS[month] + ((month == 2) & leap_year(year))


def _split(d: np.ndarray, fields=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(months since 1970-01, day of month, days in that month) of a datetime64[D] array
    (`fields`: its civil(d), where the caller has it)."""
    year, month, day = civil(d) if fields is None else fields
    return (year - 1970) * 12 + month - 1, day, days_in_month(year, month)


def month_end(months: np.ndarray) -> np.ndarray:
    """Last day of each month (months since 1970-01 as int64)."""
    year = np.floor_divide(months, 12) + 1970
    month = months - (year - 1970) * 12 + 1
    return from_civil(year, month, days_in_month(year, month))


def add_months(d: np.ndarray, months: np.ndarray) -> np.ndarray:
    """d plus a whole number of months; a day past the new month's end becomes its last day."""
    return add_months_civil(d, months)[0]


def add_months_civil(d: np.ndarray, months: np.ndarray, fields=None) -> tuple[np.ndarray, tuple]:
    """add_months, with the civil fields of the dates it gives (`fields`: civil(d), where the
    caller has it)."""
    year, month, day = civil(d) if fields is None else fields
    target = (year - 1970) * 12 + month - 1 + months
    y = np.floor_divide(target, 12) + 1970
    m = target - (y - 1970) * 12 + 1
    day = np.minimum(day, days_in_month(y, m))
    return from_civil(y, m, day), (y, m, day)


def payday_count(d: np.ndarray, frequency: np.ndarray, anchor: np.ndarray, fields=None) -> np.ndarray:
    """Index of the first regular payday strictly after d (paydays on or before d come before
    it); `fields`: civil(d), where the caller has it."""
    m, day, month_len = _split(d, fields)
    is_last = day == month_len
    semimonthly = 2 * m + (day >= 15) + is_last
    monthly = m + is_last
    cycle = np.where(_CYCLE_DAYS[frequency] > 0, _CYCLE_DAYS[frequency], 1)
    offset = (d - anchor).astype(np.int64)
    cyclic = np.floor_divide(offset, cycle) + 1
    return np.where(frequency == SEMIMONTHLY, semimonthly, np.where(frequency == MONTHLY, monthly, cyclic))


def payday_date(index: np.ndarray, frequency: np.ndarray, anchor: np.ndarray) -> np.ndarray:
    """The date of regular payday number `index`. Each frequency's rule runs on its own rows
    only (a schedule has millions of rows; most are semimonthly or weekly)."""
    index = np.asarray(index, dtype=np.int64)
    out = np.empty(len(index), dtype=DAY)
    frequency = np.asarray(frequency)
    codes = sorted(set(frequency.tolist())) if frequency.size <= FEW_DATES else np.unique(frequency)
    for code in codes:
        rows = frequency == code
        i = index[rows]
        if code == SEMIMONTHLY:  # the 15th (the day after the 14th's month end) or the month's end
            even = i % 2 == 0
            month = np.floor_divide(i, 2)
            out[rows] = month_end(month - even) + np.where(even, 15, 0).astype("timedelta64[D]")
        elif code == MONTHLY:
            out[rows] = month_end(i)
        else:
            out[rows] = anchor[rows] + (i * _CYCLE_DAYS[code]).astype("timedelta64[D]")
    return out


@lru_cache(maxsize=64)
def _business_days(calendar: str, first_year: int, last_year: int) -> np.busdaycalendar:
    """Monday to Friday less the calendar's holidays over the years, as numpy reads them."""
    return np.busdaycalendar(holidays=np.array(holiday_dates(calendar, first_year, last_year), dtype=DAY))


def business_day_before(d: np.ndarray, calendar: np.ndarray | str) -> np.ndarray:
    """d itself when it is a business day, else the business day before it (weekends and the
    holidays of the row's calendar are not business days)."""
    d = np.asarray(d, dtype=DAY)
    out = d.copy()
    ok = ~np.isnat(d)
    if not ok.any():
        return out
    calendars = calendar if isinstance(calendar, np.ndarray) and calendar.shape == d.shape \
        else np.broadcast_to(np.asarray(calendar, dtype=object), d.shape)
    for cal in set(calendars[ok].tolist()):
        rows = ok & (calendars == cal)
        days = d[rows]
        years = days.astype("datetime64[Y]").astype(np.int64) + 1970
        # A year's first days can roll back into the year before, so take one more year.
        out[rows] = np.busday_offset(days, 0, roll="backward",
                                     busdaycal=_business_days(cal, int(years.min()) - 1, int(years.max())))
    return out


@lru_cache(maxsize=None)
def _subdivisions(country: str) -> frozenset[str] | None:
    """The subdivision codes of a country the holidays package knows (None for one it does not):
    holidays.list_supported_countries() for that one country, without importing all the others
    (which costs 0.16 s a command)."""
    if country not in set(holidays.registry.EntityLoader.get_country_codes()):
        return None
    return frozenset(getattr(holidays, country).subdivisions)


def holiday_dates(calendar: str, first_year: int, last_year: int) -> list[dt.date]:
    """Holidays of a calendar ("US", "US-NY", "GB-ENG"; "" for weekends only) over the years."""
    if not calendar:
        return []
    country, _, subdiv = calendar.partition("-")
    subdivisions = _subdivisions(country)
    if subdivisions is None or (subdiv and subdiv not in subdivisions):
        raise ValueError(f"is not a known holiday calendar: {calendar!r}")
    cal = holidays.country_holidays(country, subdiv=subdiv or None,
                                    years=range(first_year, last_year + 1))
    return sorted(cal.keys())
