"""The Summary sheets: one row per input row, the case table's cells and every `severance calc`
figure as a live formula over them and the Agreement sheet; totals, marks and a chart."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from openpyxl.utils import get_column_letter

from ..excel import formulas as F
from ..excel.cells import Cell, FormulaTemplate, Kind, Role, hole
from ..rules.case import CaseTable
from ..rules.engine import NO_SEVERANCE, REJECTED, Payouts
from ..results.tables import MONEY_RESULTS
from ..rules.money import cents_to_decimal
from .agreement import AgreementBlock
from .columns import (COMPONENTS, INPUT_MONEY, RESULT_ROLES, SUMMARY_INPUTS, SUMMARY_RESULTS,
                      TOTALLED_RESULTS, money_width, text_width, width)
from .plan import (ChartPlan, Pages, Row, RowMark, SheetPlan, as_date, date, flag, formula,
                   header, header_block, header_height, number, raw_text, text)
from .values import counts_text, summary_values, total_values

# The formula of each computed Summary column (the others are the case table's cells).
COLUMN_FORMULAS = {**{name: F.CALC_CELLS[name] for name in SUMMARY_RESULTS if name in F.CALC_CELLS},
                   "warnings": F.warnings_with_notes}
FORMULAS = tuple(COLUMN_FORMULAS.values())
CHART_ROWS = 22  # rows below the totals kept for the chart
# Helper cells the formulas read, not for the reader: hidden columns.
HELPER_COLUMNS = ("first_payday_number",)
PRINT_NOTE = ("This sheet is too wide to print legibly and prints these lines only: print the "
              "Payout register.")


class SummaryColumns:
    """The Summary's columns: the inputs, the results, then the case table's other columns."""

    def __init__(self, extra: Sequence[str]):
        self.names = (*SUMMARY_INPUTS, *SUMMARY_RESULTS, *extra)
        self.letter = {name: get_column_letter(i + 1) for i, name in enumerate(self.names)}
        self.extra = tuple(extra)


def summary_refs(columns: SummaryColumns, block: AgreementBlock, prefix: str = "") -> dict[str, str]:
    """References of a Summary row's cells, by column name, for addin.excel.formulas: the row
    is hole("row"); `prefix` is "" on the Summary itself, else its sheet ("...!")."""
    refs = {name: f"{prefix}${columns.letter[name]}{hole('row')}" for name in columns.names}
    refs.update(block.refs(refs["agreement"]))
    refs["eligible"] = f'({refs["status"]}="paid")'
    return refs


def summary_sheets(cases: CaseTable, payouts: Payouts, columns: SummaryColumns, pages: Pages,
                   block: AgreementBlock, counts_formula: str, note: str, logo: bool,
                   header_row: int) -> list[SheetPlan]:
    refs = summary_refs(columns, block)
    values = summary_values(cases, payouts)
    counted = counts_text(payouts)
    templates = {name: FormulaTemplate(build(refs)) for name, build in COLUMN_FORMULAS.items()}
    roles = {**{c: Role.INPUT_TEXT for c in SUMMARY_INPUTS}, "source_row": Role.COUNT,
             "termination_date": Role.INPUT_DATE, **{c: Role.INPUT_MONEY for c in INPUT_MONEY},
             **RESULT_ROLES, **{c: Role.INPUT_TEXT for c in columns.extra}}
    letters = columns.letter
    last_letter = letters[columns.names[-1]]
    head = header(columns.names)
    widths = summary_widths(cases, payouts, columns, roles)
    note += f" {PRINT_NOTE}"
    plans = []
    for page, title in enumerate(pages.titles):
        ks = pages.rows_on(page)
        last_page = page == len(pages.titles) - 1
        last_row = pages.last_row(page)
        totals_row = last_row + 1

        def rows(ks=ks, last_page=last_page, page=page, title=title):
            yield from header_block("Severance payouts" + (f" (continued, {title})" if page else ""),
                                    note, counts_formula, logo, counted)
            yield head
            for k in ks:
                yield summary_row(cases, payouts, k, columns, templates, pages.first_row + k - ks.start,
                                  values)
            if last_page:
                yield totals(columns, pages, total_values(payouts, TOTALLED_RESULTS))

        status = letters["status"]
        marks = [RowMark(f"A{pages.first_row}:{last_letter}{last_row}",
                         f'${status}{pages.first_row}="{s}"', Role(s)) for s in (REJECTED, NO_SEVERANCE)]
        chart = None
        if last_page:
            c1 = columns.names.index(COMPONENTS[0]) + 1
            chart = ChartPlan("Payout by component, clauses (i)-(iv) (visible rows)",
                              f"B{totals_row + 2}", header_row, totals_row, c1,
                              c1 + len(COMPONENTS) - 1, "US dollars")
        plans.append(SheetPlan(
            title=title, rows=rows(), row_count=len(ks) + header_row + (1 if last_page else 0),
            widths=widths, freeze=f"C{header_row + 1}",
            autofilter=f"A{header_row}:{last_letter}{last_row}", row_marks=marks, chart=chart,
            print_title_rows=f"{header_row}:{header_row}", wide=True, logo=logo,
            header_row=header_row, header_height=header_height(columns.names, widths),
            print_area=f"A1:H{header_row - 1}",
            hidden_columns=tuple(letters[name] for name in HELPER_COLUMNS)))
    return plans


def summary_widths(cases: CaseTable, payouts: Payouts, columns: SummaryColumns,
                   roles: Mapping[str, Role]) -> dict[str, float]:
    """Each column's width, from the longest value it holds: amounts from the largest (the
    totals included, bold), names and ids from the longest."""
    letters = columns.letter
    widths = {letters[name]: width(name, roles.get(name, Role.TEXT)) for name in columns.names}
    valid = payouts.status != REJECTED
    for name in MONEY_RESULTS:
        amounts = np.abs(getattr(payouts, name)[valid])
        largest = int(amounts.sum()) if name in TOTALLED_RESULTS else int(amounts.max(initial=0))
        widths[letters[name]] = max(widths[letters[name]], money_width(largest))
    for name in INPUT_MONEY:
        largest = int(np.abs(getattr(cases, name)[cases.valid]).max(initial=0))
        widths[letters[name]] = max(widths[letters[name]], money_width(largest))
    for name, most in (("employee_id", 24), ("employee_name", 36)):
        widths[letters[name]] = text_width(getattr(cases, name), widths[letters[name]], most)
    return widths


def totals(columns: SummaryColumns, pages: Pages, cached: Mapping[str, object]) -> Row:
    """The totals row: each amount of TOTALLED_RESULTS summed over every Summary page
    (`cached`: the sums, as the engine's payouts give them)."""
    out: Row = [None] * len(columns.names)
    out[1] = text("Total", Role.TOTAL)
    for name in TOTALLED_RESULTS:
        ranges = [pages.data_range(p, columns.letter[name]) for p in range(len(pages.titles))]
        out[columns.names.index(name)] = formula(F.total(ranges), Role.TOTAL, cached[name])
    return out


def summary_row(cases: CaseTable, payouts: Payouts, k: int, columns: SummaryColumns,
                templates: Mapping[str, FormulaTemplate], row: int,
                values: Mapping[str, object]) -> Row:
    """Case k's Summary row: a valid case's typed inputs and formulas (cached with `values`,
    from addin.report.values.summary_values); a rejected case's cells as read (text) with its
    reasons."""
    out: Row = [number(int(cases.source_row[k]), Role.COUNT)]
    if payouts.status[k] != REJECTED:
        out += input_cells(cases, k)
        notes, holes = "; ".join(cases.notes[k]), {"row": row}
        for name in SUMMARY_RESULTS:
            if name == "input_notes":
                out.append(text(notes, RESULT_ROLES[name]))
            else:
                out.append(Cell(Kind.FORMULA, templates[name].fill_map(holes), RESULT_ROLES[name],
                                values[name][k]))
    else:
        raw = cases.raw.iloc[k]
        for name in SUMMARY_INPUTS[1:]:
            out.append(text(raw_text(raw[name]) if name in raw.index else "", Role.INPUT_TEXT))
        shown = {"status": text(REJECTED), "reason": text("; ".join(cases.errors[k]))}
        out.extend(shown.get(name) for name in SUMMARY_RESULTS)
    if columns.extra:
        raw = cases.raw.iloc[k]
        out.extend(text(raw_text(raw[name]), Role.INPUT_TEXT) for name in columns.extra)
    return out


def input_cells(cases: CaseTable, k: int) -> Row:
    """A valid case's inputs as typed cells, in SUMMARY_INPUTS order after source_row (the
    blue cells a reviewer edits)."""
    def money(cents) -> object:
        return number(cents_to_decimal(cents), Role.INPUT_MONEY)
    declared = cases.prior_year_bonus_declared[k]
    return [
        text(cases.employee_id[k], Role.INPUT_TEXT),
        text(cases.employee_name[k], Role.INPUT_TEXT),
        text(cases.agreement[k], Role.INPUT_TEXT),
        date(as_date(cases.termination_date[k]), Role.INPUT_DATE),
        text(cases.termination_reason[k], Role.INPUT_TEXT),
        money(cases.base_salary[k]),
        money(declared) if cases.bonus_declared[k] else None,
        money(cases.prior_year_bonus_paid[k]),
        money(cases.monthly_benefits_cost[k]),
        text(cases.pay_frequency[k], Role.INPUT_TEXT),
        consent_cell(cases, k),
    ]


def consent_cell(cases: CaseTable, k: int) -> Cell | None:
    """The consent as typed: true or false, or blank where the case table left it blank (the
    formulas read a blank as no consent, as the engine does)."""
    raw = cases.raw["consented_to_change"].iat[k] if "consented_to_change" in cases.raw.columns else ""
    if not raw_text(raw).strip():
        return None
    return flag(cases.consented_to_change[k], Role.INPUT_TEXT)
