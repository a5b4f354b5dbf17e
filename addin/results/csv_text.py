"""A result table as CSV text, column by column with Arrow's string kernels: the same bytes as
pandas' `to_csv(index=False, lineterminator="\\n")` (a cell is quoted only when it holds a comma,
a quote or a line break), and user text that would run as a formula made inert exactly as
addin.results.output.neutralize does."""

from __future__ import annotations

import itertools
from typing import BinaryIO, Callable, Collection, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..cases.text import held_bytes, text_bytes
from .output import FORMULA_PREFIXES, neutralize

TEXT = pa.string()
# A cell needing quotes (Python's csv writer with "\n" lines: the comma, the quote, "\n").
NEEDS_QUOTES = r'[,"\n]'
RISKY = "^[" + "".join("\\" + p if p in "-|" else p for p in FORMULA_PREFIXES) + "]"


def _plain_text(cells: object) -> str:
    """One cell as pandas writes it: blanks empty, everything else by str()."""
    if cells is None or cells is pd.NA or (isinstance(cells, float) and cells != cells):
        return ""
    return str(cells)


def _holding(text: pa.Array, characters: str) -> dict[str, bool]:
    """For each of `characters` (one byte each), whether any cell holds it (one copy of the
    column's bytes, then a fast scan for each)."""
    part = held_bytes(text)
    return {c: c.encode() in part for c in characters}


_RISKY_FIRST = np.zeros(256, dtype=bool)   # by a cell's first byte: may it be a formula's?
_RISKY_FIRST[list("".join(FORMULA_PREFIXES).encode())] = True


def _guarded(text: pa.Array) -> pa.Array:
    data, offsets = text_bytes(text)
    if not len(data):
        return text
    # Each cell's first byte, or for an empty cell the next one's (which can only send the
    # column to the exact test below).
    if not _RISKY_FIRST[data[np.minimum(offsets[:-1], len(data) - 1)]].any():
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


# Arrow's writer quotes no cell here (quoting_style "none"): a cell needing quotes is written with
# stand-ins for its quotes, commas and line breaks, which become those characters once written.
STAND_INS = {",": "\x01", '"': "\x02", "\n": "\x03", "\r": "\x04"}
RESTORE = bytes.maketrans("".join(STAND_INS.values()).encode(), "".join(STAND_INS).encode())
_RESTORE_BYTES = np.frombuffer(RESTORE, dtype=np.uint8)
_LAST_STAND_IN = max(map(ord, STAND_INS.values())) + 1
ROWS_PER_PART = 1 << 15  # rows: a part of a million-row table is a few MiB of text


def _quoted(text: pa.Array) -> pa.Array:
    """Header cells quoted as Python's csv writer quotes them."""
    if not any(_holding(text, ',"\n').values()):
        return text
    needs = pc.match_substring_regex(text, NEEDS_QUOTES)
    quote = pa.scalar('"', text.type)
    doubled = pc.binary_join_element_wise(quote, pc.replace_substring(text, '"', '""'), quote,
                                          pa.scalar("", text.type))
    return pc.if_else(needs, doubled, text)


def _stand_in(text: pa.Array, has: dict[str, bool]) -> pa.Array:
    """A column as Arrow may write it unquoted: every cell needing quotes quoted, with stand-ins
    (`has`: which characters of STAND_INS the column holds, see _holding)."""
    if not any(has.values()):
        return text
    needs = None
    for c in (",", '"', "\n"):
        if has[c]:
            found = pc.match_substring(text, c)
            needs = found if needs is None else pc.or_(needs, found)
    cells = text
    for c, stand_in in STAND_INS.items():
        if has[c]:
            cells = pc.replace_substring(cells, c, stand_in * (2 if c == '"' else 1))
    if needs is None:
        return cells  # a carriage return alone needs no quotes
    quote = pa.scalar(STAND_INS['"'], text.type)
    return pc.if_else(needs, pc.binary_join_element_wise(quote, cells, quote, pa.scalar("", text.type)), cells)


def _pandas_csv(frame: pd.DataFrame, header: bool) -> bytes:
    """The rows as pandas writes them, the same guard applied cell by cell."""
    return frame.astype(object).map(neutralize).to_csv(index=False, header=header,
                                                       lineterminator="\n").encode("utf-8")


