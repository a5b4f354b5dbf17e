"""Hostile and broken case files, each made by a small factory: entity expansion, zip bombs,
lying sizes, truncated archives and rows, wrong encodings and delimiters, oversized files, a
device and a pipe. HOSTILE_FILES names each; the adversarial suite checks that every one is
refused with one clear line, in bounded time and memory, leaving nothing behind."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from tests.support import ROOT


def small_xlsx(path: Path, rows: int = 2) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Cases"
    ws.append(["employee_id", "termination_date", "termination_reason", "base_salary"])
    for k in range(rows - 1):
        ws.append([f"E{k}", "2024-07-01", "without_cause", 240000 + k])
    book.save(path)
    return path


def rewrite_part(src: Path, dst: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            b.writestr(info.filename, data if info.filename == name else a.read(info.filename))
    return dst


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


LAUGHS = ('<!DOCTYPE lolz [\n<!ENTITY lol0 "lollollollollollollollollollol">\n'
          + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">\n' for i in range(1, 10))
          + "]>\n")


def billion_laughs_sheet(tmp: Path, padding: int = 0) -> Path:
    """A 'billion laughs' DTD: &lol9; would expand to 3 GB of text in the first cell."""
    base = small_xlsx(tmp / "base.xlsx")
    sheet = part(base, "xl/worksheets/sheet1.xml").decode()
    body = sheet.replace("<t>E0</t>", "<t>&lol9;</t>")
    assert body != sheet
    head = '<?xml version="1.0"?>\n' + ("<!--" + "x" * padding + "-->\n" if padding else "")
    return rewrite_part(base, tmp / "laughs.xlsx", "xl/worksheets/sheet1.xml", (head + LAUGHS + body).encode())


def billion_laughs_workbook(tmp: Path) -> Path:
    base = small_xlsx(tmp / "base.xlsx")
    xml = part(base, "xl/workbook.xml").decode()
    xml = xml.replace('name="Cases"', 'name="&lol9;"')
    return rewrite_part(base, tmp / "laughs-book.xlsx", "xl/workbook.xml",
                        ('<?xml version="1.0"?>\n' + LAUGHS + xml).encode())


def external_entity(tmp: Path) -> Path:
    base = small_xlsx(tmp / "base.xlsx")
    sheet = part(base, "xl/worksheets/sheet1.xml").decode().replace("<t>E0</t>", "<t>&xxe;</t>")
    doc = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' + sheet
    return rewrite_part(base, tmp / "xxe.xlsx", "xl/worksheets/sheet1.xml", doc.encode())


def deflated_part(archive: zipfile.ZipFile, name: str, chunk: bytes, repeat: int, head=b"", tail=b""):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 9
    with archive.open(info, "w", force_zip64=True) as w:
        w.write(head)
        for _ in range(repeat):
            w.write(chunk)
        w.write(tail)
    return info


def zip_bomb(tmp: Path) -> Path:
    """The classic: 1.1 GiB of zeros as the sheet, about 1 MiB on disk (1028x)."""
    base = small_xlsx(tmp / "base.xlsx")
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                deflated_part(b, info.filename, b"\0" * 2**20, 1100)
            else:
                b.writestr(info.filename, a.read(info.filename))
    return path


def quiet_bomb(tmp: Path) -> Path:
    """A sheet of 600,000 well-formed repeated rows (100 MiB) in 400 KB (257x): every row is
    valid XML, so only the compression ratio gives it away (it took 550 s and 24 GB before)."""
    base = small_xlsx(tmp / "base.xlsx")
    sheet = part(base, "xl/worksheets/sheet1.xml")
    head, _, rest = sheet.partition(b"<sheetData>")
    header_row = rest[:rest.index(b"</row>") + 6]
    tail = b"</sheetData>" + rest.split(b"</sheetData>", 1)[1]
    row = (b'<row><c t="inlineStr"><is><t>E1</t></is></c><c t="inlineStr"><is><t>2024-07-01</t>'
           b'</is></c><c t="inlineStr"><is><t>without_cause</t></is></c><c t="n"><v>240000</v></c></row>')
    path = tmp / "quiet-bomb.xlsx"
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                deflated_part(b, info.filename, row * (2**20 // len(row)), 100,
                              head=head + b"<sheetData>" + header_row, tail=tail)
            else:
                b.writestr(info.filename, a.read(info.filename))
    return path


def overlapping_bomb(tmp: Path) -> Path:
    """Sixteen directory entries sharing one 100 MiB stream (a non-recursive zip bomb, after
    D. Fifield): each part looks ordinary (ratio 40x), together they claim 1.6 GiB."""
    import copy
    import random
    base = small_xlsx(tmp / "base.xlsx")
    path = tmp / "overlap.xlsx"
    block = random.Random(6).randbytes(2**14) + b"<row/>" * ((2**20 - 2**14) // 6)
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            b.writestr(info.filename, a.read(info.filename))
        shared = deflated_part(b, "xl/media/kernel.bin", block, 100)
        for n in range(15):
            twin = copy.copy(shared)
            twin.filename = twin.orig_filename = f"xl/media/twin{n}.bin"
            b.filelist.append(twin)
            b.NameToInfo[twin.filename] = twin
    return path


def lying_sizes(tmp: Path) -> Path:
    """A part whose directory says 1,000 bytes while its stream inflates to 100 MiB."""
    import struct
    base = small_xlsx(tmp / "base.xlsx")
    path = tmp / "liar.xlsx"
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                deflated_part(b, "xl/worksheets/sheet1.xml", b"\0" * 2**20, 100)
            else:
                b.writestr(info.filename, a.read(info.filename))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # The central directory entry (the name's last occurrence, 46 bytes into its header) is
    # what readers trust; its uncompressed size becomes 1,000.
    name = b"xl/worksheets/sheet1.xml"
    at = data.rindex(name) - 46
    assert data[at:at + 4] == b"PK\x01\x02" and struct.unpack_from("<I", data, at + 24)[0] == info.file_size
    struct.pack_into("<I", data, at + 24, 1000)
    path.write_bytes(bytes(data))
    assert info.file_size == 100 * 2**20
    return path


def beyond_excel_rows(tmp: Path) -> Path:
    """A sheet with a row numbered past Excel's last row (1,048,576)."""
    base = small_xlsx(tmp / "base.xlsx")
    sheet = part(base, "xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>E9</t></is></c></row></sheetData>')
    sheet = sheet.replace(b'<dimension ref="A1:D2"/>', b"")
    return rewrite_part(base, tmp / "tall.xlsx", "xl/worksheets/sheet1.xml", sheet)


def truncated_xlsx(tmp: Path) -> Path:
    whole = small_xlsx(tmp / "whole.xlsx", rows=2000).read_bytes()
    path = tmp / "truncated.xlsx"
    path.write_bytes(whole[:len(whole) // 2])
    return path


def truncated_xlsx_tail(tmp: Path) -> Path:
    whole = small_xlsx(tmp / "whole.xlsx", rows=2000).read_bytes()
    path = tmp / "truncated-tail.xlsx"
    path.write_bytes(whole[:-10])
    return path


def truncated_parquet(tmp: Path) -> Path:
    frame = pd.DataFrame({"employee_id": [f"E{k}" for k in range(5000)], "termination_date": "2024-07-01",
                          "termination_reason": "without_cause", "base_salary": "240000"})
    whole = tmp / "whole.parquet"
    frame.to_parquet(whole)
    path = tmp / "truncated.parquet"
    path.write_bytes(whole.read_bytes()[:whole.stat().st_size * 2 // 3])
    return path


SAMPLE = (ROOT / "workbooks" / "sample_cases.csv").read_text(encoding="utf-8")


def truncated_csv_in_quotes(tmp: Path) -> Path:
    path = tmp / "truncated-quoted.csv"
    path.write_text(SAMPLE + 'E9001,"Cut, Short', encoding="utf-8")
    return path


def truncated_csv_mid_row(tmp: Path) -> Path:
    path = tmp / "truncated-row.csv"
    path.write_text(SAMPLE + "E9001,Cut Short,2024-07-01,without_cause,24", encoding="utf-8")
    return path


def utf16_csv(tmp: Path) -> Path:
    path = tmp / "utf16.csv"
    path.write_text(SAMPLE, encoding="utf-16")
    return path


def latin1_csv(tmp: Path) -> Path:
    path = tmp / "latin1.csv"
    path.write_bytes(SAMPLE.replace("Maria Alvarez", "María Álvarez €").encode("cp1252"))
    return path


def colon_csv(tmp: Path) -> Path:
    path = tmp / "colons.csv"
    path.write_text(SAMPLE.replace(",", ":"), encoding="utf-8")
    return path


def empty_csv(tmp: Path) -> Path:
    path = tmp / "empty.csv"
    path.write_bytes(b"")
    return path


def binary_as_csv(tmp: Path) -> Path:
    path = tmp / "photo.csv"
    path.write_bytes(bytes(range(256)) * 64)
    return path


def csv_as_parquet(tmp: Path) -> Path:
    path = tmp / "cases.parquet"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def big_csv(tmp: Path) -> Path:
    """201 MiB of real CSV rows (written in about a second)."""
    path = tmp / "big.csv"
    row = "E1,Ann Lee,2024-07-01,without_cause,240000.00,100000.00,0.00,1500.00,semimonthly,,,\n"
    block = (row * (2**20 // len(row) + 1))[:2**20]
    with open(path, "w", encoding="utf-8") as f:
        f.write(SAMPLE.splitlines()[0] + "\n")
        for _ in range(201):
            f.write(block)
    return path


def big_xlsx(tmp: Path) -> Path:
    """A workbook grown past 200 MiB (sparse: the size is what is checked first)."""
    path = small_xlsx(tmp / "big.xlsx")
    os.truncate(path, 201 * 2**20)
    return path


def dev_zero(tmp: Path) -> Path:
    path = tmp / "zero.csv"
    path.symlink_to("/dev/zero")
    return path


def fifo(tmp: Path) -> Path:
    path = tmp / "pipe.csv"
    os.mkfifo(path)
    return path


HOSTILE_FILES = {
    # name: (builder, what the message must say)
    "entity expansion in a sheet": (billion_laughs_sheet, "declares XML entities"),
    "entity expansion in the workbook part": (billion_laughs_workbook, "declares XML entities"),
    "entity expansion behind an 8 KiB comment": (lambda t: billion_laughs_sheet(t, padding=8192),
                                                 "not a readable .xlsx workbook"),
    "external entity (file:///etc/passwd)": (external_entity, "declares XML entities"),
    "zip bomb, 1.1 GiB of zeros in 1 MiB": (zip_bomb, "refusing a likely zip bomb"),
    "quiet zip bomb, 600,000 valid rows at 257x": (quiet_bomb, "refusing a likely zip bomb"),
    "overlapping-entry zip bomb, 1.6 GiB claimed": (overlapping_bomb, "limited to 1024 MiB unpacked"),
    "part sizes that lie (1,000 B declared, 100 MiB inflated)": (lying_sizes, "not a valid .xlsx workbook"),
    "row past Excel's last row": (beyond_excel_rows, "more than 1,048,576 rows"),
    "xlsx truncated to half": (truncated_xlsx, "not a valid .xlsx workbook"),
    "xlsx missing its last 10 bytes": (truncated_xlsx_tail, "not a valid .xlsx workbook"),
    "parquet truncated to two thirds": (truncated_parquet, "not a readable Parquet file"),
    "csv cut inside a quoted cell": (truncated_csv_in_quotes, "not a readable CSV table"),
    "csv cut mid-row": (truncated_csv_mid_row, "looks cut short"),
    "csv in UTF-16": (utf16_csv, "UTF-16 text"),
    "csv in Windows-1252": (latin1_csv, "not UTF-8 text"),
    "csv with ':' delimiters": (colon_csv, "required columns 'employee_id'"),
    "empty csv": (empty_csv, "not a readable CSV table"),
    "binary data named .csv": (binary_as_csv, "contains binary data"),
    "csv named .parquet": (csv_as_parquet, "not a readable Parquet file"),
    "201 MiB csv": (big_csv, "limited to 200 MiB"),
    "201 MiB xlsx": (big_xlsx, "limited to 200 MiB"),
    "link to /dev/zero": (dev_zero, "not a regular file"),
    "named pipe": (fifo, "not a regular file"),
}
