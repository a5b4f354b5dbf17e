"""Cached values: the calculator and the functions demo read right where nothing recalculates
(openpyxl data_only, pandas), equal to `severance calc` to the cent; after LibreOffice
recalculates, every formula's value equals the value it was written with (the add-in's function
cells aside: LibreOffice cannot run them). And how they print: Letter, a footer on every page,
the calculator on one page, the holiday list not printed."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from addin.workbooks import calculator, functions, inputs
from addin.workbooks.agreement import HOLIDAYS
from tests.support.recalc import recalculate_all, to_pdf
from tests.workbooks.test_calculator_inputs import case_table, named

MONEY = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation", "cash_total",
         "total_value", "installment_amount", "last_installment_amount")


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cached")
    calc, demo = folder / "severance_calculator.xlsx", folder / "severance_functions.xlsx"
    calculator.build_calculator(calc)
    layout = functions.build_functions(demo)
    return folder, calc, demo, layout


def cli_calc(folder, rows, name) -> pd.DataFrame:
    case_table(folder / f"{name}.xlsx", rows)
    out = folder / f"{name}.csv"
    result = subprocess.run([sys.executable, "-m", "addin.cli", "calc", str(folder / f"{name}.xlsx"), "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def cents(value) -> int:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return round(value * 100)


def test_every_formula_cell_is_written_with_a_value(books):
    _, calc, demo, _ = books
    for path in (calc, demo):
        with zipfile.ZipFile(path) as z:
            for part in (n for n in z.namelist() if n.startswith("xl/worksheets/sheet")):
                xml = z.read(part).decode()
                formulas = re.findall(r"<c [^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)<v>[^<]*</v></c>", xml)
                empty = re.findall(r'<c (?![^>]*t="str")[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)<v></v></c>', xml)
                assert not empty, (path.name, part, empty[:3])
                assert len(re.findall(r"<f[ >/]", xml)) == len(formulas), (path.name, part)


def test_calculator_reads_right_unrecalculated_equal_to_severance_calc(books):
    folder, calc, _, _ = books
    expected = cli_calc(folder, [inputs.EXAMPLE], "example").iloc[0]
    book = openpyxl.load_workbook(calc, data_only=True)
    names = named(book)

    def value(name):
        sheet, ref = names[name]
        return book[sheet][ref].value
    assert value("status") == expected["status"] == "paid"
    for name in MONEY:
        assert cents(value(name)) == round(float(expected[name]) * 100), name
    for name in ("lump_sum_due_date", "continuation_end_date", "benefits_end_date"):
        assert value(name).date().isoformat() == expected[name], name
    assert value("installments") == int(expected["installments"])
    assert f"{value('bonus_proration'):.6f}" == expected["bonus_proration"]
    sheet, ref = names["payment_schedule"]
    amounts = [r[1].value for r in book[sheet][ref]][1:]
    assert cents(sum(a for a in amounts if a not in (None, ""))) == round(float(expected["cash_total"]) * 100)
    # pandas, as a reviewer reads an emailed file: the Calculator's cash total is there
    frame = pd.read_excel(calc, sheet_name=calculator.SHEET, header=None, engine="openpyxl")
    assert (frame == float(expected["cash_total"])).any().any()


def test_functions_demo_reads_right_unrecalculated_equal_to_severance_calc(books):
    folder, _, demo, layout = books
    example = cli_calc(folder, [inputs.EXAMPLE], "demo-example").iloc[0]
    table = cli_calc(folder, [{**c, **{k: c.get(k) for k in inputs.INPUTS}} for c in functions.DEMO_CASES],
                     "demo-table")
    ws = openpyxl.load_workbook(demo, data_only=True)[functions.SHEET]
    for key in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation", "cash_total",
                "total_value"):
        assert cents(ws[layout[f"breakdown {key}"]].value) == round(float(example[key]) * 100), key
    assert cents(ws[layout["cash_total"]].value) == round(float(example["cash_total"]) * 100)
    for n in range(len(functions.DEMO_CASES)):
        native = ws[layout[f"table {n + 1} native"]]
        assert ws.cell(native.row, native.column + 1).value == table["status"][n]
        assert cents(ws.cell(native.row, native.column + 2).value) == round(float(table["cash_total"][n]) * 100)
    # The add-in's cells too: SEVERANCE_TOTAL and the SEVERANCE_TABLE spill, before it is installed.
    calls = _calls(openpyxl.load_workbook(demo)[functions.SHEET])
    assert cents(ws[calls["SEVERANCE_TOTAL"]].value) == round(float(example["cash_total"]) * 100)
    spill = ws[calls["SEVERANCE_TABLE"]]
    header = [ws.cell(spill.row, spill.column + j).value for j in range(len(table.columns))]
    assert header == list(table.columns)
    for n in range(len(functions.DEMO_CASES)):
        row = {h: ws.cell(spill.row + 1 + n, spill.column + j).value for j, h in enumerate(header)}
        assert row["status"] == table["status"][n]
        assert cents(row["cash_total"]) == round(float(table["cash_total"][n]) * 100)


def _calls(ws) -> dict[str, str]:
    out = {}
    for row in ws.iter_rows():
        for cell in row:
            text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
            if cell.data_type == "f" and str(text).startswith("=SEVERANCE_"):
                out[text[1:].split("(")[0]] = cell.coordinate
    return out


def _same(a, b) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-7
    return a == b


def test_after_libreoffice_recalculates_every_formula_equals_its_cached_value(books):
    folder, calc, demo, _ = books
    stripped = []
    for path in (calc, demo):
        book = openpyxl.load_workbook(path)   # formulas only: LibreOffice must compute every value
        stripped.append(folder / "stripped" / path.name)
        stripped[-1].parent.mkdir(exist_ok=True)
        book.save(stripped[-1])
    recalculated = recalculate_all(stripped, folder / "recalculated")
    for path, again in zip((calc, demo), recalculated):
        formulas, cached = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
        computed = openpyxl.load_workbook(again, data_only=True)
        checked, add_in = 0, []
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                    if cell.data_type != "f" and not isinstance(cell.value, ArrayFormula):
                        continue
                    a = cached[ws.title][cell.coordinate].value
                    b = computed[ws.title][cell.coordinate].value
                    if "SEVERANCE_" in str(text) or b == functions.CHECK_NOTE:
                        add_in.append((cell.coordinate, b))   # the add-in's cells and their checks
                        continue
                    assert _same(a, b), (path.name, ws.title, cell.coordinate, a, b)
                    checked += 1
        assert checked > (300 if path == calc else 30), checked
        if path == calc:
            assert not add_in
        else:
            assert {b for _, b in add_in} == {"#NAME?", functions.CHECK_NOTE}


def test_print_set_up_letter_footer_calculator_on_one_page_holidays_not_printed(books):
    _, calc, demo, _ = books
    for path in (calc, demo):
        for ws in openpyxl.load_workbook(path).worksheets:
            if ws.sheet_state != "visible":
                continue
            assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_LETTER), (path.name, ws.title)
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.title
            assert "&F" in ws.oddFooter.center.text, ws.title
    book = openpyxl.load_workbook(calc)
    sheet = book[calculator.SHEET]
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    area = str(book["Agreement"].print_area)
    last_printed = re.findall(r"\$([A-Z]+)\$\d+", area)[-1]
    assert openpyxl.utils.column_index_from_string(last_printed) < HOLIDAYS


def test_calculator_prints_its_sheet_on_one_letter_page_with_footers(books, tmp_path):
    _, calc, _, _ = books
    pdf = to_pdf(calc, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "612 x 792" in info or "792 x 612" in info
    texts = [subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-layout", str(pdf), "-"],
                            capture_output=True, text=True).stdout for k in range(1, pages + 1)]
    for k, page in enumerate(texts, 1):
        assert f"Page {k} of {pages}" in page and calc.name in page, k
        assert "###" not in page, k
    first = texts[0]
    for words in ("Severance calculator", "Inputs", "Total value, benefits included", "Benefits end"):
        assert words in first
    assert all("Benefits end" not in page for page in texts[1:])
    assert pages == 4   # the Calculator, the Payment schedule, the What-if, the Agreement terms
    assert not any(re.search(r"\b2100-01-01\b", page) for page in texts), "the holiday list prints"


def test_whatif_chart_points_at_the_whatif_cells(books):
    _, calc, _, _ = books
    book = openpyxl.load_workbook(calc)
    (sheet, dates), = book.defined_names["whatif_termination_dates"].destinations
    (_, cash), = book.defined_names["whatif_cash_totals"].destinations
    with zipfile.ZipFile(calc) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1
    refs = re.findall(r"<(?:c:)?f>([^<]*)</(?:c:)?f>", charts[0])
    assert refs == [f"'{sheet}'!{dates}", f"'{sheet}'!{cash}"], refs
    assert re.search(r"<(?:c:)?lineChart>", charts[0])
    # The chart carries its points too, the cash totals the sheet is cached with.
    cached = openpyxl.load_workbook(calc, data_only=True)[sheet]
    totals = [c.value for row in cached[cash.replace("$", "")] for c in row]
    points = re.findall(r"<(?:c:)?val>.*?</(?:c:)?val>", charts[0], re.S)[0]
    assert [float(v) for v in re.findall(r"<(?:c:)?v>([^<]*)</(?:c:)?v>", points)] == totals


def _words(pdf) -> list[list[tuple[float, float, str]]]:
    """Each page's words as (height, top, text), from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = []
    for page in html.split("<page")[1:]:
        pages.append([(float(b) - float(a), float(a), w) for a, b, w in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)])
    return pages


