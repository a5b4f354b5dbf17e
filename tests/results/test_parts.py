"""The calc and schedule tables in parts (Arrow text, made on two threads ahead of the write)
write the very bytes pandas writes of the whole frames, the formula guard applied alike."""

from __future__ import annotations

import io

import pytest

from addin.cases import from_records
from addin.results import csv_text
from addin.results.output import neutralize
from addin.results.tables import (CALC_MADE, SCHEDULE_MADE, calc_frame, calc_parts, schedule_frame,
                                  schedule_parts)
from addin.rules.engine import compute

CASE = {"employee_name": "Pat Doe", "termination_date": "2024-02-29", "termination_reason": "without_cause",
        "base_salary": "245000.00", "prior_year_bonus_declared": "110000.00",
        "prior_year_bonus_paid": "55000.00", "monthly_benefits_cost": "1620.50"}
ODD = [
    {"employee_id": "=HYPERLINK(\"x\")", "employee_name": "Doe, Pat \"PD\""},
    {"employee_id": "+1", "employee_name": "line\nbreak", "pay_frequency": "weekly"},
    {"employee_id": "-2", "employee_name": "@sum", "termination_reason": "for_cause"},
    {"employee_id": "E4", "base_salary": "-5"},                    # rejected
    {"employee_id": "E5", "termination_date": "2024-13-01"},      # rejected
    {"employee_id": "E6", "termination_reason": "resignation_good_reason", "consented_to_change": "yes"},
    {"employee_id": "E7", "prior_year_bonus_paid": "120000.00", "pay_frequency": "biweekly"},
    {"employee_id": "E8", "termination_date": "2024-01-15", "prior_year_bonus_declared": ""},
    {"employee_id": "E9", "base_salary": "0.01", "pay_frequency": "monthly"},
    {"employee_id": "\tE10", "employee_name": "tab"},
    {"employee_id": "E11", "agreement": "=acme-2030"},             # rejected: no such agreement
]


def _csv(table, made=()) -> bytes:
    out = io.BytesIO()
    csv_text.write_csv(table, out, made=made)
    return out.getvalue()


@pytest.fixture(scope="module")
def computed(agreements):
    records = [dict(CASE, **odd) for odd in ODD] + [dict(CASE, employee_id=f"N{k}") for k in range(40)]
    cases = from_records(records, agreements)
    return cases, compute(cases, agreements)


@pytest.mark.parametrize("rows", [1, 7, 64, 10_000])
def test_calc_in_parts_writes_what_pandas_writes_of_the_frame(computed, rows):
    cases, payouts = computed
    whole = csv_text._pandas_csv(calc_frame(cases, payouts), header=True)
    assert b"'=HYPERLINK" in whole and b'"Doe, Pat ""PD"""' in whole   # the cases are as odd as meant
    assert b",'=acme-2030,rejected," in whole   # an unknown agreement, as written (guarded)
    assert _csv(calc_parts(cases, payouts, rows)) == whole
    # The columns the add-in makes, held as they are (neither scanned nor guarded): the same bytes.
    assert _csv(calc_parts(cases, payouts, rows), CALC_MADE) == whole


@pytest.mark.parametrize("rows", [1, 7, 500, 100_000])
def test_schedule_in_parts_writes_what_pandas_writes_of_the_frame(computed, rows):
    cases, payouts = computed
    frame = schedule_frame(cases, payouts)
    assert len(frame) > 500   # several parts of every size above
    assert _csv(schedule_parts(cases, payouts, rows)) == csv_text._pandas_csv(frame, header=True)
    assert _csv(schedule_parts(cases, payouts, rows)) == _csv(frame)
    assert _csv(schedule_parts(cases, payouts, rows), SCHEDULE_MADE) == _csv(frame)


def test_only_the_columns_the_add_in_makes_are_held_as_they_are(computed):
    """An id or a name (user text) named among the made columns would lose its guard: none is,
    and no cell of a made column holds what the guard or the quotes are for."""
    assert not {"employee_id", "employee_name", "agreement", "reason", "warnings"} & set(CALC_MADE)
    assert "employee_id" not in SCHEDULE_MADE
    cases, payouts = computed
    tables = [(next(calc_parts(cases, payouts, len(cases))), CALC_MADE),
              (next(schedule_parts(cases, payouts, 100_000)), SCHEDULE_MADE)]
    for table, made in tables:
        for name in made:
            cells = table.column(name).to_pylist()
            assert not [c for c in cells if neutralize(c) != c or set(c) & set(',"\n\r\x01\x02\x03\x04')], name


def test_a_schedule_without_payments_is_its_header(agreements):
    cases = from_records([dict(CASE, employee_id="C1", termination_reason="for_cause")], agreements)
    payouts = compute(cases, agreements)
    assert _csv(schedule_parts(cases, payouts)) == csv_text._pandas_csv(schedule_frame(cases, payouts), header=True)


@pytest.mark.parametrize("cells", [
    ["", "=1+1", "", "x", ""], ["", ""], [], ["-5", ""], ["", "", "@a"], ["safe", "", "text"], ["", "+"]])
def test_the_formula_guard_marks_exactly_the_cells_neutralize_marks(cells):
    """Empty cells among the others (the first-byte test then looks at a neighbour's byte)."""
    import pyarrow as pa
    from addin.results.output import neutralize
    guarded = csv_text._guarded(pa.array(cells, pa.string())).to_pylist()
    assert guarded == [neutralize(c) for c in cells]
