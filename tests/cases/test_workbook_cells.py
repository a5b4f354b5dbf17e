"""The fast .xlsx reader (python-calamine) gives a sheet's cells exactly as openpyxl does, or
leaves the workbook to openpyxl: every workbook here is read both ways and compared cell by
cell (value and type), and the guards keep calamine from ever laying out an unbounded grid."""

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from python_calamine import CalamineWorkbook

from addin.cases import reading, workbook_cells
from addin.cases.headers import NO_MAP
from addin.cases.workbook_cells import MAX_GRID_CELLS, _calamine_date_format, calamine_book

# openpyxl warns of each date-styled number no date holds (it reads the cell as an error text)
pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")

HEADER = ["employee_id", "termination_date", "termination_reason", "base_salary",
          "prior_year_bonus_declared", "prior_year_bonus_paid", "note"]


def _by_openpyxl(path: Path, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(reading, "calamine_book", lambda *given: None)
        return reading.read_cases(path, NO_MAP)


def _cells(column: pd.Series) -> list[tuple[type, object]]:
    """A column's cells, each with its type; a column of Arrow text (calamine's all-text
    columns, as a CSV's are read) has '' for a blank where openpyxl has None."""
    if isinstance(column.array, pd.arrays.ArrowStringArray):
        values = [None if v == "" else v for v in column.astype(object)]
        assert all(type(v) in (str, type(None)) for v in values)
    else:
        values = list(column)
    return [(type(v), v) for v in values]


def _same(path: Path, monkeypatch) -> bool:
    """Both readings of the workbook are the same case table, cell by cell (value and type, see
    _cells), read the same way; returns whether calamine read it."""
    fast, fast_reading = reading.read_cases(path, NO_MAP)
    slow, slow_reading = _by_openpyxl(path, monkeypatch)
    assert fast_reading == slow_reading
    assert list(fast.columns) == list(slow.columns) and len(fast) == len(slow)
    for k in range(fast.shape[1]):
        assert _cells(fast.iloc[:, k]) == _cells(slow.iloc[:, k]), fast.columns[k]
    return calamine_book(path, reading.EXCEL_MAX_ROWS) is not None


def _book(path: Path, rows: list[list], *, start: str = "A1", epoch=None, formats=None) -> Path:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    first = sheet[start]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = sheet.cell(row=first.row + i, column=first.column + j, value=value)
            if formats and j in formats:
                cell.number_format = formats[j]
    book.save(path)
    return path


def _case(k: int, date, amount) -> list:
    return [f"E{k}", date, "without_cause", amount, 1000, 0, "ok"]


def test_a_plain_export_is_read_by_calamine_alike(tmp_path, monkeypatch):
    rows = [HEADER] + [_case(k, dt.datetime(2024, 1 + k % 12, 1 + k % 28), 100000 + k * 0.25)
                       for k in range(300)]
    path = _book(tmp_path / "plain.xlsx", rows, formats={1: "yyyy-mm-dd"})
    assert _same(path, monkeypatch)


def test_text_cells_written_by_xlsxwriter_are_read_by_calamine_alike(tmp_path, monkeypatch):
    import pandas as pd
    frame = pd.DataFrame([[f"E{k}", "2024-03-01", "without_cause", "240000.00", "", " 5 ", ""]
                          for k in range(200)], columns=HEADER)
    path = tmp_path / "text.xlsx"
    frame.to_excel(path, index=False, engine="xlsxwriter")
    assert _same(path, monkeypatch)


@pytest.mark.parametrize("start", ["C5", "B1", "A3"])
def test_a_table_away_from_a1_keeps_its_row_numbers(tmp_path, monkeypatch, start):
    rows = [HEADER, _case(1, "2024-01-05", 240000), [None] * 7, _case(2, "2024-02-05", 250000.5)]
    assert _same(_book(tmp_path / "offset.xlsx", rows, start=start), monkeypatch)


@pytest.mark.parametrize("value", [
    2 ** 53 + 1, 12345678901234567, -0.0, 1e16, 2.5e20,            # not one number in both readers
    dt.time(10, 30), dt.timedelta(hours=30),                       # times of day, durations
    dt.datetime(1900, 2, 28), "#N/A", "_x000D_text",                 # the phantom leap day's side, errors, escapes
])
def test_cells_the_readers_give_apart_leave_the_workbook_to_openpyxl(tmp_path, monkeypatch, value):
    rows = [HEADER, _case(1, "2024-01-05", 240000), _case(2, "2024-01-06", 1)]
    rows[2][6] = value
    path = _book(tmp_path / "apart.xlsx", rows)
    _same(path, monkeypatch)    # whichever reads it, the table is openpyxl's


def test_an_error_cell_is_read_as_openpyxl_reads_it(tmp_path, monkeypatch):
    path = _book(tmp_path / "error.xlsx", [HEADER, _case(1, "2024-01-05", 240000)])
    book = openpyxl.load_workbook(path)
    book.active["D2"] = "=1/0"
    book.save(path)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").replace(
        b'<c r="D2"><f>1/0</f><v></v></c>', b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    assert calamine_book(path, reading.EXCEL_MAX_ROWS) is None
    assert not _same(path, monkeypatch)
    assert reading.read_cases(path, NO_MAP)[0]["base_salary"].iloc[0] == "#DIV/0!"


def _rewrite(path: Path, part: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    parts[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)


def test_a_part_failing_its_checksum_is_named_while_calamine_is_kept_from_it(tmp_path, monkeypatch):
    """The parts' checksums are tested on another thread while this one checks the sheet's XML
    for calamine: a damaged part is still named, and neither reader's cells are used."""
    rows = [_case(k, "2024-01-05", 100000 + k) for k in range(400)] + [_case(400, "2024-01-05", 240000)]
    path = _book(tmp_path / "damaged.xlsx", [HEADER, *rows])   # past the 4 KB its head is read for a DTD
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:   # stored, so that a byte can change in place
        for name, content in parts.items():
            archive.writestr(name, content, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"240000")
    data[at] = ord("9")   # the sheet's bytes change; its checksum does not
    path.write_bytes(bytes(data))
    read = []
    monkeypatch.setattr(workbook_cells.CalamineBook, "__init__",
                        lambda self, *given: read.append("calamine") or None)
    with pytest.raises(reading.CaseFileError,
                       match=r"damaged workbook \(part 'xl/worksheets/sheet1.xml' is corrupt\)"):
        reading.read_cases(path, NO_MAP)
    assert read in ([], ["calamine"])   # (opened perhaps, never read: the book is closed)


@pytest.mark.parametrize("far", ["XFD1048576", "ZZ900000", "A9999999"])
def test_a_far_cell_is_never_laid_out_by_calamine(tmp_path, far):
    """calamine lays a sheet out densely to its farthest cell (A1 and XFD1048576: 549 GB, and
    the process aborts); the references bound the grid before it reads anything."""
    path = _book(tmp_path / "far.xlsx", [HEADER, _case(1, "2024-01-05", 240000)])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", f'<row r="{far[len(far.rstrip("0123456789")):]}"><c r="{far}" t="inlineStr">'
                         f"<is><t>x</t></is></c></row></sheetData>".encode())
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    assert calamine_book(path, reading.EXCEL_MAX_ROWS) is None
    if far == "XFD1048576":   # openpyxl streams it: the one case, read in seconds
        frame, _ = reading.read_cases(path, NO_MAP)
        assert list(frame["employee_id"]) == ["E1"]


@pytest.mark.parametrize("cell", [
    '<c t="inlineStr"><is><t>no reference</t></is></c>',          # placed by order, unbounded
    '<c r = "B3" t="inlineStr"><is><t>spaced</t></is></c>',
    "<c r='b3' t='inlineStr'><is><t>lower case</t></is></c>",
])
def test_a_cell_whose_place_is_not_bounded_leaves_the_workbook_to_openpyxl(tmp_path, cell):
    path = _book(tmp_path / "unbounded.xlsx", [HEADER, _case(1, "2024-01-05", 240000)])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", f'<row r="3">{cell}</row></sheetData>'.encode())
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    assert calamine_book(path, reading.EXCEL_MAX_ROWS) is None


def test_the_grid_bound_counts_rows_and_columns():
    grid = workbook_cells._Grid(dates=True)
    xml = b'<row r="7"><c r="AB7" s="1"><v>1</v></c><c r="C12"/></row><row r="12">'
    grid.add(xml, len(xml))
    assert (grid.row, grid.column, grid.references, grid.tags) == (12, 28, 4, 4)
    assert not (grid.beyond_dates or grid.errors or grid.unbounded)
    assert MAX_GRID_CELLS >= 1_000_000 * 11   # a full sheet of a million cases fits


@pytest.mark.parametrize("number, beyond", [
    ("-2957002.75", False), ("-2957002", False), ("-45000", False), ("-999999.5", False),
    ("-2957003", True), ("-12345678", True), ("-1E3", True), ("-4.5e-3", True), ("-", True),
    ("-" + "1" * 30, True), ("2957003", False), ("12345678", False), ("1E3", False), ("4.5e-3", False)])
def test_negative_numbers_no_date_holds_are_found_where_dates_are_styled(number, beyond):
    """calamine panics on some such numbers in a date style, so openpyxl reads those workbooks
    (a positive one calamine gives as a number, which the cell check then finds)."""
    xml = f'<row r="2"><c r="B2" s="1"><v>{number}</v></c></row>'.encode()
    grid = workbook_cells._Grid(dates=True)
    grid.add(xml, len(xml))
    assert grid.beyond_dates is beyond
    plain = workbook_cells._Grid(dates=False)
    plain.add(xml, len(xml))
    assert not plain.beyond_dates


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904])
@pytest.mark.parametrize("number", [
    "2957002", "2957003", "2957004", "2958465", "2958466", "3.5E6", "1E3", "4.5e-3", "1e300", "1E+308",
    "-1", "-2957002", "-2957003", "-99999999", "-1e15", "-1E+308"])
