"""Validating case tables: every cell turned into an exact value (dates, integer cents, codes),
every problem of a row collected; a row with a problem is rejected, all other rows still compute.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..ahead import Later, ahead
from ..rules.calendar import FREQUENCY_CODES, PAY_FREQUENCIES
from ..rules.case import REASONS, CaseTable
from ..rules.money import format_cents
from ..rules.terms import DEFAULT_AGREEMENT_ID, Agreement
from .codes import Coded, read_codes, read_flags
from .columns import CASE_COLUMNS, MONEY_COLUMNS
from .dates import parse_dates
from .money_cells import parse_money
from .headers import NO_MAP
from .mapping import CaseMap, DateOrder, Reading, check_agreements, load_map
from .columns import PAYROLL_COLUMNS
from .payroll_columns import check_payroll_columns
from .reading import name_columns, read_cases
from .errors import Problems
from .spelling import spelling_keys
from .text import FEW_CELLS, TEXT, cell, cells_text, contains, is_blank, mask, text_array, true_rows

DUPLICATE_ROWS_LISTED = 10  # rows named in a duplicate-id message
# A row without an id holding one of these words is a totals row an export added, not a case.
TOTAL_WORDS = ("total", "totals", "grandtotal", "subtotal", "sum")


# ---------------------------------------------------------------------------------------------
# Checks of the parsed values: one vectorized test per column, a message per failing cell

class ValueCheck(NamedTuple):
    """A check of a parsed column: the cells failing it, and what the message says of them."""
    column: str
    failing: np.ndarray          # bool per row
    says: str


def _value_checks(reason: np.ndarray, money: Mapping[str, np.ndarray], frequency: np.ndarray,
                  agreement: np.ndarray) -> tuple[ValueCheck, ...]:
    """The checks of the parsed values (the reason, frequency and agreement by their code index,
    -1 where no code)."""
    return (
        ValueCheck("termination_reason", reason < 0, _ONE_OF_REASONS),
        ValueCheck("base_salary", money["base_salary"] <= 0, "must be greater than 0"),
        *(ValueCheck(c, money[c] < 0, "must not be negative") for c in MONEY_COLUMNS[1:]),
        ValueCheck("pay_frequency", frequency < 0, _ONE_OF_FREQUENCIES),
        ValueCheck("agreement", agreement < 0, "is not a known agreement"),
    )


_ONE_OF_REASONS = f"must be one of {', '.join(REASONS)}"
_ONE_OF_FREQUENCIES = f"must be one of {', '.join(PAY_FREQUENCIES)}"


def _describe(column: str, value: object) -> str:
    if column in MONEY_COLUMNS and isinstance(value, (int, np.integer)):
        return format_cents(int(value))
    return str(value)[:40]


def _check_values(ids_blank: np.ndarray, checks: Sequence[ValueCheck], values: Mapping[str, np.ndarray],
                  text: Mapping[str, pa.Array], present: Mapping[str, np.ndarray], errors: Problems) -> None:
    """A message for every failing cell not already named (a cell that did not parse is not
    checked again; a blank optional amount is not checked at all)."""
    for k in true_rows(ids_blank):
        errors[k].append(("employee_id", "required, but blank"))
    for check in checks:
        failing = check.failing
        if check.column in MONEY_COLUMNS:
            failing = failing & present[check.column]
        for k in true_rows(failing):
            if any(c == check.column for c, _ in errors.get(k, ())):
                continue
            if check.column == "termination_reason" and cell(text[check.column], k) == "":
                errors[k].append((check.column, "required, but blank"))
            else:
                value = values[check.column][k]
                errors[k].append((check.column, f"{_describe(check.column, value)!r} {check.says}"))


def _duplicated(ids: pa.Array) -> np.ndarray:
    """Where a row's id (not blank) is also another row's."""
    if len(ids) <= 1:
        return np.zeros(len(ids), dtype=bool)
    if len(ids) <= FEW_CELLS:  # a formula's few cases, counted in Python
        cells = ids.to_pylist()
        count = Counter(cells)
        return np.array([c != "" and count[c] > 1 for c in cells], dtype=bool)
    order = pc.sort_indices(ids).to_numpy(zero_copy_only=False)
    ordered = ids.take(pa.array(order))
    same = mask(pc.equal(ordered[1:], ordered[:-1]))
    repeated = np.zeros(len(ids), dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    duplicated = np.zeros(len(ids), dtype=bool)
    duplicated[order] = repeated
    return duplicated & ~is_blank(ids)


def _duplicate_ids(ids: pa.Array, source_row: np.ndarray, errors: Problems) -> None:
    duplicated = _duplicated(ids)
    if not duplicated.any():
        return
    rows_by_id: dict[str, list[int]] = {}
    for k in np.flatnonzero(duplicated):
        rows_by_id.setdefault(cell(ids, k), []).append(int(source_row[k]))
    # One message per id, naming a few of its rows: listing every row on every row would
    # grow as rows squared (a file of one id repeated 20,000 times needed gigabytes).
    message = {}
    for key, rows in rows_by_id.items():
        shown = ", ".join(map(str, rows[:DUPLICATE_ROWS_LISTED]))
        more = len(rows) - DUPLICATE_ROWS_LISTED
        message[key] = (f"{key[:40]!r} appears on rows {shown}"
                        f"{f' and {more} more' if more > 0 else ''}; each case needs its own id")
    for k in np.flatnonzero(duplicated):
        errors[k].append(("employee_id", message[cell(ids, k)]))


def _totals_rows(cells: pd.DataFrame | Mapping[str, np.ndarray], source_row: np.ndarray, ids: pa.Array, money: Mapping[str, np.ndarray],
                 present: Mapping[str, np.ndarray], errors: Problems) -> None:
    """Rows without an id that hold a "Total" label or the sums of the rows above: each is
    rejected as what it is, with that one message (vectorized over the rows without an id)."""
    no_id = is_blank(ids)
    worded = true_rows(contains(ids, "total|sum"))
    if len(worded):
        keys = spelling_keys(ids.take(pa.array(worded)))
        no_id[worded] = np.isin(keys.astype(str), TOTAL_WORDS)
    rows = np.flatnonzero(no_id)
    if not len(rows):
        return
    frame = _frame(cells, source_row)
    label = np.full(len(rows), "", dtype=object)
    for column in frame.columns[1:]:
        cells = frame[column].iloc[rows].astype(object)
        text = cells.where(cells.map(type) == str, "").astype(object)
        keys = pd.Series(spelling_keys(pd.Series(text.to_numpy(), dtype=object)), dtype=object)
        label = np.where((label == "") & keys.str.startswith(TOTAL_WORDS).to_numpy(dtype=bool), keys, label)
    cases_above = np.cumsum(~no_id)[rows]
    sums = np.full(len(rows), "", dtype=object)
    for c in MONEY_COLUMNS:
        above = np.cumsum(np.where(no_id, 0, money[c]))[rows]
        hit = present[c][rows] & (money[c][rows] > 0) & (money[c][rows] == above) & (cases_above > 1)
        for j in np.flatnonzero(hit & (sums == "")):
            sums[j] = f"{c} {format_cents(int(money[c][rows[j]]))} is the sum of the rows above"
    for j in np.flatnonzero((label != "") | (sums != "")):
        why = "; ".join(w for w in (f"labelled {label[j]!r}" if label[j] else "", sums[j]) if w)
        errors[rows[j]][:] = [("", f"a totals row, not a case ({why})")]


def _labels(reading: Reading | None) -> dict[str, str]:
    """Each column as the message names it: the export's header, and the case-table name
    where they differ."""
    headers = reading.headers if reading is not None else {}
    return {c: (f"{h} ({c})" if h and h != c else c) for c, h in headers.items()}


def _render(errors: Problems, notes: Problems, n: int, source_row: np.ndarray,
            reading: Reading | None) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    labels = _labels(reading)
    order = {c: i for i, c in enumerate(("", *CASE_COLUMNS))}

    def message(column: str, text: str, joint: str) -> str:
        return f"{labels.get(column, column)}{joint}{text}" if column else text

    def position(problem: tuple[str, str]) -> int:
        return order.get(problem[0], len(order))

    # Most rows have neither: they share one empty tuple, and only the others are formatted.
    with_row: list[tuple[str, ...]] = [()] * n
    for k in sorted(k for k, found in errors.items() if found):
        with_row[k] = tuple(f"row {source_row[k]}, {message(c, m, ': ')}"
                            for c, m in sorted(errors[k], key=position))
    said: list[tuple[str, ...]] = [()] * n
    for k in sorted(k for k, found in notes.items() if found):
        said[k] = tuple(message(c, m, " ") for c, m in notes[k])
    return tuple(with_row), tuple(said)


def _rows_with(problems: Problems, n: int) -> np.ndarray:
    has = np.zeros(n, dtype=bool)
    has[[int(k) for k, found in problems.items() if found]] = True
    return has


def _codes_or_default(coded: Coded, default: np.ndarray | str) -> np.ndarray:
    """The codes as text, a blank cell taking `default` (one text, or one per row)."""
    blank = np.flatnonzero(coded.distinct == "")
    if not len(blank):
        return coded.text
    where = coded.where == blank[0]
    out = coded.text.copy()
    out[where] = default if isinstance(default, str) else default[where]
    return out


def _code_index(coded: Coded, default: str, codes: Sequence[str]) -> np.ndarray:
    """Each cell's index in `codes`, a blank cell taking `default` (-1: not a code)."""
    position = {code: i for i, code in enumerate(codes)}
    final = [position.get(default if code == "" else code, -1) for code in coded.distinct]
    return np.array(final, dtype=np.int64)[coded.where]


