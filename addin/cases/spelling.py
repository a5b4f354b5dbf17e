"""Spelling, never meaning: the one rule by which a header or a code written by an HR system
matches a case-table name. Case, spaces, hyphens, underscores and punctuation do not count
(`Employee ID` is employee_id, `Semi-Monthly` is semimonthly); a different word never matches
(`involuntary` is not without_cause: only a map file can say so).

The shipped calculator workbook is to accept the same spellings, so this is the one definition.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def spelling_key(text: object) -> str:
    """The letters and digits of `text`, case-folded: two spellings of one name share a key."""
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def spelling_keys(text: pd.Series | pa.Array) -> np.ndarray:
    """spelling_key of every cell of a text column, computed once per distinct value."""
    if isinstance(text, (pa.Array, pa.ChunkedArray)):
        encoded = pc.dictionary_encode(text)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        keys = np.array([spelling_key(u) for u in encoded.dictionary.to_pylist()] + [""], dtype=object)
        return keys[codes]
    codes, uniques = pd.factorize(text.to_numpy(dtype=object))
    keys = np.array([spelling_key(u) for u in uniques] + [""], dtype=object)
    return keys[codes]
