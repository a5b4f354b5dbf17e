"""The Net pay (estimate) sheet: every cash payment of the Payment schedule with its withholding
ESTIMATE as live formulas over the payment's amount and date (the schedule's cells) and a block
of tax parameters on the sheet (one row per tax year, each figure's source below it).

The formulas mirror addin.rules.withholding: payments in payment-date order within each case;
the wages of the year before each payment run down a column per case and year (from the case's
ytd_wages / ytd_supplemental_wages in the termination year, from 0 in later years); each tax is
rounded once to the cent. The cached values are addin.results.payroll's figures. Benefits
continuation (iv) is not a cash payment and withholds nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, NamedTuple

import numpy as np
from openpyxl.utils import get_column_letter

from ..cases.columns import PAYROLL_COLUMNS
from ..excel import formulas as F
from ..excel.cells import Cell, Kind, Role
from ..results.payroll import BENEFITS_NOTE, ESTIMATE, Payroll, missing_table_text
from ..rules.case import CaseTable
from ..rules.money import cents_to_decimal
from ..rules.tax import MONEY_FIGURES, RATE_FIGURES, RATE_SCALE, TaxYear, builtin_tax_years
from ..rules.withholding import payment_order, year_of
from .columns import SCHEDULE_COLUMNS
from .plan import MAX_SHEET_ROWS, Pages, Row, SheetPlan, header_height, number, quote, text
from .summary import SummaryColumns

TITLE = "Net pay (estimate)"
NOTES = ("An ESTIMATE of each payment's withholding and net pay: federal supplemental (flat / mandatory "
         "rate), Social Security, Medicare, Additional Medicare, state.",
         "Live formulas over the Payment schedule and the tax parameters below (sources under the "
         "payments). " + BENEFITS_NOTE.capitalize() + ".")
TAX_FIGURES = (*RATE_FIGURES, *(f for f in MONEY_FIGURES if f != "compensation_limit_401a17"))
INPUTS = ("ytd_wages", "ytd_supplemental_wages", "state_withholding_rate")
TAXES = ("federal_withholding", "social_security", "medicare", "additional_medicare", "state_withholding",
         "net_amount", "employer_social_security", "employer_medicare")
COLUMNS = ("employee_id", "component", "clause", "payment_date", "amount", "tax_year", "tax_table_row",
           *INPUTS, "wages_before", "supplemental_before", *TAXES, "note")
L = {name: get_column_letter(i + 1) for i, name in enumerate(COLUMNS)}
_S = {name: get_column_letter(i + 1) for i, name in enumerate(SCHEDULE_COLUMNS)}
BUILDS = {"federal_withholding": F.federal_withholding, "social_security": F.social_security,
          "medicare": F.medicare, "additional_medicare": F.additional_medicare,
          "state_withholding": F.state_withholding, "net_amount": F.net_amount,
          "employer_social_security": F.employer_social_security, "employer_medicare": F.employer_medicare}


def _money(cents) -> object:
    return cents_to_decimal(int(cents))


def wants_net_pay(cases: CaseTable, withholding: bool) -> bool:
    """The sheet is made when asked, or when the case table has a payroll column."""
    return withholding or any(c in cases.raw.columns for c in PAYROLL_COLUMNS)


def _parameter_rows(tax_years: Mapping[int, TaxYear]) -> list[Row]:
    rows: list[Row] = [[text("tax_year", Role.HEADER), *(text(f, Role.HEADER) for f in TAX_FIGURES)]]
    for year in sorted(tax_years):
        t = tax_years[year]
        rows.append([number(year, Role.COUNT), *(
            number(getattr(t, f), Role.FRACTION if f in RATE_FIGURES else Role.INPUT_MONEY) for f in TAX_FIGURES)])
    return rows


def _source_rows(tax_years: Mapping[int, TaxYear]) -> list[Row]:
    """Each figure's source, per year: the publication, and the page where it was checked."""
    rows: list[Row] = [[], [text("tax_year", Role.HEADER), text("figure", Role.HEADER),
                            text("source (the tax table's file names each publication)", Role.HEADER)]]
    for year in sorted(tax_years):
        t = tax_years[year]
        for f in TAX_FIGURES:
            if f in t.sources:
                rows.append([number(year, Role.COUNT), text(f), text(t.sources[f].publication, Role.NOTE)])
                rows.append([None, None, text(t.sources[f].url, Role.NOTE)])
    return rows


