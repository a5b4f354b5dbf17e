"""Safety of the files `severance report` reads and writes: the input never overwritten, no
partial file, entity expansion and zip bombs refused with a clear message."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.cases import CaseFileError, read_case_file
from addin.results.output import OutputError
from addin.report.writer import build_report, build_report_template
from addin.excel.styles import default_styles, read_template
from addin.rules.terms import load_agreements
from tests.report.generated import ROOT, severance


def test_out_equal_to_cases_is_refused(tmp_path, agreements):
    cases_xlsx = tmp_path / "cases.xlsx"
    pd.read_csv(ROOT / "workbooks" / "sample_cases.csv", dtype=str).to_excel(cases_xlsx, index=False)
    before = cases_xlsx.read_bytes()
    result = severance("report", cases_xlsx, "-o", cases_xlsx)
    assert result.returncode == 2 and "refusing to overwrite the input" in result.stderr
    assert cases_xlsx.read_bytes() == before


def test_an_interrupted_run_leaves_the_previous_report_and_no_partial_file(tmp_path, agreements, sample):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"the previous report")
    _, cases, payouts, _ = sample
    broken = replace(default_styles(), roles={k: v for k, v in default_styles().roles.items() if k != "money"})
    with pytest.raises(KeyError):  # fails while the rows are being written
        build_report(cases, payouts, load_agreements(), out, styles=broken)
    assert out.read_bytes() == b"the previous report"
    assert list(tmp_path.iterdir()) == [out]


def test_other_output_types_are_refused(tmp_path, sample_cases_path):
    result = severance("report", sample_cases_path, "-o", tmp_path / "r.csv")
    assert result.returncode == 2 and ".xlsx" in result.stderr
    assert severance("report", sample_cases_path).returncode == 2  # -o is required


def _billion_laughs(part: str) -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    if part == "sheet":
        body = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>')
        return f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>{body}'.encode()
    body = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            'uniqueCount="1"><si><t>&a9;</t></si></sst>')
    return f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>{body}'.encode()


def _hostile_copy(source: Path, target: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info.filename))
    return target


@pytest.mark.parametrize("part", ["sheet", "strings"])
def test_entity_expansion_in_a_case_workbook_is_refused(tmp_path, part):
    assert openpyxl.DEFUSEDXML  # openpyxl parses through defusedxml
    good = tmp_path / "good.xlsx"
    frame = pd.DataFrame({"employee_id": ["E1"], "termination_date": ["2024-01-02"],
                          "termination_reason": ["without_cause"], "base_salary": ["1"]})
    with pd.ExcelWriter(good, engine="xlsxwriter") as writer:  # shared strings, like Excel
        frame.to_excel(writer, index=False, sheet_name="cases")
    name = "xl/worksheets/sheet1.xml" if part == "sheet" else "xl/sharedStrings.xml"
    evil = _hostile_copy(good, tmp_path / "evil.xlsx", name, _billion_laughs(part))
    with pytest.raises(CaseFileError, match="XML entities|not a readable .xlsx"):
        read_case_file(evil)
    # openpyxl itself, the second line of defence, parses through defusedxml.
    from defusedxml import DefusedXmlException
    with pytest.raises(ValueError) as refused:
        book = openpyxl.load_workbook(evil, read_only=True)
        for ws in book.worksheets:
            list(ws.iter_rows(values_only=True))
    assert isinstance(refused.value, DefusedXmlException) or \
        isinstance(refused.value.__cause__, DefusedXmlException)
    result = severance("report", evil, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_entity_expansion_in_a_template_is_refused(tmp_path):
    template = build_report_template(tmp_path / "t.xlsx")
    evil = _hostile_copy(template, tmp_path / "evil.xlsx", "xl/worksheets/sheet1.xml", _billion_laughs("sheet"))
    with pytest.raises(OutputError, match="XML entities|not a readable template"):
        read_template(evil)


def test_oversized_and_bomb_case_files_fail_with_a_clear_message(tmp_path):
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as f:  # sparse: no disk is used
        f.truncate(201 * 2**20)
    result = severance("report", big, "-o", tmp_path / "o.xlsx")
    assert result.returncode == 2 and "limited to 200 MiB" in result.stderr
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 2**20))
    result = severance("report", bomb, "-o", tmp_path / "o.xlsx")
    assert result.returncode == 2 and "zip bomb" in result.stderr
