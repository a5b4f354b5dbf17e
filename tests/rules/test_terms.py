"""Agreement terms are data: the built-in letter, extra TOML files, and clear errors."""

from decimal import Decimal

import pytest

from addin.rules.terms import DEFAULT_AGREEMENT_ID, TermsError, load_agreements, parse_agreements

GOOD = """
[[agreement]]
id = "acme-2019"
salary_continuation_months = 18
bonus_floor_fraction = 0.25
benefits_continuation_months = 6
lump_sum_due_days = 45
default_pay_frequency = "biweekly"
"""


def test_builtin_letter_terms():
    a = load_agreements()[DEFAULT_AGREEMENT_ID]
    assert a.salary_continuation_months == 12            # clause (i)
    assert a.bonus_floor_fraction == Decimal("0.5")       # clause (ii) floor
    assert a.benefits_continuation_months == 12           # clause (iv)
    assert a.lump_sum_due_days == 30                      # (ii), (iii) within thirty days
    assert a.minimum_base_salary == Decimal(200000)
    assert a.default_pay_frequency == "semimonthly" and a.holiday_calendar == "US"
    assert "twelve months" in a.clause_text["i"]


def test_terms_file_adds_an_agreement_with_defaults(tmp_path):
    path = tmp_path / "terms.toml"
    path.write_text(GOOD)
    agreements = load_agreements(path)
    acme = agreements["acme-2019"]
    assert acme.bonus_floor_fraction == Decimal("0.25") and acme.minimum_base_salary == 0
    assert acme.default_pay_frequency == "biweekly"
    assert DEFAULT_AGREEMENT_ID in agreements


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("lump_sum_due_days = 45\n", ""), "key 'lump_sum_due_days': required key is missing"),
    (GOOD + "severance_multiplier = 2\n", "key 'severance_multiplier': unknown key"),
    (GOOD.replace("0.25", "1.5"), "key 'bonus_floor_fraction': must be between 0 and 1"),
    (GOOD.replace("= 18", "= -1"), "key 'salary_continuation_months': must be between 0 and 120"),
    (GOOD.replace("= 18", "= 1.5"), "key 'salary_continuation_months': must be a whole number"),
    (GOOD.replace('"biweekly"', '"daily"'), "key 'default_pay_frequency': must be one of"),
    (GOOD + 'holiday_calendar = "XX"\n', "key 'holiday_calendar': is not a known holiday calendar"),
    ("[[agreement]]\nsalary_continuation_months = 1\n", "key 'id': required"),
    ("not toml =", "not valid TOML"),
])
def test_bad_terms_name_the_file_agreement_and_key(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(TermsError) as err:
        load_agreements(path)
    message = str(err.value)
    assert str(path) in message and expected in message
    if "agreement" in text and "id =" in text:
        assert "'acme-2019'" in message


def test_missing_terms_file_is_a_clear_error(tmp_path):
    with pytest.raises(TermsError, match="cannot read terms file"):
        load_agreements(tmp_path / "nope.toml")


def test_floats_in_toml_are_read_exactly():
    a = parse_agreements(GOOD.replace("0.25", "0.1"), "t")["acme-2019"]
    assert a.bonus_floor_fraction == Decimal("0.1")