def test_a_date_styled_number_is_read_as_openpyxl_reads_it_without_a_panic(tmp_path, monkeypatch, capfd,
                                                                            epoch, number):
    """Whatever number a date-styled cell holds, the table is openpyxl's, and calamine is never
    left to panic (a panic writes its message to the terminal)."""
    path = _book(tmp_path / "date.xlsx", [HEADER, _case(1, 45000, 240000), _case(2, 1.0, 250000)],
                 epoch=epoch, formats={1: "yyyy-mm-dd"})
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"<v>1</v>") == 1
    _rewrite(path, "xl/worksheets/sheet1.xml", sheet.replace(b"<v>1</v>", f"<v>{number}</v>".encode()))
    _same(path, monkeypatch)
    assert "panicked" not in capfd.readouterr().err


def test_a_chunk_boundary_splits_no_reference(monkeypatch):
    """The part is read in chunks; a reference across two of them is still read once."""
    rows = b"".join(f'<row r="{k}"><c r="B{k}"><v>{k}</v></c></row>'.encode() for k in range(1, 3000))
    for chunk in (64, 65, 97, 1000):
        monkeypatch.setattr(workbook_cells, "_CHUNK", chunk)
        grid = workbook_cells._Grid(dates=False)
        workbook_cells._read_part(_Part(b"<sheetData>" + rows + b"</sheetData>"), grid)
        assert (grid.row, grid.column, grid.references, grid.tags) == (2999, 2, 2 * 2999, 2 * 2999)


