"""Excel functions: the severance formulas finance types into cells, registered through xlwings.

An adapter, like the CLI: each function reads Excel's cell values (addin.udf_values), builds
cases with addin.cases, computes them with addin.rules.engine and formats the figures with
addin.results.tables (the withholding estimate: addin.udf_withholding). No rule of the agreement
lives here, and no number of it: the descriptions state the default agreement's terms as loaded,
and every argument is described once, in ARGUMENTS. One module serves every runtime: the desktop
xlwings add-in (COM), and xlwings Lite / xlwings Server (Office.js custom functions).

Every per-case function also takes ranges: give it columns (all the same shape, single values
are repeated) and it spills one result per row, computed in one pass of the engine.
"""

import inspect
import logging
import os
import re
import sys
import datetime as dt
from functools import lru_cache, wraps
from typing import Annotated, Callable, Literal, NamedTuple

import xlwings as xw

from .cases import CASE_COLUMNS, REQUIRED_COLUMNS, CaseFileError, from_records, prepare_frame, validate
from .cases.columns import PAYROLL_COLUMNS
from .results.tables import CALC_COLUMNS, PAYDAY_RESULTS, calc_frame, calc_text, line_items, schedule_frame
from .rules.calendar import PAY_FREQUENCIES
from .rules.case import REASONS
from .rules.engine import compute
from .rules.terms import DEFAULT_AGREEMENT_ID, load_agreements
from .udf_values import (TableCells, cell_rows, date_cell, excel_column, excel_date, excel_number,
                         flag_cell, money_cell, plain, rate_cell, table_frame)
from .udf_withholding import net_cash, no_estimate_message, withholding_rows

logger = logging.getLogger(__name__)

# What `from addin.udfs import *` brings into an xlwings Lite main.py or an xlwings Server
# custom-functions module: the functions, each registering itself there.
__all__ = ["severance_total", "severance_net", "severance_breakdown", "severance_schedule",
           "severance_table", "salary_continuation", "prorated_bonus", "unpaid_bonus",
           "benefits_continuation", "bonus_proration", "severance_eligible"]

# Which xlwings runtime registered these functions: "officejs" (xlwings Lite and xlwings Server,
# XLWINGS_ON_SERVER=true), "com" (the Windows desktop add-in) or "python" (imported elsewhere:
# the decorators change nothing and the functions are plain Python).
RUNTIME = {"xlwings.udfs": "com"}.get(
    xw.func.__module__, "officejs" if xw.func.__module__.startswith("xlwings.pro") else "python")

# The built-in agreements, plus those of the TOML file SEVERANCE_TERMS names (same format as
# `severance --terms`), read once when the functions load.
AGREEMENTS = load_agreements(os.environ.get("SEVERANCE_TERMS") or None)

# The terms an empty agreement argument stands for, in the words the descriptions use: each
# parameter of the agreement by its name, plus these. The agreement is named by its id, not its
# title, which a terms file may make too long for the 255 characters of a description.
DEFAULT_TERMS = AGREEMENTS[DEFAULT_AGREEMENT_ID]
TERMS_WORDS = {
    **dict(DEFAULT_TERMS.parameters()),
    "default_agreement": DEFAULT_AGREEMENT_ID,
    "bonus_floor_percent": f"{(DEFAULT_TERMS.bonus_floor_fraction * 100).normalize():f}%",
}

CATEGORY = "Severance"
ERROR = "#VALUE!"  # a cell of a spilled result whose case is invalid

# Allowed values, offered as a dropdown where the runtime can: a Literal type gives Office.js an
# enum. The desktop add-in has no dropdowns, and its converter lookup cannot take a Literal.
if RUNTIME == "officejs":
    Reason = Annotated[Literal[REASONS], {"tooltips": {
        "without_cause": "terminated without cause",
        "good_reason": "resigned for Good Reason",
        "for_cause": "terminated for cause",
        "resignation": "resigned without Good Reason"}}]
    PayFrequency = Literal[PAY_FREQUENCIES]
    AgreementId = Literal[tuple(sorted(AGREEMENTS))]
else:
    Reason = PayFrequency = AgreementId = str


class SeveranceError(xw.XlwingsError):
    """A result the cell cannot show, in a one-line message. Office.js runtimes show it as
    #VALUE! with this message on the cell's error flag."""


class SeveranceInputError(SeveranceError):
    """A bad argument; the message names it."""


class NoEstimateError(SeveranceError):
    """No withholding estimate: a payment falls in a year without a tax table (named)."""


