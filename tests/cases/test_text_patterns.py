"""A pattern matches a formula's few cells (Python's re) exactly where it matches a file's many
(Arrow's RE2): the date and amount patterns validation uses."""

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import example, given, settings, strategies as st

from addin.cases.dates import ISO_RE
from addin.cases.text import FEW_CELLS, matches, text_array, trimmed
from addin.cases.money_cells import _TWO_PLACES_RE

PATTERNS = (ISO_RE, _TWO_PLACES_RE[1:-1])
CHARACTERS = "0123456789-:. TtZz+aApPmM\t\n\v\f\r\u00a0\u0663/"


def _many(cells, pattern):
    padded = list(cells) + ["x"] * (FEW_CELLS + 1)
    return matches(pa.array(padded, pa.string()), pattern)[:len(cells)].tolist()


def _few(cells, pattern):
    return matches(pa.array(cells, pa.string()), pattern).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet=CHARACTERS, max_size=30),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\Z"),
    st.from_regex(r"\A-?\d{1,16}\.\d{2}\Z")), min_size=1, max_size=FEW_CELLS))
@example(["2024-03-15 10:00\vPM", "2024-03-15 10:00\tPM", "2024-03-15\n", "\u0663\u0663\u0663\u0663-01-01", "12.34\n"])
def test_few_cells_match_as_many_do(cells):
    for pattern in PATTERNS:
        assert _few(cells, pattern) == _many(cells, pattern), pattern


@pytest.mark.parametrize("odd", [" a", "a ", "\xa0a", "a\u2003", "\ta\t", "a b", "", "\x1fa", "a\x7f", "é"])
@pytest.mark.parametrize("where", [0, 1, 499])
def test_trimming_skipped_only_where_no_cell_could_change(odd, where):
    """trimmed() leaves Arrow's whitespace kernel out only for bytes that hold no space, no
    control character and nothing beyond ASCII: its cells are always the kernel's."""
    cells = ["E1234"] * 500
    cells[where] = odd
    column = pa.array(cells, pa.string())
    assert trimmed(column).to_pylist() == pc.utf8_trim_whitespace(column).to_pylist()
    assert text_array(pd.Series(cells, dtype="str")).to_pylist() == pc.utf8_trim_whitespace(column).to_pylist()
    assert trimmed(column.slice(1, 3)).to_pylist() == pc.utf8_trim_whitespace(column.slice(1, 3)).to_pylist()
