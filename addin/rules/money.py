"""Money: exact amounts as integer cents, with one rounding rule (half away from zero).

Binary floats never carry money here. Amounts enter as text or Decimal, are held as int64 cents
in the vectorized engine, and leave as Decimal or two-place text.
"""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

CENT = Decimal("0.01")
# The largest amount an input may carry: keeps every intermediate product inside int64.
MAX_CENTS = 100_000_000_000  # 1,000,000,000.00
FEW_AMOUNTS = 16  # up to this many, cents_text formats in Python (see there)
_LARGEST = Decimal(MAX_CENTS).scaleb(-2)


def beyond_largest(d: Decimal) -> bool:
    """Whether an amount is beyond MAX_CENTS, compared exactly: turned into cents first, an
    amount such as 1e1000000 overflows Decimal's context (and a row's bad cell would stop the run)."""
    return d.copy_abs() > _LARGEST   # copy_abs, not abs: abs rounds to the context, and overflows too


def round_cents(value: Decimal) -> Decimal:
    """Round to the cent, half away from zero (ROUND_HALF_UP is away from zero in Decimal)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Read a money value from text, int, Decimal or a spreadsheet number, exactly.

    A float from a spreadsheet is read through its shortest repr (what the cell shows), never
    through its binary expansion. Raises ValueError with a plain message on anything else.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, (int, np.integer)):
        d = Decimal(int(value))
    elif isinstance(value, (float, np.floating)):
        d = Decimal(repr(float(value)))
    else:
        text = str(value).strip().replace(",", "").replace("$", "")
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{str(value)[:40]!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"{str(value)[:40]!r} is not a finite number")
    return d


def decimal_to_cents(d: Decimal) -> int:
    return int(round_cents(d) * 100)


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(int(cents))
    return f"{sign}{c // 100}.{c % 100:02d}"


def cents_text(cents: np.ndarray, valid: np.ndarray | None = None):
    """Two-place text of an int64 cents array as an Arrow string array ('' where not valid):
    the cents are the unscaled value of a decimal with two places, which Arrow writes exactly."""
    import pyarrow as pa
    import pyarrow.compute as pc
    cents = np.asarray(cents, dtype=np.int64).ravel()
    if len(cents) <= FEW_AMOUNTS:  # a formula's figures: format_cents, without Arrow's per-call cost
        shown = np.ones(len(cents), dtype=bool) if valid is None else np.asarray(valid, dtype=bool).ravel()
        return pa.array([format_cents(c) if ok else "" for c, ok in zip(cents.tolist(), shown)], pa.string())
    if sys.byteorder == "little" and hasattr(pa, "decimal64"):   # the decimal's word: the cents
        # (Arrow writes a 64-bit decimal a fifth faster than a 128-bit one, the same text)
        two_places = pa.Array.from_buffers(pa.decimal64(18, 2), len(cents), [None, pa.py_buffer(cents)])
    elif sys.byteorder == "little":   # the decimal's 128-bit words: the cents, then their sign
        words = np.empty((len(cents), 2), dtype=np.int64)
        words[:, 0], words[:, 1] = cents, cents >> 63
        two_places = pa.Array.from_buffers(pa.decimal128(19, 2), len(cents), [None, pa.py_buffer(words)])
    else:
        whole = pc.cast(pa.array(cents), pa.decimal128(19, 0))
        two_places = pa.Array.from_buffers(pa.decimal128(19, 2), len(whole), whole.buffers(),
                                           offset=whole.offset)
    text = pc.cast(two_places, pa.string())
    if valid is not None:
        text = pc.if_else(pa.array(np.asarray(valid, dtype=bool).ravel()), text, "")
    return text


def format_cents_array(cents: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """Two-place text for an int64 cents array; '' where not valid. Vectorized (Arrow's
    decimal formatting: a schedule holds millions of amounts)."""
    cents = np.asarray(cents, dtype=np.int64)
    if cents.size == 0:
        return np.empty(cents.shape, dtype=object)
    return cents_text(cents, valid).to_numpy(zero_copy_only=False).reshape(cents.shape)


def mul_div_round(cents: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """round(cents * num / den) to the cent, half away from zero, in exact integer arithmetic.

    Inputs are non-negative int64 arrays; callers keep cents * num well inside int64.
    """
    cents = np.asarray(cents, dtype=np.int64)
    num = np.asarray(num, dtype=np.int64)
    den = np.asarray(den, dtype=np.int64)
    return (2 * cents * num + den) // (2 * den)


def installment_amounts(total: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal installments to the cent (half away from zero); the last absorbs the rounding so
    the installments sum exactly to the total. Where rounding up would overshoot the total
    (tiny totals over many paydays), installments round down instead."""
    n = np.maximum(count, 1)
    each = (2 * total + n) // (2 * n)
    each = np.where((n - 1) * each > total, total // n, each)
    last = total - (n - 1) * each
    each = np.where(count > 0, each, 0)
    last = np.where(count > 0, last, 0)
    return each, last
