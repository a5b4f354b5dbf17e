"""Payroll result columns: the withholding ESTIMATE per payment and per case, and the Section
409A review per case, as `severance schedule --withholding` and `severance calc --withholding
--section-409a` show them (and what the report and the functions should read).

Every figure comes from addin.rules.withholding and addin.rules.section409a; this module only
names the columns and says the codes in words.
"""

from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

import numpy as np
import pandas as pd

from ..cases.payroll_columns import payroll_inputs
from ..rules.case import CaseTable
from ..rules.engine import Payouts
from ..rules.money import format_cents_array
from ..rules.payments import payments
from ..rules.section409a import (SEPARATION_PAY, SHORT_TERM_DEFERRAL, SIX_MONTH_DELAY, Review,
                                 apply_six_month_delay, review)
from ..rules.tax import TaxYear, builtin_tax_years
from ..rules.withholding import CaseWithholding, PayrollInputs, Withholding, case_totals, withhold
from .tables import SCHEDULE_COLUMNS, calc_frame, iso_dates

WITHHOLDING_SCHEDULE_COLUMNS = (
    "federal_withholding", "social_security", "medicare", "additional_medicare",
    "state_withholding", "net_amount", "employer_social_security", "employer_medicare",
    "withholding_note",
)
WITHHOLDING_CALC_COLUMNS = ("withholding_total", "net_cash_total", "employer_taxes", "withholding_note")
SECTION_409A_COLUMNS = (
    "section_409a_status", "short_term_deferral_deadline", "short_term_deferral",
    "separation_pay_limit", "separation_pay_exempt", "subject_to_409a",
    "six_month_delay_payments", "section_409a_note",
)
# The payroll columns holding money and dates (for typed .xlsx output: one list, here).
PAYROLL_MONEY_COLUMNS = (*WITHHOLDING_SCHEDULE_COLUMNS[:-1], *WITHHOLDING_CALC_COLUMNS[:-1],
                         "short_term_deferral", "separation_pay_limit", "separation_pay_exempt",
                         "subject_to_409a")
PAYROLL_DATE_COLUMNS = ("short_term_deferral_deadline",)
ESTIMATE = "estimate"
BENEFITS_NOTE = "benefits continuation (iv) is not a cash payment and withholds nothing"
# The words of the review's outcomes, each with the regulation it rests on.
EXEMPT_SHORT_TERM = f"exempt: short-term deferral ({SHORT_TERM_DEFERRAL})"
EXEMPT_BOTH = f"exempt: short-term deferral ({SHORT_TERM_DEFERRAL}) and separation pay ({SEPARATION_PAY})"
PARTLY_SUBJECT = "partly subject to Section 409A"
BEFORE_409A = "separation before 2005: before Section 409A took effect"
ASSUMPTIONS = ("assumes calendar tax years, vesting at separation, each installment a separate "
               "payment")
GOOD_REASON_NOTE = ("confirm that the letter's Good Reason meets the good-reason safe harbor "
                    "(Treas. Reg. 1.409A-1(n)(2)(ii))")


class PayrollOptions(NamedTuple):
    withholding: bool = False
    section_409a: bool = False
    apply_409a_delay: bool = False

    def any(self) -> bool:
        return self.withholding or self.section_409a or self.apply_409a_delay


class Payroll(NamedTuple):
    """Everything the payroll outputs show, computed once per case table."""
    letter_schedule: dict[str, np.ndarray]  # the payments as the letter schedules them
    schedule: dict[str, np.ndarray]       # the same, the 409A delay applied if asked
    review: Review                        # per payment of letter_schedule
    withholding: Withholding              # per payment of `schedule`
    totals: CaseWithholding
    delay_applied: bool
    inputs: PayrollInputs                 # the case table's payroll columns (inputs.columns: which it has)


def compute_payroll(cases: CaseTable, payouts: Payouts, apply_409a_delay: bool = False,
                    tax_years: Mapping[int, TaxYear] | None = None) -> Payroll:
    """The withholding estimate and the 409A review of every case: the one entry point the
    CLI, the report and the functions share."""
    tax_years = builtin_tax_years() if tax_years is None else tax_years
    inputs = payroll_inputs(cases)
    letter = payments(payouts)
    result = review(letter, payouts.eligible, cases.termination_date, inputs, tax_years)
    schedule = apply_six_month_delay(letter, result, payouts) if apply_409a_delay else letter
    withholding = withhold(schedule, cases.termination_date, inputs, tax_years)
    totals = case_totals(withholding, schedule, len(cases))
    return Payroll(letter, schedule, result, withholding, totals, apply_409a_delay, inputs)


def missing_table_text(years: tuple[int, ...] | np.ndarray) -> str:
    return "; ".join(f"no tax table for {int(y)}" for y in years)


def schedule_payroll_frame(cases: CaseTable, payroll: Payroll, withholding: bool = True) -> pd.DataFrame:
    """Every payment (the 409A delay applied if asked), with the withholding columns."""
    s, w = payroll.schedule, payroll.withholding
    columns = {
        "employee_id": cases.employee_id[s["case"]], "component": s["component"], "clause": s["clause"],
        "nominal_date": iso_dates(s["nominal_date"]), "payment_date": iso_dates(s["payment_date"]),
        "amount": format_cents_array(s["amount"]),
    }
    names = list(SCHEDULE_COLUMNS)
    if withholding:
        for name in WITHHOLDING_SCHEDULE_COLUMNS[:-1]:
            shown = w.has_table & (w.state_given if name == "state_withholding" else True)
            columns[name] = format_cents_array(getattr(w, name), shown)
        note = np.full(len(w.year), ESTIMATE, dtype=object)
        for y in np.unique(w.year[~w.has_table]):
            note[~w.has_table & (w.year == y)] = f"{missing_table_text((y,))}: no estimate"
        columns["withholding_note"] = note
        names += list(WITHHOLDING_SCHEDULE_COLUMNS)
    return pd.DataFrame(columns, columns=names)


