"""addin.excel.formulas: the one place the agreement's rules are written as Excel formulas.

These pin the text-level promises (Excel 2007 functions only, every reference supplied by the
caller, the report cells' shape); that the formulas give the engine's figures is proved by
recalculating whole reports in LibreOffice (tests/report).
"""

import re

import pytest

from addin.excel import formulas as F
from addin.cases import CASE_COLUMNS
from addin.results.tables import CALC_COLUMNS
from tests.support.probe import Probe

EXCEL_2007 = {"IF", "OR", "AND", "NOT", "ROUND", "MAX", "DATE", "YEAR", "MONTH", "DAY", "EOMONTH",
              "EDATE", "WORKDAY", "INT", "MOD", "SUBTOTAL", "COUNTIF"}
INPUTS = ("termination_date", "termination_reason", "base_salary", "prior_year_bonus_declared",
          "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency", "consented_to_change")
PARAMETERS = ("salary_continuation_months", "bonus_floor_fraction", "benefits_continuation_months",
              "lump_sum_due_days", "biweekly_anchor", "holiday_dates")


def refs() -> dict[str, str]:
    """Every name a formula may read, each as a distinct placeholder reference."""
    names = (*INPUTS, *PARAMETERS, *F.CALC_CELLS, "eligible")
    return {name: f"REF_{name.upper()}" for name in names}


def functions(text: str) -> set[str]:
    return set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', '""', text)))


def test_report_cells_cover_every_computed_calc_column():
    computed = set(CALC_COLUMNS) - set(CASE_COLUMNS) - {"source_row", "warnings"}
    assert computed <= set(F.CALC_CELLS)
    assert set(F.CALC_CELLS) - computed == {"first_payday_number"}


@pytest.mark.parametrize("name", list(F.CALC_CELLS))
def test_each_report_cell_uses_excel_2007_functions_and_only_the_references_given(name):
    r = refs()
    text = F.CALC_CELLS[name](r)
    assert functions(text) <= EXCEL_2007, functions(text) - EXCEL_2007
    leftover = re.sub(r"REF_[A-Z_]+|\"[^\"]*\"|[A-Z][A-Z0-9.]*\(|[-+*/(),<>=&.0-9 ]", "", text)
    assert leftover in ("", "TRUE"), leftover
    assert len(text) < 8192  # Excel's limit on a formula


def test_status_reads_the_inputs_and_the_other_cells_read_the_status():
    r = refs()
    status = F.CALC_CELLS["status"](r)
    assert "REF_ELIGIBLE" not in status and "REF_TERMINATION_REASON" in status  # no cycle
    assert status == f'IF({F.eligible(r)},"paid","no_severance")'
    for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation"):
        assert F.CALC_CELLS[name](r).startswith("IF(REF_ELIGIBLE,")


def test_dates_and_proration_are_blank_unless_paid():
    r = refs()
    for name in ("bonus_proration", "lump_sum_due_date", "continuation_end_date",
                 "benefits_end_date"):
        text = F.CALC_CELLS[name](r)
        assert text.startswith("IF(REF_ELIGIBLE,") and text.endswith(',"")'), name
    assert F.CALC_CELLS["lump_sum_due_date"](r) == \
        'IF(REF_ELIGIBLE,REF_TERMINATION_DATE+REF_LUMP_SUM_DUE_DAYS,"")'


def test_installment_dates_count_from_the_first_payday_number_as_payday_date_does():
    r = refs()
    inline = {**r, "first_payday_number": F.first_payday_number(r)}
    for j in ("1", "7", "53"):
        assert F.installment_date(j, inline) == F.payday_date(j, r)
    assert "REF_FIRST_PAYDAY_NUMBER" in F.installment_date("2", r)
    first = F.first_installment_date(r)
    assert first.startswith("IF(AND(REF_ELIGIBLE,REF_INSTALLMENTS>0),WORKDAY(")
    assert "REF_HOLIDAY_DATES" in first


def test_text_literals_are_quoted_and_bounded():
    assert F.text('say "paid"') == '"say ""paid"""'
    with pytest.raises(ValueError):
        F.text("x" * 256)


def test_totals_and_counts():
    ranges = ["Summary!$N$5:$N$9", "'Summary (2)'!$N$5:$N$7"]
    assert F.total(ranges) == "SUBTOTAL(109,Summary!$N$5:$N$9,'Summary (2)'!$N$5:$N$7)"
    counts = F.status_counts(12, ranges)
    assert counts.startswith('"12 input rows = "&(COUNTIF(Summary!$N$5:$N$9,"paid")+COUNTIF(')
    assert counts.count("COUNTIF(") == 6 and counts.endswith('" rejected"')
    assert F.shown("Summary!$T5") == "Summary!$T5"


# ---------------------------------------------------------------------------------------------
# What each formula reads: the declarations are held to the formulas' own text



@pytest.mark.parametrize("declared", F.FORMULAS, ids=lambda f: f.build.__name__)
def test_each_formula_reads_exactly_what_it_declares(declared):
    probe = Probe()
    arguments = [f"ARG_{a.upper()}" for a in declared.reads.arguments]
    text = declared.build(*arguments, probe)
    reads = declared.reads
    assert probe.read == set(reads.inputs) | set(reads.parameters) | set(reads.figures)
    assert set(reads.inputs) <= set(F.INPUTS) and set(reads.parameters) <= set(F.PARAMETERS)
    assert not set(reads.figures) & (set(F.INPUTS) | set(F.PARAMETERS))
    for argument in arguments:
        assert argument in text, (declared.build.__name__, argument)


def test_every_report_cell_and_warnings_formula_is_declared():
    declared = {f.build for f in F.FORMULAS}
    assert set(F.CALC_CELLS.values()) <= declared
    assert {F.warnings, F.warnings_with_notes, F.installment_date, F.installment_payment,
            F.business_day_before} <= declared
    with pytest.raises(KeyError, match="not a declared formula"):
        F.reads(F.total)


def test_parameters_read_are_the_defined_names_a_workbook_needs():
    report = F.parameters_read([*F.CALC_CELLS.values(), F.warnings_with_notes])
    assert report == ("salary_continuation_months", "bonus_floor_fraction",
                      "benefits_continuation_months", "lump_sum_due_days", "minimum_base_salary",
                      "biweekly_anchor", "holiday_dates")
    assert F.parameters_read([F.cash_total]) == ()


def test_warnings_with_notes_adds_the_notes_cell_to_the_engine_warnings():
    r = {**refs(), "minimum_base_salary": "REF_MINIMUM", "input_notes": "REF_NOTES"}
    plain, noted = F.warnings(r), F.warnings_with_notes(r)
    assert "REF_NOTES" not in plain and noted.endswith('&IF(REF_NOTES="","","; "&REF_NOTES),3,32767)')
    assert noted.startswith("MID(") and functions(noted) <= EXCEL_2007 | {"TEXT", "MID", "ISBLANK"}
    assert len(noted) < 8192
