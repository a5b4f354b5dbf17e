"""What each formula reads: inputs (case cells), agreement parameters and other figures.
A workbook places those and hands their references to the formula (FORMULAS)."""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from .clauses import (
    benefits_continuation, benefits_end_date, bonus_proration, business_day_before,
    cash_total, continuation_end_date, eligible, installment_amount, installment_payment,
    installments, last_installment_amount, lump_sum_due_date, payday_date, payment_count,
    prorated_bonus, salary_continuation, status, status_reason, total_value, unpaid_bonus,
)
from .columns import (
    case_status, first_installment_date, first_payday_number, installment_date,
    paid_benefits_end_date, paid_bonus_proration, paid_continuation_end_date,
    paid_lump_sum_due_date, pay_frequency_applied, warnings, warnings_with_notes,
)
from .payroll import (
    additional_medicare, employer_medicare, employer_social_security, federal_withholding,
    medicare, net_amount, social_security, state_withholding,
)

# ---------------------------------------------------------------------------------------------
# What each formula reads. A workbook places a formula's inputs (case cells), its agreement
# parameters (defined names on an agreement sheet) and the figures it reads (other formula
# cells), and passes its arguments; tests/excel holds each declaration to the formula's text.

INPUTS = ("termination_date", "termination_reason", "base_salary", "prior_year_bonus_declared",
          "prior_year_bonus_paid", "monthly_benefits_cost", "pay_frequency",
          "consented_to_change", "input_notes")
PARAMETERS = ("salary_continuation_months", "bonus_floor_fraction", "benefits_continuation_months",
              "lump_sum_due_days", "default_pay_frequency", "minimum_base_salary",
              "biweekly_anchor", "holiday_dates")


class Reads(NamedTuple):
    inputs: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    arguments: tuple[str, ...] = ()  # passed before the refs, e.g. installment_date(j, refs)


class Formula(NamedTuple):
    build: Callable[..., str]
    reads: Reads


_T, _F, _B = "termination_date", "pay_frequency", "biweekly_anchor"
_DECLARED, _RECEIVED = "prior_year_bonus_declared", "prior_year_bonus_paid"
_PAID = ("eligible",)
FORMULAS: tuple[Formula, ...] = tuple(Formula(build, Reads(*reads)) for build, *reads in (
    (eligible, ("termination_reason", "consented_to_change")),
    (case_status, ("termination_reason", "consented_to_change")),
    (status, (), (), _PAID),
    (status_reason, ("termination_reason",), (), _PAID),
    (salary_continuation, ("base_salary",), ("salary_continuation_months",), _PAID),
    (prorated_bonus, (_T, _DECLARED, _RECEIVED), ("bonus_floor_fraction",), _PAID),
    (bonus_proration, (_T,), ("bonus_floor_fraction",)),
    (paid_bonus_proration, (_T,), ("bonus_floor_fraction",), _PAID),
    (unpaid_bonus, (_DECLARED, _RECEIVED), (), _PAID),
    (benefits_continuation, ("monthly_benefits_cost",), ("benefits_continuation_months",), _PAID),
    (cash_total, (), (), ("salary_continuation", "prorated_bonus", "unpaid_bonus")),
    (total_value, (), (), ("cash_total", "benefits_continuation")),
    (lump_sum_due_date, (_T,), ("lump_sum_due_days",)),
    (paid_lump_sum_due_date, (_T,), ("lump_sum_due_days",), _PAID),
    (continuation_end_date, (_T,), ("salary_continuation_months",)),
    (paid_continuation_end_date, (_T,), ("salary_continuation_months",), _PAID),
    (benefits_end_date, (_T,), ("benefits_continuation_months",)),
    (paid_benefits_end_date, (_T,), ("benefits_continuation_months",), _PAID),
    (installments, (_T, _F), ("salary_continuation_months", _B), _PAID),
    (installment_amount, (), (), ("installments", "salary_continuation")),
    (last_installment_amount, (), (), ("installments", "salary_continuation", "installment_amount")),
    (first_payday_number, (_T, _F), (_B,)),
    (first_installment_date, (_F,), (_B, "holiday_dates"),
     ("eligible", "installments", "first_payday_number")),
    (installment_date, (_F,), (_B,), ("first_payday_number",), ("j",)),
    (installment_payment, (), (), ("installments", "last_installment_amount", "installment_amount"),
     ("j",)),
    (payday_date, (_T, _F), (_B,), (), ("j",)),
    (business_day_before, (), ("holiday_dates",), (), ("date",)),
    (payment_count, (), (), ("installments", "prorated_bonus", "unpaid_bonus")),
    (pay_frequency_applied, (), ("default_pay_frequency",), (), ("frequency",)),
    (warnings, (_T, "base_salary", _DECLARED, _RECEIVED), ("minimum_base_salary",)),
    (warnings_with_notes, (_T, "base_salary", _DECLARED, _RECEIVED, "input_notes"),
     ("minimum_base_salary",)),
))
# What the withholding formulas read: the payment's cells (amount, the tax table's row, the
# year's wages before it) and the year's tax figures (cells of the sheet's tax-parameter block).
_PAYMENT = ("amount", "table")
WITHHOLDING_FORMULAS: tuple[Formula, ...] = tuple(Formula(build, Reads(figures=figures)) for build, figures in (
    (federal_withholding, (*_PAYMENT, "supplemental_before", "mandatory_threshold", "supplemental_flat_rate",
                           "mandatory_supplemental_rate")),
    (social_security, (*_PAYMENT, "wages_before", "social_security_wage_base", "social_security_employee_rate")),
    (employer_social_security, (*_PAYMENT, "wages_before", "social_security_wage_base",
                                "social_security_employer_rate")),
    (medicare, (*_PAYMENT, "medicare_employee_rate")),
    (employer_medicare, (*_PAYMENT, "medicare_employer_rate")),
    (additional_medicare, (*_PAYMENT, "wages_before", "additional_medicare_threshold", "additional_medicare_rate")),
    (state_withholding, (*_PAYMENT, "state_withholding_rate")),
    (net_amount, (*_PAYMENT, "federal_withholding", "social_security", "medicare", "additional_medicare",
                  "state_withholding")),
))

_DECLARED_READS = {f.build: f.reads for f in (*FORMULAS, *WITHHOLDING_FORMULAS)}


def reads(build: Callable[..., str]) -> Reads:
    """What the formula `build` reads (every formula of this module is declared)."""
    try:
        return _DECLARED_READS[build]
    except KeyError:
        raise KeyError(f"{getattr(build, '__name__', build)!r} is not a declared formula of "
                       "addin.excel.formulas") from None


def parameters_read(builds: Iterable[Callable[..., str]]) -> tuple[str, ...]:
    """The agreement parameters these formulas read, in PARAMETERS order: the defined names a
    workbook placing them needs."""
    wanted = {p for build in builds for p in reads(build).parameters}
    return tuple(p for p in PARAMETERS if p in wanted)
