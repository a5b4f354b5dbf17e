"""Dates as HR systems write them, and every ambiguity rejected with its message."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from addin.cases import CaseMap, DateOrder, prepare_frame, validate

GOOD = dict(employee_id="E1", termination_reason="without_cause", base_salary="240000")


def read(agreements, *dates, order=None, cells=None):
    """The cases of a table whose termination_date column holds `dates` (or raw `cells`)."""
    values = list(cells) if cells is not None else list(dates)
    frame = pd.DataFrame([{**GOOD, "employee_id": f"E{k}", "termination_date": v}
                          for k, v in enumerate(values)], dtype=object)
    return validate(prepare_frame(frame), agreements, case_map=CaseMap(date_order=order))


@pytest.mark.parametrize("text, day", [
    ("2024-12-31", "2024-12-31"), ("2024/07/01", "2024-07-01"), ("2024.7.1", "2024-07-01"),
    ("31 Dec 2024", "2024-12-31"), ("Dec 31, 2024", "2024-12-31"), ("December 31 2024", "2024-12-31"),
    ("31-Dec-2024", "2024-12-31"), ("Tuesday, December 31, 2024", "2024-12-31"),
    ("12/31/2024", "2024-12-31"), ("31/12/2024", "2024-12-31"), ("31.12.2024", "2024-12-31"),
    ("45657", "2024-12-31"),  # an Excel serial, as a cell without a date format gives it
    ("5/5/2024", "2024-05-05"),  # both orders read the same day
])
def test_each_accepted_form_reads_as_its_day(agreements, text, day):
    cases = read(agreements, text)
    assert cases.errors == ((),) and str(cases.termination_date[0]) == day


@pytest.mark.parametrize("cell", [dt.datetime(2024, 12, 31), dt.date(2024, 12, 31),
                                  pd.Timestamp("2024-12-31"), 45657.0, 45657])
def test_date_cells_and_serials_read_as_their_day(agreements, cell):
    cases = read(agreements, cells=[cell])
    assert cases.errors == ((),) and str(cases.termination_date[0]) == "2024-12-31"


@pytest.mark.parametrize("cell, time", [(dt.datetime(2024, 12, 31, 17, 30), "17:30"),
                                        ("2024-12-31 17:30", "17:30"), ("12/31/2024 5:30 PM", "5:30 PM"),
                                        ("45657.75", "18:00"), ("Dec 31, 2024 08:05", "08:05")])
def test_a_time_of_day_is_dropped_with_a_warning_naming_it(agreements, cell, time):
    cases = read(agreements, cells=[cell])
    assert cases.errors == ((),) and str(cases.termination_date[0]) == "2024-12-31"
    assert f"has a time of day ({time}); read as the date 2024-12-31" in cases.notes[0][0]


def test_a_column_of_slash_dates_is_read_in_the_one_order_that_fits_every_value(agreements):
    us = read(agreements, "12/31/2024", "3/5/2024", "7/1/2024")
    assert [str(d) for d in us.termination_date] == ["2024-12-31", "2024-03-05", "2024-07-01"]
    eu = read(agreements, "31/12/2024", "3/5/2024", "7/1/2024")
    assert [str(d) for d in eu.termination_date] == ["2024-12-31", "2024-05-03", "2024-01-07"]
    assert eu.errors == ((),) * 3


def test_an_undeclared_ambiguous_order_rejects_every_such_row(agreements):
    cases = read(agreements, "3/5/2024", "04/06/2024", "5/5/2024")
    assert "'3/5/2024' is March 5 month-first or May 3 day-first; declare the date order: " \
           "--date-order MDY or DMY" in cases.errors[0][0]
    assert "declare the date order" in cases.errors[1][0]
    assert cases.errors[2] == ()  # the same day either way


def test_a_declared_order_reads_them_and_rejects_what_does_not_fit(agreements):
    cases = read(agreements, "3/5/2024", "12/31/2024", order=DateOrder.DMY)
    assert str(cases.termination_date[0]) == "2024-05-03"
    assert ("'12/31/2024' is not a date in the order DMY (day/month/year); write it as "
            "DD/MM/YYYY or YYYY-MM-DD") in cases.errors[1][0]
    ymd = read(agreements, "3/5/2024", "2024/05/03", order=DateOrder.YMD)
    assert "does not fit the declared date order YMD" in ymd.errors[0][0] and ymd.errors[1] == ()


def test_mixed_date_orders_are_rejected_naming_one_of_each(agreements):
    cases = read(agreements, "12/31/2024", "2024-01-02", "31/12/2024")
    message = ("the column mixes month-first dates ('12/31/2024', row 1) and day-first dates "
               "('31/12/2024', row 3); declare the date order")
    assert message in cases.errors[0][0] and message in cases.errors[2][0]
    assert cases.errors[1] == ()


@pytest.mark.parametrize("text", ["3/5/24", "12/31/24", "31.12.24", "31-Dec-24", "Dec 31, 24"])
def test_a_two_digit_year_is_rejected(agreements, text):
    assert "has a two-digit year; write the year in full" in read(agreements, text).errors[0][0]


@pytest.mark.parametrize("text, message", [
    ("2023-02-29", "'2023-02-29' is not a real calendar date"),
    ("2/30/2024", "is not a real calendar date"),
    ("Dec 2024", "names no day of the month"),
    ("next week", "'next week' is not a date; write it as YYYY-MM-DD"),
    ("1899-12-31", "is outside 1950-2149"),
    ("100", "'100' is not a date"),
])
def test_what_is_not_a_date_says_so(agreements, text, message):
    assert message in read(agreements, text).errors[0][0]


def test_a_large_column_of_iso_text_and_other_forms_reads_every_row(agreements):
    """Many rows of ISO text (the vectorized path) and one of each other form."""
    dates = ["2024-12-31"] * 20_000 + ["Dec 31, 2024", "2024/12/31"]
    cases = read(agreements, *dates)
    assert (cases.termination_date == cases.termination_date[0]).all()
    assert str(cases.termination_date[0]) == "2024-12-31"


@pytest.mark.parametrize("padding", [0, 20_000])   # a formula's few cells, and a long column
def test_the_first_and_last_days_of_the_years_read_are_the_edges(agreements, padding):
    edges = ["1949-12-31", "1950-01-01", "2149-12-31", "2150-01-01", "12/31/1949", "Jan 1, 2150"]
    cases = read(agreements, *edges, *["2024-12-31"] * padding)
    outside = ["is outside 1950-2149" in " ".join(e) for e in cases.errors[:len(edges)]]
    assert outside == [True, False, False, True, True, True]
    assert [str(d) for d in cases.termination_date[1:3]] == ["1950-01-01", "2149-12-31"]
