"""Cached values: the calculator and the functions demo read right where nothing recalculates
(openpyxl data_only, pandas), equal to `severance calc` to the cent; after LibreOffice
recalculates, every formula's value equals the value it was written with (the add-in's function
cells aside: LibreOffice cannot run them). And how they print: Letter, one page wide, no text
under 8 pt, a footer on every page, the holiday list not printed."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Font
from openpyxl.worksheet.formula import ArrayFormula

from addin.workbooks import calculator, case_template, functions, inputs
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


def test_print_set_up_letter_footer_one_page_wide_holidays_not_printed(books):
    _, calc, demo, _ = books
    for path in (calc, demo):
        for ws in openpyxl.load_workbook(path).worksheets:
            if ws.sheet_state != "visible":
                continue
            assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_LETTER), (path.name, ws.title)
            for code in ("&P", "&N", "&F", "&A"):
                assert code in ws.oddFooter.center.text, (ws.title, code)
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert ws.page_setup.fitToWidth == 1, ws.title
    book = openpyxl.load_workbook(calc)
    area = str(book["Agreement"].print_area)
    last_printed = re.findall(r"\$([A-Z]+)\$\d+", area)[-1]
    assert openpyxl.utils.column_index_from_string(last_printed) < HOLIDAYS


def page_texts(pdf) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "612 x 792" in info or "792 x 612" in info, info   # Letter
    return [subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-layout", str(pdf), "-"],
                           capture_output=True, text=True).stdout for k in range(1, pages + 1)]


def pages_by_sheet(path, pdf) -> dict[str, list[str]]:
    """Each printed sheet's pages, by the sheet's name in their footer ("Page N of M | file | sheet")."""
    texts = page_texts(pdf)
    out: dict[str, list[str]] = {}
    for k, page in enumerate(texts, 1):
        footer = re.search(rf"Page {k} of {len(texts)}\s+\|\s+{re.escape(path.name)}\s+\|\s+(.+)", page)
        assert footer, (path.name, k, page[-300:])
        out.setdefault(footer.group(1).strip(), []).append(page)
    return out


def test_calculator_prints_one_page_wide_its_result_on_the_first_page(books, tmp_path):
    _, calc, _, _ = books
    sheets = pages_by_sheet(calc, to_pdf(calc, tmp_path))
    assert set(sheets) == {calculator.SHEET, calculator.SCHEDULE_SHEET, "What-if", "Agreement"}
    first, *rest = sheets[calculator.SHEET]
    for words in ("Severance calculator", "Inputs", "Consented to the change", "Total value, benefits included"):
        assert words in first
    assert "How it is paid" not in first and "How it is paid" in rest[0]
    assert len(rest) == 1 and len(sheets["What-if"]) == 1
    texts = [page for pages in sheets.values() for page in pages]
    assert not any("###" in page for page in texts)
    assert not any(re.search(r"\b2100-01-01\b", page) for page in texts), "the holiday list prints"


def _ink(pdf, page: int, box: tuple[float, float, float, float]) -> int:
    """How many dark pixels page `page` of the PDF prints inside box (x0, y0, x1, y1, points)."""
    raster = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                            capture_output=True).stdout
    magic, size, _, pixels = raster.split(b"\n", 3)
    width, _ = map(int, size.split())
    x0, y0, x1, y1 = (int(v) for v in box)
    return sum(1 for y in range(y0, y1 + 1) for b in pixels[y * width + x0:y * width + x1 + 1] if b < 128)


def test_every_footer_prints_not_only_sits_in_the_pdf(books, tmp_path):
    """A footer given no room under its page's bottom margin is clipped away: its words are in the
    PDF's text, yet nothing prints. Each page's footer words carry ink."""
    _, calc, demo, _ = books
    for path in (calc, demo):
        pdf = to_pdf(path, tmp_path)
        html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
        for k, page in enumerate(html.split("<page")[1:], 1):
            (box,) = [tuple(float(v) for v in m) for m in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Page<', page)]
            assert _ink(pdf, k, box) > 10, (path.name, k, box)


# What a sheet printed one page wide shows on every page: its repeated title rows' leftmost and
# rightmost words (a sheet split across pages shows each only on some).
EVERY_PAGE = {
    ("severance_calculator.xlsx", calculator.SHEET): ("Severance calculator",),
    ("severance_calculator.xlsx", calculator.SCHEDULE_SHEET): ("Payment", "Paid on: the due date"),
    ("severance_calculator.xlsx", "Agreement"): ("Agreement terms",),
    ("severance_functions.xlsx", functions.SHEET): ("Severance functions",),
    ("severance_functions.xlsx", "Agreement"): ("Agreement terms",),
    ("cases_template.xlsx", "Cases"): ("employee_id", "consented_to_change"),
}


def _reference_height(tmp_path) -> float:
    """How tall pdftotext finds a word set in 8 pt and printed at 100%."""
    book = openpyxl.Workbook()
    book.active["A1"] = "Reference"
    book.active["A1"].font = Font(name="Arial", size=8)
    book.save(tmp_path / "reference.xlsx")
    (words,) = _words(to_pdf(tmp_path / "reference.xlsx", tmp_path))
    (height,) = [h for h, _, w in words if w == "Reference"]
    return height


def test_printed_one_page_wide_never_under_8_points(books, tmp_path):
    """Every page of the calculator, the functions demo and the case template: one page wide (the
    leftmost and rightmost words of its repeated rows on each page, the block a page starts with
    whole), no word under 8 points (measured against an 8-pt word printed at 100%: the page's
    scale shrinks every word, footer included), a footer and no ###."""
    folder, calc, demo, _ = books
    template = folder / "cases_template.xlsx"
    case_template.build_cases_template(template)
    eight = _reference_height(tmp_path)
    printed = {}
    for path in (calc, demo, template):
        pdf = to_pdf(path, tmp_path)
        printed[path] = pages_by_sheet(path, pdf)
        for sheet, pages in printed[path].items():
            for k, page in enumerate(pages, 1):
                for words in EVERY_PAGE.get((path.name, sheet), ()):
                    assert words in page, (path.name, sheet, k, words)
        for k, words in enumerate(_words(pdf), 1):
            smallest = min((h, w) for h, _, w in words if h > 0)
            assert smallest[0] >= 0.99 * eight, (path.name, k, smallest, eight)
            assert "###" not in {w for _, _, w in words}, (path.name, k)
    functions_pages = printed[demo][functions.SHEET]
    breakdown = [page for page in functions_pages if "SEVERANCE_BREAKDOWN" in page]
    table = [page for page in functions_pages if "SEVERANCE_TABLE:" in page]
    assert len(breakdown) == len(table) == 1
    assert "native" in breakdown[0] and "clause" in breakdown[0]
    assert "consented_" in table[0] and "The same cases with native formulas" in table[0]   # K, wrapped


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
