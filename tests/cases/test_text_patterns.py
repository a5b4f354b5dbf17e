"""A pattern matches a formula's few cells (Python's re) exactly where it matches a file's many
(Arrow's RE2): the date and amount patterns validation uses."""

import pyarrow as pa
from hypothesis import example, given, settings, strategies as st

from addin.cases.dates import ISO_RE
from addin.cases.text import FEW_CELLS, matches
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
