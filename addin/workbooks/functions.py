"""The functions demo: the same case through the add-in's Excel functions (addin.udfs), each
beside the native formula of the same figure, so a reader sees them agree; then a small case
table through SEVERANCE_TABLE. Importing this module imports addin.udfs (and xlwings).

Every formula is written with its value: the native cells with the engine's figures, the
function cells with what the functions return (called here, as Python), so the sheet reads
right before the add-in is installed; Excel recalculates on opening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping, NamedTuple

from ..cases import CASE_COLUMNS
from ..excel import formulas as F
from ..excel.cells import Role
from ..results.tables import CALC_COLUMNS, COMPONENT_DATES, DATE_RESULTS, MONEY_RESULTS
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement, builtin_agreements
# ---- The one import point of addin.udfs' argument table (function argument -> case-table
# column, in the functions' argument order) and of the columns their results spill. When udfs
# holds its single argument table, change this import and nothing else.
from ..udfs import BREAKDOWN_COLUMNS, COLUMN_OF, SCHEDULE_COLUMNS as UDF_SCHEDULE_COLUMNS
from .. import udfs
from .agreement import agreement_sheet
from .calculator import schedule_rows
from .example import Figures, engine_figures
from .inputs import CASE_FORMATS, EXAMPLE, INPUT_LABELS, input_role, input_validation
from .plan import (BARE, FOOTER, GREY, HEAD_FILL, INPUT_FILL, NAVY, ROLE_FORMATS, Align, Edge, Highlight, Look,
                   Page, SheetPlan, Slot, TOP, Typeface, address, column, formula, letter, restyle, span, text, typed)
from .writer import write_book

UDF_COLUMNS: Mapping[str, str] = COLUMN_OF
UDF_ARGUMENTS = tuple(COLUMN_OF)
# ----

SHEET = "Functions"
CONF_SHEET = "xlwings.conf"   # xlwings reads its settings from a sheet of this name
CHECK_NOTE = "add-in not loaded"
UDF_BLUE, ALERT = "1F4E79", "C00000"
# Column H parts the breakdown from its native figures, and holds a case-table column below.
# Narrow enough that A:L prints one Letter page wide (landscape) with no text under 8 pt: long
# labels, the basis and the case table's headers wrap.
WIDTHS = dict(zip("ABCDEFGHIJKL", (2, 23.5, 17.5, 16.5, 11, 10.5, 18, 10.5, 11, 10.5, 9.5, 9.5)))
FIRST, INPUT, ARGUMENT = column("B"), column("C"), column("D")
# The bands span the breakdown (the one case) or the demo case table (the rest).
LAST_OF_CASE, LAST = FIRST + len(BREAKDOWN_COLUMNS) - 1, FIRST + len(CASE_COLUMNS) - 1

# The small case table of the SEVERANCE_TABLE demo: one case per way a case can go.
DEMO_CASES = (
    {"employee_id": "E1001", "employee_name": "Richard Bubenik", "termination_date": dt.date(2002, 6, 28),
     "termination_reason": "without_cause", "base_salary": 200000, "prior_year_bonus_declared": 100000,
     "prior_year_bonus_paid": 60000, "monthly_benefits_cost": 1450, "pay_frequency": "semimonthly"},
    {"employee_id": "E1002", "employee_name": "Maria Alvarez", "termination_date": dt.date(2024, 2, 29),
     "termination_reason": "good_reason", "base_salary": 245000, "prior_year_bonus_declared": 110000,
     "prior_year_bonus_paid": 55000, "monthly_benefits_cost": 1620.5, "pay_frequency": "biweekly",
     "consented_to_change": False},
    {"employee_id": "E1003", "employee_name": "James O'Connor", "termination_date": dt.date(2025, 7, 3),
     "termination_reason": "without_cause", "base_salary": 310000, "prior_year_bonus_paid": 150000,
     "monthly_benefits_cost": 1875.25, "pay_frequency": "weekly"},
    {"employee_id": "E1004", "employee_name": "Samuel Okafor", "termination_date": dt.date(2023, 3, 15),
     "termination_reason": "for_cause", "base_salary": 260000, "prior_year_bonus_declared": 80000,
     "prior_year_bonus_paid": 80000, "monthly_benefits_cost": 1500, "pay_frequency": "semimonthly"},
)

HEAD = Look(face=Typeface(9, bold=True), fill=HEAD_FILL, wrap=True)
HEADER_HEIGHT = 24   # a header row: two lines, for the headers that wrap
NATIVE = Look(face=Typeface(color=GREY))
CHECK = Look(face=Typeface(9))
CAPTION = Look(face=Typeface(9, name="Courier New"))


def udf_look(bold: bool = False, **changes) -> Look:
    return Look(face=Typeface(9, bold=bold, color=UDF_BLUE), edge=Edge.RULE, **changes)


AGREES = "agrees"


def check(udf: str, native: str, money: bool = True, spilled_at: str | None = None) -> str:
    """A cell that says whether a function's result equals the native formula's (to the cent
    for money), or that the add-in is not loaded (its cell, or the spill at `spilled_at`, is an
    error)."""
    same = f"ROUND({udf}-{native},2)=0" if money else f"{udf}={native}"
    return f'IF(ISERROR({spilled_at or udf}),"{CHECK_NOTE}",IF({same},"{AGREES}","DIFFERS"))'


def native_refs(cells: Mapping[str, str], agreement_refs: Mapping[str, str]) -> dict[str, str]:
    """Refs for addin.excel.formulas over case cells; derived figures are written out inline."""
    refs = dict(agreement_refs)
    refs.update(cells)
    refs["pay_frequency"] = F.pay_frequency_applied(cells["pay_frequency"], agreement_refs)
    refs["eligible"] = f"({F.eligible(refs)})"
    for key in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation"):
        refs[key] = f"({getattr(F, key)(refs)})"
    refs["cash_total"] = f"({F.cash_total(refs)})"
    refs["total_value"] = f"({F.total_value(refs)})"
    return refs


def column_looks(columns: tuple[str, ...], roles: Mapping[str, Role], bold: bool) -> dict[int, Look]:
    """The look of each column of a spilled result, by offset: its number format by role."""
    return {k: udf_look(bold, number_format=ROLE_FORMATS.get(roles.get(c))) for k, c in enumerate(columns)}


def spilled(plan: SheetPlan, row: int, rows: int, columns: tuple[str, ...], roles: Mapping[str, Role],
            call: str, returned: list[list[object]]) -> str:
    """A function's spilled result as a legacy array formula over a fixed range: every Excel
    since 2007 fills it with the function's rows (Excel 365 would spill the same formula typed
    into one cell), cached with the rows it `returned`. The header row is bold. Returns the range."""
    ref = plan.array(row, FIRST, rows, len(columns), call, column_looks(columns, roles, bold=False),
                     cached=returned)
    for k, look in column_looks(columns, roles, bold=True).items():
        plan.relook(row, FIRST + k, restyle(look, wrap=True))
    plan.heights[row] = HEADER_HEIGHT
    return ref


class Case(NamedTuple):
    """Where the one case's inputs are: refs for the native formulas, the functions' arguments;
    and, for the cached values, the arguments' values and the engine's figures."""
    refs: dict[str, str]
    args: str            # of SEVERANCE_TOTAL and SEVERANCE_BREAKDOWN
    schedule_args: str   # of SEVERANCE_SCHEDULE (the pay frequency too)
    values: dict[str, object]
    figures: Figures

    def call(self, function, schedule: bool = False):
        """What the add-in function returns for this case (its Python body, as Excel calls it)."""
        names = [a for a in UDF_ARGUMENTS if schedule or a != "pay_frequency"]
        return function(*(self.values[UDF_COLUMNS[a]] for a in names))


def excel_argument(value: object) -> object:
    """A cell's value as Excel hands it to a function: dates as datetimes, blanks as None."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _case(plan: SheetPlan, band: int, agreement: Agreement, agreement_refs: Mapping[str, str],
          layout: dict[str, str]) -> tuple[Case, int]:
    """The yellow cells of the case, one row per function argument; returns the case and the
    last row."""
    plan.band(band, FIRST, LAST_OF_CASE, "One case (change the yellow cells)")
    example = {**EXAMPLE, "agreement": agreement.id}
    agreement_ids = tuple(builtin_agreements())
    rows: dict[str, int] = {}
    for row, argument in enumerate(UDF_ARGUMENTS, start=band + 1):
        name = UDF_COLUMNS[argument]
        plan.put(row, FIRST, Slot(text(INPUT_LABELS[name]), Look(face=Typeface(bold=True))))
        plan.put(row, INPUT, Slot(typed(example[name], input_role(name)),
                                  Look(fill=INPUT_FILL, edge=Edge.INPUT, horizontal=Align.RIGHT)))
        plan.validations.append((input_validation(name, agreement_ids), address(row, INPUT)))
        plan.put(row, ARGUMENT, Slot(text(argument), Look(face=Typeface(9, color=GREY, name="Courier New"),
                                                          horizontal=Align.LEFT, indent=1)))
        rows[name] = row
        layout[f"input {name}"] = address(row, INPUT)
    cells = {name: address(row, INPUT, absolute=True) for name, row in rows.items()}
    refs = native_refs(cells, agreement_refs)

    def arguments(names) -> str:
        return ",".join(address(rows[UDF_COLUMNS[a]], INPUT) for a in names)
    per_case = [a for a in UDF_ARGUMENTS if a != "pay_frequency"]   # the schedule's alone
    values = {name: excel_argument(example[name]) for name in rows}
    figures = engine_figures([{k: v for k, v in example.items() if k != "agreement"}], agreement)[0]
    return Case(refs, arguments(per_case), arguments(UDF_ARGUMENTS), values, figures), max(rows.values())


