"""Every word the engine's codes become: why a case pays nothing, and each warning."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..rules.case import CaseTable
from ..rules.engine import (BELOW_MINIMUM, EARLY_UNDECLARED, FOR_CAUSE, GOOD_REASON_CONSENTED,
                            INPUT_NOTES, PAID_OVER_DECLARED, RESIGNATION, Payouts)
from ..cases.text import text_bytes
from ..rules.money import cents_text

NOT_ELIGIBLE_REASONS = {
    FOR_CAUSE: "terminated for cause: no severance benefits under the agreement",
    RESIGNATION: "resigned without Good Reason: the agreement pays severance only on termination "
                 "without cause or resignation for Good Reason",
    GOOD_REASON_CONSENTED: "resigned for Good Reason, but the change was made with the "
                           "employee's prior consent, so it is not Good Reason",
}


def _text(values: np.ndarray | list) -> pa.Array:
    return pa.array(values, type=pa.string())


def taken(index: np.ndarray | pa.Array, words: pa.Array | list[str]) -> pa.Array:
    """Each row's text by its index into `words`: a text made once for all the rows holding it
    (codes, counts, fractions, days), without a Python string per row."""
    index = index if isinstance(index, pa.Array) else pa.array(np.asarray(index).astype(np.int32, copy=False))
    words = words if isinstance(words, pa.Array) else _text(words)
    return pa.DictionaryArray.from_arrays(index, words).cast(pa.string())


def reason_words(cases: CaseTable, payouts: Payouts) -> pa.Array:
    """Each row's reason in words (Arrow text): why it pays nothing, or every problem of a
    rejected row."""
    codes = ("", *NOT_ELIGIBLE_REASONS)
    index = np.zeros(len(cases), dtype=np.int8)
    for i, code in enumerate(codes[1:], start=1):
        index[payouts.reason_code == code] = i
    words = taken(index, [""] + list(NOT_ELIGIBLE_REASONS.values()))
    rejected = ~cases.valid
    if rejected.any():
        words = pc.replace_with_mask(words, pa.array(rejected),
                                     _text(["; ".join(cases.errors[k]) for k in np.flatnonzero(rejected)]))
    return words


def reason_text(cases: CaseTable, payouts: Payouts) -> np.ndarray:
    """reason_words as Python strings."""
    return reason_words(cases, payouts).to_numpy(zero_copy_only=False)


# The words of each warning, around the amounts it names (formulas.warnings writes the same).
WARNING_WORDS = {
    "below_minimum": ("base_salary ", " is below the agreement's minimum of "),
    "paid_over_declared": ("prior_year_bonus_paid ", " exceeds prior_year_bonus_declared ",
                           "; the amount received is the bonus basis"),
    "early_undeclared": ("terminated before March 1 with no prior-year bonus declared: it may "
                         "still be declared (bonuses are typically paid in January and February)",),
}


def warning_words(cases: CaseTable, payouts: Payouts) -> pa.Array:
    """Each row's warnings in words (Arrow text), '; '-separated ('' for none); each warning's
    words are made only for the rows holding it."""
    rows = np.flatnonzero(payouts.warning_flags)
    if not len(rows):
        return _text(np.full(len(cases), "", dtype=object))
    flags = payouts.warning_flags[rows]
    say = WARNING_WORDS

    def join(*pieces) -> pa.Array:
        return pc.binary_join_element_wise(*pieces, "")

    text, worded = _blank(len(rows)), np.zeros(len(rows), dtype=bool)   # worded: has words yet
    for bit, words in (
        (BELOW_MINIMUM, lambda mine: join(say["below_minimum"][0], cents_text(cases.base_salary[mine]),
                                          say["below_minimum"][1], cents_text(payouts.minimum_base_salary[mine]))),
        (PAID_OVER_DECLARED, lambda mine: join(say["paid_over_declared"][0], cents_text(cases.prior_year_bonus_paid[mine]),
                                               say["paid_over_declared"][1],
                                               cents_text(cases.prior_year_bonus_declared[mine]),
                                               say["paid_over_declared"][2])),
        (EARLY_UNDECLARED, lambda mine: _text([say["early_undeclared"][0]] * len(mine))),
        (INPUT_NOTES, lambda mine: _text(["; ".join(cases.notes[k]) for k in mine])),
    ):
        has = (flags & bit) != 0
        if not has.any():
            continue
        these = words(rows[has])
        after = worded[has]   # of these rows, those with a warning before this one
        if after.any():
            joined = join(text.filter(pa.array(worded & has)), "; ", these.filter(pa.array(after)))
            these = pc.replace_with_mask(these, pa.array(after), joined)
        if worded.any():
            text = pc.replace_with_mask(text, pa.array(has), these)
        else:
            text = spread(len(rows), np.flatnonzero(has), these)
        worded |= has
    return spread(len(cases), rows, text)


def spread(n: int, at: np.ndarray, text: pa.Array) -> pa.Array:
    """n texts, '' but at the rows `at` (ascending), which hold `text`'s cells in order: its
    bytes as they are, only their offsets made anew (Arrow's replace_with_mask copies every
    byte: a sixth of a million-case calc's warnings)."""
    at = np.asarray(at, dtype=np.int64)
    if text.type != pa.string() or text.null_count or len(at) != len(text):
        flagged = np.zeros(n, dtype=bool)
        flagged[at] = True
        return pc.replace_with_mask(_blank(n), pa.array(flagged), text.cast(pa.string()))
    data, offsets = text_bytes(text)
    lengths = np.zeros(n, dtype=np.int32)
    lengths[at] = np.diff(offsets)
    cells = np.empty(n + 1, dtype=np.int32)
    cells[0] = offsets[0] if len(offsets) else 0
    np.cumsum(lengths, out=cells[1:])
    cells[1:] += cells[0]
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(cells), pa.py_buffer(data)])


def _blank(n: int) -> pa.Array:
    """n empty texts."""
    return _text(np.full(n, "", dtype=object)) if n < 64 else pa.nulls(n, pa.string()).fill_null("")


def warning_text(cases: CaseTable, payouts: Payouts) -> np.ndarray:
    """warning_words as Python strings."""
    return warning_words(cases, payouts).to_numpy(zero_copy_only=False)
