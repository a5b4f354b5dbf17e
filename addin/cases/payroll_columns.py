"""The case table's optional payroll columns: ytd_wages, ytd_supplemental_wages,
state_withholding_rate (withholding estimate) and specified_employee, annualized_compensation
(Section 409A review). Parsed into addin.rules.withholding.PayrollInputs; every bad cell is a
message naming the row and the column, and rejects its row like any other bad cell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from ..rules.case import CaseTable
from ..rules.money import MAX_CENTS, beyond_largest, decimal_to_cents, format_cents, to_decimal
from ..rules.tax import RATE_SCALE
from ..rules.withholding import PayrollInputs
from .columns import PAYROLL_COLUMNS

# The words a true/false cell may hold (as the case table's other flags read them).
TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0")


def _text(series: pd.Series) -> pd.Series:
    """Cells as text: '' for blanks, the shortest repr for spreadsheet numbers."""
    def one(v):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            text = repr(v)
            return text[:-2] if text.endswith(".0") else text
        if isinstance(v, (dt.date, pd.Timestamp)):
            return v.isoformat()
        return str(v)
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        cells = series.astype(object).where(series.notna(), "")   # text already: no per-cell map
    else:
        cells = series.map(one)
    return cells.astype(str).str.strip().reset_index(drop=True)


_PLAIN_MONEY = r"\d{1,12}(?:\.\d{0,2})?"        # 150000 or 150000.5 or 150000.50: no Decimal needed
_PLAIN_RATE = r"0?\.\d{1,6}|0"                   # 0.066, .066 or 0


def _money(text: pd.Series, column: str, problems: list[tuple[int, str, str]],
           notes: list[tuple[int, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(cents, given) of an optional money column; not negative, at most MAX_CENTS. Plain
    amounts are read in one vectorized pass; only the others one cell at a time."""
    cents = np.zeros(len(text), dtype=np.int64)
    given = (text != "").to_numpy()
    plain = text.str.fullmatch(_PLAIN_MONEY).to_numpy(dtype=bool)
    if plain.any():
        whole, _, frac = (text[plain].str.partition(".")[i] for i in range(3))
        cents[plain] = whole.astype(np.int64).to_numpy() * 100 + frac.str.ljust(2, "0").astype(np.int64).to_numpy()
    cells = text.to_numpy(dtype=object)
    for k in np.flatnonzero(given & ~plain):
        cell = cells[k]
        try:
            d = to_decimal(cell)
        except ValueError as exc:
            problems.append((k, column, f"{exc}; write an amount such as 150000.00"))
            continue
        if d < 0:
            problems.append((k, column, f"{cell[:40]!r} must not be negative"))
        elif beyond_largest(d):
            problems.append((k, column, f"{cell[:40]!r} is beyond the largest amount accepted "
                                        f"({format_cents(MAX_CENTS)})"))
        else:
            cents[k] = decimal_to_cents(d)
            if d != Decimal(int(cents[k])) / 100:
                notes.append((k, column, f"{cell[:40]} rounded to {format_cents(cents[k])}"))
    for k in np.flatnonzero(plain & (cents > MAX_CENTS)):
        problems.append((k, column, f"{cells[k][:40]!r} is beyond the largest amount accepted "
                                    f"({format_cents(MAX_CENTS)})"))
    return cents, given


def _rate(text: pd.Series, column: str, problems: list[tuple[int, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(parts per million, given) of a rate column such as 0.0660 (6.60%)."""
    ppm = np.zeros(len(text), dtype=np.int64)
    given = (text != "").to_numpy()
    plain = text.str.fullmatch(_PLAIN_RATE).to_numpy(dtype=bool)
    if plain.any():
        frac = text[plain].str.partition(".")[2]
        ppm[plain] = frac.str.ljust(6, "0").astype(np.int64).to_numpy()
    cells = text.to_numpy(dtype=object)
    for k in np.flatnonzero(given & ~plain):
        cell = cells[k]
        try:
            d = Decimal(cell)
        except InvalidOperation:
            problems.append((k, column, f"{cell[:40]!r} is not a number; write a rate such as 0.0660 for 6.60%"))
            continue
        if not d.is_finite() or not 0 <= d < 1:
            problems.append((k, column, f"{cell[:40]!r} must be a rate from 0 up to 1 (0.0660 for 6.60%)"))
        elif d * RATE_SCALE != int(d * RATE_SCALE):
            problems.append((k, column, f"{cell[:40]!r} has more than six decimal places"))
        else:
            ppm[k] = int(d * RATE_SCALE)
    return ppm, given


def _flag(text: pd.Series, column: str, problems: list[tuple[int, str, str]]) -> np.ndarray:
    lowered = text.str.lower()
    value = lowered.isin(TRUE_WORDS).to_numpy()
    known = value | lowered.isin(FALSE_WORDS).to_numpy() | (text == "").to_numpy()
    cells = text.to_numpy(dtype=object)
    for k in np.flatnonzero(~known):
        problems.append((k, column, f"{cells[k][:40]!r} is not true or false"))
    return value


Found = list[tuple[int, str, str]]   # (row position, column, message)


def read_payroll_columns(frame: pd.DataFrame, base_salary: np.ndarray) -> tuple[PayrollInputs, Found, Found]:
    """(the payroll columns, their problems, their notes (an amount rounded to the cent))."""
    n = len(frame)
    text = {c: (_text(frame[c]) if c in frame.columns else pd.Series([""] * n, dtype=object))
            for c in PAYROLL_COLUMNS}
    problems: Found = []
    notes: Found = []
    ytd_wages, _ = _money(text["ytd_wages"], "ytd_wages", problems, notes)
    ytd_supplemental, _ = _money(text["ytd_supplemental_wages"], "ytd_supplemental_wages", problems, notes)
    annualized, given = _money(text["annualized_compensation"], "annualized_compensation", problems, notes)
    for k in np.flatnonzero(given & (annualized == 0)):
        cell = text["annualized_compensation"].iat[k]
        problems.append((k, "annualized_compensation", f"{cell[:40]!r} must be greater than 0 "
                                                       "(leave it blank to use base_salary)"))
    state_ppm, state_given = _rate(text["state_withholding_rate"], "state_withholding_rate", problems)
    inputs = PayrollInputs(
        ytd_wages=ytd_wages, ytd_supplemental_wages=ytd_supplemental,
        state_rate_ppm=state_ppm, state_rate_given=state_given,
        specified_employee=_flag(text["specified_employee"], "specified_employee", problems),
        annualized_compensation=np.where(given, annualized, base_salary),
        columns=tuple(c for c in PAYROLL_COLUMNS if c in frame.columns),
    )
    return inputs, problems, notes


def check_payroll_columns(frame: pd.DataFrame, errors: list[list], notes: list[list]) -> None:
    """Validation's hook: adds each payroll cell's problem to its row's errors (the row is then
    rejected like any other) and each rounding to its notes, as the (column, message) pairs
    validation collects."""
    if any(c in frame.columns for c in PAYROLL_COLUMNS):
        _, problems, rounded = read_payroll_columns(frame, np.zeros(len(frame), dtype=np.int64))
        for k, column, message in problems:
            errors[k].append((column, message))
        for k, column, message in rounded:
            notes[k].append((column, message))


def payroll_inputs(cases: CaseTable) -> PayrollInputs:
    """The payroll columns of validated cases (their problems were reported by validation)."""
    return read_payroll_columns(cases.raw.reset_index(drop=True), cases.base_salary)[0]
