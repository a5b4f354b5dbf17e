"""A result table as CSV text, column by column with Arrow's string kernels: the same bytes as
pandas' `to_csv(index=False, lineterminator="\\n")` (a cell is quoted only when it holds a comma,
a quote or a line break), and user text that would run as a formula made inert exactly as
addin.results.output.neutralize does."""

from __future__ import annotations

from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .output import FORMULA_PREFIXES, neutralize

TEXT = pa.string()
LARGE = pa.large_string()   # for a joined table beyond 2 GiB of text
# A cell needing quotes (Python's csv writer with "\n" lines: the comma, the quote, "\n").
NEEDS_QUOTES = r'[,"\n]'
RISKY = "^[" + "".join("\\" + p if p in "-|" else p for p in FORMULA_PREFIXES) + "]"


def _plain_text(cells: object) -> str:
    """One cell as pandas writes it: blanks empty, everything else by str()."""
    if cells is None or cells is pd.NA or (isinstance(cells, float) and cells != cells):
        return ""
    return str(cells)


def _cells(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, offsets) of a string array's cells, without copying them."""
    width = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(text.buffers()[1], dtype=width)[text.offset: text.offset + len(text) + 1]
    data = text.buffers()[2]
    return (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)), offsets


def _holds_any(text: pa.Array, characters: bytes) -> bool:
    """Whether any cell holds one of `characters` (single bytes), by one scan of the bytes."""
    data, offsets = _cells(text)
    part = data[offsets[0]:offsets[-1]].tobytes() if len(offsets) else b""
    return any(bytes([c]) in part for c in characters)


def _guarded(text: pa.Array) -> pa.Array:
    data, offsets = _cells(text)
    filled = offsets[:-1][offsets[1:] > offsets[:-1]]
    first = data[filled]
    if not np.isin(first, np.frombuffer("".join(FORMULA_PREFIXES).encode(), dtype=np.uint8)).any():
        return text
    risky = pc.match_substring_regex(text, RISKY)
    marked = pc.binary_join_element_wise(pa.scalar("'", text.type), text, pa.scalar("", text.type))
    return pc.if_else(risky, marked, text)


def column_text(values: pd.Series) -> pa.Array:
    """A column (integers, text, or objects) as the text its CSV cells hold before quoting,
    the formula guard applied to text cells only (an amount or a count is never user text)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return pc.cast(pa.array(values.to_numpy()), TEXT)
    if values.dtype != object:   # text held by Arrow (a column read from a CSV)
        arr = pa.array(values.array)
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        return _guarded(arr.cast(TEXT).fill_null(""))
    raw = values.to_numpy(dtype=object)
    try:
        return _guarded(pa.array(raw, type=TEXT, from_pandas=True).fill_null(""))
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    blank = raw == ""
    if pd.api.types.infer_dtype(raw[~blank], skipna=False) != "integer":
        return pa.array([_plain_text(neutralize(v)) for v in raw], type=TEXT)
    out = np.full(len(raw), "", dtype=object)   # a count with blanks (installments)
    out[~blank] = pc.cast(pa.array(raw[~blank], type=pa.int64()), TEXT).to_numpy(zero_copy_only=False)
    return pa.array(out, type=TEXT)


def _arrow_writes(frame: pd.DataFrame) -> bool:
    """Whether every column is of a kind written here (integers, text, objects), and the table
    has the shape written here (rows, and more than one column)."""
    kinds = all(pd.api.types.is_integer_dtype(t) or t == object or pd.api.types.is_string_dtype(t)
                for t in frame.dtypes)
    return kinds and len(frame) > 0 and len(frame.columns) > 1


def _quoted(text: pa.Array) -> pa.Array:
    if not _holds_any(text, b',"\n'):
        return text
    needs = pc.match_substring_regex(text, NEEDS_QUOTES)
    quote = pa.scalar('"', text.type)
    doubled = pc.binary_join_element_wise(quote, pc.replace_substring(text, '"', '""'), quote,
                                          pa.scalar("", text.type))
    return pc.if_else(needs, doubled, text)


def write_csv(frame: pd.DataFrame, out: BinaryIO) -> None:
    """Write `frame` as CSV (a header line, then one line per row) to a binary stream."""
    if not _arrow_writes(frame):  # a table of another shape: pandas, the same guard cell by cell
        safe = frame.astype(object).map(neutralize)
        out.write(safe.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        return
    header = pa.array([str(c) for c in frame.columns], type=TEXT)
    out.write((",".join(_quoted(header).to_pylist()) + "\n").encode("utf-8"))
    columns = [_quoted(column_text(frame[c])) for c in frame.columns]
    if sum(c.nbytes for c in columns) + 2 * len(frame) * len(columns) >= 2**31:
        columns = [c.cast(LARGE) for c in columns]
    kind = columns[0].type
    # The last cell of each line carries the line break: the joined text is the CSV body.
    columns[-1] = pc.binary_join_element_wise(columns[-1], pa.scalar("\n", kind), pa.scalar("", kind))
    lines = pc.binary_join_element_wise(*columns, pa.scalar(",", kind))
    _, offsets = _cells(lines)
    out.write(memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])])
