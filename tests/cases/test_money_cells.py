"""A money column reads the same cell by cell (a formula's few cells) as through Arrow's
whole-column kernels (a file's many): the same cents, the same messages, the same notes."""

from collections import defaultdict

import pyarrow as pa
from hypothesis import given, settings, strategies as st

from addin.cases.money_cells import FEW_CELLS, parse_money

ODD = ["240000.00", "240,000", "$1,234.5", " 12 ", "-5", "0", "", " ", "$", ",", "1e5", "(300.00)",
       "12.345", "12.355", "abc", "nan", "inf", "999999999999999.99", "1000000000.00",
       "1000000000.01", "-0.00", "0240000.00", "240000.", ".5", "１２", "1 000", "1_000", "+7",
       "\t5\t", "\xa0240000.00\xa0", "\u2003 7.25", "8\r", "1e1000000", "-1e1000000", "1e999999"]


def _read(cells, required):
    errors, notes = defaultdict(list), defaultdict(list)
    cents, present = parse_money(pa.array(cells, pa.string()), "base_salary", errors, notes, required)
    return cents.tolist(), present.tolist(), dict(errors), dict(notes)


def _both(cells, required):
    """Each cell alone (the few-cells reading), and all of them padded past FEW_CELLS."""
    alone = [_read([c], required) for c in cells]
    padded = list(cells) + ["1.00"] * (FEW_CELLS + 1)
    whole = _read(padded, required)
    return alone, whole


def _agree(cells, required):
    alone, (cents, present, errors, notes) = _both(cells, required)
    for k, (c, p, e, n) in enumerate(alone):
        assert c == cents[k:k + 1], cells[k]
        assert p == present[k:k + 1], cells[k]
        assert e.get(0, []) == errors.get(k, []), cells[k]
        assert n.get(0, []) == notes.get(k, []), cells[k]


def test_odd_cells_read_alike():
    assert len(ODD) > FEW_CELLS  # the whole column takes the kernels' path
    _agree(ODD, required=True)
    _agree(ODD, required=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.from_regex(r"\A[ $]?-?[0-9]{1,16}(,[0-9]{3})?(\.[0-9]{0,4})?[ ]?\Z"),
    st.text(alphabet="0123456789.,$- e()", max_size=12)), min_size=1, max_size=5))
def test_generated_cells_read_alike(cells):
    _agree(cells, required=True)


def test_each_odd_cell_in_a_column_of_plain_amounts():
    """A column Arrow can cast whole (every other cell plain) reads the odd cell alike too."""
    for c in ODD:
        alone = _read([c], True)
        cents, present, errors, notes = _read([c] + ["1.00", ""] * FEW_CELLS, True)
        assert alone[0] == cents[:1] and alone[1] == present[:1], c
        assert alone[2].get(0, []) == errors.get(0, []) and alone[3].get(0, []) == notes.get(0, []), c
        assert cents[1:3] == [100, 0] and present[1:3] == [True, False]
