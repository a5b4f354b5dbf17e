"""The workbook plans and their writer: names and addresses follow where the plan puts each cell,
and text is written as text, never as a formula (no LibreOffice needed here)."""

from __future__ import annotations

import dataclasses

import openpyxl

from addin.excel.cells import Kind
from addin.rules.terms import DEFAULT_AGREEMENT_ID
from addin.workbooks import calculator, functions
from addin.workbooks.inputs import INPUT_LABELS, INPUTS
from addin.workbooks.plan import SheetPlan, Slot, address, text
from addin.workbooks.writer import write_book


def _named(book, name):
    (sheet, ref), = book.defined_names[name].destinations
    return book[sheet], ref.replace("$", "")


def test_each_input_name_is_the_cell_beside_its_label_for_any_letter(tmp_path, agreements):
    """Another letter moves every block (more schedule rows, other clause texts); the names
    move with the cells, because they are derived from where the plan put them."""
    default = agreements[DEFAULT_AGREEMENT_ID]
    longer = dataclasses.replace(default, id="longer", salary_continuation_months=30,
                                 clause_text={**default.clause_text, "i": "word " * 400})
    for agreement in (default, longer):
        path = tmp_path / f"{agreement.id}.xlsx"
        calculator.build_calculator(path, agreement)
        book = openpyxl.load_workbook(path)
        for key in INPUTS:
            ws, ref = _named(book, key)
            cell = ws[ref]
            assert ws.cell(cell.row, cell.column - 1).value == INPUT_LABELS[key], (agreement.id, key)
            assert ws.cell(cell.row, cell.column + 1).value == key, (agreement.id, key)
        ws, table = _named(book, "payment_schedule")
        rows = ws[table]
        assert rows[0][0].value == "Payment"
        assert len(rows) - 3 == calculator.schedule_rows(agreement)   # the header, two lump sums
        ws, ref = _named(book, "total_value")
        assert ws.cell(ws[ref].row, ws[ref].column - 1).value == "Total value, benefits included"


def test_text_that_reads_like_a_formula_is_written_as_text(tmp_path, agreements):
    hostile = dataclasses.replace(agreements[DEFAULT_AGREEMENT_ID], title='=HYPERLINK("http://x","y")')
    path = tmp_path / "calculator.xlsx"
    calculator.build_calculator(path, hostile)
    book = openpyxl.load_workbook(path)
    ws, ref = _named(book, "agreement_title")
    assert ws[ref].data_type == "s" and ws[ref].value == hostile.title
    plan = SheetPlan("Plain", {})
    plan.put(1, 1, Slot(text("=1+1")))
    plan.put(2, 1, Slot(text("+1")))
    write_book(tmp_path / "plain.xlsx", [plan])
    ws = openpyxl.load_workbook(tmp_path / "plain.xlsx")["Plain"]
    assert [ws[address(r, 1)].data_type for r in (1, 2)] == ["s", "s"]
    assert ws["A1"].value == "=1+1" and ws["A1"].quotePrefix


def test_functions_demo_reads_its_case_from_the_cells_the_plan_put_it_in(agreements):
    plans, layout = functions.plan_functions(agreements[DEFAULT_AGREEMENT_ID])
    sheet = plans[0]
    calls = [slot.cell.value for slot in sheet.slots.values()
             if slot.cell.kind is Kind.FORMULA and slot.cell.value.startswith("SEVERANCE_TOTAL(")]
    assert len(calls) == 1
    arguments = calls[0].removeprefix("SEVERANCE_TOTAL(").removesuffix(")").split(",")
    expected = [layout[f"input {functions.UDF_COLUMNS[a]}"] for a in functions.UDF_ARGUMENTS
                if a != "pay_frequency"]
    assert arguments == expected
