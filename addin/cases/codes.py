"""Code columns (termination_reason, pay_frequency, agreement, consented_to_change): each cell
read as a code by spelling (addin.cases.spelling) or by the map file's [values.<column>]; any
other word is rejected, naming the map entry that would accept it."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .mapping import Applied, CaseMap, How
from .spelling import spelling_key

TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0", ""}


def read_codes(text: pd.Series, column: str, codes: Sequence[str], case_map: CaseMap,
               errors: list[list[tuple[str, str]]] | None,
               known_words: str = "") -> tuple[pd.Series, tuple[Applied, ...]]:
    """Each cell as its code ('' stays ''; a cell that is no code stays as written, with a
    message); and every spelling or map entry applied, with its rows. Work is per distinct cell."""
    values, uniques = pd.factorize(text.to_numpy(dtype=object))
    counts = np.bincount(values, minlength=len(uniques)) if len(values) else np.zeros(0, dtype=np.int64)
    by_key = {spelling_key(c): c for c in codes}
    mapped = case_map.values.get(column, {})
    resolved = np.empty(len(uniques), dtype=object)
    unknown = np.zeros(len(uniques), dtype=bool)
    applied = []
    for j, value in enumerate(uniques):
        key = spelling_key(value)
        if value == "" or value in by_key.values() and key not in mapped:
            resolved[j] = value
        elif key in mapped:
            resolved[j] = mapped[key][1]
            applied.append(Applied(column, value, resolved[j], int(counts[j]), How.MAP))
        elif key in by_key:
            resolved[j] = by_key[key]
            applied.append(Applied(column, value, resolved[j], int(counts[j]), How.SPELLING))
        else:
            resolved[j], unknown[j] = value, True
    out = pd.Series(resolved[values] if len(values) else [], dtype=object, index=text.index)
    for k in np.flatnonzero(unknown[values]) if len(values) and errors is not None else ():
        value = text.iat[k]
        accepted = known_words or f"must be one of {', '.join(codes)}"
        errors[k].append((column, f"{value[:40]!r} {accepted}; if it means one of them, say which "
                                  f"in a --map file: [values.{column}] \"{value[:40]}\" = "
                                  f"\"<{column} code>\""))
    return out, tuple(applied)


def read_flags(text: pd.Series, column: str, case_map: CaseMap,
               errors: list[list[tuple[str, str]]]) -> tuple[np.ndarray, np.ndarray, tuple[Applied, ...]]:
    """(value, blank, applied) of a true/false column; the map may name other words for them."""
    lowered, applied = read_codes(text.str.lower(), column, ("true", "false"), case_map, None)
    value = lowered.isin(TRUE_WORDS).to_numpy()
    known = value | lowered.isin(FALSE_WORDS).to_numpy()
    for k in np.flatnonzero(~known):
        errors[k].append((column, f"{text.iat[k][:40]!r} is not true or false; write true or "
                                  f"false (yes, no, 1, 0), or map it under [values.{column}]"))
    return value, (text == "").to_numpy(), tuple(a for a in applied if a.how is How.MAP)
