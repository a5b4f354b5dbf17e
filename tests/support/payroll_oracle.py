"""An independent, per-payment reading of the withholding and Section 409A rules in plain
Decimal and datetime, written from the issue's rules, sharing no code with the engine.

It reads the tax figures straight out of the TOML files (tomllib, no loader), and takes one
case's payments as (payment date, amount) pairs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

TAX_FOLDER = Path(__file__).resolve().parents[2] / "addin" / "rules" / "tax"
CENT = Decimal("0.01")
MILLION = Decimal("1000000")


def r(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def tax_figures() -> dict[int, dict[str, Decimal]]:
    out = {}
    for path in TAX_FOLDER.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        out[data["year"]] = {k: Decimal(v["value"]) for k, v in data.items() if k != "year"}
    return out


def withholding(payments: list[tuple[dt.date, Decimal]], termination: dt.date,
                ytd_wages: Decimal = Decimal(0), ytd_supplemental: Decimal = Decimal(0),
                state_rate: Decimal | None = None) -> list[dict[str, Decimal] | None]:
    """Per payment (in the order given): each tax, or None when its year has no table."""
    figures = tax_figures()
    order = sorted(range(len(payments)), key=lambda i: (payments[i][0], i))
    wages: dict[int, Decimal] = {}
    supplemental: dict[int, Decimal] = {}
    out: list[dict[str, Decimal] | None] = [None] * len(payments)
    for i in order:
        day, amount = payments[i]
        y = day.year
        if y not in wages:
            wages[y] = ytd_wages if y == termination.year else Decimal(0)
            supplemental[y] = ytd_supplemental if y == termination.year else Decimal(0)
        w_before, s_before = wages[y], supplemental[y]
        wages[y] += amount
        supplemental[y] += amount
        t = figures.get(y)
        if t is None:
            continue
        # Federal: split the payment at the $1,000,000 of the year's supplemental wages.
        room = max(t["mandatory_threshold"] - s_before, Decimal(0))
        at_flat = min(amount, room)
        federal = r(at_flat * t["supplemental_flat_rate"]
                    + (amount - at_flat) * t["mandatory_supplemental_rate"])
        base_room = max(t["social_security_wage_base"] - w_before, Decimal(0))
        ss_wages = min(amount, base_room)
        w_after = w_before + amount
        above = max(w_after - max(w_before, t["additional_medicare_threshold"]), Decimal(0))
        taxes = {
            "federal_withholding": federal,
            "social_security": r(ss_wages * t["social_security_employee_rate"]),
            "medicare": r(amount * t["medicare_employee_rate"]),
            "additional_medicare": r(above * t["additional_medicare_rate"]),
            "state_withholding": r(amount * state_rate) if state_rate is not None else Decimal(0),
            "employer_social_security": r(ss_wages * t["social_security_employer_rate"]),
            "employer_medicare": r(amount * t["medicare_employer_rate"]),
        }
        taxes["net_amount"] = amount - sum(taxes[k] for k in ("federal_withholding", "social_security",
                                                              "medicare", "additional_medicare",
                                                              "state_withholding"))
        out[i] = taxes
    return out


def six_months_after(d: dt.date) -> dt.date:
    m = d.month + 6
    y = d.year + (m - 1) // 12
    m = (m - 1) % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def review_409a(payments: list[tuple[dt.date, Decimal]], separation: dt.date,
                annualized: Decimal, specified: bool) -> dict[str, object]:
    """The 409A review of one case: totals, and the (date, amount) each delayed payment holds."""
    if separation.year < 2005:
        return {"before_409a": True}
    limit_401a17 = tax_figures()[separation.year]["compensation_limit_401a17"]
    limit = 2 * min(annualized, limit_401a17)
    std_deadline = dt.date(separation.year + 1, 3, 15)
    sep_deadline = dt.date(separation.year + 2, 12, 31)
    anniversary = six_months_after(separation)
    short = exempt = subject = Decimal(0)
    used = Decimal(0)
    delayed = []
    for day, amount in sorted(payments, key=lambda p: p[0]):
        if day <= std_deadline:
            short += amount
            continue
        covered = Decimal(0)
        if day <= sep_deadline:
            covered = min(amount, max(limit - used, Decimal(0)))
            used += covered
        exempt += covered
        rest = amount - covered
        subject += rest
        if specified and rest > 0 and day < anniversary:
            delayed.append((day, rest))
    return {"before_409a": False, "short_term_deferral": short, "separation_pay_exempt": exempt,
            "subject_to_409a": subject, "delayed": delayed, "limit": limit,
            "anniversary": anniversary}
