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

from ..rules.calendar import DAY, FREQUENCY_CODES, PAY_FREQUENCIES
from ..rules.case import REASONS, CaseTable
from ..rules.money import MAX_CENTS, decimal_to_cents, format_cents, to_decimal
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement
from .columns import CASE_COLUMNS, FIRST_YEAR, LAST_YEAR, MONEY_COLUMNS
from .payroll_columns import check_payroll_columns
from .reading import prepare_frame, read_case_file

DUPLICATE_ROWS_LISTED = 10  # rows named in a duplicate-id message
_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", ""}


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


def parse_money(text: pd.Series, column: str, errors: list[list[str]], notes: list[list[str]],
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
            errors[k].append(f"{column}: {exc}")
            continue
        if abs(d) * 100 > MAX_CENTS:
            errors[k].append(f"{column}: {original[:40]!r} is beyond the largest amount accepted "
                             f"({format_cents(MAX_CENTS)})")
            continue
        cents[k] = decimal_to_cents(d)
        if d != Decimal(int(cents[k])) / 100:
            notes[k].append(f"{column} {original} rounded to {format_cents(cents[k])}")
    too_big = np.abs(cents) > MAX_CENTS
    for k in np.flatnonzero(too_big & simple):
        errors[k].append(f"{column}: {text.iat[k][:40]!r} is beyond the largest amount accepted "
                         f"({format_cents(MAX_CENTS)})")
    if required:
        for k in np.flatnonzero(blank):
            errors[k].append(f"{column}: required, but blank")
    return cents, ~blank


_DATE_RE = r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?"


def parse_dates(text: pd.Series, column: str, errors: list[list[str]]) -> np.ndarray:
    n = len(text)
    out = np.full(n, np.datetime64("NaT"), dtype=DAY)
    shaped = text.str.fullmatch(_DATE_RE).to_numpy(dtype=bool)
    if shaped.any():
        parsed = pd.to_datetime(text[shaped].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        out[shaped] = parsed.to_numpy(dtype="datetime64[ns]").astype(DAY)
    blank = (text == "").to_numpy()
    for k in np.flatnonzero(blank):
        errors[k].append(f"{column}: required, but blank")
    for k in np.flatnonzero(~blank & ~shaped):
        errors[k].append(f"{column}: {text.iat[k][:40]!r} is not a date; write it as YYYY-MM-DD")
    for k in np.flatnonzero(shaped & np.isnat(out)):
        errors[k].append(f"{column}: {text.iat[k][:10]!r} is not a real calendar date")
    years = out.astype("datetime64[Y]").astype(np.int64) + 1970
    for k in np.flatnonzero(~np.isnat(out) & ((years < FIRST_YEAR) | (years > LAST_YEAR))):
        errors[k].append(f"{column}: {text.iat[k][:10]!r} is outside {FIRST_YEAR}-{LAST_YEAR}")
        out[k] = np.datetime64("NaT")
    return out


def parse_flags(text: pd.Series, column: str, errors: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(value, blank) of a true/false column."""
    lowered = text.str.lower()
    value = lowered.isin(_TRUE).to_numpy()
    known = value | lowered.isin(_FALSE).to_numpy()
    for k in np.flatnonzero(~known):
        errors[k].append(f"{column}: {text.iat[k][:40]!r} is not true or false")
    return value, (text == "").to_numpy()


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


def validate(frame: pd.DataFrame, agreements: Mapping[str, Agreement],
             default_agreement: str = DEFAULT_AGREEMENT_ID) -> CaseTable:
    """Parse and check every cell of a prepared case frame (see prepare_frame)."""
    n = len(frame)
    errors: list[list[str]] = [[] for _ in range(n)]
    notes: list[list[str]] = [[] for _ in range(n)]
    text = {c: (_as_text(frame[c]) if c in frame.columns else pd.Series([""] * n, dtype=object))
            for c in CASE_COLUMNS}
    for c in text:
        text[c] = text[c].reset_index(drop=True)

    money = {}
    present = {}
    for column in MONEY_COLUMNS:
        money[column], present[column] = parse_money(text[column], column, errors, notes,
                                                     required=column == "base_salary")
    termination_date = parse_dates(text["termination_date"], "termination_date", errors)
    consented, consent_blank = parse_flags(text["consented_to_change"], "consented_to_change", errors)

    reason = text["termination_reason"].str.lower().str.replace(r"[\s\-]+", "_", regex=True)
    agreement = text["agreement"].where(text["agreement"] != "", default_agreement)
    default_freq = agreement.map(lambda a: agreements[a].default_pay_frequency if a in agreements
                                 else "semimonthly")
    frequency = text["pay_frequency"].str.lower()
    frequency = frequency.where(frequency != "", default_freq)

    parsed = pd.DataFrame({
        "employee_id": text["employee_id"], "termination_reason": reason,
        **money, "pay_frequency": frequency, "agreement": agreement,
    })
    try:
        _schema(tuple(sorted(agreements))).validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
        for column, check, index, value in zip(failures["column"], failures["check"],
                                               failures["index"], failures["failure_case"]):
            if index is None or pd.isna(index):
                continue
            k = int(index)
            if column in MONEY_COLUMNS and not present[column][k]:
                continue
            if any(e.startswith(f"{column}:") for e in errors[k]):
                continue  # already named: a cell that did not parse is not checked again
            if column == "termination_reason" and text[column].iat[k] == "":
                errors[k].append(f"{column}: required, but blank")
            elif column == "employee_id":
                errors[k].append(f"{column}: {check}")
            else:
                errors[k].append(f"{column}: {_describe(column, value)!r} {check}")

    ids = text["employee_id"]
    duplicated = (ids.duplicated(keep=False) & (ids != "")).to_numpy()
    if duplicated.any():
        rows_by_id: dict[str, list[int]] = {}
        for k in np.flatnonzero(duplicated):
            rows_by_id.setdefault(ids.iat[k], []).append(int(frame["source_row"].iat[k]))
        # One message per id, naming a few of its rows: listing every row on every row would
        # grow as rows squared (a file of one id repeated 20,000 times needed gigabytes).
        message = {}
        for key, rows in rows_by_id.items():
            shown = ", ".join(map(str, rows[:DUPLICATE_ROWS_LISTED]))
            more = len(rows) - DUPLICATE_ROWS_LISTED
            message[key] = (f"employee_id: {key[:40]!r} appears on rows {shown}"
                            f"{f' and {more} more' if more > 0 else ''}; each case needs its own id")
        for k in np.flatnonzero(duplicated):
            errors[k].append(message[ids.iat[k]])

    good_reason_blank = (reason == "good_reason").to_numpy() & consent_blank
    for k in np.flatnonzero(good_reason_blank):
        notes[k].append("consented_to_change is blank: read as no prior consent to the change")

    check_payroll_columns(frame, errors, notes)
    source_row = frame["source_row"].to_numpy(dtype=np.int64)
    order = {c: i for i, c in enumerate(CASE_COLUMNS)}
    by_column = lambda m: order.get(m.split(":", 1)[0], len(order))  # noqa: E731
    with_row = tuple(tuple(f"row {r}, {m}" for m in sorted(e, key=by_column))
                     for r, e in zip(source_row, errors))
    agreement_ids = tuple(sorted(agreements))
    agreement_code = pd.Index(agreement_ids).get_indexer(agreement).astype(np.int64)
    frequency_code = pd.Index(PAY_FREQUENCIES).get_indexer(frequency).astype(np.int64)
    valid = np.fromiter((not e for e in errors), dtype=bool, count=n)
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
        notes=tuple(tuple(x) for x in notes),
        valid=valid,
        has_notes=np.fromiter((bool(x) for x in notes), dtype=bool, count=n),
        frequency_code=np.where(frequency_code >= 0, frequency_code, FREQUENCY_CODES["semimonthly"]),
        agreement_code=agreement_code,
        agreement_ids=agreement_ids,
        raw=frame,
    )


def from_records(records: Sequence[Mapping[str, object]], agreements: Mapping[str, Agreement],
                 default_agreement: str = DEFAULT_AGREEMENT_ID) -> CaseTable:
    """Cases from Python mappings (one per case), through the same parsing and validation."""
    frame = pd.DataFrame(list(records), dtype=object)
    return validate(prepare_frame(frame, "cases"), agreements, default_agreement)


def load_cases(path: str | Path, agreements: Mapping[str, Agreement]) -> CaseTable:
    return validate(read_case_file(path), agreements)
