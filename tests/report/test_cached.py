"""Cached values: every formula cell of the report and the statements is written with the value
the engine gives it, so the files read right where nothing recalculates (openpyxl's data_only,
pandas); and LibreOffice, recalculating, gives every formula exactly its cached value."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from tests.report.checks import blank, check_report, cents_of, text_cents
from addin.results.tables import calc_frame

BUILT = ["sample", "generated", "split", "two_agreements", "noted"]


@pytest.mark.parametrize("name", BUILT)
def test_the_written_file_reads_the_engine_figures_without_recalculating(reports, name):
    path, cases, payouts, agreements = reports["built"][name]
    check_report(openpyxl.load_workbook(path, data_only=True), cases, payouts, agreements)


def test_pandas_reads_the_summary_figures_to_the_cent(reports):
    path, cases, payouts, _ = reports["built"]["sample"]
    frame = pd.read_excel(path, sheet_name="Summary", header=3, engine="openpyxl")
    frame = frame[pd.to_numeric(frame["Source row"], errors="coerce").notna()]
    expected = calc_frame(cases, payouts)
    assert len(frame) == len(expected)
    for got, (_, want) in zip(frame.itertuples(index=False), expected.iterrows()):
        got = dict(zip(frame.columns, got))
        assert got["Status"] == want["status"]
        if want["status"] == "rejected":
            assert pd.isna(got["Cash total"])
            continue
        for label, name in (("Salary continuation", "salary_continuation"),
                            ("Cash total", "cash_total"), ("Total value", "total_value")):
            assert cents_of(got[label]) == text_cents(want[name]), (label, got[label], want[name])


def _same(cached, recalculated) -> bool:
    if blank(cached) or blank(recalculated):
        return blank(cached) and blank(recalculated)
    if isinstance(cached, (int, float)) and isinstance(recalculated, (int, float)):
        return abs(cached - recalculated) < 1e-9 * max(1, abs(cached))
    if isinstance(cached, dt.datetime) and isinstance(recalculated, dt.datetime):
        return cached == recalculated
    return cached == recalculated


def _formula_cells(path):
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"}


@pytest.mark.parametrize("name", [*BUILT, "statements"])
def test_recalculating_gives_every_formula_its_cached_value(reports, name):
    if name == "statements":
        paths = reports["chosen"]
    else:
        paths = [reports["built"][name][0]]
    checked = 0
    for path in paths:
        cached = openpyxl.load_workbook(path, data_only=True)
        recalculated = openpyxl.load_workbook(reports["recalculated"][path], data_only=True)
        for title, ref in sorted(_formula_cells(path)):
            a, b = cached[title][ref].value, recalculated[title][ref].value
            assert not blank(a) or blank(b), (path.name, title, ref, "no cached value", b)
            assert _same(a, b), (path.name, title, ref, a, b)
            checked += 1
    assert checked > 100
