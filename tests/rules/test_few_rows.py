"""The engine's few rows (up to FEW_DATES, done in Python) give exactly what its many give
(numpy's whole-array paths): distinct keys, paydays and business days; and those are the
calendar's own definitions, computed here day by day with datetime."""

import calendar as month_calendar
import dataclasses
import datetime as dt
from functools import lru_cache

import numpy as np
from hypothesis import example, given, settings, strategies as st

from addin.rules.calendar import (BIWEEKLY, FEW_DATES, MONTHLY, SEMIMONTHLY, WEEKLY, business_day_before,
                                  holiday_dates, payday_date)
from addin.rules.engine import _distinct

DAY = "datetime64[D]"


def _unique(key):
    distinct, inverse = np.unique(key, return_inverse=True)
    return distinct.tolist(), inverse.astype(np.int64).reshape(-1).tolist()


def _agree_with_unique(key, size):
    distinct, position = _distinct(key, size)
    assert position.dtype == np.int64, position.dtype
    assert len(position) == len(key)
    assert (distinct.tolist(), position.tolist()) == _unique(key), (key.tolist(), size)


@st.composite
def _keys(draw, min_size, max_size, dense):
    n = draw(st.integers(min_size, max_size))
    size = draw(st.integers(1, 64 * max(n, 1)) if dense else st.integers(64 * n + 1, 10**12))
    values = draw(st.lists(st.one_of(st.integers(0, min(size - 1, 7)), st.integers(0, size - 1)),
                           min_size=n, max_size=n))
    return np.array(values, dtype=np.int64), size


@settings(max_examples=300, deadline=None)
@given(st.one_of(_keys(0, FEW_DATES, dense=True), _keys(0, FEW_DATES, dense=False)))
@example((np.array([], dtype=np.int64), 1))
@example((np.array([5, 5, 0, 3, 0], dtype=np.int64), 6))
def test_few_keys_distinct_as_numpy_unique(key_size):
    key, size = key_size
    assert len(key) <= FEW_DATES
    _agree_with_unique(key, size)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_keys(FEW_DATES + 1, 300, dense=True), _keys(FEW_DATES + 1, 300, dense=False)))
def test_many_keys_distinct_as_numpy_unique(key_size):
    key, size = key_size
    assert len(key) > FEW_DATES
    _agree_with_unique(key, size)


def test_many_keys_dense_table_at_its_bound():
    rng = np.random.default_rng(7)
    for n in (FEW_DATES + 1, 100, 1000):
        for size in (1, n, 64 * n, 64 * n + 1):
            _agree_with_unique(rng.integers(0, size, n).astype(np.int64), size)
            _agree_with_unique(np.full(n, size - 1, dtype=np.int64), size)


def _month(months: int) -> tuple[int, int]:
    """(year, month 1-12) of a count of months since 1970-01."""
    return 1970 + months // 12, months % 12 + 1


