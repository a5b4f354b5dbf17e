"""Excel formula text for every computed figure: the one place the agreement's rules are written
as spreadsheet formulas (used by payout reports and the shipped calculator workbook).

Each function takes references (cell addresses or defined names, as text) and returns formula
text without the leading '='. The formulas mirror the engine exactly: money is rounded to whole
cents with ROUND(...,0) over integer cents, so ties land half away from zero as in the engine.
Only functions of the Excel 2007 standard are used (no _xlfn. prefix needed anywhere).

`refs` maps each name a formula reads to a reference: INPUTS (case cells), PARAMETERS (the
agreement's defined names) and the figures other formula cells compute (salary_continuation,
...); FORMULAS declares what each formula reads. CALC_CELLS gives the formula of every
`severance calc` column as a report places it.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, NamedTuple

Refs = Mapping[str, str]


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


def _payday_count(d: str, r: Refs) -> str:
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
    return _paid(r, f"{_payday_count(end, r)}-{_payday_count(r['termination_date'], r)}")


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
    return payday_date_at(f"({_payday_count(r['termination_date'], r)}+{j}-1)", r)


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


def payment_count(r: Refs) -> str:
    """Payments in the schedule: the installments of (i), and each lump sum (ii), (iii) that is
    not zero (a zero amount is not a payment, as in addin.rules.payments.payments)."""
    return f"{r['installments']}+({r['prorated_bonus']}>0)+({r['unpaid_bonus']}>0)"


# The `severance calc` status and reason columns (added for the shipped calculator).

def status(r: Refs) -> str:
    """The engine's status column, paid or no_severance (for inputs that are valid)."""
    return f'IF({r["eligible"]},"paid","no_severance")'


def status_reason(r: Refs) -> str:
    """Why no severance is due, in the engine's words; blank when severance is paid."""
    from ..results.words import NOT_ELIGIBLE_REASONS as why
    t = r["termination_reason"]
    return (f'IF({r["eligible"]},"",IF({t}="for_cause",{text(why["for_cause"])},'
            f'IF({t}="resignation",{text(why["resignation"])},'
            f'IF({t}="good_reason",{text(why["good_reason_consented"])},""))))')


# ---------------------------------------------------------------------------------------------
# Report cells: each `severance calc` column as a payout report writes it, blank ("") where the
# engine gives no figure, plus the few cells a report adds (schedule rows, totals, counts).
# `r["eligible"]` may be any true/false expression, e.g. a reference to the status cell.

def text(value: str) -> str:
    """A text literal (Excel limits one literal to 255 characters)."""
    if len(value) > 255:
        raise ValueError(f"a formula text literal is limited to 255 characters: {value[:40]!r}...")
    return '"' + value.replace('"', '""') + '"'


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
    return _payday_count(r["termination_date"], r)


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
    from ..results.words import WARNING_WORDS as say
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
_DECLARED_READS = {f.build: f.reads for f in FORMULAS}


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


# ---------------------------------------------------------------------------------------------
# Reading typed input cells as the case reader does (addin.cases), for the shipped calculator:
# pasting bypasses data validation, so every input cell is read, and judged, by formulas. Each
# returns "" where the reader finds nothing to read (and the problem formulas say why).

# The characters addin.cases.spelling drops from a code besides letter case: spaces,
# hyphens, underscores and punctuation (a formula cannot drop "every punctuation mark", so
# the ones an HR export writes are listed; CHAR(9) a tab, CHAR(160) a no-break space).
SPELLING_DROPPED = (" ", "-", "_", ".", ",", "'", '"', "/", "\\", "(", ")", ":", ";", "!", "?", "&",
                    "*", "#", "+", "[", "]", "{", "}", "|", "`", "~", "@", "%", "^", "=", "<", ">")
_DROPPED_EXPRESSIONS = ("CHAR(9)", "CHAR(160)")
DIGITS = "0123456789"
CELL_CHARACTERS = 32_767  # the most a cell holds


def _dropping(ref: str, expressions: Iterable[str]) -> str:
    out = f"{ref}&\"\""
    for e in expressions:
        out = f'SUBSTITUTE({out},{e},"")'
    return out


def spelling_key_of(ref: str) -> str:
    """A cell's text as addin.cases.spelling.spelling_key makes it: lower case, without spaces,
    hyphens, underscores or punctuation ("Semi-Monthly" -> "semimonthly")."""
    return f"LOWER({_dropping(ref, [text(c) for c in SPELLING_DROPPED] + list(_DROPPED_EXPRESSIONS))})"


