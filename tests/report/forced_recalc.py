"""LibreOffice recalculation that ignores the cached values a workbook is written with.

LibreOffice, by default, keeps the cached values of an .xlsx it opens rather than recalculating
its formulas; since the report writes every formula cell with the engine's value, a test that
reads LibreOffice's figures must make it recalculate (OOXMLRecalcMode 0: always), or it would
read back our own numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.recalc import SOFFICE

ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate_ignoring_cache(paths, out_dir: str | Path, timeout: int = 900) -> list[Path]:
    """Each workbook opened, every formula recalculated (cached values ignored), saved as .xlsx
    into out_dir, in one LibreOffice run."""
    if SOFFICE is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; `make test` installs it")
    paths, out_dir = [Path(p) for p in paths], Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE, encoding="utf-8")
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), *map(str, paths)],
            check=True, capture_output=True, timeout=timeout, env={**os.environ, "HOME": str(profile)})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [out_dir / (p.stem + ".xlsx") for p in paths]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {missing}")
    return out