def _headers(plan: SheetPlan, row: int, first: int, words: tuple[str, ...]) -> None:
    for k, word in enumerate(words):
        plan.put(row, first + k, Slot(text(word), HEAD))
    plan.heights[row] = HEADER_HEIGHT


def _total(plan: SheetPlan, band: int, case: Case, layout: dict) -> int:
    """SEVERANCE_TOTAL beside the native cash total; returns the last row."""
    plan.band(band, FIRST, LAST, "SEVERANCE_TOTAL: cash severance, (i) + (ii) + (iii)")
    call = f"SEVERANCE_TOTAL({case.args})"
    plan.put(band + 1, FIRST, Slot(text("=" + call), CAPTION))   # shown as text, never run
    _headers(plan, band + 2, FIRST, ("figure", "function", "native formula", "check"))
    row = band + 3
    plan.put(row, FIRST, Slot(text("cash_total")))
    udf = plan.put(row, FIRST + 1, Slot(formula(call, Role.MONEY, case.call(udfs.severance_total)),
                                        Look(face=Typeface(bold=True, color=UDF_BLUE))))
    native = plan.put(row, FIRST + 2, Slot(formula(F.cash_total(case.refs), Role.MONEY,
                                                   case.figures.values["cash_total"]), NATIVE))
    layout["cash_total"] = native
    plan.put(row, FIRST + 3, Slot(formula(check(udf, native), cached=AGREES), CHECK))
    plan.rule_below(row, FIRST, FIRST + 3)
    return row


