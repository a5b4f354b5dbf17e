"""The calculator's Reading sheet (hidden): every input cell read and judged as the case reader
(addin.cases) reads a case-table cell, in native formulas (addin.excel.formulas). Pasting
bypasses data validation, so this is the guard: the calculator shows a figure only when every
input reads, and otherwise says which inputs are missing (`incomplete`) or wrong (`invalid`).

Each step is a named cell: `read_<input>` the value the figures use, `problem_<input>` what is
wrong with it ("" when nothing). The cells are cached with what the reader makes of the worked
example (its inputs are typed as they are meant: a date, numbers, codes)."""

from __future__ import annotations

from typing import Mapping

from ..cases import FIRST_YEAR, LAST_YEAR, MONEY_COLUMNS, REQUIRED_COLUMNS, spelling_key
from ..cases.codes import FALSE_WORDS, TRUE_WORDS
from ..excel import formulas as F
from ..rules.calendar import PAY_FREQUENCIES
from ..rules.case import REASONS
from ..rules.money import MAX_CENTS
from .example import Figures
from .inputs import INPUTS
from .plan import GREY, Look, SheetPlan, Slot, TOP, Typeface, address, column, formula, text

SHEET = "Reading"
NAME, CELL = column("B"), column("C")
NO_VALUE = "no_value"   # a cell that stays empty: a bonus left blank, where a formula asks ISBLANK


def _codes(codes) -> dict[str, str]:
    return {spelling_key(code): code for code in codes}


class _Sheet:
    """Named helper cells placed down the sheet, each with its cached value."""

    def __init__(self, plan: SheetPlan):
        self.plan, self.row = plan, TOP + 2

    def put(self, name: str, expression: str, cached: object) -> str:
        self.row += 1
        self.plan.put(self.row, NAME, Slot(text(name), Look(face=Typeface(9, color=GREY))))
        self.plan.put(self.row, CELL, Slot(formula(expression, cached=cached), Look(face=Typeface(9)), name=name))
        return name


def _only_typed(value: object, why: str) -> str:
    if isinstance(value, str):
        raise ValueError(f"the worked example types {why} as text; cache its reading steps first")
    return ""


def _date(s: _Sheet, key: str, example: object, day: object) -> None:
    none = _only_typed(example, key)
    texted = s.put("date_text", F.date_text(key), none)
    part = s.put("date_part", F.date_part(texted), none)
    zoned = s.put("date_clock_and_zone", F.date_clock(texted), none)
    clock = s.put("date_clock", F.clock_without_zone(zoned), none)
    p1 = s.put("date_field_1", F.field_before(part), none)
    rest = s.put("date_fields_2_3", F.field_after(part), none)
    p2 = s.put("date_field_2", F.field_before(rest), none)
    p3 = s.put("date_field_3", F.field_after(rest), none)
    from_fields = s.put("date_from_fields", F.date_of_fields(p1, p2, p3, FIRST_YEAR, LAST_YEAR), none)
    from_words = _month_words(s, key, none)
    from_text = s.put("date_from_text", f"IF(AND(ISNUMBER({from_fields}),OR({clock}=\"\",ISNUMBER(TIMEVALUE({clock})))),"
                                         f"{from_fields},{from_words})", none)
    read = s.put(f"read_{key}", F.date_of(key, texted, from_text, '""', FIRST_YEAR, LAST_YEAR), day)
    s.put(f"problem_{key}", F.date_problem(key, read, (p1, p2, p3), FIRST_YEAR, LAST_YEAR), "")


def _month_words(s: _Sheet, key: str, none: str) -> str:
    """The steps of a date written with a month name (July 1, 2002); returns the last one's name."""
    spaced = s.put("date_words_spaced", F.words_of_date(key), none)
    words = s.put("date_words", F.without_weekday(spaced), none)
    w1 = s.put("date_word_1", F.word_before(words), none)
    rest = s.put("date_words_2_3", F.words_after(words), none)
    w2 = s.put("date_word_2", F.word_before(rest), none)
    w3 = s.put("date_word_3", F.words_after(rest), none)
    months = tuple(s.put(f"date_word_{k}_month", F.month_of_word(w), 0) for k, w in enumerate((w1, w2, w3), 1))
    position = s.put("date_month_word", F.month_word_position(months), 0)
    others = tuple(s.put(f"date_other_word_{k}", f'IFERROR({F.other_word(position, (w1, w2, w3), k == 2)},"")', none)
                   for k in (1, 2))
    days = tuple(s.put(f"date_other_day_{k}", F.without_ordinal(w), none) for k, w in enumerate(others, 1))
    return s.put("date_from_words", F.date_of_month_words((w1, w2, w3), months, others, days, FIRST_YEAR,
                                                          LAST_YEAR), none)