class _Sheet(NamedTuple):
    """What every payment row of the sheet reads."""
    cases: CaseTable
    payroll: Payroll
    columns: SummaryColumns
    summary: Pages
    schedule: Pages
    pages: Pages                       # the Net pay pages, one row per payment (in `order`)
    order: np.ndarray                  # payroll.schedule positions in payment-date order
    before: dict[str, np.ndarray]      # the year's wages before each payment (in `order`)
    years: tuple[int, ...]             # the tax-parameter block's years
    years_range: str
    figure_range: dict[str, str]

    def at(self, i: int, column: str, on_page: str, absolute_row: bool = False) -> str:
        """The cell of payment i in `column`, as a formula on page `on_page` refers to it."""
        title, r = self.pages.locate(i)
        prefix = "" if title == on_page else quote(title) + "!"
        return f"{prefix}${L[column]}{'$' if absolute_row else ''}{r}"


def net_pay_sheets(cases: CaseTable, payroll: Payroll, columns: SummaryColumns, summary: Pages,
                   schedule: Pages, max_rows: int = MAX_SHEET_ROWS,
                   tax_years: Mapping[int, TaxYear] | None = None) -> list[SheetPlan]:
    """`schedule`: the Payment schedule pages of payroll.schedule (the delay applied if asked).
    The payments run over as many pages as Excel's row limit needs; the tax parameters are on
    the first, the totals and the sources on the last."""
    tax_years = builtin_tax_years() if tax_years is None else tax_years
    s, w = payroll.schedule, payroll.withholding
    order = payment_order(np.asarray(s["case"]), np.asarray(s["payment_date"], dtype="datetime64[D]"))
    params, sources = _parameter_rows(tax_years), _source_rows(tax_years)
    first_param = len(NOTES) + 4   # title, notes, the block's note, its header
    last_param = first_param + max(len(tax_years), 1) - 1
    header_row = first_param + len(params)   # the header and one row per year, then an empty row
    n = len(order)
    pages = Pages(TITLE, n, header_row + 1, max_rows, reserve=1 + len(sources))
    block = quote(TITLE) + "!" if len(pages.titles) > 1 else ""
    sheet = _Sheet(cases, payroll, columns, summary, schedule, pages, order,
                   _running(s, order, cases, payroll.inputs), tuple(sorted(tax_years)),
                   f"{block}$A${first_param}:$A${last_param}",
                   {f: f"{block}${get_column_letter(i + 2)}${first_param}:${get_column_letter(i + 2)}${last_param}"
                    for i, f in enumerate(TAX_FIGURES)})
    case_first = np.zeros(n, dtype=np.int64)   # per payment: the index of its case's first payment
    cases_in_order = np.asarray(s["case"])[order]
    starts = np.flatnonzero(np.r_[True, cases_in_order[1:] != cases_in_order[:-1]]) if n else np.array([], int)
    for a, b in zip(starts, [*starts[1:], n]):
        case_first[a:b] = a
    widths = {L[c]: 14 for c in COLUMNS}
    widths.update({L["employee_id"]: 12, L["component"]: 22, L["clause"]: 8, L["tax_year"]: 9,
                   L["tax_table_row"]: 9, L["note"]: 30})
    plans = []
    for page, title in enumerate(pages.titles):
        last_page = page == len(pages.titles) - 1

        def rows(page=page, title=title, last_page=last_page):
            yield [text(TITLE if not page else f"{TITLE} (continued, {title})", Role.TITLE)]
            yield from ([text(note, Role.NOTE)] for note in NOTES)
            if page:
                yield [text(f"Tax parameters: on the {TITLE} sheet.", Role.NOTE)]
                yield from ([] for _ in params)
            else:
                yield [text("Tax parameters by year (edit a figure here and every estimate follows):", Role.NOTE)]
                yield from params
            yield []
            yield [text(c, Role.HEADER) for c in COLUMNS]
            for i in pages.rows_on(page):
                yield payment_row(sheet, i, int(case_first[i]), title)
            if last_page:
                yield totals_row(s, w, pages)
                yield from sources

        plans.append(SheetPlan(
            title=title, rows=rows(), row_count=pages.last_row(page) + (1 + len(sources) if last_page else 0),
            widths=widths, freeze=f"B{pages.first_row}", header_row=header_row, header_height=45,
            autofilter=f"A{header_row}:{L['note']}{pages.last_row(page)}",
            print_title_rows=f"{header_row}:{header_row}", wide=True,
            row_heights={} if page else {first_param - 1: header_height(TAX_FIGURES, widths)}))
    return plans


