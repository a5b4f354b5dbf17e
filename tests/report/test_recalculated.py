"""`severance report`, recalculated in LibreOffice and held to the engine: every formula cell
of the generated reports (sample cases, generated tables with boundary days and half-cent
roundings, two agreements at once, a row limit lowered so every table spills onto further
sheets, every kind of warning, an edited copy, per-employee statements) compared with
addin.rules.engine to the cent."""

from __future__ import annotations


import openpyxl
import pytest

from addin.report.columns import COMPONENTS
from addin.results.tables import calc_frame, line_items, schedule_frame
from tests.report.generated import HOSTILE
from tests.report.checks import (norm, sheet_family, table_rows, cents_of, text_cents, date_text,
                                 check_summary, no_error_values, check_report, recalculated)


@pytest.mark.parametrize("name", ["sample", "generated", "two_agreements", "noted"])
def test_every_formula_gives_the_engine_figure_to_the_cent(reports, name):
    book, cases, payouts, agreements = recalculated(reports, name)
    check_report(book, cases, payouts, agreements)


def test_the_warnings_column_is_live_and_states_every_kind_of_warning(reports):
    book, cases, payouts, _ = recalculated(reports, "noted")
    path = reports["built"]["noted"][0]
    ws = openpyxl.load_workbook(path)["Summary"]
    col = [norm(c.value) for c in ws[4]].index("warnings") + 1
    formulas = [ws.cell(5 + k, col).data_type == "f" for k in range(len(cases))]
    assert formulas == list(payouts.status != "rejected")
    warnings = "\n".join(calc_frame(cases, payouts)["warnings"])
    for words in ("is below the agreement's minimum", "exceeds prior_year_bonus_declared",
                  "terminated before March 1", "rounded to", "consented_to_change is blank"):
        assert words in warnings, words
    check_summary(book, cases, payouts)  # each row's warnings, recalculated, are the engine's


def test_tables_split_at_the_row_limit_and_still_add_up(reports):
    book, cases, payouts, agreements = recalculated(reports, "split")
    for title in ("Summary", "Line items", "Payment schedule"):
        family = sheet_family(book, title)
        assert len(family) >= 2, title
        assert all(ws.max_row <= 120 for ws in family)
    check_report(book, cases, payouts, agreements)


def test_a_reviewers_edits_flow_through_every_dependent_figure(reports):
    book, cases, payouts, agreements = recalculated(reports, "edited")
    no_error_values(book)
    frame = calc_frame(cases, payouts)
    names, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    col = {n: i for i, n in enumerate(names)}
    assert frame.loc[6, "status"] == "paid" and frame.loc[0, "salary_continuation"] == "360000.03"
    for k, row in enumerate(rows):
        for name in ("status", "reason"):
            assert (row[col[name]] or "") == frame.loc[k, name]
        if frame.loc[k, "status"] == "rejected":
            continue
        for name in ("salary_continuation", "prorated_bonus", "cash_total", "total_value",
                     "installment_amount", "last_installment_amount"):
            assert cents_of(row[col[name]]) == text_cents(frame.loc[k, name]), (k, name)
        for name in ("continuation_end_date", "lump_sum_due_date", "first_installment_date"):
            assert date_text(row[col[name]]) == frame.loc[k, name], (k, name)
        assert row[col["installments"]] == int(frame.loc[k, "installments"])


def test_hostile_text_reads_back_as_text_after_recalculation(reports):
    book, cases, payouts, _ = recalculated(reports, "generated")
    names, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    col = names.index("employee_name")
    hostile = [r[col] for r in rows if r[col] in HOSTILE]
    assert len(hostile) >= 10
