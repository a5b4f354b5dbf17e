"""`severance report --pdf DIR`: the payout register and each statement as PDF, printed by
LibreOffice headless (soffice) from the workbooks, in one LibreOffice run.

The register's PDF is printed from a workbook of the register alone, its figures as values (the
cached values of the report's register: the same figures, with no Summary to refer to)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from ..excel.cells import Cell, Kind
from ..results.output import OutputError
from .plan import ReportPlan, SheetPlan
from .register import TITLE as REGISTER

TIMEOUT_SECONDS = 1800


class NoLibreOffice(OutputError):
    """LibreOffice (soffice) is not installed: the PDFs cannot be printed."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise NoLibreOffice("--pdf prints through LibreOffice, and soffice is not on the PATH: "
                            "install LibreOffice (Debian: libreoffice-calc-nogui) or leave out --pdf")
    return found


def _as_value(cell: Cell | None) -> Cell | None:
    """A formula cell as the value it is cached with (a date serial keeps its date style)."""
    if cell is None or cell.kind is not Kind.FORMULA:
        return cell
    value = cell.cached
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return Cell(Kind.TEXT, value, cell.role)
    return Cell(Kind.NUMBER, value, cell.role)


def register_plan(report: ReportPlan) -> ReportPlan:
    """The report's register sheets alone, every figure its value."""
    sheets: list[SheetPlan] = []
    for sheet in report.sheets:
        if sheet.title == REGISTER or sheet.title.startswith(REGISTER + " ("):
            rows = [[_as_value(c) for c in row] for row in sheet.rows]
            sheets.append(replace(sheet, rows=rows))
    return replace(report, sheets=sheets, names=[])


def to_pdf(workbooks: Sequence[Path], out_dir: Path) -> list[Path]:
    """Each workbook printed to OUT_DIR/<its name>.pdf by LibreOffice headless (one run)."""
    program = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not workbooks:
        return []
    profile = Path(tempfile.mkdtemp(prefix="severance-lo-"))
    try:
        done = subprocess.run(
            [program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--nologo", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, workbooks)],
            capture_output=True, timeout=TIMEOUT_SECONDS, env={**os.environ, "HOME": str(profile)})
    except subprocess.TimeoutExpired:
        raise OutputError(f"LibreOffice did not print the PDFs within {TIMEOUT_SECONDS} s") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [out_dir / (Path(w).stem + ".pdf") for w in workbooks]
    missing = [p.name for p in out if not p.exists()]
    if done.returncode or missing:
        raise OutputError(f"LibreOffice could not print {', '.join(missing) or 'the PDFs'} "
                          f"(exit {done.returncode})")
    return out


__all__ = ["NoLibreOffice", "register_plan", "soffice", "to_pdf"]
