"""The payment calendar's date arithmetic."""

import numpy as np

from addin.rules import calendar


def test_civil_fields_alike_for_a_few_dates_and_for_many():
    """civil reads a formula's few dates with numpy's casts and long columns by arithmetic:
    every day from 1600 to 2400 gives the same (year, month, day) both ways."""
    days = np.arange(np.datetime64("1600-01-01"), np.datetime64("2400-12-31")).astype("datetime64[D]")
    assert len(days) > calendar.FEW_DATES
    many = calendar.civil(days)
    chunks = [calendar.civil(days[k:k + calendar.FEW_DATES]) for k in range(0, len(days), calendar.FEW_DATES)]
    for field, whole in enumerate(many):
        assert np.array_equal(np.concatenate([c[field] for c in chunks]), whole)
    assert [int(v[0]) for v in calendar.civil(np.array(["2024-02-29"], dtype="datetime64[D]"))] == [2024, 2, 29]


def test_the_calendars_known_are_the_holidays_package_s_own():
    """A calendar code is checked against one country's subdivisions, not by importing every
    country: the same answer as holidays.list_supported_countries() for each of them."""
    import holidays
    import pytest

    supported = holidays.list_supported_countries()
    for country, subdivisions in supported.items():
        assert calendar._subdivisions(country) == frozenset(subdivisions), country
    assert calendar._subdivisions("XX") is None
    assert len(calendar.holiday_dates("US-NY", 2024, 2024)) > len(calendar.holiday_dates("US", 2024, 2024))
    for unknown in ("XX", "US-ZZ", "us"):
        with pytest.raises(ValueError, match="is not a known holiday calendar"):
            calendar.holiday_dates(unknown, 2024, 2024)