def _breakdown(plan: SheetPlan, band: int, case: Case, layout: dict) -> int:
    """SEVERANCE_BREAKDOWN spilled, and beside each row its native amount and due date; returns
    the last row."""
    plan.band(band, FIRST, LAST, "SEVERANCE_BREAKDOWN: clauses (i)-(iv), totals and status")
    call = f"SEVERANCE_BREAKDOWN({case.args})"
    plan.put(band + 1, FIRST, Slot(text(f"{{={call}}}"), CAPTION))
    first, width = band + 2, len(BREAKDOWN_COLUMNS)
    due = {**COMPONENT_DATES, "cash_total": "lump_sum_due_date", "total_value": None}
    rows = 1 + len(due) + 1   # the header, the figures, the status
    roles = {"amount": Role.MONEY, "due_date": Role.DATE}
    spilled(plan, first, rows, BREAKDOWN_COLUMNS, roles, call, case.call(udfs.severance_breakdown))
    values = case.figures.values
    basis = FIRST + width - 1
    wrapped = (basis, FIRST + BREAKDOWN_COLUMNS.index("label"))
    for r in range(first + 1, first + rows):
        for k, look in column_looks(BREAKDOWN_COLUMNS, roles, bold=False).items():   # read from the top
            plan.relook(r, FIRST + k, restyle(look, vertical=Align.TOP, wrap=True if FIRST + k in wrapped else None))
        plan.heights[r] = 36   # the basis in up to three lines
    amount_col, native = FIRST + BREAKDOWN_COLUMNS.index("amount"), FIRST + width + 1
    _headers(plan, first, native, ("native amount", "native due date", "check"))
    for k, (key, date) in enumerate(due.items()):
        r = first + 1 + k
        layout[f"breakdown {key}"] = plan.put(r, native, Slot(formula(case.refs[key], Role.MONEY, values[key]),
                                                               NATIVE))
        if date:
            layout[f"breakdown {key} due"] = plan.put(r, native + 1, Slot(formula(
                f'IF({case.refs["eligible"]},{getattr(F, date)(case.refs)},"")', Role.DATE, values[date]), NATIVE))
        plan.put(r, native + 2, Slot(formula(check(address(r, amount_col), address(r, native)), cached=AGREES),
                                     CHECK))
    status = first + rows - 1
    layout["breakdown status"] = plan.put(status, native, Slot(formula(F.status(case.refs), cached=values["status"]),
                                                               NATIVE))
    label = address(status, FIRST + BREAKDOWN_COLUMNS.index("label"))
    plan.put(status, native + 2, Slot(formula(check(label, address(status, native), money=False), cached=AGREES),
                                      CHECK))
    for r in range(first + 1, first + rows):   # the native figures read from the top too
        for col in range(native, native + 3):
            if (r, col) in plan.slots:
                plan.relook(r, col, restyle(plan.slots[(r, col)].look, vertical=Align.TOP))
    return status


