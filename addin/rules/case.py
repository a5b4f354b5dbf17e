"""A case table as the engine takes it: validated cases, column by column."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

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
    employee_id_text: pa.Array          # as read (Arrow text): employee_id is it in Python strings
    employee_name_text: pa.Array
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
    def employee_id(self) -> np.ndarray:
        return self.employee_id_text.to_numpy(zero_copy_only=False).astype(object)

    @cached_property
    def employee_name(self) -> np.ndarray:
        return self.employee_name_text.to_numpy(zero_copy_only=False).astype(object)

    @cached_property
    def raw(self) -> pd.DataFrame:
        """The cells as read, source_row first, one row per case."""
        if isinstance(self.cells, pd.DataFrame):
            return self.cells
        frame = pd.DataFrame(dict(self.cells), index=pd.RangeIndex(len(self)), dtype=object)
        frame.insert(0, "source_row", self.source_row)
        return frame


def rows_of(record, rows: np.ndarray | slice):
    """A CaseTable or the engine's Payouts (a frozen record of row-aligned columns) keeping
    only `rows`: positions (in that order, repeats allowed), or a slice (its columns are then
    views, not copies). Other fields stay as they are."""
    n = len(record)
    if isinstance(rows, slice):
        def take(column):
            return column[rows]
        positions = range(n)[rows]
    else:
        positions = np.asarray(rows, dtype=np.int64)

        def take(column):
            if isinstance(column, pa.Array):
                return column.take(pa.array(positions))
            if isinstance(column, tuple):
                return tuple(column[k] for k in positions)
            return column[positions]
    changes = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name == "agreement_ids":
            continue
        if isinstance(value, (np.ndarray, tuple, pa.Array)) and len(value) == n:
            changes[f.name] = take(value)
        elif isinstance(value, pd.DataFrame):
            changes[f.name] = value.iloc[rows if isinstance(rows, slice) else positions].reset_index(drop=True)
        elif f.name == "cells":   # columns of Python values
            changes[f.name] = {name: column[positions] for name, column in value.items()}
    return dataclasses.replace(record, **changes)
