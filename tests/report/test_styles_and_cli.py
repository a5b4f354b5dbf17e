"""The report's style template (current, round-tripping, restyling, refused when it names
no roles) and the command line (progress bar on a terminal only, the summary line)."""

from __future__ import annotations

import os
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from addin.cases import from_records
from addin.report.writer import build_report_template
from addin.rules.engine import compute
from addin.excel.styles import ROLES, default_styles, read_template
from addin.excel.xlsx import logo_image
from tests.report.generated import ROOT, SEVERANCE, severance, generated_records, write_csv
from tests.report.checks import norm


def test_template_is_current_and_round_trips_to_the_defaults(tmp_path):
    built = build_report_template(tmp_path / "report_template.xlsx")
    styles = read_template(built)
    assert styles.logo is None
    defaults = default_styles().roles
    for role in ROLES:
        got, want = styles.roles[role], defaults[role]
        assert got.number_format == want.number_format, role
        assert got.font.b == want.font.b and got.fill.fgColor.rgb == want.fill.fgColor.rgb, role
    committed = ROOT / "workbooks" / "report_template.xlsx"
    assert committed.read_bytes() == built.read_bytes(), \
        "workbooks/report_template.xlsx is stale: run `severance templates build`"


def test_the_templates_note_counts_the_real_sample_and_no_sample_runs_over(tmp_path, agreements):
    from addin.cases import load_cases
    ws = openpyxl.load_workbook(ROOT / "workbooks" / "report_template.xlsx").active
    samples = {row[0].value: row[1] for row in ws.iter_rows(min_row=5)}
    payouts = compute(load_cases(ROOT / "workbooks" / "sample_cases.csv", agreements), agreements)
    n = {s: int((payouts.status == s).sum()) for s in ("paid", "no_severance", "rejected")}
    assert samples["note"].value == (f"{len(payouts.status)} input rows = {n['paid']} paid + "
                                     f"{n['no_severance']} no_severance + {n['rejected']} rejected")
    long = samples["long_text"]
    assert ws.row_dimensions[long.row].height >= 30  # two wrapped lines in a 40-wide column


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_restyled_template_restyles_the_report(tmp_path, sample_cases_path):
    from openpyxl.styles import Font, PatternFill
    template = build_report_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(template)
    ws = book["Styles"]
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == "money":
            row[1].number_format = '#,##0.00 "USD"'
        if row[0].value == "header":
            row[1].fill = PatternFill("solid", fgColor="FF00B050")
            row[1].font = Font(bold=True, color="FF000000", name="Arial")
    ws.add_image(logo_image(_png(120, 40), "png", 120, 40), "E20")
    book.save(template)
    out = tmp_path / "styled.xlsx"
    result = severance("report", sample_cases_path, "-o", out, "--template", template)
    assert result.returncode == 1, result.stderr  # the sample's 5 rejected rows
    summary = openpyxl.load_workbook(out)["Summary"]
    header_row = 5  # the logo takes row 1
    col = {norm(c.value): c.column for c in summary[header_row] if c.value}
    assert summary.cell(header_row + 1, col["cash_total"]).number_format == '#,##0.00 "USD"'
    assert summary.cell(header_row, 1).fill.fgColor.rgb == "FF00B050"
    assert summary.cell(header_row, 1).font.name == "Arial"
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        assert len(media) == 1 and z.read(media[0]) == _png(120, 40)
    check = openpyxl.load_workbook(out)
    assert check["Summary"].row_dimensions[1].height == pytest.approx(30)


def test_a_template_without_roles_is_refused(tmp_path, sample_cases_path):
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    result = severance("report", sample_cases_path, "-o", tmp_path / "o.xlsx", "--template", plain)
    assert result.returncode == 2 and "no style roles" in result.stderr


def test_progress_bar_only_on_a_terminal(tmp_path, agreements):
    import pty
    path = write_csv(generated_records(400, seed=5), tmp_path / "c.csv")
    piped = severance("report", path, "-o", tmp_path / "a.xlsx")
    assert piped.returncode == 1 and piped.stderr.count("\n") == 1  # generated rows rejected and "rows/s" not in piped.stderr
    import fcntl
    import struct
    import termios
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real size
    proc = subprocess.Popen([SEVERANCE, "report", str(path), "-o", str(tmp_path / "b.xlsx")],
                            stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 1
    os.close(leader)
    assert b"severance report" in seen and b"rows" in seen, seen


def test_cli_summary_line(tmp_path, sample_cases_path):
    result = severance("report", sample_cases_path, "-o", tmp_path / "r.xlsx",
                       "--per-employee", tmp_path / "st")
    assert result.returncode == 1  # rows were rejected (as severance calc); every output written
    assert (tmp_path / "r.xlsx").exists()
    assert result.stderr.strip() == (f"43 input rows: 31 paid, 7 no severance, 5 rejected; 828 payments "
                                     f"-> {tmp_path / 'r.xlsx'}; 38 statements -> {tmp_path / 'st'}")


def test_exit_status_is_0_only_when_no_row_is_rejected(tmp_path, sample_cases_path, agreements):
    records = pd.read_csv(sample_cases_path, dtype=str, keep_default_na=False).to_dict("records")
    payouts = compute(from_records(records, agreements), agreements)
    valid = [r for r, s in zip(records, payouts.status) if s != "rejected"]
    assert 0 < len(valid) < len(records)
    clean = severance("report", write_csv(valid, tmp_path / "valid.csv"), "-o", tmp_path / "v.xlsx")
    assert clean.returncode == 0, clean.stderr
    assert severance("report", sample_cases_path, "-o", tmp_path / "s.xlsx").returncode == 1
    assert (tmp_path / "s.xlsx").exists()