def payment_row(sheet: _Sheet, i: int, case_first: int, on_page: str) -> Row:
    """The i-th payment (in payment-date order); `case_first`: the index of its case's first
    payment, whose row holds the case's payroll inputs."""
    s, w, inputs = sheet.payroll.schedule, sheet.payroll.withholding, sheet.payroll.inputs
    p = int(sheet.order[i])
    k = int(s["case"][p])
    r = sheet.pages.locate(i)[1]
    same_case = case_first != i
    on, srow = sheet.schedule.locate(p)
    ps = quote(on) + "!"
    sum_sheet, sum_row = sheet.summary.locate(k)
    term = f"{quote(sum_sheet)}!${sheet.columns.letter['termination_date']}{sum_row}"
    has = bool(w.has_table[p])
    year = f"${L['tax_year']}{r}"
    row: Row = [text(sheet.cases.employee_id[k]), text(s["component"][p]), text(s["clause"][p]),
                Cell(Kind.FORMULA, f"{ps}${_S['payment_date']}{srow}", Role.DATE, s["payment_date"][p].astype(object)),
                Cell(Kind.FORMULA, f"{ps}${_S['amount']}{srow}", Role.MONEY, _money(s["amount"][p])),
                Cell(Kind.FORMULA, f"YEAR(${L['payment_date']}{r})", Role.COUNT, int(w.year[p])),
                Cell(Kind.FORMULA, F.tax_table_row(year, sheet.years_range), Role.COUNT,
                     sheet.years.index(int(w.year[p])) + 1 if has else None)]
    if same_case:
        row += [None, None, None]
    else:
        row += [number(_money(inputs.ytd_wages[k]), Role.INPUT_MONEY),
                number(_money(inputs.ytd_supplemental_wages[k]), Role.INPUT_MONEY),
                number(Decimal(int(inputs.state_rate_ppm[k])) / RATE_SCALE, Role.FRACTION)
                if inputs.state_rate_given[k] else None]
    for name, ytd in (("wages_before", "ytd_wages"), ("supplemental_before", "ytd_supplemental_wages")):
        start = F.year_to_date_start(year, term, sheet.at(case_first, ytd, on_page, absolute_row=True))
        f = (F.running_before(f"{year}={sheet.at(i - 1, 'tax_year', on_page)}", sheet.at(i - 1, name, on_page),
                              sheet.at(i - 1, "amount", on_page), start) if same_case else start)
        row.append(Cell(Kind.FORMULA, f, Role.MONEY, _money(sheet.before[name][i])))
    refs = {"amount": f"${L['amount']}{r}", "table": f"${L['tax_table_row']}{r}",
            "wages_before": f"${L['wages_before']}{r}", "supplemental_before": f"${L['supplemental_before']}{r}",
            "state_withholding_rate": sheet.at(case_first, "state_withholding_rate", on_page, absolute_row=True),
            **{f: F.tax_figure(sheet.figure_range[f], f"${L['tax_table_row']}{r}") for f in TAX_FIGURES},
            **{t: f"${L[t]}{r}" for t in TAXES}}
    for name in TAXES:
        shown = has and (name != "state_withholding" or bool(w.state_given[p]))
        row.append(Cell(Kind.FORMULA, BUILDS[name](refs), Role.MONEY, _money(getattr(w, name)[p]) if shown else None))
    row.append(text(ESTIMATE if has else f"{missing_table_text((int(w.year[p]),))}: no estimate", Role.NOTE))
    return row


def totals_row(s: Mapping, w, pages: Pages) -> Row:
    """The totals over every page (on the last)."""
    total: Row = [text("Total (estimate)", Role.TOTAL)] + [None] * (len(COLUMNS) - 1)
    for name in ("amount", *TAXES):
        ranges = [pages.data_range(p, L[name]) for p in range(len(pages.titles))]
        cents = np.sum(s["amount"]) if name == "amount" else np.sum(np.where(w.has_table, getattr(w, name), 0))
        total[COLUMNS.index(name)] = Cell(Kind.FORMULA, F.total(ranges), Role.TOTAL, _money(cents))
    return total


def _running(s: Mapping, order: np.ndarray, cases: CaseTable, inputs) -> dict[str, np.ndarray]:
    """Per payment in `order`: the year's wages and supplemental wages before it (cents)."""
    case = np.asarray(s["case"])[order]
    paid = np.asarray(s["payment_date"], dtype="datetime64[D]")[order]
    amount = np.asarray(s["amount"], dtype=np.int64)[order]
    year = year_of(paid)
    term_year = year_of(cases.termination_date)[case]
    out = {"wages_before": np.zeros(len(order), dtype=np.int64),
           "supplemental_before": np.zeros(len(order), dtype=np.int64)}
    for i in range(len(order)):
        if i and case[i] == case[i - 1] and year[i] == year[i - 1]:
            for name in out:
                out[name][i] = out[name][i - 1] + amount[i - 1]
        elif year[i] == term_year[i]:
            out["wages_before"][i] = inputs.ytd_wages[case[i]]
            out["supplemental_before"][i] = inputs.ytd_supplemental_wages[case[i]]
    return out

