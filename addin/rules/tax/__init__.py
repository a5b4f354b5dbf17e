"""Tax tables: one calendar year's federal payroll-tax figures, declared in TOML with their sources.

One file per year (`2025.toml`), each figure a table `{ value, source, url }`. A year without a
file has no table: the withholding estimate of a payment in that year is left blank, with a
warning naming the year. A new year is a new file, never a code change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from types import MappingProxyType
from typing import Mapping, NamedTuple

# Rates are held as integer parts per million for the vectorized integer-cent arithmetic.
RATE_SCALE = 1_000_000

RATE_FIGURES = ("supplemental_flat_rate", "mandatory_supplemental_rate",
                "social_security_employee_rate", "social_security_employer_rate",
                "medicare_employee_rate", "medicare_employer_rate", "additional_medicare_rate")
MONEY_FIGURES = ("mandatory_threshold", "social_security_wage_base",
                 "additional_medicare_threshold", "compensation_limit_401a17")
FIGURES = RATE_FIGURES + MONEY_FIGURES


class TaxTableError(ValueError):
    """A tax table that cannot be used; the message names the file and the figure."""


class Source(NamedTuple):
    """Where one figure comes from: the publication, and the page it was checked on."""
    publication: str
    url: str


@dataclass(frozen=True)
class TaxYear:
    """One calendar year's figures. Rates are Decimal fractions (0.062); money is Decimal dollars."""
    year: int
    supplemental_flat_rate: Decimal
    mandatory_supplemental_rate: Decimal
    social_security_employee_rate: Decimal
    social_security_employer_rate: Decimal
    medicare_employee_rate: Decimal
    medicare_employer_rate: Decimal
    additional_medicare_rate: Decimal
    mandatory_threshold: Decimal
    social_security_wage_base: Decimal
    additional_medicare_threshold: Decimal
    compensation_limit_401a17: Decimal
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False)
    file: str = ""

    def rate_ppm(self, name: str) -> int:
        """A rate in parts per million (exact: the loader accepts at most six places)."""
        return int(getattr(self, name) * RATE_SCALE)

    def cents(self, name: str) -> int:
        return int(getattr(self, name) * 100)


def _figure(table: object, name: str, where: str) -> tuple[Decimal, Source]:
    if not isinstance(table, dict) or set(table) != {"value", "source", "url"}:
        raise TaxTableError(f"{where}: figure {name!r}: must be a table with value, source and url")
    if not all(isinstance(table[k], str) and table[k].strip() for k in ("value", "source", "url")):
        raise TaxTableError(f"{where}: figure {name!r}: value, source and url must be non-empty text")
    try:
        value = Decimal(table["value"])
    except InvalidOperation:
        raise TaxTableError(f"{where}: figure {name!r}: {table['value'][:40]!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise TaxTableError(f"{where}: figure {name!r}: {table['value'][:40]!r} must be a number, not negative")
    if name in RATE_FIGURES:
        if value >= 1 or (value * RATE_SCALE) != int(value * RATE_SCALE):
            raise TaxTableError(f"{where}: figure {name!r}: {table['value']!r} must be a fraction "
                                "below 1 with at most six decimal places (0.062 for 6.2%)")
    elif value * 100 != int(value * 100):
        raise TaxTableError(f"{where}: figure {name!r}: {table['value']!r} has more than two decimal places")
    return value, Source(table["source"].strip(), table["url"].strip())


def parse_tax_year(text: str, where: str) -> TaxYear:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxTableError(f"{where}: not valid TOML: {exc}") from None
    unknown = set(data) - {"year", *FIGURES}
    if unknown:
        raise TaxTableError(f"{where}: unknown key {sorted(unknown)[0]!r} (allowed: year, {', '.join(FIGURES)})")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise TaxTableError(f"{where}: key 'year': required, a calendar year such as 2025")
    values: dict[str, object] = {}
    sources: dict[str, Source] = {}
    for name in FIGURES:
        if name not in data:
            raise TaxTableError(f"{where}: figure {name!r} is missing")
        values[name], sources[name] = _figure(data[name], name, where)
    return TaxYear(year=year, sources=MappingProxyType(sources), file=where, **values)


def builtin_tax_years() -> dict[int, TaxYear]:
    """Every shipped tax table, by year; a file's year must match its name."""
    folder = resources.files("addin.rules") / "tax"
    out: dict[int, TaxYear] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            table = parse_tax_year(entry.read_text(encoding="utf-8"), f"built-in tax/{entry.name}")
            if entry.name != f"{table.year}.toml":
                raise TaxTableError(f"built-in tax/{entry.name}: declares year {table.year}; "
                                    f"name the file {table.year}.toml")
            out[table.year] = table
    return out