def _schedule(plan: SheetPlan, band: int, case: Case, agreement: Agreement, layout: dict) -> int:
    """SEVERANCE_SCHEDULE spilled, with its payment count and sum beside it, each checked
    against the native figure; returns the last row."""
    plan.band(band, FIRST, LAST, "SEVERANCE_SCHEDULE: every payment, in date order")
    call = f"SEVERANCE_SCHEDULE({case.schedule_args})"
    plan.put(band + 1, FIRST, Slot(text(f"{{={call}}}"), CAPTION))
    first = band + 2
    rows = 1 + 2 + schedule_rows(agreement)   # the header, two lump sums, the installments
    roles = {c: Role.DATE for c in UDF_SCHEDULE_COLUMNS if c.endswith("date")}
    spilled(plan, first, rows, UDF_SCHEDULE_COLUMNS, {**roles, "amount": Role.MONEY}, call,
            case.call(udfs.severance_schedule, schedule=True))
    count = len(case.figures.payments)
    amount_col = FIRST + UDF_SCHEDULE_COLUMNS.index("amount")
    amounts = span(first + 1, amount_col, first + rows - 1, amount_col)
    label = FIRST + len(BREAKDOWN_COLUMNS) + 1
    figures = (("payments", F.payment_count({**case.refs, "installments": F.installments(case.refs)}),
                Role.COUNT, f"COUNT({amounts})", count),
               ("sum of payments", case.refs["cash_total"], Role.MONEY, f'SUMIF({amounts},"<>#N/A")',
                case.figures.values["cash_total"]))
    for k, (words, expression, role, udf, value) in enumerate(figures):
        r = first + k
        plan.put(r, label, Slot(text(words), HEAD))
        native = plan.put(r, label + 1, Slot(formula(expression, role, value), NATIVE))
        layout[f"schedule {words}"] = native
        plan.put(r, label + 2, Slot(formula(check(udf, native, role is Role.MONEY,
                                                  spilled_at=address(first, FIRST)), cached=AGREES), CHECK))
    return first + rows - 1


