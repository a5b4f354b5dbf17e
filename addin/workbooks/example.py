"""The figures the engine computes for the worked example the shipped workbooks open with: the
cached values their formula cells are written with (so a workbook reads right where nothing
recalculates: pandas, openpyxl, Protected View, preview panes), and the what-if by month.

Every value comes from the engine (addin.cases.from_records, addin.rules.engine.compute,
addin.results.tables); nothing here computes a figure of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

import numpy as np

from ..cases import from_records
from ..results.words import reason_text, warning_text
from ..rules.engine import INPUT_NOTES, compute
from ..rules.payments import payments
from ..rules.terms import Agreement

MONEY = ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
         "cash_total", "total_value", "installment_amount", "last_installment_amount")
DATES = ("lump_sum_due_date", "lump_sum_payment_date", "continuation_end_date", "benefits_end_date",
         "first_installment_date")


@dataclass(frozen=True)
class Figures:
    """One case's figures as a spreadsheet holds them: money in dollars (float), dates as
    dates ('' where the engine gives none), the proration as its fraction, texts as the engine
    words them."""
    values: Mapping[str, object]
    # (component, installment number (0 for a lump sum), nominal date, payment date, dollars)
    payments: tuple[tuple[str, int, dt.date, dt.date, float], ...]
    case: Mapping[str, object]   # the inputs as the case reader read them


def _date(value) -> object:
    return "" if np.isnat(value) else value.astype("datetime64[D]").astype(object)


def engine_figures(records: Sequence[Mapping[str, object]], agreement: Agreement) -> list[Figures]:
    """The figures of each case (records as addin.cases.from_records takes them)."""
    agreements = {agreement.id: agreement}
    cases = from_records([{"employee_id": f"case {k}", **r} for k, r in enumerate(records)], agreements,
                         agreement.id)
    bad = [e for e in cases.errors if e]
    if bad:
        raise ValueError(f"the workbook example does not read as a case: {bad}")
    payouts = compute(cases, agreements)
    # A formula reads a cell as typed, so the workbooks show the warnings but no input notes.
    warned = warning_text(cases, _without_notes(payouts))
    reasons = reason_text(cases, payouts)
    every = payments(payouts)
    out = []
    for k in range(len(cases)):
        values: dict[str, object] = {name: int(getattr(payouts, name)[k]) / 100 for name in MONEY}
        values.update({name: _date(getattr(payouts, name)[k]) for name in DATES})
        eligible = bool(payouts.eligible[k])
        values.update(
            status=str(payouts.status[k]), reason=str(reasons[k]), warnings=str(warned[k]),
            eligible=eligible, installments=int(payouts.installments[k]),
            bonus_proration=(int(payouts.proration_num[k]) / int(payouts.proration_den[k])
                             if eligible else ""),
            pay_frequency_applied=str(cases.pay_frequency[k]))
        mine = every["case"] == k
        paid = tuple((str(c), int(n), d.astype(object), p.astype(object), int(a) / 100) for c, n, d, p, a in zip(
            every["component"][mine], every["installment"][mine], every["nominal_date"][mine],
            every["payment_date"][mine], every["amount"][mine]))
        case = {"termination_date": _date(cases.termination_date[k]),
                "termination_reason": str(cases.termination_reason[k]),
                "pay_frequency": str(cases.pay_frequency[k]),
                "consented_to_change": bool(cases.consented_to_change[k]),
                "prior_year_bonus_declared_present": bool(cases.bonus_declared[k])}
        for name in ("base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid", "monthly_benefits_cost"):
            case[name] = int(getattr(cases, name)[k]) / 100
        out.append(Figures(values, paid, case))
    return out


def _without_notes(payouts):
    return replace(payouts, warning_flags=payouts.warning_flags & ~INPUT_NOTES)


def month_starts(year: int) -> list[dt.date]:
    """The first of every month of `year`: the what-if's termination dates."""
    return [dt.date(year, month, 1) for month in range(1, 13)]


def what_if(inputs: Mapping[str, object], agreement: Agreement) -> list[Figures]:
    """The case `inputs` with its termination date moved to the first of every month of its
    termination year, through the engine."""
    year = inputs["termination_date"].year
    return engine_figures([{**inputs, "termination_date": day} for day in month_starts(year)], agreement)