def code_of_key(key: str, codes_by_key: Mapping[str, str]) -> str:
    """The code whose spelling key the cell `key` holds, "" for none."""
    out = '""'
    for k, code in reversed(list(codes_by_key.items())):
        out = f"IF({key}={text(k)},{text(code)},{out})"
    return out


def blank_input(ref: str) -> str:
    """True when a cell holds nothing to read: empty, or only spaces (the reader strips them)."""
    return f'LEN(TRIM({ref}&""))=0'


def only_digits(ref: str) -> str:
    """True when the cell's text is one or more of 0-9 and nothing else."""
    return f"AND(LEN({ref})>0,LEN({_dropping(ref, [text(d) for d in DIGITS])})=0)"


def amount_text(ref: str) -> str:
    """A money cell's text as the reader cleans it: without spaces at the ends, commas or $."""
    return f'SUBSTITUTE(SUBSTITUTE(TRIM({ref}),",",""),"$","")'


def amount_of(ref: str, cleaned: str) -> str:
    """The amount a money cell holds (its number, or its text read as a number), "" for none.
    `cleaned` holds amount_text(ref); only digits, a point, a sign and an exponent are read."""
    number_like = (f'AND(LEN({cleaned})>0,LEN({_dropping(cleaned, [text(c) for c in DIGITS + ".-+eE"])})=0,'
                   f'ISNUMBER(VALUE({cleaned})))')
    return f'IF(ISNUMBER({ref}),{ref},IF(AND(ISTEXT({ref}),{number_like}),VALUE({cleaned}),""))'


def amount_problem(ref: str, amount: str, largest_cents: int, positive: bool) -> str:
    """What is wrong with a money cell ("" when nothing, or when it is blank): not a number, beyond
    the largest amount, negative (or, `positive`, not above zero) to the cent."""
    sign = (f'IF(ROUND({amount}*100,0)<=0,"must be greater than 0","")' if positive else
            f'IF(ROUND({amount}*100,0)<0,"must not be negative","")')
    return (f'IF({blank_input(ref)},"",IF(ISLOGICAL({ref}),"is not an amount",'
            f'IF(NOT(ISNUMBER({amount})),"is not a number; write an amount such as 240000.00",'
            f'IF(ABS({amount})*100>{largest_cents},"is beyond the largest amount accepted",{sign}))))')


def date_text(ref: str) -> str:
    """A text date cell in upper case, a "T" before the time read as a space; "" for a non-text."""
    return f'IF(ISTEXT({ref}),TRIM(SUBSTITUTE(UPPER(TRIM({ref})),"T"," ")),"")'


def date_part(texted: str) -> str:
    """The date of date_text, before any time of day, its separators (/ . -) all read as -."""
    first = f'IF(ISERROR(FIND(" ",{texted})),{texted},LEFT({texted},FIND(" ",{texted})-1))'
    return f'SUBSTITUTE(SUBSTITUTE({first},"/","-"),".","-")'


def date_clock(texted: str) -> str:
    """The time of day after the date of date_text ("" for none)."""
    return f'IF(ISERROR(FIND(" ",{texted})),"",TRIM(MID({texted},FIND(" ",{texted})+1,99)))'


def field_before(ref: str) -> str:
    """The text before the first "-" ("" when there is none)."""
    return f'IFERROR(LEFT({ref},FIND("-",{ref})-1),"")'


def field_after(ref: str) -> str:
    """The text after the first "-" ("" when there is none)."""
    return f'IFERROR(MID({ref},FIND("-",{ref})+1,99),"")'


def real_day(year: str, month: str, day: str) -> str:
    """True when year-month-day (numbers) is a day of the calendar."""
    return (f"AND({month}>=1,{month}<=12,{day}>=1,{day}<=31,"
            f"DAY(DATE({year},{month},{day}))={day})")


def date_of_fields(p1: str, p2: str, p3: str, first_year: int, last_year: int) -> str:
    """The day of a text date split in three fields (YYYY-M-D, or D/M/YYYY and M/D/YYYY read in
    the one order that makes a day, as the case reader does for a single value); "" for none.
    Years outside first_year..last_year give "" (Excel's DATE would shift years below 1900)."""
    digits = f"AND({only_digits(p1)},{only_digits(p2)},{only_digits(p3)})"
    short = f"AND(LEN({{a}})<=2,LEN({{b}})<=2)"
    ymd = f"AND(LEN({p1})=4,{short.format(a=p2, b=p3)})"
    slash = f"AND(LEN({p3})=4,{short.format(a=p1, b=p2)})"

    def within(year: str) -> str:
        return f"AND(VALUE({year})>={first_year},VALUE({year})<={last_year})"
    y1, m1, d1 = (f"VALUE({p})" for p in (p1, p2, p3))
    y3, a, b = (f"VALUE({p})" for p in (p3, p1, p2))
    by_ymd = f'IF(AND({within(p1)},{real_day(y1, m1, d1)}),DATE({y1},{m1},{d1}),"")'
    month_first, day_first = real_day(y3, a, b), real_day(y3, b, a)
    by_slash = (f'IF(NOT({within(p3)}),"",IF(AND({month_first},OR(NOT({day_first}),{a}={b})),DATE({y3},{a},{b}),'
                f'IF(AND({day_first},NOT({month_first})),DATE({y3},{b},{a}),"")))')
    return f'IF(NOT({digits}),"",IF({ymd},{by_ymd},IF({slash},{by_slash},"")))'


