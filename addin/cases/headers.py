"""The header row of an export: which cell names which case-table column (by the map file, or
by spelling), where the header is (the first row, of the first 20, holding the required
columns), and, when it is nowhere, one message naming every missing column and its likeliest
header."""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple, Sequence

from .columns import (CARRIED_PREFIX, CASE_COLUMNS, HEADER_SEARCH_ROWS, REQUIRED_COLUMNS,
                      RESULT_COLUMNS)
from .errors import CaseFileError
from .mapping import Applied, CaseMap, How
from .spelling import spelling_key

COLUMN_KEYS = {spelling_key(c): c for c in CASE_COLUMNS}
RESULT_KEYS = {spelling_key(c): c for c in RESULT_COLUMNS}
# Words an export's header for a required column often holds: used only to suggest a mapping
# in a message, never to read a column.
HINTS = {"employee_id": {"id", "employee", "emp", "worker", "person", "staff", "number", "no"},
         "termination_date": {"date", "term", "termination", "separation", "end", "exit", "last"},
         "termination_reason": {"reason", "cause", "type", "separation", "term", "termination"},
         "base_salary": {"salary", "base", "annual", "pay", "wage", "rate", "compensation"}}
NO_MAP = CaseMap()


class Headers(NamedTuple):
    names: tuple[str, ...]              # each header's column name in the frame
    headers: dict[str, str]             # case-table column -> the header as the export writes it
    applied: tuple[Applied, ...]        # headers read as another name (rows: 0, counted later)


def header_text(cell: object) -> str:
    return "" if cell is None or (isinstance(cell, float) and cell != cell) else str(cell).strip()


def normalize_column(name: object) -> str:
    """The column a header names: a case-table column when it spells one, else its words
    joined by underscores (an extra column, carried through as read)."""
    text = header_text(name)
    return COLUMN_KEYS.get(spelling_key(text)) or re.sub(r"[\s\-]+", "_", text.lower())


def _name(text: str, case_map: CaseMap) -> tuple[str, How | None]:
    key = spelling_key(text)
    if key in case_map.columns:
        return case_map.columns[key][1], How.MAP
    if key in COLUMN_KEYS:
        return COLUMN_KEYS[key], (How.SPELLING if text != COLUMN_KEYS[key] else None)
    if key in RESULT_KEYS:
        return CARRIED_PREFIX + RESULT_KEYS[key], How.RENAMED
    return re.sub(r"[\s\-]+", "_", text.lower()), None


def resolve_headers(cells: Sequence[object], case_map: CaseMap = NO_MAP,
                    source: str = "case table") -> Headers:
    """Every header's column name; CaseFileError when two headers name one column."""
    names: list[str] = []
    headers: dict[str, str] = {}
    applied: list[Applied] = []
    seen: dict[str, str] = {}
    for k, cell in enumerate(cells):
        text = header_text(cell)
        name, how = _name(text, case_map)
        if not name:
            name = f"column_{k + 1}"  # a blank header cell above cells: carried, by position
        if name in seen and how is None and name not in CASE_COLUMNS:
            name = next(f"{name}_{n}" for n in range(2, len(cells) + 2) if f"{name}_{n}" not in seen)
        if name in seen:
            via = f" (the map file reads {text!r} as {name})" if how is How.MAP else ""
            raise CaseFileError(f"{source}: columns {seen[name]!r} and {text!r} both mean "
                                f"{name!r}{via}; keep one of them")
        seen[name] = text
        names.append(name)
        if name in CASE_COLUMNS:
            headers[name] = text
        if how is not None:
            applied.append(Applied(name, text, name, 0, how))
    return Headers(tuple(names), headers, tuple(applied))


def holds_required(cells: Sequence[object], case_map: CaseMap = NO_MAP) -> bool:
    names = {_name(header_text(c), case_map)[0] for c in cells}
    return all(c in names for c in REQUIRED_COLUMNS)


def find_header(rows: Sequence[Sequence[object]], case_map: CaseMap = NO_MAP) -> int | None:
    """The index of the first row, of the first HEADER_SEARCH_ROWS, holding the required columns."""
    for k, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if holds_required(row, case_map):
            return k
    return None


def _closeness(header: str, column: str) -> float:
    words = set(re.findall(r"[a-z]+", header.casefold()))
    ratio = difflib.SequenceMatcher(None, spelling_key(header), spelling_key(column)).ratio()
    return ratio + 0.3 * len(words & HINTS.get(column, set()))


def missing_columns(rows: Sequence[Sequence[object]], case_map: CaseMap = NO_MAP) -> str:
    """Every required column missing from the likeliest header row, each with the closest
    header found: "'Term Date' may be termination_date: map it under [columns]"."""
    candidates = [[header_text(c) for c in row] for row in rows[:HEADER_SEARCH_ROWS]]
    candidates = [row for row in candidates if any(row)] or [[]]
    best = max(candidates, key=lambda row: (sum(_name(t, case_map)[0] in REQUIRED_COLUMNS
                                                for t in row), sum(map(bool, row))))
    known = {_name(t, case_map)[0] for t in best}
    free = [t for t in best if t and _name(t, case_map)[0] not in CASE_COLUMNS]
    parts = []
    for column in (c for c in REQUIRED_COLUMNS if c not in known):
        scored = sorted(((_closeness(t, column), t) for t in free), reverse=True)
        if scored and scored[0][0] >= 0.5:
            header = scored[0][1]
            free.remove(header)
            parts.append(f"{column!r} ({header!r} may be {column}: map it under [columns] "
                         f"as \"{header}\" = \"{column}\")")
        else:
            parts.append(f"{column!r} (no header like it)")
    found = ", ".join(repr(t) for t in best if t) or "no headers"
    many = len(parts) > 1
    return (f"required column{'s' if many else ''} {', '.join(parts)} {'are' if many else 'is'} "
            f"missing (headers found: {found})")
