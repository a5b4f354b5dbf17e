"""Money cells: a column of amounts as written (`240000.00`, `$1,234.5`, `1e3`) turned into
integer cents, every bad cell with its message. Whole columns go through Arrow's kernels; only
the unusual cells, and a formula's few, are read one by one by `to_decimal`."""

from __future__ import annotations

import sys
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..rules.money import MAX_CENTS, beyond_largest, decimal_to_cents, format_cents, to_decimal
from .errors import Problems
from .text import FEW_CELLS, cell, held_bytes, is_blank, mask, matches, trimmed

_MONEY_RE = r"^(?P<whole>-?\d{1,15})(?:\.(?P<cents>\d{0,2}))?$"
_TWO_PLACES_RE = r"^-?\d{1,15}\.\d{2}$"   # 240000.00: exactly a decimal(17, 2)
LITTLE_ENDIAN = sys.byteorder == "little"


def _two_place_cents(cells: pa.Array) -> np.ndarray:
    """int64 cents of cells that each match _TWO_PLACES_RE, by Arrow's exact decimal cast: the
    low 64 bits of a decimal128 are its unscaled value (here, cents) when it fits int64."""
    decimals = pc.cast(cells, pa.decimal128(17, 2))
    words = np.frombuffer(decimals.buffers()[1], dtype="<i8")
    return words[2 * decimals.offset: 2 * (decimals.offset + len(decimals)): 2].copy()


def _simple_cents(cleaned: pa.Array, blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cents, simple) of plain amounts: digits, an optional minus, at most two decimals
    (`blank`: where a cell is empty)."""
    if not LITTLE_ENDIAN or cleaned.null_count:
        return _cents_by_form(cleaned)
    # The usual column: every cell an amount with at most two decimals (or blank), which Arrow's
    # decimal cast reads in one pass; it refuses the column if any cell is not.
    try:
        cents = _two_place_cents(pc.if_else(pa.array(blank), "0", cleaned) if blank.any() else cleaned)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _cents_by_form(cleaned)   # read cell by cell: which cells are, and how the rest are
    return cents, ~blank


def _cents_by_form(cleaned: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """_simple_cents cell by cell: two-place amounts cast, other plain amounts by their parts."""
    cents = np.zeros(len(cleaned), dtype=np.int64)
    two = matches(cleaned, _TWO_PLACES_RE[1:-1]) if LITTLE_ENDIAN else np.zeros(len(cleaned), bool)
    if two.any():
        cents[two] = _two_place_cents(cleaned if two.all() else cleaned.filter(pa.array(two)))
    if two.all():
        return cents, two
    rest = np.flatnonzero(~two)
    parts = pc.extract_regex(cleaned.take(pa.array(rest)), _MONEY_RE)
    simple_rest = mask(parts.is_valid())
    if simple_rest.any():
        plain = parts.filter(pa.array(simple_rest))
        whole = pc.cast(plain.field("whole"), pa.int64()).to_numpy(zero_copy_only=False)
        frac = pc.cast(pc.utf8_rpad(plain.field("cents"), 2, "0"), pa.int64()).to_numpy(zero_copy_only=False)
        neg = mask(pc.starts_with(plain.field("whole"), "-"))
        cents[rest[simple_rest]] = np.abs(whole) * 100 * np.where(neg, -1, 1) + np.where(neg, -frac, frac)
    simple = two.copy()
    simple[rest[simple_rest]] = True
    return cents, simple


def parse_money(text: pa.Array, column: str, errors: Problems, notes: Problems,
                required: bool) -> tuple[np.ndarray, np.ndarray]:
    """(cents, present) of a money column; records a message for every bad cell."""
    if len(text) <= FEW_CELLS:  # a formula's case: every cell read by to_decimal, as odd cells are,
        # giving the same cents and messages
        cents, present = [], []
        for k, original in enumerate(text.to_pylist()):
            present.append(original.replace(",", "").replace("$", "").strip() != "")
            cents.append(_odd_cents(original, column, k, errors, notes) if present[-1] else 0)
            if required and not present[-1]:
                errors[k].append((column, "required, but blank"))
        return np.array(cents, dtype=np.int64), np.array(present, dtype=bool)
    cleaned, held = text, held_bytes(text)
    for mark in (",", "$"):
        if mark.encode() in held:
            cleaned = pc.replace_substring(cleaned, mark, "")
    cleaned = trimmed(cleaned)
    blank = is_blank(cleaned)
    cents, simple = _simple_cents(cleaned, blank)
    for k in np.flatnonzero(~simple & ~blank):
        cents[k] = _odd_cents(cell(text, k), column, k, errors, notes)
    too_big = np.abs(cents) > MAX_CENTS
    for k in np.flatnonzero(too_big & simple):
        errors[k].append((column, f"{cell(text, k)[:40]!r} is beyond the largest amount accepted "
                                  f"({format_cents(MAX_CENTS)})"))
        cents[k] = 0  # unusable, as an amount to_decimal could not read
    if required:
        for k in np.flatnonzero(blank):
            errors[k].append((column, "required, but blank"))
    return cents, ~blank


def _odd_cents(original: str, column: str, k: int, errors: Problems, notes: Problems) -> int:
    """The cents of a cell that is no plain amount, read by to_decimal (0, with a message, where
    it is no amount or beyond the largest accepted; a note where it was rounded to the cent)."""
    try:
        d = to_decimal(original)
    except ValueError as exc:
        errors[k].append((column, f"{exc}; write an amount such as 240000.00"))
        return 0
    if beyond_largest(d):
        errors[k].append((column, f"{original[:40]!r} is beyond the largest amount accepted "
                                  f"({format_cents(MAX_CENTS)})"))
        return 0
    cents = decimal_to_cents(d)
    if d != Decimal(int(cents)) / 100:
        notes[k].append((column, f"{original} rounded to {format_cents(cents)}"))
    return cents
