"""Cached values in formula cells: openpyxl writes a formula with an empty value, so a file read
where nothing recalculates (pandas, openpyxl's data_only, Protected View, preview panes, phone
viewers) shows every figure blank. After saving, each formula cell of the plan is given the
value the engine computes for it, typed as a spreadsheet caches it: a number, a date serial,
text (t="str"), true/false (t="b") or an error (t="e"). Excel still recalculates on load."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Mapping
from xml.sax.saxutils import escape

from openpyxl.utils.datetime import to_excel

from ..excel.xlsx import clean_text
from .plan import ExcelError

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f[^>]*>[^<]*</f>|<f[^>]*/>)<v></v></c>')
_SHEET = re.compile(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"')
_TARGET = re.compile(r'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"|'
                     r'<Relationship [^>]*Target="([^"]*)"[^>]*Id="([^"]*)"')


class MissingCachedValue(ValueError):
    """A formula cell of a shipped workbook planned without the value it is to be written with."""


def cached_xml(value: object) -> tuple[str, str]:
    """(the t attribute, the <v> text) a value is cached as."""
    if isinstance(value, ExcelError):
        return ' t="e"', value.code
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, (dt.date, dt.datetime)):
        return "", repr(float(to_excel(value)))
    if isinstance(value, (int, float)):
        return "", repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return ' t="str"', escape(clean_text(value))
    raise TypeError(f"a formula cell cannot be cached with {value!r}")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML in the archive."""
    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    targets = {}
    for m in _TARGET.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid] = target
    out = {}
    for name, rid in _SHEET.findall(book):
        target = targets[rid]
        out[name] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return out


def _unescape_name(name: str) -> str:
    return name.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def write_cached(path: str | Path, values: Mapping[str, Mapping[str, object]]) -> None:
    """Give the formula cells of the saved workbook at `path` their cached values (sheet name ->
    cell address -> value). Every formula cell must have one: a figure left blank is the very
    thing this guards against."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    with zipfile.ZipFile(path) as src, open(fd, "wb") as raw, \
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        parts = {_unescape_name(n): p for n, p in _sheet_parts(src).items()}
        by_part = {parts[name]: (name, cells) for name, cells in values.items()}
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in by_part:
                name, cells = by_part[info.filename]
                missing: list[str] = []

                def fill(m: re.Match, cells=cells, missing=missing) -> str:
                    ref, attrs, f = m.groups()
                    if ref not in cells:
                        missing.append(ref)
                        return m.group(0)
                    t, v = cached_xml(cells[ref])
                    attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
                    return f'<c r="{ref}"{attrs}{t}>{f}<v>{v}</v></c>'
                data = _CELL.sub(fill, data.decode()).encode()
                if missing:
                    raise MissingCachedValue(f"sheet {name!r}: formula cells without a cached value: "
                                             f"{', '.join(missing[:10])}")
            dst.writestr(info, data)
    shutil.move(tmp, path)