def _arrow_text(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """An Arrow column (integers or text) as its CSV cells' text, text guarded as column_text
    guards it."""
    column = _whole(column)
    if pa.types.is_integer(column.type):
        return pc.cast(column, TEXT)
    column = column if column.type == TEXT else column.cast(TEXT)
    return _guarded(column.fill_null("") if column.null_count else column)


# What a column of user text is scanned for: what needs quotes, and the stand-ins themselves.
_SCANNED = "".join(STAND_INS) + "".join(STAND_INS.values())
_NOTHING_HELD = dict.fromkeys(_SCANNED, False)


def _whole(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column


def _part_csv(columns: list[pa.Array], rows: Callable[[], pd.DataFrame],
              made: list[bool] | None = None) -> bytes | memoryview:
    """Some rows of the table as CSV lines (no header), from their columns' text; `rows`: the
    same rows as a frame, for pandas to write when text holds the stand-ins themselves; `made`:
    which columns are made by the add-in (see write_csv): none of them is scanned."""
    made = made or [False] * len(columns)
    holding = [_NOTHING_HELD if m else _holding(c, _SCANNED) for c, m in zip(columns, made)]
    if any(has[c] for has in holding for c in STAND_INS.values()):
        return _pandas_csv(rows(), header=False)
    table = pa.table([_stand_in(c, has) for c, has in zip(columns, holding)],
                     names=[f"c{k}" for k in range(len(columns))])
    sink = pa.BufferOutputStream()
    # (a whole part in one batch: Arrow's batches of 1,024 rows took twice as long)
    pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False, quoting_style="none",
                                                  batch_size=max(table.num_rows, 1)))
    written = sink.getvalue()
    if not any(any(has.values()) for has in holding):
        return memoryview(written)   # no stand-in to turn back: Arrow's bytes as they are
    # The stand-ins turned back where they are (numpy's passes release the GIL, which
    # bytes.translate of every byte holds while the next part is being made).
    text = np.frombuffer(written, dtype=np.uint8).copy()
    at = np.flatnonzero(text < _LAST_STAND_IN)
    text[at] = _RESTORE_BYTES[text[at]]
    return memoryview(text)


def _header_line(names) -> bytes:
    header = pa.array([str(c) for c in names], type=TEXT)
    return (",".join(_quoted(header).to_pylist()) + "\n").encode("utf-8")


def write_csv(frame: pd.DataFrame | pa.Table | Iterable[pa.Table], out: BinaryIO,
              made: Collection[str] = ()) -> None:
    """Write `frame` as CSV (a header line, then one line per row) to a binary stream, a part
    of the rows at a time (the text of one part is in memory at once, not the whole table's).
    `frame`: a frame, or Arrow tables of integer and text columns (one, or its parts in order).
    `made`: the Arrow text columns the add-in makes from its own figures (amounts, dates,
    fractions, counts, its own words such as a status or a clause): no cell of them holds a
    comma, a quote, a line break or a stand-in, or starts like a formula, so they are neither
    scanned nor guarded. User text (ids, names, agreement ids, reasons, warnings) never is."""
    if isinstance(frame, pd.DataFrame):
        if not _arrow_writes(frame):
            out.write(_pandas_csv(frame, header=True))
            return
        out.write(_header_line(frame.columns))
        for start in range(0, len(frame), ROWS_PER_PART):
            part = frame.iloc[start:start + ROWS_PER_PART]
            out.write(_part_csv([column_text(part[c]) for c in part.columns], lambda: part))
        return
    tables = iter([frame] if isinstance(frame, pa.Table) else frame)
    first = next(tables, None)
    if first is None:
        return
    if first.num_columns < 2:
        out.write(_pandas_csv(pa.concat_tables([first, *tables]).to_pandas(), header=True))
        return
    out.write(_header_line(first.column_names))
    parts = (table.slice(start, ROWS_PER_PART) for table in itertools.chain([first], tables)
             for start in range(0, table.num_rows, ROWS_PER_PART))
    for part in parts:
        out.write(_table_csv(part, made))


def _table_csv(part: pa.Table, made: Collection[str]) -> bytes | memoryview:
    mine = [name in made and field.type == TEXT for name, field in zip(part.column_names, part.schema)]
    columns = [_made_text(c) if m else _arrow_text(c) for c, m in zip(part.columns, mine)]
    return _part_csv(columns, part.to_pandas, mine)


def _made_text(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    column = _whole(column)
    return column.fill_null("") if column.null_count else column
