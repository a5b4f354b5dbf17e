"""Code columns (termination_reason, pay_frequency, agreement, consented_to_change): each cell
read as a code by spelling (addin.cases.spelling) or by the map file's [values.<column>]; any
other word is rejected, naming the map entry that would accept it."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import Problems
from .mapping import Applied, CaseMap, How
from .spelling import spelling_key
from .text import distinct_cells, is_blank, true_rows

TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0", ""}


class Coded(NamedTuple):
    """A code column read: each cell's code as text, its index in the codes (-1: blank or not
    a code), and every spelling or map entry applied."""
    text: np.ndarray
    index: np.ndarray
    applied: tuple[Applied, ...]
    distinct: np.ndarray     # each distinct cell's code as text
    where: np.ndarray        # each cell's distinct cell


def read_codes(text: pa.Array, column: str, codes: Sequence[str], case_map: CaseMap,
               errors: Problems | None, known_words: str = "") -> Coded:
    """Each cell as its code ('' stays ''; a cell that is no code stays as written, with a
    message); and every spelling or map entry applied, with its rows. Work is per distinct cell."""
    values, uniques = distinct_cells(text)
    by_key, exact, position = _keys(tuple(codes))
    mapped = case_map.values.get(column, {})
    resolved = np.empty(len(uniques), dtype=object)
    unknown = np.zeros(len(uniques), dtype=bool)
    applying = []   # (distinct cell, how) of each spelling or map entry applied
    for j, value in enumerate(uniques):
        key = spelling_key(value)
        if value == "" or value in exact and key not in mapped:
            resolved[j] = value
        elif key in mapped:
            resolved[j] = mapped[key][1]
            applying.append((j, How.MAP))
        elif key in by_key:
            resolved[j] = by_key[key]
            applying.append((j, How.SPELLING))
        else:
            resolved[j], unknown[j] = value, True
    counts = np.bincount(values, minlength=len(uniques)) if applying else None   # cells each read
    applied = [Applied(column, uniques[j], resolved[j], int(counts[j]), how) for j, how in applying]
    index = np.array([-1 if unknown[j] else position.get(r, -1) for j, r in enumerate(resolved)],
                     dtype=np.int64)
    if errors is not None and unknown.any():
        accepted = known_words or f"must be one of {', '.join(codes)}"
        for k in np.flatnonzero(unknown[values]):
            value = uniques[values[k]]
            errors[k].append((column, f"{value[:40]!r} {accepted}; if it means one of them, say which "
                                      f"in a --map file: [values.{column}] \"{value[:40]}\" = "
                                      f"\"<{column} code>\""))
    return Coded(resolved[values], index[values], tuple(applied), resolved, values)


@lru_cache(maxsize=16)
def _keys(codes: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str], dict[str, int]]:
    """(code by spelling key, the codes so found, index by code) of a set of codes."""
    by_key = {spelling_key(c): c for c in codes}
    return by_key, frozenset(by_key.values()), {c: i for i, c in enumerate(codes)}


def read_flags(text: pa.Array, column: str, case_map: CaseMap,
               errors: Problems) -> tuple[np.ndarray, np.ndarray, tuple[Applied, ...]]:
    """(value, blank, applied) of a true/false column; the map may name other words for them."""
    lowered = read_codes(pc.utf8_lower(text), column, ("true", "false"), case_map, None)
    words = lowered.distinct
    value = np.array([w in TRUE_WORDS for w in words], dtype=bool)[lowered.where]
    known = value | np.array([w in FALSE_WORDS for w in words], dtype=bool)[lowered.where]
    for k in true_rows(~known):
        errors[k].append((column, f"{text[int(k)].as_py()[:40]!r} is not true or false; write true or "
                                  f"false (yes, no, 1, 0), or map it under [values.{column}]"))
    return value, is_blank(text), tuple(a for a in lowered.applied if a.how is How.MAP)
