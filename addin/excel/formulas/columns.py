"""Each `severance calc` column as a workbook cell shows it (blank where the case pays
nothing), totals and counts, and the warnings in words (CALC_CELLS)."""

from __future__ import annotations


from .clauses import (
    CELL_CHARACTERS, Refs, benefits_continuation, benefits_end_date, bonus_proration,
    business_day_before, cash_total, cents, continuation_end_date, eligible,
    installment_amount, installments, last_installment_amount, lump_sum_due_date,
    payday_count, payday_date_at, prorated_bonus, salary_continuation, status_reason, text,
    total_value, unpaid_bonus,
)

# ---------------------------------------------------------------------------------------------
# Report cells: each `severance calc` column as a payout report writes it, blank ("") where the
# engine gives no figure, plus the few cells a report adds (schedule rows, totals, counts).
# `r["eligible"]` may be any true/false expression, e.g. a reference to the status cell.

def case_status(r: Refs) -> str:
    """paid or no_severance, from the inputs themselves (for a status cell that the other
    cells then read as r["eligible"]; rejected rows are never formulas)."""
    return f'IF({eligible(r)},"paid","no_severance")'


def when_paid(r: Refs, expr: str) -> str:
    """expr for a paid case, blank otherwise (dates and the proration exist only when paid)."""
    return f'IF({r["eligible"]},{expr},"")'


def first_payday_number(r: Refs) -> str:
    """Number of the first regular payday after termination, the first installment of (i).
    Counted in the spreadsheet's own calendar (months from year 0), so it differs from the
    engine's first_installment_index (months from 1970); only differences of it matter."""
    return payday_count(r["termination_date"], r)


def installment_date(j: str, r: Refs) -> str:
    """Date of installment j (1-based), counted from the first_payday_number cell."""
    return payday_date_at(f"({r['first_payday_number']}+{j}-1)", r)


def first_installment_date(r: Refs) -> str:
    """Payment date of the first installment (business-day adjusted), blank when none."""
    return (f'IF(AND({r["eligible"]},{r["installments"]}>0),'
            f'{business_day_before(installment_date("1", r), r)},"")')


def paid_bonus_proration(r: Refs) -> str:
    return when_paid(r, bonus_proration(r))


def paid_lump_sum_due_date(r: Refs) -> str:
    return when_paid(r, lump_sum_due_date(r))


def paid_continuation_end_date(r: Refs) -> str:
    return when_paid(r, continuation_end_date(r))


def paid_benefits_end_date(r: Refs) -> str:
    return when_paid(r, benefits_end_date(r))


def shown(ref: str) -> str:
    """A figure shown again elsewhere (a line item, a schedule row): the cell that computes it."""
    return ref


def total(ranges: list[str]) -> str:
    """Sum of the rows a filter leaves visible (all rows when unfiltered)."""
    return f"SUBTOTAL(109,{','.join(ranges)})"


def status_counts(input_rows: int, status_ranges: list[str]) -> str:
    """The statement 'N input rows = paid + no_severance + rejected', counted live."""
    def count(s: str) -> str:
        return "+".join(f'COUNTIF({x},"{s}")' for x in status_ranges)
    return (f'"{int(input_rows)} input rows = "&({count("paid")})&" paid + "'
            f'&({count("no_severance")})&" no_severance + "&({count("rejected")})&" rejected"')


# The formula of each report column; the keys are `severance calc` column names (plus the
# first_payday_number the schedule rows count from).
CALC_CELLS = {
    "status": case_status,
    "reason": status_reason,
    "salary_continuation": salary_continuation,
    "prorated_bonus": prorated_bonus,
    "unpaid_bonus": unpaid_bonus,
    "benefits_continuation": benefits_continuation,
    "cash_total": cash_total,
    "total_value": total_value,
    "bonus_proration": paid_bonus_proration,
    "lump_sum_due_date": paid_lump_sum_due_date,
    "continuation_end_date": paid_continuation_end_date,
    "benefits_end_date": paid_benefits_end_date,
    "installments": installments,
    "first_installment_date": first_installment_date,
    "installment_amount": installment_amount,
    "last_installment_amount": last_installment_amount,
    "first_payday_number": first_payday_number,
}


def pay_frequency_applied(frequency: str, r: Refs) -> str:
    """The pay frequency cell, or the agreement's default when it is blank (as a case table)."""
    return f"IF(ISBLANK({frequency}),{r['default_pay_frequency']},{frequency})"


def _amount_text(ref: str) -> str:
    """An amount as the engine writes it in words: two places, no thousands separator."""
    return f'TEXT({ref},"0.00")'


def _warning_parts(r: Refs) -> list[tuple[str, str]]:
    """Each warning as (condition, words), in the engine's order."""
    from ...results.words import WARNING_WORDS as say
    t, base, minimum = r["termination_date"], r["base_salary"], r["minimum_base_salary"]
    declared, paid = r["prior_year_bonus_declared"], r["prior_year_bonus_paid"]
    return [
        (f"{cents(base)}<{cents(minimum)}",
         f'{text(say["below_minimum"][0])}&{_amount_text(base)}&{text(say["below_minimum"][1])}'
         f'&{_amount_text(minimum)}'),
        (f"AND(NOT(ISBLANK({declared})),{cents(paid)}>{cents(declared)})",
         f'{text(say["paid_over_declared"][0])}&{_amount_text(paid)}'
         f'&{text(say["paid_over_declared"][1])}&{_amount_text(declared)}'
         f'&{text(say["paid_over_declared"][2])}'),
        (f"AND(ISBLANK({declared}),MONTH({t})<3)", text(say["early_undeclared"][0])),
    ]


def warnings(r: Refs) -> str:
    """The engine's warnings in its words ('; '-separated, blank for none): salary below the
    agreement's minimum, bonus received above the declared one, a termination before March 1
    with no bonus declared. (The engine also notes inputs it rounded to the cent; a formula
    reads the cell as typed, so it has no such note: see warnings_with_notes.)"""
    joined = "&".join(f'IF({condition},{words}&"; ","")' for condition, words in _warning_parts(r))
    return f'IF(({joined})="","",LEFT({joined},LEN({joined})-2))'


def warnings_with_notes(r: Refs) -> str:
    """The engine's whole warnings column: the warnings, then the notes made when the case
    table was read (r["input_notes"], a text cell such as "base_salary 1.005 rounded to 1.01").
    Each part leads with "; " and MID drops the first: the parts are written once (a report
    places this on every row)."""
    notes = r["input_notes"]
    parts = [f'IF({condition},"; "&{words},"")' for condition, words in _warning_parts(r)]
    parts.append(f'IF({notes}="","","; "&{notes})')
    return f'MID({"&".join(parts)},3,{CELL_CHARACTERS})'