def withholding_calc_columns(payouts: Payouts, payroll: Payroll) -> dict[str, np.ndarray]:
    t = payroll.totals
    shown = payouts.eligible & t.complete
    note = np.where(payouts.eligible, ESTIMATE, "").astype(object)
    for k in np.flatnonzero(payouts.eligible & ~t.complete):
        note[k] = f"{note[k]}; {missing_table_text(t.missing_years[k])}"
    with_benefits = payouts.eligible & (payouts.benefits_continuation > 0)
    note[with_benefits] = note[with_benefits] + f"; {BENEFITS_NOTE}"
    return {
        "withholding_total": format_cents_array(t.withholding_total, shown),
        "net_cash_total": format_cents_array(t.net_cash_total, shown),
        "employer_taxes": format_cents_array(t.employer_taxes, shown),
        "withholding_note": note,
    }


def delayed_payments_text(payroll: Payroll, n: int) -> np.ndarray:
    """Per case: each payment a specified employee must wait for, 'YYYY-MM-DD amount; ...'."""
    r, letter = payroll.review, payroll.letter_schedule
    out = np.full(n, "", dtype=object)
    rows = np.flatnonzero(r.payment_delayed > 0)
    dates = iso_dates(letter["payment_date"][rows])
    amounts = format_cents_array(r.payment_delayed[rows])
    for k, d, a in zip(letter["case"][rows], dates, amounts):
        out[k] = f"{out[k]}; {d} {a}" if out[k] else f"{d} {a}"
    return out


def _review_words(cases: CaseTable, payouts: Payouts, payroll: Payroll) -> tuple[np.ndarray, np.ndarray]:
    """(section_409a_status, section_409a_note) per case row."""
    r = payroll.review
    n = len(payouts.eligible)
    status = np.full(n, "", dtype=object)
    note = np.full(n, "", dtype=object)
    for k in np.flatnonzero(payouts.eligible):
        notes = []
        if r.before_409a[k]:
            status[k] = BEFORE_409A
        elif not r.limit_known[k]:
            status[k] = "not reviewed"
            notes.append(f"no tax table for {int(r.separation_year[k])}: no 401(a)(17) limit "
                         "for the separation-pay exception")
        else:
            if r.subject_to_409a[k]:
                status[k] = PARTLY_SUBJECT
            else:
                status[k] = EXEMPT_BOTH if r.separation_pay_exempt[k] else EXEMPT_SHORT_TERM
            notes.append(ASSUMPTIONS)
            if r.subject_to_409a[k] and r.delayed_amount[k]:
                moved = "moved to the first payday after" if payroll.delay_applied else "due before"
                notes.append(f"specified employee: {format_cents_array(r.delayed_amount[k:k + 1])[0]} "
                             f"{moved} the six-month anniversary "
                             f"{iso_dates(r.six_month_anniversary[k:k + 1])[0]} ({SIX_MONTH_DELAY})")
            elif r.subject_to_409a[k]:
                notes.append("not a specified employee: no six-month delay")
            if cases.termination_reason[k] == "good_reason":
                notes.append(GOOD_REASON_NOTE)
        note[k] = "; ".join(notes)
    return status, note


def section_409a_calc_columns(cases: CaseTable, payouts: Payouts, payroll: Payroll) -> dict[str, np.ndarray]:
    r = payroll.review
    status, note = _review_words(cases, payouts, payroll)
    return {
        "section_409a_status": status,
        "short_term_deferral_deadline": iso_dates(r.short_term_deferral_deadline),
        "short_term_deferral": format_cents_array(r.short_term_deferral, r.reviewed),
        "separation_pay_limit": format_cents_array(r.separation_pay_limit, r.reviewed),
        "separation_pay_exempt": format_cents_array(r.separation_pay_exempt, r.reviewed),
        "subject_to_409a": format_cents_array(r.subject_to_409a, r.reviewed),
        "six_month_delay_payments": delayed_payments_text(payroll, len(payouts.eligible)),
        "section_409a_note": note,
    }


def calc_payroll_frame(cases: CaseTable, payouts: Payouts, payroll: Payroll,
                       options: PayrollOptions) -> pd.DataFrame:
    """The `severance calc` table with the payroll columns the options ask for."""
    frame = calc_frame(cases, payouts)
    extra: dict[str, np.ndarray] = {}
    if options.withholding:
        extra.update(withholding_calc_columns(payouts, payroll))
    if options.section_409a:
        extra.update(section_409a_calc_columns(cases, payouts, payroll))
    return frame.assign(**extra) if extra else frame


Table = Callable[[CaseTable, Payouts], pd.DataFrame]


def calc_table(options: PayrollOptions, plain: Table) -> Table:
    """The calc table the options ask for: `plain` itself when they ask for nothing."""
    if not options.any():
        return plain

    def table(cases: CaseTable, payouts: Payouts) -> pd.DataFrame:
        payroll = compute_payroll(cases, payouts, options.apply_409a_delay)
        return calc_payroll_frame(cases, payouts, payroll, options)
    return table


def schedule_table(options: PayrollOptions, plain: Table) -> Table:
    """The schedule table the options ask for: `plain` itself when they ask for nothing."""
    if not (options.withholding or options.apply_409a_delay):
        return plain

    def table(cases: CaseTable, payouts: Payouts) -> pd.DataFrame:
        payroll = compute_payroll(cases, payouts, options.apply_409a_delay)
        return schedule_payroll_frame(cases, payroll, options.withholding)
    return table