# ---------------------------------------------------------------------------------------------
# The arguments: one table for every function that takes them.

class Argument(NamedTuple):
    """One argument of the Excel functions, the same in every function that takes it."""
    name: str              # the function parameter, as a formula names it
    column: str | None     # the case-table column it fills (None: a whole case table, or a switch)
    description: str       # what the function wizard and the Office.js tooltip say, then `empty`
    empty: str | None      # what an empty cell or a left-out argument stands for (None: needed)
    excel_type: object = inspect.Parameter.empty  # its annotation (a Literal: a dropdown)
    read: Callable = plain  # its cell as a plain value for addin.cases (see addin.udf_values)

    @property
    def doc(self) -> str:
        return self.description + ("." if self.empty is None else f" (empty = {self.empty}).")


def _either(values) -> str:
    return f"{', '.join(values[:-1])} or {values[-1]}"


# In the order the per-case functions take them (SEVERANCE_NET takes every one that fills a
# case-table column), then the switch of SEVERANCE_BREAKDOWN and the case table of SEVERANCE_TABLE.
ARGUMENTS = (
    Argument("termination_date", "termination_date",
             "Date employment ends: a date cell, a date serial or text YYYY-MM-DD",
             empty=None, read=date_cell),
    Argument("reason", "termination_reason", f"Termination reason: {_either(REASONS)}",
             empty=None, excel_type=Reason),
    Argument("base_salary", "base_salary", "Annual base salary at termination (greater than 0)",
             empty=None, read=money_cell),
    Argument("bonus_declared", "prior_year_bonus_declared", "Prior-year bonus declared",
             empty="none was declared", read=money_cell),
    Argument("bonus_paid", "prior_year_bonus_paid", "Part of the prior-year bonus already received",
             empty="0", read=money_cell),
    Argument("monthly_benefits", "monthly_benefits_cost", "Monthly cost of the benefits being received",
             empty="0", read=money_cell),
    Argument("consented", "consented_to_change",
             "Good Reason only: TRUE if the employee consented to the change", empty="FALSE"),
    Argument("agreement", "agreement", "Agreement id: built in, or from the SEVERANCE_TERMS file",
             empty=f"{DEFAULT_AGREEMENT_ID}, the default", excel_type=AgreementId),
    Argument("pay_frequency", "pay_frequency", f"Pay frequency: {_either(PAY_FREQUENCIES)}",
             empty=f"the agreement's own, {DEFAULT_TERMS.default_pay_frequency} under "
                   f"{DEFAULT_AGREEMENT_ID}", excel_type=PayFrequency),
    Argument("withholding", None, "TRUE to add the estimated withholding_total, net_cash_total "
             "and employer_taxes rows", empty="FALSE"),
    Argument("ytd_wages", "ytd_wages",
             "Withholding estimate: Social Security and Medicare wages paid in the termination "
             "year before the first severance payment", empty="0", read=money_cell),
    Argument("ytd_supplemental_wages", "ytd_supplemental_wages",
             "Withholding estimate: supplemental wages (bonuses and the like) paid in the "
             "termination year before the first severance payment", empty="0", read=money_cell),
    Argument("state_withholding_rate", "state_withholding_rate",
             "Withholding estimate: the state income tax withholding rate as a decimal, such as "
             "0.0660 for 6.60%", empty="no state withholding", read=rate_cell),
    Argument("cases", None, f"The case table with its header row: {', '.join(REQUIRED_COLUMNS)} "
             "and the optional case-table columns", empty=None),
)
ARGUMENT = {a.name: a for a in ARGUMENTS}
# argument -> case-table column: the severance case's (every one SEVERANCE_SCHEDULE takes), and
# the withholding estimate's (SEVERANCE_NET takes both, in this order)
COLUMN_OF = {a.name: a.column for a in ARGUMENTS if a.column in CASE_COLUMNS}
PAYROLL_COLUMN_OF = {a.name: a.column for a in ARGUMENTS if a.column in PAYROLL_COLUMNS}
ARGUMENT_OF = {column: argument for argument, column in {**COLUMN_OF, **PAYROLL_COLUMN_OF}.items()}


# ---------------------------------------------------------------------------------------------
# Registering: descriptions from the agreement's terms and the argument table, and errors the
# way each runtime can show them.

