"""What-if by termination date: 100 cases x 365 termination dates in one vectorized engine pass
(target: under 1 s), against the same points computed one date at a time."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addin.cases import prepare_frame, validate  # noqa: E402
from addin.results.whatif import Step, termination_dates, what_if, whatif_frame  # noqa: E402
from addin.rules.engine import compute  # noqa: E402
from addin.rules.terms import load_agreements  # noqa: E402
from bench_engine import generate  # noqa: E402


def run(cases: int = 100, days: int = 365) -> list[dict]:
    agreements = load_agreements()
    table = validate(prepare_frame(generate(cases, seed=7), "generated"), agreements)
    dates = termination_dates(dt.date(2024, 1, 1), dt.date(2024, 1, 1) + dt.timedelta(days=days - 1), Step.DAY)
    what_if(table, agreements, dates[:2])  # warm the holiday tables
    t0 = time.perf_counter()
    grid, payouts = what_if(table, agreements, dates)
    frame = whatif_frame(grid, payouts)
    seconds = time.perf_counter() - t0
    assert len(frame) == cases * days
    t0 = time.perf_counter()
    for d in dates[:30]:
        from addin.results.whatif import repeat_cases
        import numpy as np
        compute(repeat_cases(table, np.arange(cases), np.full(cases, d)), agreements)
    one_at_a_time = (time.perf_counter() - t0) / 30 * days
    return [{"name": f"what-if, {cases} cases x {days} dates", "value": seconds, "unit": "s",
             "note": f"engine + table; target < 1 s; date by date: {one_at_a_time:.2f} s "
                     f"({one_at_a_time / seconds:.1f}x)"}]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']:<42} {row['value']:>8.3f} {row['unit']:<4} {row['note']}")
