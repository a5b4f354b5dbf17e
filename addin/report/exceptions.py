"""The Exceptions sheets: every rejected input row, its cells as read (text) and every reason."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from openpyxl.utils import get_column_letter

from ..excel.cells import Role
from ..rules.case import CaseTable
from .columns import WIDTHS, width
from .plan import (Pages, Row, SheetPlan, header, header_block, header_height, number, raw_text,
                   text, wrapped_height)

RAW_WIDTH = 10
NOTE = ("Every rejected input row, with its cells as read and every reason; fix them in the case "
        "table and rerun.")


def exception_sheets(cases: CaseTable, raw_columns: Sequence[str], pages: Pages,
                     rejected_rows: np.ndarray, counts_formula: str,
                     counted: str | None = None) -> list[SheetPlan]:
    """`counted`: what the counts formula gives (addin.report.values.counts_text)."""
    names = ("source_row", *raw_columns, "reason_count", "reasons")
    head = header(names)
    # The cells as read, narrow (their headers wrap), so the reasons print beside them at a
    # legible size; a long cell is clipped on screen, and reads whole in the formula bar.
    widths = {get_column_letter(i + 1): (width(c, Role.TEXT) if c in ("source_row", "reason_count", "reasons")
                                         else min(width(c, Role.TEXT), RAW_WIDTH))
              for i, c in enumerate(names)}
    last = get_column_letter(len(names))
    plans = []
    for page, title in enumerate(pages.titles):
        ks = [int(rejected_rows[i]) for i in pages.rows_on(page)]

        def rows(ks=ks):
            yield from header_block("Exceptions", NOTE, counts_formula, False, counted)
            yield head
            for k in ks:
                raw = cases.raw.iloc[k]
                out: Row = [number(int(cases.source_row[k]), Role.COUNT)]
                out.extend(text(raw_text(raw[c]), Role.INPUT_TEXT) for c in raw_columns)
                reasons = cases.errors[k]
                out.append(number(len(reasons), Role.COUNT))
                out.append(text("\n".join(reasons), Role.LONG_TEXT))
                yield out

        heights = {pages.first_row + i: wrapped_height(["\n".join(cases.errors[k])], WIDTHS["reasons"])
                   for i, k in enumerate(ks)}
        header_row = pages.first_row - 1
        plans.append(SheetPlan(title=title, rows=rows(), row_count=len(ks) + header_row,
                               widths=widths, freeze=f"C{pages.first_row}",
                               autofilter=f"A{header_row}:{last}{pages.last_row(page)}",
                               wide=True, header_row=header_row, row_heights=heights,
                               print_title_rows=f"{header_row}:{header_row}",
                               header_height=header_height(names, widths)))
    return plans
