"""The map file (`--map FILE`): how one HR system's export reads as a case table.

    [columns]                      # the export's header -> the case-table column
    "Emp ID" = "employee_id"
    [values.termination_reason]    # the export's value -> the code
    "RIF" = "without_cause"
    [dates]
    order = "MDY"                  # how to read 3/5/2024: MDY, DMY or YMD
    [input]
    sheet = "Cases"                # .xlsx: the sheet to read

Headers and values match the file's keys by spelling (addin.cases.spelling). Every mistake in
the file is a MapError naming the file and the key; the command exits 2 on it. A CaseMap also
carries the command-line choices (--sheet, --date-order), which override the file's.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Mapping, NamedTuple

from ..rules.calendar import PAY_FREQUENCIES
from ..rules.case import REASONS
from .columns import CASE_COLUMNS
from .errors import MapError
from .spelling import spelling_key

# The columns whose cells are codes, and the codes (agreement ids are known only with the terms).
CODE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "termination_reason": REASONS, "pay_frequency": PAY_FREQUENCIES,
    "consented_to_change": ("true", "false"), "agreement": (),
}
SECTIONS = ("columns", "values", "dates", "input")


class DateOrder(Enum):
    """How a slash or dot date such as 3/5/2024 is read."""
    MDY = "month/day/year"
    DMY = "day/month/year"
    YMD = "year/month/day"


class How(Enum):
    """Why a header or a value was read as a case-table name."""
    MAP = "the map file"
    SPELLING = "its spelling"
    RENAMED = "renamed: the output has a column of that name"
    DATE_ORDER = "the date order"


class Applied(NamedTuple):
    """One mapping applied while reading: `read_as` in the export became `became`, on `rows` rows
    (a header: the column's data rows)."""
    column: str        # the case-table column concerned
    read_as: str       # the header or the cell as the export writes it
    became: str        # the case-table column, code or date order it was read as
    rows: int
    how: How


def describe(applied: Applied) -> str:
    """One mapping applied, in words (the CLI's stderr and the report's run sheet):
    "termination_reason: 'RIF' read as without_cause by the map file (3 rows)"."""
    rows = f"{applied.rows} row{'s' * (applied.rows != 1)}"
    return f"{applied.column}: {applied.read_as!r} read as {applied.became} by {applied.how.value} ({rows})"


class Reading(NamedTuple):
    """How a case file was read: where, from which row, and every mapping applied."""
    source: str                      # the file, and the sheet of a workbook
    sheet: str | None
    header_row: int                  # the file's row of the header (0: no header row)
    rows_skipped: int                # rows above the header
    headers: Mapping[str, str]       # case-table column -> the header as the export writes it
    applied: tuple[Applied, ...]
    notes: tuple[str, ...]           # what the run says about the reading


@dataclass(frozen=True)
class CaseMap:
    """A map file's contents (or none), with the command line's overrides."""
    source: str = ""
    columns: Mapping[str, tuple[str, str]] = field(default_factory=dict)   # key -> (header, column)
    values: Mapping[str, Mapping[str, tuple[str, str]]] = field(default_factory=dict)
    date_order: DateOrder | None = None
    sheet: str | None = None

    def with_options(self, sheet: str | None = None, date_order: str | DateOrder | None = None) -> "CaseMap":
        order = self.date_order if date_order is None else parse_date_order(date_order, "--date-order")
        return replace(self, sheet=self.sheet if sheet is None else sheet, date_order=order)


def parse_date_order(value: object, where: str) -> DateOrder:
    if isinstance(value, DateOrder):
        return value
    name = str(value).strip().upper()
    if name not in DateOrder.__members__:
        raise MapError(f"{where}: {str(value)[:40]!r} is not a date order; use MDY, DMY or YMD")
    return DateOrder[name]


def _column(value: object, where: str) -> str:
    keys = {spelling_key(c): c for c in CASE_COLUMNS}
    if not isinstance(value, str) or spelling_key(value) not in keys:
        raise MapError(f"{where}: {str(value)[:40]!r} is not a case-table column; use one of "
                       f"{', '.join(CASE_COLUMNS)}")
    return keys[spelling_key(value)]


def _columns(table: object, where: str) -> dict[str, tuple[str, str]]:
    if not isinstance(table, dict):
        raise MapError(f"{where}: must be a table of \"export header\" = \"case-table column\"")
    out: dict[str, tuple[str, str]] = {}
    targets: dict[str, str] = {}
    for header, target in table.items():
        column = _column(target, f"{where} key {header!r}")
        if column in targets:
            raise MapError(f"{where} keys {targets[column]!r} and {header!r}: both map to {column}; "
                           "a column can be read from one header only")
        key = spelling_key(header)
        if key in out:
            raise MapError(f"{where} keys {out[key][0]!r} and {header!r}: the same header spelled twice")
        targets[column] = header
        out[key] = (header, column)
    return out


def _values(table: object, where: str) -> dict[str, dict[str, tuple[str, str]]]:
    if not isinstance(table, dict):
        raise MapError(f"{where}: [values] must hold tables [values.<column>], one per code column")
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for name, entries in table.items():
        here = f"{where}: [values.{name}]"
        column = _column(name, here)
        if column not in CODE_COLUMNS:
            raise MapError(f"{here}: {column} holds no codes; values can be mapped for "
                           f"{', '.join(CODE_COLUMNS)}")
        if not isinstance(entries, dict):
            raise MapError(f"{here}: must be a table of \"export value\" = \"code\"")
        codes = {spelling_key(c): c for c in CODE_COLUMNS[column]}
        mapped: dict[str, tuple[str, str]] = {}
        for value, code in entries.items():
            if not isinstance(code, str) or (codes and spelling_key(code) not in codes):
                raise MapError(f"{here} key {value!r}: {str(code)[:40]!r} is not a {column} code; "
                               f"use one of {', '.join(CODE_COLUMNS[column])}")
            mapped[spelling_key(value)] = (value, codes.get(spelling_key(code), code))
        out[column] = mapped
    return out


def _section(document: dict, name: str, keys: tuple[str, ...], where: str) -> dict:
    table = document.get(name, {})
    if not isinstance(table, dict):
        raise MapError(f"{where}: [{name}] must be a table")
    for key in table:
        if key not in keys:
            raise MapError(f"{where}: unknown key {key!r} in [{name}]; it may hold {', '.join(keys)}")
    return table


def load_map(path: str | Path) -> CaseMap:
    """The map file at `path`, checked entirely; MapError naming the file and key when wrong."""
    where = str(path)
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise MapError(f"{where}: cannot read the map file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MapError(f"{where}: not a readable TOML map file: {exc}") from None
    for key in document:
        if key not in SECTIONS:
            raise MapError(f"{where}: unknown key {key!r}; a map file has "
                           "[columns], [values.<column>], [dates] and [input]")
    dates = _section(document, "dates", ("order",), where)
    sheet = _section(document, "input", ("sheet",), where).get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise MapError(f"{where}: [input] key 'sheet': must be the name of a sheet, in quotes")
    order = dates.get("order")
    return CaseMap(
        source=where,
        columns=_columns(document.get("columns", {}), f"{where}: [columns]"),
        values=_values(document.get("values", {}), where),
        date_order=None if order is None else parse_date_order(order, f"{where}: [dates] key 'order'"),
        sheet=sheet,
    )


def check_agreements(case_map: CaseMap, agreement_ids: tuple[str, ...]) -> None:
    """The map's agreement codes name known agreements (known only once the terms are loaded)."""
    entries = case_map.values.get("agreement", {}).values()
    if not entries:
        return
    known = {spelling_key(a): a for a in agreement_ids}
    for value, code in entries:
        if spelling_key(code) not in known:
            raise MapError(f"{case_map.source}: [values.agreement] key {value!r}: {code!r} is not a "
                           f"known agreement; use one of {', '.join(agreement_ids)}")
