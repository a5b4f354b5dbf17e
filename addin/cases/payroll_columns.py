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
from ..rules.tax import RATE_SCALE
from ..rules.withholding import PayrollInputs
from .columns import PAYROLL_COLUMNS


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
    return series.map(one).astype(str).str.strip().reset_index(drop=True)


def _rate(text: pd.Series, column: str, errors: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(parts per million, given) of a rate column such as 0.0660 (6.60%)."""
    ppm = np.zeros(len(text), dtype=np.int64)
    given = (text != "").to_numpy()
    for k in np.flatnonzero(given):
        cell = text.iat[k]
        try:
            d = Decimal(cell)
        except InvalidOperation:
            errors[k].append(f"{column}: {cell[:40]!r} is not a number; write a rate such as 0.0660 for 6.60%")
            continue
        if not d.is_finite() or not 0 <= d < 1:
            errors[k].append(f"{column}: {cell[:40]!r} must be a rate from 0 up to 1 (0.0660 for 6.60%)")
        elif d * RATE_SCALE != int(d * RATE_SCALE):
            errors[k].append(f"{column}: {cell[:40]!r} has more than six decimal places")
        else:
            ppm[k] = int(d * RATE_SCALE)
    return ppm, given


def _parse(frame: pd.DataFrame, base_salary: np.ndarray, errors: list[list[str]],
           notes: list[list[str]]) -> PayrollInputs:
    from .validation import parse_flags, parse_money  # validation calls this module: no cycle at import
    n = len(frame)
    text = {c: (_text(frame[c]) if c in frame.columns else pd.Series([""] * n, dtype=object))
            for c in PAYROLL_COLUMNS}
    money = {}
    for column in ("ytd_wages", "ytd_supplemental_wages", "annualized_compensation"):
        money[column], present = parse_money(text[column], column, errors, notes, required=False)
        for k in np.flatnonzero(money[column] < 0):
            errors[k].append(f"{column}: {text[column].iat[k][:40]!r} must not be negative")
        if column == "annualized_compensation":
            for k in np.flatnonzero(present & (money[column] == 0)):
                errors[k].append(f"{column}: {text[column].iat[k][:40]!r} must be greater than 0 "
                                 "(leave it blank to use base_salary)")
            money[column] = np.where(present, money[column], base_salary)
    state_ppm, state_given = _rate(text["state_withholding_rate"], "state_withholding_rate", errors)
    specified, _ = parse_flags(text["specified_employee"], "specified_employee", errors)
    return PayrollInputs(
        ytd_wages=money["ytd_wages"], ytd_supplemental_wages=money["ytd_supplemental_wages"],
        state_rate_ppm=state_ppm, state_rate_given=state_given, specified_employee=specified,
        annualized_compensation=money["annualized_compensation"],
        columns=tuple(c for c in PAYROLL_COLUMNS if c in frame.columns),
    )


def check_payroll_columns(frame: pd.DataFrame, errors: list[list[str]], notes: list[list[str]]) -> None:
    """Validation's hook: adds the payroll columns' problems to the rows' errors and notes."""
    if any(c in frame.columns for c in PAYROLL_COLUMNS):
        _parse(frame, np.zeros(len(frame), dtype=np.int64), errors, notes)


def payroll_inputs(cases: CaseTable) -> PayrollInputs:
    """The payroll columns of validated cases (their problems were reported by validation)."""
    n = len(cases)
    scratch: list[list[str]] = [[] for _ in range(n)]
    return _parse(cases.raw.reset_index(drop=True), cases.base_salary, scratch, [[] for _ in range(n)])
