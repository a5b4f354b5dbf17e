"""A formula's few cells (up to FEW_CELLS, read in Python) give exactly what a file's many give
(Arrow's whole-column kernels): ISO days, the totals words, duplicate ids and true rows. Each
long column is the few cells followed by padding that changes nothing about them."""

import datetime as dt

import numpy as np
import pyarrow as pa
from hypothesis import example, given, settings, strategies as st

from addin.cases.dates import _few_iso_days, _iso_days
from addin.cases.text import FEW_CELLS, contains, true_rows
from addin.cases.validation import _duplicated

DAY = "datetime64[D]"
YEARS = st.one_of(st.sampled_from([0, 1, 1600, 1900, 2000, 2100, 9999]), st.integers(0, 9999))
TIMES = st.sampled_from(["", " 10:00", "T23:59:59", " 9:30 PM", "T00:00:00.000Z", " 12:00+05:30", "  1:05am"])


@st.composite
def _iso_cells(draw):
    """YYYY-MM-DD (any digits: month 00-19, day 00-39), maybe with a time."""
    year, month, day = draw(YEARS), draw(st.integers(0, 19)), draw(st.integers(0, 39))
    return f"{year:04d}-{month:02d}-{day:02d}{draw(TIMES)}"


@st.composite
def _real_cells(draw):
    """A real day of years 0-9999 (year 0 is leap, as 2000 is), maybe with a time."""
    if draw(st.booleans()):
        d = draw(st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)))
        day = f"0000-{d.month:02d}-{d.day:02d}"
    else:
        day = draw(st.one_of(st.dates(), st.sampled_from([dt.date(1, 1, 1), dt.date(1600, 2, 29), dt.date(1900, 2, 28),
                                                            dt.date(2000, 2, 29), dt.date(9999, 12, 31)]))).isoformat()
    return day + draw(TIMES)


def _days(values) -> list[int]:
    """datetime64[D] as integers (NaT as the same integer, so NaT equals NaT)."""
    values = np.asarray(values)
    assert values.dtype == np.dtype(DAY), values.dtype
    return values.view(np.int64).tolist()


def _few_and_long(cells, padding):
    few = np.array(_few_iso_days(list(cells)), dtype=DAY)
    long = _iso_days(pa.array(list(cells) + padding, pa.string()))
    assert len(cells) + len(padding) > FEW_CELLS
    return _days(few), _days(long)[:len(cells)]


def _repeated(cells):
    return list(cells) * (FEW_CELLS // len(cells) + 1)


@settings(max_examples=400, deadline=None)
@given(st.lists(_iso_cells(), min_size=1, max_size=FEW_CELLS))
@example(["0000-02-29", "0000-02-30", "1900-02-29", "2000-02-29", "2100-02-29", "0001-01-01", "9999-12-31"])
@example(["0000-00-00", "0000-13-01", "0000-12-31", "0000-01-00", "1600-02-29 10:00", "9999-19-39"])
def test_few_iso_days_as_a_long_column_reads_them(cells):
    """Any cells: padded with themselves (the long path takes whichever branch they call for)."""
    few, long = _few_and_long(cells, _repeated(cells))
    assert few == long, cells


@settings(max_examples=300, deadline=None)
@given(st.lists(_iso_cells(), min_size=1, max_size=FEW_CELLS))
@example(["0000-01-01", "0000-02-29", "2024-02-30"])
def test_few_iso_days_as_the_field_by_field_reading(cells):
    """Padded with a day that is no real day, so the long path reads field by field."""
    few, long = _few_and_long(cells, _repeated(cells) + ["2024-02-30"])
    assert few == long, cells


@settings(max_examples=300, deadline=None)
@given(st.lists(_real_cells(), min_size=1, max_size=FEW_CELLS))
@example(["0000-01-01", "0000-02-29", "0000-12-31"])
@example(["0001-01-01", "1600-02-29", "1900-02-28 10:00", "2000-02-29T23:59:59", "9999-12-31"])
def test_few_real_iso_days_as_the_whole_column_cast(cells):
    """Every cell a real day, padded with themselves: Arrow's whole-column cast (for the years
    it reads as days), and no NaT either way."""
    few, long = _few_and_long(cells, _repeated(cells))
    assert few == long, cells
    assert not np.isnat(np.array(few, dtype=np.int64).view(DAY)).any(), cells


TOTALS = "total|sum"
WORD_CHARACTERS = "tTotalsumOALSUMſKkİı x-_1"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=WORD_CHARACTERS, max_size=12), st.text(max_size=12),
                          st.sampled_from(["Total", "SUM", "ſum", "ToTaL", "tota", "su m", "Summe", "SUBTOTAL"])),
                min_size=0, max_size=FEW_CELLS))