def date_of(ref: str, texted: str, from_text: str, clock: str, first_year: int, last_year: int) -> str:
    """The day a date cell holds: a date or a date serial (its time of day dropped), a serial
    written as text (4 or 5 digits), or a text date (from_text, date_of_fields of its fields; a
    time after it must read as one); "" for none, and for a day outside first_year..last_year."""
    low, high = f"DATE({first_year},1,1)", f"DATE({last_year},12,31)"

    def within(day: str) -> str:
        return f'IF(AND(INT({day})>={low},INT({day})<={high}),INT({day}),"")'
    serial_text = f"AND({only_digits(texted)},LEN({texted})>=4,LEN({texted})<=5)"
    return (f'IF(ISLOGICAL({ref}),"",IF(ISNUMBER({ref}),{within(ref)},IF({serial_text},{within(f"VALUE({texted})")},'
            f'IF(AND(ISNUMBER({from_text}),OR({clock}="",ISNUMBER(TIMEVALUE({clock})))),{from_text},""))))')


def date_problem(ref: str, day: str, fields: tuple[str, str, str], first_year: int, last_year: int) -> str:
    """What is wrong with a date cell ("" when nothing, or when it is blank), in the reader's words."""
    p1, p2, p3 = fields
    y3, a, b = (f"VALUE({p})" for p in (p3, p1, p2))
    ambiguous = (f"IF(AND(LEN({p3})=4,{only_digits(p1)},{only_digits(p2)},{only_digits(p3)}),"
                 f"AND({a}<>{b},{real_day(y3, a, b)},{real_day(y3, b, a)}),FALSE)")
    return (f'IF(OR({blank_input(ref)},ISNUMBER({day})),"",IF(ISLOGICAL({ref}),"is not a date",'
            f'IF({ambiguous},"could be read month-first or day-first; write it as YYYY-MM-DD",'
            f'IF(ISNUMBER({ref}),"is outside {first_year}-{last_year}",'
            f'"is not a date from {first_year} to {last_year}; write it as YYYY-MM-DD"))))')


def flag_of(ref: str, key: str, true_words: Iterable[str], false_words: Iterable[str]) -> str:
    """A true/false cell as the reader takes it: TRUE or FALSE, 1 or 0, or a word for either
    (spelled in any case); blank is FALSE; "" for anything else."""
    word = f'LOWER(TRIM({ref}&""))'

    def among(words: Iterable[str]) -> str:
        return "OR(" + ",".join(f"{word}={text(w)}" for w in sorted(words)) + ")"
    return (f'IF(ISLOGICAL({ref}),{ref},IF({among(true_words)},TRUE,IF({among(false_words)},FALSE,'
            f'IF({key}="true",TRUE,IF({key}="false",FALSE,"")))))')


def joined_nonblank(parts: Iterable[str], separator: str = "; ") -> str:
    """Text cells joined by `separator`, the blank ones left out."""
    glued = "&".join(f'IF({p}="","",{text(separator)}&{p})' for p in parts)
    return f"MID({glued},{len(separator) + 1},{CELL_CHARACTERS})"


# Month names, as the case reader's date parser (dateutil) knows them: the abbreviation, the
# full name, and "sept".
MONTH_WORDS = (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may", "may"),
               ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "september", "sept"),
               ("oct", "october"), ("nov", "november"), ("dec", "december"))
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


def words_of_date(ref: str) -> str:
    """A text date in lower case, its commas, hyphens, points and slashes read as spaces, the
    spaces single ("" for a non-text)."""
    spaced = f"LOWER({ref})"
    for sep in (",", "-", ".", "/"):
        spaced = f'SUBSTITUTE({spaced},{text(sep)}," ")'
    return f'IF(ISTEXT({ref}),TRIM({spaced}),"")'


def word_before(ref: str) -> str:
    """The word before the first space ("" when there is no space)."""
    return f'IFERROR(LEFT({ref},FIND(" ",{ref})-1),"")'