def _desktop_errors(f):
    """COM can hand Excel an error value but no message with it: there, a bad argument gives
    #VALUE! (which SUM and lookups propagate, unlike text) and the message goes to the log and
    the xlwings console. Other runtimes raise SeveranceInputError."""
    if RUNTIME != "com":
        return f
    from pythoncom import VT_ERROR
    from win32com.client import VARIANT
    value_error = VARIANT(VT_ERROR, -2146826273)  # #VALUE!, as VBA's CVErr(xlErrValue)

    @wraps(f)
    def wrapper(*args):
        try:
            result = f(*args)
        except SeveranceError as exc:
            logger.warning("%s: %s", f.__name__.upper(), exc)
            print(f"{f.__name__.upper()}: {exc}", file=sys.stderr)
            return value_error
        if isinstance(result, list):
            return [[value_error if cell == ERROR else cell for cell in row] for row in result]
        return result
    return wrapper


def _excel_function(convert=None, **ret):
    """Register the function in Excel's Severance category. Its docstring, filled in with
    TERMS_WORDS, is its description; each parameter is described by ARGUMENTS and taken as
    Excel sends it (raw: a value or rows of values), since the functions read dates, amounts
    and blanks themselves, the same in every runtime. `convert`, `ret`: as xw.ret's."""
    def register(f):
        f.__doc__ = f.__doc__.format_map(TERMS_WORDS)  # before xlwings reads it, on the first xw.arg
        parameters = inspect.signature(f).parameters.values()
        for p in parameters:
            argument = ARGUMENT[p.name]
            if p.annotation != argument.excel_type or p.default not in (p.empty, None) \
                    or (p.default is None and argument.empty is None):
                raise TypeError(f"{f.__name__}({p}) does not declare {p.name} as ARGUMENTS does")
        if convert is not None or ret:
            f = xw.ret(convert, **ret)(f)
        for p in parameters:
            f = xw.arg(p.name, "raw", doc=ARGUMENT[p.name].doc)(f)
        return xw.func(category=CATEGORY)(_desktop_errors(f))
    return register


# ---------------------------------------------------------------------------------------------
# The cases of one call, made from the argument ranges.

def _message(error: str) -> str:
    """A case-table message ("row 1, base_salary: ...") worded for the function's argument."""
    text = re.sub(r"^row \d+, ", "", error)
    column, sep, rest = text.partition(": ")
    return f"{ARGUMENT_OF.get(column, column)}{sep}{rest}"


class _Cases:
    """The cases of one call: one per cell of the argument ranges, computed in one pass."""

    def __init__(self, function: str, arguments: dict, single: bool = False, paydays: bool = True):
        grids = {name: cell_rows(value) for name, value in arguments.items()}
        shape, shaped_by = (1, 1), None
        for name, grid in grids.items():
            width = max(len(row) for row in grid)
            if any(len(row) != width for row in grid):
                raise SeveranceInputError(f"{name}: the rows of the range differ in length")
            if (len(grid), width) == (1, 1):
                continue
            if single:
                raise SeveranceInputError(
                    f"{name}: {function} computes one case, so give it one cell, not a "
                    f"{len(grid)}x{width} range (SEVERANCE_TABLE takes a whole case table)")
            if shaped_by is not None and (len(grid), width) != shape:
                raise SeveranceInputError(
                    f"{name}: its {len(grid)}x{width} range does not match the "
                    f"{shape[0]}x{shape[1]} range of {shaped_by}")
            shape, shaped_by = (len(grid), width), name
        inputs = [(ARGUMENT[name], grid) for name, grid in grids.items()]
        records = []
        for i in range(shape[0]):
            for j in range(shape[1]):
                record = {"employee_id": str(len(records) + 1)}
                for argument, grid in inputs:
                    cell = grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid[i][j]
                    record[argument.column] = argument.read(cell)
                records.append(record)
        self.shape = shape
        self.cases = from_records(records, AGREEMENTS)
        self.payouts = compute(self.cases, AGREEMENTS, paydays=paydays)
        self.scalar = shape == (1, 1)
        if self.scalar and self.cases.errors[0]:
            raise SeveranceInputError("; ".join(_message(e) for e in self.cases.errors[0]))

    def results(self, values: list) -> object:
        """One value per case, shaped like the arguments; invalid cases give #VALUE!."""
        values = [ERROR if errors else value for value, errors in zip(values, self.cases.errors)]
        if self.scalar:
            return values[0]
        width = self.shape[1]
        return [values[i * width:(i + 1) * width] for i in range(self.shape[0])]

    def column(self, name: str) -> object:
        """A `severance calc` column as Excel values, one per case."""
        return self.results(excel_column(name, calc_text(self.cases, self.payouts, name).to_pylist()))