@example(["ſum", "ſUM", "totaſ", "TOTAL", "Kelvin", "İtotal", "ı", ""])
def test_totals_words_found_in_few_cells_as_in_many(cells):
    few = contains(pa.array(cells, pa.string()), TOTALS).tolist()
    padded = list(cells) + [""] * (FEW_CELLS + 1)
    long = contains(pa.array(padded, pa.string()), TOTALS)[:len(cells)].tolist()
    assert few == long, cells


IDS = ["", "E1", "e1", "E1 ", " E1", "E2", "E10", "E01", "1", "ſ", "s", "S", "\x00", "é", "e\u0301", "pad"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(IDS), min_size=0, max_size=FEW_CELLS))
@example(["", "", "E1", "e1", "E1 ", "E1"])
@example(["é", "e\u0301", "s", "ſ", "S", "\x00", "\x00"])
def test_duplicate_ids_found_in_few_cells_as_in_many(cells):
    few = _duplicated(pa.array(cells, pa.string())).tolist()
    padded = list(cells) + [f"pad{k}" for k in range(FEW_CELLS + 1)]   # none of them an id above
    long = _duplicated(pa.array(padded, pa.string()))
    assert few == long[:len(cells)].tolist(), cells
    assert not long[len(cells):].any()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), min_size=0, max_size=40))
def test_true_rows_are_flatnonzero(where):
    mask = np.array(where, dtype=bool)
    assert [int(k) for k in true_rows(mask)] == np.flatnonzero(mask).tolist()


def test_true_rows_every_length():
    for n in range(41):
        for mask in (np.zeros(n, dtype=bool), np.ones(n, dtype=bool), np.arange(n) % 3 == 1):
            assert [int(k) for k in true_rows(mask)] == np.flatnonzero(mask).tolist(), (n, mask)


@st.composite
def _day_cells(draw):
    """What _few_days reads itself: blanks and YYYY-MM-DD cells of any digits."""
    if draw(st.integers(0, 5)) == 0:
        return ""
    year, month, day = draw(YEARS), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    return f"{year:04d}-{month:02d}-{day:02d}"


@settings(max_examples=300, deadline=None)
@given(st.lists(_day_cells(), min_size=1, max_size=FEW_CELLS))
@example(["0000-02-30", "0000-02-29", "2024-02-30", "1949-12-31", "2150-01-01", ""])
def test_a_formulas_days_are_read_as_a_files(cells):
    """parse_dates of a few blank or YYYY-MM-DD cells (_few_days) gives the days and messages
    the whole-column reading gives the same cells (padded past FEW_CELLS with a time of day,
    which _few_days never takes)."""
    from collections import defaultdict
    from addin.cases.dates import parse_dates
    few_errors, few_notes = defaultdict(list), defaultdict(list)
    few, _ = parse_dates(pa.array(cells), "termination_date", None, np.arange(1, len(cells) + 1),
                         few_errors, few_notes)
    padded = cells + ["2024-01-01 10:00"] * (FEW_CELLS + 1)
    long_errors, long_notes = defaultdict(list), defaultdict(list)
    long, _ = parse_dates(pa.array(padded), "termination_date", None, np.arange(1, len(padded) + 1),
                          long_errors, long_notes)
    assert np.array_equal(few.view("i8"), long[:len(cells)].view("i8"))
    assert {k: v for k, v in few_errors.items() if v} == {k: v for k, v in long_errors.items() if v and k < len(cells)}
    assert not any(few_notes.values())
