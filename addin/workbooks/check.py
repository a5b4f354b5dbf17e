"""Building the shipped workbooks, and proving a committed workbook is what the code builds: the
`severance templates build|check` command."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from ..excel.xlsx import sheet_pictures
from ..results.output import OutputError
from ..rules.terms import DEFAULT_AGREEMENT_ID, load_agreements
from .calculator import build_calculator
from .case_template import build_cases_template
from .command import CALCULATOR, CASES_TEMPLATE, DEFAULT_DIR, FUNCTIONS, REPORT_TEMPLATE, WORKBOOKS
from .report_template import build_report_template


def build_functions(path: str | Path) -> dict[str, str]:
    """The functions demo, imported when built: it imports addin.udfs (and xlwings), which the
    rest of the command line does without."""
    from .functions import build_functions as build
    return build(path)


BUILDERS: dict[str, Callable[[Path], object]] = {
    CALCULATOR: build_calculator,
    FUNCTIONS: build_functions,
    CASES_TEMPLATE: build_cases_template,
    REPORT_TEMPLATE: build_report_template,
}


def build_all(folder: str | Path = DEFAULT_DIR, names=None) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise OutputError(f"{folder}: the folder does not exist")
    out = []
    for name in names or WORKBOOKS:
        BUILDERS[name](folder / name)
        out.append(folder / name)
    return out


def _color(c) -> str:
    if c is None:
        return ""
    return str(getattr(c, "rgb", "") or getattr(c, "theme", "") or "")


def _cell_content(cell) -> tuple:
    f, a, b, p = cell.font, cell.alignment, cell.border, cell.protection
    value = cell.value
    if isinstance(value, ArrayFormula):
        value = f"{{{value.ref}}}{value.text}"
    return (cell.data_type, repr(value), cell.number_format, cell.quotePrefix,
            (f.name, f.sz, f.b, f.i, f.u, _color(f.color)),
            (cell.fill.fill_type, _color(cell.fill.fgColor)),
            (a.horizontal, a.vertical, a.wrap_text, a.indent),
            tuple((s.style, _color(s.color)) if s else None for s in (b.left, b.right, b.top, b.bottom)),
            (p.locked, p.hidden),
            cell.comment.text if cell.comment else None)


def _sheet_content(ws) -> dict[str, object]:
    key = f"sheet {ws.title}"
    content: dict[str, object] = {
        f"{key}: state": (ws.sheet_state, ws.protection.sheet, ws.protection.password,
                          ws.sheet_view.showGridLines, ws.freeze_panes),
        f"{key}: print": (str(ws.print_area), ws.page_setup.orientation, ws.page_setup.fitToWidth,
                          ws.page_setup.fitToHeight, ws.print_title_rows,
                          tuple(b.id for b in ws.row_breaks.brk)),
        f"{key}: merged": tuple(sorted(str(r) for r in ws.merged_cells.ranges)),
        f"{key}: columns": tuple(sorted(
            (k, d.width, d.hidden, d.number_format) for k, d in ws.column_dimensions.items())),
        f"{key}: rows": tuple(sorted(
            (k, d.height, d.hidden) for k, d in ws.row_dimensions.items() if d.height or d.hidden)),
        f"{key}: validations": tuple(sorted(
            (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.allow_blank, v.showDropDown,
             v.promptTitle, v.prompt, v.errorTitle, v.error, v.errorStyle)
            for v in ws.data_validations.dataValidation)),
        f"{key}: conditional formats": tuple(sorted(
            (str(rng.sqref), rule.type, tuple(rule.formula or ()), repr(rule.dxf))
            for rng in ws.conditional_formatting for rule in rng.rules)),
        f"{key}: tables": tuple(sorted(
            (t.displayName, t.ref, t.tableStyleInfo.name if t.tableStyleInfo else None,
             tuple(c.name for c in t.tableColumns)) for t in ws.tables.values())),
        f"{key}: images": sheet_pictures(ws),
    }
    filled = _array_filled(ws)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None or cell.has_style or cell.comment:
                if cell.coordinate in filled:   # a value the array formula computed, not content
                    cell = _Unvalued(cell)
                content[f"{ws.title}!{cell.coordinate}"] = _cell_content(cell)
    return content


def _array_filled(ws) -> set[str]:
    """The cells an array formula fills besides its own: they hold its cached results, which
    follow the engine (and the add-in's words), not the plan."""
    out: set[str] = set()
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, ArrayFormula):
                for line in ws[cell.value.ref]:
                    out.update(c.coordinate for c in line if c.coordinate != cell.coordinate)
    return out


class _Unvalued:
    """A cell's look without its value (see _array_filled)."""

    def __init__(self, cell):
        self._cell, self.value, self.data_type = cell, None, "n"

    def __getattr__(self, name):
        return getattr(self._cell, name)


def workbook_content(path: str | Path) -> dict[str, object]:
    """What a workbook holds, as comparable text: every cell (value or formula, format, style,
    protection, comment), merged ranges, sizes, validations, conditional formats, tables,
    protection, print set-up and defined names. Timestamps and zip details are not content."""
    book = load_workbook(path)
    content: dict[str, object] = {
        "sheets": tuple(book.sheetnames),
        "defined names": tuple(sorted((n, d.attr_text, d.localSheetId)
                                      for n, d in book.defined_names.items())),
    }
    for ws in book.worksheets:
        content.update(_sheet_content(ws))
    return content


def differences(expected: str | Path, actual: str | Path, limit: int = 10) -> list[str]:
    """How `actual` differs from `expected` (empty: same content)."""
    a, b = workbook_content(expected), workbook_content(actual)
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        if a.get(key) != b.get(key):
            out.append(f"{key}: {str(a.get(key, '(absent)'))[:200]} -> {str(b.get(key, '(absent)'))[:200]}")
            if len(out) >= limit:
                break
    return out


def check(folder: str | Path = DEFAULT_DIR) -> dict[str, list[str]]:
    """Each shipped workbook's differences from a fresh build (empty lists: all current)."""
    folder = Path(folder)
    with tempfile.TemporaryDirectory(prefix="templates-") as tmp:
        out = {}
        for name in WORKBOOKS:
            fresh = Path(tmp) / name
            BUILDERS[name](fresh)
            committed = folder / name
            out[name] = differences(fresh, committed) if committed.exists() else [f"{committed} is missing"]
        return out


def build_command(args) -> int:
    """`severance templates build` (its flags: addin.workbooks.command)."""
    agreement = None
    if args.terms or args.agreement:
        agreements = load_agreements(args.terms)
        agreement_id = args.agreement or DEFAULT_AGREEMENT_ID
        if agreement_id not in agreements:
            raise OutputError(f"unknown agreement {agreement_id!r} (known: {', '.join(agreements)})")
        agreement = agreements[agreement_id]
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    if agreement is not None:
        build_calculator(folder / CALCULATOR, agreement)
        print(f"built {folder / CALCULATOR} for agreement {agreement.id}", file=sys.stderr)
        return 0
    for path in build_all(folder):
        print(f"built {path}", file=sys.stderr)
    return 0


def check_command(args) -> int:
    """`severance templates check`."""
    stale = {name: diff for name, diff in check(args.dir).items() if diff}
    for name, diff in stale.items():
        print(f"{Path(args.dir) / name}: stale; rebuild with `severance templates build`", file=sys.stderr)
        for line in diff:
            print(f"  {line}", file=sys.stderr)
    if not stale:
        print(f"all {len(WORKBOOKS)} workbooks in {args.dir} are current", file=sys.stderr)
    return 1 if stale else 0
