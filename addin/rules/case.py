"""A case table as the engine takes it: validated cases, column by column."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import numpy as np
import pandas as pd

# The termination reasons the agreement distinguishes (the case table's codes).
REASONS = ("without_cause", "good_reason", "for_cause", "resignation")


@dataclass(frozen=True)
class CaseTable:
    """Validated cases, column by column; row k is the k-th input row.

    Money is int64 cents; dates are datetime64[D] (NaT where unusable); codes are text.
    `errors[k]` lists every problem of row k (empty = the row is valid); `notes[k]` lists
    harmless adjustments (an input rounded to the cent, a blank consent) shown as warnings.
    """
    source_row: np.ndarray
    employee_id: np.ndarray
    employee_name: np.ndarray
    termination_date: np.ndarray
    termination_reason: np.ndarray
    base_salary: np.ndarray
    prior_year_bonus_declared: np.ndarray
    bonus_declared: np.ndarray          # False where prior_year_bonus_declared is blank
    prior_year_bonus_paid: np.ndarray
    monthly_benefits_cost: np.ndarray
    pay_frequency: np.ndarray           # resolved: blank takes the agreement's default
    consented_to_change: np.ndarray
    agreement: np.ndarray               # resolved: blank takes the default agreement
    errors: tuple[tuple[str, ...], ...]
    notes: tuple[tuple[str, ...], ...]
    valid: np.ndarray                   # no errors
    has_notes: np.ndarray
    frequency_code: np.ndarray          # addin.rules.calendar codes of pay_frequency
    agreement_code: np.ndarray          # index into agreement_ids (-1: unknown agreement)
    agreement_ids: tuple[str, ...]
    # The cells as read, for exceptions and carry-through: a frame (a file's), or columns of
    # values (Python records: the frame is built only if something asks for `raw`).
    cells: pd.DataFrame | Mapping[str, object] = field(repr=False)
    # How the file was read (addin.cases.mapping.Reading: sheet, header row, every mapping
    # applied); None for cases not read from a file.
    reading: object = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.source_row)

    @cached_property
    def raw(self) -> pd.DataFrame:
        """The cells as read, source_row first, one row per case."""
        if isinstance(self.cells, pd.DataFrame):
            return self.cells
        frame = pd.DataFrame(dict(self.cells), index=pd.RangeIndex(len(self)), dtype=object)
        frame.insert(0, "source_row", self.source_row)
        return frame
