"""The recalculation helper the workbook tests rely on makes LibreOffice compute every formula,
not read back the cached value a workbook was written with."""

from __future__ import annotations

import openpyxl

from tests.support.recalc import recalculate, values


def test_libreoffice_recalculates_instead_of_keeping_a_cached_value(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = 2
    book.active["A2"] = "=A1*21"
    path = tmp_path / "cached.xlsx"
    book.save(path)
    # Write a wrong cached value into the formula cell, as a stale workbook would carry.
    import zipfile
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>A1*21</f><v></v>", b"<f>A1*21</f><v>5</v>")
    parts[sheet] = parts[sheet].replace(b"<f>A1*21</f></c>", b"<f>A1*21</f><v>5</v></c>")
    assert b"<v>5</v>" in parts[sheet]
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    assert openpyxl.load_workbook(path, data_only=True).active["A2"].value == 5
    assert values(recalculate(path, tmp_path / "out")).active["A2"].value == 42
