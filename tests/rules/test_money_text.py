"""Two-place text of cents: the same from Python's format_cents (a formula's few figures) as from
Arrow's decimal cast (a table's many)."""

import numpy as np
from hypothesis import given, settings, strategies as st

from addin.rules.money import FEW_AMOUNTS, MAX_CENTS, cents_text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-MAX_CENTS, MAX_CENTS), min_size=1, max_size=FEW_AMOUNTS),
       st.lists(st.booleans(), min_size=FEW_AMOUNTS, max_size=FEW_AMOUNTS))
def test_few_amounts_read_as_many(cents, valid):
    valid = np.array(valid[:len(cents)])
    padded = np.array(cents + [0] * (FEW_AMOUNTS + 1), dtype=np.int64)
    shown = np.concatenate([valid, np.ones(FEW_AMOUNTS + 1, dtype=bool)])
    assert cents_text(np.array(cents), valid).to_pylist() == cents_text(padded, shown).to_pylist()[:len(cents)]
    assert cents_text(np.array(cents)).to_pylist() == cents_text(padded).to_pylist()[:len(cents)]
    assert cents_text(np.array([-5, 0, 7, -100])).to_pylist() == ["-0.05", "0.00", "0.07", "-1.00"]
