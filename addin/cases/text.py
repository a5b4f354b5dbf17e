"""Cells as text columns: one Arrow string array per column ('' for blanks, trimmed), the form in
which validation reads whole columns at once with Arrow's kernels; Python sees only the few
unusual cells (by position, through `cell`)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TEXT = pa.string()  # 32-bit offsets: a column of a 200 MiB file fits


def _one(v: object) -> str:
    """A spreadsheet cell as text: '' for blanks, the shortest repr for numbers."""
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


def cells_text(values: Sequence[object]) -> list[str]:
    """Python values (records, spreadsheet cells) as text_array reads them, as Python strings."""
    return [_one(v).strip() for v in values]


@lru_cache(maxsize=64)
def _blanks(n: int) -> pa.Array:
    return pa.array([""] * n, TEXT)  # Arrow arrays are immutable: one serves every call


def text_array(series: pd.Series | Sequence[object] | None, n: int = 0) -> pa.Array:
    """Every cell as trimmed text ('' for blanks); a column of text (a CSV) is not copied into
    Python strings. A list: Python values (records, spreadsheet cells). None: n blanks."""
    if series is None:
        return _blanks(n) if n < 64 else pa.nulls(n, TEXT).fill_null("")
    if isinstance(series, list):
        return pa.array(cells_text(series), type=TEXT)
    values = series.array
    if isinstance(values, pd.arrays.ArrowStringArray) or pd.api.types.is_string_dtype(series.dtype) \
            and not series.dtype == object:
        arr = pa.array(values)
    else:
        raw = series.to_numpy(dtype=object)
        try:
            arr = pa.array(raw, type=TEXT, from_pandas=True)   # text only: no per-cell map
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            arr = pa.array([_one(v) for v in raw], type=TEXT)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != TEXT:
        arr = arr.cast(TEXT)
    return trimmed(arr.fill_null("") if arr.null_count else arr)


def trimmed(text: pa.Array) -> pa.Array:
    """Every cell without its leading and trailing whitespace: by Arrow's kernel, unless the
    cells hold no space, no control character and nothing beyond ASCII at all (ids, dates,
    amounts and codes as exported: two reductions of the bytes, not a pass over every cell)."""
    data, offsets = text_bytes(text)
    held = data[offsets[0]:offsets[-1]] if len(offsets) else data
    if not len(held) or (held.min() > 0x20 and held.max() < 0x7F):
        return text
    return pc.utf8_trim_whitespace(text)


def mask(values: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy (null as False)."""
    if values.null_count:
        values = values.fill_null(False)
    return values.to_numpy(zero_copy_only=False)


# Up to this many cells, a column's few cells are looked at in Python: Arrow's kernels cost
# microseconds a call whatever the length (and a regex is compiled on every call), which a
# one-case formula would pay for nothing.
FEW_CELLS = 16


@lru_cache(maxsize=32)
def _python_pattern(pattern: str) -> re.Pattern:
    """An RE2 pattern of the few used here (digits, literal characters, classes, \\s) as Python
    reads it alike: ASCII classes, and \\s as RE2's [\\t\\n\\f\\r ] (Python's also takes \\v)."""
    return re.compile(pattern.replace(r"\s", r"[\t\n\f\r ]"), re.ASCII)


def matches(text: pa.Array, pattern: str) -> np.ndarray:
    """Where the whole cell matches `pattern` (RE2 syntax)."""
    if len(text) <= FEW_CELLS:
        python = _python_pattern(pattern)
        return np.array([python.fullmatch(c) is not None for c in text.to_pylist()], dtype=bool)
    return mask(pc.match_substring_regex(text, f"^(?:{pattern})$"))


def contains(text: pa.Array, pattern: str) -> np.ndarray:
    """Where `pattern` (literal letters and |, RE2 syntax) occurs in the cell, ignoring case as
    RE2 does (Unicode simple case folding; Python's IGNORECASE folds letters alike)."""
    if len(text) <= FEW_CELLS:
        python = _python_search(pattern)
        return np.array([python.search(c) is not None for c in text.to_pylist()], dtype=bool)
    return mask(pc.match_substring_regex(text, pattern, ignore_case=True))


@lru_cache(maxsize=8)
def _python_search(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def text_bytes(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, offsets) of a string array's cells, without copying them."""
    width = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(text.buffers()[1], dtype=width)[text.offset: text.offset + len(text) + 1]
    data = text.buffers()[2]
    return (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)), offsets


def held_bytes(text: pa.Array) -> bytes:
    """The bytes of all the cells of a string array, one after another (one copy: `in` then
    finds a byte at memchr's speed)."""
    data, offsets = text_bytes(text)
    return data[offsets[0]:offsets[-1]].tobytes() if len(offsets) else b""


def is_blank(text: pa.Array) -> np.ndarray:
    if len(text) <= FEW_CELLS:
        return np.array([c == "" for c in text.to_pylist()], dtype=bool)
    return mask(pc.equal(text, ""))


def distinct_cells(text: pa.Array) -> tuple[np.ndarray, list[str]]:
    """(each cell's position among the distinct cells, the distinct cells in order of first
    appearance), as Arrow's dictionary encoding gives them."""
    if len(text) <= FEW_CELLS:
        cells = text.to_pylist()
        uniques = list(dict.fromkeys(cells))
        position = {c: i for i, c in enumerate(uniques)}
        return np.array([position[c] for c in cells], dtype=np.intp), uniques
    encoded = pc.dictionary_encode(text)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp), encoded.dictionary.to_pylist()


def true_rows(where: np.ndarray):
    """The positions where `where` is true (np.flatnonzero; a few cells' by Python)."""
    if len(where) <= FEW_CELLS:
        return [k for k, hit in enumerate(where.tolist()) if hit]
    return np.flatnonzero(where)


def cell(text: pa.Array, k) -> str:
    return text[int(k)].as_py()


def series(text: pa.Array, rows: np.ndarray | None = None) -> pd.Series:
    """The cells (at `rows`) as an object Series, for the slow paths' per-value work."""
    part = text if rows is None else text.take(pa.array(np.asarray(rows, dtype=np.int64)))
    return pd.Series(part.to_pylist(), dtype=object)
