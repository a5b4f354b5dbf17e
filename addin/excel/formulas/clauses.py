"""The clauses as Excel formula text: eligibility, (i)-(iv), totals, dates, paydays and
installments, status and reason. Each function takes references (cell addresses or defined
names, as text) and returns formula text without the leading '='."""

from __future__ import annotations

from typing import Mapping

Refs = Mapping[str, str]
CELL_CHARACTERS = 32_767  # the most a cell holds


def text(value: str) -> str:
    """A text literal (Excel limits one literal to 255 characters)."""
    if len(value) > 255:
        raise ValueError(f"a formula text literal is limited to 255 characters: {value[:40]!r}...")
    return '"' + value.replace('"', '""') + '"'


def cents(ref: str) -> str:
    """An amount cell as whole cents (exact integer in floating point)."""
    return f"ROUND({ref}*100,0)"


def eligible(r: Refs) -> str:
    """Without cause, or Good Reason without the employee's prior consent."""
    return (f'OR({r["termination_reason"]}="without_cause",'
            f'AND({r["termination_reason"]}="good_reason",NOT({r["consented_to_change"]}=TRUE)))')


def _paid(r: Refs, amount: str) -> str:
    return f"IF({r['eligible']},{amount},0)"


def salary_continuation(r: Refs) -> str:
    """(i) base_salary x months / 12."""
    return _paid(r, f"ROUND({cents(r['base_salary'])}*{r['salary_continuation_months']}/12,0)/100")


def bonus_days(r: Refs) -> str:
    t = r["termination_date"]
    return f"{t}-DATE(YEAR({t}),1,1)+1"


def bonus_year_days(r: Refs) -> str:
    t = r["termination_date"]
    return f"DATE(YEAR({t})+1,1,1)-DATE(YEAR({t}),1,1)"


def floor_applied(r: Refs) -> str:
    # days/year_days < floor, compared without dividing: days x 10^6 < floor x 10^6 x year_days
    return (f"({bonus_days(r)})*1000000<ROUND({r['bonus_floor_fraction']}*1000000,0)"
            f"*({bonus_year_days(r)})")


def bonus_basis(r: Refs) -> str:
    """(ii) basis: the bonus declared, or the amount received where that is larger (cents)."""
    return f"MAX({cents(r['prior_year_bonus_declared'])},{cents(r['prior_year_bonus_paid'])})"


def prorated_bonus(r: Refs) -> str:
    """(ii) basis x max(days / year days, floor)."""
    # Integer cents times an integer, then one division: the quotient is correctly rounded, so
    # a true half cent stays exactly half and ROUND takes it away from zero, as the engine does.
    floor_micro = f"ROUND({r['bonus_floor_fraction']}*1000000,0)"
    basis = bonus_basis(r)
    return _paid(r, f"ROUND(IF({floor_applied(r)},{basis}*{floor_micro}/1000000,"
                    f"{basis}*({bonus_days(r)})/({bonus_year_days(r)})),0)/100")


def bonus_proration(r: Refs) -> str:
    """The fraction applied to the bonus basis: the proration, or the floor."""
    return (f"IF({floor_applied(r)},ROUND({r['bonus_floor_fraction']}*1000000,0)/1000000,"
            f"({bonus_days(r)})/({bonus_year_days(r)}))")


def unpaid_bonus(r: Refs) -> str:
    """(iii) declared - received, not below zero (a blank declared bonus counts as none)."""
    return _paid(r, f"MAX({cents(r['prior_year_bonus_declared'])}-{cents(r['prior_year_bonus_paid'])},0)/100")


def benefits_continuation(r: Refs) -> str:
    """(iv) monthly_benefits_cost x months."""
    return _paid(r, f"{cents(r['monthly_benefits_cost'])}*{r['benefits_continuation_months']}/100")


def cash_total(r: Refs) -> str:
    return f"{r['salary_continuation']}+{r['prorated_bonus']}+{r['unpaid_bonus']}"


def total_value(r: Refs) -> str:
    return f"{r['cash_total']}+{r['benefits_continuation']}"


def lump_sum_due_date(r: Refs) -> str:
    return f"{r['termination_date']}+{r['lump_sum_due_days']}"


def business_day_before(date: str, r: Refs) -> str:
    """The date itself on a business day, else the business day before it."""
    return f"WORKDAY({date}+1,-1,{r['holiday_dates']})"


def continuation_end_date(r: Refs) -> str:
    return f"EDATE({r['termination_date']},{r['salary_continuation_months']})"