def test_printed_text_is_never_smaller_than_the_8_point_footer(books, tmp_path):
    """The footer is set in 8 points and is never scaled: every word of a page stands at least as
    tall as the footer's words, so no text prints under 8 points (the calculator shrunk to its
    one page included). The functions demo prints at full size, a footer and no ### on each page."""
    _, calc, demo, _ = books
    for path in (calc, demo):
        pdf = to_pdf(path, tmp_path)
        pages = _words(pdf)
        assert pages
        for k, words in enumerate(pages, 1):
            footer = [h for h, _, w in words if w == "Page"]
            assert footer, (path.name, k)
            body = [(h, w) for h, top, w in words if h > 0 and top < max(t for _, t, _ in words) - 5]
            smallest = min(body)
            assert smallest[0] >= 0.98 * footer[0], (path.name, k, smallest, footer[0])
            assert "###" not in {w for _, _, w in words}, (path.name, k)


def test_templates_check_compares_an_arrays_formula_not_the_values_it_cached(books, tmp_path):
    """The cells an array formula fills hold the add-in's results (which follow the engine's
    words); `templates check` holds the formula and the look, not those values."""
    from addin.workbooks import check
    _, _, demo, _ = books
    calls = _calls(openpyxl.load_workbook(demo)[functions.SHEET])
    book = openpyxl.load_workbook(demo)
    ws = book[functions.SHEET]
    anchor = ws[calls["SEVERANCE_BREAKDOWN"]]
    ws.cell(anchor.row + 1, anchor.column + 5).value = "other words"
    book.save(tmp_path / "recached.xlsx")
    assert check.differences(demo, tmp_path / "recached.xlsx") == []
    ws[calls["SEVERANCE_BREAKDOWN"]].value = ArrayFormula(anchor.value.ref, "=SEVERANCE_TOTAL(C6)")
    book.save(tmp_path / "changed.xlsx")
    assert any(calls["SEVERANCE_BREAKDOWN"] in d for d in check.differences(demo, tmp_path / "changed.xlsx"))