class _Part:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, n: int) -> bytes:
        piece = self.data[self.at:self.at + n]
        self.at += len(piece)
        return piece


def test_the_header_on_a_later_sheet_is_found_alike(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "exported by HR"
    hidden = book.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    cases = book.create_sheet("Cases")
    for row in [HEADER, _case(1, dt.datetime(2024, 1, 5), 240000)]:
        cases.append(row)
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    assert _same(path, monkeypatch)
    assert reading._read_xlsx(path, NO_MAP).sheet == "Cases"
    assert calamine_book(path, reading.EXCEL_MAX_ROWS) is not None


def test_a_chart_sheet_is_listed_and_passed_over_alike(tmp_path, monkeypatch):
    from openpyxl.chart import BarChart, Reference
    book = openpyxl.Workbook()
    cases = book.active
    cases.title = "Cases"
    for row in [HEADER, _case(1, dt.datetime(2024, 1, 5), 240000), _case(2, dt.datetime(2024, 2, 5), 250000)]:
        cases.append(row)
    chart = BarChart()
    chart.add_data(Reference(cases, min_col=4, min_row=1, max_row=3), titles_from_data=True)
    book.create_chartsheet("Chart", 0).add_chart(chart)
    path = tmp_path / "chart.xlsx"
    book.save(path)
    assert _same(path, monkeypatch)
    with pytest.raises(reading.CaseFileError) as fast:
        reading.read_cases(path, NO_MAP.with_options(sheet="Nowhere"))
    with pytest.raises(reading.CaseFileError) as slow:
        _by_openpyxl_map(path, monkeypatch, NO_MAP.with_options(sheet="Nowhere"))
    assert str(fast.value) == str(slow.value) and "'Chart'" in str(fast.value)


def _by_openpyxl_map(path, monkeypatch, case_map):
    with monkeypatch.context() as m:
        m.setattr(reading, "calamine_book", lambda *given: None)
        return reading.read_cases(path, case_map)


def test_a_row_past_the_last_a_sheet_holds_is_refused_as_before(tmp_path, monkeypatch):
    path = _book(tmp_path / "tall.xlsx", [HEADER, _case(1, "2024-01-05", 240000)])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'<row r="1048577"/></sheetData>')
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    assert calamine_book(path, reading.EXCEL_MAX_ROWS) is None


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904])
def test_dates_in_either_date_system(tmp_path, monkeypatch, epoch):
    rows = [HEADER] + [_case(k, dt.datetime(1950 + k, 1 + k % 12, 1 + k % 28, k % 24, k % 60), 1000 + k)
                       for k in range(60)]
    path = _book(tmp_path / "dates.xlsx", rows, epoch=epoch, formats={1: "mm/dd/yyyy hh:mm"})
    assert _same(path, monkeypatch)