def validate(frame: pd.DataFrame, agreements: Mapping[str, Agreement],
             default_agreement: str = DEFAULT_AGREEMENT_ID, *, case_map: CaseMap = NO_MAP,
             reading: Reading | None = None) -> CaseTable:
    """Parse and check every cell of a prepared case frame (see prepare_frame); `reading`
    (how the file was read) names the columns as the export does and is kept on the table."""
    n = len(frame)
    columns = (frame[c] if c in frame.columns else None for c in CASE_COLUMNS)
    text = dict(zip(CASE_COLUMNS, _in_turn(lambda column: text_array(column, n), columns, n)))
    return _validate(text, frame["source_row"].to_numpy(dtype=np.int64), frame, agreements,
                     default_agreement, case_map, reading)


# From this many rows, the columns are made and parsed on two threads (Arrow's kernels release
# the GIL); a formula's few rows are not worth a thread's start.
THREADED_ROWS = 50_000


def _in_turn(function: Callable, items, n: int):
    """function(item) for each item, in order: on two threads for a table of `n` rows from
    THREADED_ROWS on, one after the other on this thread for fewer."""
    return ahead(function, items) if n >= THREADED_ROWS else map(function, items)


def _each(jobs: Sequence[Callable[[Problems, Problems], object]], n: int, errors: Problems,
          notes: Problems) -> list:
    """Each job(errors, notes)'s result, in order, each job given problems of its own; then
    their problems are added to `errors` and `notes` job by job, so that every row's messages
    are in the order of the jobs, as if they had run one after the other."""
    def run(job):
        own_errors, own_notes = defaultdict(list), defaultdict(list)
        return job(own_errors, own_notes), own_errors, own_notes
    results = []
    for result, own_errors, own_notes in _in_turn(run, jobs, n):
        for mine, problems in ((own_errors, errors), (own_notes, notes)):
            for k, said in mine.items():
                problems[k].extend(said)
        results.append(result)
    return results


