"""Engine throughput: cases/second of the vectorized engine at 10k, 100k and 1M generated cases,
against a plain per-row Decimal loop (tests/reference.py) timed in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addin.cases import prepare_frame, validate  # noqa: E402
from addin.rules.engine import compute  # noqa: E402
from addin.rules.terms import load_agreements  # noqa: E402

from tests.support import oracle as reference  # noqa: E402

REASONS = np.array(["without_cause", "good_reason", "for_cause", "resignation"], dtype=object)
FREQUENCIES = np.array(["weekly", "biweekly", "semimonthly", "monthly"], dtype=object)


def generate(n: int, seed: int = 1) -> pd.DataFrame:
    """A realistic case table of n rows, as text cells (what a CSV gives)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2015-01-01")
    dates = start + rng.integers(0, 365 * 12, n).astype("timedelta64[D]")
    def money(lo, hi):
        cents = rng.integers(lo * 100, hi * 100, n)
        return pd.Series(cents // 100).astype(str).str.cat(
            pd.Series(cents % 100).astype(str).str.zfill(2), sep=".")
    declared = money(0, 300_000)
    declared[rng.random(n) < 0.15] = ""
    return pd.DataFrame({
        "employee_id": pd.Series(np.arange(n)).map("E{:07d}".format),
        "termination_date": pd.Series(np.datetime_as_string(dates, unit="D")),
        "termination_reason": REASONS[rng.choice(4, n, p=[0.55, 0.2, 0.15, 0.1])],
        "base_salary": money(150_000, 600_000),
        "prior_year_bonus_declared": declared,
        "prior_year_bonus_paid": money(0, 200_000),
        "monthly_benefits_cost": money(500, 3_000),
        "pay_frequency": FREQUENCIES[rng.integers(0, 4, n)],
        "consented_to_change": np.where(rng.random(n) < 0.3, "true", "false"),
    })


def per_row_loop(frame: pd.DataFrame) -> float:
    """Seconds for the per-row Decimal reading of the letter over every row of `frame`."""
    rows = frame.to_dict("records")
    t0 = time.perf_counter()
    for row in rows:
        reference.severance(
            dt.date.fromisoformat(row["termination_date"]), row["termination_reason"],
            Decimal(row["base_salary"]),
            Decimal(row["prior_year_bonus_declared"]) if row["prior_year_bonus_declared"] else None,
            Decimal(row["prior_year_bonus_paid"]), Decimal(row["monthly_benefits_cost"]),
            row["pay_frequency"], row["consented_to_change"] == "true")
    return time.perf_counter() - t0


def run(sizes=(10_000, 100_000, 1_000_000), loop_rows: int = 10_000) -> list[dict]:
    agreements = load_agreements()
    loop_seconds = per_row_loop(generate(loop_rows, seed=2))
    loop_rate = loop_rows / loop_seconds
    rows = [{"name": f"per-row Decimal loop ({loop_rows:,} cases)", "value": loop_rate,
             "unit": "cases/s", "note": f"{loop_seconds:.2f} s"}]
    compute_s, validate_s = {}, {}
    for n in sizes:
        frame = generate(n)
        t0 = time.perf_counter()
        cases = validate(prepare_frame(frame, "generated"), agreements)
        t_validate = time.perf_counter() - t0
        compute(cases, agreements)  # warm caches (holiday tables) before timing
        timings = []
        for _ in range(3):  # best of three: at 10k a compute is a few ms, easily hit by a busy moment
            t0 = time.perf_counter()
            payouts = compute(cases, agreements)
            timings.append(time.perf_counter() - t0)
        t_compute = min(timings)
        assert len(payouts) == n
        compute_s[n], validate_s[n] = t_compute, t_validate
        target = "; target (1M): < 2 s and >= 50x" if n == 1_000_000 else ""
        rows.append({"name": f"engine compute, {n:,} cases", "value": n / t_compute, "unit": "cases/s",
                     "note": f"{t_compute:.3f} s (best of 3); {n / t_compute / loop_rate:.0f}x the per-row "
                             f"loop{target}"})
        rows.append({"name": f"read + validate, {n:,} cases", "value": n / t_validate, "unit": "cases/s",
                     "note": f"{t_validate:.2f} s (parsing text cells, vectorized checks)"})
    if len(sizes) > 1:
        rows.append(growth_row("engine cost growth, time per case", compute_s,
                               f"read + validate: {_ratios(validate_s)}"))
    return rows


def _ratios(seconds: dict[int, float]) -> str:
    base = min(seconds)
    per_case = {n: s / n for n, s in seconds.items()}
    return ", ".join(f"{n:,}: {per_case[n] / per_case[base]:.2f}x" for n in sorted(seconds))


def growth_row(name: str, seconds: dict[int, float], more: str = "") -> dict:
    """Time per case at each size over time per case at the smallest size (1.0x = linear)."""
    base, top = min(seconds), max(seconds)
    value = seconds[top] / top / (seconds[base] / base)
    return {"name": f"{name} vs {base:,}", "value": value, "unit": "x",
            "note": f"compute: {_ratios(seconds)}" + (f"; {more}" if more else "")
                    + "; 1.0x = linear, below 1 = fixed costs spread over more cases"}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    for row in run(sizes):
        print(f"{row['name']:<42} {row['value']:>14,.0f} {row['unit']:<8} {row['note']}")


if __name__ == "__main__":
    main()
