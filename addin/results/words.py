"""Every word the engine's codes become: why a case pays nothing, and each warning."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..rules.case import CaseTable
from ..rules.engine import (BELOW_MINIMUM, EARLY_UNDECLARED, FOR_CAUSE, GOOD_REASON_CONSENTED,
                            INPUT_NOTES, PAID_OVER_DECLARED, RESIGNATION, Payouts)
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


def reason_words(cases: CaseTable, payouts: Payouts) -> pa.Array:
    """Each row's reason in words (Arrow text): why it pays nothing, or every problem of a
    rejected row."""
    codes = ("", *NOT_ELIGIBLE_REASONS)
    index = np.zeros(len(cases), dtype=np.int8)
    for i, code in enumerate(codes[1:], start=1):
        index[payouts.reason_code == code] = i
    words = pa.DictionaryArray.from_arrays(
        pa.array(index), _text([""] + list(NOT_ELIGIBLE_REASONS.values()))).cast(pa.string())
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
    """Each row's warnings in words (Arrow text), '; '-separated ('' for none); the words are
    made only for the rows holding a warning."""
    rows = np.flatnonzero(payouts.warning_flags)
    if not len(rows):
        return _text(np.full(len(cases), "", dtype=object))
    flags = payouts.warning_flags[rows]
    say = WARNING_WORDS

    def join(*pieces) -> pa.Array:
        return pc.binary_join_element_wise(*pieces, "")

    def amount(cents: np.ndarray) -> pa.Array:
        return cents_text(cents[rows])

    text = None
    for bit, words in (
        (BELOW_MINIMUM, lambda: join(say["below_minimum"][0], amount(cases.base_salary),
                                     say["below_minimum"][1], amount(payouts.minimum_base_salary))),
        (PAID_OVER_DECLARED, lambda: join(say["paid_over_declared"][0], amount(cases.prior_year_bonus_paid),
                                          say["paid_over_declared"][1],
                                          amount(cases.prior_year_bonus_declared),
                                          say["paid_over_declared"][2])),
        (EARLY_UNDECLARED, lambda: say["early_undeclared"][0]),
        (INPUT_NOTES, lambda: _text(["; ".join(cases.notes[k]) for k in rows])),
    ):
        has = (flags & bit) != 0
        if not has.any():
            continue
        part = pc.if_else(pa.array(has), words(), "")
        text = part if text is None else pc.if_else(
            pc.equal(part, ""), text, pc.if_else(pc.equal(text, ""), part, join(text, "; ", part)))
    flagged = np.zeros(len(cases), dtype=bool)
    flagged[rows] = True
    return pc.replace_with_mask(_text(np.full(len(cases), "", dtype=object)) if len(cases) < 64
                                else pa.nulls(len(cases), pa.string()).fill_null(""),
                                pa.array(flagged), text)


def warning_text(cases: CaseTable, payouts: Payouts) -> np.ndarray:
    """warning_words as Python strings."""
    return warning_words(cases, payouts).to_numpy(zero_copy_only=False)
