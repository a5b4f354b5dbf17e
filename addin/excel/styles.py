"""Report styles: the look of every cell a payout report writes, by role (header, money, date...).

The defaults live here; `workbooks/report_template.xlsx` shows each role as a sample cell that
finance restyles in Excel, and `severance report --template` reads them back (with the logo).
"""

from __future__ import annotations

import struct
import zipfile
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .cells import (COUNT_FORMAT, DATE_FORMAT, FRACTION_FORMAT, LINE_HEIGHT, MONEY_FORMAT, Role,
                    wrapped_lines)

MAX_TEMPLATE_BYTES = 20 * 2**20
MAX_LOGO_BYTES = 2 * 2**20
STYLES_SHEET = "Styles"
SAMPLE_WIDTH = 40   # the template's sample column


@dataclass(frozen=True)
class Style:
    font: Font = Font()
    fill: PatternFill = PatternFill()
    border: Border = Border()
    alignment: Alignment = Alignment()
    number_format: str = "General"


@dataclass(frozen=True)
class Logo:
    """A picture for the top-left of the Summary, at its size in the template (pixels)."""
    data: bytes
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class ReportStyles:
    roles: dict[Role, Style]
    logo: Logo | None = None


_BLUE = "1F3864"
_thin = Side(style="thin", color="8EA9DB")
_TOP = Alignment(vertical="top")  # rows of wrapped text read from their first line

# role: (sample value in the template, what it is used for, default style)
ROLES: dict[Role, tuple[object, str, Style]] = {
    Role.TITLE: ("Severance payouts", "sheet titles",
              Style(font=Font(size=14, bold=True, color=_BLUE))),
    Role.NOTE: ("N input rows = paid + no_severance + rejected (the report counts them)", "notes and counts under titles",
             Style(font=Font(italic=True, color="595959"))),
    Role.HEADER: ("cash_total", "column headers",
               Style(font=Font(bold=True, color="FFFFFF"),
                     fill=PatternFill("solid", fgColor=_BLUE, bgColor=_BLUE),
                     border=Border(bottom=_thin),
                     alignment=Alignment(vertical="center", wrap_text=True))),
    Role.TEXT: ("no_severance", "computed text (status, reason, warnings)", Style(alignment=_TOP)),
    Role.LONG_TEXT: ("row 40, base_salary: '-240000.00' must be greater than 0",
                  "long text that wraps (basis of a line item, reasons of a rejected row)",
                  Style(alignment=Alignment(vertical="top", wrap_text=True))),
    Role.INPUT_TEXT: ("Richard Bubenik", "text typed into the case table",
                   Style(font=Font(color="0000FF"), alignment=_TOP)),
    Role.INPUT_MONEY: ("200000", "amounts typed into the case table",
                    Style(font=Font(color="0000FF"), number_format=MONEY_FORMAT, alignment=_TOP)),
    Role.INPUT_DATE: ("2002-06-30", "dates typed into the case table",
                   Style(font=Font(color="0000FF"), number_format=DATE_FORMAT, alignment=_TOP)),
    Role.MONEY: ("100000", "computed amounts", Style(number_format=MONEY_FORMAT, alignment=_TOP)),
    Role.DATE: ("2002-07-30", "computed dates", Style(number_format=DATE_FORMAT, alignment=_TOP)),
    Role.FRACTION: ("0.5", "the bonus fraction applied", Style(number_format=FRACTION_FORMAT, alignment=_TOP)),
    Role.COUNT: ("24", "counts and row numbers", Style(number_format=COUNT_FORMAT, alignment=_TOP)),
    Role.TOTAL: ("1234567.89", "the totals row",
              Style(font=Font(bold=True), number_format=MONEY_FORMAT,
                    border=Border(top=Side(style="thin"), bottom=Side(style="double")))),
    Role.REJECTED: ("rejected", "rows of rejected input (fill and font mark the whole row)",
                 Style(font=Font(color="9C0006"), fill=PatternFill("solid", fgColor="FFC7CE",
                                                                    bgColor="FFC7CE"))),
    Role.NO_SEVERANCE: ("no_severance", "rows with no severance (fill and font mark the whole row)",
                     Style(font=Font(color="7F6000"), fill=PatternFill("solid", fgColor="FFEB9C",
                                                                        bgColor="FFEB9C"))),
}
LOGO_ROLE = "logo"


def default_styles() -> ReportStyles:
    return ReportStyles({name: spec[2] for name, spec in ROLES.items()})


# ---------------------------------------------------------------------------------------------
# The template workbook

