"""Excel formula text for every computed figure: the one place the agreement's rules are written
as spreadsheet formulas (used by payout reports and the shipped workbooks).

Each function takes references (cell addresses or defined names, as text) and returns formula
text without the leading '='. The formulas mirror the engine exactly: money is rounded to whole
cents with ROUND(...,0) over integer cents, so ties land half away from zero as in the engine.
Only functions of the Excel 2007 standard are used (no _xlfn. prefix needed anywhere).

clauses: eligibility, (i)-(iv), dates, paydays, status; columns: each `severance calc` column
as a cell shows it (CALC_CELLS), totals, warnings; reads: what each formula reads (FORMULAS,
WITHHOLDING_FORMULAS); inputs: typed input cells read as the case reader does; payroll: the
withholding and finance sheets' formulas. Callers use `from addin.excel import formulas as F`.
"""

from .clauses import (
    Refs, CELL_CHARACTERS, text, cents, eligible, salary_continuation, bonus_days,
    bonus_year_days, floor_applied, bonus_basis, prorated_bonus, bonus_proration,
    unpaid_bonus, benefits_continuation, cash_total, total_value, lump_sum_due_date,
    business_day_before, continuation_end_date, benefits_end_date, payday_count,
    installments, installment_amount, last_installment_amount, payday_date, payday_date_at,
    installment_payment, is_payment, payment_count, status, status_reason,
)
from .columns import (
    case_status, when_paid, first_payday_number, installment_date, first_installment_date,
    paid_bonus_proration, paid_lump_sum_due_date, paid_continuation_end_date,
    paid_benefits_end_date, shown, total, status_counts, CALC_CELLS, pay_frequency_applied,
    warnings, warnings_with_notes,
)
from .reads import (
    INPUTS, PARAMETERS, Reads, Formula, FORMULAS, WITHHOLDING_FORMULAS, reads,
    parameters_read,
)
from .inputs import (
    SPELLING_DROPPED, DIGITS, spelling_key_of, code_of_key, blank_input, only_digits,
    amount_text, amount_of, amount_problem, date_text, date_part, date_clock, field_before,
    field_after, real_day, date_of_fields, date_of, date_problem, flag_of, joined_nonblank,
    MONTH_WORDS, ORDINAL_SUFFIXES, words_of_date, word_before, words_after, month_of_word,
    without_ordinal, month_word_position, other_word, date_of_month_words, WEEKDAY_WORDS,
    without_weekday,
)
from .payroll import (
    RATE_PPM, rate_ppm, at_rate, tax_table_row, tax_figure, year_to_date_start,
    running_before, federal_withholding, social_security, employer_social_security,
    medicare, employer_medicare, additional_medicare, state_withholding, net_amount,
    month_start, sum_in_month, group_of, clock_without_zone,
)

__all__ = [
    "Refs", "CELL_CHARACTERS", "text", "cents", "eligible", "salary_continuation",
    "bonus_days", "bonus_year_days", "floor_applied", "bonus_basis", "prorated_bonus",
    "bonus_proration", "unpaid_bonus", "benefits_continuation", "cash_total", "total_value",
    "lump_sum_due_date", "business_day_before", "continuation_end_date",
    "benefits_end_date", "payday_count", "installments", "installment_amount",
    "last_installment_amount", "payday_date", "payday_date_at", "installment_payment",
    "is_payment", "payment_count", "status", "status_reason", "case_status", "when_paid",
    "first_payday_number", "installment_date", "first_installment_date",
    "paid_bonus_proration", "paid_lump_sum_due_date", "paid_continuation_end_date",
    "paid_benefits_end_date", "shown", "total", "status_counts", "CALC_CELLS",
    "pay_frequency_applied", "warnings", "warnings_with_notes", "INPUTS", "PARAMETERS",
    "Reads", "Formula", "FORMULAS", "WITHHOLDING_FORMULAS", "reads", "parameters_read",
    "SPELLING_DROPPED", "DIGITS", "spelling_key_of", "code_of_key", "blank_input",
    "only_digits", "amount_text", "amount_of", "amount_problem", "date_text", "date_part",
    "date_clock", "field_before", "field_after", "real_day", "date_of_fields", "date_of",
    "date_problem", "flag_of", "joined_nonblank", "MONTH_WORDS", "ORDINAL_SUFFIXES",
    "words_of_date", "word_before", "words_after", "month_of_word", "without_ordinal",
    "month_word_position", "other_word", "date_of_month_words", "WEEKDAY_WORDS",
    "without_weekday", "RATE_PPM", "rate_ppm", "at_rate", "tax_table_row", "tax_figure",
    "year_to_date_start", "running_before", "federal_withholding", "social_security",
    "employer_social_security", "medicare", "employer_medicare", "additional_medicare",
    "state_withholding", "net_amount", "month_start", "sum_in_month", "group_of",
    "clock_without_zone",
]
