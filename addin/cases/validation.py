"""Validating case tables: every cell turned into an exact value (dates, integer cents, codes),
every problem of a row collected; a row with a problem is rejected, all other rows still compute.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..rules.calendar import FREQUENCY_CODES, PAY_FREQUENCIES
from ..rules.case import REASONS, CaseTable
from ..rules.money import MAX_CENTS, decimal_to_cents, format_cents, to_decimal
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement
from .codes import read_codes, read_flags
from .columns import CASE_COLUMNS, MONEY_COLUMNS
from .dates import parse_dates
from .headers import NO_MAP
from .mapping import CaseMap, DateOrder, Reading, check_agreements, load_map
from .payroll_columns import check_payroll_columns
from .reading import prepare_frame, read_cases
from .spelling import spelling_keys

DUPLICATE_ROWS_LISTED = 10  # rows named in a duplicate-id message
# A row without an id holding one of these words is a totals row an export added, not a case.
TOTAL_WORDS = ("total", "totals", "grandtotal", "subtotal", "sum")
Problems = list[list[tuple[str, str]]]   # per row: (case-table column, message); '' = the row


# ---------------------------------------------------------------------------------------------
# Cell parsing (vectorized; slow paths only for unusual cells)

def _as_text(series: pd.Series) -> pd.Series:
    """Every cell as text: '' for blanks, shortest repr for spreadsheet numbers."""
    def one(v):
        if isinstance(v, float):  # the common cell of a worksheet first; NaN is the blank
            if v != v:
                return ""
            text = repr(v)
            return text[:-2] if text.endswith(".0") else text
        if v is None or v is pd.NA or v is pd.NaT:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            return v.isoformat(sep=" ")
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v)
    if series.dtype == object or not pd.api.types.is_string_dtype(series):
        # A column of text only (a CSV, most of a worksheet) is text already: skip the per-cell map.
        if not (series.dtype == object and set(map(type, series)) <= {str}):
            series = series.map(one)
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


_MONEY_RE = r"-?\d{1,15}(\.\d{0,2})?"


def parse_money(text: pd.Series, column: str, errors: Problems, notes: Problems,
                required: bool) -> tuple[np.ndarray, np.ndarray]:
    """(cents, present) of a money column; records a message for every bad cell."""
    n = len(text)
    cents = np.zeros(n, dtype=np.int64)
    cleaned = text.str.replace(",", "", regex=False).str.replace("$", "", regex=False).str.strip()
    blank = (cleaned == "").to_numpy()
    simple = cleaned.str.fullmatch(_MONEY_RE).to_numpy(dtype=bool)
    if simple.any():
        parts = cleaned[simple].str.partition(".")
        whole = parts[0].astype(np.int64).to_numpy()
        frac = parts[2].str.ljust(2, "0").astype(np.int64).to_numpy()
        neg = parts[0].str.startswith("-").to_numpy()
        cents[simple] = np.abs(whole) * 100 * np.where(neg, -1, 1) + np.where(neg, -frac, frac)
    for k in np.flatnonzero(~simple & ~blank):
        original = text.iat[k]
        try:
            d = to_decimal(original)
        except ValueError as exc:
            errors[k].append((column, f"{exc}; write an amount such as 240000.00"))
            continue
        if abs(d) * 100 > MAX_CENTS:
            errors[k].append((column, f"{original[:40]!r} is beyond the largest amount accepted "
                                      f"({format_cents(MAX_CENTS)})"))
            continue
        cents[k] = decimal_to_cents(d)
        if d != Decimal(int(cents[k])) / 100:
            notes[k].append((column, f"{original} rounded to {format_cents(cents[k])}"))
    too_big = np.abs(cents) > MAX_CENTS
    for k in np.flatnonzero(too_big & simple):
        errors[k].append((column, f"{text.iat[k][:40]!r} is beyond the largest amount accepted "
                                  f"({format_cents(MAX_CENTS)})"))
    if required:
        for k in np.flatnonzero(blank):
            errors[k].append((column, "required, but blank"))
    return cents, ~blank


# ---------------------------------------------------------------------------------------------
# Validation of the parsed values, declared with pandera

@lru_cache(maxsize=32)
def _schema(agreement_ids: tuple[str, ...]) -> pa.DataFrameSchema:
    """The checks of the parsed values (built once per set of known agreements)."""
    nonneg = pa.Check.ge(0, error="must not be negative")
    return pa.DataFrameSchema(
        {
            "employee_id": pa.Column(str, [
                pa.Check(lambda s: s != "", element_wise=False, error="required, but blank"),
            ]),
            "termination_reason": pa.Column(str, pa.Check.isin(
                REASONS, error=f"must be one of {', '.join(REASONS)}")),
            "base_salary": pa.Column(np.int64, pa.Check.gt(0, error="must be greater than 0")),
            "prior_year_bonus_declared": pa.Column(np.int64, nonneg),
            "prior_year_bonus_paid": pa.Column(np.int64, nonneg),
            "monthly_benefits_cost": pa.Column(np.int64, nonneg),
            "pay_frequency": pa.Column(str, pa.Check.isin(
                PAY_FREQUENCIES, error=f"must be one of {', '.join(PAY_FREQUENCIES)}")),
            "agreement": pa.Column(str, pa.Check.isin(
                sorted(agreement_ids), error="is not a known agreement")),
        },
        coerce=False,
    )


def _describe(column: str, value: object) -> str:
    if column in MONEY_COLUMNS and isinstance(value, (int, np.integer)):
        return format_cents(int(value))
    return str(value)[:40]



def _schema_errors(parsed: pd.DataFrame, agreement_ids: tuple[str, ...], text: Mapping[str, pd.Series],
                   present: Mapping[str, np.ndarray], errors: Problems) -> None:
    try:
        _schema(agreement_ids).validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
        for column, check, index, value in zip(failures["column"], failures["check"],
                                               failures["index"], failures["failure_case"]):
            if index is None or pd.isna(index):
                continue
            k = int(index)
            if column in MONEY_COLUMNS and not present[column][k]:
                continue
            if any(c == column for c, _ in errors[k]):
                continue  # already named: a cell that did not parse is not checked again
            if column == "termination_reason" and text[column].iat[k] == "":
                errors[k].append((column, "required, but blank"))
            elif column == "employee_id":
                errors[k].append((column, check))
            else:
                errors[k].append((column, f"{_describe(column, value)!r} {check}"))


def _duplicate_ids(ids: pd.Series, source_row: np.ndarray, errors: Problems) -> None:
    duplicated = (ids.duplicated(keep=False) & (ids != "")).to_numpy()
    if not duplicated.any():
        return
    rows_by_id: dict[str, list[int]] = {}
    for k in np.flatnonzero(duplicated):
        rows_by_id.setdefault(ids.iat[k], []).append(int(source_row[k]))
    # One message per id, naming a few of its rows: listing every row on every row would
    # grow as rows squared (a file of one id repeated 20,000 times needed gigabytes).
    message = {}
    for key, rows in rows_by_id.items():
        shown = ", ".join(map(str, rows[:DUPLICATE_ROWS_LISTED]))
        more = len(rows) - DUPLICATE_ROWS_LISTED
        message[key] = (f"{key[:40]!r} appears on rows {shown}"
                        f"{f' and {more} more' if more > 0 else ''}; each case needs its own id")
    for k in np.flatnonzero(duplicated):
        errors[k].append(("employee_id", message[ids.iat[k]]))


def _totals_rows(frame: pd.DataFrame, ids: pd.Series, money: Mapping[str, np.ndarray],
                 present: Mapping[str, np.ndarray], errors: Problems) -> None:
    """Rows without an id that hold a "Total" label or the sums of the rows above: each is
    rejected as what it is, with that one message (vectorized over the rows without an id)."""
    no_id = (ids == "").to_numpy(dtype=bool, copy=True)
    worded = np.flatnonzero(ids.str.contains("total|sum", case=False, regex=True).to_numpy(dtype=bool))
    no_id[worded] = pd.Series(spelling_keys(ids.iloc[worded]), dtype=object).isin(TOTAL_WORDS).to_numpy()
    rows = np.flatnonzero(no_id)
    if not len(rows):
        return
    label = np.full(len(rows), "", dtype=object)
    for column in frame.columns[1:]:
        cells = frame[column].iloc[rows]
        text = cells.where(cells.map(type) == str, "").astype(str)
        keys = pd.Series(spelling_keys(text), dtype=object)
        label = np.where((label == "") & keys.str.startswith(TOTAL_WORDS).to_numpy(), keys, label)
    cases_above = np.cumsum(~no_id)[rows]
    sums = np.full(len(rows), "", dtype=object)
    for c in MONEY_COLUMNS:
        above = np.cumsum(np.where(no_id, 0, money[c]))[rows]
        hit = present[c][rows] & (money[c][rows] > 0) & (money[c][rows] == above) & (cases_above > 1)
        for j in np.flatnonzero(hit & (sums == "")):
            sums[j] = f"{c} {format_cents(int(money[c][rows[j]]))} is the sum of the rows above"
    for j in np.flatnonzero((label != "") | (sums != "")):
        why = "; ".join(w for w in (f"labelled {label[j]!r}" if label[j] else "", sums[j]) if w)
        errors[rows[j]][:] = [("", f"a totals row, not a case ({why})")]


def _labels(reading: Reading | None) -> dict[str, str]:
    """Each column as the message names it: the export's header, and the case-table name
    where they differ."""
    headers = reading.headers if reading is not None else {}
    return {c: (f"{h} ({c})" if h and h != c else c) for c, h in headers.items()}


def _render(errors: Problems, notes: Problems, source_row: np.ndarray,
            reading: Reading | None) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    labels = _labels(reading)
    order = {c: i for i, c in enumerate(("", *CASE_COLUMNS))}

    def message(column: str, text: str, joint: str) -> str:
        return f"{labels.get(column, column)}{joint}{text}" if column else text

    def position(problem: tuple[str, str]) -> int:
        return order.get(problem[0], len(order))

    # Most rows have neither: they share one empty tuple, and only the others are formatted.
    with_row: list[tuple[str, ...]] = [()] * len(errors)
    for k in np.flatnonzero(np.fromiter(map(bool, errors), dtype=bool, count=len(errors))):
        with_row[k] = tuple(f"row {source_row[k]}, {message(c, m, ': ')}"
                            for c, m in sorted(errors[k], key=position))
    said: list[tuple[str, ...]] = [()] * len(notes)
    for k in np.flatnonzero(np.fromiter(map(bool, notes), dtype=bool, count=len(notes))):
        said[k] = tuple(message(c, m, " ") for c, m in notes[k])
    return tuple(with_row), tuple(said)


def validate(frame: pd.DataFrame, agreements: Mapping[str, Agreement],
             default_agreement: str = DEFAULT_AGREEMENT_ID, *, case_map: CaseMap = NO_MAP,
             reading: Reading | None = None) -> CaseTable:
    """Parse and check every cell of a prepared case frame (see prepare_frame); `reading`
    (how the file was read) names the columns as the export does and is kept on the table."""
    n = len(frame)
    errors: Problems = [[] for _ in range(n)]
    notes: Problems = [[] for _ in range(n)]
    text = {c: (_as_text(frame[c]) if c in frame.columns else pd.Series([""] * n, dtype=object))
            for c in CASE_COLUMNS}
    for c in text:
        text[c] = text[c].reset_index(drop=True)
    source_row = frame["source_row"].to_numpy(dtype=np.int64)
    agreement_ids = tuple(sorted(agreements))
    check_agreements(case_map, agreement_ids)

    money, present = {}, {}
    for column in MONEY_COLUMNS:
        money[column], present[column] = parse_money(text[column], column, errors, notes,
                                                     required=column == "base_salary")
    termination_date, applied = parse_dates(text["termination_date"], "termination_date",
                                            case_map.date_order, source_row, errors, notes)
    consented, consent_blank, flags_applied = read_flags(text["consented_to_change"],
                                                         "consented_to_change", case_map, errors)
    reason, reasons_applied = read_codes(text["termination_reason"], "termination_reason",
                                         REASONS, case_map, errors)
    agreement, agreements_applied = read_codes(text["agreement"], "agreement", agreement_ids,
                                               case_map, errors, "is not a known agreement "
                                               f"({', '.join(agreement_ids)})")
    agreement = agreement.where(agreement != "", default_agreement)
    default_freq = agreement.map({a: agreements[a].default_pay_frequency for a in agreements}) \
        .fillna("semimonthly")
    frequency, frequencies_applied = read_codes(text["pay_frequency"], "pay_frequency",
                                                PAY_FREQUENCIES, case_map, errors)
    frequency = frequency.where(frequency != "", default_freq)
    applied += reasons_applied + frequencies_applied + agreements_applied + flags_applied

    parsed = pd.DataFrame({"employee_id": text["employee_id"], "termination_reason": reason,
                           **money, "pay_frequency": frequency, "agreement": agreement})
    _schema_errors(parsed, agreement_ids, text, present, errors)
    ids = text["employee_id"]
    _duplicate_ids(ids, source_row, errors)
    check_payroll_columns(frame, errors, notes)
    _totals_rows(frame, ids, money, present, errors)
    for k in np.flatnonzero((reason == "good_reason").to_numpy() & consent_blank):
        notes[k].append(("consented_to_change", "is blank: read as no prior consent to the change"))

    with_row, said = _render(errors, notes, source_row, reading)
    if reading is not None:
        reading = reading._replace(applied=reading.applied + applied)
    agreement_code = pd.Index(agreement_ids).get_indexer(agreement).astype(np.int64)
    frequency_code = pd.Index(PAY_FREQUENCIES).get_indexer(frequency).astype(np.int64)
    return CaseTable(
        source_row=source_row,
        employee_id=ids.to_numpy(dtype=object),
        employee_name=text["employee_name"].to_numpy(dtype=object),
        termination_date=termination_date,
        termination_reason=reason.to_numpy(dtype=object),
        base_salary=money["base_salary"],
        prior_year_bonus_declared=money["prior_year_bonus_declared"],
        bonus_declared=present["prior_year_bonus_declared"],
        prior_year_bonus_paid=money["prior_year_bonus_paid"],
        monthly_benefits_cost=money["monthly_benefits_cost"],
        pay_frequency=frequency.to_numpy(dtype=object),
        consented_to_change=consented,
        agreement=agreement.to_numpy(dtype=object),
        errors=with_row,
        notes=said,
        valid=np.fromiter((not e for e in errors), dtype=bool, count=n),
        has_notes=np.fromiter((bool(x) for x in notes), dtype=bool, count=n),
        frequency_code=np.where(frequency_code >= 0, frequency_code, FREQUENCY_CODES["semimonthly"]),
        agreement_code=agreement_code,
        agreement_ids=agreement_ids,
        raw=frame,
        reading=reading,
    )


def from_records(records: Sequence[Mapping[str, object]], agreements: Mapping[str, Agreement],
                 default_agreement: str = DEFAULT_AGREEMENT_ID) -> CaseTable:
    """Cases from Python mappings (one per case), through the same parsing and validation."""
    frame = pd.DataFrame(list(records), dtype=object)
    return validate(prepare_frame(frame, "cases"), agreements, default_agreement)


def case_map_of(case_map: str | Path | CaseMap | None = None, sheet: str | None = None,
                date_order: str | DateOrder | None = None) -> CaseMap:
    """The map file (a path, or one already loaded), with --sheet and --date-order over it."""
    loaded = case_map if isinstance(case_map, CaseMap) else \
        NO_MAP if case_map is None else load_map(case_map)
    return loaded.with_options(sheet=sheet, date_order=date_order)


def load_cases(path: str | Path, agreements: Mapping[str, Agreement], *,
               case_map: str | Path | CaseMap | None = None, sheet: str | None = None,
               date_order: str | DateOrder | None = None) -> CaseTable:
    """The cases of a file, read with its map file (`case_map`) and the command line's --sheet
    and --date-order; `CaseTable.reading` says how it was read and every mapping applied."""
    chosen = case_map_of(case_map, sheet, date_order)
    frame, reading = read_cases(path, chosen)
    return validate(frame, agreements, case_map=chosen, reading=reading)