# Inputs a clause function does not take. Each clause's amount depends only on its own inputs
# (the engine's (i)-(iv)), so any valid value does here; the reason makes the case eligible.
_STAND_IN = {"termination_date": "2002-02-08", "reason": "without_cause", "base_salary": "1"}


def _calc_column(column: str | None = None):
    """A function whose result is the `severance calc` column `column` (by default the one named
    like the function) of the cases its arguments make; the inputs it does not take stand in."""
    def define(f):
        signature, function = inspect.signature(f), f.__name__.upper()
        names = tuple(signature.parameters)
        needed = sum(p.default is p.empty for p in signature.parameters.values())
        defaults = {p.name: p.default for p in signature.parameters.values() if p.default is not p.empty}

        @wraps(f)
        def computed(*args, **kwargs):
            if not kwargs and needed <= len(args) <= len(names):  # as Excel calls it: positionally
                given = dict(zip(names, args))
                given.update((name, defaults[name]) for name in names[len(args):])
            else:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                given = bound.arguments
            arguments = {**_STAND_IN, **given}
            if all(type(v) in _SCALARS for v in arguments.values()):  # Excel recalculates these often
                key = tuple((name, type(v), v) for name, v in arguments.items())
                return _scalar_column(function, column or f.__name__, key)
            name = column or f.__name__
            return _Cases(function, arguments, paydays=name in PAYDAY_RESULTS).column(name)
        return computed
    return define


_SCALARS = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})


@lru_cache(maxsize=4096)
def _scalar_column(function: str, column: str, key: tuple) -> object:
    """One case's calc column: a pure function of the cell values (and their types), memoized."""
    return _Cases(function, {name: value for name, _, value in key},
                  paydays=column in PAYDAY_RESULTS).column(column)


# ---------------------------------------------------------------------------------------------
# The functions. Their docstrings, filled in with the default agreement's terms (TERMS_WORDS),
# are the descriptions Excel shows (one line: the desktop add-in keeps 255 characters). A function
# of a docstring alone answers the calc column its @_calc_column names. Results with dates ask
# for ISO formatting where the runtime can.

@_excel_function()
@_calc_column("cash_total")
def severance_total(termination_date, reason: Reason, base_salary, bonus_declared, bonus_paid,
                    monthly_benefits=None, consented=None, agreement: AgreementId = None):
    """Cash severance: salary continuation (i) + prorated bonus (ii) + unpaid declared bonus (iii). 0 when no severance is due."""


@_excel_function()
def severance_net(termination_date, reason: Reason, base_salary, bonus_declared, bonus_paid,
                  monthly_benefits=None, consented=None, agreement: AgreementId = None,
                  pay_frequency: PayFrequency = None, ytd_wages=None, ytd_supplemental_wages=None,
                  state_withholding_rate=None):
    """ESTIMATE of the net cash severance: the cash total (i)+(ii)+(iii) less the federal, Social Security, Medicare and state tax withheld from each payment as supplemental wages. 0 when no severance is due; an error names a year without a tax table."""
    cases = _Cases("SEVERANCE_NET", locals())  # locals(): just the arguments yet
    net = net_cash(cases.cases, cases.payouts)
    if cases.scalar and net.missing[0]:
        raise NoEstimateError(no_estimate_message(net.missing[0]))
    return cases.results([ERROR if missing else value for value, missing in zip(*net)])


BREAKDOWN_COLUMNS = ("clause", "component", "label", "amount", "due_date", "basis")