def words_after(ref: str) -> str:
    """The words after the first space ("" when there is no space)."""
    return f'IFERROR(MID({ref},FIND(" ",{ref})+1,99),"")'


def month_of_word(word: str) -> str:
    """The month a word names (1-12; 0 for a word that names none)."""
    out = "0"
    for month in range(len(MONTH_WORDS), 0, -1):
        names = MONTH_WORDS[month - 1]
        test = "OR(" + ",".join(f"{word}={text(n)}" for n in names) + ")"
        out = f"IF({test},{month},{out})"
    return out


def without_ordinal(word: str) -> str:
    """A day word without its ordinal suffix ("1st" -> "1")."""
    suffix = "OR(" + ",".join(f"RIGHT({word},2)={text(s)}" for s in ORDINAL_SUFFIXES) + ")"
    return f"IF(AND(LEN({word})>2,{suffix}),LEFT({word},LEN({word})-2),{word})"


def month_word_position(months: tuple[str, str, str]) -> str:
    """Which of three words names the month (1-3; 0 for none), from their month_of_word cells."""
    m1, m2, m3 = months
    return f"IF({m1}>0,1,IF({m2}>0,2,IF({m3}>0,3,0)))"


def other_word(position: str, words: tuple[str, str, str], second: bool) -> str:
    """The first (or `second`) of the two words that are not the month word."""
    w1, w2, w3 = words
    return f"CHOOSE({position},{w3},{w3},{w2})" if second else f"CHOOSE({position},{w2},{w1},{w1})"


def date_of_month_words(words: tuple[str, str, str], months: tuple[str, str, str],
                        others: tuple[str, str], days: tuple[str, str], first_year: int, last_year: int) -> str:
    """The day of a date written with a month name in three words (July 1 2002, 1 July 2002,
    2002 July 1st): exactly one word a month, of the two other words (`others`; `days`: each
    without an ordinal suffix) one a four-digit year and one a day; "" for anything else."""
    w1, w2, w3 = words
    m1, m2, m3 = months
    month = f"MAX({m1},{m2},{m3})"

    def year_day(year: str, day: str) -> str:
        return (f"IF(AND({only_digits(year)},LEN({year})=4,{only_digits(day)},LEN({day})<=2),"
                f"AND(VALUE({year})>={first_year},VALUE({year})<={last_year}),FALSE)")

    def made(year: str, day: str) -> str:
        return (f'IF({real_day(f"VALUE({year})", month, f"VALUE({day})")},'
                f'DATE(VALUE({year}),{month},VALUE({day})),"")')
    single = f"(({m1}>0)+({m2}>0)+({m3}>0)=1)"
    (one, two), (one_day, two_day) = others, days
    return (f'IF(OR({w3}="",ISNUMBER(FIND(" ",{w3})),NOT({single})),"",'
            f'IF({year_day(one, two_day)},{made(one, two_day)},'
            f'IF({year_day(two, one_day)},{made(two, one_day)},"")))')


WEEKDAY_WORDS = ("mon", "monday", "tue", "tuesday", "wed", "wednesday", "thu", "thursday", "fri", "friday",
                 "sat", "saturday", "sun", "sunday")


def without_weekday(words: str) -> str:
    """words_of_date without a leading weekday name (the reader's parser passes over it)."""
    first = word_before(words)
    test = "OR(" + ",".join(f"{first}={text(w)}" for w in WEEKDAY_WORDS) + ")"
    return f"IF({test},{words_after(words)},{words})"


# ---------------------------------------------------------------------------------------------
# The report's payroll and finance sheets (Net pay (estimate), Cash flow, By group, Journal):
# formulas over the Payment schedule's and the Summary's cells and a tax-parameter block. They
# read no agreement parameter (no defined name), only the cells the sheet modules pass.

RATE_PPM = 1_000_000  # a rate cell as integer parts per million, as addin.rules.tax holds it


def rate_ppm(ref: str) -> str:
    return f"ROUND({ref}*{RATE_PPM},0)"


def at_rate(cents_expr: str, rate_ref: str) -> str:
    """cents x rate, rounded once to the cent half away from zero, in dollars."""
    return f"ROUND(({cents_expr})*{rate_ppm(rate_ref)}/{RATE_PPM},0)/100"


def tax_table_row(year: str, years_range: str) -> str:
    """The row of the payment's year in the tax-parameter block ("" where there is none)."""
    return f'IFERROR(MATCH({year},{years_range},0),"")'


def tax_figure(column_range: str, table_row: str) -> str:
    return f"INDEX({column_range},{table_row})"


