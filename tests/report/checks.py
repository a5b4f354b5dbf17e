"""Reading a recalculated report back, and holding each table to the engine to the cent."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import openpyxl

from addin.report.columns import LINE_ITEM_COLUMNS, SCHEDULE_COLUMNS
from addin.report.plan import header_label
from addin.results.tables import calc_frame, line_items, schedule_frame


def norm(label) -> str:
    return str(label).strip().lower().replace(" ", "_")


def blank(v) -> bool:
    return v is None or v == ""


def sheet_family(book, title: str) -> list:
    return [book[n] for n in book.sheetnames if n == title or re.fullmatch(re.escape(title) + r" \(\d+\)", n)]


def table_rows(sheets, first_header: str) -> tuple[list[str], list[tuple]]:
    """(column names, data rows) of a table spread over sheets; the header row is the one whose
    first cell reads `first_header`; the Summary's totals row (no source row) is left out."""
    names, out = None, []
    for ws in sheets:
        rows = list(ws.iter_rows(values_only=True))
        h = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
        names = [norm(c) if c is not None else "" for c in rows[h]]
        for r in rows[h + 1:]:
            if first_header == "Source row" and not isinstance(r[0], (int, float)):
                continue
            if all(blank(v) for v in r):
                continue
            out.append(tuple(r) + (None,) * (len(names) - len(r)))
    return names, out


def cents_of(v) -> int:
    """A recalculated amount as cents, refusing anything not a whole cent."""
    assert isinstance(v, (int, float)), v
    c = round(v * 100)
    assert abs(v * 100 - c) < 1e-6, f"{v} is not a whole number of cents"
    return c


def text_cents(text: str) -> int:
    return int(Decimal(text) * 100)


def date_text(v) -> str:
    if blank(v):
        return ""
    return (v.date() if isinstance(v, dt.datetime) else v).isoformat()


def check_summary(book, cases, payouts, counts_row_text=True):
    frame = calc_frame(cases, payouts)
    names, rows = table_rows(sheet_family(book, "Summary"), "Source row")
    assert len(rows) == len(cases)
    col = {n: i for i, n in enumerate(names)}
    for k, row in enumerate(rows):
        expected = frame.iloc[k]
        assert row[col["source_row"]] == cases.source_row[k]
        assert str(row[col["employee_id"]] or "") == cases.employee_id[k] or expected["status"] == "rejected"
        assert row[col["status"]] == expected["status"], (k, row[col["status"]], expected["status"])
        assert (row[col["reason"]] or "") == expected["reason"], k
        assert (row[col["warnings"]] or "") == expected["warnings"], k
        for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                     "cash_total", "total_value", "installment_amount", "last_installment_amount"):
            if expected["status"] == "rejected":
                assert blank(row[col[name]])
            else:
                assert cents_of(row[col[name]]) == text_cents(expected[name]), (k, name, row[col[name]], expected[name])
        for name in ("lump_sum_due_date", "continuation_end_date", "benefits_end_date",
                     "first_installment_date"):
            assert date_text(row[col[name]]) == expected[name], (k, name, row[col[name]], expected[name])
        if expected["status"] == "rejected":
            assert blank(row[col["installments"]])
        else:
            assert row[col["installments"]] == int(expected["installments"])
        if expected["bonus_proration"]:
            assert abs(Decimal(repr(row[col["bonus_proration"]])) - Decimal(expected["bonus_proration"])) <= Decimal("5e-7")
        else:
            assert blank(row[col["bonus_proration"]])
    # The totals row: the visible (all) rows' sums, on the last Summary sheet.
    last = sheet_family(book, "Summary")[-1]
    values = list(last.iter_rows(values_only=True))
    totals = next(r for r in values if len(r) > 1 and r[1] == "Total")
    for name in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                 "cash_total", "total_value"):
        assert cents_of(totals[col[name]]) == int(getattr(payouts, name)[payouts.status != "rejected"].sum())
    counts = {s: int((payouts.status == s).sum()) for s in ("paid", "no_severance", "rejected")}
    statement = (f"{len(cases)} input rows = {counts['paid']} paid + {counts['no_severance']} "
                 f"no_severance + {counts['rejected']} rejected")
    for ws in sheet_family(book, "Summary") + sheet_family(book, "Exceptions"):
        assert statement in [r[0] for r in ws.iter_rows(max_row=4, max_col=1, values_only=True)]
    assert len(cases) == sum(counts.values())


def check_line_items(book, cases, payouts, agreements):
    names, rows = table_rows(sheet_family(book, "Line items"), "Employee id")
    assert names == list(LINE_ITEM_COLUMNS)
    expected = []
    for k in np.flatnonzero(payouts.eligible):
        for item in line_items(cases, payouts, int(k), agreements[cases.agreement[k]]):
            expected.append((cases.employee_id[k], item))
    assert len(rows) == len(expected) == 4 * int(payouts.eligible.sum())
    for row, (employee_id, item) in zip(rows, expected):
        got = dict(zip(names, row))
        assert got["employee_id"] == employee_id
        assert (got["clause"], got["component"], got["label"], got["basis"]) == \
            (item.clause, item.component, item.label, item.basis)
        assert cents_of(got["amount"]) == int(item.amount * 100)
        assert date_text(got["date"]) == (item.due_date.isoformat() if item.due_date else "")
        assert got["date_is"] in ("paid through", "paid by", "covered through")


def check_schedule(book, cases, payouts):
    names, rows = table_rows(sheet_family(book, "Payment schedule"), "Employee id")
    assert names == list(SCHEDULE_COLUMNS)
    frame = schedule_frame(cases, payouts)
    assert len(rows) == len(frame)
    for row, (_, expected) in zip(rows, frame.iterrows()):
        got = dict(zip(names, row))
        assert (got["employee_id"], got["component"], got["clause"]) == \
            (expected["employee_id"], expected["component"], expected["clause"])
        assert date_text(got["nominal_date"]) == expected["nominal_date"], (got, dict(expected))
        assert date_text(got["payment_date"]) == expected["payment_date"], (got, dict(expected))
        assert cents_of(got["amount"]) == text_cents(expected["amount"]), (got, dict(expected))


def check_exceptions(book, cases, payouts):
    names, rows = table_rows(sheet_family(book, "Exceptions"), "Source row")
    rejected = np.flatnonzero(payouts.status == "rejected")
    assert len(rows) == len(rejected)
    for row, k in zip(rows, rejected):
        got = dict(zip(names, row))
        assert got["source_row"] == cases.source_row[k]
        assert got["reasons"] == "\n".join(cases.errors[k])
        assert got["reason_count"] == len(cases.errors[k]) >= 1
        for column in cases.raw.columns:
            if column != "source_row" and column:
                raw = cases.raw.iloc[k][column]
                assert str(got[norm(header_label(column))] or "") == ("" if raw is None else str(raw))


def no_error_values(book):
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and re.fullmatch(r"#[A-Z/0!?]+[!?]?|#N/A", v)), (ws.title, v)


def check_report(book, cases, payouts, agreements):
    no_error_values(book)
    check_summary(book, cases, payouts)
    check_line_items(book, cases, payouts, agreements)
    check_schedule(book, cases, payouts)
    check_exceptions(book, cases, payouts)


def recalculated(reports, name):
    path, cases, payouts, agreements = reports["built"][name]
    return openpyxl.load_workbook(reports["recalculated"][path], data_only=True), cases, payouts, agreements
