"""The report's payroll and finance sheets as Excel formulas: withholding per payment over
the tax figures, and sums by month and group (WITHHOLDING_FORMULAS declares what they read)."""

from __future__ import annotations

from typing import Iterable

from .clauses import Refs, cents

# ---------------------------------------------------------------------------------------------
# The report's payroll and finance sheets (Net pay (estimate), Cash flow, By group, Journal):
# formulas over the Payment schedule's and the Summary's cells and a tax-parameter block. They
# read no agreement parameter (no defined name), only the cells the sheet modules pass.

RATE_PPM = 1_000_000  # a rate cell as integer parts per million, as addin.rules.tax holds it


def rate_ppm(ref: str) -> str:
    return f"ROUND({ref}*{RATE_PPM},0)"


def at_rate(cents_expr: str, rate_ref: str) -> str:
    """cents x rate, rounded once to the cent half away from zero, in dollars."""
    return f"ROUND(({cents_expr})*{rate_ppm(rate_ref)}/{RATE_PPM},0)/100"


def tax_table_row(year: str, years_range: str) -> str:
    """The row of the payment's year in the tax-parameter block ("" where there is none)."""
    return f'IFERROR(MATCH({year},{years_range},0),"")'


def tax_figure(column_range: str, table_row: str) -> str:
    return f"INDEX({column_range},{table_row})"


def year_to_date_start(year: str, termination_date: str, year_to_date: str) -> str:
    """Wages before a case's first payment of a year: the case's year-to-date figure in the
    termination year, 0 in later years (a blank counts as 0)."""
    return f"IF({year}=YEAR({termination_date}),N({year_to_date}),0)"


def running_before(same_case_and_year: str, previous_before: str, previous_amount: str,
                   start: str) -> str:
    """Wages of the year before this payment: the previous payment's, plus it, while the case
    and the year stay the same; else the year's start."""
    return f"IF({same_case_and_year},{previous_before}+{previous_amount},{start})"


def _no_table(r: Refs, expr: str) -> str:
    return f'IF({r["table"]}="","",{expr})'


def _cut(before: str, amount: str, limit: str) -> str:
    """The part of a payment (cents) below a cumulative limit (cents)."""
    return f"MAX(0,MIN({before}+{amount},{limit})-{before})"


def federal_withholding(r: Refs) -> str:
    """The flat supplemental rate on the year's supplemental wages up to the threshold, the
    mandatory rate above it, one rounding for the payment."""
    amount, before = cents(r["amount"]), cents(r["supplemental_before"])
    flat = _cut(before, amount, cents(r["mandatory_threshold"]))
    return _no_table(r, f"ROUND(({flat}*{rate_ppm(r['supplemental_flat_rate'])}+({amount}-{flat})"
                        f"*{rate_ppm(r['mandatory_supplemental_rate'])})/{RATE_PPM},0)/100")


def social_security(r: Refs, rate: str = "social_security_employee_rate") -> str:
    """The rate on the part of the payment under the year's wage base."""
    under = _cut(cents(r["wages_before"]), cents(r["amount"]), cents(r["social_security_wage_base"]))
    return _no_table(r, at_rate(under, r[rate]))


def employer_social_security(r: Refs) -> str:
    return social_security(r, "social_security_employer_rate")


def medicare(r: Refs, rate: str = "medicare_employee_rate") -> str:
    return _no_table(r, at_rate(cents(r["amount"]), r[rate]))


def employer_medicare(r: Refs) -> str:
    return medicare(r, "medicare_employer_rate")


def additional_medicare(r: Refs) -> str:
    """The rate on the part of the year's wages above the withholding threshold."""
    before, amount = cents(r["wages_before"]), cents(r["amount"])
    over = f"MAX(0,{before}+{amount}-MAX({before},{cents(r['additional_medicare_threshold'])}))"
    return _no_table(r, at_rate(over, r["additional_medicare_rate"]))


def state_withholding(r: Refs) -> str:
    """The case's state rate x the payment, where a rate is given."""
    return _no_table(r, f'IF({r["state_withholding_rate"]}="","",'
                        f'{at_rate(cents(r["amount"]), r["state_withholding_rate"])})')


def net_amount(r: Refs) -> str:
    """The payment less every tax withheld from it."""
    taxes = "+".join(f"N({r[name]})" for name in ("federal_withholding", "social_security", "medicare",
                                                  "additional_medicare", "state_withholding"))
    return _no_table(r, f"ROUND(({cents(r['amount'])}-ROUND(({taxes})*100,0)),0)/100")


def month_start(first_of_month: str) -> str:
    return f"DATE(YEAR({first_of_month}),MONTH({first_of_month})+1,1)"


def sum_in_month(amounts: str, dates: str, first_of_month: str, criteria: Iterable[tuple[str, str]] = ()) -> str:
    """SUMIFS of `amounts` whose date falls in the month starting `first_of_month`, with any
    further (range, criterion) pairs."""
    extra = "".join(f",{rng},{crit}" for rng, crit in criteria)
    return (f'SUMIFS({amounts},{dates},">="&{first_of_month},{dates},"<"&{month_start(first_of_month)}'
            f"{extra})")


def group_of(ref: str) -> str:
    """A case-table cell as the group it falls in: its text trimmed, "(blank)" where empty."""
    return f'IF(TRIM({ref}&"")="","(blank)",TRIM({ref}&""))'


def clock_without_zone(clock: str) -> str:
    """A time of day without the time zone after it (Z, +02:00, -0500), which the reader passes over."""
    return (f'IF(RIGHT({clock},1)="Z",TRIM(LEFT({clock},LEN({clock})-1)),'
            f'IFERROR(TRIM(LEFT({clock},FIND("+",{clock})-1)),IFERROR(TRIM(LEFT({clock},FIND("-",{clock})-1)),{clock})))')