@_excel_function(date_format="yyyy-mm-dd")
def severance_breakdown(termination_date, reason: Reason, base_salary, bonus_declared, bonus_paid,
                        monthly_benefits=None, consented=None, agreement: AgreementId = None,
                        withholding=None, ytd_wages=None, ytd_supplemental_wages=None,
                        state_withholding_rate=None):
    """Itemized severance of one case, spilled: a row per clause (i)-(iv) with label, amount, due date and basis, then cash_total, total_value and the status. withholding TRUE adds the withholding ESTIMATE, net cash and employer taxes."""
    arguments = locals()  # just the arguments yet
    try:
        show_withholding = flag_cell(arguments.pop("withholding"))
    except ValueError as exc:
        raise SeveranceInputError(f"withholding: {exc}") from None
    one = _Cases("SEVERANCE_BREAKDOWN", arguments, single=True)
    calc = calc_frame(one.cases, one.payouts).iloc[0]
    items = line_items(one.cases, one.payouts, 0, AGREEMENTS[one.cases.agreement[0]])
    rows = [list(BREAKDOWN_COLUMNS)]
    rows += [[i.clause, i.component, i.label, float(i.amount), i.due_date or "", i.basis] for i in items]
    rows.append(["(i)+(ii)+(iii)", "cash_total", "Cash severance", excel_number(calc["cash_total"]),
                 excel_date(calc["lump_sum_due_date"]), "lump sums (ii) and (iii) due on this date"])
    rows.append(["(i)-(iv)", "total_value", "Total value with benefits",
                 excel_number(calc["total_value"]), "", ""])
    if show_withholding:
        rows += withholding_rows(one.cases, one.payouts)
    rows.append(["", "status", calc["status"], "", "", calc["reason"] or calc["warnings"]])
    return rows


SCHEDULE_COLUMNS = ("payment_date", "component", "clause", "amount", "nominal_date")


@_excel_function(date_format="yyyy-mm-dd")
def severance_schedule(termination_date, reason: Reason, base_salary, bonus_declared, bonus_paid,
                       monthly_benefits=None, consented=None, agreement: AgreementId = None,
                       pay_frequency: PayFrequency = None):
    """Every severance payment of one case, spilled in date order: payment date, component, clause, amount and the payday it stands for. Only the header when nothing is due."""
    one = _Cases("SEVERANCE_SCHEDULE", locals(), single=True)  # locals(): just the arguments yet
    frame = schedule_frame(one.cases, one.payouts)
    rows = [list(SCHEDULE_COLUMNS)]
    rows += [[excel_date(p), c, k, excel_number(a), excel_date(d)] for p, c, k, a, d in zip(
        frame["payment_date"], frame["component"], frame["clause"], frame["amount"],
        frame["nominal_date"])]
    return rows


@_excel_function(TableCells if RUNTIME == "officejs" else None, date_format="yyyy-mm-dd")
def severance_table(cases):
    """Severance for a whole case table (header row + one row per employee), spilled with the `severance calc` columns: one row per case, bad rows rejected with their reason."""
    try:
        table = validate(prepare_frame(table_frame(cell_rows(cases)), "cases"), AGREEMENTS)
    except CaseFileError as exc:
        raise SeveranceInputError(str(exc)) from None
    calc = calc_frame(table, compute(table, AGREEMENTS))
    columns = [excel_column(name, calc[name].tolist()) for name in CALC_COLUMNS]
    return [list(CALC_COLUMNS)] + [list(row) for row in zip(*columns)]


@_excel_function()
@_calc_column()
def salary_continuation(base_salary, agreement: AgreementId = None):
    """Clause (i): the base salary continued after a termination without cause or for Good Reason, for the agreement's months ({salary_continuation_months} under {default_agreement}, the default)."""


@_excel_function()
@_calc_column()
def prorated_bonus(termination_date, bonus_declared, bonus_paid, agreement: AgreementId = None):
    """Clause (ii): the prior-year bonus (declared, or received if larger) prorated from January 1 through termination, never less than the agreement's floor ({bonus_floor_percent} of it under {default_agreement}, the default)."""


@_excel_function()
@_calc_column()
def unpaid_bonus(bonus_declared, bonus_paid):
    """Clause (iii): the part of the prior-year declared bonus not yet received (0 if none was declared)."""


@_excel_function()
@_calc_column()
def benefits_continuation(monthly_benefits, agreement: AgreementId = None):
    """Clause (iv): the value of the benefits continued after termination, for the agreement's months ({benefits_continuation_months} under {default_agreement}, the default). Not part of the cash total."""


@_excel_function()
@_calc_column()
def bonus_proration(termination_date, agreement: AgreementId = None):
    """The fraction of the prior-year bonus clause (ii) pays: days from January 1 through termination over the days in the year, at least the agreement's floor ({bonus_floor_fraction} under {default_agreement}, the default); six decimals."""


@_excel_function()
def severance_eligible(reason: Reason, consented=None):
    """TRUE if severance is due: terminated without cause, or resigned for Good Reason without having consented to the change."""
    cases = _Cases("SEVERANCE_ELIGIBLE", {**_STAND_IN, "reason": reason, "consented": consented},
                   paydays=False)
    return cases.results([bool(e) for e in cases.payouts.eligible])
