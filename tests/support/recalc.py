"""Recalculate workbooks in LibreOffice headless, so tests read the values a real spreadsheet
engine gives for our formulas (never the cached values we wrote ourselves)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# LibreOffice keeps the cached values of an .xlsx it opens unless told to recalculate; every
# workbook the add-in writes carries the engine's values, so without this a recalculation test
# would read back our own numbers. OOXMLRecalcMode / ODFRecalcMode 0: always recalculate.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _profile() -> Path:
    """A fresh LibreOffice user profile that recalculates every formula on load."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE, encoding="utf-8")
    return profile


def recalculate_all(paths, out_dir: str | Path, timeout: int = 900) -> list[Path]:
    """Recalculate many workbooks in one LibreOffice run (one start-up for the whole batch):
    each is opened, every formula recalculated (cached values ignored), and saved as .xlsx into
    out_dir, in order."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; `make test` installs it")
    paths = [Path(p) for p in paths]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = _profile()
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--nologo", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir),
             *map(str, paths)],
            check=True, capture_output=True, timeout=timeout, env={**os.environ, "HOME": str(profile)})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [out_dir / (p.stem + ".xlsx") for p in paths]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {missing}")
    return out


def recalculate(path: str | Path, out_dir: str | Path | None = None, timeout: int = 300) -> Path:
    """Open `path` in LibreOffice, recalculate every formula, save as .xlsx; returns the copy."""
    return recalculate_all([path], out_dir or tempfile.mkdtemp(prefix="recalc-"), timeout)[0]


def values(path: str | Path) -> openpyxl.Workbook:
    """The recalculated workbook's cell values (cached results of the formulas)."""
    return openpyxl.load_workbook(path, data_only=True)


def to_pdf(path: str | Path, out_dir: str | Path, timeout: int = 300) -> Path:
    """Render a workbook to PDF with LibreOffice (for the README pictures)."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(path)],
                       check=True, capture_output=True, timeout=timeout,
                       env={**os.environ, "HOME": str(profile)})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return Path(out_dir) / (Path(path).stem + ".pdf")
