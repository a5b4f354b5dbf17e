"""Every word the engine's codes become: why a case pays nothing, and each warning."""

from __future__ import annotations

import numpy as np

from ..rules.case import CaseTable
from ..rules.engine import (BELOW_MINIMUM, EARLY_UNDECLARED, FOR_CAUSE, GOOD_REASON_CONSENTED,
                            INPUT_NOTES, PAID_OVER_DECLARED, RESIGNATION, Payouts)
from ..rules.money import format_cents_array

NOT_ELIGIBLE_REASONS = {
    FOR_CAUSE: "terminated for cause: no severance benefits under the agreement",
    RESIGNATION: "resigned without Good Reason: the agreement pays severance only on termination "
                 "without cause or resignation for Good Reason",
    GOOD_REASON_CONSENTED: "resigned for Good Reason, but the change was made with the "
                           "employee's prior consent, so it is not Good Reason",
}


def reason_text(cases: CaseTable, payouts: Payouts) -> np.ndarray:
    """Each row's reason in words: why it pays nothing, or every problem of a rejected row."""
    out = np.array([NOT_ELIGIBLE_REASONS.get(code, "") for code in payouts.reason_code], dtype=object)
    for k in np.flatnonzero(~cases.valid):
        out[k] = "; ".join(cases.errors[k])
    return out


# The words of each warning, around the amounts it names (formulas.warnings writes the same).
WARNING_WORDS = {
    "below_minimum": ("base_salary ", " is below the agreement's minimum of "),
    "paid_over_declared": ("prior_year_bonus_paid ", " exceeds prior_year_bonus_declared ",
                           "; the amount received is the bonus basis"),
    "early_undeclared": ("terminated before March 1 with no prior-year bonus declared: it may "
                         "still be declared (bonuses are typically paid in January and February)",),
}


def warning_text(cases: CaseTable, payouts: Payouts) -> np.ndarray:
    """Each row's warnings in words, '; '-separated ('' for none)."""
    out = np.full(len(cases), "", dtype=object)
    rows = np.flatnonzero(payouts.warning_flags)
    if not len(rows):
        return out
    flags = payouts.warning_flags[rows]
    parts = []
    say = WARNING_WORDS
    for bit, words in (
        (BELOW_MINIMUM, lambda: say["below_minimum"][0] + format_cents_array(cases.base_salary[rows])
         + say["below_minimum"][1] + format_cents_array(payouts.minimum_base_salary[rows])),
        (PAID_OVER_DECLARED, lambda: say["paid_over_declared"][0]
         + format_cents_array(cases.prior_year_bonus_paid[rows]) + say["paid_over_declared"][1]
         + format_cents_array(cases.prior_year_bonus_declared[rows]) + say["paid_over_declared"][2]),
        (EARLY_UNDECLARED, lambda: np.full(len(rows), say["early_undeclared"][0], dtype=object)),
        (INPUT_NOTES, lambda: np.array(["; ".join(cases.notes[k]) for k in rows], dtype=object)),
    ):
        has = (flags & bit) != 0
        if has.any():
            parts.append(np.where(has, words(), ""))
    text = parts[0]
    for part in parts[1:]:
        text = np.where(part == "", text, np.where(text == "", part, text + "; " + part))
    out[rows] = text
    return out
