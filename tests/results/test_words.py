"""A row's warnings in words: every warning it holds, in order, '; '-separated, whatever mix of
warnings the rows around it hold (the words are made for each warning's rows only)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from addin.cases import from_records
from addin.results.words import WARNING_WORDS, spread, warning_words
from addin.rules.engine import BELOW_MINIMUM, EARLY_UNDECLARED, INPUT_NOTES, PAID_OVER_DECLARED, compute
from addin.rules.money import format_cents

CASE = {"termination_date": "2024-06-28", "termination_reason": "without_cause", "base_salary": "245000.00",
        "prior_year_bonus_declared": "110000.00", "prior_year_bonus_paid": "55000.00"}


def _expected(cases, payouts, k: int) -> str:
    """One row's words, one warning after another (the definition, in plain Python)."""
    flags, say, words = int(payouts.warning_flags[k]), WARNING_WORDS, []
    if flags & BELOW_MINIMUM:
        words.append(say["below_minimum"][0] + format_cents(int(cases.base_salary[k])) + say["below_minimum"][1]
                     + format_cents(int(payouts.minimum_base_salary[k])))
    if flags & PAID_OVER_DECLARED:
        words.append(say["paid_over_declared"][0] + format_cents(int(cases.prior_year_bonus_paid[k]))
                     + say["paid_over_declared"][1] + format_cents(int(cases.prior_year_bonus_declared[k]))
                     + say["paid_over_declared"][2])
    if flags & EARLY_UNDECLARED:
        words.append(say["early_undeclared"][0])
    if flags & INPUT_NOTES:
        words.append("; ".join(cases.notes[k]))
    return "; ".join(words)


@pytest.mark.parametrize("rows", [5, 63, 64, 3000])
def test_every_mix_of_warnings_reads_as_each_warning_in_turn(agreements, rows):
    records = [dict(CASE, employee_id=f"E{k}", base_salary=f"{150000 + 37 * k}.{k % 100:02d}",
                    prior_year_bonus_paid=f"{50000 + 91 * k}.00") for k in range(rows)]
    cases = from_records(records, agreements)
    payouts = compute(cases, agreements)
    generator = np.random.default_rng(rows)
    flags = generator.integers(0, 16, rows) * (generator.random(rows) < 0.7)   # some rows with none
    notes = tuple((f"note {k}", "a second note") if k % 2 else (f"note {k}",) for k in range(rows))
    cases, payouts = replace(cases, notes=notes), replace(payouts, warning_flags=flags.astype(np.int64))
    assert set(flags.tolist()) >= ({0, 15} if rows > 100 else {0})
    assert warning_words(cases, payouts).to_pylist() == [_expected(cases, payouts, k) for k in range(rows)]


@pytest.mark.parametrize("n, at, cells", [
    (5, [1, 3], ["ab", "c"]), (3, [], []), (4, [0, 1, 2, 3], ["", "x", "", "yy"]), (2, [0], [""]),
    (70, list(range(0, 70, 3)), [str(k) * k for k in range(0, 70, 3)])])
def test_spread_places_each_text_at_its_row_and_blanks_the_others(n, at, cells):
    for text in (pa.array(cells, pa.string()), pa.array(["skip"] + cells + ["skip"], pa.string()).slice(1, len(cells))):
        placed = spread(n, np.array(at, dtype=np.int64), text)
        placed.validate(full=True)
        expected = [""] * n
        for k, cell in zip(at, cells):
            expected[k] = cell
        assert placed.to_pylist() == expected
