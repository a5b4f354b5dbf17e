"""Statements: one per employee whose row is valid (paid or no_severance), each a letter held
to the engine to the cent, read as written (cached values) and as LibreOffice recalculates it;
a no_severance statement says why, citing the agreement's clause."""

from __future__ import annotations

import openpyxl
import pytest

from addin.results.tables import line_items, schedule_frame
from addin.report.columns import DATE_WORDS
from addin.report.statement import CITED, TOTALS
from tests.report.checks import cents_of, date_text, no_error_values, table_rows, text_cents


def check_statement(book, cases, payouts, agreements, k):
    no_error_values(book)
    agreement = agreements[cases.agreement[k]]
    rows = [r for r in book["Statement"].iter_rows(values_only=True) if r and isinstance(r[0], str)]
    values = {r[0]: r[2] for r in rows if len(r) > 2}
    assert values["Employee id"] == cases.employee_id[k]
    assert values["Status"] == payouts.status[k]
    assert values["Employee"] == f"{cases.employee_name[k]} ({cases.employee_id[k]})"
    assert agreement.id in values["Employer, agreement"]
    items = {r[1]: r for r in rows if len(r) > 5 and r[1] in ("(i)", "(ii)", "(iii)", "(iv)")}
    for item in line_items(cases, payouts, k, agreement):
        row = items[item.clause]
        assert (row[0], row[2], row[4]) == (item.label, item.basis, DATE_WORDS[item.component])
        assert cents_of(row[3]) == int(item.amount * 100)
        assert date_text(row[5]) == (item.due_date.isoformat() if item.due_date and payouts.eligible[k] else "")
    totals = {r[0]: r[3] for r in rows if len(r) > 3}
    for name, _, label in TOTALS:
        assert cents_of(totals[label]) == getattr(payouts, name)[k]
    if not payouts.eligible[k]:
        clause = agreement.clause_text[CITED[payouts.reason_code[k]]]
        assert clause in values["Why no severance is due"]
    assert "Acknowledgement" in [r[0] for r in rows]
    frame = schedule_frame(cases, payouts)
    mine = frame[frame["employee_id"] == cases.employee_id[k]]
    names, got = table_rows([book["Payment schedule"]], "Employee id")
    assert len(got) == len(mine)
    for row, (_, expected) in zip(got, mine.iterrows()):
        row = dict(zip(names, row))
        assert date_text(row["nominal_date"]) == expected["nominal_date"]
        assert date_text(row["payment_date"]) == expected["payment_date"]
        assert cents_of(row["amount"]) == text_cents(expected["amount"])


@pytest.mark.parametrize("read", ["recalculated", "as written"])
def test_statements_read_the_engine_figures(reports, read):
    _, cases, payouts, agreements = reports["built"]["sample"]
    ids = list(cases.employee_id)
    kinds = set()
    for path in reports["chosen"]:
        source = reports["recalculated"][path] if read == "recalculated" else path
        k = ids.index(path.stem)
        check_statement(openpyxl.load_workbook(source, data_only=True), cases, payouts, agreements, k)
        kinds.add(payouts.status[k])
    assert kinds == {"paid", "no_severance"}


def test_one_statement_per_valid_row(reports):
    _, cases, payouts, _ = reports["built"]["sample"]
    valid = set(cases.employee_id[payouts.status != "rejected"])
    assert set(reports["statements"]) == valid and len(valid) == 38
    book = openpyxl.load_workbook(reports["statements"]["E1001"])
    assert book.sheetnames == ["Statement", "Payment schedule", "Agreement"]
    ws = book["Statement"]
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 1
    hidden = [r for r, d in ws.row_dimensions.items() if d.hidden]
    assert [ws.cell(r, 1).value for r in hidden] == ["First payday number"]
