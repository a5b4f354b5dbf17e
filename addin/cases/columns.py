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
