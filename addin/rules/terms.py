"""Agreement terms: the numbers of an employment letter's severance clauses, declared in TOML.

A new letter is a new TOML table, never a code change. The SAVVIS 2002 CTO letter ships built in
as `savvis-2002-cto`, the default agreement.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .calendar import PAY_FREQUENCIES, holiday_dates

DEFAULT_AGREEMENT_ID = "savvis-2002-cto"

# Which clause of the letter each parameter comes from (shown beside the value in reports).
PARAMETER_CLAUSES = MappingProxyType({
    "salary_continuation_months": "(i)",
    "bonus_floor_fraction": "(ii)",
    "benefits_continuation_months": "(iv)",
    "lump_sum_due_days": "(ii), (iii)",
    "default_pay_frequency": "(i)",
    "minimum_base_salary": "salary",
    "target_bonus_fraction": "bonus",
    "holiday_calendar": "(i), (ii), (iii)",
    "biweekly_anchor": "(i)",
})


class TermsError(ValueError):
    """A terms file that cannot be used; the message names the file, agreement and key."""


@dataclass(frozen=True)
class Agreement:
    id: str
    salary_continuation_months: int
    bonus_floor_fraction: Decimal
    benefits_continuation_months: int
    lump_sum_due_days: int
    default_pay_frequency: str = "semimonthly"
    minimum_base_salary: Decimal = Decimal(0)
    target_bonus_fraction: Decimal = Decimal("0.5")
    holiday_calendar: str = "US"
    biweekly_anchor: dt.date = dt.date(2002, 1, 4)
    title: str = ""
    clause_text: Mapping[str, str] = field(default_factory=dict, compare=False)
    source: str = "built in"

    def parameters(self) -> list[tuple[str, object]]:
        """(name, value) of every rule parameter, in the order the letter reads."""
        return [(name, getattr(self, name)) for name in PARAMETER_CLAUSES]


def _int_in(lo: int, hi: int):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"must be a whole number, got {v!r}")
        if not lo <= v <= hi:
            raise ValueError(f"must be between {lo} and {hi}, got {v}")
        return v
    return check


def _fraction(v):
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise ValueError(f"must be a number between 0 and 1, got {v!r}")
    d = Decimal(v)
    if not Decimal(0) <= d <= Decimal(1):
        raise ValueError(f"must be between 0 and 1, got {d}")
    if d.as_tuple().exponent < -6:
        raise ValueError(f"must have at most 6 decimal places, got {d}")
    return d


def _money(v):
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise ValueError(f"must be an amount, got {v!r}")
    d = Decimal(v)
    if d < 0 or d > Decimal(1_000_000_000):
        raise ValueError(f"must be between 0 and 1000000000, got {d}")
    return d


def _frequency(v):
    if v not in PAY_FREQUENCIES:
        raise ValueError(f"must be one of {', '.join(PAY_FREQUENCIES)}, got {v!r}")
    return v


def _calendar(v):
    if not isinstance(v, str):
        raise ValueError(f"must be a country code such as \"US\" or \"US-NY\", got {v!r}")
    holiday_dates(v, 2000, 2000)  # raises ValueError for an unknown calendar
    return v


def _date(v):
    if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
        raise ValueError(f"must be a TOML date such as 2002-01-04, got {v!r}")
    return v


def _text(v):
    if not isinstance(v, str):
        raise ValueError(f"must be text, got {v!r}")
    return v


def _clause_text(v):
    if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
        raise ValueError("must be a table of clause texts")
    return MappingProxyType(dict(v))


_REQUIRED = {
    "salary_continuation_months": _int_in(0, 120),
    "bonus_floor_fraction": _fraction,
    "benefits_continuation_months": _int_in(0, 120),
    "lump_sum_due_days": _int_in(0, 366),
}
_OPTIONAL = {
    "default_pay_frequency": _frequency,
    "minimum_base_salary": _money,
    "target_bonus_fraction": _fraction,
    "holiday_calendar": _calendar,
    "biweekly_anchor": _date,
    "title": _text,
    "clause_text": _clause_text,
}


def parse_agreements(text: str, source: str) -> dict[str, Agreement]:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise TermsError(f"{source}: not valid TOML: {exc}") from None
    unknown_top = set(data) - {"agreement"}
    if unknown_top:
        raise TermsError(f"{source}: unknown top-level key {sorted(unknown_top)[0]!r}; "
                         "agreements go in [[agreement]] tables")
    tables = data.get("agreement")
    if not isinstance(tables, list) or not tables:
        raise TermsError(f"{source}: no [[agreement]] table")
    out: dict[str, Agreement] = {}
    for n, table in enumerate(tables, start=1):
        agreement_id = table.get("id")
        where = f"{source}: agreement {agreement_id!r}" if agreement_id else f"{source}: agreement #{n}"
        if not isinstance(agreement_id, str) or not agreement_id.strip():
            raise TermsError(f"{where}: key 'id': required, a non-empty text")
        if agreement_id in out:
            raise TermsError(f"{where}: key 'id': defined twice in this file")
        values: dict[str, object] = {"id": agreement_id, "source": source}
        for key in table:
            if key != "id" and key not in _REQUIRED and key not in _OPTIONAL:
                raise TermsError(f"{where}: key {key!r}: unknown key (allowed: "
                                 f"{', '.join(['id', *_REQUIRED, *_OPTIONAL])})")
        for key, check in {**_REQUIRED, **_OPTIONAL}.items():
            if key not in table:
                if key in _REQUIRED:
                    raise TermsError(f"{where}: key {key!r}: required key is missing")
                continue
            try:
                values[key] = check(table[key])
            except ValueError as exc:
                raise TermsError(f"{where}: key {key!r}: {exc}") from None
        out[agreement_id] = Agreement(**values)
    return out


def builtin_agreements() -> dict[str, Agreement]:
    folder = resources.files("addin.rules") / "agreements"
    out: dict[str, Agreement] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            out.update(parse_agreements(entry.read_text(encoding="utf-8"), f"built-in {entry.name}"))
    return out


def load_agreements(path: str | Path | None = None) -> dict[str, Agreement]:
    """The built-in agreements, plus (and overridden by) those in a terms file."""
    agreements = builtin_agreements()
    if path is not None:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TermsError(f"{p}: cannot read terms file: {exc}") from None
        agreements.update(parse_agreements(text, str(p)))
    return agreements