def _validate(text: Mapping[str, pa.Array], source_row: np.ndarray,
              cells: pd.DataFrame | Mapping[str, np.ndarray], agreements: Mapping[str, Agreement],
              default_agreement: str, case_map: CaseMap, reading: Reading | None) -> CaseTable:
    """validate's work on the case columns as text (`text`) and every column as read (`cells`:
    a frame, or columns of values without source_row)."""
    n = len(source_row)
    errors: Problems = defaultdict(list)
    notes: Problems = defaultdict(list)
    agreement_ids = tuple(sorted(agreements))
    check_agreements(case_map, agreement_ids)
    # Each column's cells are parsed apart (on two threads for a long table), and the problems
    # each finds are taken in this order: a row's messages come column by column, as the columns
    # are listed here.
    jobs = [lambda e, n, c=column: parse_money(text[c], c, e, n, required=c == "base_salary")
            for column in MONEY_COLUMNS]
    jobs += [
        lambda e, n: parse_dates(text["termination_date"], "termination_date", case_map.date_order,
                                 source_row, e, n),
        lambda e, n: read_flags(text["consented_to_change"], "consented_to_change", case_map, e),
        lambda e, n: read_codes(text["termination_reason"], "termination_reason", REASONS, case_map, e),
        lambda e, n: read_codes(text["agreement"], "agreement", agreement_ids, case_map, e,
                                f"is not a known agreement ({', '.join(agreement_ids)})"),
    ]
    parsed = _each(jobs, n, errors, notes)
    money = {column: parsed[k][0] for k, column in enumerate(MONEY_COLUMNS)}
    present = {column: parsed[k][1] for k, column in enumerate(MONEY_COLUMNS)}
    (termination_date, applied), (consented, consent_blank, flags_applied), reason, agreement_read = \
        parsed[len(MONEY_COLUMNS):]
    agreement = _codes_or_default(agreement_read, default_agreement)
    agreement_code = _code_index(agreement_read, default_agreement, agreement_ids)
    frequency_read = read_codes(text["pay_frequency"], "pay_frequency", PAY_FREQUENCIES, case_map, errors)
    defaults = np.array([agreements[a].default_pay_frequency for a in agreement_ids] + ["semimonthly"],
                        dtype=object)
    frequency = _codes_or_default(frequency_read, defaults[agreement_code])
    default_code = np.array([FREQUENCY_CODES.get(d, -1) for d in defaults], dtype=np.int64)
    frequency_code = np.where((frequency_read.distinct == "")[frequency_read.where],
                              default_code[agreement_code], frequency_read.index).astype(np.int64)
    applied += reason.applied + frequency_read.applied + agreement_read.applied + flags_applied

    ids = text["employee_id"]
    checks = _value_checks(reason.index, money, frequency_code, agreement_code)
    values = {"termination_reason": reason.text, **money, "pay_frequency": frequency,
              "agreement": agreement}
    _check_values(is_blank(ids), checks, values, text, present, errors)
    _duplicate_ids(ids, source_row, errors)
    if any(c in cells for c in PAYROLL_COLUMNS):
        check_payroll_columns(_frame(cells, source_row), errors, notes)
    _totals_rows(cells, source_row, ids, money, present, errors)
    good_reason = reason.index == REASONS.index("good_reason")
    for k in true_rows(good_reason & consent_blank):
        notes[k].append(("consented_to_change", "is blank: read as no prior consent to the change"))

    with_row, said = _render(errors, notes, n, source_row, reading)
    if reading is not None:
        reading = reading._replace(applied=reading.applied + applied)
    return CaseTable(
        source_row=source_row,
        employee_id_text=ids,
        employee_name_text=text["employee_name"],
        termination_date=termination_date,
        termination_reason=reason.text,
        base_salary=money["base_salary"],
        prior_year_bonus_declared=money["prior_year_bonus_declared"],
        bonus_declared=present["prior_year_bonus_declared"],
        prior_year_bonus_paid=money["prior_year_bonus_paid"],
        monthly_benefits_cost=money["monthly_benefits_cost"],
        pay_frequency=frequency,
        consented_to_change=consented,
        agreement=agreement,
        errors=with_row,
        notes=said,
        valid=~_rows_with(errors, n),
        has_notes=_rows_with(notes, n),
        frequency_code=np.where(frequency_code >= 0, frequency_code, FREQUENCY_CODES["semimonthly"]),
        agreement_code=agreement_code,
        agreement_ids=agreement_ids,
        cells=cells,
        reading=reading,
    )