def _semimonthly(i: int) -> dt.date:
    year, month = _month(i // 2)
    return dt.date(year, month, 15 if i % 2 == 0 else month_calendar.monthrange(year, month)[1])


# Semimonthly paydays from 1900-01 to 2200-12 (months since 1970-01: -840 .. 2771).
SEMIMONTHLY_INDEX = np.arange(2 * -840 - 2, 2 * 2772 + 2, dtype=np.int64)
ANCHOR = np.datetime64("2002-01-04", "D")


def _paydays(index, frequency, anchor=None):
    index = np.asarray(index, dtype=np.int64)
    anchor = np.full(len(index), ANCHOR) if anchor is None else anchor
    return payday_date(index, np.asarray(frequency), anchor)


def test_semimonthly_paydays_the_15th_and_the_month_end():
    expected = [_semimonthly(i) for i in SEMIMONTHLY_INDEX.tolist()]
    assert expected[0] < dt.date(1900, 1, 1) and expected[-1] > dt.date(2200, 12, 31)
    frequency = np.full(len(SEMIMONTHLY_INDEX), SEMIMONTHLY, dtype=np.int64)
    many = _paydays(SEMIMONTHLY_INDEX, frequency)
    assert many.dtype == np.dtype(DAY)
    assert many.tolist() == expected
    few = np.concatenate([_paydays(SEMIMONTHLY_INDEX[k:k + FEW_DATES], frequency[k:k + FEW_DATES])
                          for k in range(0, len(SEMIMONTHLY_INDEX), FEW_DATES)])
    assert few.tolist() == expected
    assert [_paydays([i], [SEMIMONTHLY])[0].tolist() for i in (-2, -1, 0, 1, 1083, 1085, 1298, 1299)] == \
        [dt.date(1969, 12, 15), dt.date(1969, 12, 31), dt.date(1970, 1, 15), dt.date(1970, 1, 31),
         dt.date(2015, 2, 28), dt.date(2015, 3, 31), dt.date(2024, 2, 15), dt.date(2024, 2, 29)]


ROWS = st.tuples(st.integers(-7000, 7000), st.sampled_from([WEEKLY, BIWEEKLY, SEMIMONTHLY, MONTHLY]),
                 st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))


def _columns(rows, dtype):
    index = np.array([i for i, _, _ in rows], dtype=np.int64)
    frequency = np.array([f for _, f, _ in rows], dtype=dtype)
    anchor = np.array([a for _, _, a in rows], dtype=DAY)
    return index, frequency, anchor


@settings(max_examples=200, deadline=None)
@given(st.lists(ROWS, min_size=1, max_size=FEW_DATES), st.sampled_from([np.int64, np.int8, np.intp]))
@example([(0, WEEKLY, dt.date(2002, 1, 4)), (1, BIWEEKLY, dt.date(2002, 1, 4)), (-1, SEMIMONTHLY, dt.date(2024, 1, 1)),
          (-1, MONTHLY, dt.date(2024, 1, 1))], np.int64)
def test_few_paydays_as_many(rows, dtype):
    few = payday_date(*_columns(rows, dtype))
    padded = list(rows) * (FEW_DATES // len(rows) + 1)
    assert len(padded) > FEW_DATES
    many = payday_date(*_columns(padded, dtype))
    assert few.dtype == many.dtype == np.dtype(DAY)
    assert few.tolist() == many[:len(rows)].tolist() == many[len(rows):2 * len(rows)].tolist(), rows
    alone = [payday_date(*_columns([row], dtype))[0].tolist() for row in rows]
    assert alone == few.tolist(), rows


@lru_cache(maxsize=None)
def _us_holidays(year: int) -> frozenset:
    return frozenset(holiday_dates("US", year - 1, year))


def _business_day_on_or_before(day: dt.date) -> dt.date:
    holidays = _us_holidays(day.year)
    d = day
    while d.weekday() >= 5 or d in holidays:
        d -= dt.timedelta(days=1)
    return d


DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
AWKWARD = [dt.date(2022, 1, 1), dt.date(2022, 1, 2), dt.date(2022, 1, 3), dt.date(2021, 12, 31), dt.date(2023, 1, 2),
           dt.date(2021, 7, 5), dt.date(2020, 7, 4), dt.date(2024, 12, 25), dt.date(2024, 11, 28),
           dt.date(2024, 11, 29), dt.date(2028, 1, 1), dt.date(2100, 1, 1), dt.date(1990, 1, 1), dt.date(2033, 1, 1)]


def _agree_day_by_day(days):
    expected = [_business_day_on_or_before(d) for d in days]
    d = np.array(days, dtype=DAY)
    whole = business_day_before(d, "US")
    assert whole.dtype == np.dtype(DAY)
    assert whole.tolist() == expected, days
    by_row = business_day_before(d, np.array(["US"] * len(days), dtype=object))
    assert by_row.tolist() == expected, days
    alone = [business_day_before(d[k:k + 1], "US")[0].tolist() for k in range(len(days))]
    assert alone == expected, days


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(DAYS, st.sampled_from(AWKWARD)), min_size=1, max_size=40))
@example(AWKWARD)
def test_business_day_before_us(days):
    _agree_day_by_day(days)


