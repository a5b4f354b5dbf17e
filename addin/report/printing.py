"""How the report's sheets print: Letter (or A4) paper, portrait where a sheet fits, landscape
where it is wide, every sheet one page wide with its header rows repeated, text never printed
below 8 points, and a footer on every page (page N of M, the report's name, the run stamp).

The sheet modules keep their columns narrow enough for that (tests hold every printed sheet's
scale to MIN_TEXT_POINTS); this module only turns a sheet's widths into its page set-up.
"""

from __future__ import annotations

from typing import Mapping

from openpyxl.utils import column_index_from_string, get_column_letter

from .paper import Paper
from .plan import SheetPlan

PAPER_SIZE = {Paper.LETTER: 1, Paper.A4: 9}           # Excel's paperSize codes
PAPER_INCHES = {Paper.LETTER: (8.5, 11.0), Paper.A4: (8.27, 11.69)}
MARGIN_INCHES = 0.4                                    # left and right
BODY_POINTS = 11                                       # the styles' body text
MIN_TEXT_POINTS = 8                                    # the smallest text a page may print
FOOTER_POINTS = 9
DEFAULT_WIDTH = 8.43                                   # a column without a width of its own


def column_points(width: float) -> float:
    """A column `width` characters wide, in points, as Excel lays it out (7-pixel digits of
    11-point Calibri plus 5 pixels of padding; 3/4 point a pixel)."""
    return int(width * 7 + 5) * 0.75


def printed_columns(sheet: SheetPlan) -> list[str]:
    """The letters of the columns a sheet prints (its widths' columns, or its print area's)."""
    if sheet.print_area:
        first, last = (part.rstrip("0123456789").lstrip("$") for part in
                       sheet.print_area.replace("$", "").split(":"))
        a, b = column_index_from_string(first), column_index_from_string(last)
        return [get_column_letter(i) for i in range(a, b + 1)
                if get_column_letter(i) not in sheet.hidden_columns]
    return [c for c in sorted(sheet.widths, key=column_index_from_string) if c not in sheet.hidden_columns]


def sheet_points(sheet: SheetPlan) -> float:
    return sum(column_points(sheet.widths.get(c, DEFAULT_WIDTH)) for c in printed_columns(sheet))


def printable_points(paper: Paper, landscape: bool) -> float:
    short, long = PAPER_INCHES[paper]
    return ((long if landscape else short) - 2 * MARGIN_INCHES) * 72


def landscape(sheet: SheetPlan, paper: Paper) -> bool:
    """Portrait where the sheet fits the page's width at full size, else landscape."""
    return sheet_points(sheet) > printable_points(paper, False)


def print_scale(sheet: SheetPlan, paper: Paper) -> float:
    """The scale fitting the sheet to one page wide (1 where it fits at full size)."""
    return min(1.0, printable_points(paper, landscape(sheet, paper)) / sheet_points(sheet))


def footer_text(text: str) -> str:
    """Text as a header/footer section shows it literally ("&" starts a code there)."""
    return text.replace("&", "&&")


def set_up_page(ws, sheet: SheetPlan, paper: Paper, name: str, stamp: str) -> None:
    """The page set-up of a write-only sheet, before its first row."""
    paper = Paper(paper)
    ws.page_setup.paperSize = PAPER_SIZE[paper]
    ws.page_setup.orientation = "landscape" if landscape(sheet, paper) else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_INCHES
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = False
    size = f"&{FOOTER_POINTS}"
    # One section, the page's width, one line: the report's name, the page, the run stamp.
    ws.oddFooter.center.text = (f"{size}{footer_text(name)[:60]}  |  Page &P of &N  |  "
                                f"{footer_text(stamp)[:110]}")
    # The rows planned, no further (LibreOffice otherwise prints blank pages past a long table).
    last = get_column_letter(max([column_index_from_string(c) for c in sheet.widths] + [1]))
    ws.print_area = sheet.print_area or f"A1:{last}{max(sheet.row_count, 1)}"


def sheet_scales(sheets, paper: Paper) -> Mapping[str, float]:
    """Each printed sheet's scale (for tests and docs)."""
    return {s.title: print_scale(s, paper) for s in sheets}
