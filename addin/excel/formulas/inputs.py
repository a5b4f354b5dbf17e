"""Reading typed input cells as the case reader (addin.cases) does, as Excel formulas: codes
whatever their spelling, amounts, dates in the forms HR systems write, true/false flags."""

from __future__ import annotations

from typing import Iterable, Mapping

from .clauses import CELL_CHARACTERS, text

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
    short = "AND(LEN({a})<=2,LEN({b})<=2)"
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
