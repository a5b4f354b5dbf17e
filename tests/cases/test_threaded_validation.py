"""A long table's columns are made and parsed on two threads: every row's messages and notes,
and every parsed value, are those of the same columns parsed one after the other."""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.cases import prepare_frame, validation

BAD = {
    "termination_date": ["2024-13-01", "", "31/02/2024", "2024-02-29 10:30", "1899-12-31"],
    "termination_reason": ["fired", "", "without cause", "For_Cause"],
    "base_salary": ["-5", "", "$1,000.005", "1e20", "abc"],
    "prior_year_bonus_declared": ["12.345", "x", ""],
    "prior_year_bonus_paid": ["999999999999", "1.5.5"],
    "monthly_benefits_cost": ["-1", "1,620.50"],
    "pay_frequency": ["fortnightly", "", "Weekly"],
    "consented_to_change": ["maybe", "", "YES"],
    "agreement": ["nope", ""],
}
GOOD = {"termination_date": "2024-02-29", "termination_reason": "good_reason", "base_salary": "245000.00",
        "prior_year_bonus_declared": "110000.00", "prior_year_bonus_paid": "55000.00",
        "monthly_benefits_cost": "1620.50", "pay_frequency": "monthly", "consented_to_change": "false",
        "agreement": ""}


def _frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    columns = {"employee_id": [f"E{k % (n - 50)}" for k in range(n)]}   # some ids repeated
    for name, good in GOOD.items():
        bad = np.array(BAD[name], dtype=object)
        cells = np.full(n, good, dtype=object)
        odd = rng.random(n) < 0.3   # most rows have a problem in two or more columns
        cells[odd] = bad[rng.integers(0, len(bad), int(odd.sum()))]
        columns[name] = cells
    return prepare_frame(pd.DataFrame(columns))


def test_threads_give_every_row_the_messages_one_thread_gives(agreements, monkeypatch):
    n = validation.THREADED_ROWS + 1_000
    frame = _frame(n)
    threaded = validation.validate(frame, agreements)
    with monkeypatch.context() as m:
        m.setattr(validation, "THREADED_ROWS", 10 ** 9)
        alone = validation.validate(frame, agreements)
    assert threaded.errors == alone.errors and threaded.notes == alone.notes
    assert sum(len(e) > 1 for e in threaded.errors) > n // 10   # rows with several messages
    assert sum(bool(e) for e in threaded.notes) > 100
    for name in ("termination_date", "base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                 "monthly_benefits_cost", "bonus_declared", "consented_to_change", "valid", "has_notes",
                 "frequency_code", "agreement_code"):
        a, b = getattr(threaded, name), getattr(alone, name)
        if a.dtype.kind == "M":
            a, b = a.view(np.int64), b.view(np.int64)   # (NaT is no day, and equals no NaT)
        assert np.array_equal(a, b), name
    for name in ("termination_reason", "pay_frequency", "agreement"):
        assert list(getattr(threaded, name)) == list(getattr(alone, name)), name
