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


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(2**63) + 1, 2**63 - 1) | st.integers(-MAX_CENTS, MAX_CENTS),
                min_size=FEW_AMOUNTS + 1, max_size=3 * FEW_AMOUNTS))
def test_a_64_bit_decimal_reads_as_a_128_bit_one(cents):
    """Where Arrow has 64-bit decimals (pyarrow 18 on) they make the text; before, 128-bit ones:
    the same text either way, to the largest cents an int64 holds."""
    import pyarrow as pa
    many = np.array(cents, dtype=np.int64)
    words = np.empty((len(many), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = many, many >> 63
    wide = pa.Array.from_buffers(pa.decimal128(19, 2), len(many), [None, pa.py_buffer(words)])
    assert cents_text(many).to_pylist() == wide.cast(pa.string()).to_pylist()
    assert cents_text(many).to_pylist()[:FEW_AMOUNTS] == cents_text(many[:FEW_AMOUNTS]).to_pylist()


def test_without_64_bit_decimals_the_128_bit_words_give_the_same_text(monkeypatch):
    import pyarrow as pa
    many = np.array([0, 1, -1, 5, -5, 99, -100, 123456789, -MAX_CENTS, MAX_CENTS, 2**62] * 4, dtype=np.int64)
    expected = cents_text(many).to_pylist()
    monkeypatch.delattr(pa, "decimal64", raising=False)
    assert not hasattr(pa, "decimal64")
    assert cents_text(many).to_pylist() == expected
    assert expected[:4] == ["0.00", "0.01", "-0.01", "0.05"]