def benefits_end_date(r: Refs) -> str:
    return f"EDATE({r['termination_date']},{r['benefits_continuation_months']})"


def _month_number(d: str) -> str:
    return f"(YEAR({d})*12+MONTH({d})-1)"


def payday_count(d: str, r: Refs) -> str:
    """Index of the first regular payday after d, by pay frequency (as
    addin.rules.calendar.payday_count)."""
    is_last = f"({d}=EOMONTH({d},0))"
    semimonthly = f"(2*{_month_number(d)}+({'DAY(' + d + ')'}>=15)+{is_last})"
    monthly = f"({_month_number(d)}+{is_last})"
    weekly = f"(INT(({d}-{r['biweekly_anchor']})/7)+1)"
    biweekly = f"(INT(({d}-{r['biweekly_anchor']})/14)+1)"
    f = r["pay_frequency"]
    return (f'IF({f}="semimonthly",{semimonthly},IF({f}="monthly",{monthly},'
            f'IF({f}="weekly",{weekly},{biweekly})))')


def installments(r: Refs) -> str:
    """Number of regular paydays in (termination_date, continuation_end_date]."""
    end = continuation_end_date(r)
    return _paid(r, f"{payday_count(end, r)}-{payday_count(r['termination_date'], r)}")


def installment_amount(r: Refs) -> str:
    """Equal installments to the cent; rounds down where rounding up would overshoot."""
    n, total = r["installments"], cents(r["salary_continuation"])
    up = f"ROUND({total}/{n},0)"
    return (f"IF({n}>0,IF(({n}-1)*{up}>{total},INT({total}/{n}),{up})/100,0)")


def last_installment_amount(r: Refs) -> str:
    n = r["installments"]
    return f"IF({n}>0,({cents(r['salary_continuation'])}-({n}-1)*{cents(r['installment_amount'])})/100,0)"


def payday_date(j: str, r: Refs) -> str:
    """Date of installment j (1-based) of clause (i), before business-day adjustment."""
    return payday_date_at(f"({payday_count(r['termination_date'], r)}+{j}-1)", r)


def payday_date_at(i: str, r: Refs) -> str:
    """Date of regular payday number i (see addin.rules.calendar.payday_date)."""
    m = f"INT({i}/2)"
    semimonthly = (f"IF(MOD({i},2)=0,DATE(INT({m}/12),MOD({m},12)+1,15),"
                   f"EOMONTH(DATE(INT({m}/12),MOD({m},12)+1,1),0))")
    monthly = f"EOMONTH(DATE(INT({i}/12),MOD({i},12)+1,1),0)"
    weekly = f"{r['biweekly_anchor']}+7*{i}"
    biweekly = f"{r['biweekly_anchor']}+14*{i}"
    f = r["pay_frequency"]
    return (f'IF({f}="semimonthly",{semimonthly},IF({f}="monthly",{monthly},'
            f'IF({f}="weekly",{weekly},{biweekly})))')


def installment_payment(j: str, r: Refs) -> str:
    """Amount of installment j: equal installments, the last absorbing the rounding."""
    n = r["installments"]
    return (f"IF({j}>{n},0,IF({j}={n},{r['last_installment_amount']},{r['installment_amount']}))")


def is_payment(amount: str) -> str:
    """Whether a lump sum is a payment of the schedule: a zero amount is not one (as in
    addin.rules.payments.payments); TRUE or FALSE."""
    return f"{amount}>0"


def payment_count(r: Refs) -> str:
    """Payments in the schedule: the installments of (i), and each lump sum (ii), (iii) that is
    a payment (is_payment)."""
    return f"{r['installments']}+({is_payment(r['prorated_bonus'])})+({is_payment(r['unpaid_bonus'])})"


# The `severance calc` status and reason columns (added for the shipped calculator).

def status(r: Refs) -> str:
    """The engine's status column, paid or no_severance (for inputs that are valid)."""
    return f'IF({r["eligible"]},"paid","no_severance")'


def status_reason(r: Refs) -> str:
    """Why no severance is due, in the engine's words; blank when severance is paid."""
    from ...results.words import NOT_ELIGIBLE_REASONS as why
    t = r["termination_reason"]
    return (f'IF({r["eligible"]},"",IF({t}="for_cause",{text(why["for_cause"])},'
            f'IF({t}="resignation",{text(why["resignation"])},'
            f'IF({t}="good_reason",{text(why["good_reason_consented"])},""))))')