def _table(plan: SheetPlan, band: int, agreement: Agreement, agreement_refs, layout: dict) -> int:
    """SEVERANCE_TABLE over a small case table, then the same cases with native formulas;
    returns the last row."""
    plan.band(band, FIRST, LAST, "SEVERANCE_TABLE: a whole case table at once")
    head = band + 1
    _headers(plan, head, FIRST, CASE_COLUMNS)
    for n, case in enumerate(DEMO_CASES, start=1):
        for k, name in enumerate(CASE_COLUMNS):
            fmt = CASE_FORMATS.get(name) if name != "employee_id" else None
            plan.put(head + n, FIRST + k, Slot(typed(case.get(name), input_role(name)),
                                               Look(face=Typeface(9), fill=INPUT_FILL, edge=Edge.RULE,
                                                    number_format=fmt)))
    last = head + len(DEMO_CASES)
    table = span(head, FIRST, last, FIRST + len(CASE_COLUMNS) - 1)
    call = f"SEVERANCE_TABLE({table})"
    plan.put(last + 1, FIRST, Slot(text(f"{{={call}}}"), CAPTION))
    first = last + 2
    roles = {**{c: Role.MONEY for c in MONEY_RESULTS}, **{c: Role.DATE for c in DATE_RESULTS},
             "bonus_proration": Role.FRACTION}
    table_cells = [list(CASE_COLUMNS)] + [[excel_argument(c.get(name)) for name in CASE_COLUMNS]
                                          for c in DEMO_CASES]
    spilled(plan, first, 1 + len(DEMO_CASES), CALC_COLUMNS, roles, call, udfs.severance_table(table_cells))
    demo = engine_figures(DEMO_CASES, agreement)
    top = first + len(DEMO_CASES) + 2
    plan.put(top, FIRST, Slot(text("The same cases with native formulas"),
                              Look(face=Typeface(10, bold=True, color=NAVY))))
    _headers(plan, top + 1, FIRST, ("employee_id", "status", "cash_total", "total_value", "check"))
    cash = FIRST + CALC_COLUMNS.index("cash_total")
    small_grey = Look(face=Typeface(9, color=GREY))
    for n in range(1, len(DEMO_CASES) + 1):
        r, source = top + 1 + n, head + n
        cells = {name: f"${letter(FIRST + k)}{source}" for k, name in enumerate(CASE_COLUMNS)}
        refs = native_refs(cells, agreement_refs)
        values = demo[n - 1].values
        plan.put(r, FIRST, Slot(formula(cells["employee_id"], cached=DEMO_CASES[n - 1]["employee_id"]), small_grey))
        plan.put(r, FIRST + 1, Slot(formula(F.status(refs), cached=values["status"]), small_grey))
        native = plan.put(r, FIRST + 2, Slot(formula(refs["cash_total"], Role.MONEY, values["cash_total"]),
                                             small_grey))
        plan.put(r, FIRST + 3, Slot(formula(refs["total_value"], Role.MONEY, values["total_value"]), small_grey))
        plan.put(r, FIRST + 4, Slot(formula(check(address(first + n, cash), native), cached=AGREES), CHECK))
        plan.rule_below(r, FIRST, FIRST + 4)
        layout[f"table {n}"] = address(source, FIRST)
        layout[f"table {n} native"] = address(r, FIRST)
    last = top + 1 + len(DEMO_CASES)
    everything = span(TOP, FIRST, last, FIRST + len(CALC_COLUMNS) - 1)
    plan.highlights.append(Highlight(everything, f'{address(TOP, FIRST)}="DIFFERS"',
                                     color=ALERT, bold=True))
    return last


