"""Spelling, never meaning: random spellings of headers and codes read the same; random words
that are not a code's spelling never become a code."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.cases import CASE_COLUMNS, from_records, normalize_column, prepare_frame, spelling_key
from addin.rules.calendar import PAY_FREQUENCIES
from addin.rules.case import REASONS

PROFILE = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD = dict(employee_id="E1", termination_date="2024-07-01", termination_reason="without_cause",
            base_salary="240000")
CODE_KEYS = {spelling_key(c) for c in (*REASONS, *PAY_FREQUENCIES)}


@st.composite
def respelled(draw, name: str) -> str:
    """`name` with each letter's case drawn, each underscore a space, hyphen, underscore or
    nothing, and spaces around it."""
    letters = [draw(st.sampled_from([ch.lower(), ch.upper()])) if ch != "_"
               else draw(st.sampled_from([" ", "-", "_", "", " - ", "  "])) for ch in name]
    pad = st.sampled_from(["", " ", "  "])
    return draw(pad) + "".join(letters) + draw(pad)


@PROFILE
@given(st.data())
def test_any_spelling_of_a_header_names_its_column(data):
    column = data.draw(st.sampled_from(CASE_COLUMNS))
    header = data.draw(respelled(column))
    assert normalize_column(header) == column
    frame = pd.DataFrame([{**GOOD, column: GOOD.get(column, "")}]).rename(columns={column: header})
    assert column in prepare_frame(frame).columns


@PROFILE
@given(st.data())
def test_any_spelling_of_a_code_reads_as_the_code(agreements, data):
    reason = data.draw(st.sampled_from(REASONS))
    frequency = data.draw(st.sampled_from(PAY_FREQUENCIES))
    cases = from_records([{**GOOD, "termination_reason": data.draw(respelled(reason)),
                           "pay_frequency": data.draw(respelled(frequency)),
                           "consented_to_change": "false"}], agreements)
    assert cases.errors == ((),)
    assert cases.termination_reason[0] == reason and cases.pay_frequency[0] == frequency


@PROFILE
@given(st.text(min_size=1, max_size=20).filter(lambda t: t.strip() and spelling_key(t) not in CODE_KEYS))
def test_a_word_that_is_no_code_never_becomes_one(agreements, word):
    cases = from_records([{**GOOD, "termination_reason": word, "pay_frequency": word}], agreements)
    assert cases.termination_reason[0] not in REASONS and cases.pay_frequency[0] not in PAY_FREQUENCIES
    assert any("termination_reason: " in e for e in cases.errors[0])
    assert any("pay_frequency: " in e for e in cases.errors[0])


def test_meaning_words_are_not_spellings(agreements):
    for word in ("fired", "involuntary", "RIF", "terminated", "Laid off"):
        cases = from_records([{**GOOD, "termination_reason": word}], agreements)
        assert f'[values.termination_reason] "{word}" = "<termination_reason code>"' in cases.errors[0][0]
