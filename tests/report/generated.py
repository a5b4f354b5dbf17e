"""Case tables for the report tests: the hard days (boundaries, leap days, paydays), exact
half cents, hostile text, a second agreement; and the `severance` command."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd



ROOT = Path(__file__).resolve().parents[2]


SEVERANCE = shutil.which("severance", path=str(Path(sys.executable).parent)) or "severance"


HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+1", "\t=2+2", "%ab", "|cmd"]


EXCEL_2007 = {"IF", "OR", "AND", "NOT", "ROUND", "MAX", "MIN", "DATE", "YEAR", "MONTH", "DAY",
              "EOMONTH", "EDATE", "WORKDAY", "INT", "MOD", "INDEX", "MATCH", "SUBTOTAL",
              "COUNTIF", "COUNTA", "SUM", "TEXT", "MID", "ISBLANK"}


SECOND_AGREEMENT = """
[[agreement]]
id = "acme-2019"
title = "ACME 2019 letter"
salary_continuation_months = 18
bonus_floor_fraction = 0.125
benefits_continuation_months = 6
lump_sum_due_days = 45
default_pay_frequency = "monthly"
holiday_calendar = "GB-ENG"
biweekly_anchor = 2019-01-11

[agreement.clause_text]
i = "eighteen months of base salary"
"""


def severance(*args, **kw):
    return subprocess.run([SEVERANCE, *map(str, args)], capture_output=True, text=True,
                          timeout=600, **kw)


def _half_cent_bonus(rng: random.Random) -> tuple[str, str]:
    """A (termination date, declared bonus) whose prorated bonus is an exact half cent."""
    day = rng.randrange(183, 366, 2)  # b x day = 183 (mod 366) has a solution for odd days
    t = dt.date(2024, 1, 1) + dt.timedelta(days=day - 1)
    base = rng.randrange(1, 366)
    cents = next(b for b in range(base, base + 366 * 2) if (b * day) % 366 == 183)
    return t.isoformat(), f"{cents // 100}.{cents % 100:02d}"


def boundary_dates() -> list[dt.date]:
    out = []
    for y in (2000, 2023, 2024, 2100):
        out += [dt.date(y, 1, 1), dt.date(y, 1, 2), dt.date(y, 2, 28), dt.date(y, 3, 1),
                dt.date(y, 7, 1), dt.date(y, 7, 2), dt.date(y, 12, 30), dt.date(y, 12, 31),
                dt.date(y, 6, 14), dt.date(y, 6, 15), dt.date(y, 6, 16), dt.date(y, 1, 31),
                dt.date(y, 6, 4), dt.date(y, 11, 25), dt.date(y, 12, 1)]
    out += [dt.date(2000, 2, 29), dt.date(2024, 2, 29)]
    anchor = dt.date(2002, 1, 4)
    out += [anchor + dt.timedelta(days=14 * k + d) for k in (0, 1, 300) for d in (-1, 0, 1, 7)]
    return out


def generated_records(n: int, seed: int, agreements=("",)) -> list[dict]:
    rng = random.Random(seed)
    reasons = ["without_cause"] * 5 + ["good_reason", "for_cause", "resignation"]
    frequencies = ["weekly", "biweekly", "semimonthly", "monthly", ""]
    dates = boundary_dates()
    records = []
    for i in range(n):
        t = dates[i] if i < len(dates) else dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30))
        declared = rng.choice([f"{rng.randrange(0, 20_000_000) / 100:.2f}", "", "1000.01", "0.05", "0.01"])
        record = {
            "employee_id": f"G{seed}-{i:04d}",
            "employee_name": rng.choice(HOSTILE) if i % 17 == 0 else f"Person {i}",
            "termination_date": t.isoformat(),
            "termination_reason": rng.choice(reasons),
            "base_salary": rng.choice([f"{rng.randrange(1, 50_000_000) / 100:.2f}", "100000.01",
                                       "100000.20", "0.13", "0.01", "200000"]),
            "prior_year_bonus_declared": declared,
            "prior_year_bonus_paid": rng.choice([f"{rng.randrange(0, 20_000_000) / 100:.2f}", "",
                                                 "0", declared]),
            "monthly_benefits_cost": f"{rng.randrange(0, 300_000) / 100:.2f}",
            "pay_frequency": rng.choice(frequencies),
            "consented_to_change": rng.choice(["true", "false", ""]),
            "agreement": rng.choice(agreements),
            "note": rng.choice(HOSTILE + ["ok", ""]),
        }
        if i % 11 == 5:
            record["termination_date"], record["prior_year_bonus_declared"] = _half_cent_bonus(rng)
            record["prior_year_bonus_paid"] = "0"
            record["termination_reason"] = "without_cause"
        records.append(record)
    bad = [
        {"termination_date": "2024-13-01"}, {"base_salary": "-5"}, {"termination_reason": "layoff"},
        {"agreement": "nobody-1999"}, {"employee_id": records[0]["employee_id"]},
        {"base_salary": HOSTILE[0], "employee_name": HOSTILE[3]},
    ]
    for k, change in enumerate(bad):
        records[n - 1 - k] = {**records[n - 1 - k], **change}
    return records


def write_csv(records: list[dict], path: Path) -> Path:
    pd.DataFrame(records, dtype=str).to_csv(path, index=False)
    return path