def year_to_date_start(year: str, termination_date: str, year_to_date: str) -> str:
    """Wages before a case's first payment of a year: the case's year-to-date figure in the
    termination year, 0 in later years (a blank counts as 0)."""
    return f"IF({year}=YEAR({termination_date}),N({year_to_date}),0)"


def running_before(same_case_and_year: str, previous_before: str, previous_amount: str,
                   start: str) -> str:
    """Wages of the year before this payment: the previous payment's, plus it, while the case
    and the year stay the same; else the year's start."""
    return f"IF({same_case_and_year},{previous_before}+{previous_amount},{start})"


def _no_table(r: Refs, expr: str) -> str:
    return f'IF({r["table"]}="","",{expr})'


def _cut(before: str, amount: str, limit: str) -> str:
    """The part of a payment (cents) below a cumulative limit (cents)."""
    return f"MAX(0,MIN({before}+{amount},{limit})-{before})"


def federal_withholding(r: Refs) -> str:
    """The flat supplemental rate on the year's supplemental wages up to the threshold, the
    mandatory rate above it, one rounding for the payment."""
    amount, before = cents(r["amount"]), cents(r["supplemental_before"])
    flat = _cut(before, amount, cents(r["mandatory_threshold"]))
    return _no_table(r, f"ROUND(({flat}*{rate_ppm(r['supplemental_flat_rate'])}+({amount}-{flat})"
                        f"*{rate_ppm(r['mandatory_supplemental_rate'])})/{RATE_PPM},0)/100")


def social_security(r: Refs, rate: str = "social_security_employee_rate") -> str:
    """The rate on the part of the payment under the year's wage base."""
    under = _cut(cents(r["wages_before"]), cents(r["amount"]), cents(r["social_security_wage_base"]))
    return _no_table(r, at_rate(under, r[rate]))


def employer_social_security(r: Refs) -> str:
    return social_security(r, "social_security_employer_rate")


def medicare(r: Refs, rate: str = "medicare_employee_rate") -> str:
    return _no_table(r, at_rate(cents(r["amount"]), r[rate]))


def employer_medicare(r: Refs) -> str:
    return medicare(r, "medicare_employer_rate")


def additional_medicare(r: Refs) -> str:
    """The rate on the part of the year's wages above the withholding threshold."""
    before, amount = cents(r["wages_before"]), cents(r["amount"])
    over = f"MAX(0,{before}+{amount}-MAX({before},{cents(r['additional_medicare_threshold'])}))"
    return _no_table(r, at_rate(over, r["additional_medicare_rate"]))


def state_withholding(r: Refs) -> str:
    """The case's state rate x the payment, where a rate is given."""
    return _no_table(r, f'IF({r["state_withholding_rate"]}="","",'
                        f'{at_rate(cents(r["amount"]), r["state_withholding_rate"])})')


def net_amount(r: Refs) -> str:
    """The payment less every tax withheld from it."""
    taxes = "+".join(f"N({r[name]})" for name in ("federal_withholding", "social_security", "medicare",
                                                  "additional_medicare", "state_withholding"))
    return _no_table(r, f"ROUND(({cents(r['amount'])}-ROUND(({taxes})*100,0)),0)/100")


def month_start(first_of_month: str) -> str:
    return f"DATE(YEAR({first_of_month}),MONTH({first_of_month})+1,1)"


def sum_in_month(amounts: str, dates: str, first_of_month: str, criteria: Iterable[tuple[str, str]] = ()) -> str:
    """SUMIFS of `amounts` whose date falls in the month starting `first_of_month`, with any
    further (range, criterion) pairs."""
    extra = "".join(f",{rng},{crit}" for rng, crit in criteria)
    return (f'SUMIFS({amounts},{dates},">="&{first_of_month},{dates},"<"&{month_start(first_of_month)}'
            f"{extra})")


def group_of(ref: str) -> str:
    """A case-table cell as the group it falls in: its text trimmed, "(blank)" where empty."""
    return f'IF(TRIM({ref}&"")="","(blank)",TRIM({ref}&""))'


def clock_without_zone(clock: str) -> str:
    """A time of day without the time zone after it (Z, +02:00, -0500), which the reader passes over."""
    return (f'IF(RIGHT({clock},1)="Z",TRIM(LEFT({clock},LEN({clock})-1)),'
            f'IFERROR(TRIM(LEFT({clock},FIND("+",{clock})-1)),IFERROR(TRIM(LEFT({clock},FIND("-",{clock})-1)),{clock})))')


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
_DECLARED_READS.update({f.build: f.reads for f in WITHHOLDING_FORMULAS})
