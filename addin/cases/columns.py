"""The case table's columns: which exist, which are required, which hold money."""

REQUIRED_COLUMNS = ("employee_id", "termination_date", "termination_reason", "base_salary")
MONEY_COLUMNS = ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                 "monthly_benefits_cost")
CASE_COLUMNS = ("employee_id", "employee_name", "termination_date", "termination_reason",
                "base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                "monthly_benefits_cost", "pay_frequency", "consented_to_change", "agreement")
# Optional payroll columns (issue 13): the withholding estimate and the Section 409A review.
PAYROLL_COLUMNS = ("ytd_wages", "ytd_supplemental_wages", "state_withholding_rate",
                   "specified_employee", "annualized_compensation")
# Dates outside these years are rejected: they are typing errors, not terminations.
FIRST_YEAR, LAST_YEAR = 1950, 2149
# Rows above the header an export may carry (a title block, a run date): the header is looked
# for in this many first rows.
HEADER_SEARCH_ROWS = 20
# An input column named like one of these is carried as input_<name>: the results write their
# own column of that name next to the input's (tests/cases checks every result column is here).
RESULT_COLUMNS = ("source_row", "status", "reason", "warnings", "bonus_proration",
                  "first_payday_number", "lump_sum_payment_date", "salary_continuation",
                  "prorated_bonus", "unpaid_bonus", "benefits_continuation", "cash_total",
                  "total_value", "lump_sum_due_date", "continuation_end_date", "benefits_end_date",
                  "installments", "first_installment_date", "installment_amount",
                  "last_installment_amount")
CARRIED_PREFIX = "input_"