FORMATS = ["General", "0.00", "#,##0.00;[Red]-#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd;@", "d", "mm:ss",
           '0.00 "days"', "[Red]0.00", "[$-409]mmmm d, yyyy", "0.0E+00", "@", "h:mm AM/PM", "[h]:mm",
           "[s]", "[mm]:ss", 'dd\\/mm', "_(* #,##0_)", "0%", "m/d/yy", "a", "[=1]\"day\";0"]


@pytest.mark.parametrize("code", FORMATS)
def test_the_port_of_calamines_date_formats_is_calamines(tmp_path, code):
    """_calamine_date_format says what calamine itself does with a number in that format."""
    path = _book(tmp_path / "format.xlsx", [["x"], [45000.5]], formats={0: code})
    value = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1][0]
    assert _calamine_date_format(code) == (not isinstance(value, (int, float))), value


@pytest.mark.parametrize("code", FORMATS)
def test_a_number_in_any_format_is_read_alike(tmp_path, monkeypatch, code):
    rows = [HEADER] + [_case(k, v, v) for k, v in enumerate([45000.5, 45000, 1, 0.5, 61, 2958465, 2958466, 3.5e6])]
    _same(_book(tmp_path / "numbers.xlsx", rows, formats={1: code, 3: code}), monkeypatch)


CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10 ** 17, 10 ** 17),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.datetimes(dt.datetime(1899, 12, 1), dt.datetime(9999, 12, 31)),
    st.dates(dt.date(1899, 12, 1), dt.date(9999, 12, 31)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=7, max_size=7), min_size=1, max_size=12))
def test_any_cells_are_read_alike(tmp_path, monkeypatch, rows):
    path = _book(tmp_path / "any.xlsx", [HEADER] + rows, formats={1: "yyyy-mm-dd"})
    _same(path, monkeypatch)


@given(st.binary(max_size=40) | st.lists(st.sampled_from([b"_", b"x", b"X", b"a", b"\0"]), max_size=12).map(b"".join))
def test_the_escape_test_finds_exactly_the_parts_holding_an_underscore_x(data):
    """The numpy test that sends a part holding `_x` (an _xHHHH_ escape, perhaps) to openpyxl."""
    assert workbook_cells._holds_escape(data) == (b"_x" in data)


def test_the_built_in_formats_calamine_takes_as_dates_are_openpyxls():
    """What lets a workbook of built-in formats only skip openpyxl's reading of its styles."""
    from openpyxl.styles.numbers import (BUILTIN_FORMATS_MAX_SIZE, builtin_format_code, is_date_format,
                                         is_timedelta_format)
    assert workbook_cells.BUILTIN_FORMAT_IDS == BUILTIN_FORMATS_MAX_SIZE
    openpyxl_dates = {k for k in range(BUILTIN_FORMATS_MAX_SIZE)
                      if is_date_format(builtin_format_code(k)) or is_timedelta_format(builtin_format_code(k))}
    assert openpyxl_dates == workbook_cells._CALAMINE_DATE_IDS


@pytest.mark.parametrize("builtin", [14, 15, 22, 46, 2, 0])   # dates, a date-time, a duration, numbers
def test_a_workbook_of_built_in_formats_reads_alike_without_openpyxls_styles(tmp_path, monkeypatch, builtin):
    rows = [HEADER] + [_case(k, dt.datetime(2020 + k, 1 + k, 1 + k), 1000 + k) for k in range(6)]
    path = _book(tmp_path / "builtin.xlsx", rows, formats={1: "yyyy-mm-dd"})
    styles = zipfile.ZipFile(path).read("xl/styles.xml")
    styles = re.sub(rb"<numFmts.*?</numFmts>", b"", styles)
    styles = re.sub(rb'numFmtId="(1[6-9][4-9]|[2-9]\d\d)"', f'numFmtId="{builtin}"'.encode(), styles)
    _rewrite(path, "xl/styles.xml", styles)
    assert b"<numFmt " not in styles and b'numFmtId="16' not in styles   # built-in ids only
    imported = sys.modules.pop("openpyxl.styles.stylesheet", None)
    try:
        monkeypatch.setitem(sys.modules, "openpyxl.styles.stylesheet", None)   # importing it fails
        book = calamine_book(path, reading.EXCEL_MAX_ROWS)
        assert book is not None
        book.close()
    finally:
        monkeypatch.undo()
        if imported is not None:
            sys.modules["openpyxl.styles.stylesheet"] = imported
    _same(path, monkeypatch)