def _code(s: _Sheet, key: str, example: object, codes, read_value: str, default: str | None) -> None:
    code_key = s.put(f"key_{key}", F.spelling_key_of(key), spelling_key("" if example is None else example))
    code = F.code_of_key(code_key, _codes(codes))
    if default is not None:
        code = f"IF({F.blank_input(key)},{default},{code})"
    read = s.put(f"read_{key}", code, read_value)
    s.put(f"problem_{key}", f'IF(OR({F.blank_input(key)},{read}<>""),"",'
                            f'"\'"&TRIM({key}&"")&"\' must be one of {", ".join(codes)}")', "")


def _money(s: _Sheet, key: str, example: object, amount: float) -> None:
    none = _only_typed(example, key)
    cleaned = s.put(f"text_{key}", f'IF(ISTEXT({key}),{F.amount_text(key)},"")', none)
    typed_amount = s.put(f"amount_{key}", F.amount_of(key, cleaned), "" if example is None else amount)
    # To the cent, half away from zero, as the reader rounds (ROUND reads 1450.005 as typed).
    read = s.put(f"read_{key}", f'IF({F.blank_input(key)},0,IF(ISNUMBER({typed_amount}),ROUND({typed_amount},2),""))',
                 amount)
    s.put(f"problem_{key}", F.amount_problem(key, read, MAX_CENTS, positive=key == "base_salary"), "")


def _flag(s: _Sheet, key: str, example: object, value: bool) -> None:
    flag_key = s.put(f"key_{key}", F.spelling_key_of(key), spelling_key("" if example is None else example))
    read = s.put(f"read_{key}", F.flag_of(key, flag_key, TRUE_WORDS, FALSE_WORDS), value)
    s.put(f"problem_{key}", f'IF(ISLOGICAL({read}),"","\'"&TRIM({key}&"")&"\' is not true or false; '
                            f'write TRUE or FALSE (yes, no, 1, 0)")', "")


def reading_sheet(example: Mapping[str, object], figures: Figures, labels: Mapping[str, str]) -> SheetPlan:
    """The Reading sheet over the calculator's named input cells."""
    plan = SheetPlan(SHEET, {"A": 2, "B": 30, "C": 40}, hidden=True, protected=True)
    plan.put(TOP, NAME, Slot(text("How the calculator reads its inputs"), Look(face=Typeface(12, bold=True))))
    plan.put(TOP + 1, NAME, Slot(text("As `severance calc` reads a case table's cells. Each name is used by "
                                      "the Calculator's formulas."), Look(face=Typeface(9, italic=True))))
    s = _Sheet(plan)
    case = figures.case
    for key in INPUTS:
        if key == "termination_date":
            _date(s, key, example[key], case[key])
        elif key == "termination_reason":
            _code(s, key, example[key], REASONS, case[key], None)
        elif key == "pay_frequency":
            _code(s, key, example[key], PAY_FREQUENCIES, case[key], "default_pay_frequency")
        elif key in MONEY_COLUMNS:
            _money(s, key, example[key], case[key])
        else:
            _flag(s, key, example[key], case[key])
    s.put("bonus_declared_present", f"NOT({F.blank_input('prior_year_bonus_declared')})",
          case["prior_year_bonus_declared_present"])
    required = [k for k in INPUTS if k in REQUIRED_COLUMNS]
    missing = [f'IF({F.blank_input(k)},{F.text(labels[k])},"")' for k in required]
    s.put("missing_inputs", F.joined_nonblank(missing, ", "), "")
    problems = [f'IF(problem_{k}="","",{F.text(labels[k] + " ")}&problem_{k})' for k in INPUTS]
    s.put("input_problems", F.joined_nonblank(problems), "")
    s.put("inputs_ok", 'AND(missing_inputs="",input_problems="")', True)
    s.row += 2
    plan.put(s.row, NAME, Slot(text(NO_VALUE), Look(face=Typeface(9, color=GREY))))
    plan.ranges[NO_VALUE] = address(s.row, CELL)
    return plan
