"""addin.excel.cells: formula templates (holes filled per cell) and the wrapped-text estimate."""

import pytest

from addin.excel import formulas as F
from addin.excel.cells import FormulaTemplate, hole, wrapped_lines


def test_a_template_fills_its_holes_wherever_they_are():
    t = FormulaTemplate(f"$B{hole('row')}*$C{hole('row')}+{hole('j')}")
    assert t.holes == {"row", "j"}
    assert t.fill(row=7, j=3) == "$B7*$C7+3"
    assert t.partial(j=2).fill(row=12) == "$B12*$C12+2"
    assert t.partial(j=2).holes == {"row"}
    assert repr(t) == "FormulaTemplate('$B{row}*$C{row}+{j}')"


def test_a_template_built_from_a_formula_equals_the_formula_at_each_row():
    refs = {"eligible": f"($M{hole('row')}=\"paid\")", "base_salary": f"$G{hole('row')}",
            "salary_continuation_months": "salary_continuation_months"}
    t = FormulaTemplate(F.salary_continuation(refs))
    for row in (5, 99, 1_048_576):
        plain = {k: v.replace(hole("row"), str(row)) for k, v in refs.items()}
        assert t.fill(row=row) == F.salary_continuation(plain)


def test_every_hole_must_be_filled_and_named():
    t = FormulaTemplate(f"{hole('row')}+{hole('own')}")
    with pytest.raises(KeyError, match="own"):
        t.fill(row=1)
    with pytest.raises(ValueError):
        hole("not a name")
    with pytest.raises(ValueError, match="unclosed"):
        FormulaTemplate("A" + hole("row")[:-1])


def test_wrapped_lines_wraps_at_words_and_breaks_long_words():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("aaaa bbbb", 9) == 1
    assert wrapped_lines("aaaa bbbb", 8) == 2
    assert wrapped_lines("a" * 25, 10) == 3
    assert wrapped_lines("one\ntwo\n\nfour", 40) == 4
    assert wrapped_lines("x " * 50, 10) == 10
