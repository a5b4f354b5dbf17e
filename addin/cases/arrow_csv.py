"""The common CSV read by Arrow: every cell as text, without a Python string per cell.

A file Arrow and pandas might read differently (a blank line, a bare carriage return, quotes in
the rows above the header, a row with a different number of cells, text that is not UTF-8) is
left to the pandas reader (None), which gives those files their messages and row numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from .text import TEXT

# Arrow parses blocks of this size side by side (one block for a whole file: one core only).
BLOCK_BYTES = 1 << 23


def _plain(raw: bytes, above_end: int) -> bool:
    """Whether the file has none of the features the two readers treat differently."""
    # A blank line is a (blank) row to pandas, nothing to Arrow.
    if raw.startswith((b"\n", b"\r")) or _blank_line(raw):
        return False
    if b"\r" in raw and (b"\n\r\n" in raw or raw.count(b"\r") != raw.count(b"\r\n")):
        return False
    return b'"' not in raw[:above_end]


_BLANK_CHUNK = 1 << 23


def _blank_line(raw: bytes) -> bool:
    """Whether two line breaks follow each other anywhere (by numpy over 8 MiB at a time: a
    search for two bytes as common as a line break is slow in Python's bytes)."""
    a = np.frombuffer(raw, dtype=np.uint8)
    for start in range(0, len(a), _BLANK_CHUNK):
        breaks = np.flatnonzero(a[start:start + _BLANK_CHUNK + 1] == ord("\n"))   # (one byte shared)
        if (np.diff(breaks) == 1).any():
            return True
    return False


def read_text_table(raw: bytes, sep: str, above: int, header: list[str]) -> pd.DataFrame | None:
    """The data rows under the header (`above` lines above it) as text columns named as the
    header is written; None when the pandas reader must judge the file."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    above_end = 0
    for _ in range(above + 1):   # the rows above the header, and the header
        above_end = body.find(b"\n", above_end) + 1
        if not above_end:
            return None
    if not _plain(body, above_end) or len(set(header)) != len(header) or not header:
        return None
    width = len(header)
    try:
        table = pcsv.read_csv(
            pa.BufferReader(body),
            read_options=pcsv.ReadOptions(skip_rows=above + 1, autogenerate_column_names=True,
                                          block_size=BLOCK_BYTES),
            parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=b'"' in body),
            convert_options=pcsv.ConvertOptions(
                column_types={f"f{k}": TEXT for k in range(width)}, strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[], check_utf8=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_columns != width or table.num_rows == 0:
        return None
    if any(t != TEXT for t in table.schema.types):
        return None
    return table.rename_columns(header).to_pandas()


def record_lines(frame: pd.DataFrame, quoted: bool) -> np.ndarray:
    """How many lines of the file each record spans (a quoted cell may hold line breaks)."""
    lines = np.ones(len(frame), dtype=np.int64)
    if quoted:
        for column in frame.columns:
            counted = pc.count_substring(pa.array(frame[column].array), "\n")
            lines += counted.to_numpy(zero_copy_only=False).astype(np.int64)
    return lines