def _frame(cells: pd.DataFrame | Mapping[str, np.ndarray], source_row: np.ndarray) -> pd.DataFrame:
    if isinstance(cells, pd.DataFrame):
        return cells
    frame = pd.DataFrame(dict(cells), index=pd.RangeIndex(len(source_row)), dtype=object)
    frame.insert(0, "source_row", source_row)
    return frame


@lru_cache(maxsize=64)
def _record_columns(header: tuple) -> tuple[str, ...]:
    """The column names of records keyed by `header` (a formula sends the same keys each call)."""
    return name_columns(list(header), NO_MAP, "cases").names


def from_records(records: Sequence[Mapping[str, object]], agreements: Mapping[str, Agreement],
                 default_agreement: str = DEFAULT_AGREEMENT_ID) -> CaseTable:
    """Cases from Python mappings (one per case, keyed by column), through the same naming,
    parsing and validation as a file's rows; wholly blank records are not cases."""
    header = tuple(dict.fromkeys(key for record in records for key in record))
    names = _record_columns(header)
    values = {name: [record.get(key) for record in records] for key, name in zip(header, names)}
    strings = {name: cells_text(column) for name, column in values.items()}
    every = pa.array([c for column in strings.values() for c in column], type=TEXT)  # one array,
    text = {name: every.slice(i * len(records), len(records)) for i, name in enumerate(strings)}  # a view a column
    source_row = np.arange(1, len(records) + 1, dtype=np.int64)
    blank = np.array([not any(column[k] for column in strings.values()) for k in range(len(records))],
                     dtype=bool)
    if blank.any():
        kept = np.flatnonzero(~blank)
        source_row = source_row[kept]
        text = {name: t.take(pa.array(kept)) for name, t in text.items()}
        values = {name: [column[k] for k in kept] for name, column in values.items()}
    n = len(source_row)
    case_text = {c: text[c] if c in text else text_array(None, n) for c in CASE_COLUMNS}
    cells = {name: np.array(column + [None], dtype=object)[:-1] for name, column in values.items()}
    return _validate(case_text, source_row, cells, agreements, default_agreement, NO_MAP, None)


