"""Withholding and net pay: an ESTIMATE of what each severance payment withholds, and what
reaches the employee, from the payment schedule and the year's tax table.

Every cash payment of (i), (ii) and (iii) is supplemental wages; benefits continuation (iv) is
not a cash payment and withholds nothing. Per payment, in payment-date order within each
calendar year (cumulative figures start from the case's ytd_* columns in the termination year,
from 0 in later years):
  federal_withholding   flat rate on the part of the year's supplemental wages up to the
                        mandatory threshold ($1,000,000), mandatory rate on the part above
  social_security       employee rate on the part of the payment under the year's wage base
  medicare              employee rate on all of it
  additional_medicare   rate on the part of the year's wages above the threshold
  state_withholding     state_withholding_rate x the payment, where given
  employer_social_security, employer_medicare: the employer's shares, likewise
Each tax of each payment is rounded once to the cent, half away from zero. A payment in a year
without a tax table has no estimate (has_table False): nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .calendar import civil
from .tax import RATE_SCALE, TaxYear


@dataclass(frozen=True)
class PayrollInputs:
    """The case table's payroll columns, per case row (see addin.cases.payroll_columns)."""
    ytd_wages: np.ndarray                # cents; 0 where blank
    ytd_supplemental_wages: np.ndarray   # cents; 0 where blank
    state_rate_ppm: np.ndarray           # state_withholding_rate in parts per million; 0 where blank
    state_rate_given: np.ndarray         # False where state_withholding_rate is blank
    specified_employee: np.ndarray       # False where blank
    annualized_compensation: np.ndarray  # cents; base_salary where blank
    columns: tuple[str, ...] = ()        # the payroll columns the case table has

    def __len__(self) -> int:
        return len(self.ytd_wages)


@dataclass(frozen=True)
class Withholding:
    """The estimate per payment, aligned with the schedule it was computed from (cents)."""
    year: np.ndarray
    has_table: np.ndarray                # False: no tax table for the payment's year
    federal_withholding: np.ndarray
    social_security: np.ndarray
    medicare: np.ndarray
    additional_medicare: np.ndarray
    state_withholding: np.ndarray
    state_given: np.ndarray              # False: no state_withholding_rate for the case
    net_amount: np.ndarray
    employer_social_security: np.ndarray
    employer_medicare: np.ndarray

    def employee_total(self) -> np.ndarray:
        return (self.federal_withholding + self.social_security + self.medicare
                + self.additional_medicare + self.state_withholding)

    def employer_total(self) -> np.ndarray:
        return self.employer_social_security + self.employer_medicare


def apply_rate(cents: np.ndarray, ppm: np.ndarray) -> np.ndarray:
    """cents x rate (parts per million), rounded once to the cent, half away from zero."""
    return (2 * cents * ppm + RATE_SCALE) // (2 * RATE_SCALE)


def year_of(dates: np.ndarray) -> np.ndarray:
    return civil(dates)[0].astype(np.int64)


def _table_columns(years: np.ndarray, tax_years: Mapping[int, TaxYear]):
    """(has_table, figure -> per-payment integer array) for the payments' years."""
    known = np.array(sorted(tax_years), dtype=np.int64)
    where = np.searchsorted(known, years)
    has_table = np.zeros(len(years), dtype=bool)
    if len(known):
        has_table = known[np.minimum(where, len(known) - 1)] == years
    where = np.where(has_table, where, len(known))   # the last entry: 0, for years without a table

    def figure(name: str, rate: bool) -> np.ndarray:
        values = [tax_years[int(y)].rate_ppm(name) if rate else tax_years[int(y)].cents(name) for y in known]
        return np.array(values + [0], dtype=np.int64)[where]
    return has_table, figure


def payment_order(case: np.ndarray, paid: np.ndarray) -> np.ndarray:
    """Positions in (case, payment date) order, ties in schedule order. The schedule is
    usually in that order already: then no sort is needed."""
    key = case.astype(np.int64) * (1 << 20) + (paid.view(np.int64) + (1 << 19))
    if len(key) < 2 or bool(np.all(key[1:] >= key[:-1])):
        return np.arange(len(key))
    return np.argsort(key, kind="stable")