def plan_functions(agreement: Agreement) -> tuple[list[SheetPlan], dict[str, str]]:
    """The Functions, Agreement and xlwings.conf sheets; and where the native-formula cells
    are (figure -> cell), for the test that holds them equal to the engine."""
    terms, agreement_refs = agreement_sheet(agreement)
    # One page wide, landscape; the breakdown, the schedule (which runs on) and the table each
    # start a page, the title repeated at the top of each. SEVERANCE_TABLE's spill prints its
    # columns through benefits_continuation; the native table beneath prints each case's key figures.
    plan = SheetPlan(SHEET, WIDTHS, grid_lines=False)
    across = LAST - FIRST + 1
    row = plan.stack(TOP, FIRST, (
        Slot(text("Severance functions"), Look(face=Typeface(18, bold=True, color=NAVY))),
        Slot(text("The add-in's Excel functions on one case and on a small case table, each beside the "
                  "native formula of the same figure."), Look(face=Typeface(10, bold=True, color=GREY)),
             span=across),
        Slot(text("Blue cells call the add-in (Windows Excel with xlwings; the xlwings.conf sheet points it "
                  "at addin.udfs). Without it they show #NAME? and the check column says "
                  f"\"{CHECK_NOTE}\"; the grey cells are native formulas and always calculate."),
             Look(face=Typeface(9, italic=True, color=GREY), wrap=True, vertical=Align.TOP), span=across)))
    plan.heights[TOP] = 26
    plan.heights[TOP + 2] = 26
    layout: dict[str, str] = {}
    case, row = _case(plan, row + 2, agreement, agreement_refs, layout)
    row = _total(plan, row + 2, case, layout)
    breakdown = row + 2
    row = _breakdown(plan, breakdown, case, layout)
    schedule = row + 2
    row = _schedule(plan, schedule, case, agreement, layout)
    table = row + 2
    last = _table(plan, table, agreement, agreement_refs, layout)
    plan.print_area = span(TOP, column("A"), last, column(max(WIDTHS)))
    plan.page = Page(landscape=True, letter=True, margins=(0.25, 0.5), footer=FOOTER, titles=f"{TOP}:{TOP}",
                     breaks=(breakdown, schedule, table))
    plan.active_cell = layout[f"input {UDF_COLUMNS[UDF_ARGUMENTS[0]]}"]
    return [plan, terms, _xlwings_conf()], layout


def _xlwings_conf() -> SheetPlan:
    """The settings the xlwings add-in reads for this workbook: key in A, value in B."""
    conf = SheetPlan(CONF_SHEET, {"A": 16, "B": 14}, print_area="A1:B1",
                     page=Page(letter=True, footer=FOOTER))
    conf.put(TOP, column("A"), Slot(text("UDF Modules"), BARE))
    conf.put(TOP, column("B"), Slot(text("addin.udfs"), BARE))
    conf.put(TOP, column("D"), Slot(text("Settings the xlwings add-in reads for this workbook: the Python "
                                       "module whose functions the blue cells call."),
                                  Look(face=Typeface(9, italic=True, color=GREY))))
    return conf


def build_functions(path: str | Path, agreement: Agreement | None = None) -> dict[str, str]:
    """Write the functions demo; returns where its native-formula cells are (figure -> cell)."""
    agreement = agreement or builtin_agreements()[DEFAULT_AGREEMENT_ID]
    plans, layout = plan_functions(agreement)
    write_book(path, plans)
    return layout
