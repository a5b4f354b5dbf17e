"""The Run sheet: the run stamp in full, and how the case file was read: its sheet and header
row, the rows skipped, the header each case-table column was read from, the notes, and every
mapping the reading applied (addin.cases.describe gives each one's words)."""

from __future__ import annotations

from ..cases import describe
from ..excel.cells import Role
from ..rules.case import CaseTable
from .plan import Row, SheetPlan, header, text, wrapped_height
from .stamp import RunStamp

TITLE = "Run"
VALUE_WIDTH = 90


def run_sheet(cases: CaseTable, stamp: RunStamp) -> SheetPlan:
    rows: list[Row] = [
        [text("This run", Role.TITLE)],
        [text("When the report was made, by which add-in, from which files (SHA-256: compare "
              "with `sha256sum FILE`), and how the case file was read.", Role.NOTE)],
        [],
        header(("item", "value")),
    ]
    rows += [[text(item), text(value)] for item, value in stamp.lines()]
    rows.append([])
    rows.append(header(("reading", "value")))
    reading = cases.reading
    if reading is None:
        rows.append([text("source"), text("(cases given as records, not read from a file)")])
    else:
        rows += [
            [text("source"), text(reading.source)],
            [text("sheet"), text(reading.sheet or "(the first)")],
            [text("header row"), text(str(reading.header_row) if reading.header_row else "(no header row)")],
            [text("rows skipped above it"), text(str(reading.rows_skipped))],
        ]
        rows += [[text(f"column {column}"), text(f"read from the header {head!r}")]
                 for column, head in reading.headers.items()]
        rows += [[text("note"), text(note, Role.LONG_TEXT)] for note in reading.notes]
        rows += [[text("mapping applied"), text(describe(applied), Role.LONG_TEXT)]
                 for applied in reading.applied]
        if not reading.applied:
            rows.append([text("mapping applied"), text("(none: every header and value as the case table names it)")])
    heights = {i + 1: wrapped_height([str(row[1].value)], VALUE_WIDTH) for i, row in enumerate(rows)
               if len(row) > 1 and row[1] is not None and row[1].role is Role.LONG_TEXT}
    return SheetPlan(title=TITLE, rows=rows, row_count=len(rows), widths={"A": 24, "B": VALUE_WIDTH},
                     print_title_rows="4:4", row_heights=heights)