def write_template(path: str | Path, samples: Mapping[Role, str] | None = None) -> None:
    """Write the style template: one row per role, its sample cell in column B; `samples`
    replaces a role's sample text (the note's counts, computed from the real sample cases).
    Each row is as tall as its wrapped sample, so no sample runs over the next row."""
    import datetime as dt
    from decimal import Decimal

    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "severance add-in"
    ws = book.active
    ws.title = STYLES_SHEET
    styles = default_styles().roles
    _apply(ws["A1"], styles[Role.TITLE]).value = "Report styles"
    _apply(ws["A2"], styles[Role.NOTE]).value = (
        "Restyle the sample cells in column B (font, fill, border, alignment, number format) and "
        "save; `severance report CASES -o OUT.xlsx --template this.xlsx` applies them. Keep the "
        "role names in column A.")
    for col, head in zip("ABC", ("role", "sample", "used for")):
        _apply(ws[f"{col}4"], styles[Role.HEADER]).value = head
    row = 5
    for role, (sample, used_for, style) in ROLES.items():
        sample = (samples or {}).get(role, sample)
        ws.cell(row, 1, role.value)
        if style.alignment is not None and style.alignment.wrap_text:
            ws.row_dimensions[row].height = LINE_HEIGHT * wrapped_lines(str(sample), int(SAMPLE_WIDTH * 0.85))
        cell = _apply(ws.cell(row, 2), style)
        if style.number_format in (MONEY_FORMAT, FRACTION_FORMAT, COUNT_FORMAT):
            cell.value = Decimal(str(sample))
        elif style.number_format == DATE_FORMAT:
            cell.value = dt.date.fromisoformat(str(sample))
        else:
            cell.value = str(sample)
        ws.cell(row, 3, used_for)
        row += 1
    ws.cell(row, 1, LOGO_ROLE)
    ws.cell(row, 2, "insert a picture on this sheet (Insert > Pictures): the first picture becomes "
                    "the logo at the top-left of the Summary, at the size it has here")
    ws.cell(row, 3, "logo slot")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = SAMPLE_WIDTH
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "A5"
    book.save(path)


def _apply(cell, style: Style):
    cell.font = copy(style.font)
    cell.fill = copy(style.fill)
    cell.border = copy(style.border)
    cell.alignment = copy(style.alignment)
    cell.number_format = style.number_format
    return cell


def read_template(path: str | Path) -> ReportStyles:
    """The role styles (and logo) of a template workbook; roles it lacks keep their defaults.

    The file is untrusted: its size and zip expansion are checked first, and openpyxl parses
    its XML through defusedxml (entity expansion refused)."""
    import openpyxl

    from ..cases.reading import CaseFileError, check_xlsx_archive
    from ..results.output import OutputError

    p = Path(path)
    require_defusedxml()
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise OutputError(f"{p}: cannot read the template: {exc.strerror or exc}") from None
    if size > MAX_TEMPLATE_BYTES:
        raise OutputError(f"{p}: the template is {size / 2**20:.0f} MiB; templates are limited "
                          f"to {MAX_TEMPLATE_BYTES // 2**20} MiB")
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise OutputError(f"{p}: a template is an .xlsx workbook")
    try:
        check_xlsx_archive(p)
    except CaseFileError as exc:
        raise OutputError(str(exc)) from None
    try:
        book = openpyxl.load_workbook(p)
    except Exception as exc:  # openpyxl raises many types for damaged or hostile files
        raise OutputError(f"{p}: not a readable template workbook: {type(exc).__name__}") from None
    names = {n.lower(): n for n in book.sheetnames}
    ws = book[names.get(STYLES_SHEET.lower(), book.sheetnames[0])]
    roles = dict(default_styles().roles)
    found = 0
    for row in ws.iter_rows(min_col=1, max_col=2):
        name = row[0].value
        if isinstance(name, str) and name.strip() in roles and len(row) > 1:
            cell = row[1]
            roles[Role(name.strip())] = Style(font=copy(cell.font), fill=copy(cell.fill),
                                        border=copy(cell.border), alignment=copy(cell.alignment),
                                        number_format=cell.number_format)
            found += 1
    if not found:
        raise OutputError(f"{p}: no style roles found (column A of a sheet named "
                          f"{STYLES_SHEET!r} names them: {', '.join(r.value for r in ROLES)})")
    return ReportStyles(roles, _read_logo(p))


def require_defusedxml() -> None:
    """Refuse to parse untrusted workbooks unless openpyxl reads XML through defusedxml."""
    import openpyxl

    from ..results.output import OutputError
    if not openpyxl.DEFUSEDXML:
        raise OutputError("reading an untrusted .xlsx needs defusedxml (pip install defusedxml; "
                          "and OPENPYXL_DEFUSEDXML must not be False)")


_IMAGE_TYPES = {".png": "png", ".jpeg": "jpeg", ".jpg": "jpeg", ".gif": "gif"}
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _read_logo(path: Path) -> Logo | None:
    """The first picture of the template, read from the package (no imaging library needed)."""
    from defusedxml import ElementTree

    from ..results.output import OutputError
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        media = [n for n in names if n.startswith("xl/media/") and
                 Path(n).suffix.lower() in _IMAGE_TYPES]
        if not media:
            return None
        info = archive.getinfo(media[0])
        if info.file_size > MAX_LOGO_BYTES:
            raise OutputError(f"{path}: the logo picture is {info.file_size // 1024} KiB; "
                              f"logos are limited to {MAX_LOGO_BYTES // 1024} KiB")
        data = archive.read(media[0])
        size = None
        for name in names:
            if name.startswith("xl/drawings/") and name.endswith(".xml"):
                try:
                    root = ElementTree.fromstring(archive.read(name))
                except Exception:
                    raise OutputError(f"{path}: damaged or unsafe drawing part {name!r}") from None
                for xfrm in root.iter(f"{_A}xfrm"):
                    ext = xfrm.find(f"{_A}ext")
                    if ext is not None and ext.get("cx", "").isdigit() and ext.get("cy", "").isdigit():
                        size = (max(1, int(ext.get("cx")) // 9525), max(1, int(ext.get("cy")) // 9525))
                        break
                if size:
                    break
    fmt = _IMAGE_TYPES[Path(media[0]).suffix.lower()]
    if size is None:
        size = _png_size(data) if fmt == "png" else None
    width, height = size or (160, 48)
    return Logo(data=data, format=fmt, width=min(width, 800), height=min(height, 300))


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])
