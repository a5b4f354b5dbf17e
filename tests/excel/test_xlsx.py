"""addin.excel.xlsx: the only module touching openpyxl's internals. These fail loudly when an
openpyxl release changes one of them (pyproject pins openpyxl>=3.1,<3.2), rather than letting
the report writer fall back or ship a sheet without its rows."""

import datetime as dt
import zipfile
from importlib.metadata import version

import openpyxl
import pytest

from addin.excel import xlsx
from addin.excel.cells import Cell, Kind, Role
from addin.excel.styles import default_styles


def test_openpyxl_is_the_pinned_release():
    major, minor = (int(x) for x in version("openpyxl").split(".")[:2])
    assert (major, minor) == (3, 1), "addin.excel.xlsx relies on openpyxl 3.1's internals"


def test_every_internal_relied_on_is_there():
    xlsx.check_openpyxl_internals()  # raises OpenpyxlInternalsError naming what is missing


def test_a_sheet_without_the_write_only_internals_is_refused_not_written_slowly():
    book = openpyxl.Workbook()  # an ordinary (not write-only) sheet has no row writer to hook
    with pytest.raises(xlsx.OpenpyxlInternalsError, match="openpyxl>=3.1,<3.2"):
        xlsx.stream_rows(book.active, {}, print)


def test_streamed_rows_are_spliced_into_the_package(tmp_path):
    book = xlsx.new_write_only_book()
    ws = book.create_sheet("Rows")
    arrays, ids = xlsx.register_styles(book, ws, default_styles().roles)
    rows = tmp_path / "rows.xml"
    with open(rows, "w", encoding="utf-8") as out:
        part = xlsx.stream_rows(ws, ids, out.write)
        ws.append([Cell(Kind.TEXT, "=1+1", Role.TEXT), Cell(Kind.NUMBER, 2, Role.COUNT),
                   Cell(Kind.DATE, dt.date(2002, 2, 8), Role.DATE), Cell(Kind.BOOL, True),
                   Cell(Kind.FORMULA, "B1*2", Role.MONEY)])
    path = tmp_path / "book.xlsx"
    xlsx.save_spliced(book, path, {part: str(rows)})
    cells = openpyxl.load_workbook(path)["Rows"][1]
    assert [c.value for c in cells] == ["=1+1", 2, dt.datetime(2002, 2, 8), True, "=B1*2"]
    assert [c.data_type for c in cells] == ["s", "n", "d", "b", "f"]
    assert cells[4].number_format == '"$"#,##0.00'
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {xlsx.ZIP_TIME}


def test_a_sheet_whose_rows_were_not_spliced_is_an_error(tmp_path):
    book = xlsx.new_write_only_book()
    book.create_sheet("Rows")
    with pytest.raises(xlsx.OpenpyxlInternalsError, match="every sheet"):
        xlsx.save_spliced(book, tmp_path / "book.xlsx", {"/no/such/part.xml": str(tmp_path / "r")})


def test_formula_cells_are_written_with_their_typed_cached_values(tmp_path):
    book = xlsx.new_write_only_book()
    ws = book.create_sheet("Rows")
    arrays, ids = xlsx.register_styles(book, ws, default_styles().roles)
    rows = tmp_path / "rows.xml"
    cached = [12.5, 7, dt.date(2002, 2, 8), "paid <&>", "", True, None]
    with open(rows, "w", encoding="utf-8") as out:
        part = xlsx.stream_rows(ws, ids, out.write)
        ws.append([Cell(Kind.FORMULA, f"{n}+0", Role.TEXT, value) for n, value in enumerate(cached)])
    path = tmp_path / "book.xlsx"
    xlsx.save_spliced(book, path, {part: str(rows)})
    values = [c.value for c in openpyxl.load_workbook(path, data_only=True)["Rows"][1]]
    assert values[:6] == [12.5, 7, 37295, "paid <&>", None, True]  # a date as its serial
    assert values[6] is None  # no cached value: none written
    formulas = [c.value for c in openpyxl.load_workbook(path)["Rows"][1]]
    assert formulas == [f"={n}+0" for n in range(len(cached))]
    with pytest.raises(TypeError, match="cannot be cached"):
        xlsx.cached_value_xml(object())