def _running_before(case: np.ndarray, year: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Per sorted payment: the sum of the earlier payments of its (case, calendar year)."""
    running = np.cumsum(amount) - amount
    first = np.ones(len(case), dtype=bool)
    first[1:] = (case[1:] != case[:-1]) | (year[1:] != year[:-1])
    group = np.cumsum(first) - 1
    return running - running[first][group]


def withhold(schedule: Mapping[str, np.ndarray], termination_date: np.ndarray,
             inputs: PayrollInputs, tax_years: Mapping[int, TaxYear]) -> Withholding:
    """The withholding estimate of every payment of `schedule` (addin.rules.payments' keys)."""
    n = len(schedule["amount"])
    case_all = np.asarray(schedule["case"], dtype=np.int64)
    paid_all = np.asarray(schedule["payment_date"], dtype="datetime64[D]")
    # Payment-date order within each case (and so within each calendar year); ties keep the
    # schedule's order.
    order = payment_order(case_all, paid_all)
    case, year = case_all[order], year_of(paid_all[order])
    amount = np.asarray(schedule["amount"], dtype=np.int64)[order]

    in_termination_year = year == year_of(termination_date)[case]
    before = _running_before(case, year, amount)
    wages_before = before + np.where(in_termination_year, inputs.ytd_wages[case], 0)
    supplemental_before = before + np.where(in_termination_year, inputs.ytd_supplemental_wages[case], 0)
    wages_after = wages_before + amount
    has_table, figure = _table_columns(year, tax_years)

    threshold = figure("mandatory_threshold", False)
    flat_part = np.clip(np.minimum(supplemental_before + amount, threshold) - supplemental_before, 0, None)
    # One rounding for the payment's federal tax, even when the $1M crossing splits it in two.
    federal = (2 * (flat_part * figure("supplemental_flat_rate", True)
                    + (amount - flat_part) * figure("mandatory_supplemental_rate", True))
               + RATE_SCALE) // (2 * RATE_SCALE)

    wage_base = figure("social_security_wage_base", False)
    under_base = np.clip(np.minimum(wages_after, wage_base) - wages_before, 0, None)
    over_threshold = np.clip(wages_after - np.maximum(wages_before, figure("additional_medicare_threshold", False)),
                             0, None)
    state_given = inputs.state_rate_given[case]
    values = {
        "federal_withholding": federal,
        "social_security": apply_rate(under_base, figure("social_security_employee_rate", True)),
        "medicare": apply_rate(amount, figure("medicare_employee_rate", True)),
        "additional_medicare": apply_rate(over_threshold, figure("additional_medicare_rate", True)),
        "state_withholding": np.where(has_table & state_given, apply_rate(amount, inputs.state_rate_ppm[case]), 0),
        "employer_social_security": apply_rate(under_base, figure("social_security_employer_rate", True)),
        "employer_medicare": apply_rate(amount, figure("medicare_employer_rate", True)),
    }
    values["net_amount"] = np.where(has_table, amount - values["federal_withholding"] - values["social_security"]
                                    - values["medicare"] - values["additional_medicare"]
                                    - values["state_withholding"], 0)
    values["has_table"], values["state_given"], values["year"] = has_table, state_given, year
    if np.array_equal(order, np.arange(n)):
        return Withholding(**values)
    back = np.empty(n, dtype=np.int64)
    back[order] = np.arange(n)
    return Withholding(**{key: value[back] for key, value in values.items()})


@dataclass(frozen=True)
class CaseWithholding:
    """Per case row: the sums of its payments' estimates (cents), and what is missing."""
    withholding_total: np.ndarray
    employer_taxes: np.ndarray
    net_cash_total: np.ndarray
    complete: np.ndarray                 # every payment of the case has a tax table
    missing_years: tuple[tuple[int, ...], ...]


def case_totals(withholding: Withholding, schedule: Mapping[str, np.ndarray], n_cases: int) -> CaseWithholding:
    """Sums per case in exact integer arithmetic; a case with any payment in a year without a
    table has no totals (complete False) and lists the years."""
    case = np.asarray(schedule["case"], dtype=np.int64)
    sums = {}
    for name, values in (("withholding_total", withholding.employee_total()),
                         ("employer_taxes", withholding.employer_total()),
                         ("cash", np.asarray(schedule["amount"], dtype=np.int64))):
        total = np.zeros(n_cases, dtype=np.int64)
        np.add.at(total, case, values)
        sums[name] = total
    missing = np.zeros(n_cases, dtype=bool)
    missing[case[~withholding.has_table]] = True
    years: list[set[int]] = [set() for _ in range(n_cases)]
    pairs = np.unique(np.stack([case[~withholding.has_table], withholding.year[~withholding.has_table]]), axis=1)
    for k, y in pairs.T:
        years[int(k)].add(int(y))
    return CaseWithholding(
        withholding_total=sums["withholding_total"], employer_taxes=sums["employer_taxes"],
        net_cash_total=sums["cash"] - sums["withholding_total"], complete=~missing,
        missing_years=tuple(tuple(sorted(y)) for y in years),
    )