def case_map_of(case_map: str | Path | CaseMap | None = None, sheet: str | None = None,
                date_order: str | DateOrder | None = None) -> CaseMap:
    """The map file (a path, or one already loaded), with --sheet and --date-order over it."""
    loaded = case_map if isinstance(case_map, CaseMap) else \
        NO_MAP if case_map is None else load_map(case_map)
    return loaded.with_options(sheet=sheet, date_order=date_order)


def load_cases(path: str | Path, agreements: Mapping[str, Agreement] | Later[Mapping[str, Agreement]], *,
               case_map: str | Path | CaseMap | None = None, sheet: str | None = None,
               date_order: str | DateOrder | None = None) -> CaseTable:
    """The cases of a file, read with its map file (`case_map`) and the command line's --sheet
    and --date-order; `CaseTable.reading` says how it was read and every mapping applied.
    `agreements` may be Later: the reader loads them while it waits on Arrow or calamine, and their own
    error, if any, comes before any of the file's, as when they are loaded first."""
    terms = agreements if isinstance(agreements, Later) else None
    try:
        chosen = case_map_of(case_map, sheet, date_order)
        frame, reading = read_cases(path, chosen, meanwhile=terms.run if terms else None)
    except Exception:
        if terms is not None:
            terms.value()
        raise
    if terms is not None:
        agreements = terms.value()
    cases = validate(frame, agreements, case_map=chosen, reading=reading)
    # Arrow keeps the memory of the file's text columns, read and dropped, for its next arrays;
    # the engine's are numpy's: give it back, so it does not add to the run's peak.
    pa.default_memory_pool().release_unused()
    return cases
