"""The payment schedule: every payment of every paid case, from the engine's payouts."""

from __future__ import annotations

import numpy as np

from .calendar import business_day_before, payday_date

COMPONENT_CLAUSES = {"salary_continuation": "(i)", "prorated_bonus": "(ii)", "unpaid_bonus": "(iii)",
                     "benefits_continuation": "(iv)"}


def payments(payouts) -> dict[str, np.ndarray]:
    """Every payment of every paid case, one entry each, ordered by case then date.

    Keys: case (row position), component, clause, installment (1.. for (i), 0 for lump sums),
    nominal_date, payment_date, amount (cents). Zero amounts are not payments and are left out.
    """
    count = np.where(payouts.eligible, payouts.installments, 0)
    case = np.repeat(np.arange(len(count)), count)
    starts = np.cumsum(count) - count
    number = np.arange(len(case)) - np.repeat(starts, count)
    index = np.repeat(payouts.first_installment_index, count) + number
    frequency = payouts.frequency[case]
    nominal = payday_date(index, frequency, payouts.anchor[case])
    last = number == np.repeat(count, count) - 1
    amount = np.where(last, payouts.last_installment_amount[case], payouts.installment_amount[case])
    parts = {
        "case": [case], "component": [np.full(len(case), "salary_continuation", dtype=object)],
        "clause": [np.full(len(case), "(i)", dtype=object)], "installment": [number + 1],
        "nominal_date": [nominal], "amount": [amount],
    }
    for component in ("prorated_bonus", "unpaid_bonus"):
        values = getattr(payouts, component)
        rows = np.flatnonzero(payouts.eligible & (values > 0))
        parts["case"].append(rows)
        parts["component"].append(np.full(len(rows), component, dtype=object))
        parts["clause"].append(np.full(len(rows), COMPONENT_CLAUSES[component], dtype=object))
        parts["installment"].append(np.zeros(len(rows), dtype=np.int64))
        parts["nominal_date"].append(payouts.lump_sum_due_date[rows])
        parts["amount"].append(values[rows])
    out = {key: np.concatenate(value) for key, value in parts.items()}
    out["payment_date"] = business_day_before(out["nominal_date"], payouts.calendar[out["case"]])
    clause_order = np.select([out["clause"] == "(i)", out["clause"] == "(ii)"], [0, 1], 2)
    order = np.lexsort((clause_order, out["nominal_date"].astype(np.int64), out["case"]))
    return {key: value[order] for key, value in out.items()}