def test_business_day_before_us_hundreds_of_days():
    rng = np.random.default_rng(2024)
    first, last = dt.date(1990, 1, 1).toordinal(), dt.date(2100, 12, 31).toordinal()
    days = [dt.date.fromordinal(int(k)) for k in rng.integers(first, last + 1, 400)] + AWKWARD
    assert len(days) > FEW_DATES
    _agree_day_by_day(days)


def test_business_day_before_keeps_nat():
    d = np.array(["2022-01-01", "NaT", "2024-12-25", "NaT"], dtype=DAY)
    out = business_day_before(d, "US")
    assert np.isnat(out).tolist() == [False, True, False, True]
    assert out[[0, 2]].tolist() == [_business_day_on_or_before(dt.date(2022, 1, 1)),
                                    _business_day_on_or_before(dt.date(2024, 12, 25))]
    assert np.isnat(business_day_before(np.array(["NaT"] * 3, dtype=DAY), "US")).all()
    assert np.isnat(business_day_before(np.array(["NaT"], dtype=DAY), "US")).all()
    many = np.concatenate([d] * (FEW_DATES // len(d) + 1))
    assert np.isnat(business_day_before(many, "US")).tolist() == np.isnat(many).tolist()


# --- the amounts alone (compute(..., paydays=False), what a formula of one figure asks for) ---

_REASONS = ("without_cause", "good_reason", "for_cause", "resignation", "bogus")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.dates(dt.date(1950, 1, 1), dt.date(2149, 12, 31)), st.sampled_from(_REASONS),
    st.integers(-5, 10 ** 11), st.one_of(st.none(), st.integers(0, 10 ** 10)), st.integers(0, 10 ** 10),
    st.integers(0, 10 ** 7), st.sampled_from(["", "weekly", "biweekly", "semimonthly", "monthly"]),
    st.sampled_from(["", "true", "false"])), min_size=1, max_size=80))
def test_the_amounts_alone_are_the_amounts_of_the_whole_computation(rows):
    from addin.cases import from_records
    from addin.rules.engine import PAYDAY_FIELDS, compute
    from addin.rules.terms import load_agreements
    agreements = load_agreements()
    records = [dict(employee_id=f"E{k}", termination_date=d.isoformat(), termination_reason=r,
                    base_salary=f"{b / 100:.2f}", prior_year_bonus_declared="" if dec is None else f"{dec / 100:.2f}",
                    prior_year_bonus_paid=f"{p / 100:.2f}", monthly_benefits_cost=f"{m / 100:.2f}",
                    pay_frequency=f, consented_to_change=c)
               for k, (d, r, b, dec, p, m, f, c) in enumerate(rows)]
    cases = from_records(records, agreements)
    whole, alone = compute(cases, agreements), compute(cases, agreements, paydays=False)
    for field in dataclasses.fields(whole):
        if field.name in PAYDAY_FIELDS:
            assert getattr(alone, field.name) is None
        else:
            assert np.array_equal(getattr(whole, field.name), getattr(alone, field.name)), field.name


def test_a_payday_column_of_the_amounts_alone_is_refused():
    import pytest
    from addin.cases import from_records
    from addin.results.tables import PAYDAY_RESULTS, calc_text
    from addin.rules.engine import compute
    from addin.rules.terms import load_agreements
    agreements = load_agreements()
    cases = from_records([dict(employee_id="E1", termination_date="2024-07-01", termination_reason="without_cause",
                               base_salary="240000.00")], agreements)
    alone = compute(cases, agreements, paydays=False)
    assert calc_text(cases, alone, "cash_total").to_pylist() == ["240000.00"]
    for name in PAYDAY_RESULTS:
        with pytest.raises(ValueError, match="without the payment calendar"):
            calc_text(cases, alone, name)
